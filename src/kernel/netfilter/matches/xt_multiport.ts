// xt_multiport.c (revision 1): up to 15 ports or ranges, by source, destination or either.
import { KernelError } from "../../syscalls.js";
import { IPT_INV_PROTO, type XtMatch } from "../../uapi_netfilter.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "multiport" }>;

/** check_proto: TCP, UDP, UDP-Lite, SCTP or DCCP, not inverted; at most XT_MULTI_PORTS entries. */
export function multiportMtCheck(info: Info, par: XtCheckParam): void {
  if (![6, 17, 136, 132, 33].includes(par.ip.proto) || par.ip.invflags & IPT_INV_PROTO)
    throw new KernelError("EINVAL");
  const slots = info.ports.reduce((n, r) => n + (r.lo === r.hi ? 1 : 2), 0);
  if (slots > 15) throw new KernelError("EINVAL");
}

export function multiportMt(info: Info): XtMatchFn {
  const lo = Uint16Array.from(info.ports, (r) => r.lo);
  const hi = Uint16Array.from(info.ports, (r) => r.hi);
  const src = info.flags !== "destination";
  const dst = info.flags !== "source";
  const invert = info.invert;
  return (skb, par) => {
    if (par.fragoff !== 0) return false;
    const d = skb.data;
    const th = par.thoff;
    if (th + 4 > skb.tail) {
      par.hotdrop = true;
      return false;
    }
    const sport = ((d[th] as number) << 8) | (d[th + 1] as number);
    const dport = ((d[th + 2] as number) << 8) | (d[th + 3] as number);
    for (let i = 0; i < lo.length; i++) {
      const l = lo[i] as number;
      const h = hi[i] as number;
      if ((src && sport >= l && sport <= h) || (dst && dport >= l && dport <= h)) return !invert;
    }
    return invert;
  };
}
