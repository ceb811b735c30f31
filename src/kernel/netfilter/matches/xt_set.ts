// xt_set.c: the set match (revision 4) and the references rules hold on sets. The SET target's
// packet side is in targets/xt_SET.ts.
import { KernelError } from "../../syscalls.js";
import {
  IPSET_FLAG_SKIP_COUNTER_UPDATE,
  IPSET_INV_MATCH,
  type IptTable,
  type XtMatch,
} from "../../uapi_netfilter.js";
import { type IpSetElem, ipSetByIndex, ipSetRef, ipSetTest } from "../ipset/ip_set.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "set" }>;

/** IPSET_DIM_MAX */
const IPSET_DIM_MAX = 6;

/** set_match_v4_checkentry: the set must exist (ip_set_nfnl_get_byindex), dim within range. */
export function setMtCheck(m: Info, par: XtCheckParam): void {
  if (!ipSetByIndex(par.net, m.matchSet.index)) throw new KernelError("ENOENT");
  if (m.matchSet.dim > IPSET_DIM_MAX) throw new KernelError("ERANGE");
}

/** ip_set_match_counter: IPSET_COUNTER_EQ/NE/LT/GT. */
function counterOk(value: number, op: number, want: number): boolean {
  switch (op) {
    case 1:
      return value === want;
    case 2:
      return value !== want;
    case 3:
      return value < want;
    case 4:
      return value > want;
    default:
      return true;
  }
}

/** set_match_v4 / match_set: the packet's element tested against the set, maybe inverted. */
export function setMt(m: Info): XtMatchFn {
  const inv = (m.matchSet.flags & IPSET_INV_MATCH) !== 0;
  const withCounters = m.packets.op !== 0 || m.bytes.op !== 0;
  const check = withCounters
    ? (e: IpSetElem) =>
        counterOk(e.packets, m.packets.op, m.packets.value) && counterOk(e.bytes, m.bytes.op, m.bytes.value)
    : undefined;
  const opt = {
    flags: m.matchSet.flags,
    fragoff: 0,
    updateCounters: (m.flags & IPSET_FLAG_SKIP_COUNTER_UPDATE) === 0,
    check,
  };
  return (skb, par) => {
    opt.fragoff = par.fragoff;
    return ipSetTest(par.net, m.matchSet.index, skb, opt) !== inv;
  };
}

/** The set indices a table's rules refer to, once per reference (match, add-set, del-set). */
function setRefs(t: IptTable): number[] {
  const out: number[] = [];
  for (const c of t.chains)
    for (const e of c.entries) {
      for (const m of e.matches) if (m.kind === "set") out.push(m.matchSet.index);
      if (e.target.kind === "SET") {
        if (e.target.addSet) out.push(e.target.addSet.index);
        if (e.target.delSet) out.push(e.target.delSet.index);
      }
    }
  return out;
}

/** ip_set_nfnl_get_byindex for each reference of a new table, ip_set_nfnl_put for an old one's. */
export function xtSetTableRefs(par: XtCheckParam["net"], t: IptTable, delta: 1 | -1): void {
  for (const index of setRefs(t)) ipSetRef(par, index, delta);
}
