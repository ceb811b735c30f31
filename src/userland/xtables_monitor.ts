// xtables-monitor from iptables 1.8.9 (nf_tables), its --trace mode: it joins NFNLGRP_NFTRACE in
// its namespace and prints each trace the kernel sends: a PACKET line when the trace carries the
// packet (the first one of each base chain), then the chain and what decided, with the rule as
// iptables-save prints it (looked up by handle when the trace is printed, as NFT_MSG_GETRULE does).
// stdout is flushed after every trace (trace_cb's fflush), so a killed monitor keeps what it printed.
import * as sys from "../kernel/syscalls.js";
import {
  NFT_CONTINUE,
  NFT_GOTO,
  NFT_JUMP,
  NFT_TRACETYPE_POLICY,
  type NftTraceMsg,
} from "../kernel/uapi_netfilter.js";
import { strerror } from "./ip/utils.js";
import { saveRule } from "./iptables/rule.js";
import type { Proc, ProgramResult } from "./program.js";

const VERSION = "1.8.9";
const NFPROTO_IPV4 = 2;
const NFPROTO_IPV6 = 10;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

const USAGE = `xtables-monitor ${VERSION} (nf_tables)
Usage: xtables-monitor [ -t | -e ]
        --trace    -t    trace ruleset traversal of packets tagged via -j TRACE rule
        --event    -e    show events that modify the ruleset
Optional arguments:
        --ipv4     -4    only monitor IPv4
        --ipv6     -6    only monitor IPv6
\t--counters -c    show counters in rules
`;

const LONGS: readonly [string, string][] = [
  ["counters", "c"],
  ["trace", "t"],
  ["event", "e"],
  ["ipv4", "4"],
  ["ipv6", "6"],
  ["version", "V"],
  ["help", "h"],
];

const BAD_ARGUMENT: ProgramResult = {
  stdout: "",
  stderr: `xtables-monitor ${VERSION}: Bad argument.\nTry \`xtables-monitor -h' for more information.\n`,
  exitCode: 2,
};

/**
 * getopt_long(argc, argv, "ceht46V", …) with opterr = 0, permuting: operands are skipped, an
 * unknown or ambiguous option is '?'. Returns the option letters in order.
 */
function options(argv: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const exact = LONGS.find(([n]) => n === name);
      const found = exact ? [exact] : LONGS.filter(([n]) => n.startsWith(name));
      if (found.length !== 1 || eq >= 0) return undefined;
      out.push((found[0] as [string, string])[1]);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (const c of arg.slice(1)) {
        if (!"ceht46V".includes(c)) return [...out, "?"];
        out.push(c);
      }
    }
  }
  return out;
}

export async function xtablesMonitor(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const opts = options(argv);
  let trace = false;
  let counters = false;
  let nfproto = 0;
  for (const c of opts ?? ["?"]) {
    switch (c) {
      case "c":
        counters = true;
        break;
      case "t":
        trace = true;
        break;
      case "h":
        // print_usage() ends with exit(EXIT_FAILURE) itself, even for -h.
        return { stdout: USAGE, stderr: "", exitCode: 1 };
      case "4":
        nfproto = NFPROTO_IPV4;
        break;
      case "6":
        nfproto = NFPROTO_IPV6;
        break;
      case "V":
        return { stdout: `xtables-monitor ${VERSION}\n`, stderr: "", exitCode: 0 };
      default:
        // -e (ruleset events, NFNLGRP_NFTABLES) is not emulated: netnest sends no such events.
        return BAD_ARGUMENT;
    }
  }
  if (!trace) return { stdout: USAGE, stderr: "", exitCode: 1 };
  const task = proc.task;
  let sk: ReturnType<typeof sys.nfnlTraceListen>;
  try {
    sk = sys.nfnlTraceListen(task);
  } catch (e) {
    if (e instanceof sys.KernelError)
      return {
        stdout: "",
        stderr: `cannot bind to nfnetlink socket: ${strerror(e.errno)}\n`,
        exitCode: 1,
      };
    throw e;
  }
  try {
    for (;;) {
      const msg = await sys.nfnlTraceRecv(task, sk);
      if (nfproto !== 0 && nfproto !== msg.family) continue;
      proc.write(1, traceText(proc, msg, counters));
    }
  } finally {
    sys.nfnlTraceClose(task, sk);
  }
}

/** trace_cb: the packet when the trace carries it, then the trace line. */
function traceText(proc: Proc, msg: NftTraceMsg, counters: boolean): string {
  let s = "";
  if (msg.llHeader || msg.networkHeader) s += packetText(proc, msg);
  const hdr = ` TRACE: ${msg.family} ${hex8(msg.id)} ${msg.table}:${msg.chain}`;
  if (msg.type === NFT_TRACETYPE_POLICY) return `${s}${hdr}:policy:${verdictText(msg)} \n`;
  if (msg.handle === undefined) return s;
  return `${s}${hdr}:rule:0x${msg.handle.toString(16)}:${verdictText(msg)}  ${ruleText(proc, msg, counters)}`;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

/** print_verdict */
function verdictText(msg: NftTraceMsg): string {
  const v = msg.verdict | 0;
  switch (v) {
    case 1:
      return "ACCEPT";
    case 0:
      return "DROP";
    case 3:
      return "QUEUE";
    case 2:
      return "STOLEN";
    case -2:
      return "BREAK";
    case NFT_CONTINUE:
      return "CONTINUE";
    case NFT_GOTO:
      return `GOTO${msg.jumpTarget !== undefined ? `:${msg.jumpTarget}` : ""}`;
    case NFT_JUMP:
      return `JUMP${msg.jumpTarget !== undefined ? `:${msg.jumpTarget}` : ""}`;
    default:
      return `0x${(msg.verdict >>> 0).toString(16)}`;
  }
}

/**
 * trace_print_rule: NFT_MSG_GETRULE by table, chain and handle, printed by rule_cb as
 * `-4 -t TABLE [-c counters] -A CHAIN …`. A rule deleted since the trace prints nothing at all.
 */
function ruleText(proc: Proc, msg: NftTraceMsg, counters: boolean): string {
  let table: ReturnType<typeof sys.iptGetTable>;
  try {
    table = sys.iptGetTable(proc.task, msg.table);
  } catch {
    return "";
  }
  const chain = table?.chains.find((c) => c.name === msg.chain);
  const e = chain?.entries.find((x) => x.handle === msg.handle);
  if (!e) return "";
  const cnt = counters ? `[${e.counters.pcnt}:${e.counters.bcnt}] ` : "";
  return `-4 -t ${msg.table} ${cnt}-A ${msg.chain}${saveRule(e)}\n`;
}

/** glibc's ether_ntoa: hex octets without leading zeros. */
function etherNtoa(b: Uint8Array, at: number): string {
  return Array.from(b.subarray(at, at + 6), (x) => x.toString(16)).join(":");
}

function ipText(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

/** trace_print_packet */
function packetText(proc: Proc, msg: NftTraceMsg): string {
  let s = `PACKET: ${msg.family} ${hex8(msg.id)} `;
  if (msg.iif !== undefined) s += `IN=${ifName(proc, msg.iif)} `;
  if (msg.oif !== undefined) s += `OUT=${ifName(proc, msg.oif)} `;
  const nfproto = msg.nfproto;
  if (msg.family !== nfproto) s += `NFPROTO=${nfproto} `;
  const ll = msg.llHeader;
  if (ll) {
    const type = msg.iifType ?? 0;
    if (type === ARPHRD_ETHER) {
      if (ll.length >= 14)
        s += `MACSRC=${etherNtoa(ll, 6)} MACDST=${etherNtoa(ll, 0)} MACPROTO=${u16(ll, 12).toString(16).padStart(4, "0")} `;
    } else if (type === ARPHRD_LOOPBACK) s += "LOOPBACK ";
    else s += `LL=0x${type.toString(16)} ${Array.from(ll, (x) => x.toString(16).padStart(2, "0")).join("")} `;
  }
  let l4proto = 0;
  const nh = msg.networkHeader;
  if (nh && nfproto === NFPROTO_IPV4 && nh.length >= 20) {
    s += `SRC=${ipText(nh, 12)} DST=${ipText(nh, 16)} `;
    s += `LEN=${u16(nh, 2)} TOS=0x${(nh[1] as number).toString(16)} TTL=${nh[8]} ID=${u16(nh, 4)} `;
    const frag = u16(nh, 6);
    if (frag & 0x8000) s += "CE ";
    if (frag & 0x4000) s += "DF ";
    if (frag & 0x2000) s += "MF ";
    if (frag & 0x1fff) s += `FRAG:${frag & 0x1fff} `;
    l4proto = nh[9] as number;
    const ihl = ((nh[0] as number) & 0xf) * 4;
    if (ihl > 20)
      s += `OPT (${Array.from(nh.subarray(20, ihl), (x) => x.toString(16).toUpperCase().padStart(2, "0")).join("")}) `;
  }
  const th = msg.transportHeader;
  if (th) {
    if (l4proto === 17 || l4proto === 33 || l4proto === 132 || l4proto === 136) {
      if (th.length >= 4) s += `SPORT=${u16(th, 0)} DPORT=${u16(th, 2)} `;
    } else if (l4proto === 6 && th.length >= 20) {
      s += `SPORT=${u16(th, 0)} DPORT=${u16(th, 2)} `;
      const f = th[13] as number;
      if (f & 0x02) s += "SYN ";
      if (f & 0x10) s += "ACK ";
      if (f & 0x01) s += "FIN ";
      if (f & 0x04) s += "RST ";
      if (f & 0x08) s += "PSH ";
      if (f & 0x20) s += "URG ";
    }
  }
  if (msg.mark !== 0) s += `MARK=0x${msg.mark.toString(16)} `;
  return `${s}\n`;
}

/** if_indextoname in the monitor's namespace; glibc prints a NULL name as "(null)". */
function ifName(proc: Proc, ifindex: number): string {
  return sys.rtnlGetLink(proc.task).find((l) => l.ifindex === ifindex)?.ifname ?? "(null)";
}
