#!/usr/bin/env bash
# DROP and each REJECT --reject-with as ping sees them, the rule counters after the traffic, and
# icmp_ratelimit's burst of six: the seventh error in a row to the same host is not sent.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 -W 1 10.0.0.2 >/dev/null; echo "baseline rc=$?"
for w in icmp-net-unreachable icmp-host-unreachable icmp-port-unreachable icmp-proto-unreachable icmp-net-prohibited icmp-host-prohibited icmp-admin-prohibited; do
  ip netns exec b iptables -F INPUT
  ip netns exec b iptables -A INPUT -p icmp -j REJECT --reject-with $w
  ip netns exec a ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
done
ip netns exec b iptables -L INPUT -v -n
ip netns exec b iptables -F INPUT
ip netns exec b iptables -A INPUT -p icmp --icmp-type echo-request -j DROP
ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec b iptables -L -v -x -n
ip netns exec b iptables -L INPUT -v
ip netns exec b iptables-save -c
ip netns exec b iptables -Z INPUT
ip netns exec b iptables -L INPUT -v -n --line-numbers
