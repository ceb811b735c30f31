# A stateful firewall (ESTABLISHED,RELATED then default DROP) on a server, a docker -p style DNAT
# port forward and a REDIRECT on a router; ICMP errors for a tracked UDP flow are RELATED.
ip netns add c; ip netns add r; ip netns add s
ip link add veth0 netns c type veth peer name eth0 netns r
ip link add veth0 netns s type veth peer name eth1 netns r
ip -n c addr add 10.0.1.2/24 dev veth0; ip -n c link set veth0 up; ip -n c link set lo up
ip -n r addr add 10.0.1.1/24 dev eth0; ip -n r link set eth0 up
ip -n r addr add 10.0.2.1/24 dev eth1; ip -n r link set eth1 up; ip -n r link set lo up
ip -n s addr add 10.0.2.2/24 dev veth0; ip -n s link set veth0 up; ip -n s link set lo up
ip -n c route add default via 10.0.1.1
ip -n s route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
# The server: replies and ICMP errors in, new TCP only to port 80, the rest dropped.
ip netns exec s iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec s iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT
ip netns exec s iptables -A INPUT -p icmp -m state --state NEW -j ACCEPT
ip netns exec s iptables -P INPUT DROP
ip netns exec s iptables -A OUTPUT -m conntrack --ctstate INVALID -j DROP
# The router publishes 10.0.1.1:8080 as the server's port 80; 8081 on the router is port 81.
ip netns exec r iptables -t nat -A PREROUTING -d 10.0.1.1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.2.2:80
ip netns exec r iptables -t nat -A PREROUTING -p tcp --dport 8081 -j REDIRECT --to-ports 81
ip netns exec r iptables -t nat -S
ip netns exec s nc -lvn -p 80 > /tmp/ct-srv.out 2> /tmp/ct-srv.err &
S=$!
sleep 0.3
echo published | ip netns exec c nc -q1 -p 41000 10.0.1.1 8080; echo "client: $?"
wait $S
cat /tmp/ct-srv.out /tmp/ct-srv.err
sleep 0.2
ip netns exec r conntrack -L -p tcp
ip netns exec r conntrack -L -g 10.0.2.2
ip netns exec s conntrack -L -p tcp
ip netns exec r nc -lvn -p 81 > /tmp/ct-srv.out 2> /tmp/ct-srv.err &
S=$!
sleep 0.3
echo redirected | ip netns exec c nc -q1 -p 41001 10.0.1.1 8081; echo "client: $?"
wait $S
cat /tmp/ct-srv.out /tmp/ct-srv.err
sleep 0.2
ip netns exec r conntrack -L -p tcp --orig-port-src 41001
# Not allowed by the server's firewall: dropped, the client times out.
echo x | ip netns exec c timeout 0.5 nc -p 41002 10.0.2.2 22; echo "blocked: $?"
ip netns exec c ping -c1 -W1 10.0.2.2 | grep -c "bytes from"
# UDP from the server to a closed port: the port-unreachable error is RELATED and let in.
ip netns exec s bash -c 'echo x | nc -u -w1 -p 40001 10.0.1.2 7'; echo "udp: $?"
ip netns exec s conntrack -L -p udp
ip netns exec s iptables -L INPUT -n -v -x
ip netns exec s iptables -L OUTPUT -n -v -x
