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
import { fibDefaultTables, fibRulesLookup } from "./fib_rules.js";

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
  // fib_info_hashfn: a number, not a string built per route; infos of one hash share a bucket.
  let h = Math.imul(fi.protocol | (fi.scope << 8) | (nh.scope << 16) | (nh.flags << 24), 0x9e3779b1);
  h = Math.imul(h ^ fi.priority, 0x85ebca6b);
  h = Math.imul(h ^ fi.prefsrc, 0xc2b2ae35);
  h = Math.imul(h ^ nh.gw, 0x27d4eb2d);
  h ^= h >>> 15;
  const bucket = byDev.get(h);
  if (!bucket) {
    byDev.set(h, [fi]);
    return fi;
  }
  for (const x of bucket) {
    const xnh = x.nh as FibNh;
    if (
      x.protocol === fi.protocol &&
      x.scope === fi.scope &&
      x.priority === fi.priority &&
      x.prefsrc === fi.prefsrc &&
      xnh.gw === nh.gw &&
      xnh.scope === nh.scope &&
      xnh.flags === nh.flags
    )
      return x;
  }
  bucket.push(fi);
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

/** A prefix's aliases: a lone one is kept bare, saving an array per route. */
type FibSlot = FibAlias | FibAlias[];

function slotAliases(slot: FibSlot): FibAlias[] {
  return Array.isArray(slot) ? slot : [slot];
}

function slotOf(aliases: FibAlias[]): FibSlot {
  return aliases.length === 1 ? (aliases[0] as FibAlias) : aliases;
}

function slotFirst(slot: FibSlot): FibAlias {
  return Array.isArray(slot) ? (slot[0] as FibAlias) : slot;
}

/**
 * A routing table (struct fib_table). A small one (a namespace's local table) is a short list of
 * prefixes scanned longest first; past FIB_SMALL_MAX prefixes it becomes a `FibBig`.
 */
export interface FibTable {
  readonly id: number;
  /** The prefixes of a small table, longer first; undefined once the table is big. */
  list: FibSlot[] | undefined;
  /** The results lookups made of the list's lone aliases, by index; dropped when the list changes. */
  listRes: (FibResult | undefined)[] | undefined;
  /**
   * Made with listRes: bit (first octet) set for each octet some prefix of the list starts with,
   * so that a lookup the list cannot match skips it; undefined when a prefix is shorter than /8.
   */
  listOctets: Uint32Array | undefined;
  big: FibBig | undefined;
}

/**
 * A large table, in typed arrays rather than an object per route. Prefixes live in a hash, each
 * as its address and a word of its length and kind. A prefix's lone alias is a "kind", its (fib_info, type, tos),
 * interned per table: a full table's routes share a handful. Once there are many prefixes, a
 * DIR-24-8-like pair of arrays names, per address block, the longest prefix of /24 or less covering
 * it as its length and kind, so that a lookup reads one array entry and no per-route memory.
 */
interface FibBig {
  /**
   * Open addressing with linear probing: pairs (dst, 64 + (len | kind << 6)), kind 0 for several
   * aliases (in `multi`); 0 marks a free pair. A pair's index moves when the hash grows or loses one.
   */
  hash: Int32Array;
  hashMask: number;
  hashShift: number;
  /** The aliases of the prefixes that have several, by prefixKey. */
  readonly multi: Map<number, FibAlias[]>;
  count: number;
  /** Per kind (from 1): its fib_info, type | tos << 8, and how many prefixes use it. */
  readonly kindFi: (FibInfo | undefined)[];
  readonly kindTT: number[];
  readonly kindRefs: number[];
  readonly kindFree: number[];
  readonly kindIndex: Map<FibInfo, number[]>;
  /** The kind kindGet gave last (0: none). */
  kindLast: number;
  /** Per kind, the results lookups made of it, by prefix length. */
  readonly kindRes: ((FibResult | undefined)[] | undefined)[];
  /** Prefixes per length (0..32), the lengths in use (longest first), prefixes of /24 or less. */
  readonly lenCount: Int32Array;
  lens: number[];
  shortCount: number;
  /**
   * Once there are FIB_DIR_MIN prefixes of /24 or less: per /16 block the longest prefix of /16
   * or less covering it, as (kind + 1) << 5 | len; per /24 block the longest of /17 to /24, as
   * (kind + 1) << 3 | (len - 17) in a byte (16 MiB, so that random lookups stay within reach of
   * the TLB), where kind 0 (also any kind past 30) means the prefix is found again by the hash.
   */
  dir16: Int32Array | undefined;
  dir24: Uint8Array | undefined;
}

/** The prefix count above which a table leaves its list for the typed arrays. */
const FIB_SMALL_MAX = 16;
/** The count of /24-or-shorter prefixes from which lookups go through dir16/dir24 (16 MiB). */
const FIB_DIR_MIN = 1 << 17;

/** The netmask of each prefix length, as a signed 32-bit value. */
const MASK = Int32Array.from({ length: 33 }, (_, len) => (len === 0 ? 0 : -1 << (32 - len)));

function bigNew(prefixes: number): FibBig {
  let cap = 16;
  while (cap < prefixes * 2) cap *= 2;
  return {
    hash: new Int32Array(cap * 2),
    hashMask: cap - 1,
    hashShift: 32 - Math.log2(cap),
    multi: new Map(),
    count: 0,
    kindFi: [undefined],
    kindTT: [0],
    kindRefs: [0],
    kindFree: [],
    kindIndex: new Map(),
    kindLast: 0,
    kindRes: [],
    lenCount: new Int32Array(33),
    lens: [],
    shortCount: 0,
    dir16: undefined,
    dir24: undefined,
  };
}

function hashHome(b: FibBig, dst: number, len: number): number {
  return Math.imul(dst ^ Math.imul(len + 1, 0x27d4eb2d), 0x9e3779b1) >>> b.hashShift;
}

/** The index of the pair of prefix dst/len (dst masked, as int32), or -1. */
function hashFind(b: FibBig, dst: number, len: number): number {
  const h = b.hash;
  const mask = b.hashMask;
  for (let i = hashHome(b, dst, len); ; i = (i + 1) & mask) {
    const m = h[2 * i + 1] as number;
    if (m === 0) return -1;
    if ((m & 63) === len && h[2 * i] === dst) return i;
  }
}

/** The len | kind << 6 word of pair i. */
function hashWord(b: FibBig, i: number): number {
  return (b.hash[2 * i + 1] as number) - 64;
}

/** A prefix's key in `multi`. */
function prefixKey(dst: number, len: number): number {
  return (dst >>> 0) * 64 + len;
}

function hashAdd(b: FibBig, dst: number, len: number, w: number): void {
  if ((b.count + 1) * 2 > b.hashMask + 1) hashGrow(b);
  const h = b.hash;
  const mask = b.hashMask;
  let i = hashHome(b, dst, len);
  while (h[2 * i + 1] !== 0) i = (i + 1) & mask;
  h[2 * i] = dst;
  h[2 * i + 1] = w + 64;
}

function hashGrow(b: FibBig): void {
  const old = b.hash;
  const cap = (b.hashMask + 1) * 2;
  const h = new Int32Array(cap * 2);
  b.hash = h;
  b.hashMask = cap - 1;
  b.hashShift--;
  for (let j = 0; j < old.length; j += 2) {
    const m = old[j + 1] as number;
    if (m === 0) continue;
    const dst = old[j] as number;
    let i = hashHome(b, dst, m & 63);
    while (h[2 * i + 1] !== 0) i = (i + 1) & b.hashMask;
    h[2 * i] = dst;
    h[2 * i + 1] = m;
  }
}

/** Removes prefix dst/len, shifting back the pairs after it that it displaced. */
function hashDel(b: FibBig, dst: number, len: number): void {
  const h = b.hash;
  const mask = b.hashMask;
  let i = hashHome(b, dst, len);
  for (;;) {
    const m = h[2 * i + 1] as number;
    if (m === 0) return;
    if ((m & 63) === len && h[2 * i] === dst) break;
    i = (i + 1) & mask;
  }
  for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
    const m = h[2 * j + 1] as number;
    if (m === 0) break;
    const k = hashHome(b, h[2 * j] as number, m & 63);
    // The pair at j stays when its home lies cyclically in (i, j].
    if (i <= j ? i < k && k <= j : i < k || k <= j) continue;
    h[2 * i] = h[2 * j] as number;
    h[2 * i + 1] = m;
    i = j;
  }
  h[2 * i] = 0;
  h[2 * i + 1] = 0;
}

/** The kind of a lone alias, interned (one more prefix uses it). */
function kindGet(b: FibBig, fa: FibAlias): number {
  const tt = fa.type | (fa.tos << 8);
  // Routes come in runs of one kind (a routing daemon's or a batch's): the last one first.
  const last = b.kindLast;
  if (b.kindFi[last] === fa.fi && b.kindTT[last] === tt) {
    b.kindRefs[last] = (b.kindRefs[last] as number) + 1;
    return last;
  }
  let same = b.kindIndex.get(fa.fi);
  if (same) {
    for (const k of same) {
      if (b.kindTT[k] !== tt) continue;
      b.kindRefs[k] = (b.kindRefs[k] as number) + 1;
      b.kindLast = k;
      return k;
    }
  } else {
    same = [];
    b.kindIndex.set(fa.fi, same);
  }
  const k = b.kindFree.length > 0 ? (b.kindFree.pop() as number) : b.kindFi.length;
  b.kindFi[k] = fa.fi;
  b.kindTT[k] = tt;
  b.kindRefs[k] = 1;
  b.kindRes[k] = undefined;
  same.push(k);
  b.kindLast = k;
  return k;
}

/** One prefix fewer uses kind k; the last one frees it. */
function kindPut(b: FibBig, k: number): void {
  if (k === 0) return;
  const refs = (b.kindRefs[k] as number) - 1;
  b.kindRefs[k] = refs;
  if (refs > 0) return;
  const fi = b.kindFi[k] as FibInfo;
  const same = (b.kindIndex.get(fi) as number[]).filter((x) => x !== k);
  if (same.length > 0) b.kindIndex.set(fi, same);
  else b.kindIndex.delete(fi);
  b.kindFi[k] = undefined;
  b.kindRes[k] = undefined;
  b.kindFree.push(k);
}

/** A new prefix with `aliases`, entered in the hash, the length counts and the directory. */
function bigAddPrefix(b: FibBig, dst: number, len: number, aliases: FibSlot): void {
  const w = len | (slotKind(b, dst, len, aliases) << 6);
  hashAdd(b, dst, len, w);
  b.count++;
  const lenCount = b.lenCount;
  lenCount[len] = (lenCount[len] as number) + 1;
  if (lenCount[len] === 1) {
    let at = b.lens.findIndex((l) => l < len);
    if (at < 0) at = b.lens.length;
    b.lens = listInsert(b.lens, at, len);
  }
  if (len <= 24) {
    b.shortCount++;
    if (b.dir24) dirAdd(b, dst, len, w);
    else if (b.shortCount >= FIB_DIR_MIN) dirBuild(b);
  }
}

/** The kind prefix dst/len takes for `aliases` (kind 0 and the list in `multi` for several). */
function slotKind(b: FibBig, dst: number, len: number, aliases: FibSlot): number {
  if (Array.isArray(aliases) && aliases.length > 1) {
    b.multi.set(prefixKey(dst, len), aliases);
    return 0;
  }
  if (b.multi.size > 0) b.multi.delete(prefixKey(dst, len));
  return kindGet(b, slotFirst(aliases));
}

/** The prefix of pair i now has `aliases` (at least one): its kind, and the directory entries naming it, follow. */
function bigStore(b: FibBig, i: number, aliases: FibAlias[]): void {
  const w = hashWord(b, i);
  const len = w & 63;
  const dst = b.hash[2 * i] as number;
  const nw = len | (slotKind(b, dst, len, aliases) << 6);
  kindPut(b, w >>> 6);
  b.hash[2 * i + 1] = nw + 64;
  if (nw !== w && b.dir24 && len <= 24) dirRepoint(b, dst, len, dirEntry(w), dirEntry(nw));
}

function bigRemovePrefix(b: FibBig, i: number): void {
  const dst = b.hash[2 * i] as number;
  const w = hashWord(b, i);
  const len = w & 63;
  hashDel(b, dst, len);
  kindPut(b, w >>> 6);
  if (b.multi.size > 0) b.multi.delete(prefixKey(dst, len));
  b.count--;
  const lenCount = b.lenCount;
  lenCount[len] = (lenCount[len] as number) - 1;
  if (lenCount[len] === 0) b.lens = listRemove(b.lens, (l) => l === len);
  if (len <= 24) {
    b.shortCount--;
    if (b.dir24) dirDel(b, dst, len, dirEntry(w));
  }
}

/** A prefix's len | kind << 6 as an entry of the directory array its length goes in. */
function dirEntry(w: number): number {
  const len = w & 63;
  const kind = w >>> 6;
  if (len <= 16) return ((kind + 1) << 5) | len;
  return ((kind <= DIR24_KINDS ? kind + 1 : 1) << 3) | (len - 17);
}

/** The kinds a dir24 byte can name (kind + 1 in its top five bits). */
const DIR24_KINDS = 30;

/** The directory array a prefix of /24 or less goes in: dir16 for /16 or less, else dir24. */
function dirOf(b: FibBig, len: number): Int32Array | Uint8Array {
  return (len <= 16 ? b.dir16 : b.dir24) as Int32Array | Uint8Array;
}

/** The first block of that array a prefix covers; it covers 2 ** dirSpan(len) of them. */
function dirFrom(dst: number, len: number): number {
  return len <= 16 ? dst >>> 16 : dst >>> 8;
}

function dirSpan(len: number): number {
  return len <= 16 ? 16 - len : 24 - len;
}

/** A prefix arrived: the blocks it covers learn it unless a longer one has them. */
function dirAdd(b: FibBig, dst: number, len: number, w: number): void {
  const from = dirFrom(dst, len);
  const to = from + (1 << dirSpan(len));
  const v = dirEntry(w);
  if (len <= 16) {
    const dir = b.dir16 as Int32Array;
    for (let i = from; i < to; i++) {
      const e = dir[i] as number;
      if (e === 0 || (e & 31) < len) dir[i] = v;
    }
    return;
  }
  const dir = b.dir24 as Uint8Array;
  for (let i = from; i < to; i++) {
    const e = dir[i] as number;
    if (e === 0 || (e & 7) + 17 < len) dir[i] = v;
  }
}

/**
 * The entries of a prefix change from `old` to `v`. Only that prefix has entries of its length
 * within its range, so the entry's value (which holds the length) names it.
 */
function dirRepoint(b: FibBig, dst: number, len: number, old: number, v: number): void {
  const dir = dirOf(b, len);
  const from = dirFrom(dst, len);
  const to = from + (1 << dirSpan(len));
  for (let i = from; i < to; i++) if (dir[i] === old) dir[i] = v;
}

/** A prefix left: its blocks fall back to the longest shorter prefix (of the same array) covering it. */
function dirDel(b: FibBig, dst: number, len: number, old: number): void {
  let repl = 0;
  for (let l = len - 1; l >= (len <= 16 ? 0 : 17); l--) {
    if (b.lenCount[l] === 0) continue;
    const r = hashFind(b, dst & (MASK[l] as number), l);
    if (r >= 0) {
      repl = dirEntry(hashWord(b, r));
      break;
    }
  }
  dirRepoint(b, dst, len, old, repl);
}

function dirBuild(b: FibBig): void {
  b.dir16 = new Int32Array(1 << 16);
  b.dir24 = new Uint8Array(1 << 24);
  const h = b.hash;
  for (let i = 0; i < h.length; i += 2) {
    const w = (h[i + 1] as number) - 64;
    if (w >= 0 && (w & 63) <= 24) dirAdd(b, h[i] as number, w & 63, w);
  }
}

/** The aliases of the prefix of pair i, a lone one made a FibAlias again. */
function bigAliases(tb: FibTable, b: FibBig, i: number): FibAlias[] {
  const w = hashWord(b, i);
  const k = w >>> 6;
  const dst = b.hash[2 * i] as number;
  if (k === 0) return b.multi.get(prefixKey(dst, w & 63)) as FibAlias[];
  const tt = b.kindTT[k] as number;
  return [
    {
      table: tb.id,
      dst: dst >>> 0,
      dstLen: w & 63,
      tos: tt >>> 8,
      type: tt & 255,
      fi: b.kindFi[k] as FibInfo,
    },
  ];
}

/**
 * A table in its large form now, with the directory when `dir` says so, whatever its size: what
 * a table of a million routes does, tried on a few (for tests).
 */
export function fibTableResize(tb: FibTable, options: { readonly dir: boolean }): void {
  if (tb.list) fibTableGrow(tb);
  const b = tb.big as FibBig;
  if (options.dir && !b.dir24) dirBuild(b);
}

/** The small table outgrew its list. */
function fibTableGrow(tb: FibTable): void {
  const list = tb.list as FibSlot[];
  const b = bigNew(list.length * 2);
  for (const slot of list) {
    const fa = slotFirst(slot);
    bigAddPrefix(b, fa.dst | 0, fa.dstLen, slot);
  }
  tb.list = undefined;
  tb.listRes = undefined;
  tb.big = b;
}

/**
 * What a lookup found (struct fib_result): immutable, so that a table hands out the same result
 * for every lookup that ends on the same alias of the same prefix length (a lookup allocates
 * nothing then), which is also why it holds no destination prefix (nothing reads one).
 */
class FibResult {
  /** type | tos << 8 | prefixlen << 16 */
  declare private readonly meta: number;
  declare readonly table: number;
  declare readonly fi: FibInfo;
  /** nh_sel: the next hop of a multipath route this result uses. */
  declare readonly nhSel: number;

  constructor(prefixlen: number, type: number, table: number, tos: number, fi: FibInfo, nhSel: number) {
    this.meta = type | (tos << 8) | (prefixlen << 16);
    this.table = table;
    this.fi = fi;
    this.nhSel = nhSel;
  }

  get prefixlen(): number {
    return this.meta >>> 16;
  }

  get type(): number {
    return this.meta & 255;
  }

  get tos(): number {
    return (this.meta >>> 8) & 255;
  }

  get scope(): number {
    return this.fi.scope;
  }
}

export type { FibResult };

/** FIB_RES_NH: the result's next hop (the selected one of a multipath route). */
export function fibResNh(res: FibResult): FibNh | undefined {
  const nhs = res.fi.nhs;
  return nhs ? nhs[res.nhSel] : res.fi.nh;
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
export function fibPropsError(type: number): KernelError | undefined {
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
    tb = { id, list: [], listRes: undefined, listOctets: undefined, big: undefined };
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
  const nhs = res.fi.nhs;
  if (!nhs) return res;
  const bounds = fibNhUpperBounds(nhs);
  let score = -1;
  let sel = res.nhSel;
  nhs.forEach((nh, i) => {
    const bound = bounds[i] as number;
    if (bound === -1) return;
    let nhScore = 0;
    if (saddr && inetSelectAddr(nh.dev, nh.gw, res.fi.scope) === saddr) nhScore += 2;
    if (hash <= bound) nhScore++;
    if (score < nhScore) {
      sel = i;
      score = nhScore;
    }
  });
  if (sel === res.nhSel) return res;
  return new FibResult(res.prefixlen, res.type, res.table, res.tos, res.fi, sel);
}

/** fib_table_lookup: longest prefix first, then the first usable alias of that prefix. */
export function fibTableLookup(tb: FibTable, flp: Flowi4): FibResult | KernelError | undefined {
  const res = fibTableLookupRes(tb, flp);
  return res && fibIsErrorType(res.type) ? fibPropsError(res.type) : res;
}

/** The route types whose lookup ends in fib_props[type].error. */
export function fibIsErrorType(type: number): boolean {
  return type === RTN_UNREACHABLE || type === RTN_BLACKHOLE || type === RTN_PROHIBIT || type === RTN_THROW;
}

/**
 * fib_table_lookup as the kernel returns it: the result even for a route type that means an error
 * (unreachable, blackhole, prohibit, throw), whose prefix length a merged lookup compares;
 * fibPropsError(res.type) is then the error.
 */
export function fibTableLookupRes(tb: FibTable, flp: Flowi4): FibResult | undefined {
  return fibTableLookupIn(tb, flp.daddr | 0, (flp.tos ?? 0) | ((flp.scope ?? 0) << 8), flp.oif ?? 0);
}

/**
 * fibTableLookupRes with the flow's fields read once (flows come in many shapes, so each read is
 * a megamorphic load): daddr as int32, tos | scope << 8, and oif.
 */
function fibTableLookupIn(tb: FibTable, daddr: number, want: number, oif: number): FibResult | undefined {
  const list = tb.list;
  if (list) return fibListLookup(tb, list, daddr, want, oif);
  const b = tb.big as FibBig;
  const dir24 = b.dir24;
  if (!dir24) return fibLensLookup(tb, b, 0, daddr, want, oif);
  // Longer than /24 first; then the directory names the longest prefix of /24 or less.
  const lens = b.lens;
  let i = 0;
  for (; i < lens.length && (lens[i] as number) > 24; i++) {
    const res = fibPrefixLookup(tb, b, lens[i] as number, daddr, want, oif);
    if (res) return res;
  }
  const e24 = dir24[daddr >>> 8] as number;
  let len: number;
  let kind: number;
  if (e24 !== 0) {
    len = (e24 & 7) + 17;
    kind = (e24 >>> 3) - 1;
  } else {
    const e16 = (b.dir16 as Int32Array)[daddr >>> 16] as number;
    if (e16 === 0) return undefined;
    len = e16 & 31;
    kind = (e16 >>> 5) - 1;
  }
  const res = fibKindLookup(tb, b, kind, len, daddr & (MASK[len] as number), want, oif);
  if (res) return res;
  // No alias of that prefix applies: the shorter prefixes in turn.
  while (i < lens.length && (lens[i] as number) >= len) i++;
  return fibLensLookup(tb, b, i, daddr, want, oif);
}

/** A small table: its prefixes, longest first. */
function fibListLookup(
  tb: FibTable,
  list: FibSlot[],
  daddr: number,
  want: number,
  oif: number,
): FibResult | undefined {
  let shared = tb.listRes;
  if (!shared) {
    shared = [];
    tb.listRes = shared;
    tb.listOctets = listOctets(list);
  }
  const octets = tb.listOctets;
  if (octets && !((octets[daddr >>> 29] as number) & (1 << ((daddr >>> 24) & 31)))) return undefined;
  for (let i = 0; i < list.length; i++) {
    const slot = list[i] as FibSlot;
    if (!Array.isArray(slot)) {
      if (((daddr ^ slot.dst) & (MASK[slot.dstLen] as number)) !== 0) continue;
      const res = fibAliasLookup(tb.id, slot.dstLen, slot.type, slot.tos, slot.fi, want, oif, shared, i);
      if (res) return res;
      continue;
    }
    const first = slot[0] as FibAlias;
    if (((daddr ^ first.dst) & (MASK[first.dstLen] as number)) !== 0) continue;
    for (const fa of slot) {
      const res = fibAliasLookup(tb.id, fa.dstLen, fa.type, fa.tos, fa.fi, want, oif, undefined, 0);
      if (res) return res;
    }
  }
  return undefined;
}

/** The first octets a small table's prefixes cover (see FibTable.listOctets). */
function listOctets(list: readonly FibSlot[]): Uint32Array | undefined {
  const octets = new Uint32Array(8);
  for (const slot of list) {
    const fa = slotFirst(slot);
    if (fa.dstLen < 8) return undefined;
    const o = fa.dst >>> 24;
    octets[o >>> 5] = (octets[o >>> 5] as number) | (1 << (o & 31));
  }
  return octets;
}

/** A big table without a directory, or past its directory's prefix: lens[from..] by the hash. */
function fibLensLookup(
  tb: FibTable,
  b: FibBig,
  from: number,
  daddr: number,
  want: number,
  oif: number,
): FibResult | undefined {
  const lens = b.lens;
  for (let i = from; i < lens.length; i++) {
    const res = fibPrefixLookup(tb, b, lens[i] as number, daddr, want, oif);
    if (res) return res;
  }
  return undefined;
}

/** One prefix length of fib_table_lookup: the first usable alias of the prefix holding `daddr`. */
function fibPrefixLookup(
  tb: FibTable,
  b: FibBig,
  len: number,
  daddr: number,
  want: number,
  oif: number,
): FibResult | undefined {
  const dst = daddr & (MASK[len] as number);
  const s = hashFind(b, dst, len);
  if (s < 0) return undefined;
  return fibKindLookup(tb, b, hashWord(b, s) >>> 6, len, dst, want, oif);
}

/** The aliases of prefix dst/len, whose kind is `kind` (0: unknown here, found again by the hash). */
function fibKindLookup(
  tb: FibTable,
  b: FibBig,
  kind: number,
  len: number,
  dst: number,
  want: number,
  oif: number,
): FibResult | undefined {
  if (kind === 0) kind = hashWord(b, hashFind(b, dst, len)) >>> 6;
  if (kind !== 0) {
    const tt = b.kindTT[kind] as number;
    let shared = b.kindRes[kind];
    if (!shared) {
      shared = [];
      b.kindRes[kind] = shared;
    }
    return fibAliasLookup(tb.id, len, tt & 255, tt >>> 8, b.kindFi[kind] as FibInfo, want, oif, shared, len);
  }
  for (const fa of b.multi.get(prefixKey(dst, len)) as FibAlias[]) {
    const res = fibAliasLookup(tb.id, len, fa.type, fa.tos, fa.fi, want, oif, undefined, 0);
    if (res) return res;
  }
  return undefined;
}

/**
 * fib_table_lookup's checks of one alias; undefined when it does not apply and the next one is
 * tried. `shared` holds the results already made for this alias by prefix length, or is undefined.
 */
function fibAliasLookup(
  table: number,
  len: number,
  type: number,
  tos: number,
  fi: FibInfo,
  want: number,
  oif: number,
  shared: (FibResult | undefined)[] | undefined,
  at: number,
): FibResult | undefined {
  if (tos && tos !== (want & 255)) return undefined;
  if (fi.scope < want >>> 8) return undefined;
  if (type !== RTN_UNICAST && type !== RTN_LOCAL && type !== RTN_BROADCAST && fibIsErrorType(type))
    return fibResultShared(shared, at, len, type, table, tos, fi);
  const nhs = fi.nhs;
  if (nhs) {
    // fib_lookup_good_nhc over every next hop: the first live one on the asked device.
    const sel = nhs.findIndex((nh) => !(fibNhFlags(nh) & RTNH_F_DEAD) && (!oif || oif === nh.dev.ifindex));
    if (sel < 0) return undefined;
    return sel === 0
      ? fibResultShared(shared, at, len, type, table, tos, fi)
      : new FibResult(len, type, table, tos, fi, sel);
  }
  const nh = fi.nh;
  if (!nh) return undefined;
  // fibNhFlags(nh) & RTNH_F_DEAD, without the rest of the flags.
  if (nh.scope !== RT_SCOPE_NOWHERE && !(nh.dev.flags & IFF_UP)) return undefined;
  if (oif && oif !== nh.dev.ifindex) return undefined;
  return fibResultShared(shared, at, len, type, table, tos, fi);
}

/** The result for an alias with next hop 0, made once and kept at shared[at] (if shared). */
function fibResultShared(
  shared: (FibResult | undefined)[] | undefined,
  at: number,
  len: number,
  type: number,
  table: number,
  tos: number,
  fi: FibInfo,
): FibResult {
  let res = shared?.[at];
  if (!res) {
    res = new FibResult(len, type, table, tos, fi, 0);
    if (shared) shared[at] = res;
  }
  return res;
}

/**
 * fib_lookup: the rules in priority order (fib_rules_lookup), each pointing at a table or ending
 * the lookup. Returns the result, or the error the kernel returns (ENETUNREACH when nothing matches).
 */
export function fibLookup(net: Net, flp: Flowi4): FibResult | KernelError {
  if (net.ipv4.fibHasCustomRules) return fibRulesLookup(net, flp);
  // No rule was ever added or deleted (!fib_has_custom_rules): ip_fib.h's fib_lookup goes to the
  // tables directly. Local and main are then one trie (fib_new_table makes local an alias of main
  // until fib_unmerge), so the longest prefix of either wins, local's aliases first for the same
  // prefix (fib_find_alias orders them by table id, descending); then the default table.
  const tables = fibDefaultTables(net);
  const local = tables.local;
  const main = tables.main;
  const daddr = flp.daddr | 0;
  const want = (flp.tos ?? 0) | ((flp.scope ?? 0) << 8);
  const oif = flp.oif ?? 0;
  let res = local && fibTableLookupIn(local, daddr, want, oif);
  // Nothing in main is longer than a /32 of local, and local goes first for the same prefix.
  const inMain =
    main && !(res && res.prefixlen === 32) ? fibTableLookupIn(main, daddr, want, oif) : undefined;
  if (inMain && (!res || inMain.prefixlen > res.prefixlen)) res = inMain;
  if (res) {
    if (!fibIsErrorType(res.type)) return res;
    const err = fibPropsError(res.type) as KernelError;
    // A throw route (EAGAIN) goes on to the next rule's table, like no route at all.
    if (err.errno !== "EAGAIN") return err;
  }
  const dflt = tables.dflt;
  const last = dflt && fibTableLookup(dflt, flp);
  if (last && !(last instanceof KernelError && last.errno === "EAGAIN")) return last;
  return new KernelError("ENETUNREACH");
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
  const list = tb.list;
  if (!list) {
    const b = tb.big as FibBig;
    const s = hashFind(b, fa.dst | 0, fa.dstLen);
    if (s < 0) {
      if (!options.create && !options.replace) throw new KernelError("ENOENT");
      bigAddPrefix(b, fa.dst | 0, fa.dstLen, fa);
      return;
    }
    bigStore(b, s, aliasesInsert(bigAliases(tb, b, s), fa, options));
    return;
  }
  const at = list.findIndex((slot) => {
    const first = slotFirst(slot);
    return first.dstLen === fa.dstLen && first.dst === fa.dst;
  });
  if (at >= 0) {
    list[at] = slotOf(aliasesInsert(slotAliases(list[at] as FibSlot), fa, options));
    tb.listRes = undefined;
    return;
  }
  if (!options.create && !options.replace) throw new KernelError("ENOENT");
  let to = list.findIndex((slot) => slotFirst(slot).dstLen < fa.dstLen);
  if (to < 0) to = list.length;
  tb.list = listInsert(list, to, fa);
  tb.listRes = undefined;
  if (tb.list.length > FIB_SMALL_MAX) fibTableGrow(tb);
}

/** fib_table_insert for a prefix that exists: the aliases with `fa` in its place, or an error. */
function aliasesInsert(aliases: FibAlias[], fa: FibAlias, options: FibInsertOptions): FibAlias[] {
  const same = aliases.filter((x) => x.tos === fa.tos && x.fi.priority === fa.fi.priority);
  if (same.length > 0) {
    if (options.excl) throw new KernelError("EEXIST");
    if (options.replace) {
      aliases[aliases.indexOf(same[0] as FibAlias)] = fa;
      return aliases;
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
  return aliases;
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

function deleteMatch(fa: FibAlias, key: FibDeleteKey): boolean {
  return (
    fa.tos === key.tos &&
    (key.type === undefined || fa.type === key.type) &&
    (key.scope === undefined || key.scope === RT_SCOPE_NOWHERE || fa.fi.scope === key.scope) &&
    (!key.protocol || fa.fi.protocol === key.protocol) &&
    (!key.prefsrc || fa.fi.prefsrc === key.prefsrc) &&
    (key.priority === undefined || fa.fi.priority === key.priority) &&
    (!key.oif || fa.fi.nh?.dev.ifindex === key.oif) &&
    (!key.gw || fa.fi.nh?.gw === key.gw) &&
    multipathMatch(fa.fi, key.multipath)
  );
}

/** fib_table_delete: removes the first alias matching `key`; ESRCH when there is none. */
export function fibTableDelete(tb: FibTable, key: FibDeleteKey): FibAlias {
  const list = tb.list;
  if (!list) {
    const b = tb.big as FibBig;
    const s = hashFind(b, key.dst | 0, key.dstLen);
    const aliases = s < 0 ? [] : bigAliases(tb, b, s);
    const at = aliases.findIndex((fa) => deleteMatch(fa, key));
    if (at < 0) throw new KernelError("ESRCH");
    const [removed] = aliases.splice(at, 1);
    if (aliases.length === 0) bigRemovePrefix(b, s);
    else bigStore(b, s, aliases);
    return removed as FibAlias;
  }
  const idx = list.findIndex((slot) => {
    const first = slotFirst(slot);
    return first.dstLen === key.dstLen && first.dst === key.dst;
  });
  const aliases = idx < 0 ? [] : slotAliases(list[idx] as FibSlot);
  const at = aliases.findIndex((fa) => deleteMatch(fa, key));
  if (at < 0) throw new KernelError("ESRCH");
  const [removed] = aliases.splice(at, 1);
  if (aliases.length === 0) tb.list = listRemove(list, (_, i) => i === idx);
  else list[idx] = slotOf(aliases);
  tb.listRes = undefined;
  return removed as FibAlias;
}

/** Removes every alias for which `dead` says so (fib_table_flush after fib_sync_down_dev). */
export function fibTableFlush(tb: FibTable, dead: (fa: FibAlias) => boolean): void {
  const list = tb.list;
  if (list) {
    let changed = false;
    const kept: FibSlot[] = [];
    for (const slot of list) {
      const aliases = slotAliases(slot);
      const live = aliases.filter((fa) => !dead(fa));
      if (live.length !== aliases.length) changed = true;
      if (live.length > 0) kept.push(live.length === aliases.length ? slot : slotOf(live));
    }
    if (changed) {
      tb.list = kept.slice();
      tb.listRes = undefined;
    }
    return;
  }
  const b = tb.big as FibBig;
  // The prefixes that change are gathered first: removing one moves others within the hash.
  const h = b.hash;
  const changed: { readonly dst: number; readonly len: number; readonly live: FibAlias[] }[] = [];
  for (let i = 0; i < h.length / 2; i++) {
    if (h[2 * i + 1] === 0) continue;
    const aliases = bigAliases(tb, b, i);
    const live = aliases.filter((fa) => !dead(fa));
    if (live.length !== aliases.length)
      changed.push({ dst: h[2 * i] as number, len: hashWord(b, i) & 63, live });
  }
  for (const { dst, len, live } of changed) {
    const i = hashFind(b, dst, len);
    if (live.length > 0) bigStore(b, i, live);
    else bigRemovePrefix(b, i);
  }
}

/** fib_table_dump order: keys ascending; for one key, longer prefixes first. */
export function fibTableDump(tb: FibTable): FibAlias[] {
  const all: FibAlias[] = [];
  const list = tb.list;
  if (list) {
    for (const slot of list) {
      if (Array.isArray(slot)) all.push(...slot);
      else all.push(slot);
    }
    return all.sort((a, b) => a.dst - b.dst || b.dstLen - a.dstLen);
  }
  const b = tb.big as FibBig;
  // dst * 64 + (32 - len) sorts as the dump walks; the prefix is then found again by the hash.
  const keys = new Float64Array(b.count);
  let k = 0;
  const h = b.hash;
  for (let i = 0; i < h.length; i += 2) {
    const m = h[i + 1] as number;
    if (m !== 0) keys[k++] = ((h[i] as number) >>> 0) * 64 + 32 - (m & 63);
  }
  keys.sort();
  for (const key of keys) {
    const len = 32 - (key % 64);
    const s = hashFind(b, Math.floor(key / 64) | 0, len);
    for (const fa of bigAliases(tb, b, s)) all.push(fa);
  }
  return all;
}

/** Every route of every table in the order a full dump walks them (fib_table_hash buckets). */
export function fibDumpAll(net: Net): FibAlias[] {
  const ids = [...net.ipv4.fibTables.keys()].sort((a, b) => a - b);
  return ids.flatMap((id) => fibTableDump(net.ipv4.fibTables.get(id) as FibTable));
}
