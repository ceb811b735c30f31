// ip/iprule.c: `ip rule [list|add|del|flush]` (iprule_modify, iprule_list_flush_or_save, print_rule,
// filter_nlmsg, flush_rule).

import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  FIB_RULE_IIF_DETACHED,
  FIB_RULE_INVERT,
  FIB_RULE_OIF_DETACHED,
  FIB_RULE_UNRESOLVED,
  type FibRulePortRange,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_TO_TBL,
  FR_ACT_UNSPEC,
  RT_TABLE_MAIN,
  RT_TABLE_UNSPEC,
  RTN_NAT,
  RTPROT_KERNEL,
  type RtRule,
  type RtRuleReq,
} from "../../kernel/syscalls.js";
import { talkEcho, withEcho } from "./ipmonitor.js";
import {
  AF_UNSPEC,
  Args,
  afBitLen,
  checkIfname,
  eprint,
  formatAddr,
  getAddr,
  getInteger,
  getPrefix,
  getU32,
  type InetPrefix,
  type IpContext,
  IpExit,
  invarg,
  matches,
  prefixBytes,
  rtntypeA2n,
  rtntypeN2a,
  rtprotA2n,
  rtprotN2a,
  rttableA2n,
  rttableN2a,
  talk,
  talkError,
} from "./utils.js";

const USAGE = `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
`;

function usage(ctx: IpContext): never {
  eprint(ctx, USAGE);
  throw new IpExit(-1);
}

// /etc/protocols on the reference system, as getprotobyname/getprotobynumber read it.
const PROTOCOLS: readonly (readonly [string, number])[] = [
  ["ip", 0],
  ["hopopt", 0],
  ["icmp", 1],
  ["igmp", 2],
  ["ggp", 3],
  ["ipencap", 4],
  ["st", 5],
  ["tcp", 6],
  ["egp", 8],
  ["igp", 9],
  ["pup", 12],
  ["udp", 17],
  ["hmp", 20],
  ["xns-idp", 22],
  ["rdp", 27],
  ["iso-tp4", 29],
  ["dccp", 33],
  ["xtp", 36],
  ["ddp", 37],
  ["idpr-cmtp", 38],
  ["ipv6", 41],
  ["ipv6-route", 43],
  ["ipv6-frag", 44],
  ["idrp", 45],
  ["rsvp", 46],
  ["gre", 47],
  ["esp", 50],
  ["ah", 51],
  ["skip", 57],
  ["ipv6-icmp", 58],
  ["ipv6-nonxt", 59],
  ["ipv6-opts", 60],
  ["rspf", 73],
  ["vmtp", 81],
  ["eigrp", 88],
  ["ospf", 89],
  ["ax.25", 93],
  ["ipip", 94],
  ["etherip", 97],
  ["encap", 98],
  ["pim", 103],
  ["ipcomp", 108],
  ["vrrp", 112],
  ["l2tp", 115],
  ["isis", 124],
  ["sctp", 132],
  ["fc", 133],
  ["mobility-header", 135],
  ["udplite", 136],
  ["mpls-in-ip", 137],
  ["manet", 138],
  ["hip", 139],
  ["shim6", 140],
  ["wesp", 141],
  ["rohc", 142],
  ["ethernet", 143],
];

/** inet_proto_a2n(): a decimal byte, or a name from /etc/protocols; -1 when neither. */
export function inetProtoA2n(arg: string): number {
  if (/^[0-9]+$/.test(arg) && Number(arg) <= 255) return Number(arg);
  return PROTOCOLS.find(([name]) => name === arg)?.[1] ?? -1;
}

/** inet_proto_n2a() */
function inetProtoN2a(proto: number): string {
  return PROTOCOLS.find(([, n]) => n === proto)?.[0] ?? `ipproto-${proto}`;
}

// /etc/iproute2/rt_dsfield on the reference system.
const DSFIELDS: readonly (readonly [number, string])[] = [
  [0x0, "default"],
  [0x28, "AF11"],
  [0x30, "AF12"],
  [0x38, "AF13"],
  [0x48, "AF21"],
  [0x50, "AF22"],
  [0x58, "AF23"],
  [0x68, "AF31"],
  [0x70, "AF32"],
  [0x78, "AF33"],
  [0x88, "AF41"],
  [0x90, "AF42"],
  [0x98, "AF43"],
  [0x20, "CS1"],
  [0x40, "CS2"],
  [0x60, "CS3"],
  [0x80, "CS4"],
  [0xa0, "CS5"],
  [0xc0, "CS6"],
  [0xe0, "CS7"],
  [0xb8, "EF"],
];

/** rtnl_dsfield_a2n(): a name, or hexadecimal (strtoul base 16) up to 255. */
function dsfieldA2n(arg: string): number | undefined {
  const named = DSFIELDS.find(([, name]) => name === arg);
  if (named) return named[0];
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX])?([0-9a-fA-F]+)$/.exec(arg);
  if (!m) return undefined;
  let v = Number.parseInt(m[2] as string, 16);
  if (m[1] === "-") v = -v;
  if (v < 0 || v > 255) return undefined;
  return v;
}

/** rtnl_dsfield_n2a() */
function dsfieldN2a(id: number): string {
  return DSFIELDS.find(([n]) => n === id)?.[1] ?? `0x${id.toString(16).padStart(2, "0")}`;
}

/** rtnl_group_a2n() with Debian's /etc/iproute2/group ("0 default"). */
function groupA2n(arg: string): number | undefined {
  if (arg === "default") return 0;
  const v = getInteger(arg);
  return v === undefined || v < 0 ? undefined : v;
}

function groupN2a(id: number): string {
  return id === 0 ? "default" : String(id);
}

/** %#llx */
function hex0x(v: number): string {
  return v ? `0x${v.toString(16)}` : "0";
}

/** sscanf("%u-%u"): two numbers, whatever follows. */
function scanUidRange(arg: string): sys.FibRuleUidRange | undefined {
  const m = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(arg);
  if (!m) return undefined;
  return {
    start: Number(BigInt.asUintN(32, BigInt(m[1] as string))),
    end: Number(BigInt.asUintN(32, BigInt(m[2] as string))),
  };
}

/** sscanf("%hu-%hu"): one port, or a range. */
function scanPortRange(arg: string): FibRulePortRange | undefined {
  const m = /^\s*([+-]?\d+)(?:-\s*([+-]?\d+))?/.exec(arg);
  if (!m) return undefined;
  const start = Number(BigInt.asUintN(16, BigInt(m[1] as string)));
  const end = m[2] !== undefined ? Number(BigInt.asUintN(16, BigInt(m[2]))) : start;
  return { start, end };
}

/** The `filter` of iprule.c. */
interface RuleFilter {
  not: boolean;
  iif: string | undefined;
  oif: string | undefined;
  uidrange: sys.FibRuleUidRange | undefined;
  tb: number;
  tos: number | undefined;
  pref: number | undefined;
  fwmark: number;
  fwmask: number;
  src: InetPrefix | undefined;
  dst: InetPrefix | undefined;
  protocol: number;
  protocolmask: number;
  sport: FibRulePortRange | undefined;
  dport: FibRulePortRange | undefined;
  ipproto: number;
  l3mdev: boolean;
}

function newFilter(): RuleFilter {
  return {
    not: false,
    iif: undefined,
    oif: undefined,
    uidrange: undefined,
    tb: 0,
    tos: undefined,
    pref: undefined,
    fwmark: 0,
    fwmask: 0,
    src: undefined,
    dst: undefined,
    protocol: 0,
    protocolmask: 0,
    sport: undefined,
    dport: undefined,
    ipproto: 0,
    l3mdev: false,
  };
}

/** inet_addr_match_rta(): the first `m.bitlen` bits of the attribute agree with the filter. */
function addrMatches(m: InetPrefix, addr: Uint8Array | undefined): boolean {
  if (!addr || m.family === AF_UNSPEC || m.bitlen <= 0) return true;
  for (let i = 0; i < m.bitlen; i++) {
    const mask = 0x80 >> (i & 7);
    if (((addr[i >> 3] ?? 0) & mask) !== ((m.data[i >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

/** filter_nlmsg() */
function filterRule(ctx: IpContext, r: RtRule, f: RuleFilter): boolean {
  if (ctx.preferredFamily !== AF_UNSPEC && r.family !== ctx.preferredFamily) return false;
  if (f.pref !== undefined && f.pref !== (r.priority ?? 0)) return false;
  if (f.not && !(r.flags & FIB_RULE_INVERT)) return false;
  if (f.src?.family) {
    if (f.src.family !== r.family || f.src.bitlen > r.srcLen) return false;
    if (!addrMatches(f.src, r.src)) return false;
  }
  if (f.dst?.family) {
    if (f.dst.family !== r.family || f.dst.bitlen > r.dstLen) return false;
    if (!addrMatches(f.dst, r.dst)) return false;
  }
  if (f.tos !== undefined && f.tos !== r.tos) return false;
  if (f.fwmark && f.fwmark !== (r.fwmark ?? 0)) return false;
  if (f.fwmask && f.fwmask !== (r.fwmask ?? 0)) return false;
  if (f.iif !== undefined && f.iif !== r.iifname) return false;
  if (f.oif !== undefined && f.oif !== r.oifname) return false;
  if (f.l3mdev && !r.l3mdev) return false;
  if (
    f.uidrange &&
    (!r.uidRange || r.uidRange.start !== f.uidrange.start || r.uidRange.end !== f.uidrange.end)
  )
    return false;
  if (f.ipproto && f.ipproto !== (r.ipProto ?? 0)) return false;
  if (f.sport?.start) {
    if (!r.sportRange || r.sportRange.start !== f.sport.start || r.sportRange.end !== f.sport.end)
      return false;
  }
  if (f.dport?.start) {
    if (!r.dportRange || r.dportRange.start !== f.dport.start || r.dportRange.end !== f.dport.end)
      return false;
  }
  if (f.tb > 0 && f.tb !== r.tableAttr) return false;
  return true;
}

function printPortRange(ctx: IpContext, name: string, r: FibRulePortRange): void {
  const out = ctx.out;
  if (r.start === r.end) {
    out.any(name, ` ${name} ${r.start}`, r.start);
  } else {
    out.any(`${name}_start`, ` ${name} ${r.start}`, r.start);
    out.any(`${name}_end`, `-${r.end}`, r.end);
  }
}

/** print_rule() */
/** print_rule() as ip monitor calls it, after `head`. */
export function printRuleEvent(ctx: IpContext, r: RtRule, head: string): void {
  ctx.out.fp(head);
  printRule(ctx, r);
}

function printRule(ctx: IpContext, r: RtRule): void {
  const out = ctx.out;
  const hostLen = afBitLen(r.family);
  out.openObject();
  const prio = r.priority ?? 0;
  out.any("priority", `${prio}:\t`, prio);
  if (r.flags & FIB_RULE_INVERT) out.any("not", "not ", null);
  if (r.src) {
    const src = formatAddr(r.family, r.src);
    out.fp("from ");
    out.any("src", src, src);
    if (r.srcLen !== hostLen) out.any("srclen", `/${r.srcLen}`, r.srcLen);
  } else if (r.srcLen) {
    out.any("src", "from 0", "0");
    out.any("srclen", `/${r.srcLen}`, r.srcLen);
  } else {
    out.any("src", "from all", "all");
  }
  if (r.dst) {
    const dst = formatAddr(r.family, r.dst);
    out.fp(" to ");
    out.any("dst", dst, dst);
    if (r.dstLen !== hostLen) out.any("dstlen", `/${r.dstLen}`, r.dstLen);
  } else if (r.dstLen) {
    out.any("dst", " to 0", "0");
    out.any("dstlen", `/${r.dstLen}`, r.dstLen);
  }
  if (r.tos) {
    const tos = dsfieldN2a(r.tos);
    out.any("tos", ` tos ${tos}`, tos);
  }
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    const mark = hex0x(r.fwmark ?? 0);
    out.any("fwmark", ` fwmark ${mark}`, mark);
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) {
      const mask = hex0x(r.fwmask);
      out.any("fwmask", `/${mask}`, mask);
    }
  }
  if (r.iifname !== undefined) {
    out.fp(" iif ");
    out.any("iif", r.iifname, r.iifname);
    if (r.flags & FIB_RULE_IIF_DETACHED) out.any("iif_detached", " [detached]", null);
  }
  if (r.oifname !== undefined) {
    out.fp(" oif ");
    out.any("oif", r.oifname, r.oifname);
    if (r.flags & FIB_RULE_OIF_DETACHED) out.any("oif_detached", " [detached]", null);
  }
  if (r.l3mdev) out.any("l3mdev", " lookup [l3mdev-table]", null);
  if (r.uidRange) {
    out.any("uid_start", ` uidrange ${r.uidRange.start}`, r.uidRange.start);
    out.any("uid_end", `-${r.uidRange.end}`, r.uidRange.end);
  }
  if (r.ipProto !== undefined) {
    const p = inetProtoN2a(r.ipProto);
    out.any("ipproto", ` ipproto ${p}`, p);
  }
  if (r.sportRange) printPortRange(ctx, "sport", r.sportRange);
  if (r.dportRange) printPortRange(ctx, "dport", r.dportRange);
  const table = r.tableAttr;
  if (table) {
    const t = rttableN2a(table);
    out.any("table", ` lookup ${t}`, t);
    if (r.suppressPrefixlen !== -1)
      out.any("suppress_prefixlen", ` suppress_prefixlength ${r.suppressPrefixlen}`, r.suppressPrefixlen);
    if (r.suppressIfgroup !== undefined && r.suppressIfgroup !== -1) {
      const g = groupN2a(r.suppressIfgroup);
      out.any("suppress_ifgroup", ` suppress_ifgroup ${g}`, g);
    }
  }
  if (r.action === RTN_NAT) {
    out.any("masquerade", " masquerade", null);
  } else if (r.action === FR_ACT_GOTO) {
    if (r.goto !== undefined) out.any("goto", ` goto ${r.goto}`, r.goto);
    else out.any("goto", " goto none", "none");
    if (r.flags & FIB_RULE_UNRESOLVED) out.any("unresolved", " [unresolved]", null);
  } else if (r.action === FR_ACT_NOP) {
    out.any("nop", " nop", null);
  } else if (r.action !== FR_ACT_TO_TBL) {
    const a = rtntypeN2a(r.action);
    out.any("action", ` ${a}`, a);
  }
  if ((r.protocol && r.protocol !== RTPROT_KERNEL) || ctx.details > 0) {
    const p = rtprotN2a(r.protocol);
    out.any("protocol", ` proto ${p}`, p);
  }
  out.fp("\n");
  out.closeObject();
}

/** flush_rule(): the dumped rule sent back as RTM_DELRULE. */
function ruleToDelete(r: RtRule): RtRuleReq {
  return {
    kind: "RTM_DELRULE",
    nlFlags: {},
    family: r.family,
    dstLen: r.dstLen,
    srcLen: r.srcLen,
    tos: r.tos,
    table: r.table,
    action: r.action,
    flags: r.flags,
    tableAttr: r.tableAttr,
    suppressPrefixlen: r.suppressPrefixlen,
    protocol: r.protocol,
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
    ...(r.src ? { src: r.src } : {}),
    ...(r.dst ? { dst: r.dst } : {}),
    ...(r.iifname !== undefined ? { iifname: r.iifname } : {}),
    ...(r.oifname !== undefined ? { oifname: r.oifname } : {}),
    ...(r.fwmark !== undefined ? { fwmark: r.fwmark } : {}),
    ...(r.fwmask !== undefined ? { fwmask: r.fwmask } : {}),
    ...(r.goto !== undefined ? { goto: r.goto } : {}),
    ...(r.uidRange ? { uidRange: r.uidRange } : {}),
    ...(r.ipProto !== undefined ? { ipProto: r.ipProto } : {}),
    ...(r.sportRange ? { sportRange: r.sportRange } : {}),
    ...(r.dportRange ? { dportRange: r.dportRange } : {}),
    ...(r.suppressIfgroup !== undefined ? { suppressIfgroup: r.suppressIfgroup } : {}),
    ...(r.l3mdev !== undefined ? { l3mdev: r.l3mdev } : {}),
  };
}

function iproutListFlush(ctx: IpContext, argv: readonly string[], action: "list" | "flush" | "save"): number {
  let af = ctx.preferredFamily;
  if (af === AF_UNSPEC) af = AF_INET;
  if (action === "save") {
    if (argv.length > 0) {
      eprint(ctx, '"ip rule save" does not take any arguments.\n');
      return -1;
    }
    eprint(ctx, "ip rule save: the binary dump format is not emulated in netnest.\n");
    return -1;
  }
  const f = newFilter();
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
      const v = args.next(ctx);
      const pref = getU32(v);
      if (pref === undefined) invarg(ctx, "preference value is invalid\n", v);
      f.pref = pref;
    } else if (a === "not") {
      f.not = true;
    } else if (a === "tos" || a === "dsfield") {
      const v = args.next(ctx);
      const tos = dsfieldA2n(v);
      if (tos === undefined) invarg(ctx, "TOS value is invalid\n", v);
      f.tos = tos;
    } else if (a === "fwmark") {
      const v = args.next(ctx);
      const slash = v.indexOf("/");
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getU32(markText);
      if (mark === undefined) invarg(ctx, "fwmark value is invalid\n", markText);
      f.fwmark = mark;
      if (slash >= 0) {
        const mask = getU32(v.slice(slash + 1));
        if (mask === undefined) invarg(ctx, "fwmask value is invalid\n", v.slice(slash + 1));
        f.fwmask = mask;
      }
    } else if (a === "dev" || a === "iif") {
      const v = args.next(ctx);
      if (!checkIfname(v)) invarg(ctx, '"iif"/"dev" not a valid ifname', v);
      f.iif = v;
    } else if (a === "oif") {
      const v = args.next(ctx);
      if (!checkIfname(v)) invarg(ctx, '"oif" not a valid ifname', v);
      f.oif = v;
    } else if (a === "l3mdev") {
      f.l3mdev = true;
    } else if (a === "uidrange") {
      const v = args.next(ctx);
      const r = scanUidRange(v);
      if (!r) invarg(ctx, "invalid UID range\n", v);
      f.uidrange = r;
    } else if (matches(a, "lookup") || matches(a, "table")) {
      const v = args.next(ctx);
      const tid = rttableA2n(v);
      if (tid === undefined) invarg(ctx, "table id value is invalid\n", v);
      f.tb = tid;
    } else if (matches(a, "from") || matches(a, "src")) {
      f.src = getPrefix(ctx, args.next(ctx), af);
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      f.protocolmask = -1;
      const p = rtprotA2n(v);
      if (p === undefined) {
        if (v !== "all") invarg(ctx, 'invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolmask = 0;
      } else f.protocol = p;
    } else if (a === "ipproto") {
      const v = args.next(ctx);
      const p = inetProtoA2n(v);
      if (p < 0) invarg(ctx, 'Invalid "ipproto" value\n', v);
      f.ipproto = p;
    } else if (a === "sport") {
      const v = args.next(ctx);
      const r = scanPortRange(v);
      if (!r) invarg(ctx, "invalid port range\n", v);
      f.sport = r;
    } else if (a === "dport") {
      const v = args.next(ctx);
      const r = scanPortRange(v);
      if (!r) invarg(ctx, "invalid dport range\n", v);
      f.dport = r;
    } else {
      let v = a;
      if (matches(v, "dst") || matches(v, "to")) v = args.next(ctx);
      f.dst = getPrefix(ctx, v, af);
    }
    args.shift();
  }
  let rules: readonly RtRule[];
  try {
    rules = sys.rtnlGetRules(ctx.task, af);
  } catch (e) {
    talkError(ctx, e);
    eprint(ctx, "Dump terminated\n");
    return 1;
  }
  if (action === "flush") {
    for (const r of rules) {
      if (!filterRule(ctx, r, f)) continue;
      if ((f.protocol ^ r.protocol) & f.protocolmask) continue;
      // Rules of priority 0 carry no FRA_PRIORITY, and flush leaves them alone.
      if (r.priority === undefined) continue;
      if (!talk(ctx, () => sys.rtnlRule(ctx.task, ruleToDelete(r)))) {
        eprint(ctx, "Dump terminated\n");
        return 1;
      }
    }
    return 0;
  }
  ctx.out.newJsonObj();
  for (const r of rules) if (filterRule(ctx, r, f)) printRule(ctx, r);
  ctx.out.deleteJsonObj();
  return 0;
}

/** get_addr32(): an IPv4 address, or exit. */
function getAddr32(ctx: IpContext, arg: string): Uint8Array {
  const a = getAddr(ctx, arg, AF_INET);
  return prefixBytes(a);
}

function iproutModify(ctx: IpContext, cmd: "RTM_NEWRULE" | "RTM_DELRULE", argv: readonly string[]): number {
  let table = 0;
  let tableAttr: number | undefined;
  let tableOk = false;
  let l3mdevRule = false;
  let tid = 0;
  let family = ctx.preferredFamily;
  let action = FR_ACT_UNSPEC;
  let flags = 0;
  let tos = 0;
  let srcLen = 0;
  let dstLen = 0;
  const attrs: {
    -readonly [K in keyof RtRuleReq]?: RtRuleReq[K];
  } = {};
  if (cmd === "RTM_NEWRULE") {
    if (argv.length === 0) {
      eprint(ctx, '"ip rule add" requires arguments.\n');
      return -1;
    }
    action = FR_ACT_TO_TBL;
  }
  if (cmd === "RTM_DELRULE" && argv.length === 0) {
    eprint(ctx, '"ip rule del" requires arguments.\n');
    return -1;
  }
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (a === "not") {
      flags |= FIB_RULE_INVERT;
    } else if (a === "from") {
      const p = getPrefix(ctx, args.next(ctx), family);
      srcLen = p.bitlen;
      attrs.src = prefixBytes(p);
    } else if (a === "to") {
      const p = getPrefix(ctx, args.next(ctx), family);
      dstLen = p.bitlen;
      attrs.dst = prefixBytes(p);
    } else if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
      const v = args.next(ctx);
      const pref = getU32(v);
      if (pref === undefined) invarg(ctx, "preference value is invalid\n", v);
      attrs.priority = pref;
    } else if (a === "tos" || matches(a, "dsfield")) {
      const v = args.next(ctx);
      const t = dsfieldA2n(v);
      if (t === undefined) invarg(ctx, "TOS value is invalid\n", v);
      tos = t;
    } else if (a === "fwmark") {
      const v = args.next(ctx);
      const slash = v.indexOf("/");
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getU32(markText);
      if (mark === undefined) invarg(ctx, "fwmark value is invalid\n", markText);
      attrs.fwmark = mark;
      if (slash >= 0) {
        const mask = getU32(v.slice(slash + 1));
        if (mask === undefined) invarg(ctx, "fwmask value is invalid\n", v.slice(slash + 1));
        attrs.fwmask = mask;
      }
    } else if (matches(a, "realms") || matches(a, "tun_id")) {
      args.next(ctx);
      eprint(ctx, `Error: "${a}" is not emulated in netnest.\n`);
      throw new IpExit(-1);
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      const p = rtprotA2n(v);
      if (p === undefined) invarg(ctx, '"protocol" value is invalid\n', v);
      attrs.protocol = p;
    } else if (matches(a, "table") || a === "lookup") {
      const v = args.next(ctx);
      const t = rttableA2n(v);
      if (t === undefined) invarg(ctx, "invalid table ID\n", v);
      tid = t;
      if (t < 256) table = t;
      else {
        table = RT_TABLE_UNSPEC;
        tableAttr = t;
      }
      tableOk = true;
    } else if (matches(a, "suppress_prefixlength") || a === "sup_pl") {
      const v = args.next(ctx);
      const pl = getInteger(v);
      if (pl === undefined || pl < 0) invarg(ctx, "suppress_prefixlength value is invalid\n", v);
      attrs.suppressPrefixlen = pl;
    } else if (matches(a, "suppress_ifgroup") || a === "sup_group") {
      const v = args.next(ctx);
      const g = groupA2n(v);
      if (g === undefined) invarg(ctx, 'Invalid "suppress_ifgroup" value\n', v);
      attrs.suppressIfgroup = g;
    } else if (a === "dev" || a === "iif") {
      const v = args.next(ctx);
      if (!checkIfname(v)) invarg(ctx, '"iif"/"dev" not a valid ifname', v);
      attrs.iifname = v;
    } else if (a === "oif") {
      const v = args.next(ctx);
      if (!checkIfname(v)) invarg(ctx, '"oif" not a valid ifname', v);
      attrs.oifname = v;
    } else if (a === "l3mdev") {
      attrs.l3mdev = 1;
      tableOk = true;
      l3mdevRule = true;
    } else if (a === "uidrange") {
      const v = args.next(ctx);
      const r = scanUidRange(v);
      if (!r) invarg(ctx, "invalid UID range\n", v);
      attrs.uidRange = r;
    } else if (a === "nat" || matches(a, "map-to")) {
      const v = args.next(ctx);
      eprint(ctx, "Warning: route NAT is deprecated\n");
      // RTA_GATEWAY is FRA_UNUSED2 to the kernel, which ignores it.
      getAddr32(ctx, v);
      action = RTN_NAT;
    } else if (a === "ipproto") {
      const v = args.next(ctx);
      const p = inetProtoA2n(v);
      if (p < 0) invarg(ctx, 'Invalid "ipproto" value\n', v);
      attrs.ipProto = p;
    } else if (a === "sport") {
      const v = args.next(ctx);
      const r = scanPortRange(v);
      if (!r) invarg(ctx, "invalid port range\n", v);
      attrs.sportRange = r;
    } else if (a === "dport") {
      const v = args.next(ctx);
      const r = scanPortRange(v);
      if (!r) invarg(ctx, "invalid dport range\n", v);
      attrs.dportRange = r;
    } else {
      let v = a;
      if (v === "type") v = args.next(ctx);
      let type: number;
      if (matches(v, "help")) usage(ctx);
      else if (matches(v, "goto")) {
        type = FR_ACT_GOTO;
        const t = args.next(ctx);
        const target = getU32(t);
        if (target === undefined) invarg(ctx, "invalid target\n", t);
        attrs.goto = target;
      } else if (matches(v, "nop")) type = FR_ACT_NOP;
      else {
        const t = rtntypeA2n(v);
        if (t === undefined) invarg(ctx, "Failed to parse rule type", v);
        type = t;
      }
      action = type;
      tableOk = true;
    }
    args.shift();
  }
  if (l3mdevRule && tid !== 0) {
    eprint(ctx, "table can not be specified for l3mdev rules\n");
    return -22;
  }
  if (family === AF_UNSPEC) family = AF_INET;
  if (!tableOk && cmd === "RTM_NEWRULE") table = RT_TABLE_MAIN;
  const req: RtRuleReq = {
    kind: cmd,
    nlFlags: cmd === "RTM_NEWRULE" ? { create: true, excl: true } : {},
    family,
    dstLen,
    srcLen,
    tos,
    table,
    action,
    flags,
    ...(tableAttr !== undefined ? { tableAttr } : {}),
    ...attrs,
  };
  if (!talkEcho(ctx, (echo) => sys.rtnlRule(ctx.task, withEcho(req, echo)))) return -2;
  return 0;
}

/** do_iprule() */
export function doIprule(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return iproutListFlush(ctx, [], "list");
  if (matches(cmd, "list") || matches(cmd, "lst") || matches(cmd, "show"))
    return iproutListFlush(ctx, rest, "list");
  if (matches(cmd, "save")) return iproutListFlush(ctx, rest, "save");
  if (matches(cmd, "restore")) {
    eprint(ctx, "ip rule restore: the binary dump format is not emulated in netnest.\n");
    throw new IpExit(-1);
  }
  if (matches(cmd, "add")) return iproutModify(ctx, "RTM_NEWRULE", rest);
  if (matches(cmd, "delete")) return iproutModify(ctx, "RTM_DELRULE", rest);
  if (matches(cmd, "flush")) return iproutListFlush(ctx, rest, "flush");
  if (matches(cmd, "help")) usage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip rule help".\n`);
  throw new IpExit(-1);
}
