#!/usr/bin/env bash
# Creating vxlan devices: their -d details (remote, local, group with dev, ttl, learning, the
# kernel's default port), the default-destination FDB entries and bridge fdb add/append/del on
# them, MTU with and without a lower device, and the errors.
ip link add vx0 type vxlan id 42 dstport 4789
ip -d link show vx0
ip link add vx1 type vxlan id 43 local 10.0.0.1 remote 10.0.0.2 dstport 4789 ttl 10 nolearning
ip -d link show vx1
ip link add veth0 type veth peer name veth1
ip link add vx2 type vxlan id 44 group 239.1.1.1 dev veth0 dstport 0
ip -d link show vx2
ip link add vx3 type vxlan id 45
echo "rc=$?"
ip -d link show vx3
ip link add vx5 type vxlan id 46 remote 10.0.0.9 dstport 4789 ageing 0 maxaddress 10 noudpcsum ttl 64 df set
ip -d link show vx5
echo "--- errors"
ip link add vx4 type vxlan id 42 dstport 4789; echo "rc=$?"
ip link add vx4 type vxlan dstport 4789; echo "rc=$?"
ip link add vx4 type vxlan id 16777216; echo "rc=$?"
ip link add vx4 type vxlan id 47 remote 239.1.1.1; echo "rc=$?"
ip link add vx4 type vxlan id 47 group 10.1.1.1; echo "rc=$?"
ip link add vx4 type vxlan id 47 group 239.1.1.1; echo "rc=$?"
ip link add vx4 type vxlan id 47 remote 10.0.0.2 dev nosuch; echo "rc=$?"
ip link add vx4 type vxlan id 47 bogus; echo "rc=$?"
ip link add vx4 type vxlan id 47 id 48; echo "rc=$?"
ip link add vx4 type vxlan id 47 remote 10.0.0.2 group 239.1.1.1; echo "rc=$?"
ip link add vx4 type vxlan id 47 ttl 300; echo "rc=$?"
ip link show
echo "--- fdb"
bridge fdb show dev vx1
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3
bridge fdb add 02:00:00:00:00:01 dev vx0 dst 10.0.0.4
bridge fdb add 02:00:00:00:00:02 dev vx0 dst 10.0.0.5 port 4790 vni 100
bridge fdb show dev vx0
bridge fdb show
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3; echo "rc=$?"
bridge fdb add 00:00:00:00:00:00 dev vx0 dst 10.0.0.5; echo "rc=$?"
bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.0.2; echo "rc=$?"
bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.0.7; echo "rc=$?"
bridge fdb del 02:00:00:00:00:09 dev vx0; echo "rc=$?"
bridge fdb replace 02:00:00:00:00:01 dev vx0 dst 10.0.0.6; echo "rc=$?"
bridge fdb add 02:00:00:00:00:03 dev vx0; echo "rc=$?"
bridge fdb show dev vx0
echo "--- mtu"
ip link set vx0 mtu 1600; echo "rc=$?"
ip link set vx2 mtu 1451; echo "rc=$?"
ip link set vx2 mtu 1400; echo "rc=$?"
ip link set veth0 mtu 1000
ip link show vx2
ip link set vx0 type vxlan id 99; echo "rc=$?"
ip link set vx1 type vxlan learning; echo "rc=$?"
ip -d link show vx1 | grep -o "dstport.*ttl [0-9a-z]*"
ip link del veth0
ip link show
echo "--- changelink"
ip link add veth2 type veth peer name veth3
ip link add mv0 link veth2 type macvlan
ip link set veth2 type macvlan mode bridge; echo "rc=$?"
ip link set veth2 type bridge; echo "rc=$?"
ip link set mv0 type vxlan id 5; echo "rc=$?"
ip link add vx6 type vxlan id 5 dstport 4789 remote 10.0.0.8
ip link set vx6 type vxlan ttl 5 ageing 20; echo "rc=$?"
ip link set vx6 type vxlan remote 10.0.0.3; echo "rc=$?"
ip link set vx6 type vxlan local 10.0.0.4; echo "rc=$?"
ip link set vx6 type vxlan dstport 4790; echo "rc=$?"
ip link set vx6 type vxlan nolearning; echo "rc=$?"
ip -d link show vx6 | tail -1 | cut -d' ' -f5-21
bridge fdb show dev vx6
