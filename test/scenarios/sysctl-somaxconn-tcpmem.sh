# net.core.somaxconn caps listen()'s backlog (ss -lt shows it as Send-Q), read at listen() time;
# net.ipv4.tcp_rmem sets a new socket's receive buffer and so the window its SYN offers, and with
# rmem_max the window scale.
ip netns add a
ip -n a link set lo up
ip netns exec a sysctl -w net.core.somaxconn=3
ip netns exec a socat TCP-LISTEN:81,backlog=7 - > /dev/null &
L1=$!
ip netns exec a socat TCP-LISTEN:82,backlog=-1 - > /dev/null &
L2=$!
ip netns exec a socat TCP-LISTEN:83,backlog=2 - > /dev/null &
L3=$!
sleep 0.5
ip netns exec a sysctl -w net.core.somaxconn=0
ip netns exec a socat TCP-LISTEN:84,backlog=7 - > /dev/null &
L4=$!
sleep 0.5
for p in 81 82 83 84; do ip netns exec a ss -ltn sport = :$p | tail -n +2; done
kill $L1 $L2 $L3 $L4
wait $L1 $L2 $L3 $L4 2>/dev/null
# Each namespace its own tcp_rmem: the SYN and the SYN-ACK offer different windows and scales.
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.9.0.1/24 dev va
ip -n b addr add 10.9.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a sysctl -w 'net.ipv4.tcp_rmem=4096 8192 6291456'
ip netns exec b sysctl -w 'net.ipv4.tcp_rmem=4096 16384'
ip netns exec b tcpdump -n -i vb -c 2 'tcp[tcpflags] & tcp-syn != 0' > /tmp/sysctl-somaxconn-tcpmem.1 2>/dev/null &
T=$!
sleep 0.5
ip netns exec a nc -l -p 90 > /dev/null &
L5=$!
sleep 0.5
ip netns exec b nc -w 1 -p 40000 10.9.0.1 90 < /dev/null
wait $T
sed -E 's/^[0-9:.]+ //; s/seq [0-9]+/seq S/; s/ack [0-9]+/ack A/; s/val [0-9]+ ecr [0-9]+/val V ecr E/' /tmp/sysctl-somaxconn-tcpmem.1
rm -f /tmp/sysctl-somaxconn-tcpmem.1
kill $L5 2>/dev/null
wait $L5 2>/dev/null
ip netns del a
ip netns del b
