# tc qdisc on what the kernel has: the default noqueue per device, the fifos and pfifo_fast,
# add/replace/change/link/del with their errors, and kinds this kernel is built without.
ip link set lo up
tc qdisc show
tc qdisc show dev lo
tc -s qdisc show dev lo
ip netns add a
ip netns add b
ip link add veth0 netns a type veth peer name veth1 netns b
tc -n a qdisc show
ip -n a link set veth0 up
ip -n b link set veth1 up
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
tc -n a qdisc show
tc -n a qdisc add dev veth0 root handle 1: pfifo; echo rc=$?
tc -n a qdisc show
tc -n a qdisc add dev veth0 root pfifo; echo rc=$?
tc -n a qdisc add dev veth0 root handle 1: pfifo; echo rc=$?
tc -n a qdisc replace dev veth0 root pfifo limit 50; echo rc=$?
tc -n a qdisc show dev veth0
ip -n a link show veth0
ip netns exec a ping -c 2 -q 10.0.0.2 | tail -2 | cut -d/ -f1-3
tc -n a -s qdisc show dev veth0 | sed -E "s/Sent [0-9]+ bytes [0-9]+ pkt/Sent B bytes P pkt/"
tc -n a qdisc change dev veth0 root bfifo; echo rc=$?
tc -n a qdisc link dev veth0 root pfifo; echo rc=$?
tc -n a qdisc replace dev veth0 root handle 2: bfifo limit 100kb; echo rc=$?
tc -n a qdisc show
tc -n a qdisc del dev veth0 root handle 3:; echo rc=$?
tc -n a qdisc del dev veth0; echo rc=$?
tc -n a qdisc del dev veth0 root; echo rc=$?
tc -n a qdisc show
tc -n a qdisc del dev veth0 root; echo rc=$?
tc -n a qdisc change dev veth0 root pfifo; echo rc=$?
tc -n a qdisc add dev veth0 parent 1:1 pfifo; echo rc=$?
tc -n a qdisc add dev veth0 root handle 5: pfifo_fast; echo rc=$?
tc -n a qdisc show dev veth0
tc -n a qdisc replace dev veth0 root handle 6: pfifo_head_drop limit 10; echo rc=$?
tc -n a qdisc show dev veth0
tc -n a qdisc add dev veth0 root fq_codel; echo rc=$?
tc -n a qdisc add dev veth0 root foo; echo rc=$?
tc -n a qdisc add dev veth0 root foo bar; echo rc=$?
tc -n a qdisc add dev veth0 root pfifo limit x; echo rc=$?
tc -n a qdisc add dev veth0 root pfifo foo; echo rc=$?
tc -n a qdisc add dev veth0 root pfifo_fast limit 5; echo rc=$?
tc -n a qdisc add dev nope root pfifo; echo rc=$?
tc -n a qdisc show dev nope; echo rc=$?
tc -n a qdisc show dev veth0 root
tc -n a qdisc show handle 6:
ip -n a link set veth0 down
tc -n a qdisc show
tc -n a qdisc del dev veth0 root; echo rc=$?
tc -n a qdisc show; echo shown
ip -n a link show veth0 | head -1
tc qdisc del dev lo root; echo rc=$?
tc qdisc foo; echo rc=$?
tc foo; echo rc=$?
tc -x; echo rc=$?
