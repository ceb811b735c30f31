// The /proc/sys/net tree of one namespace (net/ipv4/sysctl_net_ipv4.c, devinet_sysctl): each
// entry reads as text and parses writes as proc_dointvec and friends do.
import { devGetByName } from "../core/dev.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import type { Ipv4Devconf } from "./netns_ipv4.js";

interface SysctlEntry {
  read(net: Net): string;
  /** Parses and applies a write; throws EINVAL for what the handler refuses. */
  write(net: Net, text: string): void;
}

/** proc_get_long + proc_dointvec: one decimal integer, optionally signed, surrounded by whitespace. */
export function procDointvecParse(text: string): number | undefined {
  const match = /^\s*(-?\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  if (!Number.isSafeInteger(value) || value > 0x7fffffff || value < -0x80000000) return undefined;
  return value;
}

/** proc_dointvec_minmax: one integer within [min, max]. */
function intInRange(text: string, min: number, max: number): number {
  const value = procDointvecParse(text);
  if (value === undefined || value < min || value > max) throw new KernelError("EINVAL");
  return value;
}

/** proc_dointvec on a two-element vector: two integers separated by whitespace. */
function intPair(text: string): readonly [number, number] {
  const match = /^\s*(-?\d+)\s+(-?\d+)\s*$/.exec(text);
  if (!match) throw new KernelError("EINVAL");
  return [Number(match[1]), Number(match[2])];
}

/** inet_forward_change: net.ipv4.ip_forward and conf.all.forwarding set every device's too. */
function inetForwardChange(net: Net, on: number): void {
  net.ipv4.devconfAll.forwarding = on;
  net.ipv4.devconfDflt.forwarding = on;
  for (const dev of net.devByIndex.values()) if (dev.inDev) dev.inDev.cnf.forwarding = on;
}

const ipv4Table: Record<string, SysctlEntry> = {
  icmp_echo_ignore_all: {
    read: (net) => String(net.ipv4.sysctlIcmpEchoIgnoreAll),
    write: (net, text) => {
      net.ipv4.sysctlIcmpEchoIgnoreAll = intInRange(text, 0, 1);
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
  /** ipv4_local_port_range: 1 <= low <= high <= 65535. */
  ip_local_port_range: {
    read: (net) => net.ipv4.sysctlLocalPortRange.join("\t"),
    write: (net, text) => {
      const [low, high] = intPair(text);
      if (low < 1 || high > 65535 || high < low) throw new KernelError("EINVAL");
      net.ipv4.sysctlLocalPortRange = [low, high];
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

/** The per-device (and all/default) entries under net/ipv4/conf/NAME/. */
const devconfTable: Record<
  string,
  { read(cnf: Ipv4Devconf): string; write(net: Net, which: string, text: string): void }
> = {
  forwarding: {
    read: (cnf) => String(cnf.forwarding),
    write: (net, which, text) => {
      const value = intInRange(text, -0x80000000, 0x7fffffff);
      if (which === "all") inetForwardChange(net, value);
      else if (which === "default") net.ipv4.devconfDflt.forwarding = value;
      else {
        const cnf = devconfFor(net, which);
        if (cnf) cnf.forwarding = value;
      }
    },
  },
};

function devconfFor(net: Net, which: string): Ipv4Devconf | undefined {
  if (which === "all") return net.ipv4.devconfAll;
  if (which === "default") return net.ipv4.devconfDflt;
  return devGetByName(net, which)?.inDev?.cnf;
}

type Resolved = { readonly kind: "entry"; readonly entry: SysctlEntry } | { readonly kind: "dir" };

function resolve(net: Net, path: string): Resolved | undefined {
  const parts = path.split("/").filter((p) => p.length > 0);
  if (parts.length <= 1 && (parts[0] === undefined || parts[0] === "net")) return { kind: "dir" };
  if (parts[0] !== "net") return undefined;
  if (parts[1] !== "ipv4") return undefined;
  if (parts.length === 2) return { kind: "dir" };
  const name = parts[2] as string;
  if (parts.length === 3 && name in ipv4Table)
    return { kind: "entry", entry: ipv4Table[name] as SysctlEntry };
  if (name !== "conf") return undefined;
  if (parts.length === 3) return { kind: "dir" };
  const which = parts[3] as string;
  const cnf = devconfFor(net, which);
  if (!cnf) return undefined;
  if (parts.length === 4) return { kind: "dir" };
  const key = parts[4] as string;
  if (parts.length !== 5 || !(key in devconfTable)) return undefined;
  const item = devconfTable[key] as (typeof devconfTable)[string];
  return {
    kind: "entry",
    entry: {
      read: (n) => {
        const c = devconfFor(n, which);
        return c ? item.read(c) : "";
      },
      write: (n, text) => item.write(n, which, text),
    },
  };
}

export function sysctlRead(net: Net, path: string): string {
  const found = resolve(net, path);
  if (!found) throw new KernelError("ENOENT");
  if (found.kind === "dir") throw new KernelError("EISDIR");
  return `${found.entry.read(net)}\n`;
}

export function sysctlWrite(net: Net, path: string, text: string): void {
  const found = resolve(net, path);
  if (!found) throw new KernelError("ENOENT");
  if (found.kind === "dir") throw new KernelError("EISDIR");
  found.entry.write(net, text);
}

/** Every file under /proc/sys, in the order readdir gives (names sorted within a directory). */
export function sysctlList(net: Net): string[] {
  const out: string[] = [];
  const confDirs = ["all", "default", ...[...net.devByName.keys()]].sort();
  const top = [...Object.keys(ipv4Table), "conf"].sort();
  for (const name of top) {
    if (name !== "conf") {
      out.push(`net/ipv4/${name}`);
      continue;
    }
    for (const which of confDirs) {
      if (!devconfFor(net, which)) continue;
      for (const key of Object.keys(devconfTable).sort()) out.push(`net/ipv4/conf/${which}/${key}`);
    }
  }
  return out;
}
