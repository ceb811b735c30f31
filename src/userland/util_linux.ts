// What util-linux 2.38.1's namespace tools share: glibc's getopt_long (with "+": options end at
// the first operand), errtryhelp, and running the command at the end (execvp, or the shell).
import type { Proc, ProgramResult } from "./program.js";

export type HasArg = "none" | "required" | "optional";

export interface LongOption {
  readonly name: string;
  readonly hasArg: HasArg;
  /** The short option it stands for, or a name of its own. */
  readonly key: string;
}

export interface ParsedOption {
  readonly key: string;
  readonly arg: string | undefined;
}

export type GetoptResult =
  | { readonly kind: "ok"; readonly options: readonly ParsedOption[]; readonly operands: readonly string[] }
  | { readonly kind: "error"; readonly message: string };

/**
 * getopt_long with a "+" optstring: `shorts` maps each short option to how it takes an argument.
 * Long options may be abbreviated to a unique prefix (or a prefix all of whose matches agree).
 */
export function getoptLong(
  prog: string,
  argv: readonly string[],
  shorts: Readonly<Record<string, HasArg>>,
  longs: readonly LongOption[],
): GetoptResult {
  const options: ParsedOption[] = [];
  let i = 1;
  const fail = (message: string): GetoptResult => ({ kind: "error", message: `${prog}: ${message}\n` });
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      i++;
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const exact = longs.find((o) => o.name === name);
      const candidates = exact ? [exact] : longs.filter((o) => o.name.startsWith(name));
      const first = candidates[0];
      if (!first) return fail(`unrecognized option '${eq < 0 ? arg : arg.slice(0, eq)}'`);
      if (candidates.some((o) => o.key !== first.key || o.hasArg !== first.hasArg)) {
        const list = candidates.map((o) => `'--${o.name}'`).join(" ");
        return fail(`option '${eq < 0 ? arg : arg.slice(0, eq)}' is ambiguous; possibilities: ${list}`);
      }
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (first.hasArg === "none" && value !== undefined)
        return fail(`option '--${first.name}' doesn't allow an argument`);
      if (first.hasArg === "required" && value === undefined) {
        if (i + 1 >= argv.length) return fail(`option '--${first.name}' requires an argument`);
        value = argv[++i];
      }
      options.push({ key: first.key, arg: value });
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j] as string;
        const hasArg = shorts[c];
        if (hasArg === undefined) return fail(`invalid option -- '${c}'`);
        if (hasArg === "none") {
          options.push({ key: c, arg: undefined });
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== "") options.push({ key: c, arg: rest });
        else if (hasArg === "optional") options.push({ key: c, arg: undefined });
        else {
          if (i + 1 >= argv.length) return fail(`option requires an argument -- '${c}'`);
          options.push({ key: c, arg: argv[++i] });
        }
        break;
      }
      continue;
    }
    break;
  }
  return { kind: "ok", options, operands: argv.slice(i) };
}

/** errtryhelp(EXIT_FAILURE) after getopt's own message. */
export function tryHelp(prog: string, message: string): ProgramResult {
  return { stdout: "", stderr: `${message}Try '${prog} --help' for more information.\n`, exitCode: 1 };
}

export function errx(prog: string, message: string, exitCode = 1): ProgramResult {
  return { stdout: "", stderr: `${prog}: ${message}\n`, exitCode };
}

/**
 * execvp of the command, or exec_shell() ($SHELL, else /bin/sh) without one. An exec that fails
 * is `PROG: failed to execute CMD: No such file or directory` and status 127 (EX_EXEC_ENOENT).
 */
export async function execCommand(
  prog: string,
  proc: Proc,
  argv: readonly string[],
  task: Proc["task"],
): Promise<ProgramResult> {
  const cmd = argv.length > 0 ? argv : [proc.env.SHELL ?? "/bin/sh"];
  const child = await proc.spawn(cmd, task);
  if (
    child.exitCode === 127 &&
    child.stdout === "" &&
    child.stderr === `bash: ${cmd[0]}: command not found\n`
  )
    return errx(prog, `failed to execute ${cmd[0]}: No such file or directory`, 127);
  return child;
}
