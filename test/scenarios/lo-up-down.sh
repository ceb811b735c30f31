# Bringing lo up creates its addresses' routes and the local table; taking it down removes them.
ip link set lo up
ip link show lo
ip addr
ip route show table local
echo "rc=$?"
ip route
ip link set lo down
ip link show lo
ip -4 addr
ip route show table local
echo "rc=$?"
