// iproute2 6.1's bridge/bridge.c, link.c and fdb.c: `bridge link [show|set]` and
// `bridge fdb [show|add|append|replace|del|get]`. Exit statuses are what main() returns.
import * as sys from "../../kernel/syscalls.js";
import {
  AF_INET,
  BR_STATE_BLOCKING,
  IFF_UP,
  NTF_EXT_LEARNED,
  NTF_MASTER,
  NTF_OFFLOADED,
  NTF_ROUTER,
  NTF_SELF,
  NTF_STICKY,
  NTF_USE,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_REACHABLE,
  NUD_STALE,
  type RtFdb,
} from "../../kernel/syscalls.js";
import { formatMac } from "../../wire/addr.js";
import { netnsSwitch } from "../ip/ipnetns.js";
import { JsonPrinter } from "../ip/json_print.js";
import {
  asKernelError,
  duparg2,
  eprint,
  formatInet4,
  formatInet6,
  getAddr,
  getUnsigned,
  type IpContext,
  IpExit,
  incompleteCommand,
  inetPton4,
  inetPton6,
  invarg,
  linkCache,
  llAddrA2n,
  llIndexToName,
  matches,
  newContext,
  prefixBytes,
  printLinkFlags,
  rtprotN2a,
  strerror,
  talk,
} from "../ip/utils.js";
import type { Proc, Program, ProgramResult } from "../program.js";

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

function usage(ctx: IpContext): never {
  eprint(ctx, USAGE);
  throw new IpExit(-1);
}

/** ll_name_to_index() */
function nameToIndex(ctx: IpContext, name: string): number {
  return sys.devNameToIndex(ctx.task, name);
}

function nodev(ctx: IpContext, name: string): number {
  eprint(ctx, `Cannot find device "${name}"\n`);
  return -1;
}

// --- bridge link -------------------------------------------------------------------------------

const STP_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];

/** print_name_and_link(): no IFLA_LINK_NETNSID comes with these messages. */
function printNameAndLink(ctx: IpContext, link: sys.RtBridgeLinkEvent): boolean {
  const out = ctx.out;
  let name = link.ifname;
  let mflag = false;
  if (link.link !== undefined) {
    if (link.link) {
      const peer = llIndexToName(ctx, link.link);
      if (out.json) out.js("link", peer);
      else name = `${name}@${peer}`;
      // ll_index_to_flags() is -1 for an index it does not know.
      const known = linkCache(ctx).find((l) => l.ifindex === link.link);
      mflag = known ? !(known.flags & IFF_UP) : false;
    } else if (out.json) out.js("link", null);
    else name = `${name}@NONE`;
  }
  out.any("ifname", `${name}: `, name);
  return mflag;
}

/** print_linkinfo() of bridge/link.c (a port's RTM_DELLINK, in a monitor, has no IFLA_PROTINFO). */
function printBridgeLink(
  ctx: IpContext,
  link: sys.RtBridgeLinkEvent,
  filterIndex: number,
  deleted = false,
): void {
  if (filterIndex && filterIndex !== link.ifindex) return;
  const out = ctx.out;
  out.openObject();
  if (deleted) out.any("deleted", "Deleted ", true);
  out.any("ifindex", `${link.ifindex}: `, link.ifindex);
  const mflag = printNameAndLink(ctx, link);
  printLinkFlags(ctx, link.flags, mflag);
  out.any("mtu", `mtu ${link.mtu} `, link.mtu);
  const master = llIndexToName(ctx, link.master);
  out.any("master", `master ${master} `, master);
  const pi = link.protinfo;
  if (pi) {
    const state = pi.state <= BR_STATE_BLOCKING ? STP_STATES[pi.state] : undefined;
    if (state !== undefined) out.any("state", `state ${state} `, state);
    else out.any("state", `state (${pi.state}) `, pi.state);
    out.any("priority", `priority ${pi.priority} `, pi.priority);
    out.any("cost", `cost ${pi.cost} `, pi.cost);
    if (ctx.details) {
      out.fp(`${out.sl}    `);
      const flag = (key: string, text: string, v: boolean) => out.any(key, `${text} ${v ? "on" : "off"} `, v);
      flag("hairpin", "hairpin", pi.mode);
      flag("guard", "guard", pi.guard);
      flag("root_block", "root_block", pi.protect);
      flag("fastleave", "fastleave", pi.fastLeave);
      flag("learning", "learning", pi.learning);
      flag("flood", "flood", pi.unicastFlood);
      flag("mcast_flood", "mcast_flood", pi.mcastFlood);
      flag("bcast_flood", "bcast_flood", pi.bcastFlood);
      out.any("mcast_router", `mcast_router ${pi.mcastRouter} `, pi.mcastRouter);
      flag("mcast_to_unicast", "mcast_to_unicast", pi.mcastToUcast);
      flag("neigh_suppress", "neigh_suppress", pi.neighSuppress);
      flag("vlan_tunnel", "vlan_tunnel", pi.vlanTunnel);
      if (pi.backupPort !== undefined) {
        const name = llIndexToName(ctx, pi.backupPort);
        out.any("backup_port", `backup_port ${name} `, name);
      }
      flag("isolated", "isolated", pi.isolated);
      flag("locked", "locked", pi.locked);
    }
  }
  out.fp("\n");
  out.closeObject();
}

function brlinkShow(ctx: IpContext, argv: readonly string[]): number {
  let filterDev: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "dev") {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      if (filterDev !== undefined) {
        eprint(ctx, `Error: duplicate "dev": "${v}" is the second value.\n`);
        throw new IpExit(-1);
      }
      filterDev = v;
    }
  }
  let filterIndex = 0;
  if (filterDev !== undefined) {
    filterIndex = nameToIndex(ctx, filterDev);
    if (!filterIndex) return nodev(ctx, filterDev);
  }
  ctx.out.newJsonObj();
  for (const link of sys.rtnlGetBridgeLinks(ctx.task)) printBridgeLink(ctx, link, filterIndex);
  ctx.out.deleteJsonObj();
  return 0;
}

const LINK_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`;

function linkUsage(ctx: IpContext): never {
  eprint(ctx, LINK_USAGE);
  throw new IpExit(-1);
}

/** atoi() */
function atoi(s: string): number {
  const m = s.match(/^\s*[+-]?\d+/);
  return m ? Number.parseInt(m[0], 10) : 0;
}

/** brlink_modify(): IFLA_PROTINFO's port flags, cost, priority, state and backup port. */
function brlinkModify(ctx: IpContext, argv: readonly string[]): number {
  let d: string | undefined;
  const req: {
    -readonly [K in keyof sys.RtBridgeLinkReq]: sys.RtBridgeLinkReq[K];
  } = { ifindex: 0 };
  // parse_on_off() through parse_one_of(): a prefix of "off" or "on".
  const onoff = (key: string, v: string): boolean => {
    if (matches(v, "off")) return false;
    if (matches(v, "on")) return true;
    eprint(ctx, `Error: argument of "${key}" must be one of "off", "on", not "${v}"\n`);
    throw new IpExit(-22);
  };
  let cost = 0;
  let priority = -1;
  let mcastRouter = -1;
  let backup = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") d = next();
    else if (a === "guard") req.guard = onoff(a, next());
    else if (a === "hairpin") req.mode = onoff(a, next());
    else if (a === "fastleave") req.fastLeave = onoff(a, next());
    else if (a === "root_block") req.protect = onoff(a, next());
    else if (a === "learning") req.learning = onoff(a, next());
    else if (a === "learning_sync") {
      // IFLA_BRPORT_LEARNING_SYNC is for a switchdev port's own driver; the bridge ignores it.
      onoff(a, next());
    } else if (a === "flood") req.unicastFlood = onoff(a, next());
    else if (a === "mcast_router") mcastRouter = (atoi(next()) << 24) >> 24;
    else if (a === "mcast_flood") req.mcastFlood = onoff(a, next());
    else if (a === "bcast_flood") req.bcastFlood = onoff(a, next());
    else if (a === "mcast_to_unicast") req.mcastToUcast = onoff(a, next());
    else if (a === "cost") cost = atoi(next()) >>> 0;
    else if (a === "priority") priority = (atoi(next()) << 16) >> 16;
    else if (a === "state") {
      const v = next();
      let state = /^[+-]?\d+$/.test(v) ? Number(v) : STP_STATES.indexOf(v);
      if (state === -1 && !/^[+-]?\d+$/.test(v)) {
        eprint(ctx, "Error: invalid STP port state\n");
        return -1;
      }
      state = ((state % 256) + 256) % 256;
      if (state < 128) req.state = state;
    } else if (a === "hwmode") {
      const v = next();
      if (v !== "vepa" && v !== "veb") {
        eprint(ctx, 'Mode argument must be "vepa" or "veb".\n');
        return -1;
      }
      // IFLA_BRIDGE_MODE goes to the port's own driver (self), which no emulated driver has.
      eprint(ctx, "RTNETLINK answers: Operation not supported\n");
      return -1;
    } else if (a === "master" || a === "self") {
      // BRIDGE_FLAGS_MASTER is the default; `self` would ask the port's own driver.
    } else if (a === "neigh_suppress") req.neighSuppress = onoff(a, next());
    else if (a === "vlan_tunnel") req.vlanTunnel = onoff(a, next());
    else if (a === "isolated") req.isolated = onoff(a, next());
    else if (a === "locked") req.locked = onoff(a, next());
    else if (a === "backup_port") {
      const name = next();
      backup = nameToIndex(ctx, name);
      if (!backup) {
        eprint(ctx, `Error: device ${name} does not exist\n`);
        return -1;
      }
    } else if (a === "nobackup_port") backup = 0;
    else linkUsage(ctx);
  }
  if (d === undefined) {
    eprint(ctx, "Device is a required argument.\n");
    return -1;
  }
  req.ifindex = nameToIndex(ctx, d);
  if (!req.ifindex) {
    eprint(ctx, `Cannot find bridge device "${d}"\n`);
    return -1;
  }
  if (mcastRouter >= 0) req.mcastRouter = mcastRouter;
  if (cost > 0) req.cost = cost;
  if (priority >= 0) req.priority = priority & 0xffff;
  if (backup !== -1) req.backupPort = backup;
  if (!talk(ctx, () => sys.rtnlSetBridgeLink(ctx.task, req))) return -1;
  return 0;
}

function doLink(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  if (cmd === undefined) return brlinkShow(ctx, []);
  if (matches(cmd, "set") || matches(cmd, "change")) return brlinkModify(ctx, argv.slice(1));
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list"))
    return brlinkShow(ctx, argv.slice(1));
  if (matches(cmd, "help")) linkUsage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "bridge link help".\n`);
  throw new IpExit(-1);
}

// --- bridge fdb --------------------------------------------------------------------------------

const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`;

function fdbUsage(ctx: IpContext): never {
  eprint(ctx, FDB_USAGE);
  throw new IpExit(-1);
}

function stateN2a(ctx: IpContext, s: number): string {
  if (s & NUD_PERMANENT) return "permanent";
  if (s & NUD_NOARP) return "static";
  if (s & NUD_STALE) return "stale";
  if (s & NUD_REACHABLE) return "";
  return ctx.out.json ? `0x${s.toString(16)}` : `state=0x${s.toString(16)}`;
}

function stateA2n(arg: string): number | undefined {
  if (matches(arg, "permanent")) return NUD_PERMANENT;
  if (matches(arg, "static") || matches(arg, "temp")) return NUD_NOARP;
  if (matches(arg, "stale")) return NUD_STALE;
  if (matches(arg, "reachable") || matches(arg, "dynamic")) return NUD_REACHABLE;
  if (arg === "all") return ~0 >>> 0;
  return getUnsigned(arg);
}

interface FdbFilter {
  index: number;
  state: number;
  dynamic: boolean;
}

/** print_fdb() */
function printFdb(ctx: IpContext, r: RtFdb, filter: FdbFilter): void {
  if (filter.index && filter.index !== r.ifindex) return;
  if (filter.state && !(r.state & filter.state)) return;
  if (filter.dynamic && r.state & NUD_PERMANENT) return;
  const out = ctx.out;
  out.openObject();
  const mac = formatMac(r.lladdr);
  out.any("mac", `${mac} `, mac);
  if (!filter.index && r.ifindex) {
    const name = llIndexToName(ctx, r.ifindex);
    out.fp("dev ");
    out.any("ifname", `${name} `, name);
  }
  if (r.dst !== undefined) {
    const dst = `${r.dst >>> 24}.${(r.dst >>> 16) & 255}.${(r.dst >>> 8) & 255}.${r.dst & 255}`;
    out.fp("dst ");
    out.any("dst", `${dst} `, dst);
  }
  if (r.port !== undefined) out.any("port", `port ${r.port} `, r.port);
  if (r.vni !== undefined) out.any("vni", `vni ${r.vni} `, r.vni);
  if (r.via !== undefined) {
    if (r.linkNetnsid !== undefined) out.any("viaIfIndex", `via ifindex ${r.via} `, r.via);
    else {
      const name = llIndexToName(ctx, r.via);
      out.any("viaIf", `via ${name} `, name);
    }
  }
  if (r.linkNetnsid !== undefined) out.any("linkNetNsId", `link-netnsid ${r.linkNetnsid} `, r.linkNetnsid);
  if (ctx.stats && r.used !== undefined && r.updated !== undefined) {
    const used = Math.floor(r.used / 100);
    const updated = Math.floor(r.updated / 100);
    out.js("used", used);
    out.js("updated", updated);
    out.fp(`used ${used}/${updated} `);
  }
  if (out.json) out.openArray("flags");
  const flag = (name: string) => out.any(undefined, `${name} `, name);
  if (r.flags & NTF_SELF) flag("self");
  if (r.flags & NTF_ROUTER) flag("router");
  if (r.flags & NTF_EXT_LEARNED) flag("extern_learn");
  if (r.flags & NTF_OFFLOADED) flag("offload");
  if (r.flags & NTF_MASTER) flag("master");
  if (r.flags & NTF_STICKY) flag("sticky");
  if (out.json) out.closeArray();
  if (r.master !== undefined) {
    const master = llIndexToName(ctx, r.master);
    out.any("master", `master ${master} `, master);
  }
  const state = stateN2a(ctx, r.state);
  out.any("state", `${state}\n`, state);
  out.closeObject();
}

function fdbShow(ctx: IpContext, argv: readonly string[]): number {
  let filterDev: string | undefined;
  let br: string | undefined;
  const filter: FdbFilter = { index: 0, state: 0, dynamic: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "brport" || a === "dev") filterDev = next();
    else if (a === "br") br = next();
    else if (a === "vlan") next();
    else if (a === "state") {
      const v = next();
      const s = stateA2n(v);
      if (s === undefined) invarg(ctx, "invalid state", v);
      filter.state = (filter.state | s) >>> 0;
    } else if (a === "dynamic") filter.dynamic = true;
    else if (matches(a, "help")) fdbUsage(ctx);
  }
  let master = 0;
  if (br !== undefined) {
    master = nameToIndex(ctx, br);
    if (!master) {
      eprint(ctx, `Cannot find bridge device "${br}"\n`);
      return -1;
    }
  }
  if (filterDev !== undefined) {
    filter.index = nameToIndex(ctx, filterDev);
    if (!filter.index) return nodev(ctx, filterDev);
  }
  let entries: readonly RtFdb[];
  try {
    entries = sys.rtnlGetFdb(ctx.task, { ifindex: filter.index, master });
  } catch {
    eprint(ctx, "Dump terminated\n");
    throw new IpExit(1);
  }
  ctx.out.newJsonObj();
  for (const r of entries) printFdb(ctx, r, filter);
  ctx.out.deleteJsonObj();
  return 0;
}

/** sscanf("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx") */
function parseMac(addr: string): Uint8Array | undefined {
  const parts = addr.split(":");
  if (parts.length < 6) return undefined;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const m = (parts[i] as string).match(/^\s*(?:0[xX])?([0-9a-fA-F]+)/);
    if (!m) return undefined;
    out[i] = Number.parseInt(m[1] as string, 16) & 0xff;
    // The last field may carry trailing text; the others must end at the colon.
    if (i < 5 && m[0].length !== (parts[i] as string).length) return undefined;
  }
  return out;
}

function fdbModify(
  ctx: IpContext,
  kind: "RTM_NEWNEIGH" | "RTM_DELNEIGH",
  nlFlags: sys.NlFlags,
  argv: readonly string[],
): number {
  let d: string | undefined;
  let addr: string | undefined;
  let flags = 0;
  let state = NUD_NOARP;
  let dst: number | undefined;
  let port: number | undefined;
  let vni: number | undefined;
  let via: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") d = next();
    else if (a === "self") flags |= NTF_SELF;
    else if (matches(a, "master")) flags |= NTF_MASTER;
    else if (matches(a, "router")) flags |= NTF_ROUTER;
    else if (matches(a, "local") || matches(a, "permanent")) state |= NUD_PERMANENT;
    else if (matches(a, "temp") || matches(a, "static")) state |= NUD_REACHABLE;
    else if (matches(a, "dynamic")) {
      state |= NUD_REACHABLE;
      state &= ~NUD_NOARP;
    } else if (matches(a, "use")) flags |= NTF_USE;
    else if (matches(a, "extern_learn")) flags |= NTF_EXT_LEARNED;
    else if (matches(a, "sticky")) flags |= NTF_STICKY;
    else if (a === "dst") {
      const v = next();
      if (dst !== undefined) duparg2(ctx, "dst", v);
      const p = getAddr(ctx, v, 0);
      if (p.family !== AF_INET) {
        eprint(ctx, `bridge fdb: IPv6 "dst" is not implemented in netnest.\n`);
        return -1;
      }
      const b = prefixBytes(p);
      dst = ((b[0] ?? 0) * 0x1000000 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0)) >>> 0;
    } else if (a === "port") {
      const v = next();
      const n = getUnsigned(v);
      if (n === undefined || n > 0xffff) invarg(ctx, "invalid port\n", v);
      port = n;
    } else if (a === "vni") {
      const v = next();
      const n = getUnsigned(v);
      if (n === undefined || n >>> 24) invarg(ctx, "invalid VNI\n", v);
      vni = n;
    } else if (a === "via") {
      const v = next();
      via = nameToIndex(ctx, v);
      if (!via) throw new IpExit(nodev(ctx, v));
    } else if (a === "vlan" || a === "src_vni" || a === "nhid") {
      eprint(ctx, `bridge fdb: "${a}" is not implemented in netnest.\n`);
      return -1;
    } else {
      if (a === "to") a = next();
      if (matches(a, "help")) fdbUsage(ctx);
      if (addr !== undefined) {
        eprint(ctx, `Error: either "to" is duplicate, or "${a}" is a garbage.\n`);
        throw new IpExit(-1);
      }
      addr = a;
    }
  }
  if (d === undefined || addr === undefined) {
    eprint(ctx, "Device and address are required arguments.\n");
    return -1;
  }
  if (!(flags & (NTF_SELF | NTF_MASTER))) flags |= NTF_SELF;
  if (!(state & (NUD_PERMANENT | NUD_REACHABLE))) state |= NUD_PERMANENT;
  const lladdr = parseMac(addr);
  if (!lladdr) {
    eprint(ctx, `Invalid mac address ${addr}\n`);
    return -1;
  }
  const ifindex = nameToIndex(ctx, d);
  if (!ifindex) return nodev(ctx, d);
  const extra = {
    ...(dst !== undefined ? { dst } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(vni !== undefined ? { vni } : {}),
    ...(via !== undefined ? { via } : {}),
  };
  if (!talk(ctx, () => sys.rtnlFdb(ctx.task, { kind, nlFlags, ifindex, state, flags, lladdr, ...extra })))
    return -1;
  return 0;
}

function doFdb(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return fdbShow(ctx, []);
  if (matches(cmd, "add")) return fdbModify(ctx, "RTM_NEWNEIGH", { create: true, excl: true }, rest);
  if (matches(cmd, "append")) return fdbModify(ctx, "RTM_NEWNEIGH", { create: true, append: true }, rest);
  if (matches(cmd, "replace")) return fdbModify(ctx, "RTM_NEWNEIGH", { create: true, replace: true }, rest);
  if (matches(cmd, "delete")) return fdbModify(ctx, "RTM_DELNEIGH", {}, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return fdbShow(ctx, rest);
  if (matches(cmd, "help")) fdbUsage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "bridge fdb help".\n`);
  throw new IpExit(-1);
}

// --- bridge vlan -------------------------------------------------------------------------------

const VLAN_USAGE = `Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       bridge vlan { set } vid VLAN_ID dev DEV [ state STP_STATE ]
                                               [ mcast_router MULTICAST_ROUTER ]
       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan global { set } vid VLAN_ID dev DEV
                      [ mcast_snooping MULTICAST_SNOOPING ]
                      [ mcast_querier MULTICAST_QUERIER ]
                      [ mcast_igmp_version IGMP_VERSION ]
                      [ mcast_mld_version MLD_VERSION ]
                      [ mcast_last_member_count LAST_MEMBER_COUNT ]
                      [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
                      [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
                      [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
                      [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
                      [ mcast_querier_interval QUERIER_INTERVAL ]
                      [ mcast_query_interval QUERY_INTERVAL ]
                      [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
       bridge vlan global { show } [ dev DEV ] [ vid VLAN_ID ]
`;

function vlanUsage(ctx: IpContext): never {
  eprint(ctx, VLAN_USAGE);
  throw new IpExit(-1);
}

const BRIDGE_VLAN_INFO_PVID = 1 << 1;
const BRIDGE_VLAN_INFO_UNTAGGED = 1 << 2;
const BRIDGE_VLAN_INFO_RANGE_BEGIN = 1 << 3;
const BRIDGE_VLAN_INFO_RANGE_END = 1 << 4;
const BRIDGE_FLAGS_MASTER = 1;
const BRIDGE_FLAGS_SELF = 2;

/** A C short: what `short vid = atoi(...)` keeps. */
function toShort(n: number): number {
  return ((n & 0xffff) << 16) >> 16;
}

/** "%hu" */
function hu(n: number): number {
  return n & 0xffff;
}

/** parse_tunnel_info(): "id" and a tunnel id or range, each below 2^24. */
function parseTunnelInfo(ctx: IpContext, argv: readonly string[], i: number): number {
  const next = (): string => {
    const v = argv[++i];
    if (v === undefined) incompleteCommand(ctx);
    return v;
  };
  const id = next();
  if (!matches(id, "id")) invarg(ctx, "tunnel id expected", id);
  const v = next();
  const dash = v.indexOf("-");
  const parts = dash >= 0 ? [v.slice(0, dash), v.slice(dash + 1)] : [v];
  for (const part of parts) {
    const n = getUnsigned(part);
    if (n === undefined || n >= 1 << 24) invarg(ctx, "invalid tun id", parts[0] as string);
  }
  return i;
}

/** vlan_modify(): RTM_SETLINK (add) or RTM_DELLINK (del) with IFLA_AF_SPEC. */
function vlanModify(ctx: IpContext, kind: "RTM_SETLINK" | "RTM_DELLINK", argv: readonly string[]): number {
  let d: string | undefined;
  let vid = -1;
  let vidEnd = -1;
  let vflags = 0;
  let flags = 0;
  let tunnel = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") d = next();
    else if (a === "vid") {
      const v = next();
      const dash = v.indexOf("-");
      if (dash >= 0) {
        vid = toShort(atoi(v.slice(0, dash)));
        vidEnd = toShort(atoi(v.slice(dash + 1)));
        vflags |= BRIDGE_VLAN_INFO_RANGE_BEGIN;
      } else vid = toShort(atoi(v));
    } else if (a === "self") flags |= BRIDGE_FLAGS_SELF;
    else if (a === "master") flags |= BRIDGE_FLAGS_MASTER;
    else if (a === "pvid") vflags |= BRIDGE_VLAN_INFO_PVID;
    else if (a === "untagged") vflags |= BRIDGE_VLAN_INFO_UNTAGGED;
    else if (a === "tunnel_info") {
      i = parseTunnelInfo(ctx, argv, i);
      tunnel = true;
    } else if (matches(a, "help")) next();
  }
  if (d === undefined || vid === -1) {
    eprint(ctx, "Device and VLAN ID are required arguments.\n");
    return -1;
  }
  const ifindex = nameToIndex(ctx, d);
  if (!ifindex) {
    eprint(ctx, `Cannot find bridge device "${d}"\n`);
    return -1;
  }
  // The short compares signed: a vid above 32767 reads negative and passes.
  if (vid >= 4096) {
    eprint(ctx, `Invalid VLAN ID "${hu(vid)}"\n`);
    return -1;
  }
  if (vflags & BRIDGE_VLAN_INFO_RANGE_BEGIN) {
    if (vidEnd === -1 || vidEnd >= 4096 || vid >= vidEnd) {
      eprint(ctx, `Invalid VLAN range "${hu(vid)}-${hu(vidEnd)}"\n`);
      return -1;
    }
    if (vflags & BRIDGE_VLAN_INFO_PVID) {
      eprint(ctx, "pvid cannot be configured for a vlan range\n");
      return -1;
    }
  }
  const vlans =
    vidEnd !== -1
      ? [
          { vid: hu(vid), flags: vflags },
          { vid: hu(vidEnd), flags: (vflags & ~BRIDGE_VLAN_INFO_RANGE_BEGIN) | BRIDGE_VLAN_INFO_RANGE_END },
        ]
      : [{ vid: hu(vid), flags: vflags }];
  const req = { kind, ifindex, flags, vlans, ...(tunnel ? { tunnel } : {}) };
  if (!talk(ctx, () => sys.rtnlBridgeVlan(ctx.task, req))) return -1;
  return 0;
}

/** vlan_option_set() / vlan_global_option_set(): RTM_NEWVLAN. */
function vlanOptionSet(ctx: IpContext, argv: readonly string[], global: boolean): number {
  let d: string | undefined;
  let vid = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") {
      d = next();
      if (!nameToIndex(ctx, d)) {
        eprint(ctx, `Cannot find network device "${d}"\n`);
        return -1;
      }
    } else if (a === "vid") {
      const v = next();
      const dash = v.indexOf("-");
      if (dash >= 0) {
        vid = toShort(atoi(v.slice(0, dash)));
        const vidEnd = toShort(atoi(v.slice(dash + 1)));
        if (vid >= vidEnd || vidEnd >= 4096) {
          eprint(ctx, `Invalid VLAN range "${hu(vid)}-${hu(vidEnd)}"\n`);
          return -1;
        }
      } else vid = toShort(atoi(v));
      if (vid >= 4096) {
        eprint(ctx, `Invalid VLAN ID "${hu(vid)}"\n`);
        return -1;
      }
    } else if (!global && a === "state") {
      const v = next();
      const state = /^[0-9]+$/.test(v) ? Number(v) : STP_STATES.indexOf(v);
      if (state === -1) {
        eprint(ctx, "Error: invalid STP state\n");
        return -1;
      }
    } else if (!global && a === "mcast_router") {
      const v = next();
      const n = getUnsigned(v);
      if (n === undefined || n > 255) invarg(ctx, "invalid mcast_router", v);
    } else if (global && a.startsWith("mcast_")) {
      next();
    } else if (matches(a, "help")) next();
  }
  if (d === undefined || vid === -1) {
    eprint(ctx, "Device and VLAN ID are required arguments.\n");
    return -1;
  }
  if (!talk(ctx, () => sys.rtnlVlanDb(ctx.task, { kind: "RTM_NEWVLAN" }))) return -1;
  return 0;
}

const VLAN_HEADER = `${"port".padEnd(16)}  ${"vlan-id".padEnd(9)}`;

/** The `dev DEV` and `vid VID` filters vlan_show and mdb_show read (other words are skipped). */
function parseDevVid(
  ctx: IpContext,
  argv: readonly string[],
): { readonly filterDev: string | undefined; readonly filterVlan: number } {
  let filterDev: string | undefined;
  let filterVlan = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") {
      const v = next();
      if (filterDev !== undefined) {
        eprint(ctx, `Error: duplicate "dev": "${v}" is the second value.\n`);
        throw new IpExit(-1);
      }
      filterDev = v;
    } else if (a === "vid") {
      const v = next();
      if (filterVlan) {
        eprint(ctx, `Error: duplicate "vid": "${v}" is the second value.\n`);
        throw new IpExit(-1);
      }
      filterVlan = atoi(v);
    }
  }
  return { filterDev, filterVlan };
}

/**
 * vlan_show() and vlan_global_show(). The ports' IFLA_AF_SPEC carries no vlans on this kernel
 * (br_fill_ifinfo has none to put there), so the classic dump prints the header alone; the
 * RTM_GETVLAN dump that -d and `global` use is not there at all.
 */
function vlanShow(ctx: IpContext, argv: readonly string[], subject: "vlan" | "tunnel" | "global"): number {
  // A vid filter has nothing to filter here: no port carries vlans.
  const { filterDev } = parseDevVid(ctx, argv);
  if (filterDev !== undefined && !nameToIndex(ctx, filterDev)) return nodev(ctx, filterDev);
  const out = ctx.out;
  out.newJsonObj();
  if ((ctx.details && subject === "vlan") || subject === "global") {
    out.fp(`${VLAN_HEADER}\n`);
    try {
      sys.rtnlVlanDb(ctx.task, { kind: "RTM_GETVLAN" });
    } catch (e) {
      eprint(ctx, `RTNETLINK answers: ${strerror(asKernelError(e).errno)}\n`);
      eprint(ctx, "Dump terminated\n");
      // exit(1) with the JSON array still open: its "[" was written.
      if (out.json) out.text += "[";
      throw new IpExit(1);
    }
  } else if (!ctx.stats) {
    out.fp(`${VLAN_HEADER}${subject === "tunnel" ? "  tunnel-id" : ""}\n`);
    // RTM_GETLINK of PF_BRIDGE with RTEXT_FILTER_BRVLAN: no port has a vlan to print.
    sys.rtnlGetBridgeLinks(ctx.task);
  } else {
    out.fp(`${"port".padEnd(16)}  vlan-id\n`);
  }
  out.deleteJsonObj();
  return 0;
}

function doVlan(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return vlanShow(ctx, [], "vlan");
  if (matches(cmd, "add")) return vlanModify(ctx, "RTM_SETLINK", rest);
  if (matches(cmd, "delete")) return vlanModify(ctx, "RTM_DELLINK", rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return vlanShow(ctx, rest, "vlan");
  if (matches(cmd, "tunnelshow")) return vlanShow(ctx, rest, "tunnel");
  if (matches(cmd, "set")) return vlanOptionSet(ctx, rest, false);
  if (cmd === "global") {
    const sub = rest[0];
    if (sub === undefined || sub === "show" || sub === "lst" || sub === "list")
      return vlanShow(ctx, rest.slice(1), "global");
    if (sub === "set") return vlanOptionSet(ctx, rest.slice(1), true);
    vlanUsage(ctx);
  }
  if (matches(cmd, "help")) vlanUsage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "bridge vlan help".\n`);
  throw new IpExit(-1);
}

// --- bridge mdb --------------------------------------------------------------------------------

const MDB_USAGE = `Usage: bridge mdb { add | del } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]
       bridge mdb {show} [ dev DEV ] [ vid VID ]
`;

function mdbUsage(ctx: IpContext): never {
  eprint(ctx, MDB_USAGE);
  throw new IpExit(-1);
}

const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;

/** format_timer(): USER_HZ ticks as seconds and hundredths, "%4lu.%.2lu" when aligned. */
function formatTimer(ticks: number, align: boolean): string {
  const sec = Math.floor(ticks / 100);
  const cs = String(ticks % 100).padStart(2, "0");
  return `${align ? String(sec).padStart(4) : sec}.${cs}`;
}

/** print_mdb_entry() */
function printMdbEntry(ctx: IpContext, brIndex: number, e: sys.RtMdbEntry, filterVlan: number): void {
  if (filterVlan && e.vid !== filterVlan) return;
  const out = ctx.out;
  const dev = llIndexToName(ctx, brIndex);
  out.openObject();
  out.js("index", brIndex);
  out.any("dev", `dev ${dev}`, dev);
  const port = llIndexToName(ctx, e.ifindex);
  out.any("port", ` port ${port}`, port);
  const grp =
    e.proto === ETH_P_IP
      ? formatInet4(e.addr)
      : e.proto === ETH_P_IPV6
        ? formatInet6(e.addr)
        : formatMac(e.addr);
  out.any("grp", ` grp ${grp}`, grp);
  const state = e.state & 1 ? "permanent" : "temp";
  out.any("state", ` ${state}`, state);
  if (ctx.details && e.rtprot !== undefined) {
    const proto = rtprotN2a(e.rtprot);
    out.any("protocol", ` proto ${proto} `, proto);
  }
  out.openArray("flags");
  const MDB_FLAGS_OFFLOAD = 1 << 0;
  const MDB_FLAGS_FAST_LEAVE = 1 << 1;
  const MDB_FLAGS_STAR_EXCL = 1 << 2;
  const MDB_FLAGS_BLOCKED = 1 << 3;
  if (e.flags & MDB_FLAGS_OFFLOAD) out.any(undefined, " offload", "offload");
  if (e.flags & MDB_FLAGS_FAST_LEAVE) out.any(undefined, " fast_leave", "fast_leave");
  if (e.flags & MDB_FLAGS_STAR_EXCL) out.any(undefined, " added_by_star_ex", "added_by_star_ex");
  if (e.flags & MDB_FLAGS_BLOCKED) out.any(undefined, " blocked", "blocked");
  out.closeArray();
  if (e.vid) out.any("vid", ` vid ${e.vid}`, e.vid);
  if (ctx.stats) {
    const t = formatTimer(e.timer, true);
    out.any("timer", ` ${t}`, t);
  }
  out.nl();
  out.closeObject();
}

/** mdb_show(): the entries of one dump, then the router ports of a second. */
function mdbShow(ctx: IpContext, argv: readonly string[]): number {
  const { filterDev, filterVlan } = parseDevVid(ctx, argv);
  let filterIndex = 0;
  if (filterDev !== undefined) {
    filterIndex = nameToIndex(ctx, filterDev);
    if (!filterIndex) return nodev(ctx, filterDev);
  }
  const out = ctx.out;
  out.newJsonObj();
  out.openObject();
  out.openArray("mdb");
  for (const br of sys.rtnlGetMdb(ctx.task)) {
    if (filterIndex && filterIndex !== br.ifindex) continue;
    for (const e of br.entries) printMdbEntry(ctx, br.ifindex, e, filterVlan);
  }
  out.closeArray();
  out.openObject("router");
  for (const br of sys.rtnlGetMdb(ctx.task)) {
    if (filterIndex && filterIndex !== br.ifindex) continue;
    if (!br.routers || !ctx.details) continue;
    // br_print_router_ports()
    const name = llIndexToName(ctx, br.ifindex);
    out.openArray(name);
    if (!out.json && !ctx.stats) out.text += `router ports on ${name}: `;
    for (const r of br.routers) {
      const port = llIndexToName(ctx, r.ifindex);
      if (out.json) {
        out.openObject();
        out.js("port", port);
        if (ctx.stats) {
          out.js("timer", formatTimer(r.timer, true));
          out.js("type", r.type === 1 || r.type === 3 ? "temp" : "permanent");
        }
        out.closeObject();
      } else if (ctx.stats) {
        const type = r.type === 1 || r.type === 3 ? "temp" : "permanent";
        out.text += `router ports on ${name}: ${port} ${formatTimer(r.timer, true)} ${type}\n`;
      } else out.text += `${port} `;
    }
    if (!ctx.stats) out.nl();
    out.closeArray();
  }
  out.closeObject();
  out.closeObject();
  out.deleteJsonObj();
  return 0;
}

/** mdb_modify(): RTM_NEWMDB (NLM_F_CREATE|NLM_F_EXCL) or RTM_DELMDB with MDBA_SET_ENTRY. */
function mdbModify(ctx: IpContext, kind: "RTM_NEWMDB" | "RTM_DELMDB", argv: readonly string[]): number {
  let d: string | undefined;
  let p: string | undefined;
  let grp: string | undefined;
  let src: string | undefined;
  let state = 0;
  let vid = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (a === "dev") d = next();
    else if (a === "grp") grp = next();
    else if (a === "port") p = next();
    else if (a === "permanent") {
      if (kind === "RTM_NEWMDB") state |= 1;
    } else if (a === "temp") {
      // MDB_TEMPORARY is 0.
    } else if (a === "vid") vid = toShort(atoi(next())) & 0xffff;
    else if (a === "src") src = next();
    else if (matches(a, "help")) mdbUsage(ctx);
  }
  if (d === undefined || grp === undefined || p === undefined) {
    eprint(ctx, "Device, group address and port name are required arguments.\n");
    return -1;
  }
  const ifindex = nameToIndex(ctx, d);
  if (!ifindex) return nodev(ctx, d);
  const portIndex = nameToIndex(ctx, p);
  if (!portIndex) return nodev(ctx, p);
  // mdb_parse_grp(): IPv4, IPv6, then a 6-byte link-layer address.
  let proto = ETH_P_IP;
  let addr = inetPton4(grp);
  if (!addr) {
    proto = ETH_P_IPV6;
    addr = inetPton6(grp);
  }
  if (!addr) {
    proto = 0;
    const ll = llAddrA2n(ctx, grp, 6);
    addr = ll?.length === 6 ? ll : undefined;
  }
  if (!addr) {
    eprint(ctx, `Invalid address "${grp}"\n`);
    return -1;
  }
  if (src !== undefined) {
    if (!inetPton4(src) && !inetPton6(src)) {
      eprint(ctx, `Invalid source address "${src}"\n`);
      return -1;
    }
    eprint(ctx, 'bridge mdb: "src" ((S,G) entries) is not implemented in netnest.\n');
    return -1;
  }
  const req = { kind, ifindex, entry: { ifindex: portIndex, state, vid, proto, addr } };
  if (!talk(ctx, () => sys.rtnlMdb(ctx.task, req))) return -1;
  return 0;
}

function doMdb(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return mdbShow(ctx, []);
  if (matches(cmd, "add")) return mdbModify(ctx, "RTM_NEWMDB", rest);
  if (matches(cmd, "delete")) return mdbModify(ctx, "RTM_DELMDB", rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return mdbShow(ctx, rest);
  if (matches(cmd, "help")) mdbUsage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "bridge mdb help".\n`);
  throw new IpExit(-1);
}

// --- bridge monitor ----------------------------------------------------------------------------

const MONITOR_USAGE = `Usage: bridge monitor [file | link | fdb | mdb | vlan | vni | all]
`;

/** glibc's stdio buffer for a file or pipe: what a print function leaves unflushed stays there. */
const STDIO_BUFSIZ = 4096;

/** print_linkinfo() for an RTM_NEWLINK / RTM_DELLINK of family AF_UNSPEC. */
function printLinkMsg(ctx: IpContext, link: sys.RtLink, deleted: boolean): void {
  const out = ctx.out;
  out.openObject();
  if (deleted) out.any("deleted", "Deleted ", true);
  out.any("ifindex", `${link.ifindex}: `, link.ifindex);
  // print_name_and_link(): a peer in another namespace is "@ifN", and its flags are not looked up.
  let name = link.ifname;
  let mflag = false;
  if (link.link !== undefined) {
    if (link.link && link.linkNetnsid !== undefined) name = `${name}@if${link.link}`;
    else if (link.link) {
      name = `${name}@${llIndexToName(ctx, link.link)}`;
      const known = linkCache(ctx).find((l) => l.ifindex === link.link);
      mflag = known ? !(known.flags & IFF_UP) : false;
    } else name = `${name}@NONE`;
  }
  out.any("ifname", `${name}: `, name);
  printLinkFlags(ctx, link.flags, mflag);
  out.any("mtu", `mtu ${link.mtu} `, link.mtu);
  if (link.master !== undefined) {
    const master = llIndexToName(ctx, link.master);
    out.any("master", `master ${master} `, master);
  }
  out.fp("\n");
  out.closeObject();
}

/**
 * accept_msg(): true when the print function flushed stdout. print_linkinfo and print_fdb end with
 * fflush; print_mdb_mon does not, so an MDB line waits in the buffer for the next flush (a monitor
 * of mdb alone that is killed loses what it printed, as the real one does).
 */
function bridgeAcceptMsg(
  ctx: IpContext,
  msg: sys.RtnlMsg,
  banner: boolean,
  want: ReadonlySet<string>,
): boolean {
  const out = ctx.out;
  const header = (label: string) => {
    if (banner) out.text += label;
  };
  if (msg.kind === "link" && want.has("link")) {
    header("[LINK]");
    printLinkMsg(ctx, msg.link, msg.deleted);
    return true;
  }
  if (msg.kind === "brlink" && want.has("link")) {
    header("[LINK]");
    printBridgeLink(ctx, msg.link, 0, msg.deleted);
    return true;
  }
  if (msg.kind === "fdb" && want.has("neigh")) {
    header("[NEIGH]");
    if (msg.deleted) out.text += "Deleted ";
    printFdb(ctx, msg.fdb, { index: 0, state: 0, dynamic: false });
    return true;
  }
  if (msg.kind === "mdb" && want.has("mdb")) {
    header("[MDB]");
    if (msg.deleted) out.any("deleted", "Deleted ", true);
    printMdbEntry(ctx, msg.ifindex, msg.entry, 0);
    return false;
  }
  // accept_msg's default: anything else is not for this tool.
  return false;
}

/** do_monitor(): the groups the objects name (all but TC without any), printed until a signal. */
async function doMonitor(ctx: IpContext, argv: readonly string[]): Promise<number> {
  const want = new Set<string>();
  let banner = false;
  let all = true;
  for (const a of argv) {
    if (matches(a, "file")) {
      // rtnl_from_file replays a saved netlink stream; netnest has none to offer.
      eprint(ctx, "Cannot fopen: No such file or directory\n");
      throw new IpExit(-1);
    } else if (matches(a, "link")) {
      want.add("link");
      all = false;
    } else if (matches(a, "fdb")) {
      want.add("neigh");
      all = false;
    } else if (matches(a, "mdb")) {
      want.add("mdb");
      all = false;
    } else if (matches(a, "vlan") || a === "vni") {
      // RTNLGRP_BRVLAN and RTNLGRP_TUNNEL: nothing is ever sent there without vlan filtering.
      all = false;
    } else if (a === "all") {
      all = true;
      banner = true;
    } else if (matches(a, "help")) {
      eprint(ctx, MONITOR_USAGE);
      throw new IpExit(-1);
    } else {
      eprint(ctx, `Argument "${a}" is unknown, try "bridge monitor help".\n`);
      throw new IpExit(-1);
    }
  }
  if (all) for (const g of ["link", "neigh", "mdb"]) want.add(g);
  const groups = [...want] as sys.RtnlGroup[];
  const task = ctx.task;
  const sk = sys.rtnlListen(task, groups);
  try {
    // ll_init_map: the devices as they are now.
    ctx.links = sys.rtnlGetLink(task);
    for (;;) {
      const msg = await sys.rtnlRecv(task, sk);
      if (!msg) continue;
      const flushed = bridgeAcceptMsg(ctx, msg, banner, want);
      const out = ctx.out;
      if (flushed) {
        ctx.proc.write(1, out.text);
        out.text = "";
      } else if (out.text.length >= STDIO_BUFSIZ) {
        const n = out.text.length - (out.text.length % STDIO_BUFSIZ);
        ctx.proc.write(1, out.text.slice(0, n));
        out.text = out.text.slice(n);
      }
    }
  } finally {
    sys.rtnlClose(task, sk);
  }
}

// --- main --------------------------------------------------------------------------------------

const OBJECTS: readonly (readonly [
  string,
  ((ctx: IpContext, argv: readonly string[]) => number | Promise<number>) | undefined,
])[] = [
  ["link", doLink],
  ["fdb", doFdb],
  ["mdb", doMdb],
  ["vlan", doVlan],
  ["vni", undefined],
  ["monitor", doMonitor],
  ["help", (ctx) => usage(ctx)],
];

async function bridgeMain(ctx: IpContext, argvIn: readonly string[]): Promise<number> {
  let argv = argvIn.slice(1);
  let json = false;
  let pretty = false;
  let oneline = false;
  while (argv.length > 0) {
    let opt = argv[0] as string;
    if (opt === "--") {
      argv = argv.slice(1);
      break;
    }
    if (opt[0] !== "-") break;
    if (opt[1] === "-") opt = opt.slice(1);
    if (matches(opt, "-help")) usage(ctx);
    else if (matches(opt, "-Version")) {
      ctx.out.text += "bridge utility, 6.1.0\n";
      return 0;
    } else if (matches(opt, "-stats") || matches(opt, "-statistics")) ctx.stats++;
    else if (matches(opt, "-details")) ctx.details++;
    else if (matches(opt, "-oneline")) oneline = true;
    else if (matches(opt, "-timestamp") || matches(opt, "-compressvlans") || matches(opt, "-force")) {
      // No effect on what is emulated here.
    } else if (matches(opt, "-family")) {
      argv = argv.slice(1);
      if (argv.length < 1) usage(ctx);
      const fam = argv[0] as string;
      if (fam === "help") usage(ctx);
      if (fam !== "inet" && fam !== "inet6") invarg(ctx, "invalid protocol family", fam);
    } else if (opt === "-4" || opt === "-6") {
      // preferred_family only matters to fdb dst addresses.
    } else if (matches(opt, "-netns")) {
      argv = argv.slice(1);
      if (argv.length < 1) incompleteCommand(ctx);
      if (!netnsSwitch(ctx, argv[0] as string)) throw new IpExit(-1);
    } else if (matches(opt, "-json")) json = true;
    else if (matches(opt, "-pretty")) pretty = true;
    else if (opt === "-color" || matches(opt, "-color")) {
      // Colour only reaches a terminal.
    } else {
      eprint(ctx, `Option "${opt}" is unknown, try "bridge help".\n`);
      throw new IpExit(-1);
    }
    argv = argv.slice(1);
  }
  ctx.json = json;
  ctx.oneline = oneline;
  ctx.out = new JsonPrinter(json, oneline ? "\\" : "\n", pretty);
  const object = argv[0];
  if (object === undefined) usage(ctx);
  for (const [name, handler] of OBJECTS) {
    if (!matches(object, name)) continue;
    if (!handler) {
      eprint(ctx, `Object "${object}" is not implemented in netnest.\n`);
      return -1;
    }
    return await handler(ctx, argv.slice(1));
  }
  eprint(ctx, `Object "${object}" is unknown, try "bridge help".\n`);
  return -1;
}

/** The `bridge` program. */
export const bridge: Program = async (argv: readonly string[], proc: Proc): Promise<ProgramResult> => {
  const ctx = newContext(proc);
  let code: number;
  try {
    code = await bridgeMain(ctx, argv);
  } catch (e) {
    if (!(e instanceof IpExit)) throw e;
    code = e.code;
  } finally {
    if (ctx.task !== proc.task) sys.taskExit(ctx.task);
  }
  return { stdout: ctx.out.text, stderr: ctx.err, exitCode: code & 0xff };
};
