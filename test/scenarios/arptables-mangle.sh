#!/usr/bin/env bash
# arptables' mangle target rewrites the requests a sends (sender address and MAC): b learns the
# made-up neighbour and answers it, so a never resolves b; MARK's ARP flavour (hex values,
# --set-mark XORs) as listed and saved; the targets' errors.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a arptables -A OUTPUT -j mangle --mangle-mac-s 02:00:00:00:00:01 --mangle-ip-s 10.0.0.9 --mangle-target CONTINUE
ip netns exec a arptables -A OUTPUT -j MARK --set-mark 12345
ip netns exec a arptables -A OUTPUT -j MARK --and-mark ff
ip netns exec a arptables -A OUTPUT -j MARK --or-mark 0x10
ip netns exec a arptables -A OUTPUT -j mangle --mangle-ip-d 127.0.0.1 --mangle-target DROP -o lo
ip netns exec a arptables -A OUTPUT -j mangle --mangle-mac-d 2:0:0:0:0:2
ip netns exec a ping -c1 -W1 10.0.0.2 >/dev/null; echo rc=$?
sleep 3
ip -n a neigh
ip -n b neigh
ip netns exec a arptables -L -v
ip netns exec a arptables -L -n
ip netns exec a arptables-save | grep -v '^#'
ip netns exec a arptables -D OUTPUT -j MARK --and-mark ff; echo rc=$?
ip netns exec a arptables -D OUTPUT -j MARK --and-mark fe 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j mangle 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j mangle --mangle-target RETURN 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j mangle --mangle-mac-s zz 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j mangle --mangle-ip-s nosuch.host 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT --mangle-ip-s 1.2.3.4 -j mangle 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j MARK --set-mark 1 --or-mark 2 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j MARK --set-mark zz 2>&1; echo rc=$?
ip netns exec a arptables -A OUTPUT -j MARK --set-xmark 1 2>&1; echo rc=$?
ip netns exec a arptables -N mangle 2>&1; echo rc=$?
ip netns exec a arptables -S OUTPUT
