# A CNI-style bridge (cni0 with 10.22.0.1/16) whose port's peer is already up when the bridge
# opens: besides its IPv6 autoconfiguration (MLDv2 reports, DAD, router solicitations) the
# bridge joins 224.0.0.106 and ff02::6a (all-snoopers) and reports both, IGMPv3 twice and ff02::6a
# in the same MLD reports as its solicited-node group. The bridge floods what it sends to the
# port and passes up what the pod sends. Only the bridge's transmit side is shown: the pod's
# first report races the bridge's opening.
ip link set lo up
ip netns add c1
ip link add cni0 type bridge
ip link add veth0 type veth peer name eth0 netns c1
ip link set veth0 master cni0
ip -n c1 link set eth0 up
ip link set veth0 up
ip addr add 10.22.0.1/16 dev cni0
ip link set cni0 up
sleep 9
ip -s -o link show cni0 | sed 's/.*\\ *TX:/TX:/'
ip -s link show veth0
ip -n c1 -s link show eth0
ip addr show cni0
