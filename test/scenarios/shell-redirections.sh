# A compound command's redirections apply before its body runs: with `2>&1` (or `>&2`, `&>`,
# `>file 2>&1`) every command inside writes into one file, and stdout and stderr interleave in the
# order they are written. The commands below print to both streams.
for i in 1 2; do echo "out$i"; echo "err$i" >&2; done 2>&1
{ echo a; echo b >&2; echo c; } 2>&1 | cat
( echo sub1; echo sub2 >&2; echo sub3 ) 2>&1 | cat
for dev in lo nosuch; do ip link show "$dev"; echo "rc=$?"; done 2>&1 | grep -v 'link/loopback'
{ ip link show nosuch; ip -4 addr show dev nosuch; ip link set nosuch up; echo "rc=$?"; } 2>&1
if ip link show nosuch; then echo found; else echo "missing rc=$?"; fi 2>&1
case lo in lo) echo one; ip link show nosuch; echo two;; esac 2>&1
n=0; while [ "$n" -lt 2 ]; do echo "w$n"; ip link del "nosuch$n"; n=$((n + 1)); done 2>&1
until [ "$n" -eq 0 ]; do n=$((n - 1)); printf 'u%s\n' "$n"; printf 'v%s\n' "$n" >&2; done 2>&1
for ((i = 0; i < 2; i++)); do echo "c$i"; echo "e$i" >&2; done 2>&1
# Both streams to stderr, or to one file.
{ echo to-err; echo still-err >&2; echo to-err-too; } >&2
{ echo f1; echo f2 >&2; ip link show nosuch; echo f3; } >/tmp/netnest-redir.log 2>&1
cat /tmp/netnest-redir.log
{ echo g1; echo g2 >&2; echo g3; } &>/tmp/netnest-redir.log
cat /tmp/netnest-redir.log
{ echo h1; echo h2 >&2; } >&/tmp/netnest-redir.log
cat /tmp/netnest-redir.log
rm -f /tmp/netnest-redir.log
# Not merged: `2>&1 >FILE` sends stderr where stdout was, and stdout to the file.
{ echo kept >&2; echo dropped; } 2>&1 >/dev/null | sed 's/^/piped: /'
# The inner commands' own redirections keep their meaning inside the merged compound.
{ echo a; echo b 2>&1 >/dev/null; echo c >/dev/null; ip link show nosuch 2>/dev/null; echo d >&2; } 2>&1
{ { echo q1; echo q2 >&2; } 2>/dev/null; echo q3 >&2; echo q4; } 2>&1
{ { echo r1; echo r2 >&2; } 2>&1 >/dev/null; echo r3 >&2; } 2>&1
{ echo s1; { echo s2; echo s3 >&2; } >&2; echo s4; } 2>&1
# The first commands of a pipeline write their stderr to the compound's file, not into the pipe.
for dev in nosuch1 nosuch2; do ip link show "$dev" | cat; echo "after $dev ${PIPESTATUS[*]}"; done 2>&1
for dev in nosuch1; do ip link show "$dev" |& sed 's/^/piped: /'; done 2>&1
{ echo p1; ip link show nosuch; echo p2; } |& sed 's/^/piped: /'
{ echo x; ip -4 addr show dev nosuch; echo y >&2; } 2>&1 | sed 's/^/log: /'
# Status, PIPESTATUS, here-documents and exec are as bash has them.
false; for i in 1; do echo "rc=$?"; done 2>&1
{ false; echo "rc=$?"; false | true; echo "ps=${PIPESTATUS[*]}"; } 2>&1
while read -r line; do echo "line $line"; echo "err $line" >&2; done 2>&1 <<'END'
one
two
END
{ cat <<END
here
END
echo after-here >&2; } 2>&1
{ exec 3>&1; echo e1 >&2; echo e2 >&3; exec 3>&-; } 2>&1
out=$({ echo o1; echo o2 >&2; echo o3; } 2>&1)
echo "$out"
f() { echo f1; echo f2 >&2; echo f3; } 2>&1
f
set -e
for i in 1 2; do echo "try $i"; ip link show nosuch || echo "failed $i"; done 2>&1
{ echo last; echo last-err >&2; ip link show nosuch; echo not-reached; } 2>&1
echo not-reached
