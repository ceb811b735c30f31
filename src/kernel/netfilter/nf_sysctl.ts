// net.netfilter entries beyond conntrack's own table (nf_conntrack.ts): the timeouts of the
// protocols netnest does not track (SCTP, GRE, ICMPv6) and IPv6 conntrack reassembly's knobs,
// which a namespace keeps and shows; nf_log.N (nf_log.c: the logger bound to each protocol
// family); nf_hooks_lwtunnel (a static key for the whole machine).
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { dointvecJiffies, doulongvec, procDostring, type SysctlKnob, sysctlKnobValue } from "../sysctl.js";

const HZ = 250;
const secs = (s: number): SysctlKnob => ({ handler: dointvecJiffies, dflt: s * HZ });

export const NF_NET_KNOBS = {
  nf_conntrack_frag6_timeout: secs(60),
  nf_conntrack_gre_timeout: secs(30),
  nf_conntrack_gre_timeout_stream: secs(180),
  nf_conntrack_icmpv6_timeout: secs(30),
  nf_conntrack_sctp_timeout_closed: secs(10),
  nf_conntrack_sctp_timeout_cookie_echoed: secs(3),
  nf_conntrack_sctp_timeout_cookie_wait: secs(3),
  nf_conntrack_sctp_timeout_established: secs(210),
  nf_conntrack_sctp_timeout_heartbeat_sent: secs(30),
  nf_conntrack_sctp_timeout_shutdown_ack_sent: secs(3),
  nf_conntrack_sctp_timeout_shutdown_recd: secs(3),
  nf_conntrack_sctp_timeout_shutdown_sent: secs(3),
} as const satisfies Record<string, SysctlKnob>;

const FRAG6_HIGH: SysctlKnob = { handler: doulongvec(), dflt: 4n * 1024n * 1024n };
const FRAG6_LOW: SysctlKnob = { handler: doulongvec(), dflt: 3n * 1024n * 1024n };

/** nf_ct_frag6_sysctl_register: high_thresh at least low_thresh, low_thresh at most high_thresh. */
export const NF_FRAG6_THRESH = {
  nf_conntrack_frag6_high_thresh: {
    read: (net: Net) => String(sysctlKnobValue(net, "netfilter/nf_conntrack_frag6_high_thresh", FRAG6_HIGH)),
    write: (net: Net, text: string) => {
      const low = sysctlKnobValue(net, "netfilter/nf_conntrack_frag6_low_thresh", FRAG6_LOW) as bigint;
      net.ipv4.setSysctlKnob("netfilter/nf_conntrack_frag6_high_thresh", doulongvec(low).parse(text, 0n));
    },
  },
  nf_conntrack_frag6_low_thresh: {
    read: (net: Net) => String(sysctlKnobValue(net, "netfilter/nf_conntrack_frag6_low_thresh", FRAG6_LOW)),
    write: (net: Net, text: string) => {
      const high = sysctlKnobValue(net, "netfilter/nf_conntrack_frag6_high_thresh", FRAG6_HIGH) as bigint;
      net.ipv4.setSysctlKnob("netfilter/nf_conntrack_frag6_low_thresh", doulongvec(0n, high).parse(text, 0n));
    },
  },
} as const;

/**
 * nf_hooks_lwtunnel_sysctl_handler: 0 or 1, global (nf_hooks_lwtunnel_enabled is a static key);
 * once on it stays on (EBUSY for 0).
 */
export const NF_HOOKS_LWTUNNEL = {
  read: (net: Net) => String(net.host.initNet.ipv4.sysctlKnob("netfilter/nf_hooks_lwtunnel") ?? 0),
  write: (net: Net, text: string) => {
    const init = net.host.initNet;
    const v = Number(doulongvec(0n, 1n).parse(text, 0n));
    if ((init.ipv4.sysctlKnob("netfilter/nf_hooks_lwtunnel") ?? 0) === 1) {
      if (v === 0) throw new KernelError("EBUSY");
      return;
    }
    if (v === 1) init.ipv4.setSysctlKnob("netfilter/nf_hooks_lwtunnel", 1);
  },
};

/** NFPROTO_NUMPROTO: net.netfilter.nf_log.0 to nf_log.12 … registered up to NFPROTO_IPV6 + 1. */
export const NF_LOG_PROTOS = 11;

/**
 * The loggers nf_log_syslog registers, by protocol family (NFPROTO_IPV4 2, ARP 3, NETDEV 5,
 * BRIDGE 7, IPV6 10); each namespace starts with them bound (nf_log_syslog's pernet init).
 */
export const NF_PROTO_LOGGERS: Readonly<Record<number, string>> = {
  2: "nf_log_ipv4",
  3: "nf_log_arp",
  5: "nf_log_netdev",
  7: "nf_log_bridge",
  10: "nf_log_ipv6",
};

/** nf_log_proc_dostring read: the bound logger's name, or NONE. */
export function nfLogRead(net: Net, pf: number): string {
  const bound = net.ipv4.sysctlKnob(`netfilter/nf_log/${pf}`);
  return bound === undefined ? (NF_PROTO_LOGGERS[pf] ?? "NONE") : String(bound);
}

/** nf_log_proc_dostring write: NONE unbinds; a logger registered for the family binds; else ENOENT. */
export function nfLogWrite(net: Net, pf: number, text: string): void {
  const name = procDostring(text, 32);
  if (name === "NONE") {
    net.ipv4.setSysctlKnob(`netfilter/nf_log/${pf}`, "NONE");
    return;
  }
  if (NF_PROTO_LOGGERS[pf] !== name) throw new KernelError("ENOENT");
  net.ipv4.setSysctlKnob(`netfilter/nf_log/${pf}`, name);
}
