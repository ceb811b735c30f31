# ip addr show/flush filters: scope, label, up, primary, secondary, permanent, dynamic, to PREFIX; flush -s.
ip link add v0 type veth peer name v1
ip link set v0 up
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.2/24 dev v0 label v0:a
ip addr add 10.2.0.1/24 dev v0 scope link
ip addr add 10.3.0.1/24 dev v0 scope host valid_lft 100 preferred_lft 100
ip addr add 10.4.0.1/24 dev v1 label v1:b
ip addr add 10.4.0.2/24 dev v1 label v0:b
ip addr add 10.4.0.3/24 dev v1 label foo
ip addr add 10.4.0.4/24 dev v1 scope 77
ip -4 -o addr show
ip -4 -o addr show scope link
ip -4 -o addr show scope host
ip -4 -o addr show scope global
ip -4 -o addr show scope 77
ip -4 -o addr show label 'v0:*'
ip -4 -o addr show label v1:b
ip -4 -o addr show up
ip -4 -o addr show primary
ip -4 -o addr show secondary
ip -4 -o addr show permanent
ip -4 -o addr show dynamic
ip -4 -o addr show to 10.1.0.0/24
ip -4 -o addr show to 10.4.0.2
ip -4 -o addr show dev v0 secondary
ip route get 10.99.0.1 oif v0
ip -s addr flush dev v0 scope link
ip -s -s addr flush to 10.1.0.2/32
ip -4 -o addr show
ip -s addr flush label 'v0*'
ip -4 -o addr show
ip addr flush dev v1 dynamic
ip -s addr flush dev v1 scope global
ip -4 -o addr show
