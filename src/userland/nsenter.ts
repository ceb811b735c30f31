// nsenter(1) from util-linux 2.38.1: run a program in the namespaces of a file or a process.
// The network namespace is the kernel's (open + setns(2) in a new task). The other namespace types
// are opened as the tool does (so permissions show) and otherwise have no effect here: netnest
// models only the network. Only PID 1 exists (see netnsOpenPid).
import * as sys from "../kernel/syscalls.js";
import { asKernelError, strerror } from "./ip/utils.js";
import type { Proc, ProgramResult } from "./program.js";
import { errx, execCommand, getoptLong, type HasArg, type LongOption, tryHelp } from "./util_linux.js";

const USAGE = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -S, --setuid <uid>     set uid in entered namespace
 -G, --setgid <gid>     set gid in entered namespace
     --preserve-credentials do not touch uids or gids
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -W. --wdns <dir>       set the working directory in namespace
 -F, --no-fork          do not fork before exec'ing <program>
 -Z, --follow-context   set SELinux context according to --target PID

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

/** optstring "+ahVt:m::u::i::n::p::C::U::T::S:G:r::w::W:FZ" */
const SHORTS: Readonly<Record<string, HasArg>> = {
  a: "none",
  h: "none",
  V: "none",
  t: "required",
  m: "optional",
  u: "optional",
  i: "optional",
  n: "optional",
  p: "optional",
  C: "optional",
  U: "optional",
  T: "optional",
  S: "required",
  G: "required",
  r: "optional",
  w: "optional",
  W: "required",
  F: "none",
  Z: "none",
};

const LONGS: readonly LongOption[] = [
  { name: "all", hasArg: "none", key: "a" },
  { name: "help", hasArg: "none", key: "h" },
  { name: "version", hasArg: "none", key: "V" },
  { name: "target", hasArg: "required", key: "t" },
  { name: "mount", hasArg: "optional", key: "m" },
  { name: "uts", hasArg: "optional", key: "u" },
  { name: "ipc", hasArg: "optional", key: "i" },
  { name: "net", hasArg: "optional", key: "n" },
  { name: "pid", hasArg: "optional", key: "p" },
  { name: "user", hasArg: "optional", key: "U" },
  { name: "cgroup", hasArg: "optional", key: "C" },
  { name: "time", hasArg: "optional", key: "T" },
  { name: "setuid", hasArg: "required", key: "S" },
  { name: "setgid", hasArg: "required", key: "G" },
  { name: "root", hasArg: "optional", key: "r" },
  { name: "wd", hasArg: "optional", key: "w" },
  { name: "wdns", hasArg: "optional", key: "W" },
  { name: "no-fork", hasArg: "none", key: "F" },
  { name: "preserve-credentials", hasArg: "none", key: "preserve-credentials" },
  { name: "user-parent", hasArg: "none", key: "user-parent" },
  { name: "follow-context", hasArg: "none", key: "Z" },
];

/** namespace_files[], in the order nsenter opens and enters them. */
const NAMESPACES: readonly (readonly [key: string, file: string])[] = [
  ["U", "ns/user"],
  ["C", "ns/cgroup"],
  ["i", "ns/ipc"],
  ["u", "ns/uts"],
  ["n", "ns/net"],
  ["p", "ns/pid"],
  ["m", "ns/mnt"],
  ["T", "ns/time"],
];

class Failure {
  constructor(readonly result: ProgramResult) {}
}

function fail(message: string): never {
  throw new Failure(errx("nsenter", message));
}

/**
 * open(path): the network namespace a path names. /run/netns/NAME is `ip netns add`'s bind mount,
 * /proc/self/ns/net the caller's, /proc/PID/ns/net a process's; any other file that exists opens
 * but is no namespace (setns says EINVAL), so it comes back as undefined.
 */
async function openNetns(proc: Proc, path: string): Promise<sys.NsFd | undefined> {
  const netns = /^\/(?:var\/)?run\/netns\/([^/]+)$/.exec(path);
  const pid = /^\/proc\/(self|thread-self|[0-9]+)\/ns\/net$/.exec(path);
  try {
    if (netns) return sys.netnsOpen(proc.task, netns[1] as string);
    if (pid?.[1] === "self" || pid?.[1] === "thread-self") return sys.netnsSelf(proc.task);
    if (pid) return sys.netnsOpenPid(proc.task, Number(pid[1]));
  } catch (e) {
    const errno = asKernelError(e).errno;
    fail(`cannot open ${path}: ${strerror(errno === "ESRCH" ? "ENOENT" : errno)}`);
  }
  try {
    await proc.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "EISDIR") fail(`cannot open ${path}: ${strerror((code ?? "ENOENT") as sys.Errno)}`);
  }
  return undefined;
}

/** open("/proc/PID/TYPE") for a namespace netnest does not model: only whether it opens. */
function openOther(proc: Proc, pid: number, file: string): void {
  try {
    sys.netnsOpenPid(proc.task, pid);
  } catch (e) {
    const errno = asKernelError(e).errno;
    fail(`cannot open /proc/${pid}/${file}: ${strerror(errno === "ESRCH" ? "ENOENT" : errno)}`);
  }
}

export async function nsenter(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  try {
    return await run(argv, proc);
  } catch (e) {
    if (e instanceof Failure) return e.result;
    throw e;
  }
}

async function run(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const parsed = getoptLong("nsenter", argv, SHORTS, LONGS);
  if (parsed.kind === "error") return tryHelp("nsenter", parsed.message);
  let targetPid: number | undefined;
  const wanted = new Set<string>();
  // undefined: a file that opened but is no network namespace.
  let netFd: sys.NsFd | undefined;
  let netFromFile = false;
  for (const opt of parsed.options) {
    switch (opt.key) {
      case "h":
        return { stdout: USAGE, stderr: "", exitCode: 0 };
      case "V":
        return { stdout: "nsenter from util-linux 2.38.1\n", stderr: "", exitCode: 0 };
      case "t": {
        const arg = opt.arg ?? "";
        if (!/^[0-9]+$/.test(arg)) fail(`failed to parse pid: '${arg}'`);
        targetPid = Number(arg);
        break;
      }
      case "a":
        for (const [key] of NAMESPACES) wanted.add(key);
        break;
      case "n":
        if (opt.arg === undefined) wanted.add("n");
        else {
          netFd = await openNetns(proc, opt.arg);
          netFromFile = true;
        }
        break;
      case "U":
      case "C":
      case "i":
      case "u":
      case "p":
      case "m":
      case "T":
        if (opt.arg !== undefined)
          fail(`-${opt.key}FILE: entering a namespace by file is emulated for -n only`);
        wanted.add(opt.key);
        break;
      case "F":
      case "Z":
      case "preserve-credentials":
        break;
      default:
        fail(`${opt.key.length === 1 ? `-${opt.key}` : `--${opt.key}`} is not emulated by netnest`);
    }
  }
  for (const [key, file] of NAMESPACES) {
    if (!wanted.has(key)) continue;
    if (targetPid === undefined) fail(`neither filename nor target pid supplied for ${file}`);
    if (key !== "n") {
      openOther(proc, targetPid, file);
      continue;
    }
    try {
      netFd = sys.netnsOpenPid(proc.task, targetPid);
      netFromFile = true;
    } catch (e) {
      const errno = asKernelError(e).errno;
      fail(`cannot open /proc/${targetPid}/${file}: ${strerror(errno === "ESRCH" ? "ENOENT" : errno)}`);
    }
  }
  let child = proc.task;
  if (netFromFile) {
    if (!netFd) fail(`reassociate to namespace 'ns/net' failed: ${strerror("EINVAL")}`);
    try {
      child = sys.setns(proc.task, netFd);
    } catch (e) {
      fail(`reassociate to namespace 'ns/net' failed: ${strerror(asKernelError(e).errno)}`);
    }
  }
  try {
    return await execCommand("nsenter", proc, parsed.operands, child);
  } finally {
    if (child !== proc.task) sys.taskExit(child);
  }
}
