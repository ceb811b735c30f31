# ip netns add/list/exec/del, and ip -n.
ip netns list
ip netns add red
ip netns add blue
ip netns list
ip netns exec red ip link
ip -n blue link set lo up
ip -n blue -4 addr
ip netns exec red bash -c 'ip link set lo up; ip -4 addr; sysctl -n net.ipv4.ip_forward'
ip netns exec blue bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward'
ip netns exec red cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
ip netns exec red bash -c 'exit 3'
echo "rc=$?"
ip netns exec nosuch true
echo "rc=$?"
ip netns del red
ip netns list
ip netns del red
echo "rc=$?"
ip netns exec blue ping -c 1 -W 1 127.0.0.1 | head -2
ip netns del blue
ip netns list
echo "done"
