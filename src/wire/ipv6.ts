// IPv6 (RFC 8200) and the ICMPv6 messages the kernel sends by itself when a device comes up:
// neighbour and router solicitations (RFC 4861) and MLDv2 reports (RFC 3810), which travel with a
// hop-by-hop header carrying the router-alert option (RFC 2711). include/uapi/linux/ipv6.h,
// icmpv6.h.

import { csumFold, csumPartial } from "./checksum.js";

export const IPV6_HLEN = 40;
export const NEXTHDR_HOP = 0;
export const NEXTHDR_ICMP = 58;

export const NDISC_ROUTER_SOLICITATION = 133;
export const NDISC_NEIGHBOUR_SOLICITATION = 135;
export const ICMPV6_MLD2_REPORT = 143;
/** MLD2_CHANGE_TO_EXCLUDE: a group record for a join. */
export const MLD2_CHANGE_TO_EXCLUDE = 4;
/** MLD2_CHANGE_TO_INCLUDE: a group record for a leave. */
export const MLD2_CHANGE_TO_INCLUDE = 3;
/** ND option types. */
export const ND_OPT_SOURCE_LL_ADDR = 1;
export const ND_OPT_NONCE = 14;
/** IPV6_TLV_ROUTERALERT and the PadN option. */
const IPV6_TLV_ROUTERALERT = 5;
const IPV6_TLV_PADN = 1;

const VERSION = 0;
const PAYLOAD_LEN = 4;
const NEXT_HEADER = 6;
const HOP_LIMIT = 7;
const SADDR = 8;
const DADDR = 24;

/** A view over an IPv6 fixed header; bounds are checked once, at construction. */
export class Ipv6View {
  readonly bytes: Uint8Array;
  readonly offset: number;
  private constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }
  static over(bytes: Uint8Array, offset = 0): Ipv6View | undefined {
    return bytes.length - offset >= IPV6_HLEN ? new Ipv6View(bytes, offset) : undefined;
  }
  get version(): number {
    return (this.bytes[this.offset + VERSION] as number) >> 4;
  }
  get payloadLength(): number {
    return (
      ((this.bytes[this.offset + PAYLOAD_LEN] as number) << 8) |
      (this.bytes[this.offset + PAYLOAD_LEN + 1] as number)
    );
  }
  get nextHeader(): number {
    return this.bytes[this.offset + NEXT_HEADER] as number;
  }
  get hopLimit(): number {
    return this.bytes[this.offset + HOP_LIMIT] as number;
  }
  get saddr(): Uint8Array {
    return this.bytes.subarray(this.offset + SADDR, this.offset + SADDR + 16);
  }
  get daddr(): Uint8Array {
    return this.bytes.subarray(this.offset + DADDR, this.offset + DADDR + 16);
  }
}

export interface Ipv6Repr {
  readonly payloadLength: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly saddr: Uint8Array;
  readonly daddr: Uint8Array;
}

/** ip6_flow_hdr with traffic class and flow label 0, then the rest of the fixed header. */
export function emitIpv6(out: Uint8Array, offset: number, ip: Ipv6Repr): void {
  out[offset] = 0x60;
  out[offset + 1] = 0;
  out[offset + 2] = 0;
  out[offset + 3] = 0;
  out[offset + PAYLOAD_LEN] = ip.payloadLength >> 8;
  out[offset + PAYLOAD_LEN + 1] = ip.payloadLength & 255;
  out[offset + NEXT_HEADER] = ip.nextHeader;
  out[offset + HOP_LIMIT] = ip.hopLimit;
  out.set(ip.saddr, offset + SADDR);
  out.set(ip.daddr, offset + DADDR);
}

/**
 * The hop-by-hop header MLD puts first (mld_newpack's ra): next header ICMPv6, length 0 (8
 * bytes), the router-alert option with value 0 (MLD), and a two-byte PadN.
 */
export function emitHopByHopRouterAlert(out: Uint8Array, offset: number): void {
  out[offset] = NEXTHDR_ICMP;
  out[offset + 1] = 0;
  out[offset + 2] = IPV6_TLV_ROUTERALERT;
  out[offset + 3] = 2;
  out[offset + 4] = 0;
  out[offset + 5] = 0;
  out[offset + 6] = IPV6_TLV_PADN;
  out[offset + 7] = 0;
}

/**
 * csum_ipv6_magic over the pseudo-header (source, destination, upper-layer length, next header
 * 58) and the ICMPv6 message at [start, end), written into the message's checksum field.
 */
export function icmpv6Checksum(
  out: Uint8Array,
  saddr: Uint8Array,
  daddr: Uint8Array,
  start: number,
  end: number,
): void {
  out[start + 2] = 0;
  out[start + 3] = 0;
  const len = end - start;
  let sum = csumPartial(saddr, 0, 16);
  sum = csumPartial(daddr, 0, 16, sum);
  sum += (len >>> 16) + (len & 0xffff) + NEXTHDR_ICMP;
  const c = csumFold(csumPartial(out, start, end, sum));
  out[start + 2] = c >> 8;
  out[start + 3] = c & 255;
}

/** ipv6_eth_mc_map: 33:33 and the group's low 32 bits. */
export function ipv6EthMcMap(addr: Uint8Array): Uint8Array {
  return Uint8Array.of(
    0x33,
    0x33,
    addr[12] as number,
    addr[13] as number,
    addr[14] as number,
    addr[15] as number,
  );
}

/** addrconf_addr_solict_mult: ff02::1:ffXX:XXXX from the address's low 24 bits. */
export function addrconfAddrSolictMult(addr: Uint8Array): Uint8Array {
  const m = new Uint8Array(16);
  m[0] = 0xff;
  m[1] = 0x02;
  m[11] = 0x01;
  m[12] = 0xff;
  m[13] = addr[13] as number;
  m[14] = addr[14] as number;
  m[15] = addr[15] as number;
  return m;
}
