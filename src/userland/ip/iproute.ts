// ip/iproute.c: `ip route add|del|show|get` (iproute_modify, iproute_list_flush_or_save, print_route,
// iproute_get).

import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  AF_INET6,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTAX_ADVMSS,
  RTAX_MTU,
  RTCF_BROADCAST,
  RTCF_DIRECTDST,
  RTCF_DOREDIRECT,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTCF_NOTIFY,
  RTCF_REDIRECTED,
  RTM_F_CLONED,
  RTM_F_NOTIFY,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_NAT,
  RTN_UNICAST,
  RTN_UNSPEC,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  RTNH_F_OFFLOAD,
  RTNH_F_ONLINK,
  RTNH_F_PERVASIVE,
  RTPROT_BOOT,
  type RtMetrics,
  type RtNexthop,
  type RtRoute,
  type RtRouteGetReq,
  type RtRouteReq,
} from "../../kernel/syscalls.js";
import { talkEcho, withEcho } from "./ipmonitor.js";
import { inetProtoA2n } from "./iprule.js";
import {
  AF_UNSPEC,
  Args,
  afBitLen,
  asKernelError,
  duparg2,
  eprint,
  formatAddr,
  getAddr,
  getPrefix,
  getU32,
  getUnsigned,
  type InetPrefix,
  type IpContext,
  IpExit,
  invarg,
  llIndexToName,
  matches,
  nodev,
  prefixBytes,
  rtntypeA2n,
  rtntypeN2a,
  rtprotA2n,
  rtprotN2a,
  rtscopeA2n,
  rtscopeN2a,
  rttableA2n,
  rttableN2a,
  strerror,
  talk,
  talkError,
} from "./utils.js";

const RTNH_F_UNRESOLVED = 32;
const RTNH_F_TRAP = 64;
const RTM_F_OFFLOAD = 0x4000;
const RTM_F_TRAP = 0x8000;
const RTM_F_OFFLOAD_FAILED = 0x20000000;
const RTCF_REJECT = 0x04000000;
const RTCF_DNAT = 0x00800000;
const RTCF_SNAT = 0x00400000;
const RTCF_MASQ = 0x00200000;
const RTCF_DIRECTSRC = 0x04000000;
const RTCF_FAST = 0x00200000;
const RTCF_TPROXY = 0x80000000;
const USER_HZ = 100;

/** The `filter` of iproute.c, as far as this emulation filters. */
interface RouteFilter {
  /** The family of the dump request (rtnl_routedump_req). */
  family: number;
  ip6MultipleTables: boolean;
  tb: number;
  cloned: number;
  oif: number;
  oifmask: number;
  protocol: number;
  protocolmask: number;
  scope: number;
  scopemask: number;
  typemask: number;
  /** root PREFIX: routes whose prefix lies within it. */
  rdst: InetPrefix | undefined;
  /** match PREFIX: routes whose prefix contains it. */
  mdst: InetPrefix | undefined;
  metric: number;
  metricmask: number;
}

function resetFilter(ctx: IpContext): RouteFilter {
  return {
    family: ctx.preferredFamily,
    ip6MultipleTables: false,
    tb: 0,
    cloned: 0,
    oif: 0,
    oifmask: 0,
    protocol: 0,
    protocolmask: 0,
    scope: 0,
    scopemask: 0,
    typemask: 0,
    rdst: undefined,
    mdst: undefined,
    metric: 0,
    metricmask: 0,
  };
}

function filterRoute(r: RtRoute, f: RouteFilter): boolean {
  if (f.family !== AF_UNSPEC && r.family !== f.family) return false;
  if (r.family === AF_INET6 && r.table !== RT_TABLE_MAIN) f.ip6MultipleTables = true;
  if (f.cloned === (r.flags & RTM_F_CLONED ? 0 : 1)) return false;
  if (r.family === AF_INET6 && !f.ip6MultipleTables) {
    if (f.tb) {
      if (f.tb === RT_TABLE_LOCAL) {
        if (r.type !== RTN_LOCAL) return false;
      } else if (f.tb === RT_TABLE_MAIN) {
        if (r.type === RTN_LOCAL) return false;
      } else return false;
    }
  } else if (f.tb > 0 && f.tb !== r.table) return false;
  if ((f.protocol ^ r.protocol) & f.protocolmask) return false;
  if ((f.scope ^ r.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << r.type))) return false;
  if (f.rdst?.family && r.family !== f.rdst.family) return false;
  if (f.rdst && f.rdst.bitlen > r.dstLen) return false;
  if (f.mdst?.family && r.family !== f.mdst.family) return false;
  if (f.mdst && f.mdst.bitlen >= 0 && f.mdst.bitlen < r.dstLen) return false;
  const dst = new Uint8Array(16);
  if (r.dst) dst.set(r.dst.slice(0, (r.dstLen + 7) >> 3));
  if (f.rdst && !inetAddrMatch(dst, f.rdst.data, f.rdst.bitlen)) return false;
  if (f.mdst && !inetAddrMatch(dst, f.mdst.data, r.dstLen)) return false;
  if (f.oifmask && ((r.oif ?? 0) ^ f.oif) & f.oifmask) return false;
  if (f.metricmask && ((r.priority ?? 0) ^ f.metric) & f.metricmask) return false;
  return true;
}

/** inet_addr_match(): the first `bits` bits agree. */
function inetAddrMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i & 7);
    if (((a[i >> 3] ?? 0) & mask) !== ((b[i >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function printRtFlags(ctx: IpContext, flags: number): void {
  const out = ctx.out;
  out.openArray("flags");
  const names: [number, string][] = [
    [RTNH_F_DEAD, "dead"],
    [RTNH_F_ONLINK, "onlink"],
    [RTNH_F_PERVASIVE, "pervasive"],
    [RTNH_F_OFFLOAD, "offload"],
    [RTNH_F_TRAP, "trap"],
    [RTM_F_NOTIFY, "notify"],
    [RTNH_F_LINKDOWN, "linkdown"],
    [RTNH_F_UNRESOLVED, "unresolved"],
    [RTM_F_OFFLOAD, "rt_offload"],
    [RTM_F_TRAP, "rt_trap"],
    [RTM_F_OFFLOAD_FAILED, "rt_offload_failed"],
  ];
  for (const [mask, name] of names) if (flags & mask) out.any(undefined, `${name} `, name);
  out.closeArray();
}

function printCacheFlags(ctx: IpContext, flagsIn: number): void {
  const out = ctx.out;
  let flags = (flagsIn & ~0xffff) >>> 0;
  if (out.json) {
    out.openArray("cache");
  } else {
    out.fp(`${out.sl}    cache `);
    if (flags === 0) return;
    out.fp("<");
  }
  const names: [number, string][] = [
    [RTCF_LOCAL, "local"],
    [RTCF_REJECT, "reject"],
    [RTCF_MULTICAST, "mc"],
    [RTCF_BROADCAST, "brd"],
    [RTCF_DNAT, "dst-nat"],
    [RTCF_SNAT, "src-nat"],
    [RTCF_MASQ, "masq"],
    [RTCF_DIRECTDST, "dst-direct"],
    [RTCF_DIRECTSRC, "src-direct"],
    [RTCF_REDIRECTED, "redirected"],
    [RTCF_DOREDIRECT, "redirect"],
    [RTCF_FAST, "fastroute"],
    [RTCF_NOTIFY, "notify"],
    [RTCF_TPROXY, "proxy"],
  ];
  for (const [mask, name] of names) {
    if (flags & mask) {
      flags = (flags & ~mask) >>> 0;
      if (out.json) out.js(undefined, name);
      else out.fp(`${name}${flags ? "," : "> "}`);
    }
  }
  if (flags) out.any("flags", `${flags.toString(16)}>`, flags.toString(16));
  if (out.json) out.closeArray();
}

/** print_rta_metrics(): by RTAX_* number; a locked metric says so in the text only. */
function printRtaMetrics(ctx: IpContext, m: RtMetrics): void {
  const out = ctx.out;
  out.openArray("metrics");
  out.openObject();
  const lock = m.lock ?? 0;
  for (const [rtax, name, val] of [
    [RTAX_MTU, "mtu", m.mtu],
    [RTAX_ADVMSS, "advmss", m.advmss],
  ] as const) {
    if (val === undefined && !(lock & (1 << rtax))) continue;
    out.fp(`${name} `);
    if (lock & (1 << rtax)) out.fp("lock ");
    out.any(name, `${val ?? 0} `, val ?? 0);
  }
  out.closeObject();
  out.closeArray();
}

/** print_route() */
/** print_route() as ip monitor calls it (iproute_reset_filter(ifindex)), after `head`. */
export function printRouteEvent(ctx: IpContext, r: RtRoute, ifindex: number, head: string): void {
  const f = resetFilter(ctx);
  if (ifindex) {
    f.oif = ifindex;
    f.oifmask = -1;
  }
  printRoute(ctx, r, f, head);
}

function printRoute(ctx: IpContext, r: RtRoute, f: RouteFilter, head = ""): void {
  const out = ctx.out;
  if (!filterRoute(r, f)) return;
  out.fp(head);
  const hostLen = afBitLen(r.family);
  out.openObject();
  if ((r.type !== RTN_UNICAST || ctx.details > 0) && (!f.typemask || f.typemask & (1 << r.type))) {
    const t = rtntypeN2a(r.type);
    out.any("type", `${t} `, t);
  }
  let dst: string;
  if (r.dst) {
    const a = formatAddr(r.family, r.dst);
    dst = r.dstLen !== hostLen ? `${a}/${r.dstLen}` : a;
  } else if (r.dstLen) {
    dst = `0/${r.dstLen} `;
  } else {
    dst = "default";
  }
  out.any("dst", `${dst} `, dst);
  if (r.src) {
    const a = formatAddr(r.family, r.src);
    const from = r.srcLen !== hostLen ? `${a}/${r.srcLen}` : a;
    out.any("from", `from ${from} `, from);
  } else if (r.srcLen) {
    out.any("src", `from 0/${r.srcLen} `, `0/${r.srcLen}`);
  }
  if (r.tos) {
    const tos = `0x${r.tos.toString(16).padStart(2, "0")}`;
    out.any("tos", `tos ${tos} `, tos);
  }
  if (r.gateway) {
    const gw = formatAddr(r.family, r.gateway);
    out.any("gateway", `via ${gw} `, gw);
  }
  if (r.oif !== undefined && f.oifmask !== -1) {
    const dev = llIndexToName(ctx, r.oif);
    out.any("dev", `dev ${dev} `, dev);
  }
  if (r.table && (r.table !== RT_TABLE_MAIN || ctx.details > 0) && !f.tb) {
    const t = rttableN2a(r.table);
    out.any("table", `table ${t} `, t);
  }
  if (!(r.flags & RTM_F_CLONED)) {
    if ((r.protocol !== RTPROT_BOOT || ctx.details > 0) && f.protocolmask !== -1) {
      const p = rtprotN2a(r.protocol);
      out.any("protocol", `proto ${p} `, p);
    }
    if ((r.scope !== RT_SCOPE_UNIVERSE || ctx.details > 0) && f.scopemask !== -1) {
      const s = rtscopeN2a(r.scope);
      out.any("scope", `scope ${s} `, s);
    }
  }
  if (r.prefsrc) {
    const psrc = formatAddr(r.family, r.prefsrc);
    out.any("prefsrc", `src ${psrc} `, psrc);
  }
  if (r.priority !== undefined) out.any("metric", `metric ${r.priority} `, r.priority);
  printRtFlags(ctx, r.flags);
  if (r.mark) {
    if (ctx.out.json) ctx.out.js("mark", r.mark);
    else ctx.out.fp(r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `);
  }
  if (r.uid !== undefined) out.any("uid", `uid ${r.uid} `, r.uid);
  if (r.family === AF_INET && r.flags & RTM_F_CLONED) printCacheFlags(ctx, r.flags);
  if ((r.family === AF_INET || r.family === AF_INET6) && r.cache) {
    if (r.cache.expires !== 0) {
      const sec = Math.trunc(r.cache.expires / USER_HZ);
      out.any("expires", `expires ${sec}sec `, sec);
    }
    if (r.cache.error !== 0) out.any("error", `error ${r.cache.error >>> 0} `, r.cache.error >>> 0);
  }
  if (r.metrics) printRtaMetrics(ctx, r.metrics);
  if (r.iif !== undefined) {
    const iif = llIndexToName(ctx, r.iif);
    out.any("iif", `iif ${iif} `, iif);
  }
  if (r.multipath) printRtaMultipath(ctx, r, r.multipath);
  // rt6_fill_node always reports RTA_PREF; the IPv6 router preference of a configured route is medium.
  if (r.family === AF_INET6) out.any("pref", "pref medium", "medium");
  out.fp("\n");
  out.closeObject();
}

/** iproute_flush_cache(): write -1 to /proc/sys/net/ipv4/route/flush. */
function iprouteFlushCache(ctx: IpContext): number {
  try {
    sys.sysctlWrite(ctx.task, "net/ipv4/route/flush", "-1");
  } catch (e) {
    const ke = asKernelError(e);
    eprint(ctx, `Cannot open "/proc/sys/net/ipv4/route/flush": ${strerror(ke.errno)}\n`);
    return -1;
  }
  return 0;
}

/** iproute_flush(): dump, delete everything that passes the filter, until a dump finds nothing. */
function iprouteFlush(ctx: IpContext, f: RouteFilter): number {
  if (f.cloned) {
    if (f.family !== AF_INET6) {
      iprouteFlushCache(ctx);
      if (ctx.stats) ctx.out.fp("*** IPv4 routing cache is flushed.\n");
    }
    if (f.family === AF_INET) return 0;
  }
  for (let round = 0; ; round++) {
    let routes: readonly RtRoute[];
    try {
      routes = sys.rtnlGetRoutes(ctx.task, f.tb && f.family === AF_INET ? { table: f.tb } : {});
    } catch (e) {
      talkError(ctx, e);
      eprint(ctx, "Flush terminated\n");
      return -2;
    }
    const victims = routes.filter((r) => filterRoute(r, f));
    if (victims.length === 0) {
      if (ctx.stats) {
        if (round === 0 && (!f.cloned || f.family === AF_INET6)) ctx.out.fp("Nothing to flush.\n");
        else ctx.out.fp(`*** Flush is complete after ${round} round${round > 1 ? "s" : ""} ***\n`);
      }
      return 0;
    }
    for (const r of victims) {
      try {
        sys.rtnlRoute(ctx.task, {
          kind: "RTM_DELROUTE",
          nlFlags: {},
          family: r.family,
          dstLen: r.dstLen,
          tos: r.tos,
          table: r.table,
          protocol: r.protocol,
          scope: r.scope,
          type: r.type,
          ...(r.dst ? { dst: r.dst } : {}),
          ...(r.gateway ? { gateway: r.gateway } : {}),
          ...(r.oif !== undefined ? { oif: r.oif } : {}),
          ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
          ...(r.priority !== undefined ? { priority: r.priority } : {}),
        });
      } catch (e) {
        // flush_update() sends the batch without waiting for answers: a route that went away
        // with an earlier one is not an error.
        asKernelError(e);
      }
    }
    if (ctx.stats) ctx.out.fp(`\n*** Round ${round + 1}, deleting ${victims.length} entries ***\n`);
    if (round >= 100) return -1;
  }
}

function iprouteListFlushOrSave(ctx: IpContext, argv: readonly string[], action: "list" | "flush"): number {
  const f = resetFilter(ctx);
  f.tb = RT_TABLE_MAIN;
  if (action === "flush" && argv.length <= 0) {
    eprint(ctx, '"ip route flush" requires arguments.\n');
    return -1;
  }
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (matches(a, "table")) {
      const v = args.next(ctx);
      const tid = rttableA2n(v);
      if (tid === undefined) {
        if (v === "all") f.tb = 0;
        else if (v === "cache") f.cloned = 1;
        else if (v === "help") usageRoute(ctx);
        else invarg(ctx, "table id value is invalid\n", v);
      } else f.tb = tid;
    } else if (matches(a, "cached") || matches(a, "cloned")) {
      f.cloned = 1;
    } else if (a === "dev" || a === "oif") {
      const v = args.next(ctx);
      const idx = sys.devNameToIndex(ctx.task, v);
      if (!idx) return nodev(ctx, v);
      f.oif = idx;
      f.oifmask = -1;
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      f.protocolmask = -1;
      const p = rtprotA2n(v);
      if (p === undefined) {
        if (v !== "all") invarg(ctx, 'invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolmask = 0;
      } else f.protocol = p;
    } else if (a === "scope") {
      const v = args.next(ctx);
      f.scopemask = -1;
      const s = rtscopeA2n(v);
      if (s === undefined) {
        if (v !== "all") invarg(ctx, 'invalid "scope"\n', v);
        f.scope = RT_SCOPE_NOWHERE;
        f.scopemask = 0;
      } else f.scope = s;
    } else if (a === "type") {
      const v = args.next(ctx);
      const t = rtntypeA2n(v);
      if (t === undefined) invarg(ctx, "node type value is invalid\n", v);
      f.typemask = 1 << t;
    } else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const v = args.next(ctx);
      const m = getU32(v);
      if (m === undefined) invarg(ctx, '"metric" value is invalid\n', v);
      f.metric = m;
      f.metricmask = -1;
    } else {
      let v = a;
      if (matches(v, "to")) v = args.next(ctx);
      if (matches(v, "root")) {
        f.rdst = getPrefix(ctx, args.next(ctx), f.family);
      } else if (matches(v, "match")) {
        f.mdst = getPrefix(ctx, args.next(ctx), f.family);
      } else {
        if (matches(v, "exact")) v = args.next(ctx);
        f.mdst = getPrefix(ctx, v, f.family);
        f.rdst = f.mdst;
      }
    }
    args.shift();
  }
  if (f.family === AF_UNSPEC && f.tb) f.family = AF_INET;
  if (action === "flush") return iprouteFlush(ctx, f);
  let routes: readonly RtRoute[];
  try {
    // iproute_dump_filter() puts RTA_TABLE in the request, so the kernel answers ENOENT for a
    // table the namespace does not have, and RTM_F_CLONED for `cache`.
    routes = sys.rtnlGetRoutes(ctx.task, {
      ...(f.tb && f.family === AF_INET ? { table: f.tb } : {}),
      ...(f.cloned === 1 ? { cloned: true } : {}),
    });
  } catch (e) {
    talkError(ctx, e);
    eprint(ctx, "Dump terminated\n");
    return -2;
  }
  ctx.out.newJsonObj();
  for (const r of routes) printRoute(ctx, r, f);
  ctx.out.deleteJsonObj();
  return 0;
}

type RouteCmd = "RTM_NEWROUTE" | "RTM_DELROUTE";

/** parse_nexthops / parse_one_nh: `nexthop via A dev D weight W onlink` until the line ends. */
function parseNexthops(ctx: IpContext, args: Args, family: number): RtNexthop[] {
  const out: RtNexthop[] = [];
  while (args.count > 0) {
    if (args.cur !== "nexthop") {
      eprint(ctx, `Error: "nexthop" or end of line is expected instead of "${args.cur}"\n`);
      throw new IpExit(-1);
    }
    if (args.count <= 1) {
      eprint(ctx, 'Error: unexpected end of line after "nexthop"\n');
      throw new IpExit(-1);
    }
    let weight = 1;
    let flags = 0;
    let oif = 0;
    let gateway: Uint8Array | undefined;
    const fail = (): never => {
      eprint(ctx, "Error: cannot parse nexthop\n");
      throw new IpExit(-1);
    };
    for (args.shift(); args.count > 0; args.shift()) {
      const a: string = args.cur;
      if (a === "via") {
        let v = args.next(ctx);
        const viaFamily = v === "inet" ? AF_INET : v === "inet6" ? AF_INET6 : AF_UNSPEC;
        if (viaFamily !== AF_UNSPEC) v = args.next(ctx);
        const addr = getAddr(ctx, v, viaFamily === AF_UNSPEC ? family : viaFamily);
        gateway = prefixBytes(addr);
      } else if (a === "dev") {
        const v = args.next(ctx);
        oif = sys.devNameToIndex(ctx.task, v);
        if (!oif) {
          nodev(ctx, v);
          fail();
        }
      } else if (a === "weight") {
        const v = args.next(ctx);
        const w = getUnsigned(v);
        if (w === undefined || w === 0 || w > 256) invarg(ctx, '"weight" is invalid\n', v);
        weight = w;
      } else if (a === "onlink") {
        flags |= RTNH_F_ONLINK;
      } else break;
    }
    out.push({ weight, flags, oif, ...(gateway ? { gateway } : {}) });
  }
  return out;
}

/** print_rta_multipath: each next hop on its own line after a tab. */
function printRtaMultipath(ctx: IpContext, r: RtRoute, nhs: readonly RtNexthop[]): void {
  const out = ctx.out;
  out.openArray("nexthops");
  for (const nh of nhs) {
    out.openObject();
    if (!out.json) out.fp(`${out.sl}\tnexthop `);
    if (nh.gateway) {
      const gw = formatAddr(r.family, nh.gateway);
      out.any("gateway", `via ${gw} `, gw);
    }
    const dev = llIndexToName(ctx, nh.oif);
    out.any("dev", `dev ${dev} `, dev);
    out.any("weight", `weight ${nh.weight} `, nh.weight);
    printRtFlags(ctx, nh.flags);
    out.closeObject();
  }
  out.closeArray();
}

function iprouteModify(
  ctx: IpContext,
  cmd: RouteCmd,
  nlFlags: RtRouteReq["nlFlags"],
  argv: readonly string[],
): number {
  let family = ctx.preferredFamily;
  let table = RT_TABLE_MAIN;
  let scope = RT_SCOPE_NOWHERE;
  let protocol = 0;
  let type = RTN_UNSPEC;
  if (cmd !== "RTM_DELROUTE") {
    protocol = RTPROT_BOOT;
    scope = RT_SCOPE_UNIVERSE;
    type = RTN_UNICAST;
  }
  let dstLen = 0;
  let dst: Uint8Array | undefined;
  let gateway: Uint8Array | undefined;
  let prefsrc: Uint8Array | undefined;
  let priority: number | undefined;
  let flags = 0;
  let mxlock = 0;
  let mtu: number | undefined;
  let advmss: number | undefined;
  let dev: string | undefined;
  let gwOk = false;
  let dstOk = false;
  let scopeOk = false;
  let tableOk = false;
  let typeOk = false;
  let nhsOk = false;
  const args = new Args(argv);

  while (args.count > 0) {
    const a = args.cur;
    if (a === "src") {
      const v = args.next(ctx);
      const addr = getAddr(ctx, v, family);
      if (family === AF_UNSPEC) family = addr.family;
      prefsrc = prefixBytes(addr);
    } else if (a === "via") {
      if (gwOk) invarg(ctx, "use nexthop syntax to specify multiple via\n", a);
      gwOk = true;
      let v = args.next(ctx);
      let viaFamily = v === "inet" ? AF_INET : v === "inet6" ? AF_INET6 : AF_UNSPEC;
      if (viaFamily === AF_UNSPEC) viaFamily = family;
      else v = args.next(ctx);
      const addr = getAddr(ctx, v, viaFamily);
      if (family === AF_UNSPEC) family = addr.family;
      gateway = prefixBytes(addr);
    } else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const v = args.next(ctx);
      const m = getU32(v);
      if (m === undefined) invarg(ctx, '"metric" value is invalid\n', v);
      priority = m;
    } else if (a === "mtu" || matches(a, "advmss")) {
      const rtax = a === "mtu" ? RTAX_MTU : RTAX_ADVMSS;
      let v = args.next(ctx);
      if (v === "lock") {
        mxlock |= 1 << rtax;
        v = args.next(ctx);
      }
      const m = getU32(v);
      if (m === undefined)
        invarg(ctx, rtax === RTAX_MTU ? '"mtu" value is invalid\n' : '"mss" value is invalid\n', v);
      if (rtax === RTAX_MTU) mtu = m;
      else advmss = m;
    } else if (a === "scope") {
      const v = args.next(ctx);
      const s = rtscopeA2n(v);
      if (s === undefined) invarg(ctx, 'invalid "scope" value\n', v);
      scope = s;
      scopeOk = true;
    } else if (a === "onlink") {
      flags |= RTNH_F_ONLINK;
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      const p = rtprotA2n(v);
      if (p === undefined) invarg(ctx, '"protocol" value is invalid\n', v);
      protocol = p;
    } else if (matches(a, "table")) {
      const v = args.next(ctx);
      const t = rttableA2n(v);
      if (t === undefined) invarg(ctx, '"table" value is invalid\n', v);
      table = t;
      tableOk = true;
    } else if (a === "dev" || a === "oif") {
      dev = args.next(ctx);
    } else if (a === "nexthop") {
      nhsOk = true;
      break;
    } else {
      let v = a;
      if (v === "to") v = args.next(ctx);
      if (v[0] !== undefined && (v[0] < "0" || v[0] > "9")) {
        const t = rtntypeA2n(v);
        if (t !== undefined) {
          v = args.next(ctx);
          type = t;
          typeOk = true;
        }
      }
      if (matches(v, "help")) usageRoute(ctx);
      if (dstOk) duparg2(ctx, "to", v);
      const p = getPrefix(ctx, v, family);
      if (family === AF_UNSPEC) family = p.family;
      dstLen = p.bitlen;
      dstOk = true;
      if (p.bytelen) dst = prefixBytes(p);
    }
    args.shift();
  }
  if (!dstOk) usageRoute(ctx);
  let multipath: RtNexthop[] | undefined;
  if (nhsOk) {
    multipath = parseNexthops(ctx, args, family);
    if (family === AF_UNSPEC) family = AF_INET;
  }
  let oif: number | undefined;
  if (dev !== undefined) {
    const idx = sys.devNameToIndex(ctx.task, dev);
    if (!idx) return nodev(ctx, dev);
    oif = idx;
  }
  if (family === AF_UNSPEC) family = AF_INET;
  if (!tableOk && (type === RTN_LOCAL || type === RTN_BROADCAST || type === RTN_NAT || type === RTN_ANYCAST))
    table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (family === AF_INET6) scope = RT_SCOPE_UNIVERSE;
    else if (type === RTN_LOCAL || type === RTN_NAT) scope = RT_SCOPE_HOST;
    else if (type === RTN_BROADCAST || type === RTN_MULTICAST || type === RTN_ANYCAST) scope = RT_SCOPE_LINK;
    else if (type === RTN_UNICAST || type === RTN_UNSPEC) {
      if (cmd === "RTM_DELROUTE") scope = RT_SCOPE_NOWHERE;
      else if (!gwOk && !nhsOk) scope = RT_SCOPE_LINK;
    }
  }
  void typeOk;
  const req: RtRouteReq = {
    kind: cmd,
    nlFlags,
    family,
    dstLen,
    tos: 0,
    table,
    protocol,
    scope,
    type,
    ...(dst ? { dst } : {}),
    ...(gateway ? { gateway } : {}),
    ...(oif !== undefined ? { oif } : {}),
    ...(prefsrc ? { prefsrc } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(flags ? { flags } : {}),
    ...(multipath?.length ? { multipath } : {}),
    ...(mxlock || mtu !== undefined || advmss !== undefined
      ? {
          metrics: {
            ...(mxlock ? { lock: mxlock } : {}),
            ...(mtu !== undefined ? { mtu } : {}),
            ...(advmss !== undefined ? { advmss } : {}),
          },
        }
      : {}),
  };
  if (!talkEcho(ctx, (echo) => sys.rtnlRoute(ctx.task, withEcho(req, echo)))) return -2;
  return 0;
}

function iprouteGet(ctx: IpContext, argv: readonly string[]): number {
  let family = ctx.preferredFamily;
  let dst: Uint8Array | undefined;
  let src: Uint8Array | undefined;
  let idev: string | undefined;
  let odev: string | undefined;
  let mark = 0;
  let uid: number | undefined;
  let tos = 0;
  let ipProto: number | undefined;
  let sport: number | undefined;
  let dport: number | undefined;
  let addressFound = false;
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (a === "tos" || matches(a, "dsfield")) {
      const v = args.next(ctx);
      const t = getUnsigned(v);
      if (t === undefined || t > 255) invarg(ctx, "TOS value is invalid\n", v);
      tos = t;
    } else if (matches(a, "from")) {
      const v = args.next(ctx);
      if (matches(v, "help")) usageRoute(ctx);
      const p = getPrefix(ctx, v, family);
      if (family === AF_UNSPEC) family = p.family;
      if (p.bytelen) src = prefixBytes(p);
    } else if (matches(a, "iif")) {
      idev = args.next(ctx);
    } else if (matches(a, "mark")) {
      const v = args.next(ctx);
      const m = getUnsigned(v);
      if (m === undefined) invarg(ctx, "invalid mark value", v);
      mark = m;
    } else if (matches(a, "oif") || a === "dev") {
      odev = args.next(ctx);
    } else if (matches(a, "uid")) {
      const v = args.next(ctx);
      const u = getUnsigned(v);
      if (u === undefined) invarg(ctx, "invalid UID\n", v);
      uid = u;
    } else if (matches(a, "ipproto")) {
      const v = args.next(ctx);
      const p = inetProtoA2n(v);
      if (p < 0) invarg(ctx, 'Invalid "ipproto" value\n', v);
      ipProto = p;
    } else if (matches(a, "sport") || matches(a, "dport")) {
      // get_be16(): strtoul base 0 within 16 bits.
      const v = args.next(ctx);
      const port = getUnsigned(v);
      if (port === undefined || port > 0xffff)
        invarg(ctx, matches(a, "sport") ? "invalid sport\n" : "invalid dport\n", v);
      if (matches(a, "sport")) sport = port;
      else dport = port;
    } else {
      let v = a;
      if (v === "to") v = args.next(ctx);
      if (matches(v, "help")) usageRoute(ctx);
      const p = getPrefix(ctx, v, family);
      if (family === AF_UNSPEC) family = p.family;
      if (p.bytelen) dst = prefixBytes(p);
      if (family === AF_INET && p.bitlen !== 32) {
        eprint(ctx, `Warning: /${p.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`);
      } else if (family === AF_INET6 && p.bitlen !== 128) {
        eprint(ctx, `Warning: /${p.bitlen} as prefix is invalid, only /128 (or none) is supported.\n`);
      }
      addressFound = true;
    }
    args.shift();
  }
  if (!addressFound) {
    eprint(ctx, "need at least a destination address\n");
    return -1;
  }
  let iif: number | undefined;
  let oif: number | undefined;
  if (idev !== undefined) {
    iif = sys.devNameToIndex(ctx.task, idev);
    if (!iif) return nodev(ctx, idev);
  }
  if (odev !== undefined) {
    oif = sys.devNameToIndex(ctx.task, odev);
    if (!oif) return nodev(ctx, odev);
  }
  if (family === AF_UNSPEC) family = AF_INET;
  const req: RtRouteGetReq = {
    kind: "RTM_GETROUTE",
    family,
    dst: dst ?? new Uint8Array(family === AF_INET6 ? 16 : 4),
    ...(src ? { src } : {}),
    ...(iif !== undefined ? { iif } : {}),
    ...(oif !== undefined ? { oif } : {}),
    ...(mark ? { mark } : {}),
    ...(tos ? { tos } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(ipProto !== undefined ? { ipProto } : {}),
    ...(sport !== undefined ? { sport } : {}),
    ...(dport !== undefined ? { dport } : {}),
  };
  let answer: RtRoute | undefined;
  if (
    !talk(ctx, () => {
      answer = sys.rtnlGetRoute(ctx.task, req);
    }) ||
    !answer
  )
    return -2;
  const f = resetFilter(ctx);
  f.cloned = 2;
  ctx.out.newJsonObj();
  // rt_fill_info() always marks a route lookup's answer RTM_F_CLONED.
  printRoute(ctx, { ...answer, flags: (answer.flags | RTM_F_CLONED) >>> 0 }, f);
  ctx.out.deleteJsonObj();
  return 0;
}

const ROUTE_USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]
`;

function usageRoute(ctx: IpContext): never {
  eprint(ctx, ROUTE_USAGE);
  throw new IpExit(-1);
}

/** do_iproute() */
export function doIproute(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return iprouteListFlushOrSave(ctx, [], "list");
  if (matches(cmd, "add")) return iprouteModify(ctx, "RTM_NEWROUTE", { create: true, excl: true }, rest);
  if (matches(cmd, "change") || cmd === "chg")
    return iprouteModify(ctx, "RTM_NEWROUTE", { replace: true }, rest);
  if (matches(cmd, "replace"))
    return iprouteModify(ctx, "RTM_NEWROUTE", { create: true, replace: true }, rest);
  if (matches(cmd, "prepend")) return iprouteModify(ctx, "RTM_NEWROUTE", { create: true }, rest);
  if (matches(cmd, "append")) return iprouteModify(ctx, "RTM_NEWROUTE", { create: true, append: true }, rest);
  if (matches(cmd, "test")) return iprouteModify(ctx, "RTM_NEWROUTE", { excl: true }, rest);
  if (matches(cmd, "delete")) return iprouteModify(ctx, "RTM_DELROUTE", {}, rest);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst"))
    return iprouteListFlushOrSave(ctx, rest, "list");
  if (matches(cmd, "get")) return iprouteGet(ctx, rest);
  if (matches(cmd, "flush")) return iprouteListFlushOrSave(ctx, rest, "flush");
  if (matches(cmd, "help")) usageRoute(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip route help".\n`);
  throw new IpExit(-1);
}
