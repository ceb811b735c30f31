# ip link set: alias, group, txqueuelen, broadcast, promisc/allmulticast/multicast/arp flags, and the errors around them.
ip link add v0 type veth peer name v1
ip link set v0 alias "my alias"
ip link show v0
ip -j link show v0
ip addr show v0
ip -d addr show v0
ip link set v0 group 5
ip link show v0
ip link set v0 group 0x10
ip -br link show group 16
ip link show group 16
ip link show group default
ip link set v0 group default
ip link set v0 group nosuch
echo rc=$?
ip link set v0 group -1
echo rc=$?
ip link set v0 group 1 group 2
echo rc=$?
ip link set v0 txqueuelen 500
ip link set v1 txqlen 0
ip link set v1 qlen 20
ip link set v0 broadcast 02:00:00:00:00:ff
ip link set v0 brd 02:00:00:00:00
echo rc=$?
ip link set v0 promisc on
ip link set v0 allmulticast on
ip link set v0 multicast off
ip link set v0 arp off
ip link show v0
ip link show v1
ip link set v0 promisc maybe
echo rc=$?
ip link set v0 arp on multicast on promisc off allmulticast off
ip link set v0 alias ""
ip link show v0
ip link set v0 alias "$(printf 'x%.0s' $(seq 1 256))"
echo rc=$?
ip link set v1 group 7
ip link set v0 group 7
ip link set group 7 mtu 1400
ip link set group 7 up
ip -br link
ip link set group 7 garbage
echo rc=$?
ip link add v2 group 7 type veth
echo rc=$?
ip link add v2 alias peeralias txqueuelen 10 type veth peer name v3
ip link show v2
ip link set dev v0 up
ip link set v0 promisc on
cat /sys/class/net/v0/flags
ip link set v0 arp off
ip link show v0
