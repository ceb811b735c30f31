# IPv6 addresses by hand: tentative until the link is up and DAD is done, sorted by scope, flushed.
ip link add v0 type veth peer name v1
ip addr add 2001:db8::1/64 dev v0
ip addr add 2001:db8::1/64 dev v0
echo rc=$?
ip addr del 2001:db8::2/64 dev v0
echo rc=$?
ip addr add fe80::5/64 dev v0
ip addr show dev v0
ip link set v0 up
ip link set v1 up
sleep 0.1
ip addr show dev v0
sleep 3
ip addr show dev v0
ip addr flush dev v0
ip addr show dev v0
ip addr add 2001:db8::1/64 dev lo
# lo skips DAD, but its completion runs from a workqueue a moment later.
sleep 0.1
ip a s lo
