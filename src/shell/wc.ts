// wc(1) as GNU coreutils 9.1 prints it (C locale). just-bash's own prints `2 2 4` where GNU pads
// every count to one width: 1 for a single count of one input, 7 when an input is not a regular
// file (a pipe), else the digits of the regular files' total size. -c -m -l -w -L, a total line
// for several files, words as runs of printable non-space bytes, wc's messages and statuses.
import { type Command, defineCommand, type ExecResult, latin1FromBytes } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Try 'wc --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "bytes", arg: "none", key: "c" },
  { name: "chars", arg: "none", key: "m" },
  { name: "lines", arg: "none", key: "l" },
  { name: "words", arg: "none", key: "w" },
  { name: "files0-from", arg: "required", key: "files0-from" },
  { name: "max-line-length", arg: "none", key: "L" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];

interface Counts {
  lines: number;
  words: number;
  bytes: number;
  maxLine: number;
}

function isPrint(c: number): boolean {
  return c >= 32 && c < 127;
}

/** wc's single-byte loop: lines, words, bytes and the longest line's display width. */
function count(data: string): Counts {
  let lines = 0;
  let words = 0;
  let maxLine = 0;
  let pos = 0;
  let inWord = false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 10 || c === 13 || c === 12) {
      if (c === 10) lines++;
      if (pos > maxLine) maxLine = pos;
      pos = 0;
      if (inWord) words++;
      inWord = false;
    } else if (c === 9) {
      pos += 8 - (pos % 8);
      if (inWord) words++;
      inWord = false;
    } else if (c === 32 || c === 11) {
      if (c === 32) pos++;
      if (inWord) words++;
      inWord = false;
    } else if (isPrint(c)) {
      pos++;
      inWord = true;
    }
  }
  if (pos > maxLine) maxLine = pos;
  if (inWord) words++;
  return { lines, words, bytes: data.length, maxLine };
}

export function wcCommand(): Command {
  return defineCommand("wc", async (args, ctx): Promise<ExecResult> => {
    const parsed = getoptLong("wc", args, "clLmw", LONGS);
    const show = { l: false, w: false, m: false, c: false, L: false };
    let files0: string | undefined;
    for (const o of parsed.options) {
      if (o.key === "help") return { stdout: "Usage: wc [OPTION]... [FILE]...\n", stderr: "", exitCode: 0 };
      if (o.key === "version") return { stdout: "wc (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
      if (o.key === "files0-from") files0 = o.value;
      else show[o.key as keyof typeof show] = true;
    }
    if (parsed.error !== undefined) return { stdout: "", stderr: parsed.error + TRY, exitCode: 1 };
    if (!show.l && !show.w && !show.m && !show.c && !show.L) show.l = show.w = show.c = true;
    const read = async (file: string): Promise<{ data?: string; regular: boolean; error?: string }> => {
      if (file === "-") return { data: latin1FromBytes(ctx.stdin), regular: false };
      try {
        const path = ctx.fs.resolvePath(ctx.cwd, file);
        if ((await ctx.fs.stat(path)).isDirectory) return { regular: false, error: "Is a directory" };
        return { data: latin1(await ctx.fs.readFileBuffer(path)), regular: true };
      } catch {
        return { regular: false, error: "No such file or directory" };
      }
    };
    let names: (string | undefined)[];
    let err = "";
    let status = 0;
    if (files0 !== undefined) {
      if (parsed.operands.length > 0) {
        return {
          stdout: "",
          stderr: `wc: extra operand '${parsed.operands[0]}'\nfile operands cannot be combined with --files0-from\n${TRY}`,
          exitCode: 1,
        };
      }
      const list = await read(files0);
      if (list.data === undefined) {
        return {
          stdout: "",
          stderr: `wc: cannot open '${files0}' for reading: ${list.error}\n`,
          exitCode: 1,
        };
      }
      names = list.data.split("\0");
      if (list.data.endsWith("\0") || list.data === "") names.pop();
    } else names = parsed.operands.length > 0 ? [...parsed.operands] : [undefined];
    const inputs = await Promise.all(names.map((n) => (n === undefined || n === "" ? undefined : read(n))));
    const nShown = [show.l, show.w, show.m, show.c, show.L].filter(Boolean).length;
    let width = 1;
    // get_input_fstatus/compute_number_width: one count of one input needs no stat, nor names read
    // from a pipe (--files0-from=-), whose number wc does not know beforehand.
    const streamed = files0 === "-";
    if (!streamed && !(names.length === 1 && nShown === 1) && names.length > 0) {
      let minimum = 1;
      let total = 0;
      for (const input of inputs) {
        if (input === undefined) {
          minimum = 7;
          continue;
        }
        if (input.error === "No such file or directory") continue;
        if (input.regular) total += input.data?.length ?? 0;
        else minimum = 7;
      }
      for (; total >= 10; total = Math.floor(total / 10)) width++;
      if (width < minimum) width = minimum;
    }
    const line = (c: Counts, name: string | undefined): string => {
      const cols: number[] = [];
      if (show.l) cols.push(c.lines);
      if (show.w) cols.push(c.words);
      if (show.m) cols.push(c.bytes);
      if (show.c) cols.push(c.bytes);
      if (show.L) cols.push(c.maxLine);
      const text = cols.map((n) => String(n).padStart(width)).join(" ");
      return `${text}${name !== undefined ? ` ${name}` : ""}\n`;
    };
    let out = "";
    const total: Counts = { lines: 0, words: 0, bytes: 0, maxLine: 0 };
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name === "") {
        err +=
          files0 === undefined
            ? "wc: invalid zero-length file name\n"
            : `wc: ${files0}:${i + 1}: invalid zero-length file name\n`;
        status = 1;
        continue;
      }
      const input = name === undefined ? await read("-") : inputs[i];
      if (input?.data === undefined) {
        err += `wc: ${name}: ${input?.error ?? "No such file or directory"}\n`;
        status = 1;
        if (input?.error === "Is a directory")
          out += line({ lines: 0, words: 0, bytes: 0, maxLine: 0 }, name);
        continue;
      }
      const c = count(input.data);
      total.lines += c.lines;
      total.words += c.words;
      total.bytes += c.bytes;
      total.maxLine = Math.max(total.maxLine, c.maxLine);
      out += line(c, name);
    }
    if (names.length > 1) out += line(total, "total");
    return { stdout: out, stderr: err, exitCode: status };
  });
}
