// IPv4 and link-layer address text <-> bytes, as inet_pton/inet_ntop and ll_addr_n2a do.

/** Parses dotted-quad IPv4 text (inet_pton rules: exactly four decimal octets) into a u32. */
export function parseIPv4(text: string): number | undefined {
  // Four dot-separated decimal octets of 1-3 digits each, read by char code (no split, no regex).
  let value = 0;
  let parts = 0;
  let octet = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255 || ++parts > 4) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else return undefined;
  }
  return parts === 4 ? value >>> 0 : undefined;
}

export function formatIPv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/** u32 address <-> 4 network-order bytes (what netlink attributes carry). */
export function ipv4ToBytes(addr: number): Uint8Array {
  // Element stores rather than Uint8Array.of, whose variadic builtin call the JIT does not inline.
  const b = new Uint8Array(4);
  b[0] = addr >>> 24;
  b[1] = addr >>> 16;
  b[2] = addr >>> 8;
  b[3] = addr;
  return b;
}

export function bytesToIPv4(bytes: Uint8Array, offset = 0): number {
  return (
    ((bytes[offset] ?? 0) * 0x1000000 +
      ((bytes[offset + 1] ?? 0) << 16) +
      ((bytes[offset + 2] ?? 0) << 8) +
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

/** The netmask for a prefix length, as a u32 (inet_make_mask). */
export function prefixMask(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/** Formats a MAC address as iproute2's ll_addr_n2a does: lower-case hex, colon-separated. */
export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Parses xx:xx:xx:xx:xx:xx (1 or 2 hex digits per byte) into 6 bytes. */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(":");
  if (parts.length !== 6) return undefined;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const part = parts[i] ?? "";
    if (!/^[0-9a-fA-F]{1,2}$/.test(part)) return undefined;
    out[i] = Number.parseInt(part, 16);
  }
  return out;
}
