// conntrack, as conntrack-tools 1.4.7 prints it: -L/-D/-F/-C on the caller's namespace through
// the ctnetlink calls, with its filters (-p, -s/-d/-r/-q, the port options of -p tcp|udp,
// --state, -m, -u, -n/-g/-j, -f) and its summary lines on stderr; -E prints the events as they
// come, until SIGINT or SIGTERM.
import { CT_GROUP_DESTROY, CT_GROUP_NEW, CT_GROUP_UPDATE } from "../kernel/netfilter/nf_conntrack_ecache.js";
import {
  type CtnlEntry,
  type CtnlEvent,
  ctnlCountConntrack,
  ctnlDelConntrack,
  ctnlEventClose,
  ctnlEventListen,
  ctnlEventRecv,
  ctnlFlushConntrack,
  ctnlGetConntrack,
  KernelError,
  SIGINT,
  SIGTERM,
  signalHandled,
  TaskKilled,
} from "../kernel/syscalls.js";
import { formatIPv4, parseIPv4 } from "../wire/addr.js";
import type { Proc, ProgramResult } from "./program.js";

const PROG = "conntrack v1.4.7 (conntrack-tools)";

const USAGE = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const TCP_STATES = [
  "NONE",
  "SYN_SENT",
  "SYN_RECV",
  "ESTABLISHED",
  "FIN_WAIT",
  "CLOSE_WAIT",
  "LAST_ACK",
  "TIME_WAIT",
  "CLOSE",
  "SYN_SENT2",
];

const STATUS_BITS: Readonly<Record<string, number>> = {
  EXPECTED: 1 << 0,
  SEEN_REPLY: 1 << 1,
  ASSURED: 1 << 2,
  CONFIRMED: 1 << 3,
  SRC_NAT: 1 << 4,
  DST_NAT: 1 << 5,
  SEQ_ADJUST: 1 << 6,
  SRC_NAT_DONE: 1 << 7,
  DST_NAT_DONE: 1 << 8,
  DYING: 1 << 9,
  FIXED_TIMEOUT: 1 << 10,
};

const PROTOS: Readonly<Record<string, number>> = {
  tcp: 6,
  udp: 17,
  icmp: 1,
  udplite: 136,
  sctp: 132,
  dccp: 33,
  gre: 47,
};

class Usage extends Error {}

interface Filter {
  proto?: number;
  origSrc?: number;
  origDst?: number;
  replSrc?: number;
  replDst?: number;
  origSport?: number;
  origDport?: number;
  replSport?: number;
  replDport?: number;
  state?: number;
  mark?: { value: number; mask: number };
  status?: number;
  srcNat?: number | null;
  dstNat?: number | null;
  anyNat?: number | null;
}

function protoName(p: number): string {
  return p === 6 ? "tcp" : p === 17 ? "udp" : p === 1 ? "icmp" : "unknown";
}

function tuple(proto: number, t: CtnlEntry["orig"]): string {
  let s = `src=${formatIPv4(t.src)} dst=${formatIPv4(t.dst)} `;
  if (proto === 6 || proto === 17) s += `sport=${t.sport} dport=${t.dport} `;
  else if (proto === 1) s += `type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport} `;
  return s;
}

/** nfct_snprintf's default format (and -o extended's layer-3 prefix), up to the flags. */
function ctHead(e: CtnlEntry, extended: boolean): string {
  let s = extended ? "ipv4     2 " : "";
  s += `${protoName(e.proto).padEnd(8)} ${e.proto} ${e.timeout} `;
  if (e.proto === 6) s += `${TCP_STATES[e.tcpState]} `;
  s += tuple(e.proto, e.orig);
  if (!(e.status & 2)) s += "[UNREPLIED] ";
  s += tuple(e.proto, e.reply);
  if (e.status & 4) s += "[ASSURED] ";
  return s;
}

/** A dumped connection: every attribute is there, the mark and use count too. */
export function ctLine(e: CtnlEntry, extended: boolean): string {
  return `${ctHead(e, extended)}mark=${e.mark} use=${e.use}`;
}

/**
 * An event: its type right-aligned in nine columns, then what the message carries (the mark only
 * when set or changed; no use count) and, for a deletion a process asked for, its netlink port.
 */
function eventLine(ev: CtnlEvent, extended: boolean): string {
  let s = `${`[${ev.type}]`.padStart(9)} ${ctHead(ev.entry, extended)}`;
  if (ev.markShown) s += `mark=${ev.entry.mark} `;
  if (ev.type === "DESTROY" && ev.portid !== 0) s += `[USERSPACE] portid=${ev.portid} `;
  return s.trimEnd();
}

/** parse_parameter(PARSE_EVENT): each word a case-insensitive prefix of ALL, NEW, UPDATES, DESTROY. */
function eventMask(text: string): number {
  let mask = 0;
  for (const w of text.split(",")) {
    const names: [string, number][] = [
      ["ALL", CT_GROUP_NEW | CT_GROUP_UPDATE | CT_GROUP_DESTROY],
      ["NEW", CT_GROUP_NEW],
      ["UPDATES", CT_GROUP_UPDATE],
      ["DESTROY", CT_GROUP_DESTROY],
    ];
    const hit = w === "" ? undefined : names.find(([n]) => n.startsWith(w.toUpperCase()));
    if (!hit) throw new Usage(`Bad parameter \`${w}'`);
    mask |= hit[1];
  }
  return mask;
}

function isSnat(e: CtnlEntry): boolean {
  return (
    (e.status & (STATUS_BITS.SRC_NAT_DONE as number)) !== 0 &&
    (e.orig.src !== e.reply.dst || e.orig.sport !== e.reply.dport)
  );
}

function isDnat(e: CtnlEntry): boolean {
  return (
    (e.status & (STATUS_BITS.DST_NAT_DONE as number)) !== 0 &&
    (e.orig.dst !== e.reply.src || e.orig.dport !== e.reply.sport)
  );
}

function matches(e: CtnlEntry, f: Filter): boolean {
  if (f.proto !== undefined && e.proto !== f.proto) return false;
  if (f.origSrc !== undefined && e.orig.src !== f.origSrc) return false;
  if (f.origDst !== undefined && e.orig.dst !== f.origDst) return false;
  if (f.replSrc !== undefined && e.reply.src !== f.replSrc) return false;
  if (f.replDst !== undefined && e.reply.dst !== f.replDst) return false;
  if (f.origSport !== undefined && e.orig.sport !== f.origSport) return false;
  if (f.origDport !== undefined && e.orig.dport !== f.origDport) return false;
  if (f.replSport !== undefined && e.reply.sport !== f.replSport) return false;
  if (f.replDport !== undefined && e.reply.dport !== f.replDport) return false;
  if (f.state !== undefined && (e.proto !== 6 || e.tcpState !== f.state)) return false;
  if (f.mark && (e.mark & f.mark.mask) >>> 0 !== f.mark.value) return false;
  if (f.status !== undefined && (e.status & f.status) !== f.status) return false;
  if (f.srcNat !== undefined || f.dstNat !== undefined || f.anyNat !== undefined) {
    // filter_nat: kept when one of the asked NAT kinds applies (to the given address, if any).
    let ok = false;
    const snat = (ip: number | null) => isSnat(e) && (ip === null || e.reply.dst === ip);
    const dnat = (ip: number | null) => isDnat(e) && (ip === null || e.reply.src === ip);
    if (f.srcNat !== undefined && snat(f.srcNat)) ok = true;
    if (f.dstNat !== undefined && dnat(f.dstNat)) ok = true;
    if (f.anyNat !== undefined && (snat(f.anyNat) || dnat(f.anyNat))) ok = true;
    if (!ok) return false;
  }
  return true;
}

export async function conntrack(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const fail = (msg: string): ProgramResult => ({
    stdout: "",
    stderr: `${PROG}: ${msg}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`,
    exitCode: 2,
  });
  let cmd: string | undefined;
  let extended = false;
  let events = CT_GROUP_NEW | CT_GROUP_UPDATE | CT_GROUP_DESTROY;
  let expect = false;
  const f: Filter = {};
  const args = argv.slice(1);
  if (args.length === 0) return { stdout: USAGE, stderr: "", exitCode: 0 };
  const ip = (t: string | undefined) => {
    const v = t === undefined ? undefined : parseIPv4(t);
    if (v === undefined) throw new Usage(`Invalid IP address \`${t ?? ""}'`);
    return v;
  };
  const port = (t: string | undefined) => {
    const n = t !== undefined && /^\d+$/.test(t) ? Number(t) : Number.NaN;
    if (!(n >= 0 && n <= 65535)) throw new Usage(`invalid port \`${t ?? ""}'`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      const next = () => {
        const v = args[++i];
        if (v === undefined) throw new Usage(`option \`${a}' requires an argument`);
        return v;
      };
      // An optional argument: taken when the next word is not an option.
      const optional = () => {
        const v = args[i + 1];
        if (v === undefined || v.startsWith("-")) return null;
        i++;
        return ip(v);
      };
      const portsOk = f.proto === 6 || f.proto === 17;
      switch (a) {
        case "-L":
        case "--dump":
        case "-D":
        case "--delete":
        case "-F":
        case "--flush":
        case "-C":
        case "--count":
        case "-E":
        case "--event": {
          if (cmd !== undefined) throw new Usage("Invalid commands combination");
          cmd =
            (
              {
                "--dump": "-L",
                "--delete": "-D",
                "--flush": "-F",
                "--count": "-C",
                "--event": "-E",
              } as Record<string, string>
            )[a] ?? a;
          const table = args[i + 1];
          if (table === "conntrack") i++;
          else if (table === "expect" && cmd === "-E") {
            // netnest has no conntrack helpers, so no expectation is ever made to report.
            expect = true;
            i++;
          } else if (table === "expect" || table === "dying" || table === "unconfirmed")
            throw new Usage(`table \`${table}' is not supported by netnest`);
          continue;
        }
        case "-e":
        case "--event-mask":
          events = eventMask(next());
          continue;
        case "-h":
        case "--help":
          return { stdout: USAGE, stderr: "", exitCode: 0 };
        case "-V":
        case "--version":
          return { stdout: `${PROG}\n`, stderr: "", exitCode: 0 };
        case "-p":
        case "--protonum": {
          const p = next();
          const n = PROTOS[p] ?? (/^\d+$/.test(p) && Number(p) < 256 ? Number(p) : undefined);
          if (n === undefined) throw new Usage(`\`${p}' unsupported protocol`);
          f.proto = n;
          continue;
        }
        case "-f":
        case "--family": {
          const fam = next();
          if (fam !== "ipv4" && fam !== "ipv6") throw new Usage(`\`${fam}' unsupported protocol`);
          continue;
        }
        case "-s":
        case "--src":
        case "--orig-src":
          f.origSrc = ip(next());
          continue;
        case "-d":
        case "--dst":
        case "--orig-dst":
          f.origDst = ip(next());
          continue;
        case "-r":
        case "--reply-src":
          f.replSrc = ip(next());
          continue;
        case "-q":
        case "--reply-dst":
          f.replDst = ip(next());
          continue;
        case "--sport":
        case "--orig-port-src":
        case "--dport":
        case "--orig-port-dst":
        case "--reply-port-src":
        case "--reply-port-dst":
        case "--state": {
          if (!portsOk || (a === "--state" && f.proto !== 6)) throw new Usage(`unknown option \`${a}'`);
          const v = next();
          if (a === "--state") {
            const st = TCP_STATES.indexOf(v);
            if (st < 1) throw new Usage(`parameter \`${v}' does not match any known state`);
            f.state = st;
          } else if (a === "--sport" || a === "--orig-port-src") f.origSport = port(v);
          else if (a === "--dport" || a === "--orig-port-dst") f.origDport = port(v);
          else if (a === "--reply-port-src") f.replSport = port(v);
          else f.replDport = port(v);
          continue;
        }
        case "-m":
        case "--mark": {
          const [v, m] = next().split("/");
          const num = (t: string) => {
            const n = /^0x[0-9a-f]+$/i.test(t)
              ? Number.parseInt(t, 16)
              : /^\d+$/.test(t)
                ? Number(t)
                : Number.NaN;
            if (!(n >= 0 && n <= 0xffffffff)) throw new Usage(`invalid mark \`${t}'`);
            return n;
          };
          const mask = m === undefined ? 0xffffffff : num(m);
          f.mark = { value: (num(v as string) & mask) >>> 0, mask };
          continue;
        }
        case "-u":
        case "--status": {
          let mask = 0;
          for (const w of next().split(",")) {
            const bit = STATUS_BITS[w];
            if (bit === undefined) throw new Usage(`parameter \`${w}' does not match any known status`);
            mask |= bit;
          }
          f.status = mask;
          continue;
        }
        case "-n":
        case "--src-nat":
          f.srcNat = optional();
          continue;
        case "-g":
        case "--dst-nat":
          f.dstNat = optional();
          continue;
        case "-j":
        case "--any-nat":
          f.anyNat = optional();
          continue;
        case "-o":
        case "--output": {
          for (const w of next().split(",")) {
            if (w === "extended") extended = true;
            else throw new Usage(`output type \`${w}' is not supported by netnest`);
          }
          continue;
        }
        default:
          throw new Usage(`unknown option \`${a}'`);
      }
    }
  } catch (e) {
    if (e instanceof Usage) return fail(e.message);
    throw e;
  }
  const task = proc.task;
  try {
    switch (cmd) {
      case "-E":
        return await showEvents(proc, f, extended, expect ? 0 : events, expect);
      case "-C":
        return { stdout: `${ctnlCountConntrack(task)}\n`, stderr: "", exitCode: 0 };
      case "-F":
        ctnlFlushConntrack(task);
        return { stdout: "", stderr: `${PROG}: connection tracking table has been emptied.\n`, exitCode: 0 };
      case "-D": {
        let out = "";
        let n = 0;
        for (const e of ctnlGetConntrack(task)) {
          if (!matches(e, f)) continue;
          try {
            ctnlDelConntrack(task, e);
          } catch (err) {
            if (err instanceof KernelError && err.errno === "ENOENT") continue;
            throw err;
          }
          out += `${ctLine(e, extended)}\n`;
          n++;
        }
        return {
          stdout: out,
          stderr: `${PROG}: ${n} flow entries have been deleted.\n`,
          exitCode: n === 0 ? 1 : 0,
        };
      }
      default: {
        const list = ctnlGetConntrack(task).filter((e) => matches(e, f));
        return {
          stdout: list.map((e) => `${ctLine(e, extended)}\n`).join(""),
          stderr: `${PROG}: ${list.length} flow entries have been shown.\n`,
          exitCode: 0,
        };
      }
    }
  } catch (e) {
    if (e instanceof KernelError && e.errno === "EPERM")
      return { stdout: "", stderr: `${PROG}: Operation failed: Operation not permitted\n`, exitCode: 1 };
    throw e;
  }
}

/**
 * -E: the events of the groups asked for that pass the filter, each printed and flushed as it
 * comes; SIGINT or SIGTERM ends it with the count on stderr (event_sighandler), status 0.
 */
async function showEvents(
  proc: Proc,
  f: Filter,
  extended: boolean,
  groups: number,
  expect: boolean,
): Promise<ProgramResult> {
  const task = proc.task;
  const sk = ctnlEventListen(task, groups);
  let shown = 0;
  try {
    for (;;) {
      const ev = await ctnlEventRecv(task, sk);
      if (!matches(ev.entry, f)) continue;
      proc.write(1, `${eventLine(ev, extended)}\n`);
      shown++;
    }
  } catch (e) {
    if (!(e instanceof TaskKilled) || (e.signal !== SIGINT && e.signal !== SIGTERM)) throw e;
    signalHandled(task);
    return {
      stdout: "",
      stderr: `${PROG}: ${shown} ${expect ? "expectation" : "flow"} events have been shown.\n`,
      exitCode: 0,
    };
  } finally {
    ctnlEventClose(task, sk);
  }
}
