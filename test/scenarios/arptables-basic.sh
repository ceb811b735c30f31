#!/usr/bin/env bash
# arptables (arptables-nft 1.8.9): rules listed (target first), saved and restored; the fields
# it sends to nf_tables but cannot read back (masked MACs, opcode masks) vanish from listings;
# -D compares addresses, interfaces and target only; errors, statuses; a failed restore changes nothing.
arptables -L; echo rc=$?
arptables-save; echo rc=$?
arptables -A INPUT -s 10.0.0.1 -j DROP
arptables -A INPUT ! -s 10.0.0.0/8 -d 10.1.2.3/255.255.0.0 --opcode Request -j ACCEPT
arptables -A INPUT -i lo --source-mac 00:11:22:33:44:55 --destination-mac 00:11:22:00:00:00/ff:ff:ff:00:00:00 -j ACCEPT
arptables -A INPUT --h-length 6 --h-type 1 --proto-type 0x800 -j ACCEPT
arptables -A INPUT --opcode 7 -j ACCEPT
arptables -A INPUT --opcode reply_reverse --h-type 6 -j ACCEPT
arptables -A INPUT -s 1.2.3.4,1.2.3.5 -d 127.0.0.1
arptables -A OUTPUT --opcode 2/255 -o veth+ -j DROP -c 123456 987654321
arptables -N foo
arptables -A foo ! -i lo ! --destination-mac 00:11:22:33:44:56 -j RETURN
arptables -I INPUT 2 -j foo
arptables -P OUTPUT DROP
arptables -L
arptables -L -n --line-numbers
arptables -L -v
arptables -L OUTPUT -v -x -n
arptables -S
arptables -S INPUT 2
arptables-save
arptables-save -c
arptables -D INPUT -s 10.0.0.1 --opcode 2 -j DROP; echo rc=$?
arptables -R INPUT 1 -s 1.1.1.1 -j DROP; echo rc=$?
arptables -C INPUT -s 1.1.1.1 -j DROP; echo rc=$?
arptables -C INPUT -s 1.1.1.2 -j DROP 2>&1; echo rc=$?
arptables -Z OUTPUT
arptables -L OUTPUT -v
arptables -A FORWARD -j ACCEPT 2>&1; echo rc=$?
arptables -A OUTPUT -i lo -j DROP 2>&1; echo rc=$?
arptables -A INPUT -j nosuch 2>&1; echo rc=$?
arptables -A INPUT --opcode foo 2>&1; echo rc=$?
arptables -A INPUT --opcode 1 --opcode 2 2>&1; echo rc=$?
arptables -A INPUT --h-length 4 2>&1; echo rc=$?
arptables -A INPUT --source-mac 00:11 2>&1; echo rc=$?
arptables -A INPUT -s 1.2.3.4/33 2>&1; echo rc=$?
arptables -A INPUT -n -j DROP 2>&1; echo rc=$?
arptables -D INPUT 99 2>&1; echo rc=$?
arptables -X foo 2>&1; echo rc=$?
arptables -N foo 2>&1; echo rc=$?
arptables -N ACCEPT 2>&1; echo rc=$?
arptables -P INPUT REJECT 2>&1; echo rc=$?
arptables -t nat -L 2>&1; echo rc=$?
arptables -L nosuch 2>&1; echo rc=$?
arptables -A INPUT --opcode ! 1 -j DROP 2>&1; echo rc=$?
arptables -S INPUT
arptables-restore <<'RULES'
*filter
:INPUT DROP
:OUTPUT ACCEPT
:bar -
[5:6] -A INPUT -s 1.2.3.4 -j bar
-A bar --opcode 1 -j ACCEPT
-A bar
RULES
echo rc=$?
arptables-save -c
arptables-restore <<'RULES' 2>&1
*filter
:INPUT ACCEPT
-A INPUT -s 1.2.3.6 -j DROP
-A INPUT -s 1.2.3.300 -j DROP
RULES
echo rc=$?
arptables-restore <<'RULES' 2>&1
*filter
-A INPUT -j nope
RULES
echo rc=$?
arptables-restore <<'RULES' 2>&1
*filter
:INPUT REJECT
RULES
echo rc=$?
printf '*nat\n' | arptables-restore 2>&1; echo rc=$?
printf -- '-A INPUT -j DROP\n' | arptables-restore 2>&1; echo rc=$?
arptables-save
arptables-save -t filter 2>&1; echo rc=$?
arptables -F
arptables -X
arptables-save
