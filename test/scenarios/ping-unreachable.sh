# No route: ping fails at connect() with status 2; ip route get says so too.
ping -c 1 -W 1 10.9.9.9
echo "rc=$?"
ip link set lo up
ping -c 1 -W 1 10.9.9.9
echo "rc=$?"
ip route get 10.9.9.9
echo "rc=$?"
ip addr add 192.168.7.1/24 dev lo
ping -c 1 -W 1 192.168.8.1
echo "rc=$?"
