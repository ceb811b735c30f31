# ping -f: no interval (unless -i), a dot per echo and a backspace per reply, E for an error;
# the rtt line gains ipg/ewma. Not root: at most one echo per 2 ms.
ip netns add a
ip netns add b
ip -n a link add v0 mtu 1000 type veth peer name v1 mtu 1000 netns b
ip -n a addr add 10.1.1.1/24 dev v0
ip -n b addr add 10.1.1.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip netns exec a ping -f -c 5 10.1.1.2 | cat -v
ip netns exec a ping -f -c 3 -i 0.3 10.1.1.2 | cat -v
ip netns exec a ping -q -f -c 3 10.1.1.2
ip netns exec a ping -f -c 3 10.1.1.99 | cat -v; echo "rc=${PIPESTATUS[0]}"
ip netns exec a ping -f -c 2 -W 1 10.9.9.9 | cat -v; echo "rc=${PIPESTATUS[0]}"
ip netns exec a setpriv --reuid=65534 --regid=65534 --clear-groups ping -f -c 2 10.1.1.2; echo "rc=$?"
ip netns exec a setpriv --reuid=65534 --regid=65534 --clear-groups ping -i 0.001 -c 2 10.1.1.2; echo "rc=$?"
ip netns exec a setpriv --reuid=65534 --regid=65534 --clear-groups ping -f -i 0.5 -c 2 10.1.1.2 | cat -v
ip netns del a
ip netns del b
