// Sending frames out of bridge ports (net/bridge/br_forward.c): to the one port the FDB names, or
// flooded to every other port that forwards.

import { ETH_HLEN } from "../../../wire/ethernet.js";
import type { NetDevice } from "../../core/dev.js";
import { devQueueXmit } from "../../core/netif.js";
import type { SkBuff } from "../../core/skbuff.js";
import { brNfForward } from "../../netfilter/br_netfilter.js";
import { IFF_UP } from "../../uapi.js";
import type { Bridge, BridgePort } from "./br_private.js";

const VLAN_HLEN = 4;

export type BrPktType = "unicast" | "multicast" | "broadcast";

/** skb_clone, for a frame that goes more than one way: a copy the receiver may write into. */
export function brSkbCopy(skb: SkBuff): SkBuff {
  const data = skb.data.slice(skb.macHeader, skb.tail);
  const shift = skb.macHeader;
  return {
    ...skb,
    data,
    head: skb.head - shift,
    tail: skb.tail - shift,
    macHeader: 0,
    networkHeader: skb.networkHeader - shift,
    transportHeader: Math.max(0, skb.transportHeader - shift),
    dst: undefined,
  };
}

/** should_deliver: not back where it came from (unless hairpin), and only to a forwarding port. */
function shouldDeliver(p: BridgePort, skb: SkBuff): boolean {
  return (p.hairpin || skb.dev !== p.dev) && p.state === "forwarding";
}

/** br_dev_queue_push_xmit: the Ethernet header goes back on; frames too big for the port are dropped. */
function brDevQueuePushXmit(skb: SkBuff, dev: NetDevice): void {
  skb.head = skb.macHeader;
  const len = skb.tail - skb.head;
  // is_skb_forwardable: a GSO skb passes whatever its length.
  if (!(dev.flags & IFF_UP) || (len > dev.mtu + ETH_HLEN + VLAN_HLEN && !skb.gsoSize)) return;
  devQueueXmit(skb, dev);
}

/** __br_forward */
function brForwardOne(to: BridgePort, skb: SkBuff): void {
  skb.dev = to.dev;
  brNfForward(skb, to.dev, to.br.dev, (s) => brDevQueuePushXmit(s, to.dev));
}

/** br_forward: to the port the FDB named; with `localRcv` a copy goes, the frame itself stays. */
export function brForward(to: BridgePort | undefined, skb: SkBuff, localRcv: boolean): void {
  if (!to || !shouldDeliver(to, skb)) return;
  brForwardOne(to, localRcv ? brSkbCopy(skb) : skb);
}

/** br_flood: every port that forwards and floods this kind of frame, but the one it came in on. */
export function brFlood(br: Bridge, skb: SkBuff, pktType: BrPktType, localRcv: boolean): void {
  const targets: BridgePort[] = [];
  for (const p of br.ports) {
    if (pktType === "unicast" && !p.flood) continue;
    if (pktType === "multicast" && !p.mcastFlood && skb.dev !== br.dev) continue;
    if (pktType === "broadcast" && !p.bcastFlood && skb.dev !== br.dev) continue;
    if (shouldDeliver(p, skb)) targets.push(p);
  }
  targets.forEach((p, i) => {
    const last = i === targets.length - 1;
    brForwardOne(p, last && !localRcv ? skb : brSkbCopy(skb));
  });
}
