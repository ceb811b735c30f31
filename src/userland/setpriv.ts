// setpriv(1) from util-linux 2.38.1, the part scripts use to drop root: --reuid/--regid with a
// supplementary-groups choice, then exec. Only the uid reaches the kernel model (credentials carry
// no gid here); the group options are checked as setpriv checks them.
import * as sys from "../kernel/syscalls.js";
import { asKernelError, strerror } from "./ip/utils.js";
import type { Proc, ProgramResult } from "./program.js";
import { errx, execCommand, getoptLong, type LongOption, tryHelp } from "./util_linux.js";

/** SETPRIV_EXIT_PRIVERR: what setpriv exits with when a credential change fails. */
const EXIT_PRIVERR = 127;

/** Debian 12's /etc/passwd and /etc/group, for the names scripts use. */
const USERS: Readonly<Record<string, number>> = {
  root: 0,
  daemon: 1,
  bin: 2,
  sys: 3,
  "www-data": 33,
  nobody: 65534,
};
const GROUPS: Readonly<Record<string, number>> = { root: 0, daemon: 1, users: 100, nogroup: 65534 };

const LONGS: readonly LongOption[] = [
  { name: "ruid", hasArg: "required", key: "ruid" },
  { name: "euid", hasArg: "required", key: "euid" },
  { name: "rgid", hasArg: "required", key: "rgid" },
  { name: "egid", hasArg: "required", key: "egid" },
  { name: "reuid", hasArg: "required", key: "reuid" },
  { name: "regid", hasArg: "required", key: "regid" },
  { name: "clear-groups", hasArg: "none", key: "clear-groups" },
  { name: "keep-groups", hasArg: "none", key: "keep-groups" },
  { name: "init-groups", hasArg: "none", key: "init-groups" },
  { name: "groups", hasArg: "required", key: "groups" },
  { name: "help", hasArg: "none", key: "h" },
  { name: "version", hasArg: "none", key: "V" },
];

function parseId(text: string, names: Readonly<Record<string, number>>): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  return names[text];
}

export async function setpriv(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const parsed = getoptLong("setpriv", argv, { h: "none", V: "none" }, LONGS);
  if (parsed.kind === "error") return tryHelp("setpriv", parsed.message);
  let uid: number | undefined;
  let gidSet = false;
  let groupsChoice = false;
  for (const opt of parsed.options) {
    const arg = opt.arg ?? "";
    switch (opt.key) {
      case "h":
      case "V":
        return { stdout: opt.key === "V" ? "setpriv from util-linux 2.38.1\n" : "", stderr: "", exitCode: 0 };
      case "ruid":
      case "euid":
      case "reuid": {
        const id = parseId(arg, USERS);
        if (id === undefined) return errx("setpriv", `failed to parse ${opt.key}: '${arg}'`);
        uid = id;
        break;
      }
      case "rgid":
      case "egid":
      case "regid":
        if (parseId(arg, GROUPS) === undefined)
          return errx("setpriv", `failed to parse ${opt.key}: '${arg}'`);
        gidSet = true;
        break;
      default:
        groupsChoice = true;
    }
  }
  if (parsed.operands.length === 0) return errx("setpriv", "No program specified");
  if (gidSet && !groupsChoice)
    return errx("setpriv", "--[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups");
  let child = proc.task;
  if (uid !== undefined) {
    try {
      child = sys.setresuid(proc.task, uid);
    } catch (e) {
      return errx("setpriv", `setresuid failed: ${strerror(asKernelError(e).errno)}`, EXIT_PRIVERR);
    }
  }
  try {
    return await execCommand("setpriv", proc, parsed.operands, child);
  } finally {
    if (child !== proc.task) sys.taskExit(child);
  }
}
