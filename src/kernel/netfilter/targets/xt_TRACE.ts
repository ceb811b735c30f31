// xt_TRACE.c (under iptables-nft: `meta nftrace set 1`): mark the packet for tracing.
import { XT_CONTINUE, type XtTargetFn } from "../x_tables.js";

export function traceTg(): XtTargetFn {
  return (skb) => {
    skb.nfTrace = true;
    return XT_CONTINUE;
  };
}
