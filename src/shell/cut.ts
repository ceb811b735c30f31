// cut(1) as GNU coreutils 9.1 prints it. just-bash's own prints an empty line for a line without
// the delimiter (GNU prints the line whole unless -s). -b/-c/-f LIST, -d, -s, --complement,
// --output-delimiter, -z, over bytes (latin1), with set_fields' and cut's messages and statuses.
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

const TRY = "Try 'cut --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "bytes", arg: "required", key: "b" },
  { name: "characters", arg: "required", key: "c" },
  { name: "fields", arg: "required", key: "f" },
  { name: "delimiter", arg: "required", key: "d" },
  { name: "only-delimited", arg: "none", key: "s" },
  { name: "output-delimiter", arg: "required", key: "output-delimiter" },
  { name: "complement", arg: "none", key: "complement" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];
const MAX = Number.MAX_SAFE_INTEGER;

class CutExit extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

function fatal(message: string): never {
  throw new CutExit(`cut: ${message}\n${TRY}`);
}

interface Range {
  lo: number;
  hi: number;
}

/** set_fields: the sorted, merged (and maybe complemented) ranges of a LIST. */
function setFields(list: string, positions: boolean, complement: boolean): Range[] {
  const ranges: Range[] = [];
  let initial = 1;
  let value = 0n;
  let lhs = false;
  let rhs = false;
  let dash = false;
  let numStart = -1;
  const from1 = positions ? "byte/character positions are numbered from 1" : "fields are numbered from 1";
  for (let i = 0; ; i++) {
    const c = list[i];
    if (c === "-") {
      numStart = -1;
      if (dash) fatal(positions ? "invalid byte or character range" : "invalid field range");
      dash = true;
      if (lhs && value === 0n) fatal(from1);
      initial = lhs ? Number(value) : 1;
      value = 0n;
    } else if (c === undefined || c === "," || c === " " || c === "\t") {
      numStart = -1;
      if (dash) {
        dash = false;
        if (!lhs && !rhs) fatal("invalid range with no endpoint: -");
        if (!rhs) ranges.push({ lo: initial, hi: MAX });
        else {
          if (Number(value) < initial) fatal("invalid decreasing range");
          ranges.push({ lo: initial, hi: Number(value) });
        }
        value = 0n;
      } else {
        if (value === 0n) fatal(from1);
        ranges.push({ lo: Number(value), hi: Number(value) });
        value = 0n;
      }
      if (c === undefined) break;
      lhs = false;
      rhs = false;
    } else if (c >= "0" && c <= "9") {
      if (numStart < 0) numStart = i;
      if (dash) rhs = true;
      else lhs = true;
      value = value * 10n + BigInt(c.charCodeAt(0) - 48);
      if (value >= (1n << 64n) - 1n) {
        const bad = /^[0-9]*/.exec(list.slice(numStart))?.[0] ?? "";
        throw new CutExit(
          `cut: ${positions ? "byte/character offset" : "field number"} '${bad}' is too large\n${TRY}`,
        );
      }
    } else {
      throw new CutExit(
        `cut: ${positions ? "invalid byte/character position" : "invalid field value"} '${list.slice(i)}'\n${TRY}`,
      );
    }
  }
  if (ranges.length === 0)
    fatal(positions ? "missing list of byte/character positions" : "missing list of fields");
  ranges.sort((a, b) => a.lo - b.lo);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.lo <= last.hi) last.hi = Math.max(last.hi, r.hi);
    else merged.push({ ...r });
  }
  if (!complement) return merged;
  const out: Range[] = [];
  const first = merged[0] as Range;
  if (first.lo > 1) out.push({ lo: 1, hi: first.lo - 1 });
  for (let i = 1; i < merged.length; i++) {
    const a = merged[i - 1] as Range;
    const b = merged[i] as Range;
    if (a.hi + 1 !== b.lo) out.push({ lo: a.hi + 1, hi: b.lo - 1 });
  }
  const last = merged[merged.length - 1] as Range;
  if (last.hi < MAX) out.push({ lo: last.hi + 1, hi: MAX });
  return out;
}

function selected(ranges: readonly Range[], k: number): boolean {
  return ranges.some((r) => k >= r.lo && k <= r.hi);
}

function rangeStart(ranges: readonly Range[], k: number): boolean {
  return ranges.some((r) => r.lo === k);
}

export function cutCommand(): Command {
  return defineCommand("cut", async (args, ctx): Promise<ExecResult> => {
    let list: string | undefined;
    let positions = false;
    let delim: string | undefined;
    let outDelim: string | undefined;
    let suppress = false;
    let complement = false;
    let eol = "\n";
    let ranges: Range[];
    let files: string[];
    try {
      const parsed = getoptLong("cut", args, "b:c:d:f:nsz", LONGS);
      for (const o of parsed.options) {
        const v = o.value ?? "";
        switch (o.key) {
          case "b":
          case "c":
          case "f":
            if (o.key !== "f") positions = true;
            if (list !== undefined) fatal("only one list may be specified");
            list = v;
            break;
          case "d":
            if (v.length > 1) fatal("the delimiter must be a single character");
            delim = v === "" ? "\0" : v;
            break;
          case "output-delimiter":
            outDelim = v === "" ? "\0" : v;
            break;
          case "s":
            suppress = true;
            break;
          case "z":
            eol = "\0";
            break;
          case "complement":
            complement = true;
            break;
          case "help":
            return { stdout: "Usage: cut OPTION... [FILE]...\n", stderr: "", exitCode: 0 };
          case "version":
            return { stdout: "cut (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
        }
      }
      if (parsed.error !== undefined) throw new CutExit(parsed.error + TRY);
      if (list === undefined) fatal("you must specify a list of bytes, characters, or fields");
      if (positions) {
        if (delim !== undefined) fatal("an input delimiter may be specified only when operating on fields");
        if (suppress) fatal("suppressing non-delimited lines makes sense\n\tonly when operating on fields");
      }
      ranges = setFields(list, positions, complement);
      files = parsed.operands.length > 0 ? [...parsed.operands] : ["-"];
    } catch (e) {
      if (!(e instanceof CutExit)) throw e;
      return { stdout: "", stderr: e.text, exitCode: 1 };
    }
    const d = delim ?? "\t";
    let out = "";
    let err = "";
    let status = 0;
    for (const file of files) {
      let data: string;
      try {
        if (file === "-") data = latin1FromBytes(ctx.stdin);
        else {
          const path = ctx.fs.resolvePath(ctx.cwd, file);
          if ((await ctx.fs.stat(path)).isDirectory) {
            err += `cut: ${file}: Is a directory\n`;
            status = 1;
            continue;
          }
          data = latin1(await ctx.fs.readFileBuffer(path));
        }
      } catch {
        err += `cut: ${file}: No such file or directory\n`;
        status = 1;
        continue;
      }
      if (data === "") continue;
      const lines = data.split(eol);
      if (data.endsWith(eol)) lines.pop();
      for (const line of lines) {
        if (positions) {
          let started = false;
          for (let k = 1; k <= line.length; k++) {
            if (!selected(ranges, k)) continue;
            if (outDelim !== undefined) {
              if (started && rangeStart(ranges, k)) out += outDelim;
              started = true;
            }
            out += line[k - 1];
          }
          out += eol;
          continue;
        }
        if (!line.includes(d)) {
          if (!suppress) out += line + eol;
          continue;
        }
        const fields = line.split(d);
        out += fields.filter((_, i) => selected(ranges, i + 1)).join(outDelim ?? d) + eol;
      }
    }
    return { ...bytesOutput(unsafeBytesFromLatin1(out)), stderr: err, exitCode: status };
  });
}
