# ss filter expressions: sport/dport comparisons, src/dst prefixes, and/or/not, parentheses, errors.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
S=$!; sleep 0.3
echo hi | ip netns exec a nc -N -p 40000 10.0.0.2 8080
wait $S
echo hi | ip netns exec a nc -u -q 0 -p 40001 10.0.0.2 9000
ip netns exec a nc -u -l 10.0.0.1 53 > /dev/null &
U=$!; sleep 0.3
for f in "sport = :40000" "dport = :8080" "dport = :http-alt" "sport :40000" "dport != :8080" "sport gt :39999" "sport lt :40000" \
  "sport ge :40000" "sport le :40000" "dst 10.0.0.2" "dst 10.0.0.0/24" "dst 10.0.1.0/24" "src 10.0.0.1:40000" "src 10.0.0.1:http" \
  "( sport = :40000 or dport = :1 )" "not dst 10.0.0.2" "sport = :40000 and dport = :8080" "sport = :40000 dport = :1" \
  "dst localhost" "autobound" "! autobound"; do
  echo "## $f"; ip netns exec a ss -tan $f; echo "rc=$?"
done
echo "## udp"; ip netns exec a ss -uan sport = :53; echo "rc=$?"
ip netns exec a ss -tuan sport = :domain; echo "rc=$?"
ip netns exec a ss -tan sport = :foo; echo "rc=$?"
ip netns exec a ss -tan dst 10.0.0.300; echo "rc=$?"
ip netns exec a ss -tan dport = 2>&1 | head -2; echo "rc=$?"
ip netns exec a ss -tan '(' sport = :1 2>&1 | head -2; echo "rc=$?"
kill $U; wait
