# nf_tables handles through iptables-restore (a batch numbered in the order of its lines, the table
# made anew without --noflush) and a looped-back packet that keeps nf_trace (no skb_scrub_packet).
ip link set lo up
iptables -t raw -A OUTPUT -p icmp --icmp-type echo-request -j TRACE
xtables-monitor --trace > /tmp/netnest-xm6.out 2>&1 &
M=$!
sleep 0.3
printf '*filter\n:Z - [0:0]\n:OUTPUT ACCEPT [0:0]\n-A Z -p icmp\n-A OUTPUT -p icmp -j Z\n-A Z -p icmp\n-A OUTPUT -p icmp\nCOMMIT\n' | iptables-restore
ping -c1 -W1 127.0.0.1 >/dev/null; sleep 0.3
iptables -S
printf '*filter\n:INPUT DROP [0:0]\n-A OUTPUT -p icmp\nCOMMIT\n' | iptables-restore
ping -c1 -W1 127.0.0.1 >/dev/null; sleep 0.3
iptables -S
iptables -A FORWARD -j ACCEPT; iptables -N A1; iptables -I OUTPUT -p icmp
ping -c1 -W1 127.0.0.1 >/dev/null; sleep 0.3
kill $M; wait $M
grep -v PACKET /tmp/netnest-xm6.out
rm -f /tmp/netnest-xm6.out
