#!/usr/bin/env bash
# User chains: a jump and its RETURN, a goto that returns to the caller's caller, counters on
# every rule walked, policies, and a REJECT reached through two chains.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n a addr add 10.0.0.11/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
B="ip netns exec b iptables"
$B -N check
$B -N deny
$B -N audit
$B -A INPUT -p icmp -j check
$B -A INPUT -p icmp -s 10.0.0.11 -j DROP
$B -A check -s 10.0.0.1 -j RETURN
$B -A check -g deny
$B -A check -j ACCEPT
$B -A deny -j audit
$B -A deny -s 10.0.0.11 -j RETURN
$B -A deny -j REJECT
$B -A audit -m comment --comment "count only"
$B -P INPUT DROP
ip netns exec a ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec a ping -c 1 -W 1 -I 10.0.0.11 10.0.0.2; echo "rc=$?"
$B -P INPUT ACCEPT
ip netns exec a ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
$B -L -v -n -x
$B -S
$B -L check --line-numbers
$B -S deny
$B -E audit watch
$B -L deny -n
$B -X watch; echo "rc=$?"
$B -D deny 1
$B -F watch
$B -X watch; echo "rc=$?"
$B -L -n
