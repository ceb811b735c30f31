# ip route get: local, connected, via a gateway, with a source, and unreachable.
ip route get 127.0.0.1
echo "rc=$?"
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.9/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add 172.16.0.0/16 via 10.1.0.254
ip route add 192.168.50.0/24 via 10.1.0.253 src 10.1.0.9
ip route get 127.0.0.1
ip route get 127.1.2.3
ip route get 10.1.0.1
ip route get 10.1.0.77
ip route get 172.16.5.5
ip route get 192.168.50.1
ip route get 10.1.0.77 from 10.1.0.9
ip route get 8.8.8.8
echo "rc=$?"
ip route add default via 10.1.0.254
ip route get 8.8.8.8
ip -j route get 172.16.5.5
ip route get 10.1.0.256
echo "rc=$?"
