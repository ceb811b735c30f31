# Background jobs: $!, wait (all, by pid, by %job, -n), kill by pid and %job with TERM, INT and
# jobs, functions and variables carried into a job, and pings running side by side.
sleep 5 &
p=$!
echo started
kill $p
wait $p
echo "status $?"
sleep 3 &
kill %1 2>/dev/null; kill %2
wait
echo "wait-all $?"
(sleep 1; echo sub) &
echo fg
wait
sleep 10 & sleep 10 &
kill $!
sleep 0.1
jobs
kill %1
wait %1
echo "kill %1: $?"
f() { echo "in f $1"; return 3; }
x=local
f $x &
wait $!
echo "f: $?"
(sleep 2; exit 4) & (sleep 1; exit 5) &
wait -n; echo "first: $?"
wait -n; echo "second: $?"
wait 12345; echo "not a child: $?"
kill 12345; echo "no such process: $?"
kill -s TERM; echo "usage: $?"
kill -l 15 TERM
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
ip netns exec a ping -c 3 -i 0.5 10.0.0.2 > /tmp/bg-ping1.out &
pid=$!
ip netns exec b ping -c 2 -q 10.0.0.1 | grep transmitted | sed 's/time.*//'
wait $pid; echo "ping status $?"
grep -c "bytes from" /tmp/bg-ping1.out
ip netns exec a ping -i 1 10.0.0.2 > /tmp/bg-ping2.out &
sleep 2.5
kill $!
wait $!
echo "TERM: $?"
sed 's/time=.*//' /tmp/bg-ping2.out
ip netns exec a ping -i 1 10.0.0.2 > /tmp/bg-ping3.out &
sleep 2.5
kill -INT %1
wait %1
echo "INT: $?"
sed 's/time=.*//' /tmp/bg-ping3.out
rm -f /tmp/bg-ping1.out /tmp/bg-ping2.out /tmp/bg-ping3.out
ip netns del a; ip netns del b
