# A brand-new host: only lo, DOWN, no addresses, an empty main table and no local table yet.
ip link
ip addr
ip route
echo "rc=$?"
ip route show table main
echo "rc=$?"
ip route show table local
echo "rc=$?"
