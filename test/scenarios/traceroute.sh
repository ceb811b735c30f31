# traceroute 2.1.2 through a router: UDP and ICMP probes, options, annotations, rate limits, errors.
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
for l in "h1 h1r" "r rh1" "r rh2" "h2 h2r" "h1 lo"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip netns exec r sysctl -q -w net.ipv4.ip_forward=1
ip netns exec h1 traceroute -n 10.0.2.2; echo "rc=$?"
sleep 7
ip netns exec h1 traceroute -n -I 10.0.2.2; echo "rc=$?"
sleep 7
ip netns exec h1 traceroute -n -q 1 -m 5 -w 1 10.0.3.9; echo "rc=$?"
sleep 7
ip netns exec h1 traceroute -n -f 2 -p 40000 -q 2 10.0.2.2 100; echo "rc=$?"
ip netns exec h1 traceroute -n -q 1 -m 2 127.0.0.1; echo "rc=$?"
ip netns exec h1 traceroute -q 1 -m 1 localhost; echo "rc=$?"
sleep 7
ip -n r route add unreachable 10.9.0.0/16
ip netns exec h1 traceroute -n -w 1 -m 3 10.9.0.1; echo "rc=$?"
ip netns exec h1 traceroute -n 10.1.1.1 -m 2 -w 1 -q 1 2>&1; echo "rc=$?"
ip netns exec h1 ip route del default
ip netns exec h1 traceroute -n 10.0.2.2; echo "rc=$?"
ip netns exec h1 traceroute -n -I 10.0.2.2; echo "rc=$?"
traceroute; echo "rc=$?"
traceroute -n foo.invalid; echo "rc=$?"
traceroute -Y 1.2.3.4; echo "rc=$?"
traceroute -m; echo "rc=$?"
traceroute -m 0 127.0.0.1; echo "rc=$?"
traceroute -m 300 127.0.0.1; echo "rc=$?"
traceroute -q 11 127.0.0.1; echo "rc=$?"
traceroute -m abc 127.0.0.1; echo "rc=$?"
traceroute 127.0.0.1 70000; echo "rc=$?"
traceroute 1.2.3.4 5 6; echo "rc=$?"
