# tcpdump -w writes a pcap file (the banner then says "tcpdump: listening on"), -r reads it back:
# its own banner, filters over the saved frames (host, port, arp, not, parentheses, a relation
# on tcp[tcpflags]), -e, -q, -x and -X dumps, -A, -c, -t; and the errors.
ip netns add a; ip netns add b
ip -n a link add tpv0 mtu 1000 type veth peer tpv1 mtu 1000 netns b
ip -n a addr add 10.0.0.1/24 dev tpv0; ip -n b addr add 10.0.0.2/24 dev tpv1
ip -n a link set tpv0 up; ip -n b link set tpv1 up
sleep 1
# The server's side of the close is left out: whether it acknowledges the FIN on its own before it
# closes (a delayed ACK against nc waking up) is a race on a loaded machine.
ip netns exec a tcpdump -n -i tpv0 -w /tmp/tcpdump-pcap.pcap 'not tcp or src host 10.0.0.1 or tcp[tcpflags] & tcp-syn != 0' 2> /tmp/tcpdump-pcap.err & P=$!
sleep 1
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
ip netns exec b nc -l -p 5000 > /dev/null & S=$!
sleep 0.5
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/5000; echo hello >&3; sleep 0.5; exec 3>&-'
wait $S
sleep 1
kill $P; wait $P; echo "tcpdump -w: $?"
cat /tmp/tcpdump-pcap.err
f=/tmp/tcpdump-pcap.pcap
wc -c < $f
echo "== -r"; tcpdump -n -r $f | sed -E 's/10\.0\.0\.1\.[0-9]+/10.0.0.1.PORT/'
echo "== -t -r arp"; tcpdump -t -n -r $f arp
echo "== -e -c 2"; tcpdump -t -n -e -c 2 -r $f
echo "== -q not arp and not tcp"; tcpdump -t -q -n -r $f 'not arp and not tcp'; echo "status $?"
# The dumps start at the network header; an ARP request's second line holds no random bytes.
echo "== -x arp"; tcpdump -t -n -x -r $f 'arp[6:2] = 1' | grep -v 0x0000
echo "== -X arp"; tcpdump -t -n -X -r $f 'arp and ether dst ff:ff:ff:ff:ff:ff' | grep -v 0x0000
echo "== -X syn"; tcpdump -t -n -X -r $f 'tcp[tcpflags] & tcp-syn != 0 and (dst host 10.0.0.2 or dst port 5000)' | grep -c 0x00
echo "== -A push"; tcpdump -t -n -A -r $f 'tcp[13] & 8 != 0' | grep -o hello
echo "== errors"
tcpdump -n -r $f 'port 5000 and'; echo "status $?"
tcpdump -n -r $f 'port foo'; echo "status $?"
tcpdump -n -r $f 'host 1.2.3.400'; echo "status $?"
tcpdump -n -r /tmp/tcpdump-pcap.none; echo "status $?"
ip netns exec a tcpdump -n -i nope; echo "status $?"
ip netns exec a tcpdump -Q bogus; echo "status $?"
ip netns exec a tcpdump -c x; echo "status $?"
