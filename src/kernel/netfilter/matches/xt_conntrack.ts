// xt_conntrack.c (revision 3), xt_state.c and xt_connmark.c: matches on the packet's connection.
import type { SkBuff } from "../../core/skbuff.js";
import {
  XT_CONNTRACK_DIRECTION,
  XT_CONNTRACK_EXPIRES,
  XT_CONNTRACK_ORIGDST,
  XT_CONNTRACK_ORIGDST_PORT,
  XT_CONNTRACK_ORIGSRC,
  XT_CONNTRACK_ORIGSRC_PORT,
  XT_CONNTRACK_PROTO,
  XT_CONNTRACK_REPLDST,
  XT_CONNTRACK_REPLDST_PORT,
  XT_CONNTRACK_REPLSRC,
  XT_CONNTRACK_REPLSRC_PORT,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_STATE_DNAT,
  XT_CONNTRACK_STATE_INVALID,
  XT_CONNTRACK_STATE_SNAT,
  XT_CONNTRACK_STATE_UNTRACKED,
  XT_CONNTRACK_STATUS,
  XT_STATE_UNTRACKED,
  type XtMatch,
} from "../../uapi_netfilter.js";
import {
  IP_CT_IS_REPLY,
  IP_CT_UNTRACKED,
  IPS_DST_NAT,
  IPS_SRC_NAT,
  type NfConn,
  nfCtExpiresSeconds,
} from "../nf_conntrack.js";
import type { XtActionParam, XtMatchFn } from "../x_tables.js";

type ConntrackInfo = Extract<XtMatch, { kind: "conntrack" }>;

/** XT_CONNTRACK_STATE_BIT(ctinfo), or INVALID / UNTRACKED without a connection. */
function stateBit(skb: SkBuff, untracked: number): number {
  const ctinfo = skb.nfctinfo ?? 0;
  if (skb.nfct) return 1 << ((ctinfo % IP_CT_IS_REPLY) + 1);
  if (ctinfo === IP_CT_UNTRACKED && skb.nfctinfo !== undefined) return untracked;
  return XT_CONNTRACK_STATE_INVALID;
}

function addrMatch(addr: number, want: number, mask: number): boolean {
  return ((addr ^ want) & mask) >>> 0 === 0;
}

function portMatch(p: { lo: number; hi: number }, port: number, invert: boolean): boolean {
  return (port >= p.lo && port <= p.hi) !== invert;
}

/** conntrack_mt */
export function conntrackMt(info: ConntrackInfo): XtMatchFn {
  const mf = info.matchFlags;
  const inv = info.invertFlags;
  return (skb: SkBuff, par: XtActionParam) => {
    const ct = skb.nfct as NfConn | undefined;
    let statebit = stateBit(skb, XT_CONNTRACK_STATE_UNTRACKED);
    if (mf & XT_CONNTRACK_STATE) {
      if (ct) {
        if (ct.status & IPS_SRC_NAT) statebit |= XT_CONNTRACK_STATE_SNAT;
        if (ct.status & IPS_DST_NAT) statebit |= XT_CONNTRACK_STATE_DNAT;
      }
      if (((info.stateMask & statebit) !== 0) === ((inv & XT_CONNTRACK_STATE) !== 0)) return false;
    }
    if (!ct) return (mf & XT_CONNTRACK_STATE) !== 0;
    const reply = (skb.nfctinfo ?? 0) >= IP_CT_IS_REPLY;
    if (mf & XT_CONNTRACK_DIRECTION && !reply === ((inv & XT_CONNTRACK_DIRECTION) !== 0)) return false;
    const chk = (flag: number, ok: () => boolean) => !(mf & flag) || ok() !== ((inv & flag) !== 0);
    if (!chk(XT_CONNTRACK_ORIGSRC, () => addrMatch(ct.os, info.origSrc, info.origSrcMask))) return false;
    if (!chk(XT_CONNTRACK_ORIGDST, () => addrMatch(ct.od, info.origDst, info.origDstMask))) return false;
    if (!chk(XT_CONNTRACK_REPLSRC, () => addrMatch(ct.rs, info.replSrc, info.replSrcMask))) return false;
    if (!chk(XT_CONNTRACK_REPLDST, () => addrMatch(ct.rd, info.replDst, info.replDstMask))) return false;
    if (mf & XT_CONNTRACK_PROTO && (ct.proto === info.l4proto) === ((inv & XT_CONNTRACK_PROTO) !== 0))
      return false;
    const port = (flag: number, range: { lo: number; hi: number }, v: number) =>
      !(mf & flag) || portMatch(range, v, (inv & flag) !== 0);
    if (!port(XT_CONNTRACK_ORIGSRC_PORT, info.origSrcPort, ct.osp)) return false;
    if (!port(XT_CONNTRACK_ORIGDST_PORT, info.origDstPort, ct.odp)) return false;
    if (!port(XT_CONNTRACK_REPLSRC_PORT, info.replSrcPort, ct.rsp)) return false;
    if (!port(XT_CONNTRACK_REPLDST_PORT, info.replDstPort, ct.rdp)) return false;
    if (
      mf & XT_CONNTRACK_STATUS &&
      ((info.statusMask & ct.status) !== 0) === ((inv & XT_CONNTRACK_STATUS) !== 0)
    )
      return false;
    if (mf & XT_CONNTRACK_EXPIRES) {
      const e = nfCtExpiresSeconds(par.net, ct);
      if ((e >= info.expiresMin && e <= info.expiresMax) === ((inv & XT_CONNTRACK_EXPIRES) !== 0))
        return false;
    }
    return true;
  };
}

/** state_mt: the state bit against the mask (iptables inverts the mask itself for `!`). */
export function stateMt(info: Extract<XtMatch, { kind: "state" }>): XtMatchFn {
  const mask = info.invert ? ~info.stateMask & 0x7f : info.stateMask;
  return (skb) => (mask & stateBit(skb, XT_STATE_UNTRACKED)) !== 0;
}

/** connmark_mt */
export function connmarkMt(info: Extract<XtMatch, { kind: "connmark" }>): XtMatchFn {
  return (skb) => {
    const ct = skb.nfct as NfConn | undefined;
    if (!ct) return false;
    return ((ct.mark & info.mask) >>> 0 === info.mark >>> 0) !== info.invert;
  };
}
