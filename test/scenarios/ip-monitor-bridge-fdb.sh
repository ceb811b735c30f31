# ip monitor neigh hears a bridge's FDB notifications (family AF_BRIDGE) and prints them as
# print_neigh does: no destination, "dev D lladdr L STATE"; with -s the cache times run into the
# state (no NDA_PROBES to print between them); with dev the device is left out; -0 filters them.
ip link add br0 type bridge
ip link add v0 mtu 1000 type veth peer name e0 mtu 1000
ip -s monitor neigh > /tmp/ipmon-fdb-s.out &
ip monitor neigh dev v0 > /tmp/ipmon-fdb-d.out &
ip -0 monitor neigh > /tmp/ipmon-fdb-0.out &
ip monitor all > /tmp/ipmon-fdb-all.out &
sleep 0.3
ip link set v0 master br0
bridge fdb add 02:00:00:00:00:09 dev v0 master static
bridge fdb replace 02:00:00:00:00:09 dev v0 master dynamic
bridge fdb del 02:00:00:00:00:09 dev v0 master
sleep 0.3
kill %1 %2 %3 %4
wait
for f in s d 0; do echo "== $f"; cat /tmp/ipmon-fdb-$f.out; done
echo "== all"; grep NEIGH /tmp/ipmon-fdb-all.out
rm -f /tmp/ipmon-fdb-*.out
