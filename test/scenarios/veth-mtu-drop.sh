# A veth peer drops a frame longer than its MTU plus an Ethernet and a VLAN header
# (is_skb_forwardable): the sender's sendmsg gets ENOBUFS once the neighbour is known, ping backs
# off half an interval and retries within its linger time, and the drops show as the sender's
# tx_dropped and the peer's rx_dropped.
ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip -n a link set v0 mtu 9000
ip netns exec a ping -c1 -W1 -s 1472 10.0.0.2 | tail -2 | head -1
ip netns exec a ping -c1 -W1 -s 1476 10.0.0.2 | tail -2 | head -1
ip netns exec a ping -c1 -W1 -s 1477 10.0.0.2 | tail -2 | head -1
ip netns exec a ping -c1 -W2 -i 0.4 -s 3000 10.0.0.2 | tail -2 | head -1
ip -n a -s link show v0 | awk 'NR == 6 { print "v0 tx dropped", $4 }'
ip -n b -s link show v1 | awk 'NR == 4 { print "v1 rx dropped", $4 }'
echo x | ip netns exec a nc -u -q0 10.0.0.2 9
printf "%03000d" 0 | ip netns exec a nc -u -q0 10.0.0.2 9; echo "nc $?"
ip netns exec a nstat -az UdpSndbufErrors UdpOutDatagrams | tail -2
