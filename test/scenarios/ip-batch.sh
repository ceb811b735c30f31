# ip -batch FILE and -batch - with comments, continuations, failures and -force.
ip -batch ip-batch.txt; echo rc=$?
ip netns list
ip -br link
ip -4 -o addr
ip -batch - <<EOF
netns del x
link add foo
netns del y
EOF
echo rc=$?
ip -force -batch - <<EOF
link add foo
netns add z
EOF
echo rc=$?
ip netns
ip -batch nosuch.txt; echo rc=$?
ip -n z -batch - <<EOF
link set lo up
addr show
EOF
ip -batch - <<EOF
link set dev lo mtu abc
link show lo
EOF
echo rc=$?
