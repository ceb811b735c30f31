# Which next hop a flow takes: fib_multipath_hash (L3 and L4 policies) with a fixed
# fib_multipath_hash_seed, the hash-threshold bounds by weight, and source-address preference.
ip netns add r
ip -n r link add va type veth peer name va2
ip -n r link add vb type veth peer name vb2
ip -n r link add vc type veth peer name vc2
for d in va vb vc va2 vb2 vc2 lo; do ip -n r link set $d mtu 1200 2>/dev/null; ip -n r link set $d up; done
ip -n r addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.2.1/24 dev vb
ip -n r addr add 10.0.3.1/24 dev vc
ip -n r addr add 10.9.9.9/32 dev lo
ip netns exec r sysctl net.ipv4.fib_multipath_hash_seed net.ipv4.fib_multipath_hash_policy
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_seed=12345
ip -n r route add 10.1.0.0/16 nexthop via 10.0.1.2 dev va weight 1 nexthop via 10.0.2.2 dev vb weight 2 nexthop via 10.0.3.2 weight 3
for i in $(seq 1 40); do ip -n r route get 10.1.$i.$((i*7 % 250)) | head -1; done
for i in $(seq 1 10); do ip -n r route get 10.1.$i.$((i*7 % 250)) from 10.9.9.9 | head -1; done
for i in $(seq 1 10); do ip -n r route get 10.1.$i.$((i*7 % 250)) from 10.0.2.1 | head -1; done
for i in $(seq 1 10); do ip -n r route get 10.1.$i.$((i*7 % 250)) ipproto udp sport $((1000+i)) dport 53 | head -1; done
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_policy=1
for i in $(seq 1 40); do ip -n r route get 10.1.$i.$((i*7 % 250)) ipproto udp sport $((1000+i)) dport 53 | head -1; done
for i in $(seq 1 20); do ip -n r route get 10.1.$i.$((i*7 % 250)) ipproto tcp sport $((40000+i)) dport 80 | head -1; done
for i in $(seq 1 10); do ip -n r route get 10.1.$i.$((i*7 % 250)) from 10.9.9.9 ipproto udp sport 53 dport $((2000+i*13)) | head -1; done
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_seed=7
for i in $(seq 1 20); do ip -n r route get 10.1.$i.$((i*7 % 250)) ipproto udp sport $((1000+i)) dport 53 | head -1; done
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_policy=0
for i in $(seq 1 20); do ip -n r route get 10.1.$i.$((i*7 % 250)) from 10.0.1.2 iif va | head -1; done
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_policy=1
for i in $(seq 1 20); do ip -n r route get 10.1.$i.$((i*7 % 250)) from 10.0.1.2 iif va ipproto udp sport $((3000+i)) dport 4789 | head -1; done
ip -n r link set vb down
for i in $(seq 1 20); do ip -n r route get 10.1.$i.$((i*7 % 250)) ipproto udp sport $((1000+i)) dport 53 | head -1; done
