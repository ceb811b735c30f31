# Bridge port events: the AF_BRIDGE RTM_NEWLINK/RTM_DELLINK a bridge sends about its ports
# (br_ifinfo_notify: a port added, enabled, disabled, each STP state change, removed), as
# `ip -o monitor link` prints them (no qdisc, group or brd: only what br_fill_ifinfo carries),
# and the kernel log's lines for the same events (port states, allmulticast and promiscuous
# mode, "(unregistering)"), for a bridge with STP (forward_delay 2 s) and one without.
ip link add bpe0 type bridge stp_state 1 forward_delay 200
ip -o monitor link > /tmp/bridge-port-events.mon & M=$!
sleep 0.5
ip link add bpev0 type veth peer name bpev1
ip link set bpev0 master bpe0
ip link set bpe0 up
ip link set bpev1 up
ip link set bpev0 up
sleep 1
bridge link show dev bpev0 | grep -o 'state [a-z]*'
sleep 2
bridge link show dev bpev0 | grep -o 'state [a-z]*'
sleep 2
bridge link show dev bpev0 | grep -o 'state [a-z]*'
ip link set bpev1 down
sleep 0.5
ip link set bpev0 nomaster
ip link add bpev2 type veth peer name bpev3
ip link set bpev2 master bpe0
ip link del bpev2
ip link add bpe1 type bridge
ip link set bpe1 up
ip link set bpev0 master bpe1
ip link set bpev1 up
sleep 0.5
bridge link show
ip link set bpev0 down
ip link set bpe1 down
ip link set bpev0 up
sleep 0.5
ip link del bpe1
sleep 0.5
kill $M; wait $M
# The messages of family AF_BRIDGE: those without a group.
echo "== AF_BRIDGE"; grep -v ' group ' /tmp/bridge-port-events.mon
echo "== dmesg"
dmesg | grep -E 'bpev?[0-9]' | tail -n 30 | sed 's/^\[[ 0-9.]*\] //'
