# Link addresses (valid unicast only, lo takes any), carrier changes as -s -s shows them, netns by PID.
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v0 address 02:00:00:00:00:01
echo rc=$?
ip link set v0 address 00:00:00:00:00:00
echo rc=$?
ip link set lo address 02:00:00:00:00:01
echo rc=$?
ip link add v2 address 01:00:00:00:00:01 type veth peer name v3
echo rc=$?
ip -s -s link show v0 | tail -2
ip link set v1 up
ip -s -s link show v0 | tail -2
ip link set v1 down
ip -s -s link show v0 | tail -2
ip link show v0
ip link set lo netns $$
echo rc=$?
ip link set v1 netns 99999
echo rc=$?
ip link set v1 netns 1
echo rc=$?
ip -br link
