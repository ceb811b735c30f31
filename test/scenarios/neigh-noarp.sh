# Every next hop gets a neighbour entry, even where nothing is resolved (arp_constructor's
# NUD_NOARP): the loopback device's (one, keyed 0.0.0.0), a broadcast address's, a multicast
# group's (its Ethernet group address), and any on an arp-off device (its own address). Turning arp
# back on, or a new hardware address, flushes the device's entries (neigh_changeaddr).
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up
ip -n a route add 224.0.0.0/4 dev va
ip netns exec a ping -c 1 -W 1 -q 127.0.0.1 > /dev/null; echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -q 10.0.0.1 > /dev/null; echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -q -b 10.0.0.255 > /dev/null 2>&1; echo "rc=$?"
ip netns exec b sysctl -qw net.ipv4.icmp_echo_ignore_all=1
ip netns exec a ping -c 1 -W 1 -q 224.0.0.1 > /dev/null 2>&1; echo "rc=$?"
ip netns exec b sysctl -qw net.ipv4.icmp_echo_ignore_all=0
ip -4 -n a neigh show nud all | sort
ip -4 -n a neigh show | wc -l
ip -4 -n a ntable show dev lo | grep refcnt | sed 's/reachable [0-9]* //'
ip -4 -n a ntable show dev va | grep refcnt | sed 's/reachable [0-9]* //'
ip -n a link set va arp off
ip netns exec a ping -c 1 -W 1 -q 10.0.0.2 | grep transmitted
ip -4 -n a neigh show nud all | sort | sed "s/$(ip -n a -br link show va | awk '{print $3}')/OWN/"
ip -n a link set va arp on
ip -4 -n a neigh show nud all dev va
ip netns exec a ping -c 1 -W 1 -q 10.0.0.2 | grep transmitted
ip -4 -n a neigh show dev va
ip -n a link set va address 02:00:00:00:00:aa
ip -4 -n a neigh show nud all dev va
