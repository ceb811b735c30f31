# ip netns list-id (with nsid and target-nsid), identify, pids, set.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip netns list-id; echo rc=$?
ip -n a netns list-id
ip -n a netns list-id nsid 0
ip netns identify; echo rc=$?
ip netns exec a ip netns identify
ip netns exec a ip netns identify $$
ip netns set a 7; ip netns list-id; ip netns list
ip netns set b auto; ip netns list
ip -j netns list-id
ip -j netns list
ip netns list-id target-nsid 7
echo "== list-id nsid"; ip -n a netns list-id nsid 0
echo "== identify"; ip netns identify
echo "== identify 1"; ip netns identify 1
echo "== identify x"; ip netns identify x; echo rc=$?
echo "== identify 99999"; ip netns identify 99999; echo rc=$?
echo "== identify 1 2"; ip netns identify 1 2; echo rc=$?
echo "== exec identify $$"; ip netns exec a ip netns identify 1
echo "== list-id bad"; ip netns list-id nsid abc; echo rc=$?; ip netns list-id target-nsid 99; echo rc=$?; ip netns list-id foo; echo rc=$?
ip -n a netns list-id target-nsid 0; echo rc=$?
ip netns pids a; echo rc=$?
