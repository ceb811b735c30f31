// iptables 1.8.9's rule parser (do_parse, the libxt_* parse callbacks) and printers (the -L
// columns and each extension's print, and the -S / iptables-save form of each extension's save).

import {
  IPRANGE_DST,
  IPRANGE_DST_INV,
  IPRANGE_SRC,
  IPRANGE_SRC_INV,
  IPSET_FLAG_EXIST,
  IPSET_FLAG_RETURN_NOMATCH,
  IPSET_FLAG_SKIP_COUNTER_UPDATE,
  IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE,
  IPSET_INV_MATCH,
  IPT_F_FRAG,
  IPT_F_GOTO,
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type IptEntry,
  type IptIp,
  type IptRejectWith,
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_RANDOM,
  NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange,
  type PortRange,
  XT_ADDRTYPE_INVERT_DEST,
  XT_ADDRTYPE_INVERT_SOURCE,
  XT_ADDRTYPE_LIMIT_IFACE_IN,
  XT_ADDRTYPE_LIMIT_IFACE_OUT,
  XT_CONNTRACK_DIRECTION,
  XT_CONNTRACK_EXPIRES,
  XT_CONNTRACK_ORIGDST,
  XT_CONNTRACK_ORIGDST_PORT,
  XT_CONNTRACK_ORIGSRC,
  XT_CONNTRACK_ORIGSRC_PORT,
  XT_CONNTRACK_PROTO,
  XT_CONNTRACK_REPLDST,
  XT_CONNTRACK_REPLDST_PORT,
  XT_CONNTRACK_REPLSRC,
  XT_CONNTRACK_REPLSRC_PORT,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_STATUS,
  XT_LIMIT_SCALE,
  XT_OWNER_GID,
  XT_OWNER_SOCKET,
  XT_OWNER_SUPPL_GROUPS,
  XT_OWNER_UID,
  XT_TCP_INV_DSTPT,
  XT_TCP_INV_FLAGS,
  XT_TCP_INV_OPTION,
  XT_TCP_INV_SRCPT,
  type XtMatch,
  type XtSetCounterMatch,
  type XtSetInfo,
  type XtTarget,
} from "../../kernel/syscalls.js";
import { formatIPv4, parseIPv4 } from "../../wire/addr.js";
import { getgrgid, getgrnam, getpwnam, getpwuid } from "../passwd.js";
import { protoByName, protoByNumber, servByName, servByPort } from "./netdb.js";

/** A parameter problem (xtables_error(PARAMETER_PROBLEM, …)): exit 2 with the "Try" line. */
export class ParamError extends Error {
  constructor(
    message: string,
    readonly extraBlank = false,
  ) {
    super(message);
  }
}

/** An error iptables prints as `iptables: MESSAGE.` (exit 1), or raw text with its own status. */
export class PlainError extends Error {
  constructor(
    message: string,
    readonly status = 1,
    readonly raw = false,
  ) {
    super(message);
  }
}

export const ICMP_CODES: readonly (readonly [string, number, number, number])[] = [
  ["any", 0xff, 0, 0xff],
  ["echo-reply", 0, 0, 0xff],
  ["destination-unreachable", 3, 0, 0xff],
  ["network-unreachable", 3, 0, 0],
  ["host-unreachable", 3, 1, 1],
  ["protocol-unreachable", 3, 2, 2],
  ["port-unreachable", 3, 3, 3],
  ["fragmentation-needed", 3, 4, 4],
  ["source-route-failed", 3, 5, 5],
  ["network-unknown", 3, 6, 6],
  ["host-unknown", 3, 7, 7],
  ["network-prohibited", 3, 9, 9],
  ["host-prohibited", 3, 10, 10],
  ["TOS-network-unreachable", 3, 11, 11],
  ["TOS-host-unreachable", 3, 12, 12],
  ["communication-prohibited", 3, 13, 13],
  ["host-precedence-violation", 3, 14, 14],
  ["precedence-cutoff", 3, 15, 15],
  ["source-quench", 4, 0, 0xff],
  ["redirect", 5, 0, 0xff],
  ["network-redirect", 5, 0, 0],
  ["host-redirect", 5, 1, 1],
  ["TOS-network-redirect", 5, 2, 2],
  ["TOS-host-redirect", 5, 3, 3],
  ["echo-request", 8, 0, 0xff],
  ["router-advertisement", 9, 0, 0xff],
  ["router-solicitation", 10, 0, 0xff],
  ["time-exceeded", 11, 0, 0xff],
  ["ttl-zero-during-transit", 11, 0, 0],
  ["ttl-zero-during-reassembly", 11, 1, 1],
  ["parameter-problem", 12, 0, 0xff],
  ["ip-header-bad", 12, 0, 0],
  ["required-option-missing", 12, 1, 1],
  ["timestamp-request", 13, 0, 0xff],
  ["timestamp-reply", 14, 0, 0xff],
  ["address-mask-request", 17, 0, 0xff],
  ["address-mask-reply", 18, 0, 0xff],
];
const ICMP_ALIASES: Readonly<Record<string, string>> = {
  ping: "echo-request",
  pong: "echo-reply",
  "ttl-exceeded": "time-exceeded",
};

const TCP_FLAGS: readonly (readonly [string, number])[] = [
  ["FIN", 0x01],
  ["SYN", 0x02],
  ["RST", 0x04],
  ["PSH", 0x08],
  ["ACK", 0x10],
  ["URG", 0x20],
  ["ALL", 0x3f],
  ["NONE", 0],
];

const RTN_NAMES = [
  "UNSPEC",
  "UNICAST",
  "LOCAL",
  "BROADCAST",
  "ANYCAST",
  "MULTICAST",
  "BLACKHOLE",
  "UNREACHABLE",
  "PROHIBIT",
  "THROW",
  "NAT",
  "XRESOLVE",
];

export const LOG_LEVELS: readonly (readonly [string, number])[] = [
  ["emerg", 0],
  ["alert", 1],
  ["crit", 2],
  ["err", 3],
  ["warn", 4],
  ["notice", 5],
  ["info", 6],
  ["debug", 7],
];

const REJECT_WITH: Readonly<Record<string, IptRejectWith>> = {
  "icmp-net-unreachable": "icmp-net-unreachable",
  "net-unreach": "icmp-net-unreachable",
  "icmp-host-unreachable": "icmp-host-unreachable",
  "host-unreach": "icmp-host-unreachable",
  "icmp-proto-unreachable": "icmp-proto-unreachable",
  "proto-unreach": "icmp-proto-unreachable",
  "icmp-port-unreachable": "icmp-port-unreachable",
  "port-unreach": "icmp-port-unreachable",
  "icmp-net-prohibited": "icmp-net-prohibited",
  "net-prohib": "icmp-net-prohibited",
  "icmp-host-prohibited": "icmp-host-prohibited",
  "host-prohib": "icmp-host-prohibited",
  "icmp-admin-prohibited": "icmp-admin-prohibited",
  "admin-prohib": "icmp-admin-prohibited",
  "tcp-reset": "tcp-reset",
  "tcp-rst": "tcp-reset",
};

export const STANDARD_TARGETS = ["ACCEPT", "DROP", "RETURN"] as const;

// ---------------------------------------------------------------------------------------------
// Parsing helpers.

export function parseProtocol(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "all") return 0;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 255) throw new ParamError(`unknown protocol "${text}" specified`);
    return n;
  }
  const n = protoByName(lower);
  if (n === undefined) throw new ParamError(`unknown protocol "${text}" specified`);
  return n;
}

/** xtables_ipparse_any + mask: `a.b.c.d[/len|/mask]`. */
export function parseAddrMask(text: string): { addr: number; mask: number } {
  const slash = text.indexOf("/");
  const host = slash < 0 ? text : text.slice(0, slash);
  let mask = 0xffffffff;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (/^\d+$/.test(m)) {
      const len = Number(m);
      if (len > 32) throw new ParamError(`invalid mask \`${m}' specified`);
      mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    } else {
      const parsed = parseIPv4(m);
      if (parsed === undefined) throw new ParamError(`invalid mask \`${m}' specified`);
      mask = parsed >>> 0;
    }
  }
  let addr = parseIPv4(host);
  if (addr === undefined && host === "localhost") addr = 0x7f000001;
  if (addr === undefined && /^\d+$/.test(host) === false && host === "") addr = undefined;
  if (addr === undefined) throw new ParamError(`host/network \`${host}' not found`);
  return { addr: (addr & mask) >>> 0, mask };
}

export function parsePort(text: string, proto: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 65535) return n;
  } else {
    const p = servByName(text, proto);
    if (p !== undefined) return p;
  }
  throw new ParamError(`invalid port/service \`${text}' specified`);
}

/** parse_ports: `port`, `lo:hi`, `:hi`, `lo:`. */
export function parsePortRange(text: string, proto: string): PortRange {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const p = parsePort(text, proto);
    return { lo: p, hi: p };
  }
  const lo = colon === 0 ? 0 : parsePort(text.slice(0, colon), proto);
  const hi = colon === text.length - 1 ? 0xffff : parsePort(text.slice(colon + 1), proto);
  if (lo > hi) throw new ParamError(`invalid portrange (min > max)`);
  return { lo, hi };
}

function parseTcpFlags(text: string): number {
  let flags = 0;
  for (const name of text.split(",")) {
    const f = TCP_FLAGS.find(([n]) => n === name.toUpperCase());
    if (!f) throw new ParamError(`Unknown TCP flag \`${name}'`);
    flags |= f[1];
  }
  return flags;
}

function parseUint(text: string, what: string, max = 0xffffffff): number {
  const n = /^0x[0-9a-f]+$/i.test(text)
    ? Number.parseInt(text, 16)
    : /^\d+$/.test(text)
      ? Number(text)
      : Number.NaN;
  if (!Number.isFinite(n) || n > max) throw new ParamError(`Bad ${what} value "${text}"`);
  return n;
}

/** libxt_statistic's option table: which options exclude each other, which need another. */
const STATISTIC_EXCL: ReadonlyMap<string, readonly string[]> = new Map([
  ["--probability", ["--every", "--packet"]],
  ["--every", ["--probability"]],
  ["--packet", ["--probability"]],
]);
const STATISTIC_ALSO: readonly (readonly [string, string])[] = [
  ["--every", "--packet"],
  ["--packet", "--every"],
];

/** xtables_option_parse's checks before an option's value is read: inversion and exclusions. */
function statisticOption(m: Record<string, unknown>, opt: string, invert: boolean): void {
  if (invert && opt === "--packet") throw new ParamError(`statistic: option "${opt}" cannot be inverted.\n`);
  const seen = m.seen as string[];
  if (seen.includes(opt)) throw new ParamError(`statistic: option "${opt}" can only be used once.\n`);
  const clash = (STATISTIC_EXCL.get(opt) ?? []).find((o) => seen.includes(o));
  if (clash) throw new ParamError(`statistic: option "${opt}" cannot be used together with "${clash}".\n`);
  seen.push(opt);
}

/** xtables_strtoui with base 0 (decimal, 0x hex, 0 octal), within uint32. */
function xtablesUint32(text: string): number | undefined {
  const t = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(t)
    ? Number.parseInt(t, 16)
    : /^0[0-7]*$/.test(t)
      ? Number.parseInt(t, 8)
      : /^[1-9]\d*$/.test(t)
        ? Number(t)
        : undefined;
  return n !== undefined && n <= 0xffffffff ? n : undefined;
}

/** strtod as xtables_option_parse reads an XTTYPE_DOUBLE: the whole word must be a number. */
function xtablesDouble(text: string): number | undefined {
  const t = text.trim();
  if (t === "" || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

/** xtables_parse_mark_mask style `value[/mask]`. */
function parseMarkMask(text: string): { value: number; mask: number | undefined } {
  const [v, m] = text.split("/");
  const num = (s: string) => {
    const n = /^0x[0-9a-f]+$/i.test(s)
      ? Number.parseInt(s, 16)
      : /^0[0-7]*$/.test(s)
        ? Number.parseInt(s, 8)
        : /^\d+$/.test(s)
          ? Number(s)
          : Number.NaN;
    if (!Number.isFinite(n) || n > 0xffffffff) throw new ParamError(`Bad MARK value "${text}"`);
    return n;
  };
  return { value: num(v as string), mask: m === undefined ? undefined : num(m) };
}

/** parse_rate (libxt_limit): N[/second|/minute|/hour|/day], as the interval in 1/10000 s. */
function parseRate(text: string): number {
  const slash = text.indexOf("/");
  let mult = 1;
  if (slash >= 0) {
    const unit = text.slice(slash + 1);
    const units: readonly (readonly [string, number])[] = [
      ["second", 1],
      ["minute", 60],
      ["hour", 3600],
      ["day", 86400],
    ];
    const u = units.find(([name]) => unit.length > 0 && name.startsWith(unit.toLowerCase()));
    if (!u) throw new ParamError(`bad rate \`${text}'`);
    mult = u[1];
  }
  const r = Number.parseInt(text, 10);
  if (!r) throw new ParamError(`bad rate \`${text}'`);
  const val = Math.floor((XT_LIMIT_SCALE * mult) / r);
  if (val === 0) throw new ParamError(`Rate too fast \`${text}'`);
  return val;
}

// ---------------------------------------------------------------------------------------------
// The command line's rule part.

export interface ParsedRule {
  ip: {
    src: number;
    smsk: number;
    dst: number;
    dmsk: number;
    iniface: string;
    outiface: string;
    proto: number;
    flags: number;
    invflags: number;
  };
  matches: XtMatch[];
  /** The -j or -g name as given; undefined without one. */
  target: string | undefined;
  targetInfo: XtTarget | undefined;
}

export function emptyRule(): ParsedRule {
  return {
    ip: { src: 0, smsk: 0, dst: 0, dmsk: 0, iniface: "", outiface: "", proto: 0, flags: 0, invflags: 0 },
    matches: [],
    target: undefined,
    targetInfo: undefined,
  };
}

const KNOWN_MATCHES = new Set([
  "tcp",
  "udp",
  "icmp",
  "multiport",
  "mark",
  "comment",
  "addrtype",
  "iprange",
  "limit",
  "statistic",
  "mac",
  "pkttype",
  "length",
  "ttl",
  "tos",
  "dscp",
  "conntrack",
  "state",
  "connmark",
  "set",
  "owner",
]);

/** A match being built from its options (the extension's private data before final_check). */
type Draft = { kind: string; seen: Set<string>; m: Record<string, unknown> };

function newDraft(kind: string): Draft {
  const m: Record<string, unknown> = {};
  switch (kind) {
    case "tcp":
      Object.assign(m, {
        spts: { lo: 0, hi: 0xffff },
        dpts: { lo: 0, hi: 0xffff },
        option: 0,
        flgMask: 0,
        flgCmp: 0,
        invflags: 0,
      });
      break;
    case "udp":
      Object.assign(m, { spts: { lo: 0, hi: 0xffff }, dpts: { lo: 0, hi: 0xffff }, invflags: 0 });
      break;
    case "icmp":
      Object.assign(m, { type: 0xff, codeMin: 0, codeMax: 0xff, invert: false });
      break;
    case "limit":
      Object.assign(m, { avg: Math.floor((XT_LIMIT_SCALE * 3600) / 3), burst: 5 });
      break;
    case "addrtype":
      Object.assign(m, { source: 0, dest: 0, flags: 0 });
      break;
    case "iprange":
      Object.assign(m, { flags: 0, srcMin: 0, srcMax: 0, dstMin: 0, dstMax: 0 });
      break;
    case "statistic":
      Object.assign(m, { mode: undefined, invert: false, probability: 0, every: 0, packet: 0, seen: [] });
      break;
    case "conntrack": {
      const any = { lo: 0, hi: 0 };
      Object.assign(m, {
        matchFlags: 0,
        invertFlags: 0,
        origSrc: 0,
        origSrcMask: 0,
        origDst: 0,
        origDstMask: 0,
        replSrc: 0,
        replSrcMask: 0,
        replDst: 0,
        replDstMask: 0,
        l4proto: 0,
        origSrcPort: any,
        origDstPort: any,
        replSrcPort: any,
        replDstPort: any,
        stateMask: 0,
        statusMask: 0,
        expiresMin: 0,
        expiresMax: 0,
      });
      break;
    }
    case "set":
      Object.assign(m, { flags: 0, packets: { op: 0, value: 0 }, bytes: { op: 0, value: 0 } });
      break;
    case "owner":
      Object.assign(m, { uidMin: 0, uidMax: 0, gidMin: 0, gidMax: 0, match: 0, invert: 0 });
      break;
    default:
      break;
  }
  return { kind, seen: new Set(), m };
}

/** The options each match takes (long names; iptables accepts them after -m NAME). */
const MATCH_OPTS: Readonly<Record<string, readonly string[]>> = {
  tcp: ["--sport", "--source-port", "--dport", "--destination-port", "--tcp-flags", "--syn", "--tcp-option"],
  udp: ["--sport", "--source-port", "--dport", "--destination-port"],
  icmp: ["--icmp-type"],
  multiport: ["--sports", "--source-ports", "--dports", "--destination-ports", "--ports"],
  mark: ["--mark"],
  comment: ["--comment"],
  addrtype: ["--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out"],
  iprange: ["--src-range", "--dst-range"],
  limit: ["--limit", "--limit-burst"],
  statistic: ["--mode", "--probability", "--every", "--packet"],
  mac: ["--mac-source"],
  pkttype: ["--pkt-type"],
  length: ["--length"],
  ttl: ["--ttl-eq", "--ttl-lt", "--ttl-gt"],
  tos: ["--tos"],
  dscp: ["--dscp", "--dscp-class"],
  conntrack: [
    "--ctstate",
    "--ctproto",
    "--ctorigsrc",
    "--ctorigdst",
    "--ctreplsrc",
    "--ctrepldst",
    "--ctorigsrcport",
    "--ctorigdstport",
    "--ctreplsrcport",
    "--ctrepldstport",
    "--ctstatus",
    "--ctexpire",
    "--ctdir",
  ],
  state: ["--state"],
  connmark: ["--mark"],
  owner: ["--uid-owner", "--gid-owner", "--socket-exists", "--suppl-groups"],
  set: [
    "--match-set",
    "--set",
    "--return-nomatch",
    "--update-counters",
    "--update-subcounters",
    "--packets-eq",
    "--packets-lt",
    "--packets-gt",
    "--bytes-eq",
    "--bytes-lt",
    "--bytes-gt",
  ],
};

const TARGET_OPTS: Readonly<Record<string, readonly string[]>> = {
  REJECT: ["--reject-with"],
  LOG: [
    "--log-level",
    "--log-prefix",
    "--log-tcp-sequence",
    "--log-tcp-options",
    "--log-ip-options",
    "--log-uid",
    "--log-macdecode",
  ],
  MARK: ["--set-mark", "--set-xmark", "--and-mark", "--or-mark", "--xor-mark"],
  CONNMARK: [
    "--set-mark",
    "--set-xmark",
    "--and-mark",
    "--or-mark",
    "--xor-mark",
    "--save-mark",
    "--restore-mark",
    "--mask",
    "--nfmask",
    "--ctmask",
  ],
  CT: ["--notrack"],
  NOTRACK: [],
  SNAT: ["--to-source", "--to", "--random", "--random-fully", "--persistent"],
  DNAT: ["--to-destination", "--to", "--random", "--persistent"],
  MASQUERADE: ["--to-ports", "--random", "--random-fully"],
  REDIRECT: ["--to-ports", "--random"],
  SET: ["--add-set", "--del-set", "--timeout", "--exist"],
  TCPMSS: ["--set-mss", "--clamp-mss-to-pmtu"],
  TRACE: [],
};

const NEEDS_ARG = new Set([
  "--syn",
  "--save-mark",
  "--restore-mark",
  "--notrack",
  "--random",
  "--random-fully",
  "--persistent",
  "--limit-iface-in",
  "--limit-iface-out",
  "--log-tcp-sequence",
  "--log-tcp-options",
  "--log-ip-options",
  "--log-uid",
  "--log-macdecode",
  "--return-nomatch",
  "--update-counters",
  "--update-subcounters",
  "--exist",
  "--clamp-mss-to-pmtu",
  "--socket-exists",
  "--suppl-groups",
]);

/** Options that take two words (libxt_set's NAME FLAGS). */
export const TWO_ARGS: ReadonlySet<string> = new Set(["--match-set", "--set", "--add-set", "--del-set"]);

/** IPSET_INVALID_ID */
export const IPSET_INVALID_ID = 65535;

/** parse_dirs: "src,dst" into the dimension and its IPSET_DIM_*_SRC bits. */
function setDirs(text: string, what: string): { dim: number; flags: number } {
  const parts = text.split(",");
  if (parts.length > 6) throw new ParamError("Can't be more src/dst options than 6.");
  let flags = 0;
  parts.forEach((p, i) => {
    if (p === "src") flags |= 1 << i;
    else if (p !== "dst")
      throw new ParamError(`You must specify (the comma separated list of) 'src' or 'dst'.`);
  });
  void what;
  return { dim: parts.length, flags };
}

/** A set name and its directions, as a match or target keeps them before the index is known. */
export function setInfoOf(words: string, what: string): XtSetInfo {
  const [name, dirs, index] = words.split(" ");
  if (dirs === undefined || dirs.startsWith("-") || dirs.startsWith("!"))
    throw new ParamError(`--${what} requires two args.`);
  if ((name as string).length > 31) throw new ParamError(`setname '${name}' too long, max 31 characters.`);
  const { dim, flags } = setDirs(dirs, what);
  // The index comes third once resolveSets (sets.ts) has asked the kernel for it.
  return { index: index === undefined ? IPSET_INVALID_ID : Number(index), name: name as string, dim, flags };
}

export function takesArgument(opt: string): boolean {
  return !NEEDS_ARG.has(opt);
}

export function matchForOption(drafts: readonly Draft[], opt: string): Draft | undefined {
  for (let i = drafts.length - 1; i >= 0; i--) {
    const d = drafts[i] as Draft;
    if (MATCH_OPTS[d.kind]?.includes(opt)) return d;
  }
  return undefined;
}

export function targetTakes(target: string | undefined, opt: string): boolean {
  return target !== undefined && (TARGET_OPTS[target]?.includes(opt) ?? false);
}

export { type Draft, KNOWN_MATCHES, newDraft };

function once(d: Draft, key: string, long: string): void {
  if (d.seen.has(key)) throw new ParamError(`Only one \`${long}' allowed`);
  d.seen.add(key);
}

/** libxt_conntrack's state names and their bits (conntrack_ps_state). */
const CTSTATE_BITS: Readonly<Record<string, number>> = {
  INVALID: 1 << 0,
  ESTABLISHED: 1 << 1,
  RELATED: 1 << 2,
  NEW: 1 << 3,
  SNAT: 1 << 6,
  DNAT: 1 << 7,
  UNTRACKED: 1 << 8,
};
/** libxt_state's: UNTRACKED is 1 << (IP_CT_NUMBER + 1). */
const STATE_BITS: Readonly<Record<string, number>> = {
  INVALID: 1 << 0,
  ESTABLISHED: 1 << 1,
  RELATED: 1 << 2,
  NEW: 1 << 3,
  UNTRACKED: 1 << 6,
};
const CTSTATUS_BITS: Readonly<Record<string, number>> = {
  NONE: 0,
  EXPECTED: 1 << 0,
  SEEN_REPLY: 1 << 1,
  ASSURED: 1 << 2,
  CONFIRMED: 1 << 3,
};

function ctFlag(
  m: Record<string, unknown>,
  flag: number,
  invert: boolean,
  values: Record<string, unknown>,
): void {
  Object.assign(m, values);
  m.matchFlags = (m.matchFlags as number) | flag;
  if (invert) m.invertFlags = (m.invertFlags as number) | flag;
}

/** One match option with its argument (the extension's parse callback). */
export function parseMatchOption(d: Draft, opt: string, arg: string | undefined, invert: boolean): void {
  const m = d.m;
  const a = arg as string;
  const proto = d.kind === "udp" ? "udp" : "tcp";
  switch (opt) {
    case "--sport":
    case "--source-port":
      once(d, "sport", "--source-port");
      m.spts = parsePortRange(a, proto);
      if (invert) m.invflags = (m.invflags as number) | XT_TCP_INV_SRCPT;
      return;
    case "--dport":
    case "--destination-port":
      once(d, "dport", "--destination-port");
      m.dpts = parsePortRange(a, proto);
      if (invert) m.invflags = (m.invflags as number) | XT_TCP_INV_DSTPT;
      return;
    case "--tcp-flags":
    case "--syn": {
      once(d, "flags", "--tcp-flags");
      if (opt === "--syn") {
        m.flgMask = 0x17;
        m.flgCmp = 0x02;
      } else {
        const [mask, cmp] = a.split(" ");
        m.flgMask = parseTcpFlags(mask as string);
        if (cmp === undefined) throw new ParamError("--tcp-flags requires two args.");
        m.flgCmp = parseTcpFlags(cmp);
      }
      if (invert) m.invflags = (m.invflags as number) | XT_TCP_INV_FLAGS;
      return;
    }
    case "--tcp-option":
      once(d, "option", "--tcp-option");
      m.option = parseUint(a, "TCP option", 255);
      if (invert) m.invflags = (m.invflags as number) | XT_TCP_INV_OPTION;
      return;
    case "--icmp-type": {
      const name = ICMP_ALIASES[a] ?? a;
      const exact = ICMP_CODES.find(([n]) => n === name);
      const found = exact ? [exact] : ICMP_CODES.filter(([n]) => n.startsWith(name));
      if (found.length > 1)
        throw new ParamError(`Ambiguous ICMP type \`${a}': \`${found[0]?.[0]}' or \`${found[1]?.[0]}'?`);
      if (found.length === 1) {
        const [, type, min, max] = found[0] as readonly [string, number, number, number];
        Object.assign(m, { type, codeMin: min, codeMax: max });
      } else {
        const match = /^(\d+)(?:\/(\d+))?$/.exec(a);
        if (!match || Number(match[1]) > 255 || Number(match[2] ?? 0) > 255)
          throw new ParamError(`Invalid ICMP type \`${a}'\n`);
        const code = match[2] === undefined ? undefined : Number(match[2]);
        Object.assign(m, { type: Number(match[1]), codeMin: code ?? 0, codeMax: code ?? 0xff });
      }
      m.invert = invert;
      return;
    }
    case "--sports":
    case "--source-ports":
    case "--dports":
    case "--destination-ports":
    case "--ports": {
      if (m.flags !== undefined) throw new ParamError("multiport can only have one option");
      m.flags = opt.startsWith("--s") ? "source" : opt.startsWith("--d") ? "destination" : "any";
      m.ports = a.split(",").map((p) => parsePortRange(p, "tcp"));
      m.invert = invert;
      return;
    }
    case "--ctstate":
    case "--state": {
      let mask = 0;
      for (const w of a.split(",")) {
        const bit = (d.kind === "state" ? STATE_BITS : CTSTATE_BITS)[w];
        if (bit === undefined) throw new ParamError(`Bad ${d.kind === "state" ? "state" : "ctstate"} "${w}"`);
        mask |= bit;
      }
      if (d.kind === "state") Object.assign(m, { stateMask: mask, invert });
      else ctFlag(m, XT_CONNTRACK_STATE, invert, { stateMask: mask });
      return;
    }
    case "--ctstatus": {
      let mask = 0;
      for (const w of a.split(",")) {
        const bit = CTSTATUS_BITS[w];
        if (bit === undefined) throw new ParamError(`Bad ctstatus "${w}"`);
        mask |= bit;
      }
      ctFlag(m, XT_CONNTRACK_STATUS, invert, { statusMask: mask });
      return;
    }
    case "--ctproto": {
      const proto = parseProtocol(a);
      ctFlag(m, XT_CONNTRACK_PROTO, invert, { l4proto: proto });
      return;
    }
    case "--ctorigsrc":
    case "--ctorigdst":
    case "--ctreplsrc":
    case "--ctrepldst": {
      const { addr, mask } = parseAddrMask(a);
      const key = {
        "--ctorigsrc": "origSrc",
        "--ctorigdst": "origDst",
        "--ctreplsrc": "replSrc",
        "--ctrepldst": "replDst",
      }[opt] as string;
      const flag = {
        "--ctorigsrc": XT_CONNTRACK_ORIGSRC,
        "--ctorigdst": XT_CONNTRACK_ORIGDST,
        "--ctreplsrc": XT_CONNTRACK_REPLSRC,
        "--ctrepldst": XT_CONNTRACK_REPLDST,
      }[opt] as number;
      ctFlag(m, flag, invert, { [key]: (addr & mask) >>> 0, [`${key}Mask`]: mask >>> 0 });
      return;
    }
    case "--ctorigsrcport":
    case "--ctorigdstport":
    case "--ctreplsrcport":
    case "--ctrepldstport": {
      const [lo, hi] = a.split(":");
      const port = (t: string) => {
        const n = /^\d+$/.test(t) ? Number(t) : Number.NaN;
        if (!(n >= 0 && n <= 65535)) throw new ParamError(`"${a}" is not a valid port`);
        return n;
      };
      const range = { lo: port(lo as string), hi: hi === undefined ? port(lo as string) : port(hi) };
      const key = {
        "--ctorigsrcport": "origSrcPort",
        "--ctorigdstport": "origDstPort",
        "--ctreplsrcport": "replSrcPort",
        "--ctrepldstport": "replDstPort",
      }[opt] as string;
      const flag = {
        "--ctorigsrcport": XT_CONNTRACK_ORIGSRC_PORT,
        "--ctorigdstport": XT_CONNTRACK_ORIGDST_PORT,
        "--ctreplsrcport": XT_CONNTRACK_REPLSRC_PORT,
        "--ctrepldstport": XT_CONNTRACK_REPLDST_PORT,
      }[opt] as number;
      ctFlag(m, flag, invert, { [key]: range });
      return;
    }
    case "--ctexpire": {
      const [lo, hi] = a.split(":");
      const n = (t: string) => {
        if (!/^\d+$/.test(t)) throw new ParamError(`expire value invalid: "${t}"`);
        return Number(t);
      };
      ctFlag(m, XT_CONNTRACK_EXPIRES, invert, {
        expiresMin: n(lo as string),
        expiresMax: hi === undefined ? n(lo as string) : n(hi),
      });
      return;
    }
    case "--ctdir": {
      const w = a.toUpperCase();
      if (w !== "ORIGINAL" && w !== "REPLY") throw new ParamError(`Unknown --ctdir "${a}"`);
      ctFlag(m, XT_CONNTRACK_DIRECTION, w === "REPLY", {});
      return;
    }
    case "--mark": {
      const { value, mask } = parseMarkMask(a);
      Object.assign(m, { mark: value, mask: mask ?? 0xffffffff, invert });
      return;
    }
    case "--comment":
      if (a.length > 255) throw new ParamError(`comment may not exceed 255 characters`);
      m.comment = a;
      return;
    case "--src-type":
    case "--dst-type": {
      let mask = 0;
      for (const t of a.split(",")) {
        const i = RTN_NAMES.indexOf(t.toUpperCase());
        if (i < 0) throw new ParamError(`addrtype: bad type "${t}"`);
        mask |= 1 << i;
      }
      if (opt === "--src-type") {
        m.source = mask;
        if (invert) m.flags = (m.flags as number) | XT_ADDRTYPE_INVERT_SOURCE;
      } else {
        m.dest = mask;
        if (invert) m.flags = (m.flags as number) | XT_ADDRTYPE_INVERT_DEST;
      }
      return;
    }
    case "--limit-iface-in":
      m.flags = (m.flags as number) | XT_ADDRTYPE_LIMIT_IFACE_IN;
      return;
    case "--limit-iface-out":
      m.flags = (m.flags as number) | XT_ADDRTYPE_LIMIT_IFACE_OUT;
      return;
    case "--src-range":
    case "--dst-range": {
      const [lo, hi] = a.split("-");
      const min = parseIPv4(lo as string);
      const max = hi === undefined ? min : parseIPv4(hi);
      if (min === undefined || max === undefined)
        throw new ParamError(`iprange: "${a}" is not a valid IPv4 address range`);
      if (opt === "--src-range") {
        Object.assign(m, { srcMin: min >>> 0, srcMax: max >>> 0 });
        m.flags = (m.flags as number) | IPRANGE_SRC | (invert ? IPRANGE_SRC_INV : 0);
      } else {
        Object.assign(m, { dstMin: min >>> 0, dstMax: max >>> 0 });
        m.flags = (m.flags as number) | IPRANGE_DST | (invert ? IPRANGE_DST_INV : 0);
      }
      return;
    }
    case "--limit":
      m.avg = parseRate(a);
      return;
    case "--limit-burst":
      m.burst = parseUint(a, "--limit-burst", 10000);
      return;
    case "--mode":
      if (d.kind === "statistic") statisticOption(m, "--mode", invert);
      if (a !== "random" && a !== "nth") throw new ParamError(`Bad mode "${a}"`);
      m.mode = a;
      return;
    case "--probability": {
      statisticOption(m, "--probability", invert);
      const p = xtablesDouble(a);
      if (p === undefined || p < 0 || p > 1)
        throw new ParamError('statistic: bad value for option "--probability", or out of range (0-1).\n');
      m.probability = Math.round(0x80000000 * p);
      m.invert = invert;
      return;
    }
    case "--every": {
      statisticOption(m, "--every", invert);
      const n = xtablesUint32(a);
      if (n === undefined || n < 1)
        throw new ParamError('statistic: bad value for option "--every", or out of range (1-4294967295).\n');
      m.every = n - 1;
      m.invert = invert;
      return;
    }
    case "--packet": {
      statisticOption(m, "--packet", invert);
      const n = xtablesUint32(a);
      if (n === undefined)
        throw new ParamError('statistic: bad value for option "--packet", or out of range (0-4294967295).\n');
      m.packet = n;
      return;
    }
    case "--mac-source": {
      const bytes = a.split(":");
      if (bytes.length !== 6 || bytes.some((b) => !/^[0-9a-f]{1,2}$/i.test(b)))
        throw new ParamError(`Bad mac address "${a}"`);
      Object.assign(m, { srcaddr: bytes.map((b) => Number.parseInt(b, 16)), invert });
      return;
    }
    case "--pkt-type": {
      const t = a.toLowerCase();
      if (t !== "unicast" && t !== "broadcast" && t !== "multicast")
        throw new ParamError(`Bad packet type '${a}'`);
      Object.assign(m, { pkttype: t, invert });
      return;
    }
    case "--length": {
      const [lo, hi] = a.split(":");
      const min = lo === "" ? 0 : parseUint(lo as string, "length", 0xffff);
      const max = hi === undefined ? min : hi === "" ? 0xffff : parseUint(hi, "length", 0xffff);
      Object.assign(m, { min, max, invert });
      return;
    }
    case "--ttl-eq":
    case "--ttl-lt":
    case "--ttl-gt":
      if (m.mode !== undefined) throw new ParamError("Can't specify TTL option twice");
      m.ttl = parseUint(a, "TTL", 255);
      m.mode = opt === "--ttl-eq" ? (invert ? "ne" : "eq") : opt === "--ttl-lt" ? "lt" : "gt";
      return;
    case "--match-set":
    case "--set": {
      once(d, "match-set", "--match-set");
      const info = setInfoOf(arg as string, "match-set");
      m.matchSet = { ...info, flags: info.flags | (invert ? IPSET_INV_MATCH : 0) };
      return;
    }
    case "--return-nomatch":
      m.flags = (m.flags as number) | IPSET_FLAG_RETURN_NOMATCH;
      return;
    case "--update-counters":
      if (invert) m.flags = (m.flags as number) | IPSET_FLAG_SKIP_COUNTER_UPDATE;
      return;
    case "--update-subcounters":
      if (invert) m.flags = (m.flags as number) | IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE;
      return;
    case "--packets-eq":
    case "--packets-lt":
    case "--packets-gt":
    case "--bytes-eq":
    case "--bytes-lt":
    case "--bytes-gt": {
      const [which, rel] = opt.slice(2).split("-") as [string, string];
      const op = rel === "eq" ? (invert ? 2 : 1) : rel === "lt" ? 3 : 4;
      if (invert && rel !== "eq") throw new ParamError(`--${which}-${rel} does not support inversion`);
      m[which] = { op, value: parseUint(arg as string, opt) };
      return;
    }
    case "--tos": {
      const { value, mask } = parseMarkMask(a);
      Object.assign(m, { value, mask: mask ?? 0xff, invert });
      return;
    }
    case "--dscp":
      Object.assign(m, { dscp: parseUint(a, "DSCP", 0x3f), invert });
      return;
    case "--uid-owner":
    case "--gid-owner": {
      const uid = opt === "--uid-owner";
      const bit = uid ? XT_OWNER_UID : XT_OWNER_GID;
      if ((m.match as number) & bit) throw new ParamError(`owner: option "${opt}" can only be used once.\n`);
      const named = uid ? getpwnam(a)?.uid : getgrnam(a);
      const [from, to] = named !== undefined ? [named, named] : ownerRange(a, opt);
      if (uid) Object.assign(m, { uidMin: from, uidMax: to });
      else Object.assign(m, { gidMin: from, gidMax: to });
      m.match = (m.match as number) | bit;
      if (invert) m.invert = (m.invert as number) | bit;
      return;
    }
    case "--socket-exists":
      if ((m.match as number) & XT_OWNER_SOCKET)
        throw new ParamError(`owner: option "${opt}" can only be used once.\n`);
      m.match = (m.match as number) | XT_OWNER_SOCKET;
      if (invert) m.invert = (m.invert as number) | XT_OWNER_SOCKET;
      return;
    case "--suppl-groups":
      if (!((m.match as number) & XT_OWNER_GID))
        throw new ParamError(
          'owner: Bad value for "--suppl-groups" option: "you need to use --gid-owner first"',
        );
      m.match = (m.match as number) | XT_OWNER_SUPPL_GROUPS;
      if (invert) m.invert = (m.invert as number) | XT_OWNER_SUPPL_GROUPS;
      return;
    default:
      throw new ParamError(`unknown option "${opt}"`);
  }
}

/** final_check of each match, and the match as the kernel ABI carries it. */
export function finishMatch(d: Draft): XtMatch {
  const m = d.m;
  switch (d.kind) {
    case "conntrack":
      if (m.matchFlags === 0) throw new ParamError("conntrack: At least one option is required");
      return { kind: "conntrack", ...m } as XtMatch;
    case "state":
      if (m.stateMask === undefined) throw new ParamError('state: option "--state" must be specified\n');
      return { kind: "state", stateMask: m.stateMask as number, invert: m.invert as boolean };
    case "connmark":
      if (m.mark === undefined) throw new ParamError('connmark: option "--mark" must be specified\n');
      return {
        kind: "connmark",
        mark: m.mark as number,
        mask: m.mask as number,
        invert: m.invert as boolean,
      };
    case "multiport":
      if (m.flags === undefined) throw new ParamError("multiport expects an option");
      return {
        kind: "multiport",
        flags: m.flags as "any",
        ports: m.ports as PortRange[],
        invert: m.invert as boolean,
      };
    case "mark":
      if (m.mark === undefined) throw new ParamError("mark match: You must specify `--mark'");
      return { kind: "mark", mark: m.mark as number, mask: m.mask as number, invert: m.invert as boolean };
    case "comment":
      return { kind: "comment", comment: (m.comment as string | undefined) ?? "" };
    case "statistic": {
      // statistic_check, then xtables_options_fcheck over the option table in its order.
      const seen = m.seen as string[];
      const mode = (m.mode as string | undefined) ?? "random";
      if (mode === "random" && !seen.includes("--probability"))
        throw new ParamError("--probability must be specified when using random mode");
      if (mode === "nth" && !seen.includes("--every") && !seen.includes("--packet"))
        throw new ParamError("--every and --packet must be specified when using nth mode");
      if ((m.packet as number) > (m.every as number))
        throw new ParamError("the --packet p must be 0 <= p <= n-1");
      if (m.mode === undefined) throw new ParamError('statistic: option "--mode" must be specified\n');
      for (const [opt, needs] of STATISTIC_ALSO)
        if (seen.includes(opt) && !seen.includes(needs))
          throw new ParamError(`statistic: option "${opt}" also requires "${needs}".\n`);
      return {
        kind: "statistic",
        mode: m.mode as "nth",
        invert: m.invert as boolean,
        probability: m.probability as number,
        every: m.every as number,
        packet: m.packet as number,
      };
    }
    case "mac":
      if (m.srcaddr === undefined) throw new ParamError("You must specify `--mac-source'");
      return { kind: "mac", srcaddr: m.srcaddr as number[], invert: m.invert as boolean };
    case "pkttype":
      if (m.pkttype === undefined) throw new ParamError('You must specify "--pkt-type"');
      return { kind: "pkttype", pkttype: m.pkttype as "unicast", invert: m.invert as boolean };
    case "owner":
      if (m.match === 0)
        throw new ParamError(
          "owner: At least one of --uid-owner, --gid-owner or --socket-exists is required",
        );
      return { kind: "owner", ...m } as XtMatch;
    case "length":
      if (m.min === undefined) throw new ParamError("length: You must specify `--length'");
      return { kind: "length", min: m.min as number, max: m.max as number, invert: m.invert as boolean };
    case "ttl":
      if (m.mode === undefined)
        throw new ParamError("TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt");
      return { kind: "ttl", mode: m.mode as "eq", ttl: m.ttl as number };
    case "tos":
      if (m.value === undefined) throw new ParamError("tos: --tos parameter required");
      return { kind: "tos", value: m.value as number, mask: m.mask as number, invert: m.invert as boolean };
    case "set":
      if (m.matchSet === undefined)
        throw new ParamError("You must specify `--match-set' with proper arguments");
      return {
        kind: "set",
        matchSet: m.matchSet as XtSetInfo,
        flags: m.flags as number,
        packets: m.packets as XtSetCounterMatch,
        bytes: m.bytes as XtSetCounterMatch,
      };
    case "dscp":
      if (m.dscp === undefined) throw new ParamError("DSCP match: Parameter --dscp is required");
      return { kind: "dscp", dscp: m.dscp as number, invert: m.invert as boolean };
    default:
      return { kind: d.kind, ...m } as XtMatch;
  }
}

/** A target's options into its info (the target extension's parse and final_check). */
export function finishTarget(
  name: string,
  opts: readonly (readonly [string, string | undefined])[],
  proto = 0,
): XtTarget | undefined {
  switch (name) {
    case "CONNMARK":
      return finishConnmark(opts);
    case "CT":
      return { kind: "CT", notrack: opts.some(([o]) => o === "--notrack"), alias: "CT" };
    case "NOTRACK":
      return { kind: "CT", notrack: true, alias: "NOTRACK" };
    case "SNAT":
    case "DNAT":
    case "MASQUERADE":
    case "REDIRECT":
      return finishNat(name, opts, proto);
    case "REJECT": {
      let w: IptRejectWith = "icmp-port-unreachable";
      for (const [, a] of opts) {
        const found = REJECT_WITH[a as string];
        if (!found) throw new ParamError(`unknown reject type "${a}"`);
        w = found;
      }
      return { kind: "REJECT", with: w };
    }
    case "LOG": {
      let level = 4;
      let prefix = "";
      let logflags = 0;
      for (const [o, a] of opts) {
        if (o === "--log-level") {
          const named =
            LOG_LEVELS.find(([n]) => n === a) ??
            (a === "warning"
              ? ["warning", 4]
              : a === "panic"
                ? ["panic", 0]
                : a === "error"
                  ? ["error", 3]
                  : undefined);
          if (named) level = named[1] as number;
          else if (/^\d+$/.test(a as string) && Number(a) <= 7) level = Number(a);
          else throw new ParamError(`log-level \`${a}' unknown`);
        } else if (o === "--log-prefix") {
          if ((a as string).length > 29) throw new ParamError(`Maximum prefix length 29 for --log-prefix`);
          prefix = a as string;
        } else if (o === "--log-tcp-sequence") logflags |= 0x01;
        else if (o === "--log-tcp-options") logflags |= 0x02;
        else if (o === "--log-ip-options") logflags |= 0x04;
        else if (o === "--log-uid") logflags |= 0x08;
        else if (o === "--log-macdecode") logflags |= 0x20;
      }
      return { kind: "LOG", level, logflags, prefix };
    }
    case "SET":
      return finishSetTarget(opts);
    case "TCPMSS": {
      let mss: number | undefined;
      for (const [o, a] of opts) {
        if (mss !== undefined) throw new ParamError("TCPMSS target: Only one option may be specified");
        if (o === "--clamp-mss-to-pmtu") mss = 0xffff;
        else {
          if (!/^\d+$/.test(a as string) || Number(a) > 65515)
            throw new ParamError('TCPMSS: bad value for option "--set-mss", or out of range (0-65515).\n');
          mss = Number(a);
        }
      }
      if (mss === undefined) throw new ParamError("TCPMSS target: At least one parameter is required");
      return { kind: "TCPMSS", mss };
    }
    case "TRACE":
      return { kind: "TRACE" };
    case "MARK": {
      let info: { mark: number; mask: number } | undefined;
      for (const [o, a] of opts) {
        if (info)
          throw new ParamError(
            "MARK: --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark are mutually exclusive",
          );
        const { value, mask } = parseMarkMask(a as string);
        switch (o) {
          case "--set-xmark":
            info = { mark: value, mask: mask ?? 0xffffffff };
            break;
          case "--set-mark":
            info = { mark: value, mask: ((mask ?? 0xffffffff) | value) >>> 0 };
            break;
          case "--and-mark":
            info = { mark: 0, mask: ~value >>> 0 };
            break;
          case "--or-mark":
            info = { mark: value, mask: value };
            break;
          default:
            info = { mark: value, mask: 0 };
        }
      }
      if (!info) throw new ParamError("MARK target: Parameter --set/and/or/xor-mark is required");
      return { kind: "MARK", mark: info.mark, mask: info.mask };
    }
    default:
      return undefined;
  }
}

/** libxt_SET's parse_target_v3 and final check. */
function finishSetTarget(opts: readonly (readonly [string, string | undefined])[]): XtTarget {
  let addSet: XtSetInfo | undefined;
  let delSet: XtSetInfo | undefined;
  let flags = 0;
  let timeout = 0xffffffff;
  for (const [o, a] of opts) {
    if (o === "--add-set") addSet = setInfoOf(a as string, "add-set");
    else if (o === "--del-set") delSet = setInfoOf(a as string, "del-set");
    else if (o === "--exist") flags |= IPSET_FLAG_EXIST;
    else if (o === "--timeout") timeout = parseUint(a as string, "--timeout");
  }
  if (flags & IPSET_FLAG_EXIST && !addSet)
    throw new ParamError("Flag `--exist' can be used with `--add-set' only");
  if (timeout !== 0xffffffff && !addSet)
    throw new ParamError("Option `--timeout' can be used with `--add-set' only");
  if (!addSet && !delSet) throw new ParamError("You must specify either `--add-set' or `--del-set'");
  return { kind: "SET", addSet, delSet, flags, timeout };
}

function finishConnmark(opts: readonly (readonly [string, string | undefined])[]): XtTarget {
  const all = 0xffffffff;
  let info: { mode: "set" | "save" | "restore"; ctmark: number; ctmask: number; nfmask: number } | undefined;
  let nfmask = all;
  let ctmask: number | undefined;
  for (const [o, a] of opts) {
    const mm = a === undefined ? { value: 0, mask: undefined } : parseMarkMask(a);
    switch (o) {
      case "--set-xmark":
        info = { mode: "set", ctmark: mm.value, ctmask: mm.mask ?? all, nfmask: 0 };
        break;
      case "--set-mark":
        info = { mode: "set", ctmark: mm.value, ctmask: ((mm.mask ?? all) | mm.value) >>> 0, nfmask: 0 };
        break;
      case "--and-mark":
        info = { mode: "set", ctmark: 0, ctmask: ~mm.value >>> 0, nfmask: 0 };
        break;
      case "--or-mark":
        info = { mode: "set", ctmark: mm.value, ctmask: mm.value, nfmask: 0 };
        break;
      case "--xor-mark":
        info = { mode: "set", ctmark: mm.value, ctmask: 0, nfmask: 0 };
        break;
      case "--save-mark":
        info = { mode: "save", ctmark: 0, ctmask: all, nfmask: all };
        break;
      case "--restore-mark":
        info = { mode: "restore", ctmark: 0, ctmask: all, nfmask: all };
        break;
      case "--mask":
        nfmask = mm.value;
        ctmask = mm.value;
        break;
      case "--nfmask":
        nfmask = mm.value;
        break;
      case "--ctmask":
        ctmask = mm.value;
        break;
    }
  }
  if (!info) throw new ParamError("CONNMARK target: No operation specified");
  if (info.mode !== "set") return { kind: "CONNMARK", ...info, nfmask, ctmask: ctmask ?? all };
  return { kind: "CONNMARK", ...info };
}

/** A port of a NAT range (xtables_parse_port). */
function natPort(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new ParamError(`Port \`${text}' not valid`);
  return n;
}

/** The NAT targets' options into an nf_nat_range2 (libxt_NAT parse_to, libxt_MASQUERADE). */
function finishNat(
  name: "SNAT" | "DNAT" | "MASQUERADE" | "REDIRECT",
  opts: readonly (readonly [string, string | undefined])[],
  proto: number,
): XtTarget {
  let flags = 0;
  let minAddr = 0;
  let maxAddr = 0;
  let minProto = 0;
  let maxProto = 0;
  const toName = name === "SNAT" ? "--to-source" : "--to-destination";
  const portsOk = proto === 6 || proto === 17 || proto === 132 || proto === 33;
  const needProto = "Need TCP, UDP, SCTP or DCCP with port specification";
  let seenTo = false;
  const ports = (text: string) => {
    const [lo, hi] = text.split("-");
    minProto = natPort(lo as string);
    maxProto = hi === undefined ? minProto : natPort(hi);
    flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
  };
  for (const [o, a] of opts) {
    switch (o) {
      case "--to-source":
      case "--to-destination":
      case "--to": {
        if (seenTo) throw new ParamError(`${name}: option "${toName}" can only be used once.\n`);
        seenTo = true;
        const text = a as string;
        const colon = text.indexOf(":");
        const addrs = colon < 0 ? text : text.slice(0, colon);
        if (colon >= 0) {
          if (!portsOk) throw new ParamError(needProto);
          ports(text.slice(colon + 1));
        }
        if (addrs !== "") {
          const [lo, hi] = addrs.split("-");
          const ip = (t: string) => {
            const v = parseIPv4(t);
            if (v === undefined) throw new ParamError(`Bad IP address "${t}"`);
            return v;
          };
          minAddr = ip(lo as string);
          maxAddr = hi === undefined ? minAddr : ip(hi);
          flags |= NF_NAT_RANGE_MAP_IPS;
        }
        break;
      }
      case "--to-ports":
        if (!portsOk) throw new ParamError(needProto);
        ports(a as string);
        break;
      case "--random":
        flags |= NF_NAT_RANGE_PROTO_RANDOM;
        break;
      case "--random-fully":
        flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
        break;
      case "--persistent":
        flags |= NF_NAT_RANGE_PERSISTENT;
        break;
    }
  }
  if ((name === "SNAT" || name === "DNAT") && !seenTo)
    throw new ParamError(`${name}: option "${toName}" must be specified\n`);
  return { kind: name, range: { flags, minAddr, maxAddr, minProto, maxProto } };
}

// ---------------------------------------------------------------------------------------------
// Printing.

export interface ListFormat {
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

function portName(port: number, proto: string, numeric: boolean): string {
  return numeric ? String(port) : (servByPort(port, proto) ?? String(port));
}

function tcpf(flags: number): string {
  const names: string[] = [];
  let f = flags;
  while (f) {
    const found = TCP_FLAGS.find(([, bit]) => bit !== 0 && bit !== 0x3f && f & bit) as readonly [
      string,
      number,
    ];
    names.push(found[0]);
    f &= ~found[1];
  }
  return names.length ? names.join(",") : "NONE";
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function printTypes(mask: number): string {
  return RTN_NAMES.filter((_, i) => mask & (1 << i)).join(",");
}

/** print_rate (libxt_limit) */
function rateText(period: number): string {
  const rates: readonly (readonly [string, number])[] = [
    ["day", XT_LIMIT_SCALE * 24 * 60 * 60],
    ["hour", XT_LIMIT_SCALE * 60 * 60],
    ["min", XT_LIMIT_SCALE * 60],
    ["sec", XT_LIMIT_SCALE],
  ];
  let i = 1;
  for (; i < rates.length; i++) {
    const mult = (rates[i] as readonly [string, number])[1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = rates[i - 1] as readonly [string, number];
  return `${Math.floor(mult / period)}/${name}`;
}

/**
 * owner_parse_range: an id or a range (FROM-TO or FROM:TO), each strtoul with base 0 up to
 * UINT32_MAX - 1 (-1 is reserved), or 'Bad value'.
 */
function ownerRange(text: string, opt: string): [number, number] {
  const bad = () => new ParamError(`owner: Bad value for "${opt}" option: "${text}"`);
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)(?:[-:](0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*))?$/.exec(text);
  if (!m) throw bad();
  const num = (s: string) =>
    /^0[xX]/.test(s)
      ? Number.parseInt(s.slice(2), 16)
      : s.length > 1 && s.startsWith("0")
        ? Number.parseInt(s, 8)
        : Number(s);
  const from = num(m[1] as string);
  const to = m[2] === undefined ? from : num(m[2]);
  if (from > 0xfffffffe || to > 0xfffffffe) throw bad();
  return [from, to];
}

/** owner_mt_print_item for each part: socket, UID, GID, supplementary groups. */
function ownerText(
  m: Extract<XtMatch, { kind: "owner" }>,
  numeric: boolean,
  labels: { socket: string; uid: string; gid: string; suppl: string },
): string {
  let s = "";
  const item = (bit: number, label: string, value?: string) => {
    if (!(m.match & bit)) return;
    if (m.invert & bit) s += " !";
    s += ` ${label}`;
    if (value !== undefined) s += ` ${value}`;
  };
  const id = (min: number, max: number, name: (n: number) => string | undefined) =>
    min !== max ? `${min}-${max}` : ((numeric ? undefined : name(min)) ?? String(min));
  item(XT_OWNER_SOCKET, labels.socket);
  item(
    XT_OWNER_UID,
    labels.uid,
    id(m.uidMin, m.uidMax, (n) => getpwuid(n)?.name),
  );
  item(XT_OWNER_GID, labels.gid, id(m.gidMin, m.gidMax, getgrgid));
  item(XT_OWNER_SUPPL_GROUPS, labels.suppl);
  return s;
}

/** The extension's print: what -L shows after the addresses (each piece with its leading space). */
export function matchPrint(m: XtMatch, numeric: boolean, proto = 6): string {
  switch (m.kind) {
    case "tcp":
    case "udp": {
      const inv = m.invflags;
      let s = ` ${m.kind}`;
      const ports = (name: string, r: PortRange, invert: boolean) => {
        if (r.lo === 0 && r.hi === 0xffff && !invert) return "";
        const i = invert ? "!" : "";
        return r.lo === r.hi
          ? ` ${name}:${i}${portName(r.lo, m.kind, numeric)}`
          : ` ${name}s:${i}${portName(r.lo, m.kind, numeric)}:${portName(r.hi, m.kind, numeric)}`;
      };
      s += ports("spt", m.spts, (inv & XT_TCP_INV_SRCPT) !== 0);
      s += ports("dpt", m.dpts, (inv & XT_TCP_INV_DSTPT) !== 0);
      if (m.kind === "tcp") {
        if (m.option || inv & XT_TCP_INV_OPTION)
          s += ` option=${inv & XT_TCP_INV_OPTION ? "!" : ""}${m.option}`;
        if (m.flgMask || inv & XT_TCP_INV_FLAGS) {
          s += ` flags:${inv & XT_TCP_INV_FLAGS ? "!" : ""}`;
          s += numeric
            ? `0x${m.flgMask.toString(16).padStart(2, "0").toUpperCase()}/0x${m.flgCmp.toString(16).padStart(2, "0").toUpperCase()}`
            : `${tcpf(m.flgMask)}/${tcpf(m.flgCmp)}`;
        }
      }
      return s;
    }
    case "icmp": {
      let s = " icmp";
      if (!numeric) {
        const named = ICMP_CODES.find(
          ([, t, lo, hi]) => t === m.type && lo === m.codeMin && hi === m.codeMax,
        );
        if (named) return `${s} ${m.invert ? "!" : ""}${named[0]}`;
      }
      s += m.invert ? " !" : "";
      s += `type ${m.type}`;
      if (m.codeMin === m.codeMax) s += ` code ${m.codeMin}`;
      else if (m.codeMin !== 0 || m.codeMax !== 0xff) s += ` codes ${m.codeMin}-${m.codeMax}`;
      return s;
    }
    case "multiport": {
      const which = m.flags === "source" ? "sports" : m.flags === "destination" ? "dports" : "ports";
      const list = m.ports
        .map((r) => {
          const pn = protoByNumber(proto) ?? "";
          return r.lo === r.hi
            ? portName(r.lo, pn, numeric)
            : `${portName(r.lo, pn, numeric)}:${portName(r.hi, pn, numeric)}`;
        })
        .join(",");
      return ` multiport ${which} ${m.invert ? "!" : ""}${list}`;
    }
    case "mark":
      return ` mark match${m.invert ? " !" : ""} ${hex(m.mark)}${m.mask >>> 0 !== 0xffffffff ? `/${hex(m.mask)}` : ""}`;
    case "comment":
      return ` /* ${m.comment} */`;
    case "addrtype": {
      let s = " ADDRTYPE match";
      if (m.source) s += ` src-type ${m.flags & XT_ADDRTYPE_INVERT_SOURCE ? "!" : ""}${printTypes(m.source)}`;
      if (m.dest) s += ` dst-type ${m.flags & XT_ADDRTYPE_INVERT_DEST ? "!" : ""}${printTypes(m.dest)}`;
      if (m.flags & XT_ADDRTYPE_LIMIT_IFACE_IN) s += " limit-in";
      if (m.flags & XT_ADDRTYPE_LIMIT_IFACE_OUT) s += " limit-out";
      return s;
    }
    case "iprange": {
      let s = "";
      if (m.flags & IPRANGE_SRC)
        s += ` source IP range${m.flags & IPRANGE_SRC_INV ? " !" : ""} ${formatIPv4(m.srcMin)}-${formatIPv4(m.srcMax)}`;
      if (m.flags & IPRANGE_DST)
        s += ` destination IP range${m.flags & IPRANGE_DST_INV ? " !" : ""} ${formatIPv4(m.dstMin)}-${formatIPv4(m.dstMax)}`;
      return s;
    }
    case "limit":
      return ` limit: avg ${rateText(m.avg)} burst ${m.burst}`;
    case "statistic":
      return ` statistic${statisticText(m, "")}`;
    case "mac":
      return ` MAC${m.invert ? " !" : ""} ${m.srcaddr.map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
    case "pkttype":
      return ` PKTTYPE ${m.invert ? "!" : ""}= ${m.pkttype}`;
    case "length":
      return ` length ${m.invert ? "!" : ""}${m.min === m.max ? m.min : `${m.min}:${m.max}`}`;
    case "owner":
      return ownerText(m, numeric, {
        socket: "owner socket exists",
        uid: "owner UID match",
        gid: "owner GID match",
        suppl: "incl. suppl. groups",
      });
    case "ttl":
      return ` TTL match TTL ${{ eq: "==", ne: "!=", lt: "<", gt: ">" }[m.mode]} ${m.ttl}`;
    case "tos":
      return ` tos match${m.invert ? "!" : ""}0x${m.value.toString(16).padStart(2, "0")}/0x${m.mask.toString(16).padStart(2, "0")}`;
    case "dscp":
      return ` DSCP match ${m.invert ? "!" : ""}0x${m.dscp.toString(16).padStart(2, "0")}`;
    case "conntrack":
      return conntrackDump(m, "", numeric);
    case "state":
      return `${m.invert ? " !" : ""} state ${stateNames(m.stateMask, STATE_BITS)}`;
    case "connmark":
      return ` connmark match ${m.invert ? "!" : ""} ${hex(m.mark)}${m.mask >>> 0 !== 0xffffffff ? `/${hex(m.mask)}` : ""}`;
    case "set":
      return setMatchText(m, "");
  }
}

function setDirsText(info: XtSetInfo): string {
  const dirs: string[] = [];
  for (let i = 0; i < info.dim; i++) dirs.push(info.flags & (1 << i) ? "src" : "dst");
  return dirs.join(",");
}

/** set_print_v4_matchinfo: `prefix` is "" for -L and "--" to save. */
function setMatchText(m: Extract<XtMatch, { kind: "set" }>, prefix: string): string {
  const info = m.matchSet;
  let s = `${info.flags & IPSET_INV_MATCH ? " !" : ""} ${prefix}match-set ${info.name} ${setDirsText(info)}`;
  if (m.flags & IPSET_FLAG_RETURN_NOMATCH) s += ` ${prefix}return-nomatch`;
  if (m.flags & IPSET_FLAG_SKIP_COUNTER_UPDATE) s += ` ! ${prefix}update-counters`;
  if (m.flags & IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE) s += ` ! ${prefix}update-subcounters`;
  const counter = (c: XtSetCounterMatch, what: string) => {
    switch (c.op) {
      case 1:
        return ` ${prefix}${what}-eq ${c.value}`;
      case 2:
        return ` ! ${prefix}${what}-eq ${c.value}`;
      case 3:
        return ` ${prefix}${what}-lt ${c.value}`;
      case 4:
        return ` ${prefix}${what}-gt ${c.value}`;
      default:
        return "";
    }
  };
  return s + counter(m.packets, "packets") + counter(m.bytes, "bytes");
}

/** set_target_print_v3 */
function setTargetText(t: Extract<XtTarget, { kind: "SET" }>, prefix: string): string {
  let s = "";
  if (t.addSet) s += ` ${prefix}add-set ${t.addSet.name} ${setDirsText(t.addSet)}`;
  if (t.flags & IPSET_FLAG_EXIST) s += ` ${prefix}exist`;
  if (t.timeout !== 0xffffffff) s += ` ${prefix}timeout ${t.timeout}`;
  if (t.delSet) s += ` ${prefix}del-set ${t.delSet.name} ${setDirsText(t.delSet)}`;
  return s;
}

function stateNames(mask: number, bits: Readonly<Record<string, number>>): string {
  const order = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"];
  return order.filter((n) => bits[n] !== undefined && mask & (bits[n] as number)).join(",");
}

function statusNames(mask: number): string {
  if (mask === 0) return "NONE";
  return ["EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"]
    .filter((n) => mask & (CTSTATUS_BITS[n] as number))
    .join(",");
}

/** conntrack_dump: each given option in a fixed order, `prefix` being "" for -L and "--" to save. */
function conntrackDump(
  m: Extract<XtMatch, { kind: "conntrack" }>,
  prefix: string,
  _numeric: boolean,
): string {
  const f = m.matchFlags;
  const inv = (flag: number) => (m.invertFlags & flag ? " !" : "");
  const addr = (a: number, mask: number) =>
    `${formatIPv4(a)}${mask >>> 0 === 0xffffffff ? "" : `/${maskText(mask)}`}`;
  const port = (r: PortRange) => (r.lo === r.hi ? String(r.lo) : `${r.lo}:${r.hi}`);
  let s = "";
  if (f & XT_CONNTRACK_STATE)
    s += `${inv(XT_CONNTRACK_STATE)} ${prefix}ctstate ${stateNames(m.stateMask, CTSTATE_BITS)}`;
  if (f & XT_CONNTRACK_PROTO) s += `${inv(XT_CONNTRACK_PROTO)} ${prefix}ctproto ${m.l4proto}`;
  if (f & XT_CONNTRACK_ORIGSRC)
    s += `${inv(XT_CONNTRACK_ORIGSRC)} ${prefix}ctorigsrc ${addr(m.origSrc, m.origSrcMask)}`;
  if (f & XT_CONNTRACK_ORIGDST)
    s += `${inv(XT_CONNTRACK_ORIGDST)} ${prefix}ctorigdst ${addr(m.origDst, m.origDstMask)}`;
  if (f & XT_CONNTRACK_REPLSRC)
    s += `${inv(XT_CONNTRACK_REPLSRC)} ${prefix}ctreplsrc ${addr(m.replSrc, m.replSrcMask)}`;
  if (f & XT_CONNTRACK_REPLDST)
    s += `${inv(XT_CONNTRACK_REPLDST)} ${prefix}ctrepldst ${addr(m.replDst, m.replDstMask)}`;
  if (f & XT_CONNTRACK_ORIGSRC_PORT)
    s += `${inv(XT_CONNTRACK_ORIGSRC_PORT)} ${prefix}ctorigsrcport ${port(m.origSrcPort)}`;
  if (f & XT_CONNTRACK_ORIGDST_PORT)
    s += `${inv(XT_CONNTRACK_ORIGDST_PORT)} ${prefix}ctorigdstport ${port(m.origDstPort)}`;
  if (f & XT_CONNTRACK_REPLSRC_PORT)
    s += `${inv(XT_CONNTRACK_REPLSRC_PORT)} ${prefix}ctreplsrcport ${port(m.replSrcPort)}`;
  if (f & XT_CONNTRACK_REPLDST_PORT)
    s += `${inv(XT_CONNTRACK_REPLDST_PORT)} ${prefix}ctrepldstport ${port(m.replDstPort)}`;
  if (f & XT_CONNTRACK_STATUS)
    s += `${inv(XT_CONNTRACK_STATUS)} ${prefix}ctstatus ${statusNames(m.statusMask)}`;
  if (f & XT_CONNTRACK_EXPIRES)
    s += `${inv(XT_CONNTRACK_EXPIRES)} ${prefix}ctexpire ${m.expiresMin === m.expiresMax ? m.expiresMin : `${m.expiresMin}:${m.expiresMax}`}`;
  if (f & XT_CONNTRACK_DIRECTION)
    s += ` ${prefix}ctdir ${m.invertFlags & XT_CONNTRACK_DIRECTION ? "REPLY" : "ORIGINAL"}`;
  return s;
}

function statisticText(m: Extract<XtMatch, { kind: "statistic" }>, prefix: string): string {
  if (m.mode === "random")
    return ` ${prefix}mode random${m.invert ? " !" : ""} ${prefix}probability ${(m.probability / 0x80000000).toFixed(11)}`;
  let s = ` ${prefix}mode nth${m.invert ? " !" : ""} ${prefix}every ${m.every + 1}`;
  if (m.packet || prefix) s += ` ${prefix}packet ${m.packet}`;
  return s;
}

/** xtables_save_string: bare when only [_-0-9a-zA-Z], else double-quoted with \ escapes. */
export function saveString(value: string): string {
  if (/^[-_0-9a-zA-Z]+$/.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** The extension's save: the match as options after `-m NAME`. */
export function matchSave(m: XtMatch): string {
  const not = (b: unknown) => (b ? " !" : "");
  switch (m.kind) {
    case "tcp":
    case "udp": {
      let s = "";
      const ports = (name: string, r: PortRange, inv: boolean) =>
        r.lo === 0 && r.hi === 0xffff
          ? ""
          : `${not(inv)} --${name} ${r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`}`;
      s += ports("sport", m.spts, (m.invflags & XT_TCP_INV_SRCPT) !== 0);
      s += ports("dport", m.dpts, (m.invflags & XT_TCP_INV_DSTPT) !== 0);
      if (m.kind === "tcp") {
        if (m.option || m.invflags & XT_TCP_INV_OPTION)
          s += `${not(m.invflags & XT_TCP_INV_OPTION)} --tcp-option ${m.option}`;
        if (m.flgMask || m.invflags & XT_TCP_INV_FLAGS)
          s += `${not(m.invflags & XT_TCP_INV_FLAGS)} --tcp-flags ${tcpf(m.flgMask)} ${tcpf(m.flgCmp)}`;
      }
      return s;
    }
    case "icmp":
      if (m.type === 0xff) return `${not(m.invert)} --icmp-type any`;
      return `${not(m.invert)} --icmp-type ${m.type}${m.codeMin !== 0 || m.codeMax !== 0xff ? `/${m.codeMin}` : ""}`;
    case "multiport": {
      const which = m.flags === "source" ? "sports" : m.flags === "destination" ? "dports" : "ports";
      return `${not(m.invert)} --${which} ${m.ports.map((r) => (r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`)).join(",")}`;
    }
    case "mark":
      return `${not(m.invert)} --mark ${hex(m.mark)}${m.mask >>> 0 !== 0xffffffff ? `/${hex(m.mask)}` : ""}`;
    case "comment":
      return ` --comment${saveString(m.comment)}`;
    case "addrtype": {
      let s = "";
      if (m.source) s += `${not(m.flags & XT_ADDRTYPE_INVERT_SOURCE)} --src-type ${printTypes(m.source)}`;
      if (m.dest) s += `${not(m.flags & XT_ADDRTYPE_INVERT_DEST)} --dst-type ${printTypes(m.dest)}`;
      if (m.flags & XT_ADDRTYPE_LIMIT_IFACE_IN) s += " --limit-iface-in";
      if (m.flags & XT_ADDRTYPE_LIMIT_IFACE_OUT) s += " --limit-iface-out";
      return s;
    }
    case "iprange": {
      let s = "";
      if (m.flags & IPRANGE_SRC)
        s += `${not(m.flags & IPRANGE_SRC_INV)} --src-range ${formatIPv4(m.srcMin)}-${formatIPv4(m.srcMax)}`;
      if (m.flags & IPRANGE_DST)
        s += `${not(m.flags & IPRANGE_DST_INV)} --dst-range ${formatIPv4(m.dstMin)}-${formatIPv4(m.dstMax)}`;
      return s;
    }
    case "limit":
      return ` --limit ${rateText(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ""}`;
    case "statistic":
      return statisticText(m, "--");
    case "mac":
      return `${not(m.invert)} --mac-source ${m.srcaddr.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":")}`;
    case "pkttype":
      return `${not(m.invert)} --pkt-type ${m.pkttype}`;
    case "length":
      return `${not(m.invert)} --length ${m.min === m.max ? m.min : `${m.min}:${m.max}`}`;
    case "owner":
      return ownerText(m, true, {
        socket: "--socket-exists",
        uid: "--uid-owner",
        gid: "--gid-owner",
        suppl: "--suppl-groups",
      });
    case "ttl":
      return m.mode === "ne" ? ` ! --ttl-eq ${m.ttl}` : ` --ttl-${m.mode} ${m.ttl}`;
    case "tos":
      return `${not(m.invert)} --tos 0x${m.value.toString(16).padStart(2, "0")}/0x${m.mask.toString(16).padStart(2, "0")}`;
    case "dscp":
      return `${not(m.invert)} --dscp 0x${m.dscp.toString(16).padStart(2, "0")}`;
    case "conntrack":
      return conntrackDump(m, "--", true);
    case "state":
      return `${not(m.invert)} --state ${stateNames(m.stateMask, STATE_BITS)}`;
    case "connmark":
      return `${not(m.invert)} --mark ${hex(m.mark)}${m.mask >>> 0 !== 0xffffffff ? `/${hex(m.mask)}` : ""}`;
    case "set":
      return setMatchText(m, "--");
  }
}

export function targetPrint(t: XtTarget, numeric: boolean): string {
  switch (t.kind) {
    case "REJECT":
      return ` reject-with ${t.with}`;
    case "LOG": {
      let s = " LOG";
      if (numeric) s += ` flags ${t.logflags} level ${t.level}`;
      else {
        const name = LOG_LEVELS.find(([, l]) => l === t.level)?.[0];
        s += name ? ` level ${name}` : ` UNKNOWN level ${t.level}`;
        if (t.logflags & 0x01) s += " tcp-sequence";
        if (t.logflags & 0x02) s += " tcp-options";
        if (t.logflags & 0x04) s += " ip-options";
        if (t.logflags & 0x08) s += " uid";
        if (t.logflags & 0x20) s += " macdecode";
      }
      if (t.prefix) s += ` prefix "${t.prefix}"`;
      return s;
    }
    case "MARK": {
      const mark = t.mark >>> 0;
      const mask = t.mask >>> 0;
      if (mark === 0) return ` MARK and ${hex(~mask)}`;
      if (mark === mask) return ` MARK or ${hex(mark)}`;
      if (mask === 0) return ` MARK xor ${hex(mark)}`;
      if (mask === 0xffffffff) return ` MARK set ${hex(mark)}`;
      return ` MARK xset ${hex(mark)}/${hex(mask)}`;
    }
    case "CONNMARK": {
      const { ctmark, ctmask, nfmask } = t;
      const all = 0xffffffff;
      switch (t.mode) {
        case "set":
          if (ctmark === 0) return ` CONNMARK and ${hex(~ctmask)}`;
          if (ctmark === ctmask) return ` CONNMARK or ${hex(ctmark)}`;
          if (ctmask === 0) return ` CONNMARK xor ${hex(ctmark)}`;
          if (ctmask === all) return ` CONNMARK set ${hex(ctmark)}`;
          return ` CONNMARK xset ${hex(ctmark)}/${hex(ctmask)}`;
        case "save":
          if (nfmask === all && ctmask === all) return " CONNMARK save";
          if (nfmask === ctmask) return ` CONNMARK save mask ${hex(nfmask)}`;
          return ` CONNMARK save nfmask ${hex(nfmask)} ctmask ~${hex(ctmask)}`;
        case "restore":
          if (ctmask === all && nfmask === all) return " CONNMARK restore";
          if (ctmask === nfmask) return ` CONNMARK restore mask ${hex(ctmask)}`;
          return ` CONNMARK restore ctmask ${hex(ctmask)} nfmask ~${hex(nfmask)}`;
      }
      return "";
    }
    case "CT":
      if (t.alias === "NOTRACK") return " NOTRACK";
      return t.notrack ? " CT notrack" : " CT";
    case "SNAT":
    case "DNAT":
      return ` to:${natRangeText(t.range)}${natFlagsText(t.range, "")}`;
    case "MASQUERADE": {
      let s = "";
      if (t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += ` masq ports: ${portsText(t.range)}`;
      return s + natFlagsText(t.range, "");
    }
    case "REDIRECT": {
      let s = "";
      if (t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += ` redir ports ${portsText(t.range)}`;
      return s + natFlagsText(t.range, "");
    }
    case "SET":
      return setTargetText(t, "");
    case "TCPMSS":
      return t.mss === 0xffff ? " TCPMSS clamp to PMTU" : ` TCPMSS set ${t.mss}`;
    default:
      return "";
  }
}

function portsText(r: NfNatRange): string {
  return r.minProto === r.maxProto ? String(r.minProto) : `${r.minProto}-${r.maxProto}`;
}

/** print_range (libxt_NAT): ADDR[-ADDR][:PORT[-PORT]]. */
function natRangeText(r: NfNatRange): string {
  let s = "";
  if (r.flags & NF_NAT_RANGE_MAP_IPS) {
    s += formatIPv4(r.minAddr);
    if (r.maxAddr !== r.minAddr) s += `-${formatIPv4(r.maxAddr)}`;
  }
  if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += `:${portsText(r)}`;
  return s;
}

function natFlagsText(r: NfNatRange, prefix: string): string {
  let s = "";
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) s += ` ${prefix}random`;
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) s += ` ${prefix}random-fully`;
  if (r.flags & NF_NAT_RANGE_PERSISTENT) s += ` ${prefix}persistent`;
  return s;
}

export function targetSave(t: XtTarget): string {
  switch (t.kind) {
    case "REJECT":
      return ` --reject-with ${t.with}`;
    case "LOG": {
      let s = "";
      if (t.prefix) s += ` --log-prefix${saveString(t.prefix)}`;
      if (t.level !== 4) s += ` --log-level ${t.level}`;
      if (t.logflags & 0x01) s += " --log-tcp-sequence";
      if (t.logflags & 0x02) s += " --log-tcp-options";
      if (t.logflags & 0x04) s += " --log-ip-options";
      if (t.logflags & 0x08) s += " --log-uid";
      if (t.logflags & 0x20) s += " --log-macdecode";
      return s;
    }
    case "MARK":
      return ` --set-xmark ${hex(t.mark)}/${hex(t.mask)}`;
    case "CONNMARK":
      if (t.mode === "set") return ` --set-xmark ${hex(t.ctmark)}/${hex(t.ctmask)}`;
      return ` --${t.mode}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case "CT":
      return t.notrack && t.alias === "CT" ? " --notrack" : "";
    case "SNAT":
      return ` --to-source ${natRangeText(t.range)}${natFlagsText(t.range, "--")}`;
    case "DNAT":
      return ` --to-destination ${natRangeText(t.range)}${natFlagsText(t.range, "--")}`;
    case "MASQUERADE":
    case "REDIRECT": {
      let s = "";
      if (t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += ` --to-ports ${portsText(t.range)}`;
      return s + natFlagsText(t.range, "--");
    }
    case "SET":
      return setTargetText(t, "--");
    case "TCPMSS":
      return t.mss === 0xffff ? " --clamp-mss-to-pmtu" : ` --set-mss ${t.mss}`;
    default:
      return "";
  }
}

export function targetName(e: IptEntry): string {
  const t = e.target;
  switch (t.kind) {
    case "standard":
      return t.verdict === "CONTINUE" ? "" : t.verdict;
    case "jump":
      return t.chain;
    default:
      return t.kind;
  }
}

function maskText(mask: number): string {
  const m = mask >>> 0;
  const len = 32 - Math.log2((~m >>> 0) + 1 || 2 ** 32);
  if (
    Number.isInteger(len) &&
    ((m === 0 && len === 0) || m === (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0))
  )
    return String(len);
  return formatIPv4(m);
}

/** The -L address column: `anywhere`, or the address and mask (no mask for a host). */
function addrText(addr: number, mask: number, numeric: boolean): string {
  if (mask === 0 && !numeric) return "anywhere";
  if (mask === 0) return "0.0.0.0/0";
  const a = formatIPv4(addr);
  const host = !numeric && a === "127.0.0.1" && mask >>> 0 === 0xffffffff ? "localhost" : a;
  if (mask >>> 0 === 0xffffffff) return host;
  return `${a}/${maskText(mask)}`;
}

/** xtables_print_num */
export function printNum(n: number, f: ListFormat, notable = false): string {
  if (f.exact) return notable ? `${n} ` : `${String(n).padStart(8)} `;
  if (n <= 99999) return notable ? `${n} ` : `${String(n).padStart(5)} `;
  let v = n;
  for (const unit of ["K", "M", "G", "T"]) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || unit === "T") return notable ? `${v}${unit} ` : `${String(v).padStart(4)}${unit} `;
  }
  return "";
}

export function protoText(proto: number, numeric: boolean): string {
  if (numeric) return String(proto);
  if (proto === 0) return "all";
  return protoByNumber(proto) ?? String(proto);
}

/** One -L line (print_firewall). */
export function listRule(e: IptEntry, num: number, f: ListFormat): string {
  const ip = e.ip;
  let s = "";
  if (f.lineNumbers) s += `${String(num).padEnd(4)} `;
  if (f.verbose) s += printNum(e.counters.pcnt, f) + printNum(e.counters.bcnt, f);
  s += `${targetName(e).padEnd(9)} `;
  s += ip.invflags & IPT_INV_PROTO ? "!" : " ";
  s += `${protoText(ip.proto, f.numeric).padEnd(4)} `;
  s += ip.flags & IPT_F_FRAG ? (ip.invflags & IPT_INV_FRAG ? "!f" : "-f") : "--";
  s += " ";
  if (f.verbose) {
    const iface = (name: string, inv: boolean) => `${inv ? "!" : ""}${name || (f.numeric ? "*" : "any")}`;
    s += ` ${iface(ip.iniface, (ip.invflags & IPT_INV_VIA_IN) !== 0).padEnd(6)} `;
    s += `${iface(ip.outiface, (ip.invflags & IPT_INV_VIA_OUT) !== 0).padEnd(6)} `;
  }
  s += ip.invflags & IPT_INV_SRCIP ? "!" : " ";
  s += `${addrText(ip.src, ip.smsk, f.numeric).padEnd(19)} `;
  s += ip.invflags & IPT_INV_DSTIP ? "!" : " ";
  s += `${addrText(ip.dst, ip.dmsk, f.numeric).padEnd(19)} `;
  if (e.target.kind === "jump" && ip.flags & IPT_F_GOTO) s += "[goto] ";
  for (const m of e.matches) s += matchPrint(m, f.numeric, ip.proto);
  s += targetPrint(e.target, f.numeric);
  return s;
}

/** A rule in the -S / iptables-save form (without the leading `-A CHAIN`). */
export function saveRule(e: IptEntry): string {
  const ip: IptIp = e.ip;
  let s = "";
  const addr = (flag: string, a: number, m: number, inv: boolean) => {
    if (m === 0 && !inv) return "";
    const text = m >>> 0 === 0xffffffff ? `${formatIPv4(a)}/32` : `${formatIPv4(a)}/${maskText(m)}`;
    return `${inv ? " !" : ""} -${flag} ${text}`;
  };
  s += addr("s", ip.src, ip.smsk, (ip.invflags & IPT_INV_SRCIP) !== 0);
  s += addr("d", ip.dst, ip.dmsk, (ip.invflags & IPT_INV_DSTIP) !== 0);
  if (ip.iniface) s += `${ip.invflags & IPT_INV_VIA_IN ? " !" : ""} -i ${ip.iniface}`;
  if (ip.outiface) s += `${ip.invflags & IPT_INV_VIA_OUT ? " !" : ""} -o ${ip.outiface}`;
  if (ip.proto) s += `${ip.invflags & IPT_INV_PROTO ? " !" : ""} -p ${protoByNumber(ip.proto) ?? ip.proto}`;
  if (ip.flags & IPT_F_FRAG) s += `${ip.invflags & IPT_INV_FRAG ? " !" : ""} -f`;
  for (const m of e.matches) s += ` -m ${m.kind}${matchSave(m)}`;
  const name = e.target.kind === "CT" && e.target.alias === "NOTRACK" ? "NOTRACK" : targetName(e);
  if (name) {
    s += ip.flags & IPT_F_GOTO ? ` -g ${name}` : ` -j ${name}`;
    s += targetSave(e.target);
  }
  return s;
}
