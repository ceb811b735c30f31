# bridge mdb on a snooping bridge (the default): groups the hosts behind its ports join (a vxlan
# device in a group sends IGMPv3 reports) are learned as temp entries for the membership interval,
# a leave ages the entry out after last_member_count * last_member_interval (2 s); entries added
# by hand (permanent, temp, with a vid, on the bridge itself), -d, -s and -j, and the errors.
# The second host joins 1.2 s after the first (both reports sent), so the order is fixed.
# MTU 1000 keeps IPv6 (and its MLD reports) off every device.
ip netns add a
ip netns add b
ip link add br0 type bridge
ip link add v0 mtu 1000 type veth peer name e0 netns a mtu 1000
ip link add v1 mtu 1000 type veth peer name e1 netns b mtu 1000
ip link set v0 master br0
ip link set v1 master br0
bridge mdb add dev br0 port v0 grp 239.1.1.1; echo "status $?"
ip link set br0 up
bridge mdb add dev br0 port v0 grp 239.1.1.1; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent; echo "status $?"
bridge mdb show; echo "status $?"
bridge mdb del dev br0 port v0 grp 239.1.1.1; echo "status $?"
ip link set v0 up
ip link set v1 up
ip -n a link set e0 up
ip -n b link set e1 up
ip -n a addr add 10.0.0.1/24 dev e0
ip -n b addr add 10.0.0.2/24 dev e1
bridge mdb show; echo "status $?"
# The ports forward once linkwatch has seen their carrier (up to a second later).
sleep 1.5
ip -n a link add vx0 type vxlan id 42 group 239.1.1.1 dev e0 dstport 4789
ip -n a link set vx0 up
sleep 1.2
ip -n b link add vx1 type vxlan id 43 group 239.2.2.2 dev e1 dstport 4789
ip -n b link set vx1 up
sleep 1.2
bridge mdb show
bridge mdb
bridge -d mdb show
bridge -s mdb show | awk '{t=$NF; $NF=""; print $0 (t > 250 && t <= 260 ? "T" : t)}'
bridge -j mdb show
bridge -j -p mdb show
bridge mdb show dev br0
bridge mdb show dev v0; echo "status $?"
bridge mdb show dev nosuch; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent; echo "status $?"
bridge mdb add dev br0 port v1 grp 239.3.3.3 permanent; echo "status $?"
bridge mdb add dev br0 port v1 grp 239.4.4.4 temp; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.5.5.5 vid 10; echo "status $?"
bridge mdb add dev br0 port br0 grp 239.6.6.6; echo "status $?"
bridge mdb add dev br0 port br0 grp 239.6.6.6; echo "status $?"
bridge mdb add dev br0 port br0 grp 239.7.7.7 permanent; echo "status $?"
bridge mdb show
bridge -d mdb show
bridge -s mdb show | awk '{t=$NF; $NF=""; print $0 (t > 250 && t <= 260 ? "T" : t)}'
bridge mdb add dev br0 port v0 grp 10.0.0.1; echo "status $?"
bridge mdb add dev br0 port v0 grp 224.0.0.5; echo "status $?"
bridge mdb add dev br0 port v0 grp 0.0.0.0; echo "status $?"
bridge mdb add dev br0 port v0 grp 01:00:5e:01:01:01; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.8.8.8 vid 4095; echo "status $?"
bridge mdb add dev v0 port v1 grp 239.8.8.8; echo "status $?"
bridge mdb add dev br0 port lo grp 239.8.8.8; echo "status $?"
bridge mdb add dev br0 port v0 grp foo; echo "status $?"
bridge mdb add dev br0 port nosuch grp 239.8.8.8; echo "status $?"
bridge mdb add dev nosuch port v0 grp 239.8.8.8; echo "status $?"
bridge mdb add dev br0 grp 239.8.8.8; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.8.8.8 permanent; echo "status $?"
bridge mdb foo; echo "status $?"
bridge mdb del dev br0 port v1 grp 239.3.3.3; echo "status $?"
bridge mdb del dev br0 port v1 grp 239.3.3.3; echo "status $?"
bridge mdb del dev br0 port br0 grp 239.6.6.6; echo "status $?"
bridge mdb del dev br0 port v0 grp 239.5.5.5; echo "status $?"
bridge mdb del dev br0 port v0 grp 239.5.5.5 vid 10; echo "status $?"
bridge mdb show
ip -n a link del vx0
sleep 1
bridge mdb show
sleep 2.5
bridge mdb show
ip link set v1 down
bridge mdb show
ip link set v1 up
ip link set v1 nomaster
bridge mdb show
bridge mdb add dev br0 port v0 grp 239.10.10.10; echo "status $?"
ip link set dev br0 type bridge mcast_snooping 0
bridge mdb show; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.9.9.9 permanent; echo "status $?"
ip link set dev br0 type bridge mcast_snooping 1
bridge mdb show; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.11.11.11; echo "status $?"
bridge mdb add dev br0 port v0 grp 239.12.12.12 permanent; echo "status $?"
bridge mdb show; echo "status $?"
ip link set br0 down
bridge mdb show; echo "status $?"
ip link set br0 up
bridge mdb show; echo "status $?"
ip link del br0
bridge mdb show; echo "status $?"
