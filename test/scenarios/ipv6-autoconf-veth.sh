# IPv6 autoconfiguration on a veth pair (addrconf, ndisc, mcast): a device comes up with carrier
# and a link-local address, tentative while duplicate address detection runs; meanwhile the
# kernel sends by itself MLDv2 reports (from :: while tentative, then from the link-local
# address), one neighbour solicitation, and router solicitations (one when the address becomes
# valid, the next about 4 s later, the third more than 11 s after up). Nine seconds after up
# every side has sent and received the same seven packets on every run. A device below
# IPV6_MIN_MTU (1280) gets no IPv6 at all, so it sends nothing by itself. The routes addrconf
# adds: fe80::/64 with the address, ff00::/8 when the link is ready, a local route per valid
# address (none while tentative).
ip netns add a; ip netns add b
ip link add veth0 netns a type veth peer name veth0 netns b
ip -n a link set lo up
ip -n a link set veth0 up
echo "--- a up, b down: no carrier, no address"
ip -n a addr show dev veth0
ip -n b link set veth0 up
echo "--- b up: tentative"
ip -n b addr show dev veth0 | grep inet6
ip -n b -6 route show table all
ip -n a link add v1 mtu 1000 type veth peer name v2 mtu 1000
ip -n a link set v1 up; ip -n a link set v2 up
sleep 9
echo "--- 9 s later"
ip -n a addr show
ip -n a -s link show veth0
ip -n b -s link show veth0
ip -n a -s link show v1
ip netns exec b cat /proc/net/dev | grep veth0
ip -n a -6 route show table all
ip -n a -6 route
ip -n a route show table all
ip -n a -6 route show table local
