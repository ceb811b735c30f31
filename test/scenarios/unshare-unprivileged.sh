# A task that is not root: rtnetlink changes, sysctl writes and `ip netns` want CAP_NET_ADMIN or
# CAP_SYS_ADMIN over the namespace; reading is allowed. An unprivileged user may still make a user
# namespace of its own (unshare -r) and administer a network namespace inside it.
nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
ip netns add red
nobody ip -br link
nobody ip netns list
nobody ip link set lo up
echo "rc=$?"
nobody ip link add v0 type veth peer name v1
echo "rc=$?"
nobody ip addr add 10.0.0.1/8 dev lo
echo "rc=$?"
nobody ip route add 10.0.0.0/8 dev lo
echo "rc=$?"
nobody ip rule add table 7
echo "rc=$?"
nobody ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:01 dev lo
echo "rc=$?"
nobody sysctl net.ipv4.ip_forward
nobody sysctl -w net.ipv4.ip_forward=1
echo "rc=$?"
nobody bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
echo "rc=$?"
nobody cat /proc/sys/net/ipv4/ip_default_ttl
nobody bash -c 'echo 5 > /proc/sys/user/max_net_namespaces'
echo "rc=$?"
nobody ip netns add blue
echo "rc=$?"
nobody ip netns exec red ip link
echo "rc=$?"
nobody ip -n red link
echo "rc=$?"
nobody ip netns del red
echo "rc=$?"
nobody unshare -n true
echo "rc=$?"
nobody unshare -r -n bash -c 'ip link set lo up; ip -br link; sysctl -w net.ipv4.ip_forward=1; cat /proc/sys/user/max_net_namespaces'
echo "rc=$?"
nobody unshare -r ip link set lo up
echo "rc=$?"
nobody unshare -r sysctl -w net.ipv4.icmp_echo_ignore_all=1
echo "rc=$?"
nobody unshare -r bash -c 'echo 1 > /proc/sys/net/ipv4/ip_default_ttl'
echo "rc=$?"
nobody setpriv --reuid=0 true
echo "rc=$?"
nobody setpriv --reuid=nobody ip -br link
setpriv --reuid=nosuchuser true
echo "rc=$?"
setpriv --reuid=nobody --regid=nogroup true
echo "rc=$?"
setpriv --reuid=nobody
echo "rc=$?"
ip netns list
ip netns del red
