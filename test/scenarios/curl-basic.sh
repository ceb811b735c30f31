# curl between two namespaces against one-shot nc servers: GET, -v, -i, -I, -o/-O, -w, POST -d
# with -H/-X, chunked and close-delimited bodies, redirects with -L, the progress meter.
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up
mkdir -p /tmp/curl-basic.d; cd /tmp/curl-basic.d; rm -f file.txt out.txt
srv() { printf "$1" | ip netns exec b nc -l -N ${2:-8080} > /tmp/curl-basic.req & S=$!; sleep 0.3; }
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'
ip netns exec a curl http://10.0.0.2:8080/; echo " rc=$?"
wait $S; cat /tmp/curl-basic.req
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello'
ip netns exec a curl -v http://10.0.0.2:8080/x?y=1#frag; echo " rc=$?"
wait $S
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'
ip netns exec a curl -si http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n' 80
ip netns exec a curl -I http://10.0.0.2/; echo " rc=$?"
wait $S; cat /tmp/curl-basic.req
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/html\r\n\r\nhello'
ip netns exec a curl -s -o out.txt -w '%{http_code} %{response_code} %{size_download} %{size_header} %{size_request} %{remote_ip}:%{remote_port} %{local_ip} %{url_effective} %{content_type} %{num_connects} %{exitcode} %{http_version} %{scheme} %{method} %%\n' http://10.0.0.2:8080/a/b; echo " rc=$?"; cat out.txt; echo
wait $S
srv 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'
ip netns exec a curl -sS -O http://10.0.0.2:8080/dir/file.txt; echo " rc=$?"; cat file.txt; echo
wait $S
srv 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok'
ip netns exec a curl -d 'a=1&b=2' -d c=3 -H 'X-Test: yes' http://10.0.0.2:8080/post; echo " rc=$?"
wait $S; cat /tmp/curl-basic.req; echo
printf 'line1\nline2\n' > body.txt
srv 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'
ip netns exec a curl -sv -X PUT -H 'Accept: text/html' -H 'User-Agent: me' -d @body.txt http://10.0.0.2:8080/p; echo " rc=$?"
wait $S; cat /tmp/curl-basic.req; echo
srv 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'
ip netns exec a curl -sS http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 200 OK\r\n\r\nuntil close\n'
ip netns exec a curl -v http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.0 200 OK\r\n\r\nold\n'
ip netns exec a curl -sv http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok'
ip netns exec a curl -sv http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 204 No Content\r\n\r\n'
ip netns exec a curl -s -w '%{http_code}\n' http://10.0.0.2:8080/; echo " rc=$?"
wait $S
srv 'HTTP/1.1 301 Moved\r\nLocation: http://10.0.0.2:8081/new\r\nContent-Length: 3\r\n\r\nmv\n'
printf 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nmoved\n' | ip netns exec b nc -l -N 8081 > /dev/null & S2=$!; sleep 0.3
ip netns exec a curl -sSL -w '%{num_redirects} %{url_effective}\n' http://10.0.0.2:8080/old; echo " rc=$?"
wait $S $S2
srv 'HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n'
ip netns exec a curl -sv -w '%{redirect_url}\n' http://10.0.0.2:8080/old; echo " rc=$?"
wait $S
