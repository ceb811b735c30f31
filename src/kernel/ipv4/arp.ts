// ARP (net/ipv4/arp.c): resolving next hops on Ethernet devices, answering for local addresses
// and, with proxy_arp, for addresses routed elsewhere; the arp_ignore, arp_announce, arp_filter,
// arp_accept and arp_notify knobs of net.ipv4.conf.

import { bytesToIPv4 } from "../../wire/addr.js";
import { ARP_LEN, ARPOP_REPLY, ARPOP_REQUEST, emitArp, parseArp } from "../../wire/arp.js";
import { BROADCAST_MAC, ETH_P_ARP, emitEthernet } from "../../wire/ethernet.js";
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from "../../wire/icmp.js";
import { JIFFY_NS } from "../clock.js";
import type { NetDevice, NetdevChangeInfo, NetdevEvent } from "../core/dev.js";
import {
  type Neighbour,
  type NeighOps,
  neighAppNs,
  neighCarrierDown,
  neighChangeaddr,
  neighCreate,
  neighLookup,
  neighLookupCounted,
  neighUpdate,
  neighVar,
} from "../core/neighbour.js";
import { devQueueXmit } from "../core/netif.js";
import { allocSkb, type SkBuff } from "../core/skbuff.js";
import { NF_ARP_IN, NF_ARP_OUT, NF_HOOK_ARP } from "../netfilter/arp_tables.js";
import { KernelError } from "../syscalls.js";
import {
  IFF_LOOPBACK,
  IFF_NOARP,
  IFF_POINTOPOINT,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
} from "../uapi.js";
import { type InDevice, type InIfaddr, inetAddrType, inetSelectAddr } from "./devinet.js";
import { icmpSend } from "./icmp.js";
import { ipEthMcMap } from "./igmp.js";
import { linkXmit } from "./ip_output.js";
import { inDevConf } from "./netns_ipv4.js";
import { ipRouteInput, ipRouteOutputKey } from "./route.js";

const ZERO_MAC = new Uint8Array(6);

/** arp_send_dst: one ARP packet out of `dev`. */
function arpSend(
  dev: NetDevice,
  op: number,
  fields: { dstMac: Uint8Array; senderIp: number; targetIp: number; targetMac: Uint8Array },
): void {
  const skb = allocSkb(ARP_LEN);
  emitArp(skb.data, skb.head, {
    op,
    senderMac: dev.address,
    senderIp: fields.senderIp,
    targetMac: fields.targetMac,
    targetIp: fields.targetIp,
  });
  skb.head -= 14;
  skb.macHeader = skb.head;
  emitEthernet(skb.data, skb.head, { dst: fields.dstMac, src: dev.address, etherType: ETH_P_ARP });
  skb.protocol = ETH_P_ARP;
  skb.dev = dev;
  arpXmit(skb, dev);
}

/** arp_xmit: the ARP packet passes NF_ARP_OUT on its way to the device. */
function arpXmit(skb: SkBuff, dev: NetDevice): void {
  NF_HOOK_ARP(NF_ARP_OUT, dev.net, skb, undefined, dev, arpXmitFinish);
}

/** arp_xmit_finish */
function arpXmitFinish(skb: SkBuff): void {
  devQueueXmit(skb, skb.dev as NetDevice);
}

function ipSaddrOf(skb: SkBuff): number {
  return bytesToIPv4(skb.data, skb.networkHeader + 12);
}

const arpOps: NeighOps = {
  /**
   * arp_constructor (devices with header_ops): a multicast address maps to its Ethernet group, a
   * NOARP or loopback device uses its own address, a broadcast one (by the local table) or a
   * point-to-point device the broadcast address; all NUD_NOARP, never resolved.
   */
  construct(neigh: Neighbour) {
    const dev = neigh.dev;
    const type = inetAddrType(dev.net, neigh.key);
    let ha: Uint8Array | undefined;
    if (type === RTN_MULTICAST) ha = ipEthMcMap(neigh.key);
    else if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) ha = dev.address.slice();
    else if (type === RTN_BROADCAST || dev.flags & IFF_POINTOPOINT) ha = BROADCAST_MAC.slice();
    if (!ha) return;
    neigh.state = "NOARP";
    neigh.ha = ha;
  },
  /** arp_solicit: the source address follows arp_announce; failing that, one chosen for the target. */
  solicit(neigh: Neighbour, skb: SkBuff | undefined) {
    const dev = neigh.dev;
    let saddr = 0;
    const inDev = dev.inDev;
    const announce = inDev ? inDevConf(inDev, "arp_announce") : 0;
    if (skb && inDev) {
      const packetSaddr = ipSaddrOf(skb);
      const local = inetAddrType(dev.net, packetSaddr) === RTN_LOCAL;
      // 0: any local address; 1: only one the target shares a subnet with; 2: never the packet's.
      if (announce === 1) {
        if (local && inetAddrOnlink(inDev, neigh.key, packetSaddr)) saddr = packetSaddr;
      } else if (announce !== 2 && local) saddr = packetSaddr;
    }
    if (!saddr) saddr = inetSelectAddr(dev, neigh.key, RT_SCOPE_LINK);
    // The first ucast_probes requests go to the cached address, the next app_probes to a resolving
    // daemon (neigh_app_ns), the rest are broadcast. (neigh.probes already counts this one.)
    let probes = neigh.probes - 1 - neighVar(neigh.parms, "UCAST_PROBES");
    const unicast = probes < 0 && neigh.ha !== undefined;
    if (probes >= 0) {
      probes -= neighVar(neigh.parms, "APP_PROBES");
      if (probes < 0) {
        neighAppNs(neigh);
        return;
      }
    }
    arpSend(dev, ARPOP_REQUEST, {
      dstMac: unicast ? (neigh.ha as Uint8Array) : BROADCAST_MAC,
      senderIp: saddr,
      targetIp: neigh.key,
      targetMac: ZERO_MAC,
    });
  },
  /** arp_error_report -> ipv4_link_failure: tell the sender the host is unreachable. */
  errorReport(_neigh: Neighbour, skb: SkBuff) {
    icmpSend(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
  },
  output(neigh: Neighbour, skb: SkBuff) {
    linkXmit(skb, neigh.dev, neigh.ha as Uint8Array);
  },
};

/**
 * __ipv4_neigh_lookup_noref + __neigh_create for a next hop on `dev`; undefined when the machine's
 * ARP table is full (ENOBUFS). `exemptFromGc` is neigh_add's, for a permanent entry.
 */
export function arpNeighFor(
  dev: NetDevice,
  nexthop: number,
  opts?: { readonly exemptFromGc?: boolean },
): Neighbour | undefined {
  return neighLookup(dev, nexthop) ?? neighCreate(dev, nexthop, arpOps, opts);
}

/** neigh_event_ns / __neigh_lookup(…, creat): a counted lookup, then an entry made if none. */
function arpNeighEventNs(dev: NetDevice, sip: number): Neighbour | undefined {
  return neighLookupCounted(dev, sip) ?? neighCreate(dev, sip, arpOps);
}

/**
 * arp_netdev_event: a device whose address changed or whose arp flag flipped forgets all its
 * neighbours (neigh_changeaddr), one that lost carrier all but the permanent ones.
 */
export function arpNetdevEvent(event: NetdevEvent, dev: NetDevice, info?: NetdevChangeInfo): void {
  // (arp_evict_nocarrier, 1 by default, is not modelled: a new address always evicts.)
  if (event === "NETDEV_CHANGEADDR") neighChangeaddr(dev);
  if (event === "NETDEV_CHANGE" && info && info.flagsChanged & IFF_NOARP) neighChangeaddr(dev);
  if (event === "NETDEV_CHANGE" && !dev.carrier) neighCarrierDown(dev);
  // inetdev_event: with arp_notify, coming up or changing address announces every address.
  if (
    (event === "NETDEV_UP" || event === "NETDEV_CHANGEADDR") &&
    dev.inDev &&
    inDevConf(dev.inDev, "arp_notify")
  )
    inetdevSendGratuitousArp(dev);
}

/** inet_ifa_match */
function inetIfaMatch(addr: number, ifa: InIfaddr): boolean {
  return ((addr ^ ifa.address) & ifa.mask) === 0;
}

/** inet_addr_onlink: an address of the device whose subnet holds `a` (and `b`, when given). */
function inetAddrOnlink(inDev: InDevice, a: number, b: number): boolean {
  return inDev.ifaList.some((ifa) => inetIfaMatch(a, ifa) && (!b || inetIfaMatch(b, ifa)));
}

/**
 * confirm_addr_indev: `local` (or any address, when 0) of at most `scope` on the device, in the
 * subnet of `dst` when given; 0 when none.
 */
function confirmAddrIndev(inDev: InDevice, dst: number, local: number, scope: number): number {
  const localnetScope = inDevConf(inDev, "route_localnet") ? RT_SCOPE_LINK : RT_SCOPE_HOST;
  let addr = 0;
  let same = false;
  for (const ifa of inDev.ifaList) {
    const minScope = Math.min(ifa.scope, localnetScope);
    if (!addr && (local === ifa.local || !local) && minScope <= scope) {
      addr = ifa.local;
      if (same) break;
    }
    if (!same) {
      same = (!local || inetIfaMatch(local, ifa)) && (!dst || inetIfaMatch(dst, ifa));
      if (same && addr) {
        if (local || !dst) break;
        if (inetIfaMatch(addr, ifa)) break;
        if (minScope <= scope) {
          addr = ifa.local;
          break;
        }
        same = false;
      }
    }
  }
  return same ? addr : 0;
}

/** inet_confirm_addr: on one device, or on any of the namespace's when `inDev` is undefined. */
function inetConfirmAddr(
  net: NetDevice["net"],
  inDev: InDevice | undefined,
  addrs: { readonly dst: number; readonly local: number; readonly scope: number },
): number {
  if (inDev) return confirmAddrIndev(inDev, addrs.dst, addrs.local, addrs.scope);
  for (const dev of [...net.devByIndex.values()].sort((a, b) => a.ifindex - b.ifindex)) {
    const addr = dev.inDev ? confirmAddrIndev(dev.inDev, addrs.dst, addrs.local, addrs.scope) : 0;
    if (addr) return addr;
  }
  return 0;
}

/** arp_ignore: whether a request for local `tip` from `sip` goes unanswered on this device. */
function arpIgnore(inDev: InDevice, sip: number, tip: number): boolean {
  const net = inDev.dev.net;
  switch (inDevConf(inDev, "arp_ignore")) {
    case 0:
      return false;
    case 1:
      // Only for an address of the receiving device.
      return !inetConfirmAddr(net, inDev, { dst: 0, local: tip, scope: RT_SCOPE_HOST });
    case 2:
      // ... in the sender's subnet.
      return !inetConfirmAddr(net, inDev, { dst: sip, local: tip, scope: RT_SCOPE_HOST });
    case 3:
      // Not for host-scope addresses.
      return !inetConfirmAddr(net, undefined, { dst: 0, local: tip, scope: RT_SCOPE_LINK });
    case 8:
      return true;
    default:
      return false;
  }
}

/** arp_filter: answer only when the route back to the sender leaves through the receiving device. */
function arpFilter(sip: number, tip: number, dev: NetDevice): boolean {
  const rt = ipRouteOutputKey(dev.net, { daddr: sip, saddr: tip });
  return rt instanceof KernelError || rt.dev !== dev;
}

/** arp_accept: whether an unsolicited ARP may create an entry for `sip`. */
function arpAccept(inDev: InDevice, sip: number): boolean {
  switch (inDevConf(inDev, "arp_accept")) {
    case 0:
      return false;
    case 1:
      return true;
    case 2:
      // Only for a sender in one of the device's subnets.
      return inetConfirmAddr(inDev.dev.net, inDev, { dst: sip, local: 0, scope: RT_SCOPE_LINK }) !== 0;
    default:
      return false;
  }
}

/** arp_send for the reply to a request, from `tip` at this device's address. */
function arpReply(dev: NetDevice, sip: number, tip: number, sha: Uint8Array): void {
  arpSend(dev, ARPOP_REPLY, { dstMac: sha, senderIp: tip, targetIp: sip, targetMac: sha });
}

/** inetdev_send_gratuitous_arp: a request for each of the device's addresses, from itself. */
function inetdevSendGratuitousArp(dev: NetDevice): void {
  for (const ifa of dev.inDev?.ifaList ?? []) {
    arpSend(dev, ARPOP_REQUEST, {
      dstMac: BROADCAST_MAC,
      senderIp: ifa.local,
      targetIp: ifa.local,
      targetMac: ZERO_MAC,
    });
  }
}

/** arp_rcv: a well-formed ARP packet passes NF_ARP_IN, then arp_process. */
export function arpRcv(skb: SkBuff, dev: NetDevice): void {
  const net = dev.net;
  const arp = parseArp(skb.data, skb.head);
  if (!arp || dev.flags & IFF_NOARP || skb.pktType === "PACKET_OTHERHOST") {
    net.ipv4.mib.ArpDropped++;
    return;
  }
  NF_HOOK_ARP(NF_ARP_IN, net, skb, dev, undefined, arpRcvFinish);
}

/** arp_process's start: a device without IPv4 configuration takes no ARP. */
function arpRcvFinish(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  const inDev = dev.inDev;
  if (!inDev) {
    dev.net.ipv4.mib.ArpDropped++;
    return;
  }
  arpProcess(skb, dev, inDev, { locallyEnqueued: false });
}

function arpProcess(
  skb: SkBuff,
  dev: NetDevice,
  inDev: InDevice,
  opts: { readonly locallyEnqueued: boolean },
): void {
  const net = dev.net;
  const arp = parseArp(skb.data, skb.head);
  if (!arp) return;
  const sip = arp.senderIp;
  const tip = arp.targetIp;
  if (
    sip >>> 28 === 0xe ||
    tip >>> 28 === 0xe ||
    (tip >>> 24 === 127 && !inDevConf(inDev, "route_localnet"))
  ) {
    net.ipv4.mib.ArpDropped++;
    return;
  }
  // Duplicate address detection probes (RFC 2131): answered, but they teach nothing.
  if (sip === 0) {
    if (arp.op === ARPOP_REQUEST && inetAddrType(net, tip) === RTN_LOCAL && !arpIgnore(inDev, sip, tip))
      arpReply(dev, sip, tip, arp.senderMac);
    return;
  }
  if (arp.op === ARPOP_REQUEST) {
    // ip_route_input_noref(tip, sip): where a packet to tip from this sender would go.
    const rt = ipRouteInput(dev, tip, sip, 0, { skb });
    if (typeof rt !== "string" && rt.input !== "ip_error") {
      if (rt.type === RTN_LOCAL) {
        let dontSend = arpIgnore(inDev, sip, tip);
        if (!dontSend && inDevConf(inDev, "arp_filter")) dontSend = arpFilter(sip, tip, dev);
        if (!dontSend) {
          // neigh_event_ns: with the table full there is no entry, and no reply either.
          const n = arpNeighEventNs(dev, sip);
          if (n) {
            neighUpdate(n, arp.senderMac, "STALE");
            arpReply(dev, sip, tip, arp.senderMac);
          }
        }
        return;
      }
      // arp_fwd_proxy: a forwarding device answers for what it routes through another one.
      if (
        inDev.cnf.forwarding &&
        rt.type === RTN_UNICAST &&
        rt.dev !== dev &&
        inDevConf(inDev, "proxy_arp")
      ) {
        const n = arpNeighEventNs(dev, sip);
        if (n) neighUpdate(n, arp.senderMac, "STALE");
        const proxyDelay = neighVar(inDev.arpParms, "PROXY_DELAY");
        if (opts.locallyEnqueued || skb.pktType === "PACKET_HOST" || proxyDelay === 0) {
          arpReply(dev, sip, tip, arp.senderMac);
        } else {
          // pneigh_enqueue: a broadcast request waits a random part of the device's proxy_delay
          // (0.8 s unless set), in jiffies.
          const delay = (net.host.randomU32() % proxyDelay) * JIFFY_NS;
          net.host.clock.schedule(delay, () => {
            if (dev.inDev) arpProcess(skb, dev, dev.inDev, { locallyEnqueued: true });
          });
        }
        return;
      }
    }
  }
  // Update our ARP tables: only existing entries, unless arp_accept takes unsolicited ones.
  let neigh = neighLookupCounted(dev, sip);
  const accept = arpAccept(inDev, sip);
  let isGarp = false;
  if (neigh || accept) {
    // arp_is_garp: sender and target alike, a unicast address, and for a reply the same hardware.
    isGarp = sip === tip;
    if (isGarp && arp.op === ARPOP_REPLY) isGarp = arp.targetMac.every((b, i) => b === arp.senderMac[i]);
    if (isGarp && inetAddrType(net, sip) !== RTN_UNICAST) isGarp = false;
  }
  if (accept && !neigh) {
    if (isGarp || (arp.op === ARPOP_REPLY && inetAddrType(net, sip) === RTN_UNICAST))
      neigh = arpNeighFor(dev, sip);
  }
  if (neigh) {
    // A different address within locktime of the last update does not replace the entry's (the
    // first of several answers wins), unless it is a gratuitous ARP.
    const override =
      net.host.clock.now > neigh.updated + neighVar(neigh.parms, "LOCKTIME") * JIFFY_NS || isGarp;
    // neigh_update without NEIGH_UPDATE_F_OVERRIDE: a valid entry keeps its other address.
    const other = neigh.ha?.some((b, i) => b !== arp.senderMac[i]) ?? true;
    const valid = neigh.state !== "NONE" && neigh.state !== "INCOMPLETE" && neigh.state !== "FAILED";
    if (!override && other && valid) return;
    const reachable = arp.op === ARPOP_REPLY && skb.pktType === "PACKET_HOST";
    neighUpdate(neigh, arp.senderMac, reachable ? "REACHABLE" : "STALE");
  }
}
