# A command whose name word expands to several fields runs the first field with the rest as its
# arguments: $X, "$@", "${cmd[@]}", $SUDO prefixes, run() wrappers.
X="echo hi there"
$X
printf '[%s]' $X; echo
run() { echo "+ $*"; "$@"; }
run echo ok
run ip link set lo up
run ip -br link
cmd=(ip -br addr show dev lo)
"${cmd[@]}"
"${cmd[@]}" | wc -l
set -- printf '<%s>\n' pos "two words"
"$@"
SUDO=
$SUDO ip -br link show lo
EMPTY=
V=kept $EMPTY
echo "V=$V"
set --
"$@"
echo "empty: rc=$?"
greet() { echo "hello $1 from ${FUNCNAME[0]}"; }
G="greet world"
$G
W=one $G
L="ip -4 addr add 10.9.0.1/24 dev lo"
$L
ip -4 -br addr show dev lo
$L
echo "again: rc=$?"
N="nosuchcommand --flag"
$N
echo "missing: rc=$?"
run nosuchcommand too
echo "missing in run: rc=$?"
{ run ip link show nosuchdev; echo "rc=$?"; } 2>&1
F="false"
$F || echo "false: rc=$?"
if $F; then echo yes; else echo no; fi
out=$($X)
echo "out=$out"
for c in "echo a b" "printf %s-%s\n c d" "ip -br link show lo"; do $c; done
f() { local n; for n in "$@"; do $n; done; }
f id "id -u" "id -un" "id -G" "id -gn"
id nobody
id -u -g
echo "rc=$?"
P="ip netns exec"
ip netns add w
$P w ip -br link
$P w id -un
ip netns del w
T="ip link set lo down"
set -e
$T
echo "after: $_"
ip -br link show lo
