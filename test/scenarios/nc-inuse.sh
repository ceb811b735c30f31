# Address already in use: a client bound to a listener's port, and a listener on a client's port.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec a nc -l 8080 &
L=$!
ip netns exec b nc -l 80 > /dev/null &
S=$!
sleep 0.3
ip netns exec a nc -z -p 8080 10.0.0.2 80; echo "client on a listener's port: $?"
ip netns exec a nc -v -z -p 8080 10.0.0.2 80; echo "verbose: $?"
ip netns exec a nc -d -p 5555 10.0.0.2 80 &
C=$!
sleep 0.3
ip netns exec a nc -l 5555; echo "listener on a client's port: $?"
ip netns exec a nc -u -l 5555 & 
U=$!
sleep 0.3
kill $U; wait $U; echo "udp on the same number: $?"
kill $L $C $S 2>/dev/null
wait
