# -j output for link, addr and route.
ip -j link
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.2.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip -j link show lo
ip -j link show v0
ip -j -4 addr
ip -j addr show lo
ip -j route
ip -j route show table local
