# tcpdump on a bridge, its ports and -i any: a frame for the bridge itself is seen on the port, then
# on br0 (br_pass_frame_up's netif_receive_skb); a broadcast floods before it goes up; a frame the
# bridge forwards between its ports also goes up to br0, as P, because the capture made br0
# promiscuous; -e shows the MACs as they are on each wire. (br0 gets an address of its own: else
# it takes the lowest port address, and which port that is decides between In and P.)
ip netns add a; ip netns add b; ip netns add h
ip -n h link add br0 mtu 1000 type bridge
ip -n h link add pa mtu 1000 type veth peer va mtu 1000 netns a
ip -n h link add pb mtu 1000 type veth peer vb mtu 1000 netns b
ip -n h link set pa master br0; ip -n h link set pb master br0
ip -n h link set br0 address 02:00:00:00:00:fe
ip -n h addr add 10.0.0.254/24 dev br0
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n h link set br0 up; ip -n h link set pa up; ip -n h link set pb up
ip -n a link set va up; ip -n b link set vb up
sleep 2
ip netns exec h tcpdump -n -i br0 'arp or icmp' > /tmp/tcpdump-bridge.1 2> /dev/null & P1=$!
ip netns exec h tcpdump -n -i any 'arp or icmp' > /tmp/tcpdump-bridge.2 2> /dev/null & P2=$!
ip netns exec h tcpdump -n -e -i pb 'arp or icmp' > /tmp/tcpdump-bridge.3 2> /dev/null & P3=$!
sleep 1
ip netns exec a ping -c 1 10.0.0.254 > /dev/null
sleep 0.5
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1
kill $P1 $P2 $P3; wait $P1 $P2 $P3
echo "== -i br0"; cat /tmp/tcpdump-bridge.1
echo "== -i any"; cat /tmp/tcpdump-bridge.2
echo "== -e -i pb"; cat /tmp/tcpdump-bridge.3
dmesg | grep -E '(br0|pa|pb): (entered|left) promiscuous mode' | tail -n 4 | sed 's/^\[[ 0-9.]*\] //' | sort
