#!/usr/bin/env bash
# Counters of two bridge-mode macvlans in their namespaces and of their lower veth: frames
# between siblings never touch the veth, frames from outside come in through it. Short enough
# that no neighbour probe fires; MTUs below 1280 keep IPv6 off the counters.
for n in ext h c1 c2; do ip netns add $n; done
ip -n h link add veth0 mtu 1200 type veth peer name veth1 mtu 1200 netns ext
ip -n h link add mv1 link veth0 type macvlan mode bridge
ip -n h link add mv2 link veth0 type macvlan mode bridge
for i in 1 2; do
  ip -n h link set mv$i netns c$i
  ip -n c$i addr add 10.0.0.1$i/24 dev mv$i
  ip -n c$i link set mv$i up
done
ip -n ext addr add 10.0.0.1/24 dev veth1
ip -n ext link set veth1 up
ip -n h link set veth0 up
sleep 2
ip netns exec c1 ping -c 3 -i 0.2 10.0.0.12 | grep -E "packets"
ip netns exec ext ping -c 2 -i 0.2 10.0.0.11 | grep -E "packets"
ip -n c1 -s link show mv1
ip -n c2 -s link show mv2
ip -n h -s link show veth0
ip -n ext -s link show veth1
