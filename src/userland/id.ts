// id(1) from GNU coreutils 9.1 (src/id.c), for the calling task's credentials or named users.
// The kernel model carries a uid only (Task.uid, seen through the task's user namespace as
// getuid(2) does): the gid and the group list are the user's primary group from Debian 12's
// /etc/passwd (base-passwd), and for a uid with no entry the number itself, as a user made by
// `setpriv --reuid=N --regid=N --clear-groups` has. An unmapped uid is 65534, nobody:nogroup.
import * as sys from "../kernel/syscalls.js";
import { GROUPS, PASSWD, type Passwd } from "./passwd.js";
import type { Proc, ProgramResult } from "./program.js";
import { getoptLong, type LongOption, tryHelp } from "./util_linux.js";

const LONGS: readonly LongOption[] = [
  { name: "context", hasArg: "none", key: "Z" },
  { name: "group", hasArg: "none", key: "g" },
  { name: "groups", hasArg: "none", key: "G" },
  { name: "name", hasArg: "none", key: "n" },
  { name: "real", hasArg: "none", key: "r" },
  { name: "user", hasArg: "none", key: "u" },
  { name: "zero", hasArg: "none", key: "z" },
  { name: "help", hasArg: "none", key: "help" },
  { name: "version", hasArg: "none", key: "version" },
];

const SHORTS = {
  a: "none",
  Z: "none",
  g: "none",
  G: "none",
  n: "none",
  r: "none",
  u: "none",
  z: "none",
} as const;

const HELP = `Usage: id [OPTION]... [USER]...
Print user and group information for each specified USER,
or (when USER omitted) for the current process.

  -a             ignore, for compatibility with other versions
  -Z, --context  print only the security context of the process
  -g, --group    print only the effective group ID
  -G, --groups   print all group IDs
  -n, --name     print a name instead of a number, for -ugG
  -r, --real     print the real ID instead of the effective ID, with -ugG
  -u, --user     print only the effective user ID
  -z, --zero     delimit entries with NUL characters, not whitespace;
                   not permitted in default format
      --help        display this help and exit
      --version     output version information and exit

Without any OPTION, print some useful set of identified information.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/id>
or available locally via: info '(coreutils) id invocation'
`;

const VERSION = `id (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Arnold Robbins and David MacKenzie.
`;

interface Ids {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
}

function die(message: string): ProgramResult {
  return { stdout: "", stderr: `id: ${message}\n`, exitCode: 1 };
}

/** parse_user_spec as id uses it: a name, else a number with a passwd entry. */
function lookupUser(spec: string): Passwd | undefined {
  return (
    PASSWD.find((p) => p.name === spec) ??
    (/^[0-9]+$/.test(spec) ? PASSWD.find((p) => p.uid === Number(spec)) : undefined)
  );
}

function idsOfUid(uid: number): Ids {
  const gid = PASSWD.find((p) => p.uid === uid)?.gid ?? uid;
  return { uid, gid, groups: [gid] };
}

export function id(argv: readonly string[], proc: Proc): ProgramResult {
  // glibc getopt_long permutes: options may follow the users.
  const options: string[] = [];
  const operands: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      i++;
      break;
    }
    if (arg.startsWith("-") && arg.length > 1) options.push(arg);
    else operands.push(arg);
  }
  operands.push(...argv.slice(i));
  const parsed = getoptLong("id", ["id", ...options], SHORTS, LONGS);
  if (parsed.kind === "error") return tryHelp("id", parsed.message);
  const flags = new Set<string>();
  for (const opt of parsed.options) {
    if (opt.key === "help") return { stdout: HELP, stderr: "", exitCode: 0 };
    if (opt.key === "version") return { stdout: VERSION, stderr: "", exitCode: 0 };
    if (opt.key === "Z") return die("--context (-Z) works only on an SELinux-enabled kernel");
    flags.add(opt.key);
  }
  const just = ["u", "g", "G"].filter((f) => flags.has(f));
  if (just.length > 1) return die('cannot print "only" of more than one choice');
  const [only] = just;
  if (only === undefined && (flags.has("r") || flags.has("n")))
    return die("cannot print only names or real IDs in default format");
  if (only === undefined && flags.has("z")) return die("option --zero not permitted in default format");

  let stdout = "";
  let stderr = "";
  let ok = true;
  const users: (Ids | undefined)[] = operands.length === 0 ? [idsOfUid(sys.getuid(proc.task))] : [];
  for (const spec of operands) {
    const pw = lookupUser(spec);
    if (!pw) {
      stderr += `id: '${spec}': no such user\n`;
      ok = false;
      users.push(undefined);
    } else users.push({ uid: pw.uid, gid: pw.gid, groups: [pw.gid] });
  }
  const name = flags.has("n");
  const end = flags.has("z") ? "\0" : "\n";
  const userName = (uid: number): string | undefined => PASSWD.find((p) => p.uid === uid)?.name;
  const printId = (n: number, lookup: string | undefined, what: "user" | "group"): string => {
    if (!name) return String(n);
    if (lookup !== undefined) return lookup;
    stderr += `id: cannot find name for ${what} ID ${n}\n`;
    ok = false;
    return String(n);
  };
  for (const ids of users) {
    if (!ids) continue;
    if (only === "u") stdout += printId(ids.uid, userName(ids.uid), "user") + end;
    else if (only === "g") stdout += printId(ids.gid, GROUPS.get(ids.gid), "group") + end;
    else if (only === "G") {
      const sep = flags.has("z") ? "\0" : " ";
      stdout += ids.groups.map((g) => printId(g, GROUPS.get(g), "group")).join(sep) + end;
    } else {
      const named = (n: number, s: string | undefined): string => (s === undefined ? `${n}` : `${n}(${s})`);
      const groups = ids.groups.map((g) => named(g, GROUPS.get(g))).join(",");
      stdout += `uid=${named(ids.uid, userName(ids.uid))} gid=${named(ids.gid, GROUPS.get(ids.gid))} groups=${groups}\n`;
    }
  }
  return { stdout, stderr, exitCode: ok ? 0 : 1 };
}
