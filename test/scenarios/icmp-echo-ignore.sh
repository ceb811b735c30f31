# icmp_echo_ignore_all: the target stays silent, so ping loses everything (status 1).
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.8.0.1/24 dev va
ip -n b addr add 10.8.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec a ping -c 1 -W 1 10.8.0.2
echo "rc=$?"
ip netns exec b sysctl -n net.ipv4.icmp_echo_ignore_all
ip netns exec a sysctl -n net.ipv4.icmp_echo_ignore_all
ip netns exec b ping -c 1 -W 1 10.8.0.1
echo "rc=$?"
ip netns exec b bash -c 'echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_all'
ip netns exec a ping -c 1 -W 1 10.8.0.2
echo "rc=$?"
