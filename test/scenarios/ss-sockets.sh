# ss over nc's sockets: listeners, an established connection, UDP bound and connected, TIME-WAIT.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b ss -tan
ip netns exec b ss -u
ip netns exec b ss -tuln
ip netns exec b nc -u -l 10.0.0.2 53 >/dev/null &
U=$!
ip netns exec b nc -l 10.0.0.2 8080 > /tmp/srv.out &
S=$!
sleep 0.3
for args in -ua -uan -lun -ul; do echo "## ss $args"; ip netns exec b ss $args; done
echo hello | ip netns exec a nc -N -p 40000 10.0.0.2 8080; echo "client: $?"
wait $S
for args in -t -tan -ta "-ta state time-wait" -tanH -4tan -6tan; do echo "## ss $args"; ip netns exec a ss $args; done
kill $U; wait
ip netns exec b ss -tn state foo; echo "bad state: $?"
ip netns exec b ss -V
ip netns exec b ss -y 2>/dev/null; echo "bad option: $?"
