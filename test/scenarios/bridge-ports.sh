# Enslaving and releasing ports: what may not be a port, the bridge's address and MTU following
# its ports, and bridge fdb add/del on ports, the bridge and a plain device.
ip link add br0 type bridge
ip link add br1 type bridge
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link add v2 address 02:00:00:00:00:20 type veth peer name v3 address 02:00:00:00:00:05
ip link set lo master br0; echo rc=$?
ip link set br0 master br0; echo rc=$?
ip link set br1 master br0; echo rc=$?
ip link set v0 master nosuch; echo rc=$?
ip link set v0 master v1; echo rc=$?
ip link set v1 nomaster; echo rc=$?
ip link set v0 master br1; echo rc=$?
ip link show br1
ip link set v0 master br0; echo rc=$?
ip link set v0 master br0; echo rc=$?
ip link show br1
ip link set v2 master br0
ip link set v3 master br0
ip link show br0
ip link set v2 mtu 1400
ip link show br0
ip link set v3 nomaster
ip link show br0
bridge link
bridge fdb show br br0 | grep -v 33:33
ip link set br0 address 02:00:00:00:00:aa
ip link set v3 master br0
ip link show br0
bridge fdb add 02:00:00:00:01:01 dev v0; echo rc=$?
bridge fdb add 02:00:00:00:01:02 dev v0 master; echo rc=$?
bridge fdb add 02:00:00:00:01:03 dev v0 master static; echo rc=$?
bridge fdb add 02:00:00:00:01:03 dev v0 master static; echo rc=$?
bridge fdb replace 02:00:00:00:01:03 dev v2 master; echo rc=$?
bridge fdb add 02:00:00:00:01:04 dev v0 master dynamic; echo rc=$?
bridge fdb add 02:00:00:00:01:05 dev v1 master; echo rc=$?
bridge fdb add 02:00:00:00:01:06 dev v1; echo rc=$?
bridge fdb add 02:00:00:00:01:07 dev br0; echo rc=$?
bridge fdb add 00:00:00:00:00:00 dev v0 master; echo rc=$?
bridge fdb add zz dev v0; echo rc=$?
bridge fdb add 02:00:00:00:01:08; echo rc=$?
bridge fdb add 02:00:00:00:01:08 dev nosuch; echo rc=$?
bridge fdb show | grep -v 33:33
bridge fdb del 02:00:00:00:01:02 dev v0; echo rc=$?
bridge fdb del 02:00:00:00:01:02 dev v0 master; echo rc=$?
bridge fdb del 02:00:00:00:01:02 dev v0 master; echo rc=$?
bridge fdb del 02:00:00:00:01:06 dev v1; echo rc=$?
bridge fdb show dev v0
bridge -s fdb show br br0 | grep -v 33:33
bridge fdb show br nosuch; echo rc=$?
bridge fdb show br v0; echo rc=$?
bridge link show dev v1; echo rc=$?
bridge -j link show dev v0
bridge -d link show dev v0
bridge link set dev v0 cost 7 priority 9; echo rc=$?
bridge link set dev v0 state 3; echo rc=$?
bridge link set dev v1 cost 7; echo rc=$?
bridge link show dev v0
bridge foo; echo rc=$?
bridge fdb foo; echo rc=$?
ip link set br0 netns 1; echo rc=$?
ip link del br0
ip link show v0
ip link show br1
