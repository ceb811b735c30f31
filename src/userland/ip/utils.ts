// iproute2's lib/utils.c and lib/rt_names.c: argument parsing (get_prefix, get_addr, get_u32 …),
// inet_pton/inet_ntop, the name tables, and the exit/error conventions every ip command shares.

import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  AF_INET6,
  type Errno,
  IFF_RUNNING,
  IFF_UP,
  KernelError,
  type RtLink,
  type Task,
} from "../../kernel/syscalls.js";
import type { Proc } from "../program.js";
import { JsonPrinter } from "./json_print.js";

export const AF_UNSPEC = 0;
export const AF_PACKET = 17;

/** exit(code) in the C program: unwinds to ip's main with the status (exit(-1) is 255). */
export class IpExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code & 0xff;
  }
}

/** Global options (ip.c) plus the state one invocation of ip carries. */
export interface IpContext {
  task: Task;
  readonly proc: Proc;
  preferredFamily: number;
  json: boolean;
  brief: boolean;
  oneline: boolean;
  details: number;
  stats: number;
  out: JsonPrinter;
  err: string;
  /** ll_map's cache of the namespace's devices, filled on first use. */
  links: readonly RtLink[] | undefined;
  /** netns_map: ip monitor's nsid -> name cache (netns_map_init, then its own NSID events). */
  nsidNames?: Map<number, string>;
  /** -all: `ip netns exec` and `ip netns delete` act on every named namespace. */
  doAll?: boolean;
  /** -timestamp (1) or -tshort (2): ip monitor prints each message's time (print_timestamp). */
  timestamp?: 1 | 2;
  /** -echo: requests carry NLM_F_ECHO and print what comes back (rtnl_echo_talk). */
  echo?: boolean;
}

export function newContext(proc: Proc): IpContext {
  return {
    task: proc.task,
    proc,
    preferredFamily: AF_UNSPEC,
    json: false,
    brief: false,
    oneline: false,
    details: 0,
    stats: 0,
    out: new JsonPrinter(false, "\n"),
    err: "",
    links: undefined,
  };
}

export function eprint(ctx: IpContext, text: string): void {
  ctx.err += text;
}

/** matches() from utils.c, with the sense turned around: true when `arg` is a non-empty prefix of `word`. */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

export function invarg(ctx: IpContext, msg: string, arg: string): never {
  eprint(ctx, `Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new IpExit(-1);
}

export function duparg(ctx: IpContext, key: string, arg: string): never {
  eprint(ctx, `Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new IpExit(-1);
}

export function duparg2(ctx: IpContext, key: string, arg: string): never {
  eprint(ctx, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
  throw new IpExit(-1);
}

export function incompleteCommand(ctx: IpContext): never {
  eprint(ctx, 'Command line is not complete. Try option "help"\n');
  throw new IpExit(-1);
}

export function nodev(ctx: IpContext, dev: string): number {
  eprint(ctx, `Cannot find device "${dev}"\n`);
  return -1;
}

/** An argv cursor with NEXT_ARG(). */
export class Args {
  private readonly argv: readonly string[];
  private pos = 0;
  constructor(argv: readonly string[]) {
    this.argv = argv;
  }
  get count(): number {
    return this.argv.length - this.pos;
  }
  get cur(): string {
    return this.argv[this.pos] ?? "";
  }
  peek(n: number): string | undefined {
    return this.argv[this.pos + n];
  }
  rest(): readonly string[] {
    return this.argv.slice(this.pos);
  }
  shift(): void {
    this.pos++;
  }
  /** NEXT_ARG(): move to the value of a keyword, or fail as incomplete_command(). */
  next(ctx: IpContext): string {
    this.pos++;
    if (this.pos >= this.argv.length) incompleteCommand(ctx);
    return this.cur;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers: strtoul/strtol with base 0, as get_unsigned, get_u32 and get_integer use them.

interface Strto {
  readonly value: bigint;
  readonly rest: string;
  readonly digits: boolean;
}

function strto(text: string): Strto {
  // The common case, a decimal number starting 1-9 (an address byte, a prefix length), without
  // regular expressions or a BigInt per digit; up to 15 digits stay exact in a double.
  const first = text.charCodeAt(0);
  if (first >= 49 && first <= 57) {
    let n = first - 48;
    let i = 1;
    for (; i < text.length && i < 15; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    const next = text.charCodeAt(i);
    if (!(next >= 48 && next <= 57)) return { value: BigInt(n), rest: text.slice(i), digits: true };
  }
  let s = text.replace(/^[ \t\n\v\f\r]+/, "");
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let m: RegExpMatchArray | null;
  if (/^0[xX][0-9a-fA-F]/.test(s)) {
    base = 16;
    s = s.slice(2);
    m = s.match(/^[0-9a-fA-F]+/);
  } else if (s.startsWith("0")) {
    base = 8;
    m = s.match(/^[0-7]+/);
  } else {
    m = s.match(/^[0-9]+/);
  }
  if (!m) return { value: 0n, rest: text, digits: false };
  let value = 0n;
  for (const ch of m[0]) value = value * BigInt(base) + BigInt(Number.parseInt(ch, 16));
  return { value: neg ? -value : value, rest: s.slice(m[0].length), digits: true };
}

const ULONG_MAX = (1n << 64n) - 1n;

/** strtoul semantics (negative values wrap), then the range check the caller applies. */
function strtoulChecked(arg: string, max: bigint): number | undefined {
  if (arg === "") return undefined;
  const r = strto(arg);
  if (!r.digits || r.rest !== "") return undefined;
  let v = r.value;
  if (v > ULONG_MAX || v < -ULONG_MAX) return undefined;
  if (v < 0n) v = (ULONG_MAX + 1n + v) & ULONG_MAX;
  if (v > max) return undefined;
  return Number(v);
}

export function getUnsigned(arg: string): number | undefined {
  return strtoulChecked(arg, 0xffffffffn);
}

export const getU32 = getUnsigned;

/** get_integer(): strtol, int range. */
export function getInteger(arg: string): number | undefined {
  if (arg === "") return undefined;
  const r = strto(arg);
  if (!r.digits || r.rest !== "") return undefined;
  if (r.value > 0x7fffffffn || r.value < -0x80000000n) return undefined;
  return Number(r.value);
}

// ---------------------------------------------------------------------------------------------
// Addresses: inet_prefix, get_addr_1, get_prefix_1.

export interface InetPrefix {
  readonly family: number;
  readonly bytelen: number;
  /** -1: a host address without a length; -2: default/any/all. */
  readonly bitlen: number;
  readonly data: Uint8Array;
  readonly prefixlenSpecified: boolean;
}

/** iproute2's get_addr_ipv4: up to four strtoul(…, 0) parts, missing trailing parts are zero. */
function getAddrIpv4(text: string): Uint8Array | undefined {
  return getAddrIpv4Decimal(text) ?? getAddrIpv4Strto(text);
}

/**
 * get_addr_ipv4 for what a dotted quad almost always is: up to four parts of "0" or a decimal
 * without a leading zero (which strtoul base 0 reads as decimal too), each at most 255. Anything
 * else (octal, hex, blanks, signs, a byte out of range) is left to the strtoul path, which decides.
 */
function getAddrIpv4Decimal(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (value < 0 || part === 3) return undefined;
      out[part++] = value;
      value = -1;
    } else if (c >= 48 && c <= 57) {
      if (value === 0) return undefined;
      value = value < 0 ? c - 48 : value * 10 + (c - 48);
      if (value > 255) return undefined;
    } else return undefined;
  }
  if (value < 0) return undefined;
  out[part] = value;
  return out;
}

function getAddrIpv4Strto(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let cp = text;
  for (let i = 0; i < 4; i++) {
    const r = strto(cp);
    if (!r.digits) return undefined;
    let v = r.value;
    if (v < 0n) v = (ULONG_MAX + 1n + v) & ULONG_MAX;
    if (v > 255n) return undefined;
    out[i] = Number(v);
    if (r.rest === "") break;
    if (i === 3 || r.rest[0] !== ".") return undefined;
    cp = r.rest.slice(1);
  }
  return out;
}

/** inet_pton(AF_INET, …): strict dotted quad. */
export function inetPton4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? "";
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** inet_pton(AF_INET6, …). */
export function inetPton6(text: string): Uint8Array | undefined {
  let s = text;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  const v4 = s.match(/^(.*:)([0-9.]+)$/);
  if (v4?.[2]?.includes(".")) {
    const b = inetPton4(v4[2]);
    if (!b) return undefined;
    tail = [((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0)];
    s = v4[1] ?? "";
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (h: string): number[] | undefined => {
    if (h === "") return [];
    const groups: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(Number.parseInt(g, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? "");
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? "") : [];
  if (!head || !rest) return undefined;
  const back = [...rest, ...tail];
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - back.length;
    if (fill < 1) return undefined;
    words = [...head, ...new Array<number>(fill).fill(0), ...back];
  } else {
    words = [...head, ...back];
    if (words.length !== 8) return undefined;
  }
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** inet_ntop(AF_INET6, …) as glibc writes it (RFC 5952 zero compression, embedded IPv4). */
export function formatInet6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

export function formatInet4(bytes: Uint8Array): string {
  return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.${bytes[3] ?? 0}`;
}

/** format_host / rt_addr_n2a for an address attribute. */
export function formatAddr(family: number, bytes: Uint8Array): string {
  if (family === AF_INET6 || bytes.length === 16) return formatInet6(bytes);
  return formatInet4(bytes);
}

export function afBitLen(family: number): number {
  return family === AF_INET6 ? 128 : family === AF_INET ? 32 : 0;
}

function getAddr1(name: string, family: number): InetPrefix | undefined {
  if (name === "default") {
    return {
      family,
      bytelen: afBitLen(family) / 8,
      bitlen: -2,
      data: new Uint8Array(16),
      prefixlenSpecified: true,
    };
  }
  if (name === "all" || name === "any") {
    return { family, bytelen: 0, bitlen: -2, data: new Uint8Array(16), prefixlenSpecified: false };
  }
  if (name.includes(":")) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return undefined;
    const data = inetPton6(name);
    if (!data) return undefined;
    return { family: AF_INET6, bytelen: 16, bitlen: -1, data, prefixlenSpecified: false };
  }
  if (family !== AF_UNSPEC && family !== AF_INET) return undefined;
  const data = getAddrIpv4(name);
  if (!data) return undefined;
  return { family: AF_INET, bytelen: 4, bitlen: -1, data, prefixlenSpecified: false };
}

/** get_netmask(): a length, or a dotted netmask. */
function getNetmask(arg: string): number | undefined {
  const n = getUnsigned(arg);
  if (n !== undefined) return n;
  const mask = getAddr1(arg, AF_INET);
  if (!mask || mask.family !== AF_INET) return undefined;
  const m =
    (((mask.data[0] ?? 0) << 24) |
      ((mask.data[1] ?? 0) << 16) |
      ((mask.data[2] ?? 0) << 8) |
      (mask.data[3] ?? 0)) >>>
    0;
  const host = ~m >>> 0;
  if ((host & (host + 1)) !== 0) return undefined;
  let bits = 0;
  for (let x = m; x !== 0; x = (x << 1) >>> 0) bits++;
  return bits;
}

function getPrefix1(arg: string, family: number): InetPrefix | undefined {
  const slash = arg.indexOf("/");
  const addrText = slash >= 0 ? arg.slice(0, slash) : arg;
  const dst = getAddr1(addrText, family);
  if (!dst) return undefined;
  let bitlen = afBitLen(dst.family);
  let specified = dst.prefixlenSpecified;
  if (slash >= 0) {
    if (dst.bitlen === -2) return undefined;
    const plen = getNetmask(arg.slice(slash + 1));
    if (plen === undefined || plen > bitlen) return undefined;
    specified = true;
    bitlen = plen;
  } else if (dst.bitlen === -2) {
    bitlen = 0;
  }
  return { ...dst, bitlen, prefixlenSpecified: specified };
}

export function familyName(family: number): string {
  switch (family) {
    case AF_INET:
      return "inet";
    case AF_INET6:
      return "inet6";
    case AF_PACKET:
      return "link";
    default:
      return "???";
  }
}

function familyNameVerbose(family: number): string {
  return family === AF_UNSPEC ? "any valid" : familyName(family);
}

export function getPrefix(ctx: IpContext, arg: string, family: number): InetPrefix {
  if (family === AF_PACKET) {
    eprint(ctx, `Error: "${arg}" may be inet prefix, but it is not allowed in this context.\n`);
    throw new IpExit(1);
  }
  const p = getPrefix1(arg, family);
  if (!p) {
    eprint(ctx, `Error: ${familyNameVerbose(family)} prefix is expected rather than "${arg}".\n`);
    throw new IpExit(1);
  }
  return p;
}

export function getAddr(ctx: IpContext, arg: string, family: number): InetPrefix {
  const p = family === AF_PACKET ? undefined : getAddr1(arg, family);
  if (!p) {
    eprint(ctx, `Error: ${familyNameVerbose(family)} address is expected rather than "${arg}".\n`);
    throw new IpExit(1);
  }
  return p;
}

/** The address bytes of a prefix, bytelen long (what addattr_l puts in the attribute). */
export function prefixBytes(p: InetPrefix): Uint8Array {
  return p.data.slice(0, p.bytelen);
}

/** check_ifname(): what dev_valid_name accepts. */
export function checkIfname(name: string): boolean {
  return Buffer.byteLength(name) < 16 && checkAltifname(name);
}

export function checkAltifname(name: string): boolean {
  return name !== "" && !/[/\s]/.test(name);
}

// ---------------------------------------------------------------------------------------------
// rt_names.c tables, as /etc/iproute2 on the reference system defines them.

const RT_PROTOS: ReadonlyMap<number, string> = new Map([
  [0, "unspec"],
  [1, "redirect"],
  [2, "kernel"],
  [3, "boot"],
  [4, "static"],
  [8, "gated"],
  [9, "ra"],
  [10, "mrt"],
  [11, "zebra"],
  [12, "bird"],
  [13, "dnrouted"],
  [14, "xorp"],
  [15, "ntk"],
  [16, "dhcp"],
  [18, "keepalived"],
  [42, "babel"],
  [99, "openr"],
  [186, "bgp"],
  [187, "isis"],
  [188, "ospf"],
  [189, "rip"],
  [192, "eigrp"],
]);

const RT_SCOPES: ReadonlyMap<number, string> = new Map([
  [0, "global"],
  [255, "nowhere"],
  [254, "host"],
  [253, "link"],
  [200, "site"],
]);

const RT_TABLES: ReadonlyMap<number, string> = new Map([
  [255, "local"],
  [254, "main"],
  [253, "default"],
  [0, "unspec"],
]);

function lookupA2n(table: ReadonlyMap<number, string>, arg: string, max: bigint): number | undefined {
  for (const [id, name] of table) if (name === arg) return id;
  return strtoulChecked(arg, max);
}

export function rtprotN2a(id: number): string {
  return RT_PROTOS.get(id) ?? String(id);
}
export function rtprotA2n(arg: string): number | undefined {
  return lookupA2n(RT_PROTOS, arg, 255n);
}
export function rtscopeN2a(id: number): string {
  return RT_SCOPES.get(id) ?? String(id);
}
export function rtscopeA2n(arg: string): number | undefined {
  return lookupA2n(RT_SCOPES, arg, 255n);
}
export function rttableN2a(id: number): string {
  return RT_TABLES.get(id) ?? String(id);
}
export function rttableA2n(arg: string): number | undefined {
  return lookupA2n(RT_TABLES, arg, 0xffffffffn);
}

const RTN_NAMES = [
  "none",
  "unicast",
  "local",
  "broadcast",
  "anycast",
  "multicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
  "nat",
  "xresolve",
];

export function rtntypeN2a(id: number): string {
  return RTN_NAMES[id] ?? String(id);
}

export function rtntypeA2n(arg: string): number | undefined {
  if (arg === "local") return 2;
  if (arg === "nat") return 10;
  if (matches(arg, "broadcast") || arg === "brd") return 3;
  if (matches(arg, "anycast")) return 4;
  if (matches(arg, "multicast")) return 5;
  if (matches(arg, "prohibit")) return 8;
  if (matches(arg, "unreachable")) return 7;
  if (matches(arg, "blackhole")) return 6;
  if (matches(arg, "xresolve")) return 11;
  if (matches(arg, "unicast")) return 1;
  if (arg === "throw") return 9;
  return strtoulChecked(arg, 255n);
}

/** rtnl_group_n2a with Debian's /etc/iproute2/group ("0 default"). */
export function groupN2a(id: number): string {
  return id === 0 ? "default" : String(id);
}

// ---------------------------------------------------------------------------------------------
// Errors from the kernel.

const STRERROR: Readonly<Record<Errno, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EIO: "Input/output error",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EBUSY: "Device or resource busy",
  EOVERFLOW: "Value too large for defined data type",
  EEXIST: "File exists",
  ENODEV: "No such device",
  ENXIO: "No such device or address",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENOSPC: "No space left on device",
  E2BIG: "Argument list too long",
  EXFULL: "Exchange full",
  ERANGE: "Numerical result out of range",
  ENOSYS: "Function not implemented",
  EOPNOTSUPP: "Operation not supported",
  EAFNOSUPPORT: "Address family not supported by protocol",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENETDOWN: "Network is down",
  ENETUNREACH: "Network is unreachable",
  ENOBUFS: "No buffer space available",
  ETIMEDOUT: "Connection timed out",
  ECONNREFUSED: "Connection refused",
  EHOSTUNREACH: "No route to host",
  EMSGSIZE: "Message too long",
  EDESTADDRREQ: "Destination address required",
  ELOOP: "Too many levels of symbolic links",
  EMLINK: "Too many links",
  EPIPE: "Broken pipe",
  ECONNRESET: "Connection reset by peer",
  ENOTCONN: "Transport endpoint is not connected",
  EISCONN: "Transport endpoint is already connected",
  EALREADY: "Operation already in progress",
  EINPROGRESS: "Operation now in progress",
  EPROTO: "Protocol error",
  EPROTONOSUPPORT: "Protocol not supported",
};

export function strerror(errno: Errno): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/** A non-kernel exception is a bug: let it through. */
export function asKernelError(e: unknown): KernelError {
  if (e instanceof KernelError) return e;
  throw e;
}

/** rtnl_talk()'s error report: the extack message when the kernel set one, else strerror. */
export function talkError(ctx: IpContext, e: unknown): void {
  const ke = asKernelError(e);
  if (ke.extack) {
    eprint(ctx, `Error: ${ke.extack}${ke.extack.endsWith(".") ? "" : "."}\n`);
  } else {
    eprint(ctx, `RTNETLINK answers: ${strerror(ke.errno)}\n`);
  }
}

/** Runs one rtnetlink request; on failure prints as rtnl_talk does and yields false (callers return -2). */
export function talk(ctx: IpContext, request: () => void): boolean {
  try {
    request();
    return true;
  } catch (e) {
    talkError(ctx, e);
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// ll_map.c: device names by index, and namespace names by nsid.

export function linkCache(ctx: IpContext): readonly RtLink[] {
  const links = ctx.links ?? sys.rtnlGetLink(ctx.task);
  ctx.links = links;
  return links;
}

/** ll_index_to_name(): the device's name, or "if%d" when the index is unknown here. */
export function llIndexToName(ctx: IpContext, ifindex: number): string {
  const cached = linkCache(ctx).find((l) => l.ifindex === ifindex);
  if (cached) return cached.ifname;
  // ll_link_get: a device the cache does not know yet is asked for (RTM_GETLINK) and remembered.
  try {
    const [link] = sys.rtnlGetLink(ctx.task, ifindex);
    if (link) {
      ctx.links = [...linkCache(ctx), link];
      return link.ifname;
    }
  } catch (e) {
    if (!(e instanceof sys.KernelError)) throw e;
  }
  return `if${ifindex}`;
}

export function llIndexToFlags(ctx: IpContext, ifindex: number): number {
  return linkCache(ctx).find((l) => l.ifindex === ifindex)?.flags ?? 0;
}

/** get_netnsid_from_name(): the nsid the current namespace has for /run/netns/NAME, or -1. */
export function getNetnsidFromName(ctx: IpContext, name: string): number {
  let fd: sys.NsFd;
  try {
    fd = sys.netnsOpen(ctx.task, name);
  } catch (e) {
    const ke = asKernelError(e);
    // A file that opens but is no namespace: RTM_GETNSID's extack, printed by rtnl_talk.
    if (ke.errno === "EINVAL" && ke.extack) talkError(ctx, ke);
    return -1;
  }
  return sys.rtnlGetNsid(ctx.task, fd);
}

/** netns_map_init(): every /run/netns name with the nsid this namespace gives it. */
export function netnsMapInit(ctx: IpContext): Map<number, string> {
  const map = new Map<number, string>();
  for (const name of sys.netnsList(ctx.task)) {
    const id = getNetnsidFromName(ctx, name);
    if (id >= 0 && !map.has(id)) map.set(id, name);
  }
  return map;
}

/** get_name_from_nsid(): walks /run/netns asking each entry's nsid. */
export function getNameFromNsid(ctx: IpContext, nsid: number): string | undefined {
  if (ctx.nsidNames) return ctx.nsidNames.get(nsid);
  return netnsGetName(ctx, nsid);
}

/** netns_get_name(): the /run/netns name whose nsid here is `nsid`, by asking for each one's. */
export function netnsGetName(ctx: IpContext, nsid: number): string | undefined {
  for (const name of sys.netnsList(ctx.task)) {
    if (getNetnsidFromName(ctx, name) === nsid) return name;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// print_link_flags() and ll_addr_a2n(), shared by ip and bridge.

/** The flag names in print_link_flags() order. */
const LINK_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x8, "LOOPBACK"],
  [0x2, "BROADCAST"],
  [0x10, "POINTOPOINT"],
  [0x1000, "MULTICAST"],
  [0x80, "NOARP"],
  [0x200, "ALLMULTI"],
  [0x100, "PROMISC"],
  [0x400, "MASTER"],
  [0x800, "SLAVE"],
  [0x4, "DEBUG"],
  [0x8000, "DYNAMIC"],
  [0x4000, "AUTOMEDIA"],
  [0x2000, "PORTSEL"],
  [0x20, "NOTRAILERS"],
  [0x1, "UP"],
  [0x10000, "LOWER_UP"],
  [0x20000, "DORMANT"],
  [0x40000, "ECHO"],
];

/** print_link_flags(): `<FLAG,FLAG,…> `, NO-CARRIER first, unknown bits in hex, M-DOWN last. */
export function printLinkFlags(ctx: IpContext, flagsIn: number, mdown: boolean): void {
  const out = ctx.out;
  let flags = flagsIn;
  if (out.json) out.openArray("flags");
  else out.fp("<");
  if (flags & IFF_UP && !(flags & IFF_RUNNING))
    out.any(undefined, flags ? "NO-CARRIER," : "NO-CARRIER", "NO-CARRIER");
  flags &= ~IFF_RUNNING;
  for (const [mask, name] of LINK_FLAG_NAMES) {
    if (flags & mask) {
      flags &= ~mask;
      out.any(undefined, flags ? `${name},` : name, name);
    }
  }
  if (flags) out.any(undefined, (flags >>> 0).toString(16), (flags >>> 0).toString(16));
  if (mdown) out.any(undefined, ",M-DOWN", "M-DOWN");
  if (out.json) out.closeArray();
  else out.fp("> ");
}

/**
 * ll_addr_a2n(): hex bytes separated by colons (at most `maxLen` of them, the caller's buffer), or
 * a dotted IPv4 address. sscanf("%x") reads a part's leading hex digits and ignores the rest.
 */
export function llAddrA2n(ctx: IpContext, arg: string, maxLen: number): Uint8Array | undefined {
  if (arg.includes(".")) {
    const parts = arg.split(".");
    if (parts.length > 4 || parts.some((p) => !/^[0-9]+$/.test(p) || Number(p) > 255)) {
      eprint(ctx, `"${arg}" is invalid lladdr.\n`);
      return undefined;
    }
    return Uint8Array.from(parts, (p) => Number(p));
  }
  const bytes: number[] = [];
  for (const part of arg.split(":").slice(0, maxLen)) {
    const m = part.match(/^\s*(?:0[xX])?([0-9a-fA-F]+)/);
    const v = m ? Number.parseInt(m[1] ?? "", 16) : Number.NaN;
    if (!(v <= 255)) {
      eprint(ctx, `"${part}" is invalid lladdr.\n`);
      return undefined;
    }
    bytes.push(v);
  }
  return Uint8Array.from(bytes);
}
