// 802.2 LLC frames in (net/llc/llc_input.c, net/802/stp.c): eth_type_trans marks a frame whose type
// field is a length (below 0x0600) ETH_P_802_2, and llc_rcv takes it: the LLC header is checked
// against that length and pulled, and the SAP's receiver gets the rest. Only SAP 0x42, which the
// bridge's STP registers (stp_proto_register), has one here. Nothing is counted on a drop.
import { isStpLlcHeader, LLC_HLEN, LLC_SAP_BSPAN } from "../../wire/stp.js";
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import { brStpRcv } from "../drivers/bridge/br_stp_bpdu.js";

/** LLC_PDU_TYPE_MASK, LLC_PDU_TYPE_U: a U frame's control field is one byte, I and S frames' two. */
const LLC_PDU_TYPE_MASK = 0x03;
const LLC_PDU_TYPE_U = 0x03;
/** GARP_ADDR_MIN / GARP_ADDR_MAX: 01:80:c2:00:00:2X belongs to GARP applications, none here. */
const GARP_ADDR_MIN = 0x20;
const GARP_ADDR_MAX = 0x2f;

/** kfree_skb (SKB_DROP_REASON_NOT_SPECIFIED); `why` names the check for `netnest trace`. */
function llcDrop(skb: SkBuff, dev: NetDevice, why: string): void {
  dev.net.host.tracer?.drop(dev.net, skb, `NOT_SPECIFIED (llc_rcv: ${why})`);
}

/** llc_rcv, with llc_fixup_skb and SAP 0x42's stp_pdu_rcv. `skb.head` is past the Ethernet header. */
export function llcRcv(skb: SkBuff, dev: NetDevice): void {
  if (skb.pktType === "PACKET_OTHERHOST") {
    llcDrop(skb, dev, "PACKET_OTHERHOST");
    return;
  }
  // llc_fixup_skb: the PDU header, then the payload the 802.3 length promises, trimmed to it.
  const d = skb.data;
  const at = skb.head;
  if (skb.tail - at < LLC_HLEN) {
    llcDrop(skb, dev, "short LLC header");
    return;
  }
  const llcLen = ((d[at + 2] as number) & LLC_PDU_TYPE_MASK) === LLC_PDU_TYPE_U ? 3 : 4;
  const dataSize = skb.protocol - llcLen;
  if (skb.tail - at < llcLen || dataSize < 0 || skb.tail - at - llcLen < dataSize) {
    llcDrop(skb, dev, "802.3 length");
    return;
  }
  const dsap = d[at] as number;
  if (dsap !== LLC_SAP_BSPAN) {
    // DSAP 0 is the station's (TEST and XID, answered by llc2, not built here); any other SAP has no
    // receiver (llc_sap_find fails).
    llcDrop(skb, dev, dsap === 0 ? "station" : "no SAP");
    return;
  }
  // stp_pdu_rcv: both SAPs 0x42 and a UI frame; GARP's group addresses go to GARP applications.
  if (!isStpLlcHeader(d, at)) {
    llcDrop(skb, dev, "not an STP PDU");
    return;
  }
  const last = d[skb.macHeader + 5] as number;
  if (last >= GARP_ADDR_MIN && last <= GARP_ADDR_MAX) {
    llcDrop(skb, dev, "no GARP application");
    return;
  }
  skb.head = at + llcLen;
  brStpRcv(skb, dev, skb.head + dataSize);
}
