# ip rule: the default rules, add/del/show/flush with every selector and action, priorities the
# kernel picks, goto resolution, detached devices, and the errors with their exit statuses.
ip rule
ip -4 rule show
ip -6 rule
ip -j rule
ip rule add from 10.0.0.0/8 lookup 100
ip rule add from 10.1.0.0/16 iif eth0 lookup 100
ip rule add not fwmark 1 lookup 200
ip rule add fwmark 0x10/0xff table 201 pref 100
ip rule add fwmark 0/0xf0 table 202 pref 101
ip rule add blackhole pref 200
ip rule add unreachable to 1.2.3.4
ip rule add prohibit tos 0x10
ip rule add goto 32766 pref 50
ip rule add goto 40000 pref 51
ip rule add nop pref 52
ip rule add lookup main suppress_prefixlength 0 pref 53
ip rule add oif lo lookup 5
ip rule add uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 lookup 7
ip rule add from 192.168.1.1 to 172.16.0.0/12 table 1000 pref 300
ip rule add dsfield 0x08 lookup local pref 301
ip rule add type throw pref 302
ip rule add protocol static lookup 9 pref 303
ip rule add suppress_ifgroup default lookup 8 pref 304
ip rule add iif lo oif eth9 lookup 10 pref 305
ip rule
ip -j rule
ip -d rule show pref 303
echo "== filters"
ip rule show table 100
ip rule show from 10.0.0.0/8
ip rule show to 172.16.0.0/12
ip rule show not
ip rule show fwmark 0x10/0xff
ip rule show iif eth0
ip rule show oif eth9
ip rule show pref 32766
ip rule show tos 0x10
ip rule show uidrange 100-200
ip rule show ipproto tcp
ip rule show sport 80
ip rule show dport 1000-2000
ip rule show protocol static
echo "== duplicates and priorities"
ip rule add from 10.0.0.0/8 lookup 100; echo "rc=$?"
ip rule add from 10.0.0.0/8 lookup 100 pref 32765; echo "rc=$?"
ip rule add fwmark 0x10/0xff table 201 pref 100; echo "rc=$?"
ip rule add lookup 0 pref 400; echo "rc=$?"
ip rule show pref 400
ip route show table 1
echo "== goto"
ip rule add goto 10 pref 100; echo "rc=$?"
ip rule add goto 600 pref 500
ip rule show pref 500
ip rule add lookup 60 pref 600
ip rule show pref 500
ip rule add lookup 61 pref 600
ip rule del lookup 60 pref 600
ip rule show pref 500
ip rule del pref 600
ip rule show pref 500
echo "== detached devices"
ip link add eth0 type veth peer name eth9
ip rule show iif eth0
ip rule show oif eth9
ip link set eth9 name eth8
ip rule show oif eth9
ip link del eth0
ip rule show iif eth0
echo "== errors"
ip rule add; echo "rc=$?"
ip rule del; echo "rc=$?"
ip rule add tos 0x11 lookup 5; echo "rc=$?"
ip rule add tos 0x20 lookup 5; echo "rc=$?"
ip rule add tos 0x100 lookup 5; echo "rc=$?"
ip rule add uidrange 200-100 lookup 5; echo "rc=$?"
ip rule add uidrange 5 lookup 5; echo "rc=$?"
ip rule add sport 0 lookup 5; echo "rc=$?"
ip rule add dport 20-10 lookup 5; echo "rc=$?"
ip rule add sport x lookup 5; echo "rc=$?"
ip rule add ipproto nosuch lookup 5; echo "rc=$?"
ip rule add suppress_prefixlength -1 lookup 5; echo "rc=$?"
ip rule add fwmark x lookup 5; echo "rc=$?"
ip rule add fwmark 1/x lookup 5; echo "rc=$?"
ip rule add pref x lookup 5; echo "rc=$?"
ip rule add lookup nosuch; echo "rc=$?"
ip rule add from 10.0.0.0/33 lookup 5; echo "rc=$?"
ip rule add from 2001:db8::/32 lookup 5; echo "rc=$?"
ip rule add iif averyveryverylongname lookup 5; echo "rc=$?"
ip rule add bogus lookup 5; echo "rc=$?"
ip rule add goto x; echo "rc=$?"
ip rule add goto; echo "rc=$?"
ip rule add pref; echo "rc=$?"
ip rule del pref 12345; echo "rc=$?"
ip rule del from 10.9.0.0/16; echo "rc=$?"
ip rule del table 777; echo "rc=$?"
ip rule frob; echo "rc=$?"
ip rule show x; echo "rc=$?"
ip rule show pref x; echo "rc=$?"
ip rule help; echo "rc=$?"
echo "== delete"
ip rule del from 10.0.0.0/8; echo "rc=$?"
ip rule del not fwmark 1; echo "rc=$?"
ip rule del fwmark 0x10/0xff; echo "rc=$?"
ip rule del blackhole; echo "rc=$?"
ip rule del to 1.2.3.4; echo "rc=$?"
ip rule del tos 0x10; echo "rc=$?"
ip rule del uidrange 100-200; echo "rc=$?"
ip rule del table 1000; echo "rc=$?"
ip rule
echo "== flush"
ip rule add pref 0 lookup 100
ip rule add goto 10
ip rule flush table 5; echo "rc=$?"
ip rule
ip rule flush; echo "rc=$?"
ip rule
ip rule del pref 0; echo "rc=$?"
ip rule del pref 0; echo "rc=$?"
ip rule del pref 0; echo "rc=$?"
ip rule del pref 0; echo "rc=$?"
ip rule
ip rule add lookup main
ip rule add lookup local
ip rule
echo "== l3mdev, nat, other actions, output forms"
ip rule add l3mdev pref 10; echo rc=$?
ip rule add l3mdev table 5; echo rc=$?
ip rule add nat 1.2.3.4 pref 11; echo rc=$?
ip rule add type 4 pref 12; echo rc=$?
ip rule
ip -d rule
ip -o rule
ip -j -p rule show pref 11
ip rule add lookup 5 pref 13 from 10.0.0.1/8; echo rc=$?
ip rule show pref 13
ip link add d0 type veth peer name d1
ip addr add 10.9.0.1/24 dev d0
ip link set d0 up
ip rule add oif d0 prohibit pref 14
ip route get 8.8.8.8 oif d0; echo rc=$?
ip rule add blackhole pref 15
ip route get 8.8.8.8 oif d0; echo rc=$?
ip route get 8.8.8.8; echo rc=$?
