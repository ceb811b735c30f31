#!/usr/bin/env bash
# Two network namespaces joined by a veth pair, an address on each end, a route to a service
# address behind "right", and a ping across.
set -e
ip netns add left
ip netns add right
ip link add veth-l type veth peer name veth-r
ip link set veth-l netns left
ip link set veth-r netns right
ip -n left addr add 10.0.0.1/24 dev veth-l
ip -n right addr add 10.0.0.2/24 dev veth-r
ip -n right addr add 192.168.100.1/32 dev lo
ip -n left link set veth-l up
ip -n right link set veth-r up
ip -n right link set lo up
ip -n left route add 192.168.100.0/24 via 10.0.0.2
ip netns list
ip -n left link show veth-l
ip -n left -br -4 addr
ip -n left route
ip netns exec left ping -c 3 -i 0.2 192.168.100.1
