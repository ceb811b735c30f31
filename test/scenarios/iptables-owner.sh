# The owner match: packets by the uid and gid of the socket that sent them, kernel sockets (ICMP
# replies and errors) as sockets without a file, TIME_WAIT ACKs as no socket; OUTPUT and POSTROUTING
# only; its -L, -S and save forms and its errors.
ip link set lo up
iptables -A OUTPUT -p udp -m owner --uid-owner 0
iptables -A OUTPUT -p udp -m owner --uid-owner games
iptables -A OUTPUT -p udp -m owner ! --uid-owner 0
iptables -A OUTPUT -p udp -m owner --uid-owner 1-10
iptables -A OUTPUT -p udp -m owner --gid-owner 60
iptables -A OUTPUT -p udp -m owner --gid-owner games --suppl-groups
iptables -A OUTPUT -p udp -m owner --socket-exists
iptables -A OUTPUT -p icmp -m owner ! --socket-exists
iptables -A OUTPUT -p icmp -m owner --socket-exists
# TCP: a SYN is its socket's; a SYN-ACK its listener's (a request socket is no full socket, its
# listener is); a RST for a closed port comes from the control socket (a socket, no file). Which
# side ends in TIME_WAIT (whose ACK has no socket) is a race, so only these flags are counted.
iptables -A OUTPUT -p tcp --syn -m owner --uid-owner 0 --gid-owner 0
iptables -A OUTPUT -p tcp --syn -m owner --uid-owner games
iptables -A OUTPUT -p tcp --tcp-flags SYN,ACK SYN,ACK -m owner --uid-owner root
iptables -A OUTPUT -p tcp --tcp-flags RST RST -m owner --socket-exists
iptables -A OUTPUT -p tcp --tcp-flags RST RST -m owner --uid-owner 0
iptables -t mangle -A POSTROUTING -p udp -m owner --uid-owner 5
echo x | nc -u -q0 -p 4000 127.0.0.1 9
echo x | setpriv --reuid=5 --regid=60 --clear-groups nc -u -q0 -p 4001 127.0.0.1 9
ping -c1 127.0.0.1 > /dev/null
nc -l -p 80 > /dev/null &
sleep 0.2
echo hi | setpriv --reuid=5 --regid=60 --clear-groups nc -N -w1 127.0.0.1 80
nc -w1 -z 127.0.0.1 81
iptables -vnL OUTPUT
iptables -L OUTPUT
iptables -S OUTPUT
iptables -t mangle -vnL POSTROUTING
iptables-save -t filter | grep owner
iptables -A INPUT -m owner --uid-owner 0; echo "rc $?"
iptables -A PREROUTING -t mangle -m owner --uid-owner 0; echo "rc $?"
iptables -N X; iptables -A X -m owner --uid-owner 0; echo "rc $?"; iptables -A INPUT -j X; echo "rc $?"
iptables -A OUTPUT -m owner; echo "rc $?"
iptables -A OUTPUT -m owner --uid-owner nosuchuser; echo "rc $?"
iptables -A OUTPUT -m owner --uid-owner 5-1; echo "rc $?"
iptables -A OUTPUT -m owner --gid-owner nosuchgroup; echo "rc $?"
iptables -A OUTPUT -m owner --suppl-groups; echo "rc $?"
iptables -A OUTPUT -m owner --uid-owner 0 --uid-owner 1; echo "rc $?"
iptables -A OUTPUT -m owner --uid-owner 4294967295; echo "rc $?"
iptables -A OUTPUT -m owner --uid-owner 4294967294; echo "rc $?"
iptables -S OUTPUT | tail -2
