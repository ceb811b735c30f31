# GNU wc: counts padded to one width (1 for one count of one input, 7 from a pipe, else the
# digits of the files' total size), a total line, words as runs of printable bytes, -L, errors.
cd /tmp
echo 'b25lIHR3bwp0aHJlZQlmb3VyICBmaXZlCgF4IP8geQ0KbGFzdA==' | base64 -d > netnest-wc1.txt
printf 'a\n' > netnest-wc2.txt
wc netnest-wc1.txt
wc -l netnest-wc1.txt
wc -w netnest-wc1.txt
wc -c netnest-wc1.txt
wc -L netnest-wc1.txt
wc -lc netnest-wc1.txt
wc netnest-wc1.txt netnest-wc2.txt
wc -l netnest-wc1.txt nosuch netnest-wc2.txt; echo "rc $?"
wc -l < netnest-wc1.txt
cat netnest-wc1.txt | wc
cat netnest-wc1.txt | wc -l
seq 1000 | wc -lw
printf 'a\nb\n' | wc
n=$(ip -o link show | wc -l); echo "links: $n"
wc -x; echo "rc $?"
wc nosuch; echo "rc $?"
rm -f netnest-wc1.txt netnest-wc2.txt
