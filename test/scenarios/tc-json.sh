# tc -j / -json and -p: qdisc show as JSON for noqueue, the fifos and pfifo_fast, with -s (the
# counters after two pings), -d and -iec (no change to JSON), and the errors, which print no JSON.
# MTU 1000 keeps IPv6 quiet, so the counters hold only the pings and ARP.
ip link set lo up
ip netns add a
ip netns add b
ip link add veth0 netns a mtu 1000 type veth peer name veth1 netns b mtu 1000
ip -n a link set veth0 up
ip -n b link set veth1 up
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
tc -j qdisc show
tc -json qdisc show dev lo
tc -n a qdisc add dev veth0 root handle 1: pfifo limit 50
tc -n b qdisc add dev veth1 root handle 2: bfifo limit 10kb
tc -n a -j qdisc show
tc -n a -j -p qdisc show dev veth0
tc -n a -p qdisc show dev veth0
ip netns exec a ping -c 2 -q 10.0.0.2 | tail -2 | cut -d/ -f1-3
tc -n a -j -s qdisc show dev veth0
tc -n b -s -j qdisc show
tc -n b -j -p -s qdisc show dev lo
tc -n a qdisc replace dev veth0 root handle 3: pfifo_head_drop limit 7
tc -n b qdisc replace dev veth1 root pfifo_fast
tc -n a -j qdisc show
tc -n b -j qdisc show dev veth1 | sed -E 's/"handle":"[0-9a-f]+:"/"handle":"H:"/'
tc -n b -j -p qdisc show dev veth1 | sed -E 's/"handle": "[0-9a-f]+:"/"handle": "H:"/'
tc -n b -j -d qdisc show dev veth1 | sed -E 's/"handle":"[0-9a-f]+:"/"handle":"H:"/'
tc -n a qdisc replace dev veth0 root handle 4: bfifo limit 1000000
tc -n a -j -iec qdisc show dev veth0
tc -n a -iec qdisc show dev veth0
tc -n a -j qdisc show handle 4:
tc -n a -j qdisc show root
tc -n a -j qdisc show parent 1:
tc -j qdisc show dev nosuch; echo "status $?"
tc -j qdisc show foo; echo "status $?"
tc -j qdisc add dev lo root foo bar; echo "status $?"
tc -j qdisc del dev lo root; echo "status $?"
tc -n a -j qdisc del dev veth0 root; echo "status $?"
tc -n a -j qdisc show
tc -j foo; echo "status $?"
