# awk's command line as mawk reads it: a one-character -F (., |, +, \, ^, ], [) separates
# literally, -v FS=… and -v OFS=… set the separators, operand assignments before the files.
echo "192.168.1.10" | awk -F. '{print $4}'
echo "10.0.0.1/24" | awk -F/ '{print $1}' | awk -F. '{print $1 "." $2}'
echo "a|b|c" | awk -F'|' '{print $2}'
echo "a+b" | awk -F+ '{print $2}'
echo "a\\b" | awk -F'\\' '{print $2}'
echo "a^b" | awk -F^ '{print $2}'
echo "a]b" | awk -F] '{print $2}'
echo "a[b" | awk -F[ '{print $2}'
echo "a::b" | awk -F:: '{print $2}'
echo "a	b" | awk -F'\t' '{print $2}'
echo "atbtc" | awk -Ft '{print $2}'
echo "a b" | awk -F ' ' '{print $2}'
echo "a-b" | awk -v FS=- '{print $2}'
echo "a-b" | awk -F- -v OFS=+ '{$1=$1; print}'
echo "a.b" | awk -F. -v OFS=: '{$1=$1; print}'
echo "a-b" | awk -vOFS=+ -F- '{$1=$1}1'
echo "a b" | awk '{$1=$1; print}' OFS=-
printf 'x y\n' > /tmp/netnest-awk.txt; awk '{print $2, v}' v=7 /tmp/netnest-awk.txt; rm -f /tmp/netnest-awk.txt
ip link set lo up; ip -o -4 addr show lo | awk '{print $4}' | awk -F/ '{print $2}'
