#!/usr/bin/env bash
# The mangle table's MARK in OUTPUT re-routes the packet (ip_route_me_harder): policy routing by
# fwmark sends marked pings out through a second link; the mark match sees it in POSTROUTING.
ip netns add r
ip netns add up1
ip netns add up2
ip link add a1 type veth peer name b1
ip link add a2 type veth peer name b2
ip link set a1 netns r
ip link set a2 netns r
ip link set b1 netns up1
ip link set b2 netns up2
ip -n r addr add 10.1.0.1/24 dev a1
ip -n r addr add 10.2.0.1/24 dev a2
ip -n up1 addr add 10.1.0.2/24 dev b1
ip -n up2 addr add 10.2.0.2/24 dev b2
ip -n up1 addr add 192.0.2.1/32 dev lo
ip -n up2 addr add 192.0.2.1/32 dev lo
for n in r up1 up2; do ip -n $n link set lo up; done
ip -n r link set a1 up
ip -n r link set a2 up
ip -n up1 link set b1 up
ip -n up2 link set b2 up
ip -n up1 route add default via 10.1.0.1
ip -n up2 route add default via 10.2.0.1
ip -n r route add default via 10.1.0.2
ip -n r route add default via 10.2.0.2 table 100
ip -n r rule add fwmark 0x1 table 100
ip netns exec r ping -c 1 -W 1 192.0.2.1 >/dev/null; echo "unmarked rc=$?"
ip netns exec r iptables -t mangle -A OUTPUT -p icmp --icmp-type echo-request -j MARK --set-mark 1
ip netns exec r iptables -t mangle -A POSTROUTING -m mark --mark 0x1 -o a2 -j ACCEPT
ip netns exec r iptables -t mangle -A POSTROUTING -m mark --mark 0x1 -o a1
ip netns exec r ping -c 2 -i 0.2 -W 1 192.0.2.1 >/dev/null; echo "marked rc=$?"
ip netns exec r iptables -t mangle -L -v -n
ip netns exec r iptables -t mangle -S
ip netns exec up1 iptables -A INPUT -p icmp -j ACCEPT
ip netns exec up2 iptables -A INPUT -p icmp -j ACCEPT
ip netns exec r ping -c 1 -W 1 192.0.2.1 >/dev/null; echo "rc=$?"
ip netns exec up1 iptables -L INPUT -v -n
ip netns exec up2 iptables -L INPUT -v -n
ip netns exec r iptables -t mangle -R OUTPUT 1 -j MARK --set-mark 2
ip netns exec r ping -c 1 -W 1 192.0.2.1 >/dev/null; echo "mark 2 rc=$?"
ip netns exec up1 iptables -L INPUT -v -n
