# A router's prohibit, unreachable and blackhole routes as forwarded pings meet them, and the Ip counters.
ip netns add h1; ip netns add r; ip netns add h2
ip link add ha type veth peer name ra; ip link set ha netns h1; ip link set ra netns r
ip link add rb type veth peer name hb; ip link set rb netns r; ip link set hb netns h2
ip -n h1 addr add 10.0.1.2/24 dev ha; ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb; ip -n h2 addr add 10.0.2.2/24 dev hb
for x in "h1 ha" "r ra" "r rb" "h2 hb"; do set -- $x; ip -n $1 link set $2 up; done
ip -n h1 route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n r route add prohibit 10.9.1.0/24
ip -n r route add unreachable 10.9.2.0/24
ip -n r route add blackhole 10.9.3.0/24
for d in 10.9.1.1 10.9.2.1 10.9.3.1 10.9.4.1; do ip netns exec h1 ping -c 1 -W 1 $d; echo rc=$?; done
ip netns exec r cat /proc/net/snmp | grep ^Ip: 
