# /proc/net files of two namespaces after pings between them. The veths get an MTU below IPv6's
# minimum (1280), so IPv6 stays off them and their counters see only the IPv4 traffic.
ip netns add a
ip netns add b
ip link add v0 mtu 1200 type veth peer name v1
ip link set v0 netns a
ip link set v1 netns b
ip -n b link set v1 mtu 1200
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip -n a route add default via 10.0.0.254
ip -n a route add 10.9.0.0/16 via 10.0.0.3 metric 5
ip -n a route add unreachable 10.8.0.0/16
ip -n a route add prohibit 10.7.0.0/16
ip -n a route add blackhole 10.6.0.5/32
ip -n a route add 192.168.1.1 dev v0
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 > /dev/null
ip netns exec b ping -c 1 10.0.0.1 > /dev/null
ip netns exec a cat /proc/net/dev
ip netns exec b cat /proc/net/dev
ip netns exec a cat /proc/net/route
ip netns exec b cat -A /proc/net/route
ip netns exec a cat /proc/net/arp
ip netns exec b cat /proc/net/arp
ip netns exec a cat /proc/net/dev_mcast
ip netns exec a grep '^Ip:' /proc/net/snmp
ip netns exec b grep '^Icmp' /proc/net/snmp
ip netns exec a sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec a grep -A1 '^Ip: Forwarding' /proc/net/snmp | cut -d' ' -f1-3
ip netns exec a ping -c 1 -W 1 10.8.1.1 > /dev/null
ip netns exec a grep '^Ip:' /proc/net/snmp
while read -r iface rest; do echo "$iface"; done < /proc/net/dev
cat /proc/net/route | wc -c
grep -c . /proc/net/snmp
