// The neighbour table (net/core/neighbour.c) for ARP: the NUD state machine driven by virtual
// time, with the parameters of the device's neigh_parms; and arp_tbl itself, ONE table for every
// namespace of the machine: its entry count, gc thresholds (settable only from the initial
// namespace), forced and periodic garbage collection and statistics are shared by all of them.
import type { TimerEvent } from "../clock.js";
import { JIFFY_NS, NSEC_PER_MSEC, NSEC_PER_SEC } from "../clock.js";
import type { Net } from "../net_namespace.js";
import { netRatelimit, printk } from "../printk.js";
import { KernelError } from "../syscalls.js";
import { IFF_LOOPBACK } from "../uapi.js";
import type { NetDevice } from "./dev.js";
import { rtnlNotify } from "./rtnetlink.js";
import type { SkBuff } from "./skbuff.js";

export type NudState =
  | "INCOMPLETE"
  | "REACHABLE"
  | "STALE"
  | "DELAY"
  | "PROBE"
  | "FAILED"
  | "NOARP"
  | "PERMANENT"
  | "NONE";

/** HZ of the reference kernel: NEIGH_VAR times are kept in jiffies, as the kernel keeps them. */
const HZ = 250;

/** enum NEIGH_VAR_*: a neigh_parms' tunables (the ones with a sysctl or an NDTPA attribute). */
export interface NeighVars {
  MCAST_PROBES: number;
  UCAST_PROBES: number;
  APP_PROBES: number;
  MCAST_REPROBES: number;
  /** The times are in jiffies. */
  RETRANS_TIME: number;
  BASE_REACHABLE_TIME: number;
  DELAY_PROBE_TIME: number;
  INTERVAL_PROBE_TIME_MS: number;
  GC_STALETIME: number;
  QUEUE_LEN_BYTES: number;
  PROXY_QLEN: number;
  ANYCAST_DELAY: number;
  PROXY_DELAY: number;
  LOCKTIME: number;
}
export type NeighVar = keyof NeighVars;

/** arp_tbl.parms.data (net/ipv4/arp.c). */
const ARP_PARMS_DEFAULT: Readonly<NeighVars> = {
  MCAST_PROBES: 3,
  UCAST_PROBES: 3,
  APP_PROBES: 0,
  MCAST_REPROBES: 0,
  RETRANS_TIME: 1 * HZ,
  BASE_REACHABLE_TIME: 30 * HZ,
  DELAY_PROBE_TIME: 5 * HZ,
  INTERVAL_PROBE_TIME_MS: 5 * HZ,
  GC_STALETIME: 60 * HZ,
  // SK_WMEM_MAX
  QUEUE_LEN_BYTES: 212_992,
  PROXY_QLEN: 64,
  ANYCAST_DELAY: 1 * HZ,
  PROXY_DELAY: (8 * HZ) / 10,
  LOCKTIME: 1 * HZ,
};

/**
 * struct neigh_parms: the table's defaults, or one device's copy of them. The copy is the table's
 * snapshot of its defaults when the device came (shared, never written: a write to the defaults
 * makes a new one) plus the variables set since, so an idle device costs no copy.
 */
export interface NeighParms {
  /** undefined for the table's own parms (neigh_parms_net is then init_net). */
  readonly dev: NetDevice | undefined;
  /** 1, plus one per entry created with these parms. */
  refcnt: number;
  /** reachable_time in jiffies: drawn in [base/2, 3*base/2) when made and every 300 s. */
  reachableTime: number;
  /** Place on parms_list (creation order: the dump lists the newest first). */
  readonly seq: number;
  base: Readonly<NeighVars>;
  over: Partial<NeighVars> | undefined;
  /** data_state: the variables written for this device, which a write to the default leaves alone. */
  dataState: Set<NeighVar> | undefined;
  dead: boolean;
}

/** NEIGH_VAR(p, v) */
export function neighVar(p: NeighParms, v: NeighVar): number {
  return p.over?.[v] ?? p.base[v];
}

/** struct neigh_statistics, summed over the CPUs. */
export interface NeighStatistics {
  allocs: number;
  destroys: number;
  hashGrows: number;
  resFailed: number;
  lookups: number;
  hits: number;
  rcvProbesMcast: number;
  rcvProbesUcast: number;
  periodicGcRuns: number;
  forcedGcRuns: number;
  tableFulls: number;
}

/** struct neigh_table: arp_tbl, one per machine. */
export interface NeighTable {
  /** tbl->id, what the overflow message and `ip ntable` name it by. */
  readonly id: string;
  readonly family: number;
  readonly keyLen: number;
  /** sizeof(struct neighbour) + key_len on the reference kernel (NDTA_CONFIG). */
  readonly entrySize: number;
  /** The times are in jiffies. */
  gcInterval: number;
  gcThresh1: number;
  gcThresh2: number;
  gcThresh3: number;
  /** Virtual ns of the last forced gc that ran through (and of the table's creation). */
  lastFlush: number;
  /** Virtual ns of the last redraw of reachable_time. */
  lastRand: number;
  /** Every entry of every namespace. */
  entries: number;
  /** The entries on gc_list: all but permanent ones, and those made for loopback by the stack. */
  gcEntries: number;
  /** gc_list: insertion order, which the forced gc walks from the oldest. */
  readonly gcList: Set<Neighbour>;
  readonly parms: NeighParms;
  /** The next device parms' place on parms_list. */
  parmsSeq: number;
  readonly stats: NeighStatistics;
  /** log2 of the hash table's buckets (neigh_hash_alloc(3), doubled as entries pass it). */
  hashShift: number;
  hashRnd: number;
  /** gc_work, armed while there is something it could collect (see neighPeriodicArm). */
  gcWork: TimerEvent | undefined;
  /** The table's own random stream (reachable_time and hash_rnd), apart from the host's. */
  rnd: number;
}

function tableRandom(tbl: NeighTable): number {
  let x = tbl.rnd;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  tbl.rnd = x;
  return x;
}

/** neigh_rand_reach_time(base): uniform in [base/2, 3*base/2), in jiffies. */
function neighRandReachTime(tbl: NeighTable, base: number): number {
  return base ? (tableRandom(tbl) % base) + (base >> 1) : 0;
}

/** neigh_table_init(NEIGH_ARP_TABLE, &arp_tbl) at boot: `seed` keeps its randomness reproducible. */
export function newArpTable(seed: number): NeighTable {
  const tbl: NeighTable = {
    id: "arp_cache",
    family: 2,
    keyLen: 4,
    entrySize: 336,
    gcInterval: 30 * HZ,
    gcThresh1: 128,
    gcThresh2: 512,
    gcThresh3: 1024,
    lastFlush: 0,
    lastRand: 0,
    entries: 0,
    gcEntries: 0,
    gcList: new Set(),
    parms: {
      dev: undefined,
      refcnt: 1,
      reachableTime: 0,
      seq: 0,
      base: ARP_PARMS_DEFAULT,
      over: undefined,
      dataState: undefined,
      dead: false,
    },
    parmsSeq: 1,
    stats: {
      allocs: 0,
      destroys: 0,
      hashGrows: 0,
      resFailed: 0,
      lookups: 0,
      hits: 0,
      rcvProbesMcast: 0,
      rcvProbesUcast: 0,
      periodicGcRuns: 0,
      forcedGcRuns: 0,
      tableFulls: 0,
    },
    hashShift: 3,
    hashRnd: 0,
    gcWork: undefined,
    rnd: (seed ^ 0x61727063) >>> 0 || 1,
  };
  tbl.parms.reachableTime = neighRandReachTime(tbl, tbl.parms.base.BASE_REACHABLE_TIME);
  // neigh_table_init: the first redraw is due twenty reachable times after boot.
  tbl.lastRand = tbl.parms.reachableTime * 20 * JIFFY_NS;
  tbl.hashRnd = (tableRandom(tbl) | 1) >>> 0;
  return tbl;
}

/** neigh_parms_alloc: a device's parms, copied from the table's, first on parms_list. */
export function neighParmsAlloc(tbl: NeighTable, dev: NetDevice): NeighParms {
  return {
    dev,
    refcnt: 1,
    reachableTime: neighRandReachTime(tbl, tbl.parms.base.BASE_REACHABLE_TIME),
    seq: tbl.parmsSeq++,
    base: tbl.parms.base,
    over: undefined,
    dataState: undefined,
    dead: false,
  };
}

/** neigh_parms_release: the device goes; entries still holding the parms keep them. */
export function neighParmsRelease(p: NeighParms): void {
  p.dead = true;
}

/** The live devices' parms of a namespace, newest first (parms_list order, filtered by net). */
export function neighParmsOf(net: Net): NeighParms[] {
  const out: NeighParms[] = [];
  for (const dev of net.devByIndex.values()) if (dev.inDev) out.push(dev.inDev.arpParms);
  return out.sort((a, b) => b.seq - a.seq);
}

/** The namespace a parms belongs to (neigh_parms_net): the table's own are init_net's. */
export function neighParmsNet(p: NeighParms, initNet: Net): Net {
  return p.dev ? p.dev.net : initNet;
}

/** A write to one of a parms' variables (neigh_proc_update / neightbl_set). */
export function neighParmsSet(tbl: NeighTable, p: NeighParms, v: NeighVar, value: number): void {
  // The table's own: a new snapshot for the devices to come; those made already keep theirs.
  if (p === tbl.parms) p.base = { ...p.base, [v]: value };
  else {
    p.over ??= {};
    p.over[v] = value;
  }
  p.dataState ??= new Set();
  p.dataState.add(v);
  // neigh_proc_base_reachable_time / NDTPA_BASE_REACHABLE_TIME: reachable_time follows at once.
  if (v === "BASE_REACHABLE_TIME") p.reachableTime = neighRandReachTime(tbl, value);
}

/**
 * neigh_copy_dflt_parms: a write to the table's default reaches every device of the initial
 * namespace that has not had that variable written itself.
 */
export function neighCopyDfltParms(tbl: NeighTable, initNet: Net, v: NeighVar): void {
  for (const p of neighParmsOf(initNet)) {
    if (p.dataState?.has(v)) continue;
    p.over ??= {};
    p.over[v] = tbl.parms.base[v];
  }
}

/** SKB_TRUESIZE(ETH_FRAME_LEN) on the reference kernel: what unres_qlen counts a packet as. */
export const SKB_TRUESIZE_ETH_FRAME = 2090;

/** What the neighbour layer needs from its protocol (struct neigh_ops for ARP). */
export interface NeighOps {
  /** arp_constructor: the entry's state and address when no resolution is needed (NUD_NOARP). */
  construct(neigh: Neighbour): void;
  /** arp_solicit: send a request, broadcast or unicast to the cached address. */
  solicit(neigh: Neighbour, skb: SkBuff | undefined): void;
  /** arp_error_report: a queued packet could not be resolved. */
  errorReport(neigh: Neighbour, skb: SkBuff): void;
  /** Transmit with the resolved hardware address (neigh_resolve_output's tail). */
  output(neigh: Neighbour, skb: SkBuff): void;
}

export interface Neighbour {
  readonly dev: NetDevice;
  /** NTF_* flags set by the administrator (NTF_ROUTER). */
  flags: number;
  readonly key: number;
  ha: Uint8Array | undefined;
  state: NudState;
  probes: number;
  readonly queue: SkBuff[];
  queueBytes: number;
  timer: TimerEvent | undefined;
  confirmed: number;
  updated: number;
  /** Last time the entry was used to send. */
  used: number;
  readonly ops: NeighOps;
  /** n->parms: the device's arp_parms (arp_constructor), else the table's. */
  readonly parms: NeighParms;
  /** n->dead: unlinked from the table. */
  dead: boolean;
}

/** The machine's ARP table. */
export function arpTable(dev: NetDevice): NeighTable {
  return dev.net.host.arpTbl;
}

/** A NEIGH_VAR time of the entry's parms, in ns. */
function parmsNs(neigh: Neighbour, v: NeighVar): number {
  return neighVar(neigh.parms, v) * JIFFY_NS;
}

function neighKey(dev: NetDevice, key: number): string {
  return `${dev.ifindex}/${key}`;
}

/** __neigh_lookup_noref through the per-device index, so the packet path builds no string key. */
export function neighLookup(dev: NetDevice, key: number): Neighbour | undefined {
  return dev.net.ipv4.neighByDev.get(dev)?.get(key);
}

/** neigh_lookup: the same, counted in the table's lookups and hits. */
export function neighLookupCounted(dev: NetDevice, key: number): Neighbour | undefined {
  const stats = arpTable(dev).stats;
  stats.lookups++;
  const n = neighLookup(dev, key);
  if (n) stats.hits++;
  return n;
}

function neighIndexDelete(neigh: Neighbour): void {
  const byKey = neigh.dev.net.ipv4.neighByDev.get(neigh.dev);
  if (byKey?.get(neigh.key) === neigh) byKey.delete(neigh.key);
}

/**
 * neigh_forced_gc: from the oldest, entries nothing holds (no timer running) that are FAILED,
 * NOARP, multicast or not updated in the last 5 s go, until gc_entries is back to gc_thresh2.
 * Returns how many went. (The kernel also stops after 1 ms of walking; a virtual walk takes none.)
 */
function neighForcedGc(tbl: NeighTable, now: number): number {
  const maxClean = tbl.gcEntries - tbl.gcThresh2;
  const tref = now - 5 * NSEC_PER_SEC;
  let shrunk = 0;
  tbl.stats.forcedGcRuns++;
  for (const n of tbl.gcList) {
    if (neighTimerPending(n)) continue;
    if (
      n.state === "FAILED" ||
      n.state === "NOARP" ||
      n.key >>> 28 === 0xe ||
      !(n.updated >= tref && n.updated <= now)
    ) {
      neighUnlink(n);
      neighNotify(n, true);
      shrunk++;
    }
    if (shrunk >= maxClean) break;
  }
  tbl.lastFlush = now;
  return shrunk;
}

/**
 * neigh_alloc's admission: an entry subject to gc counts in gc_entries; from gc_thresh3 on (or
 * from gc_thresh2, 5 s after the last flush) a forced gc runs first, and when it frees nothing at
 * gc_thresh3 the table is full: "neighbor table overflow!", table_fulls, ENOBUFS.
 */
function neighAdmit(tbl: NeighTable, net: Net, exemptFromGc: boolean): boolean {
  if (exemptFromGc) return true;
  const now = net.host.clock.now;
  const entries = tbl.gcEntries++;
  if (entries >= tbl.gcThresh3 || (entries >= tbl.gcThresh2 && now > tbl.lastFlush + 5 * NSEC_PER_SEC)) {
    if (!neighForcedGc(tbl, now) && entries >= tbl.gcThresh3) {
      const kmsg = net.host.kmsg;
      // net_info_ratelimited with pr_fmt "neighbour: "
      if (netRatelimit(kmsg, now)) printk(kmsg, now, 6, `neighbour: ${tbl.id}: neighbor table overflow!`);
      tbl.stats.tableFulls++;
      tbl.gcEntries--;
      return false;
    }
  }
  return true;
}

/**
 * ___neigh_create: a new entry, or undefined when the table is full (the caller's ENOBUFS).
 * `exemptFromGc`: the stack's entries on a loopback device, and the administrator's permanent ones,
 * are left out of gc_entries and never collected.
 */
export function neighCreate(
  dev: NetDevice,
  key: number,
  ops: NeighOps,
  opts: { readonly exemptFromGc?: boolean } = {},
): Neighbour | undefined {
  const existing = neighLookup(dev, key);
  if (existing) return existing;
  const tbl = arpTable(dev);
  const exempt = opts.exemptFromGc ?? (dev.flags & IFF_LOOPBACK) !== 0;
  if (!neighAdmit(tbl, dev.net, exempt)) return undefined;
  const now = dev.net.host.clock.now;
  tbl.stats.allocs++;
  tbl.entries++;
  // arp_constructor: the device's parms.
  const parms = dev.inDev?.arpParms ?? tbl.parms;
  parms.refcnt++;
  const neigh: Neighbour = {
    dev,
    flags: 0,
    key,
    ha: undefined,
    state: "NONE",
    probes: 0,
    queue: [],
    queueBytes: 0,
    timer: undefined,
    // "confirmed" starts two base reachable times in the past.
    confirmed: now - 2 * neighVar(parms, "BASE_REACHABLE_TIME") * JIFFY_NS,
    updated: now,
    used: now,
    ops,
    parms,
    dead: false,
  };
  if (tbl.entries > 1 << tbl.hashShift) {
    // neigh_hash_grow: twice the buckets, a new hash_rnd.
    tbl.hashShift++;
    tbl.hashRnd = (tableRandom(tbl) | 1) >>> 0;
    tbl.stats.hashGrows++;
  }
  ops.construct(neigh);
  if (!exempt) tbl.gcList.add(neigh);
  dev.net.ipv4.neighbours.set(neighKey(dev, key), neigh);
  let byKey = dev.net.ipv4.neighByDev.get(dev);
  if (!byKey) {
    byKey = new Map();
    dev.net.ipv4.neighByDev.set(dev, byKey);
  }
  byKey.set(key, neigh);
  neighPeriodicArm(tbl, dev.net.host);
  return neigh;
}

/**
 * neigh_mark_dead + unlinking + neigh_destroy (nothing else holds an entry here once its timer is
 * gone): the entry leaves its namespace's table and the machine's counts.
 */
function neighUnlink(neigh: Neighbour): void {
  if (neigh.dead) return;
  const tbl = arpTable(neigh.dev);
  neigh.dead = true;
  delTimer(neigh);
  neigh.queue.length = 0;
  neigh.queueBytes = 0;
  if (tbl.gcList.delete(neigh)) tbl.gcEntries--;
  neigh.dev.net.ipv4.neighbours.delete(neighKey(neigh.dev, neigh.key));
  neighIndexDelete(neigh);
  tbl.entries--;
  tbl.stats.destroys++;
  neigh.parms.refcnt--;
}

/**
 * neigh_update_gc_list: an entry that becomes permanent leaves gc_list; one that stops being
 * permanent joins it at the tail.
 */
function neighUpdateGcList(neigh: Neighbour): void {
  if (neigh.dead) return;
  const tbl = arpTable(neigh.dev);
  const onList = tbl.gcList.has(neigh);
  if (neigh.state === "PERMANENT" && onList) {
    tbl.gcList.delete(neigh);
    tbl.gcEntries--;
  } else if (neigh.state !== "PERMANENT" && !onList) {
    tbl.gcList.add(neigh);
    tbl.gcEntries++;
  }
}

/** Half of the table's base_reachable_time: how often neigh_periodic_work runs. */
function periodicDelay(tbl: NeighTable): number {
  return (tbl.parms.base.BASE_REACHABLE_TIME >> 1) * JIFFY_NS;
}

/**
 * The kernel's gc_work runs forever, every base_reachable_time/2 from boot; here it is armed (on
 * that grid) only while it could collect something, so a machine with nothing to collect has no
 * timer pending.
 */
export function neighPeriodicArm(tbl: NeighTable, host: Net["host"]): void {
  if (tbl.gcWork || tbl.entries < tbl.gcThresh1 || tbl.entries === 0) return;
  const period = periodicDelay(tbl);
  if (period <= 0) return;
  const now = host.clock.now;
  tbl.gcWork = host.clock.schedule(period - (now % period), () => neighPeriodicWork(tbl, host));
}

/**
 * neigh_periodic_work: redraws reachable_time every 300 s; with at least gc_thresh1 entries,
 * removes each unheld, non-permanent entry that is FAILED or unused for gc_staletime.
 */
function neighPeriodicWork(tbl: NeighTable, host: Net["host"]): void {
  tbl.gcWork = undefined;
  const now = host.clock.now;
  tbl.stats.periodicGcRuns++;
  if (now > tbl.lastRand + 300 * NSEC_PER_SEC) {
    tbl.lastRand = now;
    tbl.parms.reachableTime = neighRandReachTime(tbl, tbl.parms.base.BASE_REACHABLE_TIME);
    for (const net of host.namespaces)
      for (const p of neighParmsOf(net))
        p.reachableTime = neighRandReachTime(tbl, neighVar(p, "BASE_REACHABLE_TIME"));
  }
  if (tbl.entries >= tbl.gcThresh1) {
    for (const net of host.namespaces) {
      if (!net.ipv4.made("neighbours")) continue;
      for (const n of [...net.ipv4.neighbours.values()]) {
        if (n.state === "PERMANENT" || neighInTimer(n)) continue;
        if (n.used < n.confirmed && n.confirmed <= now) n.used = n.confirmed;
        if (
          !neighTimerPending(n) &&
          (n.state === "FAILED" || !(now >= n.used && now < n.used + parmsNs(n, "GC_STALETIME")))
        ) {
          neighUnlink(n);
          neighNotify(n, true);
        }
      }
    }
  }
  neighPeriodicArm(tbl, host);
}

/** NUD_IN_TIMER: the states whose entry runs a timer. */
function neighInTimer(n: Neighbour): boolean {
  return n.state === "INCOMPLETE" || n.state === "REACHABLE" || n.state === "DELAY" || n.state === "PROBE";
}

/**
 * neigh_rand_reach_time for a timer: uniform in [base/2, 3*base/2) of the entry's base_reachable_time.
 * (The kernel uses the parms' reachable_time, drawn every 300 s; one draw per timer here.)
 */
function randReachTime(neigh: Neighbour): number {
  const base = parmsNs(neigh, "BASE_REACHABLE_TIME");
  return base / 2 + ((neigh.dev.net.host.randomU32() % 1000) * base) / 1000;
}

function setTimer(neigh: Neighbour, delay: number): void {
  if (neigh.timer) neigh.timer.cancelled = true;
  neigh.timer = neigh.dev.net.host.clock.scheduleTimer(delay, () => neighTimerHandler(neigh));
}

function delTimer(neigh: Neighbour): void {
  if (neigh.timer) neigh.timer.cancelled = true;
  neigh.timer = undefined;
}

/** NUD_VALID */
const NUD_VALID: ReadonlySet<NudState> = new Set([
  "PERMANENT",
  "NOARP",
  "REACHABLE",
  "PROBE",
  "STALE",
  "DELAY",
]);

/** Whether a timer holds the entry (what makes its reported refcount non-zero). */
export function neighTimerPending(neigh: Neighbour): boolean {
  return neigh.timer !== undefined && !neigh.timer.cancelled;
}

function isConnected(state: NudState): boolean {
  return (
    state === "REACHABLE" ||
    state === "STALE" ||
    state === "DELAY" ||
    state === "PROBE" ||
    state === "PERMANENT" ||
    state === "NOARP"
  );
}

/** nud_state & NUD_VALID */
export function neighValid(neigh: Neighbour): boolean {
  return NUD_VALID.has(neigh.state);
}

/** neigh_event_send(n, NULL) on an entry that is not valid: resolution starts, nothing queued. */
export function neighEventSend(neigh: Neighbour): void {
  if (neigh.state !== "NONE" && neigh.state !== "FAILED") return;
  if (!canProbe(neigh)) return;
  neigh.state = "INCOMPLETE";
  neigh.probes = neighVar(neigh.parms, "UCAST_PROBES") + 1;
  neigh.updated = neigh.dev.net.host.clock.now;
  neigh.ops.solicit(neigh, undefined);
  setTimer(neigh, parmsNs(neigh, "RETRANS_TIME"));
}

/**
 * __neigh_event_send with neither mcast_solicit nor app_solicit: no resolution is tried, the entry
 * is FAILED at once (unannounced) and the packet dropped.
 */
function canProbe(neigh: Neighbour): boolean {
  if (neighVar(neigh.parms, "MCAST_PROBES") + neighVar(neigh.parms, "APP_PROBES")) return true;
  neigh.state = "FAILED";
  neigh.updated = neigh.dev.net.host.clock.now;
  return false;
}

/** neigh_resolve_output: send when the address is known, else queue and resolve (__neigh_event_send). */
export function neighResolveOutput(neigh: Neighbour, skb: SkBuff): void {
  const now = neigh.dev.net.host.clock.now;
  neigh.used = now;
  switch (neigh.state) {
    case "NONE":
    case "FAILED":
      if (!canProbe(neigh)) {
        neigh.dev.net.host.tracer?.drop(neigh.dev.net, skb, "NEIGH_FAILED");
        return;
      }
      // __neigh_event_send: the count starts at ucast_probes; neigh_probe adds one per request.
      neigh.state = "INCOMPLETE";
      neigh.probes = neighVar(neigh.parms, "UCAST_PROBES");
      neigh.updated = now;
      enqueue(neigh, skb);
      neigh.probes++;
      neigh.ops.solicit(neigh, skb);
      setTimer(neigh, parmsNs(neigh, "RETRANS_TIME"));
      return;
    case "INCOMPLETE":
      enqueue(neigh, skb);
      return;
    case "STALE":
      neigh.state = "DELAY";
      neigh.updated = now;
      setTimer(neigh, parmsNs(neigh, "DELAY_PROBE_TIME"));
      neigh.ops.output(neigh, skb);
      return;
    case "REACHABLE":
    case "DELAY":
    case "PROBE":
    case "PERMANENT":
    case "NOARP":
      neigh.ops.output(neigh, skb);
      return;
  }
}

function enqueue(neigh: Neighbour, skb: SkBuff): void {
  const len = skb.tail - skb.head;
  while (neigh.queue.length > 0 && neigh.queueBytes + len > neighVar(neigh.parms, "QUEUE_LEN_BYTES")) {
    const dropped = neigh.queue.shift() as SkBuff;
    neigh.queueBytes -= dropped.tail - dropped.head;
    neigh.dev.net.ipv4.mib.ArpDropped++;
  }
  neigh.queue.push(skb);
  neigh.queueBytes += len;
}

/** neigh_timer_handler */
function neighTimerHandler(neigh: Neighbour): void {
  neigh.timer = undefined;
  const now = neigh.dev.net.host.clock.now;
  switch (neigh.state) {
    case "REACHABLE":
      if (now - neigh.confirmed >= randReachTime(neigh) - NSEC_PER_MSEC) {
        neigh.state = "STALE";
        neigh.updated = now;
        neighNotify(neigh, false);
      } else {
        setTimer(neigh, parmsNs(neigh, "BASE_REACHABLE_TIME") / 2);
      }
      return;
    case "DELAY":
      if (now - neigh.confirmed < parmsNs(neigh, "DELAY_PROBE_TIME")) {
        neigh.state = "REACHABLE";
        setTimer(neigh, randReachTime(neigh));
        neighNotify(neigh, false);
        return;
      }
      neigh.state = "PROBE";
      neigh.probes = 0;
      break;
    case "INCOMPLETE":
    case "PROBE":
      break;
    default:
      return;
  }
  // neigh_max_probes: ucast + app probes, plus mcast_probes while INCOMPLETE, mcast_reprobes in PROBE.
  const p = neigh.parms;
  const maxProbes =
    neighVar(p, "UCAST_PROBES") +
    neighVar(p, "APP_PROBES") +
    neighVar(p, neigh.state === "PROBE" ? "MCAST_REPROBES" : "MCAST_PROBES");
  if (neigh.probes >= maxProbes) {
    neigh.state = "FAILED";
    neigh.updated = now;
    arpTable(neigh.dev).stats.resFailed++;
    // neigh_invalidate: every queued packet is reported back as unresolvable.
    const queued = neigh.queue.splice(0);
    neigh.queueBytes = 0;
    for (const skb of queued) neigh.ops.errorReport(neigh, skb);
    neighNotify(neigh, false);
    return;
  }
  neigh.probes++;
  neigh.ops.solicit(neigh, neigh.queue[neigh.queue.length - 1]);
  setTimer(neigh, parmsNs(neigh, "RETRANS_TIME"));
}

/** neigh_update with a confirmed (reply) or unconfirmed (request seen) hardware address. */
export function neighUpdate(neigh: Neighbour, ha: Uint8Array, state: "REACHABLE" | "STALE"): void {
  if (neigh.state === "PERMANENT" || neigh.state === "NOARP") return;
  const now = neigh.dev.net.host.clock.now;
  const changed = !neigh.ha || neigh.ha.some((b, i) => b !== ha[i]);
  if (state === "STALE" && isConnected(neigh.state) && !changed) return;
  const notify = changed || neigh.state !== state;
  neigh.ha = ha.slice();
  neigh.updated = now;
  if (state === "REACHABLE") {
    neigh.confirmed = now;
    neigh.state = "REACHABLE";
    setTimer(neigh, randReachTime(neigh));
  } else {
    neigh.state = "STALE";
    delTimer(neigh);
  }
  if (notify) neighNotify(neigh, false);
  // neigh_update: a newly valid entry sends what waited for it.
  const queued = neigh.queue.splice(0);
  neigh.queueBytes = 0;
  for (const skb of queued) neigh.ops.output(neigh, skb);
}

/** neigh_ifdown: a device going down or away takes its entries with it. */
export function neighIfdown(dev: NetDevice): void {
  neighFlushDev(dev, false);
}

/** neigh_changeaddr: every entry of the device goes, permanent ones too. */
export function neighChangeaddr(dev: NetDevice): void {
  neighFlushDev(dev, false);
}

/** neigh_carrier_down: losing carrier flushes the device's entries but the permanent ones. */
export function neighCarrierDown(dev: NetDevice): void {
  neighFlushDev(dev, true);
}

/** neigh_flush_dev: entries go with whatever packets waited on them. */
function neighFlushDev(dev: NetDevice, skipPerm: boolean): void {
  const table = dev.net.ipv4.neighbours;
  for (const neigh of table.values()) {
    if (neigh.dev !== dev || (skipPerm && neigh.state === "PERMANENT")) continue;
    neighUnlink(neigh);
    neighNotify(neigh, true);
  }
}

/** The entries of a namespace, in the order they were created. */
export function neighDump(neighbours: ReadonlyMap<string, Neighbour>): Neighbour[] {
  return [...neighbours.values()];
}

/**
 * neigh_update with NEIGH_UPDATE_F_ADMIN, for `ip neigh add|change|replace`: the administrator's
 * state and address win; a REACHABLE entry starts its timer, PERMANENT and NOARP have none.
 */
export function neighAdminUpdate(neigh: Neighbour, state: NudState, ha: Uint8Array | undefined): void {
  // __neigh_update: a valid state needs an address, given now or known already.
  if (!ha && !neigh.ha && NUD_VALID.has(state))
    throw new KernelError("EINVAL", "No link layer address given");
  const now = neigh.dev.net.host.clock.now;
  const notify = neigh.state !== state || (ha !== undefined && !sameHa(neigh.ha, ha));
  const permChange = (neigh.state === "PERMANENT") !== (state === "PERMANENT");
  if (ha) neigh.ha = ha.slice();
  neigh.state = state;
  if (permChange) neighUpdateGcList(neigh);
  neigh.updated = now;
  delTimer(neigh);
  // NUD_CONNECTED states count as a confirmation.
  if (state === "REACHABLE" || state === "PERMANENT" || state === "NOARP") neigh.confirmed = now;
  if (state === "REACHABLE") {
    setTimer(neigh, randReachTime(neigh));
  } else if (state === "DELAY") {
    setTimer(neigh, parmsNs(neigh, "DELAY_PROBE_TIME"));
  }
  if (notify) neighNotify(neigh, false);
  if (isConnected(state) && neigh.ha) {
    const queued = neigh.queue.splice(0);
    neigh.queueBytes = 0;
    for (const skb of queued) neigh.ops.output(neigh, skb);
  }
}

/**
 * neigh_delete: __neigh_update to NUD_FAILED (announced, without an address), then
 * neigh_remove_one (announced as deleted).
 */
export function neighRemove(neigh: Neighbour): void {
  if (neigh.state !== "FAILED") {
    neigh.state = "FAILED";
    neighNotify(neigh, false);
  }
  neighUnlink(neigh);
  neighNotify(neigh, true);
}

/** The namespace's last entries at its exit (its devices took theirs already). */
export function neighNetExit(net: Net): void {
  for (const neigh of net.ipv4.neighbours.values()) neighUnlink(neigh);
}

function sameHa(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** neigh_app_ns: RTM_GETNEIGH (NLM_F_REQUEST) to RTNLGRP_NEIGH, for a resolving daemon (app_solicit). */
export function neighAppNs(neigh: Neighbour): void {
  rtnlNotify(neigh.dev.net, { kind: "neigh", deleted: false, neigh, request: true });
}

/** __neigh_notify: RTM_NEWNEIGH on a change of state or address, RTM_DELNEIGH when it goes. */
function neighNotify(neigh: Neighbour, deleted: boolean): void {
  rtnlNotify(neigh.dev.net, { kind: "neigh", deleted, neigh });
}
