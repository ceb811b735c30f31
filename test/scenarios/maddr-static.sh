#!/usr/bin/env bash
# ip maddr add|del: SIOCADDMULTI and SIOCDELMULTI put a link-layer address in the device's multicast
# list as a global ("static") entry, once however often it is added; an address the stack put
# there already takes a second reference (users 2). Deleting takes only what SIOCADDMULTI added.
# /proc/net/dev_mcast shows the references and the global mark; bridge fdb lists the entries.
ip link add eth1 mtu 1200 type veth peer name eth2 mtu 1200
ip link set eth1 up
ip maddr add 01:00:5e:01:02:03 dev eth1; echo rc=$?
ip maddr show dev eth1
cat /proc/net/dev_mcast
ip maddr add 01:00:5e:01:02:03 dev eth1; echo rc=$?
ip maddr add 01:00:5e:00:00:01 dev eth1; echo rc=$?
ip maddr add address 33:33:00:00:00:05 dev eth1; echo rc=$?
ip maddr show dev eth1
cat /proc/net/dev_mcast
bridge fdb show dev eth1
ip maddr del 01:00:5e:01:02:03 dev eth1; echo rc=$?
ip maddr del 01:00:5e:01:02:03 dev eth1; echo rc=$?
ip maddr del 01:00:5e:00:00:01 dev eth1; echo rc=$?
ip maddr del 01:00:5e:00:00:01 dev eth1; echo rc=$?
ip maddr show dev eth1
ip maddr add 01:00:5e:01:02:04 dev eth2; echo rc=$?
ip maddr show dev eth2
ip link set eth1 down
ip maddr show dev eth1
echo "--- errors"
ip maddr add 01:00:5e:01:02:03 dev lo; echo rc=$?
ip maddr add 01:00:5e:01:02:03 dev nosuch; echo rc=$?
ip maddr add 01:00:5e:01:02:03; echo rc=$?
ip maddr add 01:00 dev eth1; echo rc=$?
ip maddr add zz dev eth1; echo rc=$?
ip maddr add 01:00:5e:01:02:03 01:00:5e:01:02:04 dev eth1; echo rc=$?
ip maddr add 01:00:5e:01:02:03 dev eth1 dev eth2; echo rc=$?
ip maddr add dev eth1; echo rc=$?
ip maddr show dev eth1
ip maddr del 00:00:00:00:00:00 dev eth1; echo rc=$?
ip maddr add 01:00:5e:01:02:03 dev; echo rc=$?
ip maddr add 01:00:5e:01:02:03 dev "a b"; echo rc=$?
ip maddr add help; echo rc=$?
