# The same knobs through /proc/sys with cat and echo.
cat /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/conf/all/forwarding
cat /proc/sys/net/ipv4/conf/lo/forwarding
echo 0 > /proc/sys/net/ipv4/conf/all/forwarding
cat /proc/sys/net/ipv4/ip_forward
echo 33 > /proc/sys/net/ipv4/ip_default_ttl
sysctl net.ipv4.ip_default_ttl
echo 0 > /proc/sys/net/ipv4/ip_default_ttl
echo "rc=$?"
cat /proc/sys/net/ipv4/ip_default_ttl
cat /proc/sys/net/ipv4/nope
echo "rc=$?"
ls /proc/sys/net/ipv4/conf
cat /proc/sys/net/ipv4/icmp_echo_ignore_all
