# Neighbour entries as the administrator makes them, and their -s counters in virtual time.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a neigh add 10.0.0.5 dev va; echo rc=$?
ip -n a neigh add 10.0.0.5 dev va; echo rc=$?
ip -n a neigh add 10.0.0.6 dev va nud none; echo rc=$?
ip -n a neigh add 10.0.0.7 dev va nud reachable; echo rc=$?
ip -n a neigh add 10.0.0.8 lladdr 1:2:3:4:5:6:7 dev va; echo rc=$?
ip -n a neigh add 10.0.0.9 lladdr 1:2:3 dev va; echo rc=$?
ip -n a neigh add 10.0.0.10 dev va nud incomplete; echo rc=$?
ip -n a neigh add 10.0.0.11 lladdr 02:00:00:00:00:0b dev va nud stale; echo rc=$?
ip netns exec a ping -c 1 -W 1 10.0.0.2 > /dev/null
ip -n a -4 -s neigh show nud all | sort
sleep 4
ip -n a -4 -s neigh show nud all | sort
ip -n b -s neigh show | sort
