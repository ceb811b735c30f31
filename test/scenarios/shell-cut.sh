# GNU cut: a line without the delimiter comes out whole (unless -s), -f/-b/-c lists and ranges,
# --complement, --output-delimiter, -z, and cut's messages and statuses.
cd /tmp
printf 'eth0:UP:1500:10.0.0.1\nno delimiter here\n:x:\n\nlo:UNKNOWN:65536' > netnest-cut.txt
cut -d: -f2 netnest-cut.txt
cut -d: -f2- netnest-cut.txt
cut -d: -f1,3 netnest-cut.txt
cut -d: -f-2 netnest-cut.txt
cut -d: -s -f4 netnest-cut.txt
cut -d: --complement -f2 netnest-cut.txt
cut -d: --output-delimiter=' | ' -f1,3- netnest-cut.txt
cut -c2-4 netnest-cut.txt
cut -b1,3-4 --output-delimiter=- netnest-cut.txt
cut --complement -c1-2 netnest-cut.txt
cut -f1 netnest-cut.txt
printf 'a\tb\tc\n' | cut -f2,3
echo "10.0.0.1 dev eth0  proto kernel" | cut -d' ' -f3,5
ip=$(echo "inet 10.1.2.3/24 brd" | cut -d' ' -f2 | cut -d/ -f1); echo "$ip"
cut -d: -f0 netnest-cut.txt; echo "rc $?"
cut -d: -f- netnest-cut.txt; echo "rc $?"
cut -d: -f3-2 netnest-cut.txt; echo "rc $?"
cut -d: -fa netnest-cut.txt; echo "rc $?"
cut -d:: -f1 netnest-cut.txt; echo "rc $?"
cut -c1 -f2 netnest-cut.txt; echo "rc $?"
cut -d: -c1 netnest-cut.txt; echo "rc $?"
cut netnest-cut.txt; echo "rc $?"
cut -d: -f1 nosuch netnest-cut.txt; echo "rc $?"
rm -f netnest-cut.txt
