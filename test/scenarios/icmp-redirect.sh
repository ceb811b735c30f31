#!/usr/bin/env bash
# A router that forwards a packet back out of the link it came in on, to a next hop on that link,
# sends the sender an ICMP redirect (send_redirects), rate-limited per source (ip_rt_send_redirect).
# The host takes the new gateway as a next-hop exception (accept_redirects) once the new gateway's
# neighbour entry is valid (the first redirect only starts resolving it); ping prints each one.
ip netns add sw
ip netns add h1
ip netns add r
ip netns add h2
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
for n in h1 r h2; do
  ip link add v$n netns sw mtu 1000 type veth peer name eth0 netns $n mtu 1000
  ip -n sw link set v$n master br0
  ip -n sw link set v$n up
  ip -n $n link set eth0 up
  ip -n $n link set lo up
done
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
for a in 10.9.0.1 10.9.0.2 10.9.0.3; do ip -n h2 addr add $a/32 dev lo; done
ip -n h1 route add 10.9.0.0/24 via 10.0.0.254
ip -n r route add 10.9.0.0/24 via 10.0.0.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r sysctl net.ipv4.conf.eth0.send_redirects net.ipv4.conf.all.send_redirects
ip netns exec h1 sysctl net.ipv4.conf.eth0.accept_redirects net.ipv4.conf.eth0.secure_redirects net.ipv4.conf.eth0.shared_media
ip -n r route get 10.9.0.1 from 10.0.0.1 iif eth0
ip netns exec h1 ping -c 2 -i 0.3 10.9.0.1; echo "rc=$?"
sleep 0.5
ip -n h1 route get 10.9.0.1
ip -n h1 route get 10.9.0.5
ip -n h1 route show cache
ip -n h1 route show cache 10.9.0.5
ip -n h1 neigh show 10.0.0.2
ip netns exec h1 ping -c 1 10.9.0.1; echo "rc=$?"
ip netns exec r nstat -az | grep -E '^(IcmpOutRedirects|IcmpMsgOutType5|IpForwDatagrams) '
ip netns exec h1 nstat -az | grep -E '^(IcmpInRedirects|IcmpMsgInType5|IcmpInErrors) '
# Without accept_redirects the host keeps its route; ping still shows the redirects.
ip netns exec h1 sysctl -qw net.ipv4.conf.all.accept_redirects=0
ip netns exec h1 sysctl -qw net.ipv4.conf.eth0.accept_redirects=0
ip netns exec h1 ping -c 2 -i 0.3 10.9.0.2; echo "rc=$?"
ip -n h1 route get 10.9.0.2
# send_redirects is on while either all or the device has it.
ip netns exec r sysctl -qw net.ipv4.conf.all.send_redirects=0
ip -n r route get 10.9.0.3 from 10.0.0.1 iif eth0
ip netns exec r sysctl -qw net.ipv4.conf.eth0.send_redirects=0
ip -n r route get 10.9.0.3 from 10.0.0.1 iif eth0
ip netns exec h1 ping -c 1 10.9.0.3; echo "rc=$?"
ip netns exec r nstat -az | grep -E '^(IcmpOutRedirects|IcmpMsgOutType5) '
# Only the route line: the seconds left on the exception depend on how long the commands since
# the redirect took on a loaded machine (the first listing above checks them).
ip -n h1 route show cache | head -1
ip -n h1 route flush cache
ip -n h1 route show cache
ip -n h1 route get 10.9.0.1
