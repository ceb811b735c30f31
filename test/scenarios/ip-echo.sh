# ip -echo: requests carry NLM_F_ECHO and ip prints the request's own notification as monitor
# would (rtnl_echo_talk): a created link (not its veth peer), an address (not the local routes
# it adds), "Deleted" for a removal, routes and rules; changing a link echoes nothing; an error
# is reported as usual; -j gives a one-object array, -o one line. (With -batch, iproute2 6.1
# takes the previous request's leftover ACK as the next answer, so only the first echo prints:
# not reproduced, not covered here.)
ip link add d0 type veth peer name d1
echo "== link add"; ip -echo link add d2 type veth peer name d3; echo "st $?"
echo "== link set"; ip -echo link set d2 up; echo "st $?"
ip -echo link set d2 mtu 1400; echo "st $?"
echo "== addr add"; ip -echo addr add 10.1.1.1/24 dev d0; echo "st $?"
ip -echo addr add 10.1.1.2/24 dev d0
echo "== addr add exists"; ip -echo addr add 10.1.1.2/24 dev d0; echo "st $?"
echo "== addr del"; ip -echo addr del 10.1.1.2/24 dev d0; echo "st $?"
ip link set d0 up; ip link set d1 up
echo "== route add"; ip -echo route add 10.9.0.0/16 via 10.1.1.5 dev d0; echo "st $?"
echo "== route del"; ip -echo route del 10.9.0.0/16; echo "st $?"
echo "== route replace"; ip -echo route replace 10.8.0.0/16 dev d0; echo "st $?"
echo "== rule add"; ip -echo rule add from 10.3.0.0/16 table 100; echo "st $?"
echo "== rule del"; ip -echo rule del from 10.3.0.0/16 table 100; echo "st $?"
echo "== link del"; ip -echo link del d2; echo "st $?"
echo "== json"; ip -echo -j addr add 10.1.1.7/24 dev d0; echo "st $?"
echo "== oneline"; ip -o -echo addr add 10.1.1.10/24 dev d0; echo "st $?"
echo "== abbreviated"; ip -ech addr add 10.1.1.11/24 dev d0; echo "st $?"
