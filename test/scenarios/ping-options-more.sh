# ping's other options as iputils 20221126 takes them: -v (the socket and address lines, ident=
# in replies), -e, -a, -A (ipg/ewma), -U, -B, -C, -d, -L, -S (the send buffer), -l (pipe), -p
# (PATTERN and the payload), -N/-F (IPv6 only, checked all the same), and the argument errors
# with their status.
ip netns add a
ip netns add b
ip link add va netns a mtu 1000 type veth peer name vb netns b mtu 1000
ip -n a addr add 10.1.1.1/24 dev va
ip -n a addr add 10.1.1.11/24 dev va
ip -n b addr add 10.1.1.9/24 dev vb
ip -n a link set va up
ip -n b link set vb up
P="ip netns exec a ping"
$P -c 2 -i 0.2 -v -e 77 10.1.1.9; echo "rc=$?"
$P -c 1 -v -e 0 10.1.1.9; echo "rc=$?"
$P -c 1 -W 1 -v -4 -e 5 10.1.1.7; echo "rc=$?"
$P -c 2 -i 0.2 -a 10.1.1.9; echo "rc=$?"
$P -c 4 -A 10.1.1.9; echo "rc=$?"
$P -c 2 -i 0.2 -U -d -L -C -S 5000 10.1.1.9; echo "rc=$?"
$P -c 1 -B 10.1.1.9; echo "rc=$?"
# -L: the host's own copy of a group echo (ip_mc_output) answers it, unless IP_MULTICAST_LOOP is off.
ip -n a link set lo up
ip -n a route add 224.0.0.0/4 dev va
ip netns exec a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
$P -c 1 -W 1 224.0.0.1; echo "rc=$?"
$P -c 1 -W 1 -L 224.0.0.1; echo "rc=$?"
ip netns exec a nstat -az IpExtInMcastPkts IpExtOutMcastPkts IcmpInEchos IcmpOutEchoReps
# The largest echo: 65535 bytes with the header; one more is a local error naming the MTU (less
# the options' 40 with -R); past 64 KiB raw_sendmsg refuses it before any of that, silently.
$P -c 1 -W 1 -s 65507 127.0.0.1; echo "rc=$?"
$P -c 1 -W 1 -s 65508 127.0.0.1; echo "rc=$?"
$P -c 1 -W 1 -s 70000 127.0.0.1; echo "rc=$?"
$P -c 1 -W 1 -R -s 65468 127.0.0.1; echo "rc=$?"
$P -c 1 -W 1 -M do -s 70000 127.0.0.1; echo "rc=$?"
# -S: each fragment's skb is charged to the socket, at most twice SO_SNDBUF (4608 at least): at
# MTU 1000, four fragments fit (the last may take 980 bytes), a fifth is refused with ENOBUFS.
$P -c 1 -W 1 -S 1 -s 3900 10.1.1.9; echo "rc=$?"
$P -c 1 -W 1 -S 1 -s 3901 10.1.1.9; echo "rc=$?"
$P -q -c 1 -W 1 -S 4000 -s 6829 10.1.1.9; echo "rc=$?"
ip netns exec a nstat -az IpOutDiscards
$P -c 1 -B -I va 10.1.1.9; echo "rc=$?"
$P -c 5 -l 3 -i 0.5 10.1.1.9; echo "rc=$?"
$P -c 1 -l 65536 -q 10.1.1.9; echo "rc=$?"
$P -c 1 -p ab 10.1.1.9; echo "rc=$?"
$P -c 1 -p 0102030 -s 20 10.1.1.9; echo "rc=$?"
$P -c 1 -p 1 -s 3 10.1.1.9; echo "rc=$?"
$P -c 1 -q -p ab 10.1.1.9; echo "rc=$?"
$P -c 1 -p 123456789012345678901234567890123456789 10.1.1.9; echo "rc=$?"
$P -c 1 -N name 10.1.1.9; echo "rc=$?"
$P -c 1 -F 5 10.1.1.9; echo "rc=$?"
$P -c 1 -N help 10.1.1.9; echo "rc=$?"
$P -c 1 -N foo 10.1.1.9; echo "rc=$?"
$P -c 1 -N name -N ipv4 10.1.1.9; echo "rc=$?"
$P -V; echo "rc=$?"
for o in "-l 0" "-l 70000" "-l x" "-p zz" "-p 12z4" "-Q 300" "-Q x" "-Q 0x100" "-m x" "-m -1" "-m 0x10" \
         "-e -1" "-e 70000" "-e x" "-e 0x10" "-T foo" "-S 0" "-S x" "-F x" "-F 0x100000" "-M probe" \
         "-c 3x" "-s -1" "-t 256" "-w x" "-c 99999999999999999999" "-t 0"; do
  echo "== $o"
  $P -c 1 -W 1 $o 10.1.1.9; echo "rc=$?"
done
