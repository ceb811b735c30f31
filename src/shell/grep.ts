// grep's command line as GNU grep 3.8 reads it, in front of just-bash's grep, which kept only the
// last of several -e patterns (`grep -e up -e down` matched only "down"), refused --color[=WHEN]
// (which changes nothing when the output is not a terminal, as in a script's pipe), took the
// pattern after `-e --` for an end of options, and ignored -f. Here getopt_long reads the options,
// every -e and -f pattern joins into one newline-separated list (grep's own meaning of a newline
// in a pattern), and just-bash's grep gets the rest in its separated spelling.
import { type Command, defineCommand, type ExecResult, latin1FromBytes } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
const SHORTS = "0123456789A:B:C:D:EFGHIJLNPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz";
const NONE: readonly string[] = [
  "basic-regexp:G",
  "extended-regexp:E",
  "fixed-regexp:F",
  "fixed-strings:F",
  "perl-regexp:P",
  "byte-offset:b",
  "count:c",
  "files-with-matches:l",
  "files-without-match:L",
  "help:help",
  "ignore-case:i",
  "no-ignore-case:no-ignore-case",
  "initial-tab:T",
  "line-buffered:line-buffered",
  "line-number:n",
  "line-regexp:x",
  "no-filename:h",
  "no-group-separator:no-group-separator",
  "no-messages:s",
  "null:Z",
  "null-data:z",
  "only-matching:o",
  "quiet:q",
  "silent:q",
  "recursive:r",
  "dereference-recursive:R",
  "invert-match:v",
  "text:a",
  "binary:U",
  "unix-byte-offsets:u",
  "version:V",
  "with-filename:H",
  "word-regexp:w",
];
const REQUIRED: readonly string[] = [
  "after-context:A",
  "before-context:B",
  "context:C",
  "binary-files:binary-files",
  "devices:D",
  "directories:d",
  "exclude:exclude",
  "exclude-from:exclude-from",
  "exclude-dir:exclude-dir",
  "file:f",
  "include:include",
  "label:label",
  "max-count:m",
  "group-separator:group-separator",
  "regexp:e",
];
const LONGS: readonly LongOption[] = [
  ...NONE.map((s) => ({
    name: s.split(":")[0] as string,
    arg: "none" as const,
    key: s.split(":")[1] as string,
  })),
  ...REQUIRED.map((s) => ({
    name: s.split(":")[0] as string,
    arg: "required" as const,
    key: s.split(":")[1] as string,
  })),
  { name: "color", arg: "optional", key: "color" },
  { name: "colour", arg: "optional", key: "color" },
];
const WHEN = ["always", "yes", "force", "never", "no", "none", "auto", "tty", "if-tty"];

export function grepCommand(): Command {
  return defineCommand("grep", async (args, ctx): Promise<ExecResult> => {
    const parsed = getoptLong("grep", args, SHORTS, LONGS);
    const forward: string[] = [];
    const patterns: string[] = [];
    let havePatterns = false;
    let digits = "";
    let digitsArg = -1;
    for (const [index, o] of parsed.options.entries()) {
      if (/^[0-9]$/.test(o.key)) {
        // -NUM is --context=NUM; its digits come one option at a time.
        digits = digitsArg === index - 1 ? digits + o.key : o.key;
        digitsArg = index;
        continue;
      }
      if (digits !== "") {
        forward.push("-C", digits);
        digits = "";
      }
      const v = o.value;
      switch (o.key) {
        case "e":
          patterns.push(...(v ?? "").split("\n"));
          havePatterns = true;
          break;
        case "f": {
          let text: string;
          try {
            text =
              v === "-"
                ? latin1FromBytes(ctx.stdin)
                : latin1(await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, v ?? "")));
          } catch {
            return { stdout: "", stderr: `grep: ${v}: No such file or directory\n`, exitCode: 2 };
          }
          const lines = text.split("\n");
          if (text.endsWith("\n")) lines.pop();
          if (text !== "") patterns.push(...lines);
          havePatterns = true;
          break;
        }
        case "color":
          if (v !== undefined && !WHEN.includes(v)) {
            return {
              stdout: "",
              stderr: `grep: invalid argument '${v}' for '--color'\nValid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n${TRY}`,
              exitCode: 2,
            };
          }
          break;
        default:
          if (o.long !== undefined) forward.push(v !== undefined ? `--${o.long}=${v}` : `--${o.long}`);
          else if (v !== undefined) forward.push(`-${o.key}`, v);
          else forward.push(`-${o.key}`);
      }
    }
    if (digits !== "") forward.push("-C", digits);
    if (parsed.error !== undefined) return { stdout: "", stderr: parsed.error + TRY, exitCode: 2 };
    const operands = [...parsed.operands];
    if (!havePatterns) {
      if (operands.length === 0) return { stdout: "", stderr: TRY, exitCode: 2 };
      patterns.push(...(operands.shift() as string).split("\n"));
    }
    // -f of an empty file: no pattern at all, so no line matches.
    if (patterns.length === 0) return { stdout: "", stderr: "", exitCode: 1 };
    if (!ctx.origCommand) return { stdout: "", stderr: "grep: not available\n", exitCode: 2 };
    return ctx.origCommand([...forward, "-e", patterns.join("\n"), ...operands]);
  });
}
