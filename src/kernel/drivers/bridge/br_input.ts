// Frames arriving on bridge ports (net/bridge/br_input.c): br_handle_frame is each port's
// rx_handler. It learns the source address, then forwards to the port the FDB names, floods, or
// passes the frame up the bridge device's own stack (its address, broadcast, multicast).
import { ETH_HLEN, EthernetView, isBroadcastMac, isMulticastMac, macEqual } from "../../../wire/ethernet.js";
import { packetTapRx } from "../../core/af_packet.js";
import { isValidEtherAddr, type NetDevice, type RxHandlerResult } from "../../core/dev.js";
import { netifDeliverSkb } from "../../core/netif.js";
import type { SkBuff } from "../../core/skbuff.js";
import { brNfPreRouting } from "../../netfilter/br_netfilter.js";
import { brFdbFind, brFdbUpdate } from "./br_fdb.js";
import { type BrPktType, brFlood, brForward } from "./br_forward.js";
import { brMulticastRcv } from "./br_multicast.js";
import { type BridgePort, brPortOf } from "./br_private.js";

/** br_pass_frame_up: the bridge device receives the frame (its counters see no Ethernet header). */
function brPassFrameUp(skb: SkBuff, brdev: NetDevice): void {
  brdev.stats.rxPackets++;
  brdev.stats.rxBytes += skb.tail - skb.macHeader - ETH_HLEN;
  skb.dev = brdev;
  // netif_receive_skb on the bridge device: its packet taps see the frame first
  // (__netif_receive_skb_core's ptype_all), as tcpdump -i br0 does.
  if (brdev.net.packetTaps?.all.length) packetTapRx(brdev.net, skb);
  netifDeliverSkb(skb);
}

/** br_handle_frame_finish */
function brHandleFrameFinish(p: BridgePort, skb: SkBuff, dest: Uint8Array, source: Uint8Array): void {
  const br = p.br;
  if (p.learning) brFdbUpdate(br, p, source);
  let localRcv = (br.dev.flags & 0x100) !== 0; // IFF_PROMISC
  let pktType: BrPktType = "unicast";
  if (isMulticastMac(dest)) {
    if (isBroadcastMac(dest)) {
      pktType = "broadcast";
      localRcv = true;
    } else {
      // br_multicast_rcv learns the groups IGMP reports join; with no querier the frame still
      // floods and goes up (br_multicast_querier_exists is false).
      pktType = "multicast";
      if (!brMulticastRcv(br, p, skb)) return;
      localRcv = true;
      br.dev.stats.multicast++;
    }
  }
  if (p.state === "learning") return;
  const dst = pktType === "unicast" ? brFdbFind(br, dest) : undefined;
  if (dst) {
    if (dst.isLocal) {
      brPassFrameUp(skb, br.dev);
      return;
    }
    dst.used = br.dev.net.host.clock.now;
    brForward(dst.dst, skb, localRcv);
  } else {
    brFlood(br, skb, pktType, localRcv);
  }
  if (localRcv) brPassFrameUp(skb, br.dev);
}

/** br_handle_frame: the rx_handler of every bridge port. */
export function brHandleFrame(skb: SkBuff): RxHandlerResult {
  const dev = skb.dev as NetDevice;
  const p = brPortOf(dev);
  if (!p) return "RX_HANDLER_PASS";
  const eth = EthernetView.over(skb.data, skb.macHeader);
  if (!eth) return "RX_HANDLER_CONSUMED";
  const source = eth.src;
  const dest = eth.dst;
  if (!isValidEtherAddr(source)) return "RX_HANDLER_CONSUMED";
  // 01:80:c2:00:00:0X, the IEEE link-local group: with STP off the bridge group address is
  // forwarded, pause frames dropped; the rest go up the port itself (where BPDUs end in
  // br_stp_rcv) unless the bridge's or the port's group_fwd_mask forwards them.
  if (
    dest[0] === 0x01 &&
    dest[1] === 0x80 &&
    dest[2] === 0xc2 &&
    dest[3] === 0 &&
    dest[4] === 0 &&
    (dest[5] as number) < 16
  ) {
    const bit = 1 << (dest[5] as number);
    let fwdMask = p.groupFwdMask;
    let forward = false;
    if (dest[5] === 0x00) forward = p.br.stpEnabled === 0 || (fwdMask & bit) !== 0;
    else if (dest[5] === 0x01) return "RX_HANDLER_CONSUMED";
    else {
      fwdMask |= p.br.groupFwdMask;
      forward = (fwdMask & bit) !== 0;
    }
    if (!forward) {
      if (p.learning && !p.br.noLinklocalLearn && (p.state === "learning" || p.state === "forwarding"))
        brFdbUpdate(p.br, p, source);
      return "RX_HANDLER_PASS";
    }
  }
  if (p.state !== "forwarding" && p.state !== "learning") return "RX_HANDLER_CONSUMED";
  if (macEqual(p.br.dev.address, dest)) skb.pktType = "PACKET_HOST";
  brNfPreRouting(skb, dev, p.br.dev, (s) => brHandleFrameFinish(p, s, dest, source));
  return "RX_HANDLER_CONSUMED";
}
