#!/usr/bin/env bash
# Two hosts on different underlay subnets, joined by a router, each with a VXLAN device (VNI 42,
# remote = the other host); an overlay subnet on top. MTUs below 1280 keep IPv6 off the counters.
ip netns add left
ip netns add router
ip netns add right
ip -n left link add eth0 mtu 1200 type veth peer name eth-l mtu 1200 netns router
ip -n right link add eth0 mtu 1200 type veth peer name eth-r mtu 1200 netns router
ip -n left addr add 192.168.1.2/24 dev eth0
ip -n router addr add 192.168.1.1/24 dev eth-l
ip -n router addr add 192.168.2.1/24 dev eth-r
ip -n right addr add 192.168.2.2/24 dev eth0
for ns in left router right; do ip -n $ns link set lo up; done
ip -n left link set eth0 up
ip -n right link set eth0 up
ip -n router link set eth-l up
ip -n router link set eth-r up
ip netns exec router sysctl -qw net.ipv4.ip_forward=1
ip -n left route add default via 192.168.1.1
ip -n right route add default via 192.168.2.1
ip -n left link add vx0 type vxlan id 42 local 192.168.1.2 remote 192.168.2.2 dstport 4789
ip -n right link add vx0 type vxlan id 42 local 192.168.2.2 remote 192.168.1.2 dstport 4789
ip -n left link set vx0 mtu 1150 up
ip -n right link set vx0 mtu 1150 up
ip -n left addr add 10.10.0.1/24 dev vx0
ip -n right addr add 10.10.0.2/24 dev vx0
ip -n left -d link show vx0
ip -n left -4 addr show dev vx0
ip -n left route
bridge -n left fdb show dev vx0
sleep 1
ip netns exec left ping -c 3 -i 0.2 10.10.0.2
echo "rc=$?"
ip -n left -s link show vx0
ip -n right -s link show vx0
bridge -n left fdb show dev vx0
ip -n left neigh show dev vx0
ip -n router -s link show eth-l
