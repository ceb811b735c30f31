// ARP (net/ipv4/arp.c): resolving next hops on Ethernet devices and answering for local addresses
// (arp_ignore, arp_announce, arp_accept at their defaults of 0).

import { bytesToIPv4 } from "../../wire/addr.js";
import { ARP_LEN, ARPOP_REPLY, ARPOP_REQUEST, emitArp, parseArp } from "../../wire/arp.js";
import { BROADCAST_MAC, ETH_P_ARP, emitEthernet } from "../../wire/ethernet.js";
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from "../../wire/icmp.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import {
  type Neighbour,
  type NeighOps,
  neighCarrierDown,
  neighCreate,
  neighLookup,
  neighUpdate,
} from "../core/neighbour.js";
import { devQueueXmit } from "../core/netif.js";
import { allocSkb, type SkBuff } from "../core/skbuff.js";
import { IFF_NOARP, RT_SCOPE_LINK, RTN_LOCAL } from "../uapi.js";
import { inetAddrType, inetSelectAddr } from "./devinet.js";
import { icmpSend } from "./icmp.js";
import { linkXmit } from "./ip_output.js";

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
  devQueueXmit(skb, dev);
}

function ipSaddrOf(skb: SkBuff): number {
  return bytesToIPv4(skb.data, skb.networkHeader + 12);
}

const arpOps: NeighOps = {
  /** arp_solicit: the source is the packet's own when local (arp_announce 0), else one chosen for the target. */
  solicit(neigh: Neighbour, skb: SkBuff | undefined) {
    const dev = neigh.dev;
    let saddr = skb ? ipSaddrOf(skb) : 0;
    if (!saddr || inetAddrType(dev.net, saddr) !== RTN_LOCAL)
      saddr = inetSelectAddr(dev, neigh.key, RT_SCOPE_LINK);
    const unicast = neigh.state === "PROBE" && neigh.ha !== undefined;
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

/** __ipv4_neigh_lookup + neigh_create for a next hop on `dev`. */
export function arpNeighFor(dev: NetDevice, nexthop: number): Neighbour {
  return neighLookup(dev, nexthop) ?? neighCreate(dev, nexthop, arpOps);
}

/** arp_netdev_event: a device that loses carrier forgets its neighbours (but permanent ones). */
export function arpNetdevEvent(event: NetdevEvent, dev: NetDevice): void {
  if (event === "NETDEV_CHANGE" && !dev.carrier) neighCarrierDown(dev);
}

/** arp_rcv + arp_process */
export function arpRcv(skb: SkBuff, dev: NetDevice): void {
  const net = dev.net;
  const arp = parseArp(skb.data, skb.head);
  if (!arp || dev.flags & IFF_NOARP || skb.pktType === "PACKET_OTHERHOST" || !dev.inDev) {
    net.ipv4.mib.ArpDropped++;
    return;
  }
  const sip = arp.senderIp;
  const tip = arp.targetIp;
  if (sip >>> 28 === 0xe || tip >>> 28 === 0xe || tip >>> 24 === 127) {
    net.ipv4.mib.ArpDropped++;
    return;
  }
  if (arp.op === ARPOP_REQUEST) {
    // Duplicate address detection probes (sip 0) are answered but teach nothing.
    if (inetAddrType(net, tip) === RTN_LOCAL) {
      if (sip !== 0) neighUpdate(arpNeighFor(dev, sip), arp.senderMac, "STALE");
      arpSend(dev, ARPOP_REPLY, {
        dstMac: arp.senderMac,
        senderIp: tip,
        targetIp: sip,
        targetMac: arp.senderMac,
      });
    }
    return;
  }
  if (arp.op === ARPOP_REPLY) {
    // arp_accept 0: a reply only updates an entry that already exists.
    const neigh = neighLookup(dev, sip);
    if (neigh) neighUpdate(neigh, arp.senderMac, skb.pktType === "PACKET_HOST" ? "REACHABLE" : "STALE");
  }
}
