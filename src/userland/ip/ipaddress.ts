// ip/ipaddress.c: `ip address` and the device listing `ip link show` shares with it
// (print_linkinfo, print_addrinfo, ipaddr_list_flush_or_save, ipaddr_modify).

import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  AF_INET6,
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  IFA_F_DADFAILED,
  IFA_F_DEPRECATED,
  IFA_F_HOMEADDRESS,
  IFA_F_MANAGETEMPADDR,
  IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE,
  IFA_F_OPTIMISTIC,
  IFA_F_PERMANENT,
  IFA_F_SECONDARY,
  IFA_F_TENTATIVE,
  IFF_POINTOPOINT,
  IFF_UP,
  INFINITY_LIFE_TIME,
  type LinkInfoData,
  RT_SCOPE_HOST,
  RT_SCOPE_NOWHERE,
  type RtAddr,
  type RtAddrReq,
  type RtBridgeLinkEvent,
  type RtLink,
  type RtLinkStats,
} from "../../kernel/syscalls.js";
import { formatMac } from "../../wire/addr.js";
import { groupA2n } from "./iplink.js";
import { bridgePrintOpt, bridgeSlavePrintOpt } from "./iplink_bridge.js";
import { macvlanPrintOpt } from "./iplink_macvlan.js";
import { vlanPrintOpt } from "./iplink_vlan.js";
import { vxlanPrintOpt } from "./iplink_vxlan.js";
import { talkEcho, withEcho } from "./ipmonitor.js";
import {
  AF_PACKET,
  AF_UNSPEC,
  Args,
  asKernelError,
  duparg,
  duparg2,
  eprint,
  familyName,
  formatAddr,
  getAddr,
  getNameFromNsid,
  getPrefix,
  getU32,
  groupN2a,
  type InetPrefix,
  type IpContext,
  IpExit,
  invarg,
  linkCache,
  llIndexToFlags,
  llIndexToName,
  matches,
  nodev,
  prefixBytes,
  printLinkFlags,
  rtscopeA2n,
  rtscopeN2a,
  strerror,
  talkError,
} from "./utils.js";

const IFA_F_MCAUTOJOIN = 0x400;
const IFA_F_STABLE_PRIVACY = 0x800;

const OPER_STATES = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"];
const LINK_MODES = ["DEFAULT", "DORMANT"];

/** ifa_flag_data[] in order: name, mask. */
const IFA_FLAG_DATA: readonly (readonly [string, number, boolean, boolean])[] = [
  // name, mask, readonly, v6only
  ["secondary", IFA_F_SECONDARY, true, false],
  ["temporary", IFA_F_SECONDARY, true, false],
  ["nodad", IFA_F_NODAD, false, true],
  ["optimistic", IFA_F_OPTIMISTIC, false, true],
  ["dadfailed", IFA_F_DADFAILED, true, true],
  ["home", IFA_F_HOMEADDRESS, false, true],
  ["deprecated", IFA_F_DEPRECATED, true, true],
  ["tentative", IFA_F_TENTATIVE, true, true],
  ["permanent", IFA_F_PERMANENT, true, true],
  ["mngtmpaddr", IFA_F_MANAGETEMPADDR, false, true],
  ["noprefixroute", IFA_F_NOPREFIXROUTE, false, false],
  ["autojoin", IFA_F_MCAUTOJOIN, false, false],
  ["stable-privacy", IFA_F_STABLE_PRIVACY, true, true],
];

/** The `filter` of ipaddress.c. */
export interface AddrFilter {
  family: number;
  ifindex: number;
  up: boolean;
  scope: number;
  scopemask: number;
  label: string | undefined;
  /** FLAG-LIST: the IFA_F_* bits in flagmask must equal those in flags. */
  flags: number;
  flagmask: number;
  /** `to PREFIX` */
  pfx: InetPrefix | undefined;
  /** `type KIND`: IFLA_INFO_KIND must match (`KIND_slave` matches the slave kind, which no device here has). */
  kind: string | undefined;
  slaveKind: string | undefined;
  /** `master DEV`: its ifindex; `nomaster`: -1. */
  master: number;
  /** `group GROUP`, -1 for any. */
  group: number;
  oneline: boolean;
  /** filter.flushb: set while `ip addr flush` collects what to delete. */
  flushing: boolean;
  doLink: boolean;
  /** filter.showqueue: qlen is shown by listings, not by ip monitor. */
  showqueue: boolean;
}

/** What ip monitor adds around a device or an address it prints. */
export interface MonitorEvent {
  /** The banner and `Deleted `, printed once the filter has let the message through. */
  readonly head: string;
  /** IFLA_NEW_NETNSID, IFLA_NEW_IFINDEX of an RTM_DELLINK for a device that moved away. */
  readonly newNetnsid?: number;
  readonly newIfindex?: number;
}

/** ipaddr_reset_filter(1, ifindex), as ip monitor sets it. */
export function monitorAddrFilter(ctx: IpContext, ifindex: number): AddrFilter {
  return { ...newFilter(ctx, false), family: 0, oneline: true, ifindex, showqueue: false };
}

function newFilter(ctx: IpContext, doLink: boolean): AddrFilter {
  return {
    family: ctx.preferredFamily,
    ifindex: 0,
    up: false,
    scope: 0,
    scopemask: 0,
    label: undefined,
    flags: 0,
    flagmask: 0,
    pfx: undefined,
    kind: undefined,
    slaveKind: undefined,
    master: 0,
    group: -1,
    oneline: ctx.oneline,
    flushing: false,
    doLink,
    showqueue: true,
  };
}

/** print_name_and_link(): NAME, NAME@PEER or NAME@ifN; returns the M-DOWN flag. */
function printNameAndLink(
  ctx: IpContext,
  format: (name: string) => string,
  link: Pick<RtLink, "ifname" | "link" | "linkNetnsid">,
): boolean {
  const out = ctx.out;
  let name = link.ifname;
  let mflag = false;
  if (link.link !== undefined) {
    const iflink = link.link;
    let peer: string | undefined;
    if (iflink) {
      if (link.linkNetnsid !== undefined) {
        if (out.json) out.js("link_index", iflink);
        else peer = `if${iflink}`;
      } else {
        peer = llIndexToName(ctx, iflink);
        if (out.json) {
          out.js("link", peer);
          peer = undefined;
        }
        mflag = !(llIndexToFlags(ctx, iflink) & IFF_UP);
      }
    } else if (out.json) {
      out.js("link", null);
    } else {
      peer = "NONE";
    }
    if (peer !== undefined) name = `${name}@${peer}`;
  }
  out.any("ifname", format(name), name);
  return mflag;
}

function printOperstate(ctx: IpContext, state: number): void {
  const out = ctx.out;
  const name = OPER_STATES[state];
  if (name === undefined) {
    if (out.json) out.js("operstate_index", state);
    else out.fp(`state 0x${state.toString(16)}`);
  } else if (ctx.brief) {
    out.any("operstate", `${name.padEnd(14)} `, name);
  } else if (out.json) {
    out.js("operstate", name);
  } else {
    out.fp(`state ${name} `);
  }
}

/** ll_type_n2a() */
function llTypeN2a(type: number): string {
  switch (type) {
    case ARPHRD_ETHER:
      return "ether";
    case ARPHRD_LOOPBACK:
      return "loopback";
    case 0xfffe:
      return "none";
    case 0xffff:
      return "void";
    default:
      return `[${type}]`;
  }
}

function printLinkinfoBrief(ctx: IpContext, link: RtLink, filter: AddrFilter): number {
  const out = ctx.out;
  const mflag = printNameAndLink(ctx, (n) => `${n.padEnd(16)} `, link);
  printOperstate(ctx, link.operstate);
  if (filter.family === AF_PACKET) {
    const mac = formatMac(link.address);
    out.any("address", `${mac} `, mac);
    printLinkFlags(ctx, link.flags, mflag);
    out.fp("\n");
  }
  return 0;
}

/** print_linkinfo(): one device. Returns -1 when filtered out, 0 for brief, 1 when printed. */
export function printLinkinfo(
  ctx: IpContext,
  link: RtLink,
  filter: AddrFilter,
  event?: MonitorEvent,
): number {
  const out = ctx.out;
  if (filter.ifindex && link.ifindex !== filter.ifindex) return -1;
  if (filter.up && !(link.flags & IFF_UP)) return -1;
  if (filter.label) return 0;
  if (filter.group !== -1 && link.group !== filter.group) return -1;
  // The kernel's dump filter (link_master_filtered), then print_linkinfo's own check.
  if (filter.master === -1 && link.master !== undefined) return -1;
  if (filter.master > 0 && link.master !== filter.master) return -1;
  if (filter.kind !== undefined && link.infoKind !== filter.kind) return -1;
  if (filter.slaveKind !== undefined && link.slaveKind !== filter.slaveKind) return -1;
  if (ctx.brief) return printLinkinfoBrief(ctx, link, filter);

  if (event) out.fp(event.head);
  out.any("ifindex", `${link.ifindex}: `, link.ifindex);
  const mflag = printNameAndLink(ctx, (n) => `${n}: `, link);
  printLinkFlags(ctx, link.flags, mflag);
  out.any("mtu", `mtu ${link.mtu} `, link.mtu);
  out.any("qdisc", `qdisc ${link.qdisc} `, link.qdisc);
  if (link.master !== undefined) {
    const master = llIndexToName(ctx, link.master);
    out.any("master", `master ${master} `, master);
  }
  printOperstate(ctx, link.operstate);
  if (filter.doLink) {
    const mode = LINK_MODES[link.linkmode];
    if (mode === undefined) out.any("linkmode_index", `mode ${link.linkmode} `, link.linkmode);
    else out.any("linkmode", `mode ${mode} `, mode);
  }
  const group = groupN2a(link.group);
  out.any("group", `group ${group} `, group);
  if (filter.showqueue && link.txqlen) out.any("txqlen", `qlen ${link.txqlen}`, link.txqlen);

  if (!filter.family || filter.family === AF_PACKET || ctx.details) {
    out.nl();
    const type = llTypeN2a(link.type);
    out.any("link_type", `    link/${type} `, type);
    const mac = formatMac(link.address);
    out.any("address", mac, mac);
    if (link.flags & IFF_POINTOPOINT) {
      out.fp(" peer ");
      out.js("link_pointtopoint", true);
    } else {
      out.fp(" brd ");
    }
    const brd = formatMac(link.broadcast);
    out.any("broadcast", brd, brd);
  }

  if (link.linkNetnsid !== undefined) {
    const id = link.linkNetnsid;
    if (out.json) {
      out.js("link_netnsid", id);
    } else if (id >= 0) {
      const name = getNameFromNsid(ctx, id);
      if (name !== undefined) out.fp(` link-netns ${name}`);
      else out.fp(` link-netnsid ${id}`);
    } else {
      out.fp(" link-netnsid unknown");
    }
  }
  if (event?.newNetnsid !== undefined) {
    const name = getNameFromNsid(ctx, event.newNetnsid);
    out.fp(name !== undefined ? ` new-netns ${name}` : ` new-netnsid ${event.newNetnsid}`);
  }
  if (event?.newIfindex !== undefined) out.fp(` new-ifindex ${event.newIfindex}`);
  if (ctx.details) printLinkDetails(ctx, link, filter);
  if ((filter.doLink || ctx.details) && link.ifalias !== undefined) {
    out.fp(`${out.sl}    `);
    out.any("ifalias", `alias ${link.ifalias}`, link.ifalias);
  }
  if (filter.doLink && ctx.stats) {
    out.nl();
    printStats64(ctx, link.stats, link.carrierChanges);
  }
  if (link.altnames) {
    out.openArray("altnames");
    for (const name of link.altnames) {
      out.fp(`${out.sl}    altname `);
      out.any(undefined, name, name);
    }
    out.closeArray();
  }
  out.fp("\n");
  return 1;
}

/**
 * print_linkinfo() for a bridge port's AF_BRIDGE notification (br_fill_ifinfo): only the attributes
 * it carries are printed, so no qdisc, group or broadcast address.
 */
export function printBridgeLinkinfo(
  ctx: IpContext,
  link: RtBridgeLinkEvent,
  filter: AddrFilter,
  head: string,
): number {
  const out = ctx.out;
  if (filter.ifindex && link.ifindex !== filter.ifindex) return -1;
  if (filter.up && !(link.flags & IFF_UP)) return -1;
  if (filter.label) return 0;
  if (filter.master > 0 && link.master !== filter.master) return -1;
  // match_link_kind: no IFLA_LINKINFO to match.
  if (filter.kind !== undefined || filter.slaveKind !== undefined) return -1;
  out.fp(head);
  out.any("ifindex", `${link.ifindex}: `, link.ifindex);
  const mflag = printNameAndLink(ctx, (n) => `${n}: `, link);
  printLinkFlags(ctx, link.flags, mflag);
  out.any("mtu", `mtu ${link.mtu} `, link.mtu);
  const master = llIndexToName(ctx, link.master);
  out.any("master", `master ${master} `, master);
  printOperstate(ctx, link.operstate);
  if (!filter.family || filter.family === AF_PACKET || ctx.details) {
    out.nl();
    const type = llTypeN2a(ARPHRD_ETHER);
    out.any("link_type", `    link/${type} `, type);
    const mac = formatMac(link.address);
    out.any("address", mac, mac);
  }
  out.fp("\n");
  return 1;
}

/** ADDR_GEN_MODE names in print_af_spec() order. */
const ADDR_GEN_MODES = ["eui64", "none", "stable_secret", "random"];

/**
 * The `show_details` block of print_linkinfo(): each kind's IFLA_INFO_DATA through its print_opt
 * (veth has none), and a bridge port's IFLA_INFO_SLAVE_DATA.
 */
function printLinkDetails(ctx: IpContext, link: RtLink, filter: AddrFilter): void {
  const out = ctx.out;
  out.any("promiscuity", ` promiscuity ${link.promiscuity} `, link.promiscuity);
  out.any("allmulti", ` allmulti ${link.allmulti} `, link.allmulti);
  out.any("min_mtu", `minmtu ${link.minMtu} `, link.minMtu);
  out.any("max_mtu", `maxmtu ${link.maxMtu} `, link.maxMtu);
  if (link.infoKind !== undefined || link.slaveKind !== undefined) {
    // print_linktype()
    out.openObject("linkinfo");
    if (link.infoKind !== undefined) {
      out.nl();
      out.any("info_kind", `    ${link.infoKind} `, link.infoKind);
      if (link.infoData) printInfoData(ctx, link.infoData);
    }
    if (link.slaveKind !== undefined) {
      out.nl();
      out.any("info_slave_kind", `    ${link.slaveKind}_slave `, link.slaveKind);
      if (link.slaveData) {
        out.openObject("info_slave_data");
        bridgeSlavePrintOpt(ctx, link.slaveData);
        out.closeObject();
      }
    }
    out.closeObject();
  }
  if (filter.doLink && link.addrGenMode !== undefined) {
    const mode = ADDR_GEN_MODES[link.addrGenMode] ?? `0x${link.addrGenMode.toString(16).padStart(2, "0")}`;
    out.any("inet6_addr_gen_mode", `addrgenmode ${mode} `, mode);
  }
  out.any("num_tx_queues", `numtxqueues ${link.numTxQueues} `, link.numTxQueues);
  out.any("num_rx_queues", `numrxqueues ${link.numRxQueues} `, link.numRxQueues);
  out.any("gso_max_size", `gso_max_size ${link.gsoMaxSize} `, link.gsoMaxSize);
  out.any("gso_max_segs", `gso_max_segs ${link.gsoMaxSegs} `, link.gsoMaxSegs);
  out.any("tso_max_size", `tso_max_size ${link.tsoMaxSize} `, link.tsoMaxSize);
  out.any("tso_max_segs", `tso_max_segs ${link.tsoMaxSegs} `, link.tsoMaxSegs);
  out.any("gro_max_size", `gro_max_size ${link.groMaxSize} `, link.groMaxSize);
}

/** lu->print_opt for the kinds whose IFLA_INFO_DATA is emulated, inside "info_data". */
function printInfoData(ctx: IpContext, data: LinkInfoData): void {
  ctx.out.openObject("info_data");
  switch (data.kind) {
    case "bridge":
      bridgePrintOpt(ctx, data);
      break;
    case "macvlan":
      macvlanPrintOpt(ctx, data);
      break;
    case "vlan":
      vlanPrintOpt(ctx, data);
      break;
    case "vxlan":
      vxlanPrintOpt(ctx, data);
      break;
  }
  ctx.out.closeObject();
}

/** print_stats64(): the RX/TX counter table of `ip -s link`. */
function printStats64(ctx: IpContext, st: RtLinkStats, carrierChanges: number): void {
  const out = ctx.out;
  if (out.json) {
    out.openObject("stats64");
    out.openObject("rx");
    out.js("bytes", st.rxBytes);
    out.js("packets", st.rxPackets);
    out.js("errors", st.rxErrors);
    out.js("dropped", st.rxDropped);
    out.js("over_errors", 0);
    out.js("multicast", st.multicast);
    if (ctx.stats > 1) {
      for (const k of ["length_errors", "crc_errors", "frame_errors", "fifo_errors", "missed_errors"])
        out.js(k, 0);
    }
    out.closeObject();
    out.openObject("tx");
    out.js("bytes", st.txBytes);
    out.js("packets", st.txPackets);
    out.js("errors", st.txErrors);
    out.js("dropped", st.txDropped);
    out.js("carrier_errors", 0);
    out.js("collisions", st.collisions);
    if (ctx.stats > 1) {
      for (const k of ["aborted_errors", "fifo_errors", "window_errors", "heartbeat_errors"]) out.js(k, 0);
      out.js("carrier_changes", carrierChanges);
    }
    out.closeObject();
    out.closeObject();
    return;
  }
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  // size_columns(): widen a column to the widest number in it.
  const size = (values: readonly number[]): void => {
    values.forEach((v, i) => {
      cols[i] = Math.max(cols[i] ?? 0, String(v).length);
    });
  };
  size([st.rxBytes, st.rxPackets, st.rxErrors, st.rxDropped, 0, st.multicast, 0, 0]);
  size([st.txBytes, st.txPackets, st.txErrors, st.txDropped, 0, st.collisions, 0, 0]);
  if (ctx.stats > 1) size([0, 0, 0, 0, 0, carrierChanges]);
  const c = (i: number): number => cols[i] ?? 0;
  const num = (i: number, v: number): string => `${String(v).padStart(c(i))} `;
  const sl = out.sl;
  out.fp(
    `    RX: ${"bytes".padStart(c(0) - 4)} ${"packets".padStart(c(1))} ${"errors".padStart(c(2))} ` +
      `${"dropped".padStart(c(3))} ${"missed".padStart(c(4))} ${"mcast".padStart(c(5))} ${"".padStart(c(6))}${sl}`,
  );
  out.fp(
    `    ${num(0, st.rxBytes)}${num(1, st.rxPackets)}${num(2, st.rxErrors)}${num(3, st.rxDropped)}` +
      `${num(4, 0)}${num(5, st.multicast)}`,
  );
  if (ctx.stats > 1) {
    out.fp(sl);
    out.fp(
      `    RX errors:${"".padStart(c(0) - 10)} ${"length".padStart(c(1))} ${"crc".padStart(c(2))} ` +
        `${"frame".padStart(c(3))} ${"fifo".padStart(c(4))} ${"overrun".padStart(c(5))}${sl}`,
    );
    out.fp(`${"".padStart(c(0) + 5)}${num(1, 0)}${num(2, 0)}${num(3, 0)}${num(4, 0)}${num(5, 0)}`);
  }
  out.fp(sl);
  out.fp(
    `    TX: ${"bytes".padStart(c(0) - 4)} ${"packets".padStart(c(1))} ${"errors".padStart(c(2))} ` +
      `${"dropped".padStart(c(3))} ${"carrier".padStart(c(4))} ${"collsns".padStart(c(5))} ${"".padStart(c(6))}${sl}`,
  );
  out.fp(
    `    ${num(0, st.txBytes)}${num(1, st.txPackets)}${num(2, st.txErrors)}${num(3, st.txDropped)}` +
      `${num(4, 0)}${num(5, st.collisions)}`,
  );
  if (ctx.stats > 1) {
    out.fp(sl);
    out.fp(
      `    TX errors:${"".padStart(c(0) - 10)} ${"aborted".padStart(c(1))} ${"fifo".padStart(c(2))} ` +
        `${"window".padStart(c(3))} ${"heartbt".padStart(c(4))} ${"transns".padStart(c(5))}${sl}`,
    );
    out.fp(
      `${"".padStart(c(0) + 5)}${num(1, 0)}${num(2, 0)}${num(3, 0)}${num(4, 0)}${num(5, carrierChanges)}`,
    );
  }
}

function printIfaFlags(ctx: IpContext, addr: RtAddr): void {
  const out = ctx.out;
  let flags = addr.flags;
  for (const [name, mask] of IFA_FLAG_DATA) {
    if (mask === IFA_F_PERMANENT) {
      if (!(flags & mask)) out.any("dynamic", "dynamic ", true);
    } else if (flags & mask) {
      if (mask === IFA_F_SECONDARY && addr.family === AF_INET6) {
        out.any("temporary", "temporary ", true);
      } else {
        out.fp(`${name} `);
        out.js(name, true);
      }
    }
    flags &= ~mask;
  }
  if (flags) {
    const hex = flags.toString(16).padStart(2, "0");
    if (out.json) out.js("ifa_flags", hex);
    else out.fp(`flags ${hex} `);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** fnmatch(pattern, name, 0): `*`, `?`, `[...]` and backslash escapes. */
function fnmatch(pattern: string, name: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*") re += "[\\s\\S]*";
    else if (ch === "?") re += "[\\s\\S]";
    else if (ch === "[" && pattern.indexOf("]", i + 2) > 0) {
      const end = pattern.indexOf("]", i + 2);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else {
      if (ch === "\\" && i + 1 < pattern.length) i++;
      re += (pattern[i] as string).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`).test(name);
}

/** inet_addr_match(): the first `bits` bits agree. */
function inetAddrMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i & 7);
    if (((a[i >> 3] ?? 0) & mask) !== ((b[i >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function addrMatchesFilter(addr: RtAddr, filter: AddrFilter): boolean {
  if (filter.ifindex && filter.ifindex !== addr.ifindex) return false;
  if ((filter.scope ^ addr.scope) & filter.scopemask) return false;
  if (filter.family && filter.family !== addr.family) return false;
  if ((filter.flags ^ addr.flags) & filter.flagmask) return false;
  if (filter.pfx && !inetAddrMatch(addr.local, filter.pfx.data, filter.pfx.bitlen)) return false;
  if (filter.label !== undefined && !fnmatch(filter.label, addr.label ?? "")) return false;
  return true;
}

/** get_filter(): a FLAG of FLAG-LIST, `-FLAG` inverted; dynamic is -permanent, primary -secondary. */
function getFlagFilter(filter: AddrFilter, arg: string): boolean {
  let inv = arg.startsWith("-");
  let name = inv ? arg.slice(1) : arg;
  if (name === "dynamic") {
    inv = !inv;
    name = "permanent";
  } else if (name === "primary") {
    inv = !inv;
    name = "secondary";
  }
  const entry = IFA_FLAG_DATA.find(([n]) => n === name);
  if (!entry) return false;
  const mask = entry[1];
  if (inv) filter.flags &= ~mask;
  else filter.flags |= mask;
  filter.flagmask |= mask;
  return true;
}

/** print_addrinfo() */
export function printAddrinfo(ctx: IpContext, addr: RtAddr, filter: AddrFilter, event?: MonitorEvent): void {
  const out = ctx.out;
  if (!addrMatchesFilter(addr, filter)) return;
  if (event) out.fp(event.head);
  if (!ctx.brief) {
    if (filter.oneline || filter.flushing) {
      const dev = llIndexToName(ctx, addr.ifindex);
      if (out.json) {
        out.js("index", addr.ifindex);
        out.js("dev", dev);
      } else {
        out.fp(`${addr.ifindex}: ${dev}`);
      }
    }
    const name = familyName(addr.family);
    if (name !== "???") out.any("family", `    ${name} `, name);
    else out.any("family_index", `    family ${addr.family} `, addr.family);
  }
  const local = formatAddr(addr.family, addr.local);
  out.any("local", local, local);
  if (!sameBytes(addr.address, addr.local)) {
    out.fp(" peer ");
    const peer = formatAddr(addr.family, addr.address);
    out.any("address", peer, peer);
  }
  out.any("prefixlen", `/${addr.prefixlen} `, addr.prefixlen);
  if (ctx.brief) return;

  if (addr.broadcast) {
    out.fp("brd ");
    const brd = formatAddr(addr.family, addr.broadcast);
    out.any("broadcast", `${brd} `, brd);
  }
  const scope = rtscopeN2a(addr.scope);
  out.any("scope", `scope ${scope} `, scope);
  printIfaFlags(ctx, addr);
  if (addr.label !== undefined) out.any("label", addr.label, addr.label);

  out.nl();
  out.fp("       valid_lft ");
  if (addr.validLft === INFINITY_LIFE_TIME) {
    out.js("valid_life_time", INFINITY_LIFE_TIME);
    out.fp("forever");
  } else {
    out.any("valid_life_time", `${addr.validLft}sec`, addr.validLft);
  }
  out.fp(" preferred_lft ");
  if (addr.preferredLft === INFINITY_LIFE_TIME) {
    out.js("preferred_life_time", INFINITY_LIFE_TIME);
    out.fp("forever");
  } else if (addr.flags & IFA_F_DEPRECATED) {
    const v = addr.preferredLft | 0;
    out.any("preferred_life_time", `${v}sec`, v);
  } else {
    out.any("preferred_life_time", `${addr.preferredLft}sec`, addr.preferredLft);
  }
  out.fp("\n");
}

function printSelectedAddrinfo(
  ctx: IpContext,
  link: RtLink,
  addrs: readonly RtAddr[],
  filter: AddrFilter,
): void {
  const out = ctx.out;
  out.openArray("addr_info");
  for (const addr of addrs) {
    if (addr.ifindex !== link.ifindex || (filter.family && filter.family !== addr.family)) continue;
    if (filter.up && !(link.flags & IFF_UP)) continue;
    out.openObject();
    printAddrinfo(ctx, addr, filter);
    out.closeObject();
  }
  out.closeArray();
  if (ctx.brief) out.fp("\n");
}

/** ipaddr_filter(): drops devices without an address that passes the filter. */
function ipaddrFilter(links: readonly RtLink[], addrs: readonly RtAddr[], filter: AddrFilter): RtLink[] {
  return links.filter((link) => {
    let missing = true;
    for (const addr of addrs) {
      if (addr.ifindex !== link.ifindex) continue;
      missing = false;
      if (filter.family && filter.family !== addr.family) continue;
      if ((filter.scope ^ addr.scope) & filter.scopemask) continue;
      if ((filter.flags ^ addr.flags) & filter.flagmask) continue;
      if (filter.pfx && !inetAddrMatch(addr.local, filter.pfx.data, filter.pfx.bitlen)) continue;
      if (filter.label !== undefined && !fnmatch(filter.label, addr.label ?? "")) continue;
      return true;
    }
    return missing && (filter.family === AF_UNSPEC || filter.family === AF_PACKET);
  });
}

type AddrAction = "list" | "flush";

function ipaddrFlush(ctx: IpContext, filter: AddrFilter): number {
  // ipaddr_flush(): dump, send RTM_DELADDR for each match as one batch, until nothing is left
  // (max_flush_loops = 10). flush_update() checks the batch with rtnl_send_check().
  for (let round = 0; round < 10; round++) {
    const victims = sys.rtnlGetAddrs(ctx.task).filter((a: RtAddr) => addrMatchesFilter(a, filter));
    if (victims.length === 0) {
      if (ctx.stats) {
        if (round === 0) ctx.out.fp("Nothing to flush.\n");
        else ctx.out.fp(`*** Flush is complete after ${round} round${round > 1 ? "s" : ""} ***\n`);
      }
      return 0;
    }
    // With -s -s, print_addrinfo() also prints what it queues for deletion.
    if (ctx.stats >= 2) {
      filter.flushing = true;
      for (const a of victims) printAddrinfo(ctx, a, filter);
      filter.flushing = false;
    }
    let failed: string | undefined;
    for (const a of victims) {
      try {
        sys.rtnlAddr(ctx.task, {
          kind: "RTM_DELADDR",
          nlFlags: {},
          family: a.family,
          prefixlen: a.prefixlen,
          ifindex: a.ifindex,
          scope: a.scope,
          local: a.local,
          address: a.address,
          ...(a.label !== undefined ? { label: a.label } : {}),
        });
      } catch (e) {
        const ke = asKernelError(e);
        // Secondaries go with their primary: their own delete finding nothing is expected.
        if (ke.errno !== "EADDRNOTAVAIL") failed ??= strerror(ke.errno);
      }
    }
    if (failed !== undefined) {
      eprint(ctx, `Failed to send flush request: ${failed}\n`);
      return 1;
    }
    if (ctx.stats) ctx.out.fp(`\n*** Round ${round + 1}, deleting ${victims.length} addresses ***\n`);
  }
  eprint(ctx, "*** Flush remains incomplete after 10 rounds. ***\n");
  return 1;
}

function ipaddrListFlushOrSave(
  ctx: IpContext,
  argv: readonly string[],
  action: AddrAction,
  doLink: boolean,
): number {
  const filter = newFilter(ctx, doLink);
  const args = new Args(argv);
  let filterDev: string | undefined;

  if (action === "flush") {
    if (args.count <= 0) {
      eprint(ctx, "Flush requires arguments.\n");
      return -1;
    }
    if (filter.family === AF_PACKET) {
      eprint(ctx, "Cannot flush link addresses.\n");
      return -1;
    }
  }

  while (args.count > 0) {
    const a = args.cur;
    if (a === "to") {
      const v = args.next(ctx);
      filter.pfx = getPrefix(ctx, v, filter.family);
      if (filter.family === AF_UNSPEC) filter.family = filter.pfx.family;
    } else if (a === "scope") {
      const v = args.next(ctx);
      filter.scopemask = -1;
      let scope = rtscopeA2n(v);
      if (scope === undefined) {
        if (v !== "all") invarg(ctx, 'invalid "scope"\n', v);
        scope = RT_SCOPE_NOWHERE;
        filter.scopemask = 0;
      }
      filter.scope = scope;
    } else if (a === "up") {
      filter.up = true;
    } else if (getFlagFilter(filter, a)) {
      // a FLAG of FLAG-LIST
    } else if (a === "label") {
      filter.label = args.next(ctx);
    } else if (a === "master") {
      const v = args.next(ctx);
      const ifindex = sys.devNameToIndex(ctx.task, v);
      if (!ifindex) invarg(ctx, "Device does not exist\n", v);
      filter.master = ifindex;
    } else if (a === "nomaster") {
      filter.master = -1;
    } else if (a === "group") {
      const v = args.next(ctx);
      const g = groupA2n(v);
      if (g === undefined) invarg(ctx, 'Invalid "group" value\n', v);
      filter.group = g;
    } else if (a === "type") {
      const v = args.next(ctx);
      if (v.endsWith("_slave")) filter.slaveKind = v.slice(0, -"_slave".length);
      else filter.kind = v;
    } else {
      let dev = a;
      if (a === "dev") dev = args.next(ctx);
      else if (matches(a, "help")) return usageAddr(ctx);
      if (filterDev !== undefined) duparg2(ctx, "dev", dev);
      filterDev = dev;
    }
    args.shift();
  }

  if (filterDev !== undefined) {
    filter.ifindex = sys.devNameToIndex(ctx.task, filterDev);
    if (filter.ifindex <= 0) {
      eprint(ctx, `Device "${filterDev}" does not exist.\n`);
      return -1;
    }
  }

  if (action === "flush") return ipaddrFlush(ctx, filter);

  const out = ctx.out;
  out.newJsonObj();
  let links: readonly RtLink[];
  if (filter.ifindex) {
    try {
      links = sys.rtnlGetLink(ctx.task, filter.ifindex);
    } catch (e) {
      talkError(ctx, e);
      out.deleteJsonObj();
      return 0;
    }
  } else {
    links = linkCache(ctx);
  }
  let addrs: readonly RtAddr[] = [];
  let noLink = false;
  if (filter.family !== AF_PACKET) {
    if (filter.oneline) noLink = true;
    addrs = sys.rtnlGetAddrs(ctx.task);
    links = ipaddrFilter(links, addrs, filter);
  }
  for (const link of links) {
    out.openObject();
    let res = 0;
    if (ctx.brief || !noLink) res = printLinkinfo(ctx, link, filter);
    if (res >= 0 && filter.family !== AF_PACKET) printSelectedAddrinfo(ctx, link, addrs, filter);
    if (res > 0 && !filter.doLink && ctx.stats) {
      printStats64(ctx, link.stats, link.carrierChanges);
      out.nl();
    }
    out.closeObject();
  }
  out.deleteJsonObj();
  return 0;
}

/** ipaddr_list_link(): `ip link show`. */
export function ipaddrListLink(ctx: IpContext, argv: readonly string[]): number {
  ctx.preferredFamily = AF_PACKET;
  return ipaddrListFlushOrSave(ctx, argv, "list", true);
}

function defaultScope(lcl: InetPrefix): number {
  if (lcl.family === AF_INET && lcl.bytelen >= 1 && lcl.data[0] === 127) return RT_SCOPE_HOST;
  return 0;
}

type AddrCmd = "RTM_NEWADDR" | "RTM_DELADDR";

function ipaddrModify(
  ctx: IpContext,
  cmd: AddrCmd,
  nlFlags: { create?: boolean; excl?: boolean; replace?: boolean },
  argv: readonly string[],
): number {
  const args = new Args(argv);
  let family = ctx.preferredFamily;
  let dev: string | undefined;
  let label: string | undefined;
  let lclArg = "";
  let lcl: InetPrefix | undefined;
  let peer: InetPrefix | undefined;
  let peerAddr: Uint8Array | undefined;
  let prefixlen = 0;
  let localLen = 0;
  let peerLen = 0;
  let brdLen = 0;
  let broadcast: Uint8Array | undefined;
  let scope = 0;
  let scoped = false;
  let ifaFlags = 0;
  let validLft = INFINITY_LIFE_TIME;
  let preferredLft = INFINITY_LIFE_TIME;
  let lftGiven = false;
  let validGiven = false;
  let preferredGiven = false;
  const setLifetime = (v: string, what: string): number => {
    if (v === "forever") return INFINITY_LIFE_TIME;
    const n = getU32(v);
    if (n === undefined) invarg(ctx, `${what} value`, v);
    return n;
  };

  while (args.count > 0) {
    const a = args.cur;
    if (a === "peer" || a === "remote") {
      const v = args.next(ctx);
      if (peerLen) duparg(ctx, "peer", v);
      peer = getPrefix(ctx, v, family);
      peerLen = peer.bytelen;
      if (family === AF_UNSPEC) family = peer.family;
      peerAddr = prefixBytes(peer);
      prefixlen = peer.bitlen;
    } else if (matches(a, "broadcast") || a === "brd") {
      const v = args.next(ctx);
      if (brdLen) duparg(ctx, "broadcast", v);
      if (v === "+") brdLen = -1;
      else if (v === "-") brdLen = -2;
      else {
        const b = getAddr(ctx, v, family);
        if (family === AF_UNSPEC) family = b.family;
        broadcast = prefixBytes(b);
        brdLen = b.bytelen;
      }
    } else if (a === "scope") {
      const v = args.next(ctx);
      const s = rtscopeA2n(v);
      if (s === undefined) invarg(ctx, "invalid scope value.", v);
      scope = s;
      scoped = true;
    } else if (a === "dev") {
      dev = args.next(ctx);
    } else if (a === "label") {
      label = args.next(ctx);
    } else if (matches(a, "metric") || matches(a, "priority") || matches(a, "preference")) {
      const v = args.next(ctx);
      if (getU32(v) === undefined) invarg(ctx, '"metric" value is invalid\n', v);
    } else if (a === "valid_lft") {
      const v = args.next(ctx);
      if (validGiven) duparg(ctx, "valid_lft", v);
      validGiven = lftGiven = true;
      validLft = setLifetime(v, "valid_lft");
    } else if (a === "preferred_lft") {
      const v = args.next(ctx);
      if (preferredGiven) duparg(ctx, "preferred_lft", v);
      preferredGiven = lftGiven = true;
      preferredLft = setLifetime(v, "preferred_lft");
    } else if (IFA_FLAG_DATA.some(([name]) => name === a)) {
      const [name, mask, ro, v6only] = IFA_FLAG_DATA.find(([n]) => n === a) ?? ["", 0, true, true];
      if (ro) eprint(ctx, `Warning: ${name} option is not mutable from userspace\n`);
      else if (v6only && family !== AF_INET6)
        eprint(ctx, `Warning: ${name} option can be set only for IPv6 addresses\n`);
      else ifaFlags |= mask;
    } else {
      let v = a;
      if (a === "local") v = args.next(ctx);
      if (matches(v, "help")) return usageAddr(ctx);
      if (localLen) duparg2(ctx, "local", v);
      lclArg = v;
      lcl = getPrefix(ctx, v, family);
      if (family === AF_UNSPEC) family = lcl.family;
      localLen = lcl.bytelen;
    }
    args.shift();
  }

  if (dev === undefined) {
    eprint(ctx, 'Not enough information: "dev" argument is required.\n');
    return -1;
  }
  let address: Uint8Array | undefined = peerAddr;
  if (peerLen === 0 && localLen && lcl) {
    if (cmd === "RTM_DELADDR" && lcl.family === AF_INET && !lcl.prefixlenSpecified) {
      eprint(
        ctx,
        "Warning: Executing wildcard deletion to stay compatible with old scripts.\n" +
          `         Explicitly specify the prefix length (${lclArg}/${localLen * 8}) to avoid this warning.\n` +
          "         This special behaviour is likely to disappear in further releases,\n" +
          "         fix your scripts!\n",
      );
    } else {
      peer = lcl;
      address = prefixBytes(lcl);
    }
  }
  if (prefixlen === 0) prefixlen = lcl?.bitlen ?? 0;
  if (brdLen < 0 && cmd !== "RTM_DELADDR") {
    if (family !== AF_INET) {
      eprint(ctx, "Broadcast can be set only for IPv4 addresses\n");
      return -1;
    }
    if (peer && peer.bitlen <= 30) {
      const brd = prefixBytes(peer);
      let v = (((brd[0] ?? 0) << 24) | ((brd[1] ?? 0) << 16) | ((brd[2] ?? 0) << 8) | (brd[3] ?? 0)) >>> 0;
      for (let i = 31; i >= peer.bitlen; i--) {
        if (brdLen === -1) v = (v | (1 << (31 - i))) >>> 0;
        else v = (v & ~(1 << (31 - i))) >>> 0;
      }
      broadcast = Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
    }
  }
  if (!scoped && cmd !== "RTM_DELADDR" && lcl) scope = defaultScope(lcl);
  const ifindex = sys.devNameToIndex(ctx.task, dev);
  if (!ifindex) return nodev(ctx, dev);

  if (lftGiven) {
    if (!validLft) {
      eprint(ctx, "valid_lft is zero\n");
      return -1;
    }
    if (validLft < preferredLft) {
      eprint(ctx, "preferred_lft is greater than valid_lft\n");
      return -1;
    }
  }
  const req: RtAddrReq = {
    kind: cmd,
    nlFlags,
    family: family === AF_UNSPEC ? AF_INET : family,
    prefixlen,
    ifindex,
    scope,
    local: lcl ? prefixBytes(lcl) : new Uint8Array(0),
    ...(address ? { address } : {}),
    ...(broadcast ? { broadcast } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(ifaFlags ? { flags: ifaFlags } : {}),
    ...(lftGiven ? { cacheinfo: { valid: validLft, preferred: preferredLft } } : {}),
  };
  if (!talkEcho(ctx, (echo) => sys.rtnlAddr(ctx.task, withEcho(req, echo)))) return -2;
  return 0;
}

const ADDR_USAGE = `Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }
`;

function usageAddr(ctx: IpContext): never {
  eprint(ctx, ADDR_USAGE);
  throw new IpExit(-1);
}

/** do_ipaddr() */
export function doIpaddr(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return ipaddrListFlushOrSave(ctx, [], "list", false);
  if (matches(cmd, "add")) return ipaddrModify(ctx, "RTM_NEWADDR", { create: true, excl: true }, rest);
  if (matches(cmd, "change") || cmd === "chg")
    return ipaddrModify(ctx, "RTM_NEWADDR", { replace: true }, rest);
  if (matches(cmd, "replace")) return ipaddrModify(ctx, "RTM_NEWADDR", { create: true, replace: true }, rest);
  if (matches(cmd, "delete")) return ipaddrModify(ctx, "RTM_DELADDR", {}, rest);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst"))
    return ipaddrListFlushOrSave(ctx, rest, "list", false);
  if (matches(cmd, "flush")) return ipaddrListFlushOrSave(ctx, rest, "flush", false);
  if (matches(cmd, "help")) usageAddr(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip address help".\n`);
  throw new IpExit(-1);
}
