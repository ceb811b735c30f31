// TCP (net/ipv4/tcp.c, tcp_input.c, tcp_output.c, tcp_timer.c, tcp_minisocks.c, tcp_ipv4.c):
// sockets, the listen/request/accept path, the state machine, retransmission and delayed-ACK
// timers, the sliding window, TIME_WAIT, resets from the namespace's control socket, ICMP errors,
// and /proc/net/tcp. Send and receive queues are chunk lists of Uint8Array.
import { bytesToIPv4 } from "../../wire/addr.js";
import {
  ICMP_DEST_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_PARAMETERPROB,
  ICMP_TIME_EXCEEDED,
} from "../../wire/icmp.js";
import { IP_DF, IPPROTO_TCP, type Ipv4View, ipv4Header } from "../../wire/ipv4.js";
import {
  emitTcpSegmentHeader,
  parseTcp,
  TCPHDR_ACK,
  TCPHDR_CWR,
  TCPHDR_ECE,
  TCPHDR_FIN,
  TCPHDR_PSH,
  TCPHDR_RST,
  TCPHDR_SYN,
  type TcpOptions,
  type TcpRepr,
  type TcpSegmentFields,
  tcpHeaderLength,
} from "../../wire/tcp.js";
import type { TimerEvent, TimerList } from "../clock.js";
import type { NetDevice } from "../core/dev.js";
import { netifGsoCapable } from "../core/gso.js";
import { allocSkb, CHECKSUM_PARTIAL, KERNEL_SK, type SkBuff, type SkOwner } from "../core/skbuff.js";
import { netCoreSysctl } from "../core/sysctl_net_core.js";
import { jhash2words, jhash3words } from "../lib/jhash.js";
import type { Net } from "../net_namespace.js";
import type { WaitQueue } from "../sched.js";
import { type Errno, KernelError } from "../syscalls.js";
import { RTCF_BROADCAST, RTCF_MULTICAST } from "../uapi.js";
import {
  type InetSock,
  inetBindCheckAddr,
  inetHashConnectPort,
  inetSockInit,
  pickEphemeralPort,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SHUTDOWN_MASK,
  tcpBindConflict,
} from "./inet_hashtables.js";
import { ipLocalOut } from "./ip_output.js";
import { ipv4Sysctl, ipv4SysctlMem } from "./ipv4_net_table.js";
import { netIncStats } from "./netns_ipv4.js";
import { dstMtu, ipRouteOutputKey, ipv4SkUpdatePmtu, type Rtable, rtCacheValid } from "./route.js";
import {
  type Bictcp,
  bictcpAcked,
  bictcpCongAvoid,
  bictcpInit,
  bictcpLoss,
  bictcpRecalcSsthresh,
} from "./tcp_cubic.js";
import { procAddr, procPointer, seqPad } from "./udp.js";

export const TCP_ESTABLISHED = 1;
export const TCP_SYN_SENT = 2;
export const TCP_SYN_RECV = 3;
export const TCP_FIN_WAIT1 = 4;
export const TCP_FIN_WAIT2 = 5;
export const TCP_TIME_WAIT = 6;
export const TCP_CLOSE = 7;
export const TCP_CLOSE_WAIT = 8;
export const TCP_LAST_ACK = 9;
export const TCP_LISTEN = 10;
export const TCP_CLOSING = 11;

const MS = 1_000_000;
const SEC = 1_000_000_000;
/** TCP_TIMEOUT_INIT, TCP_RTO_MIN, TCP_RTO_MAX, TCP_ATO_MIN, TCP_TIMEWAIT_LEN. */
const TCP_TIMEOUT_INIT = SEC;
const TCP_RTO_MIN = 200 * MS;
const TCP_RTO_MAX = 120 * SEC;
const TCP_ATO_MIN = 40 * MS;
const TCP_TIMEWAIT_LEN = 60 * SEC;
const TCP_INIT_CWND = 10;
const TCP_MAX_QUICKACKS = 16;

/** icsk_ca_state */
const TCP_CA_OPEN = 0;
const TCP_CA_DISORDER = 1;
const TCP_CA_CWR = 2;
const TCP_CA_RECOVERY = 3;
const TCP_CA_LOSS = 4;
/** TCP_SKB_CB(skb)->sacked */
const TCPCB_SACKED_ACKED = 0x01;
const TCPCB_SACKED_RETRANS = 0x02;
const TCPCB_LOST = 0x04;
const TCPCB_EVER_RETRANS = 0x80;
const TCPCB_RETRANS = TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;
/** icsk_pending: ICSK_TIME_RETRANS, ICSK_TIME_REO_TIMEOUT, ICSK_TIME_LOSS_PROBE. */
const ICSK_TIME_RETRANS = 1;
const ICSK_TIME_REO_TIMEOUT = 4;
const ICSK_TIME_LOSS_PROBE = 5;
/** sysctl_tcp_reordering, TCP_NUM_SACKS, TCP_TIMEOUT_MIN (2 jiffies). */
const TCP_REORDERING = 3;
const TCP_NUM_SACKS = 4;
const TCP_TIMEOUT_MIN = 8 * MS;
/** The largest window the congestion window may reach (snd_cwnd_clamp). */
const TCP_CWND_CLAMP = 0xffff_ffff >>> 1;

/** One sent skb on the retransmit queue: its sequence range, segment count, SACK bits, send time. */
export interface TcpSkb {
  seq: number;
  /** The sequence after its data (and after its FIN). */
  endSeq: number;
  fin: boolean;
  /** tcp_skb_pcount: MSS-sized segments it stands for. */
  pcount: number;
  sacked: number;
  /** skb_mstamp_ns: when it was last (re)sent. */
  xmitTime: number;
  /**
   * The order of that send on this socket: virtual time gives every segment of a burst the same
   * stamp, where the kernel's microsecond clock would have moved on between them.
   */
  xmitOrder: number;
}

/** An out-of-order segment waiting for the hole before it to fill. */
export interface OfoSeg {
  seq: number;
  end: number;
  data: Uint8Array;
  fin: boolean;
}

const before = (a: number, b: number) => ((a - b) | 0) < 0;
const after = (a: number, b: number) => ((b - a) | 0) < 0;
const seqAdd = (a: number, n: number) => (a + n) >>> 0;

/** The per-namespace TCP state: hash tables, sysctls, the MIB. */
export interface NetnsTcp {
  /**
   * ehash: established and SYN_RECV request sockets by (lport << 16 | rport), each key's first
   * entry, the rest linked through `ehNext` (sk_nulls_node): a connection coming and going builds
   * no chain array of its own.
   */
  readonly ehash: Map<number, EhEntry>;
  /**
   * The TIME_WAIT sockets of the ehash, keyed and chained the same way but apart from the live
   * ones: a busy server holds tens of thousands for 60 s, and every segment of a live connection
   * looks its socket up (early demux), which should not have to look past them (a table that size
   * no longer sits in the cache). A 4-tuple is in one or the other, never both, so a lookup that
   * tries the live table first finds what one table would.
   */
  readonly twHash: Map<number, TcpTimewaitSock>;
  /** listening_hash by port. */
  readonly lhash: Map<number, TcpSock[]>;
  /**
   * bhash: everything holding a local port (bind conflicts, ephemeral choice), in the order it
   * bound: a busy server's port holds every child and TIME_WAIT socket.
   */
  readonly bhash: Map<number, BindBucket>;
  sysctlSynRetries: number;
  sysctlSynackRetries: number;
  sysctlFinTimeout: number;
  sysctlRetries2: number;
  sysctlEcn: number;
  sysctlTimestamps: number;
  sysctlWindowScaling: number;
  sysctlSack: number;
  sysctlSynLinearTimeouts: number;
  sysctlMaxSynBacklog: number;
  /** tcp_early_demux */
  sysctlEarlyDemux: number;
  readonly mib: TcpMib;
  /** net->ipv4.tcp_death_row: how many TIME_WAIT sockets live. */
  twCount: number;
  /** net_secret / ts_secret stand-in: drawn from the host's generator at first use, 0 before. */
  secret: number;
  /**
   * The options of a segment carrying only a timestamp, rewritten per segment (skOptions): each
   * is written out (tcpEmit) before the next is built. Not on the socket: a TcpSock is at the
   * 127 properties past which V8 builds such a literal the slow way (4x the cost per socket).
   */
  readonly tsOptions: { readonly ts: { val: number; ecr: number } };
}

export interface TcpMib {
  ActiveOpens: number;
  PassiveOpens: number;
  AttemptFails: number;
  EstabResets: number;
  InSegs: number;
  OutSegs: number;
  RetransSegs: number;
  InErrs: number;
  OutRsts: number;
  InCsumErrors: number;
  ListenOverflows: number;
}

export function newNetnsTcp(): NetnsTcp {
  return {
    ehash: new Map(),
    twHash: new Map(),
    lhash: new Map(),
    bhash: new Map(),
    sysctlSynRetries: 6,
    sysctlSynackRetries: 5,
    sysctlFinTimeout: 60 * SEC,
    sysctlRetries2: 15,
    sysctlEcn: 2,
    sysctlTimestamps: 1,
    sysctlWindowScaling: 1,
    sysctlSack: 1,
    sysctlSynLinearTimeouts: 4,
    sysctlMaxSynBacklog: 2048,
    sysctlEarlyDemux: 1,
    twCount: 0,
    secret: 0,
    tsOptions: { ts: { val: 0, ecr: 0 } },
    mib: {
      ActiveOpens: 0,
      PassiveOpens: 0,
      AttemptFails: 0,
      EstabResets: 0,
      InSegs: 0,
      OutSegs: 0,
      RetransSegs: 0,
      InErrs: 0,
      OutRsts: 0,
      InCsumErrors: 0,
      ListenOverflows: 0,
    },
  };
}

/** CurrEstab: sockets in ESTABLISHED or CLOSE_WAIT. */
export function tcpCurrEstab(net: Net): number {
  let n = 0;
  for (const first of net.ipv4.tcp.ehash.values())
    for (let e: EhEntry | undefined = first; e !== undefined; e = e.ehNext)
      if (e.kind === "sk" && (e.state === TCP_ESTABLISHED || e.state === TCP_CLOSE_WAIT)) n++;
  return n;
}

/** struct tcp_sock (with inet_connection_sock). */
export interface TcpSock extends InetSock {
  readonly kind: "sk";
  state: number;
  /** SOCK_DEAD: the user closed it; the kernel finishes the connection alone. */
  orphan: boolean;
  /** SOCK_DONE: a FIN or reset ended the stream. */
  done: boolean;
  /** The IP id counter of a connected socket (inet_id). */
  inetId: number;
  // Listening.
  maxAckBacklog: number;
  readonly acceptQueue: TcpSock[];
  synQueueLen: number;
  // Sending.
  iss: number;
  sndUna: number;
  sndNxt: number;
  /** write_seq: the sequence after the last byte the user queued. */
  writeSeq: number;
  /** snd_wnd (already scaled), snd_wl1, max_window. */
  sndWnd: number;
  sndWl1: number;
  maxWindow: number;
  /** Send queue from snd_una on: chunks, the offset into the first. */
  readonly sndChunks: Uint8Array[];
  sndChunkOff: number;
  /** Bytes queued and not yet acked (write_seq - snd_una without SYN and FIN). */
  sndQueued: number;
  /** The user asked for a FIN after writeSeq (shutdown/close); finSent once it went out. */
  finQueued: boolean;
  finSent: boolean;
  sndbuf: number;
  // Receiving.
  irs: number;
  rcvNxt: number;
  /** copied_seq: what the user has read. */
  copiedSeq: number;
  rcvWnd: number;
  rcvWup: number;
  rcvSsthresh: number;
  windowClamp: number;
  readonly rcvChunks: Uint8Array[];
  rcvQueued: number;
  rcvbuf: number;
  // Options.
  advmss: number;
  /** mss_cache: payload bytes per segment, options subtracted. */
  mss: number;
  /**
   * sk_gso_max_size after sk_setup_caps: how large one skb may be when the route's device takes
   * GSO (NETIF_F_GSO_SOFTWARE), less MAX_TCP_HEADER + 1; 0 when it does not (one MSS per skb).
   */
  gsoMaxSize: number;
  rcvMss: number;
  sndWscale: number;
  rcvWscale: number;
  tsOk: boolean;
  sackOk: boolean;
  tsRecent: number;
  tsOffset: number;
  ecnOk: boolean;
  // Congestion and timers.
  cwnd: number;
  ssthresh: number;
  srtt: number;
  rttvar: number;
  rto: number;
  backoff: number;
  retransmits: number;
  /** retrans_stamp: when the first retransmitted segment was sent (ns), 0 when none. */
  retransStamp: number;
  /**
   * The retransmit queue (tcp_rtx_queue): what was sent and is not yet cumulatively acked, as
   * sequence ranges over the send queue with their SACK scoreboard bits and send times.
   */
  readonly rtxQueue: TcpSkb[];
  /** packets_out, sacked_out, lost_out, retrans_out: in segments (tcp_skb_pcount). */
  packetsOut: number;
  sackedOut: number;
  lostOut: number;
  retransOut: number;
  /** icsk_ca_state: TCP_CA_Open, Disorder, CWR, Recovery, Loss. */
  caState: number;
  /** high_seq: snd_nxt when recovery or loss began; the episode ends when it is acked. */
  highSeq: number;
  /** snd_cwnd_cnt and the window/undo state of tcp_init_cwnd_reduction (PRR, RFC 6937). */
  cwndCnt: number;
  priorCwnd: number;
  priorSsthresh: number;
  prrDelivered: number;
  prrOut: number;
  /** tp->reordering (sysctl_tcp_reordering), reord_seen. */
  reordering: number;
  reordSeen: number;
  /** RACK (tcp_recovery.c): the newest delivered send time, its RTT and end, min_rtt. */
  rackMstamp: number;
  rackRtt: number;
  rackOrder: number;
  /** Segments sent so far (for TcpSkb.xmitOrder). */
  xmitCount: number;
  rackAdvanced: boolean;
  minRtt: number;
  /** The end of the highest SACKed segment (tcp_highest_sack). */
  highestSack: number;
  /** tlp_high_seq: a tail loss probe is out. */
  tlpHighSeq: number;
  /** icsk_pending: what the retransmit timer slot holds. */
  pending: number;
  /** tcp_cwnd_validate's is_cwnd_limited, max_packets_out, cwnd_usage_seq. */
  isCwndLimited: boolean;
  maxPacketsOut: number;
  cwndUsageSeq: number;
  /** struct bictcp (tcp_cubic.c). */
  readonly cubic: Bictcp;
  /** The out-of-order queue (tcp_data_queue_ofo), sorted, non-overlapping. */
  readonly ofoQueue: OfoSeg[];
  ofoBytes: number;
  /** selective_acks as [start, end) pairs, most recent first (at most 4), and the D-SACK. */
  readonly selectiveAcks: [number, number][];
  dsack: [number, number] | undefined;
  /** sk_dst_cache: the output route, and the rt_genid it was made under. */
  dstCache: Rtable | undefined;
  dstGenid: number;
  /**
   * sk_rx_dst: the input route of the segments received, the device it was made for
   * (sk_rx_dst_ifindex) and its rt_genid; early demux attaches it instead of a route lookup.
   */
  rxDst: Rtable | undefined;
  rxDstIfindex: number;
  rxDstGenid: number;
  rtoTimer: TimerEvent | undefined;
  /** When the retransmit timer fires (ns), for /proc/net/tcp. */
  rtoAt: number;
  delackTimer: TimerEvent | undefined;

  delackAt: number;
  ackPending: boolean;
  quick: number;
  pingpong: boolean;
  ato: number;
  finWait2Timer: TimerEvent | undefined;
  /** The request's listener until accept() takes the child. */
  parent: TcpSock | undefined;
  /** The next entry of its ehash chain. */
  ehNext: EhEntry | undefined;
  /** Bytes copied to the user since the last rcvbuf tuning (tcp_rcv_space_adjust). */
  rcvqSpace: number;
  rcvqTime: number;
  hashed: boolean;
  bound: boolean;
  /** inet_csk(sk)->icsk_bind_hash and sk_bind_node: the port's owner list it is on. */
  bindBucket: BindBucket | undefined;
  bindPrev: BindOwner | undefined;
  bindNext: BindOwner | undefined;
  /**
   * The socket's wait queue (sk_sleep): bumped by every change tcp_poll, connect, accept or a
   * blocked send can see (state, data, FIN, error, acked send space, accept queue, close).
   */
  readonly wake: WaitQueue;
}

/** struct tcp_request_sock in the ehash (TCP_NEW_SYN_RECV); its rsk_timer is embedded (TimerList). */
export interface TcpRequestSock extends TimerList {
  readonly kind: "req";
  readonly listener: TcpSock;
  readonly laddr: number;
  readonly lport: number;
  readonly raddr: number;
  readonly rport: number;
  readonly iss: number;
  readonly irs: number;
  readonly mss: number;
  readonly sndWscale: number;
  readonly rcvWscale: number;
  readonly wscaleOk: boolean;
  readonly tsOk: boolean;
  readonly sackOk: boolean;
  readonly ecnOk: boolean;
  tsRecent: number;
  readonly tsOffset: number;
  readonly rcvWnd: number;
  readonly sndWnd: number;
  readonly boundDevIf: number;
  retrans: number;
  /** When rsk_timer fires next. */
  expiresAt: number;
  /** The next entry of its ehash chain. */
  ehNext: EhEntry | undefined;
}

/** struct inet_timewait_sock; its tw_timer is embedded (TimerList): the 2MSL or FIN_WAIT2 wait. */
export interface TcpTimewaitSock extends TimerList {
  readonly kind: "tw";
  readonly net: Net;
  readonly laddr: number;
  readonly lport: number;
  readonly raddr: number;
  readonly rport: number;
  /** TIME_WAIT, or FIN_WAIT2 for an orphan waiting for the peer's FIN. */
  substate: number;
  sndNxt: number;
  rcvNxt: number;
  readonly rcvWnd: number;
  readonly rcvWscale: number;
  readonly tsOk: boolean;
  tsRecent: number;
  readonly tsOffset: number;
  readonly boundDevIf: number;
  readonly reuse: boolean;
  readonly reuseport: boolean;
  readonly uid: number;
  readonly rcvSaddr: number;
  /** tw_entry_stamp: when it entered TIME_WAIT, in virtual ns. */
  readonly entryStamp: number;
  /** When tw_timer fires (what /proc/net/tcp shows as its time left). */
  expiresAt: number;
  /** tw_tb and tw_bind_node: it holds the port as the full socket did. */
  bindBucket: BindBucket | undefined;
  bindPrev: BindOwner | undefined;
  bindNext: BindOwner | undefined;
  /** The next entry of its ehash chain. */
  ehNext: EhEntry | undefined;
}

/** What holds a local port. */
type BindOwner = TcpSock | TcpTimewaitSock;

/**
 * struct inet_bind_bucket: a port's owners, a list linked through them (sk_bind_node /
 * tw_bind_node), so joining and leaving take no hashing however many there are.
 */
export interface BindBucket {
  first: BindOwner | undefined;
  last: BindOwner | undefined;
  count: number;
  /**
   * tb->fastreuse: -1 for a port connect() took (its 4-tuples may share it with other connects),
   * 0 or more once bind() or listen() took it.
   */
  fastreuse: number;
}

export type EhEntry = TcpSock | TcpRequestSock | TcpTimewaitSock;

function ntcp(net: Net): NetnsTcp {
  return net.ipv4.tcp;
}

// --- socket creation and hashing --------------------------------------------------------------

export function tcpSockCreate(net: Net, uid: number): TcpSock {
  // Every field spelled out (no spread): V8 builds the socket from one boilerplate instead of
  // growing a copied object property by property, which made each socket cost ~0.1 ms.
  // It holds 127 properties: from 128 on, V8 makes such a literal the slow way (about 4x the
  // cost per socket, a connection 20 % slower), so a new field must take an old one's place.
  const inet = inetSockInit(net, IPPROTO_TCP, uid);
  return {
    net: inet.net,
    protocol: inet.protocol,
    inode: inet.inode,
    uid: inet.uid,
    boundDevIf: inet.boundDevIf,
    rcvSaddr: inet.rcvSaddr,
    saddr: inet.saddr,
    num: inet.num,
    daddr: inet.daddr,
    dport: inet.dport,
    reuse: inet.reuse,
    reuseport: inet.reuseport,
    broadcast: inet.broadcast,
    ttl: inet.ttl,
    pmtudisc: inet.pmtudisc,
    recverr: inet.recverr,
    errQueue: inet.errQueue,
    err: inet.err,
    errSoft: inet.errSoft,
    shutdown: inet.shutdown,
    bindPortLock: inet.bindPortLock,
    owner: inet.owner,
    kind: "sk",
    state: TCP_CLOSE,
    orphan: false,
    done: false,
    inetId: 0,
    maxAckBacklog: 0,
    acceptQueue: [],
    synQueueLen: 0,
    iss: 0,
    sndUna: 0,
    sndNxt: 0,
    writeSeq: 0,
    sndWnd: 0,
    sndWl1: 0,
    maxWindow: 0,
    sndChunks: [],
    sndChunkOff: 0,
    sndQueued: 0,
    finQueued: false,
    finSent: false,
    sndbuf: ipv4SysctlMem(net, "tcp_wmem")[1],
    irs: 0,
    rcvNxt: 0,
    copiedSeq: 0,
    rcvWnd: 0,
    rcvWup: 0,
    rcvSsthresh: 0,
    windowClamp: 0,
    rcvChunks: [],
    rcvQueued: 0,
    rcvbuf: ipv4SysctlMem(net, "tcp_rmem")[1],
    advmss: 536,
    mss: 536,
    gsoMaxSize: 0,
    rcvMss: 536,
    sndWscale: 0,
    rcvWscale: 0,
    tsOk: false,
    sackOk: false,
    tsRecent: 0,
    tsOffset: 0,
    ecnOk: false,
    cwnd: TCP_INIT_CWND,
    ssthresh: 0x7fffffff,
    srtt: 0,
    rttvar: 0,
    rto: TCP_TIMEOUT_INIT,
    backoff: 0,
    retransmits: 0,
    retransStamp: 0,
    rtxQueue: [],
    packetsOut: 0,
    sackedOut: 0,
    lostOut: 0,
    retransOut: 0,
    caState: TCP_CA_OPEN,
    highSeq: 0,
    cwndCnt: 0,
    priorCwnd: 0,
    priorSsthresh: 0,
    prrDelivered: 0,
    prrOut: 0,
    reordering: TCP_REORDERING,
    reordSeen: 0,
    rackMstamp: 0,
    rackRtt: 0,
    rackOrder: 0,
    xmitCount: 0,
    rackAdvanced: false,
    minRtt: Number.POSITIVE_INFINITY,
    highestSack: 0,
    tlpHighSeq: 0,
    pending: 0,
    isCwndLimited: false,
    maxPacketsOut: 0,
    cwndUsageSeq: 0,
    cubic: bictcpInit(),
    ofoQueue: [],
    ofoBytes: 0,
    selectiveAcks: [],
    dsack: undefined,
    dstCache: undefined,
    dstGenid: 0,
    rxDst: undefined,
    rxDstIfindex: 0,
    rxDstGenid: 0,
    rtoTimer: undefined,
    rtoAt: 0,
    delackTimer: undefined,
    delackAt: 0,
    ackPending: false,
    quick: 0,
    pingpong: false,
    ato: 0,
    finWait2Timer: undefined,
    parent: undefined,
    ehNext: undefined,
    rcvqSpace: 0,
    rcvqTime: 0,
    hashed: false,
    bindBucket: undefined,
    bindPrev: undefined,
    bindNext: undefined,
    bound: false,
    wake: { gen: 0 },
  };
}

/**
 * The ehash key of a port pair, as a signed 32-bit integer: V8 keeps those as small integers,
 * where an unsigned value of 2^31 or more (any ephemeral local port) would be a heap number,
 * allocated and hashed as a double on every lookup.
 */
function ehKey(lport: number, rport: number): number {
  return (lport << 16) | rport;
}

/** The ehash key of an entry (a full socket keeps its ports as inet_num / inet_dport). */
function ehKeyOf(e: EhEntry): number {
  return e.kind === "sk" ? ehKey(e.num, e.dport) : ehKey(e.lport, e.rport);
}

/** The table an entry lives in: the TIME_WAIT one, or the live one. */
function ehTable(net: Net, e: EhEntry): Map<number, EhEntry> {
  const t = ntcp(net);
  return e.kind === "tw" ? (t.twHash as Map<number, EhEntry>) : t.ehash;
}

/** `e` joins the end of its key's chain. */
function ehAdd(net: Net, e: EhEntry): void {
  const ehash = ehTable(net, e);
  const key = ehKeyOf(e);
  e.ehNext = undefined;
  let last = ehash.get(key);
  if (last === undefined) {
    ehash.set(key, e);
    return;
  }
  while (last.ehNext !== undefined) last = last.ehNext;
  last.ehNext = e;
}

/** Every ehash entry, as a list of its own (for walks that unhash what they visit). */
function ehEntries(net: Net): EhEntry[] {
  const all: EhEntry[] = [];
  for (const table of [ntcp(net).ehash, ntcp(net).twHash as Map<number, EhEntry>])
    for (const first of table.values())
      for (let e: EhEntry | undefined = first; e !== undefined; e = e.ehNext) all.push(e);
  return all;
}

function ehDel(net: Net, e: EhEntry): void {
  ehReplace(net, e, e.ehNext);
}

/**
 * `e` leaves its chain, `by` (its successor, or a socket taking its place as
 * inet_ehash_insert's osk or inet_twsk_hashdance2 do) standing where it stood. A timewait socket
 * taking a full one's place (the hashdance) joins the TIME_WAIT table instead.
 */
function ehReplace(net: Net, e: EhEntry, by: EhEntry | undefined): boolean {
  if (by !== undefined && by.kind === "tw" && e.kind !== "tw") {
    if (!ehReplace(net, e, e.ehNext)) return false;
    ehAdd(net, by);
    return true;
  }
  const ehash = ehTable(net, e);
  const key = ehKeyOf(e);
  const first = ehash.get(key);
  if (first === undefined) return false;
  let prev: EhEntry | undefined;
  if (first !== e) {
    prev = first;
    while (prev.ehNext !== undefined && prev.ehNext !== e) prev = prev.ehNext;
    if (prev.ehNext !== e) return false;
  }
  if (by !== undefined && by !== e.ehNext) by.ehNext = e.ehNext;
  if (prev !== undefined) prev.ehNext = by;
  else if (by === undefined) ehash.delete(key);
  else ehash.set(key, by);
  e.ehNext = undefined;
  return true;
}

/** __inet_lookup_established */
function lookupEstablished(
  net: Net,
  saddr: number,
  sport: number,
  daddr: number,
  dport: number,
): EhEntry | undefined {
  const t = ntcp(net);
  const key = ehKey(dport, sport);
  for (let e = t.ehash.get(key); e !== undefined; e = e.ehNext) {
    if (e.kind === "sk" ? e.rcvSaddr === daddr && e.daddr === saddr : e.laddr === daddr && e.raddr === saddr)
      return e;
  }
  if (t.twHash.size === 0) return undefined;
  for (let e: EhEntry | undefined = t.twHash.get(key); e !== undefined; e = e.ehNext) {
    const tw = e as TcpTimewaitSock;
    if (tw.laddr === daddr && tw.raddr === saddr) return tw;
  }
  return undefined;
}

/** __inet_lookup_listener with compute_score: an address-bound or device-bound listener wins. */
function lookupListener(net: Net, daddr: number, dport: number, dif: number): TcpSock | undefined {
  let best: TcpSock | undefined;
  let bestScore = -1;
  for (const sk of ntcp(net).lhash.get(dport) ?? []) {
    let score = 1;
    if (sk.rcvSaddr) {
      if (sk.rcvSaddr !== daddr) continue;
      score++;
    }
    if (sk.boundDevIf) {
      if (sk.boundDevIf !== dif) continue;
      score += 2;
    }
    if (score > bestScore) {
      best = sk;
      bestScore = score;
    }
  }
  return best;
}

/**
 * inet_bind_hash: `e` joins the end of the port's owners (a socket on the list already stays).
 * A new bucket gets `fastreuse` (-1 from connect()); bind() on a connect()-made port without
 * SO_REUSEADDR marks it bound (inet_csk_update_fastreuse).
 */
function bhashAdd(net: Net, port: number, e: BindOwner, fastreuse = 0): void {
  if (e.bindBucket !== undefined) return;
  const bhash = ntcp(net).bhash;
  let b = bhash.get(port);
  if (b === undefined) {
    b = { first: undefined, last: undefined, count: 0, fastreuse };
    bhash.set(port, b);
  } else if (fastreuse >= 0 && b.fastreuse < 0 && !e.reuse) b.fastreuse = 0;
  e.bindBucket = b;
  e.bindPrev = b.last;
  e.bindNext = undefined;
  if (b.last !== undefined) b.last.bindNext = e;
  else b.first = e;
  b.last = e;
  b.count++;
}

/** __inet_put_port / inet_twsk_bind_unhash: `e` leaves its port's owners; an empty bucket goes. */
function bhashDel(net: Net, port: number, e: BindOwner): void {
  const b = e.bindBucket;
  if (b === undefined) return;
  const prev = e.bindPrev;
  const next = e.bindNext;
  if (prev !== undefined) prev.bindNext = next;
  else b.first = next;
  if (next !== undefined) next.bindPrev = prev;
  else b.last = prev;
  e.bindBucket = undefined;
  e.bindPrev = undefined;
  e.bindNext = undefined;
  if (--b.count === 0 && ntcp(net).bhash.get(port) === b) ntcp(net).bhash.delete(port);
}

function asBound(e: TcpSock | TcpTimewaitSock) {
  if (e.kind === "tw")
    return {
      boundDevIf: e.boundDevIf,
      rcvSaddr: e.rcvSaddr,
      reuse: e.reuse,
      reuseport: e.reuseport,
      uid: e.uid,
      listening: false,
      timeWait: true,
    };
  return {
    boundDevIf: e.boundDevIf,
    rcvSaddr: e.rcvSaddr,
    reuse: e.reuse,
    reuseport: e.reuseport,
    uid: e.uid,
    listening: e.state === TCP_LISTEN,
    timeWait: false,
  };
}

function bindConflict(sk: TcpSock, port: number, asListener = false): boolean {
  const owners = ntcp(sk.net).bhash.get(port);
  if (!owners) return false;
  const me = { ...asBound(sk), listening: asListener || sk.state === TCP_LISTEN };
  for (let e = owners.first; e !== undefined; e = e.bindNext)
    if (e !== sk && tcpBindConflict(me, asBound(e))) return true;
  return false;
}

/** inet_bind -> inet_csk_get_port */
export function tcpBind(sk: TcpSock, addr: number, port: number): void {
  inetBindCheckAddr(sk.net, addr);
  if (sk.state !== TCP_CLOSE || sk.num) throw new KernelError("EINVAL");
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  try {
    if (port === 0) port = pickEphemeralPort(sk.net, true, (p) => !bindConflict(sk, p));
    else if (bindConflict(sk, port)) throw new KernelError("EADDRINUSE");
  } catch (e) {
    sk.rcvSaddr = 0;
    sk.saddr = 0;
    throw e;
  }
  sk.num = port;
  sk.bound = true;
  if (port) sk.bindPortLock = true;
  bhashAdd(sk.net, port, sk);
}

/** inet_csk_listen_start */
export function tcpListen(sk: TcpSock, backlog: number): void {
  if (sk.state !== TCP_CLOSE && sk.state !== TCP_LISTEN) throw new KernelError("EINVAL");
  // __sys_listen: a backlog above net.core.somaxconn, compared unsigned (so a negative one too),
  // is somaxconn.
  const somaxconn = netCoreSysctl(sk.net, "somaxconn");
  sk.maxAckBacklog = backlog >>> 0 > somaxconn ? somaxconn : backlog;
  if (sk.state === TCP_LISTEN) return;
  if (!sk.num) {
    const port = pickEphemeralPort(sk.net, true, (p) => !bindConflict(sk, p, true));
    sk.num = port;
    sk.bound = true;
    bhashAdd(sk.net, port, sk);
  } else if (bindConflict(sk, sk.num, true)) {
    // inet_csk_get_port again as a listener: a SO_REUSEADDR sibling is no longer welcome.
    throw new KernelError("EADDRINUSE");
  }
  setState(sk, TCP_LISTEN);
  const list = ntcp(sk.net).lhash.get(sk.num);
  if (list) list.push(sk);
  else ntcp(sk.net).lhash.set(sk.num, [sk]);
}

function setState(sk: TcpSock, state: number): void {
  const old = sk.state;
  sk.state = state;
  sk.wake.gen++;
  if (state === TCP_CLOSE) {
    if (old === TCP_LISTEN) {
      const list = ntcp(sk.net).lhash.get(sk.num);
      if (list) {
        const i = list.indexOf(sk);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) ntcp(sk.net).lhash.delete(sk.num);
      }
    }
    if (sk.hashed) {
      ehDel(sk.net, sk);
      sk.hashed = false;
    }
    // inet_put_port: unless bind() chose the port, it is given back.
    if (sk.bound && (!sk.bindPortLock || sk.orphan)) {
      bhashDel(sk.net, sk.num, sk);
      sk.bound = false;
      if (!sk.bindPortLock) sk.num = 0;
    }
  }
}

// --- clocks ------------------------------------------------------------------------------------

function nowNs(net: Net): number {
  return net.host.clock.now;
}

/** tcp_time_stamp_ts: milliseconds plus the connection's random offset. */
function tsNow(net: Net, offset: number): number {
  return (Math.floor(nowNs(net) / MS) + offset) >>> 0;
}

// --- output ------------------------------------------------------------------------------------

interface Flow {
  readonly net: Net;
  readonly saddr: number;
  readonly daddr: number;
  readonly sport: number;
  readonly dport: number;
  readonly oif: number;
  readonly ttl: number | undefined;
  /** skb->sk of what goes out: the socket, KERNEL_SK for the control socket, none for TIME_WAIT. */
  readonly sk: SkOwner | undefined;
}

/** The header fields of a segment to send; the ports come from the flow. */
type TcpOut = TcpSegmentFields;

/**
 * A reply from no full socket (a reset from the control socket, a timewait ACK, a SYN-ACK):
 * ip_send_unicast_reply / ip_build_and_send_pkt route every one afresh, unless the caller has
 * the route of this very flow already (`dst`: tcp_conn_request's route_req, which send_synack
 * reuses). Only the SYN-ACK leaves with CHECKSUM_PARTIAL (tcp_v4_send_synack's
 * __tcp_v4_send_check); ip_send_unicast_reply finishes its checksum (CHECKSUM_NONE).
 */
function transmit(
  flow: Flow,
  tcp: TcpOut,
  ipId: number | undefined,
  csumPartial = false,
  dst: Rtable | undefined = undefined,
): boolean {
  const net = flow.net;
  const rt =
    dst ??
    ipRouteOutputKey(net, {
      daddr: flow.daddr,
      saddr: flow.saddr || undefined,
      oif: flow.oif || undefined,
    });
  if (rt instanceof KernelError) return false;
  const ttl = flow.ttl ?? net.ipv4.sysctlIpDefaultTtl;
  const ports = (flow.sport << 16) | flow.dport;
  tcpEmit(
    net,
    rt,
    flow.saddr || rt.src,
    flow.daddr,
    ports,
    ttl,
    flow.sk,
    tcp.seq,
    tcp.ack,
    tcp.flags,
    tcp.window,
    tcp.options,
    ipId ?? 0,
    undefined,
    0,
    0,
    csumPartial,
  );
  return true;
}

/**
 * __sk_dst_check: the route the socket cached (sk_dst_cache), while no rt_cache_flush bumped the
 * namespace's rt_genid and no exception made it obsolete; a stale one is dropped.
 */
function skDstCheck(sk: TcpSock): Rtable | undefined {
  const dst = sk.dstCache;
  if (dst === undefined) return undefined;
  if (rtCacheValid(sk.net, sk.dstGenid)) return dst;
  sk.dstCache = undefined;
  return undefined;
}

/**
 * sk_setup_caps: the socket keeps the route (sk_dst_set, stamped with rt_genid) and takes its
 * device's offloads. A route bound to a next-hop exception is not kept (see rtCacheValid).
 */
function skSetupCaps(sk: TcpSock, rt: Rtable): void {
  if (rtCacheValid(sk.net, sk.net.ipv4.rtGenid)) {
    sk.dstCache = rt;
    sk.dstGenid = sk.net.ipv4.rtGenid;
  }
  tcpSetupCaps(sk, rt);
}

/**
 * tcp_transmit_skb -> ip_queue_xmit: the segment, with `len` bytes copied from the send queue
 * starting `offset` bytes after snd_una, on the socket's cached route or, when that is stale, a
 * fresh one (ip_route_output_ports + sk_setup_caps).
 */
function tcpTransmitSkb(
  sk: TcpSock,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: TcpOptions,
  ipId: number,
  offset = 0,
  len = 0,
): boolean {
  let rt = skDstCheck(sk);
  if (rt === undefined) {
    const found = ipRouteOutputKey(sk.net, {
      daddr: sk.daddr,
      saddr: sk.saddr || undefined,
      oif: sk.boundDevIf || undefined,
    });
    if (found instanceof KernelError) return false;
    skSetupCaps(sk, found);
    rt = found;
  }
  const net = sk.net;
  const ttl = sk.ttl ?? net.ipv4.sysctlIpDefaultTtl;
  const ports = (sk.num << 16) | sk.dport;
  const saddr = sk.saddr || rt.src;
  tcpEmit(
    net,
    rt,
    saddr,
    sk.daddr,
    ports,
    ttl,
    sk.owner,
    seq,
    ack,
    flags,
    window,
    options,
    ipId,
    sk,
    offset,
    len,
    true,
  );
  return true;
}

/**
 * Builds the segment (IPv4 header, TCP header and options, payload) and hands it to ip_local_out.
 * Every segment passes here, so what it writes comes as arguments, not gathered in an object per
 * segment: `ports` is source << 16 | dest; `owner` is skb->sk of what goes out (the socket,
 * KERNEL_SK for the control socket, none for TIME_WAIT); `len` bytes of `src`'s send queue
 * starting `offset` bytes after snd_una are the payload; `csumPartial` is skb->ip_summed.
 */
function tcpEmit(
  net: Net,
  rt: Rtable,
  saddr: number,
  daddr: number,
  ports: number,
  ttl: number,
  owner: SkOwner | undefined,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: TcpOptions,
  ipId: number,
  src: TcpSock | undefined,
  offset: number,
  len: number,
  csumPartial: boolean,
): void {
  const hl = tcpHeaderLength(options);
  const total = 20 + hl + len;
  const skb = allocSkb(total, net.host.packetSlab);
  ipv4Header(skb.data, skb.head, 0, total, ipId, IP_DF, ttl, IPPROTO_TCP, saddr, daddr);
  const th = skb.head + 20;
  if (len && src) copyFromSendQueue(src, offset, len, skb.data, th + hl);
  emitTcpSegmentHeader(skb.data, th, ports, seq, ack, flags, window, options, len, saddr, daddr);
  skb.transportHeader = th;
  skb.protocol = 0x0800;
  skb.sk = owner;
  if (csumPartial) skb.ipSummed = CHECKSUM_PARTIAL;
  // A GSO skb (tcp_gso_tstamp / tcp_set_skb_tso_segs): gso_size is the MSS it stands for.
  const segs = src !== undefined && len > src.mss ? Math.ceil(len / src.mss) : 1;
  if (segs > 1) {
    skb.gsoSize = (src as TcpSock).mss;
    skb.gsoSegs = segs;
  }
  ntcp(net).mib.OutSegs += segs;
  ipLocalOut(net, skb, rt);
}

/** tcp_win_from_space with the default scaling_ratio: half the buffer is window. */
function winFromSpace(space: number): number {
  return Math.max(0, Math.floor(space / 2));
}

/** tcp_space: what the receive buffer still holds room for (the out-of-order queue counts too). */
function rcvSpace(sk: TcpSock): number {
  return winFromSpace(sk.rcvbuf - sk.rcvQueued - sk.ofoBytes);
}

/** __tcp_select_window + tcp_select_window: never shrink what was offered. */
function selectWindow(sk: TcpSock): number {
  const fullSpace = Math.min(sk.windowClamp, winFromSpace(sk.rcvbuf));
  let freeSpace = rcvSpace(sk);
  let window: number;
  if (freeSpace < fullSpace / 2 && freeSpace < sk.rcvMss) window = 0;
  else {
    if (freeSpace > sk.rcvSsthresh) freeSpace = sk.rcvSsthresh;
    window = freeSpace;
    if (sk.rcvWscale) window = Math.ceil(window / (1 << sk.rcvWscale)) * (1 << sk.rcvWscale);
  }
  // tcp_receive_window: what is still open of the last advertisement.
  const cur = Math.max(0, sk.rcvWup + sk.rcvWnd - sk.rcvNxt);
  if (window < cur) window = Math.ceil(cur / (1 << sk.rcvWscale)) * (1 << sk.rcvWscale);
  window = Math.min(window, 65535 * (1 << sk.rcvWscale));
  sk.rcvWnd = window;
  sk.rcvWup = sk.rcvNxt;
  return window >>> sk.rcvWscale;
}

/**
 * tcp_established_options: the timestamp, then the D-SACK and SACK blocks that fit in the 40
 * bytes of option space (3 beside a timestamp); writing a D-SACK consumes it (tcp_options_write).
 */
function skOptions(sk: TcpSock): TcpOptions {
  const eff = sk.selectiveAcks.length + (sk.dsack ? 1 : 0);
  if (!eff || !sk.sackOk) {
    if (!sk.tsOk) return NO_OPTIONS;
    // The timestamp alone (nearly every segment): the namespace's one options object, rewritten
    // for each segment, which tcpEmit has written out before the next one is built.
    const opts = ntcp(sk.net).tsOptions;
    opts.ts.val = tsNow(sk.net, sk.tsOffset);
    opts.ts.ecr = sk.tsRecent;
    return opts;
  }
  const ts = sk.tsOk ? { val: tsNow(sk.net, sk.tsOffset), ecr: sk.tsRecent } : undefined;
  const room = Math.floor((40 - (ts ? 12 : 0) - 4) / 8);
  const blocks: (readonly [number, number])[] = [];
  if (sk.dsack) blocks.push(sk.dsack);
  for (const b of sk.selectiveAcks) blocks.push(b);
  sk.dsack = undefined;
  const sack = blocks.slice(0, Math.min(eff, room));
  return ts ? { ts, sack } : { sack };
}

/** The options of a segment that carries none. */
const NO_OPTIONS: TcpOptions = Object.freeze({});

/** ip_select_ident_segs: a GSO skb takes one IP id per segment it stands for. */
function nextIpId(sk: TcpSock, segs = 1): number {
  const id = sk.inetId;
  sk.inetId = (sk.inetId + segs) & 0xffff;
  return id;
}

/** tcp_send_ack */
function sendAck(sk: TcpSock): void {
  if (sk.state === TCP_CLOSE) return;
  cancelDelack(sk);
  const win = selectWindow(sk);
  tcpTransmitSkb(sk, sk.sndNxt, sk.rcvNxt, TCPHDR_ACK, win, skOptions(sk), nextIpId(sk));
  if (sk.quick > 0) sk.quick--;
}

function cancelDelack(sk: TcpSock): void {
  sk.ackPending = false;
  if (sk.delackTimer) sk.net.host.clock.cancel(sk.delackTimer);
}

/** Copies `len` bytes of the send queue starting `offset` bytes after snd_una into `out`. */
function copyFromSendQueue(sk: TcpSock, offset: number, len: number, out: Uint8Array, at: number): void {
  let skip = offset + sk.sndChunkOff;
  let i = 0;
  while (i < sk.sndChunks.length && skip >= (sk.sndChunks[i] as Uint8Array).length) {
    skip -= (sk.sndChunks[i] as Uint8Array).length;
    i++;
  }
  while (len > 0 && i < sk.sndChunks.length) {
    const c = sk.sndChunks[i] as Uint8Array;
    const n = Math.min(len, c.length - skip);
    out.set(skip === 0 && n === c.length ? c : c.subarray(skip, skip + n), at);
    at += n;
    len -= n;
    skip = 0;
    i++;
  }
}

/** The sequence right after the user's data (the FIN's sequence when one is queued). */
function dataEnd(sk: TcpSock): number {
  return sk.writeSeq;
}

/** tcp_transmit_skb for a data/FIN skb of the retransmit queue. */
function sendSkb(sk: TcpSock, skb: TcpSkb): void {
  const len = ((skb.endSeq - skb.seq) >>> 0) - (skb.fin ? 1 : 0);
  let flags = TCPHDR_ACK;
  if (skb.fin) flags |= TCPHDR_FIN;
  if (len && seqAdd(skb.seq, len) === dataEnd(sk)) flags |= TCPHDR_PSH;
  const win = selectWindow(sk);
  cancelDelack(sk);
  tcpTransmitSkb(
    sk,
    skb.seq,
    sk.rcvNxt,
    flags,
    win,
    skOptions(sk),
    nextIpId(sk, len > sk.mss ? Math.ceil(len / sk.mss) : 1),
    (skb.seq - sk.sndUna) >>> 0,
    len,
  );
  skb.xmitTime = nowNs(sk.net);
  skb.xmitOrder = ++sk.xmitCount;
  if (sk.quick > 0) sk.quick--;
}

/** tcp_skb_pcount for `len` data bytes at this MSS. */
function pcountOf(len: number, mss: number): number {
  return len <= mss ? 1 : Math.ceil(len / mss);
}

/** tcp_packets_in_flight: packets_out - left_out + retrans_out. */
function packetsInFlight(sk: TcpSock): number {
  return sk.packetsOut - (sk.sackedOut + sk.lostOut) + sk.retransOut;
}

const canSendState = (state: number) =>
  state === TCP_ESTABLISHED ||
  state === TCP_CLOSE_WAIT ||
  state === TCP_FIN_WAIT1 ||
  state === TCP_LAST_ACK ||
  state === TCP_CLOSING;

/** tcp_in_cwnd_reduction */
function inCwndReduction(sk: TcpSock): boolean {
  return sk.caState === TCP_CA_CWR || sk.caState === TCP_CA_RECOVERY;
}

/**
 * tcp_write_xmit: new data within cwnd (tcp_cwnd_test) and the peer's window, with Nagle. The
 * FIN rides on the last data segment when that is still unsent (tcp_send_fin).
 */
export function tcpWriteXmit(sk: TcpSock, pushOne = false): number {
  if (!canSendState(sk.state)) return 0;
  const mss = sk.mss;
  let sent = 0;
  let cwndLimited = false;
  const wndEnd = seqAdd(sk.sndUna, sk.sndWnd);
  // tcp_tso_segs, worked out only once a segment could be a GSO one.
  let maxSegs = 0;
  for (;;) {
    if (sk.finSent) break;
    const end = dataEnd(sk);
    const avail = (end - sk.sndNxt) >>> 0;
    if (avail === 0 && !sk.finQueued) break;
    const inflight = packetsInFlight(sk);
    if (inflight >= sk.cwnd && !pushOne) {
      cwndLimited = true;
      break;
    }
    let len = 0;
    if (avail > 0) {
      const room = ((wndEnd - sk.sndNxt) | 0) > 0 ? (wndEnd - sk.sndNxt) >>> 0 : 0;
      len = Math.min(mss, avail, room);
      if (len <= 0) break;
      // tcp_nagle_test: a short segment waits while data is unacknowledged, unless it ends the stream.
      if (len < mss && len === avail && sk.packetsOut > 0 && !sk.finQueued && !pushOne) break;
      // Window-limited: send only a full segment or half the max window (tcp_snd_wnd_test).
      if (len < mss && len < avail && len < sk.maxWindow / 2 && sk.packetsOut > 0) break;
      if (sk.gsoMaxSize && len === mss && avail > mss) {
        if (maxSegs === 0) maxSegs = tcpTsoSegs(sk, mss);
        if (maxSegs > 1) len = tcpGsoLen(sk, avail, room, inflight, maxSegs, pushOne);
      }
    }
    const fin = sk.finQueued && len === avail;
    const skb: TcpSkb = {
      seq: sk.sndNxt,
      endSeq: seqAdd(sk.sndNxt, len + (fin ? 1 : 0)),
      fin,
      pcount: pcountOf(len, mss),
      sacked: 0,
      xmitTime: 0,
      xmitOrder: 0,
    };
    sendSkb(sk, skb);
    // tcp_event_new_data_sent
    sk.rtxQueue.push(skb);
    sk.packetsOut += skb.pcount;
    sk.sndNxt = skb.endSeq;
    if (fin) sk.finSent = true;
    sent += skb.pcount;
    if (pushOne) break;
  }
  if (!sent) {
    tcpCwndValidate(sk, cwndLimited);
    return 0;
  }
  if (inCwndReduction(sk)) sk.prrOut += sent;
  tcpCwndValidate(sk, cwndLimited || packetsInFlight(sk) >= sk.cwnd);
  if (!pushOne && !tcpScheduleLossProbe(sk, false) && !sk.net.host.clock.pending(sk.rtoTimer))
    resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.rto);
  return sent;
}

/** MAX_TCP_HEADER + 1 on the reference kernel (L1_CACHE_ALIGN(128 + MAX_HEADER) = 320). */
const MAX_TCP_HEADER_1 = 321;
/** GSO_MAX_SIZE of the emulated devices (gso_ipv4_max_size), GSO_MAX_SEGS. */
const GSO_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;
/** sysctl_tcp_min_tso_segs, sysctl_tcp_tso_rtt_log, tcp_pacing_ss_ratio, tcp_pacing_ca_ratio. */
const TCP_MIN_TSO_SEGS = 2;
const TCP_TSO_RTT_LOG = 9;
const TCP_TSO_RTT_DIV = 2 ** TCP_TSO_RTT_LOG;
const TCP_PACING_SS_RATIO = 200;
const TCP_PACING_CA_RATIO = 120;

/** sk_setup_caps: whether (and how large) GSO skbs may go out on this route's device. */
function tcpSetupCaps(sk: TcpSock, rt: Rtable): void {
  sk.gsoMaxSize = netifGsoCapable(rt.dev) ? GSO_MAX_SIZE - MAX_TCP_HEADER_1 : 0;
}

/**
 * sk_pacing_rate as tcp_update_pacing_rate keeps it (bytes/s): 200% of cwnd * mss / srtt in slow
 * start, 120% after; unlimited before the first RTT sample.
 */
function tcpPacingRate(sk: TcpSock): number {
  if (!sk.srtt) return Number.POSITIVE_INFINITY;
  const ratio = sk.cwnd < sk.ssthresh / 2 ? TCP_PACING_SS_RATIO : TCP_PACING_CA_RATIO;
  return (sk.mss * (ratio / 100) * Math.max(sk.cwnd, sk.packetsOut) * SEC) / sk.srtt;
}

/**
 * tcp_tso_segs -> tcp_tso_autosize: about 1 ms of data at the pacing rate, plus the whole GSO
 * size while the minimum RTT is under 512 us (shifted down as it grows), at least 2 segments.
 */
function tcpTsoSegs(sk: TcpSock, mss: number): number {
  let bytes = Math.floor(tcpPacingRate(sk) / 1024);
  const minRttUs = Number.isFinite(sk.minRtt) ? Math.floor(sk.minRtt / 1000) : 0xffffffff;
  const r = Math.floor(minRttUs / TCP_TSO_RTT_DIV);
  if (r < 32) bytes += Math.floor(sk.gsoMaxSize / 2 ** r);
  bytes = Math.min(bytes, sk.gsoMaxSize);
  return Math.min(Math.max(Math.floor(bytes / mss), TCP_MIN_TSO_SEGS), GSO_MAX_SEGS);
}

/**
 * The bytes of a GSO skb at snd_nxt: what tcp_sendmsg packs into one skb (tcp_xmit_size_goal,
 * at most half the peer's largest window), cut by tcp_write_xmit to the congestion quota
 * (tcp_cwnd_test: at most half the window at once) and the send window, the last partial
 * segment held back by Nagle (tcp_mss_split_point). At least one full segment.
 */
function tcpGsoLen(
  sk: TcpSock,
  avail: number,
  window: number,
  inflight: number,
  maxSegs: number,
  pushOne: boolean,
): number {
  const mss = sk.mss;
  // tcp_bound_to_half_wnd(sk_gso_max_size), in whole segments.
  const cutoff = sk.maxWindow > 536 ? sk.maxWindow >>> 1 : sk.maxWindow;
  const goalBytes = cutoff && sk.gsoMaxSize > cutoff ? Math.max(cutoff, 68 - 20) : sk.gsoMaxSize;
  const sizeGoal = Math.max(Math.floor(goalBytes / mss), 1) * mss;
  const skbLen = Math.min(avail, sizeGoal);
  const quota = pushOne ? 1 : Math.min(Math.max(sk.cwnd >> 1, 1), sk.cwnd - inflight);
  const maxLen = mss * Math.min(quota, maxSegs);
  let limit: number;
  if (maxLen <= window && avail > sizeGoal) limit = maxLen;
  else {
    const needed = Math.min(skbLen, window);
    if (maxLen <= needed) limit = maxLen;
    else {
      const partial = needed % mss;
      const nagle = partial !== 0 && sk.packetsOut > 0 && !sk.finQueued && !pushOne;
      limit = nagle ? needed - partial : needed;
    }
  }
  return Math.max(Math.min(skbLen, limit), mss);
}

/** tcp_cwnd_validate: whether the window, not the application, limited the last flight. */
function tcpCwndValidate(sk: TcpSock, isCwndLimited: boolean): void {
  if (!before(sk.sndUna, sk.cwndUsageSeq) || isCwndLimited || sk.packetsOut > sk.maxPacketsOut) {
    sk.isCwndLimited = isCwndLimited;
    sk.maxPacketsOut = sk.packetsOut;
    sk.cwndUsageSeq = sk.sndNxt;
  }
}

/** tcp_is_cwnd_limited */
function tcpIsCwndLimited(sk: TcpSock): boolean {
  if (sk.cwnd < sk.ssthresh) return sk.cwnd < 2 * sk.maxPacketsOut;
  return sk.isCwndLimited;
}

/** tcp_fragment on the retransmit queue: the skb at `i` keeps `len` bytes, the rest follows it. */
function tcpFragment(sk: TcpSock, i: number, len: number): void {
  const skb = sk.rtxQueue[i] as TcpSkb;
  const mss = sk.mss;
  const rest: TcpSkb = {
    seq: seqAdd(skb.seq, len),
    endSeq: skb.endSeq,
    fin: skb.fin,
    pcount: 1,
    sacked: skb.sacked,
    xmitTime: skb.xmitTime,
    xmitOrder: skb.xmitOrder,
  };
  rest.pcount = pcountOf(((rest.endSeq - rest.seq) >>> 0) - (rest.fin ? 1 : 0), mss);
  const old = skb.pcount;
  skb.endSeq = rest.seq;
  skb.fin = false;
  skb.pcount = pcountOf(len, mss);
  // tcp_adjust_pcount
  const diff = skb.pcount + rest.pcount - old;
  sk.packetsOut += diff;
  if (skb.sacked & TCPCB_SACKED_ACKED) sk.sackedOut += diff;
  if (skb.sacked & TCPCB_LOST) sk.lostOut += diff;
  if (skb.sacked & TCPCB_SACKED_RETRANS) sk.retransOut += diff;
  sk.rtxQueue.splice(i + 1, 0, rest);
}

/** __tcp_retransmit_skb: at most `segs` segments of it go out again. */
function tcpRetransmitSkb(sk: TcpSock, i: number, segs: number): void {
  let skb = sk.rtxQueue[i] as TcpSkb;
  if (before(skb.seq, sk.sndUna)) return;
  const dataLen = ((skb.endSeq - skb.seq) >>> 0) - (skb.fin ? 1 : 0);
  if (dataLen > sk.mss * segs) {
    tcpFragment(sk, i, sk.mss * segs);
    skb = sk.rtxQueue[i] as TcpSkb;
  }
  sendSkb(sk, skb);
  ntcp(sk.net).mib.RetransSegs += skb.pcount;
  if (!(skb.sacked & TCPCB_SACKED_RETRANS)) sk.retransOut += skb.pcount;
  skb.sacked |= TCPCB_RETRANS;
  if (!sk.retransStamp) sk.retransStamp = skb.xmitTime;
}

/** tcp_xmit_retransmit_queue: the segments marked lost, as far as cwnd allows. */
function tcpXmitRetransmitQueue(sk: TcpSock): void {
  if (!sk.packetsOut || !canSendState(sk.state)) return;
  const mib = sk.caState === TCP_CA_LOSS ? "TCPSlowStartRetrans" : "TCPFastRetrans";
  let rearm = false;
  for (let i = 0; i < sk.rtxQueue.length; i++) {
    const segs = sk.cwnd - packetsInFlight(sk);
    if (segs <= 0) break;
    if (sk.retransOut >= sk.lostOut) break;
    const skb = sk.rtxQueue[i] as TcpSkb;
    if (!(skb.sacked & TCPCB_LOST) || skb.sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)) continue;
    tcpRetransmitSkb(sk, i, segs);
    const sent = sk.rtxQueue[i] as TcpSkb;
    netIncStats(sk.net.ipv4, mib, sent.pcount);
    if (inCwndReduction(sk)) sk.prrOut += sent.pcount;
    if (i === 0 && sk.pending !== ICSK_TIME_REO_TIMEOUT) rearm = true;
  }
  if (rearm) resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.rto);
}

// --- timers ------------------------------------------------------------------------------------

/** inet_csk_reset_xmit_timer: the one timer slot for retransmit, RACK reorder and loss probe. */
function resetXmitTimer(sk: TcpSock, what: number, delay: number): void {
  sk.pending = what;
  sk.rtoAt = nowNs(sk.net) + delay;
  // The socket's one timer_list for the slot, armed again rather than made anew.
  if (sk.rtoTimer) sk.net.host.clock.rearmTimer(sk.rtoTimer, delay);
  else sk.rtoTimer = sk.net.host.clock.scheduleTimer(delay, () => tcpWriteTimer(sk));
}

/** tcp_write_timer_handler: what the slot was armed for. */
function tcpWriteTimer(sk: TcpSock): void {
  const pending = sk.pending;
  sk.pending = 0;
  if (pending === ICSK_TIME_REO_TIMEOUT) tcpRackReoTimeout(sk);
  else if (pending === ICSK_TIME_LOSS_PROBE) tcpSendLossProbe(sk);
  else tcpRetransmitTimer(sk);
}

function clearRtoTimer(sk: TcpSock): void {
  if (sk.rtoTimer) sk.net.host.clock.cancel(sk.rtoTimer);
  sk.pending = 0;
}

/** tcp_rearm_rto: the RTO counts from the oldest outstanding segment's send time. */
function tcpRearmRto(sk: TcpSock): void {
  if (!sk.packetsOut) {
    clearRtoTimer(sk);
    return;
  }
  let rto = sk.rto;
  if (sk.pending === ICSK_TIME_REO_TIMEOUT || sk.pending === ICSK_TIME_LOSS_PROBE) {
    const head = sk.rtxQueue[0];
    const delta = head ? head.xmitTime + sk.rto - nowNs(sk.net) : sk.rto;
    rto = Math.max(delta, 1000);
  }
  resetXmitTimer(sk, ICSK_TIME_RETRANS, rto);
}

/** tcp_schedule_loss_probe: a probe after two RTTs (RFC 8985 TLP) while nothing is in recovery. */
function tcpScheduleLossProbe(sk: TcpSock, advancingRto: boolean): boolean {
  if (
    !sk.packetsOut ||
    !sk.sackOk ||
    (sk.caState !== TCP_CA_OPEN && sk.caState !== TCP_CA_CWR) ||
    sk.state === TCP_SYN_SENT
  )
    return false;
  let timeout: number;
  if (sk.srtt) {
    timeout = 2 * sk.srtt + (sk.packetsOut === 1 ? TCP_RTO_MIN : TCP_TIMEOUT_MIN);
  } else timeout = TCP_TIMEOUT_INIT;
  const head = sk.rtxQueue[0];
  const rtoDelta = advancingRto ? sk.rto : head ? head.xmitTime + sk.rto - nowNs(sk.net) : sk.rto;
  if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
  resetXmitTimer(sk, ICSK_TIME_LOSS_PROBE, timeout);
  return true;
}

/** tcp_send_loss_probe: new data if there is some, else the last segment again. */
function tcpSendLossProbe(sk: TcpSock): void {
  if (!canSendState(sk.state)) return;
  let probed = false;
  if (sk.sndNxt !== dataEnd(sk) || (sk.finQueued && !sk.finSent)) {
    probed = tcpWriteXmit(sk, true) > 0;
  } else if (!sk.tlpHighSeq && sk.rtxQueue.length) {
    let i = sk.rtxQueue.length - 1;
    const last = sk.rtxQueue[i] as TcpSkb;
    if (last.pcount > 1) {
      const dataLen = ((last.endSeq - last.seq) >>> 0) - (last.fin ? 1 : 0);
      tcpFragment(sk, i, Math.min(dataLen, (last.pcount - 1) * sk.mss));
      i++;
    }
    tcpRetransmitSkb(sk, i, 1);
    probed = true;
  }
  if (probed) {
    sk.tlpHighSeq = sk.sndNxt;
    netIncStats(sk.net.ipv4, "TCPLossProbes");
    sk.pending = 0;
  }
  tcpRearmRto(sk);
}

/** tcp_model_timeout */
function tcpModelTimeout(boundary: number, rtoBase: number): number {
  const thresh = Math.floor(Math.log2(TCP_RTO_MAX / rtoBase));
  if (boundary <= thresh) return ((2 << boundary) - 1) * rtoBase;
  return ((2 << thresh) - 1) * rtoBase + (boundary - thresh) * TCP_RTO_MAX;
}

/** tcp_write_timeout: true when the connection gave up (tcp_write_err). */
function tcpWriteTimeout(sk: TcpSock): boolean {
  const net = ntcp(sk.net);
  let expired: boolean;
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) {
    let max = net.sysctlSynRetries;
    if (sk.state === TCP_SYN_SENT) max += net.sysctlSynLinearTimeouts;
    expired = sk.retransmits >= max;
  } else {
    const boundary = sk.orphan ? Math.min(net.sysctlRetries2, 8) : net.sysctlRetries2;
    expired =
      sk.retransmits > 0 && nowNs(sk.net) - sk.retransStamp - tcpModelTimeout(boundary, TCP_RTO_MIN) >= 0;
  }
  if (!expired) return false;
  // tcp_write_err: the soft error (an ICMP unreachable) if one came, else ETIMEDOUT.
  sk.err = sk.errSoft ?? "ETIMEDOUT";
  tcpDone(sk);
  return true;
}

/** tcp_set_ca_state: cubic starts over on a timeout (bictcp_state). */
function tcpSetCaState(sk: TcpSock, state: number): void {
  if (state === TCP_CA_LOSS) bictcpLoss(sk.cubic);
  sk.caState = state;
}

/** tcp_mark_skb_lost */
function tcpMarkSkbLost(sk: TcpSock, skb: TcpSkb): void {
  if (skb.sacked & TCPCB_SACKED_ACKED) return;
  if (skb.sacked & TCPCB_LOST) {
    if (skb.sacked & TCPCB_SACKED_RETRANS) {
      // A retransmission lost again.
      skb.sacked &= ~TCPCB_SACKED_RETRANS;
      sk.retransOut -= skb.pcount;
      netIncStats(sk.net.ipv4, "TCPLostRetransmit", skb.pcount);
    }
  } else {
    sk.lostOut += skb.pcount;
    skb.sacked |= TCPCB_LOST;
  }
}

/** tcp_enter_loss: after an RTO everything not SACKed is lost; cwnd restarts from one segment. */
function tcpEnterLoss(sk: TcpSock): void {
  if (
    sk.caState <= TCP_CA_DISORDER ||
    !before(sk.sndUna, sk.highSeq) ||
    (sk.caState === TCP_CA_LOSS && !sk.retransmits)
  ) {
    sk.priorSsthresh = Math.max(sk.ssthresh, (sk.cwnd >> 1) + (sk.cwnd >> 2));
    sk.priorCwnd = sk.cwnd;
    sk.ssthresh = bictcpRecalcSsthresh(sk);
  }
  // tcp_timeout_mark_lost
  sk.retransOut = 0;
  for (const skb of sk.rtxQueue) {
    if (skb.sacked & TCPCB_SACKED_ACKED) continue;
    skb.sacked &= ~TCPCB_SACKED_RETRANS;
    if (!(skb.sacked & TCPCB_LOST)) {
      skb.sacked |= TCPCB_LOST;
      sk.lostOut += skb.pcount;
    }
  }
  sk.cwnd = packetsInFlight(sk) + 1;
  sk.cwndCnt = 0;
  if (sk.caState <= TCP_CA_DISORDER && sk.sackedOut >= TCP_REORDERING)
    sk.reordering = Math.min(sk.reordering, TCP_REORDERING);
  tcpSetCaState(sk, TCP_CA_LOSS);
  sk.highSeq = sk.sndNxt;
  sk.tlpHighSeq = 0;
}

/** tcp_retransmit_timer */
function tcpRetransmitTimer(sk: TcpSock): void {
  if (sk.state === TCP_CLOSE || sk.state === TCP_LISTEN) return;
  if (sk.sndNxt === sk.sndUna) return;
  if (tcpWriteTimeout(sk)) return;
  if (sk.state === TCP_SYN_SENT) {
    sendSyn(sk, true);
  } else if (sk.rtxQueue.length) {
    if (!sk.retransmits) {
      const mib =
        sk.caState === TCP_CA_RECOVERY
          ? "TCPSackRecoveryFail"
          : sk.caState === TCP_CA_LOSS
            ? "TCPLossFailures"
            : sk.caState === TCP_CA_DISORDER || sk.sackedOut
              ? "TCPSackFailures"
              : undefined;
      if (mib) netIncStats(sk.net.ipv4, mib);
    }
    netIncStats(sk.net.ipv4, "TCPTimeouts");
    tcpEnterLoss(sk);
    tcpRetransmitSkb(sk, 0, 1);
  }
  sk.retransmits++;
  const net = ntcp(sk.net);
  if (sk.state === TCP_SYN_SENT && sk.backoff < net.sysctlSynLinearTimeouts) sk.backoff++;
  else {
    sk.backoff++;
    sk.rto = Math.min(sk.rto * 2, TCP_RTO_MAX);
  }
  resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.rto);
}

// --- loss recovery (tcp_input.c, tcp_recovery.c) -----------------------------------------------

/** tcp_rack_advance: the newest send time among what was delivered, and its RTT. */
function tcpRackAdvance(sk: TcpSock, sacked: number, skb: TcpSkb): void {
  const xmitTime = skb.xmitTime;
  if (sk.rackMstamp && !sentAfter(xmitTime, sk.rackMstamp, skb.xmitOrder, sk.rackOrder)) return;
  const rtt = nowNs(sk.net) - xmitTime;
  // A retransmission acked sooner than min_rtt: the original may be what arrived.
  if (sacked & TCPCB_RETRANS && rtt < sk.minRtt) return;
  sk.rackRtt = rtt;
  sk.rackMstamp = xmitTime;
  sk.rackOrder = skb.xmitOrder;
  sk.rackAdvanced = true;
}

/** tcp_skb_sent_after, with the send order breaking ties of the virtual clock. */
function sentAfter(t1: number, t2: number, order1: number, order2: number): boolean {
  return t1 > t2 || (t1 === t2 && order1 > order2);
}

/** tcp_rack_reo_wnd: no settling time until reordering was seen, once dupthresh SACKs came. */
function tcpRackReoWnd(sk: TcpSock): number {
  if (!sk.reordSeen) {
    if (sk.caState >= TCP_CA_RECOVERY) return 0;
    if (sk.sackedOut >= sk.reordering) return 0;
  }
  const minRtt = Number.isFinite(sk.minRtt) ? sk.minRtt : 0;
  return Math.min(Math.floor(minRtt / 4), sk.srtt);
}

/**
 * tcp_rack_detect_loss: a segment is lost when one sent after it was delivered and more than
 * RACK.rtt + reo_wnd went by since it left. Returns how long until the next may be (0: none).
 */
function tcpRackDetectLoss(sk: TcpSock): number {
  const reoWnd = tcpRackReoWnd(sk);
  const now = nowNs(sk.net);
  let reoTimeout = 0;
  for (const skb of sk.rtxQueue) {
    if (skb.sacked & TCPCB_SACKED_ACKED) continue;
    if (skb.sacked & TCPCB_LOST && !(skb.sacked & TCPCB_SACKED_RETRANS)) continue;
    if (!sentAfter(sk.rackMstamp, skb.xmitTime, sk.rackOrder, skb.xmitOrder)) continue;
    const remaining = sk.rackRtt + reoWnd - (now - skb.xmitTime);
    if (remaining <= 0) tcpMarkSkbLost(sk, skb);
    else reoTimeout = Math.max(reoTimeout, remaining);
  }
  return reoTimeout;
}

/** tcp_rack_mark_lost: after an ACK that advanced RACK; the reorder timer covers the undecided. */
function tcpRackMarkLost(sk: TcpSock): boolean {
  if (!sk.rackAdvanced) return false;
  sk.rackAdvanced = false;
  const timeout = tcpRackDetectLoss(sk);
  if (timeout) resetXmitTimer(sk, ICSK_TIME_REO_TIMEOUT, timeout + TCP_TIMEOUT_MIN);
  return timeout !== 0;
}

/** tcp_rack_reo_timeout */
function tcpRackReoTimeout(sk: TcpSock): void {
  if (!canSendState(sk.state)) return;
  const prior = packetsInFlight(sk);
  tcpRackDetectLoss(sk);
  if (prior !== packetsInFlight(sk)) {
    if (sk.caState !== TCP_CA_RECOVERY) {
      tcpEnterRecovery(sk);
      tcpCwndReduction(sk, 1, 0, false);
    }
    tcpXmitRetransmitQueue(sk);
  }
  if (sk.pending !== ICSK_TIME_RETRANS) tcpRearmRto(sk);
}

/** tcp_init_cwnd_reduction: PRR starts from here (RFC 6937). */
function tcpInitCwndReduction(sk: TcpSock): void {
  sk.highSeq = sk.sndNxt;
  sk.tlpHighSeq = 0;
  sk.cwndCnt = 0;
  sk.priorCwnd = sk.cwnd;
  sk.prrDelivered = 0;
  sk.prrOut = 0;
  sk.ssthresh = bictcpRecalcSsthresh(sk);
}

/** tcp_cwnd_reduction: proportional rate reduction, sending as the ACKs clock it. */
function tcpCwndReduction(
  sk: TcpSock,
  newlyAckedSacked: number,
  newlyLost: number,
  unaAdvanced: boolean,
): void {
  if (newlyAckedSacked <= 0 || !sk.priorCwnd) return;
  sk.prrDelivered += newlyAckedSacked;
  const delta = sk.ssthresh - packetsInFlight(sk);
  let sndcnt: number;
  if (delta < 0) {
    sndcnt = Math.floor((sk.ssthresh * sk.prrDelivered + sk.priorCwnd - 1) / sk.priorCwnd) - sk.prrOut;
  } else {
    sndcnt = Math.max(sk.prrDelivered - sk.prrOut, newlyAckedSacked);
    if (unaAdvanced && !newlyLost) sndcnt++;
    sndcnt = Math.min(delta, sndcnt);
  }
  // Force a fast retransmit upon entering fast recovery.
  sndcnt = Math.max(sndcnt, sk.prrOut ? 0 : 1);
  sk.cwnd = packetsInFlight(sk) + sndcnt;
}

/** tcp_end_cwnd_reduction: the window settles at ssthresh. */
function tcpEndCwndReduction(sk: TcpSock): void {
  if (sk.ssthresh < 0x7fffffff) sk.cwnd = sk.ssthresh;
}

/** tcp_enter_recovery */
function tcpEnterRecovery(sk: TcpSock): void {
  netIncStats(sk.net.ipv4, "TCPSackRecovery");
  if (!inCwndReduction(sk)) {
    sk.priorSsthresh = Math.max(sk.ssthresh, (sk.cwnd >> 1) + (sk.cwnd >> 2));
    tcpInitCwndReduction(sk);
  }
  tcpSetCaState(sk, TCP_CA_RECOVERY);
}

/** tcp_try_keep_open */
function tcpTryKeepOpen(sk: TcpSock): void {
  const state = sk.sackedOut + sk.lostOut || sk.retransOut ? TCP_CA_DISORDER : TCP_CA_OPEN;
  if (sk.caState !== state) {
    tcpSetCaState(sk, state);
    sk.highSeq = sk.sndNxt;
  }
}

/**
 * tcp_fastretrans_alert with RACK (tcp_identify_packet_loss): leave recovery or loss once
 * high_seq is acked, mark what RACK finds lost, enter recovery when something is. True when
 * lost segments should go out again (REXMIT_LOST).
 */
function tcpFastretransAlert(sk: TcpSock): boolean {
  if (!sk.packetsOut && sk.sackedOut) sk.sackedOut = 0;
  if (sk.caState !== TCP_CA_OPEN && !before(sk.sndUna, sk.highSeq)) {
    if (sk.caState === TCP_CA_CWR) {
      if (sk.sndUna !== sk.highSeq) {
        tcpEndCwndReduction(sk);
        tcpSetCaState(sk, TCP_CA_OPEN);
      }
    } else if (sk.caState === TCP_CA_RECOVERY) {
      // tcp_try_undo_recovery without undo, then tcp_end_cwnd_reduction.
      tcpSetCaState(sk, TCP_CA_OPEN);
      tcpEndCwndReduction(sk);
    }
  }
  switch (sk.caState) {
    case TCP_CA_RECOVERY:
      tcpRackMarkLost(sk);
      return true;
    case TCP_CA_LOSS:
      // tcp_process_loss: recovered once everything sent before the timeout is acked.
      if (!before(sk.sndUna, sk.highSeq)) {
        tcpSetCaState(sk, TCP_CA_OPEN);
        return false;
      }
      tcpRackMarkLost(sk);
      return true;
    default: {
      tcpRackMarkLost(sk);
      if (!sk.lostOut) {
        if (!sk.retransOut) sk.retransStamp = 0;
        if (sk.caState !== TCP_CA_CWR) tcpTryKeepOpen(sk);
        return false;
      }
      tcpEnterRecovery(sk);
      return true;
    }
  }
}

/** tcp_check_sack_reordering: a hole SACKed late was reordering, not loss. */
function tcpCheckSackReordering(sk: TcpSock, lowSeq: number): void {
  const fack = sk.sndNxt;
  if (!before(lowSeq, fack)) return;
  const metric = (fack - lowSeq) >>> 0;
  sk.reordering = Math.min(300, Math.max(sk.reordering, Math.ceil(metric / sk.mss)));
  sk.reordSeen++;
  netIncStats(sk.net.ipv4, "TCPSACKReorder");
}

/**
 * tcp_sacktag_write_queue: marks what the SACK blocks cover (splitting skbs at MSS boundaries as
 * tcp_match_skb_to_sack does); a first block below the ACK or inside the second is a D-SACK.
 * Returns the segments newly SACKed.
 */
function tcpSacktagWriteQueue(
  sk: TcpSock,
  blocks: readonly (readonly [number, number])[],
  ack: number,
): number {
  let delivered = 0;
  let reord = sk.sndNxt;
  let first = 0;
  const b0 = blocks[0] as readonly [number, number];
  const b1 = blocks[1];
  if (before(b0[0], ack) || (b1 && !after(b0[1], b1[1]) && !before(b0[0], b1[0]))) {
    netIncStats(sk.net.ipv4, before(b0[0], ack) ? "TCPDSACKRecv" : "TCPDSACKOfoRecv");
    netIncStats(sk.net.ipv4, "TCPDSACKRecvSegs");
    first = 1;
  }
  for (let n = first; n < blocks.length; n++) {
    const [start, end] = blocks[n] as readonly [number, number];
    // tcp_is_sackblock_valid
    if (after(end, sk.sndNxt) || !before(start, end) || !after(end, sk.sndUna)) {
      netIncStats(sk.net.ipv4, "TCPSACKDiscard");
      continue;
    }
    for (let i = 0; i < sk.rtxQueue.length; i++) {
      const skb = sk.rtxQueue[i] as TcpSkb;
      if (!after(skb.endSeq, start)) continue;
      if (!before(skb.seq, end)) break;
      if (skb.sacked & TCPCB_SACKED_ACKED) continue;
      const inSack = !after(start, skb.seq) && !before(end, skb.endSeq);
      if (!inSack) {
        if (skb.pcount <= 1) continue;
        // tcp_match_skb_to_sack: split at an MSS multiple inside the block.
        const mss = sk.mss;
        if (after(start, skb.seq)) {
          let pktLen = (start - skb.seq) >>> 0;
          pktLen = Math.ceil(pktLen / mss) * mss;
          if (pktLen >= (skb.endSeq - skb.seq) >>> 0) continue;
          tcpFragment(sk, i, pktLen);
          continue;
        }
        const pktLen = Math.floor(((end - skb.seq) >>> 0) / mss) * mss;
        if (pktLen === 0) continue;
        tcpFragment(sk, i, pktLen);
      }
      delivered += tcpSacktagOne(sk, skb);
      if (!(skb.sacked & TCPCB_EVER_RETRANS) && before(skb.seq, sk.highestSack) && before(skb.seq, reord))
        reord = skb.seq;
      if (after(skb.endSeq, sk.highestSack)) sk.highestSack = skb.endSeq;
    }
  }
  if (before(reord, sk.sndNxt)) tcpCheckSackReordering(sk, reord);
  return delivered;
}

/** tcp_sacktag_one */
function tcpSacktagOne(sk: TcpSock, skb: TcpSkb): number {
  tcpRackAdvance(sk, skb.sacked, skb);
  if (skb.sacked & TCPCB_SACKED_RETRANS) {
    if (skb.sacked & TCPCB_LOST) {
      sk.lostOut -= skb.pcount;
      sk.retransOut -= skb.pcount;
      skb.sacked &= ~(TCPCB_LOST | TCPCB_SACKED_RETRANS);
    }
  } else if (skb.sacked & TCPCB_LOST) {
    skb.sacked &= ~TCPCB_LOST;
    sk.lostOut -= skb.pcount;
  }
  skb.sacked |= TCPCB_SACKED_ACKED;
  sk.sackedOut += skb.pcount;
  return skb.pcount;
}

/** tcp_send_delayed_ack: an ACK within ato unless something else carries it first. */
function sendDelayedAck(sk: TcpSock): void {
  sk.ackPending = true;
  const clock = sk.net.host.clock;
  if (clock.pending(sk.delackTimer)) return;
  const ato = Math.max(sk.ato || TCP_ATO_MIN, TCP_ATO_MIN);
  sk.delackAt = nowNs(sk.net) + ato;
  if (sk.delackTimer) clock.rearmTimer(sk.delackTimer, ato);
  else
    sk.delackTimer = clock.scheduleTimer(ato, () => {
      if (sk.ackPending) sendAck(sk);
    });
}

// --- connect, accept, close ----------------------------------------------------------------------

function tcpSecret(net: Net): number {
  const t = ntcp(net);
  if (!t.secret) t.secret = net.host.randomU32() || 1;
  return t.secret;
}

/**
 * secure_tcp_seq: a keyed hash of the 4-tuple plus the clock in 64 ns units, so a new connection
 * on the same ports starts after the old one's sequence space (what lets a SYN reuse a TIME_WAIT
 * pair). jhash_3words with a secret from the seeded generator stands in for siphash with net_secret.
 */
function secureTcpSeq(net: Net, saddr: number, daddr: number, sport: number, dport: number): number {
  const hash = jhash3words(saddr >>> 0, daddr >>> 0, ((sport << 16) | dport) >>> 0, tcpSecret(net));
  return (hash + Math.floor(nowNs(net) / 64)) >>> 0;
}

/** secure_tcp_ts_off: per address pair, so timestamps to one peer keep increasing. */
function secureTcpTsOff(net: Net, saddr: number, daddr: number): number {
  if (ntcp(net).sysctlTimestamps !== 1) return 0;
  return jhash2words(saddr >>> 0, daddr >>> 0, (tcpSecret(net) ^ 0x5bd1e995) >>> 0);
}

/** tcp_mss_clamp(dst_metric_advmss): the route's advmss metric or MTU - 40. */
function routeAdvmss(net: Net, rt: Rtable): number {
  const metric = rt.fib?.fi.metrics?.advmss;
  return metric ?? Math.max(dstMtu(rt) - 40, net.ipv4.sysctlIpRtMinAdvmss);
}

/** tcp_select_initial_window: the SYN's window (no scaling yet) and our scale. */
function initialWindow(
  net: Net,
  rcvbuf: number,
  mss: number,
): { rcvWnd: number; wscale: number; clamp: number } {
  let space = winFromSpace(rcvbuf);
  if (space > mss) space = Math.floor(space / mss) * mss;
  const clamp = 65535 << 14;
  let rcvWnd = Math.min(space, 65535);
  if (rcvWnd > mss) rcvWnd = Math.floor(rcvWnd / mss) * mss;
  let wscale = 0;
  if (ntcp(net).sysctlWindowScaling) {
    // tcp_select_initial_window: the largest the buffer may grow, tcp_rmem[2] or rmem_max.
    let s = Math.max(ipv4SysctlMem(net, "tcp_rmem")[2], netCoreSysctl(net, "rmem_max"));
    while (s > 65535 && wscale < 14) {
      s >>>= 1;
      wscale++;
    }
  }
  return { rcvWnd, wscale, clamp };
}

function sendSyn(sk: TcpSock, retrans: boolean): void {
  const net = ntcp(sk.net);
  // One shape for every SYN (absent options are undefined, which tcp_options_write skips).
  const options: TcpOptions = {
    mss: sk.advmss,
    sackPerm: net.sysctlSack ? true : undefined,
    ts: net.sysctlTimestamps ? { val: tsNow(sk.net, sk.tsOffset), ecr: 0 } : undefined,
    wscale: net.sysctlWindowScaling ? sk.rcvWscale : undefined,
  };
  let flags = TCPHDR_SYN;
  if (net.sysctlEcn === 1) flags |= TCPHDR_ECE | TCPHDR_CWR;
  tcpTransmitSkb(sk, sk.iss, 0, flags, sk.rcvWnd, options, nextIpId(sk));
  if (retrans) {
    net.mib.RetransSegs++;
    if (!sk.retransStamp) sk.retransStamp = nowNs(sk.net);
  }
}

/** tcp_v4_connect + tcp_connect: route, pick the port (inet_hash_connect), send the SYN. */
export function tcpConnect(sk: TcpSock, daddr: number, dport: number): void {
  if (sk.state === TCP_LISTEN) throw new KernelError("EINVAL");
  if (sk.state === TCP_SYN_SENT) throw new KernelError("EALREADY");
  if (sk.state !== TCP_CLOSE) throw new KernelError("EISCONN");
  const net = sk.net;
  const rt = ipRouteOutputKey(net, { daddr, saddr: sk.saddr || undefined, oif: sk.boundDevIf || undefined });
  if (rt instanceof KernelError) {
    if (rt.errno === "ENETUNREACH") net.ipv4.mib.OutNoRoutes++;
    throw rt;
  }
  if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) throw new KernelError("ENETUNREACH");
  if (!sk.saddr) sk.saddr = rt.src;
  if (!sk.rcvSaddr) sk.rcvSaddr = rt.src;
  sk.daddr = daddr;
  sk.dport = dport;
  // A TIME_WAIT socket whose 4-tuple this connection takes over (__inet_check_established).
  let recycled: TcpTimewaitSock | undefined;
  if (!sk.num) {
    // __inet_hash_connect: a port nothing holds, or one only connect()s hold where this 4-tuple
    // is unique or in a TIME_WAIT that tcp_twsk_unique lets go.
    const port = inetHashConnectPort(net, sk.rcvSaddr, daddr, dport, (p) => {
      if ((ntcp(net).bhash.get(p)?.fastreuse ?? -1) >= 0) return false;
      const e = lookupEstablished(net, daddr, dport, sk.rcvSaddr, p);
      if (e === undefined) return true;
      if (e.kind !== "tw" || !tcpTwskUnique(sk, e, true)) return false;
      recycled = e;
      return true;
    });
    sk.num = port;
    sk.bound = true;
    bhashAdd(net, port, sk, -1);
  } else {
    // A bound port: its 4-tuple must be unique, or a TIME_WAIT's with timestamps.
    const e = lookupEstablished(net, daddr, dport, sk.rcvSaddr, sk.num);
    if (e !== undefined) {
      if (e.kind !== "tw" || !tcpTwskUnique(sk, e, false)) throw new KernelError("EADDRNOTAVAIL");
      recycled = e;
    }
  }
  let iss: number | undefined;
  if (recycled) {
    iss = tcpTwIsn(recycled);
    sk.tsRecent = recycled.tsRecent;
    twKill(recycled);
    netIncStats(net.ipv4, "TWRecycled");
  }
  ehAdd(net, sk);
  sk.hashed = true;
  tcpSetupCaps(sk, rt);
  sk.advmss = routeAdvmss(net, rt);
  sk.rcvMss = Math.min(sk.advmss, 536);
  const tcpNet = ntcp(net);
  sk.tsOffset = secureTcpTsOff(net, sk.saddr, daddr);
  sk.inetId = net.host.randomU32() & 0xffff;
  const iw = initialWindow(net, sk.rcvbuf, sk.advmss);
  sk.rcvWnd = iw.rcvWnd;
  sk.rcvSsthresh = iw.rcvWnd;
  sk.windowClamp = iw.clamp;
  sk.rcvWscale = iw.wscale;
  sk.iss = iss ?? secureTcpSeq(net, sk.saddr, daddr, sk.num, dport);
  sk.sndUna = sk.iss;
  sk.sndNxt = seqAdd(sk.iss, 1);
  sk.writeSeq = sk.sndNxt;
  sk.rcvWup = 0;
  sk.rto = TCP_TIMEOUT_INIT;
  setState(sk, TCP_SYN_SENT);
  tcpNet.mib.ActiveOpens++;
  sendSyn(sk, false);
  resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.rto);
}

/** tcp_done: the connection is over; waiters wake. */
function tcpDone(sk: TcpSock): void {
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) ntcp(sk.net).mib.AttemptFails++;
  clearRtoTimer(sk);
  cancelDelack(sk);
  if (sk.finWait2Timer) sk.net.host.clock.cancel(sk.finWait2Timer);
  setState(sk, TCP_CLOSE);
  sk.shutdown = SHUTDOWN_MASK;
}

/** tcp_reset: the peer reset the connection. */
function tcpReset(sk: TcpSock): void {
  let err: Errno;
  switch (sk.state) {
    case TCP_SYN_SENT:
      err = "ECONNREFUSED";
      break;
    case TCP_CLOSE_WAIT:
      err = "EPIPE";
      break;
    case TCP_CLOSE:
      return;
    default:
      err = "ECONNRESET";
  }
  if (sk.state === TCP_ESTABLISHED || sk.state === TCP_CLOSE_WAIT) ntcp(sk.net).mib.EstabResets++;
  sk.err = err;
  sk.done = true;
  tcpDone(sk);
}

/** tcp_send_active_reset */
function sendActiveReset(sk: TcpSock): void {
  tcpTransmitSkb(sk, sk.sndNxt, sk.rcvNxt, TCPHDR_ACK | TCPHDR_RST, 0, skOptions(sk), nextIpId(sk));
  ntcp(sk.net).mib.OutRsts++;
}

/** tcp_close_state: the state a close (or shutdown(SHUT_WR)) moves to, and whether a FIN goes out. */
function closeState(sk: TcpSock): boolean {
  switch (sk.state) {
    case TCP_ESTABLISHED:
    case TCP_SYN_RECV:
      setState(sk, TCP_FIN_WAIT1);
      return true;
    case TCP_CLOSE_WAIT:
      setState(sk, TCP_LAST_ACK);
      return true;
    default:
      return false;
  }
}

function sendFin(sk: TcpSock): void {
  sk.finQueued = true;
  tcpWriteXmit(sk);
}

/** tcp_shutdown */
export function tcpShutdown(sk: TcpSock, how: number): void {
  if (sk.state === TCP_CLOSE || sk.state === TCP_SYN_SENT || sk.state === TCP_LISTEN) {
    if (sk.state === TCP_LISTEN && how & RCV_SHUTDOWN) {
      // inet_shutdown on a listener: it stops listening.
      sk.shutdown |= how;
      tcpCloseListener(sk);
      return;
    }
    if (sk.state !== TCP_SYN_SENT) throw new KernelError("ENOTCONN");
  }
  sk.shutdown |= how;
  sk.wake.gen++;
  if (
    how & SEND_SHUTDOWN &&
    (sk.state === TCP_ESTABLISHED || sk.state === TCP_SYN_RECV || sk.state === TCP_CLOSE_WAIT)
  ) {
    if (closeState(sk)) sendFin(sk);
  }
}

function tcpCloseListener(sk: TcpSock): void {
  // inet_csk_listen_stop: children not yet accepted are reset.
  for (const child of sk.acceptQueue.splice(0)) {
    child.orphan = true;
    child.parent = undefined;
    sendActiveReset(child);
    tcpDone(child);
  }
  for (const e of ehEntries(sk.net)) if (e.kind === "req" && e.listener === sk) reqDrop(e);
  setState(sk, TCP_CLOSE);
}

/** tcp_close: FIN when all was read, RST when data was left unread; the kernel carries on alone. */
export function tcpClose(sk: TcpSock): void {
  sk.orphan = true;
  sk.shutdown = SHUTDOWN_MASK;
  sk.wake.gen++;
  if (sk.state === TCP_LISTEN) {
    tcpCloseListener(sk);
    return;
  }
  const unread = sk.rcvQueued;
  sk.rcvChunks.length = 0;
  sk.rcvQueued = 0;
  if (sk.state === TCP_CLOSE) {
    setState(sk, TCP_CLOSE);
    return;
  }
  if (unread > 0) {
    setState(sk, TCP_CLOSE);
    sendActiveReset(sk);
    tcpDone(sk);
    return;
  }
  if (sk.state === TCP_SYN_SENT) {
    // tcp_close_state: SYN_SENT goes to CLOSE without tcp_done, so no AttemptFails.
    setState(sk, TCP_CLOSE);
    tcpDone(sk);
    return;
  }
  if (closeState(sk)) sendFin(sk);
  if (sk.state === TCP_FIN_WAIT2) tcpTimeWait(sk, TCP_FIN_WAIT2, ntcp(sk.net).sysctlFinTimeout);
}

/** inet_csk_accept (non-blocking part): the oldest completed connection. */
export function tcpAcceptOne(sk: TcpSock): TcpSock | undefined {
  if (sk.state !== TCP_LISTEN) throw new KernelError("EINVAL");
  const child = sk.acceptQueue.shift();
  if (child) child.parent = undefined;
  return child;
}

// --- TIME_WAIT -------------------------------------------------------------------------------------

/** tcp_time_wait: the connection's ends live on as a timewait socket; the full socket is done. */
function tcpTimeWait(sk: TcpSock, substate: number, timeo: number): void {
  const net = sk.net;
  // inet_twsk_alloc: no timewait socket beyond tcp_max_tw_buckets; the connection just ends.
  if (ntcp(net).twCount >= ipv4Sysctl(net, "tcp_max_tw_buckets")) {
    netIncStats(net.ipv4, "TCPTimeWaitOverflow");
    tcpDone(sk);
    return;
  }
  const tw: TcpTimewaitSock = {
    kind: "tw",
    net,
    laddr: sk.rcvSaddr,
    lport: sk.num,
    raddr: sk.daddr,
    rport: sk.dport,
    substate,
    sndNxt: sk.sndNxt,
    rcvNxt: sk.rcvNxt,
    rcvWnd: sk.rcvWnd,
    rcvWscale: sk.rcvWscale,
    tsOk: sk.tsOk,
    tsRecent: sk.tsRecent,
    tsOffset: sk.tsOffset,
    boundDevIf: sk.boundDevIf,
    reuse: sk.reuse,
    reuseport: sk.reuseport,
    uid: sk.uid,
    rcvSaddr: sk.rcvSaddr,
    entryStamp: nowNs(net),
    // tw_timer, not pending yet (timer_setup): see TimerList.
    at: 0,
    seq: 0,
    run: twTimerFire,
    cancelled: true,
    index: -1,
    slot: -1,
    deferrable: false,
    expiresAt: 0,
    bindBucket: undefined,
    bindPrev: undefined,
    bindNext: undefined,
    ehNext: undefined,
  };
  const port = sk.num;
  const locked = sk.bindPortLock;
  const fastreuse = sk.bindBucket?.fastreuse ?? 0;
  // inet_twsk_hashdance2: the timewait socket takes the full one's place in the ehash chain.
  const hashed = sk.hashed && ehReplace(net, sk, tw);
  if (hashed) sk.hashed = false;
  tcpDone(sk);
  // The port stays taken by the timewait socket.
  if (sk.bound) {
    bhashDel(net, port, sk);
    sk.bound = false;
    if (!locked) sk.num = 0;
  }
  bhashAdd(net, port, tw, fastreuse);
  if (!hashed) ehAdd(net, tw);
  ntcp(net).twCount++;
  // __inet_twsk_schedule (not a rearm): TW, or TWKilled for a timewait of at most 4 s.
  netIncStats(net.ipv4, timeo <= 4 * SEC ? "TWKilled" : "TW");
  twSchedule(tw, timeo);
}

/**
 * tcp_twsk_unique: may a connect() take over this TIME_WAIT 4-tuple? Only with timestamps (PAWS
 * tells the old segments apart); from the port search (`fromSearch`) also only with tcp_tw_reuse
 * (2: loopback traffic alone) once tcp_tw_reuse_delay ms have passed since it entered TIME_WAIT.
 */
function tcpTwskUnique(sk: TcpSock, tw: TcpTimewaitSock, fromSearch: boolean): boolean {
  const net = sk.net;
  let reuse = ipv4Sysctl(net, "tcp_tw_reuse");
  if (tw.substate === TCP_FIN_WAIT2) reuse = 0;
  if (reuse === 2) {
    const loopback = tw.boundDevIf === 1 || tw.raddr >>> 24 === 127 || tw.rcvSaddr >>> 24 === 127;
    if (!loopback) reuse = 0;
  }
  if (!tw.tsOk) return false;
  if (!fromSearch) return true;
  return reuse !== 0 && nowNs(net) > tw.entryStamp + ipv4Sysctl(net, "tcp_tw_reuse_delay") * 1_000_000;
}

/**
 * The initial sequence number of a connection that takes over a TIME_WAIT 4-tuple (tcp_tw_isn,
 * tcp_twsk_unique's write_seq): past anything the old one could still have in flight, never 0.
 */
function tcpTwIsn(tw: TcpTimewaitSock): number {
  return (tw.sndNxt + 65535 + 2) >>> 0 || 1;
}

/** inet_twsk_schedule: mod_timer on tw_timer. */
function twSchedule(tw: TcpTimewaitSock, timeo: number): void {
  tw.expiresAt = nowNs(tw.net) + timeo;
  tw.net.host.clock.rearmTimer(tw, timeo);
}

/** tw_timer_handler (tw_timer's function: the timewait socket is `this`). */
function twTimerFire(this: TcpTimewaitSock): void {
  twKill(this);
}

function twKill(tw: TcpTimewaitSock): void {
  tw.net.host.clock.cancel(tw);
  ehDel(tw.net, tw);
  bhashDel(tw.net, tw.lport, tw);
  ntcp(tw.net).twCount--;
}

/** Namespace exit: timewait sockets and orphans go with it (inet_twsk_purge). */
export function tcpNetExit(net: Net): void {
  for (const e of ehEntries(net)) {
    if (e.kind === "tw") twKill(e);
    else if (e.kind === "req") reqDrop(e);
    else {
      clearRtoTimer(e);
      cancelDelack(e);
    }
  }
}

// --- receiving ------------------------------------------------------------------------------------

function sendResetFor(net: Net, skb: SkBuff, iph: Ipv4View, th: TcpRepr): void {
  // tcp_v4_send_reset: never in answer to a reset, never to a broadcast.
  if (th.flags & TCPHDR_RST) return;
  const rt = skb.dst as Rtable | undefined;
  if (rt && rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;
  let seq = 0;
  let ack = 0;
  let flags = TCPHDR_RST;
  if (th.flags & TCPHDR_ACK) seq = th.ack;
  else {
    flags |= TCPHDR_ACK;
    ack = seqAdd(
      th.seq,
      th.payload.length + (th.flags & TCPHDR_SYN ? 1 : 0) + (th.flags & TCPHDR_FIN ? 1 : 0),
    );
  }
  const ok = transmit(
    // tcp_v4_send_reset: the namespace's control socket.
    {
      net,
      saddr: iph.daddr,
      daddr: iph.saddr,
      sport: th.dest,
      dport: th.source,
      oif: 0,
      ttl: undefined,
      sk: KERNEL_SK,
    },
    { seq, ack, flags, window: 0, options: {} },
    0,
  );
  if (ok) ntcp(net).mib.OutRsts++;
}

/**
 * tcp_v4_early_demux (ip_rcv_finish_core, before the input route): the established, request or
 * timewait socket of the segment goes on the skb for tcp_v4_rcv; a full socket's sk_rx_dst, made
 * under the current rt_genid on this very device, becomes the skb's route (skb_dst_set_noref).
 */
export function tcpV4EarlyDemux(skb: SkBuff, dev: NetDevice): void {
  if (skb.pktType !== "PACKET_HOST") return;
  const d = skb.data;
  const th = skb.transportHeader;
  // pskb_may_pull of a whole header, and a sane doff.
  if (skb.tail - th < 20 || (d[th + 12] as number) >> 4 < 5) return;
  const at = skb.networkHeader;
  const e = lookupEstablished(
    dev.net,
    bytesToIPv4(d, at + 12),
    ((d[th] as number) << 8) | (d[th + 1] as number),
    bytesToIPv4(d, at + 16),
    ((d[th + 2] as number) << 8) | (d[th + 3] as number),
  );
  if (e === undefined) return;
  skb.demuxSk = e;
  if (e.kind !== "sk") return;
  const dst = e.rxDst;
  if (dst !== undefined && e.rxDstGenid === dev.net.ipv4.rtGenid && e.rxDstIfindex === dev.ifindex)
    skb.dst = dst;
}

/** inet_sk_rx_dst_set: the socket keeps the segment's input route for early demux. */
function inetSkRxDstSet(sk: TcpSock, skb: SkBuff): void {
  const dst = skb.dst;
  if (dst === undefined || dst.iif === undefined) return;
  sk.rxDst = dst;
  sk.rxDstIfindex = dst.iif;
  sk.rxDstGenid = sk.net.ipv4.rtGenid;
}

/** Whether an early-demuxed socket is still the segment's (nf_nat_ipv4_local_in orphans it when INPUT's NAT moved the source). */
function ehMatches(e: EhEntry, saddr: number, sport: number, daddr: number, dport: number): boolean {
  return e.kind === "sk"
    ? e.daddr === saddr && e.dport === sport && e.rcvSaddr === daddr && e.num === dport
    : e.raddr === saddr && e.rport === sport && e.laddr === daddr && e.lport === dport;
}

/** tcp_v4_rcv: checksum, then the established hash, then listeners; a reset when nobody is there. */
export function tcpV4Rcv(skb: SkBuff, iph: Ipv4View): void {
  const net = (skb.dev as NetDevice).net;
  const mib = ntcp(net).mib;
  const rt = skb.dst as Rtable;
  if (skb.pktType !== "PACKET_HOST" && skb.pktType !== "PACKET_OUTGOING") return;
  if (rt && rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;
  const end = skb.networkHeader + iph.totalLength;
  // skb_checksum_init: a CHECKSUM_PARTIAL segment (from a local TCP, over veth or lo) is not verified.
  const th = parseTcp(
    skb.data,
    skb.transportHeader,
    end,
    iph.saddr,
    iph.daddr,
    skb.ipSummed === CHECKSUM_PARTIAL,
  );
  if (typeof th === "string") {
    if (th === "checksum") mib.InCsumErrors++;
    mib.InErrs++;
    return;
  }
  mib.InSegs++;
  const saddr = iph.saddr;
  const daddr = iph.daddr;
  // skb_steal_sock: the socket early demux found, if NAT did not move the segment off it.
  const demuxed = skb.demuxSk;
  skb.demuxSk = undefined;
  const e =
    demuxed !== undefined && ehMatches(demuxed, saddr, th.source, daddr, th.dest)
      ? demuxed
      : lookupEstablished(net, saddr, th.source, daddr, th.dest);
  if (e?.kind === "sk") {
    const state = e.state;
    if (state === TCP_ESTABLISHED) {
      // tcp_v4_do_rcv: a stale sk_rx_dst (another device, another rt_genid) is dropped, and
      // tcp_rcv_established learns the segment's route when none is kept.
      if (e.rxDst !== undefined && (e.rxDstIfindex !== skb.dst?.iif || e.rxDstGenid !== net.ipv4.rtGenid))
        e.rxDst = undefined;
      if (e.rxDst === undefined) inetSkRxDstSet(e, skb);
    }
    tcpRcvStateProcess(e, th, skb.gsoSize ?? 0);
    // tcp_finish_connect
    if (state === TCP_SYN_SENT && e.state === TCP_ESTABLISHED) inetSkRxDstSet(e, skb);
    return;
  }
  if (e?.kind === "req") {
    tcpCheckReq(e, skb, iph, th);
    return;
  }
  // TCP_TW_SYN: the new connection starts past the old one (tcp_tw_isn), 0 for any other SYN.
  let twIsn = 0;
  if (e?.kind === "tw") {
    twIsn = tcpTimewaitStateProcess(e, th);
    if (twIsn === 0) return;
  }
  const dif = rt?.iif ?? skb.dev?.ifindex ?? 0;
  const lsk = lookupListener(net, daddr, th.dest, dif);
  if (lsk) {
    tcpListenRcv(lsk, skb, iph, th, twIsn);
    return;
  }
  sendResetFor(net, skb, iph, th);
}

/**
 * tcp_timewait_state_process: TCP_TW_SYN, when a new SYN may reuse the pair, as the initial
 * sequence number the new connection takes (tw_snd_nxt + 65535 + 2, never 0: tcp_tw_isn); 0 when
 * the segment ends here.
 */
function tcpTimewaitStateProcess(tw: TcpTimewaitSock, th: TcpRepr): number {
  // A new SYN may take the pair over when its sequence, or its timestamp, is newer.
  const newerSyn =
    th.flags & TCPHDR_SYN &&
    !(th.flags & (TCPHDR_ACK | TCPHDR_RST)) &&
    tw.substate === TCP_TIME_WAIT &&
    (after(th.seq, tw.rcvNxt) || (th.sawTstamp && tw.tsOk && ((tw.tsRecent - th.rcvTsval) | 0) < 0));
  if (th.sawTstamp) tw.tsRecent = th.rcvTsval;
  if (tw.substate === TCP_FIN_WAIT2) {
    if (th.flags & TCPHDR_RST) {
      twKill(tw);
      return 0;
    }
    if (th.flags & TCPHDR_FIN && th.seq === tw.rcvNxt) {
      tw.rcvNxt = seqAdd(tw.rcvNxt, 1 + th.payload.length);
      tw.substate = TCP_TIME_WAIT;
      twAck(tw);
      twSchedule(tw, TCP_TIMEWAIT_LEN);
      return 0;
    }
    if (th.payload.length && after(seqAdd(th.seq, th.payload.length), tw.rcvNxt)) {
      // Data to a closed socket: reset (tcp_rcv_state_process's abort on data).
      twKill(tw);
      return 0;
    }
    return 0;
  }
  if (th.flags & TCPHDR_RST) {
    // RFC 1337 is off: a reset kills the timewait socket.
    twKill(tw);
    return 0;
  }
  if (newerSyn) {
    const isn = tcpTwIsn(tw);
    twKill(tw);
    return isn;
  }
  if (th.flags & TCPHDR_FIN || th.payload.length || th.flags & TCPHDR_SYN) {
    // A retransmitted FIN: ACK it again and restart the 2MSL wait.
    if (th.flags & TCPHDR_FIN) twSchedule(tw, TCP_TIMEWAIT_LEN);
    twAck(tw);
  }
  return 0;
}

function twAck(tw: TcpTimewaitSock): void {
  transmit(
    {
      net: tw.net,
      saddr: tw.laddr,
      daddr: tw.raddr,
      sport: tw.lport,
      dport: tw.rport,
      oif: tw.boundDevIf,
      ttl: undefined,
      // A timewait socket is no full socket: skb_to_full_sk finds nothing.
      sk: undefined,
    },
    {
      seq: tw.sndNxt,
      ack: tw.rcvNxt,
      flags: TCPHDR_ACK,
      window: tw.rcvWnd >>> tw.rcvWscale,
      options: tw.tsOk ? { ts: { val: tsNow(tw.net, tw.tsOffset), ecr: tw.tsRecent } } : {},
    },
    0,
  );
}

/** tcp_v4_conn_request -> tcp_conn_request: a SYN to a listener makes a request socket and a SYN-ACK. */
function tcpListenRcv(lsk: TcpSock, skb: SkBuff, iph: Ipv4View, th: TcpRepr, twIsn = 0): void {
  const net = lsk.net;
  const tcpNet = ntcp(net);
  if (th.flags & TCPHDR_RST) return;
  if (th.flags & TCPHDR_ACK) {
    sendResetFor(net, skb, iph, th);
    return;
  }
  if (!(th.flags & TCPHDR_SYN)) return;
  if (lsk.acceptQueue.length > lsk.maxAckBacklog) {
    tcpNet.mib.ListenOverflows++;
    return;
  }
  const rt = ipRouteOutputKey(net, { daddr: iph.saddr, saddr: iph.daddr });
  if (rt instanceof KernelError) return;
  const o = th.options;
  const tsOk = th.sawTstamp && tcpNet.sysctlTimestamps !== 0;
  const sackOk = !!o.sackPerm && tcpNet.sysctlSack !== 0;
  const wscaleOk = o.wscale !== undefined && tcpNet.sysctlWindowScaling !== 0;
  const advmss = routeAdvmss(net, rt);
  const mssForWin = advmss - (tsOk ? 12 : 0);
  const iw = initialWindow(net, ipv4SysctlMem(net, "tcp_rmem")[1], mssForWin);
  const ecnOk =
    (th.flags & (TCPHDR_ECE | TCPHDR_CWR)) === (TCPHDR_ECE | TCPHDR_CWR) && tcpNet.sysctlEcn !== 0;
  const req: TcpRequestSock = {
    kind: "req",
    listener: lsk,
    laddr: iph.daddr,
    lport: th.dest,
    raddr: iph.saddr,
    rport: th.source,
    // tcp_conn_request: the timewait's ISN (tcp_tw_isn) when this SYN took one over, else a fresh one.
    iss: twIsn || secureTcpSeq(net, iph.daddr, iph.saddr, th.dest, th.source),
    irs: th.seq,
    mss: Math.min(o.mss ?? 536, advmss),
    sndWscale: wscaleOk ? (o.wscale as number) : 0,
    rcvWscale: wscaleOk ? iw.wscale : 0,
    wscaleOk,
    tsOk,
    sackOk,
    ecnOk,
    tsRecent: th.sawTstamp ? th.rcvTsval : 0,
    tsOffset: secureTcpTsOff(net, iph.daddr, iph.saddr),
    rcvWnd: iw.rcvWnd,
    sndWnd: th.window,
    boundDevIf: lsk.boundDevIf,
    retrans: 0,
    // rsk_timer, not pending yet (timer_setup): see TimerList.
    at: 0,
    seq: 0,
    run: reqskTimerHandler,
    cancelled: true,
    index: -1,
    slot: -1,
    deferrable: false,
    expiresAt: 0,
    ehNext: undefined,
  };
  ehAdd(net, req);
  lsk.synQueueLen++;
  // inet_csk_route_req's route is the SYN-ACK's: the same key when the listener has no device.
  sendSynack(req, advmss, false, lsk.boundDevIf ? undefined : rt);
  reqArmTimer(req, TCP_TIMEOUT_INIT);
}

/** tcp_v4_send_synack: on `dst`, the route of its flow, when the caller looked it up already. */
function sendSynack(req: TcpRequestSock, advmss: number, retrans: boolean, dst?: Rtable): void {
  const net = req.listener.net;
  const options: TcpOptions = {
    mss: advmss,
    sackPerm: req.sackOk ? true : undefined,
    ts: req.tsOk ? { val: tsNow(net, req.tsOffset), ecr: req.tsRecent } : undefined,
    wscale: req.wscaleOk ? req.rcvWscale : undefined,
  };
  let flags = TCPHDR_SYN | TCPHDR_ACK;
  if (req.ecnOk) flags |= TCPHDR_ECE;
  transmit(
    {
      net,
      saddr: req.laddr,
      daddr: req.raddr,
      sport: req.lport,
      dport: req.rport,
      oif: req.boundDevIf,
      ttl: req.listener.ttl,
      // A request socket: not a full socket; its full socket is the listener.
      sk: {
        fullsock: false,
        hasSocket: req.listener.owner.hasSocket,
        fileCred: req.listener.owner.fileCred,
      },
    },
    { seq: req.iss, ack: seqAdd(req.irs, 1), flags, window: Math.min(req.rcvWnd, 65535), options },
    0,
    true,
    dst,
  );
  if (retrans) ntcp(net).mib.RetransSegs++;
}

/** mod_timer on the request's rsk_timer. */
function reqArmTimer(req: TcpRequestSock, delay: number): void {
  const net = req.listener.net;
  req.expiresAt = nowNs(net) + delay;
  net.host.clock.rearmTimer(req, delay);
}

/** reqsk_timer_handler (the request is `this`): SYN-ACK retransmits with backoff, up to tcp_synack_retries. */
function reqskTimerHandler(this: TcpRequestSock): void {
  const net = this.listener.net;
  if (this.retrans >= ntcp(net).sysctlSynackRetries) {
    reqDrop(this);
    return;
  }
  this.retrans++;
  const rt = ipRouteOutputKey(net, { daddr: this.raddr, saddr: this.laddr });
  sendSynack(this, rt instanceof KernelError ? 536 : routeAdvmss(net, rt), true);
  reqArmTimer(this, Math.min(TCP_TIMEOUT_INIT << this.retrans, TCP_RTO_MAX));
}

/**
 * The request leaves the ehash and the listener's SYN queue; a `child` made from it takes its
 * place in the ehash (inet_ehash_nolisten), which is its place at the end of the chain.
 */
function reqDrop(req: TcpRequestSock, child?: TcpSock): void {
  const net = req.listener.net;
  net.host.clock.cancel(req);
  if (child === undefined) ehDel(net, req);
  else if (req.ehNext !== undefined || !ehReplace(net, req, child)) {
    ehDel(net, req);
    ehAdd(net, child);
  }
  req.listener.synQueueLen--;
}

/** tcp_check_req: the handshake's last ACK makes the child (tcp_create_openreq_child). */
function tcpCheckReq(req: TcpRequestSock, skb: SkBuff, iph: Ipv4View, th: TcpRepr): void {
  const lsk = req.listener;
  const net = lsk.net;
  if (th.sawTstamp) req.tsRecent = th.rcvTsval;
  if (th.flags & TCPHDR_SYN && !(th.flags & TCPHDR_ACK) && th.seq === req.irs) {
    // A retransmitted SYN: the SYN-ACK again.
    const rt = ipRouteOutputKey(net, { daddr: req.raddr, saddr: req.laddr });
    sendSynack(req, rt instanceof KernelError ? 536 : routeAdvmss(net, rt), true);
    return;
  }
  if (th.flags & TCPHDR_RST) {
    reqDrop(req);
    return;
  }
  if (!(th.flags & TCPHDR_ACK)) return;
  if (th.ack !== seqAdd(req.iss, 1)) {
    sendResetFor(net, skb, iph, th);
    return;
  }
  if (lsk.state !== TCP_LISTEN) {
    reqDrop(req);
    sendResetFor(net, skb, iph, th);
    return;
  }
  if (lsk.acceptQueue.length >= lsk.maxAckBacklog + 1) {
    // listen_overflow: the ACK is dropped; the SYN-ACK timer tries again.
    ntcp(net).mib.ListenOverflows++;
    return;
  }
  const child = tcpSockCreate(net, lsk.uid);
  child.boundDevIf = lsk.boundDevIf;
  child.reuse = lsk.reuse;
  child.ttl = lsk.ttl;
  child.rcvSaddr = req.laddr;
  child.saddr = req.laddr;
  child.num = req.lport;
  child.daddr = req.raddr;
  child.dport = req.rport;
  child.iss = req.iss;
  child.sndUna = seqAdd(req.iss, 1);
  child.sndNxt = child.sndUna;
  child.writeSeq = child.sndUna;
  child.irs = req.irs;
  child.rcvNxt = seqAdd(req.irs, 1);
  child.copiedSeq = child.rcvNxt;
  child.rcvWup = child.rcvNxt;
  child.rcvWnd = req.rcvWnd;
  child.rcvSsthresh = req.rcvWnd;
  child.windowClamp = 65535 << 14;
  child.sndWscale = req.sndWscale;
  child.rcvWscale = req.rcvWscale;
  child.tsOk = req.tsOk;
  child.sackOk = req.sackOk;
  child.ecnOk = req.ecnOk;
  child.tsRecent = req.tsRecent;
  child.tsOffset = req.tsOffset;
  child.inetId = net.host.randomU32() & 0xffff;
  const rt = ipRouteOutputKey(net, { daddr: req.raddr, saddr: req.laddr });
  child.advmss = rt instanceof KernelError ? 536 : routeAdvmss(net, rt);
  // tcp_v4_syn_recv_sock: the child keeps the route (sk_setup_caps) when its own output key
  // (no bound device) is the one just looked up.
  if (!(rt instanceof KernelError)) {
    if (child.boundDevIf) tcpSetupCaps(child, rt);
    else skSetupCaps(child, rt);
  }
  child.mss = Math.min(req.mss, child.advmss) - (child.tsOk ? 12 : 0);
  child.rcvMss = child.mss;
  child.sndWnd = th.window << child.sndWscale;
  child.maxWindow = child.sndWnd;
  child.sndWl1 = th.seq;
  child.parent = lsk;
  child.ato = 0;
  child.retransStamp = 0;
  // RTT from the SYN-ACK's timestamp echo (tcp_synack_rtt_meas).
  if (th.rcvTsecr) rttSample(child, Math.max(0, tsNow(net, req.tsOffset) - th.rcvTsecr) * MS);
  child.bound = true;
  // tcp_v4_syn_recv_sock: the child keeps the ACK's input route.
  inetSkRxDstSet(child, skb);
  bhashAdd(net, child.num, child);
  reqDrop(req, child);
  child.hashed = true;
  setState(child, TCP_ESTABLISHED);
  ntcp(net).mib.PassiveOpens++;
  lsk.acceptQueue.push(child);
  lsk.wake.gen++;
  // The ACK may carry data already.
  if (th.payload.length || th.flags & TCPHDR_FIN) tcpRcvStateProcess(child, th);
}

/** tcp_rtt_estimator + tcp_set_rto (RFC 6298, with Linux's mdev floor at TCP_RTO_MIN). */
function rttSample(sk: TcpSock, m: number): void {
  if (sk.srtt === 0) {
    sk.srtt = m;
    sk.rttvar = Math.max(m / 2, TCP_RTO_MIN);
  } else {
    const err = m - sk.srtt;
    sk.srtt += err / 8;
    sk.rttvar = Math.max(sk.rttvar + (Math.abs(err) - sk.rttvar) / 4, TCP_RTO_MIN);
  }
  sk.rto = Math.min(Math.max(sk.srtt + sk.rttvar, TCP_RTO_MIN), TCP_RTO_MAX);
}

/** tcp_rcv_synsent_state_process */
function tcpRcvSynsent(sk: TcpSock, th: TcpRepr): void {
  const net = sk.net;
  if (th.flags & TCPHDR_ACK) {
    if (!after(th.ack, sk.iss) || after(th.ack, sk.sndNxt)) {
      if (!(th.flags & TCPHDR_RST))
        sendResetFor(net, { dst: undefined } as unknown as SkBuff, fakeIph(sk), th);
      return;
    }
    if (th.flags & TCPHDR_RST) {
      tcpReset(sk);
      return;
    }
    if (!(th.flags & TCPHDR_SYN)) return;
    const o = th.options;
    sk.tsOk = th.sawTstamp && ntcp(net).sysctlTimestamps !== 0;
    sk.sackOk = !!o.sackPerm && ntcp(net).sysctlSack !== 0;
    if (o.wscale === undefined) sk.rcvWscale = 0;
    sk.sndWscale = o.wscale ?? 0;
    if (sk.tsOk) sk.tsRecent = th.rcvTsval;
    sk.ecnOk = ntcp(net).sysctlEcn === 1 && (th.flags & TCPHDR_ECE) !== 0;
    sk.irs = th.seq;
    sk.rcvNxt = seqAdd(th.seq, 1);
    sk.copiedSeq = sk.rcvNxt;
    sk.rcvWup = sk.rcvNxt;
    sk.sndUna = th.ack;
    sk.sndWnd = th.window;
    sk.maxWindow = sk.sndWnd;
    sk.sndWl1 = th.seq;
    sk.mss = Math.min(o.mss ?? 536, sk.advmss) - (sk.tsOk ? 12 : 0);
    sk.rcvMss = Math.min(sk.mss, 536);
    clearRtoTimer(sk);
    if (!sk.retransmits && th.rcvTsecr)
      rttSample(sk, Math.max(0, tsNow(net, sk.tsOffset) - th.rcvTsecr) * MS);
    else if (!sk.retransmits) rttSample(sk, 0);
    sk.retransmits = 0;
    sk.backoff = 0;
    sk.retransStamp = 0;
    setState(sk, TCP_ESTABLISHED);
    sendAck(sk);
    tcpWriteXmit(sk);
    return;
  }
  if (th.flags & TCPHDR_RST) return;
  // A SYN without ACK (simultaneous open) is not handled: dropped.
}

function fakeIph(sk: TcpSock): Ipv4View {
  return { saddr: sk.daddr, daddr: sk.rcvSaddr } as unknown as Ipv4View;
}

/**
 * tcp_ack: the peer's window, SACK blocks (tcp_sacktag_write_queue), the cumulative ACK freeing
 * the retransmit queue (tcp_clean_rtx_queue), RTT, loss detection and recovery
 * (tcp_fastretrans_alert), the congestion window (PRR or cubic), then what recovery resends.
 */
function tcpAck(sk: TcpSock, th: TcpRepr): boolean {
  const ack = th.ack;
  if (after(ack, sk.sndNxt)) {
    sendAck(sk);
    return false;
  }
  const sack = sk.sackOk ? th.options.sack : undefined;
  if (before(ack, sk.sndUna)) {
    // An old ACK may still carry news in its SACK blocks.
    if (sack?.length && sk.packetsOut) {
      tcpSacktagWriteQueue(sk, sack, ack);
      if (tcpFastretransAlert(sk)) tcpXmitRetransmitQueue(sk);
    }
    return true;
  }
  const priorLost = sk.lostOut;
  // tcp_ack_update_window
  const nwin = th.window << sk.sndWscale;
  let winUpdate = false;
  if (after(ack, sk.sndUna) || after(th.seq, sk.sndWl1) || (th.seq === sk.sndWl1 && nwin > sk.sndWnd)) {
    winUpdate = sk.sndWnd !== nwin;
    sk.sndWnd = nwin;
    sk.sndWl1 = th.seq;
    if (nwin > sk.maxWindow) sk.maxWindow = nwin;
  }
  let sacked = 0;
  if (sack?.length && sk.packetsOut) sacked = tcpSacktagWriteQueue(sk, sack, ack);
  const acked = (ack - sk.sndUna) >>> 0;
  let ackedPcount = 0;
  let rttNs = -1;
  if (acked) {
    // What was acked of the user's data (the FIN takes a sequence number, no byte).
    let dataAcked = acked;
    if (sk.finSent && after(ack, dataEnd(sk))) dataAcked--;
    dataAcked = Math.max(0, Math.min(dataAcked, sk.sndQueued));
    freeAcked(sk, dataAcked);
    sk.sndUna = ack;
    const r = tcpCleanRtxQueue(sk, ack);
    ackedPcount = r.pcount;
    rttNs = r.rttNs;
    sk.retransmits = 0;
  }
  // tcp_ack_update_rtt: a never-retransmitted segment's send time, else the timestamp echo.
  if (rttNs < 0 && acked && th.rcvTsecr && sk.tsOk && !sk.retransmits)
    rttNs = Math.max(0, tsNow(sk.net, sk.tsOffset) - th.rcvTsecr) * MS;
  if (rttNs >= 0) {
    if (rttNs < sk.minRtt) sk.minRtt = rttNs;
    rttSample(sk, rttNs);
    bictcpAcked(sk.cubic, rttNs / 1000, nowNs(sk.net));
    sk.backoff = 0;
  }
  // tcp_process_tlp_ack
  if (sk.tlpHighSeq && !before(ack, sk.tlpHighSeq)) {
    if (after(ack, sk.tlpHighSeq) && sk.caState === TCP_CA_OPEN && acked) {
      tcpInitCwndReduction(sk);
      tcpSetCaState(sk, TCP_CA_CWR);
      tcpEndCwndReduction(sk);
      tcpTryKeepOpen(sk);
      netIncStats(sk.net.ipv4, "TCPLossProbeRecovery");
    }
    sk.tlpHighSeq = 0;
  }
  const dupAck = !acked && !winUpdate && th.payload.length === 0;
  let rexmit = false;
  if (dupAck || sacked || sk.caState !== TCP_CA_OPEN) rexmit = tcpFastretransAlert(sk);
  // tcp_cong_control
  const delivered = ackedPcount + sacked;
  if (inCwndReduction(sk)) tcpCwndReduction(sk, delivered, Math.max(0, sk.lostOut - priorLost), acked !== 0);
  else if (acked && ackedPcount)
    bictcpCongAvoid(sk, delivered, { now: nowNs(sk.net), cwndLimited: tcpIsCwndLimited(sk) });
  sk.cwnd = Math.max(1, Math.min(sk.cwnd, TCP_CWND_CLAMP));
  if (rexmit) tcpXmitRetransmitQueue(sk);
  if (acked) {
    if (!sk.packetsOut) {
      clearRtoTimer(sk);
      sk.retransStamp = 0;
    } else if (sk.pending !== ICSK_TIME_REO_TIMEOUT && !tcpScheduleLossProbe(sk, true)) tcpRearmRto(sk);
    // tcp_sndbuf_expand: room for twice the congestion window.
    sk.sndbuf = Math.min(Math.max(sk.sndbuf, 2 * sk.cwnd * sk.mss * 2), ipv4SysctlMem(sk.net, "tcp_wmem")[2]);
    sk.wake.gen++;
  }
  return true;
}

/**
 * tcp_clean_rtx_queue: drops what the cumulative ACK covers (trimming a partly acked head),
 * settles the scoreboard, and takes the RTT of the newest never-retransmitted segment acked.
 */
function tcpCleanRtxQueue(sk: TcpSock, ack: number): { pcount: number; rttNs: number } {
  const q = sk.rtxQueue;
  const now = nowNs(sk.net);
  let pcount = 0;
  let rttNs = -1;
  let n = 0;
  while (n < q.length) {
    const skb = q[n] as TcpSkb;
    if (after(skb.endSeq, ack)) {
      if (!after(ack, skb.seq)) break;
      // tcp_trim_head: the acked part of a multi-segment skb goes.
      const oldPcount = skb.pcount;
      skb.seq = ack;
      skb.pcount = pcountOf(((skb.endSeq - skb.seq) >>> 0) - (skb.fin ? 1 : 0), sk.mss);
      const d = oldPcount - skb.pcount;
      if (d > 0) {
        sk.packetsOut -= d;
        if (skb.sacked & TCPCB_SACKED_ACKED) sk.sackedOut -= d;
        if (skb.sacked & TCPCB_LOST) sk.lostOut -= d;
        if (skb.sacked & TCPCB_SACKED_RETRANS) sk.retransOut -= d;
        pcount += d;
      }
      break;
    }
    const sacked = skb.sacked;
    if (sacked & TCPCB_SACKED_RETRANS) sk.retransOut -= skb.pcount;
    if (!(sacked & TCPCB_RETRANS)) rttNs = now - skb.xmitTime;
    if (!(sacked & TCPCB_SACKED_ACKED)) tcpRackAdvance(sk, sacked, skb);
    if (sacked & TCPCB_SACKED_ACKED) sk.sackedOut -= skb.pcount;
    if (sacked & TCPCB_LOST) sk.lostOut -= skb.pcount;
    sk.packetsOut -= skb.pcount;
    pcount += skb.pcount;
    n++;
  }
  // Dropping the acked head: no array of the removed ones (splice) for the usual one or all.
  if (n === q.length) q.length = 0;
  else if (n === 1) q.shift();
  else if (n) q.splice(0, n);
  if (!q.length) {
    sk.packetsOut = 0;
    sk.sackedOut = 0;
    sk.lostOut = 0;
    sk.retransOut = 0;
  }
  return { pcount, rttNs };
}

/** tcp_simple_retransmit (after tcp_v4_mtu_reduced): everything in flight goes again at the new MSS. */
function tcpSimpleRetransmit(sk: TcpSock): void {
  for (const skb of sk.rtxQueue) {
    const len = ((skb.endSeq - skb.seq) >>> 0) - (skb.fin ? 1 : 0);
    if (len > sk.mss) tcpMarkSkbLost(sk, skb);
  }
  if (!sk.lostOut) return;
  if (sk.caState !== TCP_CA_LOSS) {
    sk.highSeq = sk.sndNxt;
    sk.ssthresh = Math.max(sk.ssthresh, (sk.cwnd >> 1) + (sk.cwnd >> 2));
    sk.priorSsthresh = 0;
    tcpSetCaState(sk, TCP_CA_LOSS);
  }
  tcpXmitRetransmitQueue(sk);
}

function freeAcked(sk: TcpSock, n: number): void {
  sk.sndQueued -= n;
  let left = n + sk.sndChunkOff;
  let drop = 0;
  while (drop < sk.sndChunks.length && left >= (sk.sndChunks[drop] as Uint8Array).length) {
    left -= (sk.sndChunks[drop] as Uint8Array).length;
    drop++;
  }
  if (drop === sk.sndChunks.length) sk.sndChunks.length = 0;
  else if (drop === 1) sk.sndChunks.shift();
  else if (drop) sk.sndChunks.splice(0, drop);
  sk.sndChunkOff = left;
}

/** tcp_rcv_state_process / tcp_rcv_established for every synchronized state. */
/** `gsoSize`: the segment size a GSO skb stands for (tcp_measure_rcv_mss), 0 for a plain one. */
function tcpRcvStateProcess(sk: TcpSock, th: TcpRepr, gsoSize = 0): void {
  if (sk.state === TCP_CLOSE) return;
  if (sk.state === TCP_SYN_SENT) {
    tcpRcvSynsent(sk, th);
    return;
  }
  const len = th.payload.length;
  const fin = (th.flags & TCPHDR_FIN) !== 0;
  const endSeq = seqAdd(th.seq, len + (fin ? 1 : 0) + (th.flags & TCPHDR_SYN ? 1 : 0));
  // tcp_sequence: within the window we offered (a zero-length segment at rcv_nxt always is).
  const inWindow = !before(endSeq, sk.rcvWup) && !after(th.seq, seqAdd(sk.rcvNxt, Math.max(sk.rcvWnd, 0)));
  if (!inWindow) {
    if (!(th.flags & TCPHDR_RST)) tcpSendDupack(sk, th.seq, endSeq);
    return;
  }
  if (th.flags & TCPHDR_RST) {
    // RFC 5961: only an exact match resets; one elsewhere in the window gets a challenge ACK.
    if (th.seq === sk.rcvNxt) tcpReset(sk);
    else sendAck(sk);
    return;
  }
  if (th.sawTstamp && sk.tsOk && !after(th.seq, sk.rcvWup)) sk.tsRecent = th.rcvTsval;
  if (th.flags & TCPHDR_SYN) {
    sendAck(sk);
    return;
  }
  if (!(th.flags & TCPHDR_ACK)) return;
  if (!tcpAck(sk, th)) return;
  const finAcked = sk.finSent && sk.sndUna === sk.sndNxt;
  switch (sk.state) {
    case TCP_FIN_WAIT1:
      if (finAcked) {
        setState(sk, TCP_FIN_WAIT2);
        sk.shutdown |= SEND_SHUTDOWN;
        if (sk.orphan) {
          // An orphan waits tcp_fin_timeout for the FIN, as a FIN_WAIT2 timewait socket.
          if (!fin) {
            tcpTimeWait(sk, TCP_FIN_WAIT2, ntcp(sk.net).sysctlFinTimeout);
            return;
          }
        }
      }
      break;
    case TCP_CLOSING:
      if (finAcked) {
        tcpTimeWait(sk, TCP_TIME_WAIT, TCP_TIMEWAIT_LEN);
        return;
      }
      break;
    case TCP_LAST_ACK:
      if (finAcked) {
        tcpDone(sk);
        return;
      }
      break;
  }
  // Data after the user closed its reading side for good: abort (TCPAbortOnData).
  if (
    (sk.state === TCP_FIN_WAIT1 || sk.state === TCP_FIN_WAIT2) &&
    sk.orphan &&
    len &&
    after(seqAdd(th.seq, len), sk.rcvNxt)
  ) {
    sendActiveReset(sk);
    tcpDone(sk);
    return;
  }
  if (len || fin) tcpDataQueue(sk, th, len, fin, gsoSize);
  tcpWriteXmit(sk);
}

/** tcp_send_dupack: an old segment is D-SACKed and answered at once. */
function tcpSendDupack(sk: TcpSock, seq: number, endSeq: number): void {
  if (endSeq !== seq && before(seq, sk.rcvNxt)) {
    netIncStats(sk.net.ipv4, "DelayedACKLost");
    enterQuickack(sk);
    tcpDsackSet(sk, seq, after(endSeq, sk.rcvNxt) ? sk.rcvNxt : endSeq);
  }
  sendAck(sk);
}

/**
 * tcp_data_queue: in-order data joins the receive queue and pulls in what the out-of-order queue
 * holds after it (tcp_ofo_queue); a segment beyond a hole waits there (tcp_data_queue_ofo) and is
 * SACKed; a duplicate is D-SACKed. Out-of-order data and filled holes are acked at once.
 */
function tcpDataQueue(sk: TcpSock, th: TcpRepr, len: number, fin: boolean, gsoSize = 0): void {
  let seq = th.seq;
  let payload = th.payload;
  const endSeq = seqAdd(seq, len + (fin ? 1 : 0));
  if (!after(endSeq, sk.rcvNxt)) {
    // A retransmission of what we have: D-SACK it, ACK at once (quick-ack mode).
    if (len) {
      netIncStats(sk.net.ipv4, "DelayedACKLost");
      tcpDsackSet(sk, seq, endSeq);
    }
    enterQuickack(sk);
    sendAck(sk);
    return;
  }
  if (before(seq, sk.rcvNxt)) {
    // Partly old: keep what is new, D-SACK the rest.
    const cut = (sk.rcvNxt - seq) >>> 0;
    tcpDsackSet(sk, seq, sk.rcvNxt);
    payload = payload.subarray(Math.min(cut, len));
    seq = sk.rcvNxt;
    len = payload.length;
  }
  if (seq !== sk.rcvNxt) {
    tcpDataQueueOfo(sk, seq, payload, fin);
    return;
  }
  if (len && sk.shutdown & RCV_SHUTDOWN && sk.orphan) {
    sendActiveReset(sk);
    tcpDone(sk);
    return;
  }
  const hadOfo = sk.ofoQueue.length > 0;
  if (len) tcpQueueRcv(sk, payload, gsoSize);
  if (fin) tcpFin(sk);
  if (hadOfo) {
    tcpOfoQueue(sk);
    // RFC 5681 4.2: ACK at once when a hole fills.
    if (!sk.ofoQueue.length) sk.quick = Math.max(sk.quick, 1);
  }
  if (sk.selectiveAcks.length) tcpSackRemove(sk);
  sk.wake.gen++;
  tcpAckSndCheck(sk);
}

function enterQuickack(sk: TcpSock): void {
  // tcp_enter_quickack_mode
  sk.quick = Math.min(TCP_MAX_QUICKACKS, Math.max(2, Math.floor(sk.rcvWnd / (2 * sk.rcvMss))));
  sk.ato = TCP_ATO_MIN;
}

/** In-order data onto the receive queue (tcp_queue_rcv, tcp_event_data_recv, tcp_grow_window). */
function tcpQueueRcv(sk: TcpSock, payload: Uint8Array, gsoSize = 0): void {
  const len = payload.length;
  // tcp_event_data_recv: the first data starts quick-ack mode.
  if (!sk.ato) enterQuickack(sk);
  // tcp_measure_rcv_mss: a GSO skb counts by its gso_size.
  const segLen = gsoSize || len;
  if (segLen > sk.rcvMss) sk.rcvMss = Math.min(segLen, sk.advmss);
  sk.rcvChunks.push(payload);
  sk.rcvQueued += len;
  sk.rcvNxt = seqAdd(sk.rcvNxt, len);
  // tcp_grow_window: by two segments, or twice the skb (a GSO skb opens the window by as much),
  // never past the clamp or the room left in the buffer.
  const room = Math.min(sk.windowClamp, rcvSpace(sk)) - sk.rcvSsthresh;
  if (room > 0) sk.rcvSsthresh += Math.min(room, Math.max(2 * sk.rcvMss, 2 * len));
}

/** __tcp_ack_snd_check: more than one full segment unacked with room, quick-ack mode, or a hole. */
function tcpAckSndCheck(sk: TcpSock): void {
  const moreThanOne = (sk.rcvNxt - sk.rcvWup) >>> 0 > sk.rcvMss;
  if (
    (moreThanOne && rcvSpace(sk) >= sk.rcvWnd / 2) ||
    (sk.quick > 0 && !sk.pingpong) ||
    sk.ofoQueue.length > 0
  )
    sendAck(sk);
  else sendDelayedAck(sk);
}

/** tcp_dsack_set */
function tcpDsackSet(sk: TcpSock, seq: number, end: number): void {
  if (!sk.sackOk) return;
  netIncStats(sk.net.ipv4, before(seq, sk.rcvNxt) ? "TCPDSACKOldSent" : "TCPDSACKOfoSent");
  sk.dsack = [seq, end];
}

/** tcp_dsack_extend */
function tcpDsackExtend(sk: TcpSock, seq: number, end: number): void {
  const d = sk.dsack;
  if (!d) tcpDsackSet(sk, seq, end);
  else if (!after(d[0], end) && !after(seq, d[1])) {
    if (before(seq, d[0])) d[0] = seq;
    if (after(end, d[1])) d[1] = end;
  }
}

/** tcp_data_queue_ofo: into the sorted queue, overlaps trimmed or dropped (D-SACKed). */
function tcpDataQueueOfo(sk: TcpSock, seq: number, payload: Uint8Array, fin: boolean): void {
  const ipv4 = sk.net.ipv4;
  let end = seqAdd(seq, payload.length);
  // tcp_try_rmem_schedule: no room in the receive buffer, the segment goes.
  if (sk.rcvQueued + sk.ofoBytes + payload.length > sk.rcvbuf) {
    netIncStats(ipv4, "TCPOFODrop");
    sendAck(sk);
    return;
  }
  netIncStats(ipv4, "TCPOFOQueue");
  const q = sk.ofoQueue;
  let i = q.length;
  while (i > 0 && after((q[i - 1] as OfoSeg).seq, seq)) i--;
  const prev = q[i - 1];
  if (prev && before(seq, prev.end)) {
    if (!after(end, prev.end) && !(fin && !prev.fin && end === prev.end)) {
      // All the bits are present.
      netIncStats(ipv4, "TCPOFOMerge");
      tcpDsackSet(sk, seq, end);
      tcpSackNewOfoSkb(sk, prev.seq, prev.end);
      sendAck(sk);
      return;
    }
    tcpDsackSet(sk, seq, prev.end);
    payload = payload.subarray(Math.min(payload.length, (prev.end - seq) >>> 0));
    seq = prev.end;
  }
  // Segments the new one covers go; one it overlaps in part loses its head.
  while (i < q.length) {
    const next = q[i] as OfoSeg;
    if (!after(end, next.seq)) break;
    if (before(end, next.end)) {
      tcpDsackExtend(sk, next.seq, end);
      payload = payload.subarray(0, (next.seq - seq) >>> 0);
      end = next.seq;
      fin = false;
      break;
    }
    tcpDsackExtend(sk, next.seq, next.end);
    netIncStats(ipv4, "TCPOFOMerge");
    sk.ofoBytes -= next.data.length;
    q.splice(i, 1);
  }
  if (payload.length || fin) {
    q.splice(i, 0, { seq, end, data: payload, fin });
    sk.ofoBytes += payload.length;
  }
  // The SACK block covers the contiguous run this segment joined.
  let lo = i;
  while (lo > 0 && (q[lo - 1] as OfoSeg).end === (q[lo] as OfoSeg | undefined)?.seq) lo--;
  let hi = Math.min(i, q.length - 1);
  while (hi + 1 < q.length && (q[hi] as OfoSeg).end === (q[hi + 1] as OfoSeg).seq) hi++;
  if (q.length) tcpSackNewOfoSkb(sk, (q[lo] as OfoSeg).seq, (q[hi] as OfoSeg).end);
  enterQuickack(sk);
  sendAck(sk);
}

/** tcp_ofo_queue: what the filled hole made contiguous moves to the receive queue. */
function tcpOfoQueue(sk: TcpSock): void {
  const q = sk.ofoQueue;
  while (q.length) {
    const seg = q[0] as OfoSeg;
    if (after(seg.seq, sk.rcvNxt)) break;
    q.shift();
    sk.ofoBytes -= seg.data.length;
    if (!after(seg.end, sk.rcvNxt) && !(seg.fin && seg.end === sk.rcvNxt)) {
      tcpDsackExtend(sk, seg.seq, seg.end);
      continue;
    }
    const data = seg.data.subarray(Math.min(seg.data.length, (sk.rcvNxt - seg.seq) >>> 0));
    if (data.length) tcpQueueRcv(sk, data);
    if (seg.fin) {
      tcpFin(sk);
      q.length = 0;
      sk.ofoBytes = 0;
    }
  }
}

/** tcp_sack_new_ofo_skb: the block for the newest data goes first; at most 4 are kept. */
function tcpSackNewOfoSkb(sk: TcpSock, seq: number, end: number): void {
  const sp = sk.selectiveAcks;
  for (let i = 0; i < sp.length; i++) {
    const b = sp[i] as [number, number];
    if (!after(b[0], end) && !after(seq, b[1])) {
      if (before(seq, b[0])) b[0] = seq;
      if (after(end, b[1])) b[1] = end;
      sp.splice(i, 1);
      sp.unshift(b);
      // tcp_sack_maybe_coalesce
      for (let j = 1; j < sp.length; ) {
        const o = sp[j] as [number, number];
        if (!after(o[0], b[1]) && !after(b[0], o[1])) {
          if (before(o[0], b[0])) b[0] = o[0];
          if (after(o[1], b[1])) b[1] = o[1];
          sp.splice(j, 1);
        } else j++;
      }
      return;
    }
  }
  if (sp.length >= TCP_NUM_SACKS) sp.pop();
  sp.unshift([seq, end]);
}

/** tcp_sack_remove: blocks the cumulative ACK now covers go. */
function tcpSackRemove(sk: TcpSock): void {
  const sp = sk.selectiveAcks;
  if (!sk.ofoQueue.length) {
    sp.length = 0;
    return;
  }
  for (let i = 0; i < sp.length; ) {
    if (!before(sk.rcvNxt, (sp[i] as [number, number])[0])) sp.splice(i, 1);
    else i++;
  }
}

/** tcp_fin */
function tcpFin(sk: TcpSock): void {
  sk.rcvNxt = seqAdd(sk.rcvNxt, 1);
  sk.shutdown |= RCV_SHUTDOWN;
  sk.done = true;
  switch (sk.state) {
    case TCP_SYN_RECV:
    case TCP_ESTABLISHED:
      setState(sk, TCP_CLOSE_WAIT);
      sk.pingpong = true;
      break;
    case TCP_FIN_WAIT1:
      // Simultaneous close.
      sendAck(sk);
      setState(sk, TCP_CLOSING);
      break;
    case TCP_FIN_WAIT2:
      sendAck(sk);
      tcpTimeWait(sk, TCP_TIME_WAIT, TCP_TIMEWAIT_LEN);
      break;
  }
}

// --- the user's side ------------------------------------------------------------------------------

/** tcp_sendmsg_locked without blocking: how many bytes of `data` were queued (0 when full). */
export function tcpSendmsg(sk: TcpSock, data: Uint8Array): number {
  if (sk.err) {
    const e = sk.err;
    sk.err = undefined;
    throw new KernelError(e);
  }
  if (sk.shutdown & SEND_SHUTDOWN) throw new KernelError("EPIPE");
  if (sk.state !== TCP_ESTABLISHED && sk.state !== TCP_CLOSE_WAIT) {
    if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) return 0;
    throw new KernelError(sk.state === TCP_CLOSE && !sk.done ? "ENOTCONN" : "EPIPE");
  }
  const room = sk.sndbuf - sk.sndQueued;
  if (room <= 0) return 0;
  const n = Math.min(room, data.length);
  if (n === 0) return 0;
  // The user's bytes are copied (into the host's packet slabs: a small write takes no buffer of its own).
  const chunk = sk.net.host.packetSlab.alloc(n);
  chunk.set(n === data.length ? data : data.subarray(0, n));
  sk.sndChunks.push(chunk);
  sk.sndQueued += n;
  sk.writeSeq = seqAdd(sk.writeSeq, n);
  tcpWriteXmit(sk);
  return n;
}

/** Whether a send would queue something now (or fail at once). */
export function tcpSendReady(sk: TcpSock): boolean {
  if (sk.err || sk.shutdown & SEND_SHUTDOWN) return true;
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) return false;
  if (sk.state !== TCP_ESTABLISHED && sk.state !== TCP_CLOSE_WAIT) return true;
  return sk.sndQueued < sk.sndbuf;
}

/** tcp_recvmsg (MSG_DONTWAIT): data, an empty array at EOF, undefined when nothing is there. */
export function tcpRecvmsg(sk: TcpSock, max = 1 << 20): Uint8Array | undefined {
  if (sk.state === TCP_LISTEN) throw new KernelError("ENOTCONN");
  if (sk.rcvQueued === 0) {
    if (sk.done && !sk.err) return new Uint8Array(0);
    if (sk.err) {
      const e = sk.err;
      sk.err = undefined;
      throw new KernelError(e);
    }
    if (sk.shutdown & RCV_SHUTDOWN) return new Uint8Array(0);
    if (sk.state === TCP_CLOSE) throw new KernelError("ENOTCONN");
    return undefined;
  }
  let out: Uint8Array;
  const first = sk.rcvChunks[0] as Uint8Array;
  if (first.length >= max || sk.rcvChunks.length === 1) {
    out = first.length > max ? first.subarray(0, max) : first;
    if (first.length > max) sk.rcvChunks[0] = first.subarray(max);
    else sk.rcvChunks.shift();
  } else {
    const n = Math.min(max, sk.rcvQueued);
    out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = sk.rcvChunks[0] as Uint8Array;
      const take = Math.min(c.length, n - at);
      out.set(take === c.length ? c : c.subarray(0, take), at);
      at += take;
      if (take === c.length) sk.rcvChunks.shift();
      else sk.rcvChunks[0] = c.subarray(take);
    }
  }
  const n = out.length;
  const before = winFromSpace(sk.rcvbuf - sk.rcvQueued);
  sk.rcvQueued -= n;
  sk.copiedSeq = seqAdd(sk.copiedSeq, n);
  tcpRcvSpaceAdjust(sk, n);
  // tcp_cleanup_rbuf: announce a window that grew by half or more, or reopened from zero.
  if (sk.state === TCP_ESTABLISHED || sk.state === TCP_FIN_WAIT1 || sk.state === TCP_FIN_WAIT2) {
    const rcvWindowNow = Math.max(0, sk.rcvWup + sk.rcvWnd - sk.rcvNxt);
    const newWindow = Math.min(winFromSpace(sk.rcvbuf - sk.rcvQueued), sk.rcvSsthresh);
    // An ACK scheduled and not sent though more than a segment came (the once-per-two-segments
    // ACK tcp_input.c left for the reader), or one in quick-ack mode.
    if (sk.ackPending && (sk.quick > 0 || (sk.rcvNxt - sk.rcvWup) >>> 0 > sk.rcvMss)) sendAck(sk);
    else if (newWindow >= 2 * rcvWindowNow && newWindow > before / 2 && newWindow - rcvWindowNow >= sk.rcvMss)
      sendAck(sk);
  }
  return out;
}

/** tcp_rcv_space_adjust: a reader keeping up gets a bigger buffer (DRS), up to tcp_rmem[2]. */
function tcpRcvSpaceAdjust(sk: TcpSock, n: number): void {
  const now = nowNs(sk.net);
  sk.rcvqSpace += n;
  const rtt = Math.max(sk.srtt, MS);
  if (now - sk.rcvqTime < rtt) return;
  if (2 * sk.rcvqSpace > sk.rcvbuf / 2) {
    sk.rcvbuf = Math.min(Math.max(sk.rcvbuf, 4 * sk.rcvqSpace), ipv4SysctlMem(sk.net, "tcp_rmem")[2]);
    sk.windowClamp = Math.max(sk.windowClamp, winFromSpace(sk.rcvbuf));
  }
  sk.rcvqSpace = 0;
  sk.rcvqTime = now;
}

/** tcp_poll */
export function tcpPoll(sk: TcpSock): number {
  if (sk.state === TCP_LISTEN) return sk.acceptQueue.length ? 1 : 0;
  let mask = 0;
  if (sk.shutdown === SHUTDOWN_MASK || sk.state === TCP_CLOSE) mask |= 16;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= 1 | 0x2000;
  if (sk.state !== TCP_SYN_SENT && sk.state !== TCP_SYN_RECV) {
    if (sk.rcvQueued > 0) mask |= 1;
    if (!(sk.shutdown & SEND_SHUTDOWN)) {
      // __sk_stream_is_writeable: free space at least a third of what is queued.
      if (sk.sndbuf - sk.sndQueued >= sk.sndQueued / 2 && sk.sndQueued < sk.sndbuf) mask |= 4;
    } else mask |= 4;
  }
  if (sk.err || sk.errQueue.length) mask |= 8;
  return mask;
}

/** Whether connect() is finished (ESTABLISHED or beyond, or failed). */
export function tcpConnectDone(sk: TcpSock): boolean {
  return sk.state !== TCP_SYN_SENT && sk.state !== TCP_SYN_RECV;
}

// --- ICMP errors ------------------------------------------------------------------------------------

/** icmp_err_convert's fatal column, by unreachable code. */
const ICMP_FATAL = [
  false,
  false,
  true,
  true,
  false,
  false,
  true,
  true,
  true,
  true,
  true,
  false,
  false,
  true,
  true,
  true,
];

/** tcp_v4_err: the socket that sent the quoted segment hears the ICMP error. */
export function tcpV4Err(
  net: Net,
  err: { type: number; code: number; info: number; quoted: Uint8Array; errno: Errno | undefined },
): void {
  const { quoted, type, code } = err;
  const hl = ((quoted[0] as number) & 15) * 4;
  if (quoted.length < hl + 8) return;
  const inSaddr = bytesToIPv4(quoted, 12);
  const inDaddr = bytesToIPv4(quoted, 16);
  const sport = ((quoted[hl] as number) << 8) | (quoted[hl + 1] as number);
  const dport = ((quoted[hl + 2] as number) << 8) | (quoted[hl + 3] as number);
  const seq =
    (((quoted[hl + 4] as number) << 24) |
      ((quoted[hl + 5] as number) << 16) |
      ((quoted[hl + 6] as number) << 8) |
      (quoted[hl + 7] as number)) >>>
    0;
  const e = lookupEstablished(net, inDaddr, dport, inSaddr, sport);
  if (!e) {
    ntcp(net).mib.InErrs++;
    return;
  }
  if (e.kind === "tw") return;
  if (e.kind === "req") {
    // An error about our SYN-ACK: the request goes (tcp_req_err) for hard errors.
    if (seq === e.iss) reqDrop(e);
    return;
  }
  const sk = e;
  if (sk.state === TCP_LISTEN) return;
  // The quoted sequence must be in flight (snd_una .. snd_nxt).
  if (sk.state !== TCP_SYN_SENT && (before(seq, sk.sndUna) || after(seq, sk.sndNxt))) return;
  let errno = err.errno;
  if (type === ICMP_DEST_UNREACH) {
    if (code === ICMP_FRAG_NEEDED) {
      // tcp_v4_mtu_reduced: learn the PMTU, shrink the MSS, resend what is in flight.
      ipv4SkUpdatePmtu(
        net,
        { daddr: sk.daddr, saddr: sk.saddr, oif: sk.boundDevIf || undefined, pmtudisc: sk.pmtudisc },
        err.info,
      );
      const rt = ipRouteOutputKey(net, { daddr: sk.daddr, saddr: sk.saddr });
      if (!(rt instanceof KernelError)) {
        const mss = dstMtu(rt) - 40 - (sk.tsOk ? 12 : 0);
        if (mss < sk.mss && sk.state !== TCP_SYN_SENT) {
          sk.mss = Math.max(mss, 48);
          tcpSimpleRetransmit(sk);
        }
      }
      return;
    }
    if (code > 15) return;
    void ICMP_FATAL;
  } else if (type !== ICMP_TIME_EXCEEDED && type !== ICMP_PARAMETERPROB) return;
  if (!errno) errno = "EHOSTUNREACH";
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) {
    sk.err = errno;
    tcpDone(sk);
    return;
  }
  if (sk.recverr) sk.err = errno;
  else sk.errSoft = errno;
  sk.wake.gen++;
}

// --- /proc/net/tcp -----------------------------------------------------------------------------------

const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
const HZ = 250;
const USER_HZ = 100;
const jiffies = (ns: number) => Math.floor(ns / 4_000_000);
/** jiffies_to_clock_t / jiffies_delta_to_clock_t (USER_HZ 100). */
const clockT = (j: number) => Math.max(0, Math.floor((j * USER_HZ) / HZ));

function tcpLine(i: number, sk: TcpSock, now: number): string {
  let timer = 0;
  let when = 0;
  if (sk.rtoTimer && sk.net.host.clock.pending(sk.rtoTimer)) {
    timer = 1;
    when = sk.rtoTimer.at - now;
  } else if (sk.delackTimer && sk.net.host.clock.pending(sk.delackTimer)) {
    timer = 1;
    when = sk.delackTimer.at - now;
  }
  const listen = sk.state === TCP_LISTEN;
  // get_tcp4_sock: write_seq - snd_una (0 for a listener, which sends nothing).
  const txq = listen ? 0 : Math.max(0, (sk.writeSeq - sk.sndUna) | 0);
  const rxq = listen ? sk.acceptQueue.length : Math.max(0, (sk.rcvNxt - sk.copiedSeq) | 0);
  const ssthresh = listen ? 0 : sk.ssthresh >= 0x7fffffff ? -1 : sk.ssthresh;
  const quick = sk.quick > 0 && sk.ato ? sk.quick : 0;
  return (
    `${String(i).padStart(4)}: ${procAddr(sk.rcvSaddr)}:${hex4(sk.num)} ${procAddr(sk.daddr)}:${hex4(sk.dport)}` +
    ` ${sk.state.toString(16).toUpperCase().padStart(2, "0")} ${hex8(txq)}:${hex8(rxq)}` +
    ` ${timer.toString(16).padStart(2, "0").toUpperCase()}:${hex8(clockT(jiffies(Math.max(0, when))))} ${hex8(sk.retransmits)}` +
    ` ${String(sk.uid).padStart(5)} ${String(0).padStart(8)} ${sk.inode} 1 ${procPointer(sk.inode)}` +
    ` ${clockT(Math.round(sk.rto / 4_000_000))} ${clockT(Math.round(sk.ato / 4_000_000))} ${(quick << 1) | (sk.pingpong ? 1 : 0)}` +
    ` ${Math.floor(sk.cwnd)} ${listen ? 0 : ssthresh}`
  );
}

/**
 * The order tcp_seq_next and inet_diag_dump_icsk walk a namespace's sockets in: the listening
 * hash, then the established hash with its request and timewait sockets.
 */
function tcpWalk(net: Net, visit: (e: EhEntry) => void): void {
  const t = ntcp(net);
  for (const port of [...t.lhash.keys()].sort((a, b) => a - b))
    for (const sk of t.lhash.get(port) ?? []) visit(sk);
  // By local then remote port: the keys are signed (ehKey), so compared as unsigned.
  const keys = new Set<number>(t.ehash.keys());
  for (const key of t.twHash.keys()) keys.add(key);
  for (const key of [...keys].sort((a, b) => (a >>> 0) - (b >>> 0))) {
    for (let e = t.ehash.get(key); e !== undefined; e = e.ehNext) visit(e);
    for (let e: EhEntry | undefined = t.twHash.get(key); e !== undefined; e = e.ehNext) visit(e);
  }
}

/**
 * For /proc/net/sockstat: the full sockets hashed (sock_prot_inuse: listeners, connections,
 * children in accept queues), those of them orphaned, and the bytes they hold queued.
 */
export function tcpSockCounts(net: Net): { inuse: number; orphans: number; queued: number } {
  let inuse = 0;
  let orphans = 0;
  let queued = 0;
  tcpWalk(net, (e) => {
    if (e.kind !== "sk") return;
    inuse++;
    if (e.orphan) orphans++;
    queued += e.sndQueued + e.rcvQueued;
  });
  return { inuse, orphans, queued };
}

/** tcp_death_row's count: the namespace's TIME_WAIT sockets. */
export function tcpTwCount(net: Net): number {
  return ntcp(net).twCount;
}

/** tcp4_seq_show: the listening hash, then the established hash (request and timewait sockets too). */
export function tcp4SeqShow(net: Net): string {
  const now = nowNs(net);
  let out = seqPad(
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    150,
  );
  let i = 0;
  tcpWalk(net, (e) => {
    if (e.kind === "sk") out += seqPad(tcpLine(i++, e, now), 150);
    else if (e.kind === "req") {
      const ttd = Math.max(0, e.expiresAt - now);
      out += seqPad(
        `${String(i++).padStart(4)}: ${procAddr(e.laddr)}:${hex4(e.lport)} ${procAddr(e.raddr)}:${hex4(e.rport)}` +
          ` 03 ${hex8(0)}:${hex8(0)} 01:${hex8(clockT(jiffies(ttd)))} ${hex8(e.retrans)}` +
          ` ${String(e.listener.uid).padStart(5)} ${String(0).padStart(8)} 0 1 ${procPointer(e.iss)}`,
        150,
      );
    } else {
      const ttd = Math.max(0, e.expiresAt - now);
      out += seqPad(
        `${String(i++).padStart(4)}: ${procAddr(e.laddr)}:${hex4(e.lport)} ${procAddr(e.raddr)}:${hex4(e.rport)}` +
          ` ${e.substate.toString(16).toUpperCase().padStart(2, "0")} ${hex8(0)}:${hex8(0)} 03:${hex8(clockT(jiffies(ttd)))} ${hex8(0)}` +
          ` ${String(0).padStart(5)} ${String(0).padStart(8)} 0 3 ${procPointer(e.lport * 65536 + e.rport)}`,
        150,
      );
    }
  });
  return out;
}

/** struct inet_diag_msg as tcp_diag fills it for `ss -t` (sock_diag over NETLINK_SOCK_DIAG). */
export interface TcpDiagMsg {
  readonly state: number;
  readonly saddr: number;
  readonly sport: number;
  readonly daddr: number;
  readonly dport: number;
  /** tcp_diag_get_info: a listener's accept queue and its backlog; else unread and unacked bytes. */
  readonly rqueue: number;
  readonly wqueue: number;
  readonly uid: number;
  readonly inode: number;
}

/** inet_diag_dump_icsk for TCP over IPv4, in the same order as /proc/net/tcp. */
export function tcpDiagDump(net: Net): TcpDiagMsg[] {
  const out: TcpDiagMsg[] = [];
  tcpWalk(net, (e) => {
    if (e.kind === "sk") {
      const listen = e.state === TCP_LISTEN;
      out.push({
        state: e.state,
        saddr: e.rcvSaddr,
        sport: e.num,
        daddr: e.daddr,
        dport: e.dport,
        rqueue: listen ? e.acceptQueue.length : Math.max(0, (e.rcvNxt - e.copiedSeq) | 0),
        wqueue: listen ? e.maxAckBacklog : (e.writeSeq - e.sndUna) >>> 0,
        uid: e.uid,
        inode: e.inode,
      });
    } else if (e.kind === "req")
      out.push({
        state: 3,
        saddr: e.laddr,
        sport: e.lport,
        daddr: e.raddr,
        dport: e.rport,
        rqueue: 0,
        wqueue: 0,
        uid: e.listener.uid,
        inode: 0,
      });
    else
      out.push({
        state: e.substate,
        saddr: e.laddr,
        sport: e.lport,
        daddr: e.raddr,
        dport: e.rport,
        rqueue: 0,
        wqueue: 0,
        uid: 0,
        inode: 0,
      });
  });
  return out;
}
