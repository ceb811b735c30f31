// xt_tcpudp.c and ip_tables.c's icmp_match: ports, TCP flags and options, ICMP type and code.
import type { SkBuff } from "../../core/skbuff.js";
import { KernelError } from "../../syscalls.js";
import {
  IPT_INV_PROTO,
  XT_TCP_INV_DSTPT,
  XT_TCP_INV_FLAGS,
  XT_TCP_INV_OPTION,
  XT_TCP_INV_SRCPT,
  type XtMatch,
} from "../../uapi_netfilter.js";
import type { XtActionParam, XtCheckParam, XtMatchFn } from "../x_tables.js";

type TcpInfo = Extract<XtMatch, { kind: "tcp" }>;
type UdpInfo = Extract<XtMatch, { kind: "udp" }>;
type IcmpInfo = Extract<XtMatch, { kind: "icmp" }>;

/** xt_check_proto: a protocol match needs `-p` that protocol, not inverted. */
export function xtCheckProto(par: XtCheckParam, proto: number): void {
  if (par.ip.proto !== proto || par.ip.invflags & IPT_INV_PROTO) throw new KernelError("EINVAL");
}

function portMatch(lo: number, hi: number, port: number, invert: boolean): boolean {
  return (port >= lo && port <= hi) !== invert;
}

/** tcp_find_option */
function tcpFindOption(
  d: Uint8Array,
  th: number,
  option: number,
  invert: boolean,
  hotdrop: XtActionParam,
): boolean {
  const doff = ((d[th + 12] as number) >> 4) * 4;
  if (doff < 20) {
    hotdrop.hotdrop = true;
    return false;
  }
  for (let i = th + 20; i < th + doff; ) {
    const op = d[i] as number;
    if (op === option) return !invert;
    if (op < 2) i++;
    else i += (d[i + 1] as number) || 1;
  }
  return invert;
}

export function tcpMt(info: TcpInfo): XtMatchFn {
  const { spts, dpts, flgMask, flgCmp, option } = info;
  const invS = (info.invflags & XT_TCP_INV_SRCPT) !== 0;
  const invD = (info.invflags & XT_TCP_INV_DSTPT) !== 0;
  const invF = (info.invflags & XT_TCP_INV_FLAGS) !== 0;
  const invO = (info.invflags & XT_TCP_INV_OPTION) !== 0;
  return (skb: SkBuff, par: XtActionParam) => {
    if (par.fragoff !== 0) {
      // "Don't allow a fragment of TCP 8 bytes in": offset 1 could overwrite the flags.
      if (par.fragoff === 1) par.hotdrop = true;
      return false;
    }
    const d = skb.data;
    const th = par.thoff;
    if (th + 20 > skb.tail) {
      par.hotdrop = true;
      return false;
    }
    if (!portMatch(spts.lo, spts.hi, ((d[th] as number) << 8) | (d[th + 1] as number), invS)) return false;
    if (!portMatch(dpts.lo, dpts.hi, ((d[th + 2] as number) << 8) | (d[th + 3] as number), invD))
      return false;
    if ((((d[th + 13] as number) & flgMask) === flgCmp) === invF) return false;
    if (option && !tcpFindOption(d, th, option, invO, par)) return false;
    return true;
  };
}

export function udpMt(info: UdpInfo): XtMatchFn {
  const { spts, dpts } = info;
  const invS = (info.invflags & XT_TCP_INV_SRCPT) !== 0;
  const invD = (info.invflags & XT_TCP_INV_DSTPT) !== 0;
  return (skb, par) => {
    if (par.fragoff !== 0) return false;
    const d = skb.data;
    const th = par.thoff;
    if (th + 8 > skb.tail) {
      par.hotdrop = true;
      return false;
    }
    return (
      portMatch(spts.lo, spts.hi, ((d[th] as number) << 8) | (d[th + 1] as number), invS) &&
      portMatch(dpts.lo, dpts.hi, ((d[th + 2] as number) << 8) | (d[th + 3] as number), invD)
    );
  };
}

/** icmp_match + icmp_type_code_match: type 0xff is any type. */
export function icmpMt(info: IcmpInfo): XtMatchFn {
  const { type, codeMin, codeMax, invert } = info;
  return (skb, par) => {
    if (par.fragoff !== 0) return false;
    const th = par.thoff;
    if (th + 2 > skb.tail) {
      par.hotdrop = true;
      return false;
    }
    const t = skb.data[th] as number;
    const c = skb.data[th + 1] as number;
    return (type === 0xff || (t === type && c >= codeMin && c <= codeMax)) !== invert;
  };
}
