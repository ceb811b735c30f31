# -br output for link and addr.
ip -br link
ip -br addr
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.3.0.1/24 dev v0
ip addr add 10.3.1.1/16 dev v0
ip link set v0 up
ip -br link
ip -br -4 addr
ip -br addr show lo
ip -br link show v1
ip link set v1 up
ip -br link show v0
