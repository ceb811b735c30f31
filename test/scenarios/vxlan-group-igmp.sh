#!/usr/bin/env bash
# IGMPv3 state-change reports: a vxlan device joining its group on eth0 announces it twice
# (robustness 2: the first at once, the second within the 1 s unsolicited report interval), and
# again when eth0 comes back up; leaving announces it twice too. A snooping bridge does the same
# for 224.0.0.106 when it opens. All-hosts is never reported. Reports go to 224.0.0.22, a group
# the peer has not joined: it counts and drops them. Every count is read at least 1 s after the
# last report can have gone out.
ip netns add a
ip netns add b
ip -n a link add eth0 mtu 1200 type veth peer name eth0 netns b mtu 1200
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
sleep 2
rx() { ip -n b -s link show eth0 | awk 'NR == 4 {print "b rx bytes", $1, "packets", $2}'; }
rx
echo "--- vx0 joins 239.1.1.1"
ip -n a link add vx0 type vxlan id 42 group 239.1.1.1 dev eth0 dstport 4789
ip -n a link set vx0 up
sleep 2.5
rx
echo "--- eth0 down and up: announced again"
ip -n a link set eth0 down
ip -n a link set eth0 up
sleep 2.5
rx
echo "--- vx0 leaves"
ip -n a link set vx0 down
sleep 2.5
rx
ip netns exec a nstat -az IpOutRequests IpExtOutMcastPkts IpExtOutMcastOctets
ip netns exec b nstat -az IpInReceives IpExtInMcastPkts IpInDelivers
echo "--- a bridge opening with snooping on"
ip -n a link set eth0 down
ip -n a link add br0 type bridge
ip -n a link set eth0 master br0
ip -n a link set eth0 up
# The port joins the bridge once eth0's link state has settled (link_watch runs at most once a
# second); a report sent before that would find no port to go out of.
sleep 2
ip -n a link set br0 up
sleep 2.5
rx
ip -n a link set br0 type bridge mcast_snooping 0
sleep 2.5
rx
