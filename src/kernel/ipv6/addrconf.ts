// IPv6 addresses as far as `ip addr` shows them (net/ipv6/addrconf.c): ::1 on lo, an EUI-64
// link-local address on Ethernet devices once they are up with carrier, addresses added by hand,
// each tentative until duplicate address detection completes. IPv6 packets and routes are not
// emulated yet.

import type { TimerEvent } from "../clock.js";
import { NSEC_PER_SEC } from "../clock.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import { listInsert, listRemove } from "../lib/list.js";
import { KernelError } from "../syscalls.js";
import {
  ARPHRD_ETHER,
  IFA_F_NODAD,
  IFA_F_PERMANENT,
  IFA_F_TENTATIVE,
  IFF_LOOPBACK,
  IFF_UP,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_SITE,
  RT_SCOPE_UNIVERSE,
} from "../uapi.js";

/** struct inet6_ifaddr */
export interface Inet6Ifaddr {
  readonly addr: Uint8Array;
  readonly prefixlen: number;
  /** The rtnetlink scope reported for it (RT_SCOPE_*). */
  readonly scope: number;
  flags: number;
  dadTimer: TimerEvent | undefined;
}

/** struct inet6_dev, the part kept here. */
interface Inet6Dev {
  /** addr_list: sorted by scope, wider first; newer before older within a scope. Replaced on change. */
  addrs: readonly Inet6Ifaddr[];
  /** IF_READY: the link-local address was configured since the link last became ready. */
  ready: boolean;
}

/** The per-device IPv6 state, kept beside the device (dev->ip6_ptr). */
export type Inet6Table = WeakMap<NetDevice, Inet6Dev>;

/** idev->cnf defaults: rtr_solicit_delay 1 s, dad_transmits 1, retrans_time 1 s. */
const RTR_SOLICIT_DELAY_NS = 1 * NSEC_PER_SEC;
const RETRANS_TIME_NS = 1 * NSEC_PER_SEC;
const LOOPBACK6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

function idevOf(table: Inet6Table, dev: NetDevice): Inet6Dev {
  let idev = table.get(dev);
  if (!idev) {
    idev = { addrs: [], ready: false };
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

/** addrconf_dad_start -> addrconf_dad_work -> addrconf_dad_completed, in virtual time. */
function addrconfDadStart(dev: NetDevice, ifa: Inet6Ifaddr): void {
  if (!(ifa.flags & IFA_F_TENTATIVE) || ifa.dadTimer) return;
  const host = dev.net.host;
  const delay = (host.randomU32() % 1000) * (RTR_SOLICIT_DELAY_NS / 1000) + RETRANS_TIME_NS;
  ifa.dadTimer = host.clock.scheduleTimer(delay, () => {
    ifa.flags &= ~IFA_F_TENTATIVE;
    ifa.dadTimer = undefined;
  });
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
  };
  const scope = srcScope(addr);
  let at = idev.addrs.findIndex((a) => scope >= srcScope(a.addr));
  if (at < 0) at = idev.addrs.length;
  idev.addrs = listInsert(idev.addrs, at, ifa);
  if (addrconfLinkReady(dev)) addrconfDadStart(dev, ifa);
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
  ipv6AddAddr(dev, idevOf(table, dev), addr, prefixlen, IFA_F_PERMANENT | (flags & IFA_F_NODAD));
}

/** inet6_addr_del */
export function inet6AddrDel(table: Inet6Table, dev: NetDevice, addr: Uint8Array, prefixlen: number): void {
  const idev = table.get(dev);
  const at = idev?.addrs.findIndex((a) => sameAddr(a.addr, addr) && a.prefixlen === prefixlen) ?? -1;
  if (!idev || at < 0) throw new KernelError("EADDRNOTAVAIL", "ipv6: address not found");
  const ifa = idev.addrs[at] as Inet6Ifaddr;
  idev.addrs = listRemove(idev.addrs, (_, i) => i === at);
  if (ifa.dadTimer) ifa.dadTimer.cancelled = true;
}

/** addrconf_notify */
export function addrconfNotify(table: Inet6Table, event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case "NETDEV_UP":
    case "NETDEV_CHANGE": {
      const idev = idevOf(table, dev);
      if (dev.flags & IFF_LOOPBACK) {
        // init_loopback
        if (event === "NETDEV_UP" && !idev.addrs.some((a) => sameAddr(a.addr, LOOPBACK6))) {
          ipv6AddAddr(dev, idev, LOOPBACK6, 128, IFA_F_PERMANENT);
        }
        return;
      }
      if (!addrconfLinkReady(dev)) return;
      // Addresses that waited for the link start their DAD now.
      for (const ifa of idev.addrs) addrconfDadStart(dev, ifa);
      if (idev.ready || dev.type !== ARPHRD_ETHER) return;
      idev.ready = true;
      const ll = linkLocalFromMac(dev.address);
      if (!idev.addrs.some((a) => sameAddr(a.addr, ll))) ipv6AddAddr(dev, idev, ll, 64, IFA_F_PERMANENT);
      return;
    }
    case "NETDEV_DOWN":
    case "NETDEV_UNREGISTER": {
      // addrconf_ifdown: keep_addr_on_down is 0, so every address goes.
      const idev = table.get(dev);
      if (!idev) return;
      for (const ifa of idev.addrs) if (ifa.dadTimer) ifa.dadTimer.cancelled = true;
      table.delete(dev);
      return;
    }
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGEMTU":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEADDR":
      return;
  }
}

export function inet6Addresses(table: Inet6Table, dev: NetDevice): readonly Inet6Ifaddr[] {
  return table.get(dev)?.addrs ?? [];
}
