// /proc/net/dev and /proc/net/dev_mcast (net/core/net-procfs.c): one line per device of the
// reader's namespace, in dev_base_head order (for_each_netdev: registration order, a device moved
// in from another namespace at the end).
import type { NetDevice } from "../core/dev.js";
import { ipMcDevMacs } from "../ipv4/igmp.js";
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
 * The device's multicast list (dev->mc) as the protocols fill it: an Ethernet device that is up
 * joins 224.0.0.1 (ip_mc_up -> 01:00:5e:00:00:01) and, when IPv6 runs on it (an MTU of at least
 * 1280), ff02::1 and the solicited-node group of its link-local address.
 */
function devMcList(dev: NetDevice): Uint8Array[] {
  if (dev.type !== ARPHRD_ETHER || !(dev.flags & IFF_UP)) return [];
  const ipv6 = dev.mtu >= IPV6_MIN_MTU;
  const list: Uint8Array[] = [];
  if (ipv6) list.push(Uint8Array.of(0x33, 0x33, 0, 0, 0, 1));
  if (dev.inDev) list.push(Uint8Array.of(0x01, 0x00, 0x5e, 0, 0, 1));
  if (ipv6 && dev.carrier) {
    const a = dev.address;
    list.push(Uint8Array.of(0x33, 0x33, 0xff, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0));
  }
  // ip_mc_filter_add: the IPv4 groups joined since (a vxlan device's on its lower device).
  list.push(...ipMcDevMacs(dev));
  return list;
}

/** dev_mc_seq_show: "%-4d %-15s %-5d %-5d %*phN" per address (refcount 1, not global). */
export function devMcSeqShow(net: Net): string {
  let out = "";
  for (const dev of forEachNetdev(net)) {
    for (const addr of devMcList(dev)) {
      out += `${String(dev.ifindex).padEnd(4)} ${dev.name.padEnd(15)} ${"1".padEnd(5)} ${"0".padEnd(5)} ${hex(addr)}\n`;
    }
  }
  return out;
}
