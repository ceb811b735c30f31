# Writing the knobs a new namespace has: each handler's ranges and parsing (proc_dointvec_minmax,
# proc_dou8vec_minmax, proc_douintvec, proc_doulongvec, jiffies, strings), a refused write
# changes nothing, read-only entries, and what a second namespace starts from.
ip netns add a
ip netns add b
w() { ip netns exec a sysctl -w "$1" 2>&1; echo "rc=$?"; }
r() { ip netns exec a sysctl "$@" 2>&1; }
# proc_dointvec_minmax, min 0: negatives and overflows refused; base 0 (hex, octal) accepted.
w net.core.somaxconn=-1
w net.core.somaxconn=2147483648
w net.core.somaxconn=0x10
w net.core.somaxconn=010
w net.core.somaxconn=08
w net.core.somaxconn=+5
w net.core.somaxconn=5x
w 'net.core.somaxconn=7 8'
r net.core.somaxconn
# proc_dou8vec_minmax with and without bounds.
w net.ipv4.tcp_tw_reuse=3
w net.ipv4.tcp_tw_reuse=1
w net.ipv4.tcp_syncookies=256
w net.ipv4.tcp_syncookies=255
w net.ipv4.tcp_keepalive_probes=-1
w net.ipv4.icmp_errors_use_inbound_ifaddr=2
w net.ipv4.icmp_errors_use_inbound_ifaddr=1
w net.ipv4.tcp_early_retrans=5
w net.ipv4.tcp_app_win=32
w net.ipv4.tcp_min_tso_segs=0
r net.ipv4.tcp_tw_reuse net.ipv4.tcp_syncookies net.ipv4.tcp_keepalive_probes net.ipv4.icmp_errors_use_inbound_ifaddr
# proc_dointvec_jiffies: seconds up to INT_MAX / HZ, negative ones too.
w net.ipv4.tcp_keepalive_time=8589934
w net.ipv4.tcp_keepalive_time=8589935
w net.ipv4.tcp_keepalive_intvl=-3
r net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl
# proc_dointvec_ms_jiffies: rounded up to whole jiffies.
w net.ipv4.tcp_invalid_ratelimit=1
w net.ipv4.tcp_invalid_ratelimit=-4
w net.ipv4.tcp_invalid_ratelimit=2147483648
r net.ipv4.tcp_invalid_ratelimit
# proc_douintvec and proc_doulongvec: no sign at all.
w net.ipv4.tcp_notsent_lowat=-1
w net.ipv4.tcp_notsent_lowat=4294967296
w net.ipv4.tcp_notsent_lowat=131072
w net.ipv4.tcp_comp_sack_delay_ns=18446744073709551615
w net.ipv4.tcp_comp_sack_delay_ns=-0
r net.ipv4.tcp_notsent_lowat net.ipv4.tcp_comp_sack_delay_ns
# Bounds from the table: tcp_rto_max_ms, tcp_min_snd_mss, tcp_tw_reuse_delay, udp_rmem_min.
w net.ipv4.tcp_rto_max_ms=999
w net.ipv4.tcp_rto_max_ms=120001
w net.ipv4.tcp_min_snd_mss=47
w net.ipv4.tcp_tw_reuse_delay=0
w net.ipv4.tcp_tw_reuse_delay=60001
w net.ipv4.udp_rmem_min=0
w net.ipv4.igmp_qrv=0
w net.ipv4.fib_multipath_hash_fields=0x1000
w net.ipv4.fib_multipath_hash_fields=0xfff
# tcp_reordering is bounded by tcp_max_reordering as it stands.
w net.ipv4.tcp_reordering=301
w net.ipv4.tcp_max_reordering=500
w net.ipv4.tcp_reordering=400
w net.ipv4.tcp_max_reordering=0
# A vector: each number stored as it is read, extra ones ignored, a bad one stops the write.
w 'net.ipv4.tcp_rmem=4096 65536'
r net.ipv4.tcp_rmem
w 'net.ipv4.tcp_wmem=4096 16384 4194304 1'
w 'net.ipv4.tcp_wmem=0 1 2'
w 'net.ipv4.tcp_wmem=x'
r net.ipv4.tcp_wmem
# Strings: the congestion control algorithm (an allowed one outside init_net).
w net.ipv4.tcp_congestion_control=cubic
w net.ipv4.tcp_congestion_control=nonesuch
w net.ipv4.tcp_congestion_control=
w net.ipv4.tcp_congestion_control=reno
r net.ipv4.tcp_congestion_control
# Global entries are read-only here: procps warns and goes on (status 0); a shell cannot open them.
w net.core.rmem_max=1000000
w net.core.wmem_default=65536
w net.ipv4.tcp_allowed_congestion_control=reno
w net.ipv4.tcp_available_congestion_control=reno
w net.ipv4.tcp_ehash_entries=1
w net.ipv4.conf.all.mc_forwarding=1
w net.netfilter.nf_conntrack_max=10
(echo 5 > /proc/sys/net/core/rmem_max) 2>/dev/null; echo "redirect rc=$?"
r net.core.rmem_max net.core.wmem_default net.ipv4.tcp_allowed_congestion_control net.ipv4.conf.all.mc_forwarding
# The TCP Fast Open key: four hex words, an optional backup key.
w net.ipv4.tcp_fastopen_key=1-2-3-abcdef
w net.ipv4.tcp_fastopen_key=0000000100000002
r net.ipv4.tcp_fastopen_key
# nf_log: NONE, or a logger registered for that family.
w net.netfilter.nf_log.2=NONE
w net.netfilter.nf_log.3=nf_log_ipv4
w net.netfilter.nf_log.0=nf_log_ipv4
w net.netfilter.nf_log.2=nf_log_ipv4
w net.netfilter.nf_log.7=NONE
r net.netfilter.nf_log.2 net.netfilter.nf_log.7
# IPv6 conntrack reassembly thresholds keep low <= high.
w net.netfilter.nf_conntrack_frag6_high_thresh=3145727
w net.netfilter.nf_conntrack_frag6_low_thresh=4194305
w net.netfilter.nf_conntrack_frag6_high_thresh=3145728
w net.netfilter.nf_conntrack_sctp_timeout_established=-7
w net.unix.max_dgram_qlen=2147483648
w net.unix.max_dgram_qlen=512
w net.core.rps_default_mask=4
w net.core.rps_default_mask=0x1
w net.core.rps_default_mask=3
r net.netfilter.nf_conntrack_frag6_high_thresh net.netfilter.nf_conntrack_sctp_timeout_established net.unix.max_dgram_qlen net.core.rps_default_mask
# Per-device knobs: lo starts with disable_policy and disable_xfrm set, conf.all and
# conf.default differ on accept_source_route; a write to default reaches devices that kept theirs.
r net.ipv4.conf.lo.disable_policy net.ipv4.conf.lo.disable_xfrm net.ipv4.conf.all.accept_source_route net.ipv4.conf.default.accept_source_route
ip -n a link add v0 type veth peer name v1
w net.ipv4.conf.v0.bootp_relay=1
w net.ipv4.conf.default.bootp_relay=2
w net.ipv4.conf.default.accept_source_route=0
w net.ipv4.conf.default.disable_policy=5
w net.ipv4.conf.all.tag=-9
ip -n a link add v2 type veth peer name v3
r net.ipv4.conf.v0.bootp_relay net.ipv4.conf.v1.bootp_relay net.ipv4.conf.v2.bootp_relay net.ipv4.conf.v0.accept_source_route net.ipv4.conf.v2.accept_source_route net.ipv4.conf.lo.disable_policy net.ipv4.conf.v3.disable_policy net.ipv4.conf.all.tag
# Another namespace starts from the defaults.
ip netns exec b sysctl net.core.somaxconn net.ipv4.tcp_tw_reuse net.ipv4.tcp_congestion_control net.ipv4.tcp_rmem net.netfilter.nf_log.2 net.ipv4.conf.default.bootp_relay net.unix.max_dgram_qlen
ip netns del a
ip netns del b
