// The /proc/sys/net tree of one namespace (net/ipv4/sysctl_net_ipv4.c, devinet_sysctl): each
// entry reads as text and parses writes as proc_dointvec and friends do.
import { devGetByName } from "../core/dev.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import type { Ipv4Devconf } from "./netns_ipv4.js";

interface SysctlEntry {
  read(net: Net): string;
  write(net: Net, value: number): void;
  readonly min?: number;
  readonly max?: number;
}

/** proc_get_long + proc_dointvec: one decimal integer, optionally signed, surrounded by whitespace. */
export function procDointvecParse(text: string): number | undefined {
  const match = /^\s*(-?\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  if (!Number.isSafeInteger(value) || value > 0x7fffffff || value < -0x80000000) return undefined;
  return value;
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
    write: (net, v) => {
      net.ipv4.sysctlIcmpEchoIgnoreAll = v;
    },
    min: 0,
    max: 1,
  },
  icmp_echo_ignore_broadcasts: {
    read: (net) => String(net.ipv4.sysctlIcmpEchoIgnoreBroadcasts),
    write: (net, v) => {
      net.ipv4.sysctlIcmpEchoIgnoreBroadcasts = v;
    },
    min: 0,
    max: 1,
  },
  ip_default_ttl: {
    read: (net) => String(net.ipv4.sysctlIpDefaultTtl),
    write: (net, v) => {
      net.ipv4.sysctlIpDefaultTtl = v;
    },
    min: 1,
    max: 255,
  },
  ip_forward: {
    read: (net) => String(net.ipv4.devconfAll.forwarding),
    write: inetForwardChange,
  },
};

/** The per-device (and all/default) entries under net/ipv4/conf/NAME/. */
const devconfTable: Record<string, { read(cnf: Ipv4Devconf): string; write(net: Net, which: string, value: number): void }> = {
  forwarding: {
    read: (cnf) => String(cnf.forwarding),
    write: (net, which, value) => {
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
  if (parts.length === 3 && name in ipv4Table) return { kind: "entry", entry: ipv4Table[name] as SysctlEntry };
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
      write: (n, v) => item.write(n, which, v),
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
  const value = procDointvecParse(text);
  if (value === undefined) throw new KernelError("EINVAL");
  const { entry } = found;
  if ((entry.min !== undefined && value < entry.min) || (entry.max !== undefined && value > entry.max)) {
    throw new KernelError("EINVAL");
  }
  entry.write(net, value);
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
