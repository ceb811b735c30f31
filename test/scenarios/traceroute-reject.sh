# traceroute through two routers, then with the far router rejecting the probes (icmp-host-prohibited):
# ICMP rate limits per peer decide which hops answer; check_expired moves a later final reply into an
# expired probe and keeps that one from being resent (it hung here: its send time was not in the past).
for n in a r1 r2 b; do ip netns add $n; done
ip -n a link add e0 mtu 1000 type veth peer name w0 mtu 1000 netns r1
ip -n r1 link add w1 mtu 1000 type veth peer name w0 mtu 1000 netns r2
ip -n r2 link add w1 mtu 1000 type veth peer name e0 mtu 1000 netns b
ip -n a addr add 10.0.1.1/24 dev e0; ip -n r1 addr add 10.0.1.254/24 dev w0
ip -n r1 addr add 10.0.2.1/24 dev w1; ip -n r2 addr add 10.0.2.2/24 dev w0
ip -n r2 addr add 10.0.3.254/24 dev w1; ip -n b addr add 10.0.3.1/24 dev e0
for n in a r1 r2 b; do for d in $(ip -n $n -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v lo); do ip -n $n link set $d up; done; ip -n $n link set lo up; done
ip -n a route add default via 10.0.1.254
ip -n r1 route add 10.0.3.0/24 via 10.0.2.2
ip -n r2 route add 10.0.1.0/24 via 10.0.2.1
ip -n b route add default via 10.0.3.254
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1; ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec a traceroute -n 10.0.3.1
ip netns exec a traceroute -n -I -q 1 10.0.3.1
ip netns exec a traceroute -n -m 2 -q 1 10.0.3.1
ip netns exec a traceroute -n -q 1 -w 1 10.0.9.9 2>&1 | head -4
ip netns exec r2 iptables -A FORWARD -p udp -j REJECT --reject-with icmp-host-prohibited
ip netns exec a traceroute -n -q 1 10.0.3.1
ip netns exec a traceroute -n -q 1 -N 1 -z 0.1 10.0.3.1
for n in a r1 r2 b; do ip netns del $n; done
