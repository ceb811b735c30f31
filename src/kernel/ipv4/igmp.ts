// IPv4 multicast group membership (net/ipv4/igmp.c): each in_device keeps the groups the host
// listens to on it (in_dev->mc_list), counted by users. A device that is up is in all-hosts
// (224.0.0.1); sockets join more with ip_mc_join_group (a vxlan device's socket joins its group).
// Input routing asks ip_check_mc_rcu whether a multicast datagram is for this host; the hardware
// address of each group (ip_eth_mc_map) is what the device's multicast list shows.
//
// Joining and leaving are announced as IGMPv3 state-change reports (RFC 3376 5.1): robustness
// (2) reports, the first two jiffies after the change, the next a random part of the unsolicited
// report interval (1 s) later, each from the interface's change timer (mr_ifc_timer). Every group
// here is in EXCLUDE mode with no sources (no source filters are modelled), so a join is a
// CHANGE_TO_EXCLUDE record and a leave, kept as a "tomb" until reported, a CHANGE_TO_INCLUDE one.
// No IGMP querier is modelled: hosts stay in IGMPv3 mode.

import { internetChecksum } from "../../wire/checksum.js";
import { emitIpv4, IP_DF } from "../../wire/ipv4.js";
import { JIFFY_NS, type TimerEvent } from "../clock.js";
import type { NetDevice } from "../core/dev.js";
import { allocSkb } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import type { InDevice } from "./devinet.js";
import { ipLocalOut } from "./ip_output.js";
import { ipRouteOutputKey } from "./route.js";

export const IPPROTO_IGMP = 2;
/** IGMP_ALL_HOSTS: 224.0.0.1 */
export const IGMP_ALL_HOSTS = 0xe0000001;
/** INADDR_ALLSNOOPERS_GROUP: 224.0.0.106, multicast router discovery (RFC 4286). */
export const INADDR_ALLSNOOPERS_GROUP = 0xe000006a;

/** IGMPV3_ALL_MCR: 224.0.0.22, where IGMPv3 reports go. */
const IGMPV3_ALL_MCR = 0xe0000016;
const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;
const IGMPV3_CHANGE_TO_INCLUDE = 3;
const IGMPV3_CHANGE_TO_EXCLUDE = 4;
/** IPOPT_RA: the router alert option every IGMP message carries. */
const IPOPT_RA = 148;
/** sysctl_igmp_qrv: the querier's robustness variable (IGMP_QUERY_ROBUSTNESS_VARIABLE). */
const IGMP_QRV = 2;
/** igmpv3_unsolicited_report_interval: 1000 ms, in jiffies. */
const IGMPV3_UNSOLICITED_REPORT_INTERVAL = 250;
const IPV4_MIN_MTU = 68;

/** struct ip_mc_list: one group on one device. */
export interface IpMcList {
  readonly multiaddr: number;
  /** How many joins hold it (the stack's own and each socket's). */
  users: number;
  /** crcount: state-change reports still to send for it. */
  crcount: number;
  /** loaded: its address is in the device's multicast list (ip_mc_filter_add). */
  loaded: boolean;
}

/** The in_device's IGMPv3 reporting state. */
export interface IgmpInDev {
  /** mr_ifc_count: change reports still to send. */
  ifcCount: number;
  /** mr_ifc_timer */
  ifcTimer: TimerEvent | undefined;
  /** mc_tomb: groups left whose leave has reports to go, newest first. */
  readonly tomb: { readonly multiaddr: number; crcount: number }[];
}

function igmpOf(inDev: InDevice): IgmpInDev {
  if (!inDev.igmp) inDev.igmp = { ifcCount: 0, ifcTimer: undefined, tomb: [] };
  return inDev.igmp;
}

/** add_grec's filter: all-hosts is never reported (link-local groups are: igmp_llm_reports is 1). */
function igmpReported(addr: number): boolean {
  return addr !== IGMP_ALL_HOSTS;
}

/** igmp_ifc_start_timer: a random part of `delay` jiffies, plus two. */
function igmpIfcStartTimer(inDev: InDevice, delay: number): void {
  const st = igmpOf(inDev);
  const host = inDev.dev.net.host;
  const tv = delay > 1 ? host.randomU32() % delay : 0;
  if (st.ifcTimer) host.clock.cancel(st.ifcTimer);
  st.ifcTimer = host.clock.scheduleTimer((tv + 2) * JIFFY_NS, () => igmpIfcTimerExpire(inDev));
}

/** igmp_ifc_timer_expire */
function igmpIfcTimerExpire(inDev: InDevice): void {
  const st = igmpOf(inDev);
  st.ifcTimer = undefined;
  igmpv3SendCr(inDev);
  if (st.ifcCount) {
    st.ifcCount--;
    igmpIfcStartTimer(inDev, IGMPV3_UNSOLICITED_REPORT_INTERVAL);
  }
}

/** igmp_ifc_event: a change to report, robustness times. */
function igmpIfcEvent(inDev: InDevice): void {
  igmpOf(inDev).ifcCount = IGMP_QRV;
  igmpIfcStartTimer(inDev, 1);
}

/** igmp_group_added (IGMPv3): a join, to be reported as a change to EXCLUDE. */
function igmpGroupAdded(inDev: InDevice, im: IpMcList): void {
  // ip_mc_filter_add: the group's address goes into the device's multicast list.
  im.loaded = true;
  if (!igmpReported(im.multiaddr) || inDev.dead) return;
  im.crcount = IGMP_QRV;
  igmpIfcEvent(inDev);
}

/** igmp_group_dropped (IGMPv3): the group goes to the tomb, its leave to be reported. */
function igmpGroupDropped(inDev: InDevice, im: IpMcList): void {
  // ip_mc_filter_del: out of the device's list (ip_mc_down unloads every group, left or not).
  im.loaded = false;
  if (!igmpReported(im.multiaddr) || inDev.dead) return;
  // igmpv3_add_delrec
  igmpOf(inDev).tomb.unshift({ multiaddr: im.multiaddr, crcount: IGMP_QRV });
  igmpIfcEvent(inDev);
}

/** igmpv3_del_delrec: a group joined again leaves the tomb, its change counted afresh. */
function igmpv3DelDelrec(inDev: InDevice, im: IpMcList): void {
  // A device that has never reported has no tomb (and no state: it is made on first use).
  const tomb = inDev.igmp?.tomb;
  if (!tomb) return;
  const at = tomb.findIndex((t) => t.multiaddr === im.multiaddr);
  if (at < 0) return;
  tomb.splice(at, 1);
  im.crcount = IGMP_QRV;
}

/**
 * igmpv3_send_cr: a record for each left group with reports to go (CHANGE_TO_INCLUDE), then each
 * joined one (CHANGE_TO_EXCLUDE), as many to a report as the device's MTU holds.
 */
function igmpv3SendCr(inDev: InDevice): void {
  const st = igmpOf(inDev);
  const records: { type: number; multiaddr: number }[] = [];
  for (let i = 0; i < st.tomb.length; i++) {
    const t = st.tomb[i] as { multiaddr: number; crcount: number };
    if (t.crcount) {
      records.push({ type: IGMPV3_CHANGE_TO_INCLUDE, multiaddr: t.multiaddr });
      t.crcount--;
    }
    if (t.crcount === 0) st.tomb.splice(i--, 1);
  }
  for (const im of inDev.mcList ?? []) {
    if (!im.crcount) continue;
    if (igmpReported(im.multiaddr)) records.push({ type: IGMPV3_CHANGE_TO_EXCLUDE, multiaddr: im.multiaddr });
    im.crcount--;
  }
  const dev = inDev.dev;
  if (records.length === 0 || dev.mtu < IPV4_MIN_MTU) return;
  // igmpv3_newpack sizes the report to the MTU: the IP header and router alert (24), the report
  // header (8), then 8 bytes a record.
  const perPacket = Math.max(1, Math.floor((dev.mtu - 32) / 8));
  for (let at = 0; at < records.length; at += perPacket)
    igmpv3Sendpack(dev, records.slice(at, at + perPacket));
}

/** igmpv3_newpack + add_grhead + igmpv3_sendpack: one report, out through ip_local_out. */
function igmpv3Sendpack(dev: NetDevice, records: readonly { type: number; multiaddr: number }[]): void {
  const net = dev.net;
  const rt = ipRouteOutputKey(net, { daddr: IGMPV3_ALL_MCR, oif: dev.ifindex });
  if (rt instanceof KernelError) return;
  // igmpv3_get_srcaddr: the route's source if it is one of the device's own addresses, else 0.
  const saddr = dev.inDev?.ifaList.some((ifa) => ifa.local === rt.src) ? rt.src : 0;
  const igmpLen = 8 + 8 * records.length;
  const total = 24 + igmpLen;
  const skb = allocSkb(total, net.host.packetSlab);
  const d = skb.data;
  const ip = skb.networkHeader;
  // ip_select_ident: DF set, no socket: the id is 0.
  emitIpv4(d, ip, {
    tos: 0xc0,
    totalLength: total,
    id: 0,
    fragOff: IP_DF,
    ttl: 1,
    protocol: IPPROTO_IGMP,
    saddr,
    daddr: IGMPV3_ALL_MCR,
  });
  d[ip] = 0x46;
  d.set([IPOPT_RA, 4, 0, 0], ip + 20);
  d[ip + 10] = 0;
  d[ip + 11] = 0;
  const hsum = internetChecksum(d, ip, ip + 24);
  d[ip + 10] = hsum >>> 8;
  d[ip + 11] = hsum & 255;
  const ig = ip + 24;
  skb.transportHeader = ig;
  d[ig] = IGMPV3_HOST_MEMBERSHIP_REPORT;
  d[ig + 6] = records.length >>> 8;
  d[ig + 7] = records.length & 255;
  records.forEach((r, i) => {
    const g = ig + 8 + 8 * i;
    d[g] = r.type;
    d[g + 4] = r.multiaddr >>> 24;
    d[g + 5] = (r.multiaddr >>> 16) & 255;
    d[g + 6] = (r.multiaddr >>> 8) & 255;
    d[g + 7] = r.multiaddr & 255;
  });
  const sum = internetChecksum(d, ig, ig + igmpLen);
  d[ig + 2] = sum >>> 8;
  d[ig + 3] = sum & 255;
  ipLocalOut(net, skb, rt);
}

/** struct ip_mc_socklist: a socket's membership (inet->mc_list). */
export interface IpMcSocklist {
  readonly multiaddr: number;
  readonly ifindex: number;
}

export function ipv4IsMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** ipv4_is_local_multicast: 224.0.0.0/24. */
export function ipv4IsLocalMulticast(addr: number): boolean {
  return addr >>> 8 === 0xe00000;
}

/** ip_eth_mc_map: 01:00:5e and the group's low 23 bits. */
export function ipEthMcMap(addr: number): Uint8Array {
  return Uint8Array.of(0x01, 0x00, 0x5e, (addr >>> 16) & 0x7f, (addr >>> 8) & 0xff, addr & 0xff);
}

function mcList(inDev: InDevice): IpMcList[] {
  if (!inDev.mcList) inDev.mcList = [];
  return inDev.mcList;
}

/** ip_mc_inc_group: one more user of the group; a new group goes to the head of the list. */
export function ipMcIncGroup(inDev: InDevice, addr: number): void {
  const list = mcList(inDev);
  const found = list.find((m) => m.multiaddr === addr);
  if (found) {
    found.users++;
    return;
  }
  const im: IpMcList = { multiaddr: addr, users: 1, crcount: 0, loaded: false };
  // A first group gets a list of its own size (unshift onto [] reserves 16 slots: 128 B per device).
  if (list.length === 0) inDev.mcList = [im];
  else list.unshift(im);
  igmpv3DelDelrec(inDev, im);
  igmpGroupAdded(inDev, im);
}

/** ip_mc_dec_group: the last user gone, the group goes (ip_mc_filter_del with it). */
export function ipMcDecGroup(inDev: InDevice, addr: number): void {
  const list = mcList(inDev);
  const at = list.findIndex((m) => m.multiaddr === addr);
  if (at < 0) return;
  const im = list[at] as IpMcList;
  if (--im.users > 0) return;
  list.splice(at, 1);
  igmpGroupDropped(inDev, im);
}

/** ip_mc_up: a device coming up listens to all-hosts, and announces its groups again. */
export function ipMcUp(inDev: InDevice): void {
  ipMcIncGroup(inDev, IGMP_ALL_HOSTS);
  for (const im of mcList(inDev)) {
    igmpv3DelDelrec(inDev, im);
    igmpGroupAdded(inDev, im);
  }
}

/** ip_mc_down: the groups are dropped (their reports stopped with the timer), all-hosts left. */
export function ipMcDown(inDev: InDevice): void {
  for (const im of mcList(inDev)) igmpGroupDropped(inDev, im);
  const st = igmpOf(inDev);
  st.ifcCount = 0;
  if (st.ifcTimer) inDev.dev.net.host.clock.cancel(st.ifcTimer);
  st.ifcTimer = undefined;
  ipMcDecGroup(inDev, IGMP_ALL_HOSTS);
}

/** ip_mc_destroy_dev: the in_device goes: timers stop, the tomb and the list are emptied. */
export function ipMcDestroyDev(inDev: InDevice): void {
  ipMcDown(inDev);
  if (inDev.igmp) inDev.igmp.tomb.length = 0;
  mcList(inDev).length = 0;
}

/**
 * ip_check_mc_rcu: is the host in `mcAddr` on this device? (With no source filters set, which
 * are not modelled, a member takes every source and protocol.)
 */
export function ipCheckMcRcu(inDev: InDevice, mcAddr: number): boolean {
  return inDev.mcList?.some((m) => m.multiaddr === mcAddr) ?? false;
}

/** ip_mc_filter_add'ed: whether the group's address is in the device's multicast list now. */
export function ipMcLoaded(dev: NetDevice, addr: number): boolean {
  return dev.inDev?.mcList?.some((m) => m.multiaddr === addr && m.loaded) ?? false;
}

/** The hardware addresses the device's loaded groups add to dev->mc, oldest first, all-hosts aside. */
export function ipMcDevMacs(dev: NetDevice): Uint8Array[] {
  const list = dev.inDev?.mcList ?? [];
  const out: Uint8Array[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const im = list[i] as IpMcList;
    if (im.loaded && im.multiaddr !== IGMP_ALL_HOSTS) out.push(ipEthMcMap(im.multiaddr));
  }
  return out;
}

/** ip_mc_find_dev: the device a membership names, by index. */
function ipMcFindDev(net: Net, ifindex: number): InDevice | undefined {
  return net.devByIndex.get(ifindex)?.inDev;
}

/**
 * ip_mc_join_group: the socket joins `multiaddr` on the device `ifindex`. EINVAL for a
 * non-multicast address, ENODEV without the device, EADDRINUSE when already a member there.
 */
export function ipMcJoinGroup(net: Net, socklist: IpMcSocklist[], mreq: IpMcSocklist): void {
  if (!ipv4IsMulticast(mreq.multiaddr)) throw new KernelError("EINVAL");
  const inDev = ipMcFindDev(net, mreq.ifindex);
  if (!inDev) throw new KernelError("ENODEV");
  if (socklist.some((m) => m.multiaddr === mreq.multiaddr && m.ifindex === mreq.ifindex))
    throw new KernelError("EADDRINUSE");
  socklist.unshift({ multiaddr: mreq.multiaddr, ifindex: mreq.ifindex });
  ipMcIncGroup(inDev, mreq.multiaddr);
}

/** ip_mc_leave_group: EADDRNOTAVAIL when the socket is not a member. */
export function ipMcLeaveGroup(net: Net, socklist: IpMcSocklist[], mreq: IpMcSocklist): void {
  const at = socklist.findIndex((m) => m.multiaddr === mreq.multiaddr && m.ifindex === mreq.ifindex);
  if (at < 0) throw new KernelError("EADDRNOTAVAIL");
  socklist.splice(at, 1);
  const inDev = ipMcFindDev(net, mreq.ifindex);
  if (inDev) ipMcDecGroup(inDev, mreq.multiaddr);
}

/** ip_mc_drop_socket: a closing socket leaves every group it joined. */
export function ipMcDropSocket(net: Net, socklist: IpMcSocklist[]): void {
  for (const m of socklist.splice(0)) {
    const inDev = ipMcFindDev(net, m.ifindex);
    if (inDev) ipMcDecGroup(inDev, m.multiaddr);
  }
}

/**
 * igmp_mc_seq_show (/proc/net/igmp): each device with groups, then its groups newest first (the
 * address printed as the kernel's %08X of a big-endian word read on a little-endian machine).
 * No querier has been heard here, so every device reports V3; no group timer runs in v3 mode.
 */
export function igmpMcSeqShow(net: Net): string {
  let out = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n";
  // for_each_netdev: registration order, as devByIndex holds them.
  for (const dev of net.devByIndex.values()) {
    const list = dev.inDev?.mcList;
    if (!list || list.length === 0) continue;
    out += `${dev.ifindex}\t${dev.name.padEnd(10)}: ${String(list.length).padStart(5)} ${"V3".padStart(7)}\n`;
    for (const im of list) {
      const a = im.multiaddr;
      const le =
        (((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24)) >>> 0;
      const hex = le.toString(16).toUpperCase().padStart(8, "0");
      out += `\t\t\t\t${hex} ${String(im.users).padStart(5)} 0:00000000\t\t0\n`;
    }
  }
  return out;
}
