# SNAT to an address range: a new connection whose source is not in the range takes the mapping
# an existing connection from the same address and port already has (find_appropriate_src), so a
# client keeps one public address and port whatever it talks to; from other ports the address
# is picked by a hash of source and destination (find_best_ips_proto), and --persistent leaves
# the destination out of the hash.
ip netns add c; ip netns add r; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r
ip link add veth0 netns s type veth peer name eth1 netns r
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r link set eth0 up
for i in 1 2 3 4; do ip -n r addr add 10.0.2.$i/24 dev eth1; done
ip -n r link set eth1 up
for i in 10 11 12 13 14 15 16 17; do ip -n s addr add 10.0.2.$i/24 dev veth0; done
ip -n s link set veth0 up
ip -n c route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -p udp --dport 53 -j SNAT --to-source 10.0.2.1-10.0.2.4
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -p udp --dport 54 -j SNAT --to-source 10.0.2.1-10.0.2.4 --persistent
show() { ip netns exec r conntrack -L -p udp --orig-port-dst $1 2>/dev/null | awk '{print $4, $5, $6, "->", $10, $12}' | sort; }
echo "--- one source port, eight destinations"
for i in 10 11 12 13 14 15 16 17; do echo x | ip netns exec c nc -u -q0 -p 40000 10.0.2.$i 53; done
sleep 0.2
show 53
ip netns exec r conntrack -F 2>/dev/null
echo "--- a port each"
for i in 10 11 12 13 14 15 16 17; do echo x | ip netns exec c nc -u -q0 -p 400$i 10.0.2.$i 53; done
sleep 0.2
show 53
echo "--- a port each, --persistent"
for i in 10 11 12 13 14 15 16 17; do echo x | ip netns exec c nc -u -q0 -p 410$i 10.0.2.$i 54; done
sleep 0.2
show 54
