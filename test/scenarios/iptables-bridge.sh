#!/usr/bin/env bash
# br_netfilter (built in): bridged IPv4 passes iptables FORWARD with the bridge as in and out
# device, per namespace; bridge-nf-call-iptables=0 turns that off.
ip netns add sw
ip netns add h1
ip netns add h2
ip -n sw link add br0 type bridge
ip link add p1 type veth peer name e1
ip link add p2 type veth peer name e2
ip link set p1 netns sw
ip link set p2 netns sw
ip link set e1 netns h1
ip link set e2 netns h2
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
for d in br0 p1 p2; do ip -n sw link set $d up; done
ip -n h1 addr add 10.9.0.1/24 dev e1
ip -n h2 addr add 10.9.0.2/24 dev e2
ip -n h1 link set e1 up
ip -n h2 link set e2 up
ip netns exec sw sysctl net.bridge.bridge-nf-call-iptables
ip netns exec h1 ping -c 1 -W 2 10.9.0.2 >/dev/null; echo "open rc=$?"
ip netns exec sw iptables -A FORWARD -i br0 -o br0 -p icmp --icmp-type echo-request -j DROP
ip netns exec h1 ping -c 1 -W 1 10.9.0.2; echo "filtered rc=$?"
ip netns exec sw iptables -L FORWARD -v -n
ip netns exec sw sysctl -w net.bridge.bridge-nf-call-iptables=0
ip netns exec h1 ping -c 1 -W 1 10.9.0.2 >/dev/null; echo "bypassed rc=$?"
ip netns exec sw iptables -L FORWARD -v -n
ip netns exec h1 cat /proc/sys/net/bridge/bridge-nf-call-iptables
