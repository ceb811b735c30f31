# sysctl reads and writes: plain, -n, -q, -w, key=value, slashes, and the errors.
sysctl net.ipv4.ip_default_ttl
sysctl -n net.ipv4.ip_default_ttl
sysctl -w net.ipv4.ip_default_ttl=100
sysctl net.ipv4.ip_default_ttl
sysctl -q -w net.ipv4.ip_default_ttl=101
sysctl -n net.ipv4.ip_default_ttl
sysctl -w net.ipv4.ip_forward=1 net.ipv4.icmp_echo_ignore_all=1
sysctl net/ipv4/ip_forward
sysctl -n net.ipv4.ip_forward net.ipv4.icmp_echo_ignore_all
sysctl net.ipv4.nope
echo "rc=$?"
sysctl -n net.ipv4.nope
echo "rc=$?"
sysctl -q net.ipv4.nope
echo "rc=$?"
sysctl -w net.ipv4.ip_default_ttl=0
echo "rc=$?"
sysctl -w net.ipv4.ip_default_ttl=256
echo "rc=$?"
sysctl -w net.ipv4.ip_default_ttl=abc
echo "rc=$?"
sysctl -n net.ipv4.ip_default_ttl
sysctl -w net.ipv4.ip_default_ttl
echo "rc=$?"
