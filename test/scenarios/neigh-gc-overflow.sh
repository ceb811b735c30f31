# The ARP table is the machine's: gc_thresh3 (1024) counts every namespace's entries. Filling it
# from namespace a leaves b unable to resolve anything either: neigh_create fails (ENOBUFS, "neighbor
# table overflow!" in the kernel log), `ip neigh add` and ping's sendmsg report it. Permanent
# entries are exempt. The forced gc frees FAILED entries at once (fresh STALE ones only after 5 s),
# and b resolves again. (Other namespaces of the machine hold a few entries too: counts are bounds.)
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/16 dev va; ip -n b addr add 10.0.0.2/16 dev vb
ip -n a link set va up; ip -n b link set vb up
logged() { dmesg | grep -c "neighbour: arp_cache: neighbor table overflow!"; }
before=$(logged)
for i in $(seq 1 1100); do
  echo "neigh add 10.0.$((i / 200 + 10)).$((i % 200 + 1)) lladdr 02:00:00:00:00:01 dev va nud stale"
done > /tmp/neigh-gc-overflow.batch
ip -n a -batch /tmp/neigh-gc-overflow.batch; echo "batch rc=$?"
n=$(ip -n a neigh show | wc -l)
[ "$n" -ge 1000 ] && [ "$n" -le 1024 ] && echo "a holds 1000..1024 entries"
ip -n a neigh add 10.0.99.1 lladdr 02:00:00:00:00:02 dev va nud stale; echo "add rc=$?"
ip -n a neigh add 10.0.99.2 lladdr 02:00:00:00:00:02 dev va nud permanent; echo "permanent add rc=$?"
ip netns exec b ping -c 1 -W 1 10.0.0.1; echo "ping from b rc=$?"
ip -n b neigh show
ip netns exec a ping -c 1 -W 1 10.0.0.2; echo "ping from a rc=$?"
after=$(logged)
[ $((after - before)) -ge 1 ] && echo "overflow logged"
for i in $(seq 1 100); do echo "neigh change 10.0.10.$((i + 1)) dev va nud failed"; done > /tmp/neigh-gc-overflow.batch
ip -n a -batch /tmp/neigh-gc-overflow.batch; echo "batch rc=$?"
ip -n a neigh show nud failed | wc -l
ip netns exec b ping -c 1 -W 1 -q 10.0.0.1 | grep transmitted; echo "ping from b rc=$?"
ip -n a neigh show nud failed | wc -l
ip -n b neigh show
ip -n a neigh show 10.0.0.2
ip -n a neigh show nud permanent
rm /tmp/neigh-gc-overflow.batch
ip netns del a; ip netns del b
