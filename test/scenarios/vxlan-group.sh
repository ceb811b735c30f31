#!/usr/bin/env bash
# A vxlan overlay on a multicast group: three namespaces on one bridge, each with a vxlan device
# in group 239.1.1.1 on its eth0. Opening the device joins the group on eth0 (/proc/net/igmp,
# its 01:00:5e:01:01:01 in eth0's multicast list); flooded frames (ARP requests) travel to the
# group with TTL 1 and reach every member, which learns the sender's VTEP; the replies go
# straight to the learned VTEP. MTUs below 1280 keep IPv6 away.
ip link add br0 type bridge
ip link set br0 up
for i in 1 2 3; do
  ip netns add n$i
  ip link add eth0 netns n$i mtu 1200 type veth peer name p$i mtu 1200
  ip link set p$i master br0 up
  ip -n n$i link set eth0 address 02:00:00:00:00:0$i
  ip -n n$i addr add 10.0.0.$i/24 dev eth0
  ip -n n$i link set eth0 up
  ip -n n$i link add vx0 type vxlan id 42 group 239.1.1.1 dev eth0 dstport 4789
  ip -n n$i link set vx0 address 02:00:00:00:01:0$i
  ip -n n$i addr add 192.168.100.$i/24 dev vx0
done
ip -n n1 -d link show vx0
ip netns exec n1 cat /proc/net/igmp
ip -n n1 link set vx0 up
ip netns exec n1 cat /proc/net/igmp
ip netns exec n1 cat /proc/net/dev_mcast

ip -n n2 link set vx0 up
ip -n n3 link set vx0 up
sleep 2
ip -n n1 link show vx0
for i in 1 2 3; do echo "== n$i"; bridge -n n$i fdb show dev vx0; done
echo "--- n1 -> n2"
ip netns exec n1 ping -c 2 -i 0.5 -W 1 192.168.100.2 | grep -E "packets|from"
for i in 1 2 3; do echo "== n$i"; bridge -n n$i fdb show dev vx0; done
echo "--- n3 -> n1"
ip netns exec n3 ping -c 1 -W 1 192.168.100.1 | grep -E "packets|from"
for i in 1 2 3; do echo "== n$i"; bridge -n n$i fdb show dev vx0; done
ip -n n2 neigh show dev vx0
ip -n n2 -s link show vx0
echo "--- down leaves the group"
ip -n n3 link set vx0 down
ip netns exec n3 cat /proc/net/igmp
ip netns exec n3 cat /proc/net/dev_mcast
ip -n n3 link set vx0 up
ip netns exec n3 cat /proc/net/igmp
echo "--- a second device in the same group on the same socket"
ip -n n3 link add vx1 type vxlan id 43 group 239.1.1.1 dev eth0 dstport 4789
ip -n n3 link set vx1 up
ip netns exec n3 cat /proc/net/igmp
ip -n n3 link set vx0 down
ip netns exec n3 cat /proc/net/igmp
ip -n n3 link del vx1
ip netns exec n3 cat /proc/net/igmp
echo "--- another group while up"
ip -n n3 link set vx0 up
ip -n n3 link set vx0 type vxlan group 239.2.2.2 dev eth0; echo "rc=$?"
ip -n n3 -d link show vx0 | grep -o "vxlan id.*dstport [0-9]*"
ip netns exec n3 cat /proc/net/igmp
bridge -n n3 fdb show dev vx0
ip netns exec n3 cat /proc/net/dev_mcast
ip -n n3 link set vx0 type vxlan remote 10.0.0.1; echo "rc=$?"
ip -n n3 -d link show vx0 | grep -o "vxlan id.*dstport [0-9]*"
ip netns exec n3 cat /proc/net/igmp
echo "--- errors"
ip -n n3 link add vx2 type vxlan id 44 group 239.1.1.1 dstport 4789; echo "rc=$?"
ip -n n3 link add vx2 type vxlan id 44 group 10.1.1.1 dev eth0 dstport 4789; echo "rc=$?"
ip -n n3 link add vx2 type vxlan id 44 remote 239.1.1.1 dev eth0 dstport 4789; echo "rc=$?"
ip -n n3 link add vx2 type vxlan id 44 group 239.1.1.1 remote 10.0.0.1 dev eth0 dstport 4789; echo "rc=$?"
ip -n n3 link add vx2 type vxlan id 44 group 239.1.1.1 dev nosuch dstport 4789; echo "rc=$?"
ip -n n3 link add vx2 type vxlan id 44 group 239.1.1.1 dev eth0 ttl 5 dstport 4789; echo "rc=$?"
ip -n n3 -d link show vx2 | grep -o "vxlan id.*ttl [0-9a-z]*"
ip -n n3 link show
