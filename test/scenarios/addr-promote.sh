# promote_secondaries: deleting a primary promotes its first secondary; its routes move to it.
sysctl net.ipv4.conf.all.promote_secondaries net.ipv4.conf.default.promote_secondaries
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
sysctl net.ipv4.conf.v0.promote_secondaries
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.2/24 dev v0
ip addr add 10.1.0.3/24 dev v0
ip addr del 10.1.0.1/24 dev v0
ip -4 addr show dev v0
ip -4 route show table all
sysctl -w net.ipv4.conf.v0.promote_secondaries=1
ip addr add 10.2.0.1/24 dev v0
ip addr add 10.3.0.1/24 dev v0
ip addr add 10.2.0.2/24 brd + dev v0
ip addr add 10.3.0.2/24 dev v0
ip addr add 10.2.0.3/24 dev v0 label v0:x
ip route add 10.9.0.0/16 via 10.2.0.254
ip route add 10.8.0.0/16 via 10.2.0.254 src 10.2.0.1
ip -4 addr show dev v0
ip addr del 10.2.0.1/24 dev v0
ip -4 addr show dev v0
ip -4 route show table all
ip route get 10.2.0.77
ip addr del 10.2.0.2/24 dev v0
ip -4 addr show dev v0
ip -4 route show table all
sysctl -w net.ipv4.conf.v0.promote_secondaries=0
sysctl -w net.ipv4.conf.all.promote_secondaries=1
ip addr add 10.4.0.1/24 dev v1
ip addr add 10.4.0.2/24 dev v1
ip addr del 10.4.0.1/24 dev v1
ip -4 addr show dev v1
sysctl -w net.ipv4.conf.all.promote_secondaries=0
ip addr add 10.4.0.3/24 dev v1
ip addr del 10.4.0.2/24 dev v1
ip -4 addr show dev v1
ip -4 route show table all dev v1
