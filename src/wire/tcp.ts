// The TCP header (RFC 9293), include/uapi/linux/tcp.h, its options as Linux writes them
// (tcp_options_write) and its pseudo-header checksum.
import { csumFold, csumPartial } from "./checksum.js";

export const TCP_HLEN = 20;

const SOURCE = 0;
const DEST = 2;
const SEQ = 4;
const ACK_SEQ = 8;
const DOFF = 12;
const FLAGS = 13;
const WINDOW = 14;
const CHECK = 16;
const URG_PTR = 18;

export const TCPHDR_FIN = 0x01;
export const TCPHDR_SYN = 0x02;
export const TCPHDR_RST = 0x04;
export const TCPHDR_PSH = 0x08;
export const TCPHDR_ACK = 0x10;
export const TCPHDR_URG = 0x20;
export const TCPHDR_ECE = 0x40;
export const TCPHDR_CWR = 0x80;

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

/** A view over a TCP header in place; `over` checks only that 20 bytes exist. */
export class TcpView {
  readonly bytes: Uint8Array;
  readonly offset: number;
  private constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }
  static over(bytes: Uint8Array, offset: number): TcpView | undefined {
    return offset >= 0 && bytes.length - offset >= TCP_HLEN ? new TcpView(bytes, offset) : undefined;
  }
  private u8(at: number): number {
    return this.bytes[this.offset + at] as number;
  }
  private u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  private u32(at: number): number {
    return ((this.u8(at) << 24) | (this.u8(at + 1) << 16) | (this.u8(at + 2) << 8) | this.u8(at + 3)) >>> 0;
  }
  get source(): number {
    return this.u16(SOURCE);
  }
  get dest(): number {
    return this.u16(DEST);
  }
  get seq(): number {
    return this.u32(SEQ);
  }
  get ackSeq(): number {
    return this.u32(ACK_SEQ);
  }
  /** doff in bytes. */
  get headerLength(): number {
    return (this.u8(DOFF) >>> 4) * 4;
  }
  get flags(): number {
    return this.u8(FLAGS);
  }
  get window(): number {
    return this.u16(WINDOW);
  }
  get check(): number {
    return this.u16(CHECK);
  }
  get urgPtr(): number {
    return this.u16(URG_PTR);
  }
}

export interface TcpTimestamp {
  readonly val: number;
  readonly ecr: number;
}

/** The options tcp_parse_options understands; absent ones are undefined. */
export interface TcpOptions {
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackPerm?: boolean;
  readonly ts?: TcpTimestamp;
  /** SACK blocks as [start, end) sequence pairs. */
  readonly sack?: readonly (readonly [number, number])[];
}

/** The fixed header's fields (the ports apart from each other). */
interface TcpHeaderFields {
  readonly source: number;
  readonly dest: number;
  readonly seq: number;
  readonly ack: number;
  /** TCPHDR_* bits. */
  readonly flags: number;
  readonly window: number;
  readonly urgPtr: number;
}

/** A segment to write: its header fields, all its options and its payload. */
export interface TcpSegment extends TcpHeaderFields {
  readonly options: TcpOptions;
  readonly payload: Uint8Array;
}

/** A received segment, as parseTcp reads it. */
export interface TcpRepr extends TcpHeaderFields {
  /**
   * The timestamp option as struct tcp_options_received holds it (saw_tstamp, rcv_tsval,
   * rcv_tsecr): in the segment itself, so that the common segment builds no option objects.
   */
  readonly sawTstamp: boolean;
  readonly rcvTsval: number;
  readonly rcvTsecr: number;
  /** The other options (a SYN's, SACK blocks); a shared empty object when there are none. */
  readonly options: Omit<TcpOptions, "ts">;
  /** The segment's data: a view into the packet, not a copy. */
  readonly payload: Uint8Array;
}

/** NOP NOP TIMESTAMP 10: the aligned timestamp option (TCPOPT_TSTAMP_ALIGNED's first word). */
const TSTAMP_ALIGNED_WORD = ((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_TIMESTAMP << 8) | 10) >>> 0;

export type TcpParseError = "truncated" | "header_length" | "checksum";

/** csum_tcpudp_nofold over the IPv4 pseudo-header plus `bytes[start, end)`, folded. */
export function tcpChecksum(
  bytes: Uint8Array,
  start: number,
  end: number,
  saddr: number,
  daddr: number,
): number {
  let sum = csumPartial(bytes, start, end);
  sum += (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff);
  sum += 6 + (end - start);
  return csumFold(sum);
}

/** tcp_parse_options: unknown kinds are skipped by their length; a malformed length ends the walk. */
export function parseTcpOptions(bytes: Uint8Array, start: number, end: number, syn: boolean): TcpOptions {
  // Most segments carry only a timestamp: that one shape is built directly; anything else
  // gathers into a fresh object (no spreads or closures per segment).
  let mss: number | undefined;
  let wscale: number | undefined;
  let sackPerm = false;
  let ts: TcpTimestamp | undefined;
  let sack: (readonly [number, number])[] | undefined;
  let i = start;
  while (i < end) {
    const kind = bytes[i] as number;
    if (kind === TCPOPT_EOL) break;
    if (kind === TCPOPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) break;
    const len = bytes[i + 1] as number;
    if (len < 2 || i + len > end) break;
    switch (kind) {
      case TCPOPT_MSS:
        // Only in SYNs; a zero MSS is ignored.
        if (len === 4 && syn) {
          const v = ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
          if (v) mss = v;
        }
        break;
      case TCPOPT_WINDOW:
        // RFC 7323: a shift above 14 is taken as 14.
        if (len === 3 && syn) wscale = Math.min(bytes[i + 2] as number, 14);
        break;
      case TCPOPT_SACK_PERM:
        if (len === 2 && syn) sackPerm = true;
        break;
      case TCPOPT_TIMESTAMP:
        if (len === 10) ts = { val: readU32(bytes, i + 2), ecr: readU32(bytes, i + 6) };
        break;
      case TCPOPT_SACK:
        if (len >= 10 && (len - 2) % 8 === 0) {
          sack = [];
          for (let at = i + 2; at < i + len; at += 8) sack.push([readU32(bytes, at), readU32(bytes, at + 4)]);
        }
        break;
    }
    i += len;
  }
  if (ts && mss === undefined && wscale === undefined && !sackPerm && !sack) return { ts };
  const out: {
    mss?: number;
    wscale?: number;
    sackPerm?: boolean;
    ts?: TcpTimestamp;
    sack?: readonly (readonly [number, number])[];
  } = {};
  if (mss !== undefined) out.mss = mss;
  if (wscale !== undefined) out.wscale = wscale;
  if (sackPerm) out.sackPerm = true;
  if (ts) out.ts = ts;
  if (sack) out.sack = sack;
  return out;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number)) >>>
    0
  );
}

/** The payload of every segment without data: one shared empty view, not one per segment. */
const NO_PAYLOAD = new Uint8Array(0);
/** The options of a segment without any. */
const NO_OPTIONS: TcpOptions = Object.freeze({});

/**
 * tcp_v4_rcv's checks: a whole header (doff >= 5, within `end`) and a checksum over the
 * pseudo-header (tcp_checksum_complete), unless `csumValid` says the sender's stack vouches for it
 * (skb_csum_unnecessary). The Repr, or why there is none. The header is read straight from the
 * bytes: every received segment passes here, so it builds nothing but the Repr it returns.
 */
export function parseTcp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  saddr: number,
  daddr: number,
  csumValid = false,
): TcpRepr | TcpParseError {
  if (offset < 0 || end - offset < TCP_HLEN || bytes.length - offset < TCP_HLEN) return "truncated";
  const hl = ((bytes[offset + DOFF] as number) >>> 4) * 4;
  if (hl < TCP_HLEN || hl > end - offset) return "header_length";
  if (!csumValid && tcpChecksum(bytes, offset, end, saddr >>> 0, daddr >>> 0) !== 0) return "checksum";
  const flags = bytes[offset + FLAGS] as number;
  let options: TcpOptions = NO_OPTIONS;
  let sawTstamp = false;
  let rcvTsval = 0;
  let rcvTsecr = 0;
  if (hl === TCP_HLEN + 12 && readU32(bytes, offset + TCP_HLEN) === TSTAMP_ALIGNED_WORD) {
    // tcp_fast_parse_options: a header of exactly the aligned timestamp (tcp_parse_aligned_timestamp).
    sawTstamp = true;
    rcvTsval = readU32(bytes, offset + TCP_HLEN + 4);
    rcvTsecr = readU32(bytes, offset + TCP_HLEN + 8);
  } else if (hl > TCP_HLEN) {
    options = parseTcpOptions(bytes, offset + TCP_HLEN, offset + hl, (flags & TCPHDR_SYN) !== 0);
    if (options.ts) {
      sawTstamp = true;
      rcvTsval = options.ts.val;
      rcvTsecr = options.ts.ecr;
    }
  }
  return {
    source: ((bytes[offset + SOURCE] as number) << 8) | (bytes[offset + SOURCE + 1] as number),
    dest: ((bytes[offset + DEST] as number) << 8) | (bytes[offset + DEST + 1] as number),
    seq: readU32(bytes, offset + SEQ),
    ack: readU32(bytes, offset + ACK_SEQ),
    flags,
    window: ((bytes[offset + WINDOW] as number) << 8) | (bytes[offset + WINDOW + 1] as number),
    urgPtr: ((bytes[offset + URG_PTR] as number) << 8) | (bytes[offset + URG_PTR + 1] as number),
    sawTstamp,
    rcvTsval,
    rcvTsecr,
    options,
    payload: offset + hl < end ? bytes.subarray(offset + hl, end) : NO_PAYLOAD,
  };
}

/** The option bytes tcp_options_write produces (a multiple of 4). */
export function tcpOptionsLength(o: TcpOptions): number {
  let len = 0;
  if (o.mss !== undefined) len += 4;
  if (o.ts) len += 12;
  else if (o.sackPerm) len += 4;
  if (o.wscale !== undefined) len += 4;
  if (o.sack?.length) len += 4 + 8 * o.sack.length;
  return len;
}

/** The header length of a segment with these options. */
export function tcpHeaderLength(o: TcpOptions): number {
  return TCP_HLEN + tcpOptionsLength(o);
}

function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 255;
  out[at + 2] = (v >>> 8) & 255;
  out[at + 3] = v & 255;
}

/**
 * tcp_options_write, in its order: MSS; SACK-permitted folded into the timestamp word (else
 * NOP NOP SACK_PERM); NOP WSCALE; NOP NOP SACK blocks.
 */
function writeOptions(out: Uint8Array, at: number, o: TcpOptions): number {
  if (o.mss !== undefined) {
    put32(out, at, ((TCPOPT_MSS << 24) | (4 << 16) | o.mss) >>> 0);
    at += 4;
  }
  if (o.ts) {
    if (o.sackPerm)
      put32(out, at, ((TCPOPT_SACK_PERM << 24) | (2 << 16) | (TCPOPT_TIMESTAMP << 8) | 10) >>> 0);
    else put32(out, at, TSTAMP_ALIGNED_WORD);
    put32(out, at + 4, o.ts.val >>> 0);
    put32(out, at + 8, o.ts.ecr >>> 0);
    at += 12;
  } else if (o.sackPerm) {
    put32(out, at, ((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_SACK_PERM << 8) | 2) >>> 0);
    at += 4;
  }
  if (o.wscale !== undefined) {
    put32(out, at, ((TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) | (3 << 8) | o.wscale) >>> 0);
    at += 4;
  }
  if (o.sack?.length) {
    put32(
      out,
      at,
      ((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_SACK << 8) | (2 + 8 * o.sack.length)) >>> 0,
    );
    at += 4;
    for (const [s, e] of o.sack) {
      put32(out, at, s >>> 0);
      put32(out, at + 4, e >>> 0);
      at += 8;
    }
  }
  return at;
}

/**
 * Writes header and options at `offset` and the checksum over them, the `payloadLength` bytes
 * after them and the pseudo-header. Returns the segment length. Every segment passes here: its
 * fields come as arguments, not in an object per segment.
 */
function writeHeader(
  out: Uint8Array,
  offset: number,
  ports: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: TcpOptions,
  urgPtr: number,
  payloadLength: number,
  saddr: number,
  daddr: number,
): number {
  const hl = tcpHeaderLength(options);
  put32(out, offset + SOURCE, ports >>> 0);
  put32(out, offset + SEQ, seq >>> 0);
  put32(out, offset + ACK_SEQ, ack >>> 0);
  out[offset + DOFF] = (hl / 4) << 4;
  out[offset + FLAGS] = flags;
  out[offset + WINDOW] = window >>> 8;
  out[offset + WINDOW + 1] = window & 255;
  out[offset + CHECK] = 0;
  out[offset + CHECK + 1] = 0;
  out[offset + URG_PTR] = urgPtr >>> 8;
  out[offset + URG_PTR + 1] = urgPtr & 255;
  writeOptions(out, offset + TCP_HLEN, options);
  const end = offset + hl + payloadLength;
  const check = tcpChecksum(out, offset, end, saddr >>> 0, daddr >>> 0);
  out[offset + CHECK] = check >>> 8;
  out[offset + CHECK + 1] = check & 255;
  return end - offset;
}

/**
 * Writes header, options and payload at `offset` (room for tcpHeaderLength + payload) with the
 * checksum over the IPv4 pseudo-header. Returns the segment length.
 */
export function emitTcp(
  out: Uint8Array,
  offset: number,
  tcp: TcpSegment,
  saddr: number,
  daddr: number,
): number {
  out.set(tcp.payload, offset + tcpHeaderLength(tcp.options));
  const ports = (tcp.source << 16) | tcp.dest;
  const { seq, ack, flags, window, options, urgPtr } = tcp;
  return writeHeader(
    out,
    offset,
    ports,
    seq,
    ack,
    flags,
    window,
    options,
    urgPtr,
    tcp.payload.length,
    saddr,
    daddr,
  );
}

/** What tcp_transmit_skb fills in of a header of its own: the ports and length come apart. */
export interface TcpSegmentFields {
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly options: TcpOptions;
}

/**
 * The header writer for the local stack's segments: the ports as one word (source << 16 | dest), the
 * fields as arguments and no urgent pointer, so a segment goes out without a header object.
 */
export function emitTcpSegmentHeader(
  out: Uint8Array,
  offset: number,
  ports: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: TcpOptions,
  payloadLength: number,
  saddr: number,
  daddr: number,
): number {
  return writeHeader(out, offset, ports, seq, ack, flags, window, options, 0, payloadLength, saddr, daddr);
}
