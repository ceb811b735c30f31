#!/usr/bin/env bash
# Gratuitous ARP from arping -U (a request) and -A (a reply): the receiving kernel updates an
# entry it already has, and creates one only with arp_accept; arping itself sends count probes
# and leaves without waiting for answers.
ip netns add a
ip netns add b
ip link add veth0 netns a mtu 1000 address 02:00:00:00:00:01 type veth peer name veth1 netns b mtu 1000 address 02:00:00:00:00:02
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip netns exec a arping -c 1 -U -I veth0 10.0.0.1; echo "rc=$?"
ip -n b neigh
ip netns exec a arping -c 2 -A -I veth0 10.0.0.1; echo "rc=$?"
ip -n b neigh
ip netns exec b sysctl -qw net.ipv4.conf.veth1.arp_accept=1
ip netns exec a arping -c 1 -U -I veth0 10.0.0.1; echo "rc=$?"
ip -n b neigh
ip -n a link set veth0 address 02:00:00:00:00:11
ip netns exec a arping -c 1 -A -I veth0 10.0.0.1; echo "rc=$?"
ip -n b neigh
ip -n b neigh flush dev veth1
ip netns exec a arping -c 1 -U -s 10.0.0.1 -I veth0 10.0.0.2; echo "rc=$?"
ip -n b neigh
ip netns exec b sysctl -qw net.ipv4.conf.veth1.arp_accept=0
ip -n b neigh flush dev veth1
ip netns exec a arping -c 1 -I veth0 10.0.0.2 >/dev/null; echo "rc=$?"
ip -n b neigh
ip -n a link set veth0 address 02:00:00:00:00:21
ip netns exec a arping -c 1 -U -I veth0 10.0.0.1; echo "rc=$?"
ip -n b neigh
ip netns exec a arping -c 1 -D -I veth0 10.0.0.7; echo "rc=$?"
ip -n b neigh
ip -n a -s link show veth0
