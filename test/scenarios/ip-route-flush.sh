# ip route flush by protocol, of the main table, and with -s statistics.
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v1 up
ip link set v0 up
ip addr add 10.1.0.1/24 dev v0
ip route add 10.9.0.0/16 via 10.1.0.254
ip route add 10.8.0.0/16 dev v0 proto static
ip route flush proto static
ip route
ip route flush
echo rc=$?
ip -s route flush table main
ip route
ip -s route flush table main
ip route show table local
