# net.ipv4.tcp_max_tw_buckets: past it, a connection closed first by this side gets no
# TIME_WAIT socket (TcpExtTCPTimeWaitOverflow) and its port is free at once.
ip netns add a
ip -n a link set lo up
ip netns exec a sysctl -w net.ipv4.tcp_max_tw_buckets=1
ip netns exec a nc -lk -p 80 > /dev/null &
L=$!
sleep 0.5
for p in 40001 40002 40003; do
  echo x | ip netns exec a nc -N -p $p 127.0.0.1 80
  sleep 0.3
done
ip netns exec a ss -tan state time-wait | tail -n +2 | awk '{print $3, $4}' | sort
ip netns exec a nstat -az TcpExtTW TcpExtTCPTimeWaitOverflow | tail -n +2 | awk '{print $1, $2}'
ip netns exec a sysctl -w net.ipv4.tcp_max_tw_buckets=0
echo x | ip netns exec a nc -N -p 40004 127.0.0.1 80
sleep 0.3
ip netns exec a ss -tan state time-wait | tail -n +2 | wc -l
ip netns exec a nstat -az TcpExtTW TcpExtTCPTimeWaitOverflow | tail -n +2 | awk '{print $1, $2}'
kill $L
wait $L 2>/dev/null
ip netns del a
