// awk's command line as Debian's awk (mawk 1.3.4) reads it, in front of just-bash's awk, which
// (1) took a one-character -F as a regular expression, so `awk -F. '{print $4}'` on an address
// split at every character and printed nothing (a single character other than space separates
// fields literally in POSIX awk), (2) put -v FS=…, -v OFS=… into ordinary variables, so they
// changed nothing, and (3) took an operand assignment (`awk '…' OFS=-`) for a file name. Here a
// one-character separator becomes the bracket expression that means that character, -v of a
// special variable becomes -F or an assignment at the start of the program, and assignments
// before the first file operand are made before input is read.
import { type Command, defineCommand, type ExecResult } from "just-bash";

const SPECIAL = new Set(["OFS", "ORS", "RS", "SUBSEP", "OFMT", "CONVFMT", "NR", "NF", "FNR", "FILENAME"]);
const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "/": "/",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};

/** awk's escape processing of a -v value or -F argument. */
function awkUnescape(s: string): string {
  return s.replace(/\\([0-7]{1,3}|.)/g, (m, c: string) => {
    if (/^[0-7]+$/.test(c)) return String.fromCharCode(Number.parseInt(c, 8) & 0xff);
    return ESCAPES[c] ?? m;
  });
}

/** A field separator as just-bash's awk must receive it to split where mawk splits. */
function separator(raw: string): string {
  const fs = awkUnescape(raw);
  if (fs.length !== 1 || fs === " ") return raw;
  if (/^[A-Za-z0-9]$/.test(fs)) return fs;
  if (fs === "\\") return "[\\\\\\\\]";
  if (fs === "^") return "\\^";
  if (fs === "]") return "\\]";
  return `[${fs}]`;
}

/** An awk string literal for `value` as -v would have assigned it (escapes still processed). */
function literal(value: string): string {
  return `"${value.replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function awkCommand(): Command {
  return defineCommand("awk", async (args, ctx): Promise<ExecResult> => {
    if (!ctx.origCommand) return { stdout: "", stderr: "awk: not available\n", exitCode: 2 };
    const out: string[] = [];
    const begin: string[] = [];
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i] as string;
      if (a === "--") {
        i++;
        break;
      }
      if (a === "-F" || (a.startsWith("-F") && a.length > 2)) {
        const v = a === "-F" ? args[++i] : a.slice(2);
        if (v === undefined) {
          out.push(a);
          continue;
        }
        out.push("-F", separator(v));
        continue;
      }
      if (a === "-v" || (a.startsWith("-v") && a.length > 2)) {
        const v = a === "-v" ? args[++i] : a.slice(2);
        const eq = v?.indexOf("=") ?? -1;
        if (v === undefined || eq <= 0) {
          out.push("-v", ...(v === undefined ? [] : [v]));
          continue;
        }
        const name = v.slice(0, eq);
        const value = v.slice(eq + 1);
        if (name === "FS") out.push("-F", separator(value));
        else if (SPECIAL.has(name)) begin.push(`${name}=${literal(value)}`);
        else out.push("-v", v);
        continue;
      }
      if (!a.startsWith("-") || a === "-") break;
      out.push(a);
    }
    const program = args[i];
    if (program === undefined) return ctx.origCommand(out);
    const operands = args.slice(i + 1);
    // Assignments ahead of the first file are made before input is read.
    const rest: string[] = [];
    let files = false;
    for (const op of operands) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(op);
      if (!files && m) {
        const name = m[1] as string;
        const value = m[2] as string;
        if (name === "FS")
          begin.push(`FS=${literal(awkUnescape(value).length === 1 ? separator(value) : value)}`);
        else if (SPECIAL.has(name)) begin.push(`${name}=${literal(value)}`);
        else out.push("-v", op);
        continue;
      }
      files = true;
      rest.push(op);
    }
    const text = begin.length > 0 ? `BEGIN { ${begin.join("; ")} }\n${program}` : program;
    return ctx.origCommand([...out, text, ...rest]);
  });
}
