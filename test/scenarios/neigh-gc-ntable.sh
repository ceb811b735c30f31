# arp_cache is one table for the whole machine: `ip ntable` shows its gc thresholds and parms
# from any namespace, but only the initial one may change them (ENOENT elsewhere, after the
# parms were set); each namespace's devices have their own parms, listed newest first, whose
# refcnt counts the entries made with them. net.ipv4.neigh.default exists only in init_net.
# ("reachable" is drawn at random when parms are made.)
ip netns add a
ip -n a link add va type veth peer name vb
ip -n a addr add 10.0.0.1/24 dev va
ip -n a link set va up; ip -n a link set vb up
r() { sed 's/reachable [0-9]* /reachable R /'; }
ip -4 -n a ntable show | r
ip -n a ntable show name arp_cache dev va | r
ip -n a ntable show dev none name arp_cache | r
ip -n a ntable show name nosuch; echo "rc=$?"
ip -n a ntable show dev nosuch; echo "rc=$?"
ip -n a ntable change name arp_cache thresh3 16; echo "rc=$?"
ip -n a ntable change name arp_cache gc_int 1000; echo "rc=$?"
ip -n a ntable change name arp_cache dev lo queue 5 thresh1 7; echo "rc=$?"
ip -n a ntable change name arp_cache; echo "rc=$?"
ip -n a ntable change name nosuch dev va queue 5; echo "rc=$?"
ip -n a ntable change name arp_cache dev va retrans 500 ucast_probes 5 gc_stale 9000; echo "rc=$?"
ip -n a ntable change dev va queue 3; echo "rc=$?"
ip -n a ntable change name arp_cache dev nosuch queue 3; echo "rc=$?"
ip -n a ntable change name arp_cache queue x; echo "rc=$?"
ip -n a ntable change name arp_cache foo 1; echo "rc=$?"
ip -4 -n a ntable show dev lo | r
ip -4 -n a ntable show dev va | r
ip netns exec a sysctl net.ipv4.neigh.default.gc_thresh3; echo "rc=$?"
ip netns exec a ls /proc/sys/net/ipv4/neigh/ /proc/sys/net/ipv4/neigh/va
ip netns exec a sysctl net.ipv4.neigh.va.retrans_time net.ipv4.neigh.va.retrans_time_ms net.ipv4.neigh.va.gc_stale_time net.ipv4.neigh.va.ucast_solicit net.ipv4.neigh.va.unres_qlen net.ipv4.neigh.va.unres_qlen_bytes
ip netns exec a sysctl net.ipv4.neigh.lo | r
ip netns exec a sysctl -w net.ipv4.neigh.va.retrans_time_ms=1001 net.ipv4.neigh.va.base_reachable_time=20 net.ipv4.neigh.va.unres_qlen=7
ip netns exec a sysctl net.ipv4.neigh.va.retrans_time_ms net.ipv4.neigh.va.retrans_time net.ipv4.neigh.va.base_reachable_time_ms net.ipv4.neigh.va.unres_qlen_bytes
ip netns exec a sysctl -w net.ipv4.neigh.va.ucast_solicit=-1; echo "rc=$?"
ip netns exec a sysctl -w net.ipv4.neigh.va.interval_probe_time_ms=0; echo "rc=$?"
for i in 1 2 3; do ip -n a neigh add 10.0.0.$((i+1)) lladdr 02:00:00:00:00:0$i dev va nud stale; done
ip -n a neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev va nud permanent
ip -4 -n a ntable show dev va | grep refcnt | r
ip -n a neigh del 10.0.0.2 dev va
ip -n a neigh flush dev va
ip -4 -n a ntable show dev va | grep refcnt | r
ip -n a link del va
ip -4 -n a ntable show | grep dev
ip -s -4 -n a ntable show dev none | grep -c "stats allocs"
ip netns exec a sysctl --deprecated net.ipv4.neigh.lo | grep -c time
