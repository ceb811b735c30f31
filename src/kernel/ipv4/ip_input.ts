// IPv4 input (net/ipv4/ip_input.c): validation, PREROUTING, the input route, and local delivery.

import { bytesToIPv4 } from "../../wire/addr.js";
import { ipFastCsum } from "../../wire/checksum.js";
import {
  ICMP_DEST_UNREACH,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PARAMETERPROB,
  ICMP_PKT_FILTERED,
  ICMP_PROT_UNREACH,
} from "../../wire/icmp.js";
import {
  IP_MF,
  IP_OFFSET,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_MIN_HLEN,
  type Ipv4ParseError,
  Ipv4View,
} from "../../wire/ipv4.js";
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import { NF_HOOK } from "../netfilter/core.js";
import { RTCF_BROADCAST, RTN_BROADCAST, RTN_MULTICAST } from "../uapi.js";
import { NF_INET_LOCAL_IN, NF_INET_PRE_ROUTING } from "../uapi_netfilter.js";
import { icmpRcv, icmpSend } from "./icmp.js";
import { inetGetpeerV4, jiffiesOf } from "./inet_peer.js";
import { ipForward } from "./ip_forward.js";
import { ipDefrag } from "./ip_fragment.js";
import { ipOptionsCompileSkb } from "./ip_options.js";
import { type Ipv4Mib, netIncStats } from "./netns_ipv4.js";
import { rawLocalDeliver } from "./raw.js";
import { ipRouteInput, type Rtable } from "./route.js";
import { tcpV4EarlyDemux, tcpV4Rcv } from "./tcp.js";
import { udpRcv } from "./udp.js";

/** ip_rcv + ip_rcv_core: drop what is not for us or not IPv4, trim to tot_len. */
export function ipRcv(skb: SkBuff, dev: NetDevice): void {
  const mib = dev.net.ipv4.mib;
  if (skb.pktType === "PACKET_OTHERHOST") {
    // SKB_DROP_REASON_OTHERHOST: not counted in InReceives.
    return;
  }
  mib.InReceives++;
  // __IP_UPD_PO_STATS(IPSTATS_MIB_IN, skb->len), then the ECN codepoint of any IPv4 header.
  mib.InOctets += skb.tail - skb.networkHeader;
  const vihl = skb.data[skb.networkHeader] ?? 0;
  if (vihl >> 4 === 4 && (vihl & 15) >= 5 && skb.tail - skb.networkHeader >= 20)
    ipEcnInc(mib, (skb.data[skb.networkHeader + 1] as number) & 3, skb.gsoSegs || 1);
  // ip_rcv_core's checks, in place (parseIpv4's, without building a Repr per packet).
  const d = skb.data;
  const at = skb.networkHeader;
  const room = d.length - at;
  const hl = ((d[at] as number) & 15) * 4;
  const totalLength = ((d[at + 2] as number) << 8) | (d[at + 3] as number);
  const reason: Ipv4ParseError | undefined =
    room < IPV4_MIN_HLEN
      ? "truncated"
      : vihl >> 4 !== 4
        ? "version"
        : hl < IPV4_MIN_HLEN || room < hl
          ? "header_length"
          : ipFastCsum(d, at, hl >> 2) !== 0
            ? "checksum"
            : totalLength > room || totalLength < hl
              ? "total_length"
              : undefined;
  if (reason !== undefined) {
    if (reason === "checksum") mib.InCsumErrors++;
    if (reason === "total_length" || reason === "truncated") mib.InTruncatedPkts++;
    mib.InHdrErrors++;
    return;
  }
  skb.tail = at + totalLength;
  skb.transportHeader = at + hl;
  // ip_sabotage_in: a bridged packet already passed PREROUTING at the bridge (br_netfilter).
  if (skb.nfBridge && !skb.nfBridge.inPrerouting) {
    ipRcvFinish(skb);
    return;
  }
  NF_HOOK(NF_INET_PRE_ROUTING, dev.net, skb, dev, undefined, ipRcvFinish);
}

function mib(dev: NetDevice): Ipv4Mib {
  return dev.net.ipv4.mib;
}

/** IPSTATS_MIB_NOECTPKTS + (tos & INET_ECN_MASK) */
function ipEcnInc(m: Ipv4Mib, ecn: number, segs: number): void {
  // Per segment of a GSO skb (max(1, gso_segs)), where InReceives counts the skb once.
  if (ecn === 0) m.InNoECTPkts += segs;
  else if (ecn === 1) m.InECT1Pkts += segs;
  else if (ecn === 2) m.InECT0Pkts += segs;
  else m.InCEPkts += segs;
}

/** ip_rcv_finish: attach the input route and follow it (dst_input). */
function ipRcvFinish(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  const d = skb.data;
  const at = skb.networkHeader;
  const net = dev.net;
  // ip_rcv_finish_core: early demux, unless a fragment (its ports are in the first piece only); a
  // socket's still valid input route (sk_rx_dst) then stands in for the lookup.
  if (
    d[at + 9] === IPPROTO_TCP &&
    net.ipv4.sysctlIpEarlyDemux &&
    net.ipv4.tcp.sysctlEarlyDemux &&
    !((((d[at + 6] as number) << 8) | (d[at + 7] as number)) & (IP_MF | IP_OFFSET))
  )
    tcpV4EarlyDemux(skb, dev);
  const rt =
    skb.dst ??
    ipRouteInput(dev, bytesToIPv4(d, at + 16), bytesToIPv4(d, at + 12), d[at + 1] as number, {
      mark: skb.mark,
      skb,
    });
  dev.net.host.tracer?.routeInput(skb, dev, rt);
  // Martians and reverse-path failures are dropped uncounted in the IP MIB (ip_rcv_finish_core
  // counts only LINUX_MIB_IPRPFILTER, in /proc/net/netstat).
  if (typeof rt === "string") {
    if (rt === "rpfilter") netIncStats(dev.net.ipv4, "IPReversePathFilter");
    return;
  }
  skb.dst = rt;
  if (((d[at] as number) & 15) > 5 && ipRcvOptions(skb, dev)) return;
  if (rt.type === RTN_MULTICAST) {
    mib(dev).InMcastPkts++;
    mib(dev).InMcastOctets += skb.tail - skb.networkHeader;
  } else if (rt.type === RTN_BROADCAST) {
    mib(dev).InBcastPkts++;
    mib(dev).InBcastOctets += skb.tail - skb.networkHeader;
  }
  if (rt.flags & RTCF_BROADCAST && skb.pktType === "PACKET_HOST") skb.pktType = "PACKET_BROADCAST";
  switch (rt.input) {
    case "ip_local_deliver":
      ipLocalDeliver(skb);
      return;
    case "ip_forward":
      ipForward(skb);
      return;
    case "ip_error":
      ipError(skb, rt);
      return;
    case undefined:
      return;
  }
}

/**
 * ip_rcv_options: the options are checked and this hop's record-route and timestamp slots filled
 * (ip_options_compile, which answers a bad one with a parameter problem); true to drop. A bad
 * option counts InHdrErrors. A source route is dropped: accept_source_route must be on for both
 * `all` and the device, and `all` is 0 (it is not settable in netnest).
 */
function ipRcvOptions(skb: SkBuff, dev: NetDevice): boolean {
  const net = dev.net;
  if (!ipOptionsCompileSkb(net, skb, (s, info) => icmpSend(s, ICMP_PARAMETERPROB, 0, info))) {
    net.ipv4.mib.InHdrErrors++;
    return true;
  }
  return (skb.opt?.srr ?? 0) !== 0;
}

/** ip_rt_error_cost and ip_rt_error_burst: one second, and five, in jiffies (HZ=250). */
const IP_RT_ERROR_COST = 250;
const IP_RT_ERROR_BURST = 5 * 250;

/** ip_error: with forwarding off the packet is dropped quietly; on, the sender hears why. */
function ipError(skb: SkBuff, rt: Rtable): void {
  const dev = skb.dev as NetDevice;
  const mib = dev.net.ipv4.mib;
  const errno = rt.error?.errno;
  if (dev.inDev?.cnf.forwarding === 0) {
    if (errno === "EHOSTUNREACH") mib.InAddrErrors++;
    else if (errno === "ENETUNREACH") mib.InNoRoutes++;
    return;
  }
  let code: number;
  switch (errno) {
    case "EHOSTUNREACH":
      code = ICMP_HOST_UNREACH;
      break;
    case "ENETUNREACH":
      code = ICMP_NET_UNREACH;
      mib.InNoRoutes++;
      break;
    case "EACCES":
      // A prohibit route or rule: "packet filtered".
      code = ICMP_PKT_FILTERED;
      break;
    default:
      // EINVAL (blackhole) and anything else: dropped without a word.
      return;
  }
  // The sender's inet_peer tokens, shared with icmp_ratelimit: ip_rt_error_cost per message, a
  // burst of ip_rt_error_burst.
  const now = dev.net.host.clock.now;
  const saddr = (Ipv4View.over(skb.data, skb.networkHeader) as Ipv4View).saddr;
  const peer = inetGetpeerV4(dev.net.ipv4.peers, saddr, now);
  const jiffies = jiffiesOf(now);
  peer.rateTokens = Math.min(peer.rateTokens + jiffies - peer.rateLast, IP_RT_ERROR_BURST);
  peer.rateLast = jiffies;
  if (peer.rateTokens < IP_RT_ERROR_COST) return;
  peer.rateTokens -= IP_RT_ERROR_COST;
  icmpSend(skb, ICMP_DEST_UNREACH, code, 0);
}

/** ip_local_deliver: fragments are reassembled first (ip_defrag). */
function ipLocalDeliver(skb: SkBuff): void {
  // ip_is_fragment, read in place: MF or a fragment offset.
  const fragOff =
    ((skb.data[skb.networkHeader + 6] as number) << 8) | (skb.data[skb.networkHeader + 7] as number);
  if (fragOff & (IP_MF | IP_OFFSET)) {
    const whole = ipDefrag((skb.dev as NetDevice).net, skb);
    if (!whole) return;
    skb = whole;
  }
  NF_HOOK(NF_INET_LOCAL_IN, (skb.dev as NetDevice).net, skb, skb.dev, undefined, ipLocalDeliverFinish);
}

/** ip_local_deliver_finish -> ip_protocol_deliver_rcu */
function ipLocalDeliverFinish(skb: SkBuff): void {
  const net = (skb.dev as NetDevice).net;
  const iph = Ipv4View.over(skb.data, skb.networkHeader) as Ipv4View;
  const protocol = iph.protocol;
  const raw = rawLocalDeliver(skb, protocol, iph.totalLength);
  net.ipv4.mib.InDelivers++;
  net.host.tracer?.deliver(net, skb, protocol);
  switch (protocol) {
    case IPPROTO_ICMP:
      icmpRcv(skb);
      return;
    case IPPROTO_UDP:
      udpRcv(skb, iph);
      return;
    case IPPROTO_TCP:
      tcpV4Rcv(skb, iph);
      return;
    default:
      if (!raw) {
        net.ipv4.mib.InUnknownProtos++;
        net.ipv4.mib.InDelivers--;
        icmpSend(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
      }
  }
}
