# ss options: -N, -f, -A queries, -4/-6, table and state combinations, their errors.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
sleep 0.3
echo hi | ip netns exec a nc -N -p 40000 10.0.0.2 8080
wait
ss -N a -tan; echo "rc=$?"
ss -N nope -tan; echo "rc=$?"
for a in "-f inet" "-f inet -a" "-A tcp" "-A inet -a" "-A tcp,udp -a" "-4 -a" "-6" "-t -a -O" "-x -a" "-w -a" \
  "-tl state all" "-t exclude time-wait" -d -M -S "-A sctp" "-A dccp" "-A raw" -w -0 "-A netlink" "-f link" -x \
  "-A unix_dgram" "-f unix -a" "-t -f inet6" "-A tcp,!tcp" "-t state syn-sent state established" "-t -f inet6 -4" \
  "-tu -l" "-tuw -a" "-tl -n exclude listening" "-l -x" "--tcp --all --numeric" "--no-header -ta"; do
  echo "## ss $a"; ip netns exec a ss $a; echo "rc=$?"
done
ip netns exec a ss -A foo 2>&1 | head -2; echo "rc=$?"
ip netns exec a ss -f foo 2>&1 | head -2; echo "rc=$?"
ip netns exec a ss --foo 2>&1 | head -2; echo "rc=$?"
ip netns exec a ss -Z; echo "rc=$?"
