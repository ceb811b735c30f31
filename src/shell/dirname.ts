// dirname(1) and basename(1) as GNU coreutils 9.1 print them. just-bash's dirname gave "." for
// "/" and kept doubled slashes (a//b gave a/), its basename gave "" for "/", ignored -z, took
// extra operands without complaint, and their usage errors lacked the "Try" line.
import { type Command, defineCommand, type ExecResult } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";

/** gnulib's dir_name: NAME without its last component and the slashes before it. */
function dirName(name: string): string {
  let end = name.length;
  while (end > 1 && name[end - 1] === "/") end--;
  while (end > 0 && name[end - 1] !== "/") end--;
  while (end > 1 && name[end - 1] === "/") end--;
  if (end === 0) return name.startsWith("/") ? "/" : ".";
  return name.slice(0, end);
}

/** gnulib's base_name: the last component, "/" for a name of slashes only. */
function baseName(name: string): string {
  let end = name.length;
  while (end > 1 && name[end - 1] === "/") end--;
  const trimmed = name.slice(0, end);
  if (/^\/+$/.test(trimmed)) return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function dirnameCommand(): Command {
  const longs: readonly LongOption[] = [
    { name: "zero", arg: "none", key: "z" },
    { name: "help", arg: "none", key: "help" },
    { name: "version", arg: "none", key: "version" },
  ];
  return defineCommand("dirname", async (args): Promise<ExecResult> => {
    const parsed = getoptLong("dirname", args, "z", longs);
    let eol = "\n";
    for (const o of parsed.options) {
      if (o.key === "z") eol = "\0";
      else if (o.key === "help")
        return { stdout: "Usage: dirname [OPTION] NAME...\n", stderr: "", exitCode: 0 };
      else if (o.key === "version")
        return { stdout: "dirname (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
    }
    const TRY = "Try 'dirname --help' for more information.\n";
    if (parsed.error !== undefined) return { stdout: "", stderr: parsed.error + TRY, exitCode: 1 };
    if (parsed.operands.length === 0)
      return { stdout: "", stderr: `dirname: missing operand\n${TRY}`, exitCode: 1 };
    return { stdout: parsed.operands.map((n) => dirName(n) + eol).join(""), stderr: "", exitCode: 0 };
  });
}

export function basenameCommand(): Command {
  const longs: readonly LongOption[] = [
    { name: "multiple", arg: "none", key: "a" },
    { name: "suffix", arg: "required", key: "s" },
    { name: "zero", arg: "none", key: "z" },
    { name: "help", arg: "none", key: "help" },
    { name: "version", arg: "none", key: "version" },
  ];
  return defineCommand("basename", async (args): Promise<ExecResult> => {
    const TRY = "Try 'basename --help' for more information.\n";
    const parsed = getoptLong("basename", args, "+as:z", longs);
    let multiple = false;
    let suffix: string | undefined;
    let eol = "\n";
    for (const o of parsed.options) {
      if (o.key === "a") multiple = true;
      else if (o.key === "s") {
        suffix = o.value;
        multiple = true;
      } else if (o.key === "z") eol = "\0";
      else if (o.key === "help")
        return { stdout: "Usage: basename NAME [SUFFIX]\n", stderr: "", exitCode: 0 };
      else if (o.key === "version")
        return { stdout: "basename (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
    }
    if (parsed.error !== undefined) return { stdout: "", stderr: parsed.error + TRY, exitCode: 1 };
    const ops = parsed.operands;
    if (ops.length === 0) return { stdout: "", stderr: `basename: missing operand\n${TRY}`, exitCode: 1 };
    let names: readonly string[];
    if (multiple) names = ops;
    else {
      if (ops.length > 2)
        return { stdout: "", stderr: `basename: extra operand '${ops[2]}'\n${TRY}`, exitCode: 1 };
      names = [ops[0] as string];
      suffix = ops[1];
    }
    const strip = (b: string): string =>
      suffix && b.length > suffix.length && b.endsWith(suffix) ? b.slice(0, b.length - suffix.length) : b;
    return { stdout: names.map((n) => strip(baseName(n)) + eol).join(""), stderr: "", exitCode: 0 };
  });
}
