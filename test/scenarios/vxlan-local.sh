#!/usr/bin/env bash
# A vxlan device and UDP port 4789: a socket holding the port keeps the device from coming up
# (its kernel socket cannot bind), the device holding it keeps nc out; a remote that is a local
# address is served device to device without UDP (encap_bypass_if_local).
ip link set lo up
ip link add vx0 mtu 1200 type vxlan id 42 dstport 4789 remote 127.0.0.2
nc -lu 127.0.0.1 4789 &
sleep 0.5
ip link set vx0 up; echo "rc=$?"
kill %1; wait
ip link set vx0 up; echo "rc=$?"
nc -lu 4789 & sleep 0.5; kill %1 2>/dev/null; wait
ip addr add 10.9.0.1/24 dev vx0
# ARP's second probe would come retrans_time (1 s) after the first, as ping's -W 1 ends: later,
# so that the counters below show the one request on every run.
sysctl -qw net.ipv4.neigh.vx0.retrans_time_ms=5000
ping -c 1 -W 1 10.9.0.2 | grep packets
ip -s link show vx0 | sed -n 3,6p
grep "^Udp:" /proc/net/snmp
