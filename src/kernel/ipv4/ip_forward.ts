// IPv4 forwarding (net/ipv4/ip_forward.c).
import {
  ICMP_DEST_UNREACH,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
} from "../../wire/icmp.js";
import { IP_DF, Ipv4View } from "../../wire/ipv4.js";
import type { NetDevice } from "../core/dev.js";
import { skbGsoNetworkSeglen } from "../core/gso.js";
import type { SkBuff } from "../core/skbuff.js";
import { NF_HOOK } from "../netfilter/core.js";
import { RTCF_DOREDIRECT } from "../uapi.js";
import { NF_INET_FORWARD } from "../uapi_netfilter.js";
import { icmpSend } from "./icmp.js";
import { ipForwardOptions } from "./ip_options.js";
import { dstOutput } from "./ip_output.js";
import { ipDstMtuMaybeForward, ipRtSendRedirect, type Rtable } from "./route.js";

/** ICMP_REDIR_HOST */
const ICMP_REDIR_HOST = 1;

/** ip_forward: TTL, MTU, then FORWARD and out. */
export function ipForward(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  const mib = dev.net.ipv4.mib;
  if (skb.pktType !== "PACKET_HOST") {
    mib.InDiscards++;
    return;
  }
  const iph = Ipv4View.over(skb.data, skb.networkHeader) as Ipv4View;
  if (iph.ttl <= 1) {
    dev.net.host.tracer?.drop(dev.net, skb, "IP_INHDR_TTL");
    icmpSend(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
    mib.InHdrErrors++;
    return;
  }
  const rt = skb.dst as Rtable;
  // Counted before the MTU check, so a datagram refused for its size counts too.
  mib.ForwDatagrams++;
  const mtu = ipDstMtuMaybeForward(rt, true);
  // A GSO skb exceeds it only when its segments would (skb_gso_validate_network_len).
  if ((skb.gsoSize ? skbGsoNetworkSeglen(skb) : iph.totalLength) > mtu && iph.fragOff & IP_DF) {
    // ip_exceeds_mtu: tell the sender the next-hop MTU (RFC 1191).
    mib.FragFails++;
    icmpSend(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
    return;
  }
  iph.decreaseTtl();
  // The host redirect goes out beside the packet, quoting it with its TTL already decreased.
  if (rt.flags & RTCF_DOREDIRECT)
    ipRtSendRedirect(skb, (gw) => icmpSend(skb, ICMP_REDIRECT, ICMP_REDIR_HOST, gw));
  dev.net.host.tracer?.forward(skb, rt);
  NF_HOOK(NF_INET_FORWARD, dev.net, skb, dev, rt.dev, ipForwardFinish);
}

/** ip_forward_finish: options get this router's outgoing address (ip_forward_options). */
function ipForwardFinish(skb: SkBuff): void {
  if (skb.opt?.optlen) ipForwardOptions(skb);
  dstOutput(skb);
}
