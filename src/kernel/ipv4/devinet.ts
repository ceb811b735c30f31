// IPv4 per-device state and addresses (net/ipv4/devinet.c) and the routes the kernel derives from
// them (fib_add_ifaddr / fib_del_ifaddr and the device events of net/ipv4/fib_frontend.c).

import { prefixMask } from "../../wire/addr.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import { neighIfdown } from "../core/neighbour.js";
import { listInsert, listRemove } from "../lib/list.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  IFA_F_PERMANENT,
  IFA_F_SECONDARY,
  IFF_LOOPBACK,
  IFF_UP,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_UNICAST,
  RTPROT_KERNEL,
} from "../uapi.js";
import {
  type FibAlias,
  fibGetTable,
  fibNewTable,
  fibTableDelete,
  fibTableFlush,
  fibTableInsert,
  fibTableLookup,
} from "./fib_table.js";
import type { Ipv4Devconf } from "./netns_ipv4.js";

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
}

/** struct in_device */
export interface InDevice {
  readonly dev: NetDevice;
  /** ifa_list: primaries first in insertion order, secondaries after; replaced on each change. */
  ifaList: readonly InIfaddr[];
  readonly cnf: Ipv4Devconf;
}

/** inetdev_init: copies net.ipv4.conf.default into the device's config. */
export function inetdevInit(dev: NetDevice): InDevice {
  const inDev: InDevice = { dev, ifaList: [], cnf: { ...dev.net.ipv4.devconfDflt } };
  dev.inDev = inDev;
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
  fibAddIfaddr(inDev.dev, ifa);
}

/** inet_del_ifa: removing a primary removes its secondaries too (promote_secondaries is 0). */
export function inetDelIfa(inDev: InDevice, ifa: InIfaddr): void {
  const removed: InIfaddr[] = [ifa];
  if (!(ifa.flags & IFA_F_SECONDARY)) {
    for (const other of inDev.ifaList) {
      if (other !== ifa && other.flags & IFA_F_SECONDARY && sameSubnet(other, ifa.local, ifa.mask))
        removed.push(other);
    }
  }
  const prims = new Map(removed.map((gone) => [gone, primaryFor(inDev.dev, gone)]));
  inDev.ifaList = listRemove(inDev.ifaList, (a) => removed.includes(a));
  for (const gone of removed.reverse()) fibDelIfaddr(inDev.dev, gone, prims.get(gone) as InIfaddr);
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
      fibTableDelete(tb, {
        dst: route.dst,
        dstLen: route.dstLen,
        tos: 0,
        type: route.type,
        scope,
        protocol: RTPROT_KERNEL,
        prefsrc: route.prefsrc,
        oif: dev.ifindex,
      });
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
  if (!inetAddrOnNet(dev.net, ifa.local)) {
    fibMagic(dev, "del", { type: RTN_LOCAL, dst: ifa.local, dstLen: 32, prefsrc: prim.local });
  }
}

function inetAddrOnNet(net: Net, addr: number): boolean {
  for (const dev of net.devByIndex.values())
    if (dev.inDev?.ifaList.some((a) => a.local === addr)) return true;
  return false;
}

/**
 * __ip_dev_find: the device holding `addr` as a local address, falling back to the local table
 * so that addresses of a local subnet such as 127.0.0.0/8 count too.
 */
export function ipDevFind(net: Net, addr: number): NetDevice | undefined {
  for (const dev of net.devByIndex.values()) if (dev.inDev?.ifaList.some((a) => a.local === addr)) return dev;
  const local = fibGetTable(net, RT_TABLE_LOCAL);
  const res = local ? fibTableLookup(local, { daddr: addr }) : undefined;
  if (res && !(res instanceof KernelError) && res.type === RTN_LOCAL) return res.fa.fi.nh?.dev;
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
  if (addr === 0xffffffff) return RTN_BROADCAST;
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
  };
}

/** Routes whose next hop left through `dev` (fib_sync_down_dev + fib_flush). */
function fibSyncDownDev(net: Net, dev: NetDevice, force: boolean): void {
  for (const tb of net.ipv4.fibTables.values()) {
    fibTableFlush(tb, (fa) => fa.fi.nh?.dev === dev && (force || fa.fi.nh.scope !== RT_SCOPE_NOWHERE));
  }
}

/** inetdev_valid_mtu: IPv4 needs at least 68 bytes (RFC 791). */
function inetdevValidMtu(mtu: number): boolean {
  return mtu >= 68;
}

/** inetdev_destroy: every address goes, then whatever route still uses the device. */
function inetdevDestroy(dev: NetDevice): void {
  const inDev = dev.inDev;
  if (inDev) {
    while (inDev.ifaList.length > 0) inetDelIfa(inDev, inDev.ifaList[inDev.ifaList.length - 1] as InIfaddr);
  }
  fibSyncDownDev(dev.net, dev, true);
  neighIfdown(dev);
  dev.inDev = undefined;
}

/** inetdev_event + fib_netdev_event: the IPv4 reaction to device events. */
export function inetNetdevEvent(event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case "NETDEV_REGISTER":
      if (!dev.inDev && inetdevValidMtu(dev.mtu)) inetdevInit(dev);
      break;
    case "NETDEV_UP": {
      if (!inetdevValidMtu(dev.mtu)) break;
      const inDev = dev.inDev ?? inetdevInit(dev);
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
      break;
    }
    case "NETDEV_DOWN":
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
      }
      break;
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGE":
    case "NETDEV_CHANGEADDR":
      break;
  }
}
