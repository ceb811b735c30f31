# ip_default_ttl is the TTL of the echo reply, seen as ttl= by ping; a router takes one off.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.9.0.1/24 dev va
ip -n b addr add 10.9.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 -W 1 10.9.0.2 | grep ttl=
ip netns exec b sysctl -q -w net.ipv4.ip_default_ttl=7
ip netns exec a ping -c 1 -W 1 10.9.0.2 | grep ttl=
echo 200 > /proc/sys/net/ipv4/ip_default_ttl
ip netns exec b ping -c 1 -W 1 10.9.0.1 | grep -o 'ttl=[0-9]*'
ip netns exec a bash -c 'echo 99 > /proc/sys/net/ipv4/ip_default_ttl'
ip netns exec b ping -c 1 -W 1 10.9.0.1 | grep -o 'ttl=[0-9]*'
ip link set lo up
ping -c 1 -W 1 127.0.0.1 | grep -o 'ttl=[0-9]*'
