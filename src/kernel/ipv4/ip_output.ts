// IPv4 output (net/ipv4/ip_output.c): building headers, LOCAL_OUT and POSTROUTING, the MTU check,
// and handing the packet to the neighbour layer (ip_finish_output2).
import { internetChecksum } from "../../wire/checksum.js";
import { ETH_P_IP, ethHeader } from "../../wire/ethernet.js";
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED } from "../../wire/icmp.js";
import { IP_DF, IPV4_MIN_HLEN, ipv4Header } from "../../wire/ipv4.js";
import type { NetDevice } from "../core/dev.js";
import { skbGsoNetworkSeglen, skbGsoSegment } from "../core/gso.js";
import { neighResolveOutput } from "../core/neighbour.js";
import { devQueueXmit, xmitStatus } from "../core/netif.js";
import { allocSkb, type SkBuff, skbPush } from "../core/skbuff.js";
import { LOOPBACK_DELAY_NS } from "../drivers/loopback.js";
import type { Net } from "../net_namespace.js";
import { NF_HOOK } from "../netfilter/core.js";
import {
  IFF_LOOPBACK,
  IFF_POINTOPOINT,
  RTCF_BROADCAST,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTN_BROADCAST,
  RTN_MULTICAST,
} from "../uapi.js";
import { NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING } from "../uapi_netfilter.js";
import { arpNeighFor } from "./arp.js";
import { icmpSend } from "./icmp.js";
import { ipDoFragment } from "./ip_fragment.js";
import { ipSelectIdent } from "./ip_idents.js";
import { ipRcv } from "./ip_input.js";
import { type IpOptions, ipOptionsBuild } from "./ip_options.js";
import { ipDstMtuMaybeForward, type Rtable, rtNexthop } from "./route.js";

export interface IpHeaderFields {
  readonly saddr: number;
  readonly daddr: number;
  readonly protocol: number;
  readonly ttl: number;
  readonly tos: number;
  readonly df: boolean;
  /** skb->ignore_df (ip_sk_ignore_df: IP_PMTUDISC_DONT, WANT or OMIT): the IP id is chosen even with DF. */
  readonly ignoreDf?: boolean;
  /** The socket's or the reply's IP options (ip_options_build writes them after the header). */
  readonly opt?: IpOptions;
  /** A connected socket's inet_id, which ip_select_ident_segs takes before anything else. */
  readonly id?: number;
}

/** Allocates an skb holding an IPv4 header and `payload` (what ip_build_and_send_pkt / raw_sendmsg build). */
export function ipBuildSkb(net: Net, ip: IpHeaderFields, payload: Uint8Array): SkBuff {
  const skb = ipMakeSkb(net, ip, payload.length);
  skb.data.set(payload, skb.transportHeader);
  return skb;
}

/**
 * __ip_make_skb: an skb with the IPv4 header written and `transportLen` bytes after it for the
 * caller to fill in place (udp_send_skb writes its header and checksum there).
 */
export function ipMakeSkb(net: Net, ip: IpHeaderFields, transportLen: number): SkBuff {
  const optlen = ip.opt?.optlen ?? 0;
  const total = IPV4_MIN_HLEN + optlen + transportLen;
  const skb = allocSkb(total, net.host.packetSlab);
  ipv4Header(
    skb.data,
    skb.head,
    ip.tos,
    total,
    // ip_select_ident: DF without ignore_df leaves the id 0.
    ip.id ?? (ip.df && !ip.ignoreDf ? 0 : ipSelectIdent(net, ip.daddr, ip.saddr, ip.protocol)),
    ip.df ? IP_DF : 0,
    ip.ttl,
    ip.protocol,
    ip.saddr,
    ip.daddr,
  );
  if (ip.opt && optlen) {
    // iph->ihl = 5 + optlen / 4, then ip_options_build and the checksum over the whole header.
    const at = skb.networkHeader;
    skb.data[at] = 0x40 | ((IPV4_MIN_HLEN + optlen) >> 2);
    ipOptionsBuild(net, skb, ip.opt, ip.daddr);
    skb.data[at + 10] = 0;
    skb.data[at + 11] = 0;
    const sum = internetChecksum(skb.data, at, at + IPV4_MIN_HLEN + optlen);
    skb.data[at + 10] = sum >>> 8;
    skb.data[at + 11] = sum & 255;
  }
  skb.transportHeader = skb.head + IPV4_MIN_HLEN + optlen;
  skb.protocol = ETH_P_IP;
  return skb;
}

/** ip_local_out: a locally generated packet enters the stack on route `rt`. */
export function ipLocalOut(net: Net, skb: SkBuff, rt: Rtable): void {
  skb.dst = rt;
  net.host.tracer?.localOut(net, skb, rt);
  net.ipv4.mib.OutRequests++;
  NF_HOOK(NF_INET_LOCAL_OUT, net, skb, undefined, rt.dev, dstOutput);
}

/** dst_output -> ip_output */
export function dstOutput(skb: SkBuff): void {
  ipOutput(skb);
}

/**
 * ip_output: sets the device, then POSTROUTING and ip_finish_output. The hook's input device is
 * skb->dev from before: the device a forwarded packet came in on (LOG and traces show it as IN=),
 * none for a locally generated one.
 */
function ipOutput(skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  // __mkroute_output: a local output route to a broadcast or a group the host belongs to sends
  // through ip_mc_output (not on loopback, where the packet comes back anyway).
  if (
    rt.input === undefined &&
    rt.flags & RTCF_LOCAL &&
    rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST) &&
    !(rt.dev.flags & IFF_LOOPBACK)
  ) {
    ipMcOutput(skb);
    return;
  }
  const indev = skb.dev;
  skb.dev = rt.dev;
  skb.protocol = ETH_P_IP;
  NF_HOOK(NF_INET_POST_ROUTING, rt.dev.net, skb, indev, rt.dev, ipFinishOutput);
}

/**
 * ip_mc_output: the host's own listeners get a copy of a group's packet (unless the socket turned
 * IP_MULTICAST_LOOP off) and of a broadcast, through POSTROUTING and back in as if received on
 * the device (ip_mc_finish_output, dev_loopback_xmit); a group's packet with TTL 0 stays here.
 */
function ipMcOutput(skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  const dev = rt.dev;
  const net = dev.net;
  skb.dev = dev;
  skb.protocol = ETH_P_IP;
  if (rt.flags & RTCF_MULTICAST) {
    if (skb.sk?.mcLoop !== false) ipMcLoopCopy(net, skb);
    if (skb.data[skb.networkHeader + 8] === 0) return;
  }
  if (rt.flags & RTCF_BROADCAST) ipMcLoopCopy(net, skb);
  NF_HOOK(NF_INET_POST_ROUTING, net, skb, undefined, dev, ipFinishOutput);
}

/** skb_clone for the loop: the IP packet, its mark, socket and connection. */
function ipMcLoopCopy(net: Net, skb: SkBuff): void {
  const len = skb.tail - skb.networkHeader;
  const copy = allocSkb(len, net.host.packetSlab);
  copy.data.set(skb.data.subarray(skb.networkHeader, skb.tail), copy.networkHeader);
  copy.transportHeader = copy.networkHeader + (skb.transportHeader - skb.networkHeader);
  copy.protocol = skb.protocol;
  copy.dev = skb.dev;
  copy.dst = skb.dst;
  copy.mark = skb.mark;
  copy.sk = skb.sk;
  copy.opt = skb.opt;
  if (skb.nfctinfo !== undefined) {
    copy.nfct = skb.nfct;
    copy.nfctinfo = skb.nfctinfo;
  }
  NF_HOOK(NF_INET_POST_ROUTING, net, copy, undefined, copy.dev, ipMcFinishOutput);
}

/**
 * ip_mc_finish_output -> dev_loopback_xmit: the copy gets a clone of its route on the loopback
 * device (local delivery) and is received on its device after the backlog's turn (netif_rx).
 * PACKET_LOOPBACK has no type of its own here: the destination tells it (as xt_pkttype does).
 */
function ipMcFinishOutput(skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  skb.dst = { ...rt, dev: net.loopbackDev as NetDevice, input: "ip_local_deliver" };
  skb.pktType = rt.flags & RTCF_MULTICAST ? "PACKET_MULTICAST" : "PACKET_BROADCAST";
  skb.sk = undefined;
  net.host.clock.schedule(LOOPBACK_DELAY_NS, () => {
    if (dev.registered && dev.net === net) ipRcv(skb, dev);
  });
}

/** __ip_finish_output: packets larger than the path MTU (ip_skb_dst_mtu) go through ip_fragment. */
function ipFinishOutput(skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  const mtu = ipDstMtuMaybeForward(rt, rt.input === "ip_forward");
  if (skb.gsoSize) {
    ipFinishOutputGso(skb, mtu);
    return;
  }
  if (skb.tail - skb.networkHeader > mtu) {
    ipFragment(skb, mtu);
    return;
  }
  ipFinishOutput2(skb);
}

/**
 * ip_finish_output_gso: a GSO skb whose segments fit goes on whole; otherwise each segment goes
 * through ip_fragment on its own.
 */
function ipFinishOutputGso(skb: SkBuff, mtu: number): void {
  if (skbGsoNetworkSeglen(skb) <= mtu) {
    ipFinishOutput2(skb);
    return;
  }
  for (const seg of skbGsoSegment(skb)) {
    if (seg.tail - seg.networkHeader > mtu) ipFragment(seg, mtu);
    else ipFinishOutput2(seg);
  }
}

/**
 * ip_fragment: DF set means the sender asked not to be fragmented (a forwarded packet, since local
 * senders that set DF on an oversized datagram fail in ip_append_data first): FragFails and ICMP
 * fragmentation needed. Otherwise ip_do_fragment, each piece to ip_finish_output2.
 */
function ipFragment(skb: SkBuff, mtu: number): void {
  const net = (skb.dev as NetDevice).net;
  const fragOff =
    ((skb.data[skb.networkHeader + 6] as number) << 8) | (skb.data[skb.networkHeader + 7] as number);
  if (fragOff & IP_DF) {
    net.ipv4.mib.FragFails++;
    icmpSend(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
    return;
  }
  ipDoFragment(net, skb, mtu, ipFinishOutput2);
}

/** ip_finish_output2: resolve the next hop and transmit. */
function ipFinishOutput2(skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  const dev = skb.dev as NetDevice;
  // IPSTATS_MIB_OUT (OutTransmits) is counted after fragmentation, once per packet sent.
  const mib = dev.net.ipv4.mib;
  mib.OutTransmits++;
  mib.OutOctets += skb.tail - skb.networkHeader;
  if (rt.type === RTN_MULTICAST) {
    mib.OutMcastPkts++;
    mib.OutMcastOctets += skb.tail - skb.networkHeader;
  } else if (rt.type === RTN_BROADCAST) {
    mib.OutBcastPkts++;
    mib.OutBcastOctets += skb.tail - skb.networkHeader;
  }
  const daddr =
    ((skb.data[skb.networkHeader + 16] as number) * 0x1000000 +
      ((skb.data[skb.networkHeader + 17] as number) << 16) +
      ((skb.data[skb.networkHeader + 18] as number) << 8) +
      (skb.data[skb.networkHeader + 19] as number)) >>>
    0;
  // ip_neigh_for_gw: every next hop has its entry, a group's, a broadcast address's and the loopback
  // device's too (arp_constructor makes those NUD_NOARP, with no resolution to wait for).
  // On a loopback or point-to-point device the key is 0.0.0.0 (__ipv4_neigh_lookup_noref).
  const neigh = arpNeighFor(dev, dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT) ? 0 : rtNexthop(rt, daddr));
  if (!neigh) {
    // "No header cache and no neighbour!": the machine's ARP table is full; the sender gets
    // -ENOBUFS back from ip_local_out.
    dev.net.host.tracer?.drop(dev.net, skb, "NEIGH_CREATEFAIL");
    xmitStatus.dropped = true;
    return;
  }
  neighResolveOutput(neigh, skb);
}

/** dev_hard_header + dev_queue_xmit: put the Ethernet header on and send. */
export function linkXmit(skb: SkBuff, dev: NetDevice, dst: Uint8Array): void {
  skb.head = skb.networkHeader;
  skbPush(skb, 14);
  skb.macHeader = skb.head;
  ethHeader(skb.data, skb.head, dst, dev.address, ETH_P_IP);
  devQueueXmit(skb, dev);
}
