# ip link set: netns, name, mtu, up/down, and what each looks like afterwards.
ip netns add other
ip netns add third
ip link add v0 type veth peer name v1
ip link set v0 mtu 9000
ip link set v1 name peer1
ip link set peer1 up
ip link set v0 up
ip link show v0
ip link show peer1
ip link show v1
echo "rc=$?"
ip link set v0 mtu 70000
echo "rc=$?"
ip link set v0 mtu 60
echo "rc=$?"
ip link set v0 down
ip -br link
ip link set peer1 netns other
ip -br link
ip -n other -br link
ip -n other link set peer1 name p1 mtu 1400
ip -n other link show p1
ip -n other link set p1 netns third
echo "rc=$?"
ip -n third link show p1
ip link show v0
ip link set lo netns other
echo "rc=$?"
