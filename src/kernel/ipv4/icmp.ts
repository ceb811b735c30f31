// ICMP (net/ipv4/icmp.c): answering echo requests and sending errors about packets we could not
// deliver or forward.
import { formatIPv4 } from "../../wire/addr.js";
import {
  emitIcmp,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_PARAMETERPROB,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  type IcmpRepr,
  icmpLength,
  isIcmpError,
  parseIcmp,
} from "../../wire/icmp.js";
import { IP_MF, IP_OFFSET, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, Ipv4View } from "../../wire/ipv4.js";
import type { NetDevice } from "../core/dev.js";
import { CHECKSUM_PARTIAL, csumPartialCopy, KERNEL_SK, type SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { netWarnRatelimited } from "../netfilter/nf_conntrack.js";
import { KernelError } from "../syscalls.js";
import {
  IFF_LOOPBACK,
  RT_SCOPE_LINK,
  RTCF_BROADCAST,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTN_BROADCAST,
} from "../uapi.js";
import { inetAddrType, inetSelectAddr } from "./devinet.js";
import { inetGetpeerV4, inetPeerXrlimAllow, jiffiesOf } from "./inet_peer.js";
import { type IpOptions, ipOptionsEcho } from "./ip_options.js";
import { ipBuildSkb, ipLocalOut } from "./ip_output.js";
import { ipv4Sysctl } from "./ipv4_net_table.js";
import { icmpMsgInc, type SockExtendedErr } from "./netns_ipv4.js";
import { rawIcmpError } from "./raw.js";
import { ipDoRedirect, ipRouteOutputKey, type Rtable } from "./route.js";
import { tcpV4Err } from "./tcp.js";
import { udpErr } from "./udp.js";

/** IPTOS_PREC_INTERNETCONTROL: errors go out with precedence 6. */
const IPTOS_PREC_INTERNETCONTROL = 0xc0;
const IPTOS_TOS_MASK = 0x1e;
/** RFC 1812 4.3.2.3: an error quotes as much as fits in 576 bytes. */
const ICMP_ERROR_MAX = 576;

function netOf(skb: SkBuff): Net | undefined {
  return skb.dst?.dev.net ?? skb.dev?.net;
}

function sendIcmp(
  net: Net,
  rt: Rtable,
  daddr: number,
  tos: number,
  icmp: IcmpRepr,
  opt: IpOptions | undefined,
  mark: number,
): void {
  const body = new Uint8Array(icmpLength(icmp));
  emitIcmp(body, 0, icmp);
  const skb = ipBuildSkb(
    net,
    { saddr: rt.src, daddr, protocol: IPPROTO_ICMP, ttl: net.ipv4.sysctlIpDefaultTtl, tos, df: false, opt },
    body,
  );
  // Sent from the namespace's icmp_sk, with ipc.sockc.mark.
  skb.sk = KERNEL_SK;
  skb.mark = mark;
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
  // An error for a packet we sent to ourselves comes from its destination; otherwise from the
  // device it came in on with icmp_errors_use_inbound_ifaddr (an input route's inet_iif: the
  // skb's device until it is handed to the output one), else the route back picks the source.
  let saddr = iph.daddr;
  if (!(rt.flags & RTCF_LOCAL)) {
    const dev = rt.input && ipv4Sysctl(net, "icmp_errors_use_inbound_ifaddr") ? skbIn.dev : undefined;
    saddr = dev ? inetSelectAddr(dev, iph.saddr, RT_SCOPE_LINK) : 0;
  }
  // IP4_REPLY_MARK: the error carries the offending packet's mark with fwmark_reflect.
  const mark = ipv4Sysctl(net, "fwmark_reflect") ? skbIn.mark : 0;
  // The global limit, unless the packet came in on loopback; then the per-destination one.
  let applyRatelimit = false;
  if (!(skbIn.dev && skbIn.dev.flags & IFF_LOOPBACK)) {
    const allowed = icmpv4GlobalAllow(net, type, code);
    if (!allowed) return;
    applyRatelimit = allowed === "limited";
  }
  const back = ipRouteOutputKey(net, { daddr: iph.saddr, saddr: saddr || undefined, mark });
  if (back instanceof KernelError) {
    net.ipv4.mib.IcmpOutErrors++;
    return;
  }
  // __ip_options_echo: the error carries the offending packet's options turned around.
  const opt = ipOptionsEcho(net, skbIn, skbIn.opt);
  if (!opt) return;
  if (!icmpv4XrlimAllow(net, back, iph.saddr, applyRatelimit)) return;
  const room = ICMP_ERROR_MAX - 28 - opt.optlen;
  const len = Math.min(iph.totalLength, skbIn.tail - skbIn.networkHeader, room);
  const quoted = skbIn.data.slice(skbIn.networkHeader, skbIn.networkHeader + len);
  // The quote is the datagram's bytes as they stand: a local one still CHECKSUM_PARTIAL has the
  // pseudo-header's sum in its checksum field.
  if (skbIn.ipSummed === CHECKSUM_PARTIAL) csumPartialCopy(quoted, 0);
  const tos = (iph.tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
  sendIcmp(net, back, iph.saddr, tos, { kind: "error", type, code, rest: info >>> 0, quoted }, opt, mark);
}

const HZ = 250;

/** icmpv4_mask_allow: types outside icmp_ratemask, and PMTU discovery, are never limited. */
function icmpv4MaskAllow(net: Net, type: number, code: number): boolean {
  if (type > 18) return true;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) return true;
  return !((1 << type) & net.ipv4.sysctlIcmpRatemask);
}

/** icmp_global_allow: a per-namespace credit of icmp_msgs_burst, refilled icmp_msgs_per_sec. */
function icmpGlobalAllow(net: Net): boolean {
  const ipv4 = net.ipv4;
  if (ipv4.icmpGlobalCredit > 0) return true;
  const now = jiffiesOf(net.host.clock.now);
  const delta = Math.min(now - ipv4.icmpGlobalStamp, HZ);
  if (delta < HZ / 50) return false;
  const incr = Math.floor((ipv4.sysctlIcmpMsgsPerSec * delta) / HZ);
  if (!incr) return false;
  ipv4.icmpGlobalStamp = now;
  ipv4.icmpGlobalCredit = Math.min(ipv4.icmpGlobalCredit + incr, ipv4.sysctlIcmpMsgsBurst);
  return true;
}

/** icmpv4_global_allow: false when dropped; "limited" when the peer limit must be applied too. */
function icmpv4GlobalAllow(net: Net, type: number, code: number): boolean | "limited" {
  if (icmpv4MaskAllow(net, type, code)) return true;
  if (icmpGlobalAllow(net)) return "limited";
  net.ipv4.mib.IcmpOutRateLimitGlobal++;
  return false;
}

/** icmpv4_xrlim_allow: the inet_peer token bucket of the destination, never on loopback. */
function icmpv4XrlimAllow(net: Net, rt: Rtable, daddr: number, applyRatelimit: boolean): boolean {
  if (!applyRatelimit) return true;
  let rc = true;
  if (!(rt.dev.flags & IFF_LOOPBACK)) {
    const now = net.host.clock.now;
    rc = inetPeerXrlimAllow(inetGetpeerV4(net.ipv4.peers, daddr, now), net.ipv4.sysctlIcmpRatelimit, now);
  }
  if (!rc) net.ipv4.mib.IcmpOutRateLimitHost++;
  // icmp_global_consume: 0, 1 or 2 credits, at random.
  else net.ipv4.icmpGlobalCredit -= net.host.randomU32() % 3;
  return rc;
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
  if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
    // RFC 1122 3.2.2.6: echo to broadcast or multicast may be ignored; everything else to them is.
    // Either way the drop counts as IcmpInErrors (icmp_rcv's error label).
    if (icmp.kind !== "echo" || icmp.type !== ICMP_ECHO || net.ipv4.sysctlIcmpEchoIgnoreBroadcasts) {
      mib.IcmpInErrors++;
      return;
    }
  }
  if (icmp.kind === "echo" && icmp.type === ICMP_ECHO) {
    icmpEcho(skb, net, iph, icmp.id, icmp.seq, icmp.data);
    return;
  }
  if (
    icmp.kind === "error" &&
    (icmp.type === ICMP_DEST_UNREACH || icmp.type === ICMP_TIME_EXCEEDED || icmp.type === ICMP_PARAMETERPROB)
  ) {
    icmpUnreach(net, skb, iph, icmp.type, icmp.code, icmp.rest, icmp.quoted);
  } else if (icmp.kind === "error" && icmp.type === ICMP_REDIRECT) icmpRedirect(skb, iph, icmp);
}

/**
 * icmp_redirect -> icmp_socket_deliver: the protocols' error handlers (icmp_err's ping_err and
 * raw_err, udp_err, tcp_v4_err) all hand a redirect to ipv4_redirect/ipv4_sk_redirect, which
 * is modelled here once, for the flow the quoted header names, whatever socket sent it.
 */
function icmpRedirect(
  skb: SkBuff,
  outer: Ipv4View,
  icmp: { readonly code: number; readonly rest: number; readonly quoted: Uint8Array },
): void {
  const inner = Ipv4View.over(icmp.quoted, 0);
  if (!inner || inner.headerLength < 20 || icmp.quoted.length < inner.headerLength + 8) {
    if (skb.dev) skb.dev.net.ipv4.mib.IcmpInErrors++;
    return;
  }
  const dev = skb.dev as NetDevice;
  ipDoRedirect(
    dev,
    { oldGw: outer.saddr, newGw: icmp.rest >>> 0, code: icmp.code },
    { saddr: inner.saddr, daddr: inner.daddr, tos: inner.tos, proto: inner.protocol },
  );
}

/** icmp_echo: reply from the address the request was sent to (fib_compute_spec_dst). */
function icmpEcho(skb: SkBuff, net: Net, iph: Ipv4View, id: number, seq: number, data: Uint8Array): void {
  if (net.ipv4.sysctlIcmpEchoIgnoreAll) return;
  const rt = skb.dst as Rtable;
  // icmp_reply: the request's options, echoed (record route and timestamps keep filling).
  const opt = ipOptionsEcho(net, skb, skb.opt);
  if (!opt) return;
  // IP4_REPLY_MARK: with fwmark_reflect the reply is routed and sent with the request's mark.
  const mark = ipv4Sysctl(net, "fwmark_reflect") ? skb.mark : 0;
  const back = ipRouteOutputKey(net, { daddr: iph.saddr, saddr: rt.src || undefined, tos: iph.tos, mark });
  if (back instanceof KernelError) {
    net.ipv4.mib.IcmpOutErrors++;
    return;
  }
  sendIcmp(net, back, iph.saddr, iph.tos, { kind: "echo", type: ICMP_ECHOREPLY, id, seq, data }, opt, mark);
}

/** icmp_err_convert: the errno and whether it is fatal, by ICMP_DEST_UNREACH code. */
const ICMP_ERR_CONVERT: readonly (readonly [SockExtendedErr["errno"], boolean])[] = [
  ["ENETUNREACH", false],
  ["EHOSTUNREACH", false],
  ["EPROTO", true],
  ["ECONNREFUSED", true],
  ["EMSGSIZE", false],
  ["EPROTO", false],
  ["ENETUNREACH", true],
  ["EHOSTUNREACH", true],
  ["EPROTO", true],
  ["EACCES", true],
  ["EACCES", true],
  ["ENETUNREACH", false],
  ["EHOSTUNREACH", false],
  ["EHOSTUNREACH", true],
  ["EHOSTUNREACH", true],
  ["EHOSTUNREACH", true],
];

/** The errno a UDP or raw socket reports for an ICMP error (__udp4_lib_err, raw_err). */
export function icmpErrno(type: number, code: number): SockExtendedErr["errno"] | undefined {
  if (type === ICMP_PARAMETERPROB) return "EPROTO";
  if (type === ICMP_DEST_UNREACH) {
    if (code === ICMP_FRAG_NEEDED) return "EMSGSIZE";
    return ICMP_ERR_CONVERT[code]?.[0] ?? "EHOSTUNREACH";
  }
  return "EHOSTUNREACH";
}

/**
 * icmp_unreach -> icmp_socket_deliver: the quoted datagram names the socket that sent it; raw
 * sockets of its protocol hear first (raw_icmp_error), then the protocol (udp_err).
 */
function icmpUnreach(
  net: Net,
  skb: SkBuff,
  outer: Ipv4View,
  type: number,
  code: number,
  info: number,
  quoted: Uint8Array,
): void {
  const from = outer.saddr;
  const ttl = outer.ttl;
  const inner = Ipv4View.over(quoted, 0);
  if (!inner || inner.headerLength < 20 || quoted.length < inner.headerLength + 8) return;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
    // ip_no_pmtu_disc: 0 takes the MTU; 2, and 3 for protocols without strict tag validation
    // (none here), ignore the error; anything else passes an MTU of 0.
    const noPmtuDisc = net.ipv4.sysctlIpNoPmtuDisc;
    if (noPmtuDisc === 2 || noPmtuDisc === 3) return;
    info = noPmtuDisc === 0 ? info & 0xffff : 0;
  } else if (type !== ICMP_PARAMETERPROB) info = 0;
  else info = info >>> 24;
  // RFC 1122 3.2.2: no error may answer a broadcast. Unless icmp_ignore_bogus_error_responses
  // (the default) keeps quiet about it, an error quoting a datagram sent to a broadcast address
  // is logged and dropped.
  if (
    !ipv4Sysctl(net, "icmp_ignore_bogus_error_responses") &&
    inetAddrType(net, inner.daddr) === RTN_BROADCAST
  ) {
    netWarnRatelimited(
      net,
      jiffiesOf(net.host.clock.now),
      `${formatIPv4(from)} sent an invalid ICMP type ${type}, code ${code} error to a broadcast: ${formatIPv4(inner.daddr)} on ${skb.dev?.name ?? ""}`,
    );
    return;
  }
  rawIcmpError(net, { from, ttl, type, code, info, quoted });
  if (inner.protocol === IPPROTO_UDP) {
    const fatal =
      type === ICMP_DEST_UNREACH ? (ICMP_ERR_CONVERT[code]?.[1] ?? false) : type === ICMP_PARAMETERPROB;
    udpErr(net, { from, ttl, type, code, info, quoted, fatal });
  } else if (inner.protocol === IPPROTO_TCP) {
    tcpV4Err(net, { type, code, info, quoted, errno: icmpErrno(type, code) });
  }
}

/** True for a first-or-only fragment (offset 0, MF clear). */
export function ipIsWhole(iph: Ipv4View): boolean {
  return (iph.fragOff & (IP_MF | IP_OFFSET)) === 0;
}
