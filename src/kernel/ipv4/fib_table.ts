// The IPv4 forwarding information base (net/ipv4/fib_trie.c, fib_semantics.c): per-table
// longest-prefix match. Aliases for one prefix are kept in the kernel's order (tos descending,
// then priority ascending); a dump lists keys ascending and, per key, longer prefixes first.

import type { NetDevice } from "../core/dev.js";
import { listInsert, listRemove } from "../lib/list.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  IFF_UP,
  RT_SCOPE_NOWHERE,
  RTN_BLACKHOLE,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  type RtMetrics,
} from "../uapi.js";
import { inetSelectAddr } from "./devinet.js";
import { fibRulesLookup } from "./fib_rules.js";

/** struct fib_nh: one next hop. */
export interface FibNh {
  readonly dev: NetDevice;
  /** Gateway address, 0 when the destination is on link. */
  readonly gw: number;
  /** fib_nh_scope: RT_SCOPE_HOST for on-link, the gateway route's scope for via, NOWHERE for host routes. */
  readonly scope: number;
  /** RTNH_F_ONLINK as configured. */
  readonly flags: number;
  /** fib_nh_weight (rtnh_hops + 1) of a multipath next hop. */
  readonly weight?: number;
}

/** struct fib_info: what a route says, shared by its aliases. */
export interface FibInfo {
  readonly protocol: number;
  readonly scope: number;
  readonly priority: number;
  /** Preferred source, 0 when unset. */
  readonly prefsrc: number;
  /** The first next hop (fib_info_nh(fi, 0)); for a multipath route, nhs[0]. */
  readonly nh: FibNh | undefined;
  /** fib_nh[]: every next hop of a multipath route (RTA_MULTIPATH with two or more). */
  readonly nhs?: readonly FibNh[];
  /** fib_metrics (RTA_METRICS): mtu, advmss and their locks; undefined when none were given. */
  readonly metrics?: RtMetrics;
}

/**
 * fib_find_info: an identical fib_info already in use is shared instead of a new one (the
 * kernel's fib_info_hash). Only single-next-hop infos without metrics are hashed; the hash holds
 * them weakly by their device, so a device that goes takes its entries with it.
 */
export function fibFindInfo(net: Net, fi: FibInfo): FibInfo {
  const nh = fi.nh;
  if (!nh || fi.nhs || fi.metrics) return fi;
  let byDev = net.ipv4.fibInfoHash.get(nh.dev);
  if (!byDev) {
    byDev = new Map();
    net.ipv4.fibInfoHash.set(nh.dev, byDev);
  }
  // protocol and scope are u8, flags and priority fit the rest of a double's exact range.
  const key = `${fi.protocol},${fi.scope},${fi.priority},${fi.prefsrc},${nh.gw},${nh.scope},${nh.flags}`;
  const found = byDev.get(key);
  if (found) return found;
  byDev.set(key, fi);
  return fi;
}

/** struct fib_alias: a route in a table. */
export interface FibAlias {
  readonly table: number;
  readonly dst: number;
  readonly dstLen: number;
  readonly tos: number;
  readonly type: number;
  readonly fi: FibInfo;
}

/** A prefix's aliases: a lone one is kept bare, saving an array per route of a full table. */
type FibSlot = FibAlias | FibAlias[];

function slotAliases(slot: FibSlot): FibAlias[] {
  return Array.isArray(slot) ? slot : [slot];
}

function slotOf(aliases: FibAlias[]): FibSlot {
  return aliases.length === 1 ? (aliases[0] as FibAlias) : aliases;
}

export interface FibTable {
  readonly id: number;
  /**
   * Per prefix length 0..32: the masked destination shifted right by 32 - len (a small integer
   * for every length up to /30) -> the aliases of that prefix in lookup order.
   */
  readonly byLen: (Map<number, FibSlot> | undefined)[];
  /** The prefix lengths that hold routes, longest first: what a lookup walks. */
  lens: number[];
  /** How many prefixes of length 24 or less the table holds. */
  shortKeys: number;
  /**
   * Once the table is large: for each /24 block, 1 + the length of the longest prefix of /24 or
   * less covering it (0 for none), so a lookup probes one map instead of every length.
   */
  dir?: Uint8Array;
}

/** The table size from which lookups go through `dir` (16 MiB, a full table's worth). */
const FIB_DIR_MIN_KEYS = 65536;

/** A prefix of /24 or less arrived: the blocks it covers learn it unless a longer one has them. */
function dirInsert(tb: FibTable, len: number, dst: number): void {
  tb.shortKeys++;
  if (!tb.dir) {
    if (tb.shortKeys < FIB_DIR_MIN_KEYS) return;
    tb.dir = new Uint8Array(1 << 24);
    for (let l = 0; l <= 24; l++)
      for (const key of tb.byLen[l]?.keys() ?? []) dirFill(tb.dir, l, l === 0 ? 0 : key << (32 - l));
    return;
  }
  dirFill(tb.dir, len, dst);
}

function dirFill(dir: Uint8Array, len: number, dst: number): void {
  const from = dst >>> 8;
  const to = from + 2 ** (24 - len);
  for (let i = from; i < to; i++) if ((dir[i] as number) < len + 1) dir[i] = len + 1;
}

/** A prefix of /24 or less left: its blocks fall back to the longest shorter prefix covering it. */
function dirRemove(tb: FibTable, len: number, dst: number): void {
  tb.shortKeys--;
  const dir = tb.dir;
  if (!dir) return;
  let repl = 0;
  for (let l = len - 1; l >= 0; l--) {
    if (tb.byLen[l]?.has(fibKey(l, dst))) {
      repl = l + 1;
      break;
    }
  }
  const from = dst >>> 8;
  const to = from + 2 ** (24 - len);
  for (let i = from; i < to; i++) if (dir[i] === len + 1) dir[i] = repl;
}

/** The key of a prefix within its length's map. */
function fibKey(len: number, dst: number): number {
  return len === 0 ? 0 : dst >>> (32 - len);
}

function lenAdd(tb: FibTable, len: number): Map<number, FibSlot> {
  let map = tb.byLen[len];
  if (map) return map;
  map = new Map();
  tb.byLen[len] = map;
  let to = tb.lens.findIndex((l) => l < len);
  if (to < 0) to = tb.lens.length;
  tb.lens = listInsert(tb.lens, to, len);
  return map;
}

function lenRemoveIfEmpty(tb: FibTable, len: number): void {
  const map = tb.byLen[len];
  if (!map || map.size > 0) return;
  tb.byLen[len] = undefined;
  tb.lens = listRemove(tb.lens, (l) => l === len);
}

export interface FibResult {
  readonly prefixlen: number;
  readonly type: number;
  readonly scope: number;
  readonly table: number;
  readonly fa: FibAlias;
  /** nh_sel: the next hop of a multipath route this result uses. */
  readonly nhSel?: number;
}

/** FIB_RES_NH: the result's next hop (the selected one of a multipath route). */
export function fibResNh(res: FibResult): FibNh | undefined {
  const nhs = res.fa.fi.nhs;
  return nhs ? nhs[res.nhSel ?? 0] : res.fa.fi.nh;
}

/** A lookup key (struct flowi4), as far as the FIB looks at it. */
export interface Flowi4 {
  readonly daddr: number;
  readonly saddr?: number;
  readonly oif?: number;
  readonly iif?: number;
  readonly tos?: number;
  /** flowi4_mark: the packet's or socket's mark. */
  readonly mark?: number;
  /** flowi4_uid; a flow without one carries INVALID_UID. */
  readonly uid?: number;
  /** flowi4_proto and the ports, for rules that select on them. */
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
  /** flowi4_scope: routes narrower than this are skipped. */
  readonly scope?: number;
}

/** fib_props[type].error for route types that end a lookup with an error. */
function fibPropsError(type: number): KernelError | undefined {
  switch (type) {
    case RTN_UNREACHABLE:
      return new KernelError("EHOSTUNREACH");
    case RTN_BLACKHOLE:
      return new KernelError("EINVAL");
    case RTN_PROHIBIT:
      return new KernelError("EACCES");
    case RTN_THROW:
      return new KernelError("EAGAIN");
    default:
      return undefined;
  }
}

export function fibGetTable(net: Net, id: number): FibTable | undefined {
  return net.ipv4.fibTables.get(id);
}

/** fib_new_table: the table, created empty when it does not exist yet. */
export function fibNewTable(net: Net, id: number): FibTable {
  let tb = net.ipv4.fibTables.get(id);
  if (!tb) {
    tb = { id, byLen: new Array(33).fill(undefined), lens: [], shortKeys: 0 };
    net.ipv4.fibTables.set(id, tb);
  }
  return tb;
}

/** The flags a dump reports for a next hop: RTNH_F_LINKDOWN while its device has no carrier. */
export function fibNhFlags(nh: FibNh): number {
  let flags = nh.flags;
  if (nh.scope !== RT_SCOPE_NOWHERE && !nh.dev.carrier) flags |= RTNH_F_LINKDOWN;
  // fib_sync_down_dev on NETDEV_DOWN marks the next hop RTNH_F_DEAD and RTNH_F_LINKDOWN.
  if (!(nh.dev.flags & IFF_UP) && nh.scope !== RT_SCOPE_NOWHERE) flags |= RTNH_F_DEAD | RTNH_F_LINKDOWN;
  return flags;
}

/**
 * fib_rebalance: each live next hop's upper bound in the 31-bit hash space, by cumulative weight
 * (DIV_ROUND_CLOSEST_ULL(w << 31, total) - 1); -1 for a dead one.
 */
export function fibNhUpperBounds(nhs: readonly FibNh[]): number[] {
  let total = 0;
  for (const nh of nhs) if (!(fibNhFlags(nh) & RTNH_F_DEAD)) total += nh.weight ?? 1;
  let w = 0;
  return nhs.map((nh) => {
    if (fibNhFlags(nh) & RTNH_F_DEAD) return -1;
    w += nh.weight ?? 1;
    return Math.floor((w * 2 ** 31 + Math.floor(total / 2)) / total) - 1;
  });
}

/**
 * fib_select_multipath (Linux 6.18): among the live next hops, the one whose device has the
 * flow's source address scores 2, the first whose upper bound the hash does not exceed scores 1;
 * the first best score wins.
 */
export function fibSelectMultipath(res: FibResult, hash: number, saddr: number): FibResult {
  const nhs = res.fa.fi.nhs;
  if (!nhs) return res;
  const bounds = fibNhUpperBounds(nhs);
  let score = -1;
  let sel = res.nhSel ?? 0;
  nhs.forEach((nh, i) => {
    const bound = bounds[i] as number;
    if (bound === -1) return;
    let nhScore = 0;
    if (saddr && inetSelectAddr(nh.dev, nh.gw, res.fa.fi.scope) === saddr) nhScore += 2;
    if (hash <= bound) nhScore++;
    if (score < nhScore) {
      sel = i;
      score = nhScore;
    }
  });
  return sel === res.nhSel ? res : { ...res, nhSel: sel };
}

/** fib_table_lookup: longest prefix first, then the first usable alias of that prefix. */
export function fibTableLookup(tb: FibTable, flp: Flowi4): FibResult | KernelError | undefined {
  const daddr = flp.daddr >>> 0;
  const lens = tb.lens;
  const dir = tb.dir;
  let i = 0;
  // Longer than /24 first; then the /24 block's longest covering prefix says where to go on.
  for (; i < lens.length; i++) {
    const len = lens[i] as number;
    if (dir && len <= 24) break;
    const res = fibPrefixLookup(tb, len, daddr, flp);
    if (res) return res;
  }
  if (i === lens.length) return undefined;
  const longest = (dir as Uint8Array)[daddr >>> 8] as number;
  if (longest === 0) return undefined;
  for (let len = longest - 1; len >= 0; len--) {
    if (!tb.byLen[len]) continue;
    const res = fibPrefixLookup(tb, len, daddr, flp);
    if (res) return res;
  }
  return undefined;
}

/** One prefix length of fib_table_lookup: the first usable alias of the prefix holding `daddr`. */
function fibPrefixLookup(
  tb: FibTable,
  len: number,
  daddr: number,
  flp: Flowi4,
): FibResult | KernelError | undefined {
  const slot = (tb.byLen[len] as Map<number, FibSlot>).get(len === 0 ? 0 : daddr >>> (32 - len));
  if (!slot) return undefined;
  if (!Array.isArray(slot)) return fibAliasLookup(tb, len, slot, flp);
  for (let k = 0; k < slot.length; k++) {
    const res = fibAliasLookup(tb, len, slot[k] as FibAlias, flp);
    if (res) return res;
  }
  return undefined;
}

/** fib_table_lookup's checks of one alias; undefined when it does not apply and the next one is tried. */
function fibAliasLookup(
  tb: FibTable,
  len: number,
  fa: FibAlias,
  flp: Flowi4,
): FibResult | KernelError | undefined {
  if (fa.tos && fa.tos !== (flp.tos ?? 0)) return undefined;
  const fi = fa.fi;
  if (fi.scope < (flp.scope ?? 0)) return undefined;
  if (fa.type !== RTN_UNICAST && fa.type !== RTN_LOCAL && fa.type !== RTN_BROADCAST) {
    const err = fibPropsError(fa.type);
    if (err) return err;
  }
  const oif = flp.oif ?? 0;
  const nhs = fi.nhs;
  if (nhs) {
    // fib_lookup_good_nhc over every next hop: the first live one on the asked device.
    const sel = nhs.findIndex((nh) => !(fibNhFlags(nh) & RTNH_F_DEAD) && (!oif || oif === nh.dev.ifindex));
    if (sel < 0) return undefined;
    return { prefixlen: len, type: fa.type, scope: fi.scope, table: tb.id, fa, nhSel: sel };
  }
  const nh = fi.nh;
  if (!nh) return undefined;
  if (fibNhFlags(nh) & RTNH_F_DEAD) return undefined;
  if (oif && oif !== nh.dev.ifindex) return undefined;
  return { prefixlen: len, type: fa.type, scope: fi.scope, table: tb.id, fa };
}

/**
 * fib_lookup: the rules in priority order (fib_rules_lookup), each pointing at a table or ending
 * the lookup. Returns the result, or the error the kernel returns (ENETUNREACH when nothing matches).
 */
export function fibLookup(net: Net, flp: Flowi4): FibResult | KernelError {
  return fibRulesLookup(net, flp);
}

export interface FibInsertOptions {
  readonly excl?: boolean;
  readonly replace?: boolean;
  readonly append?: boolean;
  readonly create?: boolean;
}

function sameNexthop(a: FibInfo, b: FibInfo): boolean {
  if (!a.nh || !b.nh) return a.nh === b.nh;
  return a.nh.dev === b.nh.dev && a.nh.gw === b.nh.gw;
}

/** fib_table_insert */
export function fibTableInsert(tb: FibTable, fa: FibAlias, options: FibInsertOptions): void {
  const key = fibKey(fa.dstLen, fa.dst);
  const map = tb.byLen[fa.dstLen];
  const slot = map?.get(key);
  if (!map || !slot) {
    if (!options.create && !options.replace) throw new KernelError("ENOENT");
    lenAdd(tb, fa.dstLen).set(key, fa);
    if (fa.dstLen <= 24) dirInsert(tb, fa.dstLen, fa.dst);
    return;
  }
  const aliases = slotAliases(slot);
  const same = aliases.filter((x) => x.tos === fa.tos && x.fi.priority === fa.fi.priority);
  if (same.length > 0) {
    if (options.excl) throw new KernelError("EEXIST");
    if (options.replace) {
      aliases[aliases.indexOf(same[0] as FibAlias)] = fa;
      map.set(key, slotOf(aliases));
      return;
    }
    // A perfect match (same type, scope and next hop) is refused even when appending.
    if (same.some((x) => x.type === fa.type && x.fi.scope === fa.fi.scope && sameNexthop(x.fi, fa.fi))) {
      throw new KernelError("EEXIST");
    }
  }
  if (!options.create && !options.replace) throw new KernelError("ENOENT");
  // Keep tos descending, priority ascending; equal keys go after (append) or before the others.
  let at = aliases.findIndex(
    (x) =>
      x.tos < fa.tos ||
      (x.tos === fa.tos &&
        (x.fi.priority > fa.fi.priority || (!options.append && x.fi.priority === fa.fi.priority))),
  );
  if (at < 0) at = aliases.length;
  aliases.splice(at, 0, fa);
  map.set(key, aliases);
}

/** What a delete request names; unset fields match anything (fib_table_delete). */
export interface FibDeleteKey {
  readonly dst: number;
  readonly dstLen: number;
  readonly tos: number;
  readonly type?: number;
  readonly scope?: number;
  readonly protocol?: number;
  readonly prefsrc?: number;
  readonly priority?: number;
  readonly oif?: number;
  readonly gw?: number;
  /** RTA_MULTIPATH of the request: every next hop must match, in order (fib_nh_match). */
  readonly multipath?: readonly { readonly oif?: number; readonly gw?: number }[];
}

function multipathMatch(fi: FibInfo, mp: FibDeleteKey["multipath"]): boolean {
  if (!mp) return true;
  const nhs = fi.nhs ?? (fi.nh ? [fi.nh] : []);
  if (nhs.length !== mp.length) return false;
  return nhs.every((nh, i) => {
    const want = mp[i] as { readonly oif?: number; readonly gw?: number };
    return (!want.oif || want.oif === nh.dev.ifindex) && (!want.gw || want.gw === nh.gw);
  });
}

/** fib_table_delete: removes the first alias matching `key`; ESRCH when there is none. */
export function fibTableDelete(tb: FibTable, key: FibDeleteKey): FibAlias {
  const mapKey = fibKey(key.dstLen, key.dst);
  const slot = tb.byLen[key.dstLen]?.get(mapKey);
  const aliases = slot && slotAliases(slot);
  const at =
    aliases?.findIndex(
      (fa) =>
        fa.tos === key.tos &&
        (key.type === undefined || fa.type === key.type) &&
        (key.scope === undefined || key.scope === RT_SCOPE_NOWHERE || fa.fi.scope === key.scope) &&
        (!key.protocol || fa.fi.protocol === key.protocol) &&
        (!key.prefsrc || fa.fi.prefsrc === key.prefsrc) &&
        (key.priority === undefined || fa.fi.priority === key.priority) &&
        (!key.oif || fa.fi.nh?.dev.ifindex === key.oif) &&
        (!key.gw || fa.fi.nh?.gw === key.gw) &&
        multipathMatch(fa.fi, key.multipath),
    ) ?? -1;
  if (!aliases || at < 0) throw new KernelError("ESRCH");
  const [removed] = aliases.splice(at, 1);
  if (aliases.length === 0) {
    tb.byLen[key.dstLen]?.delete(mapKey);
    if (key.dstLen <= 24) dirRemove(tb, key.dstLen, key.dst);
    lenRemoveIfEmpty(tb, key.dstLen);
  } else tb.byLen[key.dstLen]?.set(mapKey, slotOf(aliases));
  return removed as FibAlias;
}

/** Removes every alias for which `dead` says so (fib_table_flush after fib_sync_down_dev). */
export function fibTableFlush(tb: FibTable, dead: (fa: FibAlias) => boolean): void {
  for (const len of [...tb.lens]) {
    const map = tb.byLen[len] as Map<number, FibSlot>;
    for (const [key, slot] of map) {
      const aliases = slotAliases(slot);
      const kept = aliases.filter((fa) => !dead(fa));
      if (kept.length === aliases.length) continue;
      if (kept.length > 0) map.set(key, slotOf(kept));
      else {
        map.delete(key);
        if (len <= 24) dirRemove(tb, len, len === 0 ? 0 : (key << (32 - len)) >>> 0);
      }
    }
    lenRemoveIfEmpty(tb, len);
  }
}

/** fib_table_dump order: keys ascending; for one key, longer prefixes first. */
export function fibTableDump(tb: FibTable): FibAlias[] {
  const all: FibAlias[] = [];
  for (const len of tb.lens)
    for (const slot of (tb.byLen[len] as Map<number, FibSlot>).values()) {
      if (Array.isArray(slot)) all.push(...slot);
      else all.push(slot);
    }
  return all.sort((a, b) => a.dst - b.dst || b.dstLen - a.dstLen);
}

/** Every route of every table in the order a full dump walks them (fib_table_hash buckets). */
export function fibDumpAll(net: Net): FibAlias[] {
  const ids = [...net.ipv4.fibTables.keys()].sort((a, b) => a - b);
  return ids.flatMap((id) => fibTableDump(net.ipv4.fibTables.get(id) as FibTable));
}
