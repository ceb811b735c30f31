# A capture whose device goes down carries on (ENETDOWN from packet_notifier, which libpcap lets
# pass while the device exists) and sees traffic again once it is up; one whose device is deleted,
# or moved to another namespace, ends with "The interface disappeared" and status 1. (Whether the
# moved device's promiscuity is 0 or 1 afterwards varies from run to run on Linux 6.18.)
ip netns add a; ip netns add b
ip -n a link add tgv0 mtu 1000 type veth peer tgv1 mtu 1000
ip -n a link add tgw0 mtu 1000 type veth peer tgw1 mtu 1000
ip -n a addr add 10.0.0.1/24 dev tgv0
for d in tgv0 tgv1 tgw0 tgw1; do ip -n a link set $d up; done
ip netns exec a tcpdump -n -i tgv0 arp > /tmp/tcpdump-ifgone.1 2> /tmp/tcpdump-ifgone.1e & P1=$!
ip netns exec a tcpdump -n -i tgw0 arp > /tmp/tcpdump-ifgone.2 2> /tmp/tcpdump-ifgone.2e & P2=$!
sleep 1
ip -n a link set tgv0 down
sleep 1
ip -n a link set tgv0 up
sleep 1
ip netns exec a arping -c 1 -I tgv0 10.0.0.9 > /dev/null
sleep 1
ip -n a link del tgv1
ip -n a link set tgw0 netns b
wait $P1; echo "status $?"
wait $P2; echo "status $?"
cat /tmp/tcpdump-ifgone.1 /tmp/tcpdump-ifgone.1e /tmp/tcpdump-ifgone.2 /tmp/tcpdump-ifgone.2e
