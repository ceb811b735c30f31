// The small header matches: xt_mark.c, xt_iprange.c, xt_mac.c, xt_pkttype.c, xt_length.c,
// xt_hl.c (ttl), xt_dscp.c (dscp and tos).
import { KernelError } from "../../syscalls.js";
import {
  IPRANGE_DST,
  IPRANGE_DST_INV,
  IPRANGE_SRC,
  IPRANGE_SRC_INV,
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_PRE_ROUTING,
  type XtMatch,
} from "../../uapi_netfilter.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type M<K extends XtMatch["kind"]> = Extract<XtMatch, { kind: K }>;

function u32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}

export function markMt(info: M<"mark">): XtMatchFn {
  const { mark, mask, invert } = info;
  return (skb) => ((skb.mark & mask) >>> 0 === mark >>> 0) !== invert;
}

/** iprange_mt4 */
export function iprangeMt(info: M<"iprange">): XtMatchFn {
  const { flags, srcMin, srcMax, dstMin, dstMax } = info;
  return (skb) => {
    const nh = skb.networkHeader;
    if (flags & IPRANGE_SRC) {
      const s = u32(skb.data, nh + 12);
      if ((s < srcMin || s > srcMax) !== ((flags & IPRANGE_SRC_INV) !== 0)) return false;
    }
    if (flags & IPRANGE_DST) {
      const a = u32(skb.data, nh + 16);
      if ((a < dstMin || a > dstMax) !== ((flags & IPRANGE_DST_INV) !== 0)) return false;
    }
    return true;
  };
}

/** mac_mt: only where a received frame has its Ethernet header (PREROUTING, INPUT, FORWARD). */
export function macMtCheck(_info: M<"mac">, par: XtCheckParam): void {
  const ok = (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD);
  if (par.hookMask & ~ok) throw new KernelError("EINVAL");
}

export function macMt(info: M<"mac">): XtMatchFn {
  const want = Uint8Array.from(info.srcaddr);
  return (skb) => {
    const mh = skb.macHeader;
    if (!skb.dev || mh + 14 > skb.networkHeader) return false;
    let eq = true;
    for (let i = 0; i < 6; i++) if (skb.data[mh + 6 + i] !== want[i]) eq = false;
    return eq !== info.invert;
  };
}

/** pkttype_mt: PACKET_HOST is "unicast". */
export function pkttypeMt(info: M<"pkttype">): XtMatchFn {
  const want = { unicast: "PACKET_HOST", broadcast: "PACKET_BROADCAST", multicast: "PACKET_MULTICAST" }[
    info.pkttype
  ];
  return (skb) => {
    let type: string = skb.pktType;
    // A packet looped back is told by its destination (PACKET_LOOPBACK has no type of its own here).
    if (type === "PACKET_HOST" && (skb.data[skb.networkHeader + 16] as number) >>> 4 === 0xe)
      type = "PACKET_MULTICAST";
    return (type === want) !== info.invert;
  };
}

/** length_mt: the IP total length. */
export function lengthMt(info: M<"length">): XtMatchFn {
  return (skb) => {
    const d = skb.data;
    const len = ((d[skb.networkHeader + 2] as number) << 8) | (d[skb.networkHeader + 3] as number);
    return (len >= info.min && len <= info.max) !== info.invert;
  };
}

/** ttl_mt (xt_hl.c) */
export function ttlMt(info: M<"ttl">): XtMatchFn {
  const v = info.ttl;
  switch (info.mode) {
    case "eq":
      return (skb) => skb.data[skb.networkHeader + 8] === v;
    case "ne":
      return (skb) => skb.data[skb.networkHeader + 8] !== v;
    case "lt":
      return (skb) => (skb.data[skb.networkHeader + 8] as number) < v;
    case "gt":
      return (skb) => (skb.data[skb.networkHeader + 8] as number) > v;
  }
}

/** tos_mt (revision 1) */
export function tosMt(info: M<"tos">): XtMatchFn {
  return (skb) => (((skb.data[skb.networkHeader + 1] as number) & info.mask) === info.value) !== info.invert;
}

/** dscp_mt: the upper six bits of the TOS byte. */
export function dscpMt(info: M<"dscp">): XtMatchFn {
  return (skb) => ((skb.data[skb.networkHeader + 1] as number) >> 2 === info.dscp) !== info.invert;
}
