# bash's words when `exec N<>/dev/tcp/H/P` cannot open its socket: connect's error, then the
# redirection's, status 1, and the script goes on (bash outside POSIX mode); with set -e it exits.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/81; echo "after=$?"'; echo "refused: $?"
ip netns exec a bash -c 'exec 3</dev/tcp/10.9.0.2/81; echo "after=$?"'; echo "unreachable: $?"
ip netns exec a bash -c 'exec 3>/dev/tcp/nosuch/81; echo "after=$?"'; echo "no host: $?"
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/bogus; echo "after=$?"'; echo "bad service: $?"
ip netns exec a bash -c 'exec 4>/dev/udp/nosuch/9000; echo "after=$?"'; echo "udp no host: $?"
ip netns exec a bash -c 'exec 4>/dev/udp/10.0.0.2/9000; echo "udp=$?"'; echo "udp: $?"
ip netns exec a bash -c 'exec 3<>/dev/tcp/10.0.0.2/81 || echo "failed=$?"; echo "next=$?"'; echo "or: $?"
ip netns exec a bash -c 'echo start
{ echo never; } 3<>/dev/tcp/10.0.0.2/81; echo "group=$?"'; echo "group: $?"
ip netns exec a bash -c 'set -e; exec 3<>/dev/tcp/10.0.0.2/81 || echo "failed=$?"; echo "tested"'; echo "set -e ||: $?"
ip netns exec a bash -c 'set -e; exec 3<>/dev/tcp/10.0.0.2/81; echo "not reached"'; echo "set -e: $?"
ip netns exec a bash -c 'p=/dev/tcp/10.0.0.2/81; exec 3<"$p"; echo "var<=$?"; exec 4>"$p"; echo "var>=$?"'; echo "variable: $?"
printf '%s\n' 'echo one' 'exec 3<>/dev/tcp/10.0.0.2/81' 'echo "two=$?"' 'f() {' '  exec 5>/dev/tcp/10.0.0.2/82' '}' 'f; echo "f=$?"' > /tmp/devtcp-exec-errors.sh.x
ip netns exec a bash /tmp/devtcp-exec-errors.sh.x; echo "script: $?"
exec 4</dev/tcp/10.0.0.2/80; echo "top=$?"
