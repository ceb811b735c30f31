// seq(1) as GNU coreutils 9.1 prints it. just-bash's own has no -f, pads -w without the sign's
// column (seq -w -1 1 gave 0 where GNU gives 00), loses big integers, and leaves out the "Try"
// line of its usage errors. Integers go through seq_fast's arbitrary-precision path; the rest
// through x87 long double arithmetic (first + i*step, each step rounded as the FPU rounds it)
// printed with the default or -f format, with seq's extra last number when rounding lands on LAST.
import { type Command, defineCommand, type ExecResult } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";
import { formatFloat, type LongDouble, nearest, pad, parseFloat80 } from "./printf.js";

const TRY = "Try 'seq --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "equal-width", arg: "none", key: "w" },
  { name: "format", arg: "required", key: "f" },
  { name: "separator", arg: "required", key: "s" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];
/** How many numbers seq prints before netnest stops an endless sequence (seq 1 inf). */
const MAX_NUMBERS = 10_000_000;

class SeqExit extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

interface Operand {
  value: LongDouble;
  width: number;
  precision: number;
}

const INT_MAX = 2147483647;

/** scan_arg: the value, and the width and precision the default format takes from the text. */
function scanArg(arg: string): Operand {
  const errors: string[] = [];
  const value = parseFloat80(arg, errors);
  if (errors.length > 0 || arg.trim() === "")
    throw new SeqExit(`seq: invalid floating point argument: '${arg}'\n${TRY}`);
  if (value.kind === "nan") throw new SeqExit(`seq: invalid 'not-a-number' argument: '${arg}'\n${TRY}`);
  const a = arg.replace(/^[\s+]+/, "");
  let width = 0;
  let precision = INT_MAX;
  const dot = a.indexOf(".");
  if (dot < 0 && !a.includes("p")) precision = 0;
  if (!/[xX]/.test(a) && value.kind === "finite") {
    let fractionLen = 0;
    width = a.length;
    if (dot >= 0) {
      fractionLen = a.slice(dot + 1).search(/[eE]/);
      if (fractionLen < 0) fractionLen = a.length - dot - 1;
      precision = fractionLen;
      width += fractionLen === 0 ? -1 : dot === 0 || !/[0-9]/.test(a[dot - 1] as string) ? 1 : 0;
    }
    let e = a.indexOf("e");
    if (e < 0) e = a.indexOf("E");
    if (e >= 0) {
      let exponent = Number.parseInt(a.slice(e + 1), 10) || 0;
      precision += exponent < 0 ? -exponent : -Math.min(precision, exponent);
      width -= a.length - e;
      if (exponent < 0) {
        if (dot >= 0) {
          if (e === dot + 1) width++;
        } else width++;
        exponent = -exponent;
      } else {
        if (dot >= 0 && precision === 0 && fractionLen) width--;
        exponent -= Math.min(fractionLen, exponent);
      }
      width += exponent;
    }
  }
  return { value, width, precision };
}

/** An exact rational for a finite long double: num / den. */
function rational(v: LongDouble): { num: bigint; den: bigint } {
  if (v.kind !== "finite") throw new Error("not finite");
  const n = v.e >= 0 ? v.m << BigInt(v.e) : v.m;
  const d = v.e >= 0 ? 1n : 1n << BigInt(-v.e);
  return { num: v.neg ? -n : n, den: d };
}

function fromRational(num: bigint, den: bigint): LongDouble {
  return nearest(num < 0n, num < 0n ? -num : num, den);
}

function cmp(a: LongDouble, b: LongDouble): number {
  const sa = a.kind === "inf" ? (a.neg ? -Infinity : Infinity) : undefined;
  const sb = b.kind === "inf" ? (b.neg ? -Infinity : Infinity) : undefined;
  if (sa !== undefined || sb !== undefined) {
    const x = sa ?? 0;
    const y = sb ?? 0;
    if (sa !== undefined && sb !== undefined) return x === y ? 0 : x < y ? -1 : 1;
    return sa !== undefined ? (sa < 0 ? -1 : 1) : (sb as number) < 0 ? 1 : -1;
  }
  const p = rational(a);
  const q = rational(b);
  const d = p.num * q.den - q.num * p.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** first + i*step, rounded after the product and after the sum, as the FPU computes it. */
function nth(first: LongDouble, step: LongDouble, i: bigint): LongDouble {
  if (first.kind !== "finite" || step.kind !== "finite") return first.kind !== "finite" ? first : step;
  const s = rational(step);
  const prod = fromRational(s.num * i, s.den);
  if (prod.kind !== "finite") return prod;
  const p = rational(prod);
  const f = rational(first);
  return fromRational(f.num * p.den + p.num * f.den, f.den * p.den);
}

interface Format {
  prefix: string;
  suffix: string;
  flags: string;
  width: number;
  precision: number | undefined;
  conv: string;
}

/** long_double_format: the one %e/%f/%g/%a directive of a -f FORMAT, its text around it. */
function parseFormat(fmt: string): Format {
  let i = 0;
  let prefix = "";
  for (; !(fmt[i] === "%" && fmt[i + 1] !== "%"); i += fmt[i] === "%" ? 2 : 1) {
    if (i >= fmt.length) throw new SeqExit(`seq: format '${fmt}' has no % directive\n`);
    prefix += fmt[i];
  }
  i++;
  const flags = /^[-+#0 ']*/.exec(fmt.slice(i))?.[0] ?? "";
  i += flags.length;
  const w = /^[0-9]*/.exec(fmt.slice(i))?.[0] ?? "";
  i += w.length;
  let precision: number | undefined;
  if (fmt[i] === ".") {
    i++;
    const p = /^[0-9]*/.exec(fmt.slice(i))?.[0] ?? "";
    i += p.length;
    precision = p === "" ? 0 : Number(p);
  }
  if (fmt[i] === "L") i++;
  const conv = fmt[i];
  if (conv === undefined) throw new SeqExit(`seq: format '${fmt}' ends in %\n`);
  if (!"efgaEFGA".includes(conv)) throw new SeqExit(`seq: format '${fmt}' has unknown %${conv} directive\n`);
  let suffix = "";
  for (i++; i < fmt.length; i += fmt[i] === "%" ? 2 : 1) {
    if (fmt[i] === "%" && fmt[i + 1] !== "%")
      throw new SeqExit(`seq: format '${fmt}' has too many % directives\n`);
    suffix += fmt[i];
  }
  return {
    prefix: prefix.replaceAll("%%", "%"),
    suffix: suffix.replaceAll("%%", "%"),
    flags,
    width: w === "" ? 0 : Number(w),
    precision,
    conv,
  };
}

function render(f: Format, v: LongDouble): string {
  const upper = f.conv === f.conv.toUpperCase();
  const sign = v.neg ? "-" : f.flags.includes("+") ? "+" : f.flags.includes(" ") ? " " : "";
  const left = f.flags.includes("-");
  let body: string;
  if (v.kind === "finite") body = formatFloat(v, f.conv, f.precision, f.flags.includes("#"));
  else body = v.kind === "inf" ? "inf" : "nan";
  if (v.kind !== "finite" && upper) body = body.toUpperCase();
  return pad(sign + body, f.width, left, f.flags.includes("0") && !left && v.kind === "finite");
}

/** seq_fast: non-negative integers as decimal strings, any size. */
function seqFast(a: string, b: string, step: bigint, sep: string): string {
  const first = BigInt(a);
  const inf = b === "inf";
  const last = inf ? 0n : BigInt(b);
  if (!inf && first > last) return "";
  let out = first.toString();
  let n = 1;
  for (let x = first + step; (inf || x <= last) && n < MAX_NUMBERS; x += step, n++) out += sep + x.toString();
  return `${out}\n`;
}

export function seqCommand(): Command {
  return defineCommand("seq", async (args): Promise<ExecResult> => {
    try {
      // A negative number is an operand, not an option: options end there.
      let end = args.length;
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as string;
        if (/^-[.0-9]/.test(a) || !a.startsWith("-") || a === "-") {
          end = i;
          break;
        }
        if (a === "--") {
          end = i + 1;
          break;
        }
        if (/^-[ws]*[fs]$/.test(a) || a === "--format" || a === "--separator") i++;
      }
      const parsed = getoptLong("seq", args.slice(0, end), "+f:s:w", LONGS);
      if (parsed.error !== undefined) throw new SeqExit(parsed.error + TRY);
      let format: string | undefined;
      let sep = "\n";
      let equal = false;
      for (const o of parsed.options) {
        if (o.key === "f") format = o.value;
        else if (o.key === "s") sep = o.value ?? "";
        else if (o.key === "w") equal = true;
        else if (o.key === "help")
          return { stdout: "Usage: seq [OPTION]... LAST\n", stderr: "", exitCode: 0 };
        else if (o.key === "version") return { stdout: "seq (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
      }
      const ops = [...parsed.operands, ...args.slice(end)];
      if (ops.length < 1) throw new SeqExit(`seq: missing operand\n${TRY}`);
      if (ops.length > 3) throw new SeqExit(`seq: extra operand '${ops[3]}'\n${TRY}`);
      const fmt = format !== undefined ? parseFormat(format) : undefined;
      if (fmt && equal)
        throw new SeqExit(
          `seq: format string may not be specified when printing equal width strings\n${TRY}`,
        );
      const digits = (s: string | undefined): boolean => s !== undefined && /^[0-9]+$/.test(s);
      const n = ops.length;
      if (
        digits(ops[0]) &&
        (n === 1 || digits(ops[1])) &&
        (n < 3 || (digits(ops[1]) && BigInt(ops[1] as string) > 0n && digits(ops[2]))) &&
        !equal &&
        !fmt &&
        sep.length === 1
      ) {
        const a = n === 1 ? "1" : (ops[0] as string);
        const b = ops[n - 1] as string;
        return {
          stdout: seqFast(a, b, n === 3 ? BigInt(ops[1] as string) : 1n, sep),
          stderr: "",
          exitCode: 0,
        };
      }
      let first: Operand = { value: nearest(false, 1n, 1n), width: 1, precision: 0 };
      let step: Operand = { value: nearest(false, 1n, 1n), width: 1, precision: 0 };
      let last = scanArg(ops[0] as string);
      if (n >= 2) {
        first = last;
        last = scanArg(ops[1] as string);
        if (n === 3) {
          step = last;
          if (step.value.kind === "finite" && step.value.m === 0n)
            throw new SeqExit(`seq: invalid Zero increment value: '${ops[1]}'\n${TRY}`);
          last = scanArg(ops[2] as string);
        }
      }
      const f = first.value;
      const s = step.value;
      const l = last.value;
      const isInt = (v: LongDouble): boolean => {
        if (v.kind !== "finite") return false;
        const r = rational(v);
        return r.num % r.den === 0n;
      };
      if (
        first.precision === 0 &&
        step.precision === 0 &&
        last.precision === 0 &&
        f.kind === "finite" &&
        !f.neg &&
        !l.neg &&
        s.kind === "finite" &&
        !s.neg &&
        isInt(s) &&
        !equal &&
        !fmt &&
        sep.length === 1 &&
        isInt(f) &&
        (isInt(l) || l.kind === "inf")
      ) {
        const whole = (v: LongDouble): string => {
          const r = rational(v);
          return (r.num / r.den).toString();
        };
        const stepInt = BigInt(whole(s));
        if (stepInt > 0n)
          return {
            stdout: seqFast(whole(f), l.kind === "inf" ? "inf" : whole(l), stepInt, sep),
            stderr: "",
            exitCode: 0,
          };
      }
      let layout: Format;
      if (fmt) layout = fmt;
      else {
        const prec = Math.max(first.precision, step.precision);
        if (prec !== INT_MAX && last.precision !== INT_MAX) {
          if (equal) {
            const firstWidth =
              first.width + (prec - first.precision) + (first.precision === 0 && prec ? 1 : 0);
            let lastWidth = last.width + (prec - last.precision);
            if (last.precision && prec === 0) lastWidth--;
            if (last.precision === 0 && prec) lastWidth++;
            layout = {
              prefix: "",
              suffix: "",
              flags: "0",
              width: Math.max(firstWidth, lastWidth),
              precision: prec,
              conv: "f",
            };
          } else layout = { prefix: "", suffix: "", flags: "", width: 0, precision: prec, conv: "f" };
        } else layout = { prefix: "", suffix: "", flags: "", width: 0, precision: undefined, conv: "g" };
      }
      const text = (v: LongDouble): string => `${layout.prefix}${render(layout, v)}${layout.suffix}`;
      const descending = s.neg;
      const past = (x: LongDouble): boolean => (descending ? cmp(x, l) < 0 : cmp(l, x) < 0);
      if (past(f)) return { stdout: "", stderr: "", exitCode: 0 };
      let out = text(f);
      let x0 = f;
      for (let i = 1n; i < BigInt(MAX_NUMBERS); i++) {
        const x = nth(f, s, i);
        if (past(x)) {
          // The number just past LAST is printed when it prints as LAST and unlike the one before.
          const shown = render(layout, x);
          const back = parseFloat80(shown, []);
          if (
            !(
              back.kind === "finite" &&
              l.kind === "finite" &&
              cmp(back, l) === 0 &&
              shown !== render(layout, x0)
            )
          )
            break;
          out += sep + text(x);
          break;
        }
        out += sep + text(x);
        x0 = x;
      }
      return { stdout: `${out}\n`, stderr: "", exitCode: 0 };
    } catch (e) {
      if (!(e instanceof SeqExit)) throw e;
      return { stdout: "", stderr: e.text, exitCode: 1 };
    }
  });
}
