# Kernel STP between two bridges joined by two links: the root port is the one with the lowest
# root path cost (port cost, `bridge link set dev X cost N`), then the lowest designated port; the
# other link blocks. A lower bridge priority (`ip link set br0 type bridge priority N`) makes b the
# root: its ports turn designated and a's second port blocks. Port priority moves the port id.
# Every sample sits at least a second away from the STP timers (hello 1 s, forward_delay 5 s);
# timers and config_pending are left out.
for n in a b; do
  ip netns add $n
  ip -n $n link add br0 address 02:00:00:00:00:0$n type bridge stp_state 1 forward_delay 500 hello_time 100 max_age 600
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
    ip -n $n -d link show br0 | grep -o 'priority [0-9]*\|bridge_id.*topology_change_detected [0-9]'
    ip -n $n -d link show type bridge_slave | grep -o 'cost [0-9]*\|port_id.*designated_root [^ ]*'
  done
}
sleep 7
show "a is root; b's root port is b1 (designated port 0x8001 before 0x8002), b2 blocks"
ip netns exec b bridge link set dev b1 cost 10
ip netns exec b bridge link set dev b1 cost 0; echo rc=$?
ip netns exec b bridge link set dev b1 cost 65536; echo rc=$?
ip -n b link set b2 type bridge_slave priority 64; echo rc=$?
sleep 2
show "b1 costs 10: b2 is the root port (listening), b1 blocks"
ip -n b link set br0 type bridge priority 4096
ip -n a link set a2 type bridge_slave priority 16 cost 7
sleep 2
show "b has priority 4096: b is root, a's root port is a1, a2 blocks"
sleep 5
show "learning"
sleep 5
show "forwarding"
