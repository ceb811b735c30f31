// date(1) as GNU coreutils 9.1 prints it in the C locale, reading the host's wall clock
// (CLOCK_REALTIME, which runs with virtual time: `date +%s; sleep 2; date +%s` differ by two).
// just-bash's own read the JavaScript clock, so `sleep` never moved it. Output formats: the
// default, +FORMAT with strftime's conversions and GNU's flags/widths (%N included), -I[FMT],
// -R, --rfc-3339=FMT, -u. Input dates (-d, -f, -r): @SECONDS[.NS], ISO and US dates, month and
// day names, times with am/pm and zones, relative items (`2 days ago`, `next week`, `+1 month`)
// as parse_datetime reads them. netnest has no time-zone database: local time is UTC.
import { type Command, defineCommand, type ExecResult } from "just-bash";
import type { Task } from "../kernel/syscalls.js";
import { clockGettimeRealtime } from "../kernel/syscalls.js";
import { lookupLong } from "./longopt.js";

const TRY = "Try 'date --help' for more information.\n";
const LONGS = [
  "date",
  "debug",
  "file",
  "iso-8601",
  "reference",
  "resolution",
  "rfc-email",
  "rfc-822",
  "rfc-2822",
  "rfc-3339",
  "set",
  "universal",
  "utc",
  "uct",
  "help",
  "version",
];
/** Long options that are one option under several names: getopt_long takes any prefix of them. */
const ALIASES: readonly (readonly string[])[] = [
  ["universal", "utc", "uct"],
  ["rfc-email", "rfc-822", "rfc-2822"],
];

/** The names `--typed` may resolve among: one alias group's first member if only it matches. */
function longsFor(arg: string): readonly string[] {
  const typed = arg.slice(2).split("=")[0] as string;
  const hits = LONGS.filter((n) => n.startsWith(typed));
  const group = ALIASES.find((g) => hits.length > 1 && hits.every((h) => g.includes(h)));
  return group ? [group[0] as string] : LONGS;
}
const ISO_ARGS = ["hours", "minutes", "date", "seconds", "ns"];
const RFC3339_ARGS = ["date", "seconds", "ns"];

class DateError extends Error {
  constructor(
    readonly text: string,
    readonly status = 1,
  ) {
    super(text);
  }
}

/** A point in time: whole seconds since the epoch (may be negative) and nanoseconds. */
interface Timespec {
  readonly sec: number;
  readonly nsec: number;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Broken-down UTC time (struct tm) of `sec`. */
interface Tm {
  readonly year: number;
  readonly mon: number;
  readonly mday: number;
  readonly hour: number;
  readonly min: number;
  readonly sec: number;
  readonly wday: number;
  readonly yday: number;
}

function gmtime(sec: number): Tm {
  const d = new Date(sec * 1000);
  const year = d.getUTCFullYear();
  const yday = Math.floor(
    (Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000,
  );
  return {
    year,
    mon: d.getUTCMonth(),
    mday: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    wday: d.getUTCDay(),
    yday,
  };
}

/** ISO 8601 week-based year and week number (%G, %V). */
function isoWeek(tm: Tm): { year: number; week: number } {
  const wdayMon = (tm.wday + 6) % 7; // Monday = 0
  const thursday = tm.yday - wdayMon + 3;
  const daysIn = (y: number) => (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);
  if (thursday < 0) {
    const py = tm.year - 1;
    return { year: py, week: Math.floor((thursday + daysIn(py)) / 7) + 1 };
  }
  if (thursday >= daysIn(tm.year)) return { year: tm.year + 1, week: 1 };
  return { year: tm.year, week: Math.floor(thursday / 7) + 1 };
}

/** One conversion's text and how it pads by default ("0", " " or none). */
function conversion(c: string, t: Timespec, tm: Tm, colons: number): [string, "0" | " " | ""] | undefined {
  const two = (n: number): [string, "0"] => [String(n).padStart(2, "0"), "0"];
  const h12 = tm.hour % 12 || 12;
  switch (c) {
    case "a":
      return [(DAYS[tm.wday] as string).slice(0, 3), ""];
    case "A":
      return [DAYS[tm.wday] as string, ""];
    case "b":
    case "h":
      return [(MONTHS[tm.mon] as string).slice(0, 3), ""];
    case "B":
      return [MONTHS[tm.mon] as string, ""];
    case "c":
      return [strftime("%a %b %e %H:%M:%S %Y", t), ""];
    case "C":
      return two(Math.floor(tm.year / 100));
    case "d":
      return two(tm.mday);
    case "D":
      return [strftime("%m/%d/%y", t), ""];
    case "e":
      return [String(tm.mday).padStart(2, " "), " "];
    case "F":
      return [strftime("%Y-%m-%d", t), ""];
    case "g":
      return two(isoWeek(tm).year % 100);
    case "G":
      return [String(isoWeek(tm).year), "0"];
    case "H":
      return two(tm.hour);
    case "I":
      return two(h12);
    case "j":
      return [String(tm.yday + 1).padStart(3, "0"), "0"];
    case "k":
      return [String(tm.hour).padStart(2, " "), " "];
    case "l":
      return [String(h12).padStart(2, " "), " "];
    case "m":
      return two(tm.mon + 1);
    case "M":
      return two(tm.min);
    case "n":
      return ["\n", ""];
    case "N":
      return [String(t.nsec).padStart(9, "0"), "0"];
    case "p":
      return [tm.hour < 12 ? "AM" : "PM", ""];
    case "P":
      return [tm.hour < 12 ? "am" : "pm", ""];
    case "q":
      return [String(Math.floor(tm.mon / 3) + 1), "0"];
    case "r":
      return [strftime("%I:%M:%S %p", t), ""];
    case "R":
      return [strftime("%H:%M", t), ""];
    case "s":
      return [String(t.sec), "0"];
    case "S":
      return two(tm.sec);
    case "t":
      return ["\t", ""];
    case "T":
      return [strftime("%H:%M:%S", t), ""];
    case "u":
      return [String(((tm.wday + 6) % 7) + 1), "0"];
    case "U":
      return two(Math.floor((tm.yday + 7 - tm.wday) / 7));
    case "V":
      return two(isoWeek(tm).week);
    case "w":
      return [String(tm.wday), "0"];
    case "W":
      return two(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7));
    case "x":
      return [strftime("%m/%d/%y", t), ""];
    case "X":
      return [strftime("%H:%M:%S", t), ""];
    case "y":
      return two(tm.year % 100);
    case "Y":
      return [String(tm.year), "0"];
    case "z":
      return [["+0000", "+00:00", "+00:00:00", "+00"][colons] as string, ""];
    case "Z":
      return ["UTC", ""];
    case "%":
      return ["%", ""];
    default:
      return undefined;
  }
}

/** fprintftime in UTC: `%[flags][width][:…]conv`; an unknown conversion is printed as written. */
export function strftime(format: string, t: Timespec): string {
  const tm = gmtime(t.sec);
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const start = i;
    let pad: string | undefined;
    let upper = false;
    let swap = false;
    let j = i + 1;
    for (; j < format.length; j++) {
      const f = format[j];
      if (f === "-" || f === "_" || f === "0" || f === "+") pad = f;
      else if (f === "^") upper = true;
      else if (f === "#") swap = true;
      else break;
    }
    let widthText = "";
    while (j < format.length && /[0-9]/.test(format[j] as string)) widthText += format[j++];
    let colons = 0;
    while (format[j] === ":" && colons < 3) {
      colons++;
      j++;
    }
    const c = format[j];
    const conv = c === undefined || (colons && c !== "z") ? undefined : conversion(c, t, tm, colons);
    if (!conv) {
      out += format.slice(start, j + 1);
      i = j;
      continue;
    }
    i = j;
    let [text, defPad] = conv;
    const width = widthText === "" ? undefined : Number(widthText);
    if (c === "N") {
      // %N: the nanoseconds cut (not rounded) to the width, 9 by default.
      const w = width ?? 9;
      text =
        pad === "-" ? String(t.nsec).replace(/^0+(?=\d)/, "") : text.slice(0, Math.min(w, 9)).padEnd(w, "0");
      out += text;
      continue;
    }
    if (upper) text = text.toUpperCase();
    else if (swap) text = /[a-z]/.test(text) ? text.toUpperCase() : text.toLowerCase();
    if (pad === "-") {
      if (defPad) text = text.replace(/^[0 ]+(?=.)/, "");
    } else if (pad === "_" && defPad) {
      text = text.replace(/^0+(?=.)/, (z) => " ".repeat(z.length));
    } else if ((pad === "0" || pad === "+") && defPad === " ") {
      text = text.replace(/^ +/, (s) => "0".repeat(s.length));
    }
    if (width !== undefined && text.length < width) {
      const fill =
        pad === "_" || (pad === undefined && defPad === " ") ? " " : defPad === "" && !pad ? " " : "0";
      const neg = text.startsWith("-") || text.startsWith("+");
      text =
        fill === "0" && neg
          ? text[0] + text.slice(1).padStart(width - 1, "0")
          : text.padStart(width, fill === "0" && pad === "-" ? " " : fill);
    }
    out += text;
  }
  return out;
}

// --- parse_datetime, the part of its grammar scripts use -----------------------------------

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  fortnight: 14 * 86400,
  week: 7 * 86400,
  day: 86400,
  hour: 3600,
  minute: 60,
  min: 60,
  second: 1,
  sec: 1,
};

function monthIndex(word: string): number {
  const w = word.replace(/\.$/, "");
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => {
    const l = m.toLowerCase();
    return l === w || (w.length === 3 && l.startsWith(w)) || (w === "sept" && l === "september");
  });
}

const DAY_ABBREVIATIONS: Readonly<Record<string, number>> = { tues: 2, wednes: 3, thur: 4, thurs: 4 };

function dayIndex(word: string): number {
  const w = word.replace(/\.$/, "");
  const abbr = DAY_ABBREVIATIONS[w];
  if (abbr !== undefined) return abbr;
  return DAYS.findIndex((d) => {
    const l = d.toLowerCase();
    return l === w || (w.length === 3 && l.startsWith(w));
  });
}

/** A unit word (singular or plural) and how it moves time: seconds, or months (months/years). */
function unitOf(word: string): { seconds: number } | { months: number } | undefined {
  const w = word.endsWith("s") && word.length > 3 ? word.slice(0, -1) : word;
  if (w === "year") return { months: 12 };
  if (w === "month") return { months: 1 };
  const s = UNIT_SECONDS[w];
  return s === undefined ? undefined : { seconds: s };
}

function daysInMonth(year: number, mon: number): number {
  return new Date(Date.UTC(year, mon + 1, 0)).getUTCDate();
}

/** parse_datetime(STRING, now): the time STRING names, or undefined when it is not a date. */
export function parseDatetime(input: string, now: Timespec): Timespec | undefined {
  const text = input.trim().toLowerCase();
  const at = /^@([+-]?\d+)(?:[.,](\d+))?$/.exec(text);
  if (at) {
    const sec = Number(at[1]);
    const nsec = Number((at[2] ?? "").slice(0, 9).padEnd(9, "0"));
    return sec < 0 && nsec > 0 ? { sec: sec - 1, nsec: 1e9 - nsec } : { sec, nsec };
  }
  const tokens = text.match(/\d+(?:[.,]\d+)?|[a-z]+\.?|\S/g) ?? [];
  const nowTm = gmtime(now.sec);
  let date: { year: number; mon: number; mday: number } | undefined;
  let time: { hour: number; min: number; sec: number; nsec: number } | undefined;
  let zone: number | undefined;
  let relSeconds = 0;
  let relMonths = 0;
  let relDays = 0;
  let weekday: { day: number; ordinal: number } | undefined;
  /** Whether the date's year was written (a later bare number may otherwise be the year). */
  let yearGiven = false;
  /** A relative item (now, today, 2 days, …) keeps the time of day; without one it is midnight. */
  let relSeen = false;
  let i = 0;
  const peek = (k = 0) => tokens[i + k];
  const num = (k = 0): number | undefined => {
    const tok = tokens[i + k];
    return tok !== undefined && /^\d+$/.test(tok) ? Number(tok) : undefined;
  };
  const setDate = (year: number, mon: number, mday: number): boolean => {
    if (date || mon < 0 || mon > 11 || mday < 1 || mday > daysInMonth(year, mon)) return false;
    date = { year, mon, mday };
    return true;
  };
  /** Z, UTC, GMT, UT, ±HH, ±HHMM, ±HH:MM. */
  const parseZone = (): boolean => {
    const t = peek();
    if (t === "z" || t === "utc" || t === "gmt" || t === "ut") {
      zone = 0;
      i++;
      return true;
    }
    // RFC 822's military zones as parse_datetime reads them: A..I +1..+9, K..M +10..+12, N..Y -1..-12.
    if (t !== undefined && /^[a-ik-y]$/.test(t)) {
      const c = t.charCodeAt(0) - 96;
      zone = (c <= 9 ? c : c <= 13 ? c - 1 : -(c - 13)) * 3600;
      i++;
      return true;
    }
    const digits = peek(1);
    if ((t !== "+" && t !== "-") || digits === undefined || !/^\d{1,4}$/.test(digits)) return false;
    let h = Number(digits);
    let mm = 0;
    let used = 2;
    if (digits.length <= 2 && peek(2) === ":" && num(3) !== undefined) {
      mm = num(3) as number;
      used = 4;
    } else if (digits.length > 2) {
      h = Math.floor(Number(digits) / 100);
      mm = Number(digits) % 100;
    }
    if (h > 24 || mm > 59) return false;
    zone = (t === "-" ? -1 : 1) * (h * 3600 + mm * 60);
    i += used;
    return true;
  };
  /** HH:MM[:SS[.frac]] [am|pm] [zone], or H am|pm. */
  const parseTime = (): "none" | "ok" | "bad" => {
    const h = num();
    if (h === undefined) return "none";
    let m = 0;
    let s = 0;
    let nsec = 0;
    if (peek(1) === ":" && num(2) !== undefined) {
      m = num(2) as number;
      i += 3;
      if (peek() === ":") {
        const sm = /^(\d+)(?:[.,](\d+))?$/.exec(peek(1) ?? "");
        if (!sm) return "bad";
        s = Number(sm[1]);
        nsec = Number((sm[2] ?? "").slice(0, 9).padEnd(9, "0"));
        i += 2;
      }
    } else if (peek(1) === "am" || peek(1) === "pm") i++;
    else return "none";
    let hour = h;
    const mer = peek();
    if (mer === "am" || mer === "pm") {
      if (hour < 1 || hour > 12) return "bad";
      hour = (hour % 12) + (mer === "pm" ? 12 : 0);
      i++;
    }
    if (time || hour > 23 || m > 59 || s > 60) return "bad";
    time = { hour, min: m, sec: s, nsec };
    parseZone();
    return "ok";
  };
  /** An optional year after a month and day: a number not starting a time. */
  const optionalYear = (): number => {
    const y = num();
    if (y === undefined || peek(1) === ":" || peek(1) === "am" || peek(1) === "pm" || unitOf(peek(1) ?? ""))
      return nowTm.year;
    i++;
    yearGiven = true;
    return y;
  };
  while (i < tokens.length) {
    const t = tokens[i] as string;
    if (t === "," || t === "t") {
      i++;
      continue;
    }
    const n0 = num();
    // 2024-01-02, 2024/01/02, 1/2/2024, 1/2, 20240102
    if (
      n0 !== undefined &&
      peek(1) === "-" &&
      num(2) !== undefined &&
      peek(3) === "-" &&
      num(4) !== undefined
    ) {
      if (!setDate(n0, (num(2) as number) - 1, num(4) as number)) return undefined;
      yearGiven = true;
      i += 5;
      continue;
    }
    if (n0 !== undefined && peek(1) === "/" && num(2) !== undefined) {
      const b = num(2) as number;
      if (peek(3) === "/" && num(4) !== undefined) {
        const c = num(4) as number;
        const ok =
          t.length === 4
            ? setDate(n0, b - 1, c)
            : setDate(c < 100 ? c + (c < 69 ? 2000 : 1900) : c, n0 - 1, b);
        if (!ok) return undefined;
        yearGiven = true;
        i += 5;
      } else {
        if (!setDate(nowTm.year, n0 - 1, b)) return undefined;
        i += 3;
      }
      continue;
    }
    if (/^\d{8}$/.test(t) && !date) {
      if (!setDate(Number(t.slice(0, 4)), Number(t.slice(4, 6)) - 1, Number(t.slice(6)))) return undefined;
      yearGiven = true;
      i++;
      continue;
    }
    const clockTime = parseTime();
    if (clockTime === "bad") return undefined;
    if (clockTime === "ok") continue;
    // Nov 14 [2023], 14 Nov [2023]
    const mi = monthIndex(t);
    if (mi >= 0 && num(1) !== undefined) {
      const d = num(1) as number;
      i += 2;
      if (peek() === ",") i++;
      if (!setDate(optionalYear(), mi, d)) return undefined;
      continue;
    }
    if (n0 !== undefined && monthIndex(peek(1) ?? "") >= 0) {
      const mon = monthIndex(peek(1) as string);
      i += 2;
      if (!setDate(optionalYear(), mon, n0)) return undefined;
      continue;
    }
    // A bare number that no unit follows (parse_datetime's `number`): the year after a date
    // and a time (or when it has more than two digits), else a date YYYYMMDD, else a time HHMM.
    if (n0 !== undefined && !unitOf(peek(1) ?? "") && dayIndex(peek(1) ?? "") < 0) {
      if (date && !yearGiven && (time || t.length > 2)) {
        const { mon, mday } = date;
        date = undefined;
        if (!setDate(n0, mon, mday)) return undefined;
        yearGiven = true;
      } else if (t.length > 4 || time) return undefined;
      else
        time =
          t.length <= 2
            ? { hour: n0, min: 0, sec: 0, nsec: 0 }
            : { hour: Math.floor(n0 / 100), min: n0 % 100, sec: 0, nsec: 0 };
      if (time && (time.hour > 23 || time.min > 59)) return undefined;
      i++;
      parseZone();
      continue;
    }
    if (t === "now" || t === "today") {
      relSeen = true;
      i++;
      continue;
    }
    if (t === "yesterday" || t === "tomorrow") {
      relDays += t === "yesterday" ? -1 : 1;
      relSeen = true;
      i++;
      continue;
    }
    // [±]N unit [ago] | next/last/this unit | unit | [next|last] weekday
    let count: number | undefined;
    let ordinal: number | undefined;
    let used = 1;
    if ((t === "+" || t === "-") && num(1) !== undefined) {
      count = (t === "-" ? -1 : 1) * (num(1) as number);
      used = 2;
    } else if (n0 !== undefined) count = n0;
    else if (t === "next") ordinal = 1;
    else if (t === "last") ordinal = -1;
    else if (t === "this") ordinal = 0;
    else used = 0;
    const word = peek(used) ?? "";
    const wd = dayIndex(word);
    if (wd >= 0 && count === undefined) {
      if (weekday) return undefined;
      weekday = { day: wd, ordinal: ordinal ?? 0 };
      i += used + 1;
      continue;
    }
    const unit = unitOf(word);
    if (!unit) {
      if (parseZone()) continue;
      return undefined;
    }
    i += used + 1;
    let k = count ?? ordinal ?? 1;
    if (peek() === "ago") {
      k = -k;
      i++;
    }
    if ("months" in unit) relMonths += k * unit.months;
    else relSeconds += k * unit.seconds;
    relSeen = true;
  }
  // A date, a weekday, or no relative item (just a zone, or nothing) without a time is midnight;
  // else the time of day now.
  const base = date ?? { year: nowTm.year, mon: nowTm.mon, mday: nowTm.mday };
  const midnight = date !== undefined || weekday !== undefined || !relSeen;
  const clock =
    time ??
    (midnight
      ? { hour: 0, min: 0, sec: 0, nsec: 0 }
      : { hour: nowTm.hour, min: nowTm.min, sec: nowTm.sec, nsec: now.nsec });
  let mday = base.mday;
  // A weekday moves the day only when no calendar date was given.
  if (weekday && !date) {
    const wday = new Date(Date.UTC(base.year, base.mon, base.mday)).getUTCDay();
    let delta = (weekday.day - wday + 7) % 7;
    if (weekday.ordinal > 0 && delta === 0) delta = 7;
    if (weekday.ordinal < 0) delta = delta === 0 ? -7 : delta - 7;
    mday += delta;
  }
  // Months and years move the calendar (mktime normalizes a day past the month's end), then
  // days, then seconds.
  const ms = Date.UTC(base.year, base.mon + relMonths, mday + relDays, clock.hour, clock.min, clock.sec);
  if (!Number.isFinite(ms)) return undefined;
  return { sec: Math.floor(ms / 1000) - (zone ?? 0) + relSeconds, nsec: clock.nsec };
}

/** posixtime(): the operand MMDDhhmm[[CC]YY][.ss] that sets the clock. */
function posixtime(text: string, now: Timespec): Timespec | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2}|\d{4})?(?:\.(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  let year = gmtime(now.sec).year;
  if (m[5] !== undefined) {
    const y = Number(m[5]);
    year = m[5].length === 4 ? y : y + (y < 69 ? 2000 : 1900);
  }
  const mon = Number(m[1]) - 1;
  const mday = Number(m[2]);
  const hour = Number(m[3]);
  const min = Number(m[4]);
  const sec = Number(m[6] ?? "0");
  if (mon > 11 || mday < 1 || mday > daysInMonth(year, mon) || hour > 23 || min > 59 || sec > 60)
    return undefined;
  return { sec: Date.UTC(year, mon, mday, hour, min, sec) / 1000, nsec: 0 };
}

// --- the command ---------------------------------------------------------------------------

function isoFormat(fmt: string): string {
  switch (fmt) {
    case "date":
      return "%Y-%m-%d";
    case "hours":
      return "%Y-%m-%dT%H%:z";
    case "minutes":
      return "%Y-%m-%dT%H:%M%:z";
    case "seconds":
      return "%Y-%m-%dT%H:%M:%S%:z";
    default:
      return "%Y-%m-%dT%H:%M:%S,%N%:z";
  }
}

function rfc3339Format(fmt: string): string {
  if (fmt === "date") return "%Y-%m-%d";
  if (fmt === "seconds") return "%Y-%m-%d %H:%M:%S%:z";
  return "%Y-%m-%d %H:%M:%S.%N%:z";
}

/** argmatch: the one argument `arg` abbreviates, or coreutils' 'invalid argument' text. */
function argmatch(arg: string, valid: readonly string[], option: string): string {
  const exact = valid.find((v) => v === arg);
  const hits = valid.filter((v) => v.startsWith(arg));
  if (exact) return exact;
  if (hits.length === 1 && arg !== "") return hits[0] as string;
  const why = hits.length > 1 && arg !== "" ? "ambiguous" : "invalid";
  throw new DateError(
    `date: ${why} argument '${arg}' for '--${option}'\nValid arguments are:\n${valid.map((v) => `  - '${v}'\n`).join("")}${TRY}`,
  );
}

interface DateIo {
  readonly task: Task;
  readonly readFile: (path: string) => Promise<string>;
  readonly mtime: (path: string) => Promise<number | undefined>;
}

async function dateMain(args: readonly string[], io: DateIo): Promise<ExecResult> {
  let dateString: string | undefined;
  let file: string | undefined;
  let reference: string | undefined;
  let setString: string | undefined;
  let format: string | undefined;
  let formats = 0;
  const operands: string[] = [];
  const needArg = (name: string) => {
    throw new DateError(`date: option requires an argument -- '${name}'\n${TRY}`);
  };
  const setFormat = (f: string) => {
    formats++;
    format = f;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const opt = lookupLong("date", a, longsFor(a));
      if ("error" in opt) throw new DateError(opt.error + TRY);
      const takes = ["date", "file", "reference", "set", "rfc-3339"].includes(opt.name);
      let value = opt.value;
      if (takes && value === undefined) {
        value = args[++i];
        if (value === undefined)
          throw new DateError(`date: option '--${opt.name}' requires an argument\n${TRY}`);
      }
      if (!takes && value !== undefined && opt.name !== "iso-8601")
        throw new DateError(`date: option '--${opt.name}' doesn't allow an argument\n${TRY}`);
      switch (opt.name) {
        case "date":
          dateString = value;
          break;
        case "file":
          file = value;
          break;
        case "reference":
          reference = value;
          break;
        case "set":
          setString = value;
          break;
        case "iso-8601":
          setFormat(isoFormat(value === undefined ? "date" : argmatch(value, ISO_ARGS, "iso-8601")));
          break;
        case "rfc-3339":
          setFormat(rfc3339Format(argmatch(value as string, RFC3339_ARGS, "rfc-3339")));
          break;
        case "rfc-email":
        case "rfc-822":
        case "rfc-2822":
          setFormat("%a, %d %b %Y %H:%M:%S %z");
          break;
        case "resolution":
          return { stdout: "0.000000001\n", stderr: "", exitCode: 0 };
        case "debug":
        case "universal":
        case "utc":
        case "uct":
          break;
        case "help":
          return {
            stdout:
              "Usage: date [OPTION]... [+FORMAT]\n  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n",
            stderr: "",
            exitCode: 0,
          };
        case "version":
          return { stdout: "date (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k] as string;
        const rest = a.slice(k + 1);
        if ("dfrs".includes(c)) {
          const value = rest !== "" ? rest : args[++i];
          if (value === undefined) needArg(c);
          if (c === "d") dateString = value;
          else if (c === "f") file = value;
          else if (c === "r") reference = value;
          else setString = value;
          break;
        }
        if (c === "I") {
          setFormat(isoFormat(rest === "" ? "date" : argmatch(rest, ISO_ARGS, "iso-8601")));
          break;
        }
        if (c === "R") setFormat("%a, %d %b %Y %H:%M:%S %z");
        else if (c === "u") continue;
        else throw new DateError(`date: invalid option -- '${c}'\n${TRY}`);
      }
      continue;
    }
    operands.push(a);
  }
  const inputs =
    [dateString, file, reference].filter((x) => x !== undefined).length + (setString !== undefined ? 1 : 0);
  if (inputs > 1)
    throw new DateError(`date: the options to specify dates for printing are mutually exclusive\n${TRY}`);
  if (operands.length > 1) throw new DateError(`date: extra operand '${operands[1]}'\n${TRY}`);
  const operand = operands[0];
  if (operand?.startsWith("+")) {
    if (formats) throw new DateError("date: multiple output formats specified\n");
    setFormat(operand.slice(1));
  } else if (operand !== undefined) {
    if (inputs)
      throw new DateError(
        `date: the argument '${operand}' lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'\n${TRY}`,
      );
  }
  if (formats > 1) throw new DateError("date: multiple output formats specified\n");
  const fmt = format ?? "%a %b %e %H:%M:%S %Z %Y";
  const us = clockGettimeRealtime(io.task);
  const now: Timespec = { sec: Math.floor(us / 1e6), nsec: (us % 1e6) * 1000 };
  const setForm = operand !== undefined && !operand.startsWith("+") ? operand : undefined;
  if (setString !== undefined || setForm !== undefined) {
    const when = setForm !== undefined ? posixtime(setForm, now) : parseDatetime(setString as string, now);
    if (!when) throw new DateError(`date: invalid date '${setForm ?? setString}'\n`);
    // settimeofday: CAP_SYS_TIME in the initial user namespace; the clock is the machine's.
    const host = io.task.host;
    if (io.task.uid !== 0 || io.task.userNs !== host.initUserNs)
      return {
        stdout: `${strftime(fmt, when)}\n`,
        stderr: "date: cannot set date: Operation not permitted\n",
        exitCode: 1,
      };
    host.bootRealtimeUs = when.sec * 1e6 + Math.floor(when.nsec / 1000) - Math.floor(host.clock.now / 1000);
    return { stdout: `${strftime(fmt, when)}\n`, stderr: "", exitCode: 0 };
  }
  if (file !== undefined) {
    let text: string;
    try {
      text = file === "-" ? "" : await io.readFile(file);
    } catch {
      throw new DateError(`date: ${file}: No such file or directory\n`);
    }
    let out = "";
    let err = "";
    for (const line of text.split("\n").slice(0, text.endsWith("\n") ? -1 : undefined)) {
      const t = parseDatetime(line, now);
      if (t) out += `${strftime(fmt, t)}\n`;
      else err += `date: invalid date '${line}'\n`;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  }
  let when = now;
  if (reference !== undefined) {
    const mtime = await io.mtime(reference);
    if (mtime === undefined) throw new DateError(`date: ${reference}: No such file or directory\n`);
    when = { sec: Math.floor(mtime / 1000), nsec: (mtime % 1000) * 1e6 };
  } else if (dateString !== undefined) {
    const t = parseDatetime(dateString, now);
    if (!t) throw new DateError(`date: invalid date '${dateString}'\n`);
    when = t;
  }
  return { stdout: `${strftime(fmt, when)}\n`, stderr: "", exitCode: 0 };
}

/** `date`, reading `task`'s host clock. */
export function dateCommand(task: Task): Command {
  return defineCommand("date", async (args, ctx): Promise<ExecResult> => {
    const io: DateIo = {
      task,
      readFile: (path) => ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, path)),
      mtime: async (path) => {
        try {
          const st = await ctx.fs.stat(ctx.fs.resolvePath(ctx.cwd, path));
          return st.mtime.getTime();
        } catch {
          return undefined;
        }
      },
    };
    try {
      return await dateMain(args, io);
    } catch (e) {
      if (e instanceof DateError) return { stdout: "", stderr: e.text, exitCode: e.status };
      throw e;
    }
  });
}
