# conntrack -E: NEW, UPDATE and DESTROY events as connections are made, change state and die.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
ip -n b link set lo up
ip netns exec b iptables -A INPUT -m conntrack --ctstate NEW -p udp -j CONNMARK --set-mark 7
ip netns exec b iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80
ip netns exec b conntrack -E > /tmp/netnest-ce-all.out 2>&1 &
M1=$!
ip netns exec b conntrack -E -p tcp -e NEW,DESTROY > /tmp/netnest-ce-tcp.out 2>&1 &
M2=$!
ip netns exec b conntrack -E -e upd -o extended > /tmp/netnest-ce-upd.out 2>&1 &
M3=$!
ip netns exec b conntrack -E expect > /tmp/netnest-ce-exp.out 2>&1 &
M4=$!
ip netns exec b nc -l -p 80 > /dev/null &
L=$!
sleep 0.5
ip netns exec a ping -c1 -W1 10.0.0.2 > /dev/null; echo "ping $?"
echo hi | ip netns exec a nc -N -w1 -p 40000 10.0.0.2 8080; echo "nc $?"
ip netns exec a nc -w1 -z -p 40002 10.0.0.2 81; echo "nc $?"
echo hi | ip netns exec a nc -u -w1 -p 40001 10.0.0.2 53; echo "nc $?"
sleep 0.5
kill -INT $M1
kill $M2 $M3 $M4
wait $M1; echo "conntrack $?"
wait $M2; echo "conntrack $?"
wait $M3; echo "conntrack $?"
wait $M4; echo "conntrack $?"
wait $L
echo "== all"
cat /tmp/netnest-ce-all.out
echo "== tcp"
cat /tmp/netnest-ce-tcp.out
echo "== updates"
cat /tmp/netnest-ce-upd.out
echo "== expect"
cat /tmp/netnest-ce-exp.out
rm -f /tmp/netnest-ce-all.out /tmp/netnest-ce-tcp.out /tmp/netnest-ce-upd.out /tmp/netnest-ce-exp.out
ip netns exec b conntrack -E -e FOO; echo "conntrack $?"
ip netns exec b conntrack -E -e new,bogus; echo "conntrack $?"
ip netns exec b conntrack -L -E; echo "conntrack $?"
