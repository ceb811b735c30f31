# connect()'s source ports: __inet_hash_connect steps one perturbation slot per peer by 2..16, so
# back-to-back connections to one server take nearby, increasing, even ports. Counters: a
# connect refused is an AttemptFail, one abandoned in SYN_SENT (nc -w) is not; every connection
# closed first here enters TIME_WAIT (TcpExtTW counts it as it is scheduled).
ip netns add srv
ip netns add cli
ip -n srv link add e0 mtu 1000 type veth peer name e0 mtu 1000 netns cli
ip -n srv addr add 10.5.0.1/24 dev e0
ip -n cli addr add 10.5.0.2/24 dev e0
ip -n srv link set e0 up
ip -n cli link set e0 up
ip netns exec srv nc -l -k -p 7000 > /dev/null &
sleep 0.5
for i in 1 2 3 4 5 6; do echo "msg $i" | ip netns exec cli nc -N 10.5.0.1 7000; done
ip netns exec cli ss -tanH state time-wait | awk '{split($3, a, ":"); print a[2]}' | sort -n |
  awk 'NR > 1 {d = $1 - p; print (d >= 2 && d <= 18 && d % 2 == 0) ? "near" : "far " d} {p = $1}
       END {print NR " ports, the last " ((p % 2 == 0) ? "even" : "odd")}'
ip netns exec cli nc -z 10.5.0.1 7001; echo "refused rc=$?"
ip netns exec cli nc -z -w 1 10.5.0.99 7000; echo "timed out rc=$?"
ip netns exec cli nstat -az TcpActiveOpens TcpAttemptFails TcpExtTW TcpExtTWKilled TcpEstabResets
ip netns exec srv nstat -az TcpPassiveOpens TcpExtTW TcpOutRsts
kill %1
wait
ip netns del srv
ip netns del cli
