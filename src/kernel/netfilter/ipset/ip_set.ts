// ipset (net/netfilter/ipset/ip_set_core.c with ip_set_hash_gen.h): named sets of addresses,
// networks and address,port pairs, per namespace, that the set match and the SET target consult.
// A set lives at an index of the namespace's table (ip_set_list); rules hold that index and a
// reference, so a referenced set cannot be destroyed or renamed, and `swap` exchanges the
// contents behind two indices. Elements sit in hash buckets keyed by jhash2 with the set's random
// initval, so a listing comes out in the kernel's bucket order.
import type { SkBuff } from "../../core/skbuff.js";
import { jiffiesOf } from "../../ipv4/inet_peer.js";
import { jhash2 } from "../../lib/jhash.js";
import type { Net } from "../../net_namespace.js";

/** ipset's own errors (enum ipset_errno and the plain errnos the core returns). */
export type IpSetErrno =
  | "ENOENT"
  | "EEXIST"
  | "IPSET_ERR_EXIST"
  | "IPSET_ERR_BUSY"
  | "IPSET_ERR_REFERENCED"
  | "IPSET_ERR_TYPE_MISMATCH"
  | "IPSET_ERR_HASH_FULL"
  | "IPSET_ERR_INVALID_CIDR"
  | "IPSET_ERR_MAX_SETS"
  | "IPSET_ERR_COUNTER"
  | "IPSET_ERR_COMMENT"
  | "IPSET_ERR_TIMEOUT"
  | "IPSET_ERR_EXIST_SETNAME2";

export class IpSetError extends Error {
  readonly code: IpSetErrno;
  constructor(code: IpSetErrno) {
    super(code);
    this.code = code;
  }
}

/** A set type as data: what ip_set_type registers and the sizes its memory report adds up. */
export interface IpSetType {
  readonly name: "hash:ip" | "hash:net" | "hash:ip,port";
  readonly revision: number;
  readonly dimension: 1 | 2;
  /** sizeof(struct hash_*4_elem). */
  readonly elemSize: number;
  /** sizeof(struct htype) + sizeof(struct htable) less the one region of a small table. */
  readonly baseSize: number;
  /** hash:net stores a prefix length with each element (IP_SET_HASH_WITH_NETS). */
  readonly nets: boolean;
  readonly ports: boolean;
}

export const IP_SET_TYPES: ReadonlyMap<string, IpSetType> = new Map<string, IpSetType>([
  [
    "hash:ip",
    { name: "hash:ip", revision: 6, dimension: 1, elemSize: 4, baseSize: 192, nets: false, ports: false },
  ],
  [
    "hash:net",
    { name: "hash:net", revision: 7, dimension: 1, elemSize: 8, baseSize: 432, nets: true, ports: false },
  ],
  [
    "hash:ip,port",
    { name: "hash:ip,port", revision: 7, dimension: 2, elemSize: 8, baseSize: 192, nets: false, ports: true },
  ],
]);

/** IPSET_DEFAULT_MAXELEM, IPSET_MIMINAL_HASHSIZE, AHASH_MAX_SIZE, AHASH_INIT_SIZE, AHASH_INC_SIZE. */
const DEFAULT_HASHSIZE = 1024;
const MINIMAL_HASHSIZE = 64;
const DEFAULT_MAXELEM = 65536;
const AHASH_MAX_SIZE = 12;
const AHASH_INIT_SIZE = 2;
const AHASH_INC_SIZE = 4;
/** sizeof(struct hbucket) with its used-bitmap, before the elements. */
const HBUCKET_SIZE = 32;
/** sizeof(struct ip_set_region), one per 2^HTABLE_REGION_BITS buckets. */
const REGION_SIZE = 24;
const HTABLE_REGION_BITS = 10;
/** sizeof(struct ip_set_comment_rcu) before the string. */
const COMMENT_RCU_SIZE = 16;
/** IPSET_MAX_COMMENT_SIZE */
const MAX_COMMENT_SIZE = 255;
const HZ = 250;
/** The most seconds a timeout may be (IPSET_MAX_TIMEOUT: UINT_MAX / MSEC_PER_SEC / 2). */
export const IPSET_MAX_TIMEOUT = 2147483;

export interface IpSetElem {
  /** Host-order address (the network address for hash:net). */
  readonly ip: number;
  /** Prefix length: 32 for hash:ip and hash:ip,port. */
  readonly cidr: number;
  readonly proto: number;
  readonly port: number;
  /** The jiffy it expires at, 0 for permanent (IPSET_ELEM_PERMANENT). */
  expires: number;
  packets: number;
  bytes: number;
  comment: string | undefined;
}

export interface IpSet {
  name: string;
  readonly type: IpSetType;
  readonly htableBits: number;
  readonly maxelem: number;
  readonly bucketsize: number;
  readonly initval: number;
  /** The default timeout in seconds, when the set was created with `timeout` (cadt_flags). */
  readonly timeout: number | undefined;
  readonly counters: boolean;
  readonly comment: boolean;
  /** References from the kernel (set matches, SET targets): destroy refuses while any remain. */
  ref: number;
  /** Buckets by hash, each an array of elements with its allocated slot count. */
  buckets: Map<number, { elems: IpSetElem[]; size: number }>;
  elements: number;
  /** ext_size: bucket and comment memory added as elements came. */
  extSize: number;
  /** hash:net: how many elements have each prefix length (h->nets), most specific first when walked. */
  nets: number[];
}

export interface IpSetNet {
  /** ip_set_list: the sets by index (undefined once destroyed). */
  readonly sets: (IpSet | undefined)[];
}

/** IPSET_DEFAULT max_sets (module parameter). */
const MAX_SETS = 256;

export function ipSetNet(net: Net): IpSetNet {
  const nf = net.nf as { ipset?: IpSetNet };
  if (!nf.ipset) nf.ipset = { sets: [] };
  return nf.ipset;
}

function findIndex(net: Net, name: string): number {
  return ipSetNet(net).sets.findIndex((s) => s?.name === name);
}

function find(net: Net, name: string): IpSet {
  const i = findIndex(net, name);
  if (i < 0) throw new IpSetError("ENOENT");
  return ipSetNet(net).sets[i] as IpSet;
}

/** ip_set_get_byname: the index of a set, for a rule to refer to; undefined if none. */
export function ipSetGetByName(net: Net, name: string): number | undefined {
  const i = findIndex(net, name);
  return i < 0 ? undefined : i;
}

export function ipSetByIndex(net: Net, index: number): IpSet | undefined {
  return ipSetNet(net).sets[index];
}

/** ip_set_nfnl_get_byindex / ip_set_nfnl_put: a rule's reference to a set. */
export function ipSetRef(net: Net, index: number, delta: 1 | -1): void {
  const set = ipSetNet(net).sets[index];
  if (!set) {
    if (delta > 0) throw new IpSetError("ENOENT");
    return;
  }
  set.ref += delta;
}

export interface IpSetCreateReq {
  readonly name: string;
  readonly type: string;
  readonly hashsize?: number;
  readonly maxelem?: number;
  readonly bucketsize?: number;
  readonly timeout?: number;
  readonly counters?: boolean;
  readonly comment?: boolean;
  /** IPSET_FLAG_EXIST: an identical set already there is no error. */
  readonly exist?: boolean;
}

/** fls(hashsize - 1): the table has 2^bits buckets. */
function htableBits(hashsize: number): number {
  let bits = 0;
  while (2 ** bits < hashsize) bits++;
  return bits;
}

/** ip_set_create */
export function ipSetCreate(net: Net, req: IpSetCreateReq): void {
  const type = IP_SET_TYPES.get(req.type);
  if (!type) throw new IpSetError("ENOENT");
  const hashsize = Math.max(MINIMAL_HASHSIZE, req.hashsize ?? DEFAULT_HASHSIZE);
  const set: IpSet = {
    name: req.name,
    type,
    htableBits: htableBits(hashsize),
    maxelem: req.maxelem ?? DEFAULT_MAXELEM,
    bucketsize: Math.min(AHASH_MAX_SIZE, Math.max(AHASH_INIT_SIZE, (req.bucketsize ?? AHASH_MAX_SIZE) & ~1)),
    initval: net.host.randomU32(),
    timeout: req.timeout,
    counters: req.counters ?? false,
    comment: req.comment ?? false,
    ref: 0,
    buckets: new Map(),
    elements: 0,
    extSize: 0,
    nets: new Array<number>(33).fill(0),
  };
  const inst = ipSetNet(net);
  const old = findIndex(net, req.name);
  if (old >= 0) {
    const o = inst.sets[old] as IpSet;
    // find_set_and_id + the "same set" check of ip_set_create with IPSET_FLAG_EXIST.
    if (req.exist && o.type === type && o.timeout === set.timeout && o.maxelem === set.maxelem) return;
    throw new IpSetError("EEXIST");
  }
  let index = inst.sets.indexOf(undefined);
  if (index < 0) index = inst.sets.length;
  if (index >= MAX_SETS) throw new IpSetError("IPSET_ERR_MAX_SETS");
  inst.sets[index] = set;
}

/** ip_set_destroy: one set, or every unreferenced one when no name is given. */
export function ipSetDestroy(net: Net, name?: string): void {
  const inst = ipSetNet(net);
  if (name === undefined) {
    if (inst.sets.some((s) => s && s.ref > 0)) throw new IpSetError("IPSET_ERR_BUSY");
    inst.sets.length = 0;
    return;
  }
  const i = findIndex(net, name);
  if (i < 0) throw new IpSetError("ENOENT");
  if ((inst.sets[i] as IpSet).ref > 0) throw new IpSetError("IPSET_ERR_BUSY");
  inst.sets[i] = undefined;
  while (inst.sets.length > 0 && inst.sets[inst.sets.length - 1] === undefined) inst.sets.length--;
}

function flushSet(set: IpSet): void {
  set.buckets = new Map();
  set.elements = 0;
  set.extSize = 0;
  set.nets = new Array<number>(33).fill(0);
}

/** ip_set_flush */
export function ipSetFlush(net: Net, name?: string): void {
  if (name === undefined) {
    for (const s of ipSetNet(net).sets) if (s) flushSet(s);
    return;
  }
  flushSet(find(net, name));
}

/** ip_set_rename: refused while the set is referenced. */
export function ipSetRename(net: Net, from: string, to: string): void {
  const set = find(net, from);
  if (set.ref > 0) throw new IpSetError("IPSET_ERR_REFERENCED");
  if (findIndex(net, to) >= 0) throw new IpSetError("IPSET_ERR_EXIST_SETNAME2");
  set.name = to;
}

/**
 * ip_set_swap: the two sets trade places (and names), so every rule naming either index now sees
 * the other's contents; the types must match.
 */
export function ipSetSwap(net: Net, from: string, to: string): void {
  const inst = ipSetNet(net);
  const a = findIndex(net, from);
  if (a < 0) throw new IpSetError("ENOENT");
  const b = findIndex(net, to);
  if (b < 0) throw new IpSetError("IPSET_ERR_EXIST_SETNAME2");
  const sa = inst.sets[a] as IpSet;
  const sb = inst.sets[b] as IpSet;
  if (sa.type !== sb.type) throw new IpSetError("IPSET_ERR_TYPE_MISMATCH");
  const name = sa.name;
  sa.name = sb.name;
  sb.name = name;
  const ref = sa.ref;
  sa.ref = sb.ref;
  sb.ref = ref;
  inst.sets[a] = sb;
  inst.sets[b] = sa;
}

// --- elements -------------------------------------------------------------------------------

/** struct ip_set_ext: the extensions an add carries. */
export interface IpSetExt {
  readonly timeout?: number;
  readonly packets?: number;
  readonly bytes?: number;
  readonly comment?: string;
}

function hostmask(cidr: number): number {
  return cidr === 0 ? 0 : (0xffffffff << (32 - cidr)) >>> 0;
}

/** HKEY: the element's words as jhash2 sees them, into a bucket of 2^bits. */
function bucketOf(set: IpSet, e: { ip: number; cidr: number; proto: number; port: number }): number {
  const words = set.type.nets
    ? [e.ip, e.cidr << 24]
    : set.type.ports
      ? [e.ip, ((e.port & 0xffff) << 16) | (e.proto << 8)]
      : [e.ip];
  return jhash2(words, set.initval) & ((1 << set.htableBits) - 1);
}

function sameElem(a: IpSetElem, b: { ip: number; cidr: number; proto: number; port: number }): boolean {
  return a.ip === b.ip && a.cidr === b.cidr && a.proto === b.proto && a.port === b.port;
}

/** The element's data size with its extensions (set->dsize). */
function dsize(set: IpSet): number {
  if (set.timeout === undefined && !set.counters && !set.comment) return set.type.elemSize;
  let n = Math.ceil(set.type.elemSize / 8) * 8;
  if (set.timeout !== undefined) n += 8;
  if (set.counters) n += 16;
  if (set.comment) n += 8;
  return n;
}

function nowJiffies(net: Net): number {
  return jiffiesOf(net.host.clock.now);
}

/** ip_set_timeout_expired */
function expired(e: IpSetElem, now: number): boolean {
  return e.expires !== 0 && e.expires < now;
}

/** ip_set_timeout_set: seconds from now, 0 meaning permanent. */
function timeoutSet(net: Net, seconds: number): number {
  if (seconds === 0) return 0;
  return nowJiffies(net) + Math.min(seconds, IPSET_MAX_TIMEOUT) * HZ;
}

function commentSize(c: string | undefined): number {
  return c === undefined ? 0 : COMMENT_RCU_SIZE + c.length + 1;
}

function removeElem(set: IpSet, bucket: { elems: IpSetElem[] }, i: number): void {
  const e = bucket.elems[i] as IpSetElem;
  bucket.elems.splice(i, 1);
  set.elements--;
  set.extSize -= commentSize(e.comment);
  if (set.type.nets) set.nets[e.cidr] = (set.nets[e.cidr] as number) - 1;
}

/** mtype_add */
function mtypeAdd(
  net: Net,
  set: IpSet,
  key: { ip: number; cidr: number; proto: number; port: number },
  ext: IpSetExt,
  exist: boolean,
): void {
  const now = nowJiffies(net);
  const h = bucketOf(set, key);
  let bucket = set.buckets.get(h);
  const timeout = ext.timeout ?? set.timeout;
  const comment = ext.comment !== undefined ? ext.comment.slice(0, MAX_COMMENT_SIZE) : undefined;
  if (bucket) {
    const i = bucket.elems.findIndex((e) => sameElem(e, key));
    if (i >= 0) {
      const old = bucket.elems[i] as IpSetElem;
      if (!expired(old, now) && !exist) throw new IpSetError("IPSET_ERR_EXIST");
      // An expired element, or -exist: its extensions are overwritten in place.
      if (set.timeout !== undefined) old.expires = timeoutSet(net, timeout ?? 0);
      if (set.counters && (expired(old, now) || ext.packets !== undefined || ext.bytes !== undefined)) {
        old.packets = ext.packets ?? 0;
        old.bytes = ext.bytes ?? 0;
      }
      if (set.comment) {
        set.extSize += commentSize(comment) - commentSize(old.comment);
        old.comment = comment;
      }
      return;
    }
  }
  if (set.elements >= set.maxelem) throw new IpSetError("IPSET_ERR_HASH_FULL");
  if (!bucket) {
    bucket = { elems: [], size: AHASH_INIT_SIZE };
    set.buckets.set(h, bucket);
    set.extSize += HBUCKET_SIZE + AHASH_INIT_SIZE * dsize(set);
  } else if (bucket.elems.length >= bucket.size) {
    if (bucket.size >= set.bucketsize) throw new IpSetError("IPSET_ERR_HASH_FULL");
    bucket.size += AHASH_INC_SIZE;
    set.extSize += AHASH_INC_SIZE * dsize(set);
  }
  bucket.elems.push({
    ...key,
    expires: set.timeout !== undefined ? timeoutSet(net, timeout ?? 0) : 0,
    packets: set.counters ? (ext.packets ?? 0) : 0,
    bytes: set.counters ? (ext.bytes ?? 0) : 0,
    comment: set.comment ? comment : undefined,
  });
  set.elements++;
  set.extSize += commentSize(set.comment ? comment : undefined);
  if (set.type.nets) set.nets[key.cidr] = (set.nets[key.cidr] as number) + 1;
}

/** mtype_del */
function mtypeDel(
  net: Net,
  set: IpSet,
  key: { ip: number; cidr: number; proto: number; port: number },
): void {
  const bucket = set.buckets.get(bucketOf(set, key));
  const i = bucket ? bucket.elems.findIndex((e) => sameElem(e, key)) : -1;
  if (!bucket || i < 0 || expired(bucket.elems[i] as IpSetElem, nowJiffies(net)))
    throw new IpSetError("IPSET_ERR_EXIST");
  removeElem(set, bucket, i);
  // An emptied bucket is freed with its slots.
  if (bucket.elems.length === 0) {
    set.buckets.delete(bucketOf(set, key));
    set.extSize -= HBUCKET_SIZE + bucket.size * dsize(set);
  }
}

/** mtype_test (and mtype_test_cidrs for a host address in hash:net): the live element, if any. */
function mtypeTest(
  net: Net,
  set: IpSet,
  key: { ip: number; cidr: number; proto: number; port: number },
): IpSetElem | undefined {
  const now = nowJiffies(net);
  const look = (k: typeof key) => {
    const bucket = set.buckets.get(bucketOf(set, k));
    const e = bucket?.elems.find((x) => sameElem(x, k));
    return e && !expired(e, now) ? e : undefined;
  };
  if (set.type.nets && key.cidr === 32) {
    for (let cidr = 32; cidr >= 1; cidr--) {
      if ((set.nets[cidr] as number) === 0) continue;
      const e = look({ ...key, ip: (key.ip & hostmask(cidr)) >>> 0, cidr });
      if (e) return e;
    }
    return undefined;
  }
  return look(key);
}

/** An add/del/test from userland (IPSET_CMD_ADD/DEL/TEST with the element's attributes). */
export interface IpSetAdtReq {
  readonly name: string;
  readonly ip: number;
  /** IPSET_ATTR_IP_TO: the range's last address. */
  readonly ipTo?: number;
  /** IPSET_ATTR_CIDR */
  readonly cidr?: number;
  readonly proto?: number;
  readonly port?: number;
  readonly portTo?: number;
  readonly ext?: IpSetExt;
  readonly exist?: boolean;
}

/** ip_set_range_to_cidr: the largest prefix at `from` that stays within `to`. */
function rangeToCidr(from: number, to: number): number {
  for (let cidr = 1; cidr <= 32; cidr++) {
    const mask = hostmask(cidr);
    const last = (from | ~mask) >>> 0;
    if ((from & mask) >>> 0 === from && last <= to) return cidr;
  }
  return 32;
}

/**
 * The type's uadt: the request's range walked element by element. An add stops at the first
 * element that fails (those before it stay), as the kernel's loop does; a test looks at the
 * first address only.
 */
export function ipSetUadt(net: Net, cmd: "add" | "del" | "test", req: IpSetAdtReq): boolean {
  const set = find(net, req.name);
  const type = set.type;
  if (req.ext?.timeout !== undefined && set.timeout === undefined) throw new IpSetError("IPSET_ERR_TIMEOUT");
  if ((req.ext?.packets !== undefined || req.ext?.bytes !== undefined) && !set.counters)
    throw new IpSetError("IPSET_ERR_COUNTER");
  if (req.ext?.comment !== undefined && !set.comment) throw new IpSetError("IPSET_ERR_COMMENT");
  let ip = req.ip >>> 0;
  let ipTo = ip;
  if (req.cidr !== undefined && (req.cidr < 1 || req.cidr > 32))
    throw new IpSetError("IPSET_ERR_INVALID_CIDR");
  if (req.ipTo !== undefined) {
    ipTo = req.ipTo >>> 0;
    if (ip > ipTo) [ip, ipTo] = [ipTo, ip];
  } else if (req.cidr !== undefined && !type.nets) {
    ip = (ip & hostmask(req.cidr)) >>> 0;
    ipTo = (ip | ~hostmask(req.cidr)) >>> 0;
  }
  const proto = req.proto ?? 0;
  let port = req.port ?? 0;
  let portTo = req.portTo ?? port;
  if (port > portTo) [port, portTo] = [portTo, port];
  const apply = (key: { ip: number; cidr: number; proto: number; port: number }): boolean => {
    try {
      if (cmd === "add") mtypeAdd(net, set, key, req.ext ?? {}, req.exist ?? false);
      else if (cmd === "del") mtypeDel(net, set, key);
      else return mtypeTest(net, set, key) !== undefined;
    } catch (e) {
      if (e instanceof IpSetError && e.code === "IPSET_ERR_EXIST" && req.exist) return true;
      throw e;
    }
    return true;
  };
  if (type.nets) {
    if (cmd === "test" || req.ipTo === undefined) {
      const cidr = req.cidr ?? 32;
      return apply({ ip: (ip & hostmask(cidr)) >>> 0, cidr, proto: 0, port: 0 });
    }
    for (let a = ip; a <= ipTo; ) {
      const cidr = rangeToCidr(a, ipTo);
      apply({ ip: a, cidr, proto: 0, port: 0 });
      const next = ((a | ~hostmask(cidr)) >>> 0) + 1;
      if (next > 0xffffffff) break;
      a = next;
    }
    return true;
  }
  if (cmd === "test") return apply({ ip, cidr: 32, proto, port });
  for (let a = ip; a <= ipTo; a++) {
    for (let p = port; p <= portTo; p++) apply({ ip: a, cidr: 32, proto, port: p });
    if (a === 0xffffffff) break;
  }
  return true;
}

// --- the packet side (kadt) -----------------------------------------------------------------

/** IPSET_DIM_ONE_SRC and the next dimension's bit: which of the packet's addresses and ports. */
export const IPSET_DIM_ONE_SRC = 1 << 0;
export const IPSET_DIM_TWO_SRC = 1 << 1;

/**
 * The packet's element for the set (ip4addrptr, ip_set_get_ip4_port): no element for a later
 * fragment of a port-carrying protocol.
 */
function packetKey(
  set: IpSet,
  skb: SkBuff,
  flags: number,
  fragoff: number,
): { ip: number; cidr: number; proto: number; port: number } | undefined {
  const d = skb.data;
  const nh = skb.networkHeader;
  const at = nh + (flags & IPSET_DIM_ONE_SRC ? 12 : 16);
  const ip =
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0;
  if (!set.type.ports) return { ip, cidr: 32, proto: 0, port: 0 };
  const proto = d[nh + 9] as number;
  const th = nh + ((d[nh] as number) & 0xf) * 4;
  let port = 0;
  if (proto === 6 || proto === 17 || proto === 132 || proto === 136) {
    if (fragoff !== 0 || skb.tail < th + 4) return undefined;
    const o = th + (flags & IPSET_DIM_TWO_SRC ? 0 : 2);
    port = ((d[o] as number) << 8) | (d[o + 1] as number);
  } else if (proto === 1) {
    if (fragoff !== 0 || skb.tail < th + 2) return undefined;
    port = ((d[th] as number) << 8) | (d[th + 1] as number);
  }
  return { ip, cidr: 32, proto, port };
}

/** The options of a kernel-side test (struct ip_set_adt_opt). */
export interface IpSetKadtOpt {
  readonly flags: number;
  readonly fragoff: number;
  /** Update the element's counters on a match (not with ! --update-counters). */
  readonly updateCounters: boolean;
  /** For a test: the counter conditions, checked before the update. */
  readonly check?: (e: IpSetElem) => boolean;
}

/** ip_set_test from the set match: whether the packet's element is in the set. */
export function ipSetTest(net: Net, index: number, skb: SkBuff, opt: IpSetKadtOpt): boolean {
  const set = ipSetNet(net).sets[index];
  if (!set) return false;
  const key = packetKey(set, skb, opt.flags, opt.fragoff);
  if (!key) return false;
  const e = mtypeTest(net, set, key);
  if (!e) return false;
  if (set.counters) {
    if (opt.check && !opt.check(e)) return false;
    if (opt.updateCounters) {
      e.packets++;
      e.bytes += skb.tail - skb.networkHeader;
    }
  }
  return true;
}

/** ip_set_add / ip_set_del from the SET target; failures are silent, as in the kernel. */
export function ipSetKadt(
  net: Net,
  index: number,
  skb: SkBuff,
  opt: {
    readonly cmd: "add" | "del";
    readonly flags: number;
    readonly fragoff: number;
    readonly timeout?: number;
    readonly exist: boolean;
  },
): void {
  const set = ipSetNet(net).sets[index];
  if (!set) return;
  const key = packetKey(set, skb, opt.flags, opt.fragoff);
  if (!key) return;
  try {
    if (opt.cmd === "add")
      mtypeAdd(net, set, key, { timeout: set.timeout !== undefined ? opt.timeout : undefined }, opt.exist);
    else mtypeDel(net, set, key);
  } catch (e) {
    if (!(e instanceof IpSetError)) throw e;
  }
}

// --- dumps (IPSET_CMD_LIST / SAVE) ----------------------------------------------------------

export interface IpSetMemberDump {
  readonly ip: number;
  readonly cidr: number;
  readonly proto: number;
  readonly port: number;
  /** Seconds left, 0 for permanent; only for a set with timeouts. */
  readonly timeout: number | undefined;
  readonly packets: number | undefined;
  readonly bytes: number | undefined;
  readonly comment: string | undefined;
}

export interface IpSetDump {
  readonly name: string;
  readonly type: string;
  readonly revision: number;
  readonly hashsize: number;
  readonly maxelem: number;
  readonly bucketsize: number;
  readonly initval: number;
  readonly timeout: number | undefined;
  readonly counters: boolean;
  readonly comment: boolean;
  readonly memsize: number;
  readonly references: number;
  readonly entries: number;
  readonly members: readonly IpSetMemberDump[];
}

/** ip_set_timeout_get: whole seconds left, never 0 for a live element. */
function timeoutGet(e: IpSetElem, now: number): number {
  if (e.expires === 0) return 0;
  const t = Math.floor(((e.expires - now) * (1000 / HZ)) / 1000);
  return t === 0 ? 1 : t;
}

function dumpSet(net: Net, set: IpSet, members: boolean): IpSetDump {
  const now = nowJiffies(net);
  const out: IpSetMemberDump[] = [];
  if (members) {
    const hs = [...set.buckets.keys()].sort((a, b) => a - b);
    for (const h of hs)
      for (const e of (set.buckets.get(h) as { elems: IpSetElem[] }).elems) {
        if (expired(e, now)) continue;
        out.push({
          ip: e.ip,
          cidr: e.cidr,
          proto: e.proto,
          port: e.port,
          timeout: set.timeout !== undefined ? timeoutGet(e, now) : undefined,
          packets: set.counters ? e.packets : undefined,
          bytes: set.counters ? e.bytes : undefined,
          comment: e.comment,
        });
      }
  }
  const regions = set.htableBits < HTABLE_REGION_BITS ? 1 : 2 ** (set.htableBits - HTABLE_REGION_BITS);
  return {
    name: set.name,
    type: set.type.name,
    revision: set.type.revision,
    hashsize: 2 ** set.htableBits,
    maxelem: set.maxelem,
    bucketsize: set.bucketsize,
    initval: set.initval,
    timeout: set.timeout,
    counters: set.counters,
    comment: set.comment,
    memsize: set.type.baseSize + regions * REGION_SIZE + set.extSize,
    references: set.ref,
    entries: set.elements,
    members: out,
  };
}

/**
 * ip_set_dump: one set, or all in index order. `members` false is `list -t` (headers only).
 */
export function ipSetDump(net: Net, name: string | undefined, members: boolean): IpSetDump[] {
  if (name !== undefined) return [dumpSet(net, find(net, name), members)];
  return ipSetNet(net)
    .sets.filter((s): s is IpSet => s !== undefined)
    .map((s) => dumpSet(net, s, members));
}
