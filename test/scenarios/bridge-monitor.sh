# bridge monitor in the background: fdb (local entries of a new port and the bridge's address
# moving to it, a learned address, static entries added and deleted, a learned one ageing out as
# stale, a port leaving), fdb and mdb together (learned and hand-added groups, host entries), and
# mdb alone, whose lines wait unflushed in stdio's buffer and die with it when the monitor is
# killed (print_mdb_mon has no fflush). MTU 1000 keeps IPv6 quiet.
ip netns add a
ip link add br0 type bridge
ip link add v0 mtu 1000 type veth peer name e0 netns a mtu 1000
bridge monitor fdb > /tmp/bmon-fdb.out &
bridge monitor fdb mdb > /tmp/bmon-fm.out &
bridge monitor mdb > /tmp/bmon-mdb.out &
sleep 0.3
ip link set v0 master br0
ip link set br0 up
ip link set v0 up
ip -n a link set e0 address 02:00:00:00:00:01
ip -n a link set e0 up
ip -n a addr add 10.0.0.1/24 dev e0
# The port forwards once linkwatch has seen the carrier (up to a second later).
sleep 1.5
ip -n a link add vx0 type vxlan id 42 group 239.1.1.1 dev e0 dstport 4789
ip -n a link set vx0 up
sleep 1.5
bridge fdb add 02:00:00:00:00:09 dev v0 master static
bridge fdb replace 02:00:00:00:00:09 dev v0 master permanent
bridge fdb del 02:00:00:00:00:09 dev v0 master
bridge mdb add dev br0 port v0 grp 239.5.5.5 permanent
bridge mdb add dev br0 port br0 grp 239.6.6.6
bridge mdb del dev br0 port br0 grp 239.6.6.6
bridge mdb del dev br0 port v0 grp 239.5.5.5
ip link set br0 type bridge ageing_time 300
sleep 4
bridge fdb add 02:00:00:00:00:0a dev v0 master static
ip link set v0 nomaster
sleep 0.5
kill %1 %2 %3
wait
for f in fdb fm mdb; do echo "== $f"; cat /tmp/bmon-$f.out; done
rm -f /tmp/bmon-*.out
bridge monitor foo; echo "status $?"
bridge monitor help; echo "status $?"
