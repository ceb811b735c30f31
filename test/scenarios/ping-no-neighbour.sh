# A connected address nobody answers: ARP gets no reply, so ping loses its packet (status 1).
ip link add v0 type veth peer name v1
ip addr add 10.19.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ping -c 1 -W 1 10.19.0.2
echo "rc=$?"
