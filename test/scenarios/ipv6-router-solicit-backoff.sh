# Router solicitations never stop while no router answers (router_solicitations -1): after the
# first, once the link-local address is valid, the next comes rtr_solicit_interval (4 s, +-10 %)
# later and each interval after doubles (x1.9 to x2.1) up to rtr_solicit_max_interval (1 h).
# Within 40 s of the links coming up each end sends four (the fourth 26 to 35 s after up), so a
# capture on one end sees eight; the ends' packet counters show them beside the MLD reports and
# the DAD solicitation.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a link set va up
ip -n b link set vb up
ip netns exec b timeout 40 tcpdump -i vb -n -l 'icmp6 and ip6[40] == 133' 2>/dev/null | grep -c 'router solicitation'
echo "tcpdump status ${PIPESTATUS[0]}"
ip -n a -s link show va
ip -n b -s link show vb
