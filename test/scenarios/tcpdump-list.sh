# tcpdump -D: pcap_findalldevs' order (up and running first, then "any", loopback, a device up
# without carrier, the other capture modules, devices that are down in ifindex order: a veth's
# peer is registered first), and the device tcpdump takes without -i (the first of that list).
ip netns add a; ip netns add b
ip -n a link add tlv0 mtu 1000 type veth peer tlv1 mtu 1000 netns b
ip -n a link add tld0 type veth peer tld1
ip -n a link add tle0 type veth peer tle1 netns b
ip -n a link set tlv0 up; ip -n b link set tlv1 up; ip -n a link set tle0 up; ip -n a link set lo up
sleep 1
ip netns exec a tcpdump -D
ip -n b addr add 10.9.9.1/24 dev tlv1
ip netns exec a tcpdump -t -c 1 -n arp > /tmp/tcpdump-list.out 2> /tmp/tcpdump-list.err & P=$!
sleep 1
ip netns exec b arping -c 1 -I tlv1 10.9.9.9 > /dev/null
wait $P; echo "status $?"
cat /tmp/tcpdump-list.out /tmp/tcpdump-list.err
