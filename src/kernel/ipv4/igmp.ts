// IPv4 multicast group membership (net/ipv4/igmp.c): each in_device keeps the groups the host
// listens to on it (in_dev->mc_list), counted by users. A device that is up is in all-hosts
// (224.0.0.1); sockets join more with ip_mc_join_group (a vxlan device's socket joins its group).
// Input routing asks ip_check_mc_rcu whether a multicast datagram is for this host; the hardware
// address of each group (ip_eth_mc_map) is what the device's multicast list shows.

import type { NetDevice } from "../core/dev.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import type { InDevice } from "./devinet.js";

export const IPPROTO_IGMP = 2;
/** IGMP_ALL_HOSTS: 224.0.0.1 */
export const IGMP_ALL_HOSTS = 0xe0000001;
/** INADDR_ALLSNOOPERS_GROUP: 224.0.0.106, multicast router discovery (RFC 4286). */
export const INADDR_ALLSNOOPERS_GROUP = 0xe000006a;

/** struct ip_mc_list: one group on one device. */
export interface IpMcList {
  readonly multiaddr: number;
  /** How many joins hold it (the stack's own and each socket's). */
  users: number;
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
  const im = list.find((m) => m.multiaddr === addr);
  if (im) {
    im.users++;
    return;
  }
  list.unshift({ multiaddr: addr, users: 1 });
}

/** ip_mc_dec_group: the last user gone, the group goes (ip_mc_filter_del with it). */
export function ipMcDecGroup(inDev: InDevice, addr: number): void {
  const list = mcList(inDev);
  const at = list.findIndex((m) => m.multiaddr === addr);
  if (at < 0) return;
  const im = list[at] as IpMcList;
  if (--im.users === 0) list.splice(at, 1);
}

/** ip_mc_up: a device coming up listens to all-hosts. */
export function ipMcUp(inDev: InDevice): void {
  ipMcIncGroup(inDev, IGMP_ALL_HOSTS);
}

/** ip_mc_down: and stops when it goes down. */
export function ipMcDown(inDev: InDevice): void {
  ipMcDecGroup(inDev, IGMP_ALL_HOSTS);
}

/**
 * ip_check_mc_rcu: is the host in `mcAddr` on this device? (With no source filters set, which
 * are not modelled, a member takes every source and protocol.)
 */
export function ipCheckMcRcu(inDev: InDevice, mcAddr: number): boolean {
  return inDev.mcList?.some((m) => m.multiaddr === mcAddr) ?? false;
}

/** The hardware addresses the device's groups add to dev->mc, oldest first, all-hosts aside. */
export function ipMcDevMacs(dev: NetDevice): Uint8Array[] {
  const list = dev.inDev?.mcList ?? [];
  const out: Uint8Array[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const im = list[i] as IpMcList;
    if (im.multiaddr !== IGMP_ALL_HOSTS) out.push(ipEthMcMap(im.multiaddr));
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
