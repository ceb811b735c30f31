# traceroute -T (TCP SYN probes from a raw IPPROTO_TCP socket, each probe's source port held by a
# bound TCP socket): a listening port answers SYN+ACK (the port-holding socket neither listens nor
# connects, so the kernel answers that with a RST), a closed one RST, routers time exceeded; a
# filtered port times out. -O info prints the final reply's flags, -O options shape the SYN.
ip netns add a; ip netns add b; ip netns add r
ip -n a link add va type veth peer vr netns r
ip -n b link add vb type veth peer vs netns r
ip -n a addr add 10.0.0.1/24 dev va; ip -n r addr add 10.0.0.2/24 dev vr
ip -n b addr add 10.0.1.1/24 dev vb; ip -n r addr add 10.0.1.2/24 dev vs
for n in a b r; do ip -n $n link set lo up; done
ip -n a link set va up; ip -n r link set vr up; ip -n b link set vb up; ip -n r link set vs up
ip -n a route add default via 10.0.0.2; ip -n b route add default via 10.0.1.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec b iptables -A INPUT -p tcp --dport 81 -j DROP
ip netns exec b nc -l -k 80 > /dev/null & NC=$!
sleep 1
ip netns exec a traceroute -T -n 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -n -p 22 -O info 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -n -O info -q 1 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -n -p 81 -m 3 -q 1 -w 1 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -n -M tcp -O flags=0x12,info -q 1 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -n -O ti,win -q 1 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -n -O mss=1000,sack -q 1 10.0.0.2 100; echo "rc $?"
ip netns exec a traceroute -T -O foo 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -O mss 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -O mss=x 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -O info,bar 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -T -O help 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -M foo 10.0.1.1; echo "rc $?"
ip netns exec a traceroute -M; echo "rc $?"
ip netns exec a nstat -az TcpOutRsts TcpActiveOpens TcpAttemptFails | tail -n +2
ip netns exec b nstat -az TcpPassiveOpens TcpOutRsts | tail -n +2
kill $NC; wait $NC 2>/dev/null
ip netns exec a ss -tan
