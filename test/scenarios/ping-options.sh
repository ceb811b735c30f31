# ping options: -s size, -q quiet, -I interface or address, -c/-i count and interval.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.12.0.1/24 dev va
ip -n a addr add 10.12.0.11/24 dev va
ip -n b addr add 10.12.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 -W 1 -s 1000 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -s 0 10.12.0.2
echo "rc=$?"
ip netns exec a ping -q -c 3 -i 0.2 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -I va 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -I 10.12.0.11 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -I nosuch 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -I 10.99.0.1 10.12.0.2
echo "rc=$?"
ip netns exec a ping -c 2 -i 0.2 -t 5 10.12.0.2
echo "rc=$?"
