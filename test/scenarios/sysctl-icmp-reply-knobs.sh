# icmp_errors_use_inbound_ifaddr: an ICMP error about a forwarded packet comes from the address of
# the device the packet came in on, not from the one the route back to the sender leaves by.
# fwmark_reflect: echo replies and errors carry (and are routed with) the mark of what they answer.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a addr add 10.1.0.2/24 dev va
ip -n r addr add 10.1.0.1/24 dev ra
ip -n r addr add 10.2.0.1/24 dev rb
ip -n b addr add 10.2.0.2/24 dev vb
for n in a r b; do ip -n $n link set lo up; done
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add default via 10.1.0.1
ip -n b route add default via 10.2.0.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
# The way back to a leaves by rb (through b), so the two choices differ.
ip -n r route add 10.1.0.2/32 via 10.2.0.2 dev rb
ip netns exec r tcpdump -n -i rb -c 2 icmp > /tmp/sysctl-icmp-reply-knobs.1 2>/dev/null &
T=$!
sleep 0.5
ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2 > /dev/null
ip netns exec r sysctl -w net.ipv4.icmp_errors_use_inbound_ifaddr=1
ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2 > /dev/null
wait $T
sed -E 's/^[0-9:.]+ //; s/, id [0-9]+/, id I/' /tmp/sysctl-icmp-reply-knobs.1
rm -f /tmp/sysctl-icmp-reply-knobs.1
ip -n r route del 10.1.0.2/32
# fwmark_reflect: mark what comes in, count what goes out with that mark.
ip netns exec r iptables -t mangle -A PREROUTING -p icmp -j MARK --set-mark 7
ip netns exec r iptables -t mangle -A OUTPUT -p icmp -m mark --mark 7
ip netns exec r iptables -t mangle -A OUTPUT -p icmp -m mark --mark 0
ip netns exec a ping -c 1 -W 1 10.1.0.1 | grep -c 'bytes from'
ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2 | grep -c 'Time to live exceeded'
ip netns exec r iptables -t mangle -L OUTPUT -v -n -x | tail -n +3 | awk '{print $1, $NF, $(NF-1)}'
ip netns exec r sysctl -w net.ipv4.fwmark_reflect=1
ip netns exec a ping -c 1 -W 1 10.1.0.1 | grep -c 'bytes from'
ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2 | grep -c 'Time to live exceeded'
ip netns exec r iptables -t mangle -L OUTPUT -v -n -x | tail -n +3 | awk '{print $1, $NF, $(NF-1)}'
# And the mark steers the reply's route: marked replies are sent into a blackhole.
ip -n r rule add fwmark 7 table 7
ip -n r route add blackhole 10.1.0.0/24 table 7
ip netns exec a ping -c 1 -W 1 10.1.0.1 | grep -c 'bytes from'
ip netns exec r sysctl -w net.ipv4.fwmark_reflect=0
ip netns exec a ping -c 1 -W 1 10.1.0.1 | grep -c 'bytes from'
ip netns del a
ip netns del r
ip netns del b
