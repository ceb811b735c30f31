// paste(1) as GNU coreutils 9.1: standard input when no file is named (just-bash's own insisted
// on a file operand, so `seq 3 | paste -sd+` failed), -d LIST with its escapes, -s, -z.
import { type Command, defineCommand, type ExecResult, latin1FromBytes } from "just-bash";
import { lookupLong } from "./longopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Try 'paste --help' for more information.\n";

/** collapse_escapes: \n \t \\ \0 (empty delimiter) and the others GNU knows. */
function delimiters(list: string): string[] | string {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as string;
    if (c !== "\\") {
      out.push(c);
      continue;
    }
    const n = list[++i];
    if (n === undefined) return `paste: delimiter list ends with an unescaped backslash: ${list}\n`;
    const map: Record<string, string> = {
      n: "\n",
      t: "\t",
      "\\": "\\",
      "0": "",
      b: "\b",
      f: "\f",
      r: "\r",
      v: "\v",
    };
    out.push(map[n] ?? n);
  }
  return out;
}

export function pasteCommand(): Command {
  return defineCommand("paste", async (args, ctx): Promise<ExecResult> => {
    let delims: string[] = ["\t"];
    let serial = false;
    let zero = false;
    const files: string[] = [];
    let options = true;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (options && a === "--") {
        options = false;
        continue;
      }
      if (options && a.startsWith("--") && a.length > 2) {
        const hit = lookupLong("paste", a, ["delimiters", "serial", "zero-terminated", "help", "version"]);
        if ("error" in hit) return { stdout: "", stderr: `${hit.error}${TRY}`, exitCode: 1 };
        const exact = hit.name;
        if (exact === "help")
          return { stdout: "Usage: paste [OPTION]... [FILE]...\n", stderr: "", exitCode: 0 };
        if (exact === "version") return { stdout: "paste (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
        if (exact === "serial") serial = true;
        else if (exact === "zero-terminated") zero = true;
        else {
          const list = hit.value ?? args[++i];
          if (list === undefined)
            return {
              stdout: "",
              stderr: `paste: option '--delimiters' requires an argument\n${TRY}`,
              exitCode: 1,
            };
          const d = delimiters(list);
          if (typeof d === "string") return { stdout: "", stderr: d, exitCode: 1 };
          delims = d;
        }
        continue;
      }
      if (options && a.startsWith("-") && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const c = a[j] as string;
          if (c === "s") serial = true;
          else if (c === "z") zero = true;
          else if (c === "d") {
            const list = j + 1 < a.length ? a.slice(j + 1) : args[++i];
            if (list === undefined)
              return { stdout: "", stderr: `paste: option requires an argument -- 'd'\n${TRY}`, exitCode: 1 };
            const d = delimiters(list);
            if (typeof d === "string") return { stdout: "", stderr: d, exitCode: 1 };
            delims = d;
            break;
          } else return { stdout: "", stderr: `paste: invalid option -- '${c}'\n${TRY}`, exitCode: 1 };
        }
        continue;
      }
      files.push(a);
    }
    if (files.length === 0) files.push("-");
    const eol = zero ? "\0" : "\n";
    // Every '-' reads from the one standard input, a line at a time in turn.
    const stdinLines = splitLines(latin1FromBytes(ctx.stdin), eol);
    let stdinAt = 0;
    const inputs: { lines: string[]; stdin: boolean }[] = [];
    for (const f of files) {
      if (f === "-") {
        inputs.push({ lines: stdinLines, stdin: true });
        continue;
      }
      try {
        inputs.push({
          lines: splitLines(latin1(await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, f))), eol),
          stdin: false,
        });
      } catch {
        return { stdout: "", stderr: `paste: ${f}: No such file or directory\n`, exitCode: 1 };
      }
    }
    const delim = (k: number) => (delims.length === 0 ? "" : (delims[k % delims.length] as string));
    let out = "";
    if (serial) {
      for (const input of inputs) {
        const lines = input.stdin ? stdinLines.slice(stdinAt) : input.lines;
        if (input.stdin) stdinAt = stdinLines.length;
        if (lines.length === 0) continue;
        out += lines.map((l, k) => (k === 0 ? l : delim(k - 1) + l)).join("") + eol;
      }
      return { stdout: out, stderr: "", exitCode: 0 };
    }
    const cursors = inputs.map(() => 0);
    for (;;) {
      let any = false;
      let row = "";
      inputs.forEach((input, k) => {
        let line: string | undefined;
        if (input.stdin) line = stdinLines[stdinAt++];
        else line = input.lines[cursors[k] as number];
        if (!input.stdin) cursors[k] = (cursors[k] as number) + 1;
        if (line !== undefined) any = true;
        if (k > 0) row += delim(k - 1);
        row += line ?? "";
      });
      if (!any) break;
      out += row + eol;
    }
    return { stdout: out, stderr: "", exitCode: 0 };
  });
}

function splitLines(data: string, eol: string): string[] {
  if (data === "") return [];
  const lines = data.split(eol);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
