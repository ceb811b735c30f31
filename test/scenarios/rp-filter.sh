#!/usr/bin/env bash
# Reverse-path filtering and accept_local: host a reaches router r over two links but sends from
# 192.168.9.9 (on its lo) out of the first while r routes that address back over the second, so
# strict rp_filter on r drops the ping and loose or none forwards it to b; max(all, dev) decides.
# Then sources that are r's own addresses: martians unless accept_local.
ip netns add a
ip netns add r
ip netns add b
ip link add va1 type veth peer name ra1
ip link add va2 type veth peer name ra2
ip link add vb type veth peer name rb
ip link set va1 netns a
ip link set va2 netns a
ip link set ra1 netns r
ip link set ra2 netns r
ip link set vb netns b
ip link set rb netns r
ip -n a addr add 10.0.1.2/24 dev va1
ip -n a addr add 10.0.2.2/24 dev va2
ip -n a addr add 192.168.9.9/32 dev lo
ip -n r addr add 10.0.1.1/24 dev ra1
ip -n r addr add 10.0.2.1/24 dev ra2
ip -n r addr add 10.0.3.1/24 dev rb
ip -n b addr add 10.0.3.2/24 dev vb
for n in a r b; do ip -n $n link set lo up; done
ip -n a link set va1 up
ip -n a link set va2 up
ip -n r link set ra1 up
ip -n r link set ra2 up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add 10.0.3.0/24 via 10.0.1.1 dev va1
ip -n b route add default via 10.0.3.1
ip -n r route add 192.168.9.9/32 via 10.0.2.2 dev ra2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
try() {
  echo "== all=$1 ra1=$2"
  ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=$1 net.ipv4.conf.ra1.rp_filter=$2
  ip netns exec a ping -c 1 -W 1 -I 192.168.9.9 10.0.3.2 | grep -E 'transmitted|bytes from'
}
try 0 0
try 0 1
try 0 2
try 1 0
try 1 2
try 2 1
try 2 0
# The route back through the arrival link satisfies strict mode too.
ip -n r route replace 192.168.9.9/32 via 10.0.1.2 dev ra1
try 1 1
# No route back at all: loose mode drops as well, mode 0 forwards (the reply then has no way home).
ip -n r route del 192.168.9.9/32
try 0 2
ip netns exec r sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.ra1.rp_filter net.ipv4.conf.default.rp_filter
# A write to default reaches devices that never had the knob written, but not ra1.
ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=2
ip netns exec r sysctl net.ipv4.conf.ra1.rp_filter net.ipv4.conf.ra2.rp_filter net.ipv4.conf.rb.rp_filter net.ipv4.conf.lo.rp_filter
ip netns exec r sysctl -qw net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.ra1.rp_filter=0
# Sources that are r's own: a ping to 10.0.1.1 from 10.0.3.1 (r's address on rb) is a martian
# unless accept_local, which lets r answer (the reply stays inside r).
ip -n a addr add 10.0.3.1/32 dev lo
for al in 0 1; do
  ip netns exec r sysctl -qw net.ipv4.conf.ra1.accept_local=$al
  ip netns exec a ping -c 1 -W 1 -I 10.0.3.1 10.0.1.1 | grep -E 'transmitted'
  ip netns exec r grep '^IcmpMsg:' /proc/net/snmp
done
for n in a r b; do
  echo "== $n"
  ip netns exec $n grep -E '^Ip:' /proc/net/snmp
done
