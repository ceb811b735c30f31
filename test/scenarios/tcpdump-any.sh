# tcpdump through a router: -i any's cooked v2 header (interface, In/Out, and with -e its ifindex,
# address and ethertype), -e -v's link-level and IPv4 header details (tos, ttl, id, offset, flags,
# proto, length) with ICMP errors quoting their datagram, -q, -Q in, -p (no promiscuous mode),
# -tt/-ttt/-tttt time stamps, -D's list, and a filter the kernel applies before counting.
ip netns add a; ip netns add b; ip netns add r
ip -n a link add tav0 mtu 1000 type veth peer tav1 mtu 1000 netns r
ip -n b link add taw0 mtu 1000 type veth peer taw1 mtu 1000 netns r
ip -n a addr add 10.0.0.1/24 dev tav0; ip -n r addr add 10.0.0.2/24 dev tav1
ip -n b addr add 10.0.1.1/24 dev taw0; ip -n r addr add 10.0.1.2/24 dev taw1
for n in a b r; do ip -n $n link set lo up; done
ip -n a link set tav0 up; ip -n r link set tav1 up; ip -n b link set taw0 up; ip -n r link set taw1 up
ip -n a route add default via 10.0.0.2; ip -n b route add default via 10.0.1.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
sleep 1
ip netns exec r tcpdump -D | grep -v -E 'bluetooth|nflog|nfqueue|dbus'
ip netns exec a tcpdump -n -e -v -i tav0 'icmp or udp' > /tmp/tcpdump-any.1 2> /tmp/tcpdump-any.1e & P1=$!
ip netns exec r tcpdump -nn -i any icmp > /tmp/tcpdump-any.2 2> /tmp/tcpdump-any.2e & P2=$!
ip netns exec r tcpdump -n -e -tttt -i any 'arp or host 10.0.1.1 and udp' > /tmp/tcpdump-any.3 2> /tmp/tcpdump-any.3e & P3=$!
ip netns exec r tcpdump -n -q -ttt -Q in -p -i taw1 > /tmp/tcpdump-any.4 2> /tmp/tcpdump-any.4e & P4=$!
ip netns exec b tcpdump -n -tt -i taw0 -c 1 icmp > /tmp/tcpdump-any.5 2> /tmp/tcpdump-any.5e & P5=$!
sleep 1
ip -n r -d link show taw1 | grep -o 'promiscuity [0-9]*'
ip netns exec a ping -c 1 10.0.1.1 > /dev/null
ip netns exec a ping -c 1 -t 1 10.0.1.1 > /dev/null
ip netns exec a bash -c 'echo hi > /dev/udp/10.0.1.1/7777'
sleep 1
kill $P1 $P2 $P3 $P4
for p in $P1 $P2 $P3 $P4 $P5; do wait $p; echo "status $?"; done
for i in 1 2 3 4 5; do
  echo "== $i"
  sed -E 's/10\.0\.0\.1\.[0-9]+ >/10.0.0.1.PORT >/' /tmp/tcpdump-any.$i
  grep -v 'received by filter' /tmp/tcpdump-any.${i}e
done
