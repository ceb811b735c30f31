// xt_mark.c's MARK target (revision 2): mark = (mark & ~mask) ^ value; --set-mark, --and-mark and
// --or-mark are all expressed this way by iptables.
import type { XtTarget } from "../../uapi_netfilter.js";
import { XT_CONTINUE, type XtTargetFn } from "../x_tables.js";

export function markTg(t: Extract<XtTarget, { kind: "MARK" }>): XtTargetFn {
  const mask = t.mask >>> 0;
  const mark = t.mark >>> 0;
  return (skb) => {
    skb.mark = ((skb.mark & ~mask) ^ mark) >>> 0;
    return XT_CONTINUE;
  };
}
