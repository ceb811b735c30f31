#!/usr/bin/env bash
# ping -b: without it a broadcast destination is refused (EACCES from connect); with it ping warns
# and sends. Hosts ignore echoes to broadcast by default (icmp_echo_ignore_broadcasts=1), which
# counts as IcmpInErrors; with 0 they answer from their own address.
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add h3
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
for n in h1 h2 h3; do
  ip link add v$n netns sw mtu 1000 type veth peer name eth0 netns $n mtu 1000
  ip -n sw link set v$n master br0
  ip -n sw link set v$n up
  ip -n $n link set eth0 up
done
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip netns exec h1 ping -c 1 -W 1 10.0.0.255; echo "rc=$?"
ip netns exec h1 ping -b -c 2 -i 0.3 -W 1 10.0.0.255; echo "rc=$?"
ip netns exec h2 sysctl net.ipv4.icmp_echo_ignore_broadcasts
ip netns exec h2 nstat -az | grep -E '^(IcmpIn(Msgs|Errors|Echos)|IcmpOutEchoReps|IcmpMsgInType8|IpExtInBcastPkts) '
ip netns exec h2 sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec h1 ping -b -c 2 -i 0.3 -W 1 10.0.0.255; echo "rc=$?"
ip netns exec h2 nstat -az | grep -E '^(IcmpIn(Msgs|Errors|Echos)|IcmpOutEchoReps|IcmpMsgInType8|IpExtInBcastPkts) '
ip netns exec h1 ping -b -c 1 -W 1 255.255.255.255; echo "rc=$?"
ip netns exec h1 ping -b -c 1 -W 1 -I eth0 255.255.255.255; echo "rc=$?"
ip netns exec h1 ping -b -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip -n h2 neigh
