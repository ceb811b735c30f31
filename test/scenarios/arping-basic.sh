#!/usr/bin/env bash
# arping over an AF_PACKET socket: a first broadcast probe then unicast ones, the replies timed,
# the peer's kernel learning the sender from the request; unanswered probes, DAD (-D) and its
# inverted exit code, quit on first reply (-f), quiet (-q), broadcast only (-b), -s, and errors.
ip netns add a
ip netns add b
ip link add veth0 netns a mtu 1000 type veth peer name veth1 netns b mtu 1000
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip -n a link set lo up
ip netns exec a arping -c 2 -I veth0 10.0.0.2; echo "rc=$?"
ip -n b neigh
ip -n a neigh
ip netns exec a arping -c 2 -w 1 -I veth0 10.0.0.3; echo "rc=$?"
ip netns exec a arping -c 2 -D -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 2 -D -I veth0 10.0.0.5; echo "rc=$?"
ip netns exec a arping -c 3 -f -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 2 -q -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 2 -b -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -s 10.0.0.1 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -s 10.0.0.9 -I veth0 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -I nope 10.0.0.2; echo "rc=$?"
ip netns exec a arping -c 1 -I lo 127.0.0.1; echo "rc=$?"
ip netns exec a arping; echo "rc=$?"
ip -n a link set veth0 down
ip netns exec a arping -c 1 -I veth0 10.0.0.2; echo "rc=$?"
ip -n a -s link show veth0
ip -n b -s link show veth1
