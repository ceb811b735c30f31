// tcpdump 4.99's packet printers (print-ether.c, print-sll.c, print-arp.c, print-ip.c,
// print-icmp.c, print-udp.c, print-tcp.c, print-igmp.c, print-ip6.c, util-print.c's time stamps
// and print-ascii.c's dumps): one packet in, its line(s) out, with -n/-e/-q/-v/-t*/-x/-X/-A.
// Without -n, addresses /etc/hosts names and ports /etc/services names show by name (no DNS).
import { getnameinfo, getservbyport } from "./netdb.js";

export const DLT_EN10MB = 1;
export const DLT_LINUX_SLL2 = 276;

export interface PrintOptions {
  /** -n count: 0 resolves port names, 1 or more prints numbers. */
  readonly nflag: number;
  readonly eflag: boolean;
  readonly qflag: boolean;
  readonly vflag: number;
  /** -t count (0: HH:MM:SS.usec; 1: none; 2: epoch; 3: delta; 4: date; 5: since first). */
  readonly tflag: number;
  /** -x count / -X count / -A */
  readonly xflag: number;
  readonly Xflag: number;
  readonly Aflag: boolean;
  /** -S: sequence numbers as they are, not relative to the conversation's first ones. */
  readonly Sflag: boolean;
  /** if_indextoname for a cooked capture's interface index. */
  readonly ifname: (ifindex: number) => string | undefined;
}

/** The state kept across packets: the previous and first time stamps, TCP's sequence bases. */
export interface PrintState {
  prevUs: number | undefined;
  firstUs: number | undefined;
  readonly tcpSeq: Map<string, { seq: number; ack: number }>;
}

export function newPrintState(): PrintState {
  return { prevUs: undefined, firstUs: undefined, tcpSeq: new Map() };
}

const ETHERTYPES: Readonly<Record<number, string>> = {
  2048: "IPv4",
  2054: "ARP",
  32821: "Reverse ARP",
  34525: "IPv6",
  33024: "802.1Q",
  34984: "802.1Q-QinQ",
  35020: "LLDP",
  34887: "MPLS unicast",
};

const IPPROTO_NAMES: Readonly<Record<number, string>> = {
  0: "Options",
  1: "ICMP",
  2: "IGMP",
  4: "IPIP",
  6: "TCP",
  17: "UDP",
  41: "IPv6",
  47: "GRE",
  50: "ESP",
  51: "AH",
  58: "ICMPv6",
  112: "VRRP",
  132: "SCTP",
};

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function mac(d: Uint8Array, at: number, len = 6): string {
  const out: string[] = [];
  for (let i = 0; i < len; i++) out.push(hex2(d[at + i] ?? 0));
  return out.join(":");
}

/** ipaddr_string: without -n, a name /etc/hosts gives the address (no DNS is reachable). */
function ipaddr(o: PrintOptions, d: Uint8Array, at: number): string {
  if (o.nflag === 0) {
    const r = getnameinfo(u32(d, at));
    if ("host" in r) return r.host;
  }
  return ip4(d, at);
}

function ip4(d: Uint8Array, at: number): string {
  return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}`;
}

function u16(d: Uint8Array, at: number): number {
  return (((d[at] ?? 0) << 8) | (d[at + 1] ?? 0)) >>> 0;
}

function u32(d: Uint8Array, at: number): number {
  return (((d[at] ?? 0) << 24) | ((d[at + 1] ?? 0) << 16) | ((d[at + 2] ?? 0) << 8) | (d[at + 3] ?? 0)) >>> 0;
}

/** ts_format for each -t level: what goes before the packet, with its trailing space. */
export function formatTimestamp(o: PrintOptions, st: PrintState, us: number): string {
  const hms = (t: number): string => {
    const d = new Date(Math.floor(t / 1e6) * 1000);
    return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(t % 1e6).padStart(6, "0")}`;
  };
  const delta = (t: number): string => {
    const sec = Math.floor(t / 1e6);
    return ` ${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}.${String(t % 1e6).padStart(6, "0")}`;
  };
  switch (o.tflag) {
    case 0:
      return `${hms(us)} `;
    case 1:
      return "";
    case 2:
      return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")} `;
    case 3: {
      const prev = st.prevUs ?? us;
      st.prevUs = us;
      return `${delta(us - prev)} `;
    }
    case 4: {
      const d = new Date(Math.floor(us / 1e6) * 1000);
      return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${hms(us)} `;
    }
    default: {
      st.firstUs ??= us;
      return `${delta(us - st.firstUs)} `;
    }
  }
}

/** One packet's text (ending in a newline), from its link-layer header on. */
export function printPacket(
  o: PrintOptions,
  st: PrintState,
  dlt: number,
  d: Uint8Array,
  len: number,
): string {
  const out = new Out();
  let nh: number;
  if (dlt === DLT_LINUX_SLL2) {
    if (d.length < 20) return "[|sll2]\n";
    const proto = u16(d, 0);
    const ifindex = u32(d, 4);
    const pkttype = d[10] as number;
    const halen = d[11] as number;
    out.p(`${(o.ifname(ifindex) ?? "?").padEnd(5)} `);
    out.p(`${(["In", "B", "M", "P", "Out"][pkttype] ?? "?").padEnd(3)} `);
    if (o.eflag) {
      out.p(`ifindex ${ifindex} `);
      if (halen) out.p(`${mac(d, 12, Math.min(halen, 8))} `);
      out.p(
        `ethertype ${ETHERTYPES[proto] ?? "Unknown"} (0x${proto.toString(16).padStart(4, "0")}), length ${len}: `,
      );
    }
    nh = 20;
    printEtherType(o, st, out, proto, d, nh, len - 20, o.eflag);
  } else {
    if (d.length < 14) return "[|ether]\n";
    const type = u16(d, 12);
    const known = ETHERTYPES[type] !== undefined && type !== 0x88cc && type !== 0x8847;
    const llc = type < 0x600;
    const stp = llc && d[14] === 0x42 && d[15] === 0x42 && d[16] === 0x03;
    if (o.eflag || (!known && !llc) || (llc && !stp)) {
      out.p(`${mac(d, 6)} > ${mac(d, 0)}, `);
      // An 802.3 frame's length is its length field.
      if (llc) out.p(`802.3, length ${type}: `);
      else
        out.p(
          `ethertype ${ETHERTYPES[type] ?? "Unknown"} (0x${type.toString(16).padStart(4, "0")}), length ${len}: `,
        );
    }
    nh = 14;
    if (llc) llcPrint(o, out, d, 14, type);
    else if (known) printEtherType(o, st, out, type, d, nh, len - 14, o.eflag);
  }
  let text = out.s;
  const body = d.subarray(nh);
  if (o.Xflag) text += hexAndAscii(o.Xflag > 1 ? d : body);
  else if (o.xflag) text += hexOnly(o.xflag > 1 ? d : body);
  else if (o.Aflag) text += asciiOnly(o.xflag > 1 ? d : body);
  else if (dlt === DLT_EN10MB && d.length >= 14) {
    const type = u16(d, 12);
    if (type >= 0x600 && (ETHERTYPES[type] === undefined || type === 0x88cc || type === 0x8847))
      text += hexOnly(body);
  }
  return `${text}\n`;
}

const SAP_NAMES: Readonly<Record<number, string>> = {
  0: "Null",
  6: "IP",
  66: "STP",
  170: "SNAP",
  224: "IPX",
  240: "NetBeui",
  254: "OSI",
};

/** llc_print: the LLC header with -e, then STP (the only SAP a Linux bridge sends). */
function llcPrint(o: PrintOptions, out: Out, d: Uint8Array, at: number, length: number): void {
  if (d.length < at + 3) {
    out.p("[|llc]");
    return;
  }
  const dsap = d[at] as number;
  const ssap = d[at + 1] as number;
  const ctrl = d[at + 2] as number;
  const sap = (v: number): string => `${SAP_NAMES[v & 0xfe] ?? "Unknown"} (0x${hex2(v & 0xfe)})`;
  const stp = dsap === 0x42 && ssap === 0x42 && ctrl === 0x03;
  if (o.eflag || !stp) {
    out.p(
      `LLC, dsap ${sap(dsap)} ${dsap & 1 ? "Group" : "Individual"}, ssap ${sap(ssap)} ${ssap & 1 ? "Response" : "Command"}, ctrl 0x${hex2(ctrl)}: `,
    );
  }
  if (stp) stpPrint(o, out, d, at + 3, length - 3);
  else out.p(`length ${length}`);
}

/** stp_print (print-stp.c): a configuration or topology-change BPDU. */
function stpPrint(o: PrintOptions, out: Out, d: Uint8Array, at: number, length: number): void {
  if (d.length < at + 4 || u16(d, at) !== 0) {
    out.p(`unknown STP length ${length}`);
    return;
  }
  const version = d[at + 2] as number;
  const type = d[at + 3] as number;
  out.p(
    `STP ${version === 0 ? "802.1d" : version === 2 ? "802.1w" : version === 3 ? "802.1s" : `unknown version ${version}`}`,
  );
  if (type === 0x80) {
    out.p(`, Topology Change, length ${length}`);
    return;
  }
  if (type !== 0x00 || d.length < at + 35) {
    out.p(`, unknown type 0x${hex2(type)}, length ${length}`);
    return;
  }
  const flags = d[at + 4] as number;
  const fl = [flags & 0x01 ? "Topology change" : "", flags & 0x80 ? "Topology change ACK" : ""].filter(
    (x) => x,
  );
  const bridgeId = (p: number): string => `${u16(d, p).toString(16).padStart(4, "0")}.${mac(d, p + 2)}`;
  out.p(
    `, Config, Flags [${fl.length ? fl.join(", ") : "none"}], bridge-id ${bridgeId(at + 17)}.${u16(d, at + 25)
      .toString(16)
      .padStart(4, "0")}, length ${length}`,
  );
  if (o.vflag) {
    const t = (p: number): string => `${(u16(d, p) / 256).toFixed(2)}s`;
    out.p(
      `\n\tmessage-age ${t(at + 27)}, max-age ${t(at + 29)}, hello-time ${t(at + 31)}, forwarding-delay ${t(at + 33)}` +
        `\n\troot-id ${bridgeId(at + 5)}, root-pathcost ${u32(d, at + 13)}`,
    );
  }
}

class Out {
  s = "";
  p(t: string): void {
    this.s += t;
  }
}

function printEtherType(
  o: PrintOptions,
  st: PrintState,
  out: Out,
  type: number,
  d: Uint8Array,
  at: number,
  len: number,
  noPrefix: boolean,
): void {
  switch (type) {
    case 0x0800:
      if (!noPrefix) out.p("IP ");
      ipPrint(o, st, out, d, at, len);
      return;
    case 0x0806:
    case 0x8035:
      arpPrint(o, out, d, at, len, noPrefix, type === 0x8035);
      return;
    case 0x86dd:
      if (!noPrefix) out.p("IP6 ");
      ip6Print(o, st, out, d, at, len);
      return;
    case 0x8100:
    case 0x88a8: {
      // ether_common_print: the tag (and the type it carries) only with -e; without, the packet
      // inside prints as if untagged.
      const tci = u16(d, at);
      const inner = u16(d, at + 2);
      if (o.eflag) {
        out.p(`vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ", DEI" : ""}, `);
        out.p(`ethertype ${ETHERTYPES[inner] ?? "Unknown"} (0x${inner.toString(16).padStart(4, "0")}), `);
      }
      printEtherType(o, st, out, inner, d, at + 4, len - 4, o.eflag);
      return;
    }
    default:
      return;
  }
}

function arpPrint(
  o: PrintOptions,
  out: Out,
  d: Uint8Array,
  at: number,
  len: number,
  eflag: boolean,
  rarp: boolean,
): void {
  if (!eflag) out.p(rarp ? "RARP, " : "ARP, ");
  if (d.length < at + 8) {
    out.p("[|ARP]");
    return;
  }
  const hrd = u16(d, at);
  const pro = u16(d, at + 2);
  const hln = d[at + 4] as number;
  const pln = d[at + 5] as number;
  const op = u16(d, at + 6);
  if (pro !== 0x0800 || pln !== 4 || hln === 0 || o.vflag) {
    const hname = hrd === 1 ? "Ethernet" : hrd === 772 ? "Loopback" : `Unknown Hardware (${hrd})`;
    const pname = ETHERTYPES[pro] ?? `Unknown Protocol (0x${pro.toString(16).padStart(4, "0")})`;
    out.p(`${hname} (len ${hln}), ${pname} (len ${pln})`);
    if (pro !== 0x0800 || pln !== 4) {
      out.p(`, length ${len}`);
      return;
    }
    out.p(", ");
  }
  const sha = at + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  if (d.length < tpa + pln) {
    out.p("[|ARP]");
    return;
  }
  switch (op) {
    case 1:
      out.p(`Request who-has ${ipaddr(o, d, tpa)}`);
      if (d.subarray(tha, tha + hln).some((b) => b !== 0)) out.p(` (${mac(d, tha, hln)})`);
      out.p(` tell ${ipaddr(o, d, spa)}`);
      break;
    case 2:
      out.p(`Reply ${ipaddr(o, d, spa)} is-at ${mac(d, sha, hln)}`);
      break;
    case 3:
      out.p(`Reverse Request who-is ${mac(d, tha, hln)} tell ${mac(d, sha, hln)}`);
      break;
    case 4:
      out.p(`Reverse Reply ${mac(d, tha, hln)} at ${ipaddr(o, d, tpa)}`);
      break;
    default:
      out.p(`Unknown (${op})`);
  }
  out.p(`, length ${len}`);
}

function cksum(d: Uint8Array, from: number, to: number, init = 0): number {
  let sum = init;
  for (let i = from; i + 1 < to; i += 2) sum += u16(d, i);
  if ((to - from) & 1) sum += (d[to - 1] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** in_cksum_shouldbe: the checksum field that would have made the sum come out right. */
function shouldbe(field: number, sum: number): number {
  // `sum` is the folded sum over the data with the field in it; in_cksum returned its complement.
  let s = field + (~sum & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

function ipPrint(o: PrintOptions, st: PrintState, out: Out, d: Uint8Array, at: number, lenIn: number): void {
  if (d.length < at + 20) {
    out.p("[|ip]");
    return;
  }
  const vhl = d[at] as number;
  const hlen = (vhl & 0xf) * 4;
  if (vhl >> 4 !== 4) {
    out.p(`IP${vhl >> 4} `);
    return;
  }
  const tos = d[at + 1] as number;
  const totLen = u16(d, at + 2);
  const id = u16(d, at + 4);
  const off = u16(d, at + 6);
  const ttl = d[at + 8] as number;
  const proto = d[at + 9] as number;
  const len = Math.min(totLen, lenIn);
  if (o.vflag) {
    out.p(`(tos 0x${tos.toString(16)}`);
    if ((tos & 3) === 1) out.p(",ECT(1)");
    else if ((tos & 3) === 2) out.p(",ECT(0)");
    else if ((tos & 3) === 3) out.p(",CE");
    if (ttl) out.p(`, ttl ${ttl}`);
    const flags: string[] = [];
    if (off & 0x8000) flags.push("rsvd");
    if (off & 0x4000) flags.push("DF");
    if (off & 0x2000) flags.push("+");
    out.p(
      `, id ${id}, offset ${(off & 0x1fff) * 8}, flags [${flags.length ? flags.join(", ") : "none"}], ` +
        `proto ${IPPROTO_NAMES[proto] ?? "unknown"} (${proto}), length ${totLen}`,
    );
    if (hlen > 20) out.p(`, options (${ipOptions(d, at + 20, at + hlen)})`);
    if (d.length >= at + hlen) {
      const sum = cksum(d, at, at + hlen);
      if (sum !== 0xffff) {
        const field = u16(d, at + 10);
        out.p(`, bad cksum ${field.toString(16)} (->${shouldbe(field, sum).toString(16)})!`);
      }
    }
    out.p(")\n    ");
  }
  const src = ipaddr(o, d, at + 12);
  const dst = ipaddr(o, d, at + 16);
  const th = at + hlen;
  const plen = len - hlen;
  if (off & 0x1fff) {
    out.p(`${src} > ${dst}: ip-proto-${proto}`);
    return;
  }
  switch (proto) {
    case 1:
      out.p(`${src} > ${dst}: `);
      icmpPrint(o, st, out, d, th, plen);
      return;
    case 6:
      tcpPrint(o, st, out, d, th, plen, { src, dst, srcAt: at + 12, dstAt: at + 16, v6: false });
      return;
    case 17:
      udpPrint(
        o,
        out,
        d,
        th,
        plen,
        { src, dst, srcAt: at + 12, dstAt: at + 16, v6: false },
        (off & 0x3fff) !== 0,
      );
      return;
    case 2:
      out.p(`${src} > ${dst}: `);
      igmpPrint(o, out, d, th, plen);
      return;
    default:
      out.p(`${src} > ${dst}: `);
      out.p(
        IPPROTO_NAMES[proto] ? `${IPPROTO_NAMES[proto]?.toLowerCase()} ${plen}` : `ip-proto-${proto} ${plen}`,
      );
  }
}

function ipOptions(d: Uint8Array, from: number, to: number): string {
  const parts: string[] = [];
  let i = from;
  while (i < to) {
    const t = d[i] as number;
    if (t === 0) {
      parts.push("EOL");
      break;
    }
    if (t === 1) {
      parts.push("NOP");
      i++;
      continue;
    }
    const l = d[i + 1] ?? 0;
    if (l < 2) break;
    if (t === 148) {
      const v = u16(d, i + 2);
      parts.push(v ? `RA value ${v}` : "RA");
    } else parts.push(`unknown ${t}`);
    i += l;
  }
  return parts.join(",");
}

function port(o: PrintOptions, p: number, proto: "tcp" | "udp"): string {
  if (o.nflag === 0) {
    const name = getservbyport(p, proto);
    if (name) return name;
  }
  return String(p);
}

function udpPrint(
  o: PrintOptions,
  out: Out,
  d: Uint8Array,
  at: number,
  plen: number,
  a: TcpAddrs,
  fragmented: boolean,
): void {
  const { src, dst } = a;
  if (d.length < at + 8) {
    out.p(`${src} > ${dst}: [|udp]`);
    return;
  }
  const sport = u16(d, at);
  const dport = u16(d, at + 2);
  const ulen = u16(d, at + 4);
  out.p(`${src}.${port(o, sport, "udp")} > ${dst}.${port(o, dport, "udp")}: `);
  if (ulen < 8) {
    out.p(`UDP, bad length ${ulen} < 8`);
    return;
  }
  if (ulen > plen) {
    out.p(`UDP, bad length ${ulen} > ${plen}`);
    return;
  }
  // udp_print's checksum check: IPv4 with -vv (a zero field is "no cksum"), IPv6 with -v.
  if (o.vflag && !fragmented && (a.v6 || o.vflag > 1)) {
    const field = u16(d, at + 6);
    if (!a.v6 && field === 0) out.p("[no cksum] ");
    else if (d.length >= at + ulen) {
      let sum = cksum(d, a.srcAt, a.srcAt + (a.v6 ? 32 : 8));
      sum += 17 + (ulen >>> 16) + (ulen & 0xffff);
      sum = cksum(d, at, at + ulen, sum);
      if (sum !== 0xffff) out.p(`[bad udp cksum 0x${hex4(field)} -> 0x${hex4(shouldbe(field, sum))}!] `);
      else out.p("[udp sum ok] ");
    }
  }
  // domain_print (port 53) is decoded here only as far as a message too short for its header.
  if ((sport === 53 || dport === 53) && ulen - 8 < 12) {
    out.p(`domain [length ${ulen - 8} < 12] (invalid)`);
    return;
  }
  out.p(`UDP, length ${ulen - 8}`);
}

interface TcpAddrs {
  readonly src: string;
  readonly dst: string;
  readonly srcAt: number;
  readonly dstAt: number;
  readonly v6: boolean;
}

const TCP_OPTS: Readonly<Record<number, string>> = {
  0: "eol",
  1: "nop",
  2: "mss",
  3: "wscale",
  4: "sackOK",
  5: "sack",
  8: "TS",
  19: "md5",
  28: "uto",
  29: "tcp-ao",
  30: "mptcp",
  34: "tfo",
  254: "exp",
};

function tcpPrint(
  o: PrintOptions,
  st: PrintState,
  out: Out,
  d: Uint8Array,
  at: number,
  length: number,
  a: TcpAddrs,
): void {
  if (d.length < at + 4) {
    out.p(`${a.src} > ${a.dst}: [|tcp]`);
    return;
  }
  const sport = u16(d, at);
  const dport = u16(d, at + 2);
  out.p(`${a.src}.${port(o, sport, "tcp")} > ${a.dst}.${port(o, dport, "tcp")}: `);
  if (d.length < at + 20) {
    out.p("[|tcp]");
    return;
  }
  let hlen = ((d[at + 12] as number) >> 4) * 4;
  if (hlen < 20) {
    out.p(` tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  let seq = u32(d, at + 4);
  let ack = u32(d, at + 8);
  const win = u16(d, at + 14);
  const urp = u16(d, at + 18);
  if (o.qflag) {
    out.p(`tcp ${length - hlen}`);
    if (hlen > length) out.p(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  const flags = d[at + 13] as number;
  const names = ["F", "S", "R", "P", ".", "U", "E", "W"];
  let fl = "";
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) fl += names[i];
  out.p(`Flags [${fl || "none"}]`);
  let thseq = 0;
  let thack = 0;
  let rev = false;
  if (!o.Sflag && flags & 0x10) {
    // The conversation's initial sequence numbers, under one key for both directions.
    const s = d.subarray(a.srcAt, a.srcAt + (a.v6 ? 16 : 4));
    const t = d.subarray(a.dstAt, a.dstAt + (a.v6 ? 16 : 4));
    if (sport > dport) rev = true;
    else if (sport === dport) {
      for (let i = 0; i < s.length; i++) {
        if (s[i] !== t[i]) {
          rev = (s[i] as number) > (t[i] as number);
          break;
        }
      }
    }
    const key = rev ? `${[...t]}|${[...s]}|${dport}|${sport}` : `${[...s]}|${[...t]}|${sport}|${dport}`;
    let th = st.tcpSeq.get(key);
    if (!th || flags & 0x02) {
      th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
      st.tcpSeq.set(key, th);
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
    thseq = th.seq;
    thack = th.ack;
  }
  if (hlen > length) {
    out.p(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  if (o.vflag && d.length >= at + length) {
    // The pseudo-header (addresses, protocol, length) and the segment.
    let sum = cksum(d, a.srcAt, a.srcAt + (a.v6 ? 32 : 8));
    sum += 6 + (length >>> 16) + (length & 0xffff);
    sum = cksum(d, at, at + length, sum);
    const field = u16(d, at + 16);
    out.p(`, cksum 0x${field.toString(16).padStart(4, "0")}`);
    if (sum !== 0xffff) out.p(` (incorrect -> 0x${shouldbe(field, sum).toString(16).padStart(4, "0")})`);
    else out.p(" (correct)");
  }
  const dlen = length - hlen;
  if (o.vflag > 1 || dlen > 0 || flags & 0x07) {
    out.p(`, seq ${seq}`);
    if (dlen > 0) out.p(`:${(seq + dlen) >>> 0}`);
  }
  if (flags & 0x10) out.p(`, ack ${ack}`);
  out.p(`, win ${win}`);
  if (flags & 0x20) out.p(`, urg ${urp}`);
  if (hlen > 20) {
    hlen -= 20;
    let cp = at + 20;
    const opts: string[] = [];
    let bad = false;
    while (hlen > 0) {
      const opt = d[cp++] as number;
      let len: number;
      if (opt === 0 || opt === 1) len = 1;
      else {
        len = d[cp++] as number;
        if (len < 2 || len > hlen) {
          bad = true;
          break;
        }
        hlen--;
      }
      hlen--;
      let text = TCP_OPTS[opt] ?? `unknown-${opt}`;
      const datalen = len - 2;
      switch (opt) {
        case 2:
          text += ` ${u16(d, cp)}`;
          break;
        case 3:
          text += ` ${d[cp]}`;
          break;
        case 5: {
          text += ` ${datalen / 8} `;
          for (let i = 0; i < datalen; i += 8) {
            const b = (u32(d, cp + i) - (rev ? thseq : thack)) >>> 0;
            const e = (u32(d, cp + i + 4) - (rev ? thseq : thack)) >>> 0;
            text += `{${b}:${e}}`;
          }
          break;
        }
        case 8:
          text += ` val ${u32(d, cp)} ecr ${u32(d, cp + 4)}`;
          break;
        default:
          break;
      }
      opts.push(text);
      if (opt === 0 || opt === 1) continue;
      cp += datalen;
      hlen -= datalen;
      if (opt === 0) break;
    }
    out.p(`, options [${opts.join(",")}${bad ? "|bad opt" : ""}]`);
  }
  out.p(`, length ${dlen}`);
  // The payload's protocol, by port: only HTTP (80, 8080) is decoded here.
  if (dlen > 0 && (sport === 80 || dport === 80 || sport === 8080 || dport === 8080)) {
    out.p(": ");
    httpPrint(o, out, d.subarray(at + length - dlen, Math.min(d.length, at + length)));
  }
}

const HTTP_CMDS = new Set([
  "OPTIONS",
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "TRACE",
  "CONNECT",
  "PROPFIND",
  "PROPPATCH",
  "COPY",
  "MOVE",
  "MKCOL",
  "LOCK",
  "UNLOCK",
  "SEARCH",
]);

/**
 * http_print (txtproto_print): "HTTP", and for a request or a response (a method first, or a
 * three-digit code second) its first line, or with -v every line.
 */
function httpPrint(o: PrintOptions, out: Out, p: Uint8Array): void {
  const text = Array.from(p, (c) => String.fromCharCode(c)).join("");
  const tokens = text.split(/[ \r\n]/, 2);
  const reqresp = HTTP_CMDS.has((tokens[0] ?? "").toUpperCase()) || /^\d{3}$/.test(tokens[1] ?? "");
  out.p("HTTP");
  if (!reqresp) return;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const printable = (l: string): string => l.replace(/[^\x20-\x7e\t]/g, ".");
  if (o.vflag) {
    out.p(`, length: ${p.length}`);
    for (const l of lines) out.p(`\n\t${printable(l)}`);
  } else out.p(`: ${printable(lines[0] ?? "")}`);
}

function icmpPrint(o: PrintOptions, st: PrintState, out: Out, d: Uint8Array, at: number, plen: number): void {
  if (d.length < at + 4) {
    out.p("[|icmp]");
    return;
  }
  const type = d[at] as number;
  const code = d[at + 1] as number;
  const inner = at + 8;
  const innerDst = (): string => ipaddr(o, d, inner + 16);
  let str: string;
  switch (type) {
    case 0:
    case 8:
      str = `echo ${type === 8 ? "request" : "reply"}, id ${u16(d, at + 4)}, seq ${u16(d, at + 6)}`;
      break;
    case 3:
      switch (code) {
        case 0:
          str = `net ${innerDst()} unreachable`;
          break;
        case 1:
          str = `host ${innerDst()} unreachable`;
          break;
        case 2:
          str = `${innerDst()} protocol ${d[inner + 9]} unreachable`;
          break;
        case 3: {
          const ihl = ((d[inner] as number) & 0xf) * 4;
          const dp = u16(d, inner + ihl + 2);
          const p = d[inner + 9];
          str =
            p === 6
              ? `${innerDst()} tcp port ${port(o, dp, "tcp")} unreachable`
              : p === 17
                ? `${innerDst()} udp port ${port(o, dp, "udp")} unreachable`
                : `${innerDst()} protocol ${p} port ${dp} unreachable`;
          break;
        }
        case 4: {
          const mtu = u16(d, at + 6);
          str = mtu
            ? `${innerDst()} unreachable - need to frag (mtu ${mtu})`
            : `${innerDst()} unreachable - need to frag`;
          break;
        }
        case 5:
          str = `${innerDst()} unreachable - source route failed`;
          break;
        case 6:
          str = `net ${innerDst()} unreachable - unknown`;
          break;
        case 7:
          str = `host ${innerDst()} unreachable - unknown`;
          break;
        case 9:
          str = `net ${innerDst()} unreachable - admin prohibited`;
          break;
        case 10:
          str = `host ${innerDst()} unreachable - admin prohibited`;
          break;
        case 13:
          str = `host ${innerDst()} unreachable - admin prohibited filter`;
          break;
        default:
          str = `${innerDst()} unreachable - #${code}`;
      }
      break;
    case 5: {
      const kinds = [
        "redirect %s to net %g",
        "redirect %s to host %g",
        "redirect-tos %s to net %g",
        "redirect-tos %s to host %g",
      ];
      const f = kinds[code] ?? `redirect-#${code} %s to %g`;
      str = f.replace("%s", innerDst()).replace("%g", ipaddr(o, d, at + 4));
      break;
    }
    case 11:
      str =
        code === 0
          ? "time exceeded in-transit"
          : code === 1
            ? "ip reassembly time exceeded"
            : `time exceeded-#${code}`;
      break;
    case 12:
      str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${d[at + 4]}`;
      break;
    case 4:
      str = "source quench";
      break;
    case 13:
      str = `time stamp query id ${u16(d, at + 4)} seq ${u16(d, at + 6)}`;
      break;
    default:
      str = `type-#${type}`;
  }
  out.p(`ICMP ${str}, length ${plen}`);
  if (o.vflag && d.length >= at + plen) {
    const sum = cksum(d, at, at + plen);
    if (sum !== 0xffff) {
      const field = u16(d, at + 2);
      out.p(` (wrong icmp cksum ${field.toString(16)} (->${shouldbe(field, sum).toString(16)})!)`);
    }
  }
  // The quoted datagram of an error, printed as a packet of its own.
  if (
    o.vflag &&
    (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) &&
    d.length >= inner + 20
  ) {
    // ip_print names the protocol itself unless -e printed the link level.
    out.p(o.eflag ? "\n\t" : "\n\tIP ");
    ipPrint(
      o,
      st,
      out,
      d.subarray(0, Math.min(d.length, inner + u16(d, inner + 2))),
      inner,
      u16(d, inner + 2),
    );
  }
}

const IGMPV3_REC: Readonly<Record<number, string>> = {
  1: "is_in",
  2: "is_ex",
  3: "to_in",
  4: "to_ex",
  5: "allow",
  6: "block",
};

function igmpPrint(o: PrintOptions, out: Out, d: Uint8Array, at: number, len: number): void {
  if (o.qflag) {
    out.p("igmp");
    return;
  }
  const type = d[at] as number;
  switch (type) {
    case 0x11: {
      out.p("igmp query");
      const mrc = d[at + 1] as number;
      if (len >= 12) {
        out.p(" v3");
        const mrt = mrc < 128 ? mrc : ((mrc & 0xf) | 0x10) << (((mrc >> 4) & 7) + 3);
        if (mrt !== 100) out.p(` [max resp time ${mrt / 10}s]`);
        const g = u32(d, at + 4);
        if (g) out.p(` [gaddr ${ipaddr(o, d, at + 4)}`);
        const n = u16(d, at + 10);
        if (g) out.p(n ? ` ${n} source(s)]` : "]");
      } else {
        out.p(mrc === 0 ? " v1" : " v2");
        if (mrc && mrc !== 100) out.p(` [max resp time ${mrc}]`);
        if (u32(d, at + 4)) out.p(` [gaddr ${ipaddr(o, d, at + 4)}]`);
        if (len !== 8) out.p(` [len ${len}]`);
      }
      break;
    }
    case 0x12:
      out.p(`igmp v1 report ${ipaddr(o, d, at + 4)}`);
      break;
    case 0x16:
      out.p(`igmp v2 report ${ipaddr(o, d, at + 4)}`);
      break;
    case 0x17:
      out.p(`igmp leave ${ipaddr(o, d, at + 4)}`);
      break;
    case 0x22: {
      const n = u16(d, at + 6);
      out.p(`igmp v3 report, ${n} group record(s)`);
      if (o.vflag) {
        let p = at + 8;
        for (let i = 0; i < n && p + 8 <= d.length; i++) {
          const rt = d[p] as number;
          const aux = (d[p + 1] as number) * 4;
          const ns = u16(d, p + 2);
          out.p(` [gaddr ${ipaddr(o, d, p + 4)} ${IGMPV3_REC[rt] ?? ` [v3-report-#${rt}]`}, ${ns} source(s)`);
          if (o.vflag > 1 && ns) {
            out.p(" {");
            for (let k = 0; k < ns; k++) out.p(` ${ipaddr(o, d, p + 8 + 4 * k)}`);
            out.p(" }");
          }
          out.p("]");
          p += 8 + 4 * ns + aux;
        }
      }
      break;
    }
    default:
      out.p(`igmp-${type.toString(16)}`);
  }
  if (o.vflag && d.length >= at + len) {
    const sum = cksum(d, at, at + len);
    if (sum !== 0xffff) out.p(` bad igmp cksum ${u16(d, at + 2).toString(16)}!`);
  }
}

function ip6Addr(d: Uint8Array, at: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(u16(d, at + 2 * i));
  // The longest run of zero words (two or more) becomes "::" (inet_ntop).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = (x: number[]): string => x.map((v) => v.toString(16)).join(":");
  if (best < 0) return h(w);
  return `${h(w.slice(0, best))}::${h(w.slice(best + bestLen))}`;
}

function ip6Print(o: PrintOptions, st: PrintState, out: Out, d: Uint8Array, at: number, _len: number): void {
  if (d.length < at + 40) {
    out.p("[|ip6]");
    return;
  }
  const plen = u16(d, at + 4);
  let nh = d[at + 6] as number;
  const hlim = d[at + 7] as number;
  if (o.vflag) {
    const flow = u32(d, at);
    out.p("(");
    if (flow & 0x0ff00000) out.p(`class 0x${hex2((flow >>> 20) & 0xff)}, `);
    if (flow & 0xfffff) out.p(`flowlabel 0x${(flow & 0xfffff).toString(16).padStart(5, "0")}, `);
    out.p(`hlim ${hlim}, next-header ${IPPROTO_NAMES[nh] ?? "unknown"} (${nh}) payload length: ${plen}) `);
  }
  const src = ip6Addr(d, at + 8);
  const dst = ip6Addr(d, at + 24);
  let th = at + 40;
  let rest = plen;
  // A hop-by-hop options header (MLD's router alert) comes first: "HBH", with -v its options.
  if (nh === 0 && d.length >= th + 2) {
    const hlen = ((d[th + 1] as number) + 1) * 8;
    out.p(`${src} > ${dst}: HBH `);
    if (o.vflag) {
      let i = th + 2;
      while (i < th + hlen && i < d.length) {
        const t = d[i] as number;
        if (t === 0) {
          out.p("(pad1) ");
          i++;
          continue;
        }
        const l = d[i + 1] ?? 0;
        if (t === 1) out.p("(padn) ");
        else if (t === 5)
          out.p(
            `(rtalert: 0x${u16(d, i + 2)
              .toString(16)
              .padStart(4, "0")}) `,
          );
        else out.p(`(opt_type 0x${hex2(t)}: len=${l}) `);
        i += 2 + l;
      }
    }
    nh = d[th] as number;
    th += hlen;
    rest -= hlen;
    if (nh === 58) {
      icmp6Print(o, out, d, th, rest, at);
      return;
    }
  }
  switch (nh) {
    case 6:
      tcpPrint(o, st, out, d, th, rest, { src, dst, srcAt: at + 8, dstAt: at + 24, v6: true });
      return;
    case 17:
      udpPrint(o, out, d, th, rest, { src, dst, srcAt: at + 8, dstAt: at + 24, v6: true }, false);
      return;
    case 58:
      out.p(`${src} > ${dst}: `);
      icmp6Print(o, out, d, th, rest, at);
      return;
    default:
      out.p(`${src} > ${dst}: ip-proto-${nh} ${rest}`);
  }
}

const ICMP6_NAMES: Readonly<Record<number, string>> = {
  1: "destination unreachable",
  2: "packet too big",
  3: "time exceeded",
  4: "parameter problem",
  128: "echo request",
  129: "echo reply",
  130: "multicast listener query",
  131: "multicast listener report",
  132: "multicast listener done",
  133: "router solicitation",
  134: "router advertisement",
  135: "neighbor solicitation",
  136: "neighbor advertisement",
  137: "redirect",
  143: "multicast listener report v2",
};

const ICMP6_OPT_NAMES: Readonly<Record<number, string>> = {
  1: "source link-address",
  2: "destination link-address",
  3: "prefix info",
  4: "redirected header",
  5: "mtu",
};

/** The pseudo-header sum (RFC 8200 8.1) plus the ICMPv6 message: 0xffff when the checksum is right. */
function icmp6Sum(d: Uint8Array, ip6: number, at: number, len: number): number {
  let sum = cksum(d, ip6 + 8, ip6 + 40);
  sum += (len >>> 16) + (len & 0xffff) + 58;
  return cksum(d, at, at + len, sum);
}

/** icmp6_print (print-icmp6.c), for the messages a link's own traffic is made of. */
function icmp6Print(o: PrintOptions, out: Out, d: Uint8Array, at: number, len: number, ip6: number): void {
  if (d.length < at + 4) {
    out.p("[|icmp6]");
    return;
  }
  const type = d[at] as number;
  const code = d[at + 1] as number;
  if (o.vflag && d.length >= at + len) {
    const sum = icmp6Sum(d, ip6, at, len);
    const field = u16(d, at + 2);
    if (sum === 0xffff) out.p("[icmp6 sum ok] ");
    else
      out.p(
        `[bad icmp6 cksum 0x${field.toString(16).padStart(4, "0")} -> 0x${shouldbe(field, sum).toString(16).padStart(4, "0")}!] `,
      );
  }
  const name = ICMP6_NAMES[type];
  out.p(`ICMP6, ${name ?? `type-#${type}`}`);
  let showLen = true;
  switch (type) {
    case 1: {
      const codes = [
        "unreachable route",
        "unreachable prohibited",
        "beyond scope",
        "unreachable address",
        "unreachable port",
      ];
      out.p(`, ${codes[code] ?? `unknown unreach code (${code})`}`);
      const inner = at + 8;
      if (d.length >= inner + 40) {
        const idst = ip6Addr(d, inner + 24);
        if (code === 4) {
          const p = d[inner + 6];
          const dp = u16(d, inner + 40 + 2);
          if (p === 6) out.p(`, ${idst} tcp port ${port(o, dp, "tcp")}`);
          else if (p === 17) out.p(`, ${idst} udp port ${port(o, dp, "udp")}`);
          else out.p(`, ${idst} protocol ${p} port ${dp} unreachable`);
        } else if (code === 2) out.p(` ${idst}, source address ${ip6Addr(d, inner + 8)}`);
        else out.p(` ${idst}`);
      }
      showLen = !o.vflag;
      break;
    }
    case 2:
      out.p(`, mtu ${u32(d, at + 4)}`);
      showLen = !o.vflag;
      break;
    case 128:
    case 129:
      out.p(`, id ${u16(d, at + 4)}, seq ${u16(d, at + 6)}`);
      showLen = !o.vflag;
      break;
    case 133:
    case 134:
    case 135:
    case 136: {
      if (o.vflag) out.p(`, length ${len}`);
      let opts = at + (type === 133 ? 8 : type === 134 ? 16 : 24);
      if (type === 135) out.p(`, who has ${ip6Addr(d, at + 8)}`);
      if (type === 136) {
        out.p(`, tgt is ${ip6Addr(d, at + 8)}`);
        if (o.vflag) {
          const f = d[at + 4] as number;
          const fl = [
            f & 0x80 ? "router" : "",
            f & 0x40 ? "solicited" : "",
            f & 0x20 ? "override" : "",
          ].filter((x) => x);
          out.p(`, Flags [${fl.length ? fl.join(", ") : "none"}]`);
        }
      }
      if (o.vflag) {
        while (opts + 2 <= at + len && opts + 2 <= d.length) {
          const t = d[opts] as number;
          const l = d[opts + 1] as number;
          if (l === 0) break;
          out.p(`\n\t  ${ICMP6_OPT_NAMES[t] ?? "unknown"} option (${t}), length ${l * 8} (${l}): `);
          if (t === 1 || t === 2) out.p(mac(d, opts + 2, Math.min(6, l * 8 - 2)));
          else if (t === 5) out.p(`${u32(d, opts + 4)}`);
          else out.p(hexOnly(d.subarray(opts + 2, opts + l * 8)).replace(/\n\t/g, "\n\t  "));
          opts += l * 8;
        }
      }
      showLen = !o.vflag;
      break;
    }
    case 143: {
      const n = u16(d, at + 6);
      out.p(`, ${n} group record(s)`);
      if (o.vflag) {
        let p = at + 8;
        for (let i = 0; i < n && p + 20 <= d.length; i++) {
          const rt = d[p] as number;
          const aux = (d[p + 1] as number) * 4;
          const ns = u16(d, p + 2);
          out.p(` [gaddr ${ip6Addr(d, p + 4)} ${IGMPV3_REC[rt] ?? `[v2-report-#${rt}]`}, ${ns} source(s)]`);
          p += 20 + 16 * ns + aux;
        }
      }
      showLen = !o.vflag;
      break;
    }
    default:
      break;
  }
  if (showLen) out.p(`, length ${len}`);
}

/** hex_print_with_offset: "\n\t0x0000:  4500 0054 ...", 16 bytes a line. */
export function hexOnly(d: Uint8Array): string {
  let s = "";
  for (let i = 0; i < d.length; i += 16) {
    s += `\n\t0x${i.toString(16).padStart(4, "0")}: `;
    for (let j = i; j < Math.min(i + 16, d.length); j += 2) {
      s +=
        j + 1 < d.length ? ` ${hex2(d[j] as number)}${hex2(d[j + 1] as number)}` : ` ${hex2(d[j] as number)}`;
    }
  }
  return s;
}

/** hex_and_ascii_print: the hex, padded to 40 columns, two spaces, then the printable bytes. */
export function hexAndAscii(d: Uint8Array): string {
  let s = "";
  for (let i = 0; i < d.length; i += 16) {
    let hex = "";
    let asc = "";
    for (let j = i; j < Math.min(i + 16, d.length); j += 2) {
      hex +=
        j + 1 < d.length ? ` ${hex2(d[j] as number)}${hex2(d[j + 1] as number)}` : ` ${hex2(d[j] as number)}`;
    }
    for (let j = i; j < Math.min(i + 16, d.length); j++) {
      const c = d[j] as number;
      asc += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
    }
    s += `\n\t0x${i.toString(16).padStart(4, "0")}: ${hex.padEnd(40)}  ${asc}`;
  }
  return s;
}

/** ascii_print (-A): a newline, then the bytes, unprintable ones as '.', a CR before LF dropped. */
export function asciiOnly(d: Uint8Array): string {
  let s = "\n";
  for (let i = 0; i < d.length; i++) {
    const c = d[i] as number;
    if (c === 0x0d) {
      if (i + 1 >= d.length || d[i + 1] !== 0x0a) s += ".";
    } else if ((c > 0x20 && c < 0x7f) || c === 0x09 || c === 0x20 || c === 0x0a) s += String.fromCharCode(c);
    else s += ".";
  }
  return s;
}
