# The main and local tables, table all, and routes that come and go with link state.
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.17.0.1/24 dev v0
ip -4 route show table all
ip link set v0 up
ip link set v1 up
ip route add 10.18.0.0/16 via 10.17.0.254
ip -4 route show table all
ip route show table main
ip link set v1 down
# linkdown is set by link_watch work, a moment after the carrier drops.
sleep 0.1
ip route show table main
ip link set v0 down
ip route show table main
ip route show table local
ip link set v0 up
ip link set v1 up
ip route show table main
ip route show table 100
echo "rc=$?"
