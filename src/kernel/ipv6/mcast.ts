// IPv6 multicast memberships as /proc/net/igmp6 shows them (net/ipv6/mcast.c), derived from the
// state netnest keeps: a device with an inet6_dev (an Ethernet or loopback device whose MTU is at
// least IPV6_MIN_MTU) joined ff01::1 and ff02::1 when the inet6_dev was made (ipv6_add_dev), an
// open bridge that snoops joined ff02::6a with 224.0.0.106 (br_multicast_join_snoopers), and each
// address of a device that resolves neighbours holds its solicited-node group
// (addrconf_join_solict). MLD reports are not sent, so no group timer runs.

import type { NetDevice } from "../core/dev.js";
import { INADDR_ALLSNOOPERS_GROUP } from "../ipv4/igmp.js";
import type { Net } from "../net_namespace.js";
import { ARPHRD_ETHER, ARPHRD_LOOPBACK, IFF_LOOPBACK, IFF_NOARP, IFF_UP } from "../uapi.js";
import { inet6Addresses } from "./addrconf.js";

const IPV6_MIN_MTU = 1280;
/** mca_flags */
const MAF_LOADED = 0x04;
export const MAF_NOREPORT = 0x08;

export interface Ifmcaddr6 {
  readonly addr: Uint8Array;
  users: number;
  readonly flags: number;
}

function group(bytes: readonly number[]): Uint8Array {
  const a = new Uint8Array(16);
  a.set(bytes.slice(0, 2), 0);
  a.set(bytes.slice(2), 16 - (bytes.length - 2));
  return a;
}

/** idev->mc_list, newest first. */
export function ipv6McList(net: Net, dev: NetDevice): Ifmcaddr6[] {
  if (dev.type !== ARPHRD_ETHER && dev.type !== ARPHRD_LOOPBACK) return [];
  if (dev.mtu < IPV6_MIN_MTU) return [];
  // ipv6_add_dev: interface-local all-nodes (never reported, not mapped), then link-local
  // all-nodes, in dev->mc (MAF_LOADED) but while the device is down after having been up.
  const loaded = dev.flags & IFF_UP || dev.qdisc === "noop" ? MAF_LOADED : 0;
  const list: Ifmcaddr6[] = [
    { addr: group([0xff, 0x02, 1]), users: 1, flags: loaded | MAF_NOREPORT },
    { addr: group([0xff, 0x01, 1]), users: 1, flags: MAF_NOREPORT },
  ];
  if (dev.inDev?.mcList?.some((m) => m.multiaddr === INADDR_ALLSNOOPERS_GROUP))
    list.unshift({ addr: group([0xff, 0x02, 0x6a]), users: 1, flags: MAF_LOADED });
  if (dev.flags & (IFF_LOOPBACK | IFF_NOARP)) return list;
  // addrconf_join_solict: ff02::1:ffXX:XXXX, one user per address that maps to it.
  const solicited: Ifmcaddr6[] = [];
  for (const ifa of inet6Addresses(net.host.inet6, dev)) {
    const a = ifa.addr;
    const addr = group([0xff, 0x02, 0, 0, 0, 1, 0xff, a[13] as number, a[14] as number, a[15] as number]);
    const same = solicited.find((m) => m.addr.every((b, i) => b === addr[i]));
    if (same) same.users++;
    else solicited.push({ addr, users: 1, flags: MAF_LOADED });
  }
  return [...solicited, ...list];
}

/** igmp6_mc_seq_show: "%-4d %-15s %pi6 %5d %08X %ld" per group. */
export function igmp6McSeqShow(net: Net): string {
  let out = "";
  for (const dev of net.devByIndex.values()) {
    for (const m of ipv6McList(net, dev)) {
      const hex = Array.from(m.addr, (b) => b.toString(16).padStart(2, "0")).join("");
      const flags = m.flags.toString(16).toUpperCase().padStart(8, "0");
      out += `${String(dev.ifindex).padEnd(4)} ${dev.name.padEnd(15)} ${hex} ${String(m.users).padStart(5)} ${flags} 0\n`;
    }
  }
  return out;
}
