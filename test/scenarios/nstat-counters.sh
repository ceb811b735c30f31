# nstat over a router: per-namespace history files ($NSTAT_HISTORY), increments since the last
# run, -a -z -s -n -r, patterns, --json and -p, the usage and version texts; IpExt octets and ECN
# counters as Linux counts them.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a mtu 1200 type veth peer name ra netns r mtu 1200
ip link add vb netns b mtu 1200 type veth peer name rb netns r mtu 1200
ip -n a addr add 10.0.1.2/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.2/24 dev vb
for ns in a r b; do ip -n $ns link set lo up; done
ip -n a link set va up; ip -n b link set vb up; ip -n r link set ra up; ip -n r link set rb up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
export NSTAT_HISTORY=/tmp/nstat-a.hist
ip netns exec a nstat -n
NSTAT_HISTORY=/tmp/nstat-r.hist ip netns exec r nstat -n
ip netns exec a ping -c 2 -i 0.2 10.0.2.2 > /dev/null
ip netns exec a nstat
echo "--- again"
ip netns exec a nstat
echo "--- router"
NSTAT_HISTORY=/tmp/nstat-r.hist ip netns exec r nstat
echo x | ip netns exec a nc -u -w 1 10.0.2.2 5002
ip netns exec a ping -c 1 -t 1 10.0.2.2 > /dev/null
echo "--- -s"
ip netns exec a nstat -s
echo "--- patterns"
ip netns exec a nstat 'Icmp*' 'IpExt*Octets'
echo "--- after patterns"
ip netns exec a nstat
echo "--- -az"
ip netns exec a nstat -az 'Udp[A-Z]*' 'IpExtIn*'
echo "--- -r"
ip netns exec a nstat -r 'Ip[A-Z]*'
echo "--- json"
ip netns exec a ping -c 1 10.0.2.2 > /dev/null
ip netns exec a nstat -s --json
ip netns exec a nstat -j -p 'IpExt*'
ip netns exec a nstat -j -p
echo "--- -a json"
ip netns exec a nstat -aj 'Icmp*Echo*'
echo "--- router netstat"
ip netns exec r cat /proc/net/netstat | sed -n 4p
ip netns exec r cat /proc/net/snmp | sed -n 2p
ip netns exec a nstat -V; echo "rc=$?"
ip netns exec a nstat --help; echo "rc=$?"
ip netns exec a nstat -q; echo "rc=$?"
ip netns exec a nstat -t 0; echo "rc=$?"
rm -f /tmp/nstat-a.hist /tmp/nstat-r.hist
