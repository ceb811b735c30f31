// The UDP header (RFC 768), include/uapi/linux/udp.h, and its pseudo-header checksum.
import { csumFold, csumPartial } from "./checksum.js";

export const UDP_HLEN = 8;

const SOURCE = 0;
const DEST = 2;
const LEN = 4;
const CHECK = 6;

/** A view over a UDP header in place; `over` checks only that 8 bytes exist. */
export class UdpView {
  readonly bytes: Uint8Array;
  readonly offset: number;
  private constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }
  static over(bytes: Uint8Array, offset: number): UdpView | undefined {
    return offset >= 0 && bytes.length - offset >= UDP_HLEN ? new UdpView(bytes, offset) : undefined;
  }
  private u16(at: number): number {
    return ((this.bytes[this.offset + at] as number) << 8) | (this.bytes[this.offset + at + 1] as number);
  }
  get source(): number {
    return this.u16(SOURCE);
  }
  get dest(): number {
    return this.u16(DEST);
  }
  get length(): number {
    return this.u16(LEN);
  }
  get check(): number {
    return this.u16(CHECK);
  }
}

export interface UdpRepr {
  readonly source: number;
  readonly dest: number;
  readonly payload: Uint8Array;
}

/** csum_tcpudp_nofold over the IPv4 pseudo-header, added to `bytes[start, end)`. */
function udpChecksum(bytes: Uint8Array, start: number, end: number, saddr: number, daddr: number): number {
  let sum = csumPartial(bytes, start, end);
  sum += (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff);
  sum += 17 + (end - start);
  return csumFold(sum);
}

/** Writes header and payload at `offset`; the checksum covers the pseudo-header (0 is sent as 0xffff). */
export function emitUdp(out: Uint8Array, offset: number, udp: UdpRepr, saddr: number, daddr: number): void {
  udpDatagram(out, offset, udp.source, udp.dest, udp.payload, saddr, daddr);
}

/** emitUdp's fields as arguments, for the per-datagram path (no header object to build). */
export function udpDatagram(
  out: Uint8Array,
  offset: number,
  source: number,
  dest: number,
  payload: Uint8Array,
  saddr: number,
  daddr: number,
): void {
  const len = UDP_HLEN + payload.length;
  out[offset + SOURCE] = source >>> 8;
  out[offset + SOURCE + 1] = source & 255;
  out[offset + DEST] = dest >>> 8;
  out[offset + DEST + 1] = dest & 255;
  out[offset + LEN] = len >>> 8;
  out[offset + LEN + 1] = len & 255;
  out[offset + CHECK] = 0;
  out[offset + CHECK + 1] = 0;
  out.set(payload, offset + UDP_HLEN);
  const check = udpChecksum(out, offset, offset + len, saddr >>> 0, daddr >>> 0) || 0xffff;
  out[offset + CHECK] = check >>> 8;
  out[offset + CHECK + 1] = check & 255;
}

/** True when the checksum is absent (0) or verifies over the pseudo-header. */
export function udpChecksumOk(
  bytes: Uint8Array,
  start: number,
  end: number,
  saddr: number,
  daddr: number,
): boolean {
  // The check field read in place (no view per datagram); a header cut short passes as before.
  if (start < 0 || bytes.length - start < UDP_HLEN) return true;
  if ((bytes[start + CHECK] as number) === 0 && (bytes[start + CHECK + 1] as number) === 0) return true;
  return udpChecksum(bytes, start, end, saddr >>> 0, daddr >>> 0) === 0;
}
