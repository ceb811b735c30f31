# nc over TCP between two namespaces: client -N, verbose server and client, -q, -w, -z.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -l 8080 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
echo hello | ip netns exec a nc -N 10.0.0.2 8080; echo "client: $?"
wait $S; echo "server: $?"
cat /tmp/srv.out /tmp/srv.err
echo fromsrv | ip netns exec b nc -lvn 8081 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
echo fromcli | ip netns exec a nc -vn -N -p 40000 10.0.0.2 8081; echo "client: $?"
wait $S; echo "server: $?"
cat /tmp/srv.out /tmp/srv.err
ip netns exec b nc -lv 8082 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
echo x | ip netns exec a nc -v -q 0 -s 10.0.0.1 -p 40001 10.0.0.2 8082; echo "client: $?"
wait $S; echo "server: $?"
cat /tmp/srv.out /tmp/srv.err
ip netns exec b nc -l 8083 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
ip netns exec a nc -zv 10.0.0.2 8082-8084; echo "scan: $?"
wait $S; echo "server: $?"
ip netns exec b nc -l 8080 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
ip netns exec a nc -w 1 10.0.0.2 8080; echo "idle client: $?"
wait $S; echo "server: $?"
echo bye | ip netns exec b nc -N -l 8085 &
S=$!
sleep 0.3
ip netns exec a nc 10.0.0.2 8085; echo "reader: $?"
wait $S; echo "server: $?"
ip netns exec b nc -l 8086 &
S=$!
sleep 0.3
echo q1 | ip netns exec a nc -q 1 10.0.0.2 8086; echo "q client: $?"
wait $S; echo "server: $?"
ip netns exec a nc -v 10.0.0.2 80; echo "refused: $?"
ip netns exec a nc 10.0.0.2 80; echo "refused quiet: $?"
ip netns exec a nc -zv 10.0.0.2 http; echo "refused http: $?"
ip netns exec a nc -v 10.9.0.2 80; echo "unreachable: $?"
ip netns exec a nc -v -s 10.0.0.9 10.0.0.2 80; echo "bad source: $?"
ip netns exec a nc -lv 10.9.9.9 8080; echo "bad listen: $?"
ip netns exec a nc -v localhost 80; echo "localhost: $?"
ip netns exec a nc nosuchhost 80; echo "no host: $?"
ip netns exec a nc -n localhost 80; echo "numeric: $?"
