#!/usr/bin/env bash
# arping sends through a packet socket, past NF_ARP_OUT (the sender's OUTPUT counts nothing), while
# the requests and replies it draws pass arp_rcv's NF_ARP_IN and arp_xmit's NF_ARP_OUT on each side.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
for n in a b; do ip netns exec $n arptables -P INPUT ACCEPT; ip netns exec $n arptables -P OUTPUT ACCEPT; done
ip netns exec a arping -c 2 -w 3 -I va 10.0.0.2 | grep -c Unicast
ip netns exec b arptables -A INPUT --opcode Request -s 10.0.0.1 -j DROP
ip netns exec a arping -c 1 -w 2 -I va 10.0.0.2 | tail -1
for n in a b; do ip netns exec $n arptables -L -v; done
ip -n a neigh; ip -n b neigh
