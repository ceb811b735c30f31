// NAT (net/netfilter/nf_nat_core.c, nf_nat_proto.c, nf_nat_masquerade.c, nf_nat_redirect.c):
// bindings made once per connection from the nat table or a null binding, the unique-tuple
// search, and the per-packet rewrite with incremental checksum updates; ICMP errors carry the
// reverse rewrite of the datagram they quote.

import type { NetDevice, NetdevEvent } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import { type InDevice, type InIfaddr, inetSelectAddr } from "../ipv4/devinet.js";
import type { Rtable } from "../ipv4/route.js";
import { rtNexthop } from "../ipv4/route.js";
import { jhash2 } from "../lib/jhash.js";
import type { Net } from "../net_namespace.js";
import {
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_OFFSET,
  NF_NAT_RANGE_PROTO_RANDOM_ALL,
  NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange,
} from "../uapi_netfilter.js";
import { NF_ACCEPT, NF_DROP, type NfHookState } from "./core.js";
import { ipRouteMeHarder } from "./ip_netfilter.js";
import {
  IP_CT_NEW,
  IP_CT_RELATED,
  IP_CT_RELATED_REPLY,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPS_CONFIRMED,
  IPS_DST_NAT,
  IPS_DST_NAT_DONE,
  IPS_DYING,
  IPS_NAT_MASK,
  IPS_SRC_NAT,
  IPS_SRC_NAT_DONE,
  invertPorts,
  type NfConn,
  netCt,
  nfConntrackTupleTaken,
  nfCtIterateCleanup,
  nfCtKill,
  readU32,
} from "./nf_conntrack.js";

export const NF_NAT_MANIP_SRC = 0;
export const NF_NAT_MANIP_DST = 1;

/** HOOK2MANIP: PREROUTING and OUTPUT rewrite the destination, INPUT and POSTROUTING the source. */
export function hook2manip(hook: number): number {
  return hook === NF_INET_POST_ROUTING || hook === NF_INET_LOCAL_IN ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST;
}

interface Tuple {
  s: number;
  d: number;
  sp: number;
  dp: number;
  proto: number;
}

function invert(t: Tuple): Tuple {
  const p = invertPorts(t.proto, t.sp, t.dp) ?? [t.dp, t.sp];
  return { s: t.d, d: t.s, sp: p[0], dp: p[1], proto: t.proto };
}

function replyTuple(c: NfConn): Tuple {
  return { s: c.rs, d: c.rd, sp: c.rsp, dp: c.rdp, proto: c.proto };
}

function origTuple(c: NfConn): Tuple {
  return { s: c.os, d: c.od, sp: c.osp, dp: c.odp, proto: c.proto };
}

/** nf_nat_used_tuple: would the connection's reply to `t` clash with another one's? */
function usedTuple(net: Net, t: Tuple, c: NfConn): boolean {
  return nfConntrackTupleTaken(net, c, invert(t));
}

/** The port (or ICMP id) the manip rewrites. */
function keyOf(t: Tuple, manip: number): number {
  return t.proto === IPPROTO_ICMP || manip === NF_NAT_MANIP_SRC ? t.sp : t.dp;
}

function setKey(t: Tuple, manip: number, v: number): void {
  if (t.proto === IPPROTO_ICMP || manip === NF_NAT_MANIP_SRC) t.sp = v;
  else t.dp = v;
}

function hasPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_ICMP;
}

/** l4proto_in_range */
function l4InRange(t: Tuple, manip: number, min: number, max: number): boolean {
  if (!hasPorts(t.proto)) return true;
  const k = keyOf(t, manip);
  return k >= min && k <= max;
}

/** nf_in_range (source manips only) */
function inRange(t: Tuple, r: NfNatRange): boolean {
  if (r.flags & NF_NAT_RANGE_MAP_IPS && (t.s >>> 0 < r.minAddr >>> 0 || t.s >>> 0 > r.maxAddr >>> 0))
    return false;
  return !(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) || l4InRange(t, NF_NAT_MANIP_SRC, r.minProto, r.maxProto);
}

/** An address as the kernel's __be32 read as a little-endian u32 (what jhash2 sees). */
function be32AsHost(a: number): number {
  return (((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24)) >>> 0;
}

/**
 * find_best_ips_proto: one address of the range, chosen by a hash of the source (and, unless
 * --persistent, the destination) so a client keeps its mapping.
 */
function findBestIps(t: Tuple, r: NfNatRange, manip: number): void {
  if (!(r.flags & NF_NAT_RANGE_MAP_IPS)) return;
  const min = r.minAddr >>> 0;
  const max = r.maxAddr >>> 0;
  if (min === max) {
    if (manip === NF_NAT_MANIP_SRC) t.s = min;
    else t.d = min;
    return;
  }
  const j = jhash2([be32AsHost(t.s), 0, 0, 0], r.flags & NF_NAT_RANGE_PERSISTENT ? 0 : be32AsHost(t.d));
  const dist = max - min + 1;
  const pick = (min + Math.floor((j * dist) / 0x100000000)) >>> 0;
  if (manip === NF_NAT_MANIP_SRC) t.s = pick;
  else t.d = pick;
}

/** nf_nat_l4proto_unique_tuple: walk the port range from a random offset for an unused one. */
function l4UniqueTuple(net: Net, t: Tuple, r: NfNatRange, manip: number, c: NfConn): void {
  let min: number;
  let rangeSize: number;
  if (t.proto === IPPROTO_ICMP) {
    if (!(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
      min = 0;
      rangeSize = 65536;
    } else {
      min = r.minProto;
      rangeSize = r.maxProto - r.minProto + 1;
    }
  } else if (t.proto === IPPROTO_TCP || t.proto === IPPROTO_UDP) {
    if (!(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
      if (manip === NF_NAT_MANIP_DST) return;
      const k = keyOf(t, manip);
      if (k < 1024) {
        if (k < 512) {
          min = 1;
          rangeSize = 511;
        } else {
          min = 600;
          rangeSize = 1023 - 600 + 1;
        }
      } else {
        min = 1024;
        rangeSize = 65535 - 1024 + 1;
      }
    } else {
      min = Math.min(r.minProto, r.maxProto);
      rangeSize = Math.abs(r.maxProto - r.minProto) + 1;
    }
  } else return;
  let off: number;
  if (r.flags & NF_NAT_RANGE_PROTO_OFFSET) off = (keyOf(t, manip) - r.minProto) & 0xffff;
  else if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL || manip !== NF_NAT_MANIP_DST)
    off = net.host.randomU32() & 0xffff;
  else off = 0;
  let attempts = Math.min(rangeSize, 128);
  for (;;) {
    for (let i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
      setKey(t, manip, min + (off % rangeSize));
      if (!usedTuple(net, t, c)) return;
    }
    attempts >>= 1;
    if (attempts === 0) return;
    off = net.host.randomU32() & 0xffff;
  }
}

/**
 * find_appropriate_src: the source mapping a live connection from the same address and port
 * (same protocol) already has, when it lies in the range. Newest first, as hlist_add_head keeps
 * them. A connection not confirmed by now never left its first packet's path: it is dead.
 */
function findAppropriateSrc(net: Net, orig: Tuple, r: NfNatRange, c: NfConn): Tuple | undefined {
  const ct = netCt(net);
  const list = ct.natBySource.get(orig.s * 65536 + orig.sp);
  if (!list) return undefined;
  for (const other of list) {
    if (other === c || other.proto !== orig.proto || other.status & IPS_DYING) continue;
    if (!(other.status & IPS_CONFIRMED)) continue;
    const t = invert(replyTuple(other));
    t.d = orig.d;
    t.dp = orig.dp;
    if (inRange(t, r)) return t;
  }
  return undefined;
}

/** get_unique_tuple */
function getUniqueTuple(net: Net, orig: Tuple, r: NfNatRange, c: NfConn, manip: number): Tuple {
  if (manip === NF_NAT_MANIP_SRC && !(r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
    // 1) The original tuple, when it is in range and free; else the mapping the same source
    // already has, when that is free.
    if (inRange(orig, r)) {
      if (!usedTuple(net, orig, c)) return { ...orig };
    } else {
      const t = findAppropriateSrc(net, orig, r, c);
      if (t && !usedTuple(net, t, c)) return t;
    }
  }
  const t = { ...orig };
  findBestIps(t, r, manip);
  if (!(r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
    if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
      if (
        !(r.flags & NF_NAT_RANGE_PROTO_OFFSET) &&
        l4InRange(t, manip, r.minProto, r.maxProto) &&
        (r.minProto === r.maxProto || !usedTuple(net, t, c))
      )
        return t;
    } else if (!usedTuple(net, t, c)) return t;
  }
  l4UniqueTuple(net, t, r, manip, c);
  return t;
}

/** nf_nat_initialized */
export function nfNatInitialized(c: NfConn, manip: number): boolean {
  return (c.status & (manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)) !== 0;
}

/**
 * nf_nat_setup_info: the connection's binding for one manip type. The reply tuple becomes the
 * inverse of the chosen tuple, so replies find the connection and are rewritten back.
 */
export function nfNatSetupInfo(net: Net, c: NfConn, r: NfNatRange, manip: number): number {
  if (c.status & IPS_CONFIRMED) return NF_ACCEPT;
  const curr = invert(replyTuple(c));
  const next = getUniqueTuple(net, curr, r, c, manip);
  if (next.s !== curr.s || next.d !== curr.d || next.sp !== curr.sp || next.dp !== curr.dp) {
    const reply = invert(next);
    c.rs = reply.s;
    c.rd = reply.d;
    c.rsp = reply.sp;
    c.rdp = reply.dp;
    c.status |= manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  }
  c.status |= manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
  if (manip === NF_NAT_MANIP_SRC) {
    // nf_nat_bysource, keyed by the original source. Entries never confirmed died with their
    // first packet (nf_ct_delete only sees confirmed ones): they go now.
    const bysource = netCt(net).natBySource;
    const key = c.os * 65536 + c.osp;
    const list = bysource.get(key);
    if (list)
      bysource.set(key, [
        c,
        ...list.filter((o) => (o.status & (IPS_CONFIRMED | IPS_DYING)) === IPS_CONFIRMED),
      ]);
    else bysource.set(key, [c]);
  }
  return NF_ACCEPT;
}

/** nf_nat_alloc_null_binding: the address stays as it is; only a port clash moves the port. */
function nfNatAllocNullBinding(net: Net, c: NfConn, hook: number): number {
  const manip = hook2manip(hook);
  const ip = manip === NF_NAT_MANIP_SRC ? c.rd : c.rs;
  return nfNatSetupInfo(
    net,
    c,
    { flags: NF_NAT_RANGE_MAP_IPS, minAddr: ip, maxAddr: ip, minProto: 0, maxProto: 0 },
    manip,
  );
}

// ---------------------------------------------------------------------------------------------
// Rewriting packets.

function csumReplace4(check: number, from: number, to: number): number {
  let sum = (~check & 0xffff) + ((~from >>> 16) & 0xffff) + ((~from >>> 0) & 0xffff);
  sum += (to >>> 16) + (to & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function csumReplace2(check: number, from: number, to: number): number {
  let sum = (~check & 0xffff) + (~from & 0xffff) + (to & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const get16 = (d: Uint8Array, at: number) => ((d[at] as number) << 8) | (d[at + 1] as number);
function put16(d: Uint8Array, at: number, v: number): void {
  d[at] = (v >>> 8) & 0xff;
  d[at + 1] = v & 0xff;
}
function put32(d: Uint8Array, at: number, v: number): void {
  d[at] = v >>> 24;
  d[at + 1] = (v >>> 16) & 0xff;
  d[at + 2] = (v >>> 8) & 0xff;
  d[at + 3] = v & 0xff;
}

/**
 * nf_nat_ipv4_manip_pkt: the address (and port or ICMP id) of one side of the IPv4 packet at
 * `nh` becomes the target's; the IP and layer-4 checksums follow (inet_proto_csum_replace4/2).
 * A quoted header too short for the TCP checksum keeps it (the kernel's 8-byte case).
 */
function manipPkt(d: Uint8Array, nh: number, end: number, target: Tuple, manip: number): void {
  const proto = d[nh + 9] as number;
  const th = nh + ((d[nh] as number) & 0xf) * 4;
  const addrAt = manip === NF_NAT_MANIP_SRC ? nh + 12 : nh + 16;
  const oldAddr = readU32(d, addrAt);
  const newAddr = (manip === NF_NAT_MANIP_SRC ? target.s : target.d) >>> 0;
  const fragoff = (get16(d, nh + 6) & 0x1fff) !== 0;
  if (!fragoff) {
    if (proto === IPPROTO_TCP || proto === IPPROTO_UDP) {
      const portAt = manip === NF_NAT_MANIP_SRC ? th : th + 2;
      const newPort = manip === NF_NAT_MANIP_SRC ? target.sp : target.dp;
      const checkAt = proto === IPPROTO_TCP ? th + 16 : th + 6;
      if (th + 4 <= end) {
        const oldPort = get16(d, portAt);
        const hasCsum =
          proto === IPPROTO_TCP ? th + 18 <= end && end - th >= 20 : th + 8 <= end && get16(d, checkAt) !== 0;
        if (hasCsum) {
          let check = get16(d, checkAt);
          check = csumReplace4(check, oldAddr, newAddr);
          check = csumReplace2(check, oldPort, newPort);
          if (proto === IPPROTO_UDP && check === 0) check = 0xffff;
          put16(d, checkAt, check);
        }
        put16(d, portAt, newPort);
      }
    } else if (proto === IPPROTO_ICMP && th + 8 <= end) {
      const type = d[th] as number;
      if (
        type === 0 ||
        type === 8 ||
        type === 13 ||
        type === 14 ||
        type === 15 ||
        type === 16 ||
        type === 17 ||
        type === 18
      ) {
        const oldId = get16(d, th + 4);
        put16(d, th + 2, csumReplace2(get16(d, th + 2), oldId, target.sp));
        put16(d, th + 4, target.sp);
      }
    }
  }
  put16(d, nh + 10, csumReplace4(get16(d, nh + 10), oldAddr, newAddr));
  put32(d, addrAt, newAddr);
}

/** nf_nat_packet: rewrite the packet toward the other direction's tuple, inverted. */
export function nfNatPacket(c: NfConn, ctinfo: number, hook: number, skb: SkBuff): number {
  const manip = hook2manip(hook);
  const dir = ctinfo >= 3 ? 1 : 0;
  let statusbit = manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === 1) statusbit ^= IPS_NAT_MASK;
  if (c.status & statusbit) {
    const target = invert(dir === 0 ? replyTuple(c) : origTuple(c));
    manipPkt(skb.data, skb.networkHeader, skb.tail, target, manip);
  }
  return NF_ACCEPT;
}

/**
 * nf_nat_icmp_reply_translation: an ICMP error RELATED to a NATed connection. The datagram it
 * quotes gets the opposite rewrite (it looks like it did before NAT), the ICMP checksum is
 * computed anew, then the outer header is rewritten as the connection's replies are.
 */
function nfNatIcmpReplyTranslation(c: NfConn, ctinfo: number, hook: number, skb: SkBuff): boolean {
  const manip = hook2manip(hook);
  const dir = ctinfo === IP_CT_RELATED_REPLY ? 1 : 0;
  let statusbit = manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === 1) statusbit ^= IPS_NAT_MASK;
  if (!(c.status & statusbit)) return true;
  const d = skb.data;
  const nh = skb.networkHeader;
  const th = nh + ((d[nh] as number) & 0xf) * 4;
  const inner = th + 8;
  if (inner + 20 > skb.tail) return false;
  const other = dir === 0 ? replyTuple(c) : origTuple(c);
  manipPkt(d, inner, skb.tail, other, manip === NF_NAT_MANIP_SRC ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC);
  d[th + 2] = 0;
  d[th + 3] = 0;
  let sum = 0;
  let i = th;
  for (; i + 1 < skb.tail; i += 2) sum += get16(d, i);
  if (i < skb.tail) sum += (d[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  put16(d, th + 2, ~sum & 0xffff);
  // The outer header: addresses only (an error's ICMP header has no id to rewrite).
  const target = invert(other);
  manipPkt(d, nh, skb.tail, { ...target, proto: IPPROTO_ICMP }, manip);
  return true;
}

/** nf_nat_oif_changed: a masqueraded connection must leave by the device it took its address from. */
function oifChanged(hook: number, ctinfo: number, c: NfConn, out: NetDevice | undefined): boolean {
  return c.masqIndex !== 0 && hook === NF_INET_POST_ROUTING && ctinfo < 3 && c.masqIndex !== out?.ifindex;
}

/**
 * nf_nat_ipv4_fn + nf_nat_inet_fn: the nat table's hook. A new connection without a binding
 * for this manip walks the table's chain (its SNAT/DNAT/MASQUERADE/REDIRECT make one) or gets
 * a null binding; every packet is then rewritten by its connection's bindings.
 */
export function nfNatIpv4Fn(
  net: Net,
  skb: SkBuff,
  state: NfHookState,
  lookup: ((skb: SkBuff, state: NfHookState) => number) | undefined,
): number {
  const c = skb.nfct as NfConn | undefined;
  if (!c) return NF_ACCEPT;
  const ctinfo = skb.nfctinfo as number;
  const hook = state.hook;
  const d = skb.data;
  const nh = skb.networkHeader;
  if ((ctinfo === IP_CT_RELATED || ctinfo === IP_CT_RELATED_REPLY) && d[nh + 9] === IPPROTO_ICMP) {
    const type = d[nh + ((d[nh] as number) & 0xf) * 4] as number;
    if (type === 3 || type === 4 || type === 5 || type === 11 || type === 12)
      return nfNatIcmpReplyTranslation(c, ctinfo, hook, skb) ? NF_ACCEPT : NF_DROP;
  }
  const manip = hook2manip(hook);
  if (ctinfo === IP_CT_NEW || ctinfo === IP_CT_RELATED || ctinfo === IP_CT_RELATED_REPLY) {
    if (!nfNatInitialized(c, manip)) {
      if (lookup) {
        const ret = lookup(skb, state);
        if (ret !== NF_ACCEPT) return ret;
      }
      if (!nfNatInitialized(c, manip)) {
        const ret = nfNatAllocNullBinding(net, c, hook);
        if (ret !== NF_ACCEPT) return ret;
      }
    } else if (oifChanged(hook, ctinfo, c, state.out)) {
      nfCtKill(net, c);
      return NF_DROP;
    }
  } else if (oifChanged(hook, ctinfo, c, state.out)) {
    nfCtKill(net, c);
    return NF_DROP;
  }
  return nfNatPacket(c, ctinfo, hook, skb);
}

/** The nat hooks around nf_nat_ipv4_fn: OUTPUT re-routes a packet whose destination changed. */
export function nfNatHook(
  net: Net,
  skb: SkBuff,
  state: NfHookState,
  lookup: ((skb: SkBuff, state: NfHookState) => number) | undefined,
): number {
  if (state.hook !== NF_INET_LOCAL_OUT) return nfNatIpv4Fn(net, skb, state, lookup);
  const daddr = readU32(skb.data, skb.networkHeader + 16);
  const ret = nfNatIpv4Fn(net, skb, state, lookup);
  if (ret === NF_ACCEPT && readU32(skb.data, skb.networkHeader + 16) !== daddr) {
    if (!ipRouteMeHarder(net, skb)) {
      net.nf.drops.IP_OUTNOROUTES++;
      return NF_DROP;
    }
  }
  return ret;
}

/**
 * nf_nat_masquerade_ipv4: SNAT to the address the route's device would pick for the next hop
 * (inet_select_addr), remembering the device so the binding dies with its address.
 */
export function nfNatMasqueradeIpv4(
  net: Net,
  skb: SkBuff,
  r: NfNatRange,
  out: NetDevice | undefined,
  log: (text: string) => void,
): number {
  const c = skb.nfct as NfConn | undefined;
  if (!c || !out) return NF_ACCEPT;
  if (c.os === 0) return NF_ACCEPT;
  const rt = skb.dst as Rtable | undefined;
  const daddr = readU32(skb.data, skb.networkHeader + 16);
  const nh = rt ? rtNexthop(rt, daddr) : daddr;
  const newsrc = inetSelectAddr(out, nh, 0);
  if (!newsrc) {
    log(`${out.name} ate my IP address`);
    return NF_DROP;
  }
  c.masqIndex = out.ifindex;
  return nfNatSetupInfo(
    net,
    c,
    {
      flags: r.flags | NF_NAT_RANGE_MAP_IPS,
      minAddr: newsrc,
      maxAddr: newsrc,
      minProto: r.minProto,
      maxProto: r.maxProto,
    },
    NF_NAT_MANIP_SRC,
  );
}

/** nf_nat_redirect_ipv4: DNAT to 127.0.0.1 (OUTPUT) or the input device's first address. */
export function nfNatRedirectIpv4(net: Net, skb: SkBuff, r: NfNatRange, hook: number): number {
  const c = skb.nfct as NfConn | undefined;
  if (!c) return NF_ACCEPT;
  let newdst: number;
  if (hook === NF_INET_LOCAL_OUT) newdst = 0x7f000001;
  else {
    const dev = skb.dev;
    const ifa = dev?.inDev?.ifaList[0];
    if (!ifa) return NF_DROP;
    newdst = ifa.local;
  }
  return nfNatSetupInfo(
    net,
    c,
    {
      flags: r.flags | NF_NAT_RANGE_MAP_IPS,
      minAddr: newdst,
      maxAddr: newdst,
      minProto: r.minProto,
      maxProto: r.maxProto,
    },
    NF_NAT_MANIP_DST,
  );
}

/** The SNAT/DNAT targets: the rule's range as the binding for its hook's manip type. */
export function nfNatSetupFromRule(net: Net, skb: SkBuff, r: NfNatRange, manip: number): number {
  const c = skb.nfct as NfConn | undefined;
  if (!c) return NF_ACCEPT;
  return nfNatSetupInfo(net, c, r, manip);
}

/**
 * nf_nat_masq_schedule with device_cmp / inet_cmp: the masqueraded connections of a device
 * (masq_index), or only those whose reply goes to `addr`, are deleted. The kernel does it from a
 * work item a moment later; nothing runs in between here, so it is done at once.
 */
export function nfNatMasqAddrGone(net: Net, ifindex: number, addr: number | undefined): number {
  return nfCtIterateCleanup(
    net,
    (c) => c.masqIndex !== 0 && c.masqIndex === ifindex && (addr === undefined || c.rd >>> 0 === addr >>> 0),
  );
}

/**
 * masq_inet_event: an address leaving a device takes the masqueraded connections that use it
 * there. A device losing all its IPv4 state (in_dev->dead) is left to masq_device_event.
 */
export function masqInetEvent(event: "NETDEV_DOWN", ifa: InIfaddr, inDev: InDevice): void {
  if (event !== "NETDEV_DOWN" || inDev.dead) return;
  nfNatMasqAddrGone(inDev.dev.net, inDev.dev.ifindex, ifa.address);
}

/** masq_device_event: a device going down takes every masqueraded connection through it. */
export function masqDeviceEvent(event: NetdevEvent, dev: NetDevice): void {
  if (event === "NETDEV_DOWN") nfNatMasqAddrGone(dev.net, dev.ifindex, undefined);
}

export { NF_INET_PRE_ROUTING, NF_NAT_RANGE_PROTO_RANDOM_FULLY };
