# ip end to end: links, addresses, routes and their errors in one script.
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v1 up
ip link set v0 up
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.2/24 dev v0
ip addr add 10.1.5.1/16 brd + dev v0 label v0:a
ip addr add 10.1.9.9/32 dev v0 scope link
ip -4 addr show dev v0
ip -4 -o addr
ip -4 -br addr
ip -j -4 addr show dev v0
ip -p -j -4 addr show dev lo
ip route add 10.9.0.0/16 via 10.1.0.254 metric 5
ip route add default via 10.1.0.254 proto static
ip route add 10.8.0.0/16 dev v0 src 10.1.0.1
ip route
ip -j route
ip route show table local
ip route show 10.9.0.0/16
ip route show root 10.0.0.0/8
ip route show match 10.9.1.1
ip route show dev v0 proto kernel
ip route show type broadcast table local
ip -o route show table local
ip route get 10.9.1.1
ip -j route get 10.1.0.77
ip route del 10.9.0.0/16
ip route del 10.9.0.0/16
echo rc=$?
ip addr del 10.1.0.1/24 dev v0
ip -4 -br addr
ip addr flush dev v0
ip -4 -br addr
ip link set v0 down
ip link show v0 | head -1
ip link set dev v1 mtu 9000 down
ip link show v1 | head -1
ip link del v1
ip -br link
ip netns add n1
ip netns add n1
echo rc=$?
ip netns exec n1 ip -br link
ip netns exec n1 sh -c 'exit 4'
echo rc=$?
ip -n n1 link set lo up
ip -n n1 -4 -o addr
ip netns del n1
ip netns del n1
echo rc=$?
ip netns
ip link set lo dow
echo rc=$?
ip route add 10.99.0.0/33 dev lo
echo rc=$?
ip route add 10.99.0.0/16 dev lo metric x
echo rc=$?
ip route get
echo rc=$?
ip addr add 10.1.0.1/24 dev nosuch
echo rc=$?
ip l add a type veth peer name b
echo rc=$?
ip link add v7
echo rc=$?
ip a flush
echo rc=$?
ip -x
echo rc=$?
ip nope
echo rc=$?
