#!/usr/bin/env bash
# A vxlan device in group 239.1.1.1 on top of a macvlan: the group's address is in the macvlan's
# own multicast list, which its filter lets through, and which it syncs down to the lower device
# (dev_mc_sync: each synced entry held twice, "users 2"). Flooded frames reach the vxlan device
# through the macvlan. MTUs below 1280 keep IPv6 away.
ip netns add a
ip netns add b
ip -n a link add eth0 mtu 1200 type veth peer name eth0 netns b mtu 1200
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n b link add mv0 link eth0 address 02:00:00:00:00:0b type macvlan mode bridge
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev mv0
ip -n b link set mv0 up
ip -n a link add vx0 address 02:00:00:00:01:01 type vxlan id 42 group 239.1.1.1 dev eth0 dstport 4789
ip -n b link add vx0 address 02:00:00:00:01:02 type vxlan id 42 group 239.1.1.1 dev mv0 dstport 4789
ip -n a addr add 192.168.1.1/24 dev vx0
ip -n b addr add 192.168.1.2/24 dev vx0
ip -n b maddr show
ip netns exec b cat /proc/net/dev_mcast
ip -n a link set vx0 up
ip -n b link set vx0 up
sleep 3
ip -n b maddr show
ip netns exec b cat /proc/net/dev_mcast
ip netns exec a ping -c 2 -i 0.5 -W 1 192.168.1.2 | grep -E "packets|from"
bridge -n b fdb show dev vx0
ip -n b -s link show mv0
echo "--- the macvlan down: its list is no longer synced"
ip -n b link set mv0 down
ip -n b maddr show
ip netns exec b cat /proc/net/dev_mcast
