# A kube-proxy (iptables mode) rule set as kube-proxy writes it for one Service, default/web:
# ClusterIP 10.96.0.10:80 and NodePort 30080 over two endpoints (10.244.0.2 and 10.244.0.3, port
# 8080), loaded by iptables-restore into a node namespace whose pods hang off the cni0 bridge.
# A pod and an outside client connect to the ClusterIP and the NodePort; -m statistic spreads the
# connections (at random on the kernel, so what is printed is that every connection landed on an
# endpoint and the endpoint chains' counters add up), KUBE-MARK-MASQ marks the outside client's
# connections with 0x4000 and KUBE-POSTROUTING masquerades them; the pod's own are not.
T=${TMPDIR:-/tmp}
ip netns add node; ip netns add ep1; ip netns add ep2; ip netns add pod; ip netns add ext
ip -n node link add cni0 type bridge; ip -n node addr add 10.244.0.1/24 dev cni0
ip -n node link set cni0 up; ip -n node link set lo up
i=2
for p in ep1 ep2 pod; do
  ip link add eth0 netns $p type veth peer name veth$p netns node
  ip -n node link set veth$p master cni0; ip -n node link set veth$p up
  ip -n $p addr add 10.244.0.$i/24 dev eth0; ip -n $p link set eth0 up; ip -n $p link set lo up
  ip -n $p route add default via 10.244.0.1
  i=$((i + 1))
done
ip link add eth0 netns node type veth peer name eth0 netns ext
ip -n node addr add 192.0.2.10/24 dev eth0; ip -n node link set eth0 up
ip -n ext addr add 192.0.2.20/24 dev eth0; ip -n ext link set eth0 up; ip -n ext link set lo up
ip netns exec node sysctl -qw net.ipv4.ip_forward=1
ip netns exec node iptables-restore <<'RULES'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-LOLE4ISW44XBNF3G - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-RT3F6VLY3P67FIV3 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -s 10.244.0.2/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.0.2:8080
-A KUBE-SEP-RT3F6VLY3P67FIV3 -s 10.244.0.3/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-RT3F6VLY3P67FIV3 -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.0.3:8080
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.3:8080" -j KUBE-SEP-RT3F6VLY3P67FIV3
COMMIT
RULES
echo "restore: $?"
ip netns exec node iptables-save -t nat | grep -E 'statistic|MASQUERADE|0x4000'
ip -n ext route add 10.96.0.0/12 via 192.0.2.10
ip netns exec ep1 nc -lk -p 8080 > $T/kube-ep1.out &
E1=$!
ip netns exec ep2 nc -lk -p 8080 > $T/kube-ep2.out &
E2=$!
sleep 0.3
count() { awk '{c[$0]++} END {for (k in c) print c[k], k}' | sort; }
for i in 1 2 3 4 5 6; do
  echo "pod-clusterip-$i" | ip netns exec pod nc -q1 -p $((42000 + i)) 10.96.0.10 80
  echo "ext-clusterip-$i" | ip netns exec ext nc -q1 -p $((43000 + i)) 10.96.0.10 80
  echo "ext-nodeport-$i" | ip netns exec ext nc -q1 -p $((44000 + i)) 192.0.2.10 30080
  echo "pod-nodeport-$i" | ip netns exec pod nc -q1 -p $((45000 + i)) 10.244.0.1 30080
done
sleep 0.2
kill $E1 $E2; wait $E1 $E2 2>/dev/null
echo "connections that landed on an endpoint:"
cat $T/kube-ep1.out $T/kube-ep2.out | sed 's/-[0-9]*$//' | count
echo "endpoint chains' DNAT counters (sum):"
ip netns exec node iptables -t nat -L -n -v -x | awk '/DNAT/ {n += $1} END {print n}'
echo "the statistic rule's and the KUBE-SVC chain's counters add up:"
ip netns exec node iptables -t nat -L KUBE-SVC-LOLE4ISW44XBNF3G -n -v -x | awk 'NR > 2 {print $3, $1}' | sed 's/KUBE-SEP-[A-Z0-9]*/KUBE-SEP/' | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
echo "peers the endpoints saw (the outside client masqueraded, the pod not):"
ip netns exec node conntrack -L -p tcp 2>/dev/null | awk '{print $5, "->", $10}' | count
ip netns exec node iptables -t nat -L KUBE-POSTROUTING -n -v -x | grep -v RETURN
ip netns exec node iptables -t nat -L KUBE-MARK-MASQ -n -v -x
rm -f $T/kube-ep1.out $T/kube-ep2.out
