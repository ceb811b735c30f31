// bash 5.2's printf builtin, byte-clean. just-bash's own emits the byte an escape names (\xff,
// \377) as the character U+00FF, which reaches the pipe UTF-8-encoded as two bytes, so
// `printf 'PING\xff' | od -c` showed 303 277; its %g/%e/%u differ from glibc's (1.234e-05,
// e+04, 18446744073709551615). Here the output is bytes: text from the script is UTF-8, what an
// escape names is that byte. Numbers follow bash: intmax/uintmax with 'c constants, long double
// (x87, 64-bit mantissa) for %f %e %g %a, correctly rounded as glibc prints them.
import {
  bytesOutput,
  type Command,
  decodeBytesToUtf8,
  defineCommand,
  type ExecResult,
  unsafeBytesFromLatin1,
} from "just-bash";
import { clockGettimeRealtime, type Task } from "../kernel/syscalls.js";
import { strftime } from "./date.js";

const USAGE = "printf: usage: printf [-v var] format [arguments]\n";
const INTMAX = (1n << 63n) - 1n;
const INTMIN = -(1n << 63n);
const UINTMAX = (1n << 64n) - 1n;

/** A JS string (Unicode, from the script) as UTF-8 bytes in a latin1 string. */
function utf8(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += ch;
    else out += String.fromCharCode(...new TextEncoder().encode(ch));
  }
  return out;
}

const SIMPLE: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

function isOct(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "7";
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/**
 * tescape: the escape at s[i] (just after the backslash) as bytes, and where it ends. In %b
 * (`b`), \0 takes up to three more octal digits and \c stops everything.
 */
function tescape(
  s: string,
  i: number,
  b: boolean,
  errors: string[],
): { out: string; next: number; stop: boolean } {
  const c = s[i];
  if (c === undefined) return { out: "\\", next: i, stop: false };
  const simple = SIMPLE[c];
  if (simple !== undefined) return { out: simple, next: i + 1, stop: false };
  if (isOct(c)) {
    let v = c.charCodeAt(0) - 48;
    let j = i + 1;
    for (let left = 2 + (v === 0 && b ? 1 : 0); left > 0 && isOct(s[j]); left--, j++)
      v = v * 8 + (s.charCodeAt(j) - 48);
    return { out: String.fromCharCode(v & 0xff), next: j, stop: false };
  }
  if (c === "x") {
    let j = i + 1;
    let v = 0;
    for (let left = 2; left > 0 && isHex(s[j]); left--, j++) v = v * 16 + Number.parseInt(s[j] as string, 16);
    if (j === i + 1) {
      errors.push("printf: missing hex digit for \\x\n");
      return { out: "\\", next: i, stop: false };
    }
    return { out: String.fromCharCode(v), next: j, stop: false };
  }
  if (c === "u" || c === "U") {
    let j = i + 1;
    let v = 0;
    for (let left = c === "u" ? 4 : 8; left > 0 && isHex(s[j]); left--, j++)
      v = v * 16 + Number.parseInt(s[j] as string, 16);
    if (j === i + 1) {
      errors.push(`printf: missing unicode digit for \\${c}\n`);
      return { out: "\\", next: i, stop: false };
    }
    return {
      // The C locale has no character for it: bash writes the escape back, in upper case.
      out:
        v < 0x80
          ? String.fromCharCode(v)
          : v <= 0xffff
            ? `\\u${v.toString(16).toUpperCase().padStart(4, "0")}`
            : `\\U${v.toString(16).toUpperCase().padStart(8, "0")}`,
      next: j,
      stop: false,
    };
  }
  if (c === "c" && b) return { out: "", next: i + 1, stop: true };
  return { out: `\\${utf8(c)}`, next: i + 1, stop: false };
}

/** %b's argument: escapes expanded, the rest as UTF-8. */
function expandB(arg: string, errors: string[]): { out: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < arg.length; ) {
    const ch = arg[i] as string;
    if (ch === "\\" && i + 1 < arg.length) {
      const e = tescape(arg, i + 1, true, errors);
      out += e.out;
      if (e.stop) return { out, stop: true };
      i = e.next;
      continue;
    }
    const cp = arg.codePointAt(i) as number;
    out += utf8(String.fromCodePoint(cp));
    i += cp > 0xffff ? 2 : 1;
  }
  return { out, stop: false };
}

/** bash's getintmax/getuintmax: strtoimax base 0 after a 'c or "c constant; errors noted. */
function parseInteger(arg: string, unsigned: boolean, errors: string[]): bigint {
  if (arg === "") return 0n;
  if (arg[0] === "'" || arg[0] === '"') {
    const rest = utf8(arg.slice(1));
    return rest === "" ? 0n : BigInt(rest.charCodeAt(0));
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(arg);
  if (!m) {
    errors.push(`printf: ${arg}: invalid number\n`);
    return 0n;
  }
  const digits = m[2] as string;
  let v = /^0[xX]/.test(digits)
    ? BigInt(digits)
    : digits.startsWith("0") && digits.length > 1
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  if (m[1] === "-") v = -v;
  if (m[0].length !== arg.length) {
    const octal = /^0[0-7]*[89]/.test(digits + arg.slice(m[0].length));
    errors.push(`printf: ${arg}: invalid ${octal ? "octal " : ""}number\n`);
  }
  if (unsigned) {
    if (v > UINTMAX || v < -UINTMAX) {
      errors.push(`printf: warning: ${arg}: Numerical result out of range\n`);
      return UINTMAX;
    }
    return v < 0n ? (v + (1n << 64n)) & UINTMAX : v;
  }
  if (v > INTMAX) {
    errors.push(`printf: warning: ${arg}: Numerical result out of range\n`);
    return INTMAX;
  }
  if (v < INTMIN) {
    errors.push(`printf: warning: ${arg}: Numerical result out of range\n`);
    return INTMIN;
  }
  return v;
}

/** An x87 long double: ±m·2^e (m < 2^64), or inf/nan. */
export type LongDouble =
  | { kind: "finite"; neg: boolean; m: bigint; e: number }
  | { kind: "inf" | "nan"; neg: boolean };

/** The long double nearest num/den (ties to even), as strtold rounds. */
export function nearest(neg: boolean, num: bigint, den: bigint): LongDouble {
  if (num === 0n) return { kind: "finite", neg, m: 0n, e: 0 };
  // e so that 2^63 <= num/den/2^e < 2^64.
  let e = num.toString(2).length - den.toString(2).length - 63;
  const scaled = (ex: number): [bigint, bigint] =>
    ex >= 0 ? [num, den << BigInt(ex)] : [num << BigInt(-ex), den];
  for (;;) {
    const [n, d] = scaled(e);
    const q = n / d;
    if (q >= 1n << 64n) e++;
    else if (q < 1n << 63n) e--;
    else break;
  }
  if (e < -16445) e = -16445;
  const [n, d] = scaled(e);
  let q = n / d;
  const r = n - q * d;
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q++;
  if (q >= 1n << 64n) {
    q >>= 1n;
    e++;
  }
  if (e + 63 > 16383) return { kind: "inf", neg };
  return { kind: "finite", neg, m: q, e };
}

/** bash's getfloatmax: strtold, after a 'c constant; errors noted. */
export function parseFloat80(arg: string, errors: string[]): LongDouble {
  if (arg === "") return { kind: "finite", neg: false, m: 0n, e: 0 };
  if (arg[0] === "'" || arg[0] === '"') {
    const rest = utf8(arg.slice(1));
    return nearest(false, BigInt(rest === "" ? 0 : rest.charCodeAt(0)), 1n);
  }
  const t = arg.replace(/^[ \t\n\v\f\r]+/, "");
  let m = /^([+-]?)(inf(inity)?|nan(\([0-9A-Za-z_]*\))?)/i.exec(t);
  if (m) {
    if (m[0].length !== t.length) errors.push(`printf: ${arg}: invalid number\n`);
    return { kind: /^inf/i.test(m[2] as string) ? "inf" : "nan", neg: m[1] === "-" };
  }
  m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?/.exec(t);
  if (m && (m[2] !== "" || (m[3] ?? "") !== "")) {
    const int = m[2] ?? "";
    const frac = m[3] ?? "";
    const mant = BigInt(`0x${int}${frac}` === "0x" ? "0" : `0x${int}${frac}`);
    const exp = Number(m[4] ?? "0") - 4 * frac.length;
    if (m[0].length !== t.length) errors.push(`printf: ${arg}: invalid number\n`);
    return exp >= 0
      ? nearest(m[1] === "-", mant << BigInt(exp), 1n)
      : nearest(m[1] === "-", mant, 1n << BigInt(-exp));
  }
  m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?/.exec(t);
  const int = m?.[2] ?? "";
  const frac = m?.[3] ?? "";
  if (!m || (int === "" && frac === "")) {
    errors.push(`printf: ${arg}: invalid number\n`);
    return { kind: "finite", neg: false, m: 0n, e: 0 };
  }
  let exp = (m[4] !== undefined && /[eE][+-]?[0-9]/.test(m[0]) ? Number(m[4]) : 0) - frac.length;
  let consumed = m[0].length;
  if (m[4] === undefined && /[eE]$/.test(m[0])) consumed--;
  if (consumed !== t.length) errors.push(`printf: ${arg}: invalid number\n`);
  const digits = BigInt(`${int}${frac}` || "0");
  if (exp > 5000) exp = 5000;
  if (exp < -5000) return { kind: "finite", neg: m[1] === "-", m: 0n, e: 0 };
  return exp >= 0
    ? nearest(m[1] === "-", digits * 10n ** BigInt(exp), 1n)
    : nearest(m[1] === "-", digits, 10n ** BigInt(-exp));
}

/** round(m·2^e·10^s), ties to even. */
function roundScaled(m: bigint, e: number, s: number): bigint {
  let num = m;
  let den = 1n;
  if (s >= 0) num *= 10n ** BigInt(s);
  else den = 10n ** BigInt(-s);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const q = num / den;
  const r = num - q * den;
  return 2n * r > den || (2n * r === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** The digits of %.Pe: P+1 significant digits and the decimal exponent. */
function eDigits(m: bigint, e: number, p: number): { digits: string; exp: number } {
  if (m === 0n) return { digits: "0".repeat(p + 1), exp: 0 };
  let x = Math.floor(Math.log10(Number(m)) + e * Math.log10(2));
  for (;;) {
    const q = roundScaled(m, e, p - x).toString();
    if (q.length > p + 1) {
      // Either the estimate was low or rounding carried into a new digit (999.5 -> 1000).
      const lower = roundScaled(m, e, p - x - 1).toString();
      if (lower.length === p + 1) return { digits: lower, exp: x + 1 };
      x++;
    } else if (q.length < p + 1) x--;
    else return { digits: q, exp: x };
  }
}

function fixed(m: bigint, e: number, p: number, alt: boolean): string {
  const q = roundScaled(m, e, p)
    .toString()
    .padStart(p + 1, "0");
  const int = q.slice(0, q.length - p);
  const frac = q.slice(q.length - p);
  return p > 0 ? `${int}.${frac}` : alt ? `${int}.` : int;
}

function expo(digits: string, exp: number, p: number, alt: boolean, upper: boolean): string {
  const mant = p > 0 ? `${digits[0]}.${digits.slice(1)}` : alt ? `${digits[0]}.` : (digits[0] as string);
  const x = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${mant}${upper ? "E" : "e"}${x}`;
}

/** A long double under %f %e %g %a (and upper-case forms), without sign or padding. */
export function formatFloat(
  v: LongDouble & { kind: "finite" },
  conv: string,
  precision: number | undefined,
  alt: boolean,
): string {
  const upper = conv === conv.toUpperCase();
  const c = conv.toLowerCase();
  const { m, e } = v;
  if (c === "f") return fixed(m, e, precision ?? 6, alt);
  if (c === "e") {
    const p = precision ?? 6;
    const d = eDigits(m, e, p);
    return expo(d.digits, d.exp, p, alt, upper);
  }
  if (c === "g") {
    const P = precision === undefined ? 6 : precision === 0 ? 1 : precision;
    const d = eDigits(m, e, P - 1);
    let text: string;
    if (P > d.exp && d.exp >= -4) text = fixed(m, e, P - 1 - d.exp, alt);
    else text = expo(d.digits, d.exp, P - 1, alt, upper);
    if (!alt) {
      const [mant, ex] = text.split(/(?=[eE])/);
      const trimmed = (mant as string).includes(".")
        ? (mant as string).replace(/0+$/, "").replace(/\.$/, "")
        : (mant as string);
      text = trimmed + (ex ?? "");
    }
    return text;
  }
  // %a: glibc prints a long double's 64-bit mantissa from its top nibble.
  if (m === 0n) return upper ? "0X0P+0" : "0x0p+0";
  let mm = m;
  let ee = e;
  while (mm < 1n << 63n) {
    mm <<= 1n;
    ee--;
  }
  const hex = mm.toString(16);
  let frac = hex.slice(1);
  if (precision !== undefined) {
    const keep = BigInt(`0x${hex}`) >> BigInt(4 * Math.max(0, 15 - precision));
    const dropped = BigInt(`0x${hex}`) & ((1n << BigInt(4 * Math.max(0, 15 - precision))) - 1n);
    const half = precision >= 15 ? 0n : 1n << BigInt(4 * (15 - precision) - 1);
    let k = keep;
    if (precision < 15 && (dropped > half || (dropped === half && (k & 1n) === 1n))) k++;
    const s = k.toString(16);
    frac = s.slice(1).padEnd(precision, "0");
    if (s.length > 1 + Math.min(precision, 15)) {
      ee += 4;
      frac = s.slice(1, 1 + precision);
    }
    return `${upper ? "0X" : "0x"}${s[0]}${frac !== "" || alt ? "." : ""}${frac}${upper ? "P" : "p"}${ee + 60 >= 0 ? "+" : ""}${ee + 60}`;
  }
  frac = frac.replace(/0+$/, "");
  const out = `0x${hex[0]}${frac !== "" || alt ? "." : ""}${frac}p${ee + 60 >= 0 ? "+" : ""}${ee + 60}`;
  return upper ? out.toUpperCase() : out;
}

/** bash's %q: the word quoted so the shell reads it back (backslashes, or $'…' for controls). */
function shellQuote(s: string): string {
  if (s === "") return "''";
  const bytes = utf8(s);
  if ([...bytes].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127)) {
    let out = "$'";
    for (const ch of bytes) {
      const c = ch.charCodeAt(0);
      const named: Record<number, string> = {
        7: "\\a",
        8: "\\b",
        9: "\\t",
        10: "\\n",
        11: "\\v",
        12: "\\f",
        13: "\\r",
        27: "\\E",
      };
      if (named[c] !== undefined) out += named[c];
      else if (c < 32 || c === 127) out += `\\${c.toString(8).padStart(3, "0")}`;
      else if (ch === "'" || ch === "\\") out += `\\${ch}`;
      else out += ch;
    }
    return `${out}'`;
  }
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i] as string;
    if (" \t'\"\\|&;()<>!{}*[]?^$`,".includes(ch) || ((ch === "~" || ch === "#") && i === 0))
      out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

export function pad(text: string, width: number, left: boolean, zero: boolean): string {
  if (text.length >= width) return text;
  if (left) return text.padEnd(width);
  if (zero) {
    const sign = /^[+\- ]/.test(text) ? (text[0] as string) : "";
    const rest = text.slice(sign.length);
    const prefix = /^0[xX]/.test(rest) ? rest.slice(0, 2) : "";
    return sign + prefix + rest.slice(prefix.length).padStart(width - sign.length - prefix.length, "0");
  }
  return text.padStart(width);
}

interface Printed {
  out: string;
  consumed: number;
  stop: boolean;
  fatal: boolean;
}

/** One pass of the format over args[from…]. */
function formatOnce(
  fmt: string,
  args: readonly string[],
  from: number,
  errors: string[],
  now: () => number,
): Printed {
  let out = "";
  let k = from;
  const next = (): string | undefined => {
    const a = args[k];
    k++;
    return a;
  };
  for (let i = 0; i < fmt.length; ) {
    const ch = fmt[i] as string;
    if (ch === "\\") {
      const e = tescape(fmt, i + 1, false, errors);
      out += e.out;
      i = e.next;
      continue;
    }
    if (ch !== "%") {
      const cp = fmt.codePointAt(i) as number;
      out += utf8(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    i++;
    if (fmt[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    let flags = "";
    while (i < fmt.length && "#-+ 0'".includes(fmt[i] as string)) flags += fmt[i++];
    let width: number | undefined;
    if (fmt[i] === "*") {
      i++;
      width = Number(parseInteger(next() ?? "", false, errors));
      if (width < 0) {
        flags += "-";
        width = -width;
      }
    } else {
      const w = /^[0-9]+/.exec(fmt.slice(i))?.[0];
      if (w) {
        width = Number(w);
        i += w.length;
      }
    }
    let precision: number | undefined;
    if (fmt[i] === ".") {
      i++;
      if (fmt[i] === "*") {
        i++;
        const p = Number(parseInteger(next() ?? "", false, errors));
        precision = p < 0 ? undefined : p;
      } else {
        const p = /^[0-9]*/.exec(fmt.slice(i))?.[0] ?? "";
        precision = p === "" ? 0 : Number(p);
        i += p.length;
      }
    }
    // %(fmt)T: strftime of seconds since the epoch (-1 now, -2 the shell's start).
    if (fmt[i] === "(") {
      const close = fmt.indexOf(")", i);
      if (close < 0 || fmt[close + 1] !== "T") {
        errors.push("printf: `(': invalid format character\n");
        return { out, consumed: k - from, stop: true, fatal: true };
      }
      const tf = fmt.slice(i + 1, close);
      i = close + 2;
      const a = next();
      let secs = a === undefined || a === "" ? -1 : Number(parseInteger(a, false, errors));
      if (secs === -1 || secs === -2) secs = Math.floor(now());
      let text = utf8(strftime(tf, { sec: secs, nsec: 0 }));
      if (precision !== undefined) text = text.slice(0, precision);
      out += pad(text, width ?? 0, flags.includes("-"), false);
      continue;
    }
    while (i < fmt.length && "hjlLtz".includes(fmt[i] as string)) i++;
    const conv = fmt[i];
    if (conv === undefined) {
      errors.push(`printf: \`${fmt.slice(start)}': missing format character\n`);
      return { out, consumed: k - from, stop: true, fatal: true };
    }
    i++;
    const left = flags.includes("-");
    const zero = flags.includes("0") && !left;
    switch (conv) {
      case "s":
      case "q": {
        const a = next() ?? "";
        let text = conv === "q" ? shellQuote(a) : utf8(a);
        if (precision !== undefined) text = text.slice(0, precision);
        out += pad(text, width ?? 0, left, false);
        break;
      }
      case "b": {
        const b = expandB(next() ?? "", errors);
        let text = b.out;
        if (precision !== undefined) text = text.slice(0, precision);
        out += pad(text, width ?? 0, left, false);
        if (b.stop) return { out, consumed: k - from, stop: true, fatal: false };
        break;
      }
      case "c": {
        const a = utf8(next() ?? "");
        out += pad(a.slice(0, 1), width ?? 0, left, false);
        break;
      }
      case "d":
      case "i":
      case "o":
      case "u":
      case "x":
      case "X": {
        const a = next() ?? "";
        const signed = conv === "d" || conv === "i";
        const v = parseInteger(a, !signed, errors);
        const mag = v < 0n ? -v : v;
        let digits =
          conv === "o"
            ? mag.toString(8)
            : conv === "x"
              ? mag.toString(16)
              : conv === "X"
                ? mag.toString(16).toUpperCase()
                : mag.toString();
        if (precision !== undefined)
          digits = precision === 0 && mag === 0n ? "" : digits.padStart(precision, "0");
        if (flags.includes("#")) {
          if (conv === "o" && !digits.startsWith("0")) digits = `0${digits}`;
          if ((conv === "x" || conv === "X") && mag !== 0n) digits = `${conv === "x" ? "0x" : "0X"}${digits}`;
        }
        const sign =
          v < 0n ? "-" : signed && flags.includes("+") ? "+" : signed && flags.includes(" ") ? " " : "";
        out += pad(sign + digits, width ?? 0, left, zero && precision === undefined);
        break;
      }
      case "f":
      case "F":
      case "e":
      case "E":
      case "g":
      case "G":
      case "a":
      case "A": {
        const v = parseFloat80(next() ?? "", errors);
        const upper = conv === conv.toUpperCase();
        const sign = v.neg ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
        if (v.kind !== "finite") {
          const word = v.kind === "inf" ? "inf" : "nan";
          out += pad(sign + (upper ? word.toUpperCase() : word), width ?? 0, left, false);
          break;
        }
        out += pad(sign + formatFloat(v, conv, precision, flags.includes("#")), width ?? 0, left, zero);
        break;
      }
      default:
        errors.push(`printf: \`${conv}': invalid format character\n`);
        return { out, consumed: k - from, stop: true, fatal: true };
    }
  }
  return { out, consumed: Math.min(k, args.length) - from, stop: false, fatal: false };
}

export function printfCommand(task: Task): Command {
  return defineCommand("printf", async (args, ctx): Promise<ExecResult> => {
    let i = 0;
    let variable: string | undefined;
    for (; i < args.length; ) {
      const a = args[i] as string;
      if (a === "--") {
        i++;
        break;
      }
      if (a === "-v") {
        if (i + 1 >= args.length)
          return { stdout: "", stderr: `printf: -v: option requires an argument\n${USAGE}`, exitCode: 2 };
        variable = args[i + 1];
        if (!/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]+\])?$/.test(variable as string))
          return { stdout: "", stderr: `printf: \`${variable}': not a valid identifier\n`, exitCode: 2 };
        i += 2;
        continue;
      }
      if (a.startsWith("-v") && a.length > 2) {
        variable = a.slice(2);
        i++;
        continue;
      }
      if (a.startsWith("-") && a.length > 1)
        return { stdout: "", stderr: `printf: ${a.slice(0, 2)}: invalid option\n${USAGE}`, exitCode: 2 };
      break;
    }
    if (i >= args.length) return { stdout: "", stderr: USAGE, exitCode: 2 };
    const fmt = args[i] as string;
    const rest = args.slice(i + 1);
    const errors: string[] = [];
    const now = () => clockGettimeRealtime(task) / 1e6;
    let out = "";
    let from = 0;
    let fatal = false;
    for (;;) {
      const p = formatOnce(fmt, rest, from, errors, now);
      out += p.out;
      from += p.consumed;
      if (p.fatal) fatal = true;
      if (p.stop || p.consumed === 0 || from >= rest.length) break;
    }
    const status = fatal || errors.some((e) => e.endsWith("number\n")) ? 1 : 0;
    const stderr = errors.join("");
    if (variable !== undefined) {
      const text = decodeBytesToUtf8(unsafeBytesFromLatin1(out));
      const arr = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/.exec(variable);
      if (arr) await ctx.assignShellVariable?.(arr[1] as string, text, arr[2]);
      else await ctx.assignShellVariable?.(variable, text);
      return { stdout: "", stderr, exitCode: status };
    }
    return { ...bytesOutput(unsafeBytesFromLatin1(out)), stderr, exitCode: status };
  });
}
