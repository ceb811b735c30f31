# Losing carrier flushes a device's neighbours but the permanent ones; going down flushes them all.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0; ip link set v0 up; ip link set v1 up
ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0
ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev v0 nud stale
ip -4 neigh show | sort
ip link set v1 down; sleep 0.5
echo carrier-down; ip -4 neigh show | sort
ip link set v1 up; sleep 0.5
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0 nud stale
ip link set v0 down
echo v0-down; ip -4 neigh show nud all | sort
