# REDIRECT on OUTPUT (a local program's connection to a remote port lands on a local listener,
# through 127.0.0.1) and on PREROUTING (a transparent proxy on a router: the client's connection
# to a far server lands on the router's own port, at the input device's address).
T=${TMPDIR:-/tmp}
ip netns add c; ip netns add r; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r
ip link add veth0 netns s type veth peer name eth1 netns r
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up; ip -n c link set lo up
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r link set eth0 up
ip -n r addr add 10.0.2.1/24 dev eth1; ip -n r link set eth1 up; ip -n r link set lo up
ip -n s addr add 10.0.2.2/24 dev veth0; ip -n s link set veth0 up; ip -n s link set lo up
ip -n c route add default via 10.0.1.1
ip -n s route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
echo "--- OUTPUT"
ip netns exec c iptables -t nat -A OUTPUT -d 10.0.2.2/32 -p tcp --dport 80 -j REDIRECT --to-ports 8080
ip netns exec c iptables -t nat -S OUTPUT
ip netns exec c nc -lvn -p 8080 > $T/redir.out 2> $T/redir.err &
S=$!
sleep 0.3
echo local | ip netns exec c nc -q1 -p 40000 10.0.2.2 80; echo "client: $?"
wait $S
cat $T/redir.out $T/redir.err
sleep 0.2
ip netns exec c conntrack -L 2>/dev/null
ip netns exec c iptables -t nat -L OUTPUT -n -v -x
echo "--- PREROUTING"
ip netns exec r iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j REDIRECT --to-ports 3128
ip netns exec r iptables -t nat -S PREROUTING
ip netns exec r nc -lvn -p 3128 > $T/redir.out 2> $T/redir.err &
S=$!
sleep 0.3
echo proxied | ip netns exec c nc -q1 -p 40001 10.0.2.9 80; echo "client: $?"
wait $S
cat $T/redir.out $T/redir.err
sleep 0.2
ip netns exec r conntrack -L 2>/dev/null
echo "--- a port with no listener"
ip netns exec c nc -vn -w1 -p 40002 10.0.2.9 80 < /dev/null; echo "client: $?"
echo "--- UDP"
ip netns exec r iptables -t nat -A PREROUTING -i eth0 -p udp --dport 53 -j REDIRECT --to-ports 5353
ip netns exec r nc -u -l -p 5353 > $T/redir.out &
S=$!
sleep 0.3
echo query | ip netns exec c timeout 1 nc -u -p 40003 -w1 10.0.2.2 53
kill $S; wait $S 2>/dev/null
cat $T/redir.out
ip netns exec r conntrack -L -p udp 2>/dev/null
ip netns exec r iptables -t nat -L PREROUTING -n -v -x
rm -f $T/redir.out $T/redir.err
