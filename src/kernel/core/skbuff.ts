// struct sk_buff: one packet. It owns a byte buffer; headers are offsets into it, read and written
// in place through the wire views.

import type { IpOptions } from "../ipv4/ip_options.js";
import type { Rtable } from "../ipv4/route.js";
import type { EhEntry } from "../ipv4/tcp.js";
import type { NetDevice } from "./dev.js";

/** skb->pkt_type */
export type PacketType =
  | "PACKET_HOST"
  | "PACKET_BROADCAST"
  | "PACKET_MULTICAST"
  | "PACKET_OTHERHOST"
  | "PACKET_OUTGOING";

/** Room kept in front of an IP packet for the link-layer header (LL_RESERVED_SPACE). */
export const LL_HEADROOM = 14;

export interface SkBuff {
  /** The buffer; the packet is data[head, tail). */
  data: Uint8Array;
  head: number;
  tail: number;
  macHeader: number;
  networkHeader: number;
  transportHeader: number;
  /** skb->protocol: the EtherType. */
  protocol: number;
  dev: NetDevice | undefined;
  pktType: PacketType;
  mark: number;
  /** skb_dst: the route attached by input or output routing. */
  dst: Rtable | undefined;
  /** skb->_nfct: the connection this packet belongs to (set by conntrack). */
  nfct?: unknown;
  /** The ctinfo beside it (enum ip_conntrack_info; IP_CT_UNTRACKED with no connection). */
  nfctinfo?: number;
  /** skb->nf_bridge: the bridge ports of a bridged IPv4 packet that br_netfilter passed to iptables. */
  nfBridge?: NfBridgeInfo;
  /** skb->nf_trace: set by TRACE (nft's meta nftrace), for the trace infrastructure. */
  nfTrace?: boolean;
  /** The `netnest trace` id of a traced packet (see trace.ts). */
  traceId?: number;
  /** skb_shinfo(skb)->gso_size and gso_segs of a TCP GSO skb (see core/gso.ts); unset otherwise. */
  gsoSize?: number;
  gsoSegs?: number;
  /**
   * skb->ip_summed: CHECKSUM_PARTIAL for a segment the local TCP sent (its checksum is the
   * stack's own, still whole: netnest writes it out in full), which the receiver does not verify
   * again (skb_csum_unnecessary); CHECKSUM_NONE (unset) for anything else.
   */
  ipSummed?: number;
  /** skb->sk: the socket that sent it, as xt_owner and LOG --log-uid see it; unset once received. */
  sk?: SkOwner | undefined;
  /**
   * skb->sk as tcp_v4_early_demux sets it on the way in: the established, request or timewait
   * socket the segment is for, which tcp_v4_rcv takes (skb_steal_sock) instead of looking again.
   */
  demuxSk?: EhEntry | undefined;
  /** IPCB(skb)->opt: the IPv4 options as ip_options_compile or ip_options_build left them. */
  opt?: IpOptions;
}

/** skb->ip_summed values (include/linux/skbuff.h). */
export const CHECKSUM_NONE = 0;
export const CHECKSUM_PARTIAL = 3;

/**
 * A CHECKSUM_PARTIAL TCP segment or UDP datagram still holds only the pseudo-header's sum in its
 * checksum field (__tcp_v4_send_check: th->check = ~tcp_v4_check(len, saddr, daddr, 0);
 * udp4_hwcsum likewise); the device would finish it. netnest writes the whole checksum at once,
 * so a copy of the bytes (a tap's, an ICMP error's quote) gets the field the kernel's copy has
 * (what tcpdump -v shows as "incorrect" or "bad udp cksum").
 */
export function csumPartialCopy(d: Uint8Array, nh: number): void {
  if (nh < 0 || nh + 20 > d.length || (d[nh] as number) >> 4 !== 4) return;
  const proto = d[nh + 9];
  const ihl = ((d[nh] as number) & 0xf) * 4;
  const th = nh + ihl;
  // The checksum field: TCP's at offset 16, UDP's at 6.
  const field = proto === 6 ? th + 16 : proto === 17 ? th + 6 : -1;
  if (field < 0 || field + 2 > d.length) return;
  const len = (((d[nh + 2] as number) << 8) | (d[nh + 3] as number)) - ihl;
  let sum = (proto as number) + len;
  for (let i = nh + 12; i < nh + 20; i += 2) sum += ((d[i] as number) << 8) | (d[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  d[field] = sum >> 8;
  d[field + 1] = sum & 0xff;
}

/** What netfilter reads of skb->sk: whether it is a full socket, its struct socket and file. */
export interface SkOwner {
  /** sk_fullsock: false for a request socket (a SYN-ACK's), whose full socket is its listener. */
  readonly fullsock: boolean;
  /** skb_to_full_sk(sk)->sk_socket: false for a child socket no process has accepted yet. */
  hasSocket: boolean;
  /** sk_socket->file->f_cred's fsuid and fsgid; undefined for a kernel socket (it has no file). */
  fileCred: { readonly uid: number; readonly gid: number } | undefined;
  /** inet MC_LOOP (IP_MULTICAST_LOOP): false when the socket's own groups get no copy back. */
  mcLoop?: boolean;
}

/** A namespace's kernel sockets (icmp_sk, the TCP control socket): a socket, no file. */
export const KERNEL_SK: SkOwner = Object.freeze({ fullsock: true, hasSocket: true, fileCred: undefined });

/** struct nf_bridge_info */
export interface NfBridgeInfo {
  physindev: NetDevice | undefined;
  physoutdev: NetDevice | undefined;
  /** PREROUTING already ran at the bridge: ip_rcv must not run it again (ip_sabotage_in). */
  inPrerouting: boolean;
}

/**
 * Packet memory carved from 64 KiB slabs, as the kernel's skbuff caches do: one ArrayBuffer
 * serves many packets, so allocation is a bump of an offset. A slab is freed by the garbage
 * collector when its last packet goes.
 */
export class PacketSlab {
  private chunk = new ArrayBuffer(0);
  private used = 0;

  alloc(len: number): Uint8Array {
    if (len > 16384) return new Uint8Array(len);
    if (this.used + len > this.chunk.byteLength) {
      this.chunk = new ArrayBuffer(65536);
      this.used = 0;
    }
    const bytes = new Uint8Array(this.chunk, this.used, len);
    // Keep each packet 8-byte aligned within the slab.
    this.used += (len + 7) & ~7;
    return bytes;
  }
}

/** alloc_skb with headroom for an Ethernet header; the packet body starts at LL_HEADROOM. */
export function allocSkb(len: number, slab?: PacketSlab): SkBuff {
  const data = slab ? slab.alloc(LL_HEADROOM + len) : new Uint8Array(LL_HEADROOM + len);
  return newSkb(data, LL_HEADROOM, LL_HEADROOM + len, LL_HEADROOM, undefined);
}

/** A received frame: the skb owns a copy of the bytes as the device handed them over. */
export function skbFromFrame(frame: Uint8Array, dev: NetDevice): SkBuff {
  return newSkb(frame, 0, frame.length, 0, dev);
}

/**
 * The one literal every new skb comes from. The fields most skbs never set are spelled out too,
 * in one order, so that all skbs share one hidden class: a field added later would make a shape
 * per path (a TCP segment's, a received frame's...), and every function of the stack would see
 * them all.
 */
function newSkb(
  data: Uint8Array,
  head: number,
  tail: number,
  nh: number,
  dev: NetDevice | undefined,
): SkBuff {
  return {
    data,
    head,
    tail,
    macHeader: 0,
    networkHeader: nh,
    transportHeader: nh,
    protocol: 0,
    dev,
    pktType: "PACKET_HOST",
    mark: 0,
    dst: undefined,
    nfct: undefined,
    nfctinfo: undefined,
    nfBridge: undefined,
    nfTrace: undefined,
    traceId: undefined,
    gsoSize: undefined,
    gsoSegs: undefined,
    ipSummed: undefined,
    sk: undefined,
    demuxSk: undefined,
    opt: undefined,
  };
}

export function skbLen(skb: SkBuff): number {
  return skb.tail - skb.head;
}

/** skb_push: prepend `n` bytes of header room into the packet. */
export function skbPush(skb: SkBuff, n: number): void {
  if (skb.head < n) {
    const grown = new Uint8Array(n + skb.tail - skb.head);
    grown.set(skb.data.subarray(skb.head, skb.tail), n);
    const shift = n - skb.head;
    skb.data = grown;
    skb.networkHeader += shift;
    skb.transportHeader += shift;
    skb.tail += shift;
    skb.head = n;
  }
  skb.head -= n;
}

/** skb_pull: drop `n` bytes from the front. */
export function skbPull(skb: SkBuff, n: number): void {
  skb.head += n;
}

/** The bytes of the packet as they would go on the wire, copied. */
export function skbCopyBytes(skb: SkBuff): Uint8Array {
  return skb.data.slice(skb.head, skb.tail);
}
