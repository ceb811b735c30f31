# A device's neigh parms drive its ARP resolution: mcast_solicit (the broadcast requests while
# INCOMPLETE) and retrans_time_ms, by sysctl or `ip ntable change`; with neither mcast_solicit nor
# app_solicit no request is sent at all, the entry is FAILED at once and the packet dropped; an
# app_solicit probe goes to a resolving daemon (ip monitor's "miss"), not on the wire.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
s() { sed 's/used [0-9]*\/[0-9]*\/[0-9]*//'; }
ip netns exec a sysctl -w net.ipv4.neigh.va.mcast_solicit=1 net.ipv4.neigh.va.retrans_time_ms=500
ip netns exec a ping -c 1 -W 2 10.0.0.9; echo "rc=$?"
ip -s -n a neigh show 10.0.0.9 | s
ip -n a ntable change name arp_cache dev va mcast_probes 0
ip -4 -n a ntable show dev va | grep probes
ip netns exec a ping -c 1 -W 1 10.0.0.8; echo "rc=$?"
ip -s -n a neigh show 10.0.0.8 | s
ip netns exec a sysctl -w net.ipv4.neigh.va.app_solicit=1
ip -n a monitor neigh > /tmp/neigh-parms.mon & sleep 0.5
ip netns exec a ping -c 1 -W 2 10.0.0.7 > /dev/null; echo "rc=$?"
sleep 0.5; kill %1; wait
sed 's/lladdr [0-9a-f:]* //' /tmp/neigh-parms.mon; rm /tmp/neigh-parms.mon
ip -s -n a neigh show 10.0.0.7 | s
ip netns exec a sysctl -w net.ipv4.neigh.va.mcast_solicit=2 net.ipv4.neigh.va.app_solicit=0
ip netns exec a ping -c 1 -W 2 -q 10.0.0.2 | grep transmitted; echo "rc=$?"
ip -s -n a neigh show 10.0.0.2 | s
