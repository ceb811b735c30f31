# MASQUERADE bindings die with what they came from: deleting the address they took (masq_inet_event)
# removes the router's masqueraded connections that use it on that device, other connections stay;
# taking the device down (masq_device_event) removes every masqueraded connection through it.
# The next datagram of the flow is a new connection and takes the new address.
T=${TMPDIR:-/tmp}
ip netns add c; ip netns add r; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r
ip link add veth0 netns s type veth peer name eth1 netns r
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r link set eth0 up
ip -n r addr add 10.0.2.1/24 dev eth1; ip -n r addr add 10.0.2.5/24 dev eth1; ip -n r link set eth1 up
ip -n s addr add 10.0.2.2/24 dev veth0; ip -n s link set veth0 up
ip -n c route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -p udp --dport 53 -j MASQUERADE
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -p udp --dport 54 -j SNAT --to-source 10.0.2.1
ip netns exec s nc -u -l -p 53 > $T/masqev.out &
S=$!
sleep 0.3
send() { echo $1 | ip netns exec c nc -u -q0 -p $2 10.0.2.2 $3; sleep 0.2; }
send one 40000 53
send snat 40001 54
send other 40002 55
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
echo "--- a secondary address of eth1 goes"
ip -n r addr del 10.0.2.5/24 dev eth1
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
echo "--- the address MASQUERADE took goes"
ip -n r addr del 10.0.2.1/24 dev eth1
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
echo "--- a new address; the next datagram is a new connection"
ip -n r addr add 10.0.2.7/24 dev eth1
send two 40000 53
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
echo "--- a MASQUERADE connection on another device stays when eth1 goes down"
ip link add veth1 netns s type veth peer name eth2 netns r
ip -n r addr add 10.0.3.1/24 dev eth2; ip -n r link set eth2 up
ip -n s addr add 10.0.3.2/24 dev veth1; ip -n s link set veth1 up
ip netns exec r iptables -t nat -A POSTROUTING -o eth2 -j MASQUERADE
send three 40003 56
send four 40004 53
ip -n c route add 10.0.3.0/24 via 10.0.1.1
echo five | ip netns exec c nc -u -q0 -p 40005 10.0.3.2 57; sleep 0.2
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
ip -n r link set eth1 down
echo "--- eth1 is down"
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
ip -n r link set eth1 up
echo "--- eth2 goes away"
ip -n r link del eth2
ip netns exec r conntrack -L -p udp 2>/dev/null | awk '{print $5, $6, $7, $0}' | sort | cut -d' ' -f4-
kill $S; wait $S 2>/dev/null
echo "server got:"; cat $T/masqev.out
rm -f $T/masqev.out
