// head(1) as GNU coreutils 9.1 prints it: -n/-c with a leading '-' for "all but the last N",
// size suffixes (1k, 2M, …), the obsolete -NUM, -q/-v/-z, a header per file, and GNU's messages
// ('invalid number of lines: ...', 'cannot open ... for reading'). just-bash's own refuses
// negative counts and suffixes.
import { type Command, defineCommand, type ExecResult, latin1FromBytes } from "just-bash";
import { lookupLong } from "./longopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Try 'head --help' for more information.\n";

const HEAD_LONGS = ["bytes", "lines", "quiet", "silent", "verbose", "zero-terminated", "help", "version"];

/** xstrtoumax's suffixes as head accepts them (b is 512; a B after a letter means powers of 1000). */
const SUFFIX: Readonly<Record<string, number>> = {
  b: 512,
  k: 1024,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
  P: 1024 ** 5,
  E: 1024 ** 6,
};
const SUFFIX_1000: Readonly<Record<string, number>> = {
  kB: 1000,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  TB: 1000 ** 4,
  PB: 1000 ** 5,
  EB: 1000 ** 6,
};

interface Count {
  readonly n: number;
  /** A leading '-': all but the last n. */
  readonly allBut: boolean;
  readonly bytes: boolean;
}

class HeadError extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

/** string_to_integer: NUM with an optional suffix, or GNU's 'invalid number of lines|bytes'. */
function parseCount(arg: string, bytes: boolean): Count {
  const what = bytes ? "bytes" : "lines";
  const allBut = arg.startsWith("-");
  const text = allBut ? arg.slice(1) : arg;
  const m = /^\s*\+?([0-9]+)([A-Za-z]*)$/.exec(text);
  const scale = m ? (m[2] === "" ? 1 : (SUFFIX_1000[m[2] as string] ?? SUFFIX[m[2] as string])) : undefined;
  if (!m || scale === undefined) throw new HeadError(`head: invalid number of ${what}: '${arg}'\n`);
  const n = Number(m[1]) * scale;
  return { n: Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER, allBut, bytes };
}

/** The first `c.n` lines or bytes (or all but the last `c.n`) of `data`. */
function headOf(data: string, c: Count, eol: string): string {
  if (c.bytes) {
    if (c.allBut) return data.slice(0, Math.max(0, data.length - c.n));
    return data.slice(0, c.n);
  }
  // Line ends: a last line without one still counts.
  const ends: number[] = [];
  for (let i = data.indexOf(eol); i >= 0; i = data.indexOf(eol, i + 1)) ends.push(i + 1);
  if (data.length > 0 && !data.endsWith(eol)) ends.push(data.length);
  if (c.allBut) {
    const keep = ends.length - c.n;
    return keep <= 0 ? "" : data.slice(0, ends[keep - 1]);
  }
  if (c.n === 0) return "";
  return c.n >= ends.length ? data : data.slice(0, ends[c.n - 1]);
}

export function headCommand(): Command {
  return defineCommand("head", async (args, ctx): Promise<ExecResult> => {
    let count: Count = { n: 10, allBut: false, bytes: false };
    let header: boolean | undefined;
    let zero = false;
    const files: string[] = [];
    try {
      let options = true;
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as string;
        if (options && a === "--") {
          options = false;
          continue;
        }
        // The obsolete -NUM[bcklmqvz] as the first argument.
        if (options && i === 0 && /^-[0-9]+[bcklmqvz]*$/.test(a)) {
          const [, digits = "", flags = ""] = /^-([0-9]+)(.*)$/.exec(a) as RegExpExecArray;
          const bytes = flags.includes("c");
          const unit = flags.includes("b") ? "b" : flags.includes("k") ? "k" : flags.includes("m") ? "M" : "";
          count = parseCount(`${digits}${unit}`, bytes);
          if (flags.includes("q")) header = false;
          if (flags.includes("v")) header = true;
          if (flags.includes("z")) zero = true;
          continue;
        }
        if (options && a.startsWith("--")) {
          const hit = lookupLong("head", a, HEAD_LONGS);
          if ("error" in hit) throw new HeadError(`${hit.error}${TRY}`);
          const exact = hit.name;
          if (exact === "help")
            return { stdout: "Usage: head [OPTION]... [FILE]...\n", stderr: "", exitCode: 0 };
          if (exact === "version") return { stdout: "head (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
          if (exact === "bytes" || exact === "lines") {
            const arg = hit.value ?? args[++i];
            if (arg === undefined)
              throw new HeadError(`head: option '--${exact}' requires an argument\n${TRY}`);
            count = parseCount(arg, exact === "bytes");
          } else if (exact === "quiet" || exact === "silent") header = false;
          else if (exact === "verbose") header = true;
          else zero = true;
          continue;
        }
        if (options && a.startsWith("-") && a.length > 1) {
          for (let j = 1; j < a.length; j++) {
            const ch = a[j] as string;
            if (ch === "c" || ch === "n") {
              let arg: string | undefined = a.slice(j + 1);
              if (arg === "") arg = args[++i];
              if (arg === undefined)
                throw new HeadError(`head: option requires an argument -- '${ch}'\n${TRY}`);
              count = parseCount(arg, ch === "c");
              break;
            }
            if (ch === "q") header = false;
            else if (ch === "v") header = true;
            else if (ch === "z") zero = true;
            else throw new HeadError(`head: invalid option -- '${ch}'\n${TRY}`);
          }
          continue;
        }
        files.push(a);
      }
    } catch (e) {
      if (!(e instanceof HeadError)) throw e;
      return { stdout: "", stderr: e.text, exitCode: 1 };
    }
    if (files.length === 0) files.push("-");
    const showHeaders = header ?? files.length > 1;
    const eol = zero ? "\0" : "\n";
    let out = "";
    let err = "";
    let status = 0;
    let first = true;
    for (const file of files) {
      let data: string;
      try {
        data =
          file === "-"
            ? latin1FromBytes(ctx.stdin)
            : latin1(await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, file)));
      } catch {
        err += `head: cannot open '${file}' for reading: No such file or directory\n`;
        status = 1;
        continue;
      }
      if (showHeaders) out += `${first ? "" : "\n"}==> ${file === "-" ? "standard input" : file} <==\n`;
      first = false;
      out += headOf(data, count, eol);
    }
    return { stdout: out, stderr: err, exitCode: status };
  });
}
