# ip monitor all-nsid (NETLINK_LISTEN_ALL_NSID): a listener also hears every namespace its own
# has an nsid for, each message after "[nsid N]", its own namespace's as "[nsid current]"; a
# namespace without an id is not heard until it gets one (ip netns set). The message is filled
# in its namespace, printed with the listener's device cache (ll_remember_index learns names from
# any namespace's messages). Only IPv4 objects, no carrier: no IPv6 traffic.
ip netns add a; ip netns add b
ip netns set a 5
ip monitor all-nsid link address route nsid > /tmp/ip-monitor-all-nsid.1 2>&1 & M=$!
ip monitor all-nsid label link > /tmp/ip-monitor-all-nsid.2 2>&1 & N=$!
ip -n a monitor all-nsid link > /tmp/ip-monitor-all-nsid.3 2>&1 & O=$!
sleep 0.5
ip -n a link add d0 type veth peer name d1
ip -n b link add e0 type veth peer name e1
ip link add h0 type veth peer name h1 netns a
ip -n a addr add 10.1.1.1/24 dev d0
ip -n a link set d0 up
ip netns set b 7
ip -n b link set e0 up
ip -n b addr add 10.2.2.2/24 dev e0
ip -n a route add 10.9.0.0/16 dev d0
sleep 0.5
kill $M $N $O; wait
echo "== all-nsid link address route nsid"; cat /tmp/ip-monitor-all-nsid.1
echo "== all-nsid label link"; cat /tmp/ip-monitor-all-nsid.2
echo "== in a"; cat /tmp/ip-monitor-all-nsid.3
# Without CAP_NET_BROADCAST over the namespace the setsockopt is refused.
unshare -U ip monitor all-nsid; echo "status $?"
