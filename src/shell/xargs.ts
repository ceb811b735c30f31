// xargs(1) option parsing as GNU findutils 4.9 does it (getopt_long), in front of just-bash's
// xargs, which only knew the separated forms: `xargs -n1` and `xargs -I{}` (the forms scripts
// write) were "invalid option". Options are read in GNU order — they stop at the first operand,
// the command — and handed to just-bash's xargs as it spells them; -i[R] is -I R ({} by default).
import { type Command, decodeBytesToUtf8, defineCommand, type ExecResult } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";
import { shellJoin } from "./quote.js";

const TRY = "Try 'xargs --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "null", arg: "none", key: "0" },
  { name: "arg-file", arg: "required", key: "a" },
  { name: "delimiter", arg: "required", key: "d" },
  { name: "eof", arg: "optional", key: "e" },
  { name: "replace", arg: "optional", key: "i" },
  { name: "max-lines", arg: "optional", key: "l" },
  { name: "max-args", arg: "required", key: "n" },
  { name: "open-tty", arg: "none", key: "o" },
  { name: "interactive", arg: "none", key: "p" },
  { name: "no-run-if-empty", arg: "none", key: "r" },
  { name: "max-chars", arg: "required", key: "s" },
  { name: "verbose", arg: "none", key: "t" },
  { name: "show-limits", arg: "none", key: "show-limits" },
  { name: "exit", arg: "none", key: "x" },
  { name: "max-procs", arg: "required", key: "P" },
  { name: "process-slot-var", arg: "required", key: "process-slot-var" },
  { name: "version", arg: "none", key: "version" },
  { name: "help", arg: "none", key: "help" },
];

export function xargsCommand(): Command {
  return defineCommand("xargs", async (args, ctx): Promise<ExecResult> => {
    const parsed = getoptLong("xargs", args, "+0a:d:E:e::i::I:l::L:n:oprs:txP:", LONGS);
    if (parsed.error !== undefined) return { stdout: "", stderr: parsed.error + TRY, exitCode: 1 };
    const forward: string[] = [];
    for (const o of parsed.options) {
      const v = o.value;
      switch (o.key) {
        case "0":
        case "t":
        case "r":
          forward.push(`-${o.key}`);
          break;
        case "n":
        case "d":
        case "P":
        case "I":
          forward.push(`-${o.key}`, v ?? "");
          break;
        case "i":
          forward.push("-I", v ?? "{}");
          break;
        case "help":
          return { stdout: "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n", stderr: "", exitCode: 0 };
        case "version":
          return { stdout: "xargs (GNU findutils) 4.9.0\n", stderr: "", exitCode: 0 };
        default:
          // What just-bash's xargs lacks is reported as it reports an unknown option.
          forward.push(o.long !== undefined ? `--${o.long}` : `-${o.key}`);
          if (v !== undefined) forward.push(v);
      }
    }
    // -I takes whole lines as items (GNU's line mode), not blank-separated words.
    if (forward.includes("-I") && !forward.includes("-0") && !forward.includes("-d"))
      forward.push("-d", "\\n");
    // With no items at all GNU still runs the command once, unless -r.
    const input = decodeBytesToUtf8(ctx.stdin);
    const empty = forward.includes("-0") ? !/[^\0]/.test(input) : !/\S/.test(input);
    if (empty && !forward.includes("-r") && !forward.includes("-I") && ctx.exec) {
      const argv = parsed.operands.length > 0 ? [...parsed.operands] : ["echo"];
      return ctx.exec(shellJoin(argv), { cwd: ctx.cwd, stdin: "" });
    }
    if (!ctx.origCommand) return { stdout: "", stderr: "xargs: not available\n", exitCode: 1 };
    return ctx.origCommand([...forward, ...parsed.operands]);
  });
}
