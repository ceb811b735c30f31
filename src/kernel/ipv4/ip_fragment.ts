// IPv4 fragmentation and reassembly (net/ipv4/ip_fragment.c, ip_output.c ip_do_fragment,
// net/ipv4/inet_fragment.c).
import { internetChecksum } from "../../wire/checksum.js";
import { ICMP_EXC_FRAGTIME, ICMP_TIME_EXCEEDED } from "../../wire/icmp.js";
import { IP_MF, IP_OFFSET, Ipv4View } from "../../wire/ipv4.js";
import { allocSkb, type SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { icmpSend } from "./icmp.js";

/** A namespace's fqdir: the reassembly queues and the ipfrag_* sysctls. */
export interface IpFragState {
  highThresh: number;
  lowThresh: number;
  /** ipfrag_time, in jiffies (proc_dointvec_jiffies: seconds at the interface). */
  timeout: number;
  maxDist: number;
  /** Bytes held by all queues (fqdir->mem). */
  mem: number;
  readonly queues: Map<string, IpFragQueue>;
}

export interface IpFragQueue {
  readonly key: string;
  /** The fragments received, by offset; each the IP payload of one fragment. */
  readonly frags: { readonly offset: number; readonly data: Uint8Array }[];
  /** The first fragment's whole packet (offset 0), kept for its header and for the ICMP error. */
  first: Uint8Array | undefined;
  /** The first fragment itself, which ip_expire quotes in its ICMP error. */
  firstSkb?: SkBuff;
  /** The length known once the last fragment (MF clear) arrived. */
  len: number;
  last: boolean;
  meat: number;
  truesize: number;
  timer: { cancelled: boolean } | undefined;
  iif: number;
}

export function newIpFragState(): IpFragState {
  return {
    highThresh: 4 * 1024 * 1024,
    lowThresh: 3 * 1024 * 1024,
    timeout: 30 * 250,
    maxDist: 64,
    mem: 0,
    queues: new Map(),
  };
}

/** HZ=250: one jiffy in nanoseconds. */
const NSEC_PER_JIFFY = 4_000_000;

/**
 * ip_do_fragment (slow path; the fast path over an ip_append_data frag_list cuts the same
 * pieces): every fragment carries (mtu - hlen) & ~7 bytes of payload but the last, the original
 * header with the offset and MF patched, and its own checksum. Each goes to `output`.
 */
export function ipDoFragment(net: Net, skb: SkBuff, mtu: number, output: (frag: SkBuff) => void): void {
  const nh = skb.networkHeader;
  const iph = Ipv4View.over(skb.data, nh) as Ipv4View;
  const hlen = iph.headerLength;
  const total = Math.min(iph.totalLength, skb.tail - nh);
  const baseOffset = (iph.fragOff & IP_OFFSET) << 3;
  const notLastFrag = iph.fragOff & IP_MF;
  const step = (mtu - hlen) & ~7;
  if (step <= 0) {
    net.ipv4.mib.FragFails++;
    return;
  }
  // The header each fragment starts from; after the first piece of a first fragment, options
  // without the copied flag become NOOPs (ip_options_fragment).
  const header = skb.data.slice(nh, nh + hlen);
  for (let ptr = hlen; ptr < total; ) {
    const len = Math.min(step, total - ptr);
    const frag = allocSkb(hlen + len, net.host.packetSlab);
    const at = frag.networkHeader;
    frag.data.set(header, at);
    frag.data.set(skb.data.subarray(nh + ptr, nh + ptr + len), at + hlen);
    let fragOff = (baseOffset + ptr - hlen) >>> 3;
    if (ptr + len < total || notLastFrag) fragOff |= IP_MF;
    putU16(frag.data, at + 2, hlen + len);
    putU16(frag.data, at + 6, fragOff);
    putU16(frag.data, at + 10, 0);
    putU16(frag.data, at + 10, internetChecksum(frag.data, at, at + hlen));
    frag.transportHeader = at + hlen;
    frag.protocol = skb.protocol;
    frag.dev = skb.dev;
    frag.dst = skb.dst;
    frag.mark = skb.mark;
    frag.pktType = skb.pktType;
    if (ptr === hlen && baseOffset === 0 && hlen > 20) ipOptionsFragment(header);
    ptr += len;
    output(frag);
    net.ipv4.mib.FragCreates++;
  }
  net.ipv4.mib.FragOKs++;
}

/** ip_options_fragment: options a fragment need not carry (copied bit clear) turn into NOOPs. */
function ipOptionsFragment(header: Uint8Array): void {
  let p = 20;
  let l = header.length - 20;
  while (l > 0) {
    const kind = header[p] as number;
    if (kind === 0) return;
    if (kind === 1) {
      l--;
      p++;
      continue;
    }
    const optlen = header[p + 1] as number;
    if (optlen < 2 || optlen > l) return;
    if (!(kind & 0x80)) header.fill(1, p, p + optlen);
    l -= optlen;
    p += optlen;
  }
}

function putU16(out: Uint8Array, at: number, v: number): void {
  out[at] = (v >>> 8) & 255;
  out[at + 1] = v & 255;
}

/** ipqhashfn's key: (saddr, daddr, id, protocol), plus the defrag user (local delivery only here). */
function fragKey(iph: Ipv4View): string {
  return `${iph.saddr}/${iph.daddr}/${iph.id}/${iph.protocol}`;
}

/** The bytes a fragment charges to fqdir->mem (skb->truesize: the buffer and struct sk_buff). */
function fragTruesize(len: number): number {
  return ((len + 14 + 63) & ~63) + 256 + 320;
}

/** inet_frag_kill + inet_frag_destroy: the queue leaves the table and gives its memory back. */
function ipqKill(frags: IpFragState, q: IpFragQueue): void {
  if (q.timer) q.timer.cancelled = true;
  if (frags.queues.get(q.key) === q) frags.queues.delete(q.key);
  frags.mem -= q.truesize;
  q.truesize = 0;
}

/**
 * ip_defrag on local delivery: the fragment joins its queue; when the queue is whole the
 * reassembled datagram comes back (ReasmOKs), otherwise undefined. A queue not completed within
 * ipfrag_time expires (ip_expire): ReasmFails and ReasmTimeout, and when its first fragment came,
 * ICMP time exceeded (fragment reassembly time exceeded) to the sender.
 */
export function ipDefrag(net: Net, skb: SkBuff): SkBuff | undefined {
  const mib = net.ipv4.mib;
  const frags = net.ipv4.frags;
  mib.ReasmReqds++;
  const iph = Ipv4View.over(skb.data, skb.networkHeader) as Ipv4View;
  const key = fragKey(iph);
  let q = frags.queues.get(key);
  if (!q) {
    // inet_frag_find: no new queue above high_thresh (or with it zero).
    if (!frags.highThresh || frags.mem > frags.highThresh) {
      mib.ReasmFails++;
      return undefined;
    }
    const created: IpFragQueue = {
      key,
      frags: [],
      first: undefined,
      len: 0,
      last: false,
      meat: 0,
      truesize: 0,
      timer: undefined,
      iif: skb.dev?.ifindex ?? 0,
    };
    created.timer = net.host.clock.scheduleTimer(frags.timeout * NSEC_PER_JIFFY, () =>
      ipExpire(net, created),
    );
    frags.queues.set(key, created);
    q = created;
  }
  const hl = iph.headerLength;
  const total = Math.min(iph.totalLength, skb.tail - skb.networkHeader);
  const offset = (iph.fragOff & IP_OFFSET) << 3;
  const end = offset + total - hl;
  const more = (iph.fragOff & IP_MF) !== 0;
  // ip_frag_queue: where the datagram ends, and whether this piece fits what is known.
  if (!more) {
    if (end < q.len || (q.last && end !== q.len)) return ipFragDiscard(frags, q, mib);
    q.last = true;
    q.len = end;
  } else {
    if (end & 7) return ipFragDiscard(frags, q, mib);
    if (end > q.len) {
      if (q.last) return ipFragDiscard(frags, q, mib);
      q.len = end;
    }
  }
  if (end > 0xffff - hl || end === offset) return ipFragDiscard(frags, q, mib);
  // inet_frag_queue_insert: an exact duplicate is dropped, any other overlap kills the queue.
  for (const f of q.frags) {
    const fEnd = f.offset + f.data.length;
    if (offset < fEnd && f.offset < end) {
      if (f.offset === offset && fEnd === end) return undefined;
      return ipFragDiscard(frags, q, mib);
    }
  }
  const data = skb.data.slice(skb.networkHeader + hl, skb.networkHeader + total);
  q.frags.push({ offset, data });
  q.frags.sort((a, b) => a.offset - b.offset);
  q.meat += data.length;
  const size = fragTruesize(skb.tail - skb.networkHeader);
  q.truesize += size;
  frags.mem += size;
  if (offset === 0) {
    q.first = skb.data.slice(skb.networkHeader, skb.networkHeader + hl);
    q.firstSkb = skb;
  }
  if (q.first && q.last && q.meat === q.len) return ipFragReasm(net, q, skb);
  return undefined;
}

function ipFragDiscard(frags: IpFragState, q: IpFragQueue, mib: Net["ipv4"]["mib"]): undefined {
  ipqKill(frags, q);
  mib.ReasmFails++;
  return undefined;
}

/** ip_frag_reasm: the first fragment's header over all the payload, offset and MF cleared. */
function ipFragReasm(net: Net, q: IpFragQueue, last: SkBuff): SkBuff {
  ipqKill(net.ipv4.frags, q);
  const header = q.first as Uint8Array;
  const hl = header.length;
  const skb = allocSkb(hl + q.len, net.host.packetSlab);
  const at = skb.networkHeader;
  skb.data.set(header, at);
  for (const f of q.frags) skb.data.set(f.data, at + hl + f.offset);
  putU16(skb.data, at + 2, hl + q.len);
  putU16(skb.data, at + 6, 0);
  putU16(skb.data, at + 10, 0);
  putU16(skb.data, at + 10, internetChecksum(skb.data, at, at + hl));
  skb.transportHeader = at + hl;
  skb.protocol = last.protocol;
  skb.dev = last.dev;
  skb.dst = last.dst;
  skb.pktType = last.pktType;
  skb.mark = last.mark;
  // The head keeps its control block: the options ip_rcv_options compiled (and filled) in it.
  skb.opt = q.firstSkb?.opt;
  net.ipv4.mib.ReasmOKs++;
  return skb;
}

/** ip_expire */
function ipExpire(net: Net, q: IpFragQueue): void {
  if (net.ipv4.frags.queues.get(q.key) !== q) return;
  ipqKill(net.ipv4.frags, q);
  net.ipv4.mib.ReasmFails++;
  net.ipv4.mib.ReasmTimeout++;
  const head = q.firstSkb;
  if (!head) return;
  icmpSend(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
}
