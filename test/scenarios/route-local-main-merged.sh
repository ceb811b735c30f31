# Until the first ip rule, the local and main tables are one trie in the kernel: the longest
# prefix of either wins, and for the same prefix local's route comes first. A rule splits them.
ip link set lo up
ip route add unreachable 127.1.0.0/16
ip route get 127.1.2.3
ip route get 127.0.0.5
ip route add blackhole 127.0.0.0/8
ip route get 127.0.0.9
ip route add throw 127.2.0.0/16
ip route get 127.2.0.1
ip route add prohibit 127.3.0.0/16 table default
ip route get 127.2.0.1
ip route get 127.3.0.1
ip route show table all | grep 127
ip rule add pref 100 from 1.2.3.4 table 7
ip route get 127.1.2.3
ip route get 127.2.0.1
ip route get 127.3.0.1
