# Bytes, not text: data with bytes >= 0x80 (not UTF-8) passes unchanged through nc (TCP and UDP,
# stdin to socket and socket to stdout, top level and under ip netns exec), curl's body (stdout and
# -o) and socat's STDIO, into pipes and files.
printf '\xff\x00\x80a' | od -An -tx1
printf '\xff\x80' > /tmp/binf; od -An -tx1 /tmp/binf
cat /tmp/binf | od -An -tx1
ip netns add a; ip link add va netns a type veth peer name vb; ip -n a addr add 10.0.0.1/24 dev va; ip -n a link set va up; ip -n a link set lo up
ip addr add 10.0.0.2/24 dev vb; ip link set vb up
ip netns exec a nc -l 7000 > /tmp/recv & P=$!
sleep 0.5
printf '\xff\x80z' | nc -N 10.0.0.1 7000
wait $P
od -An -tx1 /tmp/recv
ip netns exec a nc -u -l 7001 > /tmp/recv2 & P=$!
sleep 0.5
printf '\xfe\x81' | nc -u -w1 10.0.0.1 7001
kill $P; wait $P 2>/dev/null
od -An -tx1 /tmp/recv2
ip netns exec a bash -c 'printf "\xc0\x01" | nc -N -l 7002' & P=$!
sleep 0.5
nc -d 10.0.0.1 7002 | od -An -tx1
wait $P
ip netns exec a bash -c "printf 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n\xff\x80\x01' | nc -N -l 8080 > /dev/null" & P=$!
sleep 0.5
curl -s http://10.0.0.1:8080/ | od -An -tx1
wait $P
ip netns exec a bash -c "printf 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n\xfe\x80\x02' | nc -N -l 8080 > /dev/null" & P=$!
sleep 0.5
curl -s -o /tmp/body http://10.0.0.1:8080/; od -An -tx1 /tmp/body
wait $P
ip netns exec a socat -u TCP-LISTEN:7000 - > /tmp/s1 & P=$!
sleep 0.5
printf '\xfd\x90z' | socat -u - TCP:10.0.0.1:7000
wait $P
od -An -tx1 /tmp/s1
ip netns exec a bash -c "printf '\xaa\xbb' | socat -u - TCP-LISTEN:7001" & P=$!
sleep 0.5
socat -u TCP:10.0.0.1:7001 - | od -An -tx1
wait $P
