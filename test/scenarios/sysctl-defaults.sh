# Kernel-default IPv4 sysctls of a fresh network namespace.
sysctl net.ipv4.ip_forward
sysctl net.ipv4.ip_default_ttl
sysctl net.ipv4.icmp_echo_ignore_all
sysctl net.ipv4.icmp_echo_ignore_broadcasts
sysctl net.ipv4.conf.all.forwarding
sysctl net.ipv4.conf.default.forwarding
sysctl net.ipv4.conf.lo.forwarding
sysctl -n net.ipv4.ip_local_port_range
sysctl net.ipv4.ping_group_range
cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_default_ttl
cat /proc/sys/net/ipv4/conf/all/forwarding
