// The IPv6 and ICMPv6 counters (include/net/ipv6.h, addrconf.h): a namespace's
// (net->mib.ipv6_statistics, icmpv6_statistics, icmpv6msg_statistics, printed in /proc/net/snmp6)
// and each inet6_dev's (idev->stats, in /proc/net/dev_snmp6/DEV), bumped together as
// IP6_INC_STATS(net, idev, ...) does. Both are made on the first count: a namespace that carries
// no IPv6 keeps none.

import type { Net } from "../net_namespace.js";

export interface Ip6Mib {
  /** The named counters (Ip6InReceives, Icmp6OutMsgs, ...), 0 when absent. */
  readonly named: Map<string, number>;
  /** ICMP6MSG_MIB: per message type, received [0, 256) and sent [256, 512). */
  readonly msg: Float64Array;
}

function newMib(): Ip6Mib {
  return { named: new Map(), msg: new Float64Array(512) };
}

/** The namespace's counters, made on first use. */
const netMibs = new WeakMap<Net, Ip6Mib>();

export function ip6NetMib(net: Net): Ip6Mib | undefined {
  return netMibs.get(net);
}

/** What counts against a device: its inet6_dev's stats, made on first use. */
export interface Ip6MibOwner {
  stats: Ip6Mib | undefined;
}

function mibsOf(net: Net, idev: Ip6MibOwner | undefined): [Ip6Mib, Ip6Mib | undefined] {
  let m = netMibs.get(net);
  if (!m) {
    m = newMib();
    netMibs.set(net, m);
  }
  if (idev && !idev.stats) idev.stats = newMib();
  return [m, idev?.stats];
}

function add(mib: Ip6Mib, name: string, n: number): void {
  mib.named.set(name, (mib.named.get(name) ?? 0) + n);
}

/** IP6_ADD_STATS / IP6_UPD_PO_STATS: `name` by `n` (and, with octets, `name`'s Octets twin). */
export function ip6AddStats(net: Net, idev: Ip6MibOwner | undefined, name: string, n = 1): void {
  const [m, d] = mibsOf(net, idev);
  add(m, name, n);
  if (d) add(d, name, n);
}

/**
 * ICMP6MSGOUT_INC_STATS / ICMP6MSGIN_INC_STATS and ICMP6_INC_STATS(OUTMSGS / INMSGS): the message
 * count and the per-type count (which the by-name counters are read from, see ip6MibValue).
 */
export function icmp6MsgStats(
  net: Net,
  idev: Ip6MibOwner | undefined,
  dir: "In" | "Out",
  type: number,
): void {
  const [m, d] = mibsOf(net, idev);
  const at = (dir === "Out" ? 256 : 0) + (type & 255);
  for (const mib of d ? [m, d] : [m]) {
    add(mib, `Icmp6${dir}Msgs`, 1);
    mib.msg[at] = (mib.msg[at] as number) + 1;
  }
}

/**
 * A counter's value as /proc/net/snmp6 prints it: a by-name ICMPv6 type counter
 * (Icmp6OutRouterSolicits) is its type's ICMP6MSG count, as snmp6_seq_show_icmpv6msg reads it.
 */
export function ip6MibValue(mib: Ip6Mib | undefined, name: string): number {
  if (!mib) return 0;
  const at = ICMP6_NAMED.get(name);
  return at !== undefined ? (mib.msg[at] as number) : (mib.named.get(name) ?? 0);
}

/** snmp6_seq_show_icmpv6msg: a line per message type counted, received ones first. */
export function icmp6MsgLines(mib: Ip6Mib | undefined): string {
  if (!mib) return "";
  let out = "";
  for (let i = 0; i < 512; i++) {
    const v = mib.msg[i] as number;
    if (!v) continue;
    out += `${`Icmp6${i & 0x100 ? "Out" : "In"}Type${i & 0xff}`.padEnd(32)}\t${v}\n`;
  }
  return out;
}

/** icmp6type2name: the types whose counts /proc/net/snmp6 also prints by name. */
const ICMP6_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "DestUnreachs"],
  [2, "PktTooBigs"],
  [3, "TimeExcds"],
  [4, "ParmProblems"],
  [128, "Echos"],
  [129, "EchoReplies"],
  [130, "GroupMembQueries"],
  [131, "GroupMembResponses"],
  [132, "GroupMembReductions"],
  [133, "RouterSolicits"],
  [134, "RouterAdvertisements"],
  [135, "NeighborSolicits"],
  [136, "NeighborAdvertisements"],
  [137, "Redirects"],
  [143, "MLDv2Reports"],
]);

/** Each by-name ICMPv6 counter's index in Ip6Mib.msg (Icmp6InX: the type, Icmp6OutX: 256 + it). */
const ICMP6_NAMED: ReadonlyMap<string, number> = new Map(
  [...ICMP6_TYPE_NAMES].flatMap(([type, name]): [string, number][] => [
    [`Icmp6In${name}`, type],
    [`Icmp6Out${name}`, 256 + type],
  ]),
);
