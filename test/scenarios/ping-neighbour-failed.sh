# ARP gets no answer: after three probes the neighbour fails and ping hears Destination Host
# Unreachable from its own address, delivered over lo; with lo down nothing comes back.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip link set lo up
ping -c 4 -i 0.5 10.0.0.3
echo rc=$?
ping -c 1 -W 5 10.0.0.4
echo rc=$?
ip link set lo down
ping -c 1 -W 5 10.0.0.5
echo rc=$?
ping -c 2 -W 1 10.0.0.1
echo rc=$?
