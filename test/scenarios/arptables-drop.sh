#!/usr/bin/env bash
# arptables at work: a DROP on INPUT for one sender leaves its neighbour entry INCOMPLETE and
# then FAILED after three probes (1 s apart), each counted by the rule (28 bytes: the ARP header,
# skb->len at NF_ARP_IN) and by the sender's OUTPUT rule (42 bytes, with the Ethernet header);
# dropping replies on OUTPUT lets the request teach the receiver but not the sender.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a arptables -A OUTPUT --opcode Request -j ACCEPT
ip netns exec b arptables -A INPUT -s 10.0.0.1 -j DROP
ip netns exec b arptables -P OUTPUT ACCEPT
ip netns exec a ping -c1 -W1 10.0.0.2; echo rc=$?
ip -n a neigh
ip -n b neigh
sleep 3
ip -n a neigh
ip netns exec b arptables -L -v
ip netns exec a arptables -L -v -x -n
ip netns exec b arptables -D INPUT 1
ip -n a neigh flush all
ip netns exec a ping -c1 -W1 10.0.0.2 | grep -c 'bytes from'
ip -n a neigh
ip netns exec b arptables -L -v
ip -n a neigh flush all
ip -n b neigh flush all
ip netns exec b arptables -A OUTPUT --opcode Reply -d 10.0.0.1 -j DROP
ip netns exec a ping -c1 -W1 10.0.0.2 >/dev/null; echo rc=$?
sleep 3
ip -n a neigh
ip -n b neigh
ip netns exec b arptables-save -c | grep -v '^#'
ip netns exec a arptables-save -c | grep -v '^#'
