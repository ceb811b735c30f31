# net.ipv4.tcp_tw_reuse: connect() may take over a TIME_WAIT socket's 4-tuple (tcp_twsk_unique)
# when timestamps were on and tcp_tw_reuse_delay has passed since it entered TIME_WAIT; 2 (the
# default) allows it for loopback traffic only. A single local port makes connect() meet it:
# a port held by connections to other peers is shared (the 4-tuple is what must be unique).
ip netns add a
ip -n a link set lo up
ip netns exec a sysctl -qw 'net.ipv4.ip_local_port_range=40000 40000' net.ipv4.tcp_tw_reuse_delay=3000
ip netns exec a nc -lk -p 80 > /dev/null &
L=$!
sleep 0.5
c() { echo x | ip netns exec a nc -N "$1" 80; echo "rc=$?"; sleep 0.3; }
tw() { ip netns exec a ss -tan state time-wait | tail -n +2 | awk '{print $3, $4}' | sort; }
c 127.0.0.1
# Too soon: the only port's 4-tuple is in TIME_WAIT and not yet reusable.
c 127.0.0.1
# Another peer: the port is shared.
c 127.0.0.2
tw
sleep 4
# Past the delay: the TIME_WAIT socket is recycled.
c 127.0.0.1
tw
ip netns exec a nstat -az TcpExtTW TcpExtTWRecycled | tail -n +2 | awk '{print $1, $2}'
# 0: never.
ip netns exec a sysctl -w net.ipv4.tcp_tw_reuse=0
sleep 4
c 127.0.0.1
# Without timestamps there is nothing to tell old segments from new: never either.
ip netns exec a sysctl -w net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_timestamps=0
c 127.0.0.3
sleep 4
c 127.0.0.3
ip netns exec a nstat -az TcpExtTW TcpExtTWRecycled | tail -n +2 | awk '{print $1, $2}'
kill $L
wait $L 2>/dev/null
ip netns del a
