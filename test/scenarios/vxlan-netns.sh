#!/usr/bin/env bash
# A vxlan device created in the host namespace and moved into a container: its tunnel stays in
# the namespace it was created in (link-netns), so the container reaches the other side through
# the host's underlay without an underlay address of its own.
for n in host1 host2 ctr1 ctr2; do ip netns add $n; done
ip -n host1 link add eth0 mtu 1200 type veth peer name eth0 mtu 1200 netns host2
ip -n host1 addr add 192.168.7.1/24 dev eth0
ip -n host2 addr add 192.168.7.2/24 dev eth0
ip -n host1 link set eth0 up
ip -n host2 link set eth0 up
ip -n host1 link add vx0 mtu 1100 type vxlan id 7 remote 192.168.7.2 dstport 4789
ip -n host2 link add vx0 mtu 1100 type vxlan id 7 remote 192.168.7.1 dstport 4789
ip -n host1 link set vx0 netns ctr1
ip -n host2 link set vx0 netns ctr2
ip -n ctr1 addr add 10.7.0.1/24 dev vx0
ip -n ctr2 addr add 10.7.0.2/24 dev vx0
ip -n ctr1 link set vx0 up
ip -n ctr2 link set vx0 up
ip -n ctr1 -d link show vx0
ip -n host1 link show
ip netns exec ctr1 ping -c 2 -i 0.2 10.7.0.2 | grep -E "packets|from"
ip -n ctr1 -s link show vx0
bridge -n ctr1 fdb show dev vx0
ip -n ctr1 link set vx0 down
bridge -n ctr1 fdb show dev vx0
# The tunnel's namespace going takes the device with it (vxlan_destroy_tunnels).
ip netns del host1
sleep 1
ip -n ctr1 link show
