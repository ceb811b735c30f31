# ip -t / -ts: each monitored message starts with the wall-clock time (print_timestamp), also
# a message `dev` filters out; -ts after -t is short; -rcvbuf takes an unsigned number. ping -D
# stamps each reply and error line, ping -O says which echo is still unanswered. MTU 1000 keeps
# IPv6 quiet.
ip netns add a
ip netns add b
ip -n a link add d0 mtu 1000 type veth peer name d1 mtu 1000 netns b
ip -n a link add d2 mtu 1000 type veth peer name d3 mtu 1000
ip -n a -t monitor link address dev d0 > /tmp/mon-t 2>&1 &
ip -n a -ts monitor all > /tmp/mon-ts 2>&1 &
ip -n a -t -ts monitor label route > /tmp/mon-tts 2>&1 &
sleep 1
ip -n a addr add 10.1.1.1/24 dev d0
ip -n a addr add 10.2.2.1/24 dev d2
ip -n b addr add 10.1.1.9/24 dev d1
ip -n a link set d0 up
ip -n b link set d1 up
ip -n a link set d2 up
ip -n a rule add pref 100 from 1.2.3.4 table 5
sleep 1
kill %1 %2 %3
wait
echo "== -t"; cat /tmp/mon-t
echo "== -ts"; cat /tmp/mon-ts
echo "== -t -ts"; cat /tmp/mon-tts
ip -rcvbuf 100000 -n a link show lo; echo "rc=$?"
ip -rcvbuf 0x10 -n a -br link show lo; echo "rc=$?"
ip -rcvbuf x -n a link show lo; echo "rc=$?"
ip -rcvbuf -1 -n a link show lo; echo "rc=$?"
ip -tshort -n a -br link show lo; echo "rc=$?"
ip netns exec a ping -D -c 2 -i 0.2 10.1.1.9
ip netns exec a ping -D -c 1 -W 1 10.1.1.77; echo "rc=$?"
ip netns exec a ping -O -c 3 -i 1 -W 1 10.1.1.77; echo "rc=$?"
ip netns exec a ping -O -D -c 2 -i 1 -W 1 10.1.1.9; echo "rc=$?"
rm -f /tmp/mon-t /tmp/mon-ts /tmp/mon-tts
ip netns del a
ip netns del b
