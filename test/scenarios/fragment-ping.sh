#!/usr/bin/env bash
# IPv4 fragmentation and reassembly: ping larger than the MTU across a veth pair (fragmented by
# the sender, reassembled by the receiver), ping -M do refused locally, ping -M dont through a
# router whose second hop has a 1400-byte MTU, and the Frag/Reasm counters on every side.
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a
ip link set ra netns r
ip link set vb netns b
ip link set rb netns r
ip -n a addr add 10.0.0.1/24 dev va
ip -n r addr add 10.0.0.2/24 dev ra
ip -n r addr add 10.0.1.1/24 dev rb
ip -n b addr add 10.0.1.2/24 dev vb
ip -n r link set rb mtu 1400
ip -n b link set vb mtu 1400
for n in a r b; do ip -n $n link set lo up; done
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add default via 10.0.0.2
ip -n b route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a ping -c 2 -i 0.2 -s 3000 10.0.0.2; echo "rc=$?"
ip netns exec a ping -c 2 -i 0.2 -M do -s 2000 10.0.0.2; echo "rc=$?"
ip netns exec a ping -c 2 -i 0.2 -M dont -s 3000 10.0.1.2; echo "rc=$?"
ip netns exec a ping -c 1 -M want -s 1400 10.0.1.2; echo "rc=$?"
ip netns exec a ping -c 1 -M xyz 10.0.1.2; echo "rc=$?"
for n in a r b; do
  echo "== $n"
  ip netns exec $n grep -E '^Ip:' /proc/net/snmp
done
ip netns exec a sysctl net.ipv4.ipfrag_time net.ipv4.ipfrag_high_thresh net.ipv4.ipfrag_low_thresh net.ipv4.ipfrag_max_dist
