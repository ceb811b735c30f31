// The /proc/sys/net tree of one namespace (net/ipv4/sysctl_net_ipv4.c, devinet_sysctl): each
// entry reads as text and parses writes as proc_dointvec and friends do.
import { devGetByName } from "../core/dev.js";
import { neighSysctls } from "../core/neighbour_sysctl.js";
import { NET_CORE_KNOBS, NET_UNIX_KNOBS } from "../core/sysctl_net_core.js";
import type { Net } from "../net_namespace.js";
import { nfConntrackSysctls } from "../netfilter/nf_conntrack.js";
import {
  NF_FRAG6_THRESH,
  NF_HOOKS_LWTUNNEL,
  NF_LOG_PROTOS,
  NF_NET_KNOBS,
  nfLogRead,
  nfLogWrite,
} from "../netfilter/nf_sysctl.js";
import { KernelError } from "../syscalls.js";
import {
  dointvec,
  dointvecMsJiffies,
  procDostring,
  type SysctlKnob,
  sysctlKnobMode,
  sysctlKnobValue,
  sysctlKnobWrite,
} from "../sysctl.js";
import { IPV4_NET_KNOBS, ipv4Sysctl } from "./ipv4_net_table.js";
import {
  DEVCONF_EXTRA_DFLT,
  type Ipv4Devconf,
  ipv4DevconfExtra,
  ipv4DevconfIsSet,
  ipv4DevconfWritable,
} from "./netns_ipv4.js";
import { fnheGenidBump, rtCacheFlush } from "./route.js";

interface SysctlEntry {
  read(net: Net): string;
  /** Parses and applies a write; throws EINVAL for what the handler refuses. */
  write(net: Net, text: string): void;
}

/** proc_get_long + proc_dointvec: one int (0x… and 0… too), the rest of the text ignored. */
export function procDointvecParse(text: string): number | undefined {
  try {
    return intInRange(text, -0x80000000, 0x7fffffff);
  } catch (e) {
    if (e instanceof KernelError) return undefined;
    throw e;
  }
}

/** proc_dointvec_minmax: one integer within [min, max]. */
function intInRange(text: string, min: number, max: number): number {
  return dointvec(min, max).parse(text, 0) as number;
}

/** proc_doulongvec_minmax: one unsigned integer; out of [min, max] is EINVAL. */
function ulongInRange(text: string, min: number, max: number): number {
  const match = /^\s*(\d+)\s*$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new KernelError("EINVAL");
  return value;
}

/** proc_dointvec on a two-element vector: two integers separated by whitespace. */
function intPair(text: string): readonly [number, number] {
  const match = /^\s*(-?\d+)\s+(-?\d+)\s*$/.exec(text);
  if (!match) throw new KernelError("EINVAL");
  return [Number(match[1]), Number(match[2])];
}

type TcpIntKey =
  | "sysctlSynRetries"
  | "sysctlSynackRetries"
  | "sysctlRetries2"
  | "sysctlEcn"
  | "sysctlTimestamps"
  | "sysctlWindowScaling"
  | "sysctlSack"
  | "sysctlSynLinearTimeouts"
  | "sysctlMaxSynBacklog"
  | "sysctlEarlyDemux";

/** A per-namespace TCP knob (proc_dointvec_minmax / proc_dou8vec_minmax). */
function tcpInt(key: TcpIntKey, min: number, max: number): SysctlEntry {
  return {
    read: (net) => String(net.ipv4.tcp[key]),
    write: (net, text) => {
      net.ipv4.tcp[key] = intInRange(text, min, max);
    },
  };
}

/** The congestion control algorithms registered on the reference machine, in tcp_cong_list order. */
const TCP_CA_LIST: readonly string[] = ["reno", "bbr", "cubic"];
/** Its init_net default (net.ipv4.tcp_congestion_control) and the allowed list (TCP_CONG_NON_RESTRICTED). */
const TCP_CA_DEFAULT = "bbr";
const TCP_CA_ALLOWED_DEFAULT = "reno bbr";
const TCP_CA_NAME_MAX = 16;
const TCP_CA_BUF_MAX = 2048;
/** The text proc_tcp_fastopen_key takes: two keys of four words. */
const TCP_FASTOPEN_KEY_BUF = 2 * (4 * 9) + 1;
/** The global established and UDP hash tables' buckets on the reference machine. */
const TCP_EHASH_ENTRIES = 262144;
const UDP_HASH_ENTRIES = 16384;
const TCP_REORDERING_DFLT = 3;

/** tcp_get_default_congestion_control: the namespace's default algorithm's name. */
export function tcpCongestionControl(net: Net): string {
  return String(net.ipv4.sysctlKnob("ipv4/tcp_congestion_control") ?? TCP_CA_DEFAULT);
}

function tcpAllowedCongestionControl(net: Net): string[] {
  const list =
    net.host.initNet.ipv4.sysctlKnob("ipv4/tcp_allowed_congestion_control") ?? TCP_CA_ALLOWED_DEFAULT;
  return String(list)
    .split(" ")
    .filter((n) => n !== "");
}

/**
 * What a new namespace takes from init_net as it is set up: tcp_sk_init's default congestion
 * control, tcp_rmem and tcp_wmem, and devinet_init_net's conf.all and conf.default (whole, with
 * their set-bits: devconf_inherit_init_net is 0). Nothing is copied while init_net keeps the
 * compiled-in values.
 */
export function ipv4SysctlInheritInitNet(net: Net): void {
  const init = net.host.initNet as Net | undefined;
  if (!init || init === net) return;
  for (const path of ["ipv4/tcp_congestion_control", "ipv4/tcp_rmem", "ipv4/tcp_wmem"]) {
    const value = init.ipv4.sysctlKnob(path);
    if (value !== undefined) net.ipv4.setSysctlKnob(path, value);
  }
  if (!Object.isFrozen(init.ipv4.devconfAll))
    Object.assign(net.ipv4.devconfWritable("all"), init.ipv4.devconfAll);
  if (!Object.isFrozen(init.ipv4.devconfDflt))
    Object.assign(net.ipv4.devconfWritable("default"), init.ipv4.devconfDflt);
}

/** Modes other than 0644 in net/ipv4 (a global entry is read-only outside init_net). */
function ipv4Mode(net: Net, name: string): number {
  switch (name) {
    case "tcp_available_congestion_control":
    case "tcp_ehash_entries":
    case "udp_hash_entries":
      return 0o444;
    case "tcp_allowed_congestion_control":
      return net === net.host.initNet ? 0o644 : 0o444;
    case "tcp_fastopen_key":
      return 0o600;
    default:
      return 0o644;
  }
}

/** proc_do_large_bitmap output: sorted ports, runs as LOW-HIGH, comma-separated. */
function bitmapFormat(ports: readonly number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

function bitmapParse(text: string): Set<number> {
  const out = new Set<number>();
  const t = text.trim();
  if (t === "") return out;
  for (const part of t.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new KernelError("EINVAL");
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > 65535) throw new KernelError("EINVAL");
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  return out;
}

/** inet_forward_change: net.ipv4.ip_forward and conf.all.forwarding set every device's too. */
function inetForwardChange(net: Net, on: number): void {
  const changed = net.ipv4.devconfAll.forwarding !== on;
  net.ipv4.devconfWritable("all").forwarding = on;
  net.ipv4.devconfWritable("default").forwarding = on;
  for (const dev of net.devByIndex.values()) if (dev.inDev) ipv4DevconfWritable(dev.inDev).forwarding = on;
  // devinet_sysctl_forward: a change flushes the route cache.
  if (changed) rtCacheFlush(net);
}

const ipv4Table: Record<string, SysctlEntry> = {
  icmp_echo_ignore_all: {
    read: (net) => String(net.ipv4.sysctlIcmpEchoIgnoreAll),
    write: (net, text) => {
      net.ipv4.sysctlIcmpEchoIgnoreAll = intInRange(text, 0, 1);
    },
  },
  /** proc_dointvec_ms_jiffies: milliseconds outside, jiffies (HZ=250) inside. */
  icmp_ratelimit: {
    read: (net) => dointvecMsJiffies.format(net.ipv4.sysctlIcmpRatelimit),
    write: (net, text) => {
      net.ipv4.sysctlIcmpRatelimit = dointvecMsJiffies.parse(text, 0) as number;
    },
  },
  icmp_ratemask: {
    read: (net) => String(net.ipv4.sysctlIcmpRatemask),
    write: (net, text) => {
      net.ipv4.sysctlIcmpRatemask = intInRange(text, -0x80000000, 0x7fffffff);
    },
  },
  icmp_msgs_per_sec: {
    read: (net) => String(net.ipv4.sysctlIcmpMsgsPerSec),
    write: (net, text) => {
      net.ipv4.sysctlIcmpMsgsPerSec = intInRange(text, 0, 0x7fffffff);
    },
  },
  icmp_msgs_burst: {
    read: (net) => String(net.ipv4.sysctlIcmpMsgsBurst),
    write: (net, text) => {
      net.ipv4.sysctlIcmpMsgsBurst = intInRange(text, 0, 0x7fffffff);
    },
  },
  icmp_echo_ignore_broadcasts: {
    read: (net) => String(net.ipv4.sysctlIcmpEchoIgnoreBroadcasts),
    write: (net, text) => {
      net.ipv4.sysctlIcmpEchoIgnoreBroadcasts = intInRange(text, 0, 1);
    },
  },
  ip_default_ttl: {
    read: (net) => String(net.ipv4.sysctlIpDefaultTtl),
    write: (net, text) => {
      net.ipv4.sysctlIpDefaultTtl = intInRange(text, 1, 255);
    },
  },
  ip_forward: {
    read: (net) => String(net.ipv4.devconfAll.forwarding),
    write: (net, text) => inetForwardChange(net, intInRange(text, -0x80000000, 0x7fffffff)),
  },
  /** ip4_frags_ns_ctl_table: proc_doulongvec_minmax bounded by low_thresh. */
  ipfrag_high_thresh: {
    read: (net) => String(net.ipv4.frags.highThresh),
    write: (net, text) => {
      net.ipv4.frags.highThresh = ulongInRange(text, net.ipv4.frags.lowThresh, Number.MAX_SAFE_INTEGER);
    },
  },
  ipfrag_low_thresh: {
    read: (net) => String(net.ipv4.frags.lowThresh),
    write: (net, text) => {
      net.ipv4.frags.lowThresh = ulongInRange(text, 0, net.ipv4.frags.highThresh);
    },
  },
  ipfrag_max_dist: {
    read: (net) => String(net.ipv4.frags.maxDist),
    write: (net, text) => {
      net.ipv4.frags.maxDist = intInRange(text, 0, 0x7fffffff);
    },
  },
  /** proc_dointvec_jiffies: seconds at the interface, jiffies (HZ=250) inside. */
  ipfrag_time: {
    read: (net) => String(Math.trunc(net.ipv4.frags.timeout / 250)),
    write: (net, text) => {
      const value = procDointvecParse(text);
      if (value === undefined || Math.abs(value) > Math.trunc(0x7fffffff / 250))
        throw new KernelError("EINVAL");
      net.ipv4.frags.timeout = value * 250;
    },
  },
  /** proc_dou8vec_minmax with no bounds of its own: 0 to 255 (any non-zero value turns it on). */
  ip_early_demux: {
    read: (net) => String(net.ipv4.sysctlIpEarlyDemux),
    write: (net, text) => {
      net.ipv4.sysctlIpEarlyDemux = intInRange(text, 0, 255);
    },
  },
  /** proc_dou8vec_minmax: 0 to 255. */
  ip_no_pmtu_disc: {
    read: (net) => String(net.ipv4.sysctlIpNoPmtuDisc),
    write: (net, text) => {
      net.ipv4.sysctlIpNoPmtuDisc = intInRange(text, 0, 255);
    },
  },
  fib_multipath_hash_policy: {
    read: (net) => String(net.ipv4.sysctlFibMultipathHashPolicy),
    write: (net, text) => {
      net.ipv4.sysctlFibMultipathHashPolicy = intInRange(text, 0, 3);
    },
  },
  fib_multipath_use_neigh: {
    read: (net) => String(net.ipv4.sysctlFibMultipathUseNeigh),
    write: (net, text) => {
      net.ipv4.sysctlFibMultipathUseNeigh = intInRange(text, 0, 1);
    },
  },
  /** proc_fib_multipath_hash_seed: a u32 (proc_douintvec). */
  fib_multipath_hash_seed: {
    read: (net) => String(net.ipv4.sysctlFibMultipathHashSeed),
    write: (net, text) => {
      net.ipv4.sysctlFibMultipathHashSeed = ulongInRange(text, 0, 0xffffffff);
    },
  },
  /**
   * ipv4_local_port_range: 1 <= low <= high <= 65535, and no lower than ip_unprivileged_port_start
   * (the local range must not overlap the privileged ports).
   */
  ip_local_port_range: {
    read: (net) => net.ipv4.sysctlLocalPortRange.join("\t"),
    write: (net, text) => {
      const [low, high] = intPair(text);
      if (low < 1 || high > 65535 || high < low || low < net.ipv4.sysctlIpProtSock)
        throw new KernelError("EINVAL");
      net.ipv4.sysctlLocalPortRange = [low, high];
    },
  },
  /** ipv4_privileged_ports: 0..65535, and no higher than the local port range's low end. */
  ip_unprivileged_port_start: {
    read: (net) => String(net.ipv4.sysctlIpProtSock),
    write: (net, text) => {
      const ports = intInRange(text, 0, 65535);
      if (net.ipv4.sysctlLocalPortRange[0] < ports) throw new KernelError("EINVAL");
      net.ipv4.sysctlIpProtSock = ports;
    },
  },
  ip_nonlocal_bind: {
    read: (net) => String(net.ipv4.sysctlIpNonlocalBind),
    write: (net, text) => {
      net.ipv4.sysctlIpNonlocalBind = intInRange(text, 0, 1);
    },
  },
  ip_autobind_reuse: {
    read: (net) => String(net.ipv4.sysctlIpAutobindReuse),
    write: (net, text) => {
      net.ipv4.sysctlIpAutobindReuse = intInRange(text, 0, 1);
    },
  },
  /** proc_do_large_bitmap: comma-separated ports and ranges. */
  ip_local_reserved_ports: {
    read: (net) => bitmapFormat([...net.ipv4.reservedPorts]),
    write: (net, text) => {
      net.ipv4.reservedPorts = bitmapParse(text);
    },
  },
  tcp_syn_retries: tcpInt("sysctlSynRetries", 1, 127),
  tcp_synack_retries: tcpInt("sysctlSynackRetries", 0, 0x7fffffff),
  tcp_retries2: tcpInt("sysctlRetries2", 0, 0x7fffffff),
  tcp_ecn: tcpInt("sysctlEcn", 0, 2),
  tcp_timestamps: tcpInt("sysctlTimestamps", 0, 2),
  tcp_window_scaling: tcpInt("sysctlWindowScaling", 0, 1),
  tcp_sack: tcpInt("sysctlSack", 0, 1),
  tcp_syn_linear_timeouts: tcpInt("sysctlSynLinearTimeouts", 0, 0x7fffffff),
  tcp_max_syn_backlog: tcpInt("sysctlMaxSynBacklog", 0, 0x7fffffff),
  tcp_early_demux: tcpInt("sysctlEarlyDemux", 0, 255),
  /** proc_dointvec_jiffies, in seconds; kept in ns. */
  tcp_fin_timeout: {
    read: (net) => String(Math.trunc(net.ipv4.tcp.sysctlFinTimeout / 1e9)),
    write: (net, text) => {
      const v = procDointvecParse(text);
      if (v === undefined || Math.abs(v) > Math.trunc(0x7fffffff / 250)) throw new KernelError("EINVAL");
      net.ipv4.tcp.sysctlFinTimeout = v * 1e9;
    },
  },
  /** proc_dointvec_minmax with at most tcp_max_reordering (read when written). */
  tcp_reordering: {
    read: (net) => String(net.ipv4.sysctlKnob("ipv4/tcp_reordering") ?? TCP_REORDERING_DFLT),
    write: (net, text) => {
      const v = intInRange(text, 1, ipv4Sysctl(net, "tcp_max_reordering"));
      net.ipv4.setSysctlKnob("ipv4/tcp_reordering", v);
    },
  },
  /** proc_tcp_congestion_control: a registered algorithm; outside init_net an allowed one. */
  tcp_congestion_control: {
    read: (net) => tcpCongestionControl(net),
    write: (net, text) => {
      const name = procDostring(text, TCP_CA_NAME_MAX);
      if (!TCP_CA_LIST.includes(name)) throw new KernelError("ENOENT");
      if (net !== net.host.initNet && !tcpAllowedCongestionControl(net).includes(name))
        throw new KernelError("EPERM");
      net.ipv4.setSysctlKnob("ipv4/tcp_congestion_control", name);
    },
  },
  /** tcp_get_available_congestion_control: every registered algorithm, in registration order. */
  tcp_available_congestion_control: {
    read: () => TCP_CA_LIST.join(" "),
    write: () => {},
  },
  /**
   * proc_allowed_congestion_control (global: init_net's entry only is writable): each name
   * must be registered; the list reads in registration order.
   */
  tcp_allowed_congestion_control: {
    read: (net) => tcpAllowedCongestionControl(net).join(" "),
    write: (net, text) => {
      const names = procDostring(text, TCP_CA_BUF_MAX)
        .split(/[ \t\n]+/)
        .filter((n) => n !== "");
      if (names.some((n) => !TCP_CA_LIST.includes(n))) throw new KernelError("ENOENT");
      net.host.initNet.ipv4.setSysctlKnob(
        "ipv4/tcp_allowed_congestion_control",
        TCP_CA_LIST.filter((n) => names.includes(n)).join(" "),
      );
    },
  },
  /** proc_tcp_ehash_entries: a child namespace shares the global ehash, shown negative. */
  tcp_ehash_entries: {
    read: (net) => String(net === net.host.initNet ? TCP_EHASH_ENTRIES : -TCP_EHASH_ENTRIES),
    write: () => {},
  },
  /** proc_udp_hash_entries, likewise for the global UDP table. */
  udp_hash_entries: {
    read: (net) => String(net === net.host.initNet ? UDP_HASH_ENTRIES : -UDP_HASH_ENTRIES),
    write: () => {},
  },
  /**
   * proc_tcp_fastopen_key: the primary key and an optional backup, each four 32-bit hex words
   * joined by '-' (written as up to eight hex digits each), the two joined by ','.
   */
  tcp_fastopen_key: {
    read: (net) =>
      String(net.ipv4.sysctlKnob("ipv4/tcp_fastopen_key") ?? "00000000-00000000-00000000-00000000"),
    write: (net, text) => {
      const keys = procDostring(text, TCP_FASTOPEN_KEY_BUF).split(",");
      if (keys.length > 2) throw new KernelError("EINVAL");
      const parsed = keys.map((key) => {
        const m = /^([0-9a-fA-F]{1,8})-([0-9a-fA-F]{1,8})-([0-9a-fA-F]{1,8})-([0-9a-fA-F]{1,8})$/.exec(
          key.trim(),
        );
        if (!m) throw new KernelError("EINVAL");
        return m
          .slice(1)
          .map((w) => w.toLowerCase().padStart(8, "0"))
          .join("-");
      });
      net.ipv4.setSysctlKnob("ipv4/tcp_fastopen_key", parsed.join(","));
    },
  },
  /** ipv4_ping_group_range: two gids, each within [0, GID_T_MAX - 1]. */
  ping_group_range: {
    read: (net) => net.ipv4.sysctlPingGroupRange.join("\t"),
    write: (net, text) => {
      const [low, high] = intPair(text);
      if (low < 0 || high < 0 || low > 0x7ffffffe || high > 0x7ffffffe) throw new KernelError("EINVAL");
      net.ipv4.sysctlPingGroupRange = [low, high];
    },
  },
};

/** The knobs devinet_conf_proc handles: plain proc_dointvec, and a write to default reaches every
 * device that has not had the knob written itself (devinet_copy_dflt_conf). */
const DEVINET_CONF_KNOBS = [
  "rp_filter",
  "accept_local",
  "route_localnet",
  "arp_filter",
  "arp_ignore",
  "arp_announce",
  "proxy_arp",
  "arp_accept",
  "arp_notify",
  "log_martians",
  "send_redirects",
  "accept_redirects",
  "secure_redirects",
  "shared_media",
] as const;

/** devinet_conf_proc */
function devinetConfEntry(knob: (typeof DEVINET_CONF_KNOBS)[number]): {
  read(cnf: Readonly<Ipv4Devconf>): string;
  write(net: Net, which: string, text: string): void;
} {
  return {
    read: (cnf) => String(cnf[knob]),
    write: (net, which, text) => {
      const cnf = devconfFor(net, which);
      if (!cnf) return;
      const old = cnf[knob];
      cnf[knob] = intInRange(text, -0x80000000, 0x7fffffff);
      // devinet_conf_proc: turning accept_local or route_localnet off flushes the route cache
      // (route_localnet is an ipv4_doint_and_flush entry too: any change).
      if (
        (knob === "accept_local" && cnf[knob] === 0 && old !== 0) ||
        (knob === "route_localnet" && cnf[knob] !== old)
      )
        rtCacheFlush(net);
      if (!ipv4DevconfIsSet(cnf, knob)) cnf.state = [...cnf.state, knob];
      if (which !== "default") return;
      for (const dev of net.devByIndex.values()) {
        const inDev = dev.inDev;
        if (inDev && !ipv4DevconfIsSet(inDev.cnf, knob)) ipv4DevconfWritable(inDev)[knob] = cnf[knob];
      }
    },
  };
}

/**
 * devinet_conf_proc on a knob netnest keeps in cnf.extra: proc_dointvec, the state bit, a write to
 * default reaching the devices that kept theirs; the flushing ones (disable_xfrm, disable_policy)
 * and bc_forwarding flush the route cache when they change.
 */
function devinetExtraEntry(knob: string): {
  read(cnf: Readonly<Ipv4Devconf>, isAll: boolean): string;
  write(net: Net, which: string, text: string): void;
} {
  return {
    read: (cnf, isAll) => String(ipv4DevconfExtra(cnf, knob, isAll)),
    write: (net, which, text) => {
      const cnf = devconfFor(net, which);
      if (!cnf) return;
      const value = intInRange(text, -0x80000000, 0x7fffffff);
      const old = ipv4DevconfExtra(cnf, knob, which === "all");
      cnf.extra = { ...cnf.extra, [knob]: value };
      if (!ipv4DevconfIsSet(cnf, knob)) cnf.state = [...cnf.state, knob];
      if (value !== old && (knob === "disable_xfrm" || knob === "disable_policy" || knob === "bc_forwarding"))
        rtCacheFlush(net);
      if (which !== "default") return;
      for (const dev of net.devByIndex.values()) {
        const inDev = dev.inDev;
        if (inDev && !ipv4DevconfIsSet(inDev.cnf, knob)) {
          const w = ipv4DevconfWritable(inDev);
          w.extra = { ...w.extra, [knob]: value };
        }
      }
    },
  };
}

/** The per-device (and all/default) entries under net/ipv4/conf/NAME/. */
const devconfTable: Record<
  string,
  { read(cnf: Readonly<Ipv4Devconf>): string; write(net: Net, which: string, text: string): void }
> = {
  forwarding: {
    read: (cnf) => String(cnf.forwarding),
    write: (net, which, text) => {
      const value = intInRange(text, -0x80000000, 0x7fffffff);
      if (which === "all") inetForwardChange(net, value);
      else if (which === "default") net.ipv4.devconfWritable("default").forwarding = value;
      else {
        const cnf = devconfFor(net, which);
        if (!cnf) return;
        const changed = cnf.forwarding !== value;
        cnf.forwarding = value;
        if (changed) rtCacheFlush(net);
      }
    },
  },
  promote_secondaries: {
    read: (cnf) => String(cnf.promote_secondaries),
    write: (net, which, text) => {
      const cnf = devconfFor(net, which);
      if (!cnf) return;
      const value = intInRange(text, -0x80000000, 0x7fffffff);
      // ipv4_doint_and_flush
      const changed = cnf.promote_secondaries !== value;
      cnf.promote_secondaries = value;
      if (changed) rtCacheFlush(net);
    },
  },
  ...Object.fromEntries(DEVINET_CONF_KNOBS.map((knob) => [knob, devinetConfEntry(knob)])),
};

const devconfExtraTable = Object.fromEntries(
  Object.keys(DEVCONF_EXTRA_DFLT).map((k) => [k, devinetExtraEntry(k)]),
);

/** The conf to write: all's and default's are copied from the shared defaults on first write. */
function devconfFor(net: Net, which: string): Ipv4Devconf | undefined {
  if (which === "all" || which === "default") return net.ipv4.devconfWritable(which);
  const inDev = devGetByName(net, which)?.inDev;
  return inDev && ipv4DevconfWritable(inDev);
}

function devconfToRead(net: Net, which: string): Readonly<Ipv4Devconf> | undefined {
  if (which === "all") return net.ipv4.devconfAll;
  if (which === "default") return net.ipv4.devconfDflt;
  return devGetByName(net, which)?.inDev?.cnf;
}

/** A node of the /proc/sys tree: a directory whose children may depend on the namespace, or a file. */
type SysctlNode =
  | { readonly kind: "dir"; children(net: Net): ReadonlyMap<string, SysctlNode> }
  | { readonly kind: "file"; readonly entry: SysctlEntry; readonly mode: number };

function file(entry: SysctlEntry, mode = 0o644): SysctlNode {
  return { kind: "file", entry, mode };
}

/** A table-driven knob's file (src/kernel/sysctl.ts) at `path` under /proc/sys/net. */
function knobFile(net: Net, path: string, knob: SysctlKnob): SysctlNode {
  return file(
    {
      read: (n) => knob.handler.format(sysctlKnobValue(n, path, knob)),
      write: (n, text) => sysctlKnobWrite(n, path, knob, text),
    },
    sysctlKnobMode(net, knob),
  );
}

function knobFiles(
  net: Net,
  dirPath: string,
  table: Readonly<Record<string, SysctlKnob>>,
): [string, SysctlNode][] {
  return Object.entries(table).map(([name, knob]) => [name, knobFile(net, `${dirPath}/${name}`, knob)]);
}

function dir(children: (net: Net) => ReadonlyMap<string, SysctlNode>): SysctlNode {
  return { kind: "dir", children };
}

/** net/ipv4/conf/NAME/: one directory per device, plus all and default. */
function devconfDir(which: string): SysctlNode {
  return dir(
    () =>
      new Map([
        ...Object.entries(devconfTable).map(
          ([key, item]) =>
            [
              key,
              file({
                read: (n) => {
                  const c = devconfToRead(n, which);
                  return c ? item.read(c) : "";
                },
                write: (n, text) => item.write(n, which, text),
              }),
            ] as const,
        ),
        ...Object.entries(devconfExtraTable).map(
          ([key, item]) =>
            [
              key,
              file(
                {
                  read: (n) => {
                    const c = devconfToRead(n, which);
                    return c ? item.read(c, which === "all") : "";
                  },
                  write: (n, text) => item.write(n, which, text),
                },
                // mc_forwarding is the multicast routing daemon's to set (DEVINET_SYSCTL_RO_ENTRY).
                key === "mc_forwarding" ? 0o444 : 0o644,
              ),
            ] as const,
        ),
      ]),
  );
}

/** proc_dointvec_jiffies: seconds at the interface, jiffies (HZ=250) inside. */
function jiffiesEntry(get: (net: Net) => number, set: (net: Net, v: number) => void): SysctlEntry {
  return {
    read: (net) => String(Math.trunc(get(net) / 250)),
    write: (net, text) => {
      const value = procDointvecParse(text);
      if (value === undefined || Math.abs(value) > Math.trunc(0x7fffffff / 250))
        throw new KernelError("EINVAL");
      set(net, value * 250);
    },
  };
}

/**
 * net/ipv4/route/ (ipv4_route_netns_table): flush is write-only (mode 0200) and forgets every
 * PMTU exception (fnhe_genid_bump); min_pmtu is at least 68 (ip_min_valid_pmtu).
 */
const routeDir = dir(
  () =>
    new Map([
      [
        "flush",
        file(
          {
            read: () => "",
            write: (net, text) => {
              intInRange(text, -0x80000000, 0x7fffffff);
              // ipv4_sysctl_rtcache_flush
              rtCacheFlush(net);
              fnheGenidBump(net);
            },
          },
          0o200,
        ),
      ],
      [
        "min_adv_mss",
        file({
          read: (net) => String(net.ipv4.sysctlIpRtMinAdvmss),
          write: (net, text) => {
            net.ipv4.sysctlIpRtMinAdvmss = intInRange(text, -0x80000000, 0x7fffffff);
          },
        }),
      ],
      [
        "min_pmtu",
        file({
          read: (net) => String(net.ipv4.sysctlIpRtMinPmtu),
          write: (net, text) => {
            net.ipv4.sysctlIpRtMinPmtu = intInRange(text, 68, 0x7fffffff);
          },
        }),
      ],
      [
        "mtu_expires",
        file(
          jiffiesEntry(
            (net) => net.ipv4.sysctlIpRtMtuExpires,
            (net, v) => {
              net.ipv4.sysctlIpRtMtuExpires = v;
            },
          ),
        ),
      ],
    ]),
);

/**
 * net/ipv4/neigh/: a directory per device with IPv4 (its ARP parms), and default (arp_tbl's own
 * parms and gc thresholds), registered once at boot, so present in the initial namespace only.
 */
const neighDir: SysctlNode = dir(
  (net) =>
    new Map(
      [
        ...(net === net.host.initNet ? ["default"] : []),
        ...[...net.devByName.values()].filter((d) => d.inDev).map((d) => d.name),
      ].map(
        (which) =>
          [
            which,
            dir((n) => new Map(neighSysctls(n, which).map(([name, e]) => [name, file(e)] as const))),
          ] as const,
      ),
    ),
);

type BrnfKey =
  | "bridgeNfCallArptables"
  | "bridgeNfCallIp6tables"
  | "bridgeNfCallIptables"
  | "bridgeNfFilterPppoeTagged"
  | "bridgeNfFilterVlanTagged"
  | "bridgeNfPassVlanInputDev";

/** brnf_sysctl_call_tables: any non-zero write is stored as 1. */
function brnfEntry(key: BrnfKey): SysctlNode {
  return file({
    read: (net) => String(net.nf[key]),
    write: (net, text) => {
      net.nf[key] = intInRange(text, -0x80000000, 0x7fffffff) ? 1 : 0;
    },
  });
}

/** net.bridge: br_netfilter's knobs, per namespace (built in, so present in every namespace). */
const bridgeDir: SysctlNode = dir(
  () =>
    new Map([
      ["bridge-nf-call-arptables", brnfEntry("bridgeNfCallArptables")],
      ["bridge-nf-call-ip6tables", brnfEntry("bridgeNfCallIp6tables")],
      ["bridge-nf-call-iptables", brnfEntry("bridgeNfCallIptables")],
      ["bridge-nf-filter-pppoe-tagged", brnfEntry("bridgeNfFilterPppoeTagged")],
      ["bridge-nf-filter-vlan-tagged", brnfEntry("bridgeNfFilterVlanTagged")],
      ["bridge-nf-pass-vlan-input-dev", brnfEntry("bridgeNfPassVlanInputDev")],
    ]),
);

/** net.netfilter: the conntrack knobs everywhere; nf_log_all_netns only in the initial namespace. */
/** Conntrack entries with global data: read-only outside init_net (nf_conntrack_standalone_init_sysctl). */
const NF_CT_INIT_ONLY: ReadonlySet<string> = new Set([
  "nf_conntrack_buckets",
  "nf_conntrack_expect_max",
  "nf_conntrack_max",
]);

/** net.netfilter.nf_log: one file per protocol family. */
const nfLogDir: SysctlNode = dir(
  () =>
    new Map(
      Array.from({ length: NF_LOG_PROTOS }, (_, pf) => [
        String(pf),
        file({ read: (n) => nfLogRead(n, pf), write: (n, text) => nfLogWrite(n, pf, text) }),
      ]),
    ),
);

const netfilterDir: SysctlNode = dir(
  (net) =>
    new Map<string, SysctlNode>([
      ...nfConntrackSysctls(net).map(
        ([name, e]) =>
          [
            name,
            file(
              {
                read: e.read,
                write: (n, text) => {
                  const v = procDointvecParse(text);
                  if (v === undefined || !e.write?.(n, v)) throw new KernelError("EINVAL");
                },
              },
              !e.write || (NF_CT_INIT_ONLY.has(name) && net !== net.host.initNet) ? 0o444 : 0o644,
            ),
          ] as const,
      ),
      ...knobFiles(net, "netfilter", NF_NET_KNOBS),
      ...Object.entries(NF_FRAG6_THRESH).map(([name, e]) => [name, file(e)] as const),
      ["nf_hooks_lwtunnel", file(NF_HOOKS_LWTUNNEL)],
      ["nf_log", nfLogDir],
      ...(net === net.host.initNet
        ? [
            [
              "nf_log_all_netns",
              file({
                read: (n) => String(n.nf.nfLogAllNetns),
                write: (n, text) => {
                  n.nf.nfLogAllNetns = intInRange(text, 0, 1);
                },
              }),
            ] as const,
          ]
        : []),
    ]),
);

const ROOT: SysctlNode = dir(
  () =>
    new Map([
      [
        "net",
        dir(
          () =>
            new Map([
              [
                "ipv4",
                dir(
                  (n) =>
                    new Map<string, SysctlNode>([
                      ...Object.entries(ipv4Table).map(
                        ([name, entry]) => [name, file(entry, ipv4Mode(n, name))] as const,
                      ),
                      ...knobFiles(n, "ipv4", IPV4_NET_KNOBS),
                      [
                        "conf",
                        dir(
                          (n) =>
                            new Map(
                              ["all", "default", ...n.devByName.keys()]
                                .filter((which) => devconfToRead(n, which))
                                .map((which) => [which, devconfDir(which)] as const),
                            ),
                        ),
                      ],
                      ["neigh", neighDir],
                      ["route", routeDir],
                    ]),
                ),
              ],
              ["bridge", bridgeDir],
              ["core", dir((n) => new Map(knobFiles(n, "core", NET_CORE_KNOBS)))],
              ["netfilter", netfilterDir],
              ["unix", dir((n) => new Map(knobFiles(n, "unix", NET_UNIX_KNOBS)))],
            ]),
        ),
      ],
    ]),
);

function resolve(net: Net, path: string): SysctlNode | undefined {
  let node: SysctlNode | undefined = ROOT;
  for (const part of path.split("/")) {
    if (part === "") continue;
    if (node?.kind !== "dir") return undefined;
    node = node.children(net).get(part);
  }
  return node;
}

export function sysctlRead(net: Net, path: string): string {
  const found = resolve(net, path);
  if (!found) throw new KernelError("ENOENT");
  if (found.kind === "dir") throw new KernelError("EISDIR");
  if (!(found.mode & 0o400)) throw new KernelError("EACCES");
  return `${found.entry.read(net)}\n`;
}

/** proc_sys_permission for the owner (root): a file without the write bit cannot be opened to write. */
export function sysctlWrite(net: Net, path: string, text: string): void {
  const found = resolve(net, path);
  if (!found) throw new KernelError("ENOENT");
  if (found.kind === "dir") throw new KernelError("EISDIR");
  if (!(found.mode & 0o200)) throw new KernelError("EACCES");
  found.entry.write(net, text);
}

/** The file's mode as stat shows it (0444 for a global entry in a child namespace, 0200 for flush …). */
export function sysctlMode(net: Net, path: string): number {
  const found = resolve(net, path);
  if (!found) throw new KernelError("ENOENT");
  return found.kind === "dir" ? 0o555 : found.mode;
}

/** Every file under /proc/sys, in the order readdir gives (names sorted within a directory). */
export function sysctlList(net: Net): string[] {
  const out: string[] = [];
  const walk = (node: SysctlNode, path: string) => {
    if (node.kind === "file") {
      out.push(path);
      return;
    }
    const children = node.children(net);
    for (const name of [...children.keys()].sort())
      walk(children.get(name) as SysctlNode, path ? `${path}/${name}` : name);
  };
  walk(ROOT, "");
  return out;
}
