// ICMP for IPv4 (RFC 792), include/uapi/linux/icmp.h.
import { getU16, putU16 } from "./bytes.js";
import { internetChecksum } from "./checksum.js";

export const ICMP_HLEN = 8;
export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;

// Codes for ICMP_DEST_UNREACH
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_PKT_FILTERED = 13;
// Codes for ICMP_TIME_EXCEEDED
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

const TYPE = 0;
const CODE = 1;
const CHECK = 2;
const ID = 4;
const SEQ = 6;

export type IcmpRepr =
  | {
      readonly kind: "echo";
      readonly type: typeof ICMP_ECHO | typeof ICMP_ECHOREPLY;
      readonly id: number;
      readonly seq: number;
      readonly data: Uint8Array;
    }
  | {
      /** An error carrying the offending datagram's header and first bytes (RFC 792). */
      readonly kind: "error";
      readonly type: number;
      readonly code: number;
      /** The 4 bytes after the checksum: unused, or the next-hop MTU for frag needed. */
      readonly rest: number;
      readonly quoted: Uint8Array;
    }
  | { readonly kind: "other"; readonly type: number; readonly code: number; readonly body: Uint8Array };

const ERROR_TYPES = new Set([
  ICMP_DEST_UNREACH,
  ICMP_SOURCE_QUENCH,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  ICMP_PARAMETERPROB,
]);

export function isIcmpError(type: number): boolean {
  return ERROR_TYPES.has(type);
}

export type IcmpParseError = "truncated" | "checksum";

/**
 * Validates length and checksum as icmp_rcv does, then decodes by type. The Repr's byte fields are
 * views into `bytes`: copy them to keep them past the packet.
 */
export function parseIcmp(
  bytes: Uint8Array,
  start: number,
  end: number,
):
  | { readonly kind: "ok"; readonly repr: IcmpRepr }
  | { readonly kind: "error"; readonly reason: IcmpParseError } {
  if (end - start < ICMP_HLEN) return { kind: "error", reason: "truncated" };
  if (internetChecksum(bytes, start, end) !== 0) return { kind: "error", reason: "checksum" };
  const type = bytes[start + TYPE] as number;
  const code = bytes[start + CODE] as number;
  if (type === ICMP_ECHO || type === ICMP_ECHOREPLY) {
    return {
      kind: "ok",
      repr: {
        kind: "echo",
        type,
        id: getU16(bytes, start + ID),
        seq: getU16(bytes, start + SEQ),
        data: bytes.subarray(start + 8, end),
      },
    };
  }
  if (isIcmpError(type)) {
    const rest = (getU16(bytes, start + ID) * 0x10000 + getU16(bytes, start + SEQ)) >>> 0;
    return { kind: "ok", repr: { kind: "error", type, code, rest, quoted: bytes.subarray(start + 8, end) } };
  }
  return { kind: "ok", repr: { kind: "other", type, code, body: bytes.subarray(start + 4, end) } };
}

export function icmpLength(icmp: IcmpRepr): number {
  switch (icmp.kind) {
    case "echo":
      return ICMP_HLEN + icmp.data.length;
    case "error":
      return ICMP_HLEN + icmp.quoted.length;
    case "other":
      return 4 + icmp.body.length;
  }
}

/** Writes the message at `offset` with its checksum; returns its length. */
export function emitIcmp(out: Uint8Array, offset: number, icmp: IcmpRepr): number {
  const len = icmpLength(icmp);
  out[offset + TYPE] = icmp.type;
  switch (icmp.kind) {
    case "echo":
      out[offset + CODE] = 0;
      putU16(out, offset + ID, icmp.id);
      putU16(out, offset + SEQ, icmp.seq);
      out.set(icmp.data, offset + ICMP_HLEN);
      break;
    case "error":
      out[offset + CODE] = icmp.code;
      putU16(out, offset + ID, icmp.rest >>> 16);
      putU16(out, offset + SEQ, icmp.rest & 0xffff);
      out.set(icmp.quoted, offset + ICMP_HLEN);
      break;
    case "other":
      out[offset + CODE] = icmp.code;
      out.set(icmp.body, offset + 4);
      break;
  }
  putU16(out, offset + CHECK, 0);
  putU16(out, offset + CHECK, internetChecksum(out, offset, offset + len));
  return len;
}
