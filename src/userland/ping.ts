// ping, as iputils 20221126 prints it (ping/ping.c, ping/ping_common.c, ping/ping4.c), over a raw
// ICMP socket. Waiting is poll() in the kernel's virtual time, so `ping -c 3` takes no wall time.
import {
  bind,
  clockGettime,
  close,
  connect,
  getsockname,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_PROBE,
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
  TaskKilled,
} from "../kernel/syscalls.js";
import { formatIPv4, parseIPv4 } from "../wire/addr.js";
import {
  emitIcmp,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  parseIcmp,
} from "../wire/icmp.js";
import { IPPROTO_ICMP, parseIpv4 } from "../wire/ipv4.js";
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

/** Options that take an argument (iputils' getopt string, IPv4 subset we accept). */
const WITH_ARG = new Set([
  "c",
  "i",
  "I",
  "s",
  "t",
  "W",
  "w",
  "l",
  "m",
  "M",
  "p",
  "Q",
  "S",
  "e",
  "F",
  "N",
  "T",
]);
const SUPPORTED_FLAGS = new Set([
  "q",
  "n",
  "4",
  "b",
  "v",
  "a",
  "A",
  "B",
  "D",
  "d",
  "L",
  "O",
  "U",
  "f",
  "R",
  "C",
]);
/** sizeof(struct timeval): payloads this large carry a send timestamp, so replies are timed. */
const TIMEVAL_LEN = 16;
const NSEC_PER_USEC = 1000;

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
  target: string | undefined;
}

class PingExit {
  constructor(
    readonly stderr: string,
    readonly code: number,
  ) {}
}

/** strtod-like parsing with iputils' "garbage" warning (parse_flag/strtod_or_err). */
function parseNumber(text: string, out: string[], integer: boolean): number {
  const match = /^\s*[-+]?(\d+\.?\d*|\.\d+)/.exec(text);
  if (!match) throw new PingExit(`ping: invalid argument: '${text}'\n`, 1);
  if (match[0].length !== text.length) {
    out.push(`ping: option argument contains garbage: ${text.slice(match[0].length)}\n`);
    out.push("ping: this will become fatal error in the future\n");
  }
  const value = Number(match[0]);
  return integer ? Math.trunc(value) : value;
}

/** strtol_or_err's range check; `maxText` spells the bound as iputils prints it. */
function inRange(text: string, value: number, min: number, max: number, maxText = String(max)): number {
  if (value < min || value > max) {
    throw new PingExit(`ping: invalid argument: '${text}': out of range: ${min} <= value <= ${maxText}\n`, 1);
  }
  return value;
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
    target: undefined,
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
      if (flag === "h") throw new PingExit(USAGE, 2);
      if (flag === "V") throw new PingExit("", 0);
      if (!SUPPORTED_FLAGS.has(flag)) throw new PingExit(`ping: invalid option -- '${flag}'\n${USAGE}`, 2);
      if (flag === "q") opts.quiet = true;
      if (flag === "D") opts.ptimeofday = true;
      if (flag === "O") opts.outstanding = true;
      if (flag === "b") opts.broadcast = true;
    }
  }
  opts.target = positional[positional.length - 1];
  return opts;
}

function applyOption(opts: PingOptions, flag: string, value: string, warnings: string[]): void {
  switch (flag) {
    case "c":
      opts.count = inRange(
        value,
        parseNumber(value, warnings, true),
        1,
        Number.MAX_SAFE_INTEGER,
        "9223372036854775807",
      );
      return;
    case "i":
      opts.intervalMs = Math.round(parseNumber(value, warnings, false) * 1000);
      return;
    case "W": {
      const seconds = parseNumber(value, warnings, false);
      if (seconds < 0) throw new PingExit(`ping: bad linger time: ${value}\n`, 2);
      opts.lingerMs = Math.round(seconds * 1000);
      return;
    }
    case "w":
      opts.deadlineS = parseNumber(value, warnings, true);
      return;
    case "s":
      opts.datalen = inRange(value, parseNumber(value, warnings, true), 0, 2147483647);
      return;
    case "t":
      opts.ttl = inRange(value, parseNumber(value, warnings, true), 0, 255);
      return;
    case "I":
      opts.iface = value;
      return;
    case "M":
      if (value === "do") opts.pmtudisc = IP_PMTUDISC_DO;
      else if (value === "dont") opts.pmtudisc = IP_PMTUDISC_DONT;
      else if (value === "want") opts.pmtudisc = IP_PMTUDISC_WANT;
      else if (value === "probe") opts.pmtudisc = IP_PMTUDISC_PROBE;
      else throw new PingExit(`ping: invalid -M argument: ${value}\n`, 2);
      return;
    default:
      throw new PingExit(`ping: option -${flag} is not supported by netnest yet\n`, 2);
  }
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

/** ICMP_FILTER as iputils sets it: only replies and errors reach the socket. */
const ICMP_FILTER_MASK =
  ~((1 << ICMP_ECHOREPLY) | (1 << 3) | (1 << 4) | (1 << 11) | (1 << 12) | (1 << 5)) >>> 0;

export async function ping(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const warnings: string[] = [];
  try {
    const result = await run(argv, proc, warnings);
    return { ...result, stderr: warnings.join("") + result.stderr };
  } catch (err) {
    if (err instanceof PingExit)
      return { stdout: "", stderr: warnings.join("") + err.stderr, exitCode: err.code };
    throw err;
  }
}

async function run(argv: readonly string[], proc: Proc, warnings: string[]): Promise<ProgramResult> {
  const task = proc.task;
  const opts = parseArgs(argv, warnings);
  if (opts.target === undefined) throw new PingExit("ping: usage error: Destination address required\n", 1);
  const resolved = resolveHost(opts.target);
  if (!resolved) throw new PingExit(`ping: ${opts.target}: Temporary failure in name resolution\n`, 2);
  const daddr = resolved.addr;
  const sock = socket(task, "SOCK_RAW", IPPROTO_ICMP);
  try {
    return await pingLoop(proc, sock, opts, { daddr, canonical: resolved.canonical });
  } finally {
    close(task, sock);
  }
}

async function pingLoop(
  proc: Proc,
  sock: Socket,
  opts: PingOptions,
  dest: { readonly daddr: number; readonly canonical: string | undefined },
): Promise<ProgramResult> {
  const task = proc.task;
  const { daddr, canonical } = dest;
  const target = opts.target as string;
  // -I: an address binds the source; anything else names a device (SO_BINDTODEVICE).
  let source: number | undefined;
  let device: string | undefined;
  if (opts.iface !== undefined) {
    const asAddr = parseIPv4(opts.iface);
    if (asAddr !== undefined) source = asAddr;
    else device = opts.iface;
  }
  if (device !== undefined) {
    try {
      setsockopt(task, sock, { name: "SO_BINDTODEVICE", ifname: device });
    } catch (err) {
      if (err instanceof KernelError)
        throw new PingExit(`ping: SO_BINDTODEVICE ${device}: ${strerror(err.errno)}\n`, 2);
      throw err;
    }
  }
  if (source !== undefined) {
    try {
      bind(task, sock, source);
    } catch (err) {
      if (err instanceof KernelError) throw new PingExit(`ping: bind: ${strerror(err.errno)}\n`, 2);
      throw err;
    }
  }
  {
    // The UDP probe: connect() picks the route and the source address.
    const probe = socket(task, "SOCK_DGRAM", 0);
    try {
      if (device !== undefined) setsockopt(task, probe, { name: "SO_BINDTODEVICE", ifname: device });
      if (source !== undefined) bind(task, probe, source);
      try {
        await connect(task, probe, daddr);
      } catch (err) {
        if (!(err instanceof KernelError) || err.errno !== "EACCES") throw err;
        if (!opts.broadcast)
          throw new PingExit(
            "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n",
            2,
          );
        // ping4_run: warn, allow broadcasts on the probe and connect again.
        proc.write(2, "WARNING: pinging broadcast address\n");
        setsockopt(task, probe, { name: "SO_BROADCAST", on: true });
        await connect(task, probe, daddr);
      }
      source = getsockname(task, probe).addr;
    } catch (err) {
      if (err instanceof KernelError) throw new PingExit(`ping: connect: ${strerror(err.errno)}\n`, 2);
      throw err;
    } finally {
      close(task, probe);
    }
  }
  if (opts.broadcast) setsockopt(task, sock, { name: "SO_BROADCAST", on: true });
  if (opts.ttl !== undefined) setsockopt(task, sock, { name: "IP_TTL", ttl: opts.ttl });
  // ping4_run: IP_RECVERR, so a refused send leaves its reason (the MTU) on the error queue.
  setsockopt(task, sock, { name: "IP_RECVERR", on: true });
  if (opts.pmtudisc !== undefined) setsockopt(task, sock, { name: "IP_MTU_DISCOVER", value: opts.pmtudisc });
  setsockopt(task, sock, { name: "ICMP_FILTER", mask: ICMP_FILTER_MASK });

  // Lines go out as they happen, so a ping ended by a signal leaves them printed.
  const out = { push: (text: string) => proc.write(1, text) };
  const errOut = { push: (text: string) => proc.write(2, text) };
  const from =
    device !== undefined || opts.iface !== undefined ? `from ${formatIPv4(source)} ${device ?? ""}: ` : "";
  out.push(
    `PING ${target} (${formatIPv4(daddr)}) ${from}${opts.datalen}(${opts.datalen + 28}) bytes of data.\n`,
  );

  const timing = opts.datalen >= TIMEVAL_LEN;
  const ident = task.host.randomU32() & 0xffff;
  const sentAt = new Map<number, number>();
  let ntransmitted = 0;
  let nreceived = 0;
  let nrepeats = 0;
  const received = new Set<number>();
  let nerrors = 0;
  /** rts->oom_count: sends the device refused (ENOBUFS), for pinger's back-off. */
  let oomCount = 0;
  let workingRecverr = false;
  let rawErrorsSeen = 0;
  let pipesize = 0;
  let tmin = Number.POSITIVE_INFINITY;
  let tmax = 0;
  let tsum = 0;
  let tsum2 = 0;
  const start = clockGettime(task);
  let nextSend = start;
  let exitAt = Number.POSITIVE_INFINITY;
  /** rts->cur_time: when pinger last had a token to send (the statistics' end). */
  let curTime = start;
  const intervalNs = opts.intervalMs * 1_000_000;

  /** print_timestamp(): `[sec.usec] ` before a line, with -D. */
  const stamp = (): string => {
    if (!opts.ptimeofday) return "";
    const tv = gettimeofday(task);
    return `[${tv.sec}.${String(tv.usec).padStart(6, "0")}] `;
  };
  const acknowledge = (seq: number) => {
    const diff = (ntransmitted - seq) & 0xffff;
    if (diff <= 0x7fff && diff + 1 > pipesize) pipesize = diff + 1;
  };

  for (;;) {
    if (opts.count && nreceived + nerrors >= opts.count) break;
    const now = clockGettime(task);
    if (now >= exitAt) break;
    if (!opts.count || ntransmitted < opts.count) {
      if (now >= nextSend) {
        // pinger with -O: the last echo sent is still unanswered.
        if (opts.outstanding && ntransmitted > 0 && !received.has(ntransmitted & 0xffff))
          out.push(`${stamp()}no answer yet for icmp_seq=${ntransmitted % 0x10000}\n`);
        const seq = (ntransmitted + 1) & 0xffff;
        const payload = new Uint8Array(8 + opts.datalen);
        for (let k = 0; k < opts.datalen; k++) payload[8 + k] = k & 255;
        emitIcmp(payload, 0, { kind: "echo", type: ICMP_ECHO, id: ident, seq, data: payload.slice(8) });
        try {
          sendto(task, sock, payload, daddr, { saddr: source });
        } catch (err) {
          if (!(err instanceof KernelError)) throw err;
          // pinger: the device queue overflowed (ENOBUFS, ENOMEM): not sent; try again in half an
          // interval (at most 500 ms) while that stays within the linger time, then give up on
          // this one as a hard error.
          if (err.errno === "ENOBUFS" || err.errno === "ENOMEM") {
            const noresMs = Math.min(Math.floor(opts.intervalMs / 2), 500);
            oomCount++;
            if (oomCount * noresMs < opts.lingerMs) {
              nextSend = now + noresMs * 1_000_000;
              continue;
            }
          }
          // pinger -> ping4_receive_error_msg: a local error explains the failure.
          const e = recvErr(task, sock);
          if (e && e.origin === "local" && e.errno === "EMSGSIZE") {
            if (!opts.quiet) errOut.push(`ping: local error: message too long, mtu=${e.info}\n`);
            nerrors++;
          } else if (!opts.quiet) errOut.push(`ping: sendmsg: ${strerror(err.errno)}\n`);
        }
        ntransmitted++;
        curTime = now;
        sentAt.set(seq, now);
        nextSend = now + intervalNs;
        if (opts.count && ntransmitted >= opts.count) {
          // schedule_exit: wait for stragglers, then stop.
          const waitUs = nreceived ? Math.max(2 * tmax, 1000 * opts.intervalMs) : opts.lingerMs * 1000;
          exitAt = now + waitUs * NSEC_PER_USEC;
        }
        continue;
      }
    }
    const wake = Math.min(exitAt, !opts.count || ntransmitted < opts.count ? nextSend : exitAt);
    try {
      if (!(await pollIn(task, sock, wake))) continue;
    } catch (err) {
      // SIGINT and SIGALRM end the pinging with the statistics (iputils' sigexit).
      if (!(err instanceof TaskKilled) || (err.signal !== SIGINT && err.signal !== SIGALRM)) throw err;
      signalHandled(task);
      break;
    }
    // ping4_receive_error_msg: an ICMP error about one of our echoes is reported from the error
    // queue (IP_RECVERR), with the info the kernel passed (the MTU of a frag-needed).
    for (let e = recvErr(task, sock); e; e = recvErr(task, sock)) {
      if (e.origin !== "icmp" || e.addr !== daddr || e.payload.length < 8) continue;
      const p = e.payload;
      if (p[0] !== ICMP_ECHO || (((p[4] as number) << 8) | (p[5] as number)) !== ident) continue;
      const seq = ((p[6] as number) << 8) | (p[7] as number);
      workingRecverr = true;
      nerrors++;
      acknowledge(seq);
      if (!opts.quiet)
        out.push(
          `${stamp()}From ${formatIPv4(e.offender)} icmp_seq=${seq} ${errorText(e.type, e.code, e.info)}\n`,
        );
    }
    const msg = recvfrom(task, sock);
    if (!msg) continue;
    const ip = parseIpv4(msg.data, 0);
    if (ip.kind !== "ok") continue;
    const hl = ip.headerLength;
    const icmp = parseIcmp(msg.data, hl, ip.repr.totalLength);
    if (icmp.kind !== "ok") continue;
    const repr = icmp.repr;
    if (repr.kind === "echo" && repr.type === ICMP_ECHOREPLY) {
      if (repr.id !== ident) continue;
      const sent = sentAt.get(repr.seq);
      if (sent === undefined) continue;
      // gather_statistics: a second reply to one sequence number is a duplicate (every host on
      // the subnet answers a broadcast); it is timed but not received.
      const dup = received.has(repr.seq);
      if (dup) nrepeats++;
      else {
        nreceived++;
        received.add(repr.seq);
      }
      acknowledge(repr.seq);
      const cc = ip.repr.totalLength - hl;
      let line = `${stamp()}${cc} bytes from ${canonical ? `${canonical} (${formatIPv4(msg.from)})` : formatIPv4(msg.from)}: icmp_seq=${repr.seq} ttl=${ip.repr.ttl}`;
      if (timing) {
        const us = Math.max(0, Math.floor((clockGettime(task) - sent) / NSEC_PER_USEC));
        tsum += us;
        tsum2 += us * us;
        if (us < tmin) tmin = us;
        if (us > tmax) tmax = us;
        line += ` time=${formatTriptime(us)} ms`;
      }
      // (DUP!) is left out for a broadcast destination unless -v.
      if (dup && !opts.broadcast) line += " (DUP!)";
      if (!opts.quiet) out.push(`${line}\n`);
      continue;
    }
    if (repr.kind === "error") {
      // The quoted datagram must be one of ours: our echo request with our id.
      const inner = parseIpv4Quoted(repr.quoted);
      if (!inner || inner.daddr !== daddr || inner.id !== ident) continue;
      // ping4_parse_reply: a redirect or source quench is no error (error_pkt): printed as it
      // comes, neither acknowledged nor counted.
      if (repr.type === ICMP_REDIRECT || repr.type === 4) {
        if (!opts.quiet)
          out.push(
            `${stamp()}From ${formatIPv4(msg.from)}: icmp_seq=${inner.seq} ${errorText(repr.type, repr.code, repr.rest)}\n`,
          );
        continue;
      }
      acknowledge(inner.seq);
      // ping4_parse_reply: the raw copy of an error the error queue reported is dropped; without
      // one, the first is ignored and the second warns (IP_RECVERR "broken until 2.4.9").
      if (workingRecverr) continue;
      rawErrorsSeen++;
      if (rawErrorsSeen === 2) errOut.push("\rWARNING: kernel is not very fresh, upgrade is recommended.\n");
      if (rawErrorsSeen === 1) continue;
      if (!opts.quiet)
        out.push(
          `From ${formatIPv4(msg.from)}: icmp_seq=${inner.seq} ${errorText(repr.type, repr.code, repr.rest)}\n`,
        );
    }
  }

  // finish(): the time is rts->cur_time - start_time, cur_time being set only by pinger when
  // it sends: `ping -c 3` to nowhere says `time 2000ms` though it waits 10 s more for replies.
  const end = curTime;
  const elapsedMs = Math.floor((end - start) / 1_000_000 + 0.5);
  let stats = `\n--- ${target} ping statistics ---\n`;
  stats += `${ntransmitted} packets transmitted, ${nreceived} received`;
  if (nrepeats) stats += `, +${nrepeats} duplicates`;
  if (nerrors) stats += `, +${nerrors} errors`;
  if (ntransmitted) {
    const loss = ((ntransmitted - nreceived) * 100) / ntransmitted;
    stats += `, ${formatG(loss)}% packet loss, time ${ntransmitted > 1 || nreceived ? elapsedMs : 0}ms`;
  }
  stats += "\n";
  let comma = "";
  if (nreceived && timing) {
    const total = nreceived + nrepeats;
    const avg = Math.floor(tsum / total);
    const mdev = Math.floor(Math.sqrt(Math.max(0, tsum2 / total - avg * avg)));
    stats += `rtt min/avg/max/mdev = ${msDotUs(tmin)}/${msDotUs(avg)}/${msDotUs(tmax)}/${msDotUs(mdev)} ms`;
    comma = ", ";
  }
  if (pipesize > 1) stats += `${comma}pipe ${pipesize}`;
  stats += "\n";
  out.push(stats);
  return { stdout: "", stderr: "", exitCode: nreceived ? 0 : 1 };
}

/** printf("%g") for a percentage. */
function formatG(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** The echo request quoted inside an ICMP error: its destination, id and sequence. */
function parseIpv4Quoted(quoted: Uint8Array): { daddr: number; id: number; seq: number } | undefined {
  if (quoted.length < 28) return undefined;
  const hl = ((quoted[0] as number) & 15) * 4;
  if (quoted[9] !== IPPROTO_ICMP || quoted.length < hl + 8) return undefined;
  if (quoted[hl] !== ICMP_ECHO) return undefined;
  const u16 = (at: number) => ((quoted[at] as number) << 8) | (quoted[at + 1] as number);
  const daddr = ((quoted[16] as number) * 0x1000000 + (u16(18) | ((quoted[17] as number) << 16))) >>> 0;
  return { daddr, id: u16(hl + 4), seq: u16(hl + 6) };
}
