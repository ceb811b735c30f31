# ip neigh over ARP between two namespaces: a resolved neighbour is REACHABLE, the side that
# answered has the asker in DELAY, an unanswered one is FAILED after three probes; then flush.
ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set v0 up
ip -n b link set v1 up
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip netns exec a ping -c 1 -W 1 10.0.0.2 >/dev/null; echo rc=$?
ip -n a neigh
ip -n b neigh show dev v1
ip netns exec a ping -c 1 -W 1 10.0.0.3 >/dev/null; echo rc=$?
ip -n a neigh show 10.0.0.3
sleep 3
ip -n a neigh show dev v0 | sort
ip -n a neigh show nud failed
ip -n a -j neigh show nud reachable
ip -n a -br neigh show dev v0 | sort
ip -n a -s neigh flush dev v0; echo rc=$?
ip -n a neigh show dev v0
ip netns exec a ping -c 1 -W 1 10.0.0.2 >/dev/null; echo rc=$?
ip -n a neigh show dev v0
ip netns del a
ip netns del b
