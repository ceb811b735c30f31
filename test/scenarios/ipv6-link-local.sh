# After a veth comes up it gets an EUI-64 link-local address; wait for DAD before looking.
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
sleep 3
ip addr show v0
ip -br addr show v1
