# ip link add NAME netns NS type KIND: the device is made right in that namespace; a vxlan keeps
# its tunnel (socket, link-netns) in the namespace that asked for it.
ip netns add r
ip link add br0 netns r type bridge
ip link add vx0 netns r type vxlan id 42 dstport 4789
ip link add v0 netns r type veth peer name v1
ip link add br1 netns r type bridge stp_state 1
ip link add br2 netns nosuch type bridge; echo "rc=$?"
ip -n r -br link | sort
ip -br link | sort
ip -n r -d link show br1 | grep -o 'stp_state [0-9]'
ip -n r link set v0 master br0
ip -n r link show v0 | grep -o 'master br0'
