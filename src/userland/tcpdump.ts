// tcpdump 4.99.3 with libpcap 1.10.3 (Debian 12): a live capture through an AF_PACKET socket bound
// to ETH_P_ALL on one device (SOCK_RAW, DLT_EN10MB) or on all of them (`-i any`: SOCK_DGRAM, the
// Linux cooked v2 header made from each frame's sockaddr_ll), in promiscuous mode unless -p
// (PACKET_ADD_MEMBERSHIP), the filter attached to the socket so the kernel's counters are libpcap's
// "received by filter" and "dropped by kernel"; -Q is applied in userland as libpcap does. -w writes
// and -r reads the pcap file format. The packet printers are in tcpdump_print.ts, the filter
// language in tcpdump_filter.ts. Without -n, names come from /etc/hosts and /etc/services only.
import {
  clockGettime,
  clockGettimeRealtime,
  ETH_P_ALL,
  IFF_LOOPBACK,
  IFF_RUNNING,
  IFF_UP,
  KernelError,
  PACKET_MR_PROMISC,
  PACKET_OUTGOING,
  type PacketSocket,
  packetAttachFilter,
  packetBind,
  packetClose,
  packetGetStatistics,
  packetMembership,
  packetPollIn,
  packetRecvfrom,
  packetSetRxRing,
  packetSocket,
  type RtLink,
  rtnlGetLink,
  SIGINT,
  SIGTERM,
  type SockaddrLl,
  signalHandled,
  type Task,
  TaskKilled,
} from "../kernel/syscalls.js";
import type { Proc, ProgramResult } from "./program.js";
import { compileFilter, type Filter, FilterError, type FilterPacket } from "./tcpdump_filter.js";
import {
  DLT_EN10MB,
  DLT_LINUX_SLL2,
  formatTimestamp,
  newPrintState,
  type PrintOptions,
  type PrintState,
  printPacket,
} from "./tcpdump_print.js";

const VERSION =
  "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n";
const USAGE = `${VERSION}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

/** getopt's option string of tcpdump 4.99 (a colon: the option takes an argument). */
const OPTSTRING = "aAbB:c:C:dDeE:fF:G:hHi:IjJ:KlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";
const MAXIMUM_SNAPLEN = 262144;
const ARPHRD_LOOPBACK = 772;
/** libpcap's default ring: 2 MiB (opt.buffer_size). */
const RING_BYTES = 2 * 1024 * 1024;

class Exit {
  constructor(
    readonly code: number,
    readonly stderr = "",
  ) {}
}

interface Opts {
  device: string | undefined;
  count: number;
  nflag: number;
  eflag: boolean;
  qflag: boolean;
  vflag: number;
  tflag: number;
  xflag: number;
  Xflag: number;
  Aflag: boolean;
  /** -S: absolute TCP sequence numbers. */
  Sflag: boolean;
  promisc: boolean;
  list: boolean;
  direction: "in" | "out" | "inout";
  wfile: string | undefined;
  rfile: string | undefined;
  snaplen: number;
  expr: string;
}

function parseArgs(argv: readonly string[]): Opts {
  const o: Opts = {
    device: undefined,
    count: 0,
    nflag: 0,
    eflag: false,
    qflag: false,
    vflag: 0,
    tflag: 0,
    xflag: 0,
    Xflag: 0,
    Aflag: false,
    Sflag: false,
    promisc: true,
    list: false,
    direction: "inout",
    wfile: undefined,
    rfile: undefined,
    snaplen: MAXIMUM_SNAPLEN,
    expr: "",
  };
  const rest: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      i++;
      break;
    }
    if (a === "--version") throw new Exit(0, VERSION);
    if (a === "--help") throw new Exit(0, USAGE);
    if (a.startsWith("--")) throw new Exit(1, `tcpdump: unrecognized option '${a}'\n${USAGE}`);
    if (!a.startsWith("-") || a === "-") {
      rest.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k] as string;
      const at = OPTSTRING.indexOf(c);
      if (at < 0 || c === ":") throw new Exit(1, `tcpdump: invalid option -- '${c}'\n${USAGE}`);
      let arg: string | undefined;
      if (OPTSTRING[at + 1] === ":") {
        if (k + 1 < a.length) arg = a.slice(k + 1);
        else {
          arg = argv[++i];
          if (arg === undefined)
            throw new Exit(1, `tcpdump: option requires an argument -- '${c}'\n${USAGE}`);
        }
        k = a.length;
      }
      option(o, c, arg);
    }
  }
  rest.push(...argv.slice(i));
  o.expr = rest.join(" ");
  return o;
}

function option(o: Opts, c: string, arg: string | undefined): void {
  switch (c) {
    case "A":
      o.Aflag = true;
      return;
    case "c": {
      const n = /^\d+$/.test(arg ?? "") ? Number(arg) : Number.NaN;
      if (!(n > 0) || n > 2147483647) throw new Exit(1, `tcpdump: invalid packet count ${arg}\n`);
      o.count = n;
      return;
    }
    case "D":
      o.list = true;
      return;
    case "e":
      o.eflag = true;
      return;
    case "h":
      throw new Exit(0, USAGE);
    case "i":
      o.device = arg;
      return;
    case "S":
      o.Sflag = true;
      return;
    case "l":
    case "U":
      return;
    case "n":
      o.nflag++;
      return;
    case "p":
      o.promisc = false;
      return;
    case "q":
      o.qflag = true;
      return;
    case "Q":
      if (arg !== "in" && arg !== "out" && arg !== "inout")
        throw new Exit(1, `tcpdump: unknown capture direction \`${arg}'\n`);
      o.direction = arg;
      return;
    case "r":
      o.rfile = arg;
      return;
    case "s": {
      const n = /^\d+$/.test(arg ?? "") ? Number(arg) : Number.NaN;
      if (!(n >= 0) || n > MAXIMUM_SNAPLEN) throw new Exit(1, `tcpdump: invalid snaplen ${arg}\n`);
      o.snaplen = n === 0 ? MAXIMUM_SNAPLEN : n;
      return;
    }
    case "t":
      o.tflag++;
      return;
    case "v":
      o.vflag++;
      return;
    case "w":
      o.wfile = arg;
      return;
    case "x":
      o.xflag++;
      return;
    case "X":
      o.Xflag++;
      return;
    case "z":
    case "Z":
    case "B":
      return;
    default:
      throw new Exit(1, `tcpdump: option -${c} is not supported by netnest\n`);
  }
}

/**
 * get_figure_of_merit (libpcap 1.10's pcap.c): lower is listed first. Not running, not up,
 * disconnected (a wired device without carrier), loopback and "any" each set a bit; no instance
 * numbers: equal figures keep the order the devices were found in (ifindex order).
 */
function figureOfMerit(name: string, flags: number, disconnected: boolean): number {
  let n = 0;
  if (!(flags & IFF_RUNNING)) n |= 0x80000000;
  if (!(flags & IFF_UP)) n |= 0x40000000;
  if (disconnected) n |= 0x20000000;
  if (flags & IFF_LOOPBACK) n |= 0x10000000;
  if (name === "any") n |= 0x08000000;
  return n >>> 0;
}

interface PcapDev {
  readonly name: string;
  readonly desc: string | undefined;
  readonly status: string;
  readonly merit: number;
}

/** pcap_findalldevs: the namespace's devices and "any", then the other capture modules' sources. */
function findAllDevs(task: Task): PcapDev[] {
  const devs: PcapDev[] = [];
  // add_dev: before the first device with a higher figure of merit.
  const add = (d: PcapDev): void => {
    let i = 0;
    while (i < devs.length && (devs[i] as PcapDev).merit <= d.merit) i++;
    devs.splice(i, 0, d);
  };
  for (const l of rtnlGetLink(task)) {
    const up = (l.flags & IFF_UP) !== 0;
    const running = (l.flags & IFF_RUNNING) !== 0;
    const loop = (l.flags & IFF_LOOPBACK) !== 0;
    const parts = [up ? "Up" : undefined, running ? "Running" : undefined].filter((x) => x) as string[];
    const status = loop ? "Loopback" : running ? "Connected" : "Disconnected";
    const head = parts.length ? parts.join(", ") : "none";
    add({
      name: l.ifname,
      desc: undefined,
      status: `${head}, ${status}`,
      merit: figureOfMerit(l.ifname, l.flags, !loop && !running),
    });
  }
  add({
    name: "any",
    desc: "Pseudo-device that captures on all interfaces",
    status: "Up, Running",
    merit: figureOfMerit("any", IFF_UP | IFF_RUNNING, false),
  });
  // The other capture modules (neither up nor running; the connection status unknown).
  const others: [string, string, string][] = [
    ["bluetooth-monitor", "Bluetooth Linux Monitor", "Wireless"],
    ["nflog", "Linux netfilter log (NFLOG) interface", "none"],
    ["nfqueue", "Linux netfilter queue (NFQUEUE) interface", "none"],
    ["dbus-system", "D-Bus system bus", "none"],
    ["dbus-session", "D-Bus session bus", "none"],
  ];
  for (const [name, desc, status] of others)
    add({ name, desc, status, merit: figureOfMerit(name, 0, false) });
  return devs;
}

export async function tcpdump(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  try {
    return await run(argv, proc);
  } catch (e) {
    if (e instanceof Exit) return { stdout: "", stderr: e.stderr, exitCode: e.code };
    throw e;
  }
}

function compile(expr: string): Filter {
  try {
    return compileFilter(expr);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    const msg = e.message === "syntax error" ? "can't parse filter expression: syntax error" : e.message;
    throw new Exit(1, `tcpdump: ${msg}\n`);
  }
}

function filterPacket(dlt: number, data: Uint8Array, wireLen: number): FilterPacket {
  if (dlt === DLT_LINUX_SLL2) {
    const proto = data.length >= 2 ? ((data[0] as number) << 8) | (data[1] as number) : 0;
    return { data, proto, nh: 20, ethDst: undefined, ethSrc: undefined, wireLen, linkLen: 20 };
  }
  const proto = data.length >= 14 ? ((data[12] as number) << 8) | (data[13] as number) : 0;
  return { data, proto, nh: 14, ethDst: 0, ethSrc: 6, wireLen, linkLen: 14 };
}

/** The SLL2 header libpcap puts before a cooked frame, from its sockaddr_ll. */
function sll2Frame(data: Uint8Array, from: SockaddrLl): Uint8Array {
  const f = new Uint8Array(20 + data.length);
  const v = new DataView(f.buffer);
  v.setUint16(0, from.protocol);
  v.setUint32(4, from.ifindex);
  v.setUint16(8, from.hatype);
  f[10] = from.pkttype;
  f[11] = from.addr.length;
  f.set(from.addr.subarray(0, 8), 12);
  f.set(data, 20);
  return f;
}

const LINKTYPE_NAMES: Readonly<Record<number, string>> = {
  [DLT_EN10MB]: "EN10MB (Ethernet)",
  [DLT_LINUX_SLL2]: "LINUX_SLL2 (Linux cooked v2)",
  113: "LINUX_SLL (Linux cooked v1)",
};

async function run(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const task = proc.task;
  const o = parseArgs(argv);
  let links: RtLink[] | undefined;
  const ifname = (ifindex: number): string | undefined => {
    links ??= rtnlGetLink(task);
    return links.find((l) => l.ifindex === ifindex)?.ifname;
  };
  const popts: PrintOptions = {
    nflag: o.nflag,
    eflag: o.eflag,
    qflag: o.qflag,
    vflag: o.vflag,
    tflag: o.tflag,
    xflag: o.xflag,
    Xflag: o.Xflag,
    Aflag: o.Aflag,
    Sflag: o.Sflag,
    ifname,
  };
  if (o.list) {
    let out = "";
    findAllDevs(task).forEach((d, i) => {
      out += `${i + 1}.${d.name}${d.desc ? ` (${d.desc})` : ""} [${d.status}]\n`;
    });
    return { stdout: out, stderr: "", exitCode: 0 };
  }
  if (o.rfile !== undefined) return readFile(proc, o, popts);

  // Open the device (pcap_create + pcap_activate).
  const device = o.device ?? findAllDevs(task)[0]?.name ?? "any";
  const any = device === "any";
  let link: RtLink | undefined;
  if (!any) {
    link = rtnlGetLink(task).find((l) => l.ifname === device);
    if (!link) throw new Exit(1, `tcpdump: ${device}: No such device exists\n(No such device exists)\n`);
    if (!(link.flags & IFF_UP)) throw new Exit(1, `tcpdump: ${device}: That device is not up\n`);
  }
  let sock: PacketSocket;
  try {
    sock = packetSocket(task, any ? "SOCK_DGRAM" : "SOCK_RAW", ETH_P_ALL);
  } catch (e) {
    if (e instanceof KernelError && e.errno === "EPERM")
      throw new Exit(
        1,
        `tcpdump: ${device}: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n`,
      );
    throw e;
  }
  try {
    packetBind(task, sock, { ifindex: link?.ifindex ?? 0, protocol: ETH_P_ALL });
    if (link && o.promisc)
      packetMembership(task, sock, { add: true, ifindex: link.ifindex, type: PACKET_MR_PROMISC });
    packetSetRxRing(task, sock, RING_BYTES);
    const dlt = any ? DLT_LINUX_SLL2 : DLT_EN10MB;
    const filter = compile(o.expr);
    // The filter runs in the kernel, over the frame as libpcap will see it.
    packetAttachFilter(task, sock, (data, from) => {
      const frame = any ? sll2Frame(data, from) : data;
      return filter(filterPacket(dlt, frame, frame.length));
    });
    let banner = "";
    if (any) banner += "tcpdump: data link type LINUX_SLL2\n";
    const lt = `link-type ${LINKTYPE_NAMES[dlt]}, snapshot length ${o.snaplen} bytes`;
    if (!o.vflag && o.wfile === undefined)
      banner += `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${device}, ${lt}\n`;
    else banner += `tcpdump: listening on ${device}, ${lt}\n`;
    // pcap_dump_open comes before the banner: a file that cannot be made ends it there.
    if (o.wfile !== undefined) {
      try {
        await proc.writeFile(o.wfile, pcapHeader(o.snaplen, dlt));
      } catch (e) {
        throw new Exit(1, `tcpdump: ${o.wfile}: ${fileError(e)}\n`);
      }
    }
    proc.write(2, banner);
    const records: { us: number; data: Uint8Array; len: number }[] = [];
    const st = newPrintState();
    let captured = 0;
    let interrupted = false;
    let failed: string | undefined;
    const offsetUs = clockGettimeRealtime(task) - Math.floor(clockGettime(task) / 1000);
    loop: for (;;) {
      try {
        await packetPollIn(task, sock, Number.POSITIVE_INFINITY);
      } catch (e) {
        if (e instanceof TaskKilled && (e.signal === SIGINT || e.signal === SIGTERM)) {
          signalHandled(task);
          interrupted = true;
          break;
        }
        throw e;
      }
      for (;;) {
        let f: ReturnType<typeof packetRecvfrom>;
        try {
          f = packetRecvfrom(task, sock);
        } catch (e) {
          // ENETDOWN: the device went down (libpcap carries on) or is gone, which ends the loop
          // with an error (device_still_exists).
          if (!(e instanceof KernelError) || e.errno !== "ENETDOWN") throw e;
          if (link && !rtnlGetLink(task).some((l) => l.ifname === device)) {
            failed = "The interface disappeared";
            break loop;
          }
          continue;
        }
        if (!f) break;
        // -Q: libpcap drops the other direction after the kernel counted the frame.
        const out = f.from.pkttype === PACKET_OUTGOING;
        // An outgoing frame on the loopback device comes back in: libpcap keeps only that copy.
        if (out && f.from.hatype === ARPHRD_LOOPBACK) continue;
        if ((o.direction === "in" && out) || (o.direction === "out" && !out)) continue;
        const frame = any ? sll2Frame(f.data, f.from) : f.data;
        const us = offsetUs + Math.floor(f.tstamp / 1000);
        captured++;
        if (o.wfile !== undefined) records.push({ us, data: frame.slice(0, o.snaplen), len: frame.length });
        else
          proc.write(
            1,
            formatTimestamp(popts, st, us) +
              printPacket(popts, st, dlt, frame.subarray(0, o.snaplen), frame.length),
          );
        if (o.count && captured >= o.count) break loop;
      }
    }
    if (o.wfile !== undefined) await proc.writeFile(o.wfile, pcapFile(o.snaplen, dlt, records));
    else if (interrupted) proc.write(1, "\n");
    if (failed) proc.write(2, `tcpdump: pcap_loop: ${failed}\n`);
    const stats = packetGetStatistics(task, sock);
    const pl = (n: number, what: string): string => `${n} packet${n === 1 ? "" : "s"} ${what}\n`;
    proc.write(
      2,
      pl(captured, "captured") +
        pl(stats.packets, "received by filter") +
        pl(stats.drops, "dropped by kernel"),
    );
    return { stdout: "", stderr: "", exitCode: failed ? 1 : 0 };
  } finally {
    packetClose(task, sock);
  }
}

/** strerror of a failed open, from the filesystem's Node-style code. */
function fileError(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "EACCES" || code === "EPERM") return "Permission denied";
  if (code === "EISDIR") return "Is a directory";
  if (code === "ENOTDIR") return "Not a directory";
  return "No such file or directory";
}

function pcapHeader(snaplen: number, dlt: number): Uint8Array {
  const h = new Uint8Array(24);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, dlt, true);
  return h;
}

/** pcap_dump_open + pcap_dump: the file header, then a record header and the bytes per packet. */
function pcapFile(
  snaplen: number,
  dlt: number,
  records: readonly { us: number; data: Uint8Array; len: number }[],
): Uint8Array {
  let size = 24;
  for (const r of records) size += 16 + r.data.length;
  const f = new Uint8Array(size);
  f.set(pcapHeader(snaplen, dlt));
  const v = new DataView(f.buffer);
  let at = 24;
  for (const r of records) {
    v.setUint32(at, Math.floor(r.us / 1e6), true);
    v.setUint32(at + 4, r.us % 1e6, true);
    v.setUint32(at + 8, r.data.length, true);
    v.setUint32(at + 12, r.len, true);
    f.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return f;
}

async function readFile(proc: Proc, o: Opts, popts: PrintOptions): Promise<ProgramResult> {
  const name = o.rfile as string;
  let bytes: Uint8Array;
  try {
    if (!proc.readFileBytes) throw new Error("no files");
    bytes = await proc.readFileBytes(name);
  } catch (e) {
    throw new Exit(1, `tcpdump: ${name}: ${fileError(e)}\n`);
  }
  if (bytes.length < 24) {
    if (bytes.length === 0)
      throw new Exit(
        1,
        `tcpdump: ${name}: truncated dump file; tried to read 4 file header bytes, only got 0\n`,
      );
    throw new Exit(
      1,
      `tcpdump: ${name}: truncated dump file; tried to read 24 file header bytes, only got ${bytes.length}\n`,
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = v.getUint32(0, true);
  let le: boolean;
  let nano = false;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    nano = magicLe === 0xa1b23c4d;
  } else if (v.getUint32(0, false) === 0xa1b2c3d4 || v.getUint32(0, false) === 0xa1b23c4d) {
    le = false;
    nano = v.getUint32(0, false) === 0xa1b23c4d;
  } else throw new Exit(1, "tcpdump: unknown file format\n");
  const snaplen = v.getUint32(16, le);
  const dlt = v.getUint32(20, le) & 0x3ffffff;
  const filter = compileAfter(
    o.expr,
    `reading from file ${name}, link-type ${LINKTYPE_NAMES[dlt] ?? dlt}, snapshot length ${snaplen}\n`,
  );
  let stdout = "";
  const st: PrintState = newPrintState();
  let at = 24;
  let n = 0;
  while (at + 16 <= bytes.length) {
    const sec = v.getUint32(at, le);
    const frac = v.getUint32(at + 4, le);
    const caplen = v.getUint32(at + 8, le);
    const len = v.getUint32(at + 12, le);
    const data = bytes.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    if (!filter.fn(filterPacket(dlt, data, len))) continue;
    const us = sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac);
    stdout += formatTimestamp(popts, st, us) + printPacket(popts, st, dlt, data, len);
    n++;
    if (o.count && n >= o.count) break;
  }
  return { stdout, stderr: filter.banner, exitCode: 0 };
}

/** -r prints its banner before compiling, so a bad filter's error comes after it. */
function compileAfter(expr: string, banner: string): { fn: Filter; banner: string } {
  try {
    return { fn: compile(expr), banner };
  } catch (e) {
    if (e instanceof Exit) throw new Exit(e.code, banner + e.stderr);
    throw e;
  }
}
