# nc servers: -k keeps listening, SO_REUSEPORT lets two listen on one port, localhost names.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -lk 8088 > /tmp/k.out &
S=$!
sleep 0.3
echo one | ip netns exec a nc -N 10.0.0.2 8088; echo "client 1: $?"
echo two | ip netns exec a nc -N 10.0.0.2 8088; echo "client 2: $?"
sleep 0.5
kill $S; wait $S; echo "server: $?"
cat /tmp/k.out
ip netns exec b nc -l 8087 &
S1=$!
ip netns exec b nc -l 8087 &
S2=$!
sleep 0.3
kill $S1 $S2; wait $S1; echo "first: $?"; wait $S2; echo "second: $?"
ip netns exec a nc -lv 8089 > /tmp/lo.out 2> /tmp/lo.err &
S=$!
sleep 0.3
echo lo | ip netns exec a nc -v -N -p 40003 localhost 8089; echo "client: $?"
wait $S; echo "server: $?"
cat /tmp/lo.out /tmp/lo.err
ip netns exec b nc -l 10.0.0.2 80 > /dev/null &
S=$!
sleep 0.3
ip netns exec a nc -zv 10.0.0.2 79-81; echo "scan: $?"
wait $S
ip netns exec b nc -l -p 22 > /dev/null &
S=$!
sleep 0.3
ip netns exec a nc -zvn 10.0.0.2 22; echo "scan -n: $?"
wait $S
