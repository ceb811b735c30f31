# net.ipv4.conf.{all,default,DEV}.forwarding and net.ipv4.ip_forward move together as the kernel says.
ip link add v0 type veth peer name v1
sysctl net.ipv4.conf.v0.forwarding
sysctl -w net.ipv4.conf.default.forwarding=1
ip link add v2 type veth peer name v3
sysctl net.ipv4.conf.v0.forwarding net.ipv4.conf.v2.forwarding net.ipv4.ip_forward
sysctl -w net.ipv4.conf.all.forwarding=1
sysctl net.ipv4.ip_forward net.ipv4.conf.lo.forwarding net.ipv4.conf.v0.forwarding net.ipv4.conf.default.forwarding
sysctl -w net.ipv4.conf.v1.forwarding=0
sysctl net.ipv4.conf.v1.forwarding net.ipv4.conf.all.forwarding
sysctl -w net.ipv4.ip_forward=0
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.v0.forwarding net.ipv4.conf.v3.forwarding
sysctl -w net.ipv4.conf.default.forwarding=0
ip link add v4 type veth peer name v5
sysctl net.ipv4.conf.v4.forwarding
sysctl net.ipv4.conf.nosuch.forwarding
echo "rc=$?"
