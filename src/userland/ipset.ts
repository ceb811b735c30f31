// ipset 7.17 (Debian 12): create/add/del/test/list/save/restore/flush/destroy/rename/swap for
// hash:ip, hash:net and hash:ip,port, with its list and save formats and its error texts
// (lib/errcode.c: the message depends on the command the kernel refused).

import {
  type IpSetAdtReq,
  type IpSetDump,
  IpSetError,
  ipsetAdt,
  ipsetCreate,
  ipsetDestroy,
  ipsetFlush,
  ipsetList,
  ipsetRename,
  ipsetSwap,
  KernelError,
  type Task,
} from "../kernel/syscalls.js";
import { formatIPv4, parseIPv4 as parseAddrText } from "../wire/addr.js";
import type { Proc, ProgramResult } from "./program.js";

const PREFIX = "ipset v7.17: ";

/** A syntax or usage problem: exit 2, with the help hint. */
class UsageError extends Error {}
/** An error of the command: exit 1. */
class CmdError extends Error {}

const COMMANDS: Readonly<Record<string, string>> = {
  create: "create",
  n: "create",
  "-N": "create",
  add: "add",
  "-A": "add",
  del: "del",
  "-D": "del",
  test: "test",
  "-T": "test",
  destroy: "destroy",
  x: "destroy",
  "-X": "destroy",
  list: "list",
  "-L": "list",
  save: "save",
  "-S": "save",
  restore: "restore",
  "-R": "restore",
  flush: "flush",
  "-F": "flush",
  rename: "rename",
  e: "rename",
  "-E": "rename",
  swap: "swap",
  w: "swap",
  "-W": "swap",
  version: "version",
  "-v": "version",
  "-V": "version",
};

/** lib/errcode.c: the kernel's error as the command's message. */
function errText(cmd: string, e: IpSetError | KernelError): string {
  const code = e instanceof IpSetError ? e.code : e.errno;
  switch (code) {
    case "ENOENT":
      return "The set with the given name does not exist";
    case "EEXIST":
      return "Set cannot be created: set with the same name already exists";
    case "IPSET_ERR_EXIST":
      return cmd === "del"
        ? "Element cannot be deleted from the set: it's not added"
        : "Element cannot be added to the set: it's already added";
    case "IPSET_ERR_BUSY":
      return "Set cannot be destroyed: it is in use by a kernel component";
    case "IPSET_ERR_REFERENCED":
      return "Set cannot be renamed: it is in use by a kernel component";
    case "IPSET_ERR_EXIST_SETNAME2":
      return cmd === "rename"
        ? "Set cannot be renamed: a set with the new name already exists"
        : "The second set with the given name does not exist";
    case "IPSET_ERR_TYPE_MISMATCH":
      return "The sets cannot be swapped: their type does not match";
    case "IPSET_ERR_HASH_FULL":
      return "Hash is full, cannot add more elements";
    case "IPSET_ERR_INVALID_CIDR":
      return "The value of the CIDR parameter of the IP address is invalid";
    case "IPSET_ERR_MAX_SETS":
      return "Kernel error received: maximal number of sets reached, cannot create more.";
    case "IPSET_ERR_TIMEOUT":
      return "Timeout cannot be used: set was created without timeout support";
    case "IPSET_ERR_COUNTER":
      return "Packet/byte counters cannot be used: set was created without counter support";
    case "IPSET_ERR_COMMENT":
      return "Comment cannot be used: set was created without comment support";
    case "EPERM":
      return "Kernel error received: Operation not permitted";
    default:
      return `Kernel error received: ${code}`;
  }
}

function parseIPv4(text: string): number {
  const a = /^\d{1,3}(\.\d{1,3}){3}$/.test(text) ? parseAddrText(text) : undefined;
  if (a === undefined)
    throw new CmdError(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
  return a >>> 0;
}

const formatIp = formatIPv4;

const PROTOS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, udplite: 136 };
const PROTO_NAMES: Readonly<Record<number, string>> = { 6: "tcp", 17: "udp", 132: "sctp", 136: "udplite" };

/** IP[/CIDR] or IP-IP into the request's address part. */
function parseAddr(text: string): Pick<IpSetAdtReq, "ip" | "ipTo" | "cidr"> {
  const dash = text.indexOf("-");
  if (dash > 0) return { ip: parseIPv4(text.slice(0, dash)), ipTo: parseIPv4(text.slice(dash + 1)) };
  const slash = text.indexOf("/");
  if (slash > 0) {
    const cidr = text.slice(slash + 1);
    if (!/^\d+$/.test(cidr) || Number(cidr) > 32)
      throw new CmdError(`Syntax error: '${cidr}' is out of range 0-32`);
    return { ip: parseIPv4(text.slice(0, slash)), cidr: Number(cidr) };
  }
  return { ip: parseIPv4(text) };
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new CmdError(`Syntax error: cannot parse '${text}' as a port`);
  return Number(text);
}

/** The element and its extensions, as ipset's parsers for the set's type read them. */
function parseElem(type: string, words: readonly string[]): Omit<IpSetAdtReq, "name"> {
  const [elem, ...rest] = words;
  if (elem === undefined) throw new UsageError("Missing mandatory argument: element");
  let req: Omit<IpSetAdtReq, "name">;
  if (type === "hash:ip,port") {
    const comma = elem.indexOf(",");
    if (comma < 0) throw new CmdError(`Syntax error: Second element is missing from ${elem}.`);
    let portText = elem.slice(comma + 1);
    let proto = 6;
    const colon = portText.indexOf(":");
    if (colon >= 0) {
      const name = portText.slice(0, colon);
      const p = PROTOS[name];
      if (p === undefined) throw new CmdError(`Syntax error: cannot parse '${name}' as a protocol`);
      proto = p;
      portText = portText.slice(colon + 1);
    }
    const dash = portText.indexOf("-");
    const port = parsePort(dash >= 0 ? portText.slice(0, dash) : portText);
    req = {
      ...parseAddr(elem.slice(0, comma)),
      proto,
      port,
      portTo: dash >= 0 ? parsePort(portText.slice(dash + 1)) : undefined,
    };
  } else req = parseAddr(elem);
  const ext: { timeout?: number; packets?: number; bytes?: number; comment?: string } = {};
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i] as string;
    const v = rest[i + 1];
    if (k === "timeout" || k === "packets" || k === "bytes") {
      if (v === undefined) throw new UsageError(`Missing mandatory argument of ${k}`);
      ext[k] = Number(v);
      i++;
    } else if (k === "comment") {
      if (v === undefined) throw new UsageError("Missing mandatory argument of comment");
      ext.comment = v;
      i++;
    } else throw new UsageError(`Unknown argument: \`${k}'`);
  }
  return { ...req, ext };
}

function elemText(type: string, m: IpSetDump["members"][number]): string {
  let s = formatIp(m.ip);
  if (type === "hash:net" && m.cidr < 32) s += `/${m.cidr}`;
  if (type === "hash:ip,port") s += `,${PROTO_NAMES[m.proto] ?? m.proto}:${m.port}`;
  if (m.timeout !== undefined) s += ` timeout ${m.timeout}`;
  if (m.packets !== undefined) s += ` packets ${m.packets} bytes ${m.bytes}`;
  if (m.comment !== undefined) s += ` comment "${m.comment}"`;
  return s;
}

function headerText(d: IpSetDump): string {
  let s = `family inet hashsize ${d.hashsize} maxelem ${d.maxelem}`;
  if (d.timeout !== undefined) s += ` timeout ${d.timeout}`;
  if (d.counters) s += " counters";
  if (d.comment) s += " comment";
  return `${s} bucketsize ${d.bucketsize} initval 0x${d.initval.toString(16).padStart(8, "0")}`;
}

function listText(sets: readonly IpSetDump[], mode: "plain" | "terse" | "names" | "save"): string {
  if (mode === "names") return sets.map((d) => `${d.name}\n`).join("");
  if (mode === "save")
    return sets
      .map(
        (d) =>
          `create ${d.name} ${d.type} ${headerText(d)}\n` +
          d.members.map((m) => `add ${d.name} ${elemText(d.type, m)}\n`).join(""),
      )
      .join("");
  return sets
    .map((d) => {
      let s = `Name: ${d.name}\nType: ${d.type}\nRevision: ${d.revision}\nHeader: ${headerText(d)}\n`;
      s += `Size in memory: ${d.memsize}\nReferences: ${d.references}\nNumber of entries: ${d.entries}\n`;
      if (mode === "plain") s += `Members:\n${d.members.map((m) => `${elemText(d.type, m)}\n`).join("")}`;
      return s;
    })
    .join("\n");
}

interface Opts {
  exist: boolean;
  output: "plain" | "save";
  names: boolean;
  terse: boolean;
}

/** One command with its arguments; the text it prints. */
function runCommand(
  task: Task,
  cmd: string,
  args: readonly string[],
  o: Opts,
): { out: string; err: string; rc: number } {
  const setName = (i: number) => {
    const n = args[i];
    if (n === undefined) throw new UsageError("Missing mandatory argument: setname");
    if (n.length > 31) throw new CmdError(`Syntax error: setname '${n}' is longer than 31 characters`);
    return n;
  };
  switch (cmd) {
    case "create": {
      const name = setName(0);
      const type = args[1];
      if (type === undefined) throw new UsageError("Missing mandatory argument: typename");
      if (!["hash:ip", "hash:net", "hash:ip,port"].includes(type))
        throw new CmdError(`Syntax error: typename '${type}' is unknown`);
      const req: { name: string; type: string; exist: boolean } & Record<string, unknown> = {
        name,
        type,
        exist: o.exist,
      };
      for (let i = 2; i < args.length; i++) {
        const k = args[i] as string;
        if (k === "counters" || k === "comment") req[k] = true;
        else if (k === "family") {
          if (args[i + 1] !== "inet") throw new CmdError(`Syntax error: unknown family '${args[i + 1]}'`);
          i++;
        } else if (k === "timeout" || k === "hashsize" || k === "maxelem" || k === "bucketsize") {
          const v = args[++i];
          if (v === undefined || !/^\d+$/.test(v))
            throw new CmdError(`Syntax error: cannot parse '${v}' as a number`);
          req[k] = Number(v);
        } else throw new UsageError(`Unknown argument: \`${k}'`);
      }
      ipsetCreate(task, req);
      return { out: "", err: "", rc: 0 };
    }
    case "add":
    case "del":
    case "test": {
      const name = setName(0);
      const sets = ipsetList(task, name, false);
      const type = (sets[0] as IpSetDump).type;
      const req = { name, exist: o.exist, ...parseElem(type, args.slice(1)) };
      const hit = ipsetAdt(task, cmd, req);
      if (cmd !== "test") return { out: "", err: "", rc: 0 };
      const elem = args[1] as string;
      return hit
        ? { out: "", err: `Warning: ${elem} is in set ${name}.\n`, rc: 0 }
        : { out: "", err: `${elem} is NOT in set ${name}.\n`, rc: 1 };
    }
    case "list":
    case "save": {
      const name = args[0];
      const sets = ipsetList(task, name, !(o.terse || o.names));
      const mode = o.names
        ? "names"
        : cmd === "save" || o.output === "save"
          ? "save"
          : o.terse
            ? "terse"
            : "plain";
      return { out: listText(sets, mode), err: "", rc: 0 };
    }
    case "flush":
      ipsetFlush(task, args[0]);
      return { out: "", err: "", rc: 0 };
    case "destroy":
      ipsetDestroy(task, args[0]);
      return { out: "", err: "", rc: 0 };
    case "rename":
      ipsetRename(task, setName(0), setName(1));
      return { out: "", err: "", rc: 0 };
    case "swap":
      ipsetSwap(task, setName(0), setName(1));
      return { out: "", err: "", rc: 0 };
    case "version":
      return { out: "ipset v7.17, protocol version: 7\n", err: "", rc: 0 };
    default:
      throw new UsageError(`No command specified: unknown argument ${cmd}`);
  }
}

/** Runs one command, turning its failure into ipset's message and status. */
function runOne(
  task: Task,
  words: readonly string[],
  o: Opts,
  line?: number,
): { out: string; err: string; rc: number } {
  const where = line === undefined ? "" : `Error in line ${line}: `;
  let cmd: string | undefined;
  const args: string[] = [];
  for (const w of words) {
    if (w === "-exist" || w === "--exist") o.exist = true;
    else if (w === "-o" || w === "-output") o.output = "save";
    else if (w === "save" && cmd !== undefined) continue;
    else if (w === "-n" || w === "-name") o.names = true;
    else if (w === "-t" || w === "-terse") o.terse = true;
    else if (w === "-q" || w === "-quiet") continue;
    else if (cmd === undefined) {
      cmd = COMMANDS[w];
      if (cmd === undefined) {
        return {
          out: "",
          err: `${PREFIX}No command specified: unknown argument ${w}\nTry \`ipset help' for more information.\n`,
          rc: 2,
        };
      }
    } else args.push(w);
  }
  if (cmd === undefined)
    return {
      out: "",
      err: `${PREFIX}No command specified.\nTry \`ipset help' for more information.\n`,
      rc: 2,
    };
  try {
    return runCommand(task, cmd, args, o);
  } catch (e) {
    if (e instanceof UsageError)
      return { out: "", err: `${PREFIX}${e.message}\nTry \`ipset help' for more information.\n`, rc: 2 };
    if (e instanceof CmdError) return { out: "", err: `${PREFIX}${where}${e.message}\n`, rc: 1 };
    if (e instanceof IpSetError || e instanceof KernelError)
      return { out: "", err: `${PREFIX}${where}${errText(cmd, e)}\n`, rc: 1 };
    throw e;
  }
}

/** Splits a restore line into words, keeping a double-quoted comment whole. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? (m[2] as string));
  return out;
}

export function ipset(argv: readonly string[], proc: Proc): ProgramResult {
  const o: Opts = { exist: false, output: "plain", names: false, terse: false };
  const rest = argv.slice(1);
  const restoreAt = rest.findIndex((w) => w === "restore" || w === "-R");
  if (restoreAt < 0) {
    const r = runOne(proc.task, rest, o);
    return { stdout: r.out, stderr: r.err, exitCode: r.rc };
  }
  for (const w of rest) if (w === "-exist") o.exist = true;
  let stdout = "";
  const lines = proc.stdin.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#") || line === "COMMIT") continue;
    const r = runOne(proc.task, words(line), { ...o }, i + 1);
    stdout += r.out;
    if (r.rc !== 0) return { stdout, stderr: r.err, exitCode: r.rc };
  }
  return { stdout, stderr: "", exitCode: 0 };
}
