# h1 -- r -- h2: ping across the router with forwarding on, then off (no reply at all).
ip netns add h1
ip netns add r
ip netns add h2
ip link add h1r type veth peer name rh1
ip link add h2r type veth peer name rh2
ip link set h1r netns h1
ip link set rh1 netns r
ip link set h2r netns h2
ip link set rh2 netns r
ip -n h1 addr add 10.0.1.2/24 dev h1r
ip -n r addr add 10.0.1.1/24 dev rh1
ip -n r addr add 10.0.2.1/24 dev rh2
ip -n h2 addr add 10.0.2.2/24 dev h2r
ip -n h1 link set h1r up
ip -n r link set rh1 up
ip -n r link set rh2 up
ip -n h2 link set h2r up
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec h1 ping -c 1 -W 1 10.0.2.2
echo "rc=$?"
ip netns exec h2 ping -c 1 -W 1 10.0.1.2
echo "rc=$?"
ip netns exec r sysctl -w net.ipv4.ip_forward=0
ip netns exec h1 ping -c 1 -W 1 10.0.2.2
echo "rc=$?"
ip netns exec h1 ping -c 1 -W 1 10.0.1.1
echo "rc=$?"
