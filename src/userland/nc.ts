// nc: netcat-openbsd 1.219 with Debian's patches (1.219-1), as netcat.c's main, remote_connect,
// local_listen and readwrite do it. Text, order and exit status follow the real program; kernel
// errors reach it as errnos through the socket calls.
import {
  accept,
  bind,
  clockGettime,
  clockNanosleep,
  close,
  connect,
  getpeername,
  getsockname,
  KernelError,
  listen,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  poll,
  recvfrom,
  type Socket,
  send,
  setsockopt,
  shutdown,
  socket,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "./ip/utils.js";
import {
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_NONAME,
  EAI_SERVICE,
  getaddrinfo,
  getnameinfo,
  getservbyname,
  getservbyport,
  inetAton,
} from "./netdb.js";
import type { Proc, ProgramResult } from "./program.js";

const USAGE =
  "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n" +
  "\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n" +
  "\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n" +
  "\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n" +
  "\t  [destination] [port]\n";

const HELP =
  "\tCommand Summary:\n" +
  "\t\t-4\t\tUse IPv4\n" +
  "\t\t-6\t\tUse IPv6\n" +
  "\t\t-b\t\tAllow broadcast\n" +
  "\t\t-C\t\tSend CRLF as line-ending\n" +
  "\t\t-D\t\tEnable the debug socket option\n" +
  "\t\t-d\t\tDetach from stdin\n" +
  "\t\t-F\t\tPass socket fd\n" +
  "\t\t-h\t\tThis help text\n" +
  "\t\t-I length\tTCP receive buffer length\n" +
  "\t\t-i interval\tDelay interval for lines sent, ports scanned\n" +
  "\t\t-k\t\tKeep inbound sockets open for multiple connects\n" +
  "\t\t-l\t\tListen mode, for inbound connects\n" +
  "\t\t-M ttl\t\tOutgoing TTL / Hop Limit\n" +
  "\t\t-m minttl\tMinimum incoming TTL / Hop Limit\n" +
  "\t\t-N\t\tShutdown the network socket after EOF on stdin\n" +
  "\t\t-n\t\tSuppress name/port resolutions\n" +
  "\t\t-O length\tTCP send buffer length\n" +
  "\t\t-P proxyuser\tUsername for proxy authentication\n" +
  "\t\t-p port\t\tSpecify local port for remote connects\n" +
  "\t\t-q secs\t\tquit after EOF on stdin and delay of secs\n" +
  "\t\t-r\t\tRandomize remote ports\n" +
  "\t\t-S\t\tEnable the TCP MD5 signature option\n" +
  "\t\t-s sourceaddr\tLocal source address\n" +
  "\t\t-T keyword\tTOS value\n" +
  "\t\t-t\t\tAnswer TELNET negotiation\n" +
  "\t\t-U\t\tUse UNIX domain socket\n" +
  "\t\t-u\t\tUDP mode\n" +
  "\t\t-V rtable\tSpecify alternate routing table\n" +
  "\t\t-v\t\tVerbose\n" +
  "\t\t-W recvlimit\tTerminate after receiving a number of packets\n" +
  "\t\t-w timeout\tTimeout for connects and final net reads\n" +
  '\t\t-X proto\tProxy protocol: "4", "5" (SOCKS) or "connect"\n' +
  "\t\t-x addr[:port]\tSpecify proxy address and port\n" +
  "\t\t-Z\t\tDCCP mode\n" +
  "\t\t-z\t\tZero-I/O mode [used for scanning]\n" +
  "\tPort numbers can be individual or ranges: lo-hi [inclusive]\n";

/** getopt's optstring without TLS: which letters take an argument. */
const OPTSTRING = "46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz";

const BUFSIZE = 16384;
const PORT_MAX = 65535;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UDP_SCAN_TIMEOUT = 3;
const POLLNVAL = 0x20;
const SEC = 1_000_000_000;

/** exit(3) from anywhere in the program. */
class Exit {
  constructor(readonly code: number) {}
}

/** IPTOS keywords of process_tos_opt. */
const TOS_KEYWORDS: Readonly<Record<string, number>> = {
  af11: 0x28,
  af12: 0x30,
  af13: 0x38,
  af21: 0x48,
  af22: 0x50,
  af23: 0x58,
  af31: 0x68,
  af32: 0x70,
  af33: 0x78,
  af41: 0x88,
  af42: 0x90,
  af43: 0x98,
  critical: 0xa0,
  cs0: 0x00,
  cs1: 0x20,
  cs2: 0x40,
  cs3: 0x60,
  cs4: 0x80,
  cs5: 0xa0,
  cs6: 0xc0,
  cs7: 0xe0,
  ef: 0xb8,
  inetcontrol: 0xc0,
  lowcost: 0x02,
  lowdelay: 0x10,
  netcontrol: 0xe0,
  reliability: 0x04,
  throughput: 0x08,
};

interface Opts {
  family: "unspec" | "inet" | "inet6" | "unix";
  bflag: boolean;
  Cflag: boolean;
  Dflag: boolean;
  dflag: boolean;
  Fflag: boolean;
  iflag: number;
  Iflag: number;
  kflag: boolean;
  lflag: boolean;
  ttl: number;
  minttl: number;
  Nflag: boolean;
  nflag: boolean;
  Oflag: number;
  pflag: string | undefined;
  qflag: number;
  rflag: boolean;
  sflag: string | undefined;
  Tflag: number;
  tflag: boolean;
  uflag: boolean;
  dccpflag: boolean;
  vflag: boolean;
  recvlimit: number;
  /** -w in milliseconds, -1 for none (poll's infinite timeout). */
  timeout: number;
  xflag: boolean;
  proxy: string;
  zflag: boolean;
}

/** libbsd strtonum(3): a base-10 long long within [min, max], else why not. */
export function strtonum(
  text: string,
  min: number,
  max: number,
): { readonly value: number } | { readonly error: "invalid" | "too small" | "too large" } {
  if (min > max || !/^[\s]*[+-]?\d+$/.test(text)) return { error: "invalid" };
  const value = Number(text.trim());
  if (value < min) return { error: "too small" };
  if (value > max) return { error: "too large" };
  return { value };
}

/** Everything nc writes goes out as it happens (a killed server keeps what it printed). */
interface Io {
  readonly task: Task;
  readonly out: (text: string) => void;
  /** What came from the network, to stdout unchanged (write(1, buf, n)). */
  readonly outBytes: (data: Uint8Array) => void;
  readonly err: (text: string) => void;
  readonly socks: Set<Socket>;
}

function errx(io: Io, message: string): never {
  io.err(`nc: ${message}\n`);
  throw new Exit(1);
}

/** err(3): the message, then strerror(errno); without a message just strerror. */
function errWith(io: Io, message: string | undefined, errno: string): never {
  io.err(message === undefined ? `nc: ${errno}\n` : `nc: ${message}: ${errno}\n`);
  throw new Exit(1);
}

function usage(io: Io): never {
  io.err(USAGE);
  throw new Exit(1);
}

function errnoText(e: unknown): string {
  if (e instanceof KernelError) return strerror(e.errno);
  throw e;
}

export async function nc(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  // Where no byte-clean stdout is offered (the library API), data is shown as UTF-8 text.
  const decoder = new TextDecoder();
  const io: Io = {
    task: proc.task,
    out: (text) => proc.write(1, text),
    outBytes: (data) => {
      if (proc.writeBytes) proc.writeBytes(1, data);
      else proc.write(1, decoder.decode(data, { stream: true }));
    },
    err: (text) => proc.write(2, text),
    socks: new Set(),
  };
  try {
    const code = await main(argv, proc, io);
    return { stdout: "", stderr: "", exitCode: code };
  } catch (e) {
    if (e instanceof Exit) return { stdout: "", stderr: "", exitCode: e.code };
    throw e;
  } finally {
    // exit(): the descriptors close.
    for (const s of io.socks) close(proc.task, s);
  }
}

/** glibc getopt over OPTSTRING, permuting: options may follow operands; `--` ends them. */
function* getopt(
  argv: readonly string[],
  operands: string[],
): Generator<{ readonly ch: string; readonly arg?: string } | { readonly error: string }> {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      operands.push(...argv.slice(i + 1));
      return;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      const at = c === ":" ? -1 : OPTSTRING.indexOf(c);
      if (at < 0) {
        yield { error: `invalid option -- '${c}'` };
        continue;
      }
      if (OPTSTRING[at + 1] !== ":") {
        yield { ch: c };
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest !== "") yield { ch: c, arg: rest };
      else if (i + 1 < argv.length) yield { ch: c, arg: argv[++i] as string };
      else yield { error: `option requires an argument -- '${c}'` };
      break;
    }
  }
}

function parseOptions(argv: readonly string[], io: Io, operands: string[]): Opts {
  const o: Opts = {
    family: "unspec",
    bflag: false,
    Cflag: false,
    Dflag: false,
    dflag: false,
    Fflag: false,
    iflag: 0,
    Iflag: 0,
    kflag: false,
    lflag: false,
    ttl: -1,
    minttl: -1,
    Nflag: false,
    nflag: false,
    Oflag: 0,
    pflag: undefined,
    qflag: -1,
    rflag: false,
    sflag: undefined,
    Tflag: -1,
    tflag: false,
    uflag: false,
    dccpflag: false,
    vflag: false,
    recvlimit: 0,
    timeout: -1,
    xflag: false,
    proxy: "",
    zflag: false,
  };
  const num = (arg: string, min: number, max: number, fail: (why: string) => string): number => {
    const r = strtonum(arg, min, max);
    if ("error" in r) errx(io, fail(r.error));
    return r.value;
  };
  for (const opt of getopt(argv, operands)) {
    if ("error" in opt) {
      io.err(`nc: ${opt.error}\n`);
      usage(io);
    }
    const arg = opt.arg ?? "";
    switch (opt.ch) {
      case "4":
        o.family = "inet";
        break;
      case "6":
        o.family = "inet6";
        break;
      case "b":
        o.bflag = true;
        break;
      case "U":
        o.family = "unix";
        break;
      case "X":
        if (arg.toLowerCase() !== "connect" && arg !== "4" && arg !== "5")
          errx(io, "unsupported proxy protocol");
        break;
      case "C":
        o.Cflag = true;
        break;
      case "d":
        o.dflag = true;
        break;
      case "F":
        o.Fflag = true;
        break;
      case "h":
        io.err("OpenBSD netcat (Debian patchlevel 1.219-1)\n");
        io.err(USAGE);
        io.err(HELP);
        throw new Exit(0);
      case "i":
        o.iflag = num(arg, 0, 4294967295, (why) => `interval ${why}: ${arg}`);
        break;
      case "k":
        o.kflag = true;
        break;
      case "l":
        o.lflag = true;
        break;
      case "M":
        o.ttl = num(arg, 0, 255, (why) => `ttl is ${why}`);
        break;
      case "m":
        o.minttl = num(arg, 0, 255, (why) => `minttl is ${why}`);
        break;
      case "N":
        o.Nflag = true;
        break;
      case "n":
        o.nflag = true;
        break;
      case "P":
        break;
      case "p":
        o.pflag = arg;
        break;
      case "q":
        o.qflag = num(arg, INT_MIN, INT_MAX, (why) => `quit timer ${why}: ${arg}`);
        if (o.qflag >= 0) o.Nflag = true;
        break;
      case "r":
        o.rflag = true;
        break;
      case "s":
        o.sflag = arg;
        break;
      case "t":
        o.tflag = true;
        break;
      case "u":
        o.uflag = true;
        break;
      case "Z":
        o.dccpflag = true;
        break;
      case "V":
        errx(io, "no alternate routing table support available");
        break;
      case "v":
        o.vflag = true;
        break;
      case "W":
        o.recvlimit = num(arg, 1, INT_MAX, (why) => `receive limit ${why}: ${arg}`);
        break;
      case "w":
        o.timeout = num(arg, 0, Math.floor(INT_MAX / 1000), (why) => `timeout ${why}: ${arg}`) * 1000;
        break;
      case "x":
        o.xflag = true;
        o.proxy = arg;
        break;
      case "z":
        o.zflag = true;
        break;
      case "D":
        o.Dflag = true;
        break;
      case "I":
        o.Iflag = num(arg, 1, 65536 << 14, (why) => `TCP receive window ${why}: ${arg}`);
        break;
      case "O":
        o.Oflag = num(arg, 1, 65536 << 14, (why) => `TCP send window ${why}: ${arg}`);
        break;
      case "S":
        // readpassphrase(RPP_REQUIRE_TTY): a script has no terminal to read it from.
        errx(io, "Unable to read TCP MD5SIG password");
        break;
      case "T": {
        const kw = TOS_KEYWORDS[arg];
        if (kw !== undefined) {
          o.Tflag = kw;
          break;
        }
        let bad = false;
        if (arg.length > 1 && arg[0] === "0" && arg[1] === "x") {
          const m = /^0x([0-9a-fA-F]*)/.exec(arg);
          o.Tflag = m?.[1] ? Number.parseInt(m[1], 16) : 0;
        } else {
          const r = strtonum(arg, 0, 255);
          if ("error" in r) bad = true;
          else o.Tflag = r.value;
        }
        if (bad || o.Tflag < 0 || o.Tflag > 255) errx(io, `illegal tos value ${arg}`);
        break;
      }
      default:
        usage(io);
    }
  }
  return o;
}

async function main(argv: readonly string[], proc: Proc, io: Io): Promise<number> {
  const operands: string[] = [];
  const o = parseOptions(argv, io, operands);
  const argc = operands.length;
  let host: string | undefined;
  let uport: readonly string[] | undefined;

  // Cruft to make sure options are clean, and used properly.
  if (argc === 0 && o.lflag) {
    uport = o.pflag !== undefined ? [o.pflag] : undefined;
    host = o.sflag;
  } else if (
    argc === 1 &&
    o.pflag === undefined &&
    (!o.sflag || (o.family === "unix" && o.uflag && !o.lflag))
  ) {
    if (o.family === "unix") host = operands[0];
    else if (o.lflag) uport = operands;
  } else if (argc >= 2) {
    if (o.lflag && (o.pflag !== undefined || o.sflag !== undefined || argc > 2)) usage(io);
    host = operands[0];
    uport = operands.slice(1);
  } else usage(io);

  if (o.family === "unix") {
    if (o.dccpflag) errx(io, "cannot use -Z and -U");
    if (uport?.[0]) errx(io, "cannot use port with -U");
    if (!host) errx(io, "missing socket pathname");
  } else if (!uport?.[0]) errx(io, "missing port number");
  if (o.lflag && o.zflag) errx(io, "cannot use -z and -l");
  if (!o.lflag && o.kflag) errx(io, "must use -l with -k");
  if (o.family === "unix" && o.Fflag) errx(io, "cannot use -F and -U");
  if (o.xflag) {
    if (o.uflag) errx(io, "no proxy support for UDP mode");
    if (o.dccpflag) errx(io, "no proxy support for DCCP mode");
    if (o.lflag) errx(io, "no proxy support for listen");
    if (o.family === "unix") errx(io, "no proxy support for unix sockets");
    if (o.sflag) errx(io, "no proxy support for local source address");
    if (o.proxy.startsWith("[")) {
      const close = o.proxy.indexOf("]");
      if (close < 0) errx(io, "missing closing bracket in proxy");
      const after = o.proxy.slice(close + 1);
      if (after !== "" && !after.startsWith(":")) errx(io, "garbage proxy port delimiter");
    }
  }

  const rw: ReadWrite = {
    o,
    io,
    stdin: o.dflag ? new Uint8Array(0) : (proc.stdinBytes ?? new TextEncoder().encode(proc.stdin)),
  };

  if (o.lflag) {
    if (o.family === "unix") errWith(io, undefined, strerror("EAFNOSUPPORT"));
    const s = localListen(io, o, host, (uport as readonly string[])[0] as string);
    // Allow only one connection at a time, but stay alive.
    for (;;) {
      if (o.uflag && o.kflag) {
        // For UDP and -k, don't connect the socket: it hears datagrams from every peer.
        await readwrite(rw, s);
      } else if (o.uflag) {
        // recvfrom(MSG_PEEK) waits for a caller, then the socket is connected to it.
        await poll(io.task, [{ sock: s, events: POLLIN }]);
        let first: { readonly data: Uint8Array; readonly from: number; readonly port: number } | undefined;
        try {
          first = recvfrom(io.task, s);
        } catch (e) {
          errWith(io, "recvfrom", errnoText(e));
        }
        if (!first) errWith(io, "recvfrom", strerror("EAGAIN"));
        try {
          await connect(io.task, s, first.from, first.port);
        } catch (e) {
          errWith(io, "connect", errnoText(e));
        }
        if (o.vflag) reportSock(io, o, "Connection received", first.from, first.port);
        await readwrite(rw, s, first.data);
      } else {
        const conn = await accept(io.task, s);
        if (!conn) errWith(io, "accept", strerror("EAGAIN"));
        io.socks.add(conn);
        if (o.vflag) {
          const peer = peerOf(io.task, conn);
          reportSock(io, o, "Connection received", peer.addr, peer.port);
        }
        await readwrite(rw, conn);
        closeSock(io, conn);
      }
      if (!o.kflag) {
        closeSock(io, s);
        break;
      }
    }
    return 0;
  }

  if (o.family === "unix") {
    // There are no AF_UNIX sockets here, so no socket file the path could name.
    io.err(`nc: ${host}: ${strerror("ENOENT")}\n`);
    return 1;
  }

  let ret = 1;
  const ports = buildPorts(io, o, uport as readonly string[]);
  let s: Socket | undefined;
  for (const port of ports) {
    if (s) closeSock(io, s);
    s = o.xflag ? await socksConnect(io, o) : await remoteConnect(io, o, host as string, port);
    if (!s) continue;
    ret = 0;
    if (o.vflag) {
      if (o.uflag && !(await udptest(io, o, s))) {
        ret = 1;
        continue;
      }
      const proto = o.uflag ? "udp" : "tcp";
      const sv = o.nflag ? undefined : getservbyport(Number(port), proto);
      const ipaddr = formatAddr((resolveHost(io, o, host as string) as number) >>> 0);
      const shown = !o.nflag && !o.xflag && host !== ipaddr ? ` (${ipaddr})` : "";
      io.err(`Connection to ${host}${shown} ${port} port [${proto}/${sv ?? "*"}] succeeded!\n`);
    }
    if (o.Fflag) {
      // fdpass(): sendmsg(SCM_RIGHTS) on stdout, which is never a socket here.
      errWith(io, "sendmsg", "Socket operation on non-socket");
    } else if (!o.zflag) await readwrite(rw, s);
  }
  if (s) closeSock(io, s);
  return ret;
}

function closeSock(io: Io, s: Socket): void {
  if (!io.socks.delete(s)) return;
  close(io.task, s);
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** accept()'s peer address (getpeername; a connection reset before this leaves it unknown). */
function peerOf(task: Task, s: Socket): { readonly addr: number; readonly port: number } {
  try {
    return getpeername(task, s);
  } catch (e) {
    if (e instanceof KernelError) return { addr: 0, port: 0 };
    throw e;
  }
}

/** report_sock(): `MSG on HOST PORT`, the host numeric with -n, else by getnameinfo. */
function reportSock(io: Io, o: Opts, msg: string, addr: number, port: number): void {
  const r = getnameinfo(addr >>> 0, { numericHost: o.nflag });
  if ("error" in r) {
    io.err(`nc: getnameinfo: ${r.error}\n`);
    return;
  }
  io.err(`${msg} on ${r.host} ${port}\n`);
}

/** The host's address as getaddrinfo gives it for the chosen family, or exit with its error. */
function resolveHost(io: Io, o: Opts, host: string, port?: string): number | undefined {
  let r = getaddrinfo(host, { numericHost: o.nflag });
  if (o.family === "inet6" && !("error" in r)) {
    // AF_INET6: an IPv4 number is the wrong family; /etc/hosts has no IPv6 names, so a name goes
    // to DNS, which does not answer.
    r = { error: inetAton(host) !== undefined ? EAI_ADDRFAMILY : o.nflag ? EAI_NONAME : EAI_AGAIN };
  }
  if ("error" in r) {
    if (port !== undefined) errx(io, `getaddrinfo for host "${host}" port ${port}: ${r.error}`);
    return undefined;
  }
  return r.addr;
}

/** getaddrinfo's service part (AI_PASSIVE binds): a number (16 bits kept) or a services name. */
function serviceport(text: string, proto: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) & 0xffff;
  return getservbyname(text, proto);
}

/** strtoport(): a port number, or errx with the reason. */
function strtoport(io: Io, text: string): number {
  const r = strtonum(text, 1, PORT_MAX);
  if ("error" in r) errx(io, `port number ${r.error}: ${text}`);
  return r.value;
}

/** build_ports(): service names, lo-hi ranges and numbers, in order (-r shuffles them). */
function buildPorts(io: Io, o: Opts, args: readonly string[]): string[] {
  const proto = o.uflag ? "udp" : "tcp";
  const out: string[] = [];
  for (const p of args) {
    const sv = getservbyname(p, proto);
    const dash = p.indexOf("-");
    if (sv !== undefined) out.push(String(sv));
    else if (/^\d/.test(p) && dash >= 0) {
      let hi = strtoport(io, p.slice(dash + 1));
      let lo = strtoport(io, p.slice(0, dash));
      if (lo > hi) [lo, hi] = [hi, lo];
      for (let cp = lo; cp <= hi; cp++) out.push(String(cp));
    } else out.push(String(strtoport(io, p)));
  }
  if (o.rflag) {
    for (let i = out.length - 1; i > 0; i--) {
      const cp = io.task.host.randomU32() % (i + 1);
      [out[i], out[cp]] = [out[cp] as string, out[i] as string];
    }
  }
  return out;
}

/** The socket options nc sets on every socket (set_common_sockopts). */
function setCommonSockopts(io: Io, o: Opts, s: Socket): void {
  // These need socket options this kernel does not offer: say so rather than pretend.
  const unavailable = "Protocol not available";
  if (o.bflag) {
    try {
      setsockopt(io.task, s, { name: "SO_BROADCAST", on: true });
    } catch (e) {
      errWith(io, undefined, errnoText(e));
    }
  }
  if (o.Dflag) errWith(io, undefined, unavailable);
  if (o.Tflag !== -1) errWith(io, "set IP ToS", unavailable);
  if (o.Iflag) errWith(io, "set TCP receive buffer size", unavailable);
  if (o.Oflag) errWith(io, "set TCP send buffer size", unavailable);
  if (o.ttl !== -1) {
    try {
      setsockopt(io.task, s, { name: "IP_TTL", ttl: o.ttl });
    } catch (e) {
      errWith(io, "set IP TTL", errnoText(e));
    }
  }
  if (o.minttl !== -1) errWith(io, "set IP min TTL", unavailable);
}

function newSocket(io: Io, o: Opts): Socket | undefined {
  if (o.dccpflag) return undefined; // socket(SOCK_DCCP): ESOCKTNOSUPPORT, no DCCP in this kernel
  const s = socket(io.task, o.uflag ? "SOCK_DGRAM" : "SOCK_STREAM", 0);
  io.socks.add(s);
  return s;
}

/** remote_connect(): a socket connected to host:port, bound first with -s/-p; undefined on failure. */
async function remoteConnect(io: Io, o: Opts, host: string, port: string): Promise<Socket | undefined> {
  const daddr = resolveHost(io, o, host, port) as number;
  const s = newSocket(io, o);
  if (!s) return undefined;
  const proto = o.uflag ? "udp" : "tcp";
  if (o.sflag !== undefined || o.pflag !== undefined) {
    let saddr = 0;
    if (o.sflag !== undefined) {
      const r = getaddrinfo(o.sflag, { numericHost: false });
      if ("error" in r) errx(io, `getaddrinfo: ${r.error}`);
      saddr = r.addr;
    }
    let sport = 0;
    if (o.pflag !== undefined) {
      const p = serviceport(o.pflag, proto);
      if (p === undefined) errx(io, `getaddrinfo: ${EAI_SERVICE}`);
      sport = p;
    }
    try {
      bind(io.task, s, saddr, sport);
    } catch (e) {
      errWith(io, "bind failed", errnoText(e));
    }
  }
  setCommonSockopts(io, o, s);
  const ipaddr = formatAddr(daddr);
  const start = clockGettime(io.task);
  const deadline = o.timeout > 0 ? start + Math.floor(o.timeout / 1000) * SEC : undefined;
  let failure: string | undefined;
  let timedOut = false;
  try {
    await connect(io.task, s, daddr, Number(port), deadline !== undefined ? { deadline } : {});
  } catch (e) {
    const text = errnoText(e);
    if (
      deadline !== undefined &&
      clockGettime(io.task) >= deadline &&
      (e as KernelError).errno === "ETIMEDOUT"
    ) {
      timedOut = true;
      failure = strerror("EINPROGRESS");
    } else failure = text;
  }
  if (failure === undefined) return s;
  if (o.vflag) {
    const what = timedOut ? "timed out" : "failed";
    const shown = o.nflag || host === ipaddr ? host : `${host} (${ipaddr})`;
    io.err(`nc: connect to ${shown} port ${port} (${proto}) ${what}: ${failure}\n`);
  }
  closeSock(io, s);
  return undefined;
}

/** socks_connect(): reaches the proxy; the SOCKS and HTTP CONNECT dialogues are not emulated. */
async function socksConnect(io: Io, o: Opts): Promise<Socket | undefined> {
  let proxyHost = o.proxy;
  let proxyPort: string | undefined;
  if (proxyHost.startsWith("[")) {
    const close = proxyHost.indexOf("]");
    proxyPort = proxyHost.slice(close + 2) || undefined;
    proxyHost = proxyHost.slice(1, close);
  } else {
    const colon = proxyHost.lastIndexOf(":");
    if (colon >= 0) {
      proxyPort = proxyHost.slice(colon + 1);
      proxyHost = proxyHost.slice(0, colon);
    }
  }
  const s = await remoteConnect(io, { ...o, pflag: undefined }, proxyHost, proxyPort ?? "1080");
  if (!s) return undefined;
  errx(io, "proxy dialogue (SOCKS/HTTP CONNECT) is not emulated by netnest");
}

/** local_listen(): a bound socket (listening for TCP), SO_REUSEADDR and SO_REUSEPORT set. */
function localListen(io: Io, o: Opts, host: string | undefined, port: string): Socket {
  if (o.family === "inet6") errWith(io, undefined, strerror("EAFNOSUPPORT"));
  const proto = o.uflag ? "udp" : "tcp";
  let saddr = 0;
  if (host !== undefined) {
    const r = getaddrinfo(host, { numericHost: o.nflag });
    if ("error" in r) errx(io, `getaddrinfo: ${r.error}`);
    saddr = r.addr;
  }
  const sport = serviceport(port, proto);
  if (sport === undefined) errx(io, `getaddrinfo: ${EAI_SERVICE}`);
  if (o.dccpflag) errWith(io, undefined, "Socket type not supported");
  const s = socket(io.task, o.uflag ? "SOCK_DGRAM" : "SOCK_STREAM", 0);
  io.socks.add(s);
  setsockopt(io.task, s, { name: "SO_REUSEADDR", on: true });
  setsockopt(io.task, s, { name: "SO_REUSEPORT", on: true });
  setCommonSockopts(io, o, s);
  try {
    bind(io.task, s, saddr, sport);
  } catch (e) {
    const text = errnoText(e);
    closeSock(io, s);
    errWith(io, undefined, text);
  }
  if (!o.uflag) {
    try {
      listen(io.task, s, 1);
    } catch (e) {
      errWith(io, "listen", errnoText(e));
    }
  }
  if (o.vflag) {
    const name = getsockname(io.task, s);
    reportSock(io, o, o.uflag ? "Bound" : "Listening", name.addr, name.port);
  }
  return s;
}

/** udptest(): a few writes to see whether the UDP port answers with ECONNREFUSED. */
async function udptest(io: Io, o: Opts, s: Socket): Promise<boolean> {
  const x = Uint8Array.of(0x58);
  const write = async (): Promise<string | undefined> => {
    try {
      await send(io.task, s, x);
      return undefined;
    } catch (e) {
      if (e instanceof KernelError) return e.errno;
      throw e;
    }
  };
  if ((await write()) !== undefined) return false;
  if ((await write()) === "ECONNREFUSED") return false;
  const t = o.timeout === -1 ? UDP_SCAN_TIMEOUT : Math.floor(o.timeout / 1000);
  for (let i = 0; i < t; i++) {
    await clockNanosleep(io.task, SEC);
    if ((await write()) === "ECONNREFUSED") return false;
  }
  return true;
}

// --- readwrite ---------------------------------------------------------------------------------

interface ReadWrite {
  readonly o: Opts;
  readonly io: Io;
  /** What stdin holds: read as a file would be, then EOF. Shared across -k connections. */
  stdin: Uint8Array;
}

const POLL_STDIN = 0;
const POLL_NETOUT = 1;
const POLL_NETIN = 2;

type Fd = "stdin" | "stdout" | Socket | -1;

interface PollFd {
  fd: Fd;
  events: number;
  revents: number;
}

/**
 * readwrite(): the loop that polls stdin and the socket, copying each way, as netcat.c does with
 * Debian's quit timer: -q N exits N seconds after both inputs are gone, -N shuts down the write
 * side at EOF on stdin, -w N returns when nothing happens for N seconds.
 */
async function readwrite(rw: ReadWrite, net: Socket, peeked?: Uint8Array): Promise<void> {
  const { o, io } = rw;
  const task = io.task;
  const pfd: PollFd[] = [
    { fd: o.dflag ? -1 : "stdin", events: POLLIN, revents: 0 },
    { fd: net, events: 0, revents: 0 },
    { fd: net, events: POLLIN, revents: 0 },
    { fd: "stdout", events: 0, revents: 0 },
  ];
  const stdinbuf = new Uint8Array(BUFSIZE);
  let stdinbufpos = 0;
  const netinbuf = new Uint8Array(BUFSIZE);
  let netinbufpos = 0;
  // TCP data already taken from the socket but not yet room in netinbuf for; the datagram a UDP
  // server peeked at before connecting.
  let carry: Uint8Array | undefined = peeked;
  let recvcount = 0;
  let quitAt: number | undefined;
  const sock = (fd: Fd): Socket | undefined => (typeof fd === "object" ? fd : undefined);

  const fillStdin = (): number => {
    if (pfd[POLL_STDIN]?.fd !== "stdin") return -1;
    const n = Math.min(BUFSIZE - stdinbufpos, rw.stdin.length);
    if (n === 0) return 0;
    stdinbuf.set(rw.stdin.subarray(0, n), stdinbufpos);
    rw.stdin = rw.stdin.subarray(n);
    stdinbufpos += n;
    return n;
  };

  const fillNet = (fd: Fd): number => {
    const s = sock(fd);
    if (!s || s.closed) return -1;
    let data: Uint8Array | undefined;
    if (carry) {
      data = carry;
      carry = undefined;
    } else {
      try {
        data = recvfrom(task, s)?.data;
      } catch (e) {
        if (e instanceof KernelError) return -1;
        throw e;
      }
    }
    if (data === undefined) return -2;
    if (data.length === 0) return 0;
    const room = BUFSIZE - netinbufpos;
    // A stream keeps what does not fit; a datagram's excess is lost, as read(2) truncates it.
    if (data.length > room && s.kind === "tcp") carry = data.subarray(room);
    const n = Math.min(room, data.length);
    netinbuf.set(data.subarray(0, n), netinbufpos);
    netinbufpos += n;
    return n;
  };

  /** write(2) to the socket; -2 for EAGAIN, -1 for other errors. */
  const writeNet = async (fd: Fd, bytes: Uint8Array): Promise<number> => {
    const s = sock(fd);
    if (!s || s.closed) return -1;
    try {
      return await send(task, s, bytes);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      return e.errno === "EAGAIN" ? -2 : -1;
    }
  };

  /** drainbuf(): stdin's buffer to the network, a line at a time with -C or -i. */
  const drainStdin = async (fd: Fd): Promise<number> => {
    let oneline = o.iflag || o.Cflag ? 1 : 0;
    const lf = oneline ? stdinbuf.subarray(0, stdinbufpos).indexOf(0x0a) : -1;
    let n: number;
    if (lf < 0) {
      n = stdinbufpos;
      oneline = 0;
    } else if (o.Cflag && (lf === 0 || stdinbuf[lf - 1] !== 0x0d)) {
      n = lf;
      oneline = 2;
    } else n = lf + 1;
    if (n > 0) n = await writeNet(fd, stdinbuf.slice(0, n));
    if (oneline === 2 && n >= 0) n++;
    if (n <= 0) return n;
    if (oneline === 2) {
      const r = await writeNet(fd, Uint8Array.of(0x0d, 0x0a));
      if (r !== 2) errx(io, `write failed (${Math.max(r, 0)}/2)`);
    }
    if (oneline > 0 && o.iflag) await clockNanosleep(task, o.iflag * SEC);
    stdinbuf.copyWithin(0, n, stdinbufpos);
    stdinbufpos -= n;
    return n;
  };

  const drainNetin = (fd: Fd): number => {
    if (fd !== "stdout") return -1;
    const n = netinbufpos;
    io.outBytes(netinbuf.subarray(0, n));
    netinbufpos = 0;
    return n;
  };

  const shut = (fd: Fd, how: "SHUT_RD" | "SHUT_WR"): void => {
    const s = sock(fd);
    if (!s || s.closed) return;
    try {
      shutdown(task, s, how);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  };

  /** atelnet(): refuse every WILL/WONT/DO/DONT offer (RFC 854). */
  const telnet = async (fd: Fd): Promise<void> => {
    const size = netinbufpos;
    if (size < 3) return;
    const end = size - 2;
    for (let p = 0; p < end; p++) {
      if (netinbuf[p] !== 255) continue;
      p++;
      const verb = netinbuf[p] as number;
      let answer: number;
      if (verb === 251 || verb === 252) answer = 254;
      else if (verb === 253 || verb === 254) answer = 252;
      else continue;
      p++;
      if ((await writeNet(fd, Uint8Array.of(255, answer, netinbuf[p] as number))) !== 3)
        io.err("nc: Write Error!\n");
    }
  };

  const [pin, nout, nin, pout] = pfd as [PollFd, PollFd, PollFd, PollFd];
  for (;;) {
    // both inputs are gone, buffers are empty, we are done; or both outputs are gone; or, when
    // listening, the network input is gone
    if (
      (pin.fd === -1 && nin.fd === -1 && stdinbufpos === 0 && netinbufpos === 0) ||
      (nout.fd === -1 && pout.fd === -1) ||
      (o.lflag && nin.fd === -1 && stdinbufpos === 0 && netinbufpos === 0)
    ) {
      if (o.qflag <= 0) return;
      // delay_exit: close the socket, and let SIGALRM (quit(): exit 0) end the program.
      closeSock(io, net);
      quitAt = clockGettime(task) + o.qflag * SEC;
    }

    // poll(pfd, 4, timeout)
    const now = clockGettime(task);
    for (const p of pfd) p.revents = 0;
    if (pin.fd !== -1) pin.revents = pin.events & POLLIN;
    if (pout.fd !== -1) pout.revents = pout.events & POLLOUT;
    const netIdx = [POLL_NETOUT, POLL_NETIN].filter((i) => pfd[i]?.fd !== -1);
    const localReady = pin.revents !== 0 || pout.revents !== 0 || (nin.fd !== -1 && carry !== undefined);
    let deadline = o.timeout >= 0 ? now + o.timeout * 1_000_000 : undefined;
    if (quitAt !== undefined) deadline = Math.min(deadline ?? quitAt, quitAt);
    if (localReady) deadline = now;
    if (netIdx.length > 0) {
      const entries = netIdx.map((i) => {
        const p = pfd[i] as PollFd;
        return { sock: p.fd as Socket, events: p.events };
      });
      const rev = await poll(task, entries, deadline);
      netIdx.forEach((i, k) => {
        (pfd[i] as PollFd).revents = rev[k] ?? 0;
      });
    } else if (!localReady) {
      await clockNanosleep(task, deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now);
    }
    if (nin.fd !== -1 && carry !== undefined) nin.revents |= POLLIN;
    if (quitAt !== undefined && clockGettime(task) >= quitAt) throw new Exit(0);

    const numFds = pfd.filter((p) => p.revents !== 0).length;
    // timeout happened
    if (numFds === 0) return;

    // treat socket error conditions
    for (const p of pfd) if (p.revents & (POLLERR | POLLNVAL)) p.fd = -1;
    // reading is possible after HUP
    if (pin.events & POLLIN && pin.revents & POLLHUP && !(pin.revents & POLLIN)) pin.fd = -1;
    if (nin.events & POLLIN && nin.revents & POLLHUP && !(nin.revents & POLLIN)) nin.fd = -1;
    if (nout.revents & POLLHUP) {
      if (o.Nflag) shut(nout.fd, "SHUT_WR");
      nout.fd = -1;
    }
    // if HUP, stop watching stdout
    if (pout.revents & POLLHUP) pout.fd = -1;
    // if no net out, stop watching stdin
    if (nout.fd === -1) pin.fd = -1;
    // if no stdout, stop watching net in
    if (pout.fd === -1) {
      if (nin.fd !== -1) shut(nin.fd, "SHUT_RD");
      nin.fd = -1;
    }

    // try to read from stdin
    if (pin.revents & POLLIN && stdinbufpos < BUFSIZE) {
      const ret = fillStdin();
      if (ret === 0 || ret === -1) pin.fd = -1;
      // read something - poll net out
      if (stdinbufpos > 0) nout.events = POLLOUT;
      // filled buffer - remove self from polling
      if (stdinbufpos === BUFSIZE) pin.events = 0;
    }
    // try to write to network
    if (nout.revents & POLLOUT && stdinbufpos > 0) {
      const ret = await drainStdin(nout.fd);
      if (ret === -1) nout.fd = -1;
      // buffer empty - remove self from polling
      if (stdinbufpos === 0) nout.events = 0;
      // buffer no longer full - poll stdin again
      if (stdinbufpos < BUFSIZE) pin.events = POLLIN;
    }
    // try to read from network
    if (nin.revents & POLLIN && netinbufpos < BUFSIZE) {
      const ret = fillNet(nin.fd);
      if (ret === -1) nin.fd = -1;
      // eof on net in - remove from pfd
      if (ret === 0) {
        shut(nin.fd, "SHUT_RD");
        nin.fd = -1;
      }
      if (o.recvlimit > 0 && ++recvcount >= o.recvlimit) {
        if (nin.fd !== -1) shut(nin.fd, "SHUT_RD");
        nin.fd = -1;
        pin.fd = -1;
      }
      // read something - poll stdout
      if (netinbufpos > 0) pout.events = POLLOUT;
      // filled buffer - remove self from polling
      if (netinbufpos === BUFSIZE) nin.events = 0;
      if (o.tflag) await telnet(nin.fd);
    }
    // try to write to stdout
    if (pout.revents & POLLOUT && netinbufpos > 0) {
      const ret = drainNetin(pout.fd);
      if (ret === -1) pout.fd = -1;
      // buffer empty - remove self from polling
      if (netinbufpos === 0) pout.events = 0;
      // buffer no longer full - poll net in again
      if (netinbufpos < BUFSIZE) nin.events = POLLIN;
    }

    // stdin gone and queue empty?
    if (pin.fd === -1 && stdinbufpos === 0) {
      if (nout.fd !== -1 && o.Nflag) shut(nout.fd, "SHUT_WR");
      nout.fd = -1;
      // #817050: handle UDP sockets and kflag
      if ((o.lflag || o.uflag) && nin.fd !== -1 && o.qflag >= 0 && netinbufpos === 0) {
        shut(nin.fd, "SHUT_RD");
        nin.fd = -1;
        o.kflag = false;
      }
    }
    // net in gone and queue empty?
    if (nin.fd === -1 && netinbufpos === 0) pout.fd = -1;
  }
}
