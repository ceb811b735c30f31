// /proc/net/dev and /proc/net/dev_mcast (net/core/net-procfs.c): one line per device of the
// reader's namespace, in dev_base_head order (for_each_netdev: registration order, a device moved
// in from another namespace at the end).
import { macEqual } from "../../wire/ethernet.js";
import type { NetDevice } from "../core/dev.js";
import { IGMP_ALL_HOSTS, INADDR_ALLSNOOPERS_GROUP, ipEthMcMap, ipMcDevMacs } from "../ipv4/igmp.js";
import { type Inet6Ifaddr, inet6Addresses } from "../ipv6/addrconf.js";
import type { Net } from "../net_namespace.js";
import { ARPHRD_ETHER, IFF_UP } from "../uapi.js";

/** for_each_netdev: the list order. devByIndex is filled as devices are listed and never re-keyed. */
export function forEachNetdev(net: Net): NetDevice[] {
  return [...net.devByIndex.values()];
}

function right(value: number | string, width: number): string {
  return String(value).padStart(width);
}

/** dev_seq_printf_stats */
function devSeqPrintfStats(dev: NetDevice): string {
  const s = dev.stats;
  // rx_missed, fifo, the frame-error group, compressed, collisions and the carrier-error group
  // are counted by no emulated driver.
  return (
    `${right(dev.name, 6)}: ${right(s.rxBytes, 7)} ${right(s.rxPackets, 7)} ${right(s.rxErrors, 4)} ` +
    `${right(s.rxDropped, 4)} ${right(0, 4)} ${right(0, 5)} ${right(0, 10)} ${right(s.multicast, 9)} ` +
    `${right(s.txBytes, 8)} ${right(s.txPackets, 7)} ${right(s.txErrors, 4)} ${right(s.txDropped, 4)} ` +
    `${right(0, 4)} ${right(0, 5)} ${right(0, 7)} ${right(0, 10)}\n`
  );
}

/** dev_seq_show: the two header lines, then every device. */
export function devSeqShow(net: Net): string {
  let out =
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
  for (const dev of forEachNetdev(net)) out += devSeqPrintfStats(dev);
  return out;
}

const IPV6_MIN_MTU = 1280;

function hex(bytes: Iterable<number>): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
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
  return list;
}

/** struct netdev_hw_addr as /proc/net/dev_mcast shows it. */
export interface DevMcEntry {
  readonly addr: Uint8Array;
  refcount: number;
  /** global_use */
  global: boolean;
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
  const groups = dev.inDev?.mcList ?? [];
  if (groups.some((m) => m.multiaddr === INADDR_ALLSNOOPERS_GROUP)) {
    add(ipEthMcMap(INADDR_ALLSNOOPERS_GROUP));
    if (ipv6) add(Uint8Array.of(0x33, 0x33, 0, 0, 0, 0x6a));
  }
  if (groups.some((m) => m.multiaddr === IGMP_ALL_HOSTS)) add(ipEthMcMap(IGMP_ALL_HOSTS));
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

/** dev_mc_seq_show: "%-4d %-15s %-5d %-5d %*phN" per address: refcount, global_use, address. */
export function devMcSeqShow(net: Net): string {
  let out = "";
  for (const dev of forEachNetdev(net)) {
    for (const e of devMcEntries(dev)) {
      const refs = String(e.refcount).padEnd(5);
      out += `${String(dev.ifindex).padEnd(4)} ${dev.name.padEnd(15)} ${refs} ${(e.global ? "1" : "0").padEnd(5)} ${hex(e.addr)}\n`;
    }
  }
  return out;
}
