// IPv4 per-device state and addresses (net/ipv4/devinet.c) and the routes the kernel derives from
// them (fib_add_ifaddr / fib_del_ifaddr and the device events of net/ipv4/fib_frontend.c).

import { prefixMask } from "../../wire/addr.js";
import { JIFFY_NS } from "../clock.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import { type NeighParms, neighIfdown, neighParmsAlloc, neighParmsRelease } from "../core/neighbour.js";
import { rtnlNotify } from "../core/rtnetlink.js";
import { listInsert, listRemove } from "../lib/list.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  IFA_F_DEPRECATED,
  IFA_F_NOPREFIXROUTE,
  IFA_F_PERMANENT,
  IFA_F_SECONDARY,
  IFF_LOOPBACK,
  IFF_UP,
  INFINITY_LIFE_TIME,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTNH_F_DEAD,
  RTPROT_KERNEL,
} from "../uapi.js";
import {
  type FibAlias,
  fibGetTable,
  fibNewTable,
  fibNhFlags,
  fibTableDelete,
  fibTableFlush,
  fibTableInsert,
  fibTableLookup,
} from "./fib_table.js";
import { type IgmpInDev, type IpMcList, ipMcDestroyDev, ipMcDown, ipMcUp } from "./igmp.js";
import { type Ipv4Devconf, ipv4DevconfCopy, ipv4DevconfLoopback, ipv4DevconfSetall } from "./netns_ipv4.js";
import { rtCacheFlush } from "./route.js";

/** struct in_ifaddr */
export interface InIfaddr {
  readonly local: number;
  /** ifa_address: the peer for point-to-point, else equal to local. */
  readonly address: number;
  readonly prefixlen: number;
  readonly mask: number;
  /** ifa_broadcast, 0 when unset. */
  readonly broadcast: number;
  readonly scope: number;
  flags: number;
  readonly label: string;
  /** ifa_valid_lft / ifa_preferred_lft in seconds (INFINITY_LIFE_TIME = forever). */
  validLft: number;
  preferredLft: number;
  /** ifa_tstamp: jiffies when the lifetimes were last set. */
  tstamp: number;
}

/** struct in_device */
export interface InDevice {
  readonly dev: NetDevice;
  /** ifa_list: primaries first in insertion order, secondaries after; replaced on each change. */
  ifaList: readonly InIfaddr[];
  /** The device's conf, shared with the defaults until written: write through ipv4DevconfWritable. */
  cnf: Readonly<Ipv4Devconf>;
  /** in_dev->dead: inetdev_destroy is taking every address away. */
  dead?: boolean;
  /** in_dev->mc_list: the multicast groups joined on the device, newest first (igmp.ts). */
  mcList?: IpMcList[];
  /** The IGMPv3 change-report state: mr_ifc_count, mr_ifc_timer, mc_tomb. */
  igmp?: IgmpInDev;
  /** in_dev->arp_parms: the device's copy of arp_tbl's parameters (neigh_parms_alloc). */
  readonly arpParms: NeighParms;
}

/** A subscriber of inetaddr_chain: told of each address as it goes (NETDEV_DOWN). */
export type InetaddrNotifier = (event: "NETDEV_DOWN", ifa: InIfaddr, inDev: InDevice) => void;

/** blocking_notifier_call_chain(&inetaddr_chain, …), after the FIB's own reaction (fib_inetaddr_event). */
function callInetaddrNotifiers(inDev: InDevice, ifa: InIfaddr): void {
  for (const notifier of inDev.dev.net.host.inetaddrChain) notifier("NETDEV_DOWN", ifa, inDev);
}

/** inetdev_init: copies net.ipv4.conf.default into the device's config. */
export function inetdevInit(dev: NetDevice): InDevice {
  const inDev: InDevice = {
    dev,
    ifaList: [],
    cnf: ipv4DevconfCopy(dev.net.ipv4.devconfDflt),
    arpParms: neighParmsAlloc(dev.net.host.arpTbl, dev),
    // In the object from the start: added later they would cost a properties array (40 B).
    mcList: undefined,
    igmp: undefined,
  };
  if (dev.flags & IFF_LOOPBACK) inDev.cnf = ipv4DevconfLoopback(inDev.cnf);
  dev.inDev = inDev;
  // inet_netconf_notify_devconf(RTM_NEWNETCONF, NETCONFA_ALL)
  rtnlNotify(dev.net, { kind: "netconf", deleted: false, dev });
  return inDev;
}

function sameSubnet(a: InIfaddr, local: number, mask: number): boolean {
  return a.mask === mask && ((a.local ^ local) & mask) === 0;
}

/** inet_insert_ifa: refuses duplicates; an address in a primary's subnet becomes its secondary. */
export function inetInsertIfa(inDev: InDevice, ifa: InIfaddr): void {
  if (ifa.local === 0) return;
  let lastPrimary = -1;
  for (let i = 0; i < inDev.ifaList.length; i++) {
    const other = inDev.ifaList[i] as InIfaddr;
    if (!(other.flags & IFA_F_SECONDARY) && ifa.scope <= other.scope) lastPrimary = i;
    if (other.mask === ifa.mask && sameSubnet(other, ifa.local, ifa.mask)) {
      if (other.local === ifa.local) throw new KernelError("EEXIST", "ipv4: Address already assigned");
      if (other.scope !== ifa.scope) throw new KernelError("EINVAL", "ipv4: Invalid scope value");
      ifa.flags |= IFA_F_SECONDARY;
    }
  }
  const at = ifa.flags & IFA_F_SECONDARY ? inDev.ifaList.length : lastPrimary + 1;
  inDev.ifaList = listInsert(inDev.ifaList, at, ifa);
  rtnlNotify(inDev.dev.net, { kind: "addr", deleted: false, dev: inDev.dev, ifa });
  // fib_inetaddr_event(NETDEV_UP)
  fibAddIfaddr(inDev.dev, ifa);
  rtCacheFlush(inDev.dev.net);
}

/**
 * inet_del_ifa: removing a primary removes its secondaries too, unless promote_secondaries (all or
 * the device's) makes the first of them the new primary; the subnet's routes move to it.
 */
export function inetDelIfa(inDev: InDevice, ifa: InIfaddr): void {
  const net = inDev.dev.net;
  // fib_inetaddr_event(NETDEV_DOWN): whatever goes below, cached routes are stale.
  rtCacheFlush(net);
  const doPromote = net.ipv4.devconfAll.promote_secondaries || inDev.cnf.promote_secondaries;
  const list = inDev.ifaList;
  const subnetSec = (o: InIfaddr) =>
    o !== ifa &&
    o.flags & IFA_F_SECONDARY &&
    o.mask === ifa.mask &&
    ((o.address ^ ifa.address) & ifa.mask) === 0;
  const promote = !(ifa.flags & IFA_F_SECONDARY) && doPromote ? list.find(subnetSec) : undefined;
  if (!promote) {
    const removed: InIfaddr[] = [ifa];
    if (!(ifa.flags & IFA_F_SECONDARY)) for (const other of list) if (subnetSec(other)) removed.push(other);
    const prims = new Map(removed.map((gone) => [gone, primaryFor(inDev.dev, gone)]));
    // The secondaries go first, one at a time in list order, while the primary is still there;
    // each withdraws only the routes no remaining address needs.
    for (const gone of [...removed.slice(1), ifa]) {
      inDev.ifaList = listRemove(inDev.ifaList, (a) => a === gone);
      rtnlNotify(net, { kind: "addr", deleted: true, dev: inDev.dev, ifa: gone });
      fibDelIfaddr(inDev.dev, gone, prims.get(gone) as InIfaddr);
      callInetaddrNotifiers(inDev, gone);
    }
    return;
  }
  // last_prim: the last primary after ifa of at least its scope (else the list head); prev_prom:
  // whatever precedes the promoted address in the list.
  const at = list.indexOf(ifa);
  let lastPrim = list[0] as InIfaddr;
  for (let i = at + 1; i < list.indexOf(promote); i++) {
    const o = list[i] as InIfaddr;
    if (!(o.flags & IFA_F_SECONDARY) && ifa.scope <= o.scope) lastPrim = o;
  }
  const movedFromNext = list.indexOf(promote) !== at + 1;
  // The subnet's secondaries lose their routes (they change prefsrc), then ifa goes.
  const subnet = list.filter((o, i) => i >= list.indexOf(promote) && subnetSec(o));
  for (const sec of subnet) fibDelSubnetRoutes(inDev.dev, sec, ifa);
  let next = listRemove(list, (a) => a === ifa);
  inDev.ifaList = next;
  rtnlNotify(net, { kind: "addr", deleted: true, dev: inDev.dev, ifa });
  fibDelSubnetRoutes(inDev.dev, ifa, ifa);
  if (!inetLookupIfaddr(net, ifa.local)) {
    fibMagic(inDev.dev, "del", { type: RTN_LOCAL, dst: ifa.local, dstLen: 32, prefsrc: ifa.local });
    fibSyncDownAddr(net, ifa.local);
  }
  callInetaddrNotifiers(inDev, ifa);
  if (movedFromNext) {
    next = listRemove(next, (a) => a === promote);
    const lp = lastPrim === ifa ? at - 1 : next.indexOf(lastPrim);
    next = listInsert(next, lp + 1, promote);
  }
  inDev.ifaList = next;
  promote.flags &= ~IFA_F_SECONDARY;
  rtnlNotify(net, { kind: "addr", deleted: false, dev: inDev.dev, ifa: promote });
  fibAddIfaddr(inDev.dev, promote);
  for (const sec of subnet) if (sec !== promote) fibAddIfaddr(inDev.dev, sec);
}

/** fib_del_ifaddr(ifa, iprim) on promotion: every route of the subnet goes, whatever else needs it. */
function fibDelSubnetRoutes(dev: NetDevice, ifa: InIfaddr, prim: InIfaddr): void {
  const prefix = (ifa.address & ifa.mask) >>> 0;
  if (!(ifa.flags & IFA_F_SECONDARY) && prefix !== 0 && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    const type = dev.flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST;
    if (!(ifa.flags & IFA_F_NOPREFIXROUTE))
      fibMagic(dev, "del", { type, dst: prefix, dstLen: ifa.prefixlen, prefsrc: prim.local });
  }
  if (ifa.broadcast)
    fibMagic(dev, "del", { type: RTN_BROADCAST, dst: ifa.broadcast, dstLen: 32, prefsrc: prim.local });
  if (ifa.prefixlen < 31)
    fibMagic(dev, "del", {
      type: RTN_BROADCAST,
      dst: (prefix | ~ifa.mask) >>> 0,
      dstLen: 32,
      prefsrc: prim.local,
    });
  if (ifa !== prim)
    fibMagic(dev, "del", { type: RTN_LOCAL, dst: ifa.local, dstLen: 32, prefsrc: prim.local });
}

/** The primary address an address's routes use as their source (prim in fib_add_ifaddr). */
function primaryFor(dev: NetDevice, ifa: InIfaddr): InIfaddr {
  if (!(ifa.flags & IFA_F_SECONDARY)) return ifa;
  for (const other of dev.inDev?.ifaList ?? []) {
    if (!(other.flags & IFA_F_SECONDARY) && sameSubnet(other, ifa.local, ifa.mask)) return other;
  }
  return ifa;
}

/** fib_magic: a kernel route for an address, in table local (local type) or main. */
function fibMagic(
  dev: NetDevice,
  op: "add" | "del",
  route: { readonly type: number; readonly dst: number; readonly dstLen: number; readonly prefsrc: number },
): void {
  const net = dev.net;
  const tableId = route.type === RTN_UNICAST ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
  const scope = route.type === RTN_LOCAL ? RT_SCOPE_HOST : RT_SCOPE_LINK;
  if (op === "del") {
    const tb = fibGetTable(net, tableId);
    if (!tb) return;
    try {
      const gone = fibTableDelete(tb, {
        dst: route.dst,
        dstLen: route.dstLen,
        tos: 0,
        type: route.type,
        scope,
        protocol: RTPROT_KERNEL,
        prefsrc: route.prefsrc,
        oif: dev.ifindex,
      });
      rtnlNotify(net, { kind: "route", deleted: true, fa: gone });
      // fib_table_delete
      rtCacheFlush(net);
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
    }
    return;
  }
  const fa: FibAlias = {
    table: tableId,
    dst: route.dst,
    dstLen: route.dstLen,
    tos: 0,
    type: route.type,
    fi: {
      protocol: RTPROT_KERNEL,
      scope,
      priority: 0,
      prefsrc: route.prefsrc,
      nh: { dev, gw: 0, scope: route.type === RTN_LOCAL ? RT_SCOPE_NOWHERE : RT_SCOPE_HOST, flags: 0 },
    },
  };
  try {
    fibTableInsert(fibNewTable(net, tableId), fa, { create: true, append: true });
    // fib_table_insert
    rtCacheFlush(net);
    rtnlNotify(net, { kind: "route", deleted: false, fa });
  } catch (err) {
    if (!(err instanceof KernelError && err.errno === "EEXIST")) throw err;
  }
}

/** fib_add_ifaddr */
function fibAddIfaddr(dev: NetDevice, ifa: InIfaddr): void {
  const prim = primaryFor(dev, ifa);
  const prefix = (ifa.address & ifa.mask) >>> 0;
  fibMagic(dev, "add", { type: RTN_LOCAL, dst: ifa.local, dstLen: 32, prefsrc: prim.local });
  if (!(dev.flags & IFF_UP)) return;
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff) {
    fibMagic(dev, "add", { type: RTN_BROADCAST, dst: ifa.broadcast, dstLen: 32, prefsrc: prim.local });
  }
  if (prefix !== 0 && !(ifa.flags & IFA_F_SECONDARY) && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    const type = dev.flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST;
    if (!(ifa.flags & IFA_F_NOPREFIXROUTE))
      fibMagic(dev, "add", { type, dst: prefix, dstLen: ifa.prefixlen, prefsrc: prim.local });
    if (ifa.prefixlen < 31) {
      fibMagic(dev, "add", {
        type: RTN_BROADCAST,
        dst: (prefix | ~ifa.mask) >>> 0,
        dstLen: 32,
        prefsrc: prim.local,
      });
    }
  }
}

/** fib_del_ifaddr: withdraws the address's routes unless another address still needs them. */
function fibDelIfaddr(dev: NetDevice, ifa: InIfaddr, prim: InIfaddr): void {
  const prefix = (ifa.address & ifa.mask) >>> 0;
  const others = dev.inDev?.ifaList ?? [];
  if (!(ifa.flags & IFA_F_SECONDARY) && prefix !== 0 && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    const type = dev.flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST;
    if (!(ifa.flags & IFA_F_NOPREFIXROUTE))
      fibMagic(dev, "del", { type, dst: prefix, dstLen: ifa.prefixlen, prefsrc: prim.local });
  }
  const brd = (prefix | ~ifa.mask) >>> 0;
  const stillBrd = (addr: number) =>
    others.some(
      (o) => o.broadcast === addr || (ifa.prefixlen < 31 && ((o.address & o.mask) | ~o.mask) >>> 0 === addr),
    );
  if (ifa.broadcast && !stillBrd(ifa.broadcast)) {
    fibMagic(dev, "del", { type: RTN_BROADCAST, dst: ifa.broadcast, dstLen: 32, prefsrc: prim.local });
  }
  if (ifa.prefixlen < 31 && brd !== ifa.broadcast && !stillBrd(brd)) {
    fibMagic(dev, "del", { type: RTN_BROADCAST, dst: brd, dstLen: 32, prefsrc: prim.local });
  }
  if (!inetLookupIfaddr(dev.net, ifa.local)) {
    fibMagic(dev, "del", { type: RTN_LOCAL, dst: ifa.local, dstLen: 32, prefsrc: prim.local });
    fibSyncDownAddr(dev.net, ifa.local);
  }
}

/** fib_sync_down_addr + fib_flush: once a local address is gone, main's routes using it as prefsrc go. */
function fibSyncDownAddr(net: Net, local: number): void {
  if (inetAddrType(net, local) === RTN_LOCAL) return;
  const main = fibGetTable(net, RT_TABLE_MAIN);
  if (main) fibTableFlush(main, (fa) => fa.fi.prefsrc === local);
  rtCacheFlush(net);
}

/**
 * inet_lookup_ifaddr_rcu: the device one of whose addresses is `addr`, if any (plain loops: the
 * input path asks it per packet).
 */
export function inetLookupIfaddr(net: Net, addr: number): NetDevice | undefined {
  for (const dev of net.devByIndex.values()) {
    const list = dev.inDev?.ifaList;
    if (list !== undefined) for (const ifa of list) if (ifa.local === addr) return dev;
  }
  return undefined;
}

/**
 * __ip_dev_find: the device holding `addr` as a local address, falling back to the local table
 * so that addresses of a local subnet such as 127.0.0.0/8 count too.
 */
export function ipDevFind(net: Net, addr: number): NetDevice | undefined {
  const found = inetLookupIfaddr(net, addr);
  if (found) return found;
  const local = fibGetTable(net, RT_TABLE_LOCAL);
  const res = local ? fibTableLookup(local, { daddr: addr }) : undefined;
  if (res && !(res instanceof KernelError) && res.type === RTN_LOCAL) return res.fi.nh?.dev;
  return undefined;
}

/**
 * inet_select_addr: a source for talking to `dst` out of `dev` within `scope`: the first primary
 * address on the device whose subnet holds dst, else its first primary of fitting scope, else any
 * device's.
 */
export function inetSelectAddr(dev: NetDevice, dst: number, scope: number): number {
  let addr = 0;
  for (const ifa of dev.inDev?.ifaList ?? []) {
    if (ifa.flags & IFA_F_SECONDARY) continue;
    if (ifa.scope > scope) continue;
    if (!dst || ((dst ^ ifa.local) & ifa.mask) === 0) return ifa.local;
    if (!addr) addr = ifa.local;
  }
  if (addr) return addr;
  for (const other of [...dev.net.devByIndex.values()].sort((a, b) => a.ifindex - b.ifindex)) {
    for (const ifa of other.inDev?.ifaList ?? []) {
      if (!(ifa.flags & IFA_F_SECONDARY) && ifa.scope !== RT_SCOPE_LINK && ifa.scope <= scope)
        return ifa.local;
    }
  }
  return 0;
}

/** inet_addr_type: what the local table says of an address (RTN_LOCAL, RTN_BROADCAST, RTN_UNICAST). */
export function inetAddrType(net: Net, addr: number): number {
  // __inet_dev_addr_type: 0.0.0.0/8 and the limited broadcast are broadcast, 224/4 multicast.
  if (addr >>> 24 === 0 || addr === 0xffffffff) return RTN_BROADCAST;
  if (addr >>> 28 === 0xe) return RTN_MULTICAST;
  const tb = fibGetTable(net, RT_TABLE_LOCAL);
  const res = tb ? fibTableLookup(tb, { daddr: addr }) : undefined;
  return res && !(res instanceof KernelError) ? res.type : RTN_UNICAST;
}

/** A new in_ifaddr as RTM_NEWADDR or the loopback autoconfiguration build it. */
export function makeIfaddr(fields: {
  readonly local: number;
  readonly address?: number;
  readonly prefixlen: number;
  readonly broadcast?: number;
  readonly scope: number;
  readonly flags?: number;
  readonly label: string;
  readonly validLft?: number;
  readonly preferredLft?: number;
  readonly tstamp?: number;
}): InIfaddr {
  return {
    local: fields.local,
    address: fields.address ?? fields.local,
    prefixlen: fields.prefixlen,
    mask: prefixMask(fields.prefixlen),
    broadcast: fields.broadcast ?? 0,
    scope: fields.scope,
    flags: fields.flags ?? 0,
    label: fields.label,
    validLft: fields.validLft ?? INFINITY_LIFE_TIME,
    preferredLft: fields.preferredLft ?? INFINITY_LIFE_TIME,
    tstamp: fields.tstamp ?? 0,
  };
}

/** Routes whose next hop left through `dev` (fib_sync_down_dev + fib_flush). */
function fibSyncDownDev(net: Net, dev: NetDevice, force: boolean): void {
  for (const tb of net.ipv4.fibTables.values()) {
    fibTableFlush(tb, (fa) => {
      const nhs = fa.fi.nhs;
      // A multipath route dies with any next hop's device unregistering, or once every next
      // hop is dead (the others already marked RTNH_F_DEAD by their own NETDEV_DOWN).
      if (nhs) {
        if (!nhs.some((nh) => nh.dev === dev)) return false;
        return force || nhs.every((nh) => nh.dev === dev || fibNhFlags(nh) & RTNH_F_DEAD);
      }
      return fa.fi.nh?.dev === dev && (force || fa.fi.nh.scope !== RT_SCOPE_NOWHERE);
    });
  }
  // fib_disable_ip
  rtCacheFlush(net);
}

/** inetdev_valid_mtu: IPv4 needs at least 68 bytes (RFC 791). */
function inetdevValidMtu(mtu: number): boolean {
  return mtu >= 68;
}

/** inetdev_destroy: every address goes, then whatever route still uses the device. */
function inetdevDestroy(dev: NetDevice): void {
  const inDev = dev.inDev;
  if (inDev) {
    inDev.dead = true;
    while (inDev.ifaList.length > 0) inetDelIfa(inDev, inDev.ifaList[inDev.ifaList.length - 1] as InIfaddr);
    ipMcDestroyDev(inDev);
  }
  fibSyncDownDev(dev.net, dev, true);
  if (inDev) neighParmsRelease(inDev.arpParms);
  neighIfdown(dev);
  rtnlNotify(dev.net, { kind: "netconf", deleted: true, dev });
  dev.inDev = undefined;
}

/** inetdev_event + fib_netdev_event: the IPv4 reaction to device events. */
export function inetNetdevEvent(event: NetdevEvent, dev: NetDevice): void {
  // fib_netdev_event: rt_cache_flush on these (through fib_disable_ip for DOWN and UNREGISTER).
  if (
    event === "NETDEV_UP" ||
    event === "NETDEV_DOWN" ||
    event === "NETDEV_UNREGISTER" ||
    event === "NETDEV_CHANGE" ||
    event === "NETDEV_CHANGEMTU"
  )
    rtCacheFlush(dev.net);
  switch (event) {
    case "NETDEV_REGISTER":
      if (!dev.inDev && inetdevValidMtu(dev.mtu)) inetdevInit(dev);
      break;
    case "NETDEV_UP": {
      if (!inetdevValidMtu(dev.mtu)) break;
      const inDev = dev.inDev ?? inetdevInit(dev);
      if (dev.flags & IFF_LOOPBACK) ipv4DevconfSetall(inDev);
      if (dev.flags & IFF_LOOPBACK && !inDev.ifaList.some((a) => a.local === 0x7f000001)) {
        inetInsertIfa(
          inDev,
          makeIfaddr({
            local: 0x7f000001,
            prefixlen: 8,
            scope: RT_SCOPE_HOST,
            flags: IFA_F_PERMANENT,
            label: dev.name,
          }),
        );
      }
      for (const ifa of inDev.ifaList) fibAddIfaddr(dev, ifa);
      ipMcUp(inDev);
      break;
    }
    case "NETDEV_DOWN":
      if (dev.inDev) ipMcDown(dev.inDev);
      fibSyncDownDev(dev.net, dev, false);
      neighIfdown(dev);
      break;
    case "NETDEV_UNREGISTER":
      inetdevDestroy(dev);
      break;
    case "NETDEV_CHANGEMTU":
      // An MTU below 68 cannot carry IPv4: the device loses its IPv4 state, and gets it back empty.
      if (!inetdevValidMtu(dev.mtu)) inetdevDestroy(dev);
      else if (!dev.inDev) inetdevInit(dev);
      break;
    case "NETDEV_CHANGENAME":
      // Labels that were the device's name follow the rename (inetdev_changename).
      if (dev.inDev) {
        dev.inDev.ifaList = dev.inDev.ifaList.map((ifa) => ({
          ...ifa,
          label: ifa.label.includes(":") ? dev.name + ifa.label.slice(ifa.label.indexOf(":")) : dev.name,
        }));
        // devinet_sysctl_unregister + devinet_sysctl_register: the conf/NAME directory moves.
        rtnlNotify(dev.net, { kind: "netconf", deleted: true, dev });
        rtnlNotify(dev.net, { kind: "netconf", deleted: false, dev });
      }
      break;
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGE":
    case "NETDEV_CHANGEADDR":
      break;
  }
}

const HZ = 250;
/** ADDR_CHECK_FREQUENCY, ADDRCONF_TIMER_FUZZ_MINUS, ADDRCONF_TIMER_FUZZ, ADDRCONF_TIMER_FUZZ_MAX */
const ADDR_CHECK_FREQUENCY = 120 * HZ;
const FUZZ_MINUS = HZ / 10;
const FUZZ = HZ / 4;
const FUZZ_MAX = HZ;

export function jiffiesOf(net: Net): number {
  return Math.floor(net.host.clock.now / JIFFY_NS);
}

/** round_jiffies_up: to the next whole second. */
function roundJiffiesUp(j: number): number {
  return Math.ceil(j / HZ) * HZ;
}

/** set_ifa_lifetime: a zero valid lifetime is refused earlier; an infinite one makes it permanent. */
export function setIfaLifetime(net: Net, ifa: InIfaddr, validLft: number, preferLft: number): void {
  ifa.flags &= ~(IFA_F_PERMANENT | IFA_F_DEPRECATED);
  const timeout = validLft === INFINITY_LIFE_TIME ? INFINITY_LIFE_TIME : validLft;
  if (timeout !== INFINITY_LIFE_TIME) ifa.validLft = timeout;
  else ifa.flags |= IFA_F_PERMANENT;
  const pref = preferLft === INFINITY_LIFE_TIME ? INFINITY_LIFE_TIME : preferLft;
  if (pref !== INFINITY_LIFE_TIME) {
    if (pref === 0) ifa.flags |= IFA_F_DEPRECATED;
    ifa.preferredLft = pref;
  }
  if (timeout === INFINITY_LIFE_TIME) ifa.validLft = INFINITY_LIFE_TIME;
  if (pref === INFINITY_LIFE_TIME) ifa.preferredLft = INFINITY_LIFE_TIME;
  ifa.tstamp = jiffiesOf(net);
}

/** The lifetimes left, as inet_fill_ifaddr reports them in IFA_CACHEINFO. */
export function ifaLifetimesLeft(net: Net, ifa: InIfaddr): { valid: number; preferred: number } {
  let preferred = INFINITY_LIFE_TIME;
  let valid = INFINITY_LIFE_TIME;
  if (!(ifa.flags & IFA_F_PERMANENT)) {
    preferred = ifa.preferredLft;
    valid = ifa.validLft;
    if (preferred !== INFINITY_LIFE_TIME) {
      const tval = Math.floor((jiffiesOf(net) - ifa.tstamp) / HZ);
      preferred = preferred > tval ? preferred - tval : 0;
      if (valid !== INFINITY_LIFE_TIME) valid = valid > tval ? valid - tval : 0;
    }
  }
  return { valid, preferred };
}

/** Queues check_lifetime at once (cancel_delayed_work + queue_delayed_work(…, 0)). */
export function addrChkKick(net: Net): void {
  addrChkQueue(net, 0);
}

function addrChkQueue(net: Net, delayJiffies: number): void {
  if (net.ipv4.addrChkWork) net.ipv4.addrChkWork.cancelled = true;
  net.ipv4.addrChkWork = net.host.clock.scheduleTimer(delayJiffies * JIFFY_NS, () => checkLifetime(net));
}

/** check_lifetime: deprecates and removes addresses whose lifetimes ran out, then reschedules. */
function checkLifetime(net: Net): void {
  net.ipv4.addrChkWork = undefined;
  const now = jiffiesOf(net);
  let next = roundJiffiesUp(now + ADDR_CHECK_FREQUENCY);
  const all = () => [...net.devByIndex.values()].flatMap((d) => d.inDev?.ifaList ?? []);
  for (const ifa of all()) {
    if (ifa.flags & IFA_F_PERMANENT) continue;
    const age = Math.floor((now - ifa.tstamp + FUZZ_MINUS) / HZ);
    if (ifa.validLft !== INFINITY_LIFE_TIME && age >= ifa.validLft) continue;
    if (ifa.preferredLft === INFINITY_LIFE_TIME) continue;
    if (age >= ifa.preferredLft) {
      if (ifa.validLft !== INFINITY_LIFE_TIME && ifa.tstamp + ifa.validLft * HZ < next)
        next = ifa.tstamp + ifa.validLft * HZ;
    } else if (ifa.tstamp + ifa.preferredLft * HZ < next) {
      next = ifa.tstamp + ifa.preferredLft * HZ;
    }
  }
  for (const dev of [...net.devByIndex.values()]) {
    const inDev = dev.inDev;
    if (!inDev) continue;
    for (const ifa of [...inDev.ifaList]) {
      if (ifa.flags & IFA_F_PERMANENT || !inDev.ifaList.includes(ifa)) continue;
      const age = Math.floor((now - ifa.tstamp + FUZZ_MINUS) / HZ);
      if (ifa.validLft !== INFINITY_LIFE_TIME && age >= ifa.validLft) inetDelIfa(inDev, ifa);
      else if (
        ifa.preferredLft !== INFINITY_LIFE_TIME &&
        age >= ifa.preferredLft &&
        !(ifa.flags & IFA_F_DEPRECATED)
      )
        ifa.flags |= IFA_F_DEPRECATED;
    }
  }
  // The kernel's work runs forever; with no address that can expire it has nothing to do.
  if (!all().some((ifa) => !(ifa.flags & IFA_F_PERMANENT))) return;
  const nextSec = roundJiffiesUp(next);
  let nextSched = next;
  if (nextSec < next + FUZZ) nextSched = nextSec;
  if (nextSched < now + FUZZ_MAX) nextSched = now + FUZZ_MAX;
  addrChkQueue(net, nextSched - now);
}
