# GNU dirname and basename: slashes-only names give /, doubled slashes go, -z, -a, -s, SUFFIX,
# and the usage errors with their "Try" line.
for p in / // /a ///a a a/ a/b a//b /a/b//c// . .. ../x ''; do printf '%s -> %s %s\n' "$p" "$(dirname "$p")" "$(basename "$p")"; done
dirname /etc/netns/red/resolv.conf /sys/class/net/eth0/
dirname -z a/b | od -An -c
basename /sys/class/net/veth0/ ; basename /etc/resolv.conf .conf; basename -s .conf a.conf b.conf
basename -a /a/b /c/d; basename -z x/y | od -An -c; basename a.conf a.conf
dirname; echo "rc $?"
basename; echo "rc $?"
basename a b c; echo "rc $?"
