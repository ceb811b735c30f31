// The IPv4 header (RFC 791), include/uapi/linux/ip.h.
import { bytesToIPv4 } from "./addr.js";
import { putU16 } from "./bytes.js";
import { csumReplace2, internetChecksum } from "./checksum.js";

export const IPV4_MIN_HLEN = 20;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

const VER_IHL = 0;
const TOS = 1;
const TOT_LEN = 2;
const ID = 4;
const FRAG_OFF = 6;
const TTL = 8;
const PROTOCOL = 9;
const CHECK = 10;
const SADDR = 12;
const DADDR = 16;

/** A view over an IPv4 header in place; `over` checks only that 20 bytes exist. */
export class Ipv4View {
  readonly bytes: Uint8Array;
  readonly offset: number;
  private constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }
  static over(bytes: Uint8Array, offset: number): Ipv4View | undefined {
    return bytes.length - offset >= IPV4_MIN_HLEN ? new Ipv4View(bytes, offset) : undefined;
  }
  private u8(at: number): number {
    return this.bytes[this.offset + at] as number;
  }
  private u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  private put16(at: number, v: number): void {
    this.bytes[this.offset + at] = v >>> 8;
    this.bytes[this.offset + at + 1] = v & 255;
  }
  get version(): number {
    return this.u8(VER_IHL) >>> 4;
  }
  get headerLength(): number {
    return (this.u8(VER_IHL) & 15) * 4;
  }
  get tos(): number {
    return this.u8(TOS);
  }
  get totalLength(): number {
    return this.u16(TOT_LEN);
  }
  get id(): number {
    return this.u16(ID);
  }
  get fragOff(): number {
    return this.u16(FRAG_OFF);
  }
  get ttl(): number {
    return this.u8(TTL);
  }
  get protocol(): number {
    return this.u8(PROTOCOL);
  }
  get checksum(): number {
    return this.u16(CHECK);
  }
  get saddr(): number {
    return bytesToIPv4(this.bytes, this.offset + SADDR);
  }
  get daddr(): number {
    return bytesToIPv4(this.bytes, this.offset + DADDR);
  }
  /** True when the header checksum verifies (ip_fast_csum == 0). */
  checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.headerLength) === 0;
  }
  /** ip_decrease_ttl: TTL minus one with the checksum updated incrementally (RFC 1624). */
  decreaseTtl(): void {
    const old = this.u16(TTL);
    this.bytes[this.offset + TTL] = this.ttl - 1;
    this.put16(CHECK, csumReplace2(this.checksum, old, this.u16(TTL)));
  }
}

/** The validated header fields (ip_rcv_core's checks) for building and reasoning; options not kept. */
export interface Ipv4Repr {
  readonly tos: number;
  readonly totalLength: number;
  readonly id: number;
  readonly fragOff: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly saddr: number;
  readonly daddr: number;
}

export type Ipv4ParseError = "truncated" | "version" | "header_length" | "checksum" | "total_length";

/** ip_rcv_core's validation: version 4, ihl >= 5, checksum, tot_len within the buffer. */
export function parseIpv4(
  bytes: Uint8Array,
  offset: number,
):
  | { readonly kind: "ok"; readonly repr: Ipv4Repr; readonly headerLength: number }
  | { readonly kind: "error"; readonly reason: Ipv4ParseError } {
  const view = Ipv4View.over(bytes, offset);
  if (!view) return { kind: "error", reason: "truncated" };
  if (view.version !== 4) return { kind: "error", reason: "version" };
  const hl = view.headerLength;
  if (hl < IPV4_MIN_HLEN || bytes.length - offset < hl) return { kind: "error", reason: "header_length" };
  if (!view.checksumValid()) return { kind: "error", reason: "checksum" };
  const len = view.totalLength;
  if (len > bytes.length - offset || len < hl) return { kind: "error", reason: "total_length" };
  return {
    kind: "ok",
    headerLength: hl,
    repr: {
      tos: view.tos,
      totalLength: len,
      id: view.id,
      fragOff: view.fragOff,
      ttl: view.ttl,
      protocol: view.protocol,
      saddr: view.saddr,
      daddr: view.daddr,
    },
  };
}

/** Writes a 20-byte header (no options) with its checksum at `offset`. */
export function emitIpv4(out: Uint8Array, offset: number, ip: Ipv4Repr): void {
  ipv4Header(out, offset, ip.tos, ip.totalLength, ip.id, ip.fragOff, ip.ttl, ip.protocol, ip.saddr, ip.daddr);
}

/** emitIpv4's fields as arguments, for the per-packet path (no header object to build). */
export function ipv4Header(
  out: Uint8Array,
  offset: number,
  tos: number,
  totalLength: number,
  id: number,
  fragOff: number,
  ttl: number,
  protocol: number,
  saddr: number,
  daddr: number,
): void {
  out[offset + VER_IHL] = 0x45;
  out[offset + TOS] = tos;
  putU16(out, offset + TOT_LEN, totalLength);
  putU16(out, offset + ID, id);
  putU16(out, offset + FRAG_OFF, fragOff);
  out[offset + TTL] = ttl;
  out[offset + PROTOCOL] = protocol;
  putU16(out, offset + SADDR, saddr >>> 16);
  putU16(out, offset + SADDR + 2, saddr & 0xffff);
  putU16(out, offset + DADDR, daddr >>> 16);
  putU16(out, offset + DADDR + 2, daddr & 0xffff);
  // ip_send_check over the ten words just written, summed from the fields rather than read back.
  let sum =
    ((0x45 << 8) | (tos & 0xff)) +
    (totalLength & 0xffff) +
    (id & 0xffff) +
    (fragOff & 0xffff) +
    (((ttl & 0xff) << 8) | (protocol & 0xff)) +
    (saddr >>> 16) +
    (saddr & 0xffff) +
    (daddr >>> 16) +
    (daddr & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  putU16(out, offset + CHECK, ~sum & 0xffff);
}
