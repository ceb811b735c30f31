#!/usr/bin/env bash
# The usual overlay: on each of two hosts a bridge joins a vxlan device and a veth into a
# "container" namespace; the containers share one subnet across the hosts' underlay link.
# Learning fills the vxlan FDBs. (The bridges' own IGMP reports for 224.0.0.106, sent at random
# times, would make the vxlan counters racy: they are not shown.)
for n in h1 h2 c1 c2; do ip netns add $n; done
ip -n h1 link add eth0 mtu 1200 type veth peer name eth0 mtu 1200 netns h2
ip -n h1 addr add 192.168.0.1/24 dev eth0
ip -n h2 addr add 192.168.0.2/24 dev eth0
for i in 1 2; do
  h=h$i
  ip -n $h link set eth0 up
  ip -n $h link add br0 mtu 1100 type bridge
  ip -n $h link add vx0 mtu 1100 type vxlan id 100 dstport 4789 local 192.168.0.$i dev eth0
  ip -n $h link add veth-c mtu 1100 type veth peer name eth0 mtu 1100 netns c$i
  ip -n $h link set vx0 master br0
  ip -n $h link set veth-c master br0
  ip -n $h link set vx0 up
  ip -n $h link set veth-c up
  ip -n $h link set br0 up
  ip -n c$i addr add 10.0.0.1$i/24 dev eth0
  ip -n c$i link set eth0 up
done
bridge -n h1 fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.0.2
bridge -n h2 fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.0.1
sleep 2
ip netns exec c1 ping -c 3 -i 0.2 10.0.0.12 | grep -E "packets|from"
c2mac=$(ip -n c2 -br link show eth0 | awk '{print $3}')
bridge -n h1 fdb show dev vx0 | grep -E "$c2mac|00:00:00:00:00:00"
ip -n h1 link show master br0
