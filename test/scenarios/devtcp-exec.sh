# bash's /dev/tcp on numbered descriptors (exec 3<>/dev/tcp/H/P): a conversation on one connection,
# the read builtin taking one line and leaving the rest in the socket, writes, dups, closes.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
echo "== request, reply to EOF, close"
printf 'HTTP/1.0 200 OK\r\n\r\nhello\n' | ip netns exec b nc -l -N 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; printf "GET / HTTP/1.0\r\n\r\n" >&3; cat <&3 | tr "\r" R; exec 3>&-'; echo "rc=$?"
wait $S; echo "srv=$?"; tr '\r' R < /tmp/devtcp-exec.out
echo "== read takes one line, the rest stays queued"
printf 'line one\nline two\nline three\n' | ip netns exec b nc -l -N 80 > /dev/null & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; sleep 1; read -r -u 3 l; echo "got=$l"
ss -tnH | awk "{print \$1, \$2, \$3, \$5}"; read l2 <&3; echo "got2=$l2"; cat <&3; read -u 3 l3; echo "eof=$? [$l3]"; exec 3<&-'; echo "rc=$?"
wait $S; echo "srv=$?"
echo "== a conversation: read a line, answer it"
printf 'one\ntwo\n' | ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'p=/dev/tcp/10.0.0.2/80; exec 3<>"$p"; read -r l <&3; echo "ack $l" >&3; read -r -u 3 l; echo "ack $l" >&3; exec 3>&-'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== writes on a descriptor opened with <, then closed"
ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3</dev/tcp/10.0.0.2/80; echo one >&3; echo two >&3; printf "three\n" >&3; sleep 1
ss -tnH | awk "{print \$1, \$2, \$3, \$5}"; exec 3>&-; sleep 1; ss -tanH | awk "{print \$1, \$2, \$3, \$5}" | sort'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== closed when the shell exits"
ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 5>/dev/tcp/10.0.0.2/80; echo five >&5'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== {fd}, a dup, a subshell closing its copy"
ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec {fd}<>/dev/tcp/10.0.0.2/80; echo viavar >&$fd; exec 4>&$fd; exec {fd}>&-; echo via4 >&4
( exec 4>&- ); echo still >&4; sleep 1; ss -tnH | awk "{print \$1, \$2, \$3, \$5}"; exec 4>&-'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== a subshell's own socket closes when it exits"
ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c '( exec 6<>/dev/tcp/10.0.0.2/80; echo sub >&6 ); echo "sub=$?"; sleep 1; ss -tanH | awk "{print \$1, \$2, \$3, \$5}" | sort'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== a group's descriptor lives as long as the group"
printf 'hello\n' | ip netns exec b nc -l -N 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c '{ echo req >&3; read -r l <&3; echo "got $l"; } 3<>/dev/tcp/10.0.0.2/80; echo "after=$?"'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== read -u keeps the command's own standard input; mapfile -u reads to EOF"
printf 'l1\nl2\nl3\nl4\n' | ip netns exec b nc -l -N 80 > /dev/null & S=$!; sleep 0.3
printf 'stdin1\nstdin2\n' > /tmp/devtcp-exec.in
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; read -u 3 a < /tmp/devtcp-exec.in; read -u 0 c < /tmp/devtcp-exec.in; echo "a=$a c=$c"
mapfile -t -u 3 arr; echo "n=${#arr[@]} ${arr[*]}"'; echo "rc=$?"
wait $S; echo "srv=$?"
echo "== a job started with & inherits the descriptor: it reads while the shell writes"
printf 'hello\nworld\n' | ip netns exec b nc -l -N 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; cat <&3 & echo req >&3; wait $!; echo "cat=$?"; exec 3>&-'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== the socket stays open while a job holds it"
ip netns exec b nc -l 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; { sleep 1; echo fromjob >&3; } & exec 3>&-; echo "parent closed"; wait; echo done'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== bash -c inherits it too; its exec 3>&- leaves the parent's open"
printf 'one\ntwo\n' | ip netns exec b nc -l -N 80 > /tmp/devtcp-exec.out & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; bash -c "read -u 3 l; echo \"child got \$l\"; echo fromchild >&3; exec 3>&-"
echo "child=$?"; read -u 3 l; echo "parent got $l"; echo fromparent >&3'; echo "rc=$?"
wait $S; echo "srv=$?"; cat /tmp/devtcp-exec.out
echo "== a write after the peer is gone: SIGPIPE ends the shell, status 141"
printf 'bye\n' | ip netns exec b nc -l -N -w1 80 > /dev/null & S=$!; sleep 0.3
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/80; read -u 3 l; echo "got $l"; sleep 3; echo a >&3; echo "a=$?"; sleep 1; echo b >&3; echo "b=$?"'; echo "rc=$?"
wait $S; echo "srv=$?"
echo "== descriptors on files are as before"
printf 'l1\nl2\nl3\nl4\n' > /tmp/devtcp-exec.f
exec 4</tmp/devtcp-exec.f; read -u 4 x; read -ru4 y; read z <&4; echo "$x $y $z"; cat <&4; exec 4<&-
f=/tmp/devtcp-exec.f; exec 5>"$f"; echo w1 >&5; { echo w2; } >&5; exec 5>&-; cat "$f"
exec 4</tmp/devtcp-exec.f; false; read -u 4 x; echo "st=$? _=$_ x=$x"; (exit 3); echo "before=$?" <&4
(exit 6); : "$?" <&4; echo "colon=$_"; echo hi there; cat <&4 >/dev/null; echo "last=$_"
bash -c 'set -e; exec 4</tmp/devtcp-exec.f; read -u 4 a; read -u 4 b || echo "eof"; read c <&4 || echo "eof2"; echo "end"'
