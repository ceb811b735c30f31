# tcpdump on the far end of a port of a bridge running STP: the configuration BPDU (802.3 with an
# LLC header, shown only with -e, whose length is the length field), and -v's timers and root.
ip netns add h; ip netns add a
ip -n h link add br0 mtu 1000 type bridge stp_state 1
ip -n h link add pa mtu 1000 type veth peer va mtu 1000 netns a
ip -n h link set pa master br0
ip -n h link set br0 up; ip -n h link set pa up; ip -n a link set va up
ip netns exec a tcpdump -n -c 1 -i va > /tmp/tcpdump-stp.1 2> /dev/null & P1=$!
ip netns exec a tcpdump -n -e -v -c 1 -i va > /tmp/tcpdump-stp.2 2> /dev/null & P2=$!
wait $P1; echo "status $?"; wait $P2; echo "status $?"
cat /tmp/tcpdump-stp.1 /tmp/tcpdump-stp.2
