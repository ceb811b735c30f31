# tcpdump on lo and on any: what lo sends comes straight back in, and libpcap keeps only the
# incoming copy (the kernel's counter still counts both); a TCP conversation over lo.
ip netns add a
ip -n a link set lo up
ip netns exec a tcpdump -n -i lo > /tmp/tcpdump-loopback.1 2> /tmp/tcpdump-loopback.1e & P1=$!
ip netns exec a tcpdump -n -i any icmp > /tmp/tcpdump-loopback.2 2> /tmp/tcpdump-loopback.2e & P2=$!
sleep 1
ip netns exec a ping -c 1 127.0.0.1 > /dev/null
ip netns exec a nc -l -p 5000 > /dev/null & S=$!
sleep 0.5
ip netns exec a bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000; echo hello >&3; sleep 0.5; exec 3>&-'
wait $S
sleep 1
kill $P1 $P2; wait $P1 $P2
for i in 1 2; do
  # The client's port is an ephemeral one (five digits).
  sed -E 's/127\.0\.0\.1\.[0-9]{5}\b/127.0.0.1.PORT/g' /tmp/tcpdump-loopback.$i
  cat /tmp/tcpdump-loopback.${i}e
done
