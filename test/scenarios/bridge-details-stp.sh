# Kernel STP on a lone bridge (stp_state 1 outside init_net): a port that comes up listens, learns
# and forwards forward_delay apart; the first forwarding port is a topology change, during which
# ageing_time is twice the forward delay. Port states cannot be set by hand while STP runs.
# Timers are left out (the kernel's are jittery); samples sit mid-interval.
ip link add br0 address 02:00:00:00:00:b0 type bridge stp_state 1 forward_delay 400
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set v0 master br0
ip link set br0 up
ip link set v1 up
ip link set v0 up
show() {
  bridge link show
  ip -d link show br0 | grep -o 'ageing_time [0-9]* stp_state [0-9]*\|topology_change [0-9] topology_change_detected [0-9]'
  ip -d link show v0 | grep -o 'state [a-z]* priority [0-9]* cost [0-9]*\|topology_change_ack [0-9] config_pending [0-9]'
  ip link show br0 | head -1
}
sleep 2
show
bridge link set dev v0 state 3; echo rc=$?
sleep 4
show
sleep 4
show
ip link set br0 type bridge forward_delay 100; echo rc=$?
ip link set br0 type bridge forward_delay 3001; echo rc=$?
# A port that goes down and up starts over.
ip link set v1 down
sleep 1
show
ip link set v1 up
sleep 1
show
# STP off: ports keep their state until their timer runs out.
ip link set br0 type bridge stp_state 0
sleep 4
show
bridge link set dev v0 state 1; echo rc=$?
bridge link show
