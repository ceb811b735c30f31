# A SYN that finds the listener's end of its 4-tuple in TIME_WAIT (the server closed first) takes
# it over when its timestamp is newer (tcp_timewait_state_process: TCP_TW_SYN), and the new
# connection's SYN-ACK starts at the old connection's snd_nxt + 65535 + 2 (tcp_tw_isn), not at a
# fresh secure sequence number: tcpdump -S shows the distance. TcpExtTW counts both timewaits.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b tcpdump -l -S -n -i vb tcp > /tmp/tw-isn.txt 2>/dev/null &
T=$!
sleep 1
for i in 1 2; do
  # The server sends its FIN at once (-N on an empty stdin); the client answers when it reads it.
  ip netns exec b nc -l -p 5002 -N < /dev/null &
  S=$!
  sleep 0.3
  ip netns exec a nc -p 40000 10.0.0.2 5002 < /dev/null
  echo "client $i: rc=$?"
  wait $S
  echo "server $i: rc=$?"
  ip netns exec b ss -tan state time-wait | tail -n +2 | awk '{print $3, $4}'
  sleep 0.3
done
kill $T
wait $T 2>/dev/null
# The server's last sequence number of the first connection (its FIN's, plus one) and the
# second SYN-ACK's initial one.
awk '$3 == "10.0.0.2.5002" && $7 ~ /F/ && !fin { fin = $9 + 1 }
     $3 == "10.0.0.2.5002" && $7 == "[S.]," { n++; if (n == 2) isn = $9 }
     END { sub(/,/, "", isn); print "syn-ack isn - first snd_nxt =", isn - fin }' /tmp/tw-isn.txt
awk 'NF > 0 {print $3, $4, $5, $7}' /tmp/tw-isn.txt
ip netns exec b nstat -az TcpExtTW | tail -n +2 | awk '{print $1, $2}'
rm -f /tmp/tw-isn.txt
ip netns del a
ip netns del b
