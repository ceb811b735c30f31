# Sysctls belong to their namespace: a write in one is seen neither in another nor in the host,
# and a device copies its own namespace's conf.default (netnest shares the defaults until a write).
ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv4.ip_default_ttl=33 net.ipv4.icmp_ratelimit=500 net.ipv4.ip_local_port_range="2000 3000"
ip netns exec a sysctl -qw net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.arp_ignore=1 net.ipv4.conf.lo.arp_announce=2
ip netns exec a sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.netfilter.nf_conntrack_tcp_loose=0
ip -n a link add va type veth peer name vb netns b
ip -n a link set lo up
ip -n b link set lo up
for ns in a b; do
  echo "== $ns"
  ip netns exec $ns sysctl net.ipv4.ip_default_ttl net.ipv4.icmp_ratelimit net.ipv4.ip_local_port_range
  ip netns exec $ns sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.default.arp_ignore
  ip netns exec $ns sysctl net.ipv4.conf.lo.arp_announce net.ipv4.conf.lo.arp_ignore
  ip netns exec $ns sysctl net.bridge.bridge-nf-call-iptables net.netfilter.nf_conntrack_tcp_loose
done
ip netns exec a sysctl net.ipv4.conf.va.arp_ignore
ip netns exec b sysctl net.ipv4.conf.vb.arp_ignore
echo "== host"
sysctl net.ipv4.ip_default_ttl net.ipv4.conf.default.arp_ignore net.ipv4.conf.lo.arp_announce
# conf.default written later reaches a device only for the knobs it has not set itself.
ip netns exec b sysctl -qw net.ipv4.conf.vb.arp_ignore=2
ip netns exec b sysctl -qw net.ipv4.conf.default.arp_ignore=1 net.ipv4.conf.default.arp_announce=1
ip netns exec b sysctl net.ipv4.conf.vb.arp_ignore net.ipv4.conf.vb.arp_announce net.ipv4.conf.lo.arp_announce
ip netns exec a sysctl net.ipv4.conf.default.arp_announce net.ipv4.conf.va.arp_announce
# An address marks every knob of its device as set: later conf.default writes pass it by.
ip -n a addr add 10.9.0.1/24 dev va
ip netns exec a sysctl -qw net.ipv4.conf.default.arp_announce=2
ip netns exec a sysctl net.ipv4.conf.va.arp_announce net.ipv4.conf.default.arp_announce
ip netns del a
ip netns del b
