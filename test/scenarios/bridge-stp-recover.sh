# Kernel STP when links come and go between two bridges joined by two links. b's root port going
# down hands the root port to the blocked link at once (its information is still recorded); when
# the first link returns it wins the root port back and the other port, forwarding, blocks: a
# topology change b reports to the root with a TCN. The root keeps its topology_change flag (and
# ageing_time at twice forward_delay) for forward_delay + max_age after the last notice, and its
# hellos carry the flag to b. A port that leaves the bridge is taken out of the tree.
# Every sample sits at least a second away from the STP timers (hello 1 s, forward_delay 4 s,
# max_age 6 s); timers and config_pending are left out.
for n in a b; do
  ip netns add $n
  ip -n $n link add br0 address 02:00:00:00:00:0$n type bridge stp_state 1 forward_delay 400 hello_time 100 max_age 600
done
ip link add a1 netns a address 02:00:00:00:0a:01 type veth peer name b1 netns b address 02:00:00:00:0b:01
ip link add a2 netns a address 02:00:00:00:0a:02 type veth peer name b2 netns b address 02:00:00:00:0b:02
for p in a:a1 a:a2 b:b1 b:b2; do
  ip -n ${p%:*} link set ${p#*:} master br0
  ip -n ${p%:*} link set ${p#*:} up
done
sleep 1.5
for n in a b; do ip -n $n link set br0 up; done
show() {
  echo "--- $1"
  for n in a b; do
    ip netns exec $n bridge link show | sed 's/<.*master/master/'
    ip -n $n -d link show br0 | grep -o 'ageing_time [0-9]*\|bridge_id.*topology_change_detected [0-9]'
  done
}
sleep 10
show "converged: b1 root port, b2 blocking; the ports' forwarding was a topology change"
ip -n b link set b1 down
sleep 2
show "b1 down: b2 is the root port at once and listens; no topology change from a disabled port"
sleep 8
show "b2 forwards; the topology change from the first forwarding is over"
ip -n b link set b1 up
sleep 2
show "b1 up: root port again, b2 blocks (a topology change notified to a)"
sleep 4
show "b1 and a1 learn"
sleep 4
show "b1 and a1 forward: a designated port forwarding is a topology change at the root"
sleep 11
show "the topology change is over: ageing_time 30000 again"
ip -n b link set b1 nomaster
sleep 2
show "b1 left the bridge: b2 listens again as root port"
