# ss -lt over sock_diag: a listener's Recv-Q is its accept queue, its Send-Q its backlog.
ip link set lo up
nc -lk -p 80 > /dev/null &
L1=$!
socat TCP-LISTEN:81,reuseaddr,backlog=7 - > /dev/null &
L2=$!
sleep 0.3
# The listening hash's order depends on a per-namespace random mix: one port at a time.
ss -ltn sport = :80
ss -ltn sport = :81
timeout 2 nc -p 40001 127.0.0.1 80 < /dev/null &
C1=$!
sleep 0.3
timeout 2 nc -p 40002 127.0.0.1 80 < /dev/null &
C2=$!
sleep 0.5
ss -ltn sport = :80
# The established hash's order is random too: one socket at a time.
ss -tn sport = :40002
ss -tn dport = :40002
grep -c ' 0A 00000000:00000001 ' /proc/net/tcp
wait $C1; echo "client $?"
wait $C2; echo "client $?"
ss -ltn sport = :80
kill $L1 $L2
wait $L1 $L2 2>/dev/null
ss -ltn
# socat's backlog option: strtol's bases, a bare option is 1, bad numbers.
socat TCP-LISTEN:82,backlog=0x10 - > /dev/null &
L3=$!
socat TCP-LISTEN:83,backlog - > /dev/null &
L4=$!
socat TCP-LISTEN:84,backlog=-1 - > /dev/null &
L5=$!
sleep 0.3
ss -ltn sport = :82
ss -ltn sport = :83
ss -ltn sport = :84
kill $L3 $L4 $L5
wait $L3 $L4 $L5 2>/dev/null
socat TCP-LISTEN:85,backlog=abc -; echo "socat $?"
socat TCP-LISTEN:85,backlog=3x -; echo "socat $?"
