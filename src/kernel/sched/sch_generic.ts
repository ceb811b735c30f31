// Queueing disciplines on a device's transmit path (net/sched/sch_generic.c, sch_fifo.c): the
// Qdisc a device's packets go through in __dev_queue_xmit, the fifo family and pfifo_fast, and
// qdisc_run handing what a qdisc releases to the driver. A device without a configured root qdisc
// sends straight to its driver, as noqueue (IFF_NO_QUEUE) devices do.
import type { NetDevice } from "../core/dev.js";
import { xmitOne } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import { IFF_UP } from "../uapi.js";

/** TC_H_ROOT: the parent of a device's root qdisc. */
export const TC_H_ROOT = 0xffffffff;
/** NET_XMIT_* */
export const NET_XMIT_SUCCESS = 0;
export const NET_XMIT_DROP = 1;

/** The options a qdisc takes and reports (TCA_OPTIONS, per kind). */
export type QdiscOptions =
  | { readonly kind: "fifo"; readonly limit: number }
  | { readonly kind: "prio"; readonly bands: number; readonly priomap: readonly number[] }
  | NetemOptions;

/** TCA_OPTIONS of netem: struct tc_netem_qopt and the nested TCA_NETEM_* attributes. */
export interface NetemOptions {
  readonly kind: "netem";
  /** struct tc_netem_qopt; latency and jitter in psched ticks (64 ns). */
  readonly qopt: {
    readonly latency: number;
    readonly limit: number;
    readonly loss: number;
    readonly gap: number;
    readonly duplicate: number;
    readonly jitter: number;
  };
  readonly corr?: { readonly delayCorr: number; readonly lossCorr: number; readonly dupCorr: number };
  readonly reorder?: { readonly probability: number; readonly correlation: number };
  readonly corrupt?: { readonly probability: number; readonly correlation: number };
  readonly rate?: {
    readonly rate: number;
    readonly packetOverhead: number;
    readonly cellSize: number;
    readonly cellOverhead: number;
  };
  /** TCA_NETEM_RATE64 (bytes/s) when the rate does not fit 32 bits. */
  readonly rate64?: number;
  readonly ecn?: number;
  /** NETEM_LOSS_GI: the 4-state Markov model (p13, p31, p32, p23, p14). */
  readonly gimodel?: {
    readonly p13: number;
    readonly p31: number;
    readonly p32: number;
    readonly p23: number;
    readonly p14: number;
  };
  /** NETEM_LOSS_GE: Gilbert-Elliot (p, r, h, 1-k). */
  readonly gemodel?: { readonly p: number; readonly r: number; readonly h: number; readonly k1: number };
  /** struct tc_netem_slot (ns). */
  readonly slot?: {
    readonly minDelay: number;
    readonly maxDelay: number;
    readonly maxPackets: number;
    readonly maxBytes: number;
    readonly distDelay: number;
    readonly distJitter: number;
  };
  /** TCA_NETEM_DELAY_DIST: the distribution table, scaled by NETEM_DIST_SCALE. */
  readonly delayDist?: Int16Array;
}

/** struct gnet_stats_basic + gnet_stats_queue */
export interface QdiscStats {
  bytes: number;
  packets: number;
  drops: number;
  overlimits: number;
  requeues: number;
  backlog: number;
}

export interface Qdisc {
  readonly ops: QdiscOps;
  readonly handle: number;
  readonly parent: number;
  readonly dev: NetDevice;
  refcnt: number;
  /** sch->limit */
  limit: number;
  /** sch->q: the packets waiting, head first. */
  readonly q: SkBuff[];
  readonly stats: QdiscStats;
  /** The qdisc's own state (qdisc_priv). */
  priv: unknown;
  /** Gone from the device (qdisc_put): a watchdog firing late does nothing. */
  dead: boolean;
}

export interface QdiscOps {
  readonly id: string;
  /** TCQ_F_CAN_BYPASS: an empty work-conserving queue sends straight to the driver. */
  readonly canBypass: boolean;
  init(q: Qdisc, opt: QdiscOptions | undefined): void;
  change?(q: Qdisc, opt: QdiscOptions | undefined): void;
  enqueue(skb: SkBuff, q: Qdisc): number;
  dequeue(q: Qdisc): SkBuff | undefined;
  dump(q: Qdisc): QdiscOptions | undefined;
  reset?(q: Qdisc): void;
  destroy?(q: Qdisc): void;
  /** sch->q.qlen when the qdisc keeps packets outside sch->q (netem's tfifo). */
  qlen?(q: Qdisc): number;
}

export function newQdisc(dev: NetDevice, ops: QdiscOps, opts: { handle: number; parent: number }): Qdisc {
  return {
    ops,
    handle: opts.handle,
    parent: opts.parent,
    dev,
    refcnt: 1,
    limit: 0,
    q: [],
    stats: { bytes: 0, packets: 0, drops: 0, overlimits: 0, requeues: 0, backlog: 0 },
    priv: undefined,
    dead: false,
  };
}

const skbLen = (skb: SkBuff) => skb.tail - skb.head;

/** qdisc_bstats_update */
export function qdiscBstatsUpdate(q: Qdisc, skb: SkBuff): void {
  q.stats.bytes += skbLen(skb);
  q.stats.packets++;
}

/** qdisc_enqueue_tail */
export function qdiscEnqueueTail(skb: SkBuff, q: Qdisc): number {
  q.q.push(skb);
  q.stats.backlog += skbLen(skb);
  return NET_XMIT_SUCCESS;
}

/** qdisc_drop */
export function qdiscDrop(q: Qdisc): number {
  q.stats.drops++;
  return NET_XMIT_DROP;
}

/** qdisc_dequeue_head, with the byte backlog and the basic counters. */
export function qdiscDequeueHead(q: Qdisc): SkBuff | undefined {
  const skb = q.q.shift();
  if (!skb) return undefined;
  q.stats.backlog -= skbLen(skb);
  qdiscBstatsUpdate(q, skb);
  return skb;
}

/** qdisc_reset_queue */
export function qdiscResetQueue(q: Qdisc): void {
  q.q.length = 0;
  q.stats.backlog = 0;
}

/** psched_mtu: the largest frame the device sends. */
function pschedMtu(dev: NetDevice): number {
  return dev.mtu + 14;
}

/** fifo_init / fifo_hd_init: the limit defaults to tx_queue_len packets (times the MTU for bfifo). */
function fifoInit(bytes: boolean): (q: Qdisc, opt: QdiscOptions | undefined) => void {
  return (q, opt) => {
    if (opt === undefined) {
      const limit = Math.max(q.dev.txqlen, 1);
      q.limit = bytes ? limit * pschedMtu(q.dev) : limit;
    } else if (opt.kind === "fifo") {
      q.limit = opt.limit;
    }
  };
}

const fifoDump = (q: Qdisc): QdiscOptions => ({ kind: "fifo", limit: q.limit });

/** pfifo_qdisc_ops */
export const pfifoQdiscOps: QdiscOps = {
  id: "pfifo",
  canBypass: true,
  init: fifoInit(false),
  change: fifoInit(false),
  enqueue(skb, q) {
    if (q.q.length < q.limit) return qdiscEnqueueTail(skb, q);
    return qdiscDrop(q);
  },
  dequeue: qdiscDequeueHead,
  dump: fifoDump,
  reset: qdiscResetQueue,
};

/** bfifo_qdisc_ops: the limit is in bytes of backlog. */
export const bfifoQdiscOps: QdiscOps = {
  id: "bfifo",
  canBypass: true,
  init: fifoInit(true),
  change: fifoInit(true),
  enqueue(skb, q) {
    if (q.stats.backlog + skbLen(skb) <= q.limit) return qdiscEnqueueTail(skb, q);
    return qdiscDrop(q);
  },
  dequeue: qdiscDequeueHead,
  dump: fifoDump,
  reset: qdiscResetQueue,
};

/** pfifo_head_drop_qdisc_ops: a full queue drops its oldest packet. */
export const pfifoHeadDropQdiscOps: QdiscOps = {
  id: "pfifo_head_drop",
  canBypass: false,
  init: fifoInit(false),
  change: fifoInit(false),
  enqueue(skb, q) {
    if (q.q.length < q.limit) return qdiscEnqueueTail(skb, q);
    const old = q.q.shift();
    if (old) q.stats.backlog -= skbLen(old);
    q.stats.drops++;
    qdiscEnqueueTail(skb, q);
    return NET_XMIT_SUCCESS;
  },
  dequeue: qdiscDequeueHead,
  dump: fifoDump,
  reset: qdiscResetQueue,
};

/** sch_generic.c's prio2band: TC_PRIO_* to pfifo_fast's three bands. */
const PRIO2BAND: readonly number[] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/**
 * pfifo_fast_ops: three fifo bands of tx_queue_len each. Every locally sent packet here has
 * priority 0, so all of them use band 1 and the order is plain fifo.
 */
export const pfifoFastOps: QdiscOps = {
  id: "pfifo_fast",
  canBypass: true,
  init(q) {
    q.limit = Math.max(q.dev.txqlen, 1);
  },
  enqueue(skb, q) {
    if (q.q.length < q.limit) return qdiscEnqueueTail(skb, q);
    return qdiscDrop(q);
  },
  dequeue: qdiscDequeueHead,
  dump: () => ({ kind: "prio", bands: 3, priomap: PRIO2BAND }),
  reset: qdiscResetQueue,
};

/**
 * __dev_xmit_skb + __qdisc_run: an empty bypassable qdisc sends directly (sch_direct_xmit,
 * counted as sent); otherwise the packet is queued and the qdisc dequeued until it holds nothing
 * it will release now.
 */
export function devXmitSkb(skb: SkBuff, q: Qdisc): void {
  if (q.ops.canBypass && q.q.length === 0) {
    qdiscBstatsUpdate(q, skb);
    xmitOne(skb, q.dev);
    return;
  }
  q.ops.enqueue(skb, q);
  qdiscRun(q);
}

/** qdisc_run: hand the driver every packet the qdisc releases now. */
export function qdiscRun(q: Qdisc): void {
  const dev = q.dev;
  for (;;) {
    if (q.dead) return;
    // dev_deactivate: a device that went down holds nothing back (qdisc_reset).
    if (!(dev.flags & IFF_UP)) {
      q.ops.reset?.(q);
      return;
    }
    const skb = q.ops.dequeue(q);
    if (!skb) return;
    xmitOne(skb, dev);
  }
}

/** sch->q.qlen */
export function qdiscQlen(q: Qdisc): number {
  return q.ops.qlen ? q.ops.qlen(q) : q.q.length;
}

/** qdisc_put: the qdisc leaves the device; its queue and timers go with it. */
export function qdiscDestroy(q: Qdisc): void {
  q.dead = true;
  q.ops.reset?.(q);
  q.ops.destroy?.(q);
}

/** dev_shutdown: the device leaves its namespace or goes away; its qdisc goes with it. */
export function devShutdown(dev: NetDevice): void {
  const old = dev.rootQdisc;
  dev.rootQdisc = undefined;
  if (old) qdiscDestroy(old);
  dev.qdisc = "noop";
}
