# ip route add/del with via, dev, src and metric, and the errors on the way.
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.5.0.1/24 dev v0
ip addr add 10.5.0.2/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add 192.168.10.0/24 via 10.5.0.254
ip route add 192.168.11.0/24 dev v0
ip route add 192.168.12.0/24 via 10.5.0.254 src 10.5.0.2
ip route add 192.168.13.0/24 via 10.5.0.254 metric 100
ip route add 192.168.13.0/24 via 10.5.0.253 metric 200
ip route add 192.168.14.1 dev v0
ip route add default via 10.5.0.254
ip route
ip route add 192.168.10.0/24 via 10.5.0.254
echo "rc=$?"
ip route add 192.168.20.0/24 via 10.6.0.1
echo "rc=$?"
ip route add 192.168.21.0/24 via 10.5.0.254 src 10.9.9.9
echo "rc=$?"
ip route add 192.168.22.0/24 dev nosuch
echo "rc=$?"
ip route del 192.168.13.0/24 metric 200
ip route del 192.168.10.0/24
ip route del 192.168.99.0/24
echo "rc=$?"
ip route del default
ip route
ip route show 192.168.13.0/24
ip route show dev v0 scope link
