# curl's failures and their exit codes: refused (7), unreachable, no resolver (6), empty reply
# (52), short body (18), HTTP/0.9 (1), --fail (22), -m and --connect-timeout (28), -O without a
# file name (23), bad URLs (3), usage errors (2), unknown -w variables; -s, -S and -v.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n b link set lo up
mkdir -p /tmp/curl-errors.d; cd /tmp/curl-errors.d
srv() { printf "$1" | ip netns exec b nc -l -N 8080 > /dev/null & S=$!; sleep 0.3; }
ip netns exec a curl http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -s http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -sS http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -v http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -sS -w '%{http_code} %{exitcode} %{errormsg}\n' http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -sS http://10.9.0.2:8080/; echo " rc=$?"
ip netns exec a curl -sS http://nosuch:8080/; echo " rc=$?"
ip netns exec a curl -v http://localhost:8080/; echo " rc=$?"
ip netns exec b curl -sv http://localhost:8080/; echo " rc=$?"
srv ''
ip netns exec a curl http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv ''
ip netns exec a curl -v http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello'
ip netns exec a curl -sS http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'garbage\r\n\r\n'
ip netns exec a curl -sS http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n'
ip netns exec a curl -f http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n'
ip netns exec a curl -sf http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nno\n'
ip netns exec a curl -v -sSf http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n'
ip netns exec a curl -s -w '%{http_code}\n' http://10.0.0.2:8080/; echo " rc=$?"
wait $S
ip netns exec b nc -l 8080 > /dev/null & S=$!; sleep 0.3
ip netns exec a curl -m 1 http://10.0.0.2:8080/; echo " rc=$?"
wait $S
ip netns exec b nc -l 8080 > /dev/null & S=$!; sleep 0.3
ip netns exec a curl -sS --max-time 1.5 http://10.0.0.2:8080/; echo " rc=$?"
wait $S
ip netns exec a curl -sS --connect-timeout 1 http://10.0.0.9:8080/; echo " rc=$?"
ip netns exec a curl -sS -m 2 http://10.0.0.9:8080/; echo " rc=$?"
ip netns exec a curl -sS -O http://10.0.0.2:8080/; echo " rc=$?"
ip netns exec a curl -sS 'http://10.0.0.2:99999/'; echo " rc=$?"
ip netns exec a curl -sS gopher2://10.0.0.2/; echo " rc=$?"
ip netns exec a curl -s -w '%{bogus}\n' http://10.0.0.2:1/; echo " rc=$?"
curl; echo "rc=$?"
curl --foo http://x/; echo "rc=$?"
curl -o; echo "rc=$?"
curl -m abc http://x/; echo "rc=$?"
