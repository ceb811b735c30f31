# ip monitor in the background: links (created, up, moved to another namespace, renamed, mtu,
# deleted), IPv4 addresses and the routes they bring, routes, neighbours, rules, nsids and netconf,
# as iproute2 prints them, also filtered (-4, -o, objects, dev). MTU 1000 keeps IPv6 quiet.
ip -4 monitor > /tmp/mon-all.out &
ip -o monitor link > /tmp/mon-link.out &
ip monitor address route > /tmp/mon-ar.out &
ip monitor label neigh rule nsid > /tmp/mon-label.out &
sleep 0.2
ip link add v1 mtu 1000 type veth peer name v2 mtu 1000
ip monitor dev v1 > /tmp/mon-dev.out &
sleep 0.2
ip link set v1 up
ip link set v2 up
ip addr add 10.9.0.1/24 dev v1
ip addr add 10.9.0.2/24 dev v2
ip addr add 10.9.0.3/24 dev v1
ip route add 10.10.0.0/16 via 10.9.0.2
ip route add blackhole 10.11.0.0/16 table 7
ip neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev v1
ip neigh change 10.9.0.5 lladdr 02:00:00:00:00:06 dev v1
ip neigh del 10.9.0.5 dev v1
ip rule add from 1.2.3.4 table 5
ip rule del from 1.2.3.4 table 5
ip addr del 10.9.0.1/24 dev v1
ip netns add x
ip link set v2 netns x
ip link set v1 mtu 900
ip link set v1 name v1b
ip route del 10.11.0.0/16 table 7
ip link del v1b
ip netns del x
sleep 0.5
kill %1 %2 %3 %4 %5
wait
for f in all link ar label dev; do echo "== $f"; cat /tmp/mon-$f.out; done
rm -f /tmp/mon-*.out
ip monitor foo; echo "status $?"
ip monitor dev nosuch; echo "status $?"
