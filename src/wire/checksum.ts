// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), as csum_partial,
// csum_fold and csum_replace2 do.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * One's-complement sum of 16-bit big-endian words over bytes[start, end), not folded. Long runs
 * at an even address are summed 32 bits at a time in host (little-endian) order, as csum_partial
 * does a machine word at a time: 2^16 is 1 modulo 0xffff, so the words' sum folds to the
 * byte-swapped sum of their 16-bit halves. Below 128 bytes (a small datagram) making the 32-bit
 * view costs more than it saves: the words are read in pairs of big-endian halves instead.
 */
export function csumPartial(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  const base = bytes.byteOffset;
  if (LITTLE_ENDIAN && end - start >= 128 && ((base + i) & 1) === 0) {
    if ((base + i) & 2) {
      sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
      i += 2;
    }
    const n = (end - i) >>> 2;
    const words = new Uint32Array(bytes.buffer, base + i, n);
    let a = 0;
    let b = 0;
    let k = 0;
    for (; k + 1 < n; k += 2) {
      a += words[k] as number;
      b += words[k + 1] as number;
    }
    if (k < n) a += words[k] as number;
    const total = a + b;
    let le = total % 0xffff;
    if (le === 0 && total > 0) le = 0xffff;
    sum += ((le & 0xff) << 8) | (le >>> 8);
    i += n * 4;
  }
  let even = 0;
  let odd = 0;
  for (; i + 3 < end; i += 4) {
    even += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    odd += ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
  }
  sum += even + odd;
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

/** ip_fast_csum: the folded, complemented sum of an IPv4 header of `ihl` 32-bit words (0 when it verifies). */
export function ipFastCsum(bytes: Uint8Array, start: number, ihl: number): number {
  let sum = 0;
  const end = start + ihl * 4;
  for (let i = start; i < end; i += 4)
    sum +=
      (((bytes[i] as number) << 8) | (bytes[i + 1] as number)) +
      (((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number));
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
