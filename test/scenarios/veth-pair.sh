# Two namespaces joined by a veth pair; ping both ways.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
ip -n b link set lo up
ip netns exec a ping -c 1 -W 1 10.0.0.2
echo "rc=$?"
ip netns exec b ping -c 1 -W 1 10.0.0.1
echo "rc=$?"
ip -n a -4 addr show dev va
ip -n b route
ip netns list
