// The neighbour-discovery messages a host sends by itself (net/ipv6/ndisc.c): the neighbour
// solicitation of duplicate address detection, from :: to the address's solicited-node group
// with a nonce (enhanced_dad), and router solicitations to ff02::2 with the source link-layer
// address. ndisc_send_skb hands them to the IPv6 output path with hop limit 255; MLD reports
// (mld.ts) take the same path with hop limit 1.

import { ETH_P_IPV6, emitEthernet } from "../../wire/ethernet.js";
import {
  addrconfAddrSolictMult,
  emitHopByHopRouterAlert,
  emitIpv6,
  IPV6_HLEN,
  icmpv6Checksum,
  ipv6EthMcMap,
  ND_OPT_NONCE,
  ND_OPT_SOURCE_LL_ADDR,
  NDISC_NEIGHBOUR_SOLICITATION,
  NDISC_ROUTER_SOLICITATION,
  NEXTHDR_HOP,
  NEXTHDR_ICMP,
} from "../../wire/ipv6.js";
import type { NetDevice } from "../core/dev.js";
import { devQueueXmit } from "../core/netif.js";
import { allocSkb, type SkBuff, skbPush } from "../core/skbuff.js";
import { icmp6MsgStats, ip6AddStats } from "./ip6_mib.js";

const IN6ADDR_ANY = new Uint8Array(16);
/** in6addr_linklocal_allrouters: ff02::2 */
export const IN6ADDR_LINKLOCAL_ALLROUTERS = Uint8Array.of(0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);

/** An IPv6 packet in the making: the ICMPv6 message starts at `icmp`. */
export interface Ip6Packet {
  readonly skb: SkBuff;
  readonly icmp: number;
}

/**
 * ip6_nd_hdr (and mld_newpack's header with its hop-by-hop router alert when `hbh`): an skb with
 * the IPv6 header written and `icmpLen` bytes for the ICMPv6 message.
 */
export function ip6NdHdr(
  dev: NetDevice,
  ip: {
    readonly saddr: Uint8Array;
    readonly daddr: Uint8Array;
    readonly hopLimit: number;
    readonly hbh: boolean;
  },
  icmpLen: number,
): Ip6Packet {
  const ext = ip.hbh ? 8 : 0;
  const skb = allocSkb(IPV6_HLEN + ext + icmpLen, dev.net.host.packetSlab);
  emitIpv6(skb.data, skb.networkHeader, {
    payloadLength: ext + icmpLen,
    nextHeader: ip.hbh ? NEXTHDR_HOP : NEXTHDR_ICMP,
    hopLimit: ip.hopLimit,
    saddr: ip.saddr,
    daddr: ip.daddr,
  });
  // mld_newpack's hop-by-hop router alert (it was left as eight zero bytes).
  if (ip.hbh) emitHopByHopRouterAlert(skb.data, skb.networkHeader + IPV6_HLEN);
  const icmp = skb.networkHeader + IPV6_HLEN + ext;
  skb.transportHeader = icmp;
  skb.protocol = ETH_P_IPV6;
  return { skb, icmp };
}

/**
 * The ICMPv6 checksum, then ip6_output for a group: ip6_finish_output2's neighbour for a
 * multicast address maps it (ndisc_mc_map, 33:33 and the low 32 bits) with nothing to resolve.
 * ip6tables is not emulated, so no hook runs on the way.
 */
export function ip6McXmit(dev: NetDevice, pkt: Ip6Packet, saddr: Uint8Array, daddr: Uint8Array): void {
  const skb = pkt.skb;
  icmpv6Checksum(skb.data, saddr, daddr, pkt.icmp, skb.tail);
  // ndisc_send_skb / mld_sendpack: the message by type, then ip6_finish_output2's counts of a
  // group's packet by its length before the link-layer header.
  const net = dev.net;
  const idev = dev.net.host.inet6.get(dev);
  icmp6MsgStats(net, idev, "Out", skb.data[pkt.icmp] as number);
  const len = skb.tail - skb.networkHeader;
  ip6AddStats(net, idev, "Ip6OutRequests");
  ip6AddStats(net, idev, "Ip6OutOctets", len);
  ip6AddStats(net, idev, "Ip6OutMcastPkts");
  ip6AddStats(net, idev, "Ip6OutMcastOctets", len);
  ip6AddStats(net, idev, "Ip6OutTransmits");
  skb.dev = dev;
  skb.head = skb.networkHeader;
  skbPush(skb, 14);
  skb.macHeader = skb.head;
  emitEthernet(skb.data, skb.head, { dst: ipv6EthMcMap(daddr), src: dev.address, etherType: ETH_P_IPV6 });
  devQueueXmit(skb, dev);
}

/**
 * ndisc_send_ns for duplicate address detection: from ::, to the target's solicited-node group,
 * no source link-layer option (the source is unspecified), the DAD nonce option.
 */
export function ndiscSendNsDad(dev: NetDevice, target: Uint8Array, nonce: Uint8Array | undefined): void {
  const daddr = addrconfAddrSolictMult(target);
  const len = 24 + (nonce ? 8 : 0);
  const pkt = ip6NdHdr(dev, { saddr: IN6ADDR_ANY, daddr, hopLimit: 255, hbh: false }, len);
  const d = pkt.skb.data;
  d[pkt.icmp] = NDISC_NEIGHBOUR_SOLICITATION;
  d.set(target, pkt.icmp + 8);
  if (nonce) {
    d[pkt.icmp + 24] = ND_OPT_NONCE;
    d[pkt.icmp + 25] = 1;
    d.set(nonce, pkt.icmp + 26);
  }
  ip6McXmit(dev, pkt, IN6ADDR_ANY, daddr);
}

/** ndisc_send_rs: from the link-local address to ff02::2, with the source link-layer address. */
export function ndiscSendRs(dev: NetDevice, saddr: Uint8Array): void {
  const daddr = IN6ADDR_LINKLOCAL_ALLROUTERS;
  const pkt = ip6NdHdr(dev, { saddr, daddr, hopLimit: 255, hbh: false }, 16);
  const d = pkt.skb.data;
  d[pkt.icmp] = NDISC_ROUTER_SOLICITATION;
  d[pkt.icmp + 8] = ND_OPT_SOURCE_LL_ADDR;
  d[pkt.icmp + 9] = 1;
  d.set(dev.address.subarray(0, 6), pkt.icmp + 10);
  ip6McXmit(dev, pkt, saddr, daddr);
}
