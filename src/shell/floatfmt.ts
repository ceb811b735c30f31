// Floating-point output as glibc prints it and gnulib's ftoastr chooses it, exactly, with BigInt:
// C's "%.Pg" of a binary value (correctly rounded, ties to even), and the shortest such P
// (from the type's DIG) whose text strtof/strtod/strtold reads back as the same value.

/** An IEEE-style binary format: `mantBits` significant bits, the smallest exponent of a quantum. */
export interface BinaryFormat {
  /** Significant bits, the leading one included (24, 53, 64). */
  readonly precision: number;
  /** The exponent of the smallest subnormal's quantum: value = m * 2^e with e >= this. */
  readonly minQuantum: number;
  /** FLT_DIG, DBL_DIG, LDBL_DIG: ftoastr's first precision for normal numbers. */
  readonly dig: number;
  /** _GL_FLT_PREC_BOUND and friends: the precision ftoastr stops at. */
  readonly precBound: number;
}

export const FLOAT: BinaryFormat = { precision: 24, minQuantum: -149, dig: 6, precBound: 9 };
export const DOUBLE: BinaryFormat = { precision: 53, minQuantum: -1074, dig: 15, precBound: 17 };
export const LONG_DOUBLE: BinaryFormat = { precision: 64, minQuantum: -16445, dig: 18, precBound: 21 };

/** A decoded value: a finite m * 2^e, an infinity or a NaN, with its sign. */
export type Binary =
  | {
      readonly kind: "finite";
      readonly neg: boolean;
      readonly m: bigint;
      readonly e: number;
      /** What printf takes for m when it differs from the FPU's value (an x87 pseudo-denormal). */
      readonly shown?: bigint;
    }
  | { readonly kind: "inf"; readonly neg: boolean }
  | { readonly kind: "nan"; readonly neg: boolean };

function readBits(bytes: Uint8Array, at: number, n: number, little: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[at + (little ? n - 1 - i : i)] ?? 0);
  return v;
}

/** binary32 or binary64 at `at`. */
export function decodeIeee(bytes: Uint8Array, at: number, size: 4 | 8, little: boolean): Binary {
  const bits = readBits(bytes, at, size, little);
  const fracBits = size === 4 ? 23n : 52n;
  const expBits = size === 4 ? 8n : 11n;
  const bias = size === 4 ? 127 : 1023;
  const neg = bits >> (fracBits + expBits) === 1n;
  const exp = Number((bits >> fracBits) & ((1n << expBits) - 1n));
  const frac = bits & ((1n << fracBits) - 1n);
  const maxExp = (1 << Number(expBits)) - 1;
  if (exp === maxExp) return frac === 0n ? { kind: "inf", neg } : { kind: "nan", neg };
  if (exp === 0) return { kind: "finite", neg, m: frac, e: 1 - bias - Number(fracBits) };
  return { kind: "finite", neg, m: frac | (1n << fracBits), e: exp - bias - Number(fracBits) };
}

/** x87's 80-bit extended (long double; the 6 bytes after it are padding). */
export function decodeX87(bytes: Uint8Array, at: number, little: boolean): Binary {
  // A big-endian long double is the 16 bytes reversed: its value sits in the last 10.
  const base = little ? at : at + 6;
  const m = readBits(bytes, little ? base : base + 2, 8, little);
  const se = Number(readBits(bytes, little ? base + 8 : base, 2, little));
  const neg = se >> 15 === 1;
  const exp = se & 0x7fff;
  const top = m >> 63n === 1n;
  if (exp === 0x7fff) {
    // Only 1.000… is an infinity; the rest (and pseudo-infinities) print as NaN.
    return top && (m & ((1n << 63n) - 1n)) === 0n ? { kind: "inf", neg } : { kind: "nan", neg };
  }
  // An unnormal (exponent set, integer bit clear) is invalid on the FPU: glibc prints nan.
  if (exp !== 0 && !top) return { kind: "nan", neg };
  // A pseudo-denormal (exponent 0, integer bit set): the FPU (strtold's result, the comparison)
  // takes it as m·2^-16445; glibc's printf drops the integer bit unless nothing else is set.
  if (exp === 0 && top) {
    const low = m & ((1n << 63n) - 1n);
    return { kind: "finite", neg, m, e: 1 - 16383 - 63, shown: low === 0n ? m : low };
  }
  return { kind: "finite", neg, m, e: (exp === 0 ? 1 : exp) - 16383 - 63 };
}

/** The first digits of m·2^e: value = d1.d2d3… · 10^exp; `sticky` when digits beyond them are not 0. */
interface Decimal {
  readonly digits: string;
  readonly exp: number;
  readonly sticky: boolean;
}

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (n < 6000) POW10[n] = p;
  }
  return p;
}

/** `n` significant digits of m·2^e (m > 0), truncated, found without expanding it all. */
function decimal(m: bigint, e: number, n: number): Decimal {
  let exp = Math.floor(Math.log10(Number(m)) + e * Math.LOG10E * Math.LN2);
  for (;;) {
    const s = n - 1 - exp;
    let num = m;
    let den = 1n;
    if (s >= 0) num *= pow10(s);
    else den = pow10(-s);
    if (e >= 0) num <<= BigInt(e);
    else den <<= BigInt(-e);
    const q = num / den;
    const digits = q.toString();
    if (digits.length > n) exp++;
    else if (digits.length < n) exp--;
    else return { digits, exp, sticky: q * den !== num };
  }
}

/** `d` rounded to `p` significant digits, ties to even. */
function roundDigits(d: Decimal, p: number): { readonly digits: string; readonly exp: number } {
  const head = d.digits.slice(0, p);
  const next = d.digits.charCodeAt(p) - 48;
  const rest = d.sticky || /[1-9]/.test(d.digits.slice(p + 1));
  const odd = (head.charCodeAt(p - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (rest || odd));
  if (!up) return { digits: head, exp: d.exp };
  const bumped = (BigInt(head) + 1n).toString();
  if (bumped.length > p) return { digits: bumped.slice(0, p), exp: d.exp + 1 };
  return { digits: bumped, exp: d.exp };
}

/** C's "%.Pg" of ±m·2^e. */
export function formatG(neg: boolean, m: bigint, e: number, precision: number): string {
  const sign = neg ? "-" : "";
  if (m === 0n) return `${sign}0`;
  return formatRounded(sign, roundDigits(decimal(m, e, precision + 2), precision), precision);
}

/** %g's layout of digits already rounded to `precision`. */
function formatRounded(
  sign: string,
  r: { readonly digits: string; readonly exp: number },
  precision: number,
): string {
  const p = precision === 0 ? 1 : precision;
  const x = r.exp;
  if (x < -4 || x >= p) {
    let mant = `${r.digits[0]}.${r.digits.slice(1)}`.replace(/0+$/, "").replace(/\.$/, "");
    if (p === 1) mant = r.digits[0] as string;
    const ex = Math.abs(x).toString().padStart(2, "0");
    return `${sign}${mant}e${x < 0 ? "-" : "+"}${ex}`;
  }
  let text: string;
  if (x >= 0) {
    const int = r.digits.slice(0, x + 1);
    const frac = r.digits.slice(x + 1);
    text = frac === "" ? int : `${int}.${frac}`;
  } else text = `0.${"0".repeat(-x - 1)}${r.digits}`;
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return `${sign}${text}`;
}

/** Whether the decimal digits·10^(exp-len+1) read back (round to nearest even) as m·2^e. */
function readsBack(fmt: BinaryFormat, m: bigint, e: number, digits: string, exp: number): boolean {
  // Normalise x to m < 2^precision with e >= minQuantum.
  let mm = m;
  let ee = e;
  const top = 1n << BigInt(fmt.precision);
  while (mm >= top) {
    // Only x87 values arrive this way, never with bits to lose.
    mm >>= 1n;
    ee++;
  }
  while (mm < top >> 1n && ee > fmt.minQuantum) {
    mm <<= 1n;
    ee--;
  }
  // Compare d = D·10^k with x = mm·2^ee; the gaps to the neighbours are 2^ee up and
  // 2^ee (or 2^(ee-1) at a power of two above the subnormals) down.
  const D = BigInt(digits);
  const k = exp - (digits.length - 1);
  // Scale everything by 2^s·10^t so all are integers.
  const s = Math.max(0, -(ee - 1));
  const t = Math.max(0, -k);
  const scale2 = (v: bigint, pow2: number): bigint => (pow2 >= 0 ? v << BigInt(pow2) : v >> BigInt(-pow2));
  const d = D * 10n ** BigInt(k + t) * (1n << BigInt(s));
  const x = scale2(mm * 10n ** BigInt(t), ee + s);
  const unit = scale2(10n ** BigInt(t), ee + s); // 2^ee scaled
  if (d === x) return true;
  const even = (mm & 1n) === 0n;
  if (d > x) {
    const twice = 2n * (d - x);
    return twice < unit || (twice === unit && even);
  }
  const down = mm === top >> 1n && ee > fmt.minQuantum ? unit / 2n : unit;
  const twice = 2n * (x - d);
  return twice < down || (twice === down && even);
}

/** gnulib's ftoastr/dtoastr/ldtoastr with no flags and width 0. */
export function toastr(fmt: BinaryFormat, v: Binary): string {
  if (v.kind === "inf") return v.neg ? "-inf" : "inf";
  if (v.kind === "nan") return v.neg ? "-nan" : "nan";
  const { neg, m, e } = v;
  // |x| < the smallest normal: start at one digit.
  const minNormalBits = fmt.minQuantum + fmt.precision - 1;
  const normal = m !== 0n && m.toString(2).length + e - 1 >= minNormalBits;
  if (m === 0n) return neg ? "-0" : "0";
  const d = decimal(v.shown ?? m, e, fmt.precBound + 2);
  for (let prec = normal ? fmt.dig : 1; ; prec++) {
    const r = roundDigits(d, prec);
    if (fmt.precBound <= prec || readsBack(fmt, m, e, r.digits, r.exp))
      return formatRounded(neg ? "-" : "", r, prec);
  }
}
