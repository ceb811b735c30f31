// ICMP (net/ipv4/icmp.c): answering echo requests and sending errors about packets we could not
// deliver or forward.
import {
  emitIcmp,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  type IcmpRepr,
  icmpLength,
  isIcmpError,
  parseIcmp,
} from "../../wire/icmp.js";
import { IP_MF, IP_OFFSET, IPPROTO_ICMP, Ipv4View } from "../../wire/ipv4.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { RTCF_BROADCAST, RTCF_LOCAL } from "../uapi.js";
import { ipBuildSkb, ipLocalOut } from "./ip_output.js";
import { icmpMsgInc } from "./netns_ipv4.js";
import { ipRouteOutputKey, type Rtable } from "./route.js";

/** IPTOS_PREC_INTERNETCONTROL: errors go out with precedence 6. */
const IPTOS_PREC_INTERNETCONTROL = 0xc0;
const IPTOS_TOS_MASK = 0x1e;
/** RFC 1812 4.3.2.3: an error quotes as much as fits in 576 bytes. */
const ICMP_ERROR_MAX = 576;

function netOf(skb: SkBuff): Net | undefined {
  return skb.dst?.dev.net ?? skb.dev?.net;
}

function sendIcmp(net: Net, rt: Rtable, daddr: number, tos: number, icmp: IcmpRepr): void {
  const body = new Uint8Array(icmpLength(icmp));
  emitIcmp(body, 0, icmp);
  const skb = ipBuildSkb(
    net,
    { saddr: rt.src, daddr, protocol: IPPROTO_ICMP, ttl: net.ipv4.sysctlIpDefaultTtl, tos, df: false },
    body,
  );
  // icmp_out_count, which __ip_make_skb calls for every ICMP packet it builds.
  net.ipv4.mib.IcmpOutMsgs++;
  icmpMsgInc(net.ipv4.mib, 0x100 | icmp.type);
  ipLocalOut(net, skb, rt);
}

/**
 * __icmp_send: an error about `skbIn` back to its source. Never about an ICMP error, a broadcast,
 * or a fragment other than the first.
 */
export function icmpSend(skbIn: SkBuff, type: number, code: number, info: number): void {
  const net = netOf(skbIn);
  const rt = skbIn.dst;
  const iph = Ipv4View.over(skbIn.data, skbIn.networkHeader);
  if (!net || !rt || !iph) return;
  if (rt.flags & RTCF_BROADCAST) return;
  if (skbIn.pktType !== "PACKET_HOST" && skbIn.pktType !== "PACKET_OUTGOING") return;
  if (iph.fragOff & IP_OFFSET) return;
  const hl = iph.headerLength;
  if (iph.protocol === IPPROTO_ICMP) {
    const innerType = skbIn.data[skbIn.networkHeader + hl];
    if (innerType === undefined || isIcmpError(innerType)) return;
  }
  // An error for a packet we sent to ourselves comes from its destination; otherwise the route
  // back to the sender picks the source (icmp_errors_use_inbound_ifaddr is 0).
  const saddr = rt.flags & RTCF_LOCAL ? iph.daddr : 0;
  const back = ipRouteOutputKey(net, { daddr: iph.saddr, saddr: saddr || undefined });
  if (back instanceof KernelError) {
    net.ipv4.mib.IcmpOutErrors++;
    return;
  }
  const len = Math.min(iph.totalLength, skbIn.tail - skbIn.networkHeader, ICMP_ERROR_MAX - 28);
  const quoted = skbIn.data.slice(skbIn.networkHeader, skbIn.networkHeader + len);
  const tos = (iph.tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
  sendIcmp(net, back, iph.saddr, tos, { kind: "error", type, code, rest: info >>> 0, quoted });
}

/** icmp_rcv */
export function icmpRcv(skb: SkBuff): void {
  const net = skb.dev?.net as Net;
  const mib = net.ipv4.mib;
  const iph = Ipv4View.over(skb.data, skb.networkHeader) as Ipv4View;
  mib.IcmpInMsgs++;
  const parsed = parseIcmp(skb.data, skb.transportHeader, skb.networkHeader + iph.totalLength);
  if (parsed.kind === "error") {
    if (parsed.reason === "checksum") mib.IcmpInCsumErrors++;
    mib.IcmpInErrors++;
    return;
  }
  const icmp = parsed.repr;
  icmpMsgInc(mib, icmp.type);
  const rt = skb.dst as Rtable;
  if (rt.flags & RTCF_BROADCAST) {
    // RFC 1122 3.2.2.6: echo to broadcast may be ignored; everything else to broadcast is.
    if (icmp.kind !== "echo" || icmp.type !== ICMP_ECHO || net.ipv4.sysctlIcmpEchoIgnoreBroadcasts) return;
  }
  if (icmp.kind === "echo" && icmp.type === ICMP_ECHO) {
    icmpEcho(skb, net, iph, icmp.id, icmp.seq, icmp.data);
    return;
  }
  if (icmp.kind === "error" && icmp.type === ICMP_DEST_UNREACH) {
    // icmp_unreach: the error already reached raw sockets; no other protocol here wants it.
    return;
  }
}

/** icmp_echo: reply from the address the request was sent to (fib_compute_spec_dst). */
function icmpEcho(skb: SkBuff, net: Net, iph: Ipv4View, id: number, seq: number, data: Uint8Array): void {
  if (net.ipv4.sysctlIcmpEchoIgnoreAll) return;
  const rt = skb.dst as Rtable;
  const back = ipRouteOutputKey(net, { daddr: iph.saddr, saddr: rt.src || undefined, tos: iph.tos });
  if (back instanceof KernelError) {
    net.ipv4.mib.IcmpOutErrors++;
    return;
  }
  sendIcmp(net, back, iph.saddr, iph.tos, { kind: "echo", type: ICMP_ECHOREPLY, id, seq, data });
}

/** True for a first-or-only fragment (offset 0, MF clear). */
export function ipIsWhole(iph: Ipv4View): boolean {
  return (iph.fragOff & (IP_MF | IP_OFFSET)) === 0;
}
