# nc over UDP: a server that connects to its first peer, -W, -q, -u -z scans, refused ports.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -u -l -W 1 9000 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
echo dgram | ip netns exec a nc -u -w 1 10.0.0.2 9000; echo "client: $?"
wait $S; echo "server: $?"
cat /tmp/srv.out /tmp/srv.err
ip netns exec b nc -u -lvn 9001 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
echo dg2 | ip netns exec a nc -u -q 1 -p 40002 10.0.0.2 9001; echo "client: $?"
ip netns exec b ss -uanH
sleep 0.1; kill $S; wait $S; echo "server: $?"
cat /tmp/srv.out /tmp/srv.err
ip netns exec b nc -u -l 9002 > /tmp/srv.out 2> /tmp/srv.err &
S=$!
sleep 0.3
ip netns exec a nc -uzv -w 1 10.0.0.2 9002; echo "scan: $?"
sleep 0.1; kill $S; wait $S; echo "server: $?"
cat /tmp/srv.out; echo
ip netns exec a nc -uzv -w 1 10.0.0.2 9999; echo "scan closed: $?"
echo hi | ip netns exec a nc -u -w 1 10.0.0.2 9999; echo "closed: $?"
echo hi | ip netns exec a nc -v -u -w 1 10.0.0.2 9999; echo "closed verbose: $?"
