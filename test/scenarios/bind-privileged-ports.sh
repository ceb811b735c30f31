# ip_unprivileged_port_start: binding below it needs CAP_NET_BIND_SERVICE (EACCES otherwise); it
# and ip_local_port_range must not overlap.
sysctl net.ipv4.ip_unprivileged_port_start
sysctl -w net.ipv4.ip_local_port_range="500 600"; echo "rc $?"
sysctl -w net.ipv4.ip_local_port_range="1024 2000"; echo "rc $?"
sysctl -w net.ipv4.ip_unprivileged_port_start=1025; echo "rc $?"
sysctl -w net.ipv4.ip_unprivileged_port_start=80; echo "rc $?"
sysctl -w net.ipv4.ip_unprivileged_port_start=-1; echo "rc $?"
sysctl -w net.ipv4.ip_unprivileged_port_start=65536; echo "rc $?"
sysctl -w net.ipv4.ip_local_port_range="70 2000"; echo "rc $?"
ip link set lo up
setpriv --reuid=5 --regid=60 --clear-groups nc -l -p 80 & sleep 0.2; ss -ltn; kill %1
sysctl -w net.ipv4.ip_unprivileged_port_start=1024
setpriv --reuid=5 --regid=60 --clear-groups nc -l -p 80; echo "rc $?"
setpriv --reuid=5 --regid=60 --clear-groups nc -u -l -p 1023; echo "rc $?"
setpriv --reuid=5 --regid=60 --clear-groups nc -l -p 0 & sleep 0.2; kill %1 2>/dev/null
