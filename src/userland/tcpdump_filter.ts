// The pcap-filter language (libpcap 1.10's grammar.y and gencode.c), its common part: primitives
// with direction, protocol and type qualifiers (host, net, port, portrange, ether host, less,
// greater, the protocol names), and/or/not with parentheses, the implied qualifiers of a bare
// operand (`host a or b`), and relations over packet bytes (`tcp[tcpflags] & tcp-syn != 0`).
// libpcap compiles to classic BPF; here the expression becomes a predicate evaluated over the
// frame's bytes with the same meaning (a read past the captured bytes rejects the packet, as
// BPF's out-of-bounds load returns 0). Errors are libpcap's texts.
import { parseIPv4, parseMac } from "../wire/addr.js";
import { getaddrinfo, getservbyname } from "./netdb.js";

/** What a filter looks at: the frame as libpcap delivers it, and where its network layer is. */
export interface FilterPacket {
  readonly data: Uint8Array;
  /** The EtherType of the network layer (after the Ethernet or SLL2 header). */
  readonly proto: number;
  /** Offset of the network header in `data`. */
  readonly nh: number;
  /** Offsets of the Ethernet destination and source (undefined on a cooked capture). */
  readonly ethDst: number | undefined;
  readonly ethSrc: number | undefined;
  /** The length on the wire (`len` of the pcap record). */
  readonly wireLen: number;
  /** Offset of the link-layer header (0) for `ether[...]`. */
  readonly linkLen: number;
}

export type Filter = (p: FilterPacket) => boolean;

export class FilterError extends Error {}

const ETH_P_IP = 0x0800;
const ETH_P_ARP = 0x0806;
const ETH_P_RARP = 0x8035;
const ETH_P_IPV6 = 0x86dd;
const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;

const IPPROTO: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, sctp: 132, icmp6: 58 };

/** The named offsets and values gencode knows (pcap-filter(7)). */
const CONSTANTS: Readonly<Record<string, number>> = {
  icmptype: 0,
  icmpcode: 1,
  "icmp-echoreply": 0,
  "icmp-unreach": 3,
  "icmp-sourcequench": 4,
  "icmp-redirect": 5,
  "icmp-echo": 8,
  "icmp-routeradvert": 9,
  "icmp-routersolicit": 10,
  "icmp-timxceed": 11,
  "icmp-paramprob": 12,
  "icmp-tstamp": 13,
  "icmp-tstampreply": 14,
  "icmp-ireq": 15,
  "icmp-ireqreply": 16,
  "icmp-maskreq": 17,
  "icmp-maskreply": 18,
  tcpflags: 13,
  "tcp-fin": 0x01,
  "tcp-syn": 0x02,
  "tcp-rst": 0x04,
  "tcp-push": 0x08,
  "tcp-ack": 0x10,
  "tcp-urg": 0x20,
  "tcp-ece": 0x40,
  "tcp-cwr": 0x80,
};

type Tok =
  | { readonly t: "id"; readonly v: string }
  | { readonly t: "num"; readonly v: number }
  | { readonly t: "op"; readonly v: string };

const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "host",
  "net",
  "port",
  "portrange",
  "src",
  "dst",
  "ether",
  "ip",
  "ip6",
  "arp",
  "rarp",
  "tcp",
  "udp",
  "icmp",
  "icmp6",
  "igmp",
  "sctp",
  "vlan",
  "less",
  "greater",
  "broadcast",
  "multicast",
  "mask",
  "proto",
  "len",
  "inbound",
  "outbound",
  "gateway",
]);

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (["&&", "||", "==", "!=", ">=", "<=", "<<", ">>"].includes(two)) {
      out.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("()[]:!&|<>=+*/%^~".includes(c) || (c === "-" && !/[A-Za-z0-9]/.test(text[i - 1] ?? " "))) {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    const m = /^[A-Za-z0-9_.:\-/]+/.exec(text.slice(i));
    if (!m) throw new FilterError("syntax error");
    const word = m[0];
    i += word.length;
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(word)) {
      out.push({ t: "num", v: Number(word) });
      continue;
    }
    // `ip[2:2]`: an offset and a size, not a MAC address.
    const sized = /^(\d+):(\d+)$/.exec(word);
    if (sized) {
      out.push({ t: "num", v: Number(sized[1]) }, { t: "op", v: ":" }, { t: "num", v: Number(sized[2]) });
      continue;
    }
    out.push({ t: "id", v: word });
  }
  return out;
}

interface Quals {
  proto: string | undefined;
  dir: "src" | "dst" | "src or dst" | "src and dst" | undefined;
  type: "host" | "net" | "port" | "portrange" | "proto" | undefined;
}

class Parser {
  private i = 0;
  private last: Quals = { proto: undefined, dir: undefined, type: undefined };
  constructor(private readonly toks: readonly Tok[]) {}

  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === "op" && t.v === v;
  }
  isId(v: string): boolean {
    const t = this.peek();
    return t?.t === "id" && t.v === v;
  }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new FilterError("syntax error");
    return t;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) throw new FilterError("syntax error");
    this.i++;
  }

  parse(): Filter {
    if (this.toks.length === 0) return () => true;
    const f = this.or();
    if (this.i < this.toks.length) throw new FilterError("syntax error");
    return f;
  }

  /** `and` and `or` bind equally tightly and group from the left (grammar.y: %left OR AND). */
  or(): Filter {
    let f = this.not();
    for (;;) {
      const isAnd = this.isId("and") || this.isOp("&&");
      const isOr = this.isId("or") || this.isOp("||");
      if (!isAnd && !isOr) return f;
      this.i++;
      const a = f;
      const b = this.not();
      f = isAnd ? (p) => a(p) && b(p) : (p) => a(p) || b(p);
    }
  }

  not(): Filter {
    if (this.isId("not") || this.isOp("!")) {
      this.i++;
      const a = this.not();
      return (p) => !a(p);
    }
    return this.primary();
  }

  primary(): Filter {
    if (this.isOp("(")) {
      // A parenthesis opens either a boolean group or an arithmetic operand of a relation.
      const save = this.i;
      this.i++;
      try {
        const f = this.or();
        this.expectOp(")");
        if (!this.relOpAhead()) return f;
      } catch (e) {
        if (!(e instanceof FilterError)) throw e;
      }
      this.i = save;
      return this.relation();
    }
    if (this.startsRelation()) return this.relation();
    return this.primitive();
  }

  private relOpAhead(): boolean {
    const t = this.peek();
    return (
      t?.t === "op" &&
      [">", "<", ">=", "<=", "=", "==", "!=", "+", "-", "*", "/", "&", "|", "<<", ">>"].includes(t.v)
    );
  }

  /** A relation starts with a number, `len`, a constant, or `proto[`. */
  private startsRelation(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.t === "num") return true;
    if (t.t !== "id") return false;
    if (t.v === "len") return true;
    if (t.v in CONSTANTS) return true;
    const n = this.toks[this.i + 1];
    return n?.t === "op" && n.v === "[";
  }

  relation(): Filter {
    const a = this.arith();
    const t = this.next();
    if (t.t !== "op") throw new FilterError("syntax error");
    const b = this.arith();
    const cmp: Record<string, (x: number, y: number) => boolean> = {
      ">": (x, y) => x > y,
      "<": (x, y) => x < y,
      ">=": (x, y) => x >= y,
      "<=": (x, y) => x <= y,
      "=": (x, y) => x === y,
      "==": (x, y) => x === y,
      "!=": (x, y) => x !== y,
    };
    const op = cmp[t.v];
    if (!op) throw new FilterError("syntax error");
    return (p) => {
      const x = a(p);
      const y = b(p);
      if (x === undefined || y === undefined) return false;
      return op(x >>> 0, y >>> 0);
    };
  }

  // Arithmetic: | then & then shifts then + - then * / % then unary.
  arith(): Arith {
    return this.binary(0);
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ["|"],
    ["&"],
    ["<<", ">>"],
    ["+", "-"],
    ["*", "/", "%"],
  ];

  private binary(level: number): Arith {
    if (level >= Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t?.t !== "op" || !(Parser.LEVELS[level] as readonly string[]).includes(t.v)) return a;
      this.i++;
      const b = this.binary(level + 1);
      const l = a;
      const op = t.v;
      a = (p) => {
        const x = l(p);
        const y = b(p);
        if (x === undefined || y === undefined) return undefined;
        switch (op) {
          case "|":
            return (x | y) >>> 0;
          case "&":
            return (x & y) >>> 0;
          case "<<":
            return (x << y) >>> 0;
          case ">>":
            return x >>> y;
          case "+":
            return (x + y) >>> 0;
          case "-":
            return (x - y) >>> 0;
          case "*":
            return Math.imul(x, y) >>> 0;
          case "/":
            return y === 0 ? undefined : Math.floor(x / y);
          default:
            return y === 0 ? undefined : x % y;
        }
      };
    }
  }

  private unary(): Arith {
    if (this.isOp("-")) {
      this.i++;
      const a = this.unary();
      return (p) => {
        const x = a(p);
        return x === undefined ? undefined : -x >>> 0;
      };
    }
    if (this.isOp("(")) {
      this.i++;
      const a = this.arith();
      this.expectOp(")");
      return a;
    }
    const t = this.next();
    if (t.t === "num") return () => t.v;
    if (t.t !== "id") throw new FilterError("syntax error");
    if (t.v === "len") return (p) => p.wireLen;
    const c = CONSTANTS[t.v];
    if (c !== undefined) return () => c;
    if (!this.isOp("[")) throw new FilterError("syntax error");
    this.i++;
    const off = this.arith();
    let size = 1;
    if (this.isOp(":")) {
      this.i++;
      const s = this.next();
      if (s.t !== "num" || ![1, 2, 4].includes(s.v)) throw new FilterError("data size must be 1, 2, or 4");
      size = s.v;
    }
    this.expectOp("]");
    const base = protoBase(t.v);
    return (p) => {
      const b = base(p);
      const o = off(p);
      if (b === undefined || o === undefined) return undefined;
      const at = b + o;
      if (at + size > p.data.length) return undefined;
      let v = 0;
      for (let k = 0; k < size; k++) v = v * 256 + (p.data[at + k] as number);
      return v;
    };
  }

  primitive(): Filter {
    const q: Quals = { proto: undefined, dir: undefined, type: undefined };
    let any = false;
    for (;;) {
      const t = this.peek();
      if (t?.t !== "id") break;
      const v = t.v;
      if (["ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "igmp", "sctp"].includes(v)) {
        if (q.proto !== undefined) break;
        // `tcp[` is a relation's operand, handled by primary.
        q.proto = v;
      } else if (v === "src" || v === "dst") {
        if (q.dir !== undefined) break;
        this.i++;
        if (this.isId("or") || this.isId("and")) {
          const conj = (this.next() as { v: string }).v;
          const other = this.next();
          if (other.t !== "id" || (other.v !== "src" && other.v !== "dst") || other.v === v)
            throw new FilterError("syntax error");
          q.dir = conj === "or" ? "src or dst" : "src and dst";
        } else q.dir = v;
        any = true;
        continue;
      } else if (v === "host" || v === "net" || v === "port" || v === "portrange" || v === "proto") {
        q.type = v;
        this.i++;
        any = true;
        break;
      } else break;
      this.i++;
      any = true;
    }
    const t = this.peek();
    // A protocol on its own (`tcp`, `ip`), or with a keyword after it.
    if (q.type === undefined) {
      if (t?.t === "id" && !KEYWORDS.has(t.v) && any) {
        // `src 10.0.0.1`: a direction with an operand and no type is a host.
        return this.operand(q);
      }
      if (t?.t === "num" && any && q.dir !== undefined) return this.operand(q);
      if (this.isId("broadcast")) {
        this.i++;
        return broadcast(q.proto);
      }
      if (this.isId("multicast")) {
        this.i++;
        return multicast(q.proto);
      }
      if (this.isId("less") || this.isId("greater")) {
        const less = (this.next() as { v: string }).v === "less";
        const n = this.next();
        if (n.t !== "num") throw new FilterError("syntax error");
        return less ? (p) => p.wireLen <= n.v : (p) => p.wireLen >= n.v;
      }
      if (this.isId("vlan") && q.proto === undefined) {
        this.i++;
        if (this.peek()?.t === "num") {
          const id = (this.next() as { v: number }).v;
          return (p) =>
            isVlan(p) &&
            ((((p.data[p.nh - 4] as number) << 8) | (p.data[p.nh - 3] as number)) & 0xfff) === id;
        }
        return isVlan;
      }
      if (q.proto !== undefined && !any) throw new FilterError("syntax error");
      if (q.proto !== undefined) return protoFilter(q.proto);
      // A bare operand: the qualifiers of the primitive before it (`host a or b`).
      if (t && (t.t === "num" || (t.t === "id" && !KEYWORDS.has(t.v))) && this.last.type !== undefined)
        return this.operand({ ...this.last });
      if (t?.t === "id" && !KEYWORDS.has(t.v))
        return this.operand({ proto: undefined, dir: undefined, type: "host" });
      throw new FilterError("syntax error");
    }
    return this.operand(q);
  }

  private operand(q: Quals): Filter {
    const type = q.type ?? "host";
    this.last = { proto: q.proto, dir: q.dir, type };
    const t = this.next();
    const text = t.t === "num" ? String(t.v) : t.t === "id" ? t.v : undefined;
    if (text === undefined) throw new FilterError("syntax error");
    const dir = q.dir ?? "src or dst";
    switch (type) {
      case "host": {
        if (q.proto === "ether") {
          const mac = parseMac(text);
          if (!mac) throw new FilterError(`unknown ether host '${text}'`);
          return etherHost(mac, dir);
        }
        let addr = parseIPv4(text);
        if (addr === undefined) {
          if (/^[\d.]+$/.test(text)) throw new FilterError(`invalid IPv4 address '${text}'`);
          // pcap_nametoaddrinfo: /etc/hosts (no DNS server is reachable).
          const r = getaddrinfo(text);
          if (!("addr" in r)) throw new FilterError(`unknown host '${text}'`);
          addr = r.addr;
        }
        return hostFilter(addr >>> 0, 0xffffffff, dir, q.proto);
      }
      case "net": {
        let addrText = text;
        let bits: number | undefined;
        const slash = text.indexOf("/");
        if (slash >= 0) {
          addrText = text.slice(0, slash);
          bits = Number(text.slice(slash + 1));
          if (!/^\d+$/.test(text.slice(slash + 1)) || bits > 32)
            throw new FilterError(`mask length must be <= 32`);
        }
        const parts = addrText.split(".");
        if (parts.length > 4 || parts.some((x) => !/^\d+$/.test(x) || Number(x) > 255))
          throw new FilterError(`unknown network '${text}'`);
        let addr = 0;
        for (let k = 0; k < 4; k++) addr = addr * 256 + Number(parts[k] ?? 0);
        let mask: number;
        if (bits !== undefined) mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        else if (this.isId("mask")) {
          this.i++;
          const m = this.next();
          const mv = m.t === "id" ? parseIPv4(m.v) : undefined;
          if (mv === undefined) throw new FilterError("syntax error");
          mask = mv >>> 0;
        } else mask = parts.length >= 4 ? 0xffffffff : (0xffffffff << (32 - 8 * parts.length)) >>> 0;
        if ((addr & ~mask) >>> 0 !== 0) throw new FilterError(`non-network bits set in "${text}"`);
        return hostFilter(addr >>> 0, mask, dir, q.proto);
      }
      case "port":
      case "portrange": {
        const range = type === "portrange" ? text.split("-") : [text];
        if (range.length > 2 || (type === "portrange" && range.length !== 2))
          throw new FilterError("syntax error");
        const ports = range.map((r) => {
          if (/^\d+$/.test(r)) {
            const n = Number(r);
            if (n > 65535) throw new FilterError(`port ${r} > 65535`);
            return n;
          }
          const n =
            q.proto === "udp"
              ? getservbyname(r, "udp")
              : (getservbyname(r, "tcp") ?? getservbyname(r, "udp"));
          if (n === undefined) throw new FilterError(`unknown port '${r}'`);
          return n;
        });
        const lo = Math.min(...ports);
        const hi = Math.max(...ports);
        return portFilter(lo, hi, dir, q.proto);
      }
      case "proto": {
        const n = t.t === "num" ? t.v : IPPROTO[text];
        if (n === undefined) throw new FilterError(`unknown ip proto '${text}'`);
        return (p) => ipProto(p) === n;
      }
    }
  }
}

type Arith = (p: FilterPacket) => number | undefined;

function isVlan(p: FilterPacket): boolean {
  return p.proto === ETH_P_8021Q || p.proto === ETH_P_8021AD;
}

function u16(d: Uint8Array, at: number): number {
  return ((d[at] as number) << 8) | (d[at + 1] as number);
}

function u32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}

/** The IPv4 protocol (or the IPv6 next header), undefined for anything else. */
function ipProto(p: FilterPacket): number | undefined {
  if (p.proto === ETH_P_IP && p.nh + 20 <= p.data.length) return p.data[p.nh + 9];
  if (p.proto === ETH_P_IPV6 && p.nh + 40 <= p.data.length) return p.data[p.nh + 6];
  return undefined;
}

/** The transport header's offset when this is the first (or only) fragment. */
function transport(p: FilterPacket): number | undefined {
  if (p.proto === ETH_P_IP) {
    if (p.nh + 20 > p.data.length) return undefined;
    if (u16(p.data, p.nh + 6) & 0x1fff) return undefined;
    return p.nh + ((p.data[p.nh] as number) & 0xf) * 4;
  }
  if (p.proto === ETH_P_IPV6) return p.nh + 40;
  return undefined;
}

function protoBase(name: string): (p: FilterPacket) => number | undefined {
  switch (name) {
    case "ether":
    case "link":
      return () => 0;
    case "ip":
      return (p) => (p.proto === ETH_P_IP ? p.nh : undefined);
    case "ip6":
      return (p) => (p.proto === ETH_P_IPV6 ? p.nh : undefined);
    case "arp":
    case "rarp":
      return (p) => (p.proto === ETH_P_ARP || p.proto === ETH_P_RARP ? p.nh : undefined);
    case "tcp":
    case "udp":
    case "icmp":
    case "igmp":
    case "sctp": {
      const n = IPPROTO[name] as number;
      return (p) => (p.proto === ETH_P_IP && ipProto(p) === n ? transport(p) : undefined);
    }
    default:
      throw new FilterError("syntax error");
  }
}

function protoFilter(name: string): Filter {
  switch (name) {
    case "ip":
      return (p) => p.proto === ETH_P_IP;
    case "ip6":
      return (p) => p.proto === ETH_P_IPV6;
    case "arp":
      return (p) => p.proto === ETH_P_ARP;
    case "rarp":
      return (p) => p.proto === ETH_P_RARP;
    case "icmp":
    case "igmp":
      return (p) => p.proto === ETH_P_IP && ipProto(p) === IPPROTO[name];
    case "icmp6":
      return (p) => p.proto === ETH_P_IPV6 && ipProto(p) === 58;
    case "tcp":
    case "udp":
    case "sctp":
      return (p) => ipProto(p) === IPPROTO[name];
    default:
      throw new FilterError("syntax error");
  }
}

function dirMatch(dir: Quals["dir"], src: boolean, dst: boolean): boolean {
  switch (dir) {
    case "src":
      return src;
    case "dst":
      return dst;
    case "src and dst":
      return src && dst;
    default:
      return src || dst;
  }
}

/** gen_host: IPv4 source/destination, and ARP/RARP sender/target when no protocol is named. */
function hostFilter(addr: number, mask: number, dir: Quals["dir"], proto: string | undefined): Filter {
  const m = (a: number): boolean => (a & mask) >>> 0 === addr;
  const ip = (p: FilterPacket): boolean =>
    p.proto === ETH_P_IP &&
    p.nh + 20 <= p.data.length &&
    dirMatch(dir, m(u32(p.data, p.nh + 12)), m(u32(p.data, p.nh + 16)));
  const arp = (p: FilterPacket): boolean =>
    (p.proto === ETH_P_ARP || p.proto === ETH_P_RARP) &&
    p.nh + 28 <= p.data.length &&
    dirMatch(dir, m(u32(p.data, p.nh + 14)), m(u32(p.data, p.nh + 24)));
  switch (proto) {
    case undefined:
      return (p) => ip(p) || arp(p);
    case "ip":
      return ip;
    case "arp":
    case "rarp":
      return arp;
    case "tcp":
    case "udp":
    case "icmp":
    case "igmp":
    case "sctp": {
      const n = IPPROTO[proto];
      return (p) => ip(p) && ipProto(p) === n;
    }
    default:
      throw new FilterError(`'${proto}' modifier applied to host`);
  }
}

function portFilter(lo: number, hi: number, dir: Quals["dir"], proto: string | undefined): Filter {
  const protos =
    proto === undefined || proto === "ip" || proto === "ip6"
      ? [6, 17, 132]
      : proto === "tcp" || proto === "udp" || proto === "sctp"
        ? [IPPROTO[proto] as number]
        : undefined;
  if (!protos) throw new FilterError("illegal qualifier of 'port'");
  return (p) => {
    if (proto === "ip" && p.proto !== ETH_P_IP) return false;
    if (proto === "ip6" && p.proto !== ETH_P_IPV6) return false;
    const n = ipProto(p);
    if (n === undefined || !protos.includes(n)) return false;
    const th = transport(p);
    if (th === undefined || th + 4 > p.data.length) return false;
    const s = u16(p.data, th);
    const d = u16(p.data, th + 2);
    return dirMatch(dir, s >= lo && s <= hi, d >= lo && d <= hi);
  };
}

function macAt(d: Uint8Array, at: number | undefined, mac: Uint8Array): boolean {
  if (at === undefined || at + 6 > d.length) return false;
  for (let k = 0; k < 6; k++) if (d[at + k] !== mac[k]) return false;
  return true;
}

function etherHost(mac: Uint8Array, dir: Quals["dir"]): Filter {
  return (p) => dirMatch(dir, macAt(p.data, p.ethSrc, mac), macAt(p.data, p.ethDst, mac));
}

function broadcast(proto: string | undefined): Filter {
  if (proto === "ip") return (p) => p.proto === ETH_P_IP && u32(p.data, p.nh + 16) === 0xffffffff;
  const all = new Uint8Array(6).fill(0xff);
  return (p) => macAt(p.data, p.ethDst, all);
}

function multicast(proto: string | undefined): Filter {
  if (proto === "ip") return (p) => p.proto === ETH_P_IP && ((p.data[p.nh + 16] as number) & 0xf0) === 0xe0;
  if (proto === "ip6") return (p) => p.proto === ETH_P_IPV6 && p.data[p.nh + 24] === 0xff;
  return (p) => p.ethDst !== undefined && ((p.data[p.ethDst] as number) & 1) === 1;
}

/** pcap_compile: the expression (argv words joined with spaces) as a predicate, or FilterError. */
export function compileFilter(text: string): Filter {
  return new Parser(lex(text)).parse();
}
