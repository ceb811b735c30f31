// tr(1) as GNU coreutils 9.1 runs it in the C locale, over bytes. just-bash's tr did not know \0
// or \000 (`tr '\0' ' '` on /proc/PID/cmdline left the NULs), UTF-8-encoded bytes above 0x7f
// (tr '\377' A turned \xff into two bytes), had no -t, no [c*n] repeats, accepted reversed
// ranges and classes in SET2, and its usage errors lacked GNU's lines. Sets with escapes,
// ranges, [:class:], [=c=], [c*n]; -c/-C, -d, -s, -t; tr's messages and statuses.
import {
  bytesOutput,
  type Command,
  defineCommand,
  type ExecResult,
  latin1FromBytes,
  unsafeBytesFromLatin1,
} from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";

const TRY = "Try 'tr --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "complement", arg: "none", key: "c" },
  { name: "delete", arg: "none", key: "d" },
  { name: "squeeze-repeats", arg: "none", key: "s" },
  { name: "truncate-set1", arg: "none", key: "t" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];

const CLASSES: Readonly<Record<string, (c: number) => boolean>> = {
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => c >= 48 && c <= 57,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

class TrExit extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

type Item =
  | { kind: "char"; c: number }
  | { kind: "class"; name: string }
  | { kind: "repeat"; c: number; n: number | undefined };

/** A set's characters as written, escapes decoded, and where each came from a backslash. */
function decodeSet(s: string): { chars: number[]; escaped: boolean[] } {
  const chars: number[] = [];
  const escaped: boolean[] = [];
  const named: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 92 || i + 1 >= s.length) {
      chars.push(c);
      escaped.push(false);
      continue;
    }
    const n = s[i + 1] as string;
    if (n >= "0" && n <= "7") {
      let v = 0;
      let j = i + 1;
      for (let k = 0; k < 3 && j < s.length && (s[j] ?? "") >= "0" && (s[j] ?? "") <= "7"; k++, j++) {
        const nv = v * 8 + (s.charCodeAt(j) - 48);
        if (nv > 255) break;
        v = nv;
      }
      chars.push(v);
      escaped.push(true);
      i = j - 1;
      continue;
    }
    chars.push(named[n] ?? n.charCodeAt(0));
    escaped.push(true);
    i++;
  }
  return { chars, escaped };
}

function quoteText(s: string): string {
  return `'${s.replaceAll("\\", "\\\\")}'`;
}

/** The items of a set: single characters (ranges expanded), classes, repeats. */
function parseSet(text: string, second: boolean): Item[] {
  const { chars, escaped } = decodeSet(text);
  const items: Item[] = [];
  const at = (i: number): number | undefined => chars[i];
  const lit = (i: number, ch: string): boolean => at(i) === ch.charCodeAt(0) && !escaped[i];
  for (let i = 0; i < chars.length; ) {
    if (lit(i, "[")) {
      // [:class:], [=c=], [c*n]
      if (lit(i + 1, ":")) {
        let j = i + 2;
        while (j + 1 < chars.length && !(lit(j, ":") && lit(j + 1, "]"))) j++;
        if (j + 1 < chars.length) {
          const name = String.fromCharCode(...chars.slice(i + 2, j));
          if (!CLASSES[name]) throw new TrExit(`tr: invalid character class ${quoteText(name)}\n`);
          items.push({ kind: "class", name });
          i = j + 2;
          continue;
        }
      } else if (lit(i + 1, "=") && at(i + 2) !== undefined && lit(i + 3, "=") && lit(i + 4, "]")) {
        items.push({ kind: "char", c: at(i + 2) as number });
        i += 5;
        continue;
      } else if (at(i + 1) !== undefined && lit(i + 2, "*")) {
        let j = i + 3;
        while (j < chars.length && !lit(j, "]")) j++;
        if (j < chars.length) {
          const count = String.fromCharCode(...chars.slice(i + 3, j));
          if (count !== "" && !/^[0-9]+$/.test(count))
            throw new TrExit(`tr: invalid repeat count ${quoteText(count)} in [c*n] construct\n`);
          const n = count === "" ? undefined : Number.parseInt(count, count.startsWith("0") ? 8 : 10);
          if (!second && (n === undefined || n === 0))
            throw new TrExit("tr: the [c*] repeat construct may not appear in string1\n");
          items.push({ kind: "repeat", c: at(i + 1) as number, n: n === 0 ? undefined : n });
          i = j + 1;
          continue;
        }
      }
    }
    const c = at(i) as number;
    if (lit(i + 1, "-") && at(i + 2) !== undefined) {
      const e = at(i + 2) as number;
      if (e < c) {
        const shown = String.fromCharCode(...chars.slice(i, i + 3));
        throw new TrExit(
          `tr: range-endpoints of ${quoteText(shown)} are in reverse collating sequence order\n`,
        );
      }
      for (let k = c; k <= e; k++) items.push({ kind: "char", c: k });
      i += 3;
      continue;
    }
    items.push({ kind: "char", c });
    i++;
  }
  return items;
}

function expand(items: readonly Item[], fill = 0): number[] {
  const out: number[] = [];
  for (const it of items) {
    if (it.kind === "char") out.push(it.c);
    else if (it.kind === "class")
      for (let c = 0; c < 256; c++) (CLASSES[it.name] as (c: number) => boolean)(c) && out.push(c);
    else for (let k = 0; k < (it.n ?? fill); k++) out.push(it.c);
  }
  return out;
}

export function trCommand(): Command {
  return defineCommand("tr", async (args, ctx): Promise<ExecResult> => {
    try {
      const parsed = getoptLong("tr", args, "+AcCdst", LONGS);
      let complement = false;
      let del = false;
      let squeeze = false;
      let truncate = false;
      for (const o of parsed.options) {
        if (o.key === "c" || o.key === "C") complement = true;
        else if (o.key === "d") del = true;
        else if (o.key === "s") squeeze = true;
        else if (o.key === "t") truncate = true;
        else if (o.key === "help")
          return { stdout: "Usage: tr [OPTION]... SET1 [SET2]\n", stderr: "", exitCode: 0 };
        else if (o.key === "version") return { stdout: "tr (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
      }
      if (parsed.error !== undefined) throw new TrExit(parsed.error + TRY);
      // The sets are bytes: a character from the script is its UTF-8 bytes.
      const ops = parsed.operands.map((o) => String.fromCharCode(...new TextEncoder().encode(o)));
      const minOps = 1 + (del === squeeze ? 1 : 0);
      const maxOps = 1 + (del <= squeeze ? 1 : 0);
      if (ops.length < minOps) {
        if (ops.length === 0) throw new TrExit(`tr: missing operand\n${TRY}`);
        throw new TrExit(
          `tr: missing operand after ${quoteText(ops[ops.length - 1] as string)}\n` +
            `${squeeze ? "Two strings must be given when both deleting and squeezing repetitions." : "Two strings must be given when translating."}\n${TRY}`,
        );
      }
      if (ops.length > maxOps) {
        throw new TrExit(
          `tr: extra operand ${quoteText(ops[maxOps] as string)}\n` +
            `${ops.length === 2 ? "Only one string may be given when deleting without squeezing repeats.\n" : ""}${TRY}`,
        );
      }
      const translating = ops.length === 2 && !del;
      const set1Items = parseSet(ops[0] as string, false);
      const set2Items = ops.length === 2 ? parseSet(ops[1] as string, true) : undefined;
      let s1 = expand(set1Items);
      if (complement) {
        const inSet = new Set(s1);
        s1 = [];
        for (let c = 0; c < 256; c++) if (!inSet.has(c)) s1.push(c);
      }
      let map: number[] | undefined;
      let s2: number[] = [];
      if (set2Items) {
        if (translating) {
          // Classes in SET2: only upper/lower, facing lower/upper at the same place in SET1.
          set2Items.forEach((it, k) => {
            if (it.kind !== "class") return;
            const facing = set1Items[k];
            const ok =
              (it.name === "upper" || it.name === "lower") &&
              facing?.kind === "class" &&
              (facing.name === "upper" || facing.name === "lower");
            if (!ok) {
              if (it.name === "upper" || it.name === "lower")
                throw new TrExit("tr: misaligned [:upper:] and/or [:lower:] construct\n");
              throw new TrExit(
                "tr: when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'\n",
              );
            }
          });
          const fixed = expand(set2Items.filter((it) => !(it.kind === "repeat" && it.n === undefined)));
          const fill = Math.max(0, s1.length - fixed.length);
          s2 = expand(set2Items, fill);
          if (s2.length === 0) throw new TrExit("tr: when not truncating set1, string2 must be non-empty\n");
          if (truncate) s1 = s1.slice(0, s2.length);
          else while (s2.length < s1.length) s2.push(s2[s2.length - 1] as number);
          map = [];
          for (let c = 0; c < 256; c++) map[c] = c;
          s1.forEach((c, k) => {
            (map as number[])[c] = s2[k] as number;
          });
        } else s2 = expand(set2Items);
      }
      const deleteSet = new Set(del ? s1 : []);
      const squeezeSet = new Set(squeeze ? (set2Items ? s2 : s1) : []);
      const data = latin1FromBytes(ctx.stdin);
      let out = "";
      let last = -1;
      for (let i = 0; i < data.length; i++) {
        let c = data.charCodeAt(i);
        if (del && deleteSet.has(c)) continue;
        if (map) c = map[c] as number;
        if (squeeze && c === last && squeezeSet.has(c)) continue;
        out += String.fromCharCode(c);
        last = c;
      }
      return { ...bytesOutput(unsafeBytesFromLatin1(out)), stderr: "", exitCode: 0 };
    } catch (e) {
      if (!(e instanceof TrExit)) throw e;
      return { stdout: "", stderr: e.text, exitCode: 1 };
    }
  });
}
