#!/usr/bin/env bash
# ip maddress: each device's multicast addresses from /proc/net/dev_mcast (link), /proc/net/igmp
# (inet) and /proc/net/igmp6 (inet6). A vxlan device in group 239.1.1.1 puts the group and its
# 01:00:5e:01:01:01 on its lower device while it is up; a snooping bridge holds 224.0.0.106 and
# ff02::6a while open; IPv6 devices hold all-nodes and each address's solicited-node group.
# Fixed MAC addresses keep the solicited-node groups stable.
ip netns add a
ip -n a link add eth0 address 02:00:00:00:00:01 type veth peer name eth1 address 02:00:00:00:00:02
ip -n a link add dm mtu 1200 type veth peer name dm2 mtu 1200
ip -n a link add br0 address 02:00:00:00:00:0b type bridge
ip -n a addr add 10.0.0.1/24 dev eth0
for d in eth0 eth1 br0 dm; do ip -n a link set $d up; done
ip -n a link add vx0 address 02:00:00:00:01:01 type vxlan id 42 group 239.1.1.1 dev eth0 dstport 4789
ip -n a link set vx0 up
ip -n a addr add 2001:db8::1/64 dev eth0
# MLD's unsolicited reports are done within about 2 s of a join.
sleep 4
ip -n a maddr show
echo "--- filters"
ip -n a maddr show dev eth0
ip -n a maddr dev vx0
ip -n a -4 maddr show
ip -n a -6 maddr show dev br0
ip -n a -0 maddr list dev eth0
ip -n a -o maddr show dev dm
ip -n a -j maddr show dev eth0
ip -n a maddr show dev nosuch; echo "rc=$?"
ip netns exec a cat /proc/net/igmp6
echo "--- snooping off, vxlan down, eth0 down"
ip -n a link set br0 type bridge mcast_snooping 0
ip -n a maddr show dev br0
ip -n a link set br0 type bridge mcast_snooping 1
ip -n a -4 maddr show dev br0
ip -n a link set vx0 down
ip -n a maddr show dev eth0
ip -n a link set eth0 down
ip -n a maddr show dev eth0
ip netns exec a cat /proc/net/igmp
ip netns exec a cat /proc/net/igmp6
echo "--- errors"
ip -n a maddr show dev; echo "rc=$?"
ip -n a maddr show eth0 dev eth1; echo "rc=$?"
ip -n a maddr foo; echo "rc=$?"
ip -n a maddr help; echo "rc=$?"
