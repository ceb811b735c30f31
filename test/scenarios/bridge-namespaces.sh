# Three namespaces joined to br0 by veth pairs, as a container runtime wires docker0 or cni0:
# pings between them and to the bridge's own address, the learned FDB, ports leaving.
ip link add br0 type bridge
ip link show br0
ip link set br0 up
ip link show br0
for n in 1 2 3; do
  ip netns add ns$n
  ip link add h$n address 02:00:00:00:01:0$n type veth peer name p$n address 02:00:00:00:00:0$n
  ip link set h$n netns ns$n
  ip link set p$n master br0
  ip link set p$n up
  ip -n ns$n addr add 10.0.0.$n/24 dev h$n
  ip -n ns$n link set h$n up
done
ip addr add 10.0.0.254/24 dev br0
ip link show master br0
ip link show type bridge
ip -br link show type bridge_slave
bridge link
ip -4 addr show br0
ip netns exec ns1 ping -c 2 -i 0.2 10.0.0.2
ip netns exec ns3 ping -c 1 10.0.0.254
ping -c 1 10.0.0.3
bridge fdb show | grep -Ev "^(33:33|01:00:5e)"
bridge fdb show br br0 dev p2
bridge -j fdb show dev p3 | grep -o '{[^}]*"master":"br0"[^}]*}'
ip link set p2 down
bridge link show dev p2
bridge fdb show br br0 | grep -Ev "^(33:33|01:00:5e)"
ip link set p3 nomaster
ip link show p3
bridge link
ip link del p1
bridge link
ip link show br0
ip netns exec ns2 ping -c 1 -W 1 10.0.0.254
ip link del br0
ip link show p2
bridge link
bridge fdb show | grep -Ev "^(33:33|01:00:5e)"
