// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), as csum_partial,
// csum_fold and csum_replace2 do.

/** One's-complement sum of 16-bit big-endian words over bytes[start, end), not folded. */
export function csumPartial(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  if (i < end) sum += (bytes[i] as number) << 8;
  return sum;
}

/** Folds a 32-bit partial sum to 16 bits and complements it (csum_fold). */
export function csumFold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

export function internetChecksum(bytes: Uint8Array, start: number, end: number): number {
  return csumFold(csumPartial(bytes, start, end));
}

/** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit field changing from `from` to `to`. */
export function csumReplace2(check: number, from: number, to: number): number {
  let sum = (~check & 0xffff) + (~from & 0xffff) + (to & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
