// xt_TCPMSS.c: lower the MSS option of a TCP SYN to a fixed value or to the path MTU less 40,
// updating the TCP checksum incrementally.

import { csumReplace2 } from "../../../wire/checksum.js";
import { dstMtu, ipRouteOutputKey, type Rtable } from "../../ipv4/route.js";
import { KernelError } from "../../syscalls.js";
import {
  IPT_INV_PROTO,
  NF_INET_FORWARD,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  type XtTarget,
} from "../../uapi_netfilter.js";
import { NF_DROP } from "../core.js";
import { XT_CONTINUE, type XtCheckParam, type XtTargetFn } from "../x_tables.js";

type Info = Extract<XtTarget, { kind: "TCPMSS" }>;

export const XT_TCPMSS_CLAMP_PMTU = 0xffff;
const TCPOPT_MSS = 2;
const TCPOLEN_MSS = 4;
/** sizeof(struct iphdr) + sizeof(struct tcphdr) */
const MINLEN = 40;

/**
 * tcpmss_tg4_check (as nft_compat calls it): TCP only (the target's .proto), and clamping only
 * where a route exists (FORWARD, OUTPUT, POSTROUTING). The SYN-match check is skipped under
 * nf_tables, so iptables-nft accepts a rule without --syn.
 */
export function tcpmssTgCheck(t: Info, par: XtCheckParam): void {
  if (par.ip.proto !== 6 || par.ip.invflags & IPT_INV_PROTO) throw new KernelError("EINVAL");
  const allowed = (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING);
  if (t.mss === XT_TCPMSS_CLAMP_PMTU && par.hookMask & ~allowed) throw new KernelError("EINVAL");
}

/** optlen: the length of the option at i (1 for EOL and NOP, else its length byte, at least 1). */
function optlen(d: Uint8Array, i: number): number {
  if ((d[i] as number) <= 1) return 1;
  return (d[i + 1] as number) || 1;
}

/** tcpmss_tg4 with tcpmss_mangle_packet. */
export function tcpmssTg(t: Info): XtTargetFn {
  return (skb, par) => {
    if (par.fragoff !== 0) return XT_CONTINUE;
    const d = skb.data;
    const th = par.thoff;
    const len = skb.tail - th;
    if (len < 20) return NF_DROP;
    const hdrlen = ((d[th + 12] as number) >> 4) * 4;
    if (len < hdrlen || hdrlen < 20) return NF_DROP;
    let newmss = t.mss;
    if (t.mss === XT_TCPMSS_CLAMP_PMTU) {
      // tcpmss_reverse_mtu: the MTU of the route back to the sender, and the route ahead.
      const nh = skb.networkHeader;
      const saddr =
        (((d[nh + 12] as number) << 24) |
          ((d[nh + 13] as number) << 16) |
          ((d[nh + 14] as number) << 8) |
          (d[nh + 15] as number)) >>>
        0;
      const back = ipRouteOutputKey(par.net, { daddr: saddr });
      const inMtu = back instanceof KernelError ? 0xffffffff : dstMtu(back as Rtable);
      const outMtu = skb.dst ? dstMtu(skb.dst) : 0xffffffff;
      const minMtu = Math.min(inMtu, outMtu);
      if (minMtu <= MINLEN) return NF_DROP;
      newmss = minMtu - MINLEN;
    }
    for (let i = 20; i <= hdrlen - TCPOLEN_MSS; i += optlen(d, th + i)) {
      if (d[th + i] === TCPOPT_MSS && d[th + i + 1] === TCPOLEN_MSS) {
        const oldmss = ((d[th + i + 2] as number) << 8) | (d[th + i + 3] as number);
        // Never increase the MSS, even when setting it.
        if (oldmss <= newmss) return XT_CONTINUE;
        d[th + i + 2] = newmss >> 8;
        d[th + i + 3] = newmss & 0xff;
        const check = ((d[th + 16] as number) << 8) | (d[th + 17] as number);
        const c = csumReplace2(check, oldmss, newmss);
        d[th + 16] = c >> 8;
        d[th + 17] = c & 0xff;
        return XT_CONTINUE;
      }
    }
    // No MSS option: the kernel inserts one (at most 536) when the SYN carries no data; netnest
    // leaves such a packet alone (its TCP always sends the option).
    return XT_CONTINUE;
  };
}
