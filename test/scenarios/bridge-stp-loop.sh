# Kernel STP breaking a loop: three bridges in three namespaces, joined in a triangle by veth pairs.
# Configuration BPDUs elect the lowest bridge id (a) root; b and c pick root ports, c's port on the
# b-c segment, where b is designated, blocks. A broadcast ping reaches each bridge once. When the
# a-b link goes down, b believes itself root until c's port ages out b's information (max_age),
# speaks for the b-c segment, and b takes its root port through c; topology change notices (TCN)
# go up to the root and its topology_change flag comes back down in its hellos.
# Ports come up before the bridges so that linkwatch has settled when STP starts; every sample sits
# at least a second away from the timers (hello 1 s, forward_delay 5 s, max_age 6 s). Timers and
# config_pending (which hold timer fires first within a tick) are left out.
for n in a b c; do
  ip netns add $n
  ip -n $n link add br0 address 02:00:00:00:00:0$n type bridge stp_state 1 forward_delay 500 hello_time 100 max_age 600
done
ip link add ab netns a address 02:00:00:00:0a:0b type veth peer name ba netns b address 02:00:00:00:0b:0a
ip link add bc netns b address 02:00:00:00:0b:0c type veth peer name cb netns c address 02:00:00:00:0c:0b
ip link add ca netns c address 02:00:00:00:0c:0a type veth peer name ac netns a address 02:00:00:00:0a:0c
for p in a:ab a:ac b:ba b:bc c:cb c:ca; do
  ip -n ${p%:*} link set ${p#*:} master br0
  ip -n ${p%:*} link set ${p#*:} up
done
ip -n a addr add 10.0.0.1/24 dev br0
ip -n b addr add 10.0.0.2/24 dev br0
ip -n c addr add 10.0.0.3/24 dev br0
sleep 1.5
for n in a b c; do ip -n $n link set br0 up; done
show() {
  echo "--- $1"
  for n in a b c; do
    ip netns exec $n bridge link show
    ip -n $n -d link show br0 | grep -o 'ageing_time [0-9]*\|bridge_id.*topology_change_detected [0-9]'
    ip -n $n -d link show type bridge_slave | grep -o 'port_id.*designated_root [^ ]*\|topology_change_ack [0-9]'
  done
}
show "bridges up: every bridge its own root, every port listening"
sleep 7
show "a is root; c's port toward b blocks, the rest learn"
sleep 5.5
show "forwarding: a topology change, announced by b's TCN"
ip netns exec a ping -b -c 1 -W 1 10.0.0.255 | grep transmitted
for n in b c; do ip netns exec $n nstat -az IpInReceives IcmpInEchos | grep -v '#'; done
ip -n a link set ab down
sleep 3
show "a-b down: b is its own root, c still blocks"
sleep 5
show "c's port aged out b's root: b reaches a through c"
sleep 10
show "c's port forwards"
ip netns exec a ping -b -c 1 -W 1 10.0.0.255 | grep transmitted
for n in b c; do ip netns exec $n nstat -az IpInReceives IcmpInEchos | grep -v '#'; done
