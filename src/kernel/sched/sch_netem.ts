// Network emulator (net/sched/sch_netem.c): delay with jitter from a distribution table, random
// and Markov-model loss, duplication, corruption, reordering and rate limiting, with packets held
// in the tfifo ordered by time_to_send and released by the qdisc watchdog in virtual time. Each
// netem qdisc draws from its own prandom state, seeded from the host's generator when it is
// configured (as the kernel seeds it from get_random_u64), so a lossy run is reproducible.
import type { TimerEvent } from "../clock.js";
import { CHECKSUM_NONE, type SkBuff } from "../core/skbuff.js";
import { KernelError } from "../syscalls.js";
import {
  NET_XMIT_DROP,
  NET_XMIT_SUCCESS,
  type NetemOptions,
  type Qdisc,
  type QdiscOps,
  qdiscBstatsUpdate,
  qdiscRun,
} from "./sch_generic.js";

/** NETEM_DIST_SCALE / NETEM_DIST_MAX */
export const NETEM_DIST_SCALE = 8192;
const NETEM_DIST_MAX = 16384;
/** PSCHED_SHIFT: a psched tick is 64 ns. */
const PSCHED_SHIFT = 6;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;

/** struct rnd_state: lib/random32.c's Tausworthe generator (prandom_u32_state). */
interface RndState {
  s1: number;
  s2: number;
  s3: number;
  s4: number;
}

/** prandom_seed_state */
function prandomSeedState(seedHi: number, seedLo: number): RndState {
  // i = ((seed >> 32) ^ (seed << 10) ^ seed) & 0xffffffff
  const i = (seedHi ^ (seedLo << 10) ^ seedLo) >>> 0;
  const seed = (x: number, m: number) => (x < m ? x + m : x) >>> 0;
  return { s1: seed(i, 2), s2: seed(i, 8), s3: seed(i, 16), s4: seed(i, 128) };
}

/** prandom_u32_state */
function prandomU32State(s: RndState): number {
  const taus = (x: number, a: number, b: number, c: number, d: number) =>
    (((x & c) << d) ^ (((x << a) ^ x) >>> b)) >>> 0;
  s.s1 = taus(s.s1, 6, 13, 4294967294, 18);
  s.s2 = taus(s.s2, 2, 27, 4294967288, 2);
  s.s3 = taus(s.s3, 13, 21, 4294967280, 7);
  s.s4 = taus(s.s4, 3, 12, 4294967168, 13);
  return (s.s1 ^ s.s2 ^ s.s3 ^ s.s4) >>> 0;
}

/** struct crndstate: a correlated random source. */
interface CrndState {
  last: number;
  rho: number;
}

const CLG_RANDOM = 0;
const CLG_4_STATES = 1;
const CLG_GILB_ELL = 2;
const TX_IN_GAP_PERIOD = 1;
const TX_IN_BURST_PERIOD = 2;
const LOST_IN_BURST_PERIOD = 3;
const LOST_IN_GAP_PERIOD = 4;
const GOOD_STATE = 1;
const BAD_STATE = 2;

/** struct netem_sched_data */
interface NetemSchedData {
  /** The tfifo: packets by time_to_send, equal times in arrival order. */
  readonly tfifo: { skb: SkBuff; timeToSend: number }[];
  /** sch->q: reordered packets, sent first. */
  readonly head: SkBuff[];
  latency: number;
  jitter: number;
  counter: number;
  gap: number;
  limit: number;
  loss: number;
  duplicate: number;
  reorder: number;
  corrupt: number;
  ecn: number;
  rate: number;
  packetOverhead: number;
  cellSize: number;
  cellOverhead: number;
  delayCor: CrndState;
  lossCor: CrndState;
  dupCor: CrndState;
  reorderCor: CrndState;
  corruptCor: CrndState;
  lossModel: number;
  /** struct clgstate */
  clg: { state: number; a1: number; a2: number; a3: number; a4: number; a5: number };
  delayDist: Int16Array | undefined;
  prng: RndState;
  slot: NetemOptions["slot"];
  watchdog: TimerEvent | undefined;
}

function priv(q: Qdisc): NetemSchedData {
  return q.priv as NetemSchedData;
}

function host(q: Qdisc) {
  return q.dev.net.host;
}

/** init_crandom: the last value starts from get_random_u32(). */
function initCrandom(q: Qdisc, rho: number): CrndState {
  return { rho: rho >>> 0, last: host(q).randomU32() };
}

/** get_crandom: next value, correlated with the last by rho/2^32. */
function getCrandom(state: CrndState, prng: RndState): number {
  const value = prandomU32State(prng);
  if (state.rho === 0) return value;
  const rho = BigInt(state.rho) + 1n;
  const answer = Number((BigInt(value) * ((1n << 32n) - rho) + BigInt(state.last) * rho) >> 32n);
  state.last = answer;
  return answer;
}

/** tabledist: a value with mean mu and deviation sigma, from the table or uniform. */
function tabledist(
  mu: number,
  sigma: number,
  state: CrndState,
  opts: { prng: RndState; dist: Int16Array | undefined },
): number {
  if (sigma === 0) return mu;
  const rnd = getCrandom(state, opts.prng);
  const dist = opts.dist;
  if (!dist) return (rnd % (2 * sigma)) + mu - sigma;
  const t = dist[rnd % dist.length] as number;
  let x = (sigma % NETEM_DIST_SCALE) * t;
  if (x >= 0) x += NETEM_DIST_SCALE / 2;
  else x -= NETEM_DIST_SCALE / 2;
  return Math.trunc(x / NETEM_DIST_SCALE) + Math.trunc(sigma / NETEM_DIST_SCALE) * t + mu;
}

/** loss_4state: the GI model's 4-state Markov chain. */
function loss4state(d: NetemSchedData): boolean {
  const clg = d.clg;
  const rnd = prandomU32State(d.prng);
  const a14 = (clg.a1 + clg.a4) >>> 0;
  const a23 = (clg.a2 + clg.a3) >>> 0;
  switch (clg.state) {
    case TX_IN_GAP_PERIOD:
      if (rnd < clg.a4) {
        clg.state = LOST_IN_GAP_PERIOD;
        return true;
      } else if (clg.a4 < rnd && rnd < a14) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      } else if (a14 < rnd) {
        clg.state = TX_IN_GAP_PERIOD;
      }
      break;
    case TX_IN_BURST_PERIOD:
      if (rnd < clg.a5) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      }
      clg.state = TX_IN_BURST_PERIOD;
      break;
    case LOST_IN_BURST_PERIOD:
      if (rnd < clg.a3) clg.state = TX_IN_BURST_PERIOD;
      else if (a23 < rnd) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      } else if (clg.a3 < rnd && rnd < a23) {
        clg.state = TX_IN_GAP_PERIOD;
      }
      break;
    case LOST_IN_GAP_PERIOD:
      clg.state = TX_IN_GAP_PERIOD;
      break;
  }
  return false;
}

/** loss_gilb_ell: the Gilbert-Elliot model. */
function lossGilbEll(d: NetemSchedData): boolean {
  const clg = d.clg;
  switch (clg.state) {
    case GOOD_STATE:
      if (prandomU32State(d.prng) < clg.a1) clg.state = BAD_STATE;
      if (prandomU32State(d.prng) < clg.a4) return true;
      break;
    case BAD_STATE:
      if (prandomU32State(d.prng) < clg.a2) clg.state = GOOD_STATE;
      if (prandomU32State(d.prng) > clg.a3) return true;
  }
  return false;
}

/** loss_event */
function lossEvent(d: NetemSchedData): boolean {
  switch (d.lossModel) {
    case CLG_RANDOM:
      return d.loss !== 0 && d.loss >= getCrandom(d.lossCor, d.prng);
    case CLG_4_STATES:
      return loss4state(d);
    case CLG_GILB_ELL:
      return lossGilbEll(d);
  }
  return false;
}

/** packet_time_ns: how long `len` bytes take at the configured rate. */
function packetTimeNs(len: number, d: NetemSchedData): number {
  let l = len + d.packetOverhead;
  if (d.cellSize) {
    let cells = Math.floor(l / d.cellSize);
    if (l > cells * d.cellSize) cells++;
    l = cells * (d.cellSize + d.cellOverhead);
  }
  return Math.floor((l * 1e9) / d.rate);
}

/** INET_ECN_set_ce on an IPv4 packet: ECT becomes CE (with the checksum fixed); false when not ECT. */
function inetEcnSetCe(skb: SkBuff): boolean {
  const off = skb.networkHeader;
  const data = skb.data;
  if (off + 20 > skb.tail || (data[off] as number) >> 4 !== 4) return false;
  const tos = data[off + 1] as number;
  if ((tos & 3) === 0 || (tos & 3) === 3) return (tos & 3) === 3;
  // ipv4_change_dsfield's incremental checksum (RFC 1624) for the TOS byte.
  const old = ((data[off] as number) << 8) | tos;
  const neu = ((data[off] as number) << 8) | (tos | 3);
  let sum =
    (~(((data[off + 10] as number) << 8) | (data[off + 11] as number)) & 0xffff) + (~old & 0xffff) + neu;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  const csum = ~sum & 0xffff;
  data[off + 1] = tos | 3;
  data[off + 10] = csum >> 8;
  data[off + 11] = csum & 0xff;
  return true;
}

const skbLen = (skb: SkBuff) => skb.tail - skb.head;

/** tfifo_enqueue: after every packet due no later than this one. */
function tfifoEnqueue(d: NetemSchedData, skb: SkBuff, timeToSend: number): void {
  const t = d.tfifo;
  let lo = 0;
  let hi = t.length;
  if (hi === 0 || (t[hi - 1] as { timeToSend: number }).timeToSend <= timeToSend) {
    t.push({ skb, timeToSend });
    return;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t[mid] as { timeToSend: number }).timeToSend <= timeToSend) lo = mid + 1;
    else hi = mid;
  }
  t.splice(lo, 0, { skb, timeToSend });
}

function qlen(d: NetemSchedData): number {
  return d.head.length + d.tfifo.length;
}

/** netem_enqueue */
function netemEnqueue(skb: SkBuff, q: Qdisc): number {
  const d = priv(q);
  let count = 1;
  if (d.duplicate && d.duplicate >= getCrandom(d.dupCor, d.prng)) count++;
  if (lossEvent(d)) {
    if (d.ecn && inetEcnSetCe(skb)) q.stats.drops++;
    else count--;
  }
  if (count === 0) {
    q.stats.drops++;
    return NET_XMIT_SUCCESS;
  }
  const skb2 = count > 1 ? { ...skb, data: skb.data.slice() } : undefined;
  if (d.corrupt && d.corrupt >= getCrandom(d.corruptCor, d.prng)) {
    // skb_checksum_help first: the checksum is final, so the receiver verifies (and drops) it.
    skb.ipSummed = CHECKSUM_NONE;
    const h = host(q);
    const at = skb.head + (h.randomU32() % skbLen(skb));
    skb.data[at] = (skb.data[at] as number) ^ (1 << (h.randomU32() % 8));
  }
  if (qlen(d) >= q.limit) {
    q.stats.drops++;
    return NET_XMIT_DROP;
  }
  if (skb2) {
    // The duplicate goes in at the top of the qdisc tree, never duplicated itself.
    const dupsave = d.duplicate;
    d.duplicate = 0;
    q.ops.enqueue(skb2, q);
    d.duplicate = dupsave;
  }
  q.stats.backlog += skbLen(skb);
  const now = host(q).clock.now;
  if (d.gap === 0 || d.counter < d.gap - 1 || d.reorder < getCrandom(d.reorderCor, d.prng)) {
    let delay = tabledist(d.latency, d.jitter, d.delayCor, { prng: d.prng, dist: d.delayDist });
    let base = now;
    if (d.rate) {
      let last: number | undefined;
      const tail = d.tfifo[d.tfifo.length - 1];
      if (tail) last = tail.timeToSend;
      if (d.head.length > 0 && (last === undefined || now > last)) last = now;
      if (last !== undefined) {
        // The last packet queued is the reference point: its remaining time counts against this delay.
        delay -= last - now;
        delay = Math.max(0, delay);
        base = last;
      }
      delay += packetTimeNs(skbLen(skb), d);
    }
    d.counter++;
    tfifoEnqueue(d, skb, base + delay);
  } else {
    // Reordering: this one goes out first, ahead of everything delayed.
    d.counter = 0;
    d.head.push(skb);
    q.stats.requeues++;
  }
  return NET_XMIT_SUCCESS;
}

/** netem_dequeue: the reordered packets, then the tfifo's head once it is due; else arm the watchdog. */
function netemDequeue(q: Qdisc): SkBuff | undefined {
  const d = priv(q);
  let skb = d.head.shift();
  if (!skb) {
    const first = d.tfifo[0];
    if (!first) return undefined;
    const now = host(q).clock.now;
    if (first.timeToSend > now) {
      watchdogSchedule(q, first.timeToSend);
      return undefined;
    }
    d.tfifo.shift();
    skb = first.skb;
  }
  q.stats.backlog -= skbLen(skb);
  qdiscBstatsUpdate(q, skb);
  return skb;
}

/** qdisc_watchdog_schedule_ns: an hrtimer that runs the qdisc again at `at`. */
function watchdogSchedule(q: Qdisc, at: number): void {
  const d = priv(q);
  const clock = host(q).clock;
  if (d.watchdog && !d.watchdog.cancelled && d.watchdog.at === at) return;
  if (d.watchdog) d.watchdog.cancelled = true;
  d.watchdog = clock.schedule(at - clock.now, () => {
    d.watchdog = undefined;
    if (!q.dead) qdiscRun(q);
  });
}

function netemReset(q: Qdisc): void {
  const d = priv(q);
  d.tfifo.length = 0;
  d.head.length = 0;
  q.stats.backlog = 0;
  if (d.watchdog) d.watchdog.cancelled = true;
  d.watchdog = undefined;
}

const ticksToNs = (ticks: number) => ticks * 2 ** PSCHED_SHIFT;
const nsToTicks = (ns: number) => Math.floor(ns / 2 ** PSCHED_SHIFT);

/** netem_change */
function netemChange(q: Qdisc, opt: NetemOptions): void {
  const d = priv(q);
  if (opt.delayDist && opt.delayDist.length > NETEM_DIST_MAX) throw new KernelError("EINVAL");
  if (opt.gimodel) {
    const g = opt.gimodel;
    d.lossModel = CLG_4_STATES;
    d.clg = { state: TX_IN_GAP_PERIOD, a1: g.p13, a2: g.p31, a3: g.p32, a4: g.p14, a5: g.p23 };
  } else if (opt.gemodel) {
    const g = opt.gemodel;
    d.lossModel = CLG_GILB_ELL;
    d.clg = { state: GOOD_STATE, a1: g.p, a2: g.r, a3: g.h, a4: g.k1, a5: 0 };
  } else {
    d.lossModel = CLG_RANDOM;
  }
  if (opt.delayDist) d.delayDist = opt.delayDist;
  q.limit = opt.qopt.limit;
  d.latency = ticksToNs(opt.qopt.latency);
  d.jitter = ticksToNs(opt.qopt.jitter);
  d.limit = opt.qopt.limit;
  d.gap = opt.qopt.gap;
  d.counter = 0;
  d.loss = opt.qopt.loss;
  d.duplicate = opt.qopt.duplicate;
  // For compatibility with earlier versions: a gap alone means reorder with 100% probability.
  if (d.gap) d.reorder = UINT_MAX;
  if (opt.corr) {
    d.delayCor = initCrandom(q, opt.corr.delayCorr);
    d.lossCor = initCrandom(q, opt.corr.lossCorr);
    d.dupCor = initCrandom(q, opt.corr.dupCorr);
  }
  if (opt.reorder) {
    d.reorder = opt.reorder.probability;
    d.reorderCor = initCrandom(q, opt.reorder.correlation);
  }
  if (opt.corrupt) {
    d.corrupt = opt.corrupt.probability;
    d.corruptCor = initCrandom(q, opt.corrupt.correlation);
  }
  if (opt.rate) {
    d.rate = opt.rate.rate;
    d.packetOverhead = opt.rate.packetOverhead;
    d.cellSize = opt.rate.cellSize;
    d.cellOverhead = opt.rate.cellOverhead;
  }
  if (opt.rate64 !== undefined) d.rate = Math.max(d.rate, opt.rate64);
  if (opt.ecn !== undefined) d.ecn = opt.ecn;
  if (opt.slot) d.slot = opt.slot;
  d.jitter = Math.min(Math.abs(d.jitter), INT_MAX);
  // TCA_NETEM_PRNG_SEED absent: seeded from get_random_u64().
  const h = host(q);
  d.prng = prandomSeedState(h.randomU32(), h.randomU32());
}

function emptyCor(): CrndState {
  return { last: 0, rho: 0 };
}

/** netem_qdisc_ops */
export const netemQdiscOps: QdiscOps = {
  id: "netem",
  canBypass: false,
  init(q, opt) {
    if (opt?.kind !== "netem") throw new KernelError("EINVAL");
    q.priv = {
      tfifo: [],
      head: [],
      latency: 0,
      jitter: 0,
      counter: 0,
      gap: 0,
      limit: 0,
      loss: 0,
      duplicate: 0,
      reorder: 0,
      corrupt: 0,
      ecn: 0,
      rate: 0,
      packetOverhead: 0,
      cellSize: 0,
      cellOverhead: 0,
      delayCor: emptyCor(),
      lossCor: emptyCor(),
      dupCor: emptyCor(),
      reorderCor: emptyCor(),
      corruptCor: emptyCor(),
      lossModel: CLG_RANDOM,
      clg: { state: 0, a1: 0, a2: 0, a3: 0, a4: 0, a5: 0 },
      delayDist: undefined,
      prng: { s1: 0, s2: 0, s3: 0, s4: 0 },
      slot: undefined,
      watchdog: undefined,
    } satisfies NetemSchedData;
    netemChange(q, opt);
  },
  change(q, opt) {
    if (opt?.kind !== "netem") throw new KernelError("EINVAL");
    netemChange(q, opt);
  },
  enqueue: netemEnqueue,
  dequeue: netemDequeue,
  reset: netemReset,
  qlen: (q) => qlen(priv(q)),
  /** netem_dump: the kernel always reports the correlations, reorder and corrupt attributes. */
  dump(q): NetemOptions {
    const d = priv(q);
    const rateHi = d.rate >= 2 ** 32;
    return {
      kind: "netem",
      qopt: {
        latency: Math.min(nsToTicks(d.latency), UINT_MAX),
        jitter: Math.min(nsToTicks(d.jitter), UINT_MAX),
        limit: d.limit,
        loss: d.loss,
        gap: d.gap,
        duplicate: d.duplicate,
      },
      corr: { delayCorr: d.delayCor.rho, lossCorr: d.lossCor.rho, dupCorr: d.dupCor.rho },
      reorder: { probability: d.reorder, correlation: d.reorderCor.rho },
      corrupt: { probability: d.corrupt, correlation: d.corruptCor.rho },
      rate: {
        rate: rateHi ? UINT_MAX : d.rate,
        packetOverhead: d.packetOverhead,
        cellSize: d.cellSize,
        cellOverhead: d.cellOverhead,
      },
      ...(rateHi ? { rate64: d.rate } : {}),
      ...(d.ecn ? { ecn: d.ecn } : {}),
      ...(d.lossModel === CLG_4_STATES
        ? { gimodel: { p13: d.clg.a1, p31: d.clg.a2, p32: d.clg.a3, p14: d.clg.a4, p23: d.clg.a5 } }
        : {}),
      ...(d.lossModel === CLG_GILB_ELL
        ? { gemodel: { p: d.clg.a1, r: d.clg.a2, h: d.clg.a3, k1: d.clg.a4 } }
        : {}),
      ...(d.slot && (d.slot.minDelay || d.slot.maxDelay || d.slot.distJitter) ? { slot: d.slot } : {}),
    };
  },
};
