// Raw IPv4 sockets (net/ipv4/raw.c), as iputils ping uses one: every ICMP packet that arrives
// is copied to the matching raw sockets before ICMP itself handles it.
import { bytesToIPv4 } from "../../wire/addr.js";
import { IPPROTO_ICMP, IPV4_MIN_HLEN } from "../../wire/ipv4.js";
import { xmitStatus } from "../core/netif.js";
import type { SkBuff, SkOwner } from "../core/skbuff.js";
import { netCoreSysctl } from "../core/sysctl_net_core.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { RTCF_BROADCAST, RTN_MULTICAST } from "../uapi.js";
import { icmpErrno } from "./icmp.js";
import type { IpOptions } from "./ip_options.js";
import { ipBuildSkb, ipLocalOut } from "./ip_output.js";
import { icmpMsgInc, type SockExtendedErr } from "./netns_ipv4.js";
import { dstMtu, ipRouteOutputKey, ipv4SkUpdatePmtu } from "./route.js";

export interface RawDatagram {
  /** The whole IP packet, header included. */
  readonly data: Uint8Array;
  readonly from: number;
}

export interface RawSock {
  readonly net: Net;
  readonly protocol: number;
  /** SO_BINDTODEVICE: 0 for any. */
  boundDevIf: number;
  /** bind(): the source address, 0 when unbound. */
  saddr: number;
  /** IP_TTL: undefined until set, when ip_default_ttl applies. */
  ttl: number | undefined;
  /** ICMP_FILTER: bit N set drops ICMP type N. */
  icmpFilter: number;
  /** connect(): the peer, 0 when unconnected. */
  daddr: number;
  /** IP_RECVERR, and the error queue it fills. */
  recverr: boolean;
  /** IP_MTU_DISCOVER: IP_PMTUDISC_WANT (1) by default. */
  pmtudisc: number;
  /** SO_BROADCAST: may send to a broadcast route. */
  broadcast: boolean;
  /** IP_TOS: inet->tos, the whole byte (DSCP and ECN) of what it sends. */
  tos: number;
  /** SO_MARK: sk_mark, for the route lookup and every packet sent. */
  mark: number;
  /** SO_DONTROUTE: only destinations on a link (RT_SCOPE_LINK lookups). */
  dontroute: boolean;
  /** IP_OPTIONS: inet->inet_opt, compiled (ip_options_get). */
  opt: IpOptions | undefined;
  /** SO_SNDBUF and SO_RCVBUF as the kernel stored them (doubled and clamped). */
  sndbuf: number;
  rcvbuf: number;
  /** SO_DEBUG, kept as set, and IP_MULTICAST_LOOP (also on the owner, for ip_mc_output). */
  debug: boolean;
  mcLoop: boolean;
  /** IP_MULTICAST_TTL: the TTL of what goes to a group (1 by default). */
  mcTtl: number;
  readonly errQueue: SockExtendedErr[];
  readonly rcvQueue: RawDatagram[];
  /** The struct socket and file socket() gave it (skb->sk's owner). */
  readonly owner: SkOwner;
}

/** IP_MTU_DISCOVER values (include/uapi/linux/in.h). */
const IP_PMTUDISC_WANT = 1;
const IP_PMTUDISC_DO = 2;
const IP_PMTUDISC_PROBE = 3;
const IP_PMTUDISC_OMIT = 5;
const RT_SCOPE_LINK = 253;
/** IP_MAX_MTU (include/net/ip.h) */
const IP_MAX_MTU = 0xffff;

export function rawSockCreate(net: Net, protocol: number): RawSock {
  const sock: RawSock = {
    net,
    protocol,
    boundDevIf: 0,
    saddr: 0,
    ttl: undefined,
    icmpFilter: 0,
    daddr: 0,
    recverr: false,
    pmtudisc: 1,
    broadcast: false,
    tos: 0,
    mark: 0,
    dontroute: false,
    opt: undefined,
    // sock_init_data: net.core.wmem_default and rmem_default.
    sndbuf: netCoreSysctl(net, "wmem_default"),
    rcvbuf: netCoreSysctl(net, "rmem_default"),
    debug: false,
    mcLoop: true,
    mcTtl: 1,
    errQueue: [],
    rcvQueue: [],
    owner: { fullsock: true, hasSocket: false, fileCred: undefined },
  };
  net.ipv4.rawSockets.add(sock);
  return sock;
}

export function rawSockClose(sock: RawSock): void {
  sock.net.ipv4.rawSockets.delete(sock);
}

/** raw_local_deliver: copies to each matching socket; true when one took the packet. */
export function rawLocalDeliver(skb: SkBuff, protocol: number, len: number): boolean {
  const net = skb.dev?.net;
  if (!net) return false;
  let delivered = false;
  const iif = skb.dst?.iif ?? skb.dev?.ifindex ?? 0;
  for (const sock of net.ipv4.rawSockets) {
    if (sock.protocol !== protocol) continue;
    if (sock.boundDevIf && sock.boundDevIf !== iif) continue;
    // raw_v4_match: a connected socket hears only its peer.
    if (sock.daddr && sock.daddr !== bytesToIPv4(skb.data, skb.networkHeader + 12)) continue;
    delivered = true;
    if (protocol === 1) {
      const type = skb.data[skb.transportHeader] ?? 0;
      if (type < 32 && sock.icmpFilter & (1 << type)) continue;
    }
    const data = skb.data.slice(skb.networkHeader, skb.networkHeader + len);
    sock.rcvQueue.push({ data, from: bytesToIPv4(data, 12) });
  }
  return delivered;
}

/**
 * raw_icmp_error -> raw_err: an ICMP error about a datagram of this protocol, for each matching
 * socket; queued on the error queue with IP_RECVERR (the payload starts at the quoted transport header).
 */
export function rawIcmpError(
  net: Net,
  err: { from: number; ttl: number; type: number; code: number; info: number; quoted: Uint8Array },
): void {
  const quoted = err.quoted;
  const protocol = quoted[9];
  const hl = ((quoted[0] as number) & 15) * 4;
  const inDaddr = bytesToIPv4(quoted, 16);
  const inSaddr = bytesToIPv4(quoted, 12);
  for (const sock of net.ipv4.rawSockets) {
    if (sock.protocol !== protocol) continue;
    if (sock.daddr && sock.daddr !== inDaddr) continue;
    if (sock.saddr && sock.saddr !== inSaddr) continue;
    // raw_err: a frag-needed teaches the route first, whether or not errors are queued.
    if (err.type === 3 && err.code === 4)
      ipv4SkUpdatePmtu(
        net,
        { daddr: inDaddr, saddr: inSaddr, oif: sock.boundDevIf || undefined, pmtudisc: sock.pmtudisc },
        err.info,
      );
    if (!sock.recverr) continue;
    const errno = icmpErrno(err.type, err.code);
    if (!errno) continue;
    sock.errQueue.push({
      errno,
      origin: "icmp",
      type: err.type,
      code: err.code,
      info: err.info,
      offender: err.from,
      ttl: err.ttl,
      addr: inDaddr,
      port: 0,
      payload: quoted.slice(hl),
    });
  }
}

/** LL_RESERVED_SPACE of an Ethernet device (16) plus the 15 bytes ip_append_data adds (alloc_extra). */
const ALLOC_EXTRA = 16 + 15;
/** SKB_MAX_ALLOC: the largest linear skb of one page; SKB_DATA_ALIGN'd skb_shared_info and sk_buff. */
const SKB_MAX_ALLOC = 4096 - 320;
const SHINFO_SIZE = 320;
const SKB_SIZE = 256;

/** skb->truesize of alloc_skb(size): the kmalloc bucket of the data and shared info, plus the sk_buff. */
function allocSkbTruesize(size: number): number {
  const need = ((size + 63) & ~63) + SHINFO_SIZE;
  let bucket = need <= 96 ? 96 : need <= 192 ? 192 : 256;
  while (bucket < need) bucket *= 2;
  return bucket + SKB_SIZE;
}

/**
 * __ip_append_data without a transport header (raw sockets): one skb per fragment, each charged to
 * the socket, and a new one allocated only while sk_wmem_alloc (1, plus what is charged) is at
 * most twice sk_sndbuf. A fragment takes (mtu - header) & ~7 bytes, the last up to mtu - header.
 * Past a page an skb holds only the header and the data goes in page fragments (NETIF_F_SG).
 */
function ipAppendDataCharge(
  sock: RawSock,
  length: number,
  path: { readonly mtu: number; readonly fragheaderlen: number },
): boolean {
  const { mtu, fragheaderlen } = path;
  const maxfraglen = ((mtu - fragheaderlen) & ~7) + fragheaderlen;
  let delta = 0;
  for (let left = length; left > 0; ) {
    if (1 + delta > 2 * sock.sndbuf) return false;
    const datalen = left > mtu - fragheaderlen ? maxfraglen - fragheaderlen : left;
    const fraglen = datalen + fragheaderlen;
    delta +=
      fraglen + ALLOC_EXTRA < SKB_MAX_ALLOC
        ? allocSkbTruesize(fraglen + ALLOC_EXTRA)
        : allocSkbTruesize(fragheaderlen + ALLOC_EXTRA) + datalen;
    left -= datalen;
  }
  return true;
}

/** raw_sendmsg without IP_HDRINCL: the kernel builds the IP header around `payload`. */
export function rawSendmsg(sock: RawSock, daddr: number, payload: Uint8Array, saddr?: number): void {
  const net = sock.net;
  // raw_sendmsg: no datagram is larger than 64 KiB (EMSGSIZE, nothing queued).
  if (payload.length > IP_MAX_MTU) throw new KernelError("EMSGSIZE");
  // raw_sendmsg: a source route sends to its first hop; the TOS's DSCP bits and the mark steer the
  // lookup; SO_DONTROUTE narrows it to link scope (ip_sendmsg_scope).
  const opt = sock.opt?.optlen ? sock.opt : undefined;
  const rt = ipRouteOutputKey(net, {
    daddr: opt?.srr ? opt.faddr : daddr,
    saddr,
    oif: sock.boundDevIf || undefined,
    tos: sock.tos & 0xfc,
    mark: sock.mark,
    scope: sock.dontroute ? RT_SCOPE_LINK : undefined,
  });
  // raw_sendmsg returns the lookup's error as it is: no OutNoRoutes here (udp_sendmsg counts one).
  if (rt instanceof KernelError) throw rt;
  // raw_sendmsg: a broadcast route needs SO_BROADCAST.
  if (rt.flags & RTCF_BROADCAST && !sock.broadcast) throw new KernelError("EACCES");
  // __ip_make_skb: a multicast route takes IP_MULTICAST_TTL (1 unless set), others IP_TTL.
  const ttl = rt.type === RTN_MULTICAST ? sock.mcTtl : (sock.ttl ?? net.ipv4.sysctlIpDefaultTtl);
  const fragheaderlen = IPV4_MIN_HLEN + (opt?.optlen ?? 0);
  const len = fragheaderlen + payload.length;
  // cork->fragsize: the path MTU unless IP_PMTUDISC_PROBE asks for the device's.
  const mtu = sock.pmtudisc === IP_PMTUDISC_PROBE ? rt.dev.mtu : dstMtu(rt);
  const pmtudisc = sock.pmtudisc;
  // ip_sk_ignore_df: DONT, WANT and OMIT let ip_append_data fragment up to IP_MAX_MTU; DO, PROBE
  // and INTERFACE refuse a datagram larger than the MTU. Either way the refusal is a local error
  // (with IP_RECVERR) naming the MTU less the options, then EMSGSIZE.
  const ignoreDf = pmtudisc < IP_PMTUDISC_DO || pmtudisc === IP_PMTUDISC_OMIT;
  const maxnonfragsize = ignoreDf ? IP_MAX_MTU : mtu;
  if (payload.length > maxnonfragsize - fragheaderlen) {
    if (sock.recverr)
      sock.errQueue.push({
        errno: "EMSGSIZE",
        origin: "local",
        type: 0,
        code: 0,
        info: mtu - (opt?.optlen ?? 0),
        offender: 0,
        ttl: 0,
        addr: daddr,
        port: 0,
        payload: new Uint8Array(0),
      });
    throw new KernelError("EMSGSIZE");
  }
  if (len > mtu && !ipAppendDataCharge(sock, payload.length, { mtu, fragheaderlen })) {
    // __ip_append_data's error path: nothing is sent, the datagram counts as an output discard.
    net.ipv4.mib.OutDiscards++;
    throw new KernelError("ENOBUFS");
  }
  // __ip_make_skb: DF with DO or PROBE, or with WANT when the datagram fits (ip_dont_fragment).
  const df =
    pmtudisc === IP_PMTUDISC_DO ||
    pmtudisc === IP_PMTUDISC_PROBE ||
    (pmtudisc === IP_PMTUDISC_WANT && len <= mtu);
  const skb = ipBuildSkb(
    net,
    { saddr: rt.src, daddr, protocol: sock.protocol, ttl, tos: sock.tos, df, ignoreDf, opt },
    payload,
  );
  skb.sk = sock.owner;
  skb.mark = sock.mark;
  if (sock.protocol === IPPROTO_ICMP) {
    // __ip_make_skb -> icmp_out_count, by the type raw_probe_proto_opt read from the payload.
    net.ipv4.mib.IcmpOutMsgs++;
    icmpMsgInc(net.ipv4.mib, 0x100 | (payload[0] ?? 0));
  }
  xmitStatus.dropped = false;
  ipLocalOut(net, skb, rt);
  // ip_push_pending_frames: the driver's NET_XMIT_DROP comes back as ENOBUFS.
  if (xmitStatus.dropped) {
    xmitStatus.dropped = false;
    throw new KernelError("ENOBUFS");
  }
}
