# bash's /dev/tcp and /dev/udp redirections between two namespaces: output to a TCP server,
# input from one, a UDP datagram, and bash's errors when the socket cannot be opened.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
ip netns exec b nc -l 8080 > /tmp/devtcp-basic.out & S=$!; sleep 0.3
ip netns exec a bash -c 'echo hi > /dev/tcp/10.0.0.2/8080'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-basic.out
ip netns exec b nc -l 8080 > /tmp/devtcp-basic.out & S=$!; sleep 0.3
ip netns exec a bash -c '{ echo one; echo two; } >> /dev/tcp/10.0.0.2/8080'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-basic.out
printf 'from server\n' | ip netns exec b nc -l -N 8080 > /dev/null & S=$!; sleep 0.3
ip netns exec a bash -c 'cat < /dev/tcp/10.0.0.2/8080'; echo "rc=$?"
wait $S; echo "srv=$?"
printf 'HTTP/1.0 200 OK\r\n\r\nbody\n' | ip netns exec b nc -l -N 80 > /dev/null & S=$!; sleep 0.3
ip netns exec a bash -c 'while read -r line; do echo "got: $line"; done < /dev/tcp/10.0.0.2/http'; echo "rc=$?"
wait $S; echo "srv=$?"
ip netns exec b nc -u -l 9000 > /tmp/devtcp-basic.out & S=$!; sleep 0.3
ip netns exec a bash -c 'echo dgram > /dev/udp/10.0.0.2/9000'; echo "rc=$?"
sleep 0.3; kill $S; wait $S; echo "srv=$?"; cat /tmp/devtcp-basic.out
ip netns exec a bash -c 'echo hi > /dev/tcp/10.0.0.2/8081'; echo "refused: $?"
ip netns exec a bash -c 'echo hi > /dev/tcp/10.9.0.2/8081'; echo "unreachable: $?"
ip netns exec a bash -c 'echo hi > /dev/tcp/nosuch/8081'; echo "no host: $?"
ip netns exec a bash -c 'echo hi > /dev/tcp/10.0.0.2/bogus'; echo "bad service: $?"
ip netns exec a bash -c 'echo dgram > /dev/udp/nosuch/9001'; echo "udp no host: $?"
ip netns exec a bash -c 'echo dgram > /dev/udp/10.0.0.2/9001'; echo "udp: $?"
echo hi > /dev/tcp/10.0.0.2/8081; echo "script unreachable: $?"
echo hi > /dev/tcp/127.0.0.1/8081; echo "script lo down: $?"
ip link set lo up
echo hi > /dev/tcp/127.0.0.1/8081; echo "script refused: $?"
