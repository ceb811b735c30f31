#!/usr/bin/env bash
# The set match and the SET target, TCPMSS and TRACE as iptables 1.8.9 (nf_tables) prints them,
# with their errors; a set blocks a ping, SET adds the sender to a set, a referenced set stays.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n a link set va up
ip -n b addr add 10.0.0.2/24 dev vb
ip -n b link set vb up
ex() { echo "\$ $*"; ip netns exec b "$@"; echo "rc=$?"; }
ex ipset create blk hash:ip counters
ex ipset create seen hash:ip
ex ipset create n1 hash:net
ex ipset create p1 hash:ip,port
ex iptables -A INPUT -p icmp -j SET --add-set seen src
ex iptables -A INPUT -m set --match-set blk src -j DROP
ex iptables -A INPUT -m set ! --match-set n1 dst -j ACCEPT
ex iptables -A INPUT -m set --match-set p1 src,dst -j ACCEPT
ex iptables -A INPUT -m set --match-set nosuch src -j ACCEPT
ex iptables -A INPUT -m set --match-set blk -j ACCEPT
ex iptables -A FORWARD -j SET --del-set n1 dst --exist
ex iptables -A FORWARD -j SET --add-set p1 src,dst --timeout 60 --exist
ex iptables -A FORWARD -m set --match-set blk src --return-nomatch
ex iptables -A FORWARD -m set --match-set blk src --packets-gt 5 ! --bytes-eq 100
ex iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
ex iptables -t mangle -A POSTROUTING -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200
ex iptables -t mangle -A POSTROUTING -p tcp -j TCPMSS --set-mss 1200
ex iptables -t mangle -A POSTROUTING -p udp -j TCPMSS --set-mss 1200
ex iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS
ex iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 70000
ex iptables -t mangle -A INPUT -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu
ex iptables -t raw -A PREROUTING -p icmp -j TRACE
ex iptables -t raw -A OUTPUT -j TRACE --foo
ex ip netns exec a ping -c 1 -W 1 10.0.0.2
ex ipset add blk 10.0.0.1
ex ip netns exec a ping -c 1 -W 1 10.0.0.2
ex ipset list blk
ex ipset list seen
ex iptables -S
ex iptables -L -v -n
ex iptables -t mangle -S
ex iptables -t mangle -L -n
ex iptables -t raw -L -n
ex iptables-save -t filter
ex ipset destroy blk
ex iptables -F
ex ipset destroy blk
ex ipset list -n
