# arp off (IFF_NOARP): the device neither resolves nor answers; promiscuity/allmulti of a bridge port.
ip netns add a
ip link add v0 type veth peer name v1 netns a
ip addr add 10.0.0.1/24 dev v0
ip -n a addr add 10.0.0.2/24 dev v1
ip link set v0 up
ip -n a link set v1 up
ip link set v0 arp off
ping -c 1 -W 1 10.0.0.2 | grep -E "transmitted"
ip neigh show
ip -n a neigh show
ip link set v0 arp on
ip -n a link set v1 arp off
ping -c 1 -W 1 10.0.0.2 | grep -E "transmitted"
ip neigh show
ip -n a link set v1 arp on
# The entry is still INCOMPLETE and retries on the timer wheel: give the next probe time to go out.
ping -c 1 -W 3 10.0.0.2 | grep -E "transmitted"
ip neigh show
ip link add br0 type bridge
ip link add v2 type veth peer name v3
ip link set v2 master br0
ip -d link show v2 | head -2
ip link set v2 nomaster
ip -d link show v2 | head -2
