#!/usr/bin/env bash
# LOG in a namespace other than the initial one writes nothing unless nf_log_all_netns (an
# init_net-only knob) allows it; the rule still counts, and the packet goes on.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b iptables -A INPUT -p icmp -j LOG --log-prefix "NNTEST-IN: " --log-level info
ip netns exec b iptables -A OUTPUT -p icmp -m limit --limit 1/min --limit-burst 1 -j LOG --log-prefix "NNTEST-OUT: "
ip netns exec a ping -c 3 -i 0.2 -W 1 10.0.0.2; echo "rc=$?"
dmesg | grep -c NNTEST
ip netns exec b iptables -L -v -n
ip netns exec b iptables -S
