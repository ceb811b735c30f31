# iproute2 accepts unique prefixes of objects, commands and keywords.
ip l
ip l s lo up
ip li sh lo
ip a
ip -4 a
ip a s lo
ip r
ip r s table local
ip ad ad 10.7.0.1/8 dev lo
ip -4 a s dev lo
ip ro li
ip ro g 10.7.0.5
ip link set lo dow
echo "rc=$?"
ip l sh lo
