// ss (iproute2 6.1 misc/ss.c) for TCP and UDP over IPv4: TCP sockets come from sock_diag (as ss
// asks for them: a listener's Send-Q is its backlog), UDP ones from /proc/net/udp (what ss falls
// back to; for UDP both carry the same queues), filtered by state and
// rendered by ss's column machinery for a stdout that is not a terminal (render_calc_width's
// compact output: each column as wide as its widest field, no padding to a screen width).
import {
  KernelError,
  type NsFd,
  netnsOpen,
  procRead,
  procSocketFds,
  setns,
  sockDiagTcp,
  sysctlRead,
  type Task,
  taskExit,
} from "../kernel/syscalls.js";
import { strerror } from "./ip/utils.js";
import { getaddrinfo, getservbyname, getservbyport, inetAton } from "./netdb.js";
import type { Proc, ProgramResult } from "./program.js";

const SS_ESTABLISHED = 1;
const SS_SYN_RECV = 3;
const SS_TIME_WAIT = 6;
const SS_CLOSE = 7;
const SS_LISTEN = 10;
const SS_MAX = 12;
const SS_ALL = (1 << SS_MAX) - 1;
const SS_CONN = SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) | (1 << SS_SYN_RECV));

const SSTATE_NAME = [
  "UNKNOWN",
  "ESTAB",
  "SYN-SENT",
  "SYN-RECV",
  "FIN-WAIT-1",
  "FIN-WAIT-2",
  "TIME-WAIT",
  "UNCONN",
  "CLOSE-WAIT",
  "LAST-ACK",
  "LISTEN",
  "CLOSING",
];

/** scan_state's names. */
const STATE_WORDS: Readonly<Record<string, number>> = {
  all: SS_ALL,
  connected: SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN)),
  synchronized: SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << 2)),
  bucket: (1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT),
  big: SS_ALL & ~((1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT)),
  established: 1 << 1,
  "syn-sent": 1 << 2,
  "syn-recv": 1 << 3,
  "fin-wait-1": 1 << 4,
  "fin-wait-2": 1 << 5,
  "time-wait": 1 << 6,
  closed: 1 << 7,
  "close-wait": 1 << 8,
  "last-ack": 1 << 9,
  listening: 1 << 10,
  closing: 1 << 11,
};

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

/** The options this ss understands; the others exist in ss but need what is not emulated. */
const FLAGS = "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO";

interface Column {
  readonly align: "left" | "right";
  readonly header: string;
  readonly ldelim: string;
  disabled: boolean;
}

interface Sock {
  readonly proto: "tcp" | "udp";
  readonly state: number;
  readonly rq: number;
  readonly wq: number;
  readonly laddr: number;
  readonly lport: number;
  readonly raddr: number;
  readonly rport: number;
  /** The socket's inode, which ss -p looks for among the processes' descriptors. */
  readonly inode: number;
}

class Exit {
  constructor(
    readonly stdout: string,
    readonly stderr: string,
    readonly code: number,
  ) {}
}

function usage(prefix = ""): never {
  throw new Exit("", `${prefix}${USAGE}`, 255);
}

/** /proc/net/{tcp,udp}: `sl: LADDR:LPORT RADDR:RPORT ST TX:RX ...` with addresses in host-order hex. */
function readProc(task: Task, proto: "tcp" | "udp"): Sock[] {
  let text: string;
  try {
    text = procRead(task, `/proc/net/${proto}`);
  } catch (e) {
    if (e instanceof KernelError) return [];
    throw e;
  }
  const out: Sock[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const [la = "", lp = ""] = (f[1] ?? "").split(":");
    const [ra = "", rp = ""] = (f[2] ?? "").split(":");
    const [tx = "0", rx = "0"] = (f[4] ?? "").split(":");
    const inode = Number(f[9] ?? "0");
    // The kernel prints the address as a native-endian (little-endian here) u32.
    const addr = (h: string) => {
      const n = Number.parseInt(h, 16) >>> 0;
      return (
        (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24)) >>> 0
      );
    };
    out.push({
      proto,
      state: Number.parseInt(f[3] ?? "0", 16),
      rq: Number.parseInt(rx, 16),
      wq: Number.parseInt(tx, 16),
      laddr: addr(la),
      lport: Number.parseInt(lp, 16),
      raddr: addr(ra),
      rport: Number.parseInt(rp, 16),
      inode,
    });
  }
  return out;
}

/** tcp_show_netlink: the inet_diag messages of the namespace's TCP sockets. */
function readDiagTcp(task: Task): Sock[] {
  return sockDiagTcp(task).map((m) => ({
    proto: "tcp",
    state: m.state,
    rq: m.rqueue,
    wq: m.wqueue,
    laddr: m.saddr,
    lport: m.sport,
    raddr: m.daddr,
    rport: m.dport,
    inode: m.inode,
  }));
}

/**
 * user_ent_hash_build + find_entry(USERS): each socket's holders from the processes' descriptors.
 * Every entry joins the front of its inode's chain, so they come out in the reverse of the /proc
 * walk (the highest pid first): `users:(("nc",pid=6,fd=4),("bash",pid=1,fd=4))`.
 */
function socketUsers(task: Task, threads: boolean): Map<number, string> {
  const chains = new Map<number, string[]>();
  for (const { pid, comm, fd, inode } of procSocketFds(task)) {
    const chain = chains.get(inode);
    // -T walks /proc/PID/task/TID/fd: each (single-threaded) process is its one thread.
    const entry = `("${comm}",pid=${pid},${threads ? `tid=${pid},` : ""}fd=${fd})`;
    if (chain) chain.unshift(entry);
    else chains.set(inode, [entry]);
  }
  const users = new Map<number, string>();
  // proc_ctx_print: out(" users:(%s)") (with its leading space, inside the Process column).
  for (const [inode, chain] of chains) users.set(inode, ` users:(${chain.join(",")})`);
  return users;
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function ss(argv: readonly string[], proc: Proc): ProgramResult {
  try {
    return run(argv, proc.task);
  } catch (e) {
    if (e instanceof Exit) return { stdout: e.stdout, stderr: e.stderr, exitCode: e.code };
    throw e;
  }
}

// The socket tables (ss.c's *_DB) and address families it knows.
const TCP_DB = 0;
const MPTCP_DB = 1;
const DCCP_DB = 2;
const UDP_DB = 3;
const RAW_DB = 4;
const UNIX_DG_DB = 5;
const UNIX_ST_DB = 6;
const UNIX_SQ_DB = 7;
const PACKET_DG_DB = 8;
const PACKET_R_DB = 9;
const NETLINK_DB = 10;
const SCTP_DB = 11;
const VSOCK_ST_DB = 12;
const VSOCK_DG_DB = 13;
const TIPC_DB = 14;
const XDP_DB = 15;
const MAX_DB = 16;
const UNIX_DBM = (1 << UNIX_DG_DB) | (1 << UNIX_ST_DB) | (1 << UNIX_SQ_DB);
const PACKET_DBM = (1 << PACKET_DG_DB) | (1 << PACKET_R_DB);
const VSOCK_DBM = (1 << VSOCK_ST_DB) | (1 << VSOCK_DG_DB);
const INET_DBM =
  (1 << TCP_DB) | (1 << MPTCP_DB) | (1 << UDP_DB) | (1 << DCCP_DB) | (1 << SCTP_DB) | (1 << RAW_DB);
const TIPC_SS_CONN = (1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE);

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;
const AF_TIPC = 30;
const AF_VSOCK = 40;
const AF_XDP = 44;
const INET_FAMILIES = [AF_INET, AF_INET6];

/** default_dbs: each table's default states and families. */
const DEFAULT_DBS: readonly { readonly states: number; readonly families: readonly number[] }[] = [
  { states: SS_CONN, families: INET_FAMILIES },
  { states: SS_CONN, families: INET_FAMILIES },
  { states: SS_CONN, families: INET_FAMILIES },
  { states: 1 << SS_ESTABLISHED, families: INET_FAMILIES },
  { states: 1 << SS_ESTABLISHED, families: INET_FAMILIES },
  { states: 1 << SS_CLOSE, families: [AF_UNIX] },
  { states: SS_CONN, families: [AF_UNIX] },
  { states: SS_CONN, families: [AF_UNIX] },
  { states: 1 << SS_CLOSE, families: [AF_PACKET] },
  { states: 1 << SS_CLOSE, families: [AF_PACKET] },
  { states: 1 << SS_CLOSE, families: [AF_NETLINK] },
  { states: SS_CONN, families: INET_FAMILIES },
  { states: SS_CONN, families: [AF_VSOCK] },
  { states: SS_CONN, families: [AF_VSOCK] },
  { states: TIPC_SS_CONN, families: [AF_TIPC] },
  { states: 1 << SS_CLOSE, families: [AF_XDP] },
];

/** default_afs: each family's tables and default states. */
const DEFAULT_AFS: ReadonlyMap<number, { readonly dbs: number; readonly states: number }> = new Map([
  [AF_INET, { dbs: INET_DBM, states: SS_CONN }],
  [AF_INET6, { dbs: INET_DBM, states: SS_CONN }],
  [AF_UNIX, { dbs: UNIX_DBM, states: SS_CONN }],
  [AF_PACKET, { dbs: PACKET_DBM, states: 1 << SS_CLOSE }],
  [AF_NETLINK, { dbs: 1 << NETLINK_DB, states: 1 << SS_CLOSE }],
  [AF_VSOCK, { dbs: VSOCK_DBM, states: SS_CONN }],
  [AF_TIPC, { dbs: 1 << TIPC_DB, states: TIPC_SS_CONN }],
  [AF_XDP, { dbs: 1 << XDP_DB, states: 1 << SS_CLOSE }],
]);

/** filter_db_parse's names. */
const DB_NAMES: Readonly<Record<string, readonly number[]>> = {
  all: [
    UDP_DB,
    DCCP_DB,
    TCP_DB,
    MPTCP_DB,
    RAW_DB,
    UNIX_ST_DB,
    UNIX_DG_DB,
    UNIX_SQ_DB,
    PACKET_R_DB,
    PACKET_DG_DB,
    NETLINK_DB,
    SCTP_DB,
    VSOCK_ST_DB,
    VSOCK_DG_DB,
    XDP_DB,
  ],
  inet: [UDP_DB, DCCP_DB, TCP_DB, MPTCP_DB, SCTP_DB, RAW_DB],
  udp: [UDP_DB],
  dccp: [DCCP_DB],
  tcp: [TCP_DB],
  mptcp: [MPTCP_DB],
  sctp: [SCTP_DB],
  raw: [RAW_DB],
  unix: [UNIX_ST_DB, UNIX_DG_DB, UNIX_SQ_DB],
  unix_stream: [UNIX_ST_DB],
  u_str: [UNIX_ST_DB],
  unix_dgram: [UNIX_DG_DB],
  u_dgr: [UNIX_DG_DB],
  unix_seqpacket: [UNIX_SQ_DB],
  u_seq: [UNIX_SQ_DB],
  packet: [PACKET_R_DB, PACKET_DG_DB],
  packet_raw: [PACKET_R_DB],
  p_raw: [PACKET_R_DB],
  packet_dgram: [PACKET_DG_DB],
  p_dgr: [PACKET_DG_DB],
  netlink: [NETLINK_DB],
  tipc: [TIPC_DB],
  vsock: [VSOCK_ST_DB, VSOCK_DG_DB],
  vsock_stream: [VSOCK_ST_DB],
  v_str: [VSOCK_ST_DB],
  vsock_dgram: [VSOCK_DG_DB],
  v_dgr: [VSOCK_DG_DB],
  xdp: [XDP_DB],
};

const FAMILY_NAMES: Readonly<Record<string, number>> = {
  inet: AF_INET,
  inet6: AF_INET6,
  link: AF_PACKET,
  unix: AF_UNIX,
  netlink: AF_NETLINK,
  tipc: AF_TIPC,
  vsock: AF_VSOCK,
  xdp: AF_XDP,
};

/** The long options (getopt_long's table), by the short option or name they stand for. */
const LONG_OPTS: readonly (readonly [string, string, boolean])[] = [
  ["numeric", "n", false],
  ["resolve", "r", false],
  ["all", "a", false],
  ["listening", "l", false],
  ["options", "o", false],
  ["extended", "e", false],
  ["memory", "m", false],
  ["info", "i", false],
  ["processes", "p", false],
  ["threads", "T", false],
  ["bpf", "b", false],
  ["events", "E", false],
  ["dccp", "d", false],
  ["tcp", "t", false],
  ["sctp", "S", false],
  ["udp", "u", false],
  ["raw", "w", false],
  ["unix", "x", false],
  ["tipc", "tipc", false],
  ["vsock", "vsock", false],
  ["ipv4", "4", false],
  ["ipv6", "6", false],
  ["packet", "0", false],
  ["family", "f", true],
  ["socket", "A", true],
  ["query", "A", true],
  ["summary", "s", false],
  ["diag", "D", true],
  ["filter", "F", true],
  ["version", "V", false],
  ["help", "h", false],
  ["context", "Z", false],
  ["contexts", "z", false],
  ["net", "N", true],
  ["tipcinfo", "tipcinfo", false],
  ["tos", "tos", false],
  ["cgroup", "cgroup", false],
  ["kill", "K", false],
  ["no-header", "H", false],
  ["xdp", "xdp", false],
  ["mptcp", "M", false],
  ["oneline", "O", false],
  ["inet-sockopt", "inet-sockopt", false],
];

/** glibc getopt_long, permuting: each option with its argument, operands collected apart. */
function getoptLong(argv: readonly string[]): { opts: [string, string | undefined][]; operands: string[] } {
  const opts: [string, string | undefined][] = [];
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = LONG_OPTS.find(([n]) => n === name);
      const matches = exact ? [exact] : LONG_OPTS.filter(([n]) => n.startsWith(name));
      const first = matches[0];
      if (!first) usage(`ss: unrecognized option '${eq < 0 ? a : a.slice(0, eq)}'\n`);
      if (matches.some(([, k]) => k !== first[1])) {
        const list = matches.map(([n]) => `'--${n}'`).join(" ");
        usage(`ss: option '${eq < 0 ? a : a.slice(0, eq)}' is ambiguous; possibilities: ${list}\n`);
      }
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (!first[2] && value !== undefined) usage(`ss: option '--${first[0]}' doesn't allow an argument\n`);
      if (first[2] && value === undefined) {
        if (i + 1 >= argv.length) usage(`ss: option '--${first[0]}' requires an argument\n`);
        value = argv[++i];
      }
      opts.push([first[1], value]);
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      const at = FLAGS.indexOf(c);
      if (at < 0 || c === ":") usage(`ss: invalid option -- '${c}'\n`);
      if (FLAGS[at + 1] !== ":") {
        opts.push([c, undefined]);
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest !== "") opts.push([c, rest]);
      else if (i + 1 < argv.length) opts.push([c, argv[++i]]);
      else usage(`ss: option requires an argument -- '${c}'\n`);
      break;
    }
  }
  return { opts, operands };
}

interface SsFilter {
  dbs: number;
  states: number;
  families: Set<number>;
}

function run(argv: readonly string[], startTask: Task): ProgramResult {
  let task = startTask;
  try {
    return show(
      argv,
      (t) => {
        task = t;
      },
      () => task,
    );
  } finally {
    if (task !== startTask) taskExit(task);
  }
}

function show(argv: readonly string[], enter: (t: Task) => void, current: () => Task): ProgramResult {
  let numeric = false;
  let showHeader = true;
  let stateFilter = 0;
  let doDefault = true;
  let sawQuery = false;
  let doSummary = false;
  let showUsers = false;
  let showThreads = false;
  const f: SsFilter = { dbs: 0, states: 0, families: new Set() };
  const dbSet = (db: number, enable: boolean) => {
    if (enable) {
      f.states |= (DEFAULT_DBS[db] as { states: number }).states;
      f.dbs |= 1 << db;
    } else f.dbs &= ~(1 << db);
    doDefault = false;
  };
  const dbParse = (name: string): boolean => {
    const enable = !name.startsWith("!");
    const dbs = DB_NAMES[enable ? name : name.slice(1)];
    if (!dbs) return false;
    for (const db of dbs) dbSet(db, enable);
    return true;
  };
  const afSet = (af: number) => {
    f.states |= DEFAULT_AFS.get(af)?.states ?? 0;
    f.families.add(af);
    doDefault = false;
  };
  const { opts, operands } = getoptLong(argv);
  for (const [c, arg = ""] of opts) {
    switch (c) {
      case "n":
        numeric = true;
        break;
      case "p":
        showUsers = true;
        break;
      case "T":
        showUsers = true;
        showThreads = true;
        break;
      case "r":
      case "O":
        break;
      case "d":
        dbSet(DCCP_DB, true);
        break;
      case "t":
        dbSet(TCP_DB, true);
        break;
      case "S":
        dbSet(SCTP_DB, true);
        break;
      case "u":
        dbSet(UDP_DB, true);
        break;
      case "w":
        dbSet(RAW_DB, true);
        break;
      case "M":
        dbSet(MPTCP_DB, true);
        break;
      case "x":
        afSet(AF_UNIX);
        break;
      case "vsock":
        afSet(AF_VSOCK);
        break;
      case "tipc":
        afSet(AF_TIPC);
        break;
      case "xdp":
        afSet(AF_XDP);
        break;
      case "a":
        stateFilter = SS_ALL;
        break;
      case "l":
        stateFilter = (1 << SS_LISTEN) | (1 << SS_CLOSE);
        break;
      case "4":
        afSet(AF_INET);
        break;
      case "6":
        afSet(AF_INET6);
        break;
      case "0":
        afSet(AF_PACKET);
        break;
      case "f": {
        if (arg === "help") throw new Exit(USAGE, "", 0);
        const af = FAMILY_NAMES[arg];
        if (af === undefined) usage(`ss: "${arg}" is invalid family\n`);
        afSet(af);
        break;
      }
      case "A":
        if (!sawQuery) {
          f.dbs = 0;
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          doDefault = false;
        }
        for (const name of arg.split(","))
          if (!dbParse(name)) usage(`ss: "${name}" is illegal socket table id\n`);
        break;
      case "H":
        showHeader = false;
        break;
      case "s":
        doSummary = true;
        break;
      case "N": {
        let fd: NsFd;
        try {
          fd = netnsOpen(current(), arg);
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          throw new Exit("", `Cannot open network namespace "${arg}": ${strerror(e.errno)}\n`, 1);
        }
        try {
          enter(setns(current(), fd));
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          throw new Exit("", `setting the network namespace "${arg}" failed: ${strerror(e.errno)}\n`, 1);
        }
        break;
      }
      case "v":
      case "V":
        throw new Exit("ss utility, iproute2-6.1.0\n", "", 0);
      case "h":
        throw new Exit(USAGE, "", 0);
      case "z":
      case "Z":
        throw new Exit("", "ss: SELinux is not enabled.\n", 1);
      default:
        // -e -o -m -i -b -E -K -D -F --tos --cgroup --tipcinfo --inet-sockopt: details this
        // emulation does not have. Saying so beats printing a table without them.
        throw new Exit(
          "",
          `ss: option ${c.length > 1 ? `--${c}` : `-${c}`} is not supported by netnest\n`,
          255,
        );
    }
  }
  // print_summary, then the listing unless only the summary was asked for.
  const summary = doSummary ? printSummary(current()) : "";
  if (doSummary && doDefault && operands.length === 0) return { stdout: summary, stderr: "", exitCode: 0 };
  let sawStates = false;
  while (operands.length > 0) {
    const word = operands[0] as string;
    if (word !== "state" && word !== "exclude" && word !== "excl") break;
    const name = operands[1];
    if (name === undefined) usage();
    const bits = STATE_WORDS[name];
    if (bits === undefined) throw new Exit("", `ss: wrong state name: ${name}\n`, 255);
    if (word === "state") {
      if (!sawStates) stateFilter = 0;
      stateFilter |= bits;
    } else {
      if (!sawStates) stateFilter = SS_ALL;
      stateFilter &= ~bits;
    }
    sawStates = true;
    operands.splice(0, 2);
  }
  if (doDefault) {
    stateFilter = stateFilter || SS_CONN;
    dbParse("all");
  }
  if (stateFilter) f.states = stateFilter;
  // filter_merge_defaults
  for (let db = 0; db < MAX_DB; db++) {
    if (!(f.dbs & (1 << db))) continue;
    const fams = (DEFAULT_DBS[db] as { families: readonly number[] }).families;
    if (!fams.some((af) => f.families.has(af))) for (const af of fams) f.families.add(af);
  }
  for (const af of [...f.families]) {
    const d = DEFAULT_AFS.get(af);
    if (d && !(d.dbs & f.dbs)) f.dbs |= d.dbs;
  }
  if (f.dbs === 0) throw new Exit("", "ss: no socket tables to show with such filter.\n", 0);
  if (f.families.size === 0) throw new Exit("", "ss: no families to show with such filter.\n", 0);
  if (f.states === 0) throw new Exit("", "ss: no socket states to show with such filter.\n", 0);
  const dbs = { tcp: (f.dbs & (1 << TCP_DB)) !== 0, udp: (f.dbs & (1 << UDP_DB)) !== 0 };
  const filter = operands.length > 0 ? parseFilter(operands, dbs) : undefined;
  const states = f.states;
  const task = current();

  const columns: Column[] = [
    { align: "left", header: "Netid", ldelim: "", disabled: (f.dbs & (f.dbs - 1)) === 0 },
    { align: "left", header: "State", ldelim: " ", disabled: (states & (states - 1)) === 0 },
    { align: "left", header: "Recv-Q", ldelim: " ", disabled: false },
    { align: "left", header: "Send-Q", ldelim: " ", disabled: false },
    { align: "right", header: "Local Address:", ldelim: " ", disabled: false },
    { align: "left", header: "Port", ldelim: "", disabled: false },
    { align: "right", header: "Peer Address:", ldelim: " ", disabled: false },
    { align: "left", header: "Port", ldelim: "", disabled: false },
    { align: "left", header: "Process", ldelim: "", disabled: false },
  ];
  const rows: string[][] = [];
  if (showHeader) rows.push(columns.map((c) => c.header));

  let ephemeral: [number, number] = [1024, 4999];
  try {
    const [lo, hi] = sysctlRead(task, "net/ipv4/ip_local_port_range").trim().split(/\s+/).map(Number);
    if (lo && hi) ephemeral = [lo, hi];
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
  const service = (port: number, proto: string): string => {
    if (port === 0) return "*";
    if (!numeric && (port < ephemeral[0] || port > ephemeral[1])) {
      const name = getservbyport(port, proto);
      if (name) return name;
    }
    return String(port);
  };

  // netlink, packet, unix and raw sockets come first; this emulation has none of them to show
  // (the kernel's own netlink sockets included). Then udp_show, tcp_show, dccp_show.
  const stderr: string[] = [];
  const inet = f.families.has(AF_INET);
  const socks = [
    ...(dbs.udp && inet ? readProc(task, "udp") : []),
    ...(dbs.tcp && inet ? readDiagTcp(task) : []),
  ];
  // inet_diag has no DCCP handler in this kernel: the dump request fails with EINVAL.
  if (f.dbs & (1 << DCCP_DB) && (inet || f.families.has(AF_INET6)))
    stderr.push("RTNETLINK answers: Invalid argument\n");
  const users = showUsers ? socketUsers(task, showThreads) : undefined;
  for (const s of socks) {
    if (!(states & (1 << s.state))) continue;
    if (filter && !runFilter(filter, s, ephemeral)) continue;
    rows.push([
      s.proto,
      SSTATE_NAME[s.state] ?? "UNKNOWN",
      String(s.rq).padEnd(6),
      String(s.wq).padEnd(6),
      `${formatAddr(s.laddr)}:`,
      service(s.lport, s.proto),
      `${formatAddr(s.raddr)}:`,
      service(s.rport, s.proto),
      users?.get(s.inode) ?? "",
    ]);
  }
  return { stdout: summary + render(columns, rows), stderr: stderr.join(""), exitCode: 0 };
}

/** get_sockstat's counts from /proc/net/sockstat and sockstat6 (a file that fails counts zero). */
function getSockstat(task: Task): Record<string, number> {
  const s: Record<string, number> = {};
  for (const file of ["sockstat", "sockstat6"]) {
    let text = "";
    try {
      text = procRead(task, `/proc/net/${file}`);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
    for (const line of text.split("\n")) {
      const [head, ...rest] = line.split(/\s+/);
      for (let i = 0; i + 1 < rest.length; i += 2) s[`${head}${rest[i]}`] = Number(rest[i + 1]);
    }
  }
  return s;
}

/** print_summary */
function printSummary(task: Task): string {
  const s = getSockstat(task);
  const n = (key: string) => s[key] ?? 0;
  let estab = 0;
  try {
    const lines = procRead(task, "/proc/net/snmp")
      .split("\n")
      .filter((l) => l.startsWith("Tcp:"));
    const names = (lines[0] ?? "").split(/\s+/);
    const values = (lines[1] ?? "").split(/\s+/);
    estab = Number(values[names.indexOf("CurrEstab")] ?? 0);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
  const tcp4 = n("TCP:inuse");
  const tcp6 = n("TCP6:inuse");
  const tws = n("TCP:tw");
  const total = n("TCP:alloc");
  const raw4 = n("RAW:inuse");
  const raw6 = n("RAW6:inuse");
  const udp4 = n("UDP:inuse");
  const udp6 = n("UDP6:inuse");
  const frag4 = n("FRAG:inuse");
  const frag6 = n("FRAG6:inuse");
  const row = (name: string, a: number, b: number) =>
    `${name}\t  ${String(a + b).padEnd(9)} ${String(a).padEnd(9)} ${String(b).padEnd(9)}\n`;
  return (
    `Total: ${n("sockets:used")}\n` +
    `TCP:   ${total + tws} (estab ${estab}, closed ${total - (tcp4 + tcp6 - tws)}, orphaned ${n("TCP:orphan")}, timewait ${tws})\n` +
    "\nTransport Total     IP        IPv6\n" +
    row("RAW", raw4, raw6) +
    row("UDP", udp4, udp6) +
    row("TCP", tcp4, tcp6) +
    row("INET", raw4 + udp4 + tcp4, raw6 + udp6 + tcp6) +
    row("FRAG", frag4, frag6) +
    "\n"
  );
}

/** render() with render_calc_width's compact output (stdout is not a terminal). */
function render(columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columns.map(() => 0);
  let first = true;
  // render_calc_width measures the tokens flushed before it runs: the very last one (the last
  // row's last column, its users:(...) under -p) never was ("it wasn't necessarily flushed"), so
  // it widens nothing: one listener's header comes out unpadded, two listeners' padded.
  let lastCol = -1;
  columns.forEach((c, i) => {
    if (!c.disabled) lastCol = i;
  });
  const lastRow = rows.length - 1;
  columns.forEach((c, i) => {
    if (c.disabled) return;
    const max = Math.max(
      0,
      ...rows.map((r, k) => (k === lastRow && i === lastCol ? 0 : (r[i] ?? "").length)),
    );
    widths[i] = !first && max ? max + c.ldelim.length : max;
    if (widths[i]) first = false;
  });
  let out = "";
  for (const row of rows) {
    let started = false;
    columns.forEach((c, i) => {
      if (c.disabled) return;
      const text = row[i] ?? "";
      const width = widths[i] as number;
      let printed = 0;
      if (started) {
        out += c.ldelim;
        printed = c.ldelim.length;
      }
      started = true;
      if (width && c.align === "right") {
        const s = width - text.length - printed;
        if (s > 0) {
          out += " ".repeat(s);
          printed += s;
        }
      }
      out += text;
      printed += text.length;
      if (width && c.align === "left" && width - printed > 0) out += " ".repeat(width - printed);
    });
    out += "\n";
  }
  return out;
}

// --- ssfilter.y: the filter expression after the options ---------------------------------------

/** An address condition (struct aafilter): a prefix (bitlen 0: any) and a port (-1: any). */
interface HostCond {
  readonly addr: number;
  readonly bitlen: number;
  readonly port: number;
}

type Filter =
  | { readonly kind: "or" | "and"; readonly a: Filter; readonly b: Filter }
  | { readonly kind: "not"; readonly a: Filter }
  | { readonly kind: "dcond" | "scond" | "dge" | "dle" | "sge" | "sle"; readonly cond: HostCond }
  | { readonly kind: "auto" };

function filterError(message: string): never {
  throw new Exit("", message, 1);
}

/** yyerror, then ssfilter_parse's " Sorry." and usage(). */
function syntaxError(): never {
  throw new Exit("", `ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n${USAGE}`, 255);
}

/** yylex's words: each argument split at blanks, a backslash escaping the next character. */
function filterTokens(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let tok: string | undefined;
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i] as string;
      if (c === " " || c === "\t") {
        if (tok !== undefined) out.push(tok);
        tok = undefined;
      } else if (c === "\\") {
        tok = (tok ?? "") + (arg[++i] ?? "");
      } else tok = (tok ?? "") + c;
    }
    if (tok !== undefined) out.push(tok);
  }
  return out;
}

const OPS: Readonly<Record<string, string>> = {
  "!": "!",
  not: "!",
  "&": "&",
  "&&": "&",
  and: "&",
  "|": "|",
  "||": "|",
  or: "|",
  "(": "(",
  ")": ")",
  ">=": "ge",
  ge: "ge",
  geq: "ge",
  "<=": "le",
  le: "le",
  leq: "le",
  "!=": "ne",
  ne: "ne",
  neq: "ne",
  "=": "=",
  "==": "=",
  eq: "=",
  ">": ">",
  gt: ">",
  "<": "<",
  lt: "<",
};

/** parse_hostcond for AF_INET: [ADDR[/PLEN]][:PORT], `*` for any; only a port after sport/dport. */
function parseHostcond(
  text: string,
  isPort: boolean,
  dbs: { readonly tcp: boolean; readonly udp: boolean },
): HostCond {
  let addr = text;
  let port: string | undefined;
  if (addr.startsWith("[")) {
    const close = addr.indexOf("]");
    if (close < 0) filterError("Cannot parse dst/src address.\n");
    port = addr.slice(close + 1);
    addr = addr.slice(1, close);
  } else if (addr.startsWith("*")) {
    port = addr.slice(1);
    addr = "";
  } else {
    const slash = addr.indexOf("/");
    const colon = addr.lastIndexOf(":");
    if (colon >= 0 && colon > slash) {
      port = addr.slice(colon);
      addr = addr.slice(0, colon);
    }
  }
  if (isPort) {
    port = text;
    addr = "";
  }
  let portNum = -1;
  if (port !== undefined && port !== "") {
    if (port.startsWith(":")) port = port.slice(1);
    if (port !== "" && port !== "*") {
      if (/^(0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(port)) portNum = Number(port);
      else {
        const u = dbs.udp ? getservbyname(port, "udp") : undefined;
        const t = dbs.tcp ? getservbyname(port, "tcp") : undefined;
        if (u !== undefined && t !== undefined && u !== t)
          filterError(`Error: ambiguous port "${port}".\nCannot parse dst/src address.\n`);
        portNum = u ?? t ?? -1;
        if (portNum <= 0)
          filterError(`Error: "${port}" does not look like a port.\nCannot parse dst/src address.\n`);
      }
    }
  }
  if (isPort || addr === "" || addr === "*") return { addr: 0, bitlen: 0, port: portNum };
  const slash = addr.indexOf("/");
  const host = slash < 0 ? addr : addr.slice(0, slash);
  let value = inetAton(host);
  let bitlen = 32;
  if (slash >= 0) {
    const p = addr.slice(slash + 1);
    bitlen = /^\d+$/.test(p) ? Number(p) : 33;
  }
  if (value === undefined && slash < 0) {
    const r = getaddrinfo(host);
    if (!("error" in r)) value = r.addr;
  }
  if (value === undefined || bitlen > 32)
    filterError(`Error: an inet prefix is expected rather than "${addr}".\nCannot parse dst/src address.\n`);
  return { addr: value, bitlen, port: portNum };
}

function parseFilter(
  args: readonly string[],
  dbs: { readonly tcp: boolean; readonly udp: boolean },
): Filter | undefined {
  const toks = filterTokens(args);
  let at = 0;
  // tok_type: the last condition keyword, which decides how a following word is read.
  let tokType = "";
  const peek = (): string | undefined => {
    const t = toks[at];
    if (t === undefined) return undefined;
    return OPS[t] ?? t;
  };
  const hostcond = (): HostCond => {
    const t = toks[at++];
    if (t === undefined) syntaxError();
    if (OPS[t] !== undefined || ["dst", "src", "dport", "sport", "autobound"].includes(t)) syntaxError();
    return parseHostcond(t, tokType === "sport" || tokType === "dport", dbs);
  };
  const expr = (): Filter => {
    const t = peek();
    if (t === "(") {
      at++;
      const inner = exprlist();
      if (peek() !== ")") syntaxError();
      at++;
      return inner;
    }
    if (t === "!") {
      at++;
      return { kind: "not", a: expr() };
    }
    if (t === "autobound") {
      at++;
      return { kind: "auto" };
    }
    if (t === "dst" || t === "src") {
      at++;
      tokType = t;
      if (peek() === "=") at++;
      return { kind: t === "dst" ? "dcond" : "scond", cond: hostcond() };
    }
    if (t === "dport" || t === "sport") {
      at++;
      tokType = t;
      const d = t === "dport";
      const op = peek();
      if (op === "ge" || op === "le" || op === ">" || op === "<" || op === "=" || op === "ne") at++;
      const cond = hostcond();
      const eq: Filter = { kind: d ? "dcond" : "scond", cond };
      switch (op) {
        case "ge":
          return { kind: d ? "dge" : "sge", cond };
        case "le":
          return { kind: d ? "dle" : "sle", cond };
        case ">":
          return { kind: "not", a: { kind: d ? "dle" : "sle", cond } };
        case "<":
          return { kind: "not", a: { kind: d ? "dge" : "sge", cond } };
        case "ne":
          return { kind: "not", a: eq };
        default:
          return eq;
      }
    }
    return syntaxError();
  };
  const exprlist = (): Filter => {
    let left = expr();
    for (;;) {
      const t = peek();
      if (t === undefined || t === ")") return left;
      if (t === "|" || t === "&") {
        at++;
        left = { kind: t === "|" ? "or" : "and", a: left, b: expr() };
      } else left = { kind: "and", a: left, b: expr() };
    }
  };
  if (toks.length === 0) return undefined;
  const f = exprlist();
  if (at < toks.length) syntaxError();
  return f;
}

function prefixMatch(addr: number, cond: HostCond): boolean {
  if (cond.bitlen === 0) return true;
  const mask = cond.bitlen >= 32 ? 0xffffffff : ~(0xffffffff >>> cond.bitlen) >>> 0;
  return (addr & mask) >>> 0 === (cond.addr & mask) >>> 0;
}

/** run_ssfilter */
function runFilter(f: Filter, s: Sock, ephemeral: readonly [number, number]): boolean {
  switch (f.kind) {
    case "or":
      return runFilter(f.a, s, ephemeral) || runFilter(f.b, s, ephemeral);
    case "and":
      return runFilter(f.a, s, ephemeral) && runFilter(f.b, s, ephemeral);
    case "not":
      return !runFilter(f.a, s, ephemeral);
    case "auto":
      return s.lport >= ephemeral[0] && s.lport <= ephemeral[1];
    case "dcond":
      return (f.cond.port === -1 || f.cond.port === s.rport) && prefixMatch(s.raddr, f.cond);
    case "scond":
      return (f.cond.port === -1 || f.cond.port === s.lport) && prefixMatch(s.laddr, f.cond);
    case "dge":
      return s.rport >= f.cond.port;
    case "dle":
      return s.rport <= f.cond.port;
    case "sge":
      return s.lport >= f.cond.port;
    case "sle":
      return s.lport <= f.cond.port;
  }
}
