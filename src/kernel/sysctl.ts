// kernel/sysctl.c: how a ctl_table entry's text becomes a value and back (proc_get_long and the
// proc_do*vec handlers), and the table-driven knobs of /proc/sys/net whose value is all the
// kernel keeps: a namespace holds only the knobs written in it (NetnsIpv4.sysctlKnob), every other
// one reads its entry's compiled-in default from the shared table.
import type { Net } from "./net_namespace.js";
import { KernelError } from "./syscalls.js";

/** What a knob holds: an integer (bigint for unsigned longs), a string, or a vector of integers. */
export type SysctlValue = number | bigint | string | readonly number[];

const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;
const ULONG_MAX = (1n << 64n) - 1n;
/** HZ of the reference kernel. */
const HZ = 250;

/** One integer as proc_get_long reads it: the sign, the magnitude (an unsigned long), where it ended. */
interface ProcLong {
  readonly neg: boolean;
  readonly value: bigint;
  readonly end: number;
}

const WSPACE = /[ \t\n]/;
/** TMPBUFLEN - 1: proc_get_long copies at most this many characters of one number. */
const TMPBUF_CHARS = 21;

/**
 * proc_get_long: an optional '-', then strtoul with base 0 (0x… hex, 0… octal, else decimal),
 * which must be followed by whitespace or the end. No '+'; an overflow or no digit is EINVAL.
 */
function procGetLong(text: string, start: number): ProcLong {
  let p = start;
  let end = start;
  while (end < text.length && end - start < TMPBUF_CHARS && !WSPACE.test(text[end] as string)) end++;
  if (end < text.length && !WSPACE.test(text[end] as string)) throw new KernelError("EINVAL");
  let neg = false;
  if (text[p] === "-") {
    neg = true;
    p++;
  }
  let base = 10n;
  let digits = /[0-9]/;
  if (
    text[p] === "0" &&
    (text[p + 1] === "x" || text[p + 1] === "X") &&
    /[0-9a-fA-F]/.test(text[p + 2] ?? "")
  ) {
    base = 16n;
    digits = /[0-9a-fA-F]/;
    p += 2;
  } else if (text[p] === "0") {
    base = 8n;
    digits = /[0-7]/;
  }
  const first = p;
  let value = 0n;
  while (p < end && digits.test(text[p] as string)) {
    value = value * base + BigInt(Number.parseInt(text[p] as string, 16));
    if (value > ULONG_MAX) throw new KernelError("EINVAL");
    p++;
  }
  if (p === first || p !== end) throw new KernelError("EINVAL");
  return { neg, value, end };
}

function skipSpaces(text: string, p: number): number {
  while (p < text.length && WSPACE.test(text[p] as string)) p++;
  return p;
}

/**
 * __do_proc_dointvec's write loop: up to `len` numbers separated by whitespace, each converted and
 * stored as it is read (a bad one stops the write with the earlier ones kept); more are ignored,
 * none at all is EINVAL.
 */
function procVectorWrite(
  text: string,
  len: number,
  conv: (n: ProcLong) => number | bigint,
): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  let p = 0;
  while (out.length < len) {
    p = skipSpaces(text, p);
    if (p >= text.length) break;
    const n = procGetLong(text, p);
    p = n.end;
    out.push(conv(n));
  }
  return out;
}

/** How one ctl_table entry's proc_handler reads and writes its data. */
export interface SysctlHandler {
  format(value: SysctlValue): string;
  /** The value after writing `text` over `old`; throws the handler's errno and keeps `old`. */
  parse(text: string, old: SysctlValue): SysctlValue;
}

function single(text: string, conv: (n: ProcLong) => number | bigint): number | bigint {
  const [v] = procVectorWrite(text, 1, conv);
  if (v === undefined) throw new KernelError("EINVAL");
  return v;
}

function signed(n: ProcLong): number {
  const v = n.neg ? -n.value : n.value;
  if (v > BigInt(INT_MAX) || v < -BigInt(INT_MAX) - 1n) throw new KernelError("EINVAL");
  return Number(v);
}

function unsigned(n: ProcLong, max: bigint): bigint {
  if (n.neg || n.value > max) throw new KernelError("EINVAL");
  return n.value;
}

/** proc_dointvec / proc_dointvec_minmax (an int; out of [min, max] is EINVAL). */
export function dointvec(min = -INT_MAX - 1, max = INT_MAX): SysctlHandler {
  return {
    format: (v) => String(v),
    parse: (text) =>
      single(text, (n) => {
        const v = signed(n);
        if (v < min || v > max) throw new KernelError("EINVAL");
        return v;
      }),
  };
}

/** proc_douintvec / proc_douintvec_minmax: an unsigned int, no sign at all. */
export function douintvec(min = 0, max = UINT_MAX): SysctlHandler {
  return {
    format: (v) => String(v),
    parse: (text) =>
      single(text, (n) => {
        const v = Number(unsigned(n, BigInt(UINT_MAX)));
        if (v < min || v > max) throw new KernelError("EINVAL");
        return v;
      }),
  };
}

/** proc_dou8vec_minmax: an unsigned int within [min, max], which default to 0 and 255. */
export function dou8vec(min = 0, max = 255): SysctlHandler {
  return douintvec(min, max);
}

/** proc_doulongvec_minmax: an unsigned long (kept as a bigint). */
export function doulongvec(min = 0n, max = ULONG_MAX): SysctlHandler {
  return {
    format: (v) => String(v),
    parse: (text) =>
      single(text, (n) => {
        const v = unsigned(n, ULONG_MAX);
        if (v < min || v > max) throw new KernelError("EINVAL");
        return v;
      }),
  };
}

/** proc_dointvec_jiffies: seconds outside, jiffies inside (|seconds| at most INT_MAX / HZ). */
export const dointvecJiffies: SysctlHandler = {
  format: (v) => String(Math.trunc((v as number) / HZ)),
  parse: (text) =>
    single(text, (n) => {
      if (n.value > BigInt(Math.trunc(INT_MAX / HZ))) throw new KernelError("EINVAL");
      return (n.neg ? -1 : 1) * Number(n.value) * HZ;
    }),
};

/**
 * proc_dointvec_ms_jiffies: milliseconds outside, jiffies inside. The write takes the number's
 * low 32 bits as msecs_to_jiffies' unsigned int (a minus sign negates first), which refuses what
 * reads as a negative int and rounds up to whole jiffies; the read is jiffies_to_msecs.
 */
export const dointvecMsJiffies: SysctlHandler = {
  format: (v) => String((v as number) * (1000 / HZ)),
  parse: (text) =>
    single(text, (n) => {
      const m = Number(BigInt.asUintN(32, n.neg ? -n.value : n.value));
      if (m > INT_MAX) throw new KernelError("EINVAL");
      return Math.ceil(m / (1000 / HZ));
    }),
};

/** proc_dointvec_minmax over an int vector (tcp_rmem, tcp_wmem): tab-separated when read. */
export function dointvecVector(len: number, min = -INT_MAX - 1, max = INT_MAX): SysctlHandler {
  return {
    format: (v) => (v as readonly number[]).join("\t"),
    parse: (text, old) => {
      const out = [...(old as readonly number[])];
      let i = 0;
      try {
        procVectorWrite(text, len, (n) => {
          const v = signed(n);
          if (v < min || v > max) throw new KernelError("EINVAL");
          out[i++] = v;
          return v;
        });
      } catch (e) {
        // The elements before the bad one were stored already.
        if (i > 0) throw new SysctlPartialWrite(out, e as KernelError);
        throw e;
      }
      if (i === 0) throw new KernelError("EINVAL");
      return out;
    },
  };
}

/** A vector write that failed after storing its first elements: those stay written. */
export class SysctlPartialWrite extends Error {
  constructor(
    readonly value: SysctlValue,
    readonly error: KernelError,
  ) {
    super(error.message);
  }
}

/** proc_dostring: the text up to the first newline, at most maxlen - 1 characters. */
export function procDostring(text: string, maxlen: number): string {
  const nl = text.indexOf("\n");
  return (nl < 0 ? text : text.slice(0, nl)).slice(0, maxlen - 1);
}

/** A ctl_table entry kept by value: its handler, compiled-in default and mode. */
export interface SysctlKnob {
  readonly handler: SysctlHandler;
  readonly dflt: SysctlValue;
  /** 0644 unless given. */
  readonly mode?: number;
  /**
   * Entries with global data (no per-namespace copy): init_net holds the value; elsewhere the
   * entry is read-only and shows init_net's (ipv4_sysctl_init_net clears the write bits).
   */
  readonly global?: boolean;
}

/** The value of a table-driven knob in a namespace (`path` under /proc/sys/net). */
export function sysctlKnobValue(net: Net, path: string, knob: SysctlKnob): SysctlValue {
  const from = knob.global ? net.host.initNet : net;
  return from.ipv4.sysctlKnob(path) ?? knob.dflt;
}

/** Its mode in a namespace: a global knob is read-only outside init_net. */
export function sysctlKnobMode(net: Net, knob: SysctlKnob): number {
  const mode = knob.mode ?? 0o644;
  return knob.global && net !== net.host.initNet ? mode & ~0o222 : mode;
}

/** A write through the knob's handler: nothing changes when the handler refuses the text. */
export function sysctlKnobWrite(net: Net, path: string, knob: SysctlKnob, text: string): void {
  const old = sysctlKnobValue(net, path, knob);
  let value: SysctlValue;
  try {
    value = knob.handler.parse(text, old);
  } catch (e) {
    if (!(e instanceof SysctlPartialWrite)) throw e;
    net.ipv4.setSysctlKnob(path, e.value);
    throw e.error;
  }
  net.ipv4.setSysctlKnob(path, value);
}

/** A numeric knob's value in a namespace, for the code its setting steers. */
export function sysctlKnobInt(net: Net, path: string, knob: SysctlKnob): number {
  return Number(sysctlKnobValue(net, path, knob));
}
