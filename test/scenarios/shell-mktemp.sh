# mktemp: a new file (0600) or with -d directory (0700) from the template, X's replaced; -u, -p,
# --tmpdir, -t, --suffix, and mktemp's messages. The random part is checked by pattern only.
t=$(mktemp); echo "rc $?"
[ -f "$t" ] && echo "a file"; stat -c '%a %s' "$t"
case $t in /tmp/tmp.??????????) echo "named /tmp/tmp.XXXXXXXXXX";; *) echo "named $t";; esac
rm -f "$t"
d=$(mktemp -d); [ -d "$d" ] && echo "a directory"; stat -c '%a' "$d"; rmdir "$d"
f=$(mktemp /tmp/netnest.XXXXX); case $f in /tmp/netnest.?????) echo "five X's";; esac; rm -f "$f"
f=$(mktemp -p /tmp probeXXX); case $f in /tmp/probe???) echo "in -p dir";; esac; rm -f "$f"
f=$(mktemp --tmpdir=/tmp abcXXXX --suffix=.conf); case $f in /tmp/abc????.conf) echo "with suffix";; esac; rm -f "$f"
f=$(mktemp -t tXXXXXX); case $f in /tmp/t??????) echo "-t in /tmp";; esac; rm -f "$f"
u=$(mktemp -u); [ -e "$u" ] || echo "dry run made nothing"
mktemp /tmp/abcXX; echo "rc $?"
mktemp /nonexistent/fooXXXXXX; echo "rc $?"
mktemp -q /nonexistent/fooXXXXXX; echo "rc $?"
mktemp a b; echo "rc $?"
mktemp --tmpdir /abs/XXXX; echo "rc $?"
mktemp -x; echo "rc $?"
