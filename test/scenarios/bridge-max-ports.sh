# A bridge takes at most 1,023 ports (BR_MAX_PORTS): the next one is refused with EXFULL.
ip link add br0 type bridge
for i in $(seq 1023); do echo "link add d$i type veth peer name e$i"; echo "link set d$i master br0"; done > /tmp/netnest-brmax.batch
ip -batch /tmp/netnest-brmax.batch
rm -f /tmp/netnest-brmax.batch
ip link add d1024 type veth peer name e1024
ip link set d1024 master br0; echo "rc $?"
bridge link | wc -l
ip link set d7 nomaster
ip link set d1024 master br0; echo "rc $?"
bridge link show dev d1024 | grep -o "master br0"
