// IPv6 addresses as far as `ip addr` shows them (net/ipv6/addrconf.c): ::1 on lo, an EUI-64
// link-local address on Ethernet devices whose MTU can carry IPv6 (ipv6_add_dev wants 1280) once
// they are up with carrier, addresses added by hand, each tentative until duplicate address
// detection completes. What the kernel sends meanwhile is sent: the DAD neighbour solicitation
// after a random delay below rtr_solicit_delay (1 s), the address valid one retrans_time (1 s)
// later; MLDv2 reports for the groups joined (mld.ts); router solicitations once the link-local
// address is valid, again after rtr_solicit_interval (4 s) and then doubling (RFC 3315 14 backoff,
// each time randomised by ±10 %, up to rtr_solicit_max_interval, 1 h), without end
// (router_solicitations -1) as no router advertisement is ever heard. IPv6 routes and input are
// not emulated beyond that.

import { addrconfAddrSolictMult } from "../../wire/ipv6.js";
import { JIFFY_NS, type TimerEvent } from "../clock.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import { listInsert, listRemove } from "../lib/list.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  AF_INET6,
  ARPHRD_ETHER,
  IFA_F_NODAD,
  IFA_F_PERMANENT,
  IFA_F_TENTATIVE,
  IFF_LOOPBACK,
  IFF_NOARP,
  IFF_UP,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_SITE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTNH_F_LINKDOWN,
  RTPROT_KERNEL,
  type RtRoute,
} from "../uapi.js";
import type { Ip6Mib } from "./ip6_mib.js";
import { igmp6GroupAdded, ipv6McDadComplete, ipv6McDown } from "./mld.js";
import { ndiscSendNsDad, ndiscSendRs } from "./ndisc.js";

/** struct inet6_ifaddr */
export interface Inet6Ifaddr {
  readonly addr: Uint8Array;
  readonly prefixlen: number;
  /** The rtnetlink scope reported for it (RT_SCOPE_*). */
  readonly scope: number;
  flags: number;
  dadTimer: TimerEvent | undefined;
  /** dad_probes: neighbour solicitations still to send. */
  dadProbes: number;
  /** dad_nonce (enhanced_dad): six random bytes the solicitation carries. */
  dadNonce: Uint8Array | undefined;
}

/** struct inet6_dev, the part kept here. */
export interface Inet6Dev {
  /** addr_list: sorted by scope, wider first; newer before older within a scope. Replaced on change. */
  addrs: readonly Inet6Ifaddr[];
  /** IF_READY: the link-local address was configured since the link last became ready. */
  ready: boolean;
  /** idev->dead: the device went down; pending work does nothing. */
  dead: boolean;
  /** mc_ifc_work and mc_ifc_count: state-change reports still to send (mld.ts). */
  mcIfcTimer: TimerEvent | undefined;
  mcIfcCount: number;
  /** mc_dad_work and mc_dad_count: reports of the whole list after DAD (mld.ts). */
  mcDadTimer: TimerEvent | undefined;
  mcDadCount: number;
  /** mca_crcount of each group with changes to report, by the group's hex. */
  readonly mcCrcount: Map<string, number>;
  /** rs_timer, rs_probes and rs_interval (jiffies): router solicitation. */
  rsTimer: TimerEvent | undefined;
  rsProbes: number;
  rsInterval: number;
  /** When the link became ready (the fe80::/64 and ff00::/8 routes were added): dump order. */
  readyAt: number;
  /** idev->stats: the device's IPv6 and ICMPv6 counters (ip6_mib.ts), made on the first count. */
  stats: Ip6Mib | undefined;
}

/** The per-device IPv6 state, kept beside the device (dev->ip6_ptr). */
export type Inet6Table = WeakMap<NetDevice, Inet6Dev>;

/**
 * idev->cnf defaults, in jiffies (HZ=250), which netnest does not let a script change yet:
 * rtr_solicit_delay 1 s, dad_transmits 1, retrans_time 1 s (the neighbour table's), enhanced_dad
 * on, rtr_solicit_interval 4 s, rtr_solicit_max_interval 1 h, router_solicitations -1 (forwarding
 * is 0 and accept_ra 1, so a host solicits).
 */
const RTR_SOLICIT_DELAY = 250;
const DAD_TRANSMITS = 1;
const RETRANS_TIME = 250;
const RTR_SOLICIT_INTERVAL = 4 * 250;
const RTR_SOLICIT_MAX_INTERVAL = 3600 * 250;
/**
 * The kernel solicits without end (router_solicitations -1), at most an hour apart; so does
 * netnest, on a deferrable timer: one that never ends would otherwise keep the scheduler from ever
 * finding that nothing can happen any more (its Deadlock, on which a server with no clients goes
 * dormant and a script's left-over jobs are ended).
 */
const RTR_SOLICITS: number = -1;
/** IPV6_MIN_MTU: below it a device gets no inet6_dev. */
export const IPV6_MIN_MTU = 1280;
const LOOPBACK6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
const MULTICAST_PREFIX = Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

/** ipv6_add_dev (through ipv6_find_idev): none for a device whose MTU cannot carry IPv6. */
function idevOf(table: Inet6Table, dev: NetDevice): Inet6Dev | undefined {
  let idev = table.get(dev);
  if (!idev) {
    if (dev.mtu < IPV6_MIN_MTU) return undefined;
    idev = {
      addrs: [],
      ready: false,
      dead: false,
      mcIfcTimer: undefined,
      mcIfcCount: 0,
      mcDadTimer: undefined,
      mcDadCount: 0,
      mcCrcount: new Map(),
      rsTimer: undefined,
      rsProbes: 0,
      rsInterval: 0,
      readyAt: 0,
      stats: undefined,
    };
    table.set(dev, idev);
  }
  return idev;
}

/** ipv6_addr_src_scope: a larger number is a wider scope. */
function srcScope(addr: Uint8Array): number {
  if (addr.every((b, i) => b === (i === 15 ? 1 : 0))) return 0x1;
  if (addr[0] === 0xfe && ((addr[1] as number) & 0xc0) === 0x80) return 0x2;
  if (addr[0] === 0xfe && ((addr[1] as number) & 0xc0) === 0xc0) return 0x5;
  return 0xe;
}

function rtScope(addr: Uint8Array): number {
  switch (srcScope(addr)) {
    case 0x1:
      return RT_SCOPE_HOST;
    case 0x2:
      return RT_SCOPE_LINK;
    case 0x5:
      return RT_SCOPE_SITE;
    default:
      return RT_SCOPE_UNIVERSE;
  }
}

function sameAddr(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((x, i) => x === b[i]);
}

/** addrconf_ifid_eui48: fe80::/64 with the MAC's U/L bit flipped and ff:fe in the middle. */
export function linkLocalFromMac(mac: Uint8Array): Uint8Array {
  const addr = new Uint8Array(16);
  addr[0] = 0xfe;
  addr[1] = 0x80;
  addr[8] = (mac[0] as number) ^ 0x02;
  addr[9] = mac[1] as number;
  addr[10] = mac[2] as number;
  addr[11] = 0xff;
  addr[12] = 0xfe;
  addr[13] = mac[3] as number;
  addr[14] = mac[4] as number;
  addr[15] = mac[5] as number;
  return addr;
}

function addrconfLinkReady(dev: NetDevice): boolean {
  return (dev.flags & IFF_UP) !== 0 && dev.carrier;
}

/** ipv6_get_lladdr: a link-local address that is not tentative, if the device has one. */
export function ipv6GetLladdr(dev: NetDevice): Uint8Array | undefined {
  const idev = dev.net.host.inet6.get(dev);
  return idev?.addrs.find((a) => a.scope === RT_SCOPE_LINK && !(a.flags & IFA_F_TENTATIVE))?.addr;
}

/** rfc3315_s14_backoff_init: the initial interval times 0.9 to 1.1. */
function rfc3315S14BackoffInit(dev: NetDevice, irt: number): number {
  const r = 900000 + (dev.net.host.randomU32() % 200001);
  return Math.floor((r * irt) / 1000000);
}

/** rfc3315_s14_backoff_update: doubled, times 0.95 to 1.05; past the maximum, the maximum ±10 %. */
function rfc3315S14BackoffUpdate(dev: NetDevice, rt: number, mrt: number): number {
  const r = 1900000 + (dev.net.host.randomU32() % 200001);
  const tmp = Math.floor((r * rt) / 1000000);
  if (tmp <= mrt) return tmp;
  return Math.floor(((900000 + (dev.net.host.randomU32() % 200001)) * mrt) / 1000000);
}

/** addrconf_rs_timer: solicit again until a router answers, which none here does. */
function addrconfRsTimer(dev: NetDevice, idev: Inet6Dev): void {
  idev.rsTimer = undefined;
  if (idev.dead || !(dev.flags & IFF_UP)) return;
  if (idev.rsProbes++ < RTR_SOLICITS || RTR_SOLICITS < 0) {
    const lladdr = ipv6GetLladdr(dev);
    if (!lladdr) return;
    ndiscSendRs(dev, lladdr);
    idev.rsInterval = rfc3315S14BackoffUpdate(dev, idev.rsInterval, RTR_SOLICIT_MAX_INTERVAL);
    const next = idev.rsProbes === RTR_SOLICITS ? RTR_SOLICIT_DELAY : idev.rsInterval;
    idev.rsTimer = dev.net.host.clock.scheduleTimer(next * JIFFY_NS, () => addrconfRsTimer(dev, idev), true);
  }
}

/**
 * addrconf_dad_completed: the address is valid. A link-local address that is the device's only
 * valid one reports the multicast list from it (ipv6_mc_dad_complete) and starts router
 * solicitation: the first at once (DAD already waited the random delay), then the timer.
 */
function addrconfDadCompleted(dev: NetDevice, idev: Inet6Dev, ifa: Inet6Ifaddr): void {
  ifa.flags &= ~IFA_F_TENTATIVE;
  // ipv6_lonely_lladdr: no other valid link-local address came first.
  const lonely = !idev.addrs.some(
    (a) => a !== ifa && a.scope === RT_SCOPE_LINK && !(a.flags & IFA_F_TENTATIVE),
  );
  const sendMld = ifa.scope === RT_SCOPE_LINK && lonely;
  if (sendMld) ipv6McDadComplete(dev, idev);
  const sendRs = sendMld && RTR_SOLICITS !== 0 && !(dev.flags & IFF_LOOPBACK);
  if (!sendRs) return;
  const lladdr = ipv6GetLladdr(dev);
  if (!lladdr) return;
  ndiscSendRs(dev, lladdr);
  idev.rsInterval = rfc3315S14BackoffInit(dev, RTR_SOLICIT_INTERVAL);
  idev.rsProbes = 1;
  if (idev.rsTimer) dev.net.host.clock.cancel(idev.rsTimer);
  idev.rsTimer = dev.net.host.clock.scheduleTimer(
    idev.rsInterval * JIFFY_NS,
    () => addrconfRsTimer(dev, idev),
    true,
  );
}

/** addrconf_dad_work: one solicitation per retrans_time until the probes are spent, then valid. */
function addrconfDadWork(dev: NetDevice, idev: Inet6Dev, ifa: Inet6Ifaddr): void {
  ifa.dadTimer = undefined;
  if (idev.dead || !idev.addrs.includes(ifa)) return;
  if (ifa.dadProbes === 0) {
    addrconfDadCompleted(dev, idev, ifa);
    return;
  }
  ifa.dadProbes--;
  // max(NEIGH_VAR(retrans_time), HZ/100)
  ifa.dadTimer = dev.net.host.clock.scheduleTimer(Math.max(RETRANS_TIME, 2) * JIFFY_NS, () =>
    addrconfDadWork(dev, idev, ifa),
  );
  ndiscSendNsDad(dev, ifa.addr, ifa.dadNonce);
}

/**
 * addrconf_dad_start -> addrconf_dad_begin: the address's solicited-node group is joined (and,
 * when new, reported), then a loopback or NOARP device or IFA_F_NODAD skips the probing;
 * otherwise addrconf_dad_kick waits a random part of rtr_solicit_delay before the first probe.
 */
function addrconfDadStart(dev: NetDevice, idev: Inet6Dev, ifa: Inet6Ifaddr): void {
  if (!(ifa.flags & IFA_F_TENTATIVE) || ifa.dadTimer) return;
  const host = dev.net.host;
  // addrconf_join_solict: a group other addresses already hold gains a user, not a report.
  if (!(dev.flags & (IFF_LOOPBACK | IFF_NOARP))) {
    const shared = idev.addrs.some(
      (a) =>
        a !== ifa &&
        a.addr[13] === ifa.addr[13] &&
        a.addr[14] === ifa.addr[14] &&
        a.addr[15] === ifa.addr[15],
    );
    if (!shared) igmp6GroupAdded(dev, idev, addrconfAddrSolictMult(ifa.addr));
  }
  if (dev.flags & (IFF_NOARP | IFF_LOOPBACK) || ifa.flags & IFA_F_NODAD) {
    addrconfDadCompleted(dev, idev, ifa);
    return;
  }
  // addrconf_dad_kick
  const rand = host.randomU32() % RTR_SOLICIT_DELAY;
  let nonce: Uint8Array;
  do nonce = host.randomBytes(6);
  while (nonce.every((b) => b === 0));
  ifa.dadNonce = nonce;
  ifa.dadProbes = DAD_TRANSMITS;
  ifa.dadTimer = host.clock.scheduleTimer(rand * JIFFY_NS, () => addrconfDadWork(dev, idev, ifa));
}

/** ipv6_add_addr + ipv6_link_dev_addr: insert before the first address of no wider scope. */
function ipv6AddAddr(
  dev: NetDevice,
  idev: Inet6Dev,
  addr: Uint8Array,
  prefixlen: number,
  flags: number,
): Inet6Ifaddr {
  if (idev.addrs.some((a) => sameAddr(a.addr, addr)))
    throw new KernelError("EEXIST", "ipv6: address already assigned");
  // Loopback devices and IFA_F_NODAD skip duplicate address detection.
  const dad = !(dev.flags & IFF_LOOPBACK) && !(flags & IFA_F_NODAD);
  const ifa: Inet6Ifaddr = {
    // ::1 is the constant itself, in every namespace: nothing writes an address in place.
    addr: addr === LOOPBACK6 ? LOOPBACK6 : addr.slice(),
    prefixlen,
    scope: rtScope(addr),
    flags: flags | (dad ? IFA_F_TENTATIVE : 0),
    dadTimer: undefined,
    dadProbes: 0,
    dadNonce: undefined,
  };
  const scope = srcScope(addr);
  let at = idev.addrs.findIndex((a) => scope >= srcScope(a.addr));
  if (at < 0) at = idev.addrs.length;
  idev.addrs = listInsert(idev.addrs, at, ifa);
  if (addrconfLinkReady(dev)) addrconfDadStart(dev, idev, ifa);
  return ifa;
}

/** inet6_rtm_newaddr for a manually configured address. */
export function inet6AddrAdd(
  table: Inet6Table,
  dev: NetDevice,
  addr: Uint8Array,
  prefixlen: number,
  flags: number,
): void {
  if (prefixlen > 128) throw new KernelError("EINVAL");
  // ipv6_find_idev: ENOBUFS for a device that cannot have one; on a device that is up the
  // groups are announced again (ipv6_mc_up).
  const idev = idevOf(table, dev);
  if (!idev) throw new KernelError("ENOBUFS");
  if (dev.flags & IFF_UP) igmp6GroupAdded(dev, idev);
  ipv6AddAddr(dev, idev, addr, prefixlen, IFA_F_PERMANENT | (flags & IFA_F_NODAD));
}

/** inet6_addr_del */
export function inet6AddrDel(table: Inet6Table, dev: NetDevice, addr: Uint8Array, prefixlen: number): void {
  const idev = table.get(dev);
  const at = idev?.addrs.findIndex((a) => sameAddr(a.addr, addr) && a.prefixlen === prefixlen) ?? -1;
  if (!idev || at < 0) throw new KernelError("EADDRNOTAVAIL", "ipv6: address not found");
  const ifa = idev.addrs[at] as Inet6Ifaddr;
  idev.addrs = listRemove(idev.addrs, (_, i) => i === at);
  if (ifa.dadTimer) dev.net.host.clock.cancel(ifa.dadTimer);
}

/** addrconf_ifdown + ipv6_mc_down: the addresses go, and every timer of the device stops. */
function addrconfIfdown(table: Inet6Table, dev: NetDevice): void {
  const idev = table.get(dev);
  if (!idev) return;
  const clock = dev.net.host.clock;
  for (const ifa of idev.addrs) if (ifa.dadTimer) clock.cancel(ifa.dadTimer);
  ipv6McDown(dev, idev);
  if (idev.rsTimer) clock.cancel(idev.rsTimer);
  idev.rsTimer = undefined;
  idev.dead = true;
  table.delete(dev);
}

/** addrconf_notify */
export function addrconfNotify(table: Inet6Table, event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case "NETDEV_UP":
    case "NETDEV_CHANGE": {
      const idev = idevOf(table, dev);
      if (!idev) return;
      if (dev.flags & IFF_LOOPBACK) {
        // init_loopback
        if (event === "NETDEV_UP" && !idev.addrs.some((a) => sameAddr(a.addr, LOOPBACK6))) {
          ipv6AddAddr(dev, idev, LOOPBACK6, 128, IFA_F_PERMANENT);
        }
        return;
      }
      if (!addrconfLinkReady(dev)) return;
      if (idev.ready) {
        // The link came back: "resend MLD reports, we might have roamed" (ipv6_mc_up).
        if (event === "NETDEV_CHANGE") igmp6GroupAdded(dev, idev);
        return;
      }
      idev.ready = true;
      idev.readyAt = dev.net.host.clock.now;
      // addrconf_dad_run: addresses that waited for the link start their DAD now.
      for (const ifa of idev.addrs) addrconfDadStart(dev, idev, ifa);
      if (dev.type !== ARPHRD_ETHER) return;
      // addrconf_dev_config: addrconf_add_dev (ipv6_find_idev's ipv6_mc_up), then the link-local address.
      igmp6GroupAdded(dev, idev);
      const ll = linkLocalFromMac(dev.address);
      if (!idev.addrs.some((a) => sameAddr(a.addr, ll))) ipv6AddAddr(dev, idev, ll, 64, IFA_F_PERMANENT);
      return;
    }
    case "NETDEV_DOWN":
    case "NETDEV_UNREGISTER": {
      // addrconf_ifdown: keep_addr_on_down is 0, so every address goes.
      addrconfIfdown(table, dev);
      return;
    }
    case "NETDEV_CHANGEMTU":
      // Below IPV6_MIN_MTU IPv6 stops on the device.
      if (dev.mtu < IPV6_MIN_MTU) addrconfIfdown(table, dev);
      return;
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEADDR":
      return;
  }
}

/**
 * The IPv6 routes addrconf keeps, as an RTM_GETROUTE dump lists them (main table, then local;
 * each in prefix order, routes of one prefix in the order they were added): each address's
 * prefix route (fe80::/64 with the link-local address, proto kernel, metric 256), a local route
 * per valid address (metric 0; ::1 on lo), and ff00::/8 on every device but lo (addrconf_add_mroute).
 * A device without carrier marks its routes linkdown.
 */
export function inet6RouteDump(net: Net): RtRoute[] {
  const table = net.host.inet6;
  const main: { readonly r: RtRoute; readonly at: number; readonly ifindex: number }[] = [];
  const local: typeof main = [];
  for (const dev of net.devByIndex.values()) {
    const idev = table.get(dev);
    if (!idev) continue;
    const flags = dev.carrier ? 0 : RTNH_F_LINKDOWN;
    const route = (t: number, type: number, dst: Uint8Array, dstLen: number, priority: number): RtRoute => ({
      family: AF_INET6,
      dstLen,
      srcLen: 0,
      tos: 0,
      table: t,
      protocol: RTPROT_KERNEL,
      scope: RT_SCOPE_UNIVERSE,
      type,
      flags,
      dst,
      oif: dev.ifindex,
      priority,
    });
    const at = idev.readyAt;
    for (const ifa of idev.addrs) {
      if (!(ifa.flags & IFA_F_TENTATIVE))
        local.push({ r: route(RT_TABLE_LOCAL, RTN_LOCAL, ifa.addr, 128, 0), at, ifindex: dev.ifindex });
      if (dev.flags & IFF_LOOPBACK || ifa.prefixlen === 128) continue;
      const prefix = ifa.addr.map((b, i) =>
        i * 8 >= ifa.prefixlen
          ? 0
          : i * 8 + 8 <= ifa.prefixlen
            ? b
            : b & (0xff << (8 - (ifa.prefixlen - i * 8))),
      );
      if (
        !main.some(
          (m) =>
            m.ifindex === dev.ifindex &&
            m.r.dstLen === ifa.prefixlen &&
            sameAddr(m.r.dst as Uint8Array, prefix),
        )
      )
        main.push({
          r: route(RT_TABLE_MAIN, RTN_UNICAST, prefix, ifa.prefixlen, 256),
          at,
          ifindex: dev.ifindex,
        });
    }
    if (idev.ready && !(dev.flags & IFF_LOOPBACK))
      local.push({
        r: route(RT_TABLE_LOCAL, RTN_MULTICAST, MULTICAST_PREFIX, 8, 256),
        at,
        ifindex: dev.ifindex,
      });
  }
  const order = (a: (typeof main)[number], b: (typeof main)[number]): number => {
    const da = a.r.dst as Uint8Array;
    const db = b.r.dst as Uint8Array;
    for (let i = 0; i < 16; i++) if (da[i] !== db[i]) return (da[i] as number) - (db[i] as number);
    return a.r.dstLen - b.r.dstLen || a.at - b.at || a.ifindex - b.ifindex;
  };
  return [...main.sort(order), ...local.sort(order)].map((m) => m.r);
}

export function inet6Addresses(table: Inet6Table, dev: NetDevice): readonly Inet6Ifaddr[] {
  return table.get(dev)?.addrs ?? [];
}
