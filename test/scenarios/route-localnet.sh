#!/usr/bin/env bash
# route_localnet: p routes 127.1.1.1 to h over a veth (its local 127/8 deleted); h answers only
# when eth1 has route_localnet, and p takes the reply from 127.1.1.1 only when vp has it too.
ip netns add h
ip netns add p
ip link add eth1 type veth peer name vp
ip link set eth1 netns h
ip link set vp netns p
ip -n h addr add 10.0.0.1/24 dev eth1
ip -n p addr add 10.0.0.10/24 dev vp
for n in h p; do ip -n $n link set lo up; done
ip -n h link set eth1 up
ip -n p link set vp up
ip -n p route del 127.0.0.0/8 table local
ip -n p route add 127.1.1.1/32 via 10.0.0.1
ip -n p route get 127.1.1.1
for rl in "0 0" "1 0" "1 1" "0 1"; do
  set -- $rl
  echo "== h eth1=$1 p vp=$2"
  ip netns exec h sysctl -qw net.ipv4.conf.eth1.route_localnet=$1
  ip netns exec p sysctl -qw net.ipv4.conf.vp.route_localnet=$2
  ip netns exec p ping -c 1 -W 1 127.1.1.1 | grep transmitted
  ip netns exec h grep '^IcmpMsg' /proc/net/snmp
done
