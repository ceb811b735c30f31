# Policy routing between two uplinks: the source picks the table, a rule on the destination and one
# on the incoming interface steer forwarded traffic, and pings show where packets really went.
ip netns add r
ip netns add up1
ip netns add up2
ip link add a1 netns r type veth peer name b1 netns up1
ip link add a2 netns r type veth peer name b2 netns up2
ip -n r addr add 10.1.0.2/24 dev a1
ip -n r addr add 10.2.0.2/24 dev a2
ip -n up1 addr add 10.1.0.1/24 dev b1
ip -n up2 addr add 10.2.0.1/24 dev b2
ip -n up1 addr add 8.8.8.8/32 dev lo
ip -n up2 addr add 9.9.9.9/32 dev lo
for n in r up1 up2; do ip -n $n link set lo up; done
ip -n r link set a1 up
ip -n r link set a2 up
ip -n up1 link set b1 up
ip -n up2 link set b2 up
ip -n r route add default via 10.1.0.1
ip -n r route add default via 10.2.0.1 table 100
ip -n r rule add from 10.2.0.2 lookup 100
ip -n r rule
ip -n r route show table 100
echo "== by source"
ip -n r route get 9.9.9.9
ip -n r route get 9.9.9.9 from 10.2.0.2
ip -n r route get 8.8.8.8 from 10.2.0.2
ip netns exec r ping -c1 -W1 8.8.8.8 | head -2
ip netns exec r ping -c1 -W1 9.9.9.9 | tail -2
ip netns exec r ping -c1 -W1 -I 10.2.0.2 9.9.9.9 | head -2
ip netns exec r ping -c1 -W1 -I 10.2.0.2 8.8.8.8 | tail -2
echo "== by destination"
ip -n r rule add to 9.9.9.9 lookup 100 pref 1000
ip -n r route get 9.9.9.9
ip netns exec r ping -c1 -W1 9.9.9.9 | head -2
ip -n r rule del to 9.9.9.9 lookup 100
ip -n r route get 9.9.9.9
echo "== locally generated traffic: iif lo"
ip -n r rule add iif lo lookup 100 pref 900
ip -n r route get 8.8.8.8
ip netns exec r ping -c1 -W1 9.9.9.9 | head -2
ip -n r rule del pref 900
echo "== forwarded by incoming interface"
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n up1 route add 9.9.9.9 via 10.1.0.2
ip -n up2 route add 10.1.0.0/24 via 10.2.0.2
ip -n r rule add iif a1 lookup 100 pref 800
ip -n r rule
ip -n r route get 9.9.9.9 from 10.1.0.1 iif a1
ip netns exec up1 ping -c1 -W1 9.9.9.9 | head -2
ip -n r rule add iif a1 prohibit pref 700
ip -n r route get 9.9.9.9 from 10.1.0.1 iif a1
echo "rc=$?"
ip -n r rule add iif a1 unreachable pref 600
ip -n r route get 9.9.9.9 from 10.1.0.1 iif a1
echo "rc=$?"
ip -n r rule add iif a1 blackhole pref 500
ip -n r route get 9.9.9.9 from 10.1.0.1 iif a1
echo "rc=$?"
ip -n r rule flush
ip -n r rule
ip -n r route get 9.9.9.9
echo "rc=$?"
ip netns del r
ip netns del up1
ip netns del up2
