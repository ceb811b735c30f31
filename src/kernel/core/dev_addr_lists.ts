// dev->mc, a device's multicast address list (net/core/dev_addr_lists.c). netnest does not keep it
// as a list of its own: it is derived from the state of the protocols that fill it (IPv4 groups,
// IPv6 addresses, a bridge's snooping), in the order they add to it, plus what SIOCADDMULTI added
// and what stacked devices sync down to their lower device.

import { macEqual } from "../../wire/ethernet.js";
import {
  IGMP_ALL_HOSTS,
  INADDR_ALLSNOOPERS_GROUP,
  ipEthMcMap,
  ipMcDevMacs,
  ipMcLoaded,
} from "../ipv4/igmp.js";
import { type Inet6Ifaddr, inet6Addresses } from "../ipv6/addrconf.js";
import { ARPHRD_ETHER, IFF_UP } from "../uapi.js";
import type { NetDevice } from "./dev.js";

const IPV6_MIN_MTU = 1280;

/** struct netdev_hw_addr as /proc/net/dev_mcast shows it. */
export interface DevMcEntry {
  readonly addr: Uint8Array;
  refcount: number;
  /** global_use */
  global: boolean;
}

/**
 * A running macvlan or vlan device syncs its list to its lower device (macvlan_set_mac_lists,
 * vlan_dev_set_rx_mode: dev_mc_sync), which takes a reference on each of its entries.
 */
function devMcSyncsToLower(dev: NetDevice): boolean {
  return (dev.ops.kind === "macvlan" || dev.ops.kind === "vlan") && (dev.flags & IFF_UP) !== 0;
}

/**
 * dev->mc, the device's multicast list, in the order the stack adds to it: IPv6's all-nodes once
 * the device has an inet6_dev (an MTU of at least 1280; dropped while it is down after having been
 * up), an open snooping bridge's multicast-router groups (224.0.0.106 and ff02::6a, joined in
 * br_multicast_open), all-hosts while up (ip_mc_up), the solicited-node group of each IPv6 address
 * (oldest first), then the other IPv4 groups joined (ip_mc_filter_add: a vxlan device's on its
 * lower device), each address once; with the addresses SIOCADDMULTI added (dev_mc_add_global): one
 * already there takes another reference and the global mark, a new one goes at the end.
 */
export function devMcEntries(dev: NetDevice): DevMcEntry[] {
  const list = devMcStack(dev).map((addr) => ({ addr, refcount: 1, global: false }));
  for (const addr of dev.mcGlobal) {
    const ha = list.find((e) => macEqual(e.addr, addr));
    if (ha) {
      ha.refcount++;
      ha.global = true;
    } else list.push({ addr, refcount: 1, global: true });
  }
  // __hw_addr_sync_one: an entry synced down holds a reference on both sides; one the lower
  // device lacks is added to it.
  if (devMcSyncsToLower(dev)) for (const e of list) e.refcount++;
  for (const upper of dev.uppers) {
    if (!devMcSyncsToLower(upper)) continue;
    for (const e of devMcEntries(upper)) {
      const ha = list.find((x) => macEqual(x.addr, e.addr));
      if (ha) ha.refcount++;
      else list.push({ addr: e.addr, refcount: 1, global: false });
    }
  }
  return list;
}

/** The addresses of dev->mc (ndo_dflt_fdb_dump lists them). */
export function devMcList(dev: NetDevice): Uint8Array[] {
  return devMcEntries(dev).map((e) => e.addr);
}

/** The entries the protocols put in dev->mc. */
function devMcStack(dev: NetDevice): Uint8Array[] {
  if (dev.type !== ARPHRD_ETHER) return [];
  const up = (dev.flags & IFF_UP) !== 0;
  const ipv6 = dev.mtu >= IPV6_MIN_MTU;
  const list: Uint8Array[] = [];
  const add = (mac: Uint8Array) => {
    if (!list.some((m) => macEqual(m, mac))) list.push(mac);
  };
  if (ipv6 && (up || dev.qdisc === "noop")) add(Uint8Array.of(0x33, 0x33, 0, 0, 0, 1));
  if (ipMcLoaded(dev, INADDR_ALLSNOOPERS_GROUP)) {
    add(ipEthMcMap(INADDR_ALLSNOOPERS_GROUP));
    if (ipv6) add(Uint8Array.of(0x33, 0x33, 0, 0, 0, 0x6a));
  }
  if (ipMcLoaded(dev, IGMP_ALL_HOSTS)) add(ipEthMcMap(IGMP_ALL_HOSTS));
  if (ipv6) {
    const addrs = inet6Addresses(dev.net.host.inet6, dev);
    for (let i = addrs.length - 1; i >= 0; i--) {
      const a = (addrs[i] as Inet6Ifaddr).addr;
      add(Uint8Array.of(0x33, 0x33, 0xff, a[13] as number, a[14] as number, a[15] as number));
    }
  }
  for (const mac of ipMcDevMacs(dev)) add(mac);
  return list;
}
