# timeout(1) in virtual time: the signal, --preserve-status, -k, -s, durations, errors, a blocked
# nc in a namespace ended by it, and a bash -c child that stops where the signal caught it.
timeout 1 sleep 5; echo "rc=$?"
timeout 5 sleep 1; echo "rc=$?"
timeout --preserve-status 1 sleep 5; echo "rc=$?"
timeout 1 nosuch; echo "rc=$?"
timeout abc sleep 1; echo "rc=$?"
timeout; echo "rc=$?"
timeout 1; echo "rc=$?"
timeout -k 1 1 sleep 5; echo "rc=$?"
timeout 0.5s sleep 1; echo "rc=$?"
timeout 1m sleep 0; echo "rc=$?"
timeout -s FOO 1 sleep 1; echo "rc=$?"
timeout -s INT 1 sleep 3; echo "rc=$?"
timeout 2 bash -c 'sleep 1; echo inner; sleep 5; echo never'; echo "rc=$?"
timeout 0 sleep 0.1; echo "rc=$?"
echo after
ip netns add a
ip netns exec a timeout 1 nc -lu 4789; echo "nc udp rc=$?"
ip netns exec a ip link set lo up
timeout 0.5 ip netns exec a nc -l 127.0.0.1 9000; echo "nc tcp rc=$?"
ip netns exec a timeout 2 ping -q 127.0.0.1 | grep -c transmitted; echo "ping rc=${PIPESTATUS[0]}"
ip netns del a
