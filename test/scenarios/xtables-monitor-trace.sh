# xtables-monitor --trace: what -j TRACE reports, rule by rule, with nf_tables rule handles.
ip netns add a
ip netns add b
ip netns add r
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.1.254/24 dev ra
ip -n b addr add 10.0.2.1/24 dev vb
ip -n r addr add 10.0.2.254/24 dev rb
for n in a b r; do ip -n $n link set lo up; done
ip -n a link set va up
ip -n b link set vb up
ip -n r link set ra up
ip -n r link set rb up
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
# Handles count per table, for chains and rules alike: raw PREROUTING is 1, its rule 2.
ip netns exec r iptables -t raw -A PREROUTING -p icmp -j TRACE
ip netns exec r iptables -t raw -A PREROUTING -p tcp --dport 80 -j TRACE
ip netns exec r iptables -t raw -A OUTPUT -p icmp -j TRACE
ip netns exec r iptables -N FW
ip netns exec r iptables -N DEEP
ip netns exec r iptables -A FORWARD -i ra -j FW
ip netns exec r iptables -A FW -p udp -j DROP
ip netns exec r iptables -A FW -p tcp --dport 81 -j REJECT
ip netns exec r iptables -A FW -p tcp -g DEEP
ip netns exec r iptables -A FW -p icmp -j MARK --set-mark 0x2a
ip netns exec r iptables -A FW -p icmp -j ACCEPT
ip netns exec r iptables -A DEEP -p tcp --dport 80 -j RETURN
ip netns exec r iptables -A DEEP -j ACCEPT
ip netns exec r iptables -P FORWARD DROP
ip netns exec r iptables -A FORWARD -i rb -j ACCEPT
ip netns exec r iptables -R FW 1 -p udp -j DROP
ip netns exec r iptables -t mangle -A POSTROUTING -p icmp
ip netns exec r iptables -A INPUT -p icmp
ip netns exec r xtables-monitor --trace > /tmp/netnest-xm-r.out 2>&1 &
M1=$!
ip netns exec a xtables-monitor -t -4 > /tmp/netnest-xm-a.out 2>&1 &
M2=$!
ip netns exec a iptables -t raw -A OUTPUT -p tcp -j TRACE
sleep 0.5
ip netns exec a ping -c1 -W1 10.0.2.1 > /dev/null; echo "ping $?"
ip netns exec a nc -w1 -z -p 40000 10.0.2.1 80; echo "nc $?"
ip netns exec a ping -c1 -W1 10.0.1.254 > /dev/null; echo "ping $?"
ip netns exec r ping -c1 -W1 127.0.0.1 > /dev/null; echo "ping $?"
sleep 0.5
kill $M1 $M2
wait $M1; echo "monitor $?"
wait $M2; echo "monitor $?"
echo "== r"
cat /tmp/netnest-xm-r.out
echo "== a"
cat /tmp/netnest-xm-a.out
rm -f /tmp/netnest-xm-r.out /tmp/netnest-xm-a.out
