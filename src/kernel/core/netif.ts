// Moving frames between devices and protocols (net/core/dev.c): __dev_queue_xmit on the way
// out, netif_rx / __netif_receive_skb and eth_type_trans on the way in.
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6 } from "../../wire/ethernet.js";
import { isVlanProto, vlanDoReceive } from "../drivers/vlan.js";
import { arpRcv } from "../ipv4/arp.js";
import { ipRcv } from "../ipv4/ip_input.js";
import { ipv6Rcv } from "../ipv6/ip6_input.js";
import { llcRcv } from "../llc/llc_input.js";
import type { Net } from "../net_namespace.js";
import { devXmitSkb } from "../sched/sch_generic.js";
import { IFF_UP } from "../uapi.js";
import { devQueueXmitNit, type PacketSock, packetDeliverType, packetTapRx } from "./af_packet.js";
import type { NetDevice } from "./dev.js";
import { netifGsoCapable, skbGsoSegment } from "./gso.js";
import { type SkBuff, skbFromFrame } from "./skbuff.js";

/**
 * __dev_queue_xmit: through the root qdisc when one is configured, else (noqueue) straight to
 * the driver: a device that is down drops the packet (-ENETDOWN).
 * The driver counts what it transmits, as each driver's ndo_start_xmit does.
 */
export function devQueueXmit(skb: SkBuff, dev: NetDevice, opts?: { readonly origin?: PacketSock }): void {
  if (!(dev.flags & IFF_UP)) {
    dev.stats.txDropped++;
    return;
  }
  // validate_xmit_skb: a GSO skb reaches a device that takes it whole (veth, lo); any other gets
  // its segments (skb_gso_segment), as does one with a qdisc (netnest's qdiscs count packets).
  if (skb.gsoSize && (dev.rootQdisc || !netifGsoCapable(dev))) {
    for (const seg of skbGsoSegment(skb)) devQueueXmit(seg, dev, opts);
    return;
  }
  dev.net.host.tracer?.xmit(skb, dev);
  const q = dev.rootQdisc;
  if (q) devXmitSkb(skb, q);
  else xmitOne(skb, dev, opts?.origin);
}

/**
 * xmit_one: the packet taps see a frame as it goes to the driver, after any qdisc held or dropped
 * it (dev_queue_xmit_nit), then ndo_start_xmit. The sending packet socket is known on the direct
 * path only (a qdisc's queue does not keep skb->sk for skb_loop_sk here).
 */
export function xmitOne(skb: SkBuff, dev: NetDevice, origin?: PacketSock): void {
  if (dev.net.packetTaps?.all.length) devQueueXmitNit(skb, dev, origin);
  dev.ops.startXmit(skb, dev);
}

/**
 * NET_XMIT_DROP on its way back up: a driver that drops a frame the sender handed it (veth over its
 * peer's MTU) sets it, and a sendmsg whose ip_local_out ran all the way down to the device in the
 * same call (the neighbour resolved) reads it as ip_local_out's ENOBUFS (net_xmit_errno).
 */
export const xmitStatus = { dropped: false };

/** dev_sw_netstats_tx_add / rx_add: a driver's per-device counters. */
export function devStatsAdd(dev: NetDevice, direction: "tx" | "rx", bytes: number): void {
  if (direction === "tx") {
    dev.stats.txPackets++;
    dev.stats.txBytes += bytes;
  } else {
    dev.stats.rxPackets++;
    dev.stats.rxBytes += bytes;
  }
}

/**
 * netif_rx: the frame reaches `dev` after `delayNs` of virtual time (the softirq backlog and the
 * wire). The receiver owns the bytes from then on; a `netnest trace` id goes with them.
 */
export function netifRx(
  frame: Uint8Array,
  dev: NetDevice,
  delayNs: number,
  from?: SkBuff,
  traceId = from?.traceId,
  gso:
    | { readonly gsoSize?: number; readonly gsoSegs?: number; readonly ipSummed?: number }
    | undefined = from,
): void {
  const net = dev.net;
  // A GSO skb crosses whole (veth_xmit hands the skb itself over): its gso_size and gso_segs go too.
  const gsoSize = gso?.gsoSize;
  const gsoSegs = gso?.gsoSegs;
  // and its ip_summed: a local TCP segment stays CHECKSUM_PARTIAL across veth and lo.
  const ipSummed = gso?.ipSummed;
  // loopback_xmit keeps the packet's connection (no skb_scrub_packet as veth's forward does).
  const nfct = from?.nfct;
  const nfctinfo = from?.nfctinfo;
  // and its nf_trace (nf_reset_trace is skb_scrub_packet's).
  const nfTrace = from?.nfTrace;
  const skb = skbFromFrame(frame, dev);
  if (nfctinfo !== undefined) {
    skb.nfct = nfct;
    skb.nfctinfo = nfctinfo;
  }
  if (traceId !== undefined) skb.traceId = traceId;
  if (nfTrace) skb.nfTrace = true;
  if (gsoSize) {
    skb.gsoSize = gsoSize;
    skb.gsoSegs = gsoSegs;
  }
  if (ipSummed) skb.ipSummed = ipSummed;
  net.host.clock.scheduleFixed(delayNs, netifRxArrive, skb, net);
}

/**
 * veth_forward_skb: __dev_forward_skb hands the skb itself to the peer, scrubbed (skb_scrub_packet:
 * no route, socket, connection, trace flag or mark) and queued by netif_rx. It arrives as
 * netifRx's copy would: a frame at the start of its buffer, with its trace id, GSO size and
 * ip_summed. An skb whose frame does not fill its buffer from the start goes as a view instead.
 */
export function devForwardSkb(skb: SkBuff, dev: NetDevice, delayNs: number): void {
  if (skb.head !== 0 || skb.tail !== skb.data.length) {
    netifRx(skb.data.subarray(skb.head, skb.tail), dev, delayNs, undefined, skb.traceId, skb);
    return;
  }
  skb.macHeader = 0;
  skb.networkHeader = 0;
  skb.transportHeader = 0;
  skb.protocol = 0;
  skb.dev = dev;
  skb.pktType = "PACKET_HOST";
  skb.mark = 0;
  skb.dst = undefined;
  skb.demuxSk = undefined;
  if (skb.nfctinfo !== undefined) {
    skb.nfct = undefined;
    skb.nfctinfo = undefined;
  }
  if (skb.nfTrace) skb.nfTrace = undefined;
  if (skb.nfBridge) skb.nfBridge = undefined;
  if (!skb.gsoSize && skb.gsoSegs !== undefined) skb.gsoSegs = undefined;
  if (skb.sk) skb.sk = undefined;
  if (skb.opt) skb.opt = undefined;
  dev.net.host.clock.scheduleFixed(delayNs, netifRxArrive, skb, dev.net);
}

/** The backlog's turn for a frame netif_rx queued: a device gone or moved meanwhile takes it with it. */
function netifRxArrive(skb: SkBuff, net: Net): void {
  const dev = skb.dev as NetDevice;
  if (!dev.registered || dev.net !== net) return;
  netifReceiveSkb(skb);
}

/**
 * eth_type_trans + __netif_receive_skb_core: classify the frame and hand it to its protocol. The
 * receive counters were kept by the driver that delivered it.
 */
export function netifReceiveSkb(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  const d = skb.data;
  const at = skb.head;
  if (d.length - at < ETH_HLEN || !(dev.flags & IFF_UP)) {
    dev.stats.rxDropped++;
    return;
  }
  // eth_type_trans reads the destination in place (is_multicast_ether_addr, ether_addr_equal).
  if ((d[at] as number) & 1) {
    skb.pktType =
      ((d[at] as number) &
        (d[at + 1] as number) &
        (d[at + 2] as number) &
        (d[at + 3] as number) &
        (d[at + 4] as number) &
        (d[at + 5] as number)) ===
      0xff
        ? "PACKET_BROADCAST"
        : "PACKET_MULTICAST";
  } else skb.pktType = macEqualAt(d, at, dev.address) ? "PACKET_HOST" : "PACKET_OTHERHOST";
  skb.macHeader = at;
  skb.protocol = ((d[at + 12] as number) << 8) | (d[at + 13] as number);
  skb.head += ETH_HLEN;
  skb.networkHeader = skb.head;
  dev.net.host.tracer?.rx(skb, dev);
  netifReceiveSkbCore(skb);
}

/**
 * __netif_rx of an skb that has been through eth_type_trans already (the clone a port's
 * rx_handler hands to an upper device, as macvlan_forward_source_one does): it keeps its
 * pkt_type and headers and joins `skb.dev`'s backlog after `delayNs`.
 */
export function netifRxClassified(skb: SkBuff, delayNs: number): void {
  const dev = skb.dev as NetDevice;
  dev.net.host.clock.scheduleFixed(delayNs, netifRxClassifiedArrive, skb, dev.net);
}

function netifRxClassifiedArrive(skb: SkBuff, net: Net): void {
  const dev = skb.dev as NetDevice;
  if (!dev.registered || dev.net !== net) return;
  if (!(dev.flags & IFF_UP)) {
    dev.stats.rxDropped++;
    return;
  }
  net.host.tracer?.rx(skb, dev);
  netifReceiveSkbCore(skb);
}

/** ether_addr_equal over the frame's bytes at `at`. */
function macEqualAt(d: Uint8Array, at: number, mac: Uint8Array): boolean {
  if (mac.length !== 6) return false;
  for (let i = 0; i < 6; i++) if (d[at + i] !== mac[i]) return false;
  return true;
}

/**
 * __netif_receive_skb_core after eth_type_trans: an 802.1Q/802.1ad tag goes to its vlan device
 * (vlan_do_receive), then the device's rx_handler (a bridge port's br_handle_frame, a macvlan
 * port's macvlan_handle_frame) sees the frame before any protocol does. RX_HANDLER_ANOTHER is
 * another round on the device the handler put in skb->dev.
 */
export function netifReceiveSkbCore(skb: SkBuff): void {
  for (;;) {
    if (skb.dev?.net.packetTaps?.all.length) packetTapRx(skb.dev.net, skb);
    if (isVlanProto(skb.protocol)) {
      const res = vlanDoReceive(skb);
      if (res === "consumed") return;
      if (res === "another") continue;
    }
    const dev = skb.dev as NetDevice;
    const res = dev.rxHandler?.(skb);
    if (res === "RX_HANDLER_CONSUMED") return;
    if (res === "RX_HANDLER_ANOTHER") continue;
    netifDeliverSkb(skb);
    return;
  }
}

/**
 * deliver_skb to the protocol handlers for skb->protocol. A master device that passes a frame up
 * its own stack (br_pass_frame_up) comes in here with skb->dev set to itself.
 */
export function netifDeliverSkb(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  if (dev.net.packetTaps) packetDeliverType(dev.net, skb);
  switch (skb.protocol) {
    case ETH_P_IP:
      ipRcv(skb, dev);
      return;
    case ETH_P_ARP:
      arpRcv(skb, dev);
      return;
    case ETH_P_IPV6:
      ipv6Rcv(skb, dev);
      return;
    default:
      // An 802.3 length instead of an EtherType is LLC (ETH_P_802_2), which llc_rcv takes (and
      // drops uncounted what no SAP wants); raw 802.3 (0xffff, ETH_P_802_3) has no handler.
      if (skb.protocol < 0x0600 && !(skb.data[skb.head] === 0xff && skb.data[skb.head + 1] === 0xff)) {
        llcRcv(skb, dev);
        return;
      }
      // No packet_type handler for this EtherType: counted as rx_nohandler, shown as dropped.
      dev.stats.rxDropped++;
  }
}
