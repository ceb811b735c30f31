#!/usr/bin/env bash
# arptables-restore batches a table and commits it at COMMIT, at the next table line or at the
# end of input: a command that fails inside the batch fails the commit (as its own line at COMMIT,
# as the final implicit COMMIT otherwise) and nothing changes; -L/-S inside print. arptables -v
# echoes each rule it adds, deletes, replaces or checks and names the chains it flushes, zeroes
# or deletes.
arptables -v -A INPUT -s 1.2.3.4,1.2.3.5 -j DROP
arptables -v -I INPUT --opcode 2 -j ACCEPT
arptables -v -R INPUT 2 -s 1.2.3.6 -j DROP
arptables -v -C INPUT -s 1.2.3.6 -j DROP
arptables -v -D INPUT -s 1.2.3.5 -j DROP
arptables -v -D INPUT -s 1.2.3.5 -j DROP 2>&1; echo rc=$?
arptables -v -N foo
arptables -v -Z
arptables -v -F INPUT
arptables -v -X foo
arptables -v -F
arptables -A INPUT -s 9.9.9.9 -j DROP
for body in '-A nosuch -j DROP' '-N INPUT' '-X nope' '-D INPUT 5' '-D INPUT -j DROP' '-R INPUT 1 -j DROP' \
  '-F nope' '-P FORWARD DROP' '-P INPUT REJECT' '-I INPUT 3 -j DROP' '-A INPUT -t filter -j ACCEPT' \
  '-S' '-L INPUT'; do
  echo "== $body"
  printf '*filter\n-A OUTPUT -j DROP\n%s\n' "$body" | arptables-restore 2>&1; echo rc=$?
  printf '*filter\n-A OUTPUT -j DROP\n%s\nCOMMIT\n' "$body" | arptables-restore 2>&1; echo rc=$?
done
arptables-save | grep -v '^#'
printf '*filter\n:INPUT REJECT\nCOMMIT\n' | arptables-restore 2>&1; echo rc=$?
printf 'COMMIT\n' | arptables-restore 2>&1; echo rc=$?
printf '*filter\n-A INPUT -j DROP\n*filter\n-A OUTPUT -j DROP\n' | arptables-restore 2>&1; echo rc=$?
arptables-save | grep -v '^#'
printf '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n-A OUTPUT -s 1.2.3.400 -j DROP\n' | arptables-restore 2>&1; echo rc=$?
arptables-save | grep -v '^#'
printf '*filter\n# comment\n\n:FORWARD ACCEPT\n:bar -\n-A bar -j ACCEPT\n' | arptables-restore 2>&1; echo rc=$?
arptables -L
