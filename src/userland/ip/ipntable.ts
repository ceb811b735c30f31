// ip/ipntable.c: `ip ntable show [ dev DEV ] [ name NAME ]` and `ip ntable change name NAME …`
// over RTM_GETNEIGHTBL / RTM_SETNEIGHTBL.

import type { RtNeighTbl, RtNeighTblParms, RtNeighTblReq } from "../../kernel/syscalls.js";
import * as sys from "../../kernel/syscalls.js";
import {
  duparg,
  eprint,
  familyName,
  getU32,
  type IpContext,
  IpExit,
  invarg,
  linkCache,
  llIndexToName,
  matches,
  nodev,
  talk,
} from "./utils.js";

const USAGE = `Usage: ip ntable change name NAME [ dev DEV ]
        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
        [ PARMS ]
Usage: ip ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]
`;

/** filter.index for `dev none`: only the tables themselves. */
const NONE_DEV = -1;

function usage(ctx: IpContext): never {
  eprint(ctx, USAGE);
  throw new IpExit(-1);
}

/** ll_name_to_index over the link cache (0 when there is no such device). */
function llNameToIndex(ctx: IpContext, name: string): number {
  return linkCache(ctx).find((l) => l.ifname === name)?.ifindex ?? 0;
}

/** get_u64: strtoull in any base, the whole argument. */
function getU64(arg: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(arg);
  if (!m) return undefined;
  const digits = m[2] as string;
  let v =
    digits.length > 1 && digits[0] === "0" && !/[xX]/.test(digits)
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  if (v > 0xffffffffffffffffn) return undefined;
  if (m[1] === "-") v = (0x10000000000000000n - v) & 0xffffffffffffffffn;
  return Number(v);
}

type ParmKey = keyof NonNullable<RtNeighTblReq["parms"]>;

/** The PARMS keywords: their attribute, the parser, and the name invarg quotes. */
const PARMS: readonly (readonly [string, ParmKey, "u32" | "u64"])[] = [
  ["base_reachable", "baseReachableTime", "u64"],
  ["retrans", "retransTime", "u64"],
  ["gc_stale", "gcStaletime", "u64"],
  ["delay_probe", "delayProbeTime", "u64"],
  ["queue", "queueLen", "u32"],
  ["app_probes", "appProbes", "u32"],
  ["ucast_probes", "ucastProbes", "u32"],
  ["mcast_probes", "mcastProbes", "u32"],
  ["anycast_delay", "anycastDelay", "u64"],
  ["proxy_delay", "proxyDelay", "u64"],
  ["proxy_queue", "proxyQlen", "u32"],
  ["locktime", "locktime", "u64"],
];

/** ipntable_modify */
function ipntableModify(ctx: IpContext, argv: readonly string[]): number {
  let name: string | undefined;
  const req: {
    -readonly [K in keyof RtNeighTblReq]: RtNeighTblReq[K];
  } = { family: ctx.preferredFamily };
  const parms: { -readonly [K in ParmKey]?: number } = {};
  let parmsAttrs = 0;
  let threshs = false;
  let gcInt = false;
  let parmsChange = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const next = (): string => {
      i++;
      if (i >= argv.length) {
        eprint(ctx, 'Command line is not complete. Try option "help"\n');
        throw new IpExit(-1);
      }
      return argv[i] as string;
    };
    if (word === "name") {
      const v = next();
      if (name !== undefined) duparg(ctx, "NAME", v);
      name = v;
    } else if (word === "thresh1" || word === "thresh2" || word === "thresh3") {
      const v = next();
      threshs = true;
      const n = getU32(v);
      if (n === undefined) invarg(ctx, `"${word}" value is invalid`, v);
      req[word] = n;
    } else if (word === "gc_int") {
      const v = next();
      gcInt = true;
      const n = getU64(v);
      if (n === undefined) invarg(ctx, '"gc_int" value is invalid', v);
      req.gcInterval = n;
    } else if (word === "dev") {
      const v = next();
      const ifindex = llNameToIndex(ctx, v);
      if (!ifindex) return nodev(ctx, v);
      parms.ifindex = ifindex;
      parmsAttrs++;
    } else {
      const p = PARMS.find(([kw]) => kw === word);
      if (!p) invarg(ctx, "unknown", word);
      const v = next();
      const n = p[2] === "u32" ? getU32(v) : getU64(v);
      if (n === undefined) invarg(ctx, `"${p[0]}" value is invalid`, v);
      parms[p[1]] = n;
      parmsAttrs++;
      parmsChange = true;
    }
  }
  if (name === undefined) {
    eprint(ctx, 'Error: argument "NAME" is required\n');
    throw new IpExit(-1);
  }
  if (!threshs && !gcInt && !parmsChange) {
    eprint(ctx, "Not enough information: changeable attributes required.\n");
    throw new IpExit(-1);
  }
  req.name = name;
  if (parmsAttrs > 0) req.parms = parms;
  if (!talk(ctx, () => sys.rtnlSetNeighTbl(ctx.task, req))) throw new IpExit(2);
  return 0;
}

/** ntable_strtime_delta: the wall-clock time `msec` ago, "%Y-%m-%d %T" (TZ unset: UTC). */
function strtimeDelta(ctx: IpContext, msec: number): string {
  if (msec === 0) return "(error)";
  const nowSec = Math.floor(sys.clockGettimeRealtime(ctx.task) / 1_000_000);
  const d = new Date((nowSec - Math.floor(msec / 1000)) * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
  );
}

/** print_ndtconfig */
function printNdtConfig(ctx: IpContext, c: NonNullable<RtNeighTbl["config"]>): void {
  const jp = ctx.out;
  jp.any("key_length", `    config key_len ${c.keyLen} `, c.keyLen);
  jp.any("entry_size", `entry_size ${c.entrySize} `, c.entrySize);
  jp.any("entries", `entries ${c.entries} `, c.entries);
  jp.nl();
  const flush = strtimeDelta(ctx, c.lastFlush);
  jp.any("last_flush", `        last_flush ${flush} `, flush);
  const rand = strtimeDelta(ctx, c.lastRand);
  jp.any("last_rand", `last_rand ${rand} `, rand);
  jp.nl();
  jp.any("hash_rnd", `        hash_rnd ${c.hashRnd} `, c.hashRnd);
  jp.any(
    "hash_mask",
    `hash_mask ${c.hashMask.toString(16).padStart(8, "0")} `,
    `0x${c.hashMask.toString(16)}`,
  );
  jp.any("hash_chain_gc", `hash_chain_gc ${c.hashChainGc} `, c.hashChainGc);
  jp.any("proxy_qlen", `proxy_qlen ${c.proxyQlen} `, c.proxyQlen);
  jp.nl();
}

/** print_ndtparams */
function printNdtParams(ctx: IpContext, p: RtNeighTblParms): void {
  const jp = ctx.out;
  const sl = jp.sl;
  if (p.ifindex !== undefined) {
    const dev = llIndexToName(ctx, p.ifindex);
    jp.fp("    dev ");
    jp.any("dev", `${dev} `, dev);
    jp.nl();
  }
  jp.fp("    ");
  jp.any("refcnt", `refcnt ${p.refcnt} `, p.refcnt);
  jp.any("reachable", `reachable ${p.reachableTime} `, p.reachableTime);
  jp.any("base_reachable", `base_reachable ${p.baseReachableTime} `, p.baseReachableTime);
  jp.any("retrans", `retrans ${p.retransTime} `, p.retransTime);
  jp.fp(`${sl}    `);
  jp.any("gc_stale", `gc_stale ${p.gcStaletime} `, p.gcStaletime);
  jp.any("delay_probe", `delay_probe ${p.delayProbeTime} `, p.delayProbeTime);
  jp.any("queue", `queue ${p.queueLen} `, p.queueLen);
  jp.fp(`${sl}    `);
  jp.any("app_probes", `app_probes ${p.appProbes} `, p.appProbes);
  jp.any("ucast_probes", `ucast_probes ${p.ucastProbes} `, p.ucastProbes);
  jp.any("mcast_probes", `mcast_probes ${p.mcastProbes} `, p.mcastProbes);
  jp.fp(`${sl}    `);
  jp.any("anycast_delay", `anycast_delay ${p.anycastDelay} `, p.anycastDelay);
  jp.any("proxy_delay", `proxy_delay ${p.proxyDelay} `, p.proxyDelay);
  jp.any("proxy_queue", `proxy_queue ${p.proxyQlen} `, p.proxyQlen);
  jp.any("locktime", `locktime ${p.locktime} `, p.locktime);
  jp.nl();
}

/** print_ndtstats */
function printNdtStats(ctx: IpContext, s: NonNullable<RtNeighTbl["stats"]>): void {
  const jp = ctx.out;
  const sl = jp.sl;
  jp.fp("    stats ");
  jp.any("allocs", `allocs ${s.allocs} `, s.allocs);
  jp.any("destroys", `destroys ${s.destroys} `, s.destroys);
  jp.any("hash_grows", `hash_grows ${s.hashGrows} `, s.hashGrows);
  jp.fp(`${sl}    `);
  jp.any("res_failed", `res_failed ${s.resFailed} `, s.resFailed);
  jp.any("lookups", `lookups ${s.lookups} `, s.lookups);
  jp.any("hits", `hits ${s.hits} `, s.hits);
  jp.fp(`${sl}    `);
  jp.any("rcv_probes_mcast", `rcv_probes_mcast ${s.rcvProbesMcast} `, s.rcvProbesMcast);
  jp.any("rcv_probes_ucast", `rcv_probes_ucast ${s.rcvProbesUcast} `, s.rcvProbesUcast);
  jp.fp(`${sl}    `);
  jp.any("periodic_gc_runs", `periodic_gc_runs ${s.periodicGcRuns} `, s.periodicGcRuns);
  jp.any("forced_gc_runs", `forced_gc_runs ${s.forcedGcRuns} `, s.forcedGcRuns);
  jp.fp(`${sl}    `);
  jp.any("table_fulls", `table_fulls ${s.tableFulls} `, s.tableFulls);
  jp.nl();
}

/** print_ntable */
function printNtable(ctx: IpContext, t: RtNeighTbl, filter: { name?: string; index: number }): void {
  if (ctx.preferredFamily && ctx.preferredFamily !== t.family) return;
  if (filter.name !== undefined && filter.name !== t.name) return;
  if (t.parms) {
    if (t.parms.ifindex !== undefined) {
      if (filter.index && filter.index !== t.parms.ifindex) return;
    } else if (filter.index && filter.index !== NONE_DEV) return;
  }
  const jp = ctx.out;
  jp.openObject();
  const family = familyName(t.family);
  jp.any("family", `${family} `, family);
  jp.any("name", `${t.name} `, t.name);
  jp.nl();
  const gc =
    t.thresh1 !== undefined ||
    t.thresh2 !== undefined ||
    t.thresh3 !== undefined ||
    t.gcInterval !== undefined;
  if (gc) jp.fp("    ");
  if (t.thresh1 !== undefined) jp.any("thresh1", `thresh1 ${t.thresh1} `, t.thresh1);
  if (t.thresh2 !== undefined) jp.any("thresh2", `thresh2 ${t.thresh2} `, t.thresh2);
  if (t.thresh3 !== undefined) jp.any("thresh3", `thresh3 ${t.thresh3} `, t.thresh3);
  if (t.gcInterval !== undefined) jp.any("gc_interval", `gc_int ${t.gcInterval} `, t.gcInterval);
  if (gc) jp.nl();
  if (t.config && ctx.stats) printNdtConfig(ctx, t.config);
  if (t.parms) printNdtParams(ctx, t.parms);
  if (t.stats && ctx.stats) printNdtStats(ctx, t.stats);
  jp.fp("\n");
  jp.closeObject();
}

/** ipntable_show */
function ipntableShow(ctx: IpContext, argv: readonly string[]): number {
  const filter: { name?: string; index: number } = { index: 0 };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "dev" || word === "name") {
      i++;
      if (i >= argv.length) {
        eprint(ctx, 'Command line is not complete. Try option "help"\n');
        throw new IpExit(-1);
      }
      const v = argv[i] as string;
      if (word === "name") filter.name = v;
      else if (v === "none") filter.index = NONE_DEV;
      else {
        filter.index = llNameToIndex(ctx, v);
        if (filter.index === 0) invarg(ctx, '"DEV" is invalid', v);
      }
    } else invarg(ctx, "unknown", word);
  }
  const tables = sys.rtnlGetNeighTbl(ctx.task, ctx.preferredFamily);
  ctx.out.newJsonObj();
  for (const t of tables) printNtable(ctx, t, filter);
  ctx.out.deleteJsonObj();
  return 0;
}

/** do_ipntable */
export function doIpntable(ctx: IpContext, argv: readonly string[]): number {
  linkCache(ctx);
  const [cmd, ...rest] = argv;
  if (cmd === undefined) return ipntableShow(ctx, []);
  if (matches(cmd, "change") || matches(cmd, "chg")) return ipntableModify(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return ipntableShow(ctx, rest);
  if (matches(cmd, "help")) usage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip ntable help".\n`);
  throw new IpExit(-1);
}
