# /proc/sys/user: the initial user namespace's limits are the machine's; a new user namespace
# starts at INT_MAX and its root may lower them. max_net_namespaces counts the network namespaces
# a user has made in a user namespace and its descendants: beyond it unshare(CLONE_NEWNET) fails
# with ENOSPC. A dead namespace is cleaned up (and uncharged) a moment after its last user goes.
cat /proc/sys/user/max_net_namespaces
ls /proc/sys/user
sysctl user.max_user_namespaces
unshare -r bash -c 'cat /proc/sys/user/max_net_namespaces /proc/sys/user/max_user_namespaces'
unshare -r bash -c '
echo 1 > /proc/sys/user/max_net_namespaces
cat /proc/sys/user/max_net_namespaces
unshare -n unshare -n true
echo "rc=$?"
sleep 1
unshare -n ip -br link
sleep 1
sysctl -w user.max_net_namespaces=0
unshare -n true
echo "rc=$?"
unshare -r -n true
echo "rc=$?"
echo -1 > /proc/sys/user/max_net_namespaces
echo abc > /proc/sys/user/max_net_namespaces
echo 2147483648 > /proc/sys/user/max_net_namespaces
sysctl user.max_net_namespaces
echo 2 > /proc/sys/user/max_net_namespaces
unshare -n unshare -n true
echo "rc=$?"
sleep 1
unshare -n unshare -n unshare -n true
echo "rc=$?"
'
unshare -r bash -c 'echo 1 > /proc/sys/user/max_user_namespaces; unshare -r unshare -r true; echo "rc=$?"'
cat /proc/sys/user/max_net_namespaces
