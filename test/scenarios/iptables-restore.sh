#!/usr/bin/env bash
# iptables-restore: whole tables, --noflush, --test, -c counters, and failing input (a bad
# port, an unknown chain, an unknown option, no COMMIT, a bad table or policy) that leaves the
# tables as they were; iptables-save -c and -t.
cd "$(dirname "$0")"
cat > /tmp/nn-r1 <<'X'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:foo - [0:0]
-A INPUT -s 10.0.0.0/8 -j foo
-A foo -p tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT
COMMIT
X
iptables-restore < /tmp/nn-r1; echo rc=$?
iptables-save
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT -j nosuch\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT --foo\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A INPUT -j ACCEPT\n' | iptables-restore; echo rc=$?
printf '*bogus\nCOMMIT\n' | iptables-restore; echo rc=$?
printf 'garbage\n' | iptables-restore; echo rc=$?
printf '*filter\n:INPUT FOO [0:0]\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-X foo\n-A INPUT -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n-A FOO -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
printf '*filter\n:a - [0:0]\n-A a -j a\nCOMMIT\n' | iptables-restore; echo rc=$?
iptables-save
printf '*filter\n:bar - [0:0]\n-A bar -j DROP\nCOMMIT\n' | iptables-restore --noflush; echo rc=$?
printf '*filter\n:baz - [0:0]\n-A baz -j DROP\nCOMMIT\n' | iptables-restore --test; echo rc=$?
iptables -S
printf '*filter\n:INPUT ACCEPT [5:500]\n[3:300] -A INPUT -j ACCEPT\nCOMMIT\n' | iptables-restore -c; echo rc=$?
iptables -L -v -n
iptables-save -c -t filter
iptables -Z; iptables -L INPUT -v -n
printf '*mangle\n-A OUTPUT -j MARK --set-mark 1\nCOMMIT\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' | iptables-restore; echo rc=$?
iptables-save
iptables-save --foo; echo rc=$?
iptables-save | iptables-restore; echo rc=$?
iptables-save -t mangle
