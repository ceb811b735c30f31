# ss -p: which processes hold each socket, from their descriptors (/proc/PID/fd), as
# users:(("COMM",pid=PID,fd=FD)); -T adds the thread. nc's listening socket is its fd 3 and the
# connection it accepts fd 4; socat and curl hold two descriptors of their own first, so their
# sockets are fd 5. A connection still in the accept queue belongs to no process yet.
ip netns add a
ip -n a link set lo up
ip netns exec a nc -l -p 80 > /dev/null &
L=$!
ip netns exec a nc -u -l -p 53 > /dev/null &
U=$!
ip netns exec a socat TCP-LISTEN:81,reuseaddr - > /dev/null &
S=$!
ip netns exec a nc -l -p 82 > /dev/null &
H=$!
sleep 0.5
ip netns exec a nc 127.0.0.1 80 > /dev/null &
C=$!
ip netns exec a curl -s -m 3 http://127.0.0.1:82/ > /dev/null &
W=$!
sleep 0.5
# A second client: nc -l accepts one connection, so this one waits in the queue.
ip netns exec a nc 127.0.0.1 80 > /dev/null &
Q=$!
sleep 0.5
pids() { sed "s/pid=$L,/pid=L,/; s/pid=$U,/pid=U,/; s/pid=$S,/pid=S,/; s/pid=$H,/pid=H,/; s/pid=$C,/pid=C,/; s/pid=$W,/pid=W,/; s/pid=$Q,/pid=Q,/; s/tid=$L,/tid=L,/"; }
# (Listeners sorted: the kernel's listening hash has an order of its own.)
ip netns exec a ss -tulnpH | awk '{print $1, $2, $5, $7}' | sort | pids
echo ---
# Ephemeral ports vary from run to run: they show as EPH.
eph() { awk '{ for (i = 1; i <= 2; i++) { split($i, p, ":"); if (p[2] >= 1024) $i = p[1] ":EPH" } print }'; }
ip netns exec a ss -tnpH | awk '{print $4, $5, $6}' | eph | sort | pids
echo ---
ip netns exec a ss -tlnT sport = :80 | awk '{print $1, $4, $6}' | pids
kill $L $U $S $H $C $W $Q
wait 2>/dev/null
ip netns del a
