# conntrack -D and -F on live flows.
# connection keeps its binding) until conntrack -D deletes the entry; then the next datagram is
# a new connection and takes the new rule; -F does the same for every flow.
T=${TMPDIR:-/tmp}
ip netns add c; ip netns add r; ip netns add a; ip netns add b
ip link add veth0 netns c type veth peer name eth0 netns r
ip netns exec r ip link add br0 type bridge
ip link add veth0 netns a type veth peer name pa netns r
ip link add veth0 netns b type veth peer name pb netns r
ip -n r link set pa master br0; ip -n r link set pb master br0
for d in br0 pa pb eth0 lo; do ip -n r link set $d up; done
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r addr add 10.0.2.1/24 dev br0
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up
ip -n a addr add 10.0.2.10/24 dev veth0; ip -n a link set veth0 up
ip -n b addr add 10.0.2.11/24 dev veth0; ip -n b link set veth0 up
ip -n c route add default via 10.0.1.1
ip -n a route add default via 10.0.2.1
ip -n b route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A PREROUTING -d 10.0.1.1/32 -p udp --dport 53 -j DNAT --to-destination 10.0.2.10
echo "--- a UDP flow, its DNAT rule replaced, then its entry deleted"
ip netns exec a nc -u -l -p 53 > $T/ctd-a.out &
A=$!
ip netns exec b nc -u -l -p 53 > $T/ctd-b.out &
B=$!
sleep 0.3
send() { echo $1 | ip netns exec c nc -u -q0 -p 40000 10.0.1.1 53; sleep 0.2; }
send one
ip netns exec r iptables -t nat -R PREROUTING 1 -d 10.0.1.1/32 -p udp --dport 53 -j DNAT --to-destination 10.0.2.11
send two
ip netns exec r conntrack -L -p udp 2>/dev/null
ip netns exec r conntrack -D -p udp --orig-port-dst 53 2>&1 >/dev/null; echo "delete: $?"
ip netns exec r conntrack -L -p udp 2>/dev/null; echo "list: $?"
send three
ip netns exec r conntrack -L -p udp 2>/dev/null
echo "--- conntrack -F, and the rule back"
ip netns exec r iptables -t nat -R PREROUTING 1 -d 10.0.1.1/32 -p udp --dport 53 -j DNAT --to-destination 10.0.2.10
send four
ip netns exec r conntrack -F; echo "flush: $?"
send five
ip netns exec r conntrack -L 2>/dev/null
kill $A $B; wait $A $B 2>/dev/null
echo "a got:"; cat $T/ctd-a.out
echo "b got:"; cat $T/ctd-b.out
echo "--- a UDP flow after conntrack -F behind a stateful firewall: the next datagram is NEW"
ip netns exec r iptables -P FORWARD DROP
ip netns exec r iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec r iptables -A FORWARD -p tcp --syn -m conntrack --ctstate NEW -j ACCEPT
ip netns exec r iptables -A FORWARD -p udp -j ACCEPT
ip netns exec r iptables -A FORWARD -m conntrack --ctstate NEW -j LOG --log-prefix "ctnew: "
ip netns exec r conntrack -F 2>/dev/null
ip netns exec a nc -u -l -p 53 > $T/ctd-a.out &
A=$!
sleep 0.3
send six
ip netns exec r conntrack -F 2>/dev/null
send seven
ip netns exec r conntrack -L 2>/dev/null
kill $A; wait $A 2>/dev/null
echo "a got:"; cat $T/ctd-a.out
ip netns exec r iptables -L FORWARD -n -v -x
rm -f $T/ctd-a.out $T/ctd-b.out
