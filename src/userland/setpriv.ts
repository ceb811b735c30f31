// setpriv(1) from util-linux 2.38.1, the part scripts use to drop root: --reuid/--regid with a
// supplementary-groups choice, then exec. The uid and gid reach the kernel model; supplementary
// groups do not (credentials carry none), but the group options are checked as setpriv checks them.
import * as sys from "../kernel/syscalls.js";
import { asKernelError, strerror } from "./ip/utils.js";
import { getgrnam, getpwnam } from "./passwd.js";
import type { Proc, ProgramResult } from "./program.js";
import { errx, execCommand, getoptLong, type LongOption, tryHelp } from "./util_linux.js";

/** SETPRIV_EXIT_PRIVERR: what setpriv exits with when a credential change fails. */
const EXIT_PRIVERR = 127;

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

/** get_user / get_group: a number, else a name from /etc/passwd or /etc/group. */
function parseId(text: string, lookup: (name: string) => number | undefined): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  return lookup(text);
}

const userId = (name: string): number | undefined => getpwnam(name)?.uid;

export async function setpriv(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const parsed = getoptLong("setpriv", argv, { h: "none", V: "none" }, LONGS);
  if (parsed.kind === "error") return tryHelp("setpriv", parsed.message);
  let uid: number | undefined;
  let gid: number | undefined;
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
        const id = parseId(arg, userId);
        if (id === undefined) return errx("setpriv", `failed to parse ${opt.key}: '${arg}'`);
        uid = id;
        break;
      }
      case "rgid":
      case "egid":
      case "regid":
        gid = parseId(arg, getgrnam);
        if (gid === undefined) return errx("setpriv", `failed to parse ${opt.key}: '${arg}'`);
        break;
      default:
        groupsChoice = true;
    }
  }
  if (parsed.operands.length === 0) return errx("setpriv", "No program specified");
  if (gid !== undefined && !groupsChoice)
    return errx("setpriv", "--[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups");
  let child = proc.task;
  // do_setresgid before do_setresuid: once the uid is dropped the gid could not change.
  if (gid !== undefined) {
    try {
      child = sys.setresgid(proc.task, gid);
    } catch (e) {
      return errx("setpriv", `setresgid failed: ${strerror(asKernelError(e).errno)}`, EXIT_PRIVERR);
    }
  }
  if (uid !== undefined) {
    const from = child;
    try {
      child = sys.setresuid(from, uid);
    } catch (e) {
      if (from !== proc.task) sys.taskExit(from);
      return errx("setpriv", `setresuid failed: ${strerror(asKernelError(e).errno)}`, EXIT_PRIVERR);
    }
    if (from !== proc.task) sys.taskExit(from);
  }
  try {
    return await execCommand("setpriv", proc, parsed.operands, child);
  } finally {
    if (child !== proc.task) sys.taskExit(child);
  }
}
