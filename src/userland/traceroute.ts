// traceroute, as Debian's traceroute 2.1.2 (Dmitry Butskoy's) prints it: the default UDP method
// (one connected socket per probe, ports from 33434, errors read from the IP_RECVERR queue), -I
// (ICMP echo over one connected raw socket) and -T (mod-tcp: SYNs from a connected raw
// IPPROTO_TCP socket, each probe's source port held by a bound TCP socket, -O's tcp options). Probes go out 16 at a time (-N) and waiting is
// poll() in the kernel's virtual time, with do_it's adaptive timeouts (-w MAX,HERE,NEAR).
import {
  bind,
  clockGettime,
  clockNanosleep,
  close,
  connect,
  getsockname,
  getsockoptMtu,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_PROBE,
  KernelError,
  pollAny,
  recvErr,
  recvfrom,
  type Socket,
  send,
  sendto,
  setsockopt,
  socket,
  sockPending,
  sysctlRead,
  type Task,
} from "../kernel/syscalls.js";
import { formatIPv4 } from "../wire/addr.js";
import { internetChecksum } from "../wire/checksum.js";
import { emitIcmp, ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIME_EXCEEDED } from "../wire/icmp.js";
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from "../wire/ipv4.js";
import { strerror } from "./ip/utils.js";
import { inetAton } from "./ping.js";
import type { Proc, ProgramResult } from "./program.js";

/** CLIF's usage text, printed to stderr when no arguments are given (CLIF_HELP_EMPTY), exit 0. */
const USAGE = `Usage:
  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]
Options:
  -4                          Use IPv4
  -6                          Use IPv6
  -d  --debug                 Enable socket level debugging
  -F  --dont-fragment         Do not fragment packets
  -f first_ttl  --first=first_ttl
                              Start from the first_ttl hop (instead from 1)
  -g gate,...  --gateway=gate,...
                              Route packets through the specified gateway
                              (maximum 8 for IPv4 and 127 for IPv6)
  -I  --icmp                  Use ICMP ECHO for tracerouting
  -T  --tcp                   Use TCP SYN for tracerouting (default port is 80)
  -i device  --interface=device
                              Specify a network interface to operate with
  -m max_ttl  --max-hops=max_ttl
                              Set the max number of hops (max TTL to be
                              reached). Default is 30
  -N squeries  --sim-queries=squeries
                              Set the number of probes to be tried
                              simultaneously (default is 16)
  -n                          Do not resolve IP addresses to their domain names
  -p port  --port=port        Set the destination port to use. It is either
                              initial udp port value for "default" method
                              (incremented by each probe, default is 33434), or
                              initial seq for "icmp" (incremented as well,
                              default from 1), or some constant destination
                              port for other methods (with default of 80 for
                              "tcp", 53 for "udp", etc.)
  -t tos  --tos=tos           Set the TOS (IPv4 type of service) or TC (IPv6
                              traffic class) value for outgoing packets
  -l flow_label  --flowlabel=flow_label
                              Use specified flow_label for IPv6 packets
  -w MAX,HERE,NEAR  --wait=MAX,HERE,NEAR
                              Wait for a probe no more than HERE (default 3)
                              times longer than a response from the same hop,
                              or no more than NEAR (default 10) times than some
                              next hop, or MAX (default 5.0) seconds (float
                              point values allowed too)
  -q nqueries  --queries=nqueries
                              Set the number of probes per each hop. Default is
                              3
  -r                          Bypass the normal routing and send directly to a
                              host on an attached network
  -s src_addr  --source=src_addr
                              Use source src_addr for outgoing packets
  -z sendwait  --sendwait=sendwait
                              Minimal time interval between probes (default 0).
                              If the value is more than 10, then it specifies a
                              number in milliseconds, else it is a number of
                              seconds (float point values allowed too)
  -e  --extensions            Show ICMP extensions (if present), including MPLS
  -A  --as-path-lookups       Perform AS path lookups in routing registries and
                              print results directly after the corresponding
                              addresses
  -M name  --module=name      Use specified module (either builtin or external)
                              for traceroute operations. Most methods have
                              their shortcuts (\`-I' means \`-M icmp' etc.)
  -O OPTS,...  --options=OPTS,...
                              Use module-specific option OPTS for the
                              traceroute module. Several OPTS allowed,
                              separated by comma. If OPTS is "help", print info
                              about available options
  --sport=num                 Use source port num for outgoing packets. Implies
                              \`-N 1'
  --fwmark=num                Set firewall mark for outgoing packets
  -U  --udp                   Use UDP to particular port for tracerouting
                              (instead of increasing the port per each probe),
                              default port is 53
  -UL                         Use UDPLITE for tracerouting (default dest port
                              is 53)
  -D  --dccp                  Use DCCP Request for tracerouting (default port
                              is 33434)
  -P prot  --protocol=prot    Use raw packet of protocol prot for tracerouting
  --mtu                       Discover MTU along the path being traced. Implies
                              \`-F -N 1'
  --back                      Guess the number of hops in the backward path and
                              print if it differs
  -V  --version               Print version info and exit
  --help                      Read this help and exit

Arguments:
+     host          The host to traceroute to
      packetlen     The full packet length (default is the length of an IP
                    header plus 40). Can be ignored or increased to a minimal
                    allowed value
`;

const DEF_START_PORT = 33434;
const DEF_UDP_PORT = 53;
const MAX_HOPS = 255;
const MAX_PROBES = 10;
const MAX_PACKET_LEN = 65000;
const DEF_DATA_LEN = 40;
/** DEF_WAIT_PREC: +1 ms to avoid precision issues. */
const DEF_WAIT_PREC = 0.001;

interface Options {
  module: "default" | "udp" | "icmp" | "tcp";
  /** -O's module options, as given (comma lists, in order). */
  modOpts: string[];
  noresolve: boolean;
  firstHop: number;
  maxHops: number;
  probesPerHop: number;
  simProbes: number;
  waitSecs: number;
  hereFactor: number;
  nearFactor: number;
  sendSecs: number;
  port: number;
  dontfrag: boolean;
  device: string | undefined;
  source: number | undefined;
  host: string | undefined;
  packetLen: number;
}

interface Probe {
  sendTime: number;
  recvTime: number;
  done: boolean;
  final: boolean;
  /** The address that answered; undefined for none. */
  res: number | undefined;
  errStr: string;
  seq: number;
  sk: Socket | undefined;
  recvTtl: number;
  /** mod-tcp's -O info: the final reply's tcp flags (names_by_flags). */
  ext?: string;
}

class Exit {
  constructor(
    readonly stderr: string,
    readonly code: number,
  ) {}
}

const WITH_ARG: Record<string, keyof Options | "wait"> = {
  f: "firstHop",
  m: "maxHops",
  q: "probesPerHop",
  N: "simProbes",
  w: "wait",
  z: "sendSecs",
  p: "port",
  i: "device",
  s: "source",
  M: "module",
  O: "modOpts",
};
const ARG_NAMES: Record<string, string> = {
  f: "first_ttl",
  m: "max_ttl",
  q: "nqueries",
  N: "squeries",
  w: "MAX,HERE,NEAR",
  z: "sendwait",
  p: "port",
  i: "device",
  s: "src_addr",
  M: "name",
  O: "OPTS,...",
};
const LONG: Record<string, string> = {
  first: "f",
  "max-hops": "m",
  queries: "q",
  "sim-queries": "N",
  wait: "w",
  sendwait: "z",
  port: "p",
  interface: "i",
  source: "s",
  icmp: "I",
  tcp: "T",
  udp: "U",
  module: "M",
  options: "O",
  "dont-fragment": "F",
};

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = {
    module: "default",
    modOpts: [],
    noresolve: false,
    firstHop: 1,
    maxHops: 30,
    probesPerHop: 3,
    simProbes: 16,
    waitSecs: 5,
    hereFactor: 3,
    nearFactor: 10,
    sendSecs: 0,
    port: 0,
    dontfrag: false,
    device: undefined,
    source: undefined,
    host: undefined,
    packetLen: -1,
  };
  if (argv.length <= 1) throw new Exit(USAGE, 0);
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    let arg = argv[i] as string;
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const short = LONG[name];
      if (!short) throw new Exit(`Bad option \`${arg}' (argc ${i})\n`, 2);
      arg = eq < 0 ? `-${short}` : `-${short}${arg.slice(eq + 1)}`;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] as string;
      if (flag in WITH_ARG) {
        let value = arg.slice(j + 1);
        const at = i;
        if (value === "") {
          i++;
          if (i >= argv.length)
            throw new Exit(
              `Option \`-${flag}' (argc ${at}) requires an argument: \`-${flag} ${ARG_NAMES[flag]}'\n`,
              2,
            );
          value = argv[i] as string;
        }
        if (!applyOption(opts, flag, value))
          throw new Exit(`Cannot handle \`-${flag}' option with arg \`${value}' (argc ${i})\n`, 2);
        break;
      }
      switch (flag) {
        case "4":
          break;
        case "n":
          opts.noresolve = true;
          break;
        case "I":
          opts.module = "icmp";
          break;
        case "T":
          opts.module = "tcp";
          break;
        case "U":
          opts.module = "udp";
          break;
        case "F":
          opts.dontfrag = true;
          break;
        default:
          if ("6deArDVgtlx".includes(flag))
            throw new Exit(`traceroute: option -${flag} is not supported by netnest yet\n`, 2);
          throw new Exit(`Bad option \`-${flag}' (argc ${i})\n`, 2);
      }
    }
  }
  // The host, then an optional packet length (CLIF arguments).
  if (positional.length === 0) throw new Exit(`Specify "host" missing argument.\n`, 2);
  if (positional.length > 2) {
    throw new Exit(
      `Extra arg \`${positional[2]}' (position 3, argc ${argv.indexOf(positional[2] as string)})\n`,
      2,
    );
  }
  opts.host = positional[0];
  if (positional[1] !== undefined) {
    const len = strtoul(positional[1]);
    if (len === undefined)
      throw new Exit(
        `Cannot handle "packetlen" cmdline arg \`${positional[1]}' on position 2 (argc ${argv.indexOf(positional[1])})\n`,
        2,
      );
    opts.packetLen = len;
  }
  return opts;
}

function strtoul(text: string): number | undefined {
  return /^\s*\d+$/.test(text) ? Number(text) : undefined;
}

function strtod(text: string): { value: number; rest: string } | undefined {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text);
  return m ? { value: Number(m[0]), rest: text.slice(m[0].length) } : undefined;
}

function applyOption(opts: Options, flag: string, value: string): boolean {
  switch (flag) {
    case "w": {
      // set_wait_specs: MAX[,HERE[,NEAR]]; naming only MAX turns the adaptive waits off.
      opts.hereFactor = 0;
      opts.nearFactor = 0;
      const parts = [opts.waitSecs, 0, 0];
      let rest = value;
      for (let k = 0; k < 3; k++) {
        const d = strtod(rest);
        if (!d) return false;
        parts[k] = d.value;
        rest = d.rest;
        if (rest === "") break;
        if (k === 2) return false;
        rest = rest.slice(1);
      }
      [opts.waitSecs, opts.hereFactor, opts.nearFactor] = parts as [number, number, number];
      return true;
    }
    case "z": {
      const d = strtod(value);
      if (d?.rest !== "") return false;
      opts.sendSecs = d.value;
      return true;
    }
    case "i":
      opts.device = value;
      return true;
    case "M": {
      const name = value.toLowerCase();
      if (name === "default" || name === "udp" || name === "icmp" || name === "tcp") opts.module = name;
      else if (["tcpconn", "udplite", "raw", "dccp"].includes(name))
        throw new Exit(`traceroute: module ${name} is not supported by netnest yet\n`, 2);
      else throw new Exit(`Unknown traceroute module ${value}\n`, 2);
      return true;
    }
    case "O":
      opts.modOpts.push(value);
      return true;
    case "s": {
      const addr = inetAton(value);
      if (addr === undefined) return false;
      opts.source = addr;
      return true;
    }
    default: {
      const n = strtoul(value);
      if (n === undefined) return false;
      const key = WITH_ARG[flag] as "firstHop" | "maxHops" | "probesPerHop" | "simProbes" | "port";
      opts[key] = n;
      return true;
    }
  }
}

/** mod-tcp's -O help (CLIF's listing of tcp_options), printed to stderr. */
const TCP_OPTIONS_HELP = `  syn                         Set tcp flag SYN (default if no other tcp flags
                              specified)
  ack                         Set tcp flag ACK,
  fin                         FIN,
  rst                         RST,
  psh                         PSH,
  urg                         URG,
  ece                         ECE,
  cwr                         CWR
  flags=NUM                   Set tcp flags exactly to value NUM
  ecn                         Send syn packet with tcp flags ECE and CWR (for
                              Explicit Congestion Notification, rfc3168)
  sack                        Use sack,
  timestamps                  timestamps,
  window_scaling              window_scaling option for tcp
  sysctl                      Use current sysctl (/proc/sys/net/*) setting for
                              the tcp options and ecn. Always set by default
                              (with "syn") if nothing else specified
  reuse                       Allow to reuse local port numbers for the huge
                              workloads (SO_REUSEADDR)
  mss=NUM                     Use value of NUM for maxseg tcp option (when syn)
  info                        Print tcp flags of final tcp replies when target
                              host is reached. Useful to determine whether an
                              application listens the port etc.
`;

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_ECE = 0x40;
const TH_CWR = 0x80;
const FL_FLAGS = 0x100;
const FL_ECN = 0x200;
const FL_SACK = 0x400;
const FL_TSTAMP = 0x800;
const FL_WSCALE = 0x1000;
/** tcp_flags[]: the names -O takes and names_by_flags prints, in bit order. */
const TCP_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ["fin", TH_FIN],
  ["syn", TH_SYN],
  ["rst", TH_RST],
  ["psh", 0x08],
  ["ack", TH_ACK],
  ["urg", 0x20],
  ["ece", TH_ECE],
  ["cwr", TH_CWR],
];

interface TcpOpts {
  flags: number;
  sysctl: boolean;
  reuse: boolean;
  mss: number;
  info: boolean;
}

/**
 * CLIF's parse of mod-tcp's options (-O a,b=N,…): exact keywords, abbreviations for flags,
 * timestamps and window_scaling, `help` to list them; the errors name each item's place.
 */
function parseTcpOpts(list: readonly string[]): TcpOpts | "help" {
  const o: TcpOpts = { flags: 0, sysctl: false, reuse: false, mss: 0, info: false };
  const items = list.flatMap((v) => v.split(",")).filter((v) => v !== "");
  for (let k = 0; k < items.length; k++) {
    const item = items[k] as string;
    const argc = k + 1;
    if (item === "help") return "help";
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const arg = eq < 0 ? undefined : item.slice(eq + 1);
    const abbrev = (full: string) => key.length > 0 && full.startsWith(key);
    const flag = TCP_FLAG_NAMES.find(([name]) => name === key);
    const needArg = (name: string, meta: string) => {
      if (arg === undefined)
        throw new Exit(`Keyword \`${name}' (argc ${argc}) requires an argument: \`${name}=${meta}'\n`, 2);
    };
    const badArg = (name: string) =>
      new Exit(`Cannot handle \`${name}' keyword with arg \`${arg}' (argc ${argc})\n`, 2);
    if (flag && arg === undefined) o.flags |= flag[1];
    else if (key === "mss") {
      needArg("mss", "NUM");
      const n = strtoul(arg as string);
      if (n === undefined) throw badArg("mss");
      o.mss = n;
    } else if (key !== "" && abbrev("flags") && !flag) {
      needArg("flags", "NUM");
      // set_tcp_flags: strtoul(arg, &q, 0), refused only when it read nothing.
      const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(arg as string);
      if (!m) throw badArg("flags");
      const digits = m[1] as string;
      const value = /^0[xX]/.test(digits)
        ? Number.parseInt(digits.slice(2), 16)
        : digits.startsWith("0")
          ? Number.parseInt(digits, 8)
          : Number(digits);
      o.flags = (o.flags & ~0xff) | (value & 0xff) | FL_FLAGS;
    } else if (arg === undefined && key === "ecn") o.flags |= FL_ECN;
    else if (arg === undefined && key === "sack") o.flags |= FL_SACK;
    else if (arg === undefined && abbrev("timestamps")) o.flags |= FL_TSTAMP;
    else if (arg === undefined && abbrev("window_scaling")) o.flags |= FL_WSCALE;
    else if (arg === undefined && key === "sysctl") o.sysctl = true;
    else if (arg === undefined && key === "reuse") o.reuse = true;
    else if (arg === undefined && key === "info") o.info = true;
    else throw new Exit(`\`${item}' (argc ${argc}): arguments are not allowed\n`, 2);
  }
  return o;
}

/** names_by_flags: the set flags' names, comma-separated. */
function namesByFlags(flags: number): string {
  return TCP_FLAG_NAMES.filter(([, bit]) => flags & bit)
    .map(([name]) => name)
    .join(",");
}

/** tcp_init's sample header: flags, window 4 × mss, and the options the flags ask for. */
function buildSyn(task: Task, o: TcpOpts, port: number, mss: number): Uint8Array {
  let flags = o.flags;
  // Nothing asked for: the SYN a connect() would send, options as the sysctls have them.
  if (!flags || o.sysctl) {
    const on = (name: string) => {
      try {
        return sysctlRead(task, `net/ipv4/tcp_${name}`).startsWith("1");
      } catch {
        return false;
      }
    };
    if (on("ecn")) flags |= FL_ECN;
    if (on("sack")) flags |= FL_SACK;
    if (on("timestamps")) flags |= FL_TSTAMP;
    if (on("window_scaling")) flags |= FL_WSCALE;
  }
  if (!(flags & (FL_FLAGS | 0xff))) {
    flags |= TH_SYN;
    if (flags & FL_ECN) flags |= TH_ECE | TH_CWR;
  }
  const opt: number[] = [];
  const u32 = (v: number) => opt.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (flags & TH_SYN) {
    const m = o.mss || mss;
    opt.push(2, 4, (m >> 8) & 0xff, m & 0xff);
  }
  if (flags & FL_TSTAMP) {
    opt.push(...(flags & FL_SACK ? [4, 2] : [1, 1]), 8, 10);
    u32(task.host.randomU32());
    u32(flags & TH_ACK ? task.host.randomU32() : 0);
  } else if (flags & FL_SACK) opt.push(1, 1, 4, 2);
  if (flags & FL_WSCALE) opt.push(1, 3, 3, 2);
  const len = 20 + opt.length;
  const th = new Uint8Array(len);
  th[2] = port >> 8;
  th[3] = port & 0xff;
  th[12] = (len >> 2) << 4;
  th[13] = flags & 0xff;
  const win = (4 * mss) & 0xffff;
  th[14] = win >> 8;
  th[15] = win & 0xff;
  th.set(opt, 20);
  return th;
}

/** The segment's checksum over the pseudo-header (in_csum of tcp_init's layout). */
function tcpChecksum(th: Uint8Array, saddr: number, daddr: number): void {
  const buf = new Uint8Array(12 + th.length);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, saddr);
  dv.setUint32(4, daddr);
  dv.setUint16(8, th.length);
  dv.setUint16(10, IPPROTO_TCP);
  th[16] = 0;
  th[17] = 0;
  buf.set(th, 12);
  const sum = internetChecksum(buf, 0, buf.length);
  th[16] = sum >> 8;
  th[17] = sum & 0xff;
}

/** getaddrinfo as the resolver answers here: numbers, and localhost from /etc/hosts. */
function getaddr(name: string): number | undefined {
  const addr = inetAton(name);
  if (addr !== undefined) return addr;
  if (name === "localhost") return 0x7f000001;
  return undefined;
}

/** getnameinfo without NI_NAMEREQD: /etc/hosts names, otherwise the number. */
function nameOf(addr: number): string {
  return addr === 0x7f000001 ? "localhost" : formatIPv4(addr);
}

export async function traceroute(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const out: string[] = [];
  try {
    await run(argv, proc.task, out);
    return { stdout: out.join(""), stderr: "", exitCode: 0 };
  } catch (err) {
    if (err instanceof Exit) return { stdout: out.join(""), stderr: err.stderr, exitCode: err.code };
    throw err;
  }
}

/** error(): a newline, perror, exit 1. */
function fail(what: string, err: KernelError): Exit {
  return new Exit(`\n${what}: ${strerror(err.errno)}\n`, 1);
}

async function run(argv: readonly string[], task: Task, out: string[]): Promise<void> {
  const opts = parseArgs(argv);
  // CLIF reads the module's own options (-O) before anything is resolved or sent.
  const tcpOpts = opts.module === "tcp" ? parseTcpOpts(opts.modOpts) : undefined;
  if (tcpOpts === "help") throw new Exit(TCP_OPTIONS_HELP, 0);
  if (opts.modOpts.length > 0 && !tcpOpts)
    throw new Exit("traceroute: option -O is not supported by netnest yet for this module\n", 2);
  const host = opts.host as string;
  const dst = getaddr(host);
  if (dst === undefined) {
    throw new Exit(
      `${host}: Temporary failure in name resolution\nCannot handle "host" cmdline arg \`${host}' on position 1 (argc ${argv.indexOf(host)})\n`,
      2,
    );
  }
  if (!opts.firstHop || opts.firstHop > opts.maxHops) throw new Exit("first hop out of range\n", 2);
  if (opts.maxHops > MAX_HOPS) throw new Exit(`max hops cannot be more than ${MAX_HOPS}\n`, 2);
  if (!opts.probesPerHop || opts.probesPerHop > MAX_PROBES)
    throw new Exit(`no more than ${MAX_PROBES} probes per hop\n`, 2);
  if (opts.packetLen > MAX_PACKET_LEN) throw new Exit(`too big packetlen ${opts.packetLen} specified\n`, 2);
  if (opts.sendSecs >= 10) opts.sendSecs /= 1000;

  const icmp = opts.module === "icmp";
  const tcp = tcpOpts !== undefined;
  const opsHeaderLen = icmp || tcp ? 0 : 8;
  let headerLen = 20 + opsHeaderLen;
  let dataLen = 0;
  if (opts.packetLen < 0) {
    if (DEF_DATA_LEN >= opsHeaderLen) dataLen = DEF_DATA_LEN - opsHeaderLen;
  } else if (opts.packetLen >= headerLen) dataLen = opts.packetLen - headerLen;

  const numProbes = opts.maxHops * opts.probesPerHop;
  const probes: Probe[] = Array.from({ length: numProbes }, () => ({
    sendTime: 0,
    recvTime: 0,
    done: false,
    final: false,
    res: undefined,
    errStr: "",
    seq: 0,
    sk: undefined,
    recvTtl: 0,
  }));
  // gettimeofday, in seconds: never near 0 (a probe not yet sent) or 1.0 (one check_expired keeps
  // from being resent, which must be long past as it is on the wall clock). A million seconds
  // after zero keeps nanoseconds exact in a double.
  const now = () => clockGettime(task) / 1e9 + 1e6;

  const tuneSocket = (sk: Socket) => {
    if (opts.device !== undefined) {
      try {
        setsockopt(task, sk, { name: "SO_BINDTODEVICE", ifname: opts.device });
      } catch (err) {
        if (err instanceof KernelError) throw fail("setsockopt SO_BINDTODEVICE", err);
        throw err;
      }
    }
    try {
      bind(task, sk, opts.source ?? 0);
    } catch (err) {
      if (err instanceof KernelError) throw fail("bind", err);
      throw err;
    }
    setsockopt(task, sk, {
      name: "IP_MTU_DISCOVER",
      value: opts.dontfrag ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT,
    });
  };

  // A raw socket of the method's protocol, tuned, connected to the target, with IP_RECVERR.
  const openRaw = async (protocol: number): Promise<Socket> => {
    const sk = socket(task, "SOCK_RAW", protocol);
    sockets.push(sk);
    tuneSocket(sk);
    try {
      await connect(task, sk, dst);
    } catch (err) {
      if (err instanceof KernelError) throw fail("connect", err);
      throw err;
    }
    setsockopt(task, sk, { name: "IP_RECVERR", on: true });
    return sk;
  };

  // The method's init, which runs before the header is printed.
  let icmpSk: Socket | undefined;
  let icmpSeq = opts.port || 1;
  let icmpIdent = 0;
  let curPort = opts.module === "default" ? opts.port || DEF_START_PORT : opts.port || DEF_UDP_PORT;
  const sockets: Socket[] = [];
  let icmpData = new Uint8Array(0);
  let udpData = new Uint8Array(0);
  if (icmp) {
    const len = Math.max(dataLen, 8);
    dataLen = len;
    icmpData = new Uint8Array(len);
    for (let i = 8; i < len; i++) icmpData[i] = 0x40 + (i & 0x3f);
    icmpSk = await openRaw(IPPROTO_ICMP);
    icmpIdent = task.host.randomU32() & 0xffff;
  } else if (!tcp) {
    udpData = new Uint8Array(dataLen);
    for (let i = 0; i < dataLen; i++) udpData[i] = 0x40 + (i & 0x3f);
  }
  // tcp_init: a raw socket connected to the target, and the SYN every probe copies.
  let rawSk: Socket | undefined;
  let tcpHdr: Uint8Array = new Uint8Array(0);
  let tcpSrc = 0;
  const tcpPort = opts.port || 80;
  if (tcpOpts) {
    rawSk = await openRaw(IPPROTO_TCP);
    tcpSrc = getsockname(task, rawSk).addr;
    let mtu: number;
    try {
      mtu = getsockoptMtu(task, rawSk);
    } catch {
      mtu = 576;
    }
    if (mtu < 576) mtu = 576;
    const mss = mtu - 20 - 20;
    tcpHdr = buildSyn(task, tcpOpts, tcpPort, mss);
    // The data length is ignored: the packet is the header and its options.
    headerLen = 20 + tcpHdr.length;
    dataLen = 0;
  }

  try {
    out.push(
      `traceroute to ${host} (${formatIPv4(dst)}), ${opts.maxHops} hops max, ${headerLen + dataLen} byte packets`,
    );
    let ttlSet = 0;
    /**
     * set_ttl when it changed, then do_send on the raw socket; false when the probe must wait
     * (ENOBUFS, EAGAIN), a failure otherwise (EMSGSIZE and EHOSTUNREACH come back as errors).
     */
    const rawSend = (sk: Socket, ttl: number, data: Uint8Array, pb: Probe): boolean => {
      if (ttl !== ttlSet) {
        setsockopt(task, sk, { name: "IP_TTL", ttl });
        ttlSet = ttl;
      }
      pb.sendTime = now();
      try {
        sendto(task, sk, data, dst);
      } catch (err) {
        if (!(err instanceof KernelError)) throw err;
        if (err.errno === "ENOBUFS" || err.errno === "EAGAIN") {
          pb.sendTime = 0;
          return false;
        }
        if (err.errno !== "EMSGSIZE" && err.errno !== "EHOSTUNREACH") throw fail("send", err);
      }
      return true;
    };

    const sendProbe = async (pb: Probe, ttl: number) => {
      if (tcpOpts) {
        const raw = rawSk as Socket;
        // tcp_send_probe: a TCP socket, bound and held, makes the source port the kernel's own;
        // the target's SYN+ACK then finds no socket there and the kernel answers it with a RST.
        const sk = socket(task, "SOCK_STREAM", 0);
        try {
          if (opts.device !== undefined)
            setsockopt(task, sk, { name: "SO_BINDTODEVICE", ifname: opts.device });
          if (tcpOpts.reuse) setsockopt(task, sk, { name: "SO_REUSEADDR", on: true });
          bind(task, sk, opts.source ?? 0);
        } catch (err) {
          close(task, sk);
          if (err instanceof KernelError) throw fail("bind", err);
          throw err;
        }
        const port = getsockname(task, sk).port;
        const th = tcpHdr.slice();
        th[0] = port >> 8;
        th[1] = port & 0xff;
        const seq = task.host.randomU32();
        th[4] = seq >>> 24;
        th[5] = (seq >>> 16) & 0xff;
        th[6] = (seq >>> 8) & 0xff;
        th[7] = seq & 0xff;
        tcpChecksum(th, tcpSrc, dst);
        let sent: boolean;
        try {
          sent = rawSend(raw, ttl, th, pb);
        } catch (err) {
          close(task, sk);
          throw err;
        }
        if (!sent) {
          close(task, sk);
          return;
        }
        pb.seq = port;
        pb.sk = sk;
        return;
      }
      if (icmp) {
        const payload = icmpData.slice();
        emitIcmp(payload, 0, {
          kind: "echo",
          type: ICMP_ECHO,
          id: icmpIdent,
          seq: icmpSeq & 0xffff,
          data: payload.slice(8),
        });
        if (!rawSend(icmpSk as Socket, ttl, payload, pb)) return;
        pb.seq = icmpSeq & 0xffff;
        icmpSeq++;
        return;
      }
      const sk = socket(task, "SOCK_DGRAM", IPPROTO_UDP);
      tuneSocket(sk);
      setsockopt(task, sk, { name: "IP_TTL", ttl });
      try {
        await connect(task, sk, dst, curPort);
      } catch (err) {
        close(task, sk);
        if (err instanceof KernelError) throw fail("connect", err);
        throw err;
      }
      setsockopt(task, sk, { name: "IP_RECVERR", on: true });
      pb.sendTime = now();
      try {
        await send(task, sk, udpData);
      } catch (err) {
        if (!(err instanceof KernelError)) throw err;
        if (err.errno === "ENOBUFS" || err.errno === "EAGAIN") {
          close(task, sk);
          pb.sendTime = 0;
          return;
        }
        if (err.errno !== "EMSGSIZE" && err.errno !== "EHOSTUNREACH") {
          close(task, sk);
          throw fail("send", err);
        }
      }
      pb.sk = sk;
      sockets.push(sk);
      pb.seq = curPort;
      if (opts.module === "default") curPort = (curPort + 1) & 0xffff;
    };

    const probeDone = (pb: Probe) => {
      if (pb.sk) {
        close(task, pb.sk);
        const at = sockets.indexOf(pb.sk);
        if (at >= 0) sockets.splice(at, 1);
        pb.sk = undefined;
      }
      pb.seq = 0;
      pb.done = true;
    };

    const parseIcmpRes = (pb: Probe, type: number, code: number, info: number) => {
      if (type === ICMP_TIME_EXCEEDED && code === 0) return;
      if (type === ICMP_DEST_UNREACH) {
        const texts: Record<number, string> = {
          0: "!N",
          6: "!N",
          8: "!N",
          11: "!N",
          1: "!H",
          7: "!H",
          12: "!H",
          9: "!X",
          10: "!X",
          13: "!X",
          2: "!P",
          5: "!S",
          14: "!V",
          15: "!C",
        };
        if (code === 4) pb.errStr = `!F-${info}`;
        else if (code !== 3) pb.errStr = texts[code] ?? `!<${code}>`;
      } else pb.errStr = `!<${type}-${code}>`;
      pb.final = true;
    };

    // recv_reply with the method's check_reply.
    const recvReply = (sk: Socket, err: boolean) => {
      let pb: Probe | undefined;
      let res: number | undefined;
      let recvTtl = 0;
      const e = err ? recvErr(task, sk) : undefined;
      if (err && !e) return;
      // recv_reply: what a raw socket reads comes with its IPv4 header, which goes.
      let buf: Uint8Array = new Uint8Array(0);
      if (tcpOpts || icmp) {
        if (e) buf = e.payload;
        else {
          const msg = recvfrom(task, sk);
          if (!msg) return;
          buf = msg.data.subarray(((msg.data[0] as number) & 15) * 4);
          res = msg.from;
          recvTtl = msg.data[8] as number;
        }
        if (buf.length < 8) return;
      }
      if (tcpOpts) {
        // tcp_check_reply: a reply names our port as its destination, an error quotes it as source.
        if (!e && res !== dst) return;
        const a = ((buf[0] as number) << 8) | (buf[1] as number);
        const b = ((buf[2] as number) << 8) | (buf[3] as number);
        const [sport, dport] = e ? [a, b] : [b, a];
        if (dport !== tcpPort) return;
        pb = probes.find((p) => p.seq === sport && !p.done && p.sendTime > 0);
        if (!pb) return;
        if (!e) {
          pb.final = true;
          if (tcpOpts.info) pb.ext = namesByFlags(buf[13] ?? 0);
        }
      } else if (icmp) {
        const id = ((buf[4] as number) << 8) | (buf[5] as number);
        const seq = ((buf[6] as number) << 8) | (buf[7] as number);
        if (id !== icmpIdent || seq <= 0) return;
        pb = probes.find((p) => p.seq === seq);
        if (!pb) return;
        if (!e) {
          if (buf[0] !== ICMP_ECHOREPLY) return;
          pb.final = true;
        }
      } else {
        pb = probes.find((p) => p.sk === sk);
        if (!pb || !e || pb.seq !== e.port) return;
      }
      pb.recvTime = now();
      if (!e) {
        pb.res = res;
        pb.recvTtl = recvTtl;
      } else if (e.origin === "icmp") {
        pb.res = e.offender;
        pb.recvTtl = e.ttl;
        parseIcmpRes(pb, e.type, e.code, e.info);
      } else {
        // parse_local_res
        if (e.errno === "EMSGSIZE" && e.info !== 0) {
          pb.errStr = `!F-${e.info}`;
          pb.final = true;
        } else
          throw new Exit(
            `\nlocal recverr: ${e.errno === "EPROTO" ? "Protocol error" : strerror(e.errno)}\n`,
            1,
          );
      }
      probeDone(pb);
    };

    const getTimeout = (pb: Probe): number => {
      const idx = probes.indexOf(pb);
      if (opts.hereFactor) {
        const base = idx - (idx % opts.probesPerHop);
        for (let i = 0; i < opts.probesPerHop; i++) {
          const p = probes[base + i] as Probe;
          const value = p.recvTime - p.sendTime;
          if (p.done && value > 0) {
            const v = (value + DEF_WAIT_PREC) * opts.hereFactor;
            return Math.min(v, opts.waitSecs);
          }
        }
      }
      if (opts.nearFactor) {
        for (let i = idx + 1; i < numProbes && (probes[i] as Probe).sendTime; i++) {
          const p = probes[i] as Probe;
          const value = p.recvTime - p.sendTime;
          if (p.done && value > 0) {
            const v = (value + DEF_WAIT_PREC) * opts.nearFactor;
            return Math.min(v, opts.waitSecs);
          }
        }
      }
      return opts.waitSecs;
    };

    const ttl2hops = (ttl: number) => (ttl <= 64 ? 65 : ttl <= 128 ? 129 : 256) - ttl;

    const checkExpired = (idx: number) => {
      const pb = probes[idx] as Probe;
      if (!pb.done) return;
      const per = opts.probesPerHop;
      let pfp: Probe | undefined;
      for (let i = idx - (idx % per); i < idx; i++) {
        const p = probes[i] as Probe;
        if (!p.done || !p.final) return;
        pfp = p;
      }
      let fpIdx = -1;
      for (let i = idx + 1; i < numProbes && (probes[i] as Probe).sendTime; i++) {
        const p = probes[i] as Probe;
        if (p.done) {
          if (!p.final) return;
          fpIdx = i;
          break;
        }
      }
      if (fpIdx < 0) return;
      const fp = probes[fpIdx] as Probe;
      if (!fp.errStr) return;
      const replace = () => {
        probes[idx] = { ...fp };
        probes[fpIdx] = {
          sendTime: 1,
          recvTime: 0,
          done: false,
          final: false,
          res: undefined,
          errStr: "",
          seq: 0,
          sk: undefined,
          recvTtl: 0,
        };
      };
      if (pfp || (idx % per) + (fpIdx - idx) < per) return replace();
      for (let i = idx - 1; i >= 0; i--) {
        if ((probes[i] as Probe).res !== undefined && (probes[i] as Probe).res === fp.res) return replace();
      }
      if (fp.recvTtl) {
        let backHops = ttl2hops(fp.recvTtl);
        for (let i = idx - 1; i >= 0; i--) {
          const p = probes[i] as Probe;
          if (p.done && !p.final && p.recvTtl) {
            const hops = ttl2hops(p.recvTtl);
            if (hops < backHops) {
              backHops = backHops - hops + (Math.floor(i / per) + 1);
              break;
            }
          }
        }
        const ttl = Math.floor(idx / per) + 1;
        if (backHops <= ttl) return replace();
      }
    };

    const printProbe = (idx: number) => {
      const pb = probes[idx] as Probe;
      const ttl = Math.floor(idx / opts.probesPerHop) + 1;
      let np = idx % opts.probesPerHop;
      if (np === 0) out.push(`\n${String(ttl).padStart(2)} `);
      if (pb.res === undefined) out.push(" *");
      else {
        let prn = np === 0;
        if (np) {
          let p = idx - 1;
          while (np && (probes[p] as Probe).res === undefined) {
            p--;
            np--;
          }
          if (!np || (probes[p] as Probe).res !== pb.res || (probes[p] as Probe).ext !== pb.ext) prn = true;
        }
        if (prn) {
          out.push(opts.noresolve ? ` ${formatIPv4(pb.res)}` : ` ${nameOf(pb.res)} (${formatIPv4(pb.res)})`);
          if (pb.ext) out.push(` <${pb.ext}>`);
        }
      }
      if (pb.recvTime) out.push(`  ${((pb.recvTime - pb.sendTime) * 1000).toFixed(3)} ms`);
      if (pb.errStr) out.push(` ${pb.errStr}`);
    };

    // do_it
    let start = (opts.firstHop - 1) * opts.probesPerHop;
    let end = numProbes;
    let lastSend = 0;
    while (start < end) {
      let num = 0;
      let nextTime = 0;
      const nowTime = now();
      for (let n = start; n < end; n++) {
        let pb = probes[n] as Probe;
        if (n === start && !pb.done && pb.sendTime) {
          const expire = pb.sendTime + getTimeout(pb);
          if (expire > nowTime) nextTime = expire;
          else {
            probeDone(pb);
            checkExpired(n);
            pb = probes[n] as Probe;
          }
        }
        if (pb.done) {
          if (n === start) {
            printProbe(n);
            start++;
          }
          if (pb.final) end = (Math.floor(n / opts.probesPerHop) + 1) * opts.probesPerHop;
          continue;
        }
        if (!pb.sendTime) {
          if (opts.sendSecs) {
            const next = lastSend + opts.sendSecs;
            if (next > nowTime) {
              nextTime = next;
              break;
            }
          }
          await sendProbe(pb, Math.floor(n / opts.probesPerHop) + 1);
          if (!pb.sendTime) {
            if (nextTime) break;
            throw new Exit("\nsend probe: No buffer space available\n", 1);
          }
          lastSend = pb.sendTime;
        }
        if (!nextTime) nextTime = pb.sendTime + getTimeout(pb);
        num++;
        if (num >= opts.simProbes) break;
      }
      if (nextTime) {
        // do_poll: poll(2) rounds the timeout up to whole milliseconds.
        const timeoutMs = Math.ceil(Math.max(0, nextTime - now()) * 1000);
        const active = icmp || tcp ? sockets : probes.flatMap((p) => (p.sk ? [p.sk] : []));
        // poll(2) with no descriptors just sleeps for its timeout.
        if (active.length === 0) {
          await clockNanosleep(task, timeoutMs * 1_000_000);
          continue;
        }
        if (!(await pollAny(task, active, clockGettime(task) + timeoutMs * 1_000_000))) continue;
        for (const sk of [...active]) {
          const { pollin, pollerr } = sockPending(task, sk);
          if (pollin || pollerr) recvReply(sk, pollerr);
        }
      }
    }
    out.push("\n");
  } finally {
    for (const sk of sockets) close(task, sk);
    for (const p of probes) if (p.sk) close(task, p.sk);
  }
}
