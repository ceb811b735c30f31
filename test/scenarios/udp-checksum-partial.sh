# A local UDP datagram leaves CHECKSUM_PARTIAL (veth offers NETIF_F_HW_CSUM): its checksum field
# holds only the pseudo-header's sum, which tcpdump -vv reports as a bad checksum wherever it taps
# the datagram (the sender's device, a router's), while the receiver takes it unverified. An ICMP
# error quotes the datagram as it is. A connected socket numbers its datagrams from a random
# inet_id; tcpdump -vv checks IPv4 UDP sums only at -vv.
ip netns add a; ip netns add b; ip netns add r
ip -n a link add va type veth peer vr netns r
ip -n b link add vb type veth peer vs netns r
ip -n a addr add 10.0.0.1/24 dev va; ip -n r addr add 10.0.0.2/24 dev vr
ip -n b addr add 10.0.1.1/24 dev vb; ip -n r addr add 10.0.1.2/24 dev vs
for n in a b r; do ip -n $n link set lo up; done
ip -n a link set va up; ip -n r link set vr up; ip -n b link set vb up; ip -n r link set vs up
ip -n a route add default via 10.0.0.2; ip -n b route add default via 10.0.1.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
sleep 1
ip netns exec a tcpdump -nn -vv -i va udp or icmp > /tmp/ucp.1 2> /dev/null & P1=$!
ip netns exec r tcpdump -nn -vv -i vs udp > /tmp/ucp.2 2> /dev/null & P2=$!
ip netns exec a tcpdump -nn -v -i va udp > /tmp/ucp.3 2> /dev/null & P3=$!
ip netns exec b timeout 3 nc -u -l -p 9999 > /tmp/ucp.rx & P4=$!
sleep 1
echo hello | ip netns exec a nc -u -w1 -p 4000 10.0.1.1 9999
ip netns exec a bash -c 'echo hi > /dev/udp/10.0.1.1/9998'
sleep 1
kill $P1 $P2 $P3
wait $P1 $P2 $P3 $P4
echo "received: $(cat /tmp/ucp.rx)"
for i in 1 2 3; do
  echo "== $i"
  sed -E 's/^[0-9:.]+ //; s/10\.0\.0\.1\.[0-9]+ >/10.0.0.1.PORT >/; s/-> 0x[0-9a-f]{4}!/-> SUM!/' /tmp/ucp.$i
done
ip netns exec b nstat -az UdpInCsumErrors UdpInDatagrams | tail -n +2
