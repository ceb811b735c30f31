# /run/netns holds more than ip netns's bind mounts: a symbolic link to /proc/PID/ns/net (how
# scripts give a container's namespace a name; /var/run is Debian's link to /run) and plain files,
# listed newest first with the mounts. /proc/PID/ns/TYPE are links named TYPE:[INODE].
ls /proc/self/ns/ | tr '\n' ' '; echo
for t in net uts user ipc pid cgroup time mnt; do readlink /proc/self/ns/$t; done | sed 's/[0-9]\{10\}/N/'
cat /proc/self/ns/net; echo "cat rc=$?"
readlink /var/run
unshare -n sleep 8 &
pid=$!
sleep 0.3
[ "$(readlink /proc/$pid/ns/net)" = "$(readlink /proc/self/ns/net)" ] && echo same || echo different
[ "$(readlink /proc/$pid/ns/uts)" = "$(readlink /proc/self/ns/uts)" ] && echo same || echo different
ip netns add first
ln -s /proc/$pid/ns/net /var/run/netns/ctr
touch /run/netns/plain
ip netns add last
readlink /run/netns/ctr | sed "s/$pid/PID/"
ip netns list
ip netns exec ctr ip -br link | cut -c1-20
ip -n ctr link add d0 type veth peer name d1
ip netns exec ctr ip -br link | cut -c1-10 | sort
nsenter --net=/var/run/netns/ctr ip -br link show d0 | cut -c1-10
ip netns identify $pid; echo "identify rc=$?"
ip netns identify; echo "identify self rc=$?"
ip netns exec plain true; echo "plain rc=$?"
ip -n plain link; echo "plain rc=$?"
ip netns add plain; echo "add rc=$?"
ln -s /proc/1/ns/net /run/netns/ctr; echo "ln rc=$?"
ip netns set ctr 7; echo "set rc=$?"
ip netns list
ip netns list-id
ip -j netns list
echo
rm /run/netns/first; echo "rm rc=$?"
ip netns del ctr; echo "del rc=$?"
ls /run/netns | tr '\n' ' '; echo
ip netns del plain; echo "del plain rc=$?"
ip netns del nope; echo "del nope rc=$?"
ip netns del last
ip netns del first
ls /run/netns | wc -l
kill $pid
wait
