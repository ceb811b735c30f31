# How a lookup walks the rules: fwmark with and without a mask, tos, oif, uid ranges, not, goto
# and nop, suppress_prefixlength, throw routes and empty tables falling through, and what
# `ip route get` reports as the table once rules exist.
ip link set lo up
ip link add v0 type veth peer name v1
ip link add w0 type veth peer name w1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 dev w0
ip link set v0 up
ip link set v1 up
ip link set w0 up
ip link set w1 up
ip route add default via 10.0.0.254
ip route add default via 10.0.1.254 table 100
ip route add 192.0.2.0/24 via 10.0.1.253 table 101
ip route add default via 10.0.1.252 table 102
echo "== no rules yet: local and main are one table"
ip route get 10.0.0.1
ip route get 8.8.8.8
echo "== fwmark"
ip rule add fwmark 0x1 lookup 100 pref 100
ip rule add fwmark 0x20/0xf0 lookup 102 pref 101
ip route get 8.8.8.8 mark 1
ip route get 8.8.8.8 mark 3
ip route get 8.8.8.8 mark 0x2f
ip route get 8.8.8.8 mark 0x12
ip route get 10.0.0.1
ip route get 10.0.0.1 mark 1
echo "== tos"
ip rule add tos 0x10 lookup 100 pref 110
ip route get 8.8.8.8 tos 0x10
ip route get 8.8.8.8 tos 0x14
ip route get 8.8.8.8 tos 0x08
echo "== oif"
ip rule add oif w0 lookup 102 pref 120
ip route get 8.8.8.8 oif w0
ip route get 8.8.8.8 oif v0
echo "== uid"
ip rule add uidrange 1000-1999 lookup 100 pref 130
ip route get 8.8.8.8 uid 1500
ip route get 8.8.8.8 uid 2000
echo "== not"
ip rule flush
ip rule add lookup main pref 32766
ip rule add lookup default pref 32767
ip rule add not from 10.0.0.0/24 lookup 102 pref 200
ip route get 8.8.8.8
ip route get 8.8.8.8 from 10.0.0.1
ip route get 8.8.8.8 from 10.0.1.1
echo "== goto and nop"
ip rule del pref 200
ip rule add goto 300 pref 150
ip rule add lookup 100 pref 160
ip rule add nop pref 300
ip rule
ip route get 8.8.8.8
ip rule del pref 300
ip rule
ip route get 8.8.8.8
ip rule del pref 150
ip rule del pref 160
echo "== suppress_prefixlength"
ip rule add lookup main suppress_prefixlength 0 pref 10
ip rule add lookup 100 pref 20
ip route get 8.8.8.8
ip route get 10.0.0.9
ip rule del pref 10
ip rule del pref 20
echo "== throw and empty tables fall through"
ip rule add lookup 101 pref 30
ip rule add lookup 555 pref 31
ip route get 192.0.2.1
ip route get 198.51.100.1
ip route add throw 192.0.2.128/25 table 101
ip route get 192.0.2.200
ip route get 192.0.2.100
echo "== a rule with table 0 gets an empty table"
ip rule add lookup 0 pref 40
ip rule show pref 40
ip route show table 1
ip route show table 2
echo "rc=$?"
echo "== without the local rule"
ip rule del pref 0
ip route get 10.0.0.1
ping -c1 -W1 10.0.0.1 | tail -2
ip rule add pref 0 lookup local
ip route get 10.0.0.1
ping -c1 -W1 10.0.0.1 | head -2
echo "== everything gone"
ip rule flush
ip rule del pref 0
ip rule
ip route get 127.0.0.1
echo "rc=$?"
ping -c1 -W1 127.0.0.1
echo "rc=$?"
