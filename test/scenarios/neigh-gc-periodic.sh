# neigh_periodic_work runs every base_reachable_time/2 (15 s) once the machine's ARP table holds
# gc_thresh1 (128) entries, and removes the unreferenced, non-permanent entries unused for the
# gc_stale_time of their device's parms (here 2 s on va; b keeps the default 60 s).
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/16 dev va; ip -n b addr add 10.0.0.2/16 dev vb
ip -n a link set va up; ip -n b link set vb up
ip netns exec a sysctl -w net.ipv4.neigh.va.gc_stale_time=2
ip netns exec b sysctl net.ipv4.neigh.vb.gc_stale_time
for i in $(seq 1 200); do
  echo "neigh add 10.0.$((i / 200 + 10)).$((i % 200 + 1)) lladdr 02:00:00:00:00:01 dev va nud stale"
done > /tmp/neigh-gc-periodic.batch
echo "neigh change 10.0.10.2 dev va nud failed" >> /tmp/neigh-gc-periodic.batch
echo "neigh add 10.0.99.1 lladdr 02:00:00:00:00:02 dev va nud permanent" >> /tmp/neigh-gc-periodic.batch
ip -n a -batch /tmp/neigh-gc-periodic.batch
for i in 1 2 3; do ip -n b neigh add 10.0.1.$i lladdr 02:00:00:00:00:03 dev vb nud stale; done
ip -n a neigh show | wc -l
ip -n a neigh show nud failed
ip -n b neigh show | wc -l
sleep 19
ip -n a neigh show | sort
ip -n b neigh show | sort
rm /tmp/neigh-gc-periodic.batch
