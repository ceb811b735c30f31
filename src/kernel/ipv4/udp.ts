// UDP (net/ipv4/udp.c): binding, the socket lookup with its scoring, the receive queue, sending,
// ICMP errors (__udp4_lib_err) and /proc/net/udp.
import { bytesToIPv4 } from "../../wire/addr.js";
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_PORT_UNREACH } from "../../wire/icmp.js";
import { IPPROTO_UDP, type Ipv4View } from "../../wire/ipv4.js";
import { UDP_HLEN, udpChecksumOk, udpDatagram } from "../../wire/udp.js";
import type { NetDevice } from "../core/dev.js";
import { xmitStatus } from "../core/netif.js";
import { CHECKSUM_PARTIAL, type SkBuff } from "../core/skbuff.js";
import { netCoreSysctl } from "../core/sysctl_net_core.js";
import { SkbQueue } from "../lib/skb_queue.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { RTCF_BROADCAST, RTCF_MULTICAST } from "../uapi.js";
import { icmpErrno, icmpSend } from "./icmp.js";
import type { IpMcSocklist } from "./igmp.js";
import {
  type InetSock,
  inetBindCheckAddr,
  inetSockInit,
  pickEphemeralPort,
  RCV_SHUTDOWN,
  SHUTDOWN_MASK,
  udpBindConflict,
} from "./inet_hashtables.js";
import { ipLocalOut, ipMakeSkb } from "./ip_output.js";
import { dstMtu, ipRouteOutputKey, ipv4SkUpdatePmtu, type Rtable } from "./route.js";

const IP_PMTUDISC_DONT = 0;
const IP_PMTUDISC_WANT = 1;
const IP_PMTUDISC_DO = 2;
const IP_PMTUDISC_PROBE = 3;

export interface UdpDatagram {
  readonly data: Uint8Array;
  readonly from: number;
  readonly port: number;
  /** skb->truesize as charged to sk_rmem_alloc. */
  readonly truesize: number;
}

/** struct udp_sock */
export interface UdpSock extends InetSock {
  /** sk_state: TCP_ESTABLISHED (1) once connected, else TCP_CLOSE (7). */
  connected: boolean;
  /** inet_id: the IP id counter ip4_datagram_connect seeds at random (get_random_u16). */
  inetId?: number;
  hashed: boolean;
  readonly rcvQueue: SkbQueue<UdpDatagram>;
  rmemAlloc: number;
  rcvbuf: number;
  /** sk_drops */
  drops: number;
  /**
   * udp_sk(sk)->encap_rcv, set by setup_udp_tunnel_sock on a kernel tunnel socket (vxlan): it
   * consumes every datagram the socket receives.
   */
  encapRcv?: (sk: UdpSock, skb: SkBuff) => void;
  /** sk_user_data: the tunnel's state (struct vxlan_sock). */
  skUserData?: unknown;
  /** inet->mc_list: the groups this socket joined (ip_mc_join_group), newest first. */
  mcList?: IpMcSocklist[];
  /** IP_TOS (inet->tos) and SO_MARK (sk_mark): the lookup and every datagram carry them. */
  tos: number;
  mark: number;
}

export function udpSockCreate(net: Net, uid: number): UdpSock {
  return {
    ...inetSockInit(net, IPPROTO_UDP, uid),
    connected: false,
    hashed: false,
    rcvQueue: new SkbQueue<UdpDatagram>(),
    rmemAlloc: 0,
    // sock_init_data: net.core.rmem_default.
    rcvbuf: netCoreSysctl(net, "rmem_default"),
    drops: 0,
    tos: 0,
    mark: 0,
  };
}

function asBound(sk: UdpSock) {
  return {
    boundDevIf: sk.boundDevIf,
    rcvSaddr: sk.rcvSaddr,
    reuse: sk.reuse,
    reuseport: sk.reuseport,
    uid: sk.uid,
    listening: false,
    timeWait: false,
  };
}

function portUsers(net: Net, port: number): UdpSock[] {
  return net.ipv4.udpHash.get(port) ?? [];
}

/** udp_lib_get_port: `port` (0 for an ephemeral one) if no bound socket conflicts. */
export function udpGetPort(sk: UdpSock, port: number): void {
  const net = sk.net;
  const me = asBound(sk);
  const free = (p: number) =>
    !portUsers(net, p).some((sk2) => sk2 !== sk && udpBindConflict(me, asBound(sk2)));
  if (port === 0) port = pickEphemeralPort(net, true, free);
  else if (!free(port)) throw new KernelError("EADDRINUSE");
  sk.num = port;
  const list = net.ipv4.udpHash.get(port);
  if (list) list.push(sk);
  else net.ipv4.udpHash.set(port, [sk]);
  sk.hashed = true;
}

/** inet_bind for UDP. */
export function udpBind(sk: UdpSock, addr: number, port: number): void {
  inetBindCheckAddr(sk.net, addr);
  if (sk.num) throw new KernelError("EINVAL");
  const oldSaddr = sk.rcvSaddr;
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  try {
    udpGetPort(sk, port);
  } catch (e) {
    sk.rcvSaddr = oldSaddr;
    sk.saddr = oldSaddr;
    throw e;
  }
  if (port) sk.bindPortLock = true;
}

/** udp_lib_unhash */
export function udpUnhash(sk: UdpSock): void {
  if (!sk.hashed) return;
  const list = sk.net.ipv4.udpHash.get(sk.num);
  if (list) {
    const i = list.indexOf(sk);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) sk.net.ipv4.udpHash.delete(sk.num);
  }
  sk.hashed = false;
}

/** inet_autobind */
export function udpAutobind(sk: UdpSock): void {
  if (!sk.num) udpGetPort(sk, 0);
}

/** ip4_datagram_connect: route, fix the source, remember the peer, autobind. */
export function udpConnect(sk: UdpSock, daddr: number, dport: number): void {
  const rt = ipRouteOutputKey(sk.net, {
    daddr,
    saddr: sk.saddr || undefined,
    oif: sk.boundDevIf || undefined,
    tos: sk.tos & 0xfc,
    mark: sk.mark,
  });
  if (rt instanceof KernelError) {
    if (rt.errno === "ENETUNREACH") sk.net.ipv4.mib.OutNoRoutes++;
    throw rt;
  }
  if (rt.flags & RTCF_BROADCAST && !sk.broadcast) throw new KernelError("EACCES");
  if (!sk.saddr) sk.saddr = rt.src;
  if (!sk.rcvSaddr) sk.rcvSaddr = rt.src;
  sk.daddr = daddr;
  sk.dport = dport;
  sk.inetId = sk.net.host.randomU32() & 0xffff;
  sk.connected = true;
  udpAutobind(sk);
}

/**
 * udp_sendmsg: one datagram to `toAddr:toPort` (msg_name; without it, the connected peer), with
 * the socket's TTL; DF unless IP_PMTUDISC_DONT. Larger than the path MTU with DO/PROBE: EMSGSIZE
 * and, with IP_RECVERR, a local error carrying the MTU (ip_local_error).
 */
export function udpSendmsg(sk: UdpSock, payload: Uint8Array, toAddr?: number, toPort = 0): void {
  const net = sk.net;
  // sock_alloc_send_pskb: a pending error (an ICMP error on a connected socket) fails the send.
  if (sk.err) {
    const errno = sk.err;
    sk.err = undefined;
    throw new KernelError(errno);
  }
  let daddr: number;
  let dport: number;
  if (toAddr !== undefined) {
    daddr = toAddr;
    dport = toPort;
    if (dport === 0) throw new KernelError("EINVAL");
  } else {
    if (!sk.connected) throw new KernelError("EDESTADDRREQ");
    daddr = sk.daddr;
    dport = sk.dport;
  }
  udpAutobind(sk);
  const rt = ipRouteOutputKey(net, {
    daddr,
    saddr: sk.saddr || undefined,
    oif: sk.boundDevIf || undefined,
    tos: sk.tos & 0xfc,
    mark: sk.mark,
  });
  if (rt instanceof KernelError) {
    if (rt.errno === "ENETUNREACH") net.ipv4.mib.OutNoRoutes++;
    throw rt;
  }
  if (rt.flags & RTCF_BROADCAST && !sk.broadcast) throw new KernelError("EACCES");
  const len = UDP_HLEN + payload.length;
  if (len > 0xffff - 20) throw new KernelError("EMSGSIZE");
  // cork->fragsize: the path MTU unless IP_PMTUDISC_PROBE asks for the device's.
  const mtu = sk.pmtudisc === IP_PMTUDISC_PROBE ? rt.dev.mtu : dstMtu(rt);
  // ip_sk_ignore_df: DONT, WANT and OMIT fragment instead of refusing.
  const ignoreDf = sk.pmtudisc < IP_PMTUDISC_DO || sk.pmtudisc === 5;
  if (!ignoreDf && len + 20 > mtu) {
    if (sk.recverr)
      sk.errQueue.push({
        errno: "EMSGSIZE",
        origin: "local",
        type: 0,
        code: 0,
        info: mtu,
        offender: 0,
        ttl: 0,
        addr: daddr,
        port: dport,
        payload: new Uint8Array(0),
      });
    throw new KernelError("EMSGSIZE");
  }
  const saddr = sk.saddr || rt.src;
  const inetId = sk.connected ? sk.inetId : undefined;
  const skb = ipMakeSkb(
    net,
    {
      saddr,
      daddr,
      protocol: IPPROTO_UDP,
      ttl: sk.ttl ?? net.ipv4.sysctlIpDefaultTtl,
      tos: sk.tos,
      // __ip_make_skb: DF with DO or PROBE, or with WANT when the datagram fits.
      df:
        sk.pmtudisc === IP_PMTUDISC_DO ||
        sk.pmtudisc === IP_PMTUDISC_PROBE ||
        (sk.pmtudisc === IP_PMTUDISC_WANT && len + 20 <= mtu),
      ignoreDf,
      // ip_select_ident_segs: a socket with a peer (inet_daddr) numbers its datagrams itself.
      id: inetId,
    },
    len,
  );
  if (inetId !== undefined) sk.inetId = (inetId + 1) & 0xffff;
  // ip_generic_getfrag copies the payload into the skb; udp_send_skb writes the header and checksum.
  udpDatagram(skb.data, skb.transportHeader, sk.num, dport, payload, saddr, daddr);
  // __ip_append_data: a datagram that fits the path MTU leaves CHECKSUM_PARTIAL, every device here
  // offering NETIF_F_HW_CSUM (udp4_hwcsum leaves the pseudo-header's sum for the device to finish;
  // tcpdump on veth shows it as "bad udp cksum"). netnest writes the whole sum, see csumPartialCopy.
  if (skb.transportHeader - skb.networkHeader + len <= mtu) skb.ipSummed = CHECKSUM_PARTIAL;
  skb.sk = sk.owner;
  skb.mark = sk.mark;
  xmitStatus.dropped = false;
  ipLocalOut(net, skb, rt as Rtable);
  // udp_send_skb: the driver's drop is ENOBUFS, reported only with IP_RECVERR; otherwise it counts
  // as SndbufErrors and the datagram as sent.
  if (xmitStatus.dropped) {
    xmitStatus.dropped = false;
    if (sk.recverr) {
      net.ipv4.udpMib.SndbufErrors++;
      throw new KernelError("ENOBUFS");
    }
    net.ipv4.udpMib.SndbufErrors++;
    return;
  }
  net.ipv4.udpMib.OutDatagrams++;
}

/** udp_recvmsg (MSG_DONTWAIT): a pending error first, then the oldest datagram. */
export function udpRecvmsg(sk: UdpSock): UdpDatagram | undefined {
  if (sk.err) {
    const errno = sk.err;
    sk.err = undefined;
    throw new KernelError(errno);
  }
  const dg = sk.rcvQueue.shift();
  if (!dg) return undefined;
  sk.rmemAlloc -= dg.truesize;
  // UDP_MIB_INDATAGRAMS is counted when the datagram is read.
  sk.net.ipv4.udpMib.InDatagrams++;
  return dg;
}

/** udp_poll / datagram_poll */
export function udpPoll(sk: UdpSock): number {
  let mask = 0;
  if (sk.err || sk.errQueue.length) mask |= 8;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= 0x2000 | 1;
  if (sk.shutdown === SHUTDOWN_MASK) mask |= 16;
  if (sk.rcvQueue.length) mask |= 1;
  // sock_writeable: the send buffer never fills here.
  mask |= 4;
  return mask;
}

/** A stable stand-in for the reuseport hash (reuseport_select_sock over the 4-tuple). */
function flowHash(saddr: number, sport: number, daddr: number, dport: number): number {
  let h = (saddr ^ Math.imul(daddr, 0x9e3779b1) ^ ((sport << 16) | dport)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** compute_score: -1 for no match; a connected, address-bound, device-bound socket scores higher. */
function computeScore(sk: UdpSock, saddr: number, sport: number, daddr: number, dif: number): number {
  let score = 2;
  if (sk.rcvSaddr) {
    if (sk.rcvSaddr !== daddr) return -1;
    score += 4;
  }
  if (sk.daddr) {
    if (sk.daddr !== saddr) return -1;
    score += 4;
  }
  if (sk.dport) {
    if (sk.dport !== sport) return -1;
    score += 4;
  }
  if (sk.boundDevIf) {
    if (sk.boundDevIf !== dif) return -1;
    score += 4;
  }
  return score;
}

/** __udp4_lib_lookup: the best-scoring socket; a SO_REUSEPORT group shares by flow hash. */
export function udp4LibLookup(
  net: Net,
  saddr: number,
  sport: number,
  daddr: number,
  dport: number,
  dif: number,
): UdpSock | undefined {
  const users = net.ipv4.udpHash.get(dport);
  if (!users) return undefined;
  let best: UdpSock | undefined;
  let bestScore = -1;
  // The SO_REUSEPORT group of the best score, made only when a tie shows up (no array per lookup).
  let bestInGroup = false;
  let group: UdpSock[] | undefined;
  for (const sk of users) {
    const score = computeScore(sk, saddr, sport, daddr, dif);
    if (score > bestScore) {
      best = sk;
      bestScore = score;
      bestInGroup = sk.reuseport && !sk.connected;
      group = undefined;
    } else if (score === bestScore && score >= 0 && best?.reuseport && sk.reuseport && !sk.connected) {
      if (group) group.push(sk);
      else group = bestInGroup ? [best, sk] : [sk];
    }
  }
  if (group && group.length > 1) return group[flowHash(saddr, sport, daddr, dport) % group.length];
  return best;
}

/** sk_rmem_alloc charge for a datagram: the payload plus the skb's overhead (SKB_TRUESIZE). */
function udpTruesize(len: number): number {
  return ((len + 14 + 20 + 8 + 63) & ~63) + 768;
}

/** __udp_queue_rcv_skb -> __udp_enqueue_schedule_skb: queue unless the receive buffer is full. */
function udpQueueRcv(sk: UdpSock, data: Uint8Array, from: number, port: number): void {
  const truesize = udpTruesize(data.length);
  const mib = sk.net.ipv4.udpMib;
  if (sk.rmemAlloc > sk.rcvbuf || (sk.shutdown & RCV_SHUTDOWN) !== 0) {
    mib.RcvbufErrors++;
    mib.InErrors++;
    sk.drops++;
    return;
  }
  sk.rmemAlloc += truesize;
  sk.rcvQueue.push({ data, from, port, truesize });
}

/** __udp4_lib_mcast_deliver's match (__udp_is_mcast_sock). */
function udpIsMcastSock(
  sk: UdpSock,
  locAddr: number,
  locPort: number,
  rmtAddr: number,
  rmtPort: number,
  dif: number,
) {
  return (
    sk.num === locPort &&
    !(sk.daddr && sk.daddr !== rmtAddr) &&
    !(sk.dport && sk.dport !== rmtPort) &&
    !(sk.rcvSaddr && sk.rcvSaddr !== locAddr) &&
    !(sk.boundDevIf && sk.boundDevIf !== dif)
  );
}

/**
 * __udp4_lib_rcv: checksum, then a broadcast to every matching socket (IgnoredMulti when none),
 * a unicast to the lookup's socket, or NoPorts and an ICMP port unreachable.
 */
export function udpRcv(skb: SkBuff, iph: Ipv4View): void {
  const net = (skb.dev as NetDevice).net;
  const mib = net.ipv4.udpMib;
  const at = skb.transportHeader;
  const end = skb.networkHeader + iph.totalLength;
  const d = skb.data;
  const ulen = ((d[at + 4] as number) << 8) | (d[at + 5] as number);
  if (end - at < UDP_HLEN || ulen < UDP_HLEN || ulen > end - at) {
    mib.InErrors++;
    return;
  }
  const saddr = iph.saddr;
  const daddr = iph.daddr;
  // udp4_csum_init: a CHECKSUM_PARTIAL datagram (a local one, over veth or lo) is not verified.
  if (skb.ipSummed !== CHECKSUM_PARTIAL && !udpChecksumOk(d, at, at + ulen, saddr, daddr)) {
    mib.InCsumErrors++;
    mib.InErrors++;
    return;
  }
  const sport = ((d[at] as number) << 8) | (d[at + 1] as number);
  const dport = ((d[at + 2] as number) << 8) | (d[at + 3] as number);
  const rt = skb.dst as Rtable;
  const dif = rt.iif ?? skb.dev?.ifindex ?? 0;
  const payload = d.subarray(at + UDP_HLEN, at + ulen);
  if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
    // __udp4_lib_mcast_deliver: a copy to each matching socket; a tunnel socket's encap_rcv
    // consumes its copy (udp_queue_rcv_one_skb).
    let delivered = false;
    for (const sk of portUsers(net, dport)) {
      if (!udpIsMcastSock(sk, daddr, dport, saddr, sport, dif)) continue;
      delivered = true;
      if (sk.encapRcv) {
        mib.InDatagrams++;
        sk.encapRcv(sk, skb);
      } else udpQueueRcv(sk, payload, saddr, sport);
    }
    if (!delivered) mib.IgnoredMulti++;
    return;
  }
  const sk = udp4LibLookup(net, saddr, sport, daddr, dport, dif);
  if (sk?.encapRcv) {
    // udp_queue_rcv_one_skb: a tunnel socket's encap_rcv consumes the datagram.
    mib.InDatagrams++;
    sk.encapRcv(sk, skb);
    return;
  }
  if (sk) {
    udpQueueRcv(sk, payload, saddr, sport);
    return;
  }
  mib.NoPorts++;
  icmpSend(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
}

/**
 * __udp4_lib_err: the socket that sent the quoted datagram hears the error. Without IP_RECVERR
 * only a hard error on a connected socket is reported (sk_err, read by the next send or recv).
 */
export function udpErr(
  net: Net,
  err: {
    from: number;
    ttl: number;
    type: number;
    code: number;
    info: number;
    quoted: Uint8Array;
    fatal: boolean;
  },
): void {
  const { quoted, type, code, info } = err;
  const hl = ((quoted[0] as number) & 15) * 4;
  const inSaddr = bytesToIPv4(quoted, 12);
  const inDaddr = bytesToIPv4(quoted, 16);
  const u16 = (at: number) => ((quoted[at] as number) << 8) | (quoted[at + 1] as number);
  const sport = u16(hl);
  const dport = u16(hl + 2);
  // The lookup runs with the quoted packet's addresses swapped back (our sport is its source).
  const sk = udp4LibLookup(net, inDaddr, dport, inSaddr, sport, 0);
  if (!sk) return;
  const errno = icmpErrno(type, code);
  if (!errno) return;
  let harderr = err.fatal;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
    ipv4SkUpdatePmtu(
      net,
      { daddr: inDaddr, saddr: inSaddr, oif: sk.boundDevIf || undefined, pmtudisc: sk.pmtudisc },
      info,
    );
    if (sk.pmtudisc === IP_PMTUDISC_DONT) return;
    harderr = true;
  }
  if (!sk.recverr) {
    if (!harderr || !sk.connected) return;
  } else {
    sk.errQueue.push({
      errno,
      origin: "icmp",
      type,
      code,
      info,
      offender: err.from,
      ttl: err.ttl,
      addr: inDaddr,
      port: dport,
      payload: quoted.slice(hl + 8),
    });
  }
  sk.err = errno;
}

const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

/** The address as the kernel prints it: the __be32 read as a little-endian word (%08X). */
export function procAddr(addr: number): string {
  const le =
    (((addr & 0xff) << 24) |
      (((addr >>> 8) & 0xff) << 16) |
      (((addr >>> 16) & 0xff) << 8) |
      (addr >>> 24)) >>>
    0;
  return hex8(le);
}

/** %pK with kptr_restrict 0: a hashed pointer, zero-padded; stable per socket here. */
export function procPointer(inode: number): string {
  let h = Math.imul(inode ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return `00000000${hex8(h).toLowerCase()}`;
}

/** seq_pad: each line is padded with spaces to the width minus one, then a newline. */
export function seqPad(line: string, width: number): string {
  return `${line.padEnd(width - 1)}\n`;
}

/** udp4_seq_show, over the hash in bucket order (the slot is the port: udp_hashfn without the mix). */
export function udp4SeqShow(net: Net): string {
  let out = seqPad(
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
    128,
  );
  const ports = [...net.ipv4.udpHash.keys()].sort((a, b) => (a & 0xffff) - (b & 0xffff));
  for (const port of ports) {
    for (const sk of net.ipv4.udpHash.get(port) ?? []) {
      const bucket = port & 0xffff;
      const line =
        `${String(bucket).padStart(5)}: ${procAddr(sk.rcvSaddr)}:${hex4(sk.num)} ${procAddr(sk.daddr)}:${hex4(sk.dport)}` +
        ` ${sk.connected ? "01" : "07"} ${hex8(0)}:${hex8(sk.rmemAlloc)} 00:00000000 00000000` +
        ` ${String(sk.uid).padStart(5)} ${String(0).padStart(8)} ${sk.inode} 2 ${procPointer(sk.inode)} ${sk.drops}`;
      out += seqPad(line, 128);
    }
  }
  return out;
}

/** The UDP MIB as /proc/net/snmp prints it (UDP_MIB_*). */
export interface UdpMib {
  InDatagrams: number;
  NoPorts: number;
  InErrors: number;
  OutDatagrams: number;
  RcvbufErrors: number;
  SndbufErrors: number;
  InCsumErrors: number;
  IgnoredMulti: number;
  MemErrors: number;
}

export function newUdpMib(): UdpMib {
  return {
    InDatagrams: 0,
    NoPorts: 0,
    InErrors: 0,
    OutDatagrams: 0,
    RcvbufErrors: 0,
    SndbufErrors: 0,
    InCsumErrors: 0,
    IgnoredMulti: 0,
    MemErrors: 0,
  };
}
