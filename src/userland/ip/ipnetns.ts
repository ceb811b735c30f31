// ip/ipnetns.c: `ip netns add|delete|list|list-id|set|identify|pids|exec`, and lib/namespace.c's netns_switch for `ip -n`.
import type { NsFd } from "../../kernel/syscalls.js";
import * as sys from "../../kernel/syscalls.js";
import { type ProgramResult, uint8FromLatin1 } from "../program.js";
import {
  asKernelError,
  eprint,
  getInteger,
  getNameFromNsid,
  getNetnsidFromName,
  getUnsigned,
  type IpContext,
  IpExit,
  incompleteCommand,
  invarg,
  matches,
  netnsMapInit,
  strerror,
  talk,
  talkError,
} from "./utils.js";

const NETNS_RUN_DIR = "/run/netns";

const NETNS_USAGE = `Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
`;

/** netns_switch(): `ip -n NAME` and `ip netns exec NAME` enter the namespace or fail with -1. */
export function netnsSwitch(ctx: IpContext, name: string): boolean {
  let fd: NsFd;
  try {
    fd = sys.netnsOpen(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    // A plain file opens; setns refuses it.
    if (ke.errno === "EINVAL")
      eprint(ctx, `setting the network namespace "${name}" failed: ${strerror("EINVAL")}\n`);
    else eprint(ctx, `Cannot open network namespace "${name}": ${strerror(ke.errno)}\n`);
    return false;
  }
  try {
    const child = sys.setns(ctx.task, fd);
    if (ctx.task !== ctx.proc.task) sys.taskExit(ctx.task);
    ctx.task = child;
    ctx.links = undefined;
    return true;
  } catch (e) {
    const ke = asKernelError(e);
    eprint(ctx, `setting the network namespace "${name}" failed: ${strerror(ke.errno)}\n`);
    return false;
  }
}

function invalidName(name: string): boolean {
  return name === "" || Buffer.byteLength(name) > 255 || name.includes("/") || name === "." || name === "..";
}

function netnsListCmd(ctx: IpContext): number {
  // do_netns runs netns_map_init before listing, asking each entry its nsid once already.
  ctx.nsidNames = netnsMapInit(ctx);
  const out = ctx.out;
  out.newJsonObj();
  for (const name of sys.netnsList(ctx.task)) {
    out.openObject();
    out.any("name", name, name);
    const id = getNetnsidFromName(ctx, name);
    if (id >= 0) out.any("id", ` (id: ${id})`, id);
    out.fp("\n");
    out.closeObject();
  }
  out.deleteJsonObj();
  return 0;
}

/** netns_list_id(): the nsids this namespace (or, with target-nsid, another) has given. */
function netnsListIdCmd(ctx: IpContext, argv: readonly string[]): number {
  let targetNsid: number | undefined;
  let nsid: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = argv[i + 1];
    if (arg === "target-nsid" || arg === "nsid") {
      if (value === undefined) incompleteCommand(ctx);
      const n = getUnsigned(value);
      if (n === undefined) invarg(ctx, `"${arg}" value is invalid`, value);
      if (arg === "nsid") nsid = n;
      else targetNsid = n;
      i++;
    } else {
      eprint(ctx, NETNS_USAGE);
      throw new IpExit(-1);
    }
  }
  ctx.nsidNames = netnsMapInit(ctx);
  let ids: ReturnType<typeof sys.rtnlDumpNsid>;
  try {
    ids = sys.rtnlDumpNsid(ctx.task, { targetNsid, nsid });
  } catch (e) {
    talkError(ctx, e);
    eprint(ctx, "Dump terminated\n");
    return -1;
  }
  const out = ctx.out;
  out.newJsonObj();
  for (const id of ids) {
    // print_nsid(): the name is looked up by the id the current namespace uses.
    out.openObject();
    out.any("nsid", `nsid ${id.nsid} `, id.nsid);
    if (id.currentNsid !== undefined)
      out.any("current-nsid", `current-nsid ${id.currentNsid} `, id.currentNsid);
    const name = getNameFromNsid(ctx, id.currentNsid ?? id.nsid);
    if (name !== undefined) out.any("name", `(iproute2 netns name: ${name})`, name);
    out.fp("\n");
    out.closeObject();
  }
  out.deleteJsonObj();
  return 0;
}

/** netns_identify(): the name under /run/netns of a process's namespace (this one's by default). */
function netnsIdentifyCmd(ctx: IpContext, argv: readonly string[]): number {
  if (argv.length > 1) {
    eprint(ctx, "extra arguments specified\n");
    return -1;
  }
  const pidstr = argv[0];
  if (pidstr !== undefined && !/^[0-9]+$/.test(pidstr)) {
    eprint(ctx, `Specified string '${pidstr}' is not a pid\n`);
    return -1;
  }
  let self: NsFd;
  try {
    self = pidstr === undefined ? sys.netnsSelf(ctx.task) : sys.netnsOpenPid(ctx.task, Number(pidstr));
  } catch {
    eprint(ctx, "Cannot open network namespace: No such file or directory\n");
    return -1;
  }
  // netns_identify_pid keeps the last name in readdir order that matches.
  const name = sys
    .netnsList(ctx.task)
    .filter((n) => {
      try {
        return sys.netnsSame(sys.netnsOpen(ctx.task, n), self);
      } catch {
        // An entry that does not open, or is no namespace file, matches nothing.
        return false;
      }
    })
    .at(-1);
  ctx.out.text += `${name ?? ""}\n`;
  return 0;
}

/**
 * netns_pids(): the processes inside NAME, by pid as /proc lists them: the script's background
 * jobs (netnest names no other process by pid), each where the program it runs now is.
 */
function netnsPidsCmd(ctx: IpContext, argv: readonly string[]): number {
  const name = argv[0];
  if (name === undefined) {
    eprint(ctx, "No netns name specified\n");
    return -1;
  }
  if (argv.length > 1) {
    eprint(ctx, "extra arguments specified\n");
    return -1;
  }
  let fd: NsFd;
  try {
    fd = sys.netnsOpen(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    eprint(ctx, `Cannot open network namespace: ${strerror(ke.errno)}\n`);
    return -1;
  }
  for (const pid of sys.netnsPids(ctx.task, fd)) ctx.out.text += `${pid}\n`;
  return 0;
}

/**
 * netns_add(create = false): `ip netns attach NAME PID` names the namespace of a process: the
 * file under /run/netns, then a bind mount of /proc/PID/ns/net onto it.
 */
function netnsAttachCmd(ctx: IpContext, argv: readonly string[]): number {
  const [name, pidText] = argv;
  if (name === undefined || pidText === undefined) {
    eprint(ctx, "No netns name and PID specified\n");
    return -1;
  }
  // get_s32(&pid, argv[1], 0) || !pid
  const pid = /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(pidText) ? Number(pidText) : Number.NaN;
  if (!Number.isInteger(pid) || pid === 0 || pid > 0x7fffffff || pid < -0x80000000) {
    eprint(ctx, `Invalid PID: ${pidText}\n`);
    return -1;
  }
  try {
    sys.netnsAttach(ctx.task, name, pid);
  } catch (e) {
    const ke = asKernelError(e);
    if (ke.errno === "EEXIST")
      eprint(ctx, `Cannot create namespace file "${NETNS_RUN_DIR}/${name}": File exists\n`);
    else eprint(ctx, `Bind /proc/${pid}/ns/net -> ${NETNS_RUN_DIR}/${name} failed: ${strerror(ke.errno)}\n`);
    return -1;
  }
  return 0;
}

function netnsAddCmd(ctx: IpContext, argv: readonly string[]): number {
  const name = argv[0];
  if (name === undefined) {
    eprint(ctx, "No netns name specified\n");
    return -1;
  }
  try {
    sys.netnsRunDirMount(ctx.task);
  } catch (e) {
    eprint(ctx, `mount --make-shared ${NETNS_RUN_DIR} failed: ${strerror(asKernelError(e).errno)}\n`);
    return -1;
  }
  try {
    sys.netnsAdd(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    // The file is created first (EEXIST); unshare(CLONE_NEWNET) failing removes it again.
    if (ke.errno === "EEXIST")
      eprint(ctx, `Cannot create namespace file "${NETNS_RUN_DIR}/${name}": ${strerror(ke.errno)}\n`);
    else eprint(ctx, `Failed to create a new network namespace "${name}": ${strerror(ke.errno)}\n`);
    return -1;
  }
  return 0;
}

function netnsDeleteCmd(ctx: IpContext, argv: readonly string[]): number {
  const name = argv[0];
  if (name === undefined && !ctx.doAll) {
    eprint(ctx, "No netns name specified\n");
    return -1;
  }
  // netns_foreach: every name in readdir order; a failure ends the walk, status 0 all the same.
  if (ctx.doAll) {
    for (const each of sys.netnsList(ctx.task)) if (onNetnsDel(ctx, each) !== 0) break;
    return 0;
  }
  return onNetnsDel(ctx, name as string);
}

function onNetnsDel(ctx: IpContext, name: string): number {
  try {
    sys.netnsDel(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    eprint(ctx, `Cannot remove namespace file "${NETNS_RUN_DIR}/${name}": ${strerror(ke.errno)}\n`);
    return -1;
  }
  return 0;
}

/** netns_set(): RTM_NEWNSID for /run/netns/NAME; "auto" lets the kernel choose. */
function netnsSetCmd(ctx: IpContext, argv: readonly string[]): number {
  const [name, id] = argv;
  if (name === undefined) {
    eprint(ctx, "No netns name specified\n");
    return -1;
  }
  if (id === undefined) {
    eprint(ctx, "No nsid specified\n");
    return -1;
  }
  let nsid = -1;
  if (id !== "auto") {
    const n = getInteger(id);
    if (n === undefined) invarg(ctx, 'Invalid "netnsid" value', id);
    if (n < 0) invarg(ctx, '"netnsid" value should be >= 0', id);
    nsid = n;
  }
  let fd: NsFd;
  try {
    fd = sys.netnsOpen(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    eprint(ctx, `Cannot open network namespace "${name}": ${strerror(ke.errno)}\n`);
    return -1;
  }
  if (!talk(ctx, () => sys.rtnlNewNsid(ctx.task, fd, nsid))) return -2;
  return 0;
}

/** netns_exec(): setns, then exec the command; ip's status is the child's. */
async function netnsExecCmd(ctx: IpContext, argv: readonly string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined && !ctx.doAll) {
    eprint(ctx, "No netns name specified\n");
    return -1;
  }
  if (ctx.doAll) {
    if (argv.length === 0) {
      eprint(ctx, "No command specified\n");
      return -1;
    }
    // on_netns_exec for each name: a heading, then the command there; its status is not kept.
    for (const each of sys.netnsList(ctx.task)) {
      ctx.out.text += `\nnetns: ${each}\n`;
      ctx.proc.write(1, ctx.out.text);
      ctx.out.text = "";
      await execIn(ctx, each, argv);
      ctx.proc.write(1, ctx.out.text);
      ctx.out.text = "";
      ctx.proc.write(2, ctx.err);
      ctx.err = "";
    }
    return 0;
  }
  const cmd = argv.slice(1);
  if (cmd.length === 0) {
    eprint(ctx, "No command specified\n");
    return -1;
  }
  return execIn(ctx, name as string, cmd);
}

/** cmd_exec with do_switch: the command run in namespace `name`; -status, or -1 when it could not run. */
async function execIn(ctx: IpContext, name: string, cmd: readonly string[]): Promise<number> {
  // cmd_exec() returns -1 when the setup fails, which do_cmd() turns into exit status 255.
  if (!netnsSwitch(ctx, name)) return 1;
  const child: ProgramResult = await ctx.proc.spawn(cmd, ctx.task);
  if (child.stdoutKind === "bytes" && ctx.proc.writeBytes) {
    // The command wrote bytes (a socket's payload, say): they pass unchanged, after what ip printed.
    ctx.proc.write(1, ctx.out.text);
    ctx.out.text = "";
    ctx.proc.writeBytes(1, uint8FromLatin1(child.stdout));
  } else ctx.out.text += child.stdout;
  // execvp() failing is the shell's "command not found" for the command itself, and nothing else.
  if (
    child.exitCode === 127 &&
    child.stdout === "" &&
    child.stderr === `bash: ${cmd[0]}: command not found\n`
  ) {
    eprint(ctx, `exec of "${cmd[0]}" failed: No such file or directory\n`);
    return -1;
  }
  ctx.err += child.stderr;
  return -child.exitCode;
}

/** do_netns() */
export async function doNetns(ctx: IpContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === undefined) return netnsListCmd(ctx);
  const arg1 = argv[1];
  if (arg1 !== undefined && invalidName(arg1)) {
    eprint(ctx, `Invalid netns name "${arg1}"\n`);
    throw new IpExit(-1);
  }
  const rest = argv.slice(1);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return netnsListCmd(ctx);
  if (matches(cmd, "list-id")) return netnsListIdCmd(ctx, rest);
  if (matches(cmd, "help")) {
    eprint(ctx, NETNS_USAGE);
    throw new IpExit(-1);
  }
  if (matches(cmd, "add")) return netnsAddCmd(ctx, rest);
  if (matches(cmd, "attach")) return netnsAttachCmd(ctx, rest);
  if (matches(cmd, "set")) return netnsSetCmd(ctx, rest);
  if (matches(cmd, "delete")) return netnsDeleteCmd(ctx, rest);
  if (matches(cmd, "identify")) return netnsIdentifyCmd(ctx, rest);
  if (matches(cmd, "pids")) return netnsPidsCmd(ctx, rest);
  if (matches(cmd, "exec")) return netnsExecCmd(ctx, rest);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip netns help".\n`);
  throw new IpExit(-1);
}
