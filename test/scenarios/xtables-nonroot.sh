#!/usr/bin/env bash
# iptables and arptables without CAP_NET_ADMIN: reading is refused too (nfnetlink), after the
# arguments and the table name were checked; the restores build their batch first.
iptables -A INPUT -j DROP; arptables -A INPUT -j DROP
S="setpriv --reuid=1000 --regid=1000 --clear-groups"
$S arptables -L 2>&1; echo rc=$?
$S arptables -S INPUT 2>&1; echo rc=$?
$S arptables -A INPUT -j ACCEPT 2>&1; echo rc=$?
$S arptables-save 2>&1; echo rc=$?
$S arptables-save -c 2>&1; echo rc=$?
$S iptables -L 2>&1; echo rc=$?
$S iptables -A INPUT -j DROP 2>&1; echo rc=$?
$S iptables -S 2>&1; echo rc=$?
$S iptables -t nat -L 2>&1; echo rc=$?
$S iptables-save 2>&1; echo rc=$?
echo '*filter' | $S iptables-restore 2>&1; echo rc=$?
$S iptables -A INPUT --bogus 2>&1; echo rc=$?
$S arptables -A INPUT --bogus 2>&1; echo rc=$?
printf '*filter\n-A INPUT -j DROP\nCOMMIT\n' | $S iptables-restore 2>&1; echo rc=$?
printf '*nosuch\nCOMMIT\n' | $S iptables-restore 2>&1; echo rc=$?
printf '*filter\n-A INPUT -s 1.2.3.400 -j DROP\nCOMMIT\n' | $S iptables-restore 2>&1; echo rc=$?
printf '' | $S iptables-restore 2>&1; echo rc=$?
$S iptables-save -t nosuch 2>&1; echo rc=$?
$S iptables -t nosuch -L 2>&1; echo rc=$?
printf '' | $S arptables-restore 2>&1; echo rc=$?
printf '*filter\n' | $S arptables-restore 2>&1; echo rc=$?
printf '*filter\n-A INPUT -s 1.2.3.400 -j DROP\n' | $S arptables-restore 2>&1; echo rc=$?
printf '*nat\n' | $S arptables-restore 2>&1; echo rc=$?
$S arptables -t nat -L 2>&1; echo rc=$?
iptables -S INPUT; arptables -S INPUT
