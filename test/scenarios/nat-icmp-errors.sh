# ICMP errors crossing NAT: traceroute and ping from a client behind a MASQUERADE router. The
# errors come back to the router's public address, quoting the NATed datagram; the router
# rewrites the quoted datagram and the outer destination back to the client's.
ip netns add c; ip netns add r1; ip netns add r2; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r1
ip link add eth1 netns r1 type veth peer name eth0 netns r2
ip link add eth1 netns r2 type veth peer name veth0 netns s
ip -n c addr add 192.168.1.2/24 dev veth0; ip -n c link set veth0 up
ip -n r1 addr add 192.168.1.1/24 dev eth0; ip -n r1 link set eth0 up
ip -n r1 addr add 198.51.100.1/24 dev eth1; ip -n r1 link set eth1 up
ip -n r2 addr add 198.51.100.2/24 dev eth0; ip -n r2 link set eth0 up
ip -n r2 addr add 203.0.113.1/24 dev eth1; ip -n r2 link set eth1 up
ip -n s addr add 203.0.113.2/24 dev veth0; ip -n s link set veth0 up
ip -n c route add default via 192.168.1.1
ip -n r1 route add default via 198.51.100.2
ip -n s route add default via 203.0.113.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r1 iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE
echo "--- traceroute (UDP)"
ip netns exec c traceroute -n -q 1 -w 1 203.0.113.2
ip netns exec r1 conntrack -F 2>/dev/null
echo "--- traceroute -I"
ip netns exec c traceroute -n -I -q 1 -w 1 203.0.113.2
ip netns exec r1 conntrack -F 2>/dev/null
echo "--- ping -t 1 and -t 2"
ip netns exec c ping -c 1 -t 1 -W 1 203.0.113.2 | head -2
ip netns exec c ping -c 1 -t 2 -W 1 203.0.113.2 | head -2
echo "--- unreachable"
ip netns exec r2 ip route add unreachable 192.0.2.0/24
ip netns exec c ping -c 1 -W 1 192.0.2.1 | head -2
ip netns exec r1 conntrack -L -p icmp 2>/dev/null | sort
echo "--- port unreachable to a UDP socket"
echo x | ip netns exec c nc -u -w1 -p 40000 203.0.113.2 9; echo "nc: $?"
