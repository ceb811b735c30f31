# Addresses: primary and secondary, broadcast, label, scope, delete, and the routes they bring.
ip link add v0 type veth peer name v1
ip addr add 10.13.0.1/24 dev v0
ip addr add 10.13.0.2/24 dev v0
ip addr add 10.13.1.1/16 brd + dev v0
ip addr add 10.14.0.1/24 broadcast 10.14.0.255 dev v0 label v0:web
ip addr add 10.15.0.1/32 dev v0
ip addr add 10.16.0.1/24 dev v0 scope link
ip -4 addr show dev v0
ip route show table main
ip link set v0 up
ip route show table main
ip route show table local
ip addr del 10.13.0.1/24 dev v0
ip -4 addr show dev v0
ip addr del 10.13.1.1/16 dev v0
ip addr del 10.14.0.1 dev v0
echo "rc=$?"
ip -4 -o addr show dev v0
ip addr flush dev v0
ip -4 addr show dev v0
ip route show table local
