# tcpdump without -n: addresses /etc/hosts names (localhost) and ports /etc/services names
# (domain) print as names, others as numbers (no DNS server is reachable from the namespace);
# filters take host names from /etc/hosts too; a name nobody knows is libpcap's error.
ip netns add a; ip netns add b
ip -n a link set lo up
ip -n a link add tnv0 mtu 1000 type veth peer tnv1 mtu 1000 netns b
ip -n a addr add 10.0.0.1/24 dev tnv0; ip -n b addr add 10.0.0.2/24 dev tnv1
ip -n a link set tnv0 up; ip -n b link set tnv1 up
ip netns exec a tcpdump -t -i lo > /tmp/tcpdump-names.1 2> /dev/null & P1=$!
ip netns exec a tcpdump -t -c 2 -i lo 'host localhost and icmp' > /tmp/tcpdump-names.2 2> /dev/null & P2=$!
ip netns exec a tcpdump -t -i tnv0 icmp > /tmp/tcpdump-names.3 2> /dev/null & P3=$!
sleep 1
ip netns exec a ping -c 1 localhost > /dev/null
ip netns exec a bash -c 'echo x > /dev/udp/127.0.0.1/53' 2> /dev/null
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1
kill $P1 $P3; wait $P1 $P2 $P3
sed -E 's/localhost\.[0-9]{5} /localhost.PORT /' /tmp/tcpdump-names.1
cat /tmp/tcpdump-names.2 /tmp/tcpdump-names.3
ip netns exec a tcpdump -i lo 'host foo'; echo "status $?"
