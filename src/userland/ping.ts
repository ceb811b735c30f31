// ping, as iputils 20221126 prints it (ping/ping.c, ping/ping_common.c, ping/node_info.c), over a
// raw ICMP socket. Waiting is poll() in the kernel's virtual time, so `ping -c 3` takes no wall
// time. The send schedule is pinger's token bucket (-i, -l preload, -A adaptive); the IP options
// of -R and -T are the kernel's (IP_OPTIONS), filled by every hop and printed by pr_options.
import {
  bind,
  clockGettime,
  close,
  connect,
  getsockname,
  getsockoptBuf,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_WANT,
  KernelError,
  pollIn,
  recvErr,
  recvfrom,
  SIGALRM,
  SIGINT,
  type Socket,
  sendto,
  setsockopt,
  signalHandled,
  socket,
  type Task,
  TaskKilled,
} from "../kernel/syscalls.js";
import { formatIPv4, parseIPv4 } from "../wire/addr.js";
import { internetChecksum } from "../wire/checksum.js";
import {
  emitIcmp,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
} from "../wire/icmp.js";
import { IPPROTO_ICMP } from "../wire/ipv4.js";
import { strerror } from "./ip/utils.js";
import { gettimeofday } from "./libc_time.js";
import type { Proc, ProgramResult } from "./program.js";

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

/** getopt's string in ping.c main(): the options that take an argument. */
const WITH_ARG = new Set([
  "T",
  "F",
  "N",
  "c",
  "e",
  "i",
  "I",
  "l",
  "m",
  "M",
  "p",
  "Q",
  "s",
  "S",
  "t",
  "w",
  "W",
]);
/** The flags netnest takes (-6 is not here: no IPv6 ping). */
const FLAGS = new Set(["4", "b", "R", "a", "A", "B", "C", "d", "D", "f", "L", "n", "O", "q", "r", "U", "v"]);
/** sizeof(struct timeval): payloads this large carry a send timestamp, so replies are timed. */
const TIMEVAL_LEN = 16;
/** IDENTIFIER_MAX, MAX_DUP_CHK, MININTERVAL (ms) and the RR slots (NROUTES) of ping.h/ping.c. */
const IDENTIFIER_MAX = 0xffff;
const MAX_DUP_CHK = 0x10000;
const MININTERVAL = 10;
/** MINUSERINTERVAL (ms): the shortest interval a user who is not root may ask for. */
const MINUSERINTERVAL = 2;
const INT_MAX = 2147483647;
const LONG_MAX = 9223372036854775807n;
const NROUTES = 9;
/** IPOPT_* as ping builds its option space. */
const IPOPT_NOP = 1;
const IPOPT_RR = 7;
const IPOPT_TS = 68;
const IPOPT_LSRR = 131;
const IPOPT_SSRR = 137;
const IPOPT_MINOFF = 4;
const IPOPT_TS_TSONLY = 0;
const IPOPT_TS_TSANDADDR = 1;
const IPOPT_TS_PRESPEC = 3;

const NI_HELP = `ping -6 -N <nodeinfo opt>
Help:
  help
Query:
  name
  ipv6
  ipv6-all
  ipv6-compatible
  ipv6-global
  ipv6-linklocal
  ipv6-sitelocal
  ipv4
  ipv4-all
Subject:
  subject-ipv6=addr
  subject-ipv4=addr
  subject-name=name
  subject-fqdn=name
`;

/** niquery_options: name, whether it takes `=arg`, and the query type or subject it sets. */
const NI_OPTIONS: readonly { name: string; hasArg: boolean; qtype?: number; subject?: number }[] = [
  { name: "name", hasArg: false, qtype: 2 },
  { name: "fqdn", hasArg: false, qtype: 2 },
  { name: "ipv6", hasArg: false, qtype: 3 },
  { name: "ipv6-all", hasArg: false, qtype: 3 },
  { name: "ipv6-compatible", hasArg: false, qtype: 3 },
  { name: "ipv6-linklocal", hasArg: false, qtype: 3 },
  { name: "ipv6-sitelocal", hasArg: false, qtype: 3 },
  { name: "ipv6-global", hasArg: false, qtype: 3 },
  { name: "ipv4", hasArg: false, qtype: 4 },
  { name: "ipv4-all", hasArg: false, qtype: 4 },
  { name: "subject-ipv6", hasArg: true, subject: 0 },
  { name: "subject-ipv4", hasArg: true, subject: 1 },
  { name: "subject-name", hasArg: true, subject: 2 },
  { name: "subject-fqdn", hasArg: true, subject: 2 },
  { name: "help", hasArg: false },
];

interface PingOptions {
  count: number;
  intervalMs: number;
  lingerMs: number;
  deadlineS: number;
  datalen: number;
  ttl: number | undefined;
  /** -M: IP_MTU_DISCOVER, or undefined to leave the socket's default. */
  pmtudisc: number | undefined;
  quiet: boolean;
  /** -D: each reply and error line starts with the wall-clock time (print_timestamp). */
  ptimeofday: boolean;
  /** -O: before each send, say when the previous echo is still unanswered. */
  outstanding: boolean;
  /** -b: SO_BROADCAST, so a broadcast destination may be pinged. */
  broadcast: boolean;
  iface: string | undefined;
  targets: string[];
  /** -4 */
  inet: boolean;
  verbose: boolean;
  audible: boolean;
  adaptive: boolean;
  /** -f: send as replies come (interval 0 unless -i), a dot per echo, a backspace per reply. */
  flood: boolean;
  /** -i was given (rts->opt_interval): -f keeps its interval. */
  intervalGiven: boolean;
  /** -B, and -I with an address. */
  strictsource: boolean;
  connectSk: boolean;
  soDebug: boolean;
  noloop: boolean;
  latency: boolean;
  dontroute: boolean;
  /** -e: the echo identifier; undefined for a random one. */
  ident: number | undefined;
  preload: number;
  mark: number | undefined;
  /** -p: the pattern text, checked and printed after the options are read (fill()). */
  pattern: string | undefined;
  /** -Q: IP_TOS, as parsetos left it (an int). */
  settos: number;
  sndbuf: number;
  rroute: boolean;
  timestamp: boolean;
  tsType: number;
  /** -N: the node information query type and subject type, -1 while unset. */
  niQuery: number;
  niSubject: number;
}

class PingExit {
  constructor(
    readonly stderr: string,
    readonly code: number,
    readonly stdout = "",
  ) {}
}

/** strtod-like parsing with iputils' "garbage" warning (ping_strtod), for -i and -W. */
function parseNumber(text: string, out: string[]): number {
  const match = /^\s*[-+]?(\d+\.?\d*|\.\d+)/.exec(text);
  if (!match) throw new PingExit(`ping: invalid argument: '${text}'\n`, 1);
  if (match[0].length !== text.length) {
    out.push(`ping: option argument contains garbage: ${text.slice(match[0].length)}\n`);
    out.push("ping: this will become fatal error in the future\n");
  }
  return Number(match[0]);
}

/** strtol(3)/strtoul(3) in base 10 or 16: the value (saturated on overflow) and the unparsed rest. */
function strtol(
  text: string,
  base: 10 | 16,
  unsigned: boolean,
): { value: bigint; rest: string; erange: boolean } {
  const digits = base === 16 ? "[0-9a-fA-F]" : "[0-9]";
  const m = new RegExp(`^\\s*([-+]?)(${base === 16 ? "(?:0[xX])?" : ""}${digits}+)`).exec(text);
  if (!m) return { value: 0n, rest: text, erange: false };
  const body = (m[2] as string).replace(/^0[xX]/, "");
  let value = BigInt(base === 16 ? `0x${body}` : body);
  let erange = false;
  const max = unsigned ? 0xffffffffffffffffn : LONG_MAX;
  if (value > max) {
    value = max;
    erange = true;
  }
  if (m[1] === "-") value = unsigned ? (erange ? value : BigInt.asUintN(64, -value)) : -value;
  return { value, rest: text.slice(m[0].length), erange };
}

/** strtol_or_err / strtoul_or_err (iputils_common.c): the whole argument, in range, or exit 1. */
function strtolOrErr(text: string, min: bigint, max: bigint, unsigned = false): number {
  const { value, rest, erange } = strtol(text, 10, unsigned);
  if (text === "" || rest === text || rest !== "" || erange) {
    const why = erange ? ": Numerical result out of range" : "";
    throw new PingExit(`ping: invalid argument: '${text}'${why}\n`, 1);
  }
  if (value < min || value > max)
    throw new PingExit(`ping: invalid argument: '${text}': out of range: ${min} <= value <= ${max}\n`, 1);
  return Number(value);
}

/** parsetos: hex after 0x or decimal, the whole argument, at most 255 (as an int). */
function parseTos(text: string): number {
  const hex = text[0] === "0" && (text[1] === "x" || text[1] === "X");
  const { value, rest } = strtol(hex ? text.slice(2) : text, hex ? 16 : 10, false);
  if (rest !== "") throw new PingExit(`ping: bad TOS value: ${text}\n`, 2);
  const tos = Number(BigInt.asIntN(32, value));
  if (tos > 255)
    throw new PingExit(`ping: the decimal value of TOS bits must be in range 0-255: ${tos}\n`, 2);
  return tos;
}

/** parseflow: a 20-bit flow label, hex after 0x or decimal (IPv6 only; checked all the same). */
function parseFlow(text: string): number {
  const hex = text[0] === "0" && (text[1] === "x" || text[1] === "X");
  const { value, rest } = strtol(hex ? text.slice(2) : text, hex ? 16 : 10, true);
  if (rest !== "") throw new PingExit(`ping: bad value for flowinfo: ${text}\n`, 2);
  const val = BigInt.asUintN(64, BigInt.asIntN(32, value));
  if (val & ~0xfffffn) throw new PingExit(`ping: flow value is greater than 20 bits: ${text}\n`, 2);
  return Number(val);
}

/** niquery_option_handler: the first option of that name whose handler accepts; else the help. */
function niqueryOption(opts: PingOptions, arg: string, conflicts: string[]): void {
  for (const o of NI_OPTIONS) {
    if (!arg.startsWith(o.name)) continue;
    const after = arg.slice(o.name.length);
    if (o.hasArg ? !after.startsWith("=") : after !== "") continue;
    // niquery_option_help_handler with a non-zero index: the help on stdout, exit 0.
    if (o.name === "help") throw new PingExit("", 0, NI_HELP);
    if (o.qtype !== undefined) {
      if (opts.niQuery >= 0 && opts.niQuery !== o.qtype) {
        conflicts.push("Qtype conflict\n");
        continue;
      }
      opts.niQuery = o.qtype;
      return;
    }
    if (opts.niSubject >= 0 && opts.niSubject !== o.subject) {
      conflicts.push("Subject type conflict\n");
      continue;
    }
    if (o.subject === 1 && inetAton(after.slice(1)) === undefined)
      throw new PingExit(`ping: ${after.slice(1)}: Temporary failure in name resolution\n${NI_HELP}`, 2);
    opts.niSubject = o.subject as number;
    return;
  }
  throw new PingExit(NI_HELP, 2, conflicts.join(""));
}

function parseArgs(argv: readonly string[], warnings: string[]): PingOptions {
  const opts: PingOptions = {
    count: 0,
    intervalMs: 1000,
    lingerMs: 10_000,
    deadlineS: 0,
    datalen: 56,
    ttl: undefined,
    pmtudisc: undefined,
    quiet: false,
    ptimeofday: false,
    outstanding: false,
    broadcast: false,
    iface: undefined,
    targets: [],
    inet: false,
    verbose: false,
    audible: false,
    adaptive: false,
    flood: false,
    intervalGiven: false,
    strictsource: false,
    connectSk: false,
    soDebug: false,
    noloop: false,
    latency: false,
    dontroute: false,
    ident: undefined,
    preload: 1,
    mark: undefined,
    pattern: undefined,
    settos: 0,
    sndbuf: 0,
    rroute: false,
    timestamp: false,
    tsType: IPOPT_TS_TSONLY,
    niQuery: -1,
    niSubject: -1,
  };
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] as string;
      if (WITH_ARG.has(flag)) {
        let value = arg.slice(j + 1);
        if (value === "") {
          i++;
          if (i >= argv.length)
            throw new PingExit(`ping: option requires an argument -- '${flag}'\n${USAGE}`, 2);
          value = argv[i] as string;
        }
        applyOption(opts, flag, value, warnings);
        break;
      }
      if (flag === "h" || flag === "?") throw new PingExit(USAGE, 2);
      // -V: IPUTILS_VERSION and print_config(), as Debian builds iputils 20221126.
      if (flag === "V")
        throw new PingExit(
          "",
          0,
          "ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n",
        );
      if (!FLAGS.has(flag)) throw new PingExit(`ping: invalid option -- '${flag}'\n${USAGE}`, 2);
      applyFlag(opts, flag);
    }
  }
  opts.targets = positional;
  return opts;
}

function applyFlag(opts: PingOptions, flag: string): void {
  switch (flag) {
    case "q":
      opts.quiet = true;
      return;
    case "D":
      opts.ptimeofday = true;
      return;
    case "O":
      opts.outstanding = true;
      return;
    case "b":
      opts.broadcast = true;
      return;
    case "4":
      opts.inet = true;
      return;
    case "R":
      if (opts.timestamp) throw new PingExit("ping: only one of -T or -R may be used\n", 2);
      opts.rroute = true;
      return;
    case "a":
      opts.audible = true;
      return;
    case "A":
      opts.adaptive = true;
      return;
    case "f":
      opts.flood = true;
      return;
    case "B":
      opts.strictsource = true;
      return;
    case "C":
      opts.connectSk = true;
      return;
    case "d":
      opts.soDebug = true;
      return;
    case "L":
      opts.noloop = true;
      return;
    case "r":
      opts.dontroute = true;
      return;
    case "U":
      opts.latency = true;
      return;
    case "v":
      opts.verbose = true;
      return;
    default:
      // -n: no names are looked up here anyway.
      return;
  }
}

function applyOption(opts: PingOptions, flag: string, value: string, warnings: string[]): void {
  switch (flag) {
    case "c":
      opts.count = strtolOrErr(value, 1n, LONG_MAX);
      return;
    case "e":
      opts.ident = strtolOrErr(value, 0n, BigInt(IDENTIFIER_MAX), true);
      return;
    case "T":
      if (opts.rroute) throw new PingExit("ping: only one of -T or -R may be used\n", 2);
      opts.timestamp = true;
      if (value === "tsonly") opts.tsType = IPOPT_TS_TSONLY;
      else if (value === "tsandaddr") opts.tsType = IPOPT_TS_TSANDADDR;
      else if (value === "tsprespec") opts.tsType = IPOPT_TS_PRESPEC;
      else throw new PingExit(`ping: invalid timestamp type: ${value}\n`, 2);
      return;
    case "F":
      parseFlow(value);
      return;
    case "N":
      niqueryOption(opts, value, []);
      return;
    case "i": {
      const seconds = parseNumber(value, warnings);
      if (seconds > INT_MAX / 1000) throw new PingExit(`ping: bad timing interval: ${value}\n`, 2);
      opts.intervalMs = Math.trunc(seconds * 1000);
      opts.intervalGiven = true;
      return;
    }
    case "W": {
      const seconds = parseNumber(value, warnings);
      if (seconds < 0 || seconds > INT_MAX / 1000) throw new PingExit(`ping: bad linger time: ${value}\n`, 2);
      opts.lingerMs = Math.trunc(seconds * 1000);
      return;
    }
    case "w":
      opts.deadlineS = strtolOrErr(value, 0n, BigInt(INT_MAX));
      return;
    case "s":
      opts.datalen = strtolOrErr(value, 0n, BigInt(INT_MAX));
      return;
    case "S":
      opts.sndbuf = strtolOrErr(value, 1n, BigInt(INT_MAX));
      return;
    case "t":
      opts.ttl = strtolOrErr(value, 0n, 255n);
      return;
    case "l":
      opts.preload = strtolOrErr(value, 1n, BigInt(MAX_DUP_CHK));
      return;
    case "m":
      opts.mark = strtolOrErr(value, 0n, 4294967295n, true);
      return;
    case "p":
      opts.pattern = value;
      return;
    case "Q":
      opts.settos = parseTos(value);
      return;
    case "I":
      opts.iface = value;
      if (parseIPv4(value) !== undefined) opts.strictsource = true;
      return;
    case "M":
      if (value === "do") opts.pmtudisc = IP_PMTUDISC_DO;
      else if (value === "dont") opts.pmtudisc = IP_PMTUDISC_DONT;
      else if (value === "want") opts.pmtudisc = IP_PMTUDISC_WANT;
      else throw new PingExit(`ping: invalid -M argument: ${value}\n`, 2);
      return;
  }
}

/**
 * fill(): the pattern's hex bytes (up to 16) repeated over the data; "PATTERN: 0x…" unless -q.
 * A character that is not a hex digit ends ping, naming the text from it on.
 */
function fillPattern(opts: PingOptions, data: Uint8Array, out: { push(text: string): void }): void {
  const text = opts.pattern as string;
  const bad = /[^0-9a-fA-F]/.exec(text);
  if (bad)
    throw new PingExit(`ping: patterns must be specified as hex digits: ${text.slice(bad.index)}\n`, 2);
  const pat: number[] = [];
  for (let k = 0; k + 1 <= text.length && pat.length < 16; k += 2)
    pat.push(Number.parseInt(text.slice(k, k + 2), 16));
  const ii = pat.length;
  if (ii > 0) {
    const max = opts.datalen < ii + 8 ? 0 : opts.datalen - ii + 8;
    for (let kk = 0; kk <= max; kk += ii)
      for (let jj = 0; jj < ii; jj++) if (jj + kk < data.length) data[jj + kk] = pat[jj] as number;
  }
  if (!opts.quiet) out.push(`PATTERN: 0x${pat.map((b) => b.toString(16).padStart(2, "0")).join("")}\n`);
}

/** inet_aton: a, a.b, a.b.c and a.b.c.d forms, decimal, octal or hex parts (what getaddrinfo accepts). */
export function inetAton(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length === 0 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const part of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) n = part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) n = Number.parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) n = Number(part);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop() as number;
  if (nums.some((n) => n > 255)) return undefined;
  const lastMax = 2 ** (8 * (4 - nums.length)) - 1;
  if (last > lastMax) return undefined;
  let value = 0;
  for (let i = 0; i < nums.length; i++) value += (nums[i] as number) * 2 ** (8 * (3 - i));
  return (value + last) >>> 0;
}

/** What getaddrinfo answers here: numbers, and the names in a Debian /etc/hosts. */
function resolveHost(
  name: string,
): { readonly addr: number; readonly canonical: string | undefined } | undefined {
  const addr = inetAton(name);
  if (addr !== undefined) return { addr, canonical: undefined };
  if (name === "localhost") return { addr: 0x7f000001, canonical: "localhost" };
  return undefined;
}

function errorText(type: number, code: number, info: number): string {
  if (type === ICMP_DEST_UNREACH) {
    const texts = [
      "Destination Net Unreachable",
      "Destination Host Unreachable",
      "Destination Protocol Unreachable",
      "Destination Port Unreachable",
      `Frag needed and DF set (mtu = ${info & 0xffff})`,
      "Source Route Failed",
      "Destination Net Unknown",
      "Destination Host Unknown",
      "Source Host Isolated",
      "Destination Net Prohibited",
      "Destination Host Prohibited",
      "Destination Net Unreachable for Type of Service",
      "Destination Host Unreachable for Type of Service",
      "Packet filtered",
      "Precedence Violation",
      "Precedence Cutoff",
    ];
    return texts[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  }
  if (type === ICMP_TIME_EXCEEDED) {
    if (code === 0) return "Time to live exceeded";
    if (code === 1) return "Frag reassembly time exceeded";
    return `Time exceeded, Bad Code: ${code}`;
  }
  if (type === 4) return "Source Quench";
  if (type === ICMP_REDIRECT) {
    const kinds = [
      "Redirect Network",
      "Redirect Host",
      "Redirect Type of Service and Network",
      "Redirect Type of Service and Host",
    ];
    return `${kinds[code] ?? `Redirect, Bad Code: ${code}`}(New nexthop: ${formatIPv4(info >>> 0)})`;
  }
  if (type === 12) return `Parameter problem: pointer = ${(info >>> 24) & 255}`;
  return `Bad ICMP type: ${type}`;
}

/** iputils' rtt formatting: fewer decimals as the time grows (triptime in microseconds). */
function formatTriptime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000)
    return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, "0")}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, "0")}`;
}

function msDotUs(us: number): string {
  return `${Math.floor(us / 1000)}.${String(Math.floor(us % 1000)).padStart(3, "0")}`;
}

/** ICMP_FILTER as ping4_run sets it: only replies and errors reach the socket. */
const ICMP_FILTER_MASK =
  ~((1 << ICMP_ECHOREPLY) | (1 << 3) | (1 << 4) | (1 << 11) | (1 << 12) | (1 << 5)) >>> 0;
/** ping4_receive_error_msg's narrower filter once the error queue works: errors come from there. */
const ICMP_FILTER_ERRQUEUE = ~((1 << ICMP_ECHOREPLY) | (1 << 4) | (1 << 5)) >>> 0;

export async function ping(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const warnings: string[] = [];
  try {
    const result = await run(argv, proc, warnings);
    return { ...result, stderr: warnings.join("") + result.stderr };
  } catch (err) {
    if (err instanceof PingExit) {
      if (err.stdout) proc.write(1, err.stdout);
      return { stdout: "", stderr: warnings.join("") + err.stderr, exitCode: err.code };
    }
    throw err;
  }
}

/** A kernel error as error(3) prints it: `ping: what: strerror`, exit 2. */
function sysExit(what: string, err: unknown): PingExit {
  if (err instanceof KernelError) return new PingExit(`ping: ${what}: ${strerror(err.errno)}\n`, 2);
  throw err;
}

async function run(argv: readonly string[], proc: Proc, warnings: string[]): Promise<ProgramResult> {
  const task = proc.task;
  const opts = parseArgs(argv, warnings);
  const out = { push: (text: string) => proc.write(1, text) };
  const errOut = { push: (text: string) => proc.write(2, text) };
  if (opts.targets.length === 0) throw new PingExit("ping: usage error: Destination address required\n", 1);
  const target = opts.targets[opts.targets.length - 1] as string;
  // rts.outpack's data: the pattern now (fill), the default bytes later (setup).
  const outData = new Uint8Array(opts.datalen);
  if (opts.pattern !== undefined) fillPattern(opts, outData, out);
  if (opts.ident === 0 && opts.verbose) errOut.push("ping: WARNING: ident 0 => forcing raw socket\n");
  const sock = socket(task, "SOCK_RAW", IPPROTO_ICMP);
  try {
    // create_socket: an ICMP datagram socket is refused (ping_group_range is "1 0"), so both
    // families fall back to raw sockets, fds 3 and 4.
    if (opts.verbose)
      errOut.push(
        `ping: sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: ${opts.inet ? "-1 (socktype: 0)" : "4 (socktype: SOCK_RAW)"}, hints.ai_family: ${opts.inet ? "AF_INET" : "AF_UNSPEC"}\n\n`,
      );
    if (opts.settos) {
      try {
        setsockopt(task, sock, { name: "IP_TOS", tos: opts.settos });
      } catch (err) {
        throw sysExit("setsockopt", err);
      }
    }
    const resolved = resolveHost(target);
    if (!resolved) throw new PingExit(`ping: ${target}: Temporary failure in name resolution\n`, 2);
    if (opts.verbose)
      out.push(`ai->ai_family: AF_INET, ai->ai_canonname: '${resolved.canonical ?? target}'\n`);
    return await ping4Run(proc, sock, opts, outData);
  } finally {
    close(task, sock);
  }
}

/** The option space ping4_run hands to IP_OPTIONS (rspace: room for NROUTES addresses). */
function optionSpace(opts: PingOptions, route: readonly number[], sourceroute: boolean): Uint8Array[] {
  const put = (b: Uint8Array, at: number, addr: number) => {
    b[at] = addr >>> 24;
    b[at + 1] = (addr >>> 16) & 255;
    b[at + 2] = (addr >>> 8) & 255;
    b[at + 3] = addr & 255;
  };
  const spaces: Uint8Array[] = [];
  if (opts.rroute) {
    const r = new Uint8Array(3 + 4 * NROUTES + 1);
    r[0] = IPOPT_NOP;
    r[1] = IPOPT_RR;
    r[2] = r.length - 1;
    r[3] = IPOPT_MINOFF;
    spaces.push(r);
  }
  if (opts.timestamp) {
    const r = new Uint8Array(3 + 4 * NROUTES + 1);
    r[0] = IPOPT_TS;
    r[1] = opts.tsType === IPOPT_TS_TSONLY ? 40 : 36;
    r[2] = 5;
    r[3] = opts.tsType;
    if (opts.tsType === IPOPT_TS_PRESPEC) {
      r[1] = 4 + route.length * 8;
      for (const [i, addr] of route.entries()) put(r, 4 + i * 8, addr);
    }
    spaces.push(r.subarray(0, r[1]));
  }
  if (sourceroute) {
    const r = new Uint8Array(3 + 4 * NROUTES + 1);
    r[0] = IPOPT_NOP;
    r[1] = opts.dontroute ? IPOPT_SSRR : IPOPT_LSRR;
    r[2] = 3 + route.length * 4;
    r[3] = IPOPT_MINOFF;
    for (const [i, addr] of route.entries()) put(r, 4 + i * 4, addr);
    spaces.push(r.subarray(0, 4 + route.length * 4));
  }
  return spaces;
}

function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

async function ping4Run(
  proc: Proc,
  sock: Socket,
  opts: PingOptions,
  outData: Uint8Array,
): Promise<ProgramResult> {
  const task = proc.task;
  const out = { push: (text: string) => proc.write(1, text) };
  const errOut = { push: (text: string) => proc.write(2, text) };
  const targets = opts.targets;
  let sourceroute = false;
  if (targets.length > 1) {
    if (opts.rroute) throw new PingExit(USAGE, 2);
    if (opts.timestamp) {
      if (opts.tsType !== IPOPT_TS_PRESPEC || targets.length > 5) throw new PingExit(USAGE, 2);
    } else {
      if (targets.length > 10) throw new PingExit(USAGE, 2);
      sourceroute = true;
    }
  }
  // Every name but the last is a hop of the source route or a prespecified timestamp.
  const route: number[] = [];
  let daddr = 0;
  let canonical: string | undefined;
  for (const [i, name] of targets.entries()) {
    const r = resolveHost(name);
    if (!r) throw new PingExit(`ping: ${name}: Temporary failure in name resolution\n`, 2);
    if (i < targets.length - 1) route.push(r.addr);
    else {
      daddr = r.addr;
      canonical = r.canonical;
    }
  }
  const hostname = canonical ?? (targets[targets.length - 1] as string);
  // -I: an address is the source (and -B's sticky one); anything else names a device.
  let source = 0;
  let device: string | undefined;
  if (opts.iface !== undefined) {
    const asAddr = parseIPv4(opts.iface);
    if (asAddr !== undefined) source = asAddr;
    else device = opts.iface;
  }
  const bindToDevice = (s: Socket) => {
    try {
      setsockopt(task, s, { name: "SO_BINDTODEVICE", ifname: device as string });
    } catch (err) {
      throw sysExit(`SO_BINDTODEVICE ${device}`, err);
    }
  };
  /** sock_setmark: a refused mark is only a warning. */
  const setMark = (s: Socket) => {
    try {
      setsockopt(task, s, { name: "SO_MARK", mark: opts.mark as number });
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      errOut.push(`ping: WARNING: failed to set mark: ${opts.mark}: ${strerror(err.errno)}\n`);
    }
  };
  if (source === 0) {
    // The UDP probe: connect() picks the route and the source address, with the TOS and mark.
    const probe = socket(task, "SOCK_DGRAM", 0);
    try {
      if (device !== undefined) {
        bindToDevice(probe);
        bindToDevice(sock);
      }
      if (opts.settos) {
        try {
          setsockopt(task, probe, { name: "IP_TOS", tos: opts.settos });
        } catch (err) {
          if (!(err instanceof KernelError)) throw err;
          errOut.push(`ping: warning: QOS sockopts: ${strerror(err.errno)}\n`);
        }
      }
      if (opts.mark !== undefined) setMark(probe);
      const dst = route.length ? (route[0] as number) : daddr;
      try {
        await connect(task, probe, dst, 1025);
      } catch (err) {
        if (!(err instanceof KernelError) || err.errno !== "EACCES") throw err;
        if (!opts.broadcast)
          throw new PingExit(
            "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n",
            2,
          );
        // ping4_run: warn, allow broadcasts on the probe and connect again.
        errOut.push("WARNING: pinging broadcast address\n");
        setsockopt(task, probe, { name: "SO_BROADCAST", on: true });
        await connect(task, probe, dst, 1025);
      }
      source = getsockname(task, probe).addr;
    } catch (err) {
      if (err instanceof KernelError) throw new PingExit(`ping: connect: ${strerror(err.errno)}\n`, 2);
      throw err;
    } finally {
      close(task, probe);
    }
  } else if (device !== undefined) bindToDevice(sock);
  if (daddr === 0) daddr = source;
  const multicast = opts.broadcast || isMulticast(daddr);
  const pmtudisc = opts.pmtudisc ?? (multicast ? IP_PMTUDISC_DO : undefined);
  if (pmtudisc !== undefined) {
    try {
      setsockopt(task, sock, { name: "IP_MTU_DISCOVER", value: pmtudisc });
    } catch (err) {
      throw sysExit("IP_MTU_DISCOVER", err);
    }
  }
  if (opts.strictsource) {
    try {
      bind(task, sock, source);
    } catch (err) {
      throw sysExit("bind", err);
    }
  }
  setsockopt(task, sock, { name: "ICMP_FILTER", mask: ICMP_FILTER_MASK });
  // ping4_run: IP_RECVERR, so a refused send leaves its reason (the MTU) on the error queue.
  setsockopt(task, sock, { name: "IP_RECVERR", on: true });
  let optlen = 0;
  // limit_capabilities left CAP_NET_RAW permitted but not effective: only socket creation and
  // SO_BINDTODEVICE raise it, so a source route is refused here (EPERM).
  const unprivileged: Task = { ...task, capEffective: 0 };
  for (const space of optionSpace(opts, route, sourceroute)) {
    try {
      setsockopt(unprivileged, sock, { name: "IP_OPTIONS", bytes: space });
    } catch (err) {
      if (!opts.timestamp) throw sysExit("record route", err);
      // The timestamp flags retried as 2, then given up.
      space[3] = 2;
      try {
        setsockopt(unprivileged, sock, { name: "IP_OPTIONS", bytes: space });
      } catch (err2) {
        throw sysExit("ts option", err2);
      }
    }
    optlen = 40;
  }
  // sock_setbufs: the send buffer (-S, or an estimate of one packet), the receive buffer for the
  // preload, and a warning when the kernel keeps it smaller.
  let hold = opts.datalen + 8;
  hold += Math.trunc((hold + 511) / 512) * (optlen + 20 + 16 + 64 + 160);
  setsockopt(task, sock, { name: "SO_SNDBUF", size: opts.sndbuf || hold });
  const rcvbuf = hold * opts.preload;
  setsockopt(task, sock, { name: "SO_RCVBUF", size: Math.max(rcvbuf, 65536) });
  if (getsockoptBuf(task, sock, "SO_RCVBUF") < rcvbuf)
    errOut.push("ping: WARNING: probably, rcvbuf is not enough to hold preload\n");
  if (opts.broadcast) setsockopt(task, sock, { name: "SO_BROADCAST", on: true });
  if (opts.noloop) setsockopt(task, sock, { name: "IP_MULTICAST_LOOP", on: false });
  if (opts.ttl !== undefined) {
    try {
      setsockopt(task, sock, { name: "IP_MULTICAST_TTL", ttl: opts.ttl });
    } catch (err) {
      throw sysExit("cannot set multicast time-to-live", err);
    }
    try {
      setsockopt(task, sock, { name: "IP_TTL", ttl: opts.ttl });
    } catch (err) {
      throw sysExit("cannot set unicast time-to-live", err);
    }
  }
  const timing = opts.datalen >= TIMEVAL_LEN;
  const from =
    device !== undefined || opts.strictsource ? `from ${formatIPv4(source)} ${device ?? ""}: ` : "";
  out.push(
    `PING ${hostname} (${formatIPv4(daddr)}) ${from}${opts.datalen}(${opts.datalen + 8 + optlen + 20}) bytes of data.\n`,
  );

  // setup()
  if (opts.flood && !opts.intervalGiven) opts.intervalMs = 0;
  if (task.uid !== 0 && opts.intervalMs < MINUSERINTERVAL)
    throw new PingExit(`ping: cannot flood; minimal interval allowed for user is ${MINUSERINTERVAL}ms\n`, 2);
  if (opts.intervalMs >= Math.trunc(INT_MAX / opts.preload))
    throw new PingExit(`ping: illegal preload and/or interval: ${opts.intervalMs}\n`, 2);
  if (opts.soDebug) setsockopt(task, sock, { name: "SO_DEBUG", on: true });
  if (opts.dontroute) setsockopt(task, sock, { name: "SO_DONTROUTE", on: true });
  if (opts.mark !== undefined) setMark(sock);
  if (opts.pattern === undefined) for (let i = 0; i < opts.datalen; i++) outData[i] = i & 255;
  const ident = opts.ident ?? task.host.randomU32() & IDENTIFIER_MAX;
  if (opts.connectSk) {
    try {
      await connect(task, sock, daddr);
    } catch (err) {
      throw sysExit("connect failed", err);
    }
  }

  const numeric = canonical === undefined;
  /** pr_addr: the address, with the name it was asked by when it has one. */
  const prAddr = (addr: number) =>
    !numeric && addr === daddr ? `${hostname} (${formatIPv4(addr)})` : formatIPv4(addr);
  const start = clockGettime(task);
  const alarmAt = opts.deadlineS ? start + opts.deadlineS * 1e9 : Number.POSITIVE_INFINITY;
  const st: LoopState = {
    ntransmitted: 0,
    nreceived: 0,
    nrepeats: 0,
    nchecksum: 0,
    nerrors: 0,
    acked: 0,
    pipesize: -1,
    tmin: Number.POSITIVE_INFINITY,
    tmax: 0,
    tsum: 0,
    tsum2: 0,
    rtt: 0,
    rttAddend: 0,
    rcvd: new Uint8Array(MAX_DUP_CHK),
    oldRr: undefined,
    filterNarrowed: false,
  };
  const ctx: ReplyContext = {
    opts,
    st,
    ident,
    daddr,
    multicast,
    timing,
    outData,
    prAddr,
    out,
    errOut,
    task,
    interval: opts.intervalMs,
  };
  const inFlight = () => {
    const diff = (st.ntransmitted - st.acked) & 0xffff;
    return diff <= 0x7fff ? diff : st.ntransmitted - st.nreceived - st.nerrors;
  };
  const advanceNtransmitted = () => {
    st.ntransmitted++;
    if (((st.ntransmitted & 0xffff) - st.acked) & 0x8000) st.acked = (st.ntransmitted + 1) & 0xffff;
  };
  let curTime: number | undefined;
  let tokens = 0;
  let oomCount = 0;
  let exitAt = alarmAt;
  let waittimeSet = false;
  const icmp = new Uint8Array(8 + opts.datalen);

  /** pinger: the next echo when a token is due; the milliseconds until the next one. */
  const pinger = (): number => {
    if (opts.count && st.ntransmitted >= opts.count && !opts.deadlineS) return 1000;
    const now = clockGettime(task);
    if (curTime === undefined) {
      curTime = now;
      tokens = ctx.interval * (opts.preload - 1);
    } else {
      // (tv_sec difference) * 1000 + (tv_nsec difference) / 1000000, as C truncates it.
      let ntokens =
        (Math.floor(now / 1e9) - Math.floor(curTime / 1e9)) * 1000 +
        Math.trunc(((now % 1e9) - (curTime % 1e9)) / 1e6);
      if (!ctx.interval && ntokens < MININTERVAL && inFlight() >= opts.preload) return MININTERVAL - ntokens;
      ntokens += tokens;
      const tmp = ctx.interval * opts.preload;
      if (tmp < ntokens) ntokens = tmp;
      if (ntokens < ctx.interval) return ctx.interval - ntokens;
      curTime = now;
      tokens = ntokens - ctx.interval;
    }
    if (opts.outstanding && st.ntransmitted > 0 && !st.rcvd[st.ntransmitted % MAX_DUP_CHK])
      out.push(`${stamp(ctx)}no answer yet for icmp_seq=${st.ntransmitted % MAX_DUP_CHK}\n`);
    const seq = (st.ntransmitted + 1) & 0xffff;
    st.rcvd[seq] = 0;
    icmp.set(outData, 8);
    if (timing) {
      // The send time in the first bytes of the data: struct timeval, little-endian.
      const tv = gettimeofday(task);
      putLe64(icmp, 8, tv.sec);
      putLe64(icmp, 16, tv.usec);
    }
    emitIcmp(icmp, 0, { kind: "echo", type: ICMP_ECHO, id: ident, seq, data: icmp.slice(8) });
    try {
      sendto(task, sock, icmp, daddr);
      oomCount = 0;
      advanceNtransmitted();
      // A dot per echo (the screen is never a terminal here, so its width never stops them).
      if (!opts.quiet && opts.flood) out.push(".");
      return ctx.interval - tokens;
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      let i: number;
      if (err.errno === "ENOBUFS" || err.errno === "ENOMEM") {
        // The device queue overflowed: not sent; slow down (-A), retry in half an interval while
        // that stays within the linger time, then count it as a hard error.
        tokens = 0;
        st.rttAddend += st.rtt < 8 * 50000 ? Math.trunc(st.rtt / 8) : 50000;
        if (opts.adaptive) ctx.interval = updateInterval(st, ctx.interval);
        const nores = Math.min(schint(Math.trunc(ctx.interval / 2)), 500);
        oomCount++;
        if (oomCount * nores < opts.lingerMs) return nores;
        i = 0;
      } else {
        // receive_error_msg explains the failure; only an ICMP error (> 0) makes it a printed one.
        i = receiveErrorMsg(ctx, sock);
        if (i > 0) i = 0;
      }
      advanceNtransmitted();
      if (i === 0 && !opts.quiet) {
        if (opts.flood) out.push("E");
        else errOut.push(`ping: sendmsg: ${strerror(err.errno)}\n`);
      }
      tokens = 0;
      return schint(ctx.interval);
    }
  };
  /** schedule_exit: once the count is sent, wait for stragglers (twice the worst rtt, an interval). */
  const scheduleExit = (next: number): number => {
    if (!(opts.count && st.ntransmitted >= opts.count && !opts.deadlineS)) return next;
    if (waittimeSet) return next;
    waittimeSet = true;
    const waittime = st.nreceived ? Math.max(2 * st.tmax, 1000 * ctx.interval) : opts.lingerMs * 1000;
    if (next < 0 || next < Math.trunc(waittime / 1000)) next = Math.trunc(waittime / 1000);
    exitAt = clockGettime(task) + waittime * 1000;
    return next;
  };

  for (;;) {
    if (clockGettime(task) >= exitAt) break;
    if (opts.count && st.nreceived + st.nerrors >= opts.count) break;
    if (opts.deadlineS && st.nerrors) break;
    let next: number;
    do {
      next = scheduleExit(pinger());
    } while (next <= 0);
    // main_loop's wait: poll() for `next` ms when adaptive or due sooner than an interval (a
    // minimal gap while replies are expected), else recvmsg() with SO_RCVTIMEO of an interval.
    let waitMs: number;
    if (opts.adaptive || next < schint(ctx.interval))
      waitMs = next <= MININTERVAL && inFlight() ? MININTERVAL : next;
    else waitMs = schint(ctx.interval);
    const wake = Math.min(exitAt, clockGettime(task) + waitMs * 1e6);
    try {
      if (!(await pollIn(task, sock, wake))) continue;
    } catch (err) {
      // SIGINT and SIGALRM end the pinging with the statistics (iputils' sigexit).
      if (!(err instanceof TaskKilled) || (err.signal !== SIGINT && err.signal !== SIGALRM)) throw err;
      signalHandled(task);
      break;
    }
    // The error queue (IP_RECVERR): ICMP errors about our echoes, and local errors.
    while (peekErr(sock)) receiveErrorMsg(ctx, sock);
    for (;;) {
      const msg = recvfrom(task, sock);
      if (!msg) break;
      parseReply(ctx, msg.data, msg.from);
      if (inFlight() === 0) break;
    }
  }
  finish(ctx, curTime ?? start, start);
  const failed = !st.nreceived || (opts.deadlineS && st.nreceived < opts.count);
  return { stdout: "", stderr: "", exitCode: failed ? 1 : 0 };
}

/** True while the socket's error queue holds something (poll's POLLERR). */
function peekErr(sock: Socket): boolean {
  return sock.kind === "raw" ? sock.sock.errQueue.length > 0 : false;
}

function schint(ms: number): number {
  return Math.max(ms, MININTERVAL);
}

/** update_interval (-A): an eighth of the smoothed rtt plus the back-off, in whole milliseconds. */
function updateInterval(st: LoopState, interval: number): number {
  const est = st.rtt ? Math.trunc(st.rtt / 8) : interval * 1000;
  return Math.trunc((est + st.rttAddend + 500) / 1000);
}

function putLe64(b: Uint8Array, at: number, v: number): void {
  for (let k = 0; k < 8; k++) {
    b[at + k] = v % 256;
    v = Math.floor(v / 256);
  }
}

function getLe64(b: Uint8Array, at: number): number {
  let v = 0;
  for (let k = 7; k >= 0; k--) v = v * 256 + (b[at + k] as number);
  return v;
}

interface LoopState {
  ntransmitted: number;
  nreceived: number;
  nrepeats: number;
  nchecksum: number;
  nerrors: number;
  acked: number;
  pipesize: number;
  tmin: number;
  tmax: number;
  tsum: number;
  tsum2: number;
  /** rts->rtt: the smoothed rtt times 8, in microseconds. */
  rtt: number;
  rttAddend: number;
  /** The received bitmap (rcvd_set/rcvd_test), one byte per sequence number. */
  rcvd: Uint8Array;
  /** pr_options' last record route, for "(same route)". */
  oldRr: Uint8Array | undefined;
  filterNarrowed: boolean;
}

interface ReplyContext {
  readonly opts: PingOptions;
  readonly st: LoopState;
  readonly ident: number;
  readonly daddr: number;
  readonly multicast: boolean;
  readonly timing: boolean;
  readonly outData: Uint8Array;
  readonly prAddr: (addr: number) => string;
  readonly out: { push(text: string): void };
  readonly errOut: { push(text: string): void };
  readonly task: Task;
  /** rts->interval in ms: -i, changed by -A as replies come (update_interval). */
  interval: number;
}

/** print_timestamp(): `[sec.usec] ` before a line, with -D. */
function stamp(ctx: ReplyContext): string {
  if (!ctx.opts.ptimeofday) return "";
  const tv = gettimeofday(ctx.task);
  return `[${tv.sec}.${String(tv.usec).padStart(6, "0")}] `;
}

/** acknowledge: the pipe size, and the newest sequence answered. */
function acknowledge(st: LoopState, seq: number): void {
  const diff = (st.ntransmitted - seq) & 0xffff;
  if (diff <= 0x7fff) {
    if (diff + 1 > st.pipesize) st.pipesize = diff + 1;
    const ahead = ((seq - st.acked) << 16) >> 16;
    if (ahead > 0 || ((st.ntransmitted & 0xffff) - st.acked) & 0x8000) st.acked = seq;
  }
}

/**
 * ping4_receive_error_msg: one entry of the error queue. A local error is printed (message too
 * long with its MTU); an ICMP error about one of our echoes is acknowledged and printed as
 * "From X icmp_seq=N …". Returns the net errors, or minus the local ones.
 */
function receiveErrorMsg(ctx: ReplyContext, sock: Socket): number {
  const { opts, st } = ctx;
  const e = recvErr(ctx.task, sock);
  if (!e) return -1;
  if (e.origin === "local") {
    if (!opts.quiet) {
      if (e.errno !== "EMSGSIZE") ctx.errOut.push(`ping: local error: ${strerror(e.errno)}\n`);
      else ctx.errOut.push(`ping: local error: message too long, mtu=${e.info}\n`);
      st.nerrors++;
    }
    return -1;
  }
  if (e.origin !== "icmp") return 0;
  const p = e.payload;
  if (
    p.length < 8 ||
    e.addr !== ctx.daddr ||
    p[0] !== ICMP_ECHO ||
    (((p[4] as number) << 8) | (p[5] as number)) !== ctx.ident
  )
    return 0;
  const seq = ((p[6] as number) << 8) | (p[7] as number);
  acknowledge(st, seq);
  if (!st.filterNarrowed) {
    setsockopt(ctx.task, sock, { name: "ICMP_FILTER", mask: ICMP_FILTER_ERRQUEUE });
    st.filterNarrowed = true;
  }
  st.nerrors++;
  if (opts.quiet) return 1;
  if (opts.flood) ctx.out.push("\bE");
  else
    ctx.out.push(
      `${stamp(ctx)}From ${formatIPv4(e.offender)} icmp_seq=${seq} ${errorText(e.type, e.code, e.info)}\n`,
    );
  return 1;
}

/** ping4_parse_reply: an echo reply of ours, or a redirect or source quench about one. */
function parseReply(ctx: ReplyContext, buf: Uint8Array, from: number): void {
  const { opts, st } = ctx;
  const cc = buf.length;
  const ihl = (buf[0] as number) & 15;
  const hlen = ihl * 4;
  if (cc < hlen + 8 || ihl < 5) {
    if (opts.verbose) ctx.errOut.push(`ping: packet too short (${cc} bytes) from ${ctx.prAddr(from)}\n`);
    return;
  }
  const icc = cc - hlen;
  const csfailed = internetChecksum(buf, hlen, cc) !== 0;
  const type = buf[hlen] as number;
  const u16 = (at: number) => ((buf[at] as number) << 8) | (buf[at + 1] as number);
  if (type === ICMP_ECHOREPLY) {
    if (u16(hlen + 4) !== ctx.ident) return;
    const wrongSource = !opts.broadcast && !ctx.multicast && from !== ctx.daddr;
    if (gatherStatistics(ctx, buf, hlen, u16(hlen + 6), csfailed, from, wrongSource)) return;
  } else {
    if (type === ICMP_ECHO) return;
    if (
      type === 4 ||
      type === ICMP_REDIRECT ||
      type === ICMP_DEST_UNREACH ||
      type === ICMP_TIME_EXCEEDED ||
      type === 12
    ) {
      const inner = hlen + 8;
      const innerHl = ((buf[inner] as number) & 15) * 4;
      if (icc < 8 + 20 + 8 || icc < 8 + innerHl + 8) return;
      const innerDaddr = formatIPv4(
        (((buf[inner + 16] as number) << 24) | ((buf[inner + 17] as number) << 16) | u16(inner + 18)) >>> 0,
      );
      if (
        buf[inner + innerHl] !== ICMP_ECHO ||
        innerDaddr !== formatIPv4(ctx.daddr) ||
        u16(inner + innerHl + 4) !== ctx.ident
      )
        return;
      // An error proper was reported from the error queue: its raw copy only acknowledges.
      if (type !== ICMP_REDIRECT && type !== 4) {
        acknowledge(st, u16(inner + innerHl + 6));
        return;
      }
      if (opts.quiet) return;
      const gateway =
        (((buf[hlen + 4] as number) << 24) | ((buf[hlen + 5] as number) << 16) | u16(hlen + 6)) >>> 0;
      ctx.out.push(
        `${stamp(ctx)}From ${ctx.prAddr(from)}: icmp_seq=${u16(inner + innerHl + 6)} ${csfailed ? "(BAD CHECKSUM)" : ""}${prIcmph(ctx, type, buf[hlen + 1] as number, gateway, buf.subarray(inner))}`,
      );
      return;
    }
    if (opts.flood && !(opts.verbose || opts.quiet)) {
      ctx.out.push(csfailed ? "!EC" : "!E");
      return;
    }
    if (!opts.verbose) return;
    let line = "";
    if (opts.ptimeofday) {
      const tv = gettimeofday(ctx.task);
      line += `${tv.sec}.${String(tv.usec).padStart(6, "0")} `;
    }
    line += `From ${ctx.prAddr(from)}: `;
    if (csfailed) line += "(BAD CHECKSUM)\n";
    else {
      const gateway =
        (((buf[hlen + 4] as number) << 24) | ((buf[hlen + 5] as number) << 16) | u16(hlen + 6)) >>> 0;
      line += prIcmph(ctx, type, buf[hlen + 1] as number, gateway, buf.subarray(hlen + 8));
    }
    ctx.out.push(line);
    return;
  }
  let tail = "";
  if (opts.audible) tail += "\x07";
  tail += prOptions(ctx, buf.subarray(20, hlen));
  ctx.out.push(`${tail}\n`);
}

/**
 * gather_statistics: counts and times one echo reply and prints its line (without the newline,
 * which follows the options); true when nothing more is to be printed for it.
 */
function gatherStatistics(
  ctx: ReplyContext,
  buf: Uint8Array,
  hlen: number,
  seq: number,
  csfailed: boolean,
  from: number,
  wrongSource: boolean,
): boolean {
  const { opts, st } = ctx;
  const cc = buf.length - hlen;
  let dup = false;
  let triptime = 0;
  st.nreceived++;
  if (!csfailed) acknowledge(st, seq);
  if (ctx.timing && cc >= 8 + TIMEVAL_LEN) {
    // The receive time (SO_TIMESTAMP, or gettimeofday with -U) less the send time the echo carries.
    const tv = gettimeofday(ctx.task);
    triptime = (tv.sec - getLe64(buf, hlen + 8)) * 1_000_000 + (tv.usec - getLe64(buf, hlen + 16));
    if (triptime < 0) triptime = 0;
    if (!csfailed) {
      st.tsum += triptime;
      st.tsum2 += triptime * triptime;
      if (triptime < st.tmin) st.tmin = triptime;
      if (triptime > st.tmax) st.tmax = triptime;
      if (!st.rtt) st.rtt = triptime * 8;
      else st.rtt += triptime - Math.trunc(st.rtt / 8);
      if (opts.adaptive) ctx.interval = updateInterval(st, ctx.interval);
    }
  }
  if (csfailed) {
    st.nchecksum++;
    st.nreceived--;
  } else if (st.rcvd[seq % MAX_DUP_CHK]) {
    st.nrepeats++;
    st.nreceived--;
    dup = true;
  } else st.rcvd[seq % MAX_DUP_CHK] = 1;
  if (opts.quiet) return true;
  if (opts.flood) {
    ctx.out.push(csfailed ? "\bC" : "\b \b");
    return true;
  }
  let line = `${stamp(ctx)}${cc} bytes from ${ctx.prAddr(from)}: icmp_seq=${seq}`;
  if (opts.verbose) line += ` ident=${ctx.ident}`;
  line += ` ttl=${buf[8]}`;
  if (cc < opts.datalen + 8) {
    ctx.out.push(`${line} (truncated)\n`);
    return true;
  }
  if (ctx.timing) line += ` time=${formatTriptime(triptime)} ms`;
  if (dup && (!ctx.multicast || opts.verbose)) line += " (DUP!)";
  if (csfailed) line += " (BAD CHECKSUM!)";
  if (wrongSource) line += " (DIFFERENT ADDRESS!)";
  // The data after the timestamp must be what was sent.
  const data = buf.subarray(hlen + 8);
  for (let i = TIMEVAL_LEN; i < opts.datalen; i++) {
    if (data[i] !== ctx.outData[i]) {
      line += `\nwrong data byte #${i} should be 0x${(ctx.outData[i] as number).toString(16)} but was 0x${(data[i] ?? 0).toString(16)}`;
      for (let k = TIMEVAL_LEN; k < opts.datalen; k++) {
        if (k % 32 === TIMEVAL_LEN) line += `\n#${k}\t`;
        line += `${(data[k] ?? 0).toString(16)} `;
      }
      break;
    }
  }
  ctx.out.push(line);
  return false;
}

/** A 16-bit field as pr_iph prints it: the network-order bytes read as a little-endian u16. */
function swab16(b: Uint8Array, at: number): string {
  return (((b[at + 1] as number) << 8) | (b[at] as number)).toString(16).padStart(4, "0");
}

/** pr_icmph: the text for an ICMP type and code; with -v, the quoted header after it (pr_iph). */
function prIcmph(ctx: ReplyContext, type: number, code: number, info: number, quoted: Uint8Array): string {
  let text = `${errorText(type, code, info)}\n`;
  if (type === 0) text = "Echo Reply\n";
  else if (type === ICMP_ECHO) text = "Echo Request\n";
  const withIph = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
  if (!withIph || !ctx.opts.verbose || quoted.length < 20) return text;
  const ihl = (quoted[0] as number) & 15;
  const frag = ((quoted[7] as number) << 8) | (quoted[6] as number);
  text += "Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst Data\n";
  text += ` ${((quoted[0] as number) >> 4).toString(16)}  ${ihl.toString(16)}  ${(quoted[1] as number).toString(16).padStart(2, "0")} ${swab16(quoted, 2)} ${swab16(quoted, 4)}`;
  text += `   ${((frag & 0xe000) >> 13).toString(16)} ${(frag & 0x1fff).toString(16).padStart(4, "0")}`;
  text += `  ${(quoted[8] as number).toString(16).padStart(2, "0")}  ${(quoted[9] as number).toString(16).padStart(2, "0")} ${swab16(quoted, 10)}`;
  const addr = (at: number) => `${quoted[at]}.${quoted[at + 1]}.${quoted[at + 2]}.${quoted[at + 3]}`;
  text += ` ${addr(12)}  ${addr(16)} \n`;
  text += prOptions(ctx, quoted.subarray(20, ihl * 4));
  return text;
}

/** pr_options: the IP options of a reply: record route, timestamps, source routes. */
function prOptions(ctx: ReplyContext, opt: Uint8Array): string {
  const st = ctx.st;
  let text = "";
  let totlen = opt.length;
  let at = 0;
  const addrAt = (p: number) => {
    const a =
      (((opt[p] as number) << 24) |
        ((opt[p + 1] as number) << 16) |
        ((opt[p + 2] as number) << 8) |
        (opt[p + 3] as number)) >>>
      0;
    return a === 0 ? "\t0.0.0.0" : `\t${ctx.prAddr(a)}`;
  };
  while (totlen > 0) {
    const kind = opt[at] as number;
    if (kind === 0) break;
    if (kind === IPOPT_NOP) {
      totlen--;
      at++;
      text += "\nNOP";
      continue;
    }
    const olen = opt[at + 1] ?? 0;
    if (olen < 2 || olen > totlen) break;
    switch (kind) {
      case IPOPT_SSRR:
      case IPOPT_LSRR: {
        text += `\n${kind === IPOPT_SSRR ? "S" : "L"}SRR: `;
        let j = opt[at + 1] as number;
        let p = at + 2;
        if (j > IPOPT_MINOFF) {
          for (;;) {
            text += addrAt(p);
            p += 4;
            j -= 4;
            text += "\n";
            if (j <= IPOPT_MINOFF) break;
          }
        }
        break;
      }
      case IPOPT_RR: {
        const j = opt[at + 1] as number;
        let i = opt[at + 2] as number;
        if (i > j) i = j;
        i -= IPOPT_MINOFF;
        if (i <= 0) break;
        const rr = opt.slice(at + 2, at + 2 + i);
        if (st.oldRr && st.oldRr.length === i && st.oldRr.every((b, k) => b === rr[k])) {
          text += "\t(same route)";
          break;
        }
        st.oldRr = rr;
        text += "\nRR: ";
        let p = at + 3;
        for (;;) {
          text += addrAt(p);
          p += 4;
          i -= 4;
          text += "\n";
          if (i <= 0) break;
        }
        break;
      }
      case IPOPT_TS: {
        const j = opt[at + 1] as number;
        let i = opt[at + 2] as number;
        if (i > j) i = j;
        i -= 5;
        if (i <= 0) break;
        const flags = opt[at + 3] as number;
        text += "\nTS: ";
        let p = at + 4;
        let stdtime = 0;
        let nonstdtime = 0;
        for (;;) {
          if ((flags & 15) !== IPOPT_TS_TSONLY) {
            text += addrAt(p);
            p += 4;
            i -= 4;
            if (i <= 0) break;
          }
          const l =
            (((opt[p] as number) << 24) |
              ((opt[p + 1] as number) << 16) |
              ((opt[p + 2] as number) << 8) |
              (opt[p + 3] as number)) >>>
            0;
          p += 4;
          if (l & 0x80000000) {
            const v = l & 0x7fffffff;
            text += nonstdtime === 0 ? `\t${v} absolute not-standard` : `\t${v - nonstdtime} not-standard`;
            nonstdtime = v;
          } else {
            text += stdtime === 0 ? `\t${l} absolute` : `\t${l - stdtime}`;
            stdtime = l;
          }
          i -= 4;
          text += "\n";
          if (i <= 0) break;
        }
        if (flags >> 4) text += `Unrecorded hops: ${flags >> 4}\n`;
        break;
      }
      default:
        text += `\nunknown option ${kind.toString(16)}`;
    }
    totlen -= olen;
    at += olen;
  }
  return text;
}

/** finish(): the statistics, the rtt line with the pipe and (-A) the inter-packet gap. */
function finish(ctx: ReplyContext, curTime: number, start: number): void {
  const { opts, st } = ctx;
  const elapsedNs = curTime - start;
  const sec = Math.floor(elapsedNs / 1e9);
  const nsec = elapsedNs - sec * 1e9;
  let stats = `\n--- ${opts.targets[opts.targets.length - 1]} ping statistics ---\n`;
  stats += `${st.ntransmitted} packets transmitted, ${st.nreceived} received`;
  if (st.nrepeats) stats += `, +${st.nrepeats} duplicates`;
  if (st.nchecksum) stats += `, +${st.nchecksum} corrupted`;
  if (st.nerrors) stats += `, +${st.nerrors} errors`;
  if (st.ntransmitted) {
    const loss = ((st.ntransmitted - st.nreceived) * 100) / st.ntransmitted;
    stats += `, ${formatG(Math.fround(loss))}% packet loss, time ${1000 * sec + Math.trunc((nsec + 500000) / 1000000)}ms`;
  }
  stats += "\n";
  let comma = "";
  if (st.nreceived && ctx.timing) {
    const total = st.nreceived + st.nrepeats;
    const tmavg = Math.trunc(st.tsum / total);
    const tmvar =
      st.tsum < INT_MAX
        ? Math.trunc((st.tsum2 - Math.trunc((st.tsum * st.tsum) / total)) / total)
        : Math.trunc(st.tsum2 / total) - tmavg * tmavg;
    const tmdev = llsqrt(tmvar);
    stats += `rtt min/avg/max/mdev = ${msDotUs(st.tmin)}/${msDotUs(tmavg)}/${msDotUs(st.tmax)}/${msDotUs(tmdev)} ms`;
    comma = ", ";
  }
  if (st.pipesize > 1) {
    stats += `${comma}pipe ${st.pipesize}`;
    comma = ", ";
  }
  if (st.nreceived && (!ctx.interval || opts.flood || opts.adaptive) && st.ntransmitted > 1) {
    const ipg = Math.trunc((1000000 * sec + Math.trunc(nsec / 1000)) / (st.ntransmitted - 1));
    const ewma = Math.trunc(st.rtt / 8);
    stats += `${comma}ipg/ewma ${Math.trunc(ipg / 1000)}.${String(ipg % 1000).padStart(3, "0")}/${Math.trunc(st.rtt / 8000)}.${String(ewma % 1000).padStart(3, "0")} ms`;
  }
  stats += "\n";
  ctx.out.push(stats);
}

/** llsqrt: Newton's integer square root. */
function llsqrt(a: number): number {
  let prev = Number.MAX_SAFE_INTEGER;
  let x = a;
  if (x > 0) {
    while (x < prev) {
      prev = x;
      x = Math.trunc((x + Math.trunc(a / x)) / 2);
    }
  }
  return x;
}

/** printf("%g") for a percentage. */
function formatG(value: number): string {
  return String(Number(value.toPrecision(6)));
}
