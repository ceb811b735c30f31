# ip -d link: promiscuity/allmulti counters, MTU range, kind, addrgenmode, queues (veth: one per CPU), GSO/TSO/GRO limits; -d -j.
ip -d link show lo
ip link add v0 type veth peer name v1
ip -d link show v0
ip -d -j link show v0
ip -d -j -p link show lo
ip link set v0 promisc on
ip link set v0 allmulticast on
ip -d link show v0
ip link set v0 promisc off
ip link set v0 mtu 1279
ip -d link show v0
ip link set v0 mtu 1280
ip -d link show v0
ip link set lo mtu 1000
ip -d link show lo
ip -d address show v0
ip -d -o link show v1
ip -d -br link show v1
