// The entries of ipv4_net_table (net/ipv4/sysctl_net_ipv4.c) whose value is all netnest keeps or
// reads where it steers something: handler, compiled-in default (what a new namespace starts
// with) and mode. The ones with their own storage (ip_forward, ip_local_port_range …) are in
// sysctl_net_ipv4.ts.
import type { Net } from "../net_namespace.js";
import {
  dointvec,
  dointvecJiffies,
  dointvecMsJiffies,
  dointvecVector,
  dou8vec,
  douintvec,
  doulongvec,
  type SysctlKnob,
  sysctlKnobInt,
} from "../sysctl.js";

const HZ = 250;

export const IPV4_NET_KNOBS = {
  fib_multipath_hash_fields: { handler: douintvec(1, 0xfff), dflt: 7 },
  fib_notify_on_flag_change: { handler: dou8vec(0, 2), dflt: 0 },
  fwmark_reflect: { handler: dou8vec(), dflt: 0 },
  icmp_echo_enable_probe: { handler: dou8vec(0, 1), dflt: 0 },
  icmp_errors_use_inbound_ifaddr: { handler: dou8vec(0, 1), dflt: 0 },
  icmp_ignore_bogus_error_responses: { handler: dou8vec(0, 1), dflt: 1 },
  igmp_link_local_mcast_reports: { handler: dou8vec(), dflt: 1 },
  igmp_max_memberships: { handler: dointvec(), dflt: 20 },
  igmp_max_msf: { handler: dointvec(), dflt: 10 },
  igmp_qrv: { handler: dointvec(1), dflt: 2 },
  ip_dynaddr: { handler: dou8vec(), dflt: 0 },
  ip_forward_update_priority: { handler: dou8vec(0, 1), dflt: 1 },
  ip_forward_use_pmtu: { handler: dou8vec(), dflt: 0 },
  nexthop_compat_mode: { handler: dou8vec(0, 1), dflt: 1 },
  raw_l3mdev_accept: { handler: dou8vec(0, 1), dflt: 1 },
  tcp_abort_on_overflow: { handler: dou8vec(), dflt: 0 },
  tcp_adv_win_scale: { handler: dointvec(-31, 31), dflt: 1 },
  tcp_app_win: { handler: dou8vec(0, 31), dflt: 31 },
  tcp_autocorking: { handler: dou8vec(0, 1), dflt: 1 },
  tcp_backlog_ack_defer: { handler: dou8vec(0, 1), dflt: 1 },
  tcp_base_mss: { handler: dointvec(), dflt: 1024 },
  tcp_challenge_ack_limit: { handler: dointvec(), dflt: 0x7fffffff },
  tcp_child_ehash_entries: { handler: douintvec(0, 16 * 1024 * 1024), dflt: 0 },
  tcp_comp_sack_delay_ns: { handler: doulongvec(), dflt: 1_000_000n },
  tcp_comp_sack_nr: { handler: dou8vec(0), dflt: 44 },
  tcp_comp_sack_slack_ns: { handler: doulongvec(), dflt: 100_000n },
  tcp_dsack: { handler: dou8vec(), dflt: 1 },
  tcp_early_retrans: { handler: dou8vec(0, 4), dflt: 3 },
  tcp_ecn_fallback: { handler: dou8vec(0, 1), dflt: 1 },
  tcp_ecn_option: { handler: dou8vec(0, 2), dflt: 2 },
  tcp_ecn_option_beacon: { handler: dou8vec(0, 3), dflt: 3 },
  tcp_fack: { handler: dou8vec(), dflt: 0 },
  tcp_fastopen: { handler: dointvec(), dflt: 1 },
  tcp_fastopen_blackhole_timeout_sec: { handler: dointvec(0), dflt: 0 },
  tcp_frto: { handler: dou8vec(), dflt: 2 },
  tcp_fwmark_accept: { handler: dou8vec(), dflt: 0 },
  tcp_invalid_ratelimit: { handler: dointvecMsJiffies, dflt: HZ / 2 },
  tcp_keepalive_intvl: { handler: dointvecJiffies, dflt: 75 * HZ },
  tcp_keepalive_probes: { handler: dou8vec(), dflt: 9 },
  tcp_keepalive_time: { handler: dointvecJiffies, dflt: 7200 * HZ },
  tcp_l3mdev_accept: { handler: dou8vec(0, 1), dflt: 0 },
  tcp_limit_output_bytes: { handler: dointvec(), dflt: 4 * 1024 * 1024 },
  tcp_max_reordering: { handler: dointvec(1), dflt: 300 },
  /** tcp_sk_init: half the (global) established hash's buckets. */
  tcp_max_tw_buckets: { handler: dointvec(), dflt: 131072 },
  tcp_migrate_req: { handler: dou8vec(0, 1), dflt: 0 },
  tcp_min_rtt_wlen: { handler: dointvec(0, 24 * 3600), dflt: 300 },
  tcp_min_snd_mss: { handler: dointvec(48, 65535), dflt: 48 },
  tcp_min_tso_segs: { handler: dou8vec(1), dflt: 2 },
  tcp_moderate_rcvbuf: { handler: dou8vec(), dflt: 1 },
  tcp_mtu_probe_floor: { handler: dointvec(48, 65535), dflt: 48 },
  tcp_mtu_probing: { handler: dou8vec(), dflt: 0 },
  tcp_no_metrics_save: { handler: dou8vec(), dflt: 0 },
  tcp_no_ssthresh_metrics_save: { handler: dou8vec(0, 1), dflt: 1 },
  tcp_notsent_lowat: { handler: douintvec(), dflt: 0xffffffff },
  tcp_orphan_retries: { handler: dou8vec(), dflt: 0 },
  tcp_pacing_ca_ratio: { handler: dointvec(0, 1000), dflt: 120 },
  tcp_pacing_ss_ratio: { handler: dointvec(0, 1000), dflt: 200 },
  tcp_pingpong_thresh: { handler: dou8vec(1), dflt: 1 },
  tcp_plb_cong_thresh: { handler: dointvec(0, 256), dflt: 128 },
  tcp_plb_enabled: { handler: dou8vec(0, 1), dflt: 0 },
  tcp_plb_idle_rehash_rounds: { handler: dou8vec(0, 31), dflt: 3 },
  tcp_plb_rehash_rounds: { handler: dou8vec(0, 31), dflt: 12 },
  tcp_plb_suspend_rto_sec: { handler: dou8vec(), dflt: 60 },
  /** proc_douintvec_minmax up to UINT_MAX / HZ seconds. */
  tcp_probe_interval: { handler: douintvec(0, Math.trunc(0xffffffff / HZ)), dflt: 600 },
  tcp_probe_threshold: { handler: dointvec(), dflt: 8 },
  tcp_recovery: { handler: dou8vec(), dflt: 1 },
  tcp_reflect_tos: { handler: dou8vec(0, 1), dflt: 0 },
  tcp_retrans_collapse: { handler: dou8vec(), dflt: 1 },
  tcp_retries1: { handler: dou8vec(), dflt: 3 },
  tcp_rfc1337: { handler: dou8vec(), dflt: 0 },
  tcp_rmem: { handler: dointvecVector(3, 1), dflt: [4096, 131072, 33554432] },
  tcp_rto_max_ms: { handler: dointvec(1000, 120_000), dflt: 120_000 },
  tcp_rto_min_us: { handler: dointvec(1), dflt: 200_000 },
  tcp_shrink_window: { handler: dou8vec(0, 1), dflt: 0 },
  tcp_slow_start_after_idle: { handler: dou8vec(), dflt: 1 },
  tcp_stdurg: { handler: dou8vec(), dflt: 0 },
  tcp_syncookies: { handler: dou8vec(), dflt: 1 },
  tcp_thin_linear_timeouts: { handler: dou8vec(), dflt: 0 },
  tcp_tso_rtt_log: { handler: dou8vec(), dflt: 9 },
  tcp_tso_win_divisor: { handler: dou8vec(), dflt: 3 },
  tcp_tw_reuse: { handler: dou8vec(0, 2), dflt: 2 },
  /** proc_douintvec_minmax from 1 ms up to TCP_PAWS_MSL seconds. */
  tcp_tw_reuse_delay: { handler: douintvec(1, 60_000), dflt: 1000 },
  tcp_wmem: { handler: dointvecVector(3, 1), dflt: [4096, 16384, 4194304] },
  tcp_workaround_signed_windows: { handler: dou8vec(), dflt: 0 },
  udp_child_hash_entries: { handler: douintvec(0, 65536), dflt: 0 },
  udp_early_demux: { handler: dou8vec(), dflt: 1 },
  udp_l3mdev_accept: { handler: dou8vec(0, 1), dflt: 0 },
  udp_rmem_min: { handler: dointvec(1), dflt: 4096 },
  udp_wmem_min: { handler: dointvec(1), dflt: 4096 },
  xfrm4_gc_thresh: { handler: dointvec(), dflt: 32768 },
} as const satisfies Record<string, SysctlKnob>;

export type Ipv4NetKnob = keyof typeof IPV4_NET_KNOBS;

/** Each knob's path under /proc/sys/net, made once (the packet path reads some of them). */
const PATHS = Object.fromEntries(Object.keys(IPV4_NET_KNOBS).map((k) => [k, `ipv4/${k}`])) as Record<
  Ipv4NetKnob,
  string
>;

/** A numeric net.ipv4 knob's value in a namespace (READ_ONCE(net->ipv4.sysctl_…)). */
export function ipv4Sysctl(net: Net, name: Exclude<Ipv4NetKnob, "tcp_rmem" | "tcp_wmem">): number {
  return sysctlKnobInt(net, PATHS[name], IPV4_NET_KNOBS[name]);
}

const TCP_RMEM_PATH = PATHS.tcp_rmem;
const TCP_WMEM_PATH = PATHS.tcp_wmem;

/**
 * net.ipv4.tcp_rmem / tcp_wmem: min, default, max. TCP reads them per socket and per ACK, so
 * each is looked up by its own path, not through the knob tables (a dictionary lookup each).
 */
export function ipv4SysctlMem(net: Net, name: "tcp_rmem" | "tcp_wmem"): readonly [number, number, number] {
  const rmem = name === "tcp_rmem";
  const v = net.ipv4.sysctlKnob(rmem ? TCP_RMEM_PATH : TCP_WMEM_PATH);
  if (v !== undefined) return v as unknown as readonly [number, number, number];
  return rmem ? IPV4_NET_KNOBS.tcp_rmem.dflt : IPV4_NET_KNOBS.tcp_wmem.dflt;
}
