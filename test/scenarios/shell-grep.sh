# grep's command line as GNU reads it: every -e pattern counts (not only the last), -f pattern
# files, --color[=WHEN] (no colour in a pipe), '-e --' as a pattern, -NUM context, long options.
cd /tmp
printf 'eth0 up\neth1 down\nlo up\nvxlan0 unknown\n' > netnest-grep.txt
grep -e up -e down netnest-grep.txt
grep -n -e up -e down netnest-grep.txt
grep -c -e eth -e lo netnest-grep.txt
grep -v -e up -e down netnest-grep.txt
printf 'up\nunknown\n' > netnest-grep.pat; grep -f netnest-grep.pat netnest-grep.txt
grep -e lo -f netnest-grep.pat -x netnest-grep.txt; echo "rc $?"
grep --color=never up netnest-grep.txt
grep --color=auto -c up netnest-grep.txt
grep --colour down netnest-grep.txt
printf 'a\n--\nb\n' | grep -e -- -e a
grep -1 down netnest-grep.txt
grep --max-count=1 up netnest-grep.txt
grep --regexp=eth1 --line-number netnest-grep.txt
grep -E -e 'eth[0-9]' -e '^lo' -o netnest-grep.txt
grep -w -e up netnest-grep.txt | wc -l
ip -o link show | grep -c -e 'lo:' -e 'LOOPBACK'
grep; echo "rc $?"
rm -f netnest-grep.txt netnest-grep.pat
