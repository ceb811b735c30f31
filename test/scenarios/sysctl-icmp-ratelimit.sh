# ICMP rate-limit sysctls: icmp_ratelimit is kept in jiffies (HZ=250), so milliseconds round to 4.
sysctl net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask net.ipv4.icmp_msgs_per_sec net.ipv4.icmp_msgs_burst
sysctl -w net.ipv4.icmp_ratelimit=10 net.ipv4.icmp_msgs_burst=-1; echo rc=$?
sysctl net.ipv4.icmp_ratelimit
sysctl -w net.ipv4.icmp_ratelimit=1001; sysctl -n net.ipv4.icmp_ratelimit
