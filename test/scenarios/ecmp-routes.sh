# Multipath routes: nexthop lines as iproute2 prints them, weights, dead/linkdown next hops,
# deleting, argument errors.
ip netns add r
ip -n r link add va type veth peer name va2
ip -n r link add vb type veth peer name vb2
for d in va vb va2 vb2 lo; do ip -n r link set $d mtu 1200 2>/dev/null; ip -n r link set $d up; done
ip -n r addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.2.1/24 dev vb
ip -n r route add 10.1.0.0/16 nexthop via 10.0.1.2 dev va weight 1 nexthop via 10.0.2.2 dev vb weight 2
ip -n r route show
ip -n r -d route show 10.1.0.0/16
ip -n r -j route show 10.1.0.0/16
ip -n r -o route show 10.1.0.0/16
ip netns exec r cat /proc/net/route
ip -n r route get 10.1.0.1 from 10.0.1.1
ip -n r route get 10.1.0.1 from 10.0.2.1
ip -n r link set vb down
ip -n r route show
ip -n r route get 10.1.0.1
ip -n r link set vb up
ip -n r link set vb2 down
ip -n r route show
ip -n r link set vb2 up
ip -n r route del 10.1.0.0/16 nexthop via 10.0.1.2
echo "rc=$?"
ip -n r route del 10.1.0.0/16 nexthop via 10.0.1.2 nexthop via 10.0.2.2
echo "rc=$?"
ip -n r route show
ip -n r route add 10.1.0.0/16 nexthop via 10.0.1.2 nexthop via 10.0.2.2
ip -n r route del 10.1.0.0/16
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 dev va nexthop via 10.0.9.2
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 dev va weight 0
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 dev va weight 257
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 dev nosuch
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 foo
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop
echo "rc=$?"
ip -n r route add 10.2.0.0/16 nexthop via 10.0.1.2 dev va weight 256
ip -n r route add 10.3.0.0/16 nexthop dev va nexthop dev vb
ip -n r route add 10.4.0.0/16 metric 5 nexthop via 10.0.1.2 nexthop via 10.0.2.2 weight 3
ip -n r route
ip -n r link del vb
ip -n r route
