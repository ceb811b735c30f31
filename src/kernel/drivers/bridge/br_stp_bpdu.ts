// BPDUs in and out of bridge ports (net/bridge/br_stp_bpdu.c): br_send_config_bpdu and
// br_send_tcn_bpdu put an LLC UI frame to the bridge group address on the port's device;
// br_stp_rcv, which llc_rcv and stp_pdu_rcv hand SAP 0x42 frames to, reads them back.
import {
  BPDU_TCN_LEN,
  type BpduRepr,
  bpduLength,
  type ConfigBpduRepr,
  emitStpLlcBpdu,
  LLC_HLEN,
  parseBpdu,
} from "../../../wire/stp.js";
import type { NetDevice } from "../../core/dev.js";
import { devQueueXmit } from "../../core/netif.js";
import { allocSkb, type SkBuff } from "../../core/skbuff.js";
import { IFF_UP } from "../../uapi.js";
import { type BridgePort, brPortOf } from "./br_private.js";
import { brReceivedConfigBpdu, brReceivedTcnBpdu, brStpDisablePort } from "./br_stp.js";

export type ConfigBpdu = ConfigBpduRepr;

/** ETH_P_802_2: what the sender marks skb->protocol with; the frame's type field is its length. */
const ETH_P_802_2 = 0x0004;

/** br_send_bpdu: llc_pdu_header_init, llc_mac_hdr_init (802.3 length), dev_queue_xmit on the port. */
function brSendBpdu(p: BridgePort, bpdu: BpduRepr): void {
  const len = LLC_HLEN + bpduLength(bpdu);
  const skb = allocSkb(14 + len, p.br.dev.net.host.packetSlab);
  const f = skb.data.subarray(skb.head, skb.tail);
  f.set(p.br.groupAddr, 0);
  f.set(p.dev.address, 6);
  f[12] = len >> 8;
  f[13] = len & 0xff;
  emitStpLlcBpdu(f, 14, bpdu);
  skb.macHeader = skb.head;
  skb.networkHeader = skb.head + 14;
  skb.protocol = ETH_P_802_2;
  skb.dev = p.dev;
  devQueueXmit(skb, p.dev);
}

/** br_send_config_bpdu: only while kernel STP runs. */
export function brSendConfigBpdu(p: BridgePort, bpdu: ConfigBpdu): void {
  if (p.br.stpEnabled !== 1) return;
  brSendBpdu(p, bpdu);
}

/** br_send_tcn_bpdu */
export function brSendTcnBpdu(p: BridgePort): void {
  if (p.br.stpEnabled !== 1) return;
  brSendBpdu(p, { kind: "tcn" });
}

/** kfree_skb: the frame ends here (SKB_DROP_REASON_NOT_SPECIFIED; `why` names the check). */
function stpDrop(skb: SkBuff, dev: NetDevice, why: string): void {
  dev.net.host.tracer?.drop(dev.net, skb, `NOT_SPECIFIED (br_stp_rcv: ${why})`);
}

/**
 * br_stp_rcv: `skb.head` is past the LLC header, `end` where the 802.3 length ends the PDU. A
 * BPDU counts only on a port of a bridge running kernel STP that is up, on a port that is not
 * disabled, sent to the bridge's group address; a port with bpdu_guard is disabled by the first.
 */
export function brStpRcv(skb: SkBuff, dev: NetDevice, end: number): void {
  const bpdu = parseBpdu(skb.data, skb.head, end);
  // pskb_may_pull(skb, 4), then the protocol id and version; the rest waits for the port checks.
  if (end - skb.head < BPDU_TCN_LEN || bpdu === "not-stp") {
    stpDrop(skb, dev, bpdu === "not-stp" ? bpdu : "truncated");
    return;
  }
  const p = brPortOf(dev);
  if (!p) {
    stpDrop(skb, dev, "not a bridge port");
    return;
  }
  const br = p.br;
  const dest = skb.data.subarray(skb.macHeader, skb.macHeader + 6);
  if (
    br.stpEnabled !== 1 ||
    !(br.dev.flags & IFF_UP) ||
    p.state === "disabled" ||
    !macEq(dest, br.groupAddr)
  ) {
    stpDrop(skb, dev, "not taken");
    return;
  }
  if (p.guard) {
    // "BPDU received on blocked port"
    brStpDisablePort(p);
    stpDrop(skb, dev, "bpdu_guard");
    return;
  }
  // A configuration BPDU shorter than 35 bytes (pskb_may_pull(skb, 32) after the type), or a
  // type that is neither configuration nor TCN.
  if (bpdu === "truncated" || bpdu === "unknown-type") {
    stpDrop(skb, dev, bpdu);
    return;
  }
  if (bpdu.kind === "tcn") {
    brReceivedTcnBpdu(p);
    return;
  }
  if (bpdu.messageAge > bpdu.maxAge) {
    // "port %u config from %pM (message_age %ul > max_age %ul)"
    stpDrop(skb, dev, "message_age > max_age");
    return;
  }
  brReceivedConfigBpdu(p, bpdu);
}

function macEq(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}
