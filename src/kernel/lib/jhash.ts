// jhash2 (include/linux/jhash.h): Bob Jenkins' lookup3 over 32-bit words, as the kernel hashes
// ipset elements and NAT tuples.
const JHASH_INITVAL = 0xdeadbeef;

const rol32 = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export function jhash2(k: readonly number[], initval: number): number {
  let a = (JHASH_INITVAL + (k.length << 2) + initval) >>> 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = k.length;
  while (len > 3) {
    a = (a + (k[i] as number)) >>> 0;
    b = (b + (k[i + 1] as number)) >>> 0;
    c = (c + (k[i + 2] as number)) >>> 0;
    // __jhash_mix
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    len -= 3;
    i += 3;
  }
  if (len === 0) return c;
  if (len >= 3) c = (c + (k[i + 2] as number)) >>> 0;
  if (len >= 2) b = (b + (k[i + 1] as number)) >>> 0;
  a = (a + (k[i] as number)) >>> 0;
  return jhashFinal(a, b, c);
}

/** __jhash_final */
function jhashFinal(a: number, b: number, c: number): number {
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  return (c - rol32(b, 24)) >>> 0;
}

/**
 * __jhash_nwords: `initval` (with JHASH_INITVAL and the length folded in) added to each word, then
 * __jhash_final. jhash_3words and jhash_2words hash without an array (a per-packet hash), and
 * equal jhash2 over the same words.
 */
function jhashNwords(a: number, b: number, c: number, initval: number): number {
  return jhashFinal((a + initval) >>> 0, (b + initval) >>> 0, (c + initval) >>> 0);
}

/** jhash_3words */
export function jhash3words(a: number, b: number, c: number, initval: number): number {
  return jhashNwords(a, b, c, (initval + JHASH_INITVAL + (3 << 2)) >>> 0);
}

/** jhash_2words */
export function jhash2words(a: number, b: number, initval: number): number {
  return jhashNwords(a, b, 0, (initval + JHASH_INITVAL + (2 << 2)) >>> 0);
}
