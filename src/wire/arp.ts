// ARP for IPv4 over Ethernet (RFC 826), include/uapi/linux/if_arp.h.
import { bytesToIPv4 } from "./addr.js";
import { getU16, putU16, putU32 } from "./bytes.js";

export const ARP_LEN = 28;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

const HTYPE = 0;
const PTYPE = 2;
const HLEN = 4;
const PLEN = 5;
const OPER = 6;
const SHA = 8;
const SPA = 14;
const THA = 18;
const TPA = 24;

export interface ArpRepr {
  readonly op: number;
  readonly senderMac: Uint8Array;
  readonly senderIp: number;
  readonly targetMac: Uint8Array;
  readonly targetIp: number;
}

/** Parses an Ethernet/IPv4 ARP packet; undefined for anything arp_rcv would drop as malformed. */
export function parseArp(bytes: Uint8Array, offset: number): ArpRepr | undefined {
  if (bytes.length - offset < ARP_LEN) return undefined;
  if (getU16(bytes, offset + HTYPE) !== 1 || getU16(bytes, offset + PTYPE) !== 0x0800) return undefined;
  if (bytes[offset + HLEN] !== 6 || bytes[offset + PLEN] !== 4) return undefined;
  return {
    op: getU16(bytes, offset + OPER),
    senderMac: bytes.slice(offset + SHA, offset + SHA + 6),
    senderIp: bytesToIPv4(bytes, offset + SPA),
    targetMac: bytes.slice(offset + THA, offset + THA + 6),
    targetIp: bytesToIPv4(bytes, offset + TPA),
  };
}

export function emitArp(out: Uint8Array, offset: number, arp: ArpRepr): void {
  putU16(out, offset + HTYPE, 1);
  putU16(out, offset + PTYPE, 0x0800);
  out[offset + HLEN] = 6;
  out[offset + PLEN] = 4;
  putU16(out, offset + OPER, arp.op);
  out.set(arp.senderMac, offset + SHA);
  putU32(out, offset + SPA, arp.senderIp);
  out.set(arp.targetMac, offset + THA);
  putU32(out, offset + TPA, arp.targetIp);
}
