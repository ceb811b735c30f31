# GNU paste: standard input without a file operand, -s, -d lists with escapes, - read in turn.
cd /tmp
printf '1\n2\n3\n' > netnest-p1.txt
printf 'a\nb\n' > netnest-p2.txt
seq 3 | paste -sd+
seq 3 | paste -s
paste netnest-p1.txt netnest-p2.txt
paste -d, netnest-p1.txt netnest-p2.txt
paste -d ':|' netnest-p1.txt netnest-p2.txt netnest-p1.txt
paste -s netnest-p1.txt netnest-p2.txt
paste -sd '\n' netnest-p2.txt
seq 6 | paste - - -
seq 5 | paste -d' ' - -
paste -d '\0' netnest-p1.txt netnest-p2.txt
paste nosuch; echo "rc $?"
paste -x; echo "rc $?"
printf 'x\ny' | paste -s -d,
rm -f netnest-p1.txt netnest-p2.txt
