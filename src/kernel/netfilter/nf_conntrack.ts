// Connection tracking (net/netfilter/nf_conntrack_core.c, nf_conntrack_proto.c,
// nf_conntrack_standalone.c): tuples, the per-namespace hash, nf_conntrack_in at PREROUTING and
// LOCAL_OUT, nf_confirm at INPUT and POSTROUTING, timeouts in virtual jiffies from the
// nf_conntrack_* sysctls, nf_conntrack_max with early drop and the "table full" message.
//
// Like nf_defrag and nf_conntrack in 6.x the hooks of a namespace are registered only while
// something needs them (nf_ct_netns_get/put: a conntrack, state or connmark match, a CT, CONNMARK
// or NAT target, a nat chain). The table itself and its sysctls exist in every namespace.
//
// A connection is one flat object (struct nf_conn with its two tuplehash entries folded in): the
// original and reply tuples as numbers, and two chain links, one per hash table (original tuples
// and reply tuples are hashed into separate bucket arrays so a connection sits in each once).
import type { SkBuff } from "../core/skbuff.js";
import { jiffiesOf } from "../ipv4/inet_peer.js";
import { ipDefrag } from "../ipv4/ip_fragment.js";
import type { Net } from "../net_namespace.js";
import { printk } from "../printk.js";
import {
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
} from "../uapi_netfilter.js";
import {
  NF_ACCEPT,
  NF_DROP,
  NF_IP_PRI_CONNTRACK,
  NF_IP_PRI_CONNTRACK_CONFIRM,
  NF_STOLEN,
  type NfHookOps,
  type NfHookState,
  nfRegisterNetHook,
  nfUnregisterNetHook,
} from "./core.js";
import {
  IPCT_DESTROY,
  IPCT_NEW,
  IPCT_RELATED,
  IPCT_REPLY,
  nfConntrackEventCache,
  nfConntrackEventReport,
  nfCtDeliverCachedEvents,
} from "./nf_conntrack_ecache.js";
import { nfConntrackIcmpError, nfCtL4New, nfCtL4Packet, nfCtTcpInit } from "./nf_conntrack_proto.js";

export const HZ = 250;

/** enum ip_conntrack_info */
export const IP_CT_ESTABLISHED = 0;
export const IP_CT_RELATED = 1;
export const IP_CT_NEW = 2;
export const IP_CT_IS_REPLY = 3;
export const IP_CT_ESTABLISHED_REPLY = 3;
export const IP_CT_RELATED_REPLY = 4;
export const IP_CT_UNTRACKED = 7;

/** enum ip_conntrack_status */
export const IPS_EXPECTED = 1 << 0;
export const IPS_SEEN_REPLY = 1 << 1;
export const IPS_ASSURED = 1 << 2;
export const IPS_CONFIRMED = 1 << 3;
export const IPS_SRC_NAT = 1 << 4;
export const IPS_DST_NAT = 1 << 5;
export const IPS_NAT_MASK = IPS_SRC_NAT | IPS_DST_NAT;
export const IPS_SEQ_ADJUST = 1 << 6;
export const IPS_SRC_NAT_DONE = 1 << 7;
export const IPS_DST_NAT_DONE = 1 << 8;
export const IPS_DYING = 1 << 9;
export const IPS_FIXED_TIMEOUT = 1 << 10;
export const IPS_TEMPLATE = 1 << 11;
export const IPS_NAT_CLASH = 1 << 12;
export const IPS_HELPER = 1 << 13;
export const IPS_OFFLOAD = 1 << 14;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** enum tcp_conntrack */
export const TCP_CONNTRACK_NONE = 0;
export const TCP_CONNTRACK_SYN_SENT = 1;
export const TCP_CONNTRACK_SYN_RECV = 2;
export const TCP_CONNTRACK_ESTABLISHED = 3;
export const TCP_CONNTRACK_FIN_WAIT = 4;
export const TCP_CONNTRACK_CLOSE_WAIT = 5;
export const TCP_CONNTRACK_LAST_ACK = 6;
export const TCP_CONNTRACK_TIME_WAIT = 7;
export const TCP_CONNTRACK_CLOSE = 8;
export const TCP_CONNTRACK_SYN_SENT2 = 9;
export const TCP_CONNTRACK_MAX = 10;
export const TCP_CONNTRACK_IGNORE = 11;
export const TCP_CONNTRACK_RETRANS = 12;
export const TCP_CONNTRACK_UNACK = 13;

export const TCP_CONNTRACK_NAMES = [
  "NONE",
  "SYN_SENT",
  "SYN_RECV",
  "ESTABLISHED",
  "FIN_WAIT",
  "CLOSE_WAIT",
  "LAST_ACK",
  "TIME_WAIT",
  "CLOSE",
  "SYN_SENT2",
] as const;

/** struct ip_ct_tcp_state: one direction's window tracking. */
export interface IpCtTcpState {
  tdEnd: number;
  tdMaxend: number;
  tdMaxwin: number;
  tdMaxack: number;
  tdScale: number;
  flags: number;
}

/** struct ip_ct_tcp */
export interface IpCtTcp {
  readonly seen: [IpCtTcpState, IpCtTcpState];
  lastIndex: number;
  lastDir: number;
  lastSeq: number;
  lastAck: number;
  lastEnd: number;
  lastWin: number;
  retrans: number;
}

/**
 * struct nf_conn. For ICMP the "ports" are the echo id (source) and type << 8 | code
 * (destination), as nf_conntrack_tuple's union keeps them.
 */
export class NfConn {
  /** The original tuple. */
  os: number;
  od: number;
  osp: number;
  odp: number;
  /** The reply tuple (the original, inverted, then NATed). */
  rs: number;
  rd: number;
  rsp: number;
  rdp: number;
  readonly proto: number;
  status = 0;
  /** Expiry, in jiffies. */
  timeout = 0;
  mark = 0;
  /** TCP: enum tcp_conntrack; UDP: stream_ts (jiffies). */
  state = 0;
  tcp: IpCtTcp | undefined = undefined;
  /** nf_conn_nat's masq_index: the ifindex MASQUERADE took the address of. */
  masqIndex = 0;
  /** ct->ct_general.use beyond the hash's own reference (skbs holding it). */
  use = 1;
  /** nf_conntrack_ecache's cache: IPCT_* bits waiting for the packet to leave conntrack. */
  ecache = 0;
  /** Hash chains: next in the original-tuple table and in the reply-tuple table. */
  nextO: NfConn | undefined = undefined;
  nextR: NfConn | undefined = undefined;

  constructor(proto: number, os: number, od: number, osp: number, odp: number) {
    this.proto = proto;
    this.os = os;
    this.od = od;
    this.osp = osp;
    this.odp = odp;
    this.rs = od;
    this.rd = os;
    this.rsp = 0;
    this.rdp = 0;
  }
}

/** The namespace's conntrack state (struct netns_ct plus the hash the kernel keeps globally). */
export interface NetnsCt {
  /** nf_ct_netns_get references: the hooks are registered while this is above zero. */
  users: number;
  ops: readonly NfHookOps[];
  /** nf_conntrack_hash, split in two: original tuples and reply tuples. */
  hashO: (NfConn | undefined)[];
  hashR: (NfConn | undefined)[];
  count: number;
  /** nf_conntrack_hash_rnd, drawn from the host's generator when the table is made. */
  readonly seed: number;
  /** Sysctls (seconds), net.netfilter.nf_conntrack_*. */
  readonly sysctl: NfCtSysctl;
  /** net_ratelimit's state for the table-full message: the window start (jiffies) and tokens. */
  rlBegin: number;
  rlPrinted: number;
  rlMissed: number;
  /** Counters of /proc/net/stat/nf_conntrack worth keeping: drops, early drops, invalid, insert failures. */
  readonly stat: { drop: number; earlyDrop: number; invalid: number; insertFailed: number };
  /** The NAT hooks' registration (nf_nat_register_fn), kept by nf_nat.ts. */
  natUsers: number;
  /**
   * nf_nat_bysource: connections with a source binding, by original source address and port
   * (address * 65536 + port), newest first; find_appropriate_src reads it, nf_ct_delete empties it.
   */
  readonly natBySource: Map<number, NfConn[]>;
  /** nf_conntrack_max: init_net's is the limit everywhere (writes elsewhere are refused). */
  max: number;
}

export interface NfCtSysctl {
  acct: number;
  checksum: number;
  events: number;
  logInvalid: number;
  tcpBeLiberal: number;
  tcpIgnoreInvalidRst: number;
  tcpLoose: number;
  tcpMaxRetrans: number;
  timestamp: number;
  genericTimeout: number;
  icmpTimeout: number;
  udpTimeout: number;
  udpTimeoutStream: number;
  /** TCP timeouts by enum tcp_conntrack (index 12 retrans, 13 unacknowledged). */
  tcpTimeouts: number[];
}

export const NF_CONNTRACK_BUCKETS = 262144;

/** nf_conntrack_max (init_net's, the limit for every namespace). */
export function nfConntrackMax(net: Net): number {
  return netCt(net.host.initNet).max;
}

/** nf_conntrack_pernet_init's part that cannot wait: the hash seed, drawn in creation order. */
export function nfConntrackPernetInit(net: Net): void {
  // Kept as a signed 32-bit value, which V8 stores inline (an unsigned one above 2^31 is boxed).
  net.nf.ctSeed = net.host.randomU32() | 0;
}

/** The namespace's conntrack table, made on first use with the seed drawn at creation. */
function newNetnsCt(net: Net): NetnsCt {
  const initial = net.host.initNet === net || net.host.initNet === undefined;
  return {
    users: 0,
    ops: [],
    hashO: [],
    hashR: [],
    count: 0,
    seed: net.nf.ctSeed >>> 0,
    sysctl: {
      acct: 0,
      checksum: 1,
      events: 2,
      logInvalid: 0,
      tcpBeLiberal: 0,
      tcpIgnoreInvalidRst: 0,
      tcpLoose: 1,
      tcpMaxRetrans: 3,
      timestamp: 0,
      genericTimeout: 600,
      icmpTimeout: 30,
      udpTimeout: 30,
      udpTimeoutStream: 120,
      tcpTimeouts: [0, 120, 60, 432000, 120, 60, 30, 120, 10, 120, 0, 0, 300, 300],
    },
    rlBegin: 0,
    rlPrinted: 0,
    rlMissed: 0,
    stat: { drop: 0, earlyDrop: 0, invalid: 0, insertFailed: 0 },
    natUsers: 0,
    natBySource: new Map(),
    max: initial ? NF_CONNTRACK_BUCKETS : 0,
  };
}

export function netCt(net: Net): NetnsCt {
  net.nf.ct ??= newNetnsCt(net);
  return net.nf.ct as NetnsCt;
}

// ---------------------------------------------------------------------------------------------
// Hashing.

/** hash_conntrack_raw: a mix of the tuple and the table's seed (siphash in the kernel). */
function hashTuple(seed: number, s: number, d: number, sp: number, dp: number, proto: number): number {
  let h = seed ^ Math.imul(s | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ (d | 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ ((sp << 16) | dp);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ proto;
  h ^= h >>> 15;
  return (h >>> 0) & (NF_CONNTRACK_BUCKETS - 1);
}

function hashInsert(ct: NetnsCt, c: NfConn): void {
  if (ct.hashO.length === 0) {
    ct.hashO = new Array(NF_CONNTRACK_BUCKETS).fill(undefined);
    ct.hashR = new Array(NF_CONNTRACK_BUCKETS).fill(undefined);
  }
  const ho = hashTuple(ct.seed, c.os, c.od, c.osp, c.odp, c.proto);
  c.nextO = ct.hashO[ho];
  ct.hashO[ho] = c;
  const hr = hashTuple(ct.seed, c.rs, c.rd, c.rsp, c.rdp, c.proto);
  c.nextR = ct.hashR[hr];
  ct.hashR[hr] = c;
}

function hashRemove(ct: NetnsCt, c: NfConn): void {
  const ho = hashTuple(ct.seed, c.os, c.od, c.osp, c.odp, c.proto);
  let p = ct.hashO[ho];
  if (p === c) ct.hashO[ho] = c.nextO;
  else
    while (p) {
      if (p.nextO === c) {
        p.nextO = c.nextO;
        break;
      }
      p = p.nextO;
    }
  const hr = hashTuple(ct.seed, c.rs, c.rd, c.rsp, c.rdp, c.proto);
  p = ct.hashR[hr];
  if (p === c) ct.hashR[hr] = c.nextR;
  else
    while (p) {
      if (p.nextR === c) {
        p.nextR = c.nextR;
        break;
      }
      p = p.nextR;
    }
  c.nextO = undefined;
  c.nextR = undefined;
}

/** A found connection and which of its tuples matched (NF_CT_DIRECTION). */
export interface CtFound {
  conn: NfConn;
  dir: 0 | 1;
}

const found: CtFound = { conn: undefined as unknown as NfConn, dir: 0 };

/**
 * __nf_conntrack_find_get: the confirmed connection with this tuple in either direction. An
 * expired one met on the way is deleted (nf_ct_gc_expired) and not returned.
 */
export function nfConntrackFind(
  net: Net,
  proto: number,
  s: number,
  d: number,
  sp: number,
  dp: number,
): CtFound | undefined {
  const ct = netCt(net);
  if (ct.hashO.length === 0) return undefined;
  const now = jiffiesOf(net.host.clock.now);
  const h = hashTuple(ct.seed, s, d, sp, dp, proto);
  for (let c = ct.hashO[h]; c; c = c.nextO)
    if (c.os === s && c.od === d && c.osp === sp && c.odp === dp && c.proto === proto) {
      if (nfCtIsExpired(c, now)) {
        nfCtDelete(net, c);
        return undefined;
      }
      found.conn = c;
      found.dir = 0;
      return found;
    }
  for (let c = ct.hashR[h]; c; c = c.nextR)
    if (c.rs === s && c.rd === d && c.rsp === sp && c.rdp === dp && c.proto === proto) {
      if (nfCtIsExpired(c, now)) {
        nfCtDelete(net, c);
        return undefined;
      }
      found.conn = c;
      found.dir = 1;
      return found;
    }
  return undefined;
}

/**
 * nf_conntrack_tuple_taken: whether a confirmed connection other than `ignored` already uses
 * this tuple (as its original or its reply), so a NAT mapping onto it would clash.
 */
export function nfConntrackTupleTaken(
  net: Net,
  ignored: NfConn,
  t: { s: number; d: number; sp: number; dp: number; proto: number },
): boolean {
  const f = nfConntrackFind(net, t.proto, t.s, t.d, t.sp, t.dp);
  return f !== undefined && f.conn !== ignored;
}

export function nfCtIsExpired(c: NfConn, nowJiffies: number): boolean {
  return (c.timeout | 0) - (nowJiffies | 0) <= 0;
}

/**
 * nf_ct_delete: out of the hash; the count drops; IPCT_DESTROY goes to the listeners, with the
 * netlink port of the process that asked for it (0 when the kernel deleted it).
 */
export function nfCtDelete(net: Net, c: NfConn, portid = 0): void {
  if (c.status & IPS_DYING) return;
  c.status |= IPS_DYING;
  const ct = netCt(net);
  if (c.status & IPS_CONFIRMED) {
    nfConntrackEventReport(net, c, IPCT_DESTROY, portid);
    hashRemove(ct, c);
    ct.count--;
  }
  if (c.status & IPS_SRC_NAT_DONE) natBySourceRemove(ct, c);
}

/** nf_nat_cleanup_conntrack: the connection leaves nf_nat_bysource. */
function natBySourceRemove(ct: NetnsCt, c: NfConn): void {
  const key = c.os * 65536 + c.osp;
  const list = ct.natBySource.get(key);
  if (!list) return;
  const at = list.indexOf(c);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) ct.natBySource.delete(key);
}

/** Every confirmed connection, in hash-bucket order (what a ctnetlink dump walks). */
export function nfCtForEach(net: Net, fn: (c: NfConn) => void): void {
  const ct = netCt(net);
  const now = jiffiesOf(net.host.clock.now);
  const list: NfConn[] = [];
  for (let b = 0; b < ct.hashO.length; b++) for (let c = ct.hashO[b]; c; c = c.nextO) list.push(c);
  for (const c of list) {
    if (nfCtIsExpired(c, now)) {
      nfCtDelete(net, c);
      continue;
    }
    fn(c);
  }
}

/** The gc worker's pass: every expired connection goes (run before counts are read). */
export function nfCtGc(net: Net): void {
  nfCtForEach(net, () => {});
}

/** nf_conntrack_count, after the gc worker has reaped what expired. */
export function nfConntrackCount(net: Net): number {
  nfCtGc(net);
  return netCt(net).count;
}

// ---------------------------------------------------------------------------------------------
// Enabling per namespace.

/** nf_ct_netns_get: the first user registers defrag and conntrack in the namespace. */
export function nfCtNetnsGet(net: Net): void {
  const ct = netCt(net);
  if (ct.users++ > 0) return;
  ct.ops = [
    {
      name: "ipv4_conntrack_defrag",
      hooknum: NF_INET_PRE_ROUTING,
      priority: -400,
      hook: ipv4ConntrackDefrag,
    },
    { name: "ipv4_conntrack_defrag", hooknum: NF_INET_LOCAL_OUT, priority: -400, hook: ipv4ConntrackDefrag },
    {
      name: "ipv4_conntrack_in",
      hooknum: NF_INET_PRE_ROUTING,
      priority: NF_IP_PRI_CONNTRACK,
      hook: nfConntrackIn,
    },
    {
      name: "ipv4_conntrack_local",
      hooknum: NF_INET_LOCAL_OUT,
      priority: NF_IP_PRI_CONNTRACK,
      hook: nfConntrackIn,
    },
    {
      name: "ipv4_confirm",
      hooknum: NF_INET_POST_ROUTING,
      priority: NF_IP_PRI_CONNTRACK_CONFIRM,
      hook: nfConfirm,
    },
    {
      name: "ipv4_confirm",
      hooknum: NF_INET_LOCAL_IN,
      priority: NF_IP_PRI_CONNTRACK_CONFIRM,
      hook: nfConfirm,
    },
  ];
  for (const ops of ct.ops) nfRegisterNetHook(net, ops);
}

/** nf_ct_netns_put: the last user gone, the hooks go (the connections stay until they expire). */
export function nfCtNetnsPut(net: Net): void {
  const ct = netCt(net);
  if (ct.users === 0 || --ct.users > 0) return;
  for (const ops of ct.ops) nfUnregisterNetHook(net, ops);
  ct.ops = [];
}

// ---------------------------------------------------------------------------------------------
// The hooks.

/** ipv4_conntrack_defrag: a fragment is reassembled before conntrack sees it (nf_defrag_ipv4). */
function ipv4ConntrackDefrag(skb: SkBuff, state: NfHookState): number {
  if (skb.nfct !== undefined || skb.nfctinfo === IP_CT_UNTRACKED) return NF_ACCEPT;
  const d = skb.data;
  const nh = skb.networkHeader;
  if ((((d[nh + 6] as number) & 0x3f) | (d[nh + 7] as number)) === 0) return NF_ACCEPT;
  const whole = ipDefrag(state.net, skb);
  if (!whole) return NF_STOLEN;
  skb.data = whole.data;
  skb.head = whole.head;
  skb.tail = whole.tail;
  skb.networkHeader = whole.networkHeader;
  skb.transportHeader = whole.transportHeader;
  return NF_ACCEPT;
}

/** The packet's tuple, read from its headers (nf_ct_get_tuple); false when it has none. */
export interface PktTuple {
  proto: number;
  s: number;
  d: number;
  sp: number;
  dp: number;
  thoff: number;
}

const pktTuple: PktTuple = { proto: 0, s: 0, d: 0, sp: 0, dp: 0, thoff: 0 };

export function readU32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}

/** nf_ct_get_tuple over an IPv4 header at `nh`; false for a truncated transport header. */
export function nfCtGetTuple(d: Uint8Array, nh: number, end: number, t: PktTuple): boolean {
  t.proto = d[nh + 9] as number;
  t.s = readU32(d, nh + 12);
  t.d = readU32(d, nh + 16);
  const th = nh + ((d[nh] as number) & 0xf) * 4;
  t.thoff = th;
  switch (t.proto) {
    case IPPROTO_TCP:
    case IPPROTO_UDP:
      if (th + 8 > end) return false;
      t.sp = ((d[th] as number) << 8) | (d[th + 1] as number);
      t.dp = ((d[th + 2] as number) << 8) | (d[th + 3] as number);
      return true;
    case IPPROTO_ICMP:
      if (th + 8 > end) return false;
      t.sp = ((d[th + 4] as number) << 8) | (d[th + 5] as number);
      t.dp = ((d[th] as number) << 8) | (d[th + 1] as number);
      return true;
    default:
      t.sp = 0;
      t.dp = 0;
      return true;
  }
}

/** icmp_invmap: the reply type of each query type (+1 so 0 means none). */
const ICMP_INVMAP: Readonly<Record<number, number>> = {
  8: 0,
  0: 8,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  17: 18,
  18: 17,
};

/** nf_ct_invert_tuple's layer-4 half: the reply's ports; undefined when ICMP has no inverse. */
export function invertPorts(proto: number, sp: number, dp: number): [number, number] | undefined {
  if (proto === IPPROTO_ICMP) {
    const inv = ICMP_INVMAP[dp >> 8];
    if (inv === undefined) return undefined;
    return [sp, (inv << 8) | (dp & 0xff)];
  }
  return [dp, sp];
}

/** The skb's connection and its ctinfo (nf_ct_get). */
export function nfCtGet(skb: SkBuff): NfConn | undefined {
  return skb.nfct as NfConn | undefined;
}

/**
 * nf_conntrack_in: the packet's connection is found or made, the protocol tracker updates its
 * state, and the skb carries it on. A packet the tracker finds invalid goes on with none
 * (ctstate INVALID); an ICMP error belonging to a connection is RELATED to it.
 */
export function nfConntrackIn(skb: SkBuff, state: NfHookState): number {
  // A looped-back packet keeps what it had (loopback_xmit does not reset it); NOTRACK set it.
  if (skb.nfct !== undefined || skb.nfctinfo === IP_CT_UNTRACKED) return NF_ACCEPT;
  const net = state.net;
  const ct = netCt(net);
  const d = skb.data;
  const nh = skb.networkHeader;
  const t = pktTuple;
  if (!nfCtGetTuple(d, nh, skb.tail, t)) {
    ct.stat.invalid++;
    return NF_ACCEPT;
  }
  if (t.proto === IPPROTO_ICMP) {
    const type = t.dp >> 8;
    if (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) {
      const rel = nfConntrackIcmpError(net, skb, t.thoff);
      if (rel) {
        skb.nfct = rel.conn;
        skb.nfctinfo = rel.dir === 1 ? IP_CT_RELATED_REPLY : IP_CT_RELATED;
      } else ct.stat.invalid++;
      return NF_ACCEPT;
    }
  }
  const now = jiffiesOf(net.host.clock.now);
  let conn: NfConn;
  let dir: 0 | 1;
  let ctinfo: number;
  for (let round = 0; ; round++) {
    const f = nfConntrackFind(net, t.proto, t.s, t.d, t.sp, t.dp);
    if (f) {
      conn = f.conn;
      dir = f.dir;
      if (dir === 1) ctinfo = IP_CT_ESTABLISHED_REPLY;
      else if (conn.status & IPS_SEEN_REPLY) ctinfo = IP_CT_ESTABLISHED;
      else if (conn.status & IPS_EXPECTED) ctinfo = IP_CT_RELATED;
      else ctinfo = IP_CT_NEW;
    } else {
      const inv = invertPorts(t.proto, t.sp, t.dp);
      if (!inv) {
        ct.stat.invalid++;
        return NF_ACCEPT;
      }
      const made = initConntrack(net, t, inv, now, skb);
      if (made === "drop") return NF_DROP;
      if (made === undefined) {
        ct.stat.invalid++;
        return NF_ACCEPT;
      }
      conn = made;
      dir = 0;
      ctinfo = IP_CT_NEW;
    }
    const verdict = nfCtL4Packet(net, conn, skb, t.thoff, dir, ctinfo, now);
    if (verdict === "repeat" && round === 0) {
      // A SYN reopening a closed connection: the old one is gone, the packet makes a new one.
      continue;
    }
    if (verdict !== "accept") {
      ct.stat.invalid++;
      if (!(conn.status & IPS_CONFIRMED)) conn.status |= IPS_DYING;
      return verdict === "drop" ? NF_DROP : NF_ACCEPT;
    }
    break;
  }
  if (ctinfo === IP_CT_ESTABLISHED_REPLY && !(conn.status & IPS_SEEN_REPLY)) {
    conn.status |= IPS_SEEN_REPLY;
    nfConntrackEventCache(conn, IPCT_REPLY);
  }
  skb.nfct = conn;
  skb.nfctinfo = ctinfo;
  return NF_ACCEPT;
}

/** init_conntrack: a new, unconfirmed connection; "drop" when the table is full. */
function initConntrack(
  net: Net,
  t: PktTuple,
  inv: [number, number],
  now: number,
  skb: SkBuff,
): NfConn | "drop" | undefined {
  const ct = netCt(net);
  const max = nfConntrackMax(net);
  if (max && ct.count >= max && !earlyDrop(net, now)) {
    ct.stat.drop++;
    netWarnRatelimited(net, now, "nf_conntrack: nf_conntrack: table full, dropping packet");
    return "drop";
  }
  const c = new NfConn(t.proto, t.s, t.d, t.sp, t.dp);
  c.rs = t.d;
  c.rd = t.s;
  c.rsp = inv[0];
  c.rdp = inv[1];
  if (!nfCtL4New(net, c, skb, t.thoff, now)) return undefined;
  if (t.proto === IPPROTO_TCP) nfCtTcpInit(c);
  return c;
}

/**
 * early_drop: room is made by evicting a connection that never became ASSURED, looking at a
 * few buckets (NF_CT_EVICTION_RANGE entries each) after a random one.
 */
function earlyDrop(net: Net, now: number): boolean {
  const ct = netCt(net);
  if (ct.hashO.length === 0) return false;
  const start = net.host.randomU32() & (NF_CONNTRACK_BUCKETS - 1);
  for (let i = 0; i < 8; i++) {
    const b = (start + i) & (NF_CONNTRACK_BUCKETS - 1);
    let n = 0;
    for (let c = ct.hashO[b]; c && n < 8; c = c.nextO, n++) {
      if (c.status & IPS_ASSURED && !nfCtIsExpired(c, now)) continue;
      nfCtDelete(net, c);
      ct.stat.earlyDrop++;
      return true;
    }
  }
  return false;
}

/** net_warn_ratelimited: net_ratelimit's 5 s window with a burst of 10, then printk KERN_WARNING. */
export function netWarnRatelimited(net: Net, now: number, text: string): void {
  const ct = netCt(net.host.initNet);
  if (ct.rlBegin === 0 || now - ct.rlBegin >= 5 * HZ) {
    if (ct.rlMissed > 0)
      printk(net.host.kmsg, net.host.clock.now, 4, `net_ratelimit: ${ct.rlMissed} callbacks suppressed`);
    ct.rlBegin = now || 1;
    ct.rlPrinted = 0;
    ct.rlMissed = 0;
  }
  if (ct.rlPrinted >= 10) {
    ct.rlMissed++;
    return;
  }
  ct.rlPrinted++;
  printk(net.host.kmsg, net.host.clock.now, 4, text);
}

/** nf_confirm / __nf_conntrack_confirm: a new connection enters the hash as its packet leaves. */
export function nfConfirm(skb: SkBuff, state: NfHookState): number {
  const c = skb.nfct as NfConn | undefined;
  if (!c) return NF_ACCEPT;
  const net = state.net;
  if (c.status & IPS_CONFIRMED) {
    // nf_ct_deliver_cached_events: what this packet did to the connection.
    if (c.ecache !== 0) nfCtDeliverCachedEvents(net, c);
    return NF_ACCEPT;
  }
  // A connection belongs to one packet until it is confirmed; a dying one is not inserted.
  if (c.status & IPS_DYING) return NF_ACCEPT;
  const ct = netCt(net);
  const clashO = nfConntrackFind(net, c.proto, c.os, c.od, c.osp, c.odp);
  const clashR = clashO ? undefined : nfConntrackFind(net, c.proto, c.rs, c.rd, c.rsp, c.rdp);
  if (clashO || clashR) {
    // nf_ct_resolve_clash: the packet takes the connection already there when it is the same one.
    const other = (clashO ?? clashR) as CtFound;
    if (
      clashO &&
      other.conn.rs === c.rs &&
      other.conn.rd === c.rd &&
      other.conn.rsp === c.rsp &&
      other.conn.rdp === c.rdp
    ) {
      skb.nfct = other.conn;
      return NF_ACCEPT;
    }
    ct.stat.insertFailed++;
    return NF_DROP;
  }
  c.status |= IPS_CONFIRMED;
  hashInsert(ct, c);
  ct.count++;
  nfConntrackEventCache(c, c.status & IPS_EXPECTED ? IPCT_RELATED : IPCT_NEW);
  nfCtDeliverCachedEvents(net, c);
  return NF_ACCEPT;
}

/** nf_ct_refresh_acct: the connection lives `seconds` more from now. */
export function nfCtRefresh(c: NfConn, now: number, seconds: number): void {
  if (c.status & IPS_FIXED_TIMEOUT) return;
  c.timeout = now + seconds * HZ;
}

/** nf_ct_kill: deleted at once (a confirmed one leaves the hash; an unconfirmed one is not inserted). */
export function nfCtKill(net: Net, c: NfConn): void {
  if (c.status & IPS_CONFIRMED) nfCtDelete(net, c);
  else c.status |= IPS_DYING;
}

/** nf_ct_expires in seconds, as ctnetlink and /proc print it. */
export function nfCtExpiresSeconds(net: Net, c: NfConn): number {
  const left = c.timeout - jiffiesOf(net.host.clock.now);
  return left > 0 ? Math.floor(left / HZ) : 0;
}

/** The namespace teardown: every connection goes. */
export function nfConntrackNetExit(net: Net): void {
  if (!net.nf.made("ct")) return;
  const ct = netCt(net);
  for (const ops of ct.ops) nfUnregisterNetHook(net, ops);
  ct.ops = [];
  ct.users = 0;
  ct.hashO = [];
  ct.hashR = [];
  ct.count = 0;
  ct.natBySource.clear();
}

/** nf_ct_iterate_cleanup_net: deletes every connection `pred` picks; returns how many. */
export function nfCtIterateCleanup(net: Net, pred: (c: NfConn) => boolean): number {
  let n = 0;
  nfCtForEach(net, (c) => {
    if (pred(c)) {
      nfCtDelete(net, c);
      n++;
    }
  });
  return n;
}

/** For tests and benchmarks: a confirmed connection put straight into the table. */
export function nfCtInsertForTest(net: Net, c: NfConn, timeoutSeconds: number): void {
  nfCtRefresh(c, jiffiesOf(net.host.clock.now), timeoutSeconds);
  c.status |= IPS_CONFIRMED;
  hashInsert(netCt(net), c);
  netCt(net).count++;
}

/**
 * The /proc/net/nf_conntrack line of one connection (ct_seq_show): family, protocol, timeout,
 * the TCP state, both tuples with [UNREPLIED] after the original when no reply was seen,
 * [ASSURED], mark, zone and use (the reader's reference included).
 */
export function ctSeqShowLine(net: Net, c: NfConn): string {
  return `ipv4     2 ${ctTupleText(net, c, true)} zone=0 use=${c.use + 1}`;
}

/** The part of a conntrack line both /proc and conntrack(8) print, from the protocol name to mark. */
export function ctTupleText(net: Net, c: NfConn, proc: boolean): string {
  const name =
    c.proto === IPPROTO_TCP
      ? "tcp"
      : c.proto === IPPROTO_UDP
        ? "udp"
        : c.proto === IPPROTO_ICMP
          ? "icmp"
          : "unknown";
  let s = `${name.padEnd(8)} ${c.proto} ${nfCtExpiresSeconds(net, c)} `;
  if (c.proto === IPPROTO_TCP) s += `${TCP_CONNTRACK_NAMES[c.state]} `;
  s += tupleText(c.proto, c.os, c.od, c.osp, c.odp);
  if (!(c.status & IPS_SEEN_REPLY)) s += "[UNREPLIED] ";
  s += tupleText(c.proto, c.rs, c.rd, c.rsp, c.rdp);
  if (c.status & IPS_ASSURED) s += "[ASSURED] ";
  s += `mark=${c.mark >>> 0}`;
  if (!proc) s += ` use=${c.use}`;
  return s;
}

export function ipText(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function tupleText(proto: number, s: number, d: number, sp: number, dp: number): string {
  let out = `src=${ipText(s)} dst=${ipText(d)} `;
  if (proto === IPPROTO_TCP || proto === IPPROTO_UDP) out += `sport=${sp} dport=${dp} `;
  else if (proto === IPPROTO_ICMP) out += `type=${dp >> 8} code=${dp & 0xff} id=${sp} `;
  return out;
}

/** /proc/net/nf_conntrack (ct_seq_show): every live connection, in hash order. */
export function ctSeqShow(net: Net): string {
  let out = "";
  nfCtForEach(net, (c) => {
    out += `${ctSeqShowLine(net, c)}\n`;
  });
  return out;
}

/** /proc/net/nf_conntrack_expect: no helpers here, so never an expectation. */
export function expSeqShow(_net: Net): string {
  return "";
}

/**
 * The net.netfilter.nf_conntrack_* sysctls (nf_conntrack_standalone.c), as read/write pairs:
 * nf_conntrack_max and nf_conntrack_buckets are init_net's (EINVAL written elsewhere, as this
 * kernel answers), nf_conntrack_count is read-only.
 */
export function nfConntrackSysctls(
  net: Net,
): readonly (readonly [string, { read(n: Net): string; write?(n: Net, v: number): boolean }])[] {
  type Key = Exclude<keyof NfCtSysctl, "tcpTimeouts">;
  const knob = (key: Key, min = -0x80000000, max = 0x7fffffff) => ({
    read: (n: Net) => String(netCt(n).sysctl[key]),
    write: (n: Net, v: number) => {
      if (v < min || v > max) return false;
      netCt(n).sysctl[key] = v;
      return true;
    },
  });
  const tcp = (i: number) => ({
    read: (n: Net) => String(netCt(n).sysctl.tcpTimeouts[i]),
    write: (n: Net, v: number) => {
      netCt(n).sysctl.tcpTimeouts[i] = v;
      return true;
    },
  });
  const initOnly = (get: (n: Net) => number, set: (n: Net, v: number) => void) => ({
    read: (n: Net) => String(get(n)),
    write: (n: Net, v: number) => {
      if (n !== n.host.initNet || v < 0) return false;
      set(n, v);
      return true;
    },
  });
  const ro = (get: (n: Net) => string) => ({ read: get });
  void net;
  return [
    ["nf_conntrack_acct", knob("acct", 0, 1)],
    [
      "nf_conntrack_buckets",
      initOnly(
        () => NF_CONNTRACK_BUCKETS,
        () => {},
      ),
    ],
    ["nf_conntrack_checksum", knob("checksum", 0, 1)],
    ["nf_conntrack_count", ro((n) => String(nfConntrackCount(n)))],
    ["nf_conntrack_events", knob("events", 0, 2)],
    ["nf_conntrack_expect_max", ro(() => "4096")],
    ["nf_conntrack_generic_timeout", knob("genericTimeout")],
    ["nf_conntrack_icmp_timeout", knob("icmpTimeout")],
    ["nf_conntrack_log_invalid", knob("logInvalid", 0, 255)],
    [
      "nf_conntrack_max",
      initOnly(
        (n) => nfConntrackMax(n),
        (n, v) => {
          netCt(n).max = v;
        },
      ),
    ],
    ["nf_conntrack_tcp_be_liberal", knob("tcpBeLiberal", 0, 1)],
    ["nf_conntrack_tcp_ignore_invalid_rst", knob("tcpIgnoreInvalidRst", 0, 1)],
    ["nf_conntrack_tcp_loose", knob("tcpLoose", 0, 1)],
    ["nf_conntrack_tcp_max_retrans", knob("tcpMaxRetrans", 0, 255)],
    ["nf_conntrack_tcp_timeout_close", tcp(8)],
    ["nf_conntrack_tcp_timeout_close_wait", tcp(5)],
    ["nf_conntrack_tcp_timeout_established", tcp(3)],
    ["nf_conntrack_tcp_timeout_fin_wait", tcp(4)],
    ["nf_conntrack_tcp_timeout_last_ack", tcp(6)],
    ["nf_conntrack_tcp_timeout_max_retrans", tcp(12)],
    ["nf_conntrack_tcp_timeout_syn_recv", tcp(2)],
    ["nf_conntrack_tcp_timeout_syn_sent", tcp(1)],
    ["nf_conntrack_tcp_timeout_time_wait", tcp(7)],
    ["nf_conntrack_tcp_timeout_unacknowledged", tcp(13)],
    ["nf_conntrack_timestamp", knob("timestamp", 0, 1)],
    ["nf_conntrack_udp_timeout", knob("udpTimeout")],
    ["nf_conntrack_udp_timeout_stream", knob("udpTimeoutStream")],
  ];
}
