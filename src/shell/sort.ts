// sort(1) as GNU coreutils 9.1 sorts in the C locale. just-bash's own collates by locale
// (a A b B instead of A B a b, so `sort | uniq` and `comm` disagree with Debian), lacks -g,
// orders 1.2~rc1 after 1.2 under -V, and exits 1 where sort exits 2. Keys (-k F[.C][OPTS][,F[.C]
// [OPTS]]) located as begfield/limfield do, -t, -b -d -f -g -h -i -M -n -r -V per key or global,
// the last-resort byte comparison, -s, -u, -c/-C, -m, -o, -z, and sort's messages and statuses.
import {
  bytesOutput,
  type Command,
  defineCommand,
  type ExecResult,
  latin1FromBytes,
  unsafeBytesFromLatin1,
} from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Try 'sort --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "ignore-leading-blanks", arg: "none", key: "b" },
  { name: "check", arg: "optional", key: "check" },
  { name: "dictionary-order", arg: "none", key: "d" },
  { name: "debug", arg: "none", key: "debug" },
  { name: "files0-from", arg: "required", key: "files0-from" },
  { name: "ignore-case", arg: "none", key: "f" },
  { name: "general-numeric-sort", arg: "none", key: "g" },
  { name: "human-numeric-sort", arg: "none", key: "h" },
  { name: "ignore-nonprinting", arg: "none", key: "i" },
  { name: "key", arg: "required", key: "k" },
  { name: "merge", arg: "none", key: "m" },
  { name: "month-sort", arg: "none", key: "M" },
  { name: "numeric-sort", arg: "none", key: "n" },
  { name: "output", arg: "required", key: "o" },
  { name: "random-sort", arg: "none", key: "R" },
  { name: "random-source", arg: "required", key: "random-source" },
  { name: "reverse", arg: "none", key: "r" },
  { name: "sort", arg: "required", key: "sort" },
  { name: "stable", arg: "none", key: "s" },
  { name: "buffer-size", arg: "required", key: "S" },
  { name: "field-separator", arg: "required", key: "t" },
  { name: "temporary-directory", arg: "required", key: "T" },
  { name: "unique", arg: "none", key: "u" },
  { name: "version-sort", arg: "none", key: "V" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "parallel", arg: "required", key: "parallel" },
  { name: "batch-size", arg: "required", key: "batch-size" },
  { name: "compress-program", arg: "required", key: "compress-program" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];
const MAX = Number.MAX_SAFE_INTEGER;

interface Key {
  /** 0-based field and char of the start; sword MAX: the line's start. */
  sword: number;
  schar: number;
  /** 0-based end field (MAX: the line's end) and 1-based char in it (0: the field's end). */
  eword: number;
  echar: number;
  skipsblanks: boolean;
  skipeblanks: boolean;
  ignore: "" | "d" | "i";
  translate: boolean;
  numeric: boolean;
  general: boolean;
  human: boolean;
  month: boolean;
  version: boolean;
  random: boolean;
  reverse: boolean;
}

class SortExit extends Error {
  constructor(
    readonly text: string,
    readonly status = 2,
  ) {
    super(text);
  }
}

function newKey(): Key {
  return {
    sword: MAX,
    schar: 0,
    eword: MAX,
    echar: 0,
    skipsblanks: false,
    skipeblanks: false,
    ignore: "",
    translate: false,
    numeric: false,
    general: false,
    human: false,
    month: false,
    version: false,
    random: false,
    reverse: false,
  };
}

/** default_key_compare: no ordering option at all (reverse aside). */
function plain(k: Key): boolean {
  return !(
    k.ignore ||
    k.translate ||
    k.skipsblanks ||
    k.skipeblanks ||
    k.month ||
    k.numeric ||
    k.general ||
    k.human ||
    k.version ||
    k.random
  );
}

/** set_ordering: the option letters at s[i…]; where they stop. */
function setOrdering(s: string, i: number, key: Key, end: boolean | undefined): number {
  for (; i < s.length; i++) {
    switch (s[i]) {
      case "b":
        if (end === undefined || !end) key.skipsblanks = true;
        if (end === undefined || end) key.skipeblanks = true;
        break;
      case "d":
        key.ignore = "d";
        break;
      case "f":
        key.translate = true;
        break;
      case "g":
        key.general = true;
        break;
      case "h":
        key.human = true;
        break;
      case "i":
        if (key.ignore === "") key.ignore = "i";
        break;
      case "M":
        key.month = true;
        break;
      case "n":
        key.numeric = true;
        break;
      case "R":
        key.random = true;
        break;
      case "r":
        key.reverse = true;
        break;
      case "V":
        key.version = true;
        break;
      default:
        return i;
    }
  }
  return i;
}

function badField(msg: string, spec: string): never {
  throw new SortExit(`sort: ${msg}: invalid field specification '${spec}'\n`);
}

function parseCount(s: string, i: number, msg: string): [number, number] {
  const m = /^[0-9]+/.exec(s.slice(i));
  if (!m) throw new SortExit(`sort: ${msg}: invalid count at start of '${s.slice(i)}'\n`);
  const n = Number(m[0]);
  return [Number.isSafeInteger(n) ? n : MAX, i + m[0].length];
}

function parseKey(spec: string): Key {
  const key = newKey();
  let [n, i] = parseCount(spec, 0, "invalid number at field start");
  if (n === 0) badField("field number is zero", spec);
  key.sword = n - 1;
  if (spec[i] === ".") {
    [n, i] = parseCount(spec, i + 1, "invalid number after '.'");
    if (n === 0) badField("character offset is zero", spec);
    key.schar = n - 1;
  }
  if (key.sword === 0 && key.schar === 0) key.sword = MAX;
  i = setOrdering(spec, i, key, false);
  if (spec[i] !== ",") {
    key.eword = MAX;
    key.echar = 0;
  } else {
    [n, i] = parseCount(spec, i + 1, "invalid number after ','");
    if (n === 0) badField("field number is zero", spec);
    key.eword = n - 1;
    if (spec[i] === ".") [key.echar, i] = parseCount(spec, i + 1, "invalid number after '.'");
    i = setOrdering(spec, i, key, true);
  }
  if (i < spec.length) badField("stray character in field spec", spec);
  return key;
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);

function begField(line: string, key: Key, tab: string | undefined): number {
  let ptr = 0;
  const lim = line.length;
  let sword = key.sword;
  if (tab !== undefined) {
    while (ptr < lim && sword-- > 0) {
      while (ptr < lim && line[ptr] !== tab) ptr++;
      if (ptr < lim) ptr++;
    }
  } else {
    while (ptr < lim && sword-- > 0) {
      while (ptr < lim && isBlank(line[ptr])) ptr++;
      while (ptr < lim && !isBlank(line[ptr])) ptr++;
    }
  }
  if (key.skipsblanks) while (ptr < lim && isBlank(line[ptr])) ptr++;
  return Math.min(lim, ptr + key.schar);
}

function limField(line: string, key: Key, tab: string | undefined): number {
  let ptr = 0;
  const lim = line.length;
  let eword = key.eword;
  const echar = key.echar;
  if (echar === 0) eword++;
  if (tab !== undefined) {
    while (ptr < lim && eword-- > 0) {
      while (ptr < lim && line[ptr] !== tab) ptr++;
      if (ptr < lim && (eword > 0 || echar !== 0)) ptr++;
    }
  } else {
    while (ptr < lim && eword-- > 0) {
      while (ptr < lim && isBlank(line[ptr])) ptr++;
      while (ptr < lim && !isBlank(line[ptr])) ptr++;
    }
  }
  if (echar !== 0) {
    if (key.skipeblanks) while (ptr < lim && isBlank(line[ptr])) ptr++;
    ptr = Math.min(lim, ptr + echar);
  }
  return ptr;
}

/** strnumcmp in the C locale ('.' point, no grouping): leading blanks, '-', digits, fraction. */
function numCompare(a: string, b: string): number {
  const parse = (s: string): { neg: boolean; int: string; frac: string } => {
    const m = /^[ \t\n]*(-?)([0-9]*)(?:\.([0-9]*))?/.exec(s) as RegExpExecArray;
    const int = (m[2] ?? "").replace(/^0+/, "");
    const frac = (m[3] ?? "").replace(/0+$/, "");
    return { neg: m[1] === "-" && (int !== "" || frac !== ""), int, frac };
  };
  const x = parse(a);
  const y = parse(b);
  const mag = (p: typeof x, q: typeof y): number => {
    if (p.int.length !== q.int.length) return p.int.length < q.int.length ? -1 : 1;
    if (p.int !== q.int) return p.int < q.int ? -1 : 1;
    if (p.frac !== q.frac) return p.frac < q.frac ? -1 : 1;
    return 0;
  };
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  return x.neg ? -mag(x, y) : mag(x, y);
}

const UNITS: Readonly<Record<string, number>> = { K: 1, k: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };

function unitOrder(s: string): number {
  const m = /^[ \t\n]*(-?)([0-9]*)(?:\.([0-9]*))?(.?)/.exec(s) as RegExpExecArray;
  const nonzero = /[1-9]/.test((m[2] ?? "") + (m[3] ?? ""));
  if (!nonzero) return 0;
  const order = UNITS[m[4] ?? ""] ?? 0;
  return m[1] === "-" ? -order : order;
}

/** strtold's prefix of s (leading blanks skipped), or undefined when nothing converts. */
function strtold(s: string): number | undefined {
  const t = s.replace(/^[ \t\n\v\f\r]+/, "");
  const m =
    /^[+-]?(inf(inity)?|nan(\([0-9A-Za-z_]*\))?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)/i.exec(
      t,
    );
  if (!m) return undefined;
  const text = m[0];
  const neg = text.startsWith("-");
  const body = text.replace(/^[+-]/, "");
  let v: number;
  if (/^inf/i.test(body)) v = Infinity;
  else if (/^nan/i.test(body)) v = Number.NaN;
  else if (/^0x/i.test(body)) {
    const h = /^0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([+-]?[0-9]+))?$/i.exec(body) as RegExpExecArray;
    v = (Number.parseInt(`${h[1]}${h[2]}` || "0", 16) / 16 ** (h[2] ?? "").length) * 2 ** Number(h[3] ?? 0);
  } else v = Number(body);
  return neg ? -v : v;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

function monthOf(s: string): number {
  const t = s
    .replace(/^[ \t\n]+/, "")
    .slice(0, 3)
    .toUpperCase();
  return MONTHS.indexOf(t) + 1;
}

/** gnulib's verrevcmp over s1[0…n1) and s2[0…n2). */
function verrevcmp(s1: string, n1: number, s2: string, n2: number): number {
  const order = (c: string): number => {
    if (isDigit(c)) return 0;
    if (isAlpha(c)) return c.charCodeAt(0);
    if (c === "~") return -1;
    return c.charCodeAt(0) + 256;
  };
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    let firstDiff = 0;
    while ((i < n1 && !isDigit(s1[i])) || (j < n2 && !isDigit(s2[j]))) {
      const c1 = i === n1 ? 0 : order(s1[i] as string);
      const c2 = j === n2 ? 0 : order(s2[j] as string);
      if (c1 !== c2) return c1 - c2;
      i++;
      j++;
    }
    while (i < n1 && s1[i] === "0") i++;
    while (j < n2 && s2[j] === "0") j++;
    while (i < n1 && j < n2 && isDigit(s1[i]) && isDigit(s2[j])) {
      if (!firstDiff) firstDiff = s1.charCodeAt(i) - s2.charCodeAt(j);
      i++;
      j++;
    }
    if (i < n1 && isDigit(s1[i])) return 1;
    if (j < n2 && isDigit(s2[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** file_prefixlen: the length before a suffix matching (\.[A-Za-z~][A-Za-z0-9~]*)*$. */
function prefixLen(s: string): number {
  const n = s.length;
  let prefix = 0;
  for (let i = 0; ; ) {
    if (i === n) return prefix;
    i++;
    prefix = i;
    while (i + 1 < n && s[i] === "." && (isAlpha(s[i + 1]) || s[i + 1] === "~")) {
      for (i += 2; i < n && (/^[A-Za-z0-9]$/.test(s[i] as string) || s[i] === "~"); i++);
    }
  }
}

/** gnulib's filenvercmp (2022). */
function filevercmp(a: string, b: string): number {
  if (a === "") return b === "" ? 0 : -1;
  if (b === "") return 1;
  if (a[0] === ".") {
    if (b[0] !== ".") return -1;
    const adot = a === ".";
    const bdot = b === ".";
    if (adot) return bdot ? 0 : -1;
    if (bdot) return 1;
    const adotdot = a === "..";
    const bdotdot = b === "..";
    if (adotdot) return bdotdot ? 0 : -1;
    if (bdotdot) return 1;
  } else if (b[0] === ".") return 1;
  const ap = prefixLen(a);
  const bp = prefixLen(b);
  const onePass = ap === a.length && bp === b.length;
  const r = verrevcmp(a, ap, b, bp);
  return r || onePass ? r : verrevcmp(a, a.length, b, b.length);
}

function keyCompare(a: string, b: string, keys: readonly Key[], tab: string | undefined): number {
  for (const key of keys) {
    let ta = key.sword === MAX ? 0 : begField(a, key, tab);
    let tb = key.sword === MAX ? 0 : begField(b, key, tab);
    let la = key.eword === MAX ? a.length : limField(a, key, tab);
    let lb = key.eword === MAX ? b.length : limField(b, key, tab);
    if (key.sword === MAX && key.skipsblanks) {
      while (ta < a.length && isBlank(a[ta])) ta++;
      while (tb < b.length && isBlank(b[tb])) tb++;
    }
    la = Math.max(ta, la);
    lb = Math.max(tb, lb);
    const x = a.slice(ta, la);
    const y = b.slice(tb, lb);
    let diff: number;
    if (key.numeric) diff = numCompare(x, y);
    else if (key.human) diff = unitOrder(x) - unitOrder(y) || numCompare(x, y);
    else if (key.general) {
      const p = strtold(x);
      const q = strtold(y);
      if (p === undefined) diff = q === undefined ? 0 : -1;
      else if (q === undefined) diff = 1;
      else diff = p < q ? -1 : p > q ? 1 : p === q ? 0 : Number.isNaN(q) ? (Number.isNaN(p) ? 0 : 1) : -1;
    } else if (key.month) diff = monthOf(x) - monthOf(y);
    else if (key.version) diff = filevercmp(x, y);
    else if (key.ignore || key.translate) {
      const keep = (c: string): boolean => {
        const code = c.charCodeAt(0);
        if (key.ignore === "i") return code >= 32 && code < 127;
        if (key.ignore === "d") return /^[A-Za-z0-9]$/.test(c) || isBlank(c);
        return true;
      };
      const tr = (s: string): string => {
        const kept = [...s].filter(keep).join("");
        return key.translate ? kept.replace(/[a-z]/g, (c) => c.toUpperCase()) : kept;
      };
      const p = tr(x);
      const q = tr(y);
      diff = p < q ? -1 : p > q ? 1 : 0;
    } else diff = x < y ? -1 : x > y ? 1 : 0;
    if (diff) return key.reverse ? -diff : diff;
  }
  return 0;
}

export function sortCommand(): Command {
  return defineCommand("sort", async (args, ctx): Promise<ExecResult> => {
    try {
      const parsed = getoptLong("sort", args, "bcCdfghik:mMno:rRsS:t:T:uVy:z", LONGS);
      const gkey = newKey();
      gkey.sword = MAX;
      const keys: Key[] = [];
      let tab: string | undefined;
      let unique = false;
      let stable = false;
      let check: "" | "diagnose" | "quiet" = "";
      let output: string | undefined;
      let eol = "\n";
      for (const o of parsed.options) {
        const v = o.value ?? "";
        switch (o.key) {
          case "k":
            keys.push(parseKey(v));
            break;
          case "t": {
            let t = v;
            if (t === "") throw new SortExit("sort: empty tab\n");
            if (t.length > 1) {
              if (t === "\\0") t = "\0";
              else throw new SortExit(`sort: multi-character tab '${v.replaceAll("\\", "\\\\")}'\n`);
            }
            if (tab !== undefined && tab !== t) throw new SortExit("sort: incompatible tabs\n");
            tab = t;
            break;
          }
          case "u":
            unique = true;
            break;
          case "s":
            stable = true;
            break;
          case "c":
            check = "diagnose";
            break;
          case "C":
            check = "quiet";
            break;
          case "check":
            check = v === "quiet" || v === "silent" ? "quiet" : "diagnose";
            break;
          case "o":
            if (output !== undefined && output !== v)
              throw new SortExit("sort: multiple output files specified\n");
            output = v;
            break;
          case "z":
            eol = "\0";
            break;
          case "sort": {
            const letter = { general: "g", human: "h", month: "M", numeric: "n", random: "R", version: "V" }[
              v
            ];
            if (letter === undefined) {
              throw new SortExit(
                `sort: invalid argument '${v}' for '--sort'\nValid arguments are:\n  - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n  - 'random'\n  - 'version'\n${TRY}`,
              );
            }
            setOrdering(letter, 0, gkey, undefined);
            break;
          }
          case "help":
            return { stdout: "Usage: sort [OPTION]... [FILE]...\n", stderr: "", exitCode: 0 };
          case "version":
            return { stdout: "sort (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
          case "m":
          case "S":
          case "T":
          case "y":
          case "parallel":
          case "batch-size":
          case "compress-program":
          case "random-source":
          case "debug":
          case "files0-from":
            break;
          default:
            setOrdering(o.key, 0, gkey, undefined);
        }
      }
      if (parsed.error !== undefined) throw new SortExit(parsed.error + TRY);
      for (const key of keys) {
        if (plain(key) && !key.reverse) {
          const { sword, schar, eword, echar } = key;
          Object.assign(key, gkey, { sword, schar, eword, echar });
        }
      }
      const all = keys.length > 0 ? keys : plain(gkey) ? [] : [gkey];
      const files = parsed.operands.length > 0 ? [...parsed.operands] : ["-"];
      if (check && files.length > 1)
        throw new SortExit(
          `sort: extra operand '${files[1]}' not allowed with -${check === "quiet" ? "C" : "c"}\n${TRY}`,
        );
      const lines: string[] = [];
      for (const file of files) {
        let data: string;
        if (file === "-") data = latin1FromBytes(ctx.stdin);
        else {
          try {
            const path = ctx.fs.resolvePath(ctx.cwd, file);
            if ((await ctx.fs.stat(path)).isDirectory)
              throw new SortExit(`sort: read failed: ${file}: Is a directory\n`);
            data = latin1(await ctx.fs.readFileBuffer(path));
          } catch (e) {
            if (e instanceof SortExit) throw e;
            throw new SortExit(`sort: cannot read: ${file}: No such file or directory\n`);
          }
        }
        if (data === "") continue;
        const part = data.split(eol);
        if (data.endsWith(eol)) part.pop();
        lines.push(...part);
      }
      const compare = (a: string, b: string): number => {
        if (all.length > 0) {
          const d = keyCompare(a, b, all, tab);
          if (d || unique || stable) return d;
        }
        const d = a < b ? -1 : a > b ? 1 : 0;
        return gkey.reverse ? -d : d;
      };
      if (check) {
        for (let i = 1; i < lines.length; i++) {
          const d = compare(lines[i - 1] as string, lines[i] as string);
          if (d > 0 || (unique && d === 0)) {
            const where = files[0] === "-" ? "-" : files[0];
            const err = check === "quiet" ? "" : `sort: ${where}:${i + 1}: disorder: ${lines[i]}\n`;
            return { stdout: "", stderr: err, exitCode: 1 };
          }
        }
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      const sorted = lines.map((l, i) => ({ l, i }));
      sorted.sort((p, q) => compare(p.l, q.l) || p.i - q.i);
      let out = "";
      let prev: string | undefined;
      for (const { l } of sorted) {
        if (unique && prev !== undefined && compare(prev, l) === 0) continue;
        out += l + eol;
        prev = l;
      }
      if (output !== undefined) {
        await ctx.fs.writeFile(ctx.fs.resolvePath(ctx.cwd, output), out, "binary");
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      return { ...bytesOutput(unsafeBytesFromLatin1(out)), stderr: "", exitCode: 0 };
    } catch (e) {
      if (!(e instanceof SortExit)) throw e;
      return { stdout: "", stderr: e.text, exitCode: e.status };
    }
  });
}
