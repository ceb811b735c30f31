# ping -R and -T: the IP options are filled by every hop (ip_options_compile on input,
# ip_forward_options on the router's way out, ip_options_echo in the reply); -m and -Q reach
# routing rules and iptables; -r keeps to directly connected destinations.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a mtu 1000 type veth peer name ra netns r mtu 1000
ip link add vb netns b mtu 1000 type veth peer name rb netns r mtu 1000
ip -n a addr add 10.1.1.1/24 dev va
ip -n r addr add 10.1.1.2/24 dev ra
ip -n r addr add 10.2.2.1/24 dev rb
ip -n b addr add 10.2.2.9/24 dev vb
for ns in a r b; do ip -n $ns link set lo up; done
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add default via 10.1.1.2
ip -n b route add default via 10.2.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a ping -c 2 -i 0.2 -R 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -R -s 0 10.1.1.2
echo "rc=$?"
ip netns exec a ping -c 1 -R 127.0.0.1
echo "rc=$?"
# Fragments: the first carries the options, the others NOOPs; the reassembled echo keeps them.
ip netns exec a ping -c 2 -i 0.2 -R -s 2000 10.2.2.9
echo "rc=$?"
ip netns exec b nstat -az IpReasmOKs IpFragCreates
# An ICMP error echoes the options too (the router's time exceeded).
ip netns exec a ping -c 1 -W 1 -R -t 1 10.2.2.9
echo "rc=$?"
# A multicast echo: the router answers it once icmp_echo_ignore_broadcasts is off.
ip netns exec a ping -c 1 -W 1 224.0.0.1
echo "rc=$?"
ip netns exec r sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec a ping -c 1 -W 1 -R 224.0.0.1
echo "rc=$?"
# To a group the TTL is IP_MULTICAST_TTL: 1, or what -t sets.
ip netns exec r iptables -A INPUT -d 224.0.0.1 -p icmp -m ttl --ttl-eq 1
ip netns exec r iptables -A INPUT -d 224.0.0.1 -p icmp -m ttl --ttl-eq 3
ip netns exec a ping -c 1 -W 1 224.0.0.1 | grep transmitted
ip netns exec a ping -c 1 -W 1 -t 3 224.0.0.1 | grep transmitted
ip netns exec r iptables -L INPUT -v -n -x
ip netns exec a ping -c 2 -i 0.2 -T tsonly 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -T tsandaddr 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -T tsprespec 10.1.1.2 10.2.2.9 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -T tsprespec 10.1.1.1 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -R 10.2.2.9 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -R -T tsonly 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -T foo 10.2.2.9
echo "rc=$?"
# Hops before the destination make a loose source route (strict with -r): ping no longer holds
# CAP_NET_RAW when it sets the option, and 6.18 wants it for a source route.
ip netns exec a ping -c 1 -W 1 10.1.1.2 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -r 10.1.1.2 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -T tsonly 10.1.1.2 10.2.2.9 2>&1 | head -2
ip netns exec a ping -c 1 -W 1 -T tsprespec 1 2 3 4 5 6 2>&1 | head -2
# Marks: a rule sends mark 7 to an unreachable route; iptables counts mark 9 in OUTPUT.
ip -n a rule add fwmark 7 table 100
ip -n a route add unreachable 10.2.2.9 table 100
ip netns exec a ping -c 1 -W 1 -m 7 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -m 8 10.2.2.9
echo "rc=$?"
ip netns exec a iptables -A OUTPUT -m mark --mark 9 -j DROP
ip netns exec a ping -c 1 -W 1 -m 9 10.2.2.9
echo "rc=$?"
ip netns exec a iptables -L OUTPUT -v -n -x
# TOS: b counts what arrives by its TOS byte.
ip netns exec b iptables -A INPUT -p icmp -m tos --tos 0x10
ip netns exec b iptables -A INPUT -p icmp -m dscp --dscp 0x2e
ip netns exec a ping -c 1 -Q 0x10 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -Q 184 10.2.2.9
echo "rc=$?"
ip netns exec b iptables -L INPUT -v -n -x
ip netns exec a ping -c 1 -Q 300 10.2.2.9
echo "rc=$?"
ip netns exec a ping -c 1 -Q 0x1g 10.2.2.9
echo "rc=$?"
# SO_DONTROUTE: the router's address is on the link, b's is not (the send fails silently).
ip netns exec a ping -c 1 -W 1 -r 10.1.1.2
echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -r 10.2.2.9
echo "rc=$?"
ip netns exec a nstat -az IpOutNoRoutes
