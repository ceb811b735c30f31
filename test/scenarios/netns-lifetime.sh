# A namespace outlives its name while a task is inside it, and dies a moment after the last
# reference goes; its veth end takes the peer in the other namespace with it.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n b -br link
ip netns del a
# Right after the delete, vb may or may not still be there: cleanup_net runs asynchronously.
sleep 1
ip -n b -br link
ip netns exec b bash -c 'ip netns del b; ip netns list; sleep 1; ip -br link'
ip netns list
ip -br link
