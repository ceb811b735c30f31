// 802.1D spanning tree BPDUs behind an LLC UI header (net/bridge/br_stp_bpdu.c, net/802/stp.c,
// include/net/llc_pdu.h): what follows the Ethernet header of a frame whose type field is an 802.3
// length. Times travel in 1/256 s; the kernel keeps them in jiffies (HZ=250).
import { getU16, putU16, putU32 } from "./bytes.js";

/** LLC_SAP_BSPAN: the spanning tree SAP, as DSAP and SSAP. */
export const LLC_SAP_BSPAN = 0x42;
/** LLC_PDU_TYPE_U with the UI command (llc_pdu_init_as_ui_cmd): the control byte. */
export const LLC_PDU_UI = 0x03;
export const LLC_HLEN = 3;
/** The BPDU after the LLC header: protocol id (2), version (1), type (1), then a config's 31. */
export const BPDU_CONFIG_LEN = 35;
export const BPDU_TCN_LEN = 4;
export const BPDU_TYPE_CONFIG = 0x00;
export const BPDU_TYPE_TCN = 0x80;

const HZ = 250;
const STP_HZ = 256;

// LLC header
const DSAP = 0;
const SSAP = 1;
const CTRL = 2;
// BPDU, from the protocol id
const PROTO = 0;
const VERSION = 2;
const TYPE = 3;
const FLAGS = 4;
const ROOT = 5;
const ROOT_PATH_COST = 13;
const BRIDGE = 17;
const PORT = 25;
const MESSAGE_AGE = 27;
const MAX_AGE = 29;
const HELLO_TIME = 31;
const FORWARD_DELAY = 33;

/** struct bridge_id on the wire: two priority bytes and an address, compared as 8 bytes. */
export interface BpduBridgeId {
  readonly prio: number;
  readonly addr: Uint8Array;
}

/** struct br_config_bpdu, times in jiffies. */
export interface ConfigBpduRepr {
  readonly kind: "config";
  readonly topologyChange: boolean;
  readonly topologyChangeAck: boolean;
  readonly root: BpduBridgeId;
  readonly rootPathCost: number;
  readonly bridgeId: BpduBridgeId;
  readonly portId: number;
  readonly messageAge: number;
  readonly maxAge: number;
  readonly helloTime: number;
  readonly forwardDelay: number;
}

export type BpduRepr = ConfigBpduRepr | { readonly kind: "tcn" };

/** A BPDU br_stp_rcv takes no further: why, as a word for `netnest trace`. */
export type BpduError = "truncated" | "not-stp" | "unknown-type";

/** br_set_ticks: jiffies to 1/256 s, rounded down. */
export function jiffiesToStpTicks(j: number): number {
  return Math.floor((STP_HZ * j) / HZ) & 0xffff;
}

/** br_get_ticks: 1/256 s to jiffies, rounded up. */
export function stpTicksToJiffies(ticks: number): number {
  return Math.ceil((ticks * HZ) / STP_HZ);
}

/** The LLC header as stp_pdu_rcv wants it: DSAP and SSAP 0x42, a UI frame. */
export function isStpLlcHeader(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at + DSAP] === LLC_SAP_BSPAN &&
    bytes[at + SSAP] === LLC_SAP_BSPAN &&
    bytes[at + CTRL] === LLC_PDU_UI
  );
}

function getU32(bytes: Uint8Array, at: number): number {
  return ((getU16(bytes, at) << 16) | getU16(bytes, at + 2)) >>> 0;
}

function getBridgeId(bytes: Uint8Array, at: number): BpduBridgeId {
  return { prio: getU16(bytes, at), addr: bytes.slice(at + 2, at + 8) };
}

/**
 * br_stp_rcv's reading of the BPDU at `at` (after the LLC header), `end` the frame's end as the
 * 802.3 length sets it: protocol id and version 0 (so RSTP's version 2 is not STP here), a
 * configuration BPDU whole, or a TCN. Any other type is ignored.
 */
export function parseBpdu(bytes: Uint8Array, at: number, end: number): BpduRepr | BpduError {
  if (end - at < BPDU_TCN_LEN) return "truncated";
  if (bytes[at + PROTO] !== 0 || bytes[at + PROTO + 1] !== 0 || bytes[at + VERSION] !== 0) return "not-stp";
  const type = bytes[at + TYPE];
  if (type === BPDU_TYPE_TCN) return { kind: "tcn" };
  if (type !== BPDU_TYPE_CONFIG) return "unknown-type";
  if (end - at < BPDU_CONFIG_LEN) return "truncated";
  const flags = bytes[at + FLAGS] as number;
  return {
    kind: "config",
    topologyChange: (flags & 0x01) !== 0,
    topologyChangeAck: (flags & 0x80) !== 0,
    root: getBridgeId(bytes, at + ROOT),
    rootPathCost: getU32(bytes, at + ROOT_PATH_COST),
    bridgeId: getBridgeId(bytes, at + BRIDGE),
    portId: getU16(bytes, at + PORT),
    messageAge: stpTicksToJiffies(getU16(bytes, at + MESSAGE_AGE)),
    maxAge: stpTicksToJiffies(getU16(bytes, at + MAX_AGE)),
    helloTime: stpTicksToJiffies(getU16(bytes, at + HELLO_TIME)),
    forwardDelay: stpTicksToJiffies(getU16(bytes, at + FORWARD_DELAY)),
  };
}

function putBridgeId(out: Uint8Array, at: number, id: BpduBridgeId): void {
  putU16(out, at, id.prio);
  out.set(id.addr, at + 2);
}

/** The bytes after the LLC header: 35 for a configuration BPDU, 4 for a TCN. */
export function bpduLength(bpdu: BpduRepr): number {
  return bpdu.kind === "config" ? BPDU_CONFIG_LEN : BPDU_TCN_LEN;
}

/** llc_pdu_header_init + llc_pdu_init_as_ui_cmd, then br_send_config_bpdu / br_send_tcn_bpdu's bytes. */
export function emitStpLlcBpdu(out: Uint8Array, at: number, bpdu: BpduRepr): void {
  out[at + DSAP] = LLC_SAP_BSPAN;
  out[at + SSAP] = LLC_SAP_BSPAN;
  out[at + CTRL] = LLC_PDU_UI;
  const b = at + LLC_HLEN;
  out[b + PROTO] = 0;
  out[b + PROTO + 1] = 0;
  out[b + VERSION] = 0;
  if (bpdu.kind === "tcn") {
    out[b + TYPE] = BPDU_TYPE_TCN;
    return;
  }
  out[b + TYPE] = BPDU_TYPE_CONFIG;
  out[b + FLAGS] = (bpdu.topologyChange ? 0x01 : 0) | (bpdu.topologyChangeAck ? 0x80 : 0);
  putBridgeId(out, b + ROOT, bpdu.root);
  putU32(out, b + ROOT_PATH_COST, bpdu.rootPathCost);
  putBridgeId(out, b + BRIDGE, bpdu.bridgeId);
  putU16(out, b + PORT, bpdu.portId);
  putU16(out, b + MESSAGE_AGE, jiffiesToStpTicks(bpdu.messageAge));
  putU16(out, b + MAX_AGE, jiffiesToStpTicks(bpdu.maxAge));
  putU16(out, b + HELLO_TIME, jiffiesToStpTicks(bpdu.helloTime));
  putU16(out, b + FORWARD_DELAY, jiffiesToStpTicks(bpdu.forwardDelay));
}
