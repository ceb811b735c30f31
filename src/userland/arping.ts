// arping, as iputils 20221126 prints it (arping.c): ARP requests (or, with -A, replies) from an
// AF_PACKET SOCK_DGRAM socket bound to ETH_P_ARP on one device, timed by its interval and timeout
// timers in the kernel's virtual time. The first probe is broadcast; once a reply names the
// target's address, the rest go to it (unless -b).
import {
  bind,
  clockGettime,
  clockNanosleep,
  close,
  connect,
  getsockname,
  IFF_LOOPBACK,
  IFF_NOARP,
  IFF_UP,
  KernelError,
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  type PacketSocket,
  packetBind,
  packetClose,
  packetGetsockname,
  packetPollIn,
  packetRecvfrom,
  packetSendto,
  packetSocket,
  type RtLink,
  rtnlGetLink,
  rtnlGetRoute,
  SIGALRM,
  SIGINT,
  SIGTERM,
  type SockaddrLl,
  setsockopt,
  signalHandled,
  socket,
  type Task,
  TaskKilled,
} from "../kernel/syscalls.js";
import { formatIPv4, ipv4ToBytes } from "../wire/addr.js";
import { ARP_LEN, ARPOP_REPLY, ARPOP_REQUEST, emitArp, parseArp } from "../wire/arp.js";
import { ETH_P_ARP } from "../wire/ethernet.js";
import { strerror } from "./ip/utils.js";
import { inetAton } from "./ping.js";
import type { Proc, ProgramResult } from "./program.js";

const USAGE = `
Usage:
  arping [options] <destination>

Options:
  -f            quit on first reply
  -q            be quiet
  -b            keep on broadcasting, do not unicast
  -D            duplicate address detection mode
  -U            unsolicited ARP mode, update your neighbours
  -A            ARP answer mode, update your neighbours
  -V            print version and exit
  -c <count>    how many packets to send
  -w <timeout>  how long to wait for a reply
  -i <interval> set interval between packets (default: 1 second)
  -I <device>   which ethernet device to use
  -s <source>   source ip address
  <destination> dns name or ip address

For more details see arping(8).
`;

const VERSION =
  "arping from iputils 20221126\n" +
  "libcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n";

const NSEC_PER_SEC = 1_000_000_000;
const STARTUP_NS = 1_000_000;
const INT_MAX = 2147483647;

/** exit() from anywhere, with what is left to print. */
class ArpingExit {
  constructor(
    readonly code: number,
    readonly stderr = "",
    readonly stdout = "",
  ) {}
}

interface Ctl {
  count: number;
  timeout: number;
  interval: number;
  device: string | undefined;
  source: string | undefined;
  advert: boolean;
  broadcastOnly: boolean;
  dad: boolean;
  quiet: boolean;
  quitOnReply: boolean;
  unsolicited: boolean;
}

/** strtol_or_err: a whole decimal number in range, else iputils' message and status 1. */
function strtolOrErr(text: string, min: number, max: number): number {
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) throw new ArpingExit(1, `arping: invalid argument: '${text}'\n`);
  const body = m[2] as string;
  const magnitude = /^0[xX]/.test(body)
    ? Number.parseInt(body.slice(2), 16)
    : body.length > 1 && body.startsWith("0")
      ? Number.parseInt(body, 8)
      : Number(body);
  const value = m[1] === "-" ? -magnitude : magnitude;
  if (value < min || value > max)
    throw new ArpingExit(1, `arping: invalid argument: '${text}': out of range: ${min} <= value <= ${max}\n`);
  return value;
}

const WITH_ARG = "cwisI";
const FLAGS = "hbfDUAqV?";

function parseArgs(argv: readonly string[]): { ctl: Ctl; target: string } {
  const ctl: Ctl = {
    count: -1,
    timeout: 0,
    interval: 1,
    device: undefined,
    source: undefined,
    advert: false,
    broadcastOnly: false,
    dad: false,
    quiet: false,
    quitOnReply: false,
    unsolicited: false,
  };
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      // glibc's getopt permutes: options may follow the destination.
      positional.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] as string;
      if (WITH_ARG.includes(flag)) {
        let value = arg.slice(j + 1);
        if (value === "") {
          i++;
          if (i >= argv.length)
            throw new ArpingExit(2, `arping: option requires an argument -- '${flag}'\n${USAGE}`);
          value = argv[i] as string;
        }
        if (flag === "c") ctl.count = strtolOrErr(value, 1, INT_MAX);
        else if (flag === "w") ctl.timeout = strtolOrErr(value, 0, INT_MAX);
        else if (flag === "i") ctl.interval = strtolOrErr(value, 0, INT_MAX);
        else if (flag === "I") ctl.device = value;
        else ctl.source = value;
        break;
      }
      if (!FLAGS.includes(flag)) throw new ArpingExit(2, `arping: invalid option -- '${flag}'\n${USAGE}`);
      switch (flag) {
        case "b":
          ctl.broadcastOnly = true;
          break;
        case "D":
          ctl.dad = true;
          ctl.quitOnReply = true;
          break;
        case "U":
          ctl.unsolicited = true;
          break;
        case "A":
          ctl.advert = true;
          ctl.unsolicited = true;
          break;
        case "q":
          ctl.quiet = true;
          break;
        case "f":
          ctl.quitOnReply = true;
          break;
        case "V":
          throw new ArpingExit(0, "", VERSION);
        default:
          throw new ArpingExit(2, USAGE);
      }
    }
  }
  if (positional.length !== 1) throw new ArpingExit(2, USAGE);
  return { ctl, target: positional[0] as string };
}

export async function arping(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  try {
    return await run(argv, proc);
  } catch (err) {
    if (err instanceof ArpingExit) return { stdout: err.stdout, stderr: err.stderr, exitCode: err.code };
    throw err;
  }
}

/** guess_device: the output device of the route to the target (RTM_GETROUTE). */
function guessDevice(task: Task, gdst: number, links: readonly RtLink[]): string {
  let oif: number | undefined;
  try {
    oif = rtnlGetRoute(task, { kind: "RTM_GETROUTE", family: 2, dst: ipv4ToBytes(gdst) }).oif;
  } catch (err) {
    if (!(err instanceof KernelError)) throw err;
    throw new ArpingExit(1, "arping: NETLINK_ROUTE unexpected iov element\n");
  }
  const link = links.find((l) => l.ifindex === oif);
  if (!link) throw new ArpingExit(1, "arping: if_indextoname failed: No such device\n");
  return link.ifname;
}

/** check_device + check_ifflags: the named device, up, ARPable, with a hardware address. */
function checkDevice(ctl: Ctl, links: readonly RtLink[]): RtLink {
  const link = links.find((l) => l.ifname === ctl.device);
  if (!link) throw new ArpingExit(2, `arping: Device ${ctl.device} not available.\n`);
  if (!(link.flags & IFF_UP))
    throw new ArpingExit(2, "", ctl.quiet ? "" : `Interface "${ctl.device}" is down\n`);
  if (link.flags & (IFF_NOARP | IFF_LOOPBACK))
    throw new ArpingExit(ctl.dad ? 0 : 2, "", ctl.quiet ? "" : `Interface "${ctl.device}" is not ARPable\n`);
  if (link.address.length === 0 || link.broadcast.length === 0)
    throw new ArpingExit(2, `arping: Device ${ctl.device} not available.\n`);
  return link;
}

/** The getaddrinfo answers of this sandbox: an address that looks numeric is no name either. */
function resolve(target: string): number {
  const addr = inetAton(target);
  if (addr !== undefined) return addr;
  if (target === "localhost") return 0x7f000001;
  const why = /^[0-9.]+$/.test(target) ? "Name or service not known" : "Temporary failure in name resolution";
  throw new ArpingExit(2, `arping: ${target}: ${why}\n`);
}

async function run(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const task = proc.task;
  const { ctl, target } = parseArgs(argv);
  // exec and the dynamic loader take about a millisecond here before the socket exists; without
  // it, a reply still in flight to the arping that just ended would reach this one.
  await clockNanosleep(task, STARTUP_NS);
  let sock: PacketSocket;
  try {
    sock = packetSocket(task, "SOCK_DGRAM", 0);
  } catch (err) {
    if (err instanceof KernelError) throw new ArpingExit(2, `arping: socket: ${strerror(err.errno)}\n`);
    throw err;
  }
  try {
    return await setup(proc, sock, ctl, target);
  } finally {
    packetClose(task, sock);
  }
}

async function setup(proc: Proc, sock: PacketSocket, ctl: Ctl, target: string): Promise<ProgramResult> {
  const task = proc.task;
  const gdst = resolve(target);
  const links = rtnlGetLink(task);
  if (!ctl.device) ctl.device = guessDevice(task, gdst, links);
  const link = checkDevice(ctl, links);
  let gsrc = 0;
  if (ctl.source !== undefined) {
    const s = inetAton(ctl.source);
    if (s === undefined) throw new ArpingExit(2, `arping: invalid source ${ctl.source}\n`);
    gsrc = s;
  }
  if (!ctl.dad && ctl.unsolicited && ctl.source === undefined) gsrc = gdst;
  if (!ctl.dad || ctl.source !== undefined) gsrc = await probeSource(proc, ctl, gsrc, gdst);

  try {
    packetBind(task, sock, { ifindex: link.ifindex, protocol: ETH_P_ARP });
  } catch (err) {
    if (err instanceof KernelError) throw new ArpingExit(2, `arping: bind: ${strerror(err.errno)}\n`);
    throw err;
  }
  const me = packetGetsockname(task, sock);
  if (me.addr.length === 0)
    throw new ArpingExit(
      ctl.dad ? 0 : 2,
      "",
      ctl.quiet ? "" : `Interface "${ctl.device}" is not ARPable (no ll address)\n`,
    );
  // find_broadcast_address: the device's broadcast address (getifaddrs' ifa_broadaddr).
  const he = link.broadcast.slice();
  if (!ctl.quiet) proc.write(1, `ARPING ${formatIPv4(gdst)} from ${formatIPv4(gsrc)} ${ctl.device}\n`);
  if (ctl.source === undefined && !gsrc && !ctl.dad)
    throw new ArpingExit(2, "arping: no source address in not-DAD mode\n");
  return eventLoop(proc, sock, { ctl, me, he, gsrc, gdst });
}

/**
 * The UDP probe: with -s, a bind that must succeed; otherwise (not DAD) connect() to the target
 * from the device (SO_BINDTODEVICE) picks the source address the kernel would use.
 */
async function probeSource(proc: Proc, ctl: Ctl, gsrc: number, gdst: number): Promise<number> {
  const task = proc.task;
  const probe = socket(task, "SOCK_DGRAM", 0);
  try {
    if (ctl.device) {
      try {
        setsockopt(task, probe, { name: "SO_BINDTODEVICE", ifname: ctl.device });
      } catch (err) {
        if (!(err instanceof KernelError)) throw err;
        proc.write(2, `arping: WARNING: interface is ignored: ${strerror(err.errno)}\n`);
      }
    }
    if (ctl.source !== undefined || gsrc) {
      try {
        bind(task, probe, gsrc, 0);
      } catch (err) {
        if (err instanceof KernelError) throw new ArpingExit(2, `arping: bind: ${strerror(err.errno)}\n`);
        throw err;
      }
      return gsrc;
    }
    if (ctl.dad) return gsrc;
    if (!ctl.unsolicited) {
      // SO_DONTROUTE is not modelled: the lookup is the device-bound one.
      try {
        await connect(task, probe, gdst, 1025);
      } catch (err) {
        if (err instanceof KernelError) throw new ArpingExit(2, `arping: connect: ${strerror(err.errno)}\n`);
        throw err;
      }
      return getsockname(task, probe).addr;
    }
    return 0;
  } finally {
    close(task, probe);
  }
}

interface Peer {
  readonly ctl: Ctl;
  readonly me: SockaddrLl;
  he: Uint8Array;
  readonly gsrc: number;
  readonly gdst: number;
}

async function eventLoop(proc: Proc, sock: PacketSocket, peer: Peer): Promise<ProgramResult> {
  const task = proc.task;
  const { ctl } = peer;
  const stats = { sent: 0, brdSent: 0, received: 0, brdRecv: 0, reqRecv: 0, unicasting: false, last: 0 };
  const start = clockGettime(task);
  const intervalNs = ctl.interval * NSEC_PER_SEC;
  // The interval timerfd (disarmed by -i 0) and the timeout timerfd (disarmed by -w 0).
  let nextTick = intervalNs ? start + intervalNs : Number.POSITIVE_INFINITY;
  const timeoutAt = ctl.timeout ? start + ctl.timeout * NSEC_PER_SEC : Number.POSITIVE_INFINITY;
  let totalExpires = 1;
  // arping's printf goes to a buffer it flushes after each reply; lines go out as they are made.
  const print = (text: string) => proc.write(1, text);

  const sendPack = () => {
    const buf = new Uint8Array(ARP_LEN);
    emitArp(buf, 0, {
      op: ctl.advert ? ARPOP_REPLY : ARPOP_REQUEST,
      senderMac: peer.me.addr,
      senderIp: peer.gsrc,
      targetMac: ctl.advert ? peer.me.addr : peer.he,
      targetIp: peer.gdst,
    });
    const now = clockGettime(task);
    try {
      packetSendto(task, sock, buf, { ifindex: peer.me.ifindex, protocol: ETH_P_ARP, addr: peer.he });
    } catch (err) {
      if (err instanceof KernelError) return;
      throw err;
    }
    stats.last = now;
    stats.sent++;
    if (!stats.unicasting) stats.brdSent++;
  };

  sendPack();
  try {
    for (;;) {
      const wake = Math.min(nextTick, timeoutAt);
      const ready = await packetPollIn(task, sock, wake);
      const now = clockGettime(task);
      // poll() reports every ready descriptor; arping handles them in order: timer, timeout, socket.
      if (now >= nextTick) {
        const exp = Math.floor((now - nextTick) / intervalNs) + 1;
        nextTick += exp * intervalNs;
        totalExpires += exp;
        if (ctl.count > 0 && ctl.count < totalExpires) break;
        sendPack();
      }
      if (now >= timeoutAt) break;
      if (!ready) continue;
      let msg: ReturnType<typeof packetRecvfrom>;
      try {
        msg = packetRecvfrom(task, sock);
      } catch (err) {
        if (!(err instanceof KernelError)) throw err;
        proc.write(2, `arping: recvfrom: ${strerror(err.errno)}\n`);
        if (err.errno === "ENETDOWN") return { stdout: "", stderr: "", exitCode: 2 };
        continue;
      }
      if (msg && recvPack(peer, stats, msg, { now, print }) === "final") break;
    }
  } catch (err) {
    if (
      !(err instanceof TaskKilled) ||
      (err.signal !== SIGINT && err.signal !== SIGTERM && err.signal !== SIGALRM)
    )
      throw err;
    signalHandled(task);
  }
  print(finishText(ctl, stats));
  return { stdout: "", stderr: "", exitCode: finishCode(ctl, stats) };
}

interface Stats {
  sent: number;
  brdSent: number;
  received: number;
  brdRecv: number;
  reqRecv: number;
  unicasting: boolean;
  last: number;
}

/** recv_pack: one frame from the socket; "final" ends the loop (FINAL_PACKS). */
function recvPack(
  peer: Peer,
  stats: Stats,
  msg: { readonly data: Uint8Array; readonly from: SockaddrLl },
  io: { readonly now: number; readonly print: (text: string) => void },
): "final" | "more" | "ignored" {
  const { ctl, me } = peer;
  const from = msg.from;
  if (from.pkttype !== PACKET_HOST && from.pkttype !== PACKET_BROADCAST && from.pkttype !== PACKET_MULTICAST)
    return "ignored";
  const arp = parseArp(msg.data, 0);
  if (!arp || (arp.op !== ARPOP_REQUEST && arp.op !== ARPOP_REPLY)) return "ignored";
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!ctl.dad) {
    if (arp.senderIp !== peer.gdst || arp.targetIp !== peer.gsrc) return "ignored";
    if (!same(arp.targetMac, me.addr)) return "ignored";
  } else {
    if (arp.senderIp !== peer.gdst) return "ignored";
    if (same(arp.senderMac, me.addr)) return "ignored";
    if (peer.gsrc && peer.gsrc !== arp.targetIp) return "ignored";
  }
  if (!ctl.quiet) {
    let line = `${from.pkttype === PACKET_HOST ? "Unicast" : "Broadcast"} `;
    line += `${arp.op === ARPOP_REPLY ? "reply" : "request"} from ${formatIPv4(arp.senderIp)} [${hex(arp.senderMac)}] `;
    let sPrinted = false;
    if (arp.targetIp !== peer.gsrc) {
      line += `for ${formatIPv4(arp.targetIp)} `;
      sPrinted = true;
    }
    if (!same(arp.targetMac, me.addr)) line += `${sPrinted ? "" : "for "}[${hex(arp.targetMac)}]`;
    // ctl->last.tv_sec: zero until a probe went out (the machine has been up longer than a second).
    if (stats.sent) {
      let usecs = Math.floor((io.now - stats.last + 500) / 1000);
      const msecs = Math.floor((usecs + 500) / 1000);
      usecs -= msecs * 1000 - 500;
      line += ` ${msecs}.${String(usecs).padStart(3, "0")}ms\n`;
    } else line += " UNSOLICITED?\n";
    io.print(line);
  }
  stats.received++;
  if (ctl.timeout && stats.received === ctl.count) return "final";
  if (from.pkttype !== PACKET_HOST) stats.brdRecv++;
  if (arp.op === ARPOP_REQUEST) stats.reqRecv++;
  if (ctl.quitOnReply || (ctl.count === 0 && stats.received === stats.sent)) return "final";
  if (!ctl.broadcastOnly) {
    peer.he = arp.senderMac.slice();
    stats.unicasting = true;
  }
  return "more";
}

function hex(mac: Uint8Array): string {
  return [...mac].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

function finishText(ctl: Ctl, s: Stats): string {
  if (ctl.quiet) return "";
  let text = `Sent ${s.sent} probes (${s.brdSent} broadcast(s))\nReceived ${s.received} response(s)`;
  if (s.brdRecv || s.reqRecv) {
    text += " (";
    if (s.reqRecv) text += `${s.reqRecv} request(s)`;
    if (s.brdRecv) text += `${s.reqRecv ? ", " : ""}${s.brdRecv} broadcast(s)`;
    text += ")";
  }
  return `${text}\n`;
}

/** arping's exit code evaluation. */
function finishCode(ctl: Ctl, s: Stats): number {
  if (ctl.dad) return s.received ? 1 : 0;
  if (ctl.unsolicited) return 0;
  if (ctl.timeout && ctl.count > 0 && !ctl.quitOnReply) return ctl.count <= s.received ? 0 : 1;
  return s.received ? 0 : 1;
}
