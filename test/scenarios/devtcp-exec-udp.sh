# bash's /dev/udp on a numbered descriptor: a connected UDP socket; each line a builtin writes is
# one datagram (bash's stdout is line-buffered), and the read builtin, reading one byte per
# read(2), keeps the first byte of a datagram and loses the rest.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
ip netns exec b nc -u -l 9000 > /tmp/devtcp-exec-udp.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 4>/dev/udp/10.0.0.2/9000; echo x >&4; echo y >&4; printf "a\nb\n" >&4; printf "no newline" >&4
ss -uanH | awk "{print \$1, \$2, \$3, \$5}"; exec 4>&-; ss -uanH | wc -l'; echo "rc=$?"
sleep 1; ip netns exec b grep '^Udp: [0-9]' /proc/net/snmp | cut -d' ' -f1-3
kill $S; wait $S; echo "srv=$?"; cat /tmp/devtcp-exec-udp.out; echo
printf 'pong\n' > /tmp/devtcp-exec-udp.reply
ip netns exec b nc -u -l 9001 < /tmp/devtcp-exec-udp.reply > /tmp/devtcp-exec-udp.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 5<>/dev/udp/10.0.0.2/9001; echo ping >&5; read -r -t 2 -u 5 r; echo "read=$? [$r]"'; echo "rc=$?"
sleep 1; kill $S; wait $S; echo "srv=$?"; cat /tmp/devtcp-exec-udp.out
