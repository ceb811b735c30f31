# Hairpin NAT: a LAN client reaches a server on the same LAN through the router's public address.
# The LAN is a bridge in its own switch namespace (sw), so the router sees every packet routed.
# Without the MASQUERADE rule the server answers the client directly and the connection fails;
# with it the server sees the router as the peer.
T=${TMPDIR:-/tmp}
ip netns add sw; ip netns add r; ip netns add c; ip netns add s; ip netns add x
ip -n sw link add br0 type bridge; ip -n sw link set br0 up
for n in r c s; do
  ip link add veth0 netns $n type veth peer name p$n netns sw
  ip -n sw link set p$n master br0; ip -n sw link set p$n up
  ip -n $n link set veth0 up; ip -n $n link set lo up
done
ip -n r addr add 192.168.1.1/24 dev veth0
ip -n c addr add 192.168.1.10/24 dev veth0
ip -n s addr add 192.168.1.20/24 dev veth0
ip link add wan netns r type veth peer name veth0 netns x
ip -n r addr add 203.0.113.1/24 dev wan; ip -n r link set wan up
ip -n x addr add 203.0.113.2/24 dev veth0; ip -n x link set veth0 up
ip -n c route add default via 192.168.1.1
ip -n s route add default via 192.168.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A PREROUTING -d 203.0.113.1/32 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.20:80
ip netns exec r iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
ip netns exec r iptables -t nat -S
echo "--- from the internet"
ip netns exec s nc -lvn -p 80 > $T/hairpin.out 2> $T/hairpin.err &
S=$!
sleep 0.3
echo outside | ip netns exec x nc -q1 -p 41000 203.0.113.1 8080; echo "client: $?"
wait $S
cat $T/hairpin.out $T/hairpin.err
echo "--- from the LAN, no hairpin rule"
ip netns exec s nc -lvn -p 80 > $T/hairpin.out 2> $T/hairpin.err &
S=$!
sleep 0.3
echo inside | ip netns exec c nc -w1 -p 42000 203.0.113.1 8080; echo "client: $?"
kill $S; wait $S 2>/dev/null
cat $T/hairpin.out $T/hairpin.err
ip netns exec r conntrack -L -p tcp --dport 8080 2>&1 | sort
ip netns exec r conntrack -F 2>/dev/null
echo "--- from the LAN, with the hairpin MASQUERADE"
ip netns exec r iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -d 192.168.1.20/32 -p tcp --dport 80 -j MASQUERADE
ip netns exec s nc -lvn -p 80 > $T/hairpin.out 2> $T/hairpin.err &
S=$!
sleep 0.3
echo inside | ip netns exec c nc -q1 -p 43000 203.0.113.1 8080; echo "client: $?"
wait $S
cat $T/hairpin.out $T/hairpin.err
sleep 0.2
ip netns exec r conntrack -L -p tcp 2>/dev/null
ip netns exec r iptables -t nat -L POSTROUTING -n -v -x
rm -f $T/hairpin.out $T/hairpin.err
