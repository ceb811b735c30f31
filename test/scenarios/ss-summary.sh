# /proc/net/sockstat per namespace and `ss -s` from it (with /proc/net/snmp's CurrEstab). TCP's
# alloc and mem and UDP's mem count the whole machine on Linux (the host's sockets too), and a
# closed socket leaves `sockets: used` only after an RCU grace period, so those are cut out, and
# with them ss's Total, TCP total and closed count.
cut_global() {
  sed 's/ alloc [0-9]* mem [0-9]*$//; s/^\(UDP: inuse [0-9]*\) mem [0-9]*$/\1/; s/^sockets: used [0-9]*$/sockets: used N/
       s/^Total: [0-9]*$/Total: N/; s/^TCP:   [0-9]* (estab \([0-9]*\), closed [0-9]*,/TCP:   N (estab \1, closed N,/'
}
ip netns add s
ip -n s link set lo up
ip netns exec s cat /proc/net/sockstat | cut_global
ip netns exec s cat /proc/net/sockstat6
ip netns exec s nc -l -p 9000 > /dev/null &
sleep 0.3
ip netns exec s cat /proc/net/sockstat | cut_global
ip netns exec s nc -u -l -p 9001 > /dev/null &
sleep 0.3
ip netns exec s cat /proc/net/sockstat | cut_global
ip netns exec s ss -s | cut_global
echo hi | ip netns exec s nc -N 127.0.0.1 9000
ip netns exec s cat /proc/net/sockstat | cut_global
ip netns exec s ss -s | cut_global
ip netns exec s ss -s -u -a -n | cut_global
kill %1 %2
wait
ip netns exec s cat /proc/net/sockstat | cut_global
ip netns del s
