// sysctl, as procps-ng 4.0.2 prints it: reads and writes /proc/sys through the kernel's sysctl
// calls for the caller's namespace.
import {
  KernelError,
  sysctlList,
  sysctlMode,
  sysctlRead,
  sysctlWrite,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "./ip/utils.js";
import type { Proc, ProgramResult } from "./program.js";

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

interface Flags {
  values: boolean;
  names: boolean;
  quiet: boolean;
  write: boolean;
  ignore: boolean;
  all: boolean;
  binary: boolean;
  /** --deprecated: list the keys procps calls deprecated too. */
  deprecated: boolean;
}

/** net.ipv4.ip_forward and net/ipv4/ip_forward both name /proc/sys/net/ipv4/ip_forward. */
function keyToPath(key: string): string {
  return key.includes("/") ? key.replace(/^\/+/, "") : key.replace(/\./g, "/");
}

function pathToKey(path: string): string {
  return path.replace(/\//g, ".");
}

export function sysctl(argv: readonly string[], proc: Proc): ProgramResult {
  const flags: Flags = {
    values: false,
    names: false,
    quiet: false,
    write: false,
    ignore: false,
    all: false,
    binary: false,
    deprecated: false,
  };
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--")) {
      const long: Record<string, keyof Flags> = {
        "--all": "all",
        "--values": "values",
        "--names": "names",
        "--quiet": "quiet",
        "--write": "write",
        "--ignore": "ignore",
        "--binary": "binary",
        "--deprecated": "deprecated",
      };
      const flag = long[arg];
      if (arg === "--help") return { stdout: USAGE, stderr: "", exitCode: 0 };
      if (!flag) return { stdout: "", stderr: `sysctl: unrecognized option '${arg}'\n${USAGE}`, exitCode: 1 };
      flags[flag] = true;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (const c of arg.slice(1)) {
        switch (c) {
          case "n":
            flags.values = true;
            break;
          case "N":
            flags.names = true;
            break;
          case "q":
            flags.quiet = true;
            break;
          case "w":
            flags.write = true;
            break;
          case "e":
            flags.ignore = true;
            break;
          case "b":
            flags.binary = true;
            break;
          case "a":
          case "A":
          case "X":
            flags.all = true;
            break;
          case "o":
          case "x":
            break;
          case "h":
          case "d":
            return { stdout: USAGE, stderr: "", exitCode: 0 };
          default:
            return { stdout: "", stderr: `sysctl: invalid option -- '${c}'\n${USAGE}`, exitCode: 1 };
        }
      }
      continue;
    }
    args.push(arg);
  }
  const out: string[] = [];
  const err: string[] = [];
  const task = proc.task;
  if (flags.all) {
    for (const path of sysctlList(task)) if (listed(path, flags)) printOne(task, path, flags, out, err);
    return { stdout: out.join(""), stderr: err.join(""), exitCode: 0 };
  }
  if (args.length === 0) {
    if (argv.length === 1) return { stdout: USAGE, stderr: "", exitCode: 1 };
    return {
      stdout: "",
      stderr: "sysctl: no variables specified\nTry `sysctl --help' for more information.\n",
      exitCode: 1,
    };
  }
  let status = 0;
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (flags.write || eq >= 0) {
      if (eq <= 0) {
        err.push("sysctl: command line(0): invalid syntax, continuing...\n");
        status = 1;
        continue;
      }
      const key = arg.slice(0, eq).trim();
      const value = arg.slice(eq + 1).trim();
      status = writeOne(task, key, value, flags, out, err) || status;
      continue;
    }
    status = readOne(task, arg.trim(), flags, out, err) || status;
  }
  return { stdout: out.join(""), stderr: err.join(""), exitCode: status };
}

/** procps' DEPRECATED[]: listings leave these out unless --deprecated; named alone they read. */
const DEPRECATED: ReadonlySet<string> = new Set(["base_reachable_time", "retrans_time"]);

function listed(path: string, flags: Flags): boolean {
  return flags.deprecated || !DEPRECATED.has(path.slice(path.lastIndexOf("/") + 1));
}

function printOne(task: Task, path: string, flags: Flags, out: string[], err: string[]): number {
  let value: string;
  try {
    value = sysctlRead(task, path);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    // A write-only entry (net.ipv4.route.flush) is skipped without a word, as procps does.
    if (e.errno === "EACCES") return 0;
    err.push(`sysctl: reading key "${pathToKey(path)}": ${strerror(e.errno)}\n`);
    return 1;
  }
  const text = value.endsWith("\n") ? value.slice(0, -1) : value;
  if (flags.names) out.push(`${pathToKey(path)}\n`);
  else if (flags.values) out.push(flags.binary ? text : `${text}\n`);
  else out.push(`${pathToKey(path)} = ${text}\n`);
  return 0;
}

function readOne(task: Task, key: string, flags: Flags, out: string[], err: string[]): number {
  const path = keyToPath(key);
  try {
    sysctlRead(task, path);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    if (e.errno === "EISDIR") {
      // A directory lists every entry beneath it.
      for (const p of sysctlList(task))
        if (p.startsWith(`${path}/`) && listed(p, flags)) printOne(task, p, flags, out, err);
      return 0;
    }
    if (e.errno === "ENOENT") {
      if (flags.ignore) return 0;
      err.push(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
      return 1;
    }
  }
  return printOne(task, path, flags, out, err);
}

function writeOne(
  task: Task,
  key: string,
  value: string,
  flags: Flags,
  out: string[],
  err: string[],
): number {
  const path = keyToPath(key);
  let mode: number;
  try {
    mode = sysctlMode(task, path);
  } catch (e) {
    if (!(e instanceof KernelError) || e.errno !== "ENOENT") throw e;
    if (flags.ignore) return 0;
    err.push(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
    return 1;
  }
  // WriteSetting stats the file first: without S_IWUSR it warns with the errno left over
  // (EINVAL on this system) and goes on as if the write had worked.
  if (!(mode & 0o200)) {
    err.push(`sysctl: setting key "${pathToKey(path)}": Invalid argument\n`);
    return 0;
  }
  try {
    sysctlWrite(task, path, value);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    // fprocopen failing with EACCES (the permission check of open) is worded apart from a
    // write that fails.
    if (e.errno === "EACCES") err.push(`sysctl: permission denied on key "${pathToKey(path)}"\n`);
    else err.push(`sysctl: setting key "${pathToKey(path)}": ${strerror(e.errno)}\n`);
    return 1;
  }
  if (flags.quiet) return 0;
  if (flags.values) out.push(`${value}\n`);
  else out.push(`${pathToKey(path)} = ${value}\n`);
  return 0;
}
