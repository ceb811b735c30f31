#!/usr/bin/env bash
# Route metrics and the PMTU exception cache: `mtu [lock] N` and `advmss N` on configured routes
# (shown by ip route and ip route get, used by output), a frag-needed from a router recorded as
# an exception (fib_nh_exception) that ip route get shows with its expiry counting down in
# virtual time, ping -M do then refused locally, default ping fragmenting at the learned MTU,
# ip route flush cache, min_pmtu clamping (a locked 552), and the route sysctls.
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
ip -n r addr add 10.0.3.1/24 dev rh2
ip -n h2 addr add 10.0.2.2/24 dev h2r
ip -n h2 addr add 10.0.3.2/24 dev h2r
ip -n r link set rh2 mtu 1400
ip -n h2 link set h2r mtu 1400
for n in h1 r h2; do ip -n $n link set lo up; done
ip -n h1 link set h1r up
ip -n r link set rh1 up
ip -n r link set rh2 up
ip -n h2 link set h2r up
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
echo "== route metrics"
ip -n h1 route add 10.0.9.0/24 via 10.0.1.1 mtu 1300
ip -n h1 route add 10.0.8.0/24 via 10.0.1.1 mtu lock 1200 advmss 1000
ip -n h1 route add 10.0.7.0/24 dev h1r mtu 70000
ip -n h1 route add 10.0.6.0/24 dev h1r advmss 0
ip -n h1 route add 10.0.5.0/24 dev h1r mtu xyz; echo "rc=$?"
ip -n h1 route add 10.0.5.0/24 dev h1r advmss lock q; echo "rc=$?"
ip -n h1 route
ip -n h1 -d route show 10.0.8.0/24
ip -j -n h1 route show 10.0.8.0/24
ip -n h1 route get 10.0.9.5
ip -n h1 route get 10.0.8.5
ip netns exec h1 ping -c 1 -M do -s 1300 10.0.9.5; echo "rc=$?"
ip netns exec h1 ping -c 1 -M do -s 1200 10.0.8.5; echo "rc=$?"
# Expiry counts are floors of the seconds left: each reading comes soon after the event, so a
# loaded machine's slower commands stay within the second (and past an expiry by half a second).
echo "== frag needed"
ip netns exec h1 ping -c 1 -M do -s 1450 10.0.2.2; echo "rc=$?"
sleep 0.1
ip -n h1 route get 10.0.2.2
ip -j -n h1 route get 10.0.2.2
sleep 20
ip -n h1 route get 10.0.2.2
ip netns exec h1 ping -c 1 -M do -s 1450 10.0.2.2; echo "rc=$?"
ip netns exec h1 ping -c 1 -s 1450 10.0.2.2; echo "rc=$?"
ip netns exec h1 ping -c 1 -M do -s 1372 10.0.2.2; echo "rc=$?"
ip -n h1 route get 10.0.2.2 | grep -c 'mtu 1400'
ip -n h1 route flush cache; echo "rc=$?"
ip -n h1 route get 10.0.2.2
ip netns exec h1 ping -c 1 -M do -s 1450 10.0.2.2; echo "rc=$?"
ip -n h1 route flush cache
echo "== expiry"
ip netns exec h1 sysctl -w net.ipv4.route.mtu_expires=2
ip netns exec h1 ping -c 1 -M do -s 1450 10.0.2.2 >/dev/null; echo "rc=$?"
sleep 0.1
ip -n h1 route get 10.0.2.2
sleep 2.5
ip -n h1 route get 10.0.2.2
ip netns exec h1 sysctl -qw net.ipv4.route.mtu_expires=600
echo "== min_pmtu"
ip -n r link set rh2 mtu 500
ip -n h2 link set h2r mtu 500
ip netns exec h1 ping -c 1 -M do -s 1000 10.0.3.2; echo "rc=$?"
sleep 0.1
ip -n h1 route get 10.0.3.2
ip netns exec h1 ping -c 1 -M do -s 1000 10.0.3.2; echo "rc=$?"
ip netns exec h1 ping -c 1 -M do -s 524 10.0.3.2; echo "rc=$?"
ip -n h1 route flush cache
echo "== ip_no_pmtu_disc"
ip netns exec h1 sysctl -w net.ipv4.ip_no_pmtu_disc=2
ip netns exec h1 ping -c 1 -W 1 -M do -s 1000 10.0.3.2; echo "rc=$?"
ip -n h1 route get 10.0.3.2
ip netns exec h1 sysctl -w net.ipv4.ip_no_pmtu_disc=1
ip netns exec h1 ping -c 1 -M do -s 1000 10.0.3.2; echo "rc=$?"
sleep 0.1
ip -n h1 route get 10.0.3.2
ip netns exec h1 sysctl net.ipv4.route.min_pmtu net.ipv4.route.mtu_expires net.ipv4.route.min_adv_mss net.ipv4.ip_no_pmtu_disc
ip netns exec h1 sysctl -w net.ipv4.route.min_pmtu=67; echo "rc=$?"
ip netns exec h1 sysctl -w net.ipv4.route.min_pmtu=68
ip netns exec h1 sysctl -w net.ipv4.ip_no_pmtu_disc=256; echo "rc=$?"
ls /proc/sys/net/ipv4/route
