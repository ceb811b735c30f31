# curl's other protocols reach the network as HTTP does: a refused connection is exit 7 and a
# silent peer runs into -m (28), each on the scheme's default port or the one given; a scheme the
# build lacks is exit 1 before any connection.
ip netns add a; ip link add va netns a type veth peer name vb; ip -n a addr add 10.0.0.1/24 dev va; ip -n a link set va up
ip addr add 10.0.0.2/24 dev vb; ip link set vb up
for u in ftp://10.0.0.1/x https://10.0.0.1/ gopher://10.0.0.1/ smtp://10.0.0.1 telnet://10.0.0.1 \
    imap://10.0.0.1 pop3://10.0.0.1 dict://10.0.0.1/d:x mqtt://10.0.0.1/t rtsp://10.0.0.1/ \
    scp://10.0.0.1/x sftp://10.0.0.1/x smb://10.0.0.1/s/x ftps://10.0.0.1/ HTTPS://10.0.0.1:8443/; do
  curl -sS "$u" 2>&1; echo "rc $?"
done
curl -sS -m 1 ftp://10.0.0.3/x; echo "rc $?"
curl -sS --connect-timeout 1 https://10.0.0.3:444/; echo "rc $?"
curl -sS foo://10.0.0.1/; echo "rc $?"
curl -s -w '%{http_code} %{remote_port} %{local_port} [%{remote_ip}] [%{local_ip}] %{scheme}\n' -o /dev/null imaps://10.0.0.1/; echo "rc $?"
