// Targets on the connection: xt_connmark.c's CONNMARK (revision 2), xt_CT.c's CT --notrack and
// NOTRACK, and xt_nat.c / xt_MASQUERADE.c / xt_REDIRECT.c's NAT targets.
import { KernelError } from "../../syscalls.js";
import {
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  type XtTarget,
} from "../../uapi_netfilter.js";
import { NF_ACCEPT } from "../core.js";
import { IP_CT_UNTRACKED, type NfConn } from "../nf_conntrack.js";
import { IPCT_MARK, nfConntrackEventCache } from "../nf_conntrack_ecache.js";
import {
  NF_NAT_MANIP_DST,
  NF_NAT_MANIP_SRC,
  nfNatMasqueradeIpv4,
  nfNatRedirectIpv4,
  nfNatSetupFromRule,
} from "../nf_nat.js";
import { XT_CONTINUE, type XtCheckParam, type XtTargetFn } from "../x_tables.js";

type Ct = Extract<XtTarget, { kind: "CONNMARK" | "CT" | "SNAT" | "DNAT" | "MASQUERADE" | "REDIRECT" }>;

/** The hooks each NAT target may be reached from (xt_nat_checkentry and friends). */
const NAT_HOOKS: Readonly<Record<string, number>> = {
  SNAT: (1 << NF_INET_POST_ROUTING) | (1 << NF_INET_LOCAL_IN),
  DNAT: (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
  MASQUERADE: 1 << NF_INET_POST_ROUTING,
  REDIRECT: (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
};

export function ctTargetCheck(t: Ct, par: XtCheckParam): void {
  switch (t.kind) {
    case "CONNMARK":
      return;
    case "CT":
      // xt_ct_tg_check: only the raw table, before conntrack has looked at the packet.
      if (par.table !== "raw") throw new KernelError("EINVAL");
      return;
    default:
      if (par.table !== "nat") throw new KernelError("EINVAL");
      if (par.hookMask & ~(NAT_HOOKS[t.kind] as number)) throw new KernelError("EINVAL");
  }
}

export function ctTargetCompile(t: Ct, par: XtCheckParam): XtTargetFn {
  const net = par.net;
  switch (t.kind) {
    case "CONNMARK": {
      const { ctmark, ctmask, nfmask } = t;
      return (skb) => {
        const ct = skb.nfct as NfConn | undefined;
        if (!ct) return XT_CONTINUE;
        let mark: number;
        if (t.mode === "set") mark = ((ct.mark & ~ctmask) ^ ctmark) >>> 0;
        else if (t.mode === "save") mark = ((ct.mark & ~ctmask) ^ (skb.mark & nfmask)) >>> 0;
        else {
          skb.mark = ((skb.mark & ~nfmask) ^ (ct.mark & ctmask)) >>> 0;
          return XT_CONTINUE;
        }
        // connmark_tg: a changed mark is an IPCT_MARK event.
        if (ct.mark !== mark) {
          ct.mark = mark;
          nfConntrackEventCache(ct, IPCT_MARK);
        }
        return XT_CONTINUE;
      };
    }
    case "CT":
      return (skb) => {
        // A packet already tracked keeps its connection (xt_ct_target: skb->_nfct set).
        if (skb.nfct !== undefined) return XT_CONTINUE;
        if (t.notrack) {
          skb.nfct = undefined;
          skb.nfctinfo = IP_CT_UNTRACKED;
        }
        return XT_CONTINUE;
      };
    case "SNAT":
      return (skb) => nfNatSetupFromRule(net, skb, t.range, NF_NAT_MANIP_SRC);
    case "DNAT":
      return (skb) => nfNatSetupFromRule(net, skb, t.range, NF_NAT_MANIP_DST);
    case "MASQUERADE":
      return (skb, p) =>
        nfNatMasqueradeIpv4(net, skb, t.range, p.out, () => {
          // pr_info "%s ate my IP address": the kernel logs it; the packet is dropped.
        });
    case "REDIRECT":
      return (skb, p) => nfNatRedirectIpv4(net, skb, t.range, p.hook);
  }
}

export { NF_ACCEPT };
