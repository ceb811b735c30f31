#!/usr/bin/env bash
# log_martians: a packet dropped for its source (here by rp_filter) or its destination is logged
# with the link-layer header, an ARP request included (arp_process routes its sender like a packet).
# The kernel log is the machine's: only the last such lines are shown.
ip netns add h1
ip netns add r
ip link add eth0 netns h1 mtu 1000 type veth peer name eth0 netns r mtu 1000
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h1 addr add 10.5.0.1/24 dev eth0
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1
ip netns exec r sysctl net.ipv4.conf.all.log_martians net.ipv4.conf.eth0.log_martians
ip netns exec r sysctl -qw net.ipv4.conf.eth0.log_martians=1
ip netns exec h1 ping -c 1 -W 1 -I 10.5.0.1 10.0.0.254; echo "rc=$?"
dmesg | grep -A1 'martian source 10.0.0.254 from 10.5.0.1, on dev eth0' | tail -n 2 | sed 's/^\[[ 0-9.]*\] //'
# With the router's address resolved by hand the echo itself arrives, and is the martian.
ip -n h1 neigh replace 10.0.0.254 lladdr $(ip -n r link show eth0 | awk '/ether/ {print $2}') dev eth0
ip netns exec h1 ping -c 1 -W 1 -I 10.5.0.1 10.0.0.254; echo "rc=$?"
dmesg | grep -A1 'martian source 10.0.0.254 from 10.5.0.1, on dev eth0' | tail -n 2 | sed 's/^\[[ 0-9.]*\] //'
ip netns exec r nstat -az | grep -E '^(IpInReceives|IpInAddrErrors|TcpExtIPReversePathFilter|IcmpInMsgs) '
