// ip/ipneigh.c: `ip neigh add|del|change|replace|get|show|flush` (ipneigh_modify, print_neigh,
// do_show_or_flush, ipneigh_get).

import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  AF_INET6,
  NTF_EXT_LEARNED,
  NTF_OFFLOADED,
  NTF_PROXY,
  NTF_ROUTER,
  NTF_USE,
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  type RtFdb,
  type RtNeigh,
  type RtNeighReq,
} from "../../kernel/syscalls.js";
import { formatMac } from "../../wire/addr.js";
import { JsonPrinter } from "./json_print.js";
import {
  AF_UNSPEC,
  Args,
  duparg,
  duparg2,
  eprint,
  formatAddr,
  getAddr,
  getPrefix,
  getUnsigned,
  type InetPrefix,
  type IpContext,
  IpExit,
  invarg,
  linkCache,
  llAddrA2n,
  llIndexToName,
  matches,
  nodev,
  prefixBytes,
  rtprotA2n,
  talk,
  talkError,
} from "./utils.js";

const MAX_ROUNDS = 10;
/** get_user_hz(): sysconf(_SC_CLK_TCK). */
const USER_HZ = 100;

const NEIGH_USAGE = `Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ vrf NAME ] [ nomaster ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
`;

function usage(ctx: IpContext): never {
  eprint(ctx, NEIGH_USAGE);
  throw new IpExit(-1);
}

/** The `filter` of ipneigh.c. */
interface NeighFilter {
  family: number;
  index: number;
  /** A mask of NUD_* bits; 0x100 stands for NUD_NONE. Kept as a C int (-1 is ~0). */
  state: number;
  unusedOnly: boolean;
  pfx: InetPrefix | undefined;
  protocol: number;
  ndmFlags: number;
}

/** nud_state_a2n() */
function nudStateA2n(arg: string): number | undefined {
  if (matches(arg, "permanent")) return NUD_PERMANENT;
  if (matches(arg, "reachable")) return NUD_REACHABLE;
  if (arg === "noarp") return NUD_NOARP;
  if (arg === "none") return NUD_NONE;
  if (arg === "stale") return NUD_STALE;
  if (arg === "incomplete") return NUD_INCOMPLETE;
  if (arg === "delay") return NUD_DELAY;
  if (arg === "probe") return NUD_PROBE;
  if (matches(arg, "failed")) return NUD_FAILED;
  const n = getUnsigned(arg);
  if (n === undefined || n >= 0x100 || (n & (n - 1)) !== 0) return undefined;
  return n;
}

/** ipneigh_modify() */
function ipneighModify(
  ctx: IpContext,
  kind: RtNeighReq["kind"],
  nlFlags: RtNeighReq["nlFlags"],
  argv: readonly string[],
): number {
  let state = NUD_PERMANENT;
  let flags = 0;
  let dev: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  let lla: string | undefined;
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (matches(a, "lladdr")) {
      const v = args.next(ctx);
      if (lla !== undefined) duparg(ctx, "lladdr", v);
      lla = v;
    } else if (a === "nud") {
      const v = args.next(ctx);
      const s = nudStateA2n(v);
      if (s === undefined) invarg(ctx, "nud state is bad", v);
      state = s;
    } else if (matches(a, "proxy")) {
      const v = args.next(ctx);
      if (matches(v, "help")) usage(ctx);
      if (dst) duparg(ctx, "address", v);
      dst = getAddr(ctx, v, ctx.preferredFamily);
      devOk = true;
      flags |= NTF_PROXY;
    } else if (a === "router") {
      flags |= NTF_ROUTER;
    } else if (a === "use") {
      flags |= NTF_USE;
    } else if (a === "managed") {
      // NDA_FLAGS_EXT NTF_EXT_MANAGED: not carried by this kernel's request.
      state = NUD_NONE;
    } else if (matches(a, "extern_learn")) {
      flags |= NTF_EXT_LEARNED;
    } else if (a === "dev") {
      dev = args.next(ctx);
      devOk = true;
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      // NDA_PROTOCOL: parsed as iproute2 does; this kernel's request does not carry it.
      if (rtprotA2n(v) === undefined) invarg(ctx, '"protocol" value is invalid\n', v);
    } else {
      let v = a;
      if (v === "to") v = args.next(ctx);
      // ipneigh.c skips a "help" here (NEXT_ARG) rather than printing the usage.
      if (matches(v, "help")) v = args.next(ctx);
      if (dst) duparg2(ctx, "to", v);
      dst = getAddr(ctx, v, ctx.preferredFamily);
    }
    args.shift();
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) {
    eprint(ctx, "Device and destination are required arguments.\n");
    throw new IpExit(-1);
  }
  let lladdr: Uint8Array | undefined;
  if (lla !== undefined && lla !== "null") {
    lladdr = llAddrA2n(ctx, lla, 20);
    if (!lladdr) return -1;
  }
  let ifindex = 0;
  if (dev !== undefined) {
    ifindex = sys.devNameToIndex(ctx.task, dev);
    if (!ifindex) return nodev(ctx, dev);
  }
  const req: RtNeighReq = {
    kind,
    nlFlags,
    family: dst.family,
    ifindex,
    state,
    flags,
    dst: prefixBytes(dst),
    ...(lladdr ? { lladdr } : {}),
  };
  if (!talk(ctx, () => sys.rtnlNeigh(ctx.task, req))) throw new IpExit(2);
  return 0;
}

/** inet_addr_match_rta(): true when the entry lies outside the `to` prefix. */
function outsidePrefix(n: RtNeigh, pfx: InetPrefix | undefined): boolean {
  if (!pfx || pfx.family === AF_UNSPEC || pfx.bitlen <= 0) return false;
  if (n.dst.length !== pfx.bytelen) return true;
  for (let i = 0; i < pfx.bitlen; i++) {
    const mask = 0x80 >> (i & 7);
    if (((n.dst[i >> 3] ?? 0) & mask) !== ((pfx.data[i >> 3] ?? 0) & mask)) return true;
  }
  return false;
}

/** The filtering half of print_neigh(): false when the entry is skipped. */
function filterNeigh(n: RtNeigh, f: NeighFilter): boolean {
  if (f.family && f.family !== n.family) return false;
  if (f.index && f.index !== n.ifindex) return false;
  if (
    !(f.state & n.state) &&
    !(n.flags & NTF_PROXY) &&
    !(n.flags & NTF_EXT_LEARNED) &&
    (n.state || !(f.state & 0x100))
  )
    return false;
  if (outsidePrefix(n, f.pfx)) return false;
  // NDA_PROTOCOL is never reported here, so any protocol filter but "all" matches nothing.
  if (f.protocol) return false;
  if (f.unusedOnly && n.cacheinfo.refcnt) return false;
  return true;
}

/** print_neigh_state() */
function printNeighState(ctx: IpContext, nud: number): void {
  const out = ctx.out;
  out.openArray("state");
  const names: [number, string][] = [
    [NUD_INCOMPLETE, "INCOMPLETE"],
    [NUD_REACHABLE, "REACHABLE"],
    [NUD_STALE, "STALE"],
    [NUD_DELAY, "DELAY"],
    [NUD_PROBE, "PROBE"],
    [NUD_FAILED, "FAILED"],
    [NUD_NOARP, "NOARP"],
    [NUD_PERMANENT, "PERMANENT"],
  ];
  for (const [mask, name] of names) if (nud & mask) out.any(undefined, `${name} `, name);
  out.closeArray();
}

/** The printing half of print_neigh() (and print_neigh_brief). */
/** print_neigh() as ip monitor calls it (ipneigh_reset_filter(ifindex)), after `head`. */
export function printNeighEvent(ctx: IpContext, n: RtNeigh, ifindex: number, head: string): void {
  if (ifindex && n.ifindex !== ifindex) return;
  ctx.out.fp(head);
  printNeigh(ctx, n, {
    family: AF_UNSPEC,
    index: ifindex,
    state: ~0,
    unusedOnly: false,
    pfx: undefined,
    protocol: 0,
    ndmFlags: 0,
  });
}

/**
 * print_neigh() for a bridge's FDB entry (family AF_BRIDGE, which only a monitor sees): no NDA_DST,
 * and NDA_CACHEINFO without NDA_PROBES, so with -s the state follows the times with no space.
 */
export function printFdbNeighEvent(ctx: IpContext, r: RtFdb, ifindex: number, head: string): void {
  if (ifindex && r.ifindex !== ifindex) return;
  const out = ctx.out;
  out.fp(head);
  out.openObject();
  if (!ifindex && r.ifindex) {
    const dev = llIndexToName(ctx, r.ifindex);
    out.any("dev", `dev ${dev} `, dev);
  }
  const lladdr = formatMac(r.lladdr);
  out.any("lladdr", `lladdr ${lladdr} `, lladdr);
  if (r.flags & NTF_ROUTER) out.any("router", "router ", null);
  if (r.flags & NTF_PROXY) out.any("proxy", "proxy ", null);
  if (r.flags & NTF_EXT_LEARNED) out.any("extern_learn", "extern_learn ", null);
  if (r.flags & NTF_OFFLOADED) out.any("offload", "offload ", null);
  if (ctx.stats) {
    // fdb_fill_info's cacheinfo: confirmed and refcnt are 0.
    const used = Math.trunc((r.used ?? 0) / USER_HZ);
    const updated = Math.trunc((r.updated ?? 0) / USER_HZ);
    out.any("used", ` used ${used}`, used);
    out.any("confirmed", "/0", 0);
    out.any("updated", `/${updated}`, updated);
  }
  if (r.state) printNeighState(ctx, r.state);
  out.fp("\n");
  out.closeObject();
}

function printNeigh(ctx: IpContext, n: RtNeigh, f: NeighFilter): void {
  const out = ctx.out;
  out.openObject();
  const dst = formatAddr(n.family, n.dst);
  const lladdr = n.lladdr ? formatMac(n.lladdr) : undefined;
  if (ctx.brief) {
    out.any("dst", `${dst.padEnd(39)} `, dst);
    if (!f.index && n.ifindex) {
      const dev = llIndexToName(ctx, n.ifindex);
      out.any("dev", `${dev.padEnd(16)} `, dev);
    }
    if (lladdr !== undefined) out.any("lladdr", lladdr, lladdr);
    out.fp("\n");
    out.closeObject();
    return;
  }
  out.any("dst", `${dst} `, dst);
  if (!f.index && n.ifindex) {
    const dev = llIndexToName(ctx, n.ifindex);
    out.any("dev", `dev ${dev} `, dev);
  }
  if (lladdr !== undefined) out.any("lladdr", `lladdr ${lladdr} `, lladdr);
  if (n.flags & NTF_ROUTER) out.any("router", "router ", null);
  if (n.flags & NTF_PROXY) out.any("proxy", "proxy ", null);
  if (n.flags & NTF_EXT_LEARNED) out.any("extern_learn", "extern_learn ", null);
  if (n.flags & NTF_OFFLOADED) out.any("offload", "offload ", null);
  if (ctx.stats) {
    // print_cacheinfo(): note the missing space before "probes", as iproute2 prints it.
    const ci = n.cacheinfo;
    if (ci.refcnt) out.any("refcnt", ` ref ${ci.refcnt}`, ci.refcnt);
    const used = Math.trunc(ci.used / USER_HZ);
    const confirmed = Math.trunc(ci.confirmed / USER_HZ);
    const updated = Math.trunc(ci.updated / USER_HZ);
    out.any("used", ` used ${used}`, used);
    out.any("confirmed", `/${confirmed}`, confirmed);
    out.any("updated", `/${updated}`, updated);
    out.any("probes", `probes ${n.probes} `, n.probes);
  }
  if (n.state) printNeighState(ctx, n.state);
  out.fp("\n");
  out.closeObject();
}

/** rtnl_neighdump_req() answered: the entries of the requested family (only ARP exists here). */
function neighDump(ctx: IpContext, f: NeighFilter): readonly RtNeigh[] {
  const all = sys.rtnlGetNeigh(ctx.task);
  return all.filter((n) => {
    if (f.family !== AF_UNSPEC && n.family !== f.family) return false;
    // ipneigh_dump_filter(): NDA_IFINDEX, and NTF_PROXY asks for the proxy table instead.
    if (f.index && n.ifindex !== f.index) return false;
    return (n.flags & NTF_PROXY) === (f.ndmFlags & NTF_PROXY);
  });
}

/** do_show_or_flush() */
function doShowOrFlush(ctx: IpContext, argv: readonly string[], flush: boolean): number {
  const f: NeighFilter = {
    family: ctx.preferredFamily,
    index: 0,
    state: ~0,
    unusedOnly: false,
    pfx: undefined,
    protocol: 0,
    ndmFlags: 0,
  };
  let filterDev: string | undefined;
  let stateGiven = false;
  if (flush) {
    if (argv.length <= 0) {
      eprint(ctx, "Flush requires arguments.\n");
      return -1;
    }
    f.state = ~(NUD_PERMANENT | NUD_NOARP);
  } else {
    f.state = 0xff & ~NUD_NOARP;
  }
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (a === "dev") {
      const v = args.next(ctx);
      if (filterDev !== undefined) duparg(ctx, "dev", v);
      filterDev = v;
    } else if (a === "master") {
      const v = args.next(ctx);
      if (!sys.devNameToIndex(ctx.task, v)) invarg(ctx, "Device does not exist\n", v);
    } else if (a === "vrf") {
      const v = args.next(ctx);
      const link = linkCache(ctx).find((l) => l.ifname === v);
      if (link?.infoKind !== "vrf") invarg(ctx, "Not a valid VRF name\n", v);
    } else if (a === "nomaster") {
      // Every device here is without a master as far as the dump tells.
    } else if (a === "unused") {
      f.unusedOnly = true;
    } else if (a === "nud") {
      const v = args.next(ctx);
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let s = nudStateA2n(v);
      if (s === undefined) {
        if (v !== "all") invarg(ctx, "nud state is bad", v);
        s = ~0;
        if (flush) s &= ~NUD_NOARP;
      }
      if (s === 0) s = 0x100;
      f.state |= s;
    } else if (a === "proxy") {
      f.ndmFlags = NTF_PROXY;
    } else if (matches(a, "protocol")) {
      const v = args.next(ctx);
      let p = rtprotA2n(v);
      if (p === undefined) {
        if (v !== "all") invarg(ctx, 'invalid "protocol"\n', v);
        p = 0;
      }
      f.protocol = p;
    } else {
      let v = a;
      if (v === "to") v = args.next(ctx);
      if (matches(v, "help")) usage(ctx);
      f.pfx = getPrefix(ctx, v, f.family);
      if (f.family === AF_UNSPEC) f.family = f.pfx.family;
    }
    args.shift();
  }
  if (filterDev !== undefined) {
    f.index = sys.devNameToIndex(ctx.task, filterDev);
    if (!f.index) return nodev(ctx, filterDev);
  }
  if (flush) return ipneighFlush(ctx, f);
  let entries: readonly RtNeigh[];
  try {
    entries = neighDump(ctx, f);
  } catch (e) {
    talkError(ctx, e);
    eprint(ctx, "Dump terminated\n");
    throw new IpExit(1);
  }
  ctx.out.newJsonObj();
  for (const n of entries) if (filterNeigh(n, f)) printNeigh(ctx, n, f);
  ctx.out.deleteJsonObj();
  return 0;
}

/** The flush loop of do_show_or_flush(): dump, delete what matches, until a dump finds nothing. */
function ipneighFlush(ctx: IpContext, f: NeighFilter): number {
  const out = ctx.out;
  for (let round = 0; round < MAX_ROUNDS; ) {
    let entries: readonly RtNeigh[];
    try {
      entries = neighDump(ctx, f);
    } catch (e) {
      talkError(ctx, e);
      eprint(ctx, "Flush terminated\n");
      throw new IpExit(1);
    }
    const victims = entries.filter((n) => filterNeigh(n, f));
    // With -s -s, print_neigh goes on to print each entry it queues for deletion.
    if (ctx.stats >= 2) for (const n of victims) printNeigh(ctx, n, f);
    if (victims.length === 0) {
      if (ctx.stats) {
        if (round === 0) out.fp("Nothing to flush.\n");
        else out.fp(`*** Flush is complete after ${round} round${round > 1 ? "s" : ""} ***\n`);
      }
      return 0;
    }
    round++;
    for (const n of victims) {
      // flush_update() sends the batch of RTM_DELNEIGH copies of the dumped messages.
      try {
        sys.rtnlNeigh(ctx.task, {
          kind: "RTM_DELNEIGH",
          nlFlags: {},
          family: n.family,
          ifindex: n.ifindex,
          state: n.state,
          flags: n.flags,
          dst: n.dst,
          ...(n.lladdr ? { lladdr: n.lladdr } : {}),
        });
      } catch (e) {
        talkError(ctx, e);
        throw new IpExit(1);
      }
    }
    if (ctx.stats) out.fp(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
    f.state &= ~NUD_FAILED;
  }
  out.fp(`*** Flush not complete bailing out after ${MAX_ROUNDS} rounds\n`);
  return 1;
}

/**
 * ipneigh_get(). The kernel's neigh_get() is answered here from the dump, with its errors
 * (the syscall surface has no single-entry RTM_GETNEIGH).
 */
function ipneighGet(ctx: IpContext, argv: readonly string[]): number {
  let dev: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  let proxy = false;
  const args = new Args(argv);
  while (args.count > 0) {
    const a = args.cur;
    if (a === "dev") {
      dev = args.next(ctx);
      devOk = true;
    } else if (matches(a, "proxy")) {
      const v = args.next(ctx);
      if (matches(v, "help")) usage(ctx);
      if (dst) duparg(ctx, "address", v);
      dst = getAddr(ctx, v, ctx.preferredFamily);
      devOk = true;
      proxy = true;
    } else {
      let v = a;
      if (v === "to") v = args.next(ctx);
      if (matches(v, "help")) usage(ctx);
      if (dst) duparg2(ctx, "to", v);
      dst = getAddr(ctx, v, ctx.preferredFamily);
    }
    args.shift();
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) {
    eprint(ctx, "Device and address are required arguments.\n");
    return -1;
  }
  let ifindex = 0;
  if (dev !== undefined) {
    ifindex = sys.devNameToIndex(ctx.task, dev);
    if (!ifindex) {
      eprint(ctx, `Cannot find device "${dev}"\n`);
      return -1;
    }
  }
  const want = prefixBytes(dst);
  const family = dst.family;
  let answer: RtNeigh | undefined;
  const ok = talk(ctx, () => {
    if (family !== AF_INET && family !== AF_INET6)
      throw new sys.KernelError("EINVAL", "Invalid address family");
    const all = sys.rtnlGetNeigh(ctx.task);
    if (proxy) throw new sys.KernelError("ENOENT", "Proxy neighbour entry not found");
    if (!ifindex) throw new sys.KernelError("EINVAL", "No device specified");
    answer = all.find(
      (n) => n.family === family && n.ifindex === ifindex && n.dst.every((b, i) => b === want[i]),
    );
    if (!answer) throw new sys.KernelError("ENOENT", "Neighbour entry not found");
  });
  if (!ok || !answer) return -2;
  // ipneigh_get() prints without new_json_obj(), so even -j gives the text form.
  const saved = ctx.out;
  ctx.out = new JsonPrinter(false, saved.sl);
  printNeigh(ctx, answer, {
    family: AF_UNSPEC,
    index: 0,
    state: ~0,
    unusedOnly: false,
    pfx: undefined,
    protocol: 0,
    ndmFlags: 0,
  });
  saved.text += ctx.out.text;
  ctx.out = saved;
  return 0;
}

/** do_ipneigh() */
export function doIpneigh(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return doShowOrFlush(ctx, [], false);
  if (matches(cmd, "add")) return ipneighModify(ctx, "RTM_NEWNEIGH", { create: true, excl: true }, rest);
  if (matches(cmd, "change") || cmd === "chg")
    return ipneighModify(ctx, "RTM_NEWNEIGH", { replace: true }, rest);
  if (matches(cmd, "replace"))
    return ipneighModify(ctx, "RTM_NEWNEIGH", { create: true, replace: true }, rest);
  if (matches(cmd, "delete")) return ipneighModify(ctx, "RTM_DELNEIGH", {}, rest);
  if (matches(cmd, "get")) return ipneighGet(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list"))
    return doShowOrFlush(ctx, rest, false);
  if (matches(cmd, "flush")) return doShowOrFlush(ctx, rest, true);
  if (matches(cmd, "help")) usage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip neigh help".\n`);
  throw new IpExit(-1);
}
