#!/usr/bin/env bash
# arping's timers: -w ends the run (and with -c, success needs count replies), a -w that is met
# early stops at once; option and address errors with their exit codes; -V; the device chosen by
# the route to the target when -I is not given.
ip netns add a
ip netns add b
ip link add veth0 netns a mtu 1000 type veth peer name veth1 netns b mtu 1000
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip netns exec a arping -c 2 -w 5 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 3 -w 1 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -w 2 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 2 -w 1 -I veth0 10.0.0.3; echo "rc=$?"
ip netns exec a arping -c 2 -i 2 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 -D -s 10.0.0.1 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 0 -I veth0 10.0.0.5; echo "rc=$?"
ip netns exec a arping -c x -I veth0 10.0.0.5; echo "rc=$?"
ip netns exec a arping -w -1 -I veth0 10.0.0.5; echo "rc=$?"
ip netns exec a arping -V; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 10.0.0.300; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 nohost.invalid; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 -s 1.2.3 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 -s 1.2.3.x 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -x 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 10.0.1.2; echo "rc=$?"
ip netns exec a arping -c 1 10.0.1.2; echo "rc=$?"
ip -n a route add default via 10.0.0.2
ip netns exec a arping -c 1 8.8.8.8; echo "rc=$?"
ip netns exec a arping -c 1 10.0.0.1; echo "rc=$?"
ip netns exec a arping -c 1 -I veth0 10.0.0.2 -f; echo "rc=$?"
