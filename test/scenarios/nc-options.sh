# nc options: -C, -d, -q on a listener, UDP -k, service names for -l and -p, -6, -4.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -l 8080 > /tmp/srv.out &
S=$!; sleep 0.3
printf 'one\ntwo\r\nthree' | ip netns exec a nc -C -N 10.0.0.2 8080; echo "crlf: $?"
wait $S; tr '\r' R < /tmp/srv.out; echo
echo fromsrv | ip netns exec b nc -N -l 8081 > /tmp/srv.out &
S=$!; sleep 0.3
echo ignored | ip netns exec a nc -d 10.0.0.2 8081; echo "detached: $?"
wait $S; echo "server: $?"; cat /tmp/srv.out
echo srvdata | ip netns exec b nc -l -q 0 8082 > /tmp/srv.out &
S=$!; sleep 0.3
printf "" | ip netns exec a nc 10.0.0.2 8082; echo "client: $?"
wait $S; echo "server -q 0: $?"; cat /tmp/srv.out
ip netns exec b nc -u -lk 9000 > /tmp/srv.out &
S=$!; sleep 0.3
echo d1 | ip netns exec a nc -u -q 0 10.0.0.2 9000; echo "udp 1: $?"
echo d2 | ip netns exec a nc -u -q 0 -p 40005 10.0.0.2 9000; echo "udp 2: $?"
sleep 0.5; kill $S; wait $S; echo "server: $?"; cat /tmp/srv.out
ip netns exec b nc -lvn http 2> /tmp/srv.err > /dev/null &
S=$!; sleep 0.3
ip netns exec a nc -zv -p domain 10.0.0.2 www; echo "names: $?"
wait $S; cat /tmp/srv.err
ip netns exec a nc -z -p foo 10.0.0.2 80; echo "bad -p: $?"
ip netns exec a nc -l foo; echo "bad -l port: $?"
ip netns exec a nc -6 -z localhost 80; echo "-6 localhost: $?"
ip netns exec a nc -4 -zv 10.0.0.2 81; echo "-4: $?"
ip netns exec a nc -zv 10.0.0.2 1 65536; echo "list: $?"
ip netns exec a nc -zv 127.1 80; echo "short quad: $?"
