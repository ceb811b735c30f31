# -o output for link, addr and route.
ip -o link
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.4.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip -o link
ip -o -4 addr
ip -o addr show lo
ip -o route
ip -o route show table local
