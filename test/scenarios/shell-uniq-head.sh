# GNU uniq and head as scripts use them: uniq -c's seven-column counts, -d -u -D -i -f -s -w,
# --group and --all-repeated; head's negative counts, size suffixes, headers and messages.
cd /tmp && printf 'a\na\nb\nB\nc c1\nc c2\nd\nd\nd\n' > netnest-uniq.txt
uniq netnest-uniq.txt
uniq -c netnest-uniq.txt
uniq -d netnest-uniq.txt
uniq -u netnest-uniq.txt
uniq -D netnest-uniq.txt
uniq -ic netnest-uniq.txt
uniq -f1 -c netnest-uniq.txt
uniq -w1 -c netnest-uniq.txt
uniq -s1 -c netnest-uniq.txt
uniq --all-repeated=separate netnest-uniq.txt
uniq --group netnest-uniq.txt
uniq --group=append netnest-uniq.txt
uniq --group=both netnest-uniq.txt
uniq -cD netnest-uniq.txt; echo "rc $?"
uniq -x netnest-uniq.txt; echo "rc $?"
uniq /nonexistent; echo "rc $?"
uniq -f x netnest-uniq.txt; echo "rc $?"
uniq --group -c netnest-uniq.txt; echo "rc $?"
uniq --all-repeated=foo netnest-uniq.txt; echo "rc $?"
printf 'x\nx\ny' | uniq -c
uniq a b c; echo "rc $?"

printf '1\n2\n3\n4\n5\n' > netnest-head.txt
head -n 2 netnest-head.txt
head -n -2 netnest-head.txt
head -2 netnest-head.txt
head -c 3 netnest-head.txt; echo
head -c -3 netnest-head.txt; echo
head -n 1 netnest-head.txt netnest-head.txt
head -q -n 1 netnest-head.txt netnest-head.txt
head -v -n 1 netnest-head.txt
cat netnest-head.txt | head -n -4
head -n 1k netnest-head.txt | wc -l
head -n x netnest-head.txt; echo "rc $?"
head /nonexistent; echo "rc $?"
printf 'a\nb' | head -n -1
printf 'a\nb' | head -n 5

rm -f netnest-uniq.txt netnest-head.txt
