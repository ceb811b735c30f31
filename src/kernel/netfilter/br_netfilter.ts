// br_netfilter (net/bridge/br_netfilter_hooks.c, built in): bridged IPv4 frames pass iptables'
// PREROUTING, FORWARD and POSTROUTING with the bridge as their in and out device, when
// net.bridge.bridge-nf-call-iptables is set (the default, per namespace).
import { ETH_P_IP } from "../../wire/ethernet.js";
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import { NF_INET_FORWARD, NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING } from "../uapi_netfilter.js";
import { NF_HOOK } from "./core.js";

/** Whether a frame on bridge `brdev` goes through iptables at all (IPv4 with a whole header). */
function brNfWanted(skb: SkBuff, brdev: NetDevice): boolean {
  return (
    skb.protocol === ETH_P_IP && brdev.net.nf.bridgeNfCallIptables !== 0 && skb.tail - skb.networkHeader >= 20
  );
}

/**
 * br_nf_pre_routing: PREROUTING with the bridge as in device; the frame then goes on to the
 * bridge's forwarding decision. If it is passed up to the bridge's own stack, ip_rcv does not run
 * PREROUTING again (ip_sabotage_in).
 */
export function brNfPreRouting(
  skb: SkBuff,
  port: NetDevice,
  brdev: NetDevice,
  okfn: (skb: SkBuff) => void,
): void {
  if (!brNfWanted(skb, brdev)) {
    okfn(skb);
    return;
  }
  skb.nfBridge = { physindev: port, physoutdev: undefined, inPrerouting: true };
  NF_HOOK(NF_INET_PRE_ROUTING, brdev.net, skb, brdev, undefined, (s) => {
    (s.nfBridge as NonNullable<SkBuff["nfBridge"]>).inPrerouting = false;
    okfn(s);
  });
}

/** br_nf_forward_ip then br_nf_post_routing: a frame bridged out of port `to`. */
export function brNfForward(skb: SkBuff, to: NetDevice, brdev: NetDevice, okfn: (skb: SkBuff) => void): void {
  if (!skb.nfBridge || !brNfWanted(skb, brdev)) {
    okfn(skb);
    return;
  }
  skb.nfBridge = { ...skb.nfBridge, physoutdev: to };
  const net = brdev.net;
  NF_HOOK(NF_INET_FORWARD, net, skb, brdev, brdev, (s) =>
    NF_HOOK(NF_INET_POST_ROUTING, net, s, undefined, brdev, okfn),
  );
}
