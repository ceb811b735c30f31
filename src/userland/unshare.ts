// unshare(1) from util-linux 2.38.1: run a program with namespaces unshared from the caller's.
// Network and user namespaces are the kernel's (unshare(2) in a new task); mount, UTS, IPC, PID,
// cgroup and time namespaces are accepted and have no effect here, as netnest models only the
// network. A persistent namespace (--net=FILE) and the uid/gid maps beyond -r are not emulated.
import * as sys from "../kernel/syscalls.js";
import { asKernelError, strerror } from "./ip/utils.js";
import type { Proc, ProgramResult } from "./program.js";
import { errx, execCommand, getoptLong, type HasArg, type LongOption, tryHelp } from "./util_linux.js";

const USAGE = `
Usage:
 unshare [options] [<program> [<argument>...]]

Run a program with some namespaces unshared from the parent.

Options:
 -m, --mount[=<file>]      unshare mounts namespace
 -u, --uts[=<file>]        unshare UTS namespace (hostname etc)
 -i, --ipc[=<file>]        unshare System V IPC namespace
 -n, --net[=<file>]        unshare network namespace
 -p, --pid[=<file>]        unshare pid namespace
 -U, --user[=<file>]       unshare user namespace
 -C, --cgroup[=<file>]     unshare cgroup namespace
 -T, --time[=<file>]       unshare time namespace

 -f, --fork                fork before launching <program>
 --map-user=<uid>|<name>   map current user to uid (implies --user)
 --map-group=<gid>|<name>  map current group to gid (implies --user)
 -r, --map-root-user       map current user to root (implies --user)
 -c, --map-current-user    map current user to itself (implies --user)
 --map-auto                map users and groups automatically (implies --user)
 --map-users=<outeruid>,<inneruid>,<count>
                           map count users from outeruid to inneruid (implies --user)
 --map-groups=<outergid>,<innergid>,<count>
                           map count groups from outergid to innergid (implies --user)

 --kill-child[=<signame>]  when dying, kill the forked child (implies --fork)
                             defaults to SIGKILL
 --mount-proc[=<dir>]      mount proc filesystem first (implies --mount)
 --propagation slave|shared|private|unchanged
                           modify mount propagation in mount namespace
 --setgroups allow|deny    control the setgroups syscall in user namespaces
 --keep-caps               retain capabilities granted in user namespaces

 -R, --root=<dir>          run the command with root directory set to <dir>
 -w, --wd=<dir>            change working directory to <dir>
 -S, --setuid <uid>        set uid in entered namespace
 -G, --setgid <gid>        set gid in entered namespace
 --monotonic <offset>      set clock monotonic offset (seconds) in time namespaces
 --boottime <offset>       set clock boottime offset (seconds) in time namespaces

 -h, --help                display this help
 -V, --version             display version

For more details see unshare(1).
`;

/** optstring "+fhVmuinpCTUrR:w:S:G:c": in short form the namespace options take no file. */
const SHORTS: Readonly<Record<string, HasArg>> = {
  f: "none",
  h: "none",
  V: "none",
  m: "none",
  u: "none",
  i: "none",
  n: "none",
  p: "none",
  C: "none",
  T: "none",
  U: "none",
  r: "none",
  R: "required",
  w: "required",
  S: "required",
  G: "required",
  c: "none",
};

const LONGS: readonly LongOption[] = [
  { name: "help", hasArg: "none", key: "h" },
  { name: "version", hasArg: "none", key: "V" },
  { name: "mount", hasArg: "optional", key: "m" },
  { name: "uts", hasArg: "optional", key: "u" },
  { name: "ipc", hasArg: "optional", key: "i" },
  { name: "net", hasArg: "optional", key: "n" },
  { name: "pid", hasArg: "optional", key: "p" },
  { name: "user", hasArg: "optional", key: "U" },
  { name: "cgroup", hasArg: "optional", key: "C" },
  { name: "time", hasArg: "optional", key: "T" },
  { name: "fork", hasArg: "none", key: "f" },
  { name: "kill-child", hasArg: "optional", key: "kill-child" },
  { name: "mount-proc", hasArg: "optional", key: "mount-proc" },
  { name: "map-user", hasArg: "required", key: "map-user" },
  { name: "map-users", hasArg: "required", key: "map-users" },
  { name: "map-group", hasArg: "required", key: "map-group" },
  { name: "map-groups", hasArg: "required", key: "map-groups" },
  { name: "map-root-user", hasArg: "none", key: "r" },
  { name: "map-current-user", hasArg: "none", key: "c" },
  { name: "map-auto", hasArg: "none", key: "map-auto" },
  { name: "propagation", hasArg: "required", key: "propagation" },
  { name: "setgroups", hasArg: "required", key: "setgroups" },
  { name: "keep-caps", hasArg: "none", key: "keep-caps" },
  { name: "setuid", hasArg: "required", key: "S" },
  { name: "setgid", hasArg: "required", key: "G" },
  { name: "root", hasArg: "required", key: "R" },
  { name: "wd", hasArg: "required", key: "w" },
  { name: "monotonic", hasArg: "required", key: "monotonic" },
  { name: "boottime", hasArg: "required", key: "boottime" },
];

/** Options with no effect on what netnest models. */
const IGNORED = new Set([
  "f",
  "m",
  "u",
  "i",
  "p",
  "C",
  "T",
  "kill-child",
  "mount-proc",
  "propagation",
  "setgroups",
]);

function optionName(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

export async function unshare(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const parsed = getoptLong("unshare", argv, SHORTS, LONGS);
  if (parsed.kind === "error") return tryHelp("unshare", parsed.message);
  let newNet = false;
  let newUser = false;
  let mapRoot = false;
  for (const opt of parsed.options) {
    switch (opt.key) {
      case "h":
        return { stdout: USAGE, stderr: "", exitCode: 0 };
      case "V":
        return { stdout: "unshare from util-linux 2.38.1\n", stderr: "", exitCode: 0 };
      case "n":
        if (opt.arg !== undefined)
          return errx("unshare", "--net=FILE (a persistent namespace) is not emulated by netnest");
        newNet = true;
        break;
      case "U":
        if (opt.arg !== undefined)
          return errx("unshare", "--user=FILE (a persistent namespace) is not emulated by netnest");
        newUser = true;
        break;
      case "r":
        newUser = true;
        mapRoot = true;
        break;
      default:
        if (IGNORED.has(opt.key) && (opt.arg === undefined || opt.key.length > 1)) break;
        return errx(
          "unshare",
          `${optionName(opt.key)}${opt.arg !== undefined ? "=FILE" : ""} is not emulated by netnest`,
        );
    }
  }
  let child: sys.Task;
  try {
    child = sys.unshare(proc.task, { newUser, mapRoot, newNet });
  } catch (e) {
    return errx("unshare", `unshare failed: ${strerror(asKernelError(e).errno)}`);
  }
  try {
    return await execCommand("unshare", proc, parsed.operands, child);
  } finally {
    sys.taskExit(child);
  }
}
