#!/usr/bin/env bash
# macvlan devices on one veth, each moved into its own namespace (the container case): bridge
# mode talks to its bridge-mode siblings directly, private and vepa send everything out of the
# lower device, and nothing reaches the lower device's own address. MTUs below 1280 keep IPv6
# (and its racy autoconfiguration traffic) off the counters.
for n in ext h c1 c2 c3 c4; do ip netns add $n; done
ip -n h link add veth0 mtu 1200 type veth peer name veth1 mtu 1200 netns ext
ip -n h link add mv1 link veth0 type macvlan mode bridge
ip -n h link add mv2 link veth0 type macvlan mode bridge
ip -n h link add mv3 link veth0 type macvlan mode private
ip -n h link add mv4 link veth0 type macvlan mode vepa
for i in 1 2 3 4; do
  ip -n h link set mv$i netns c$i
  ip -n c$i addr add 10.0.0.1$i/24 dev mv$i
  ip -n c$i link set mv$i up
done
ip -n ext addr add 10.0.0.1/24 dev veth1
ip -n ext link set veth1 up
ip -n h addr add 10.0.0.2/24 dev veth0
ip -n h link set veth0 up
# linkwatch may take up to a second to report the carrier.
sleep 2
ip -n h link show
ip -n c1 link show mv1
ip -n h -d link show veth0
ip -n c1 -d link show mv1
ip -n c3 -d link show mv3
for t in 10.0.0.1 10.0.0.2 10.0.0.12 10.0.0.13 10.0.0.14; do
  echo "c1 -> $t"
  ip netns exec c1 ping -c 1 -W 1 $t | grep -E "packets|from"
done
echo "c3 -> ext"; ip netns exec c3 ping -c 1 -W 1 10.0.0.1 | grep -E "packets"
echo "c3 -> c4"; ip netns exec c3 ping -c 1 -W 1 10.0.0.14 | grep -E "packets"
echo "c4 -> ext"; ip netns exec c4 ping -c 1 -W 1 10.0.0.1 | grep -E "packets"
echo "c4 -> c2"; ip netns exec c4 ping -c 1 -W 1 10.0.0.12 | grep -E "packets"
echo "ext -> all"
for t in 10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.14; do
  ip netns exec ext ping -c 1 -W 1 $t | grep -E "packets"
done
ip -n c1 neigh show 10.0.0.12
ip -n h link set veth0 down
sleep 0.1
ip -n c1 link show mv1
ip -n h link set veth0 up
sleep 0.1
ip -n c1 link show mv1
ip -n h link del veth0
ip -n c1 link show
ip -n c4 link show
