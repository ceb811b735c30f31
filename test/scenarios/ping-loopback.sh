# Pinging 127.0.0.0/8 over lo, before and after lo is up.
ping -c 1 -W 1 127.0.0.1
echo "rc=$?"
ip link set lo up
ping -c 2 -i 0.2 127.0.0.1
echo "rc=$?"
ping -c 1 127.0.0.42
echo "rc=$?"
ping -q -c 2 -i 0.2 127.0.0.1
echo "rc=$?"
