// The per-namespace kernel files a task reaches by path: /proc/net (fs/proc/proc_net.c hands each
// reader the files of its own namespace) and /sys/class/net (net-sysfs.ts).

import { igmpMcSeqShow } from "../ipv4/igmp.js";
import { tcp4SeqShow } from "../ipv4/tcp.js";
import { udp4SeqShow } from "../ipv4/udp.js";
import { IPV6_MIN_MTU } from "../ipv6/addrconf.js";
import { igmp6McSeqShow } from "../ipv6/mcast.js";
import type { Net } from "../net_namespace.js";
import { ctSeqShow, expSeqShow } from "../netfilter/nf_conntrack.js";
import { arpSeqShow } from "./arp.js";
import { fibRouteSeqShow } from "./fib_trie.js";
import type { KfsEntry, KfsNode } from "./kernfs.js";
import { devMcSeqShow, devSeqShow } from "./net-procfs.js";
import { netSysfsLookup } from "./net-sysfs.js";
import { netstatSeqShow, snmp6DevSeqShow, snmp6SeqShow } from "./netstat.js";
import { snmpSeqShow } from "./proc.js";
import { sockstat6SeqShow, sockstatSeqShow } from "./sockstat.js";

/** The files of /proc/net emulated here, by name, with the seq_file show routine that prints them. */
const PROC_NET: ReadonlyMap<string, (net: Net) => string> = new Map([
  ["arp", arpSeqShow],
  ["dev", devSeqShow],
  ["dev_mcast", devMcSeqShow],
  ["igmp", igmpMcSeqShow],
  ["igmp6", igmp6McSeqShow],
  ["netstat", netstatSeqShow],
  ["nf_conntrack", ctSeqShow],
  ["nf_conntrack_expect", expSeqShow],
  ["route", fibRouteSeqShow],
  ["snmp", snmpSeqShow],
  ["snmp6", snmp6SeqShow],
  ["sockstat", sockstatSeqShow],
  ["sockstat6", sockstat6SeqShow],
  ["tcp", tcp4SeqShow],
  ["udp", udp4SeqShow],
]);

/**
 * /proc/net/dev_snmp6: a file per device with IPv6 (an inet6_dev, which ipv6_add_dev gives every
 * device whose MTU can carry IPv6).
 */
function devSnmp6Lookup(net: Net, rest: readonly string[]): KfsNode | undefined {
  const devs = [...net.devByIndex.values()].filter((dev) => dev.mtu >= IPV6_MIN_MTU);
  if (rest.length === 0)
    return dir(
      devs.map((dev) => dev.name),
      "file",
    );
  const dev = rest.length === 1 ? devs.find((d) => d.name === rest[0]) : undefined;
  return dev ? { kind: "file", show: () => snmp6DevSeqShow(dev) } : undefined;
}

function dir(names: readonly string[], kind: KfsEntry["kind"] = "dir"): KfsNode {
  return { kind: "dir", entries: () => names.map((name) => ({ name, kind })) };
}

function split(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out;
}

/** True for the paths this module answers for: /proc/net, /sys and everything below them. */
export function isKernelPath(path: string): boolean {
  const p = split(path);
  return (p[0] === "proc" && p[1] === "net") || p[0] === "sys";
}

/** The node at an absolute path, as seen by a task of `net` with user id `uid`. */
export function kfsLookup(net: Net, path: string, uid: number): KfsNode | undefined {
  const p = split(path);
  if (p[0] === "proc" && p[1] === "net") {
    if (p.length === 2)
      return {
        kind: "dir",
        entries: () => [
          ...[...PROC_NET.keys()].map((name) => ({ name, kind: "file" as const })),
          { name: "dev_snmp6", kind: "dir" as const },
        ],
      };
    if (p[2] === "dev_snmp6") return devSnmp6Lookup(net, p.slice(3));
    const show = p.length === 3 ? PROC_NET.get(p[2] as string) : undefined;
    return show ? { kind: "file", show: () => show(net) } : undefined;
  }
  if (p[0] !== "sys") return undefined;
  if (p.length === 1) return dir(["class"]);
  if (p[1] !== "class") return undefined;
  if (p.length === 2) return dir(["net"]);
  if (p[2] !== "net") return undefined;
  return netSysfsLookup(net, p.slice(3), uid);
}
