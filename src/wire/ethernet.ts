// Ethernet II frames (IEEE 802.3 with EtherType), include/uapi/linux/if_ether.h.

export const ETH_HLEN = 14;
export const ETH_ALEN = 6;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

const DST = 0;
const SRC = 6;
const TYPE = 12;

export const BROADCAST_MAC: Uint8Array = new Uint8Array([255, 255, 255, 255, 255, 255]);

/** A view over an Ethernet header; bounds are checked once, at construction. */
export class EthernetView {
  readonly bytes: Uint8Array;
  readonly offset: number;
  private constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }
  static over(bytes: Uint8Array, offset = 0): EthernetView | undefined {
    return bytes.length - offset >= ETH_HLEN ? new EthernetView(bytes, offset) : undefined;
  }
  get dst(): Uint8Array {
    return this.bytes.subarray(this.offset + DST, this.offset + DST + ETH_ALEN);
  }
  get src(): Uint8Array {
    return this.bytes.subarray(this.offset + SRC, this.offset + SRC + ETH_ALEN);
  }
  get etherType(): number {
    return ((this.bytes[this.offset + TYPE] as number) << 8) | (this.bytes[this.offset + TYPE + 1] as number);
  }
}

/** Writes an Ethernet header at `offset` (eth_header). */
export function emitEthernet(
  out: Uint8Array,
  offset: number,
  header: { readonly dst: Uint8Array; readonly src: Uint8Array; readonly etherType: number },
): void {
  ethHeader(out, offset, header.dst, header.src, header.etherType);
}

/** emitEthernet's fields as arguments (the per-packet path: no header object, six-byte copies by hand). */
export function ethHeader(
  out: Uint8Array,
  offset: number,
  dst: Uint8Array,
  src: Uint8Array,
  etherType: number,
): void {
  if (dst.length !== 6 || src.length !== 6) {
    out.set(dst, offset + DST);
    out.set(src, offset + SRC);
  } else {
    for (let i = 0; i < 6; i++) {
      out[offset + DST + i] = dst[i] as number;
      out[offset + SRC + i] = src[i] as number;
    }
  }
  out[offset + TYPE] = etherType >>> 8;
  out[offset + TYPE + 1] = etherType & 255;
}

export function isBroadcastMac(mac: Uint8Array): boolean {
  return mac.every((b) => b === 255);
}

export function isMulticastMac(mac: Uint8Array): boolean {
  return ((mac[0] as number) & 1) === 1;
}

export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
