// ipt_REJECT.c with nf_reject_ipv4.c: drop the packet and tell the sender, by an ICMP destination
// unreachable of the chosen code or by a TCP reset.

import {
  ICMP_DEST_UNREACH,
  ICMP_HOST_ANO,
  ICMP_HOST_UNREACH,
  ICMP_NET_ANO,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_PORT_UNREACH,
  ICMP_PROT_UNREACH,
} from "../../../wire/icmp.js";
import { IP_OFFSET, IPPROTO_TCP } from "../../../wire/ipv4.js";
import { emitTcp, TCPHDR_ACK, TCPHDR_FIN, TCPHDR_RST, TCPHDR_SYN } from "../../../wire/tcp.js";
import type { SkBuff } from "../../core/skbuff.js";
import { icmpSend } from "../../ipv4/icmp.js";
import { ipBuildSkb, ipLocalOut } from "../../ipv4/ip_output.js";
import type { Rtable } from "../../ipv4/route.js";
import { KernelError } from "../../syscalls.js";
import { RTCF_BROADCAST, RTCF_MULTICAST } from "../../uapi.js";
import {
  IPT_INV_PROTO,
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  type XtTarget,
} from "../../uapi_netfilter.js";
import { NF_DROP } from "../core.js";
import { ipRouteMeHarder } from "../ip_netfilter.js";
import type { XtActionParam, XtCheckParam, XtTargetFn } from "../x_tables.js";

type Info = Extract<XtTarget, { kind: "REJECT" }>;

const CODES: Record<Exclude<Info["with"], "tcp-reset">, number> = {
  "icmp-net-unreachable": ICMP_NET_UNREACH,
  "icmp-host-unreachable": ICMP_HOST_UNREACH,
  "icmp-port-unreachable": ICMP_PORT_UNREACH,
  "icmp-proto-unreachable": ICMP_PROT_UNREACH,
  "icmp-net-prohibited": ICMP_NET_ANO,
  "icmp-host-prohibited": ICMP_HOST_ANO,
  "icmp-admin-prohibited": ICMP_PKT_FILTERED,
};

/** reject_tg_check: INPUT, FORWARD and OUTPUT only; a TCP reset only for `-p tcp`. */
export function rejectTgCheck(t: Info, par: XtCheckParam): void {
  const ok = (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT);
  if (par.hookMask & ~ok) throw new KernelError("EINVAL");
  if (t.with === "tcp-reset" && (par.ip.proto !== IPPROTO_TCP || par.ip.invflags & IPT_INV_PROTO))
    throw new KernelError("EINVAL");
}

export function rejectTg(t: Info): XtTargetFn {
  if (t.with === "tcp-reset") {
    return (skb, par) => {
      nfSendReset(skb, par);
      return NF_DROP;
    };
  }
  const code = CODES[t.with];
  return (skb) => {
    // nf_send_unreach: never for a non-first fragment.
    const d = skb.data;
    const nh = skb.networkHeader;
    if (((((d[nh + 6] as number) << 8) | (d[nh + 7] as number)) & IP_OFFSET) === 0)
      icmpSend(skb, ICMP_DEST_UNREACH, code, 0);
    return NF_DROP;
  };
}

/** nf_send_reset: a RST in answer to a TCP segment, sent as the kernel's own packet. */
function nfSendReset(oldskb: SkBuff, par: XtActionParam): void {
  const d = oldskb.data;
  const nh = oldskb.networkHeader;
  const th = par.thoff;
  if (par.fragoff !== 0 || d[nh + 9] !== IPPROTO_TCP || th + 20 > oldskb.tail) return;
  const oflags = d[th + 13] as number;
  if (oflags & TCPHDR_RST) return;
  const rt = oldskb.dst as Rtable | undefined;
  if (rt && rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;
  const u16 = (at: number) => ((d[at] as number) << 8) | (d[at + 1] as number);
  const u32 = (at: number) =>
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0;
  const saddr = u32(nh + 16);
  const daddr = u32(nh + 12);
  let seq = 0;
  let ack = 0;
  let flags = TCPHDR_RST;
  if (oflags & TCPHDR_ACK) seq = u32(th + 8);
  else {
    const payload = oldskb.tail - th - ((d[th + 12] as number) >> 4) * 4;
    ack = (u32(th + 4) + (oflags & TCPHDR_SYN ? 1 : 0) + (oflags & TCPHDR_FIN ? 1 : 0) + payload) >>> 0;
    flags |= TCPHDR_ACK;
  }
  const tcp = new Uint8Array(20);
  emitTcp(
    tcp,
    0,
    {
      source: u16(th + 2),
      dest: u16(th),
      seq,
      ack,
      flags,
      window: 0,
      urgPtr: 0,
      options: {},
      payload: new Uint8Array(0),
    },
    saddr,
    daddr,
  );
  const net = par.net;
  const nskb = ipBuildSkb(
    net,
    { saddr, daddr, protocol: IPPROTO_TCP, ttl: net.ipv4.sysctlIpDefaultTtl, tos: 0, df: true },
    tcp,
  );
  if (!ipRouteMeHarder(net, nskb)) return;
  ipLocalOut(net, nskb, nskb.dst as Rtable);
}
