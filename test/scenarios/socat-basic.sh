# socat between two namespaces: STDIO/-/STDIN/STDOUT with TCP, TCP-LISTEN (fork, reuseaddr),
# UDP and UDP-LISTEN, -u, a TCP forwarder; its error lines (date and pid normalized) and status.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b socat TCP-LISTEN:8080,reuseaddr - > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo hello | ip netns exec a socat - TCP:10.0.0.2:8080; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
echo reply | ip netns exec b socat TCP-LISTEN:8081,reuseaddr STDIO > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo hello | ip netns exec a socat STDIO TCP4:10.0.0.2:8081; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
ip netns exec b socat TCP-LISTEN:8082,fork,reuseaddr - > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo one | ip netns exec a socat - TCP:10.0.0.2:8082; echo "rc=$?"
echo two | ip netns exec a socat - TCP:10.0.0.2:8082; echo "rc=$?"
sleep 0.3; kill $S; wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
echo pong | ip netns exec b socat UDP-LISTEN:9000 - > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo ping | ip netns exec a socat - UDP:10.0.0.2:9000; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
ip netns exec b socat -u UDP-LISTEN:9001 - > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo dgram | ip netns exec a socat -u - UDP4:10.0.0.2:9001; echo "rc=$?"
sleep 0.3; kill $S; wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
ip netns exec b socat -u TCP-LISTEN:8083,reuseaddr STDOUT > /tmp/socat-basic.out 2>&1 & S=$!; sleep 0.3
echo uni | ip netns exec a socat -u STDIN TCP:10.0.0.2:8083; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/socat-basic.out
ip netns exec b socat TCP-LISTEN:8084,reuseaddr TCP:10.0.0.1:7000 > /tmp/socat-basic.out 2>&1 & S=$!
echo back | ip netns exec a nc -l -N 7000 > /tmp/socat-basic.nc & N=$!; sleep 0.3
echo fwd | ip netns exec a socat - TCP:10.0.0.2:8084; echo "rc=$?"
wait $S; echo "srv=$?"; wait $N; cat /tmp/socat-basic.out /tmp/socat-basic.nc
ip netns exec b socat TCP-LISTEN:8085 - & S=$!; sleep 0.3
ip netns exec b socat TCP-LISTEN:8085 -; echo "in use: $?"
kill $S; wait $S; echo "srv=$?"
ip netns exec a socat - TCP:10.0.0.2:8089; echo "refused: $?"
ip netns exec a socat - TCP:10.0.0.2:http; echo "service: $?"
ip netns exec a socat - TCP:10.0.0.2:bogus; echo "bad service: $?"
ip netns exec a socat - TCP:nosuch:80; echo "no host: $?"
ip netns exec a socat - UDP:nosuch:80; echo "no host udp: $?"
ip netns exec a socat - TCP:10.9.0.2:80; echo "unreachable: $?"
ip netns exec a socat - TCP:10.0.0.9:80,connect-timeout=1; echo "timeout: $?"
echo x | ip netns exec a socat - UDP:10.0.0.2:9999; echo "udp refused: $?"
ip netns exec a socat TCP-LISTEN:80,bind=10.9.9.9 -; echo "bad bind: $?"
ip netns exec a socat - TCP:10.0.0.2:80,foo=1; echo "bad option: $?"
ip netns exec a socat - FOO:1; echo "bad address: $?"
ip netns exec a socat - TCP:10.0.0.2; echo "params: $?"
ip netns exec a socat -Q - -; echo "bad flag: $?"
socat; echo "none: $?"
socat -; echo "one: $?"
echo hi | socat - -; echo "stdio: $?"
