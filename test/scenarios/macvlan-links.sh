#!/usr/bin/env bash
# Creating macvlan devices: the modes and their -d details, the default mode (vepa), a macvlan
# on a macvlan (it sits on the real device), MTU limits from the lower device, a mode change,
# and the errors.
ip link add veth0 type veth peer name veth1
ip link add mv0 link veth0 type macvlan mode bridge
ip link add mv1 link veth0 type macvlan
ip link add mv2 link veth0 type macvlan mode private
ip link add mv3 link veth0 type macvlan mode vepa
ip link add mv4 link veth0 type macvlan mode source
ip link add mv5 link mv0 type macvlan mode bridge bcqueuelen 10
ip -d link show mv0
ip -d link show mv1
ip -d link show mv2
ip -d link show mv3
ip -d link show mv4
ip -d link show mv5
ip link show
echo "--- errors"
ip link add mv9 type macvlan; echo "rc=$?"
ip link add mv9 link nosuch type macvlan; echo "rc=$?"
ip link add mv9 link lo type macvlan; echo "rc=$?"
ip link add mv9 link veth0 type macvlan mode passthru; echo "rc=$?"
ip link add mv9 link veth0 type macvlan mode foo; echo "rc=$?"
ip link add mv9 link veth0 type macvlan bogus; echo "rc=$?"
ip link add mv9 link veth0 type macvlan mode bridge nopromisc; echo "rc=$?"
ip link add mv9 link veth0 type macvlan flag bogus; echo "rc=$?"
ip link add mv0 link veth0 type macvlan; echo "rc=$?"
ip link add mv9 link veth0 address 01:02:03:04:05:06 type macvlan; echo "rc=$?"
ip link add mv9 mtu 2000 link veth0 type macvlan; echo "rc=$?"
ip link add br0 type bridge
ip link set veth1 master br0
ip link add mv9 link veth1 type macvlan; echo "rc=$?"
ip link add mv9 link br0 type macvlan; echo "rc=$?"
ip link show mv9
ip link del mv9
echo "--- passthru"
ip link add veth2 type veth peer name veth3
ip link add mvp link veth2 type macvlan mode passthru; echo "rc=$?"
ip link add mvq link veth2 type macvlan mode bridge; echo "rc=$?"
ip -d link show mvp | grep macvlan
ip link set mvp type macvlan mode bridge; echo "rc=$?"
echo "--- mtu"
ip link add mvm mtu 1000 link veth0 type macvlan mode bridge; echo "rc=$?"
ip link show mvm
ip link set mvm mtu 1501; echo "rc=$?"
ip link set veth0 mtu 1400; echo "rc=$?"
ip link show mv0
ip link show mvm
echo "--- mode change"
ip link set mv0 type macvlan mode private; echo "rc=$?"
ip -d link show mv0 | grep macvlan
ip link add link veth0 type macvlan; echo "rc=$?"
ip link show macvlan0
echo "--- lower up"
ip link set veth0 up
ip link set mv0 up
sleep 0.1
ip -d link show veth0 | head -3
ip link show mv0
ip link set mv1 address $(ip -br link show mv0 | awk '{print $3}') ; echo "rc=$?"
ip link set mv1 up; echo "rc=$?"
bridge fdb show dev veth0
ip link del veth0
ip link show
