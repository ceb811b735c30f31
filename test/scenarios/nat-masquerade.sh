# MASQUERADE out of a router namespace: ping, TCP and UDP from a client reach a server that has
# no route back; conntrack -L/-D/-F/-C and /proc/net/nf_conntrack on the router show the flows.
ip netns add c; ip netns add r; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r
ip link add veth0 netns s type veth peer name eth1 netns r
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up; ip -n c link set lo up
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r link set eth0 up
ip -n r addr add 10.0.2.1/24 dev eth1; ip -n r link set eth1 up; ip -n r link set lo up
ip -n s addr add 10.0.2.2/24 dev veth0; ip -n s link set veth0 up; ip -n s link set lo up
ip -n c route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r conntrack -L; echo "list: $?"
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE
ip netns exec r iptables -t nat -S
ip netns exec c ping -c1 -W1 10.0.2.2 | grep -c "bytes from"
ip netns exec r conntrack -L -p icmp
ip netns exec r cat /proc/net/nf_conntrack
ip netns exec s nc -lvn -p 5000 > /tmp/ct-srv.out 2> /tmp/ct-srv.err &
S=$!
sleep 0.3
echo hello | ip netns exec c nc -q1 -p 40000 10.0.2.2 5000; echo "client: $?"
wait $S
cat /tmp/ct-srv.out /tmp/ct-srv.err
sleep 0.2
ip netns exec r conntrack -L -p tcp
ip netns exec r conntrack -L -p tcp -o extended
ip netns exec r conntrack -L -p tcp --dport 5000
ip netns exec r conntrack -L -p tcp --dport 5001
ip netns exec r conntrack -L -g
ip netns exec r conntrack -L -n -p tcp
ip netns exec r conntrack -L -s 10.0.1.2 -p tcp --state TIME_WAIT
ip netns exec r conntrack -L -r 10.0.2.2 -q 10.0.2.1 -p tcp
ip netns exec s nc -u -l -p 6000 > /dev/null &
sleep 0.3
echo hi | ip netns exec c timeout 1 nc -u -p 40001 -w1 10.0.2.2 6000; echo "udp client: $?"
sleep 0.2
ip netns exec r conntrack -L -p udp
ip netns exec r conntrack -C
ip netns exec r sysctl net.netfilter.nf_conntrack_count
ip netns exec r conntrack -D -p udp; echo "delete: $?"
ip netns exec r conntrack -D -p udp; echo "delete: $?"
ip netns exec r conntrack -C
ip netns exec r conntrack -F; echo "flush: $?"
ip netns exec r conntrack -L; echo "list: $?"
ip netns exec r conntrack -L -p foo; echo "bad: $?"
ip netns exec r conntrack -L --dport 5; echo "bad: $?"
ip netns exec r conntrack -L -s foo; echo "bad: $?"
kill %1 2>/dev/null
