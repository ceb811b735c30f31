# Address lifetimes in time: dynamic, the countdown, deprecated, expiry with the routes; noprefixroute, peer.
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.5.0.1/24 dev v0 valid_lft 100
ip addr add 10.5.0.1/24 dev v0 valid_lft 0 preferred_lft 0
ip addr add 10.5.0.1/24 dev v0 valid_lft abc
ip addr add 10.5.0.1/24 dev v0 valid_lft 6 preferred_lft 3
ip addr add 10.5.0.2/24 dev v0 valid_lft 100 preferred_lft 50
ip addr add 10.6.0.1/24 dev v0 valid_lft forever preferred_lft 2 noprefixroute
ip addr add 10.7.0.1 peer 10.7.0.2/32 dev v0
ip -4 addr show dev v0
ip -4 route show table all
sleep 1.5
ip -4 addr show dev v0
# check_lifetime runs on a rounded, fuzzed schedule (round_jiffies_up: up to a second late):
# look more than a second after each lifetime has passed, and half a second away from the whole
# second at which the 6 s address's remaining `valid_lft 2sec` turns 1sec (4.5 s in; commands
# under load take a few tenths).
sleep 3.0
ip -4 addr show dev v0
ip addr change 10.5.0.2/24 dev v0 valid_lft 20 preferred_lft 10
ip addr replace 10.6.0.1/24 dev v0 noprefixroute
ip -4 addr show dev v0
sleep 3.5
ip -4 addr show dev v0
ip -4 route show table all
ip addr replace 10.5.0.9/24 dev v0 valid_lft 2 preferred_lft 1
ip -o -4 addr show dev v0
sleep 4
ip -o -4 addr show dev v0
ip -4 route show table all
