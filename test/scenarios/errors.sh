# The error messages users meet most, each followed by its exit status.
ip link set lo up
ip addr add 10.10.0.1/24 dev lo
ip addr add 10.10.0.1/24 dev lo
echo "rc=$?"
ip link show x
echo "rc=$?"
ip addr add 10.0.0.1/33 dev lo
echo "rc=$?"
ip addr add 10.0.0.1/24 dev x
echo "rc=$?"
ip netns add x
ip netns add x
echo "rc=$?"
ip foo
echo "rc=$?"
ip link foo
echo "rc=$?"
ip addr foo
echo "rc=$?"
ip route foo
echo "rc=$?"
ping -c 1 -W 1 203.0.113.1
echo "rc=$?"
ip link add v0 type veth peer name v0
echo "rc=$?"
ip link add v0 type veth peer name v1
ip link add v0 type veth peer name v2
echo "rc=$?"
ip link del nosuch
echo "rc=$?"
ip addr del 10.10.9.9/24 dev lo
echo "rc=$?"
ip route add 10.11.0.0/16
echo "rc=$?"
ip -n nosuch link
echo "rc=$?"
