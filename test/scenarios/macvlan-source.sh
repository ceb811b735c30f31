#!/usr/bin/env bash
# macvlan mode source: the list of sender addresses (macaddr add|del|set|flush) and how -d shows
# it (remotes (N) in the port's hash order), the errors, and the receive rule: a frame whose
# SOURCE address is listed goes to the source-mode macvlan as well (keeping the lower device's
# pkt_type unless addressed to the macvlan), or only to it with nodst. MTUs below 1280 keep IPv6
# traffic away.
for n in a b c; do ip netns add $n; done
ip link add br0 type bridge
ip link set br0 up
for n in a b c; do
  ip link add eth0 netns $n mtu 1200 type veth peer name p$n mtu 1200
  ip link set p$n master br0 up
done
ip -n a link set eth0 address 02:00:00:00:00:0a
ip -n b link set eth0 address 02:00:00:00:00:0b
ip -n c link set eth0 address 02:00:00:00:00:0c
i=1
for n in a b c; do
  ip -n $n addr add 10.0.0.$i/24 dev eth0
  ip -n $n link set eth0 up
  i=$((i + 1))
done
echo "--- the list"
ip -n b link add link eth0 name ms address 02:00:00:00:00:5b type macvlan mode source macaddr add 02:00:00:00:00:0a
ip -n b -d link show ms
ip -n b link set ms type macvlan macaddr add 02:00:00:00:00:01; echo "rc=$?"
ip -n b link set ms type macvlan macaddr add 02:00:00:00:00:01; echo "rc=$?"
ip -n b -d link show ms | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link set ms type macvlan macaddr del 02:00:00:00:00:09; echo "rc=$?"
ip -n b link set ms type macvlan macaddr del 02:00:00:00:00:01; echo "rc=$?"
ip -n b -d link show ms | grep -o "remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link set ms type macvlan macaddr set 02:00:00:00:00:05 02:00:00:00:00:06 02:00:00:00:00:07 02:00:00:00:00:0a; echo "rc=$?"
ip -n b -d link show ms | grep -o "remotes ([0-9]*) [0-9a-f: ]*"
ip -n b -j -d link show ms | grep -o '"macaddr_count":[0-9]*,"macaddr_data":\[[^]]*\]'
ip -n b link set ms type macvlan macaddr set 02:00:00:00:00:0a bcqueuelen 500; echo "rc=$?"
ip -n b -d link show ms | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link set ms type macvlan macaddr flush; echo "rc=$?"
ip -n b -d link show ms | grep -o "remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link set ms type macvlan macaddr set; echo "rc=$?"
ip -n b link set ms type macvlan macaddr set 02:00:00:00:00:0a bcqueuelen 1000; echo "rc=$?"
echo "--- errors"
ip -n b link set ms type macvlan macaddr; echo "rc=$?"
ip -n b link set ms type macvlan macaddr foo 02:00:00:00:00:01; echo "rc=$?"
ip -n b link set ms type macvlan macaddr add zz; echo "rc=$?"
ip -n b link set ms type macvlan macaddr add 02:00; echo "rc=$?"
ip -n b link set ms type macvlan macaddr add 01:00:00:00:00:01; echo "rc=$?"
ip -n b link set ms type macvlan macaddr add 00:00:00:00:00:00; echo "rc=$?"
ip -n b link set ms type macvlan macaddr set 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff; echo "rc=$?"
ip -n b link add link eth0 name mv type macvlan mode bridge macaddr add 02:00:00:00:00:01; echo "rc=$?"
ip -n b link add link eth0 name mv type macvlan mode bridge
ip -n b link set mv type macvlan macaddr add 02:00:00:00:00:01; echo "rc=$?"
ip -n b link set mv type macvlan mode source macaddr add 02:00:00:00:00:01; echo "rc=$?"
ip -n b -d link show mv | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link set mv type macvlan mode bridge; echo "rc=$?"
ip -n b -d link show mv | grep -o "macvlan mode [a-z]*"
ip -n b link set mv type macvlan mode source; echo "rc=$?"
ip -n b -d link show mv | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
ip -n b link del mv
ip -n b -d link show ms | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
echo "--- receive"
ip -n b addr add 10.0.0.20/24 dev ms
ip -n b link set ms up
sleep 2
ip -n b link show ms
msrx() { ip -n b -s link show ms | awk 'NR == 4 {print "ms rx packets", $2}'; }
msrx
# a is listed: its frames to b's eth0 reach ms too.
ip -n a neigh add 10.0.0.20 lladdr 02:00:00:00:00:0b dev eth0
ip netns exec a ping -c 1 -W 1 10.0.0.20 | grep -E "packets"
msrx
# c is not listed: nothing of it reaches ms.
ip -n c neigh add 10.0.0.20 lladdr 02:00:00:00:00:0b dev eth0
ip netns exec c ping -c 1 -W 1 10.0.0.20 | grep -E "packets"
msrx
# Addressed to ms itself: only the source rule delivers (ms's own address gets nothing else).
ip -n a neigh replace 10.0.0.20 lladdr 02:00:00:00:00:5b dev eth0
ip -n c neigh replace 10.0.0.20 lladdr 02:00:00:00:00:5b dev eth0
ip netns exec a ping -c 1 -W 1 10.0.0.20 | grep -E "packets"
msrx
ip netns exec c ping -c 1 -W 1 10.0.0.20 | grep -E "packets"
msrx
# A broadcast from a listed sender reaches ms as well as eth0; eth0's answer comes first.
ip -n a neigh del 10.0.0.20 dev eth0
ip netns exec a ping -c 1 -W 1 10.0.0.20 | grep -E "packets"
ip -n a neigh show 10.0.0.20
ip -n b -s link show ms
echo "--- nodst"
ip -n b link set ms type macvlan flag nodst
ip -n b -d link show ms | grep -o "macvlan.*remotes ([0-9]*) [0-9a-f: ]*"
ip -n a neigh flush all
ip -n b neigh flush all
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev eth0
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev ms
sleep 1
msrx
# The request for b's eth0 address goes to ms only, which answers with its own address.
ip netns exec a ping -c 1 -W 1 10.0.0.2 | grep -E "packets"
ip -n a neigh show 10.0.0.2
msrx
# Unlisted again: a frame to ms's address is nobody's.
ip -n b link set ms type macvlan macaddr del 02:00:00:00:00:0a
ip netns exec a ping -c 1 -W 1 10.0.0.2 | grep -E "packets"
ip -n b -s link show ms
