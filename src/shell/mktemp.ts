// mktemp(1) as GNU coreutils 9.1 runs it; just-bash has none, so `tmp=$(mktemp)` was "command not
// found". A file (0600) or with -d a directory (0700) named from TEMPLATE (default
// $TMPDIR|/tmp/tmp.XXXXXXXXXX) with its trailing X's replaced by random letters and digits;
// -u, -q, -p/--tmpdir, -t, --suffix, and mktemp's messages and statuses.
import { type Command, defineCommand, type ExecResult } from "just-bash";
import { getoptLong, type LongOption } from "./getopt.js";

const TRY = "Try 'mktemp --help' for more information.\n";
const LONGS: readonly LongOption[] = [
  { name: "directory", arg: "none", key: "d" },
  { name: "quiet", arg: "none", key: "q" },
  { name: "dry-run", arg: "none", key: "u" },
  { name: "suffix", arg: "required", key: "suffix" },
  { name: "tmpdir", arg: "optional", key: "p" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "V" },
];
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomLetters(n: number): string {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => LETTERS[b % LETTERS.length]).join("");
}

export function mktempCommand(): Command {
  return defineCommand("mktemp", async (args, ctx): Promise<ExecResult> => {
    const fail = (text: string): ExecResult => ({ stdout: "", stderr: text, exitCode: 1 });
    const parsed = getoptLong("mktemp", args, "dp:qtuV", LONGS);
    let directory = false;
    let quiet = false;
    let dryRun = false;
    let suffix: string | undefined;
    let destArg: string | undefined;
    let useDest = false;
    let oldT = false;
    for (const o of parsed.options) {
      if (o.key === "d") directory = true;
      else if (o.key === "q") quiet = true;
      else if (o.key === "u") dryRun = true;
      else if (o.key === "suffix") suffix = o.value;
      else if (o.key === "p") {
        destArg = o.value;
        useDest = true;
      } else if (o.key === "t") {
        useDest = true;
        oldT = true;
      } else if (o.key === "help")
        return { stdout: "Usage: mktemp [OPTION]... [TEMPLATE]\n", stderr: "", exitCode: 0 };
      else if (o.key === "V") return { stdout: "mktemp (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
    }
    if (parsed.error !== undefined) return fail(parsed.error + TRY);
    if (parsed.operands.length >= 2) return fail(`mktemp: too many templates\n${TRY}`);
    let template: string;
    if (parsed.operands.length === 0) {
      useDest = true;
      template = "tmp.XXXXXXXXXX";
    } else template = parsed.operands[0] as string;
    let suffixText: string;
    if (suffix !== undefined) {
      if (!template.endsWith("X"))
        return fail(`mktemp: with --suffix, template '${template}' must end in X\n`);
      suffixText = suffix;
      template += suffix;
    } else {
      const lastX = template.lastIndexOf("X");
      suffixText = lastX < 0 ? "" : template.slice(lastX + 1);
    }
    if (suffixText !== "" && suffixText.replace(/\/+$/, "").includes("/"))
      return fail(`mktemp: invalid suffix '${suffixText}', contains directory separator\n`);
    const body = template.slice(0, template.length - suffixText.length);
    const xCount = /X*$/.exec(body)?.[0].length ?? 0;
    if (xCount < 3) return fail(`mktemp: too few X's in template '${template}'\n`);
    const env = ctx.env.get("TMPDIR");
    if (useDest) {
      let dir: string;
      if (oldT) {
        dir = env ? env : destArg ? destArg : "/tmp";
        if (template.includes("/"))
          return fail(`mktemp: invalid template, '${template}', contains directory separator\n`);
      } else {
        dir = destArg ? destArg : env ? env : "/tmp";
        if (template.startsWith("/"))
          return fail(`mktemp: invalid template, '${template}'; with --tmpdir, it may not be absolute\n`);
      }
      template = dir.endsWith("/") ? `${dir}${template}` : `${dir}/${template}`;
    }
    const stem = template.slice(0, template.length - suffixText.length - xCount);
    const what = directory ? "directory" : "file";
    for (let attempt = 0; attempt < 100; attempt++) {
      const name = `${stem}${randomLetters(xCount)}${suffixText}`;
      const path = ctx.fs.resolvePath(ctx.cwd, name);
      const parent = path.slice(0, path.lastIndexOf("/")) || "/";
      let parentOk = false;
      try {
        parentOk = (await ctx.fs.stat(parent)).isDirectory;
      } catch {
        parentOk = false;
      }
      if (!parentOk) {
        return quiet
          ? { stdout: "", stderr: "", exitCode: 1 }
          : fail(`mktemp: failed to create ${what} via template '${template}': No such file or directory\n`);
      }
      if (await ctx.fs.exists(path)) continue;
      if (!dryRun) {
        if (directory) {
          await ctx.fs.mkdir(path);
          await ctx.fs.chmod?.(path, 0o700);
        } else {
          await ctx.fs.writeFile(path, "");
          await ctx.fs.chmod?.(path, 0o600);
        }
      }
      return { stdout: `${name}\n`, stderr: "", exitCode: 0 };
    }
    return quiet
      ? { stdout: "", stderr: "", exitCode: 1 }
      : fail(`mktemp: failed to create ${what} via template '${template}': File exists\n`);
  });
}
