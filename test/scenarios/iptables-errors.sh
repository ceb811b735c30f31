#!/usr/bin/env bash
# iptables' error messages and exit statuses; every failure leaves the table unchanged.
iptables -N foo; echo rc=$?
iptables -N foo; echo rc=$?
iptables -A INPUT -j foo
iptables -X foo; echo rc=$?
iptables -D INPUT 9; echo rc=$?
iptables -D INPUT -p tcp -j ACCEPT; echo rc=$?
iptables -A INPUT --foo; echo rc=$?
iptables -A INPUT -j nosuch; echo rc=$?
iptables -P foo DROP; echo rc=$?
iptables -A INPUT -s bad.host.x; echo rc=$?
iptables -A INPUT -p tcp --dport 99999; echo rc=$?
iptables -N a; iptables -A a -j ACCEPT; iptables -X a; echo rc=$?
iptables -E foo c; echo rc=$?; iptables -E nosuch d; echo rc=$?; iptables -E c INPUT; echo rc=$?
iptables -A c -j c; echo rc=$?
iptables -N d; iptables -A d -j c; iptables -A c -j d; echo rc=$?
iptables -S
iptables -P INPUT FOO; echo rc=$?
iptables -P INPUT RETURN; echo rc=$?
iptables -P nosuch ACCEPT; echo rc=$?
iptables -L nosuch; echo rc=$?
iptables -A nosuch -j ACCEPT; echo rc=$?
iptables -t foo -L; echo rc=$?
iptables -F INPUT
iptables -D INPUT 1; echo rc=$?
iptables -R INPUT 1 -j ACCEPT; echo rc=$?
iptables -I INPUT 5 -j ACCEPT; echo rc=$?
iptables -C INPUT -j ACCEPT; echo rc=$?
iptables -A INPUT -j ACCEPT; iptables -C INPUT -j ACCEPT; echo rc=$?
iptables -A INPUT -j REJECT --reject-with tcp-reset; echo rc=$?
iptables -A INPUT -p ! tcp -j DROP; echo rc=$?
iptables -A INPUT -m nosuchmatch; echo rc=$?
iptables -A INPUT -m tcp --dport 5; echo rc=$?
iptables -A INPUT -p tcp --dport 5 --dport 6; echo rc=$?
iptables -I INPUT -j ACCEPT -j DROP; echo rc=$?
iptables -A INPUT -s 10.0.0.1/33; echo rc=$?
iptables -A INPUT -A FORWARD; echo rc=$?
iptables -A INPUT -m statistic ! --mode nth --every 2; echo rc=$?
iptables; echo rc=$?
iptables -F c; iptables -F d; iptables -X d; echo rc=$?
iptables -X nosuch; echo rc=$?
iptables -F nosuch; echo rc=$?
iptables -S
iptables-save -t filter -c | grep -v '^#'
