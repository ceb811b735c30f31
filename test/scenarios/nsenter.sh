# nsenter: run a command in the network namespace of a file (/run/netns/NAME, /proc/self/ns/net)
# or of a process (-t PID: only PID 1 here); its errors and exit statuses.
ip netns add red
ip -n red link set lo up
nsenter --net=/run/netns/red ip -br link
nsenter -n/run/netns/red ip -br -4 addr
nsenter --net=/run/netns/nosuch true
echo "rc=$?"
nsenter -n -t 1 ip -br link
nsenter --net=/run/netns/red -n -t 1 ip -br link
nsenter --net=/proc/self/ns/net ip -br link
ip netns exec red nsenter -t 1 -n ip -br link
ip netns exec red nsenter --net=/proc/self/ns/net ip -br link
ip netns exec red nsenter --net=/proc/1/ns/net ip -br link
nsenter --net=/run/netns/red bash -c 'exit 5'
echo "rc=$?"
nsenter --net=/run/netns/red nosuch
echo "rc=$?"
nsenter -t 1 true
echo "rc=$?"
nsenter -n true
echo "rc=$?"
nsenter --net /run/netns/red true
echo "rc=$?"
nsenter -t abc -n true
echo "rc=$?"
nsenter -t 999 -n true
echo "rc=$?"
nsenter -nt 1 true
echo "rc=$?"
touch /tmp/netnest-nsenter-plain-file
nsenter --net=/tmp/netnest-nsenter-plain-file true
echo "rc=$?"
rm -f /tmp/netnest-nsenter-plain-file
nsenter -x
echo "rc=$?"
nsenter --bogus
echo "rc=$?"
nsenter -t
echo "rc=$?"
nsenter --target
echo "rc=$?"
nsenter -V
nsenter --help | head -4
setpriv --reuid=nobody --regid=nogroup --clear-groups nsenter --net=/run/netns/red true
echo "rc=$?"
setpriv --reuid=nobody --regid=nogroup --clear-groups nsenter -n -t 1 true
echo "rc=$?"
unshare -r nsenter --net=/run/netns/red true
echo "rc=$?"
unshare -r -n nsenter -n -t 1 true
echo "rc=$?"
unshare -n nsenter --net=/run/netns/red ip -br link
ip netns del red
nsenter --net=/run/netns/red true
echo "rc=$?"
