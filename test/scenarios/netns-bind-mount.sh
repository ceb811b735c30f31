# A namespace named by hand, as container tools do: bind-mount /proc/PID/ns/net on a file under
# /run/netns (ip netns attach's own two steps), use it, stack a second mount on it, umount back to
# the plain file, and ip netns del (umount + unlink). mount's and umount's errors.
unshare -n sleep 30 & P=$!
sleep 0.5
touch /run/netns/c1
mount --bind /proc/$P/ns/net /run/netns/c1; echo "rc $?"
ip netns list
ip netns exec c1 ip -br link
ip netns exec c1 ip link set lo up
[ "$(ip netns identify $P)" = c1 ] && echo "identify: c1"
mount --bind /proc/$P/ns/net /run/netns/c2; echo "rc $?"
mount --bind /nonexistent /run/netns/c1; echo "rc $?"
mount -B /run/netns/c1 /var/run/netns/c1; echo "rc $?"
umount /run/netns/c1; echo "rc $?"
ip netns list
ip -n c1 -br link
umount /run/netns/c1; echo "rc $?"
ip netns list
umount /run/netns/c1; echo "rc $?"
rm /run/netns/c1; echo "rc $?"
umount /run/netns/nothere; echo "rc $?"
mount --make-shared /run/netns; echo "rc $?"
mount --make-private /nope; echo "rc $?"
touch /run/netns/c3
mount -o bind /proc/$P/ns/net /run/netns/c3; echo "rc $?"
rm /run/netns/c3; echo "rc $?"
ip netns del c3; echo "rc $?"
ls /run/netns
ip netns add x
umount /run/netns/x; echo "rc $?"
ip netns list
ip netns del x; echo "rc $?"
ls /run/netns
mount --bind; echo "rc $?"
umount; echo "rc $?"
touch /run/netns/y
setpriv --reuid=1000 mount --bind /proc/$P/ns/net /run/netns/y; echo "rc $?"
setpriv --reuid=1000 umount /run/netns/y; echo "rc $?"
kill $P; wait $P
