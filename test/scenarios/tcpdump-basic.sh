# tcpdump -n on one veth end, started in the background and ended by kill (SIGTERM): ARP, ping's
# echoes, a TCP conversation (relative sequence numbers after the handshake, the options), the
# end counters, the blank line a signal leaves on stdout, promiscuous mode while capturing
# (promiscuity 1, not the PROMISC flag; the kernel log's entered/left lines), and -c ending it.
ip netns add a; ip netns add b
ip -n a link add tdv0 mtu 1000 type veth peer tdv1 mtu 1000 netns b
ip -n a addr add 10.0.0.1/24 dev tdv0; ip -n b addr add 10.0.0.2/24 dev tdv1
ip -n a link set tdv0 up; ip -n b link set tdv1 up
sleep 1
ip netns exec a tcpdump -n -i tdv0 > /tmp/tcpdump-basic.out 2> /tmp/tcpdump-basic.err & P=$!
ip netns exec b tcpdump -n -c 2 -i tdv1 icmp > /tmp/tcpdump-basic.c3 2> /tmp/tcpdump-basic.c3err & Q=$!
sleep 1
ip -n a link show tdv0 | head -1 | sed 's/^[0-9]*: //'
ip -n a -d link show tdv0 | grep -o 'promiscuity [0-9]*'
ip netns exec a ping -c 2 -i 0.5 10.0.0.2 > /dev/null
ip netns exec b nc -l -p 5000 > /dev/null & S=$!
sleep 0.5
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/5000; echo hello >&3; sleep 0.5; exec 3>&-'
wait $S
sleep 1
kill $P; wait $P; echo "tcpdump: $?"
wait $Q; echo "tcpdump -c 2: $?"
# The client's port is an ephemeral one.
echo "== stdout"; sed -E 's/10\.0\.0\.1\.[0-9]+/10.0.0.1.PORT/' /tmp/tcpdump-basic.out
echo "== stderr"; cat /tmp/tcpdump-basic.err
# How many frames the kernel queued before -c's count ended the capture depends on when
# tcpdump ran: "received by filter" is left out.
echo "== -c 2 icmp"; cat /tmp/tcpdump-basic.c3; grep -v 'received by filter' /tmp/tcpdump-basic.c3err
ip -n a -d link show tdv0 | grep -o 'promiscuity [0-9]*'
dmesg | grep -E 'tdv[01]: (entered|left) promiscuous mode' | tail -n 4 | sed 's/^\[[ 0-9.]*\] //' | sort
