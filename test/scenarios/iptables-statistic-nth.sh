# -m statistic --mode nth: which packets of a run each rule takes (libxt_statistic starts the
# counter at every-packet, so --packet 0 takes the first), and the option checks.
ip netns add a
ip netns add b
ip -n a link add v0 mtu 1000 type veth peer name v1 mtu 1000 netns b
ip -n a addr add 10.1.1.1/24 dev v0
ip -n b addr add 10.1.1.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip netns exec b iptables -A INPUT -p icmp -m statistic --mode nth --every 3 --packet 0 -j ACCEPT
ip netns exec b iptables -A INPUT -p icmp -m statistic --mode nth --every 3 --packet 2 -j ACCEPT
ip netns exec b iptables -A INPUT -p icmp -m statistic --mode nth ! --every 2 --packet 1 -j ACCEPT
ip netns exec b iptables -A INPUT -p icmp -j DROP
for i in 1 2 3 4 5 6 7; do
  ip netns exec a ping -c 1 -W 1 10.1.1.2 > /dev/null && echo "ping $i answered" || echo "ping $i lost"
  ip netns exec b iptables -L INPUT -v -n -x | awk 'NR>2 {printf "%s ", $1} END {print ""}'
done
ip netns exec b iptables -S INPUT
# libxt_statistic's checks: statistic_check, then the option table's excl/also/once rules.
ip netns exec b iptables -F INPUT
ip netns exec b iptables -A INPUT -m statistic --mode nth --every 3 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode nth -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode nth --every 3 --probability 0.5 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode foo -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random --probability 1.5 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --every 2 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode nth --every 2 --packet 5 -j ACCEPT; echo rc=$?
ip netns exec b iptables -S INPUT
ip netns exec b iptables -A INPUT -m statistic --mode nth --every 3 ! --packet 1 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --probability 0.5 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random --probability .25 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random --probability 1e-1 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random --probability x -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode random ! --probability 0.3 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode nth --packet 1 --every 4 --probability 0.2 -j ACCEPT; echo rc=$?
ip netns exec b iptables -A INPUT -m statistic --mode nth --every 5 --packet 4 --mode random -j ACCEPT; echo rc=$?
ip netns exec b iptables -S INPUT
ip netns del a
ip netns del b
