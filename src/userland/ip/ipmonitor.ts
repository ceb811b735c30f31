// ip/ipmonitor.c: `ip monitor [all | OBJECTS] [label] [dev DEV]` — join the rtnetlink multicast
// groups and print each notification as the matching `ip … show` would, until a signal ends it.
// Like the real tool it flushes after every message, so what it printed survives `kill`.

import * as sys from "../../kernel/syscalls.js";
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  type NlFlags,
  type RtLink,
  type RtNetconf,
  type RtnlGroup,
  type RtnlMsg,
} from "../../kernel/syscalls.js";
import { asctime, gettimeofday, isoDateTime } from "../libc_time.js";
import { monitorAddrFilter, printAddrinfo, printBridgeLinkinfo, printLinkinfo } from "./ipaddress.js";
import { printFdbNeighEvent, printNeighEvent } from "./ipneigh.js";
import { printRouteEvent } from "./iproute.js";
import { printRuleEvent } from "./iprule.js";
import {
  eprint,
  getNetnsidFromName,
  type IpContext,
  IpExit,
  invarg,
  linkCache,
  llIndexToName,
  matches,
  netnsGetName,
  strerror,
  talk,
} from "./utils.js";

const USAGE = `Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME
`;

const LLINK = 1 << 0;
const LADDR = 1 << 1;
const LROUTE = 1 << 2;
const LMROUTE = 1 << 3;
const LPREFIX = 1 << 4;
const LNEIGH = 1 << 5;
const LNETCONF = 1 << 6;
const LSTATS = 1 << 7;
const LRULE = 1 << 8;
const LNSID = 1 << 9;
const LNEXTHOP = 1 << 10;

/** The groups netnest has events for; IPv6, MPLS, mroute, prefix, nexthop and stats stay silent. */
function groupsFor(lmask: number, family: number): RtnlGroup[] {
  const groups: RtnlGroup[] = [];
  const inet = family === 0 || family === AF_INET;
  if (lmask & LLINK) groups.push("link");
  if (lmask & LADDR && inet) groups.push("ipv4-ifaddr");
  if (lmask & LROUTE && inet) groups.push("ipv4-route");
  if (lmask & LNEIGH) groups.push("neigh");
  if (lmask & LNETCONF && inet) groups.push("ipv4-netconf");
  if (lmask & LRULE && inet) groups.push("ipv4-rule");
  if (lmask & LNSID) groups.push("nsid");
  return groups;
}

const OBJECT_BITS: readonly (readonly [string, number, boolean])[] = [
  // [word, bit, exact]: matches() abbreviations, except `stats` (strcmp).
  ["link", LLINK, false],
  ["address", LADDR, false],
  ["route", LROUTE, false],
  ["mroute", LMROUTE, false],
  ["prefix", LPREFIX, false],
  ["neigh", LNEIGH, false],
  ["netconf", LNETCONF, false],
  ["rule", LRULE, false],
  ["nsid", LNSID, false],
  ["nexthop", LNEXTHOP, false],
  ["stats", LSTATS, true],
];

function onOff(v: number): string {
  return v ? "on" : "off";
}

/** print_netconf (ipnetconf.c) for an IPv4 RTM_NEWNETCONF / RTM_DELNETCONF. */
function printNetconf(ctx: IpContext, nc: RtNetconf, deleted: boolean, head: string): void {
  const out = ctx.out;
  out.fp(head);
  const dev = nc.ifindex === -1 ? "all" : nc.ifindex === -2 ? "default" : llIndexToName(ctx, nc.ifindex);
  out.fp(`inet ${dev} `);
  if (!deleted) {
    out.fp(`forwarding ${onOff(nc.forwarding)} `);
    const rp =
      nc.rpFilter === 0 ? "off" : nc.rpFilter === 1 ? "strict" : nc.rpFilter === 2 ? "loose" : "unknown mode";
    out.fp(`rp_filter ${rp} `);
    out.fp(`mc_forwarding ${onOff(nc.mcForwarding)} `);
    out.fp(`proxy_neigh ${onOff(nc.proxyNeigh)} `);
    out.fp(`ignore_routes_with_linkdown ${onOff(nc.ignoreRoutesWithLinkdown)} `);
  }
  out.fp("\n");
}

/** print_nsid (ipnetns.c) */
function printNsid(ctx: IpContext, msg: RtnlMsg & { kind: "nsid" }, head: string): void {
  const out = ctx.out;
  const names = ctx.nsidNames as Map<number, string>;
  out.fp(head);
  out.fp(msg.nsid < 0 ? "nsid unassigned " : `nsid ${msg.nsid} `);
  let name = names.get(msg.nsid);
  if (name !== undefined) names.delete(msg.nsid);
  else if (!msg.deleted) {
    name = netnsGetName(ctx, msg.nsid);
    if (name !== undefined) names.set(msg.nsid, name);
  }
  if (name !== undefined) out.fp(`(iproute2 netns name: ${name})`);
  out.fp("\n");
}

/**
 * ll_remember_index: the monitor's device cache follows the link messages, except that a known
 * device keeps the name it was first cached under (iproute2 6.1 rehashes a renamed entry without
 * copying the new name, so `Deleted inet OLDNAME` follows a rename).
 */
function rememberLink(ctx: IpContext, link: RtLink, deleted: boolean): void {
  const known = (ctx.links ?? []).find((l) => l.ifindex === link.ifindex);
  const others = (ctx.links ?? []).filter((l) => l.ifindex !== link.ifindex);
  if (deleted) ctx.links = others;
  else
    ctx.links = [...others, known ? { ...link, ifname: known.ifname } : link].sort(
      (a, b) => a.ifindex - b.ifindex,
    );
}

/** What print_headers() adds before each object: the banner (`label`) and, with all-nsid, the nsid. */
interface MonitorHeads {
  readonly banner: boolean;
  /** undefined without all-nsid; else the message's nsid, -1 when it came without one. */
  readonly nsid?: number;
}

/**
 * print_headers(): the time (-t/-ts), with all-nsid "[nsid N]" (or "[nsid current]" when the
 * message has no nsid control message), and with `label` the object's banner. iproute2 prints
 * them before the object's own filters run, so a message `dev D` filters out still leaves them.
 */
function printHeaders(ctx: IpContext, label: string, head: MonitorHeads): void {
  if (ctx.timestamp) {
    const tv = gettimeofday(ctx.task);
    const usec = String(tv.usec);
    ctx.out.text +=
      ctx.timestamp === 2
        ? `[${isoDateTime(tv.sec)}.${usec.padStart(6, "0")}] `
        : `Timestamp: ${asctime(tv.sec)} ${usec} usec\n`;
  }
  if (head.nsid !== undefined) ctx.out.text += head.nsid < 0 ? "[nsid current]" : `[nsid ${head.nsid}]`;
  if (head.banner) ctx.out.text += label;
}

/**
 * accept_msg(): true when the object was printed, which is when iproute2's print function ends
 * with fflush; headers of a message its filter dropped stay in stdio's buffer until then (and are
 * lost if a signal ends the monitor first).
 */
function acceptMsg(ctx: IpContext, msg: RtnlMsg, head: MonitorHeads, ifindex: number): boolean {
  const printed = (since: number) => ctx.out.text.length > since;
  const del = msg.deleted ? "Deleted " : "";
  let at: number;
  switch (msg.kind) {
    case "fdb":
      // A bridge's FDB entries reach the neigh group too, as family AF_BRIDGE.
      if (ctx.preferredFamily && ctx.preferredFamily !== AF_BRIDGE) return false;
      printHeaders(ctx, "[NEIGH]", head);
      at = ctx.out.text.length;
      printFdbNeighEvent(ctx, msg.fdb, ifindex, del);
      return printed(at);
    case "mdb":
      // RTNLGRP_MDB is not among the groups ip monitor joins.
      return false;
    case "link":
      printHeaders(ctx, "[LINK]", head);
      at = ctx.out.text.length;
      rememberLink(ctx, msg.link, msg.deleted);
      printLinkinfo(ctx, msg.link, monitorAddrFilter(ctx, ifindex), {
        head: del,
        ...(msg.newNetnsid !== undefined ? { newNetnsid: msg.newNetnsid } : {}),
        ...(msg.newIfindex !== undefined ? { newIfindex: msg.newIfindex } : {}),
      });
      return printed(at);
    case "addr":
      printHeaders(ctx, "[ADDR]", head);
      at = ctx.out.text.length;
      printAddrinfo(ctx, msg.addr, monitorAddrFilter(ctx, ifindex), { head: del });
      return printed(at);
    case "route":
      printHeaders(ctx, "[ROUTE]", head);
      at = ctx.out.text.length;
      printRouteEvent(ctx, msg.route, ifindex, del);
      return printed(at);
    case "neigh":
      if (ctx.preferredFamily && msg.neigh.family !== ctx.preferredFamily) return false;
      printHeaders(ctx, "[NEIGH]", head);
      at = ctx.out.text.length;
      // print_neigh: RTM_GETNEIGH, the kernel's request to a resolving daemon, is a "miss".
      printNeighEvent(ctx, msg.neigh, ifindex, msg.request ? "miss " : del);
      return printed(at);
    case "rule":
      printHeaders(ctx, "[RULE]", head);
      at = ctx.out.text.length;
      printRuleEvent(ctx, msg.rule, del);
      return printed(at);
    case "netconf":
      printHeaders(ctx, "[NETCONF]", head);
      at = ctx.out.text.length;
      // print_netconf's own filter, after the headers.
      if (ifindex && msg.netconf.ifindex !== ifindex) return false;
      printNetconf(ctx, msg.netconf, msg.deleted, del);
      return printed(at);
    case "brlink": {
      printHeaders(ctx, "[LINK]", head);
      at = ctx.out.text.length;
      // ll_remember_index: a port's RTM_DELLINK drops the device from the cache too.
      if (msg.deleted) ctx.links = (ctx.links ?? []).filter((l) => l.ifindex !== msg.link.ifindex);
      printBridgeLinkinfo(ctx, msg.link, monitorAddrFilter(ctx, ifindex), del);
      return printed(at);
    }
    case "nsid":
      printHeaders(ctx, "[NSID]", head);
      at = ctx.out.text.length;
      printNsid(ctx, msg, del);
      return printed(at);
  }
}

/**
 * rtnl_echo_talk's print_info: the notification a -echo request got back, printed as monitor
 * prints it (with -j as a one-object array); nothing when none came back.
 */
function printEcho(ctx: IpContext, msg: RtnlMsg | undefined): void {
  if (!msg) return;
  ctx.out.newJsonObj();
  ctx.out.openObject();
  acceptMsg(ctx, msg, { banner: false }, 0);
  ctx.out.closeObject();
  ctx.out.deleteJsonObj();
}

/** The request with NLM_F_ECHO when `echo` (ip -echo). */
export function withEcho<T extends { readonly nlFlags: NlFlags }>(req: T, echo: boolean): T {
  return echo ? { ...req, nlFlags: { ...req.nlFlags, echo: true } } : req;
}

/** rtnl_talk, or with -echo rtnl_echo_talk: the request carries NLM_F_ECHO and the answer is printed. */
export function talkEcho(ctx: IpContext, request: (echo: boolean) => RtnlMsg | undefined): boolean {
  let echoed: RtnlMsg | undefined;
  if (
    !talk(ctx, () => {
      echoed = request(ctx.echo === true);
    })
  )
    return false;
  if (ctx.echo) printEcho(ctx, echoed);
  return true;
}

export async function doIpmonitor(ctx: IpContext, argv: readonly string[]): Promise<number> {
  let lmask = 0;
  let banner = false;
  let ifindex = 0;
  let listenAllNsid = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (matches(arg, "file")) {
      const file = argv[++i];
      if (file === undefined) {
        eprint(ctx, 'Command line is not complete. Try option "help"\n');
        throw new IpExit(-1);
      }
      // rtnl_from_file replays a saved netlink stream; netnest has none to offer.
      eprint(ctx, "Cannot fopen: No such file or directory\n");
      throw new IpExit(-1);
    }
    if (matches(arg, "label")) {
      banner = true;
      continue;
    }
    const object = OBJECT_BITS.find(([word, , exact]) => (exact ? arg === word : matches(arg, word)));
    if (object) {
      lmask |= object[1];
      continue;
    }
    if (arg === "all") {
      banner = true;
      continue;
    }
    if (matches(arg, "all-nsid")) {
      listenAllNsid = true;
      continue;
    }
    if (matches(arg, "help")) {
      eprint(ctx, USAGE);
      throw new IpExit(-1);
    }
    if (arg === "dev") {
      const name = argv[++i];
      if (name === undefined) {
        eprint(ctx, 'Command line is not complete. Try option "help"\n');
        throw new IpExit(-1);
      }
      // ll_name_to_index
      ifindex = linkCache(ctx).find((l) => l.ifname === name || l.altnames?.includes(name))?.ifindex ?? 0;
      if (!ifindex) invarg(ctx, "Device does not exist\n", name);
      continue;
    }
    eprint(ctx, `Argument "${arg}" is unknown, try "ip monitor help".\n`);
    throw new IpExit(-1);
  }
  if (!lmask) lmask = ~0;
  const groups = groupsFor(lmask, ctx.preferredFamily === AF_INET6 ? AF_INET6 : ctx.preferredFamily);
  const task = ctx.task;
  const sk = sys.rtnlListen(task, groups);
  try {
    // rtnl_listen_all_nsid
    if (listenAllNsid) {
      try {
        sys.rtnlListenAllNsid(task, sk);
      } catch (e) {
        if (!(e instanceof sys.KernelError)) throw e;
        eprint(ctx, `NETLINK_LISTEN_ALL_NSID: ${strerror(e.errno)}\n`);
        throw new IpExit(1);
      }
    }
    // ll_init_map and netns_map_init: the devices and the named namespaces with an nsid, now.
    ctx.links = sys.rtnlGetLink(task);
    ctx.nsidNames = new Map();
    for (const name of sys.netnsList(task)) {
      const id = getNetnsidFromName(ctx, name);
      if (id >= 0 && !ctx.nsidNames.has(id)) ctx.nsidNames.set(id, name);
    }
    for (;;) {
      const msg = await sys.rtnlRecv(task, sk);
      if (!msg) continue;
      // The print functions fflush(stdout) when they print.
      const head = listenAllNsid ? { banner, nsid: msg.ctrlNsid ?? -1 } : { banner };
      if (!acceptMsg(ctx, msg, head, ifindex)) continue;
      ctx.proc.write(1, ctx.out.text);
      ctx.out.text = "";
    }
  } finally {
    sys.rtnlClose(task, sk);
  }
}
