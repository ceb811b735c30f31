#!/usr/bin/env bash
# The ARP knobs of net.ipv4.conf, seen from the other side's `ip neigh`: arp_ignore (which requests
# h answers), arp_filter, arp_announce (the source h puts in its requests), proxy_arp (h answers
# for q's subnet, which p believes is on its link), and arp_notify with arp_accept (a gratuitous
# ARP creating an entry).
ip netns add h
ip netns add p
ip netns add q
ip link add eth1 type veth peer name vp
ip link add eth2 type veth peer name vq
ip link set eth1 netns h
ip link set eth2 netns h
ip link set vp netns p
ip link set vq netns q
ip -n h addr add 10.0.0.1/24 dev eth1
ip -n h addr add 10.0.9.1/24 dev eth2
ip -n h addr add 10.9.9.9/32 dev lo
ip -n p addr add 10.0.0.10/16 dev vp
ip -n p addr add 192.168.5.5/32 dev lo
ip -n q addr add 10.0.9.10/24 dev vq
for n in h p q; do ip -n $n link set lo up; done
ip -n h link set eth1 up
ip -n h link set eth2 up
ip -n p link set vp up
ip -n q link set vq up
ip -n p route add 10.9.9.9/32 dev vp
ip -n h route add 192.168.5.5/32 via 10.0.0.10
ip -n q route add default via 10.0.9.1
probe() {
  ip -n p neigh flush dev vp
  ip -n h neigh flush dev eth1
  ip netns exec p ping -c 1 -W 4 "$@" | grep -E 'transmitted'
  ip -n p neigh show dev vp | sort
  ip -n h neigh show dev eth1 | sort
}
for ignore in 0 1 2; do
  echo "== arp_ignore=$ignore"
  ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_ignore=$ignore
  echo "-- 10.9.9.9 (h's lo)"
  probe 10.9.9.9
  echo "-- 10.0.0.1 from 192.168.5.5"
  probe -I 192.168.5.5 10.0.0.1
  echo "-- 10.0.0.1 from 10.0.0.10"
  probe 10.0.0.1
done
# max(all, dev): all=1 makes eth1 ignore as well.
ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_ignore=0 net.ipv4.conf.all.arp_ignore=1
echo "== all.arp_ignore=1"
probe 10.9.9.9
ip netns exec h sysctl -qw net.ipv4.conf.all.arp_ignore=0
# arp_filter: the route back to p must leave through eth1; send it through eth2 instead.
ip -n h route add 10.0.0.10/32 dev eth2
for f in 0 1; do
  echo "== arp_filter=$f"
  ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_filter=$f
  probe 10.0.0.1
done
ip -n h route del 10.0.0.10/32 dev eth2
ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_filter=0
# arp_announce: h pings p from 10.9.9.9; its ARP request names 10.9.9.9 only with announce 0.
ip -n p route replace 10.9.9.9/32 via 10.0.0.1
for a in 0 1 2; do
  echo "== arp_announce=$a"
  ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_announce=$a
  ip -n p neigh flush dev vp
  ip -n h neigh flush dev eth1
  ip netns exec h ping -c 1 -W 2 -I 10.9.9.9 10.0.0.10 | grep -E 'transmitted'
  ip -n p neigh show dev vp | sort
done
ip -n p route del 10.9.9.9/32
# proxy_arp: p thinks 10.0.9.10 is on its /16; h forwards and answers for it on eth1.
ip netns exec h sysctl -qw net.ipv4.ip_forward=1
for pa in 0 1; do
  echo "== proxy_arp=$pa"
  ip netns exec h sysctl -qw net.ipv4.conf.eth1.proxy_arp=$pa
  ip -n p neigh flush dev vp
  ip netns exec p ping -c 1 -W 4 10.0.9.10 | grep -E 'transmitted'
  ip -n p neigh show dev vp | sort
done
# arp_notify on h's eth1 announces 10.0.0.1 when it comes up; p keeps it only with arp_accept.
ip netns exec h sysctl -qw net.ipv4.conf.eth1.arp_notify=1
for acc in 0 1; do
  echo "== arp_accept=$acc"
  ip netns exec p sysctl -qw net.ipv4.conf.vp.arp_accept=$acc
  ip -n p neigh flush dev vp
  ip -n h link set eth1 down
  ip -n h link set eth1 up
  sleep 1
  ip -n p neigh show dev vp | sort
done
ip netns exec h sysctl net.ipv4.conf.eth1.arp_ignore net.ipv4.conf.eth1.arp_announce net.ipv4.conf.eth1.proxy_arp net.ipv4.conf.eth1.arp_notify
