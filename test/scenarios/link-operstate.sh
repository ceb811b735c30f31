# Operstate as link_watch computes it: when carrier events are handled, with the lower device's
# carrier looked up by index in the device's own namespace.
ip netns add x
ip link add v0 type veth peer name v1
ip link set v0 up
ip -br link show v0
ip link set v1 netns x
ip -br link show v0
ip -n x link set v1 up; sleep 1; ip -n x link set v1 down; sleep 1
ip -br link show v0
ip -n x -br link show v1
ip link add a0 type veth peer name a1
ip link set a1 netns x name e1
ip -n x link set e1 up
ip -n x -br link
ip link set a0 up; sleep 1; ip link set a0 down; sleep 1
ip -n x -br link
ip link add b0 type veth peer name b1
ip link set b1 up
ip link set b0 up; sleep 1
ip link set b0 down; sleep 1
ip -br link show b1
cat /sys/class/net/b1/operstate /sys/class/net/v0/operstate
