# unshare -n: a new network namespace is a fresh machine (only lo, DOWN); the child's namespace goes
# when it exits. -r also makes a user namespace where the caller is root and which owns the new
# network namespace: everything works inside it, nothing reaches the parent's devices or sysctls.
unshare -n ip link
unshare -n bash -c 'ip link set lo up; ip -4 addr; ping -c 1 -W 1 127.0.0.1 | head -2'
echo "rc=$?"
unshare -n bash -c 'exit 7'
echo "rc=$?"
unshare -n nosuchcmd
echo "rc=$?"
ip link add v0 type veth peer name v1
unshare -n ip -br link
unshare --net ip -br link
unshare -r -n bash -c 'ip link set lo up; ip link add a0 type veth peer name a1; ip -br link | cut -c1-32; sysctl -w net.ipv4.ip_forward=1; cat /proc/sys/net/ipv4/conf/all/forwarding'
unshare -r -n ip link set lo netns 1
echo "rc=$?"
ip netns add red
unshare -r -n ip link add b0 type veth peer name b1 netns red
echo "rc=$?"
unshare -r -n ip link add b0 netns red type veth peer name b1
echo "rc=$?"
unshare -r -n ip netns add x
echo "rc=$?"
unshare -r ip link set v0 up
echo "rc=$?"
unshare -r ip link del v0
echo "rc=$?"
unshare -r ip addr add 10.1.1.1/24 dev v0
echo "rc=$?"
unshare -r sysctl -w net.ipv4.ip_forward=1
echo "rc=$?"
unshare -r bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
echo "rc=$?"
unshare -r sysctl -w net.ipv4.icmp_echo_ignore_all=1
sysctl net.ipv4.ip_forward net.ipv4.icmp_echo_ignore_all
unshare -U ip link set lo up
echo "rc=$?"
unshare -U -n ip -br link
echo "rc=$?"
unshare --user --net --fork ip -br link
ip -br link | cut -c1-32
ip -br link | wc -l
unshare --bogus
echo "rc=$?"
unshare --m true
echo "rc=$?"
unshare -x
echo "rc=$?"
unshare --fork=3 true
echo "rc=$?"
unshare --help | head -4
unshare -V
ip netns exec red ip -br link
ip netns del red
