# A job inside a namespace is a process there: ip netns pids and identify find it, ip netns attach
# names its namespace; ip -all netns exec and delete walk every name.
ip netns add a
ip netns add b
ip netns exec a sleep 3 &
P=$!
sleep 0.3
[ "$(ip netns pids a)" = "$P" ] && echo "pids a: the job"
ip netns pids b | wc -l
ip netns identify $P
ip netns attach c $P; echo "rc $?"
ip netns identify $P
ip -n c link add d0 type veth peer name d1
ip -n a -br link | sort
ip netns attach c $P; echo "rc $?"
ip netns attach y 999999; echo "rc $?"
ip netns attach y abc; echo "rc $?"
ip netns attach y; echo "rc $?"
ip netns attach y 0; echo "rc $?"
ip netns list
ip -all netns exec ip -br link show lo
ip -all netns exec sh -c 'echo "$(ip -br link | wc -l) links"; exit 3'; echo "rc $?"
ip -all netns exec; echo "rc $?"
kill $P
wait $P
ip -all netns delete; echo "rc $?"
ip netns list | wc -l
ip -all netns exec true; echo "rc $?"
