# Docker's default rules with a published port (docker run -p 8080:80, userland proxy off), in the
# shape iptables-save shows on a Docker 24 host, loaded by iptables-restore into a "host"
# namespace: docker0 is a Linux bridge (172.17.0.1/16) with two containers on veth pairs; eth0
# faces an outside client. Shows the DNAT to the container, the MASQUERADE of the containers'
# own connections, the host reaching its published port through OUTPUT, a container reaching it
# (refused: PREROUTING's DOCKER chain returns for docker0), FORWARD's DROP policy for an
# unpublished port, and the counters.
T=${TMPDIR:-/tmp}
ip netns add host; ip netns add c1; ip netns add c2; ip netns add ext
ip -n host link add docker0 type bridge; ip -n host addr add 172.17.0.1/16 dev docker0
ip -n host link set docker0 up; ip -n host link set lo up
for c in c1 c2; do
  ip link add eth0 netns $c type veth peer name veth$c netns host
  ip -n host link set veth$c master docker0; ip -n host link set veth$c up
  ip -n $c link set eth0 up; ip -n $c link set lo up
done
ip -n c1 addr add 172.17.0.2/16 dev eth0; ip -n c1 route add default via 172.17.0.1
ip -n c2 addr add 172.17.0.3/16 dev eth0; ip -n c2 route add default via 172.17.0.1
ip link add eth0 netns host type veth peer name eth0 netns ext
ip -n host addr add 192.0.2.10/24 dev eth0; ip -n host link set eth0 up
ip -n ext addr add 192.0.2.20/24 dev eth0; ip -n ext link set eth0 up; ip -n ext link set lo up
ip -n ext route add 172.17.0.0/16 via 192.0.2.10
ip netns exec host sysctl -qw net.ipv4.ip_forward=1
ip netns exec host iptables-restore <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
RULES
echo "restore: $?"
ip netns exec host iptables-save | grep -v '^#'
serve() { ip netns exec c1 nc -lvn -p 80 > $T/docker.out 2> $T/docker.err & S=$!; sleep 0.3; }
show() { wait $S; cat $T/docker.out $T/docker.err; }
echo "--- the outside client reaches the published port"
serve
echo outside | ip netns exec ext nc -q1 -p 41000 192.0.2.10 8080; echo "client: $?"
show
echo "--- the host reaches its own published port (OUTPUT)"
serve
echo host | ip netns exec host nc -q1 -p 41001 192.0.2.10 8080; echo "client: $?"
show
echo "--- another container reaches the published port: refused, no DNAT from docker0"
serve
echo c2 | ip netns exec c2 nc -q1 -p 41002 192.0.2.10 8080; echo "client: $?"
kill $S; wait $S 2>/dev/null
echo "--- a container connects out (MASQUERADE)"
ip netns exec ext nc -lvn -p 9000 > $T/docker.out 2> $T/docker.err & S=$!
sleep 0.3
echo from-c2 | ip netns exec c2 nc -q1 -p 41003 192.0.2.20 9000; echo "client: $?"
show
echo "--- the outside client tries an unpublished port directly: FORWARD drops it"
timeout 1.5 ip netns exec ext nc -vn -p 41004 172.17.0.2 81 < /dev/null; echo "client: $?"
sleep 0.2
ip netns exec host conntrack -L -p tcp 2>/dev/null | awk '{print $6, $0}' | sort | cut -d' ' -f2-
ip netns exec host iptables -t nat -L DOCKER -n -v -x
ip netns exec host iptables -L FORWARD -n -v -x
ip netns exec host iptables -L DOCKER -n -v -x
rm -f $T/docker.out $T/docker.err
