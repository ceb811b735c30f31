// iproute2 6.1's number parsing and printing for tc (lib/utils.c, lib/utils_math.c,
// lib/json_print_math.c, tc/tc_core.c, tc/tc_util.c): times, ticks, rates, sizes, percents.

/** strtod(): the longest decimal prefix of `s` (after blanks), and what follows it. */
export function strtod(s: string): { value: number; rest: string; ok: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
  if (!m) return { value: 0, rest: s, ok: false };
  return { value: Number(m[1]), rest: s.slice(m[0].length), ok: true };
}

/** rint(): round half to even, as the FPU's default rounding does. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** printf("%.Pg") */
export function formatG(v: number, precision = 6): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const p = Math.max(precision, 1);
  const [mant, expStr] = v.toExponential(p - 1).split("e") as [string, string];
  const exp = Number(expStr);
  const strip = (t: string) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  if (exp < -4 || exp >= p) {
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return strip(v.toFixed(p - 1 - exp));
}

const TIME_UNITS_PER_SEC = 1_000_000;

/** get_time(): a time in microseconds (TIME_UNITS_PER_SEC), truncated to an unsigned int. */
export function getTime(str: string): number | undefined {
  const { value, rest, ok } = strtod(str);
  if (!ok) return undefined;
  let t = value;
  if (rest) {
    const p = rest.toLowerCase();
    if (p === "s" || p === "sec" || p === "secs") t *= TIME_UNITS_PER_SEC;
    else if (p === "ms" || p === "msec" || p === "msecs") t *= TIME_UNITS_PER_SEC / 1000;
    else if (p === "us" || p === "usec" || p === "usecs") t *= 1;
    else return undefined;
  }
  return Math.trunc(t) >>> 0;
}

/** get_time64(): a time in nanoseconds. */
export function getTime64(str: string): number | undefined {
  const { value, rest, ok } = strtod(str);
  if (!ok) return undefined;
  let t = value;
  if (rest) {
    const p = rest.toLowerCase();
    if (p === "s" || p === "sec" || p === "secs") t *= 1e9;
    else if (p === "ms" || p === "msec" || p === "msecs") t *= 1e6;
    else if (p === "us" || p === "usec" || p === "usecs") t *= 1e3;
    else if (p === "ns" || p === "nsec" || p === "nsecs") t *= 1;
    else return undefined;
  }
  return Math.trunc(t);
}

/** sprint_time(): microseconds as "%.3gs", "%.3gms" or "%uus". */
export function sprintTime(time: number): string {
  if (time >= TIME_UNITS_PER_SEC) return `${formatG(time / TIME_UNITS_PER_SEC, 3)}s`;
  if (time >= TIME_UNITS_PER_SEC / 1000) return `${formatG(time / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${time >>> 0}us`;
}

/** sprint_time64(): nanoseconds. */
export function sprintTime64(time: number): string {
  if (time >= 1e9) return `${formatG(time / 1e9, 3)}s`;
  if (time >= 1e6) return `${formatG(time / 1e6, 3)}ms`;
  if (time >= 1e3) return `${formatG(time / 1e3, 3)}us`;
  return `${time}ns`;
}

/**
 * tc_core_init() from /proc/net/psched (000003e8 00000040 000f4240 ...): a psched tick is 64 ns,
 * so tick_in_usec is 1000/64.
 */
const TICK_IN_USEC = 1000 / 64;

/** tc_core_time2big */
export function time2big(time: number): boolean {
  return time * TICK_IN_USEC >= 2 ** 32;
}

/** tc_core_time2tick */
export function time2tick(time: number): number {
  return Math.trunc(time * TICK_IN_USEC) >>> 0;
}

/** tc_core_tick2time */
export function tick2time(tick: number): number {
  return Math.trunc(tick / TICK_IN_USEC) >>> 0;
}

/** sprint_ticks() */
export function sprintTicks(ticks: number): string {
  return sprintTime(tick2time(ticks));
}

/** parse_percent(): 0 ok, -1 malformed, 1 out of range. */
export function parsePercent(str: string): { code: 0 | -1 | 1; value: number } {
  const { value, rest } = strtod(str);
  const v = value / 100;
  if (v > 1 || v < 0) return { code: 1, value: v };
  if (rest && rest !== "%") return { code: -1, value: v };
  return { code: 0, value: v };
}

export const UINT32_MAX = 0xffffffff;

/** set_percent(): a fraction scaled to UINT32_MAX. */
export function setPercent(per: number): number {
  return rint(per * UINT32_MAX) >>> 0;
}

/** get_percent() */
export function getPercent(str: string): number | undefined {
  const p = parsePercent(str);
  return p.code === 0 ? setPercent(p.value) : undefined;
}

const RATE_SUFFIXES: readonly (readonly [string, number])[] = [
  ["bit", 1],
  ["Kibit", 1024],
  ["kbit", 1000],
  ["mibit", 1024 * 1024],
  ["mbit", 1000000],
  ["gibit", 1024 * 1024 * 1024],
  ["gbit", 1000000000],
  ["tibit", 1024 * 1024 * 1024 * 1024],
  ["tbit", 1000000000000],
  ["Bps", 8],
  ["KiBps", 8 * 1024],
  ["KBps", 8000],
  ["MiBps", 8 * 1024 * 1024],
  ["MBps", 8000000],
  ["GiBps", 8 * 1024 * 1024 * 1024],
  ["GBps", 8000000000],
  ["TiBps", 8 * 1024 * 1024 * 1024 * 1024],
  ["TBps", 8000000000000],
];

/** get_rate64(): bytes per second. */
export function getRate64(str: string): number | undefined {
  const { value, rest, ok } = strtod(str);
  if (!ok) return undefined;
  let bps = value;
  let p = rest;
  for (const [name, scale] of RATE_SUFFIXES) {
    if (name.toLowerCase() === p.toLowerCase()) {
      bps *= scale;
      p = "";
      break;
    }
  }
  if (p) return undefined;
  return Math.trunc(bps / 8);
}

/** get_size(): bytes. */
export function getSize(str: string): number | undefined {
  const { value, rest, ok } = strtod(str);
  if (!ok) return undefined;
  let sz = value;
  if (rest) {
    const p = rest.toLowerCase();
    if (p === "kb" || p === "k") sz *= 1024;
    else if (p === "gb" || p === "g") sz *= 1024 * 1024 * 1024;
    else if (p === "gbit") sz *= (1024 * 1024 * 1024) / 8;
    else if (p === "mb" || p === "m") sz *= 1024 * 1024;
    else if (p === "mbit") sz *= (1024 * 1024) / 8;
    else if (p === "kbit") sz *= 1024 / 8;
    else if (p !== "b") return undefined;
  }
  const size = Math.trunc(sz) >>> 0;
  if (size !== Math.floor(sz)) return undefined;
  return size;
}

/** sprint_size() */
export function sprintSize(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * rint(sz / mega) - sz) < 1024) return `${formatG(rint(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * rint(sz / kilo) - sz) < 16) return `${formatG(rint(sz / kilo))}Kb`;
  return `${sz >>> 0}b`;
}

/** print_rate(): bytes/s as bits with the largest unit that divides evenly (or the value is ≥1000 of). */
export function sprintRate(rateBytes: number, useIec = false): string {
  const kilo = useIec ? 1024 : 1000;
  const units = ["", "K", "M", "G", "T"];
  let rate = rateBytes * 8;
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < kilo) break;
    if (rate % kilo !== 0 && rate < 1000 * kilo) break;
    rate = Math.floor(rate / kilo);
  }
  return `${rate.toFixed(0)}${units[i]}${i > 0 && useIec ? "i" : ""}bit`;
}

/** get_qdisc_handle(): "MAJ:" in hex, or "none". */
export function getQdiscHandle(str: string): number | undefined {
  if (str === "none") return 0;
  const m = /^([0-9a-fA-F]+)(:?)$/.exec(str);
  if (!m) return undefined;
  const maj = Number.parseInt(m[1] as string, 16);
  if (maj >= 0x10000) return undefined;
  return (maj << 16) >>> 0;
}

/** get_tc_classid(): "root", "none", "MAJ:MIN" or ":MIN" in hex. */
export function getTcClassid(str: string): number | undefined {
  if (str === "root") return 0xffffffff;
  if (str === "none") return 0;
  const m = /^([0-9a-fA-F]*):([0-9a-fA-F]*)$/.exec(str) ?? /^([0-9a-fA-F]+)()$/.exec(str);
  if (!m) return undefined;
  const maj = m[1] ? Number.parseInt(m[1], 16) : 0;
  const min = m[2] ? Number.parseInt(m[2], 16) : 0;
  if (maj >= 0x10000 || min >= 0x10000) return undefined;
  return ((maj << 16) | min) >>> 0;
}

/** print_tc_classid() */
export function sprintTcClassid(h: number): string {
  if (h === 0xffffffff) return "root";
  if (h === 0) return "none";
  const maj = h >>> 16;
  const min = h & 0xffff;
  return maj === 0 ? `:${min.toString(16)}` : `${maj.toString(16)}:${min.toString(16)}`;
}
