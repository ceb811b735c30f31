#!/usr/bin/env bash
# iptables -L / -L -n / -v / -x / --line-numbers / -S and iptables-save for many matches and targets;
# a fresh namespace has no tables until a change creates one.
echo "== fresh save"; iptables-save; echo "rc=$?"
echo "== -L"; iptables -L; echo "rc=$?"
echo "== save after -L"; iptables-save
iptables -t mangle -L -n
iptables -N foo; echo rc=$?
iptables -N foo; echo rc=$?
iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -p udp -m multiport --dports 53,123 -m comment --comment "hello world" -j DROP
iptables -A INPUT -p icmp --icmp-type echo-request -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -j foo
iptables -A foo -m mark --mark 0x1/0xff -j RETURN
iptables -A foo -m limit --limit 3/min -j LOG --log-prefix "X: "
iptables -t mangle -A OUTPUT -j MARK --set-mark 1
iptables -A FORWARD -i veth+ ! -o eth0 -p 47 -j ACCEPT
iptables -A FORWARD -p all -f -j DROP
iptables -L
iptables -L -n
iptables -L -n -v
iptables -L -n -v -x --line-numbers
iptables -S
iptables -t mangle -S
iptables-save
iptables -X foo; echo rc=$?
iptables -F foo; iptables -X foo; echo rc=$?
iptables -D INPUT 9; echo rc=$?
iptables -D INPUT -p tcp -j ACCEPT; echo rc=$?
iptables -A INPUT --foo; echo rc=$?
iptables -A INPUT -j nosuch; echo rc=$?
iptables -P foo DROP; echo rc=$?
iptables -A INPUT -s bad.host.x; echo rc=$?
iptables -A INPUT -p tcp --dport 99999; echo rc=$?
iptables -S; echo rc=$?
iptables-save
iptables -N a; iptables -A a -j ACCEPT; iptables -X a; echo rc=$?
iptables -N b; iptables -A INPUT -j b; iptables -X b; echo rc=$?
iptables -E b c; echo rc=$?; iptables -E nosuch d; echo rc=$?; iptables -E c INPUT; echo rc=$?
iptables -N c; echo rc=$?
iptables -A c -j c; echo rc=$?
iptables -N d; iptables -A d -j c; iptables -A c -j d; echo rc=$?
iptables -F; iptables -X; echo rc=$?; iptables -S; iptables -t mangle -F
iptables -P INPUT FOO; echo rc=$?
iptables -P INPUT RETURN; echo rc=$?
iptables -P nosuch ACCEPT; echo rc=$?
iptables -L nosuch; echo rc=$?
iptables -A nosuch -j ACCEPT; echo rc=$?
iptables -t foo -L; echo rc=$?
iptables -D INPUT 1; echo rc=$?
iptables -R INPUT 1 -j ACCEPT; echo rc=$?
iptables -I INPUT 5 -j ACCEPT; echo rc=$?
iptables -C INPUT -j ACCEPT; echo rc=$?
iptables -A INPUT -j ACCEPT; iptables -C INPUT -j ACCEPT; echo rc=$?
iptables -A INPUT -p tcp --dport 1:1024 --sport 5 ! --syn -j DROP
iptables -A INPUT -p tcp --tcp-flags SYN,ACK SYN -j DROP
iptables -A INPUT -p tcp --tcp-option 2 -j DROP
iptables -A INPUT -p udp ! --dport 53 -j DROP
iptables -A INPUT ! -s 1.2.3.4 -d 5.6.7.0/255.255.255.0 -j DROP
iptables -A INPUT -s 1.2.3.4/0.255.0.255 -j DROP
iptables -A INPUT -m addrtype --src-type LOCAL --dst-type UNICAST,BROADCAST --limit-iface-in -j DROP
iptables -A INPUT -m iprange --src-range 1.1.1.1-1.1.1.9 ! --dst-range 2.2.2.2-2.2.2.3 -j DROP
iptables -A INPUT -m statistic --mode random --probability 0.5 -j DROP
iptables -A INPUT -m statistic --mode nth --every 3 --packet 1 -j DROP
iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55 -j DROP
iptables -A INPUT -m pkttype --pkt-type broadcast -j DROP
iptables -A INPUT -m length --length 100:200 -j DROP
iptables -A INPUT -m ttl --ttl-eq 64 -j DROP
iptables -A INPUT -m ttl --ttl-lt 5 -j DROP
iptables -A INPUT -m tos --tos 0x10 -j DROP
iptables -A INPUT -m dscp --dscp 10 -j DROP
iptables -A INPUT -m limit --limit 10/sec --limit-burst 20 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3/1 -j DROP
iptables -A INPUT -p icmp ! --icmp-type any -j DROP
iptables -A INPUT -p tcp -m multiport --sports 1,2:5 -j DROP
iptables -A INPUT -p tcp -m multiport --ports 22 -j DROP
iptables -A INPUT -j REJECT --reject-with tcp-reset; echo rc=$?
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
for w in icmp-net-unreachable icmp-host-unreachable icmp-port-unreachable icmp-proto-unreachable icmp-net-prohibited icmp-host-prohibited icmp-admin-prohibited; do iptables -A INPUT -j REJECT --reject-with $w; done
iptables -A INPUT -j LOG --log-level info
iptables -A INPUT -j LOG --log-level 7 --log-prefix a
iptables -A INPUT -j MARK --set-mark 5/0xff
iptables -A INPUT -j MARK --and-mark 5
iptables -A INPUT -j MARK --or-mark 5
iptables -A INPUT -j MARK --set-xmark 5
iptables -A INPUT -j MARK --set-mark 5; echo rc=$?
iptables -t mangle -A INPUT -j MARK --and-mark 5
iptables -t mangle -A INPUT -j MARK --or-mark 5
iptables -t mangle -A INPUT -j MARK --xor-mark 5
iptables -N u; iptables -A INPUT -g u
iptables -A INPUT -p 200 -j DROP
iptables -A INPUT -p ! tcp -j DROP; echo rc=$?
iptables -A INPUT ! -p tcp -j DROP
iptables -A INPUT -p sctp -j DROP
iptables -A INPUT ! -i lo -j DROP
iptables -L -n
iptables -L
iptables -S
iptables -t mangle -S
iptables -L INPUT 3 -n; echo rc=$?
iptables -S INPUT 3; echo rc=$?
