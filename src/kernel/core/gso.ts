// Generic segmentation offload for TCP over IPv4 (net/core/gso.c skb_gso_segment,
// net/ipv4/af_inet.c inet_gso_segment, net/ipv4/tcp_offload.c tcp_gso_segment). TCP hands a
// device that takes NETIF_F_GSO_SOFTWARE one skb of up to 64 KB standing for gso_segs segments of
// gso_size bytes; veth passes it to its peer whole, so the receiving TCP gets the large skb as
// the kernel's does (`tcpdump -i veth` shows lengths above the MSS). A device without the feature
// gets the segments, cut here, each with its own IP id, sequence number and checksums.
import { internetChecksum } from "../../wire/checksum.js";
import { TCPHDR_CWR, TCPHDR_FIN, TCPHDR_PSH, tcpChecksum } from "../../wire/tcp.js";
import type { NetDevice } from "./dev.js";
import { allocSkb, type SkBuff } from "./skbuff.js";

/**
 * NETIF_F_GSO_SOFTWARE in dev->features, as far as netnest lets a GSO skb through: veth and
 * loopback keep it whole; any other device gets the segments (the kernel's virtual devices all
 * take it; segmenting earlier changes no byte the receiver sees).
 */
export function netifGsoCapable(dev: NetDevice): boolean {
  const kind = dev.ops.kind;
  return kind === "veth" || kind === "loopback";
}

/** skb_gso_network_seglen: the IP packet each segment makes (network + TCP headers + gso_size). */
export function skbGsoNetworkSeglen(skb: SkBuff): number {
  const doff = ((skb.data[skb.transportHeader + 12] as number) >>> 4) * 4;
  return skb.transportHeader - skb.networkHeader + doff + (skb.gsoSize ?? 0);
}

/**
 * skb_gso_segment for TCPv4: one skb per gso_size bytes of payload. Each copies the IP and TCP
 * headers; the IP id counts up per segment (not IP_ID fixed), the sequence number by the bytes
 * before it; CWR stays on the first segment only, PSH and FIN on the last only (tcp_gso_segment).
 */
export function skbGsoSegment(skb: SkBuff): SkBuff[] {
  const d = skb.data;
  const nh = skb.networkHeader;
  const th = skb.transportHeader;
  const ihl = th - nh;
  const doff = ((d[th + 12] as number) >>> 4) * 4;
  const payload = th + doff;
  // Everything before the payload (the link-layer header too, when built) goes on every segment.
  const pre = payload - skb.head;
  const end = nh + (((d[nh + 2] as number) << 8) | (d[nh + 3] as number));
  const mss = skb.gsoSize || end - payload;
  const id0 = ((d[nh + 4] as number) << 8) | (d[nh + 5] as number);
  const seq0 = readU32(d, th + 4);
  const flags = d[th + 13] as number;
  const saddr = readU32(d, nh + 12);
  const daddr = readU32(d, nh + 16);
  const segs: SkBuff[] = [];
  for (let off = payload, i = 0; off < end; off += mss, i++) {
    const len = Math.min(mss, end - off);
    const last = off + len >= end;
    const seg = allocSkb(pre + len);
    const o = seg.data;
    o.set(d.subarray(skb.head, payload), seg.head);
    o.set(d.subarray(off, off + len), seg.head + pre);
    const n = seg.head + (nh - skb.head);
    const t = n + ihl;
    // inet_gso_segment: tot_len, id, header checksum.
    const total = ihl + doff + len;
    o[n + 2] = total >>> 8;
    o[n + 3] = total & 255;
    const id = (id0 + i) & 0xffff;
    o[n + 4] = id >>> 8;
    o[n + 5] = id & 255;
    o[n + 10] = 0;
    o[n + 11] = 0;
    const ipCheck = internetChecksum(o, n, n + ihl);
    o[n + 10] = ipCheck >>> 8;
    o[n + 11] = ipCheck & 255;
    // tcp_gso_segment: seq, flags, checksum.
    const seq = (seq0 + (off - payload)) >>> 0;
    o[t + 4] = seq >>> 24;
    o[t + 5] = (seq >>> 16) & 255;
    o[t + 6] = (seq >>> 8) & 255;
    o[t + 7] = seq & 255;
    let f = flags;
    if (i > 0) f &= ~TCPHDR_CWR;
    if (!last) f &= ~(TCPHDR_FIN | TCPHDR_PSH);
    o[t + 13] = f;
    o[t + 16] = 0;
    o[t + 17] = 0;
    const check = tcpChecksum(o, t, n + total, saddr, daddr);
    o[t + 16] = check >>> 8;
    o[t + 17] = check & 255;
    seg.tail = n + total;
    if (skb.macHeader >= skb.head) seg.macHeader = seg.head + (skb.macHeader - skb.head);
    seg.networkHeader = n;
    seg.transportHeader = t;
    seg.protocol = skb.protocol;
    seg.dev = skb.dev;
    seg.pktType = skb.pktType;
    seg.mark = skb.mark;
    seg.dst = skb.dst;
    if (skb.nfct !== undefined) seg.nfct = skb.nfct;
    if (skb.nfctinfo !== undefined) seg.nfctinfo = skb.nfctinfo;
    if (skb.nfBridge !== undefined) seg.nfBridge = skb.nfBridge;
    if (skb.nfTrace !== undefined) seg.nfTrace = skb.nfTrace;
    if (skb.traceId !== undefined) seg.traceId = skb.traceId;
    segs.push(seg);
  }
  return segs;
}

function readU32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}
