// ARP for IPv4 over Ethernet (RFC 826), include/uapi/linux/if_arp.h.
import { bytesToIPv4 } from "./addr.js";

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
  const u16 = (at: number) => ((bytes[offset + at] as number) << 8) | (bytes[offset + at + 1] as number);
  if (u16(HTYPE) !== 1 || u16(PTYPE) !== 0x0800) return undefined;
  if (bytes[offset + HLEN] !== 6 || bytes[offset + PLEN] !== 4) return undefined;
  return {
    op: u16(OPER),
    senderMac: bytes.slice(offset + SHA, offset + SHA + 6),
    senderIp: bytesToIPv4(bytes, offset + SPA),
    targetMac: bytes.slice(offset + THA, offset + THA + 6),
    targetIp: bytesToIPv4(bytes, offset + TPA),
  };
}

export function emitArp(out: Uint8Array, offset: number, arp: ArpRepr): void {
  const put16 = (at: number, v: number) => {
    out[offset + at] = v >>> 8;
    out[offset + at + 1] = v & 255;
  };
  const put32 = (at: number, v: number) => {
    put16(at, v >>> 16);
    put16(at + 2, v & 0xffff);
  };
  put16(HTYPE, 1);
  put16(PTYPE, 0x0800);
  out[offset + HLEN] = 6;
  out[offset + PLEN] = 4;
  put16(OPER, arp.op);
  out.set(arp.senderMac, offset + SHA);
  put32(SPA, arp.senderIp);
  out.set(arp.targetMac, offset + THA);
  put32(TPA, arp.targetIp);
}
