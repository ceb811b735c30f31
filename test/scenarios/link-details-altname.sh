# Alternative names: ip link property add/del, altname lines, lookup by altname, clashes with names.
ip link add v0 type veth peer name v1
ip link property add dev v0 altname foo altname bar
ip link show v0
ip link show foo
ip -j link show bar
ip addr show dev foo
ip link set foo mtu 1400
ip link set dev bar alias viaalt
ip -s link show v0
ip link property add dev v1 altname foo
echo rc=$?
ip link property add dev v1 altname v0
echo rc=$?
ip link property add dev v0 altname v0
echo rc=$?
ip link property del dev v1 altname foo
echo rc=$?
ip link property del dev v0 altname nosuch
echo rc=$?
ip link property del dev v0 altname v0
echo rc=$?
ip link add foo type veth
echo rc=$?
ip link set v1 name bar
echo rc=$?
ip link property del dev v0 altname foo
ip link show v0
ip link property add dev v0 altname "$(printf 'a%.0s' $(seq 1 127))"
echo rc=$?
ip link property add dev v0 altname "$(printf 'a%.0s' $(seq 1 128))"
echo rc=$?
ip link property add dev v0 altname "a b"
echo rc=$?
ip link property add altname x
echo rc=$?
ip link property add dev nosuch altname x
echo rc=$?
ip link property
echo rc=$?
ip link property foo dev v0
echo rc=$?
ip link property add dev v0
echo rc=$?
ip netns add other
ip link set v1 netns other
ip link property add dev v0 altname shared
ip -n other link property add dev v1 altname shared
ip -n other link show shared
ip link set v0 netns other
echo rc=$?
ip -n other link set v1 netns 1
echo rc=$?
ip link show shared
ip link del bar
ip link show
