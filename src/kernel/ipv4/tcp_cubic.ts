// CUBIC congestion control (net/ipv4/tcp_cubic.c, RFC 9438), Linux's default: the window grows
// as a cubic function of the time since the last reduction, centred on the window where loss
// last struck, with the Reno-friendly region and fast convergence; beta 717/1024. HyStart is not
// modelled: slow start ends at ssthresh or at the first loss.

const HZ = 250;
const JIFFY_NS = 4_000_000;
const BICTCP_BETA_SCALE = 1024;
/** BICTCP_HZ: time in 2^-10 seconds. */
const BICTCP_HZ = 10;
/** Module parameters: beta 717, bic_scale 41, fast_convergence and tcp_friendliness on. */
const BETA = 717;
const BIC_SCALE = 41;
const CUBE_RTT_SCALE = BIC_SCALE * 10;
/** beta_scale = 8 * (1024 + beta) / 3 / (1024 - beta), in integer arithmetic. */
const BETA_SCALE = Math.floor(Math.floor((8 * (BICTCP_BETA_SCALE + BETA)) / 3) / (BICTCP_BETA_SCALE - BETA));
/** cube_factor = 2^(10 + 3 * BICTCP_HZ) / (bic_scale * 10) */
const CUBE_FACTOR = Math.floor(2 ** (10 + 3 * BICTCP_HZ) / CUBE_RTT_SCALE);

/** struct bictcp */
export interface Bictcp {
  cnt: number;
  lastMaxCwnd: number;
  lastCwnd: number;
  lastTime: number;
  bicOriginPoint: number;
  bicK: number;
  /** delay_min in microseconds. */
  delayMin: number;
  epochStart: number;
  ackCnt: number;
  tcpCwnd: number;
}

/** The window state cubic reads and writes (struct tcp_sock's snd_cwnd, snd_cwnd_cnt, ssthresh). */
export interface CubicSock {
  cwnd: number;
  cwndCnt: number;
  ssthresh: number;
  readonly cubic: Bictcp;
}

export function bictcpInit(): Bictcp {
  return {
    cnt: 0,
    lastMaxCwnd: 0,
    lastCwnd: 0,
    lastTime: 0,
    bicOriginPoint: 0,
    bicK: 0,
    delayMin: 0,
    epochStart: 0,
    ackCnt: 0,
    tcpCwnd: 0,
  };
}

const jiffies32 = (nowNs: number) => Math.floor(nowNs / JIFFY_NS) >>> 0;

/** tcp_slow_start: returns the part of `acked` left over once cwnd reached ssthresh. */
function tcpSlowStart(sk: CubicSock, acked: number): number {
  const cwnd = Math.min(sk.cwnd + acked, sk.ssthresh);
  acked -= cwnd - sk.cwnd;
  sk.cwnd = Math.min(cwnd, 0x7fffffff);
  return acked;
}

/** tcp_cong_avoid_ai: one more segment per `w` acked. */
function tcpCongAvoidAi(sk: CubicSock, w: number, acked: number): void {
  if (sk.cwndCnt >= w) {
    sk.cwndCnt = 0;
    sk.cwnd++;
  }
  sk.cwndCnt += acked;
  if (sk.cwndCnt >= w) {
    const delta = Math.floor(sk.cwndCnt / w);
    sk.cwndCnt -= delta * w;
    sk.cwnd += delta;
  }
}

/** bictcp_update: the cubic target and how many ACKs each increment takes (ca->cnt). */
function bictcpUpdate(ca: Bictcp, cwnd: number, acked: number, nowNs: number): void {
  const now = jiffies32(nowNs);
  ca.ackCnt += acked;
  if (ca.lastCwnd === cwnd && ((now - ca.lastTime) | 0) <= HZ / 32) return;
  if (!(ca.epochStart && now === ca.lastTime)) {
    ca.lastCwnd = cwnd;
    ca.lastTime = now;
    if (ca.epochStart === 0) {
      ca.epochStart = now;
      ca.ackCnt = acked;
      ca.tcpCwnd = cwnd;
      if (ca.lastMaxCwnd <= cwnd) {
        ca.bicK = 0;
        ca.bicOriginPoint = cwnd;
      } else {
        ca.bicK = Math.floor(Math.cbrt(CUBE_FACTOR * (ca.lastMaxCwnd - cwnd)));
        ca.bicOriginPoint = ca.lastMaxCwnd;
      }
    }
    // t: time since the epoch plus the minimum delay, in 2^-10 s.
    let t = ((now - ca.epochStart) | 0) + Math.ceil((ca.delayMin * HZ) / 1_000_000);
    t = Math.floor((t * 2 ** BICTCP_HZ) / HZ);
    const offs = t < ca.bicK ? ca.bicK - t : t - ca.bicK;
    const delta = Math.floor((CUBE_RTT_SCALE * offs * offs * offs) / 2 ** (10 + 3 * BICTCP_HZ));
    const target = t < ca.bicK ? ca.bicOriginPoint - delta : ca.bicOriginPoint + delta;
    ca.cnt = target > cwnd ? Math.floor(cwnd / (target - cwnd)) : 100 * cwnd;
    // The initial growth is no slower than Reno's once every 20 ACKs.
    if (ca.lastMaxCwnd === 0 && ca.cnt > 20) ca.cnt = 20;
  }
  // tcp_friendliness: never slower than Reno would be.
  let d = Math.floor((cwnd * BETA_SCALE) / 8);
  if (d < 1) d = 1;
  while (ca.ackCnt > d) {
    ca.ackCnt -= d;
    ca.tcpCwnd++;
  }
  if (ca.tcpCwnd > cwnd) {
    const maxCnt = Math.floor(cwnd / (ca.tcpCwnd - cwnd));
    if (ca.cnt > maxCnt) ca.cnt = maxCnt;
  }
  ca.cnt = Math.max(ca.cnt, 2);
}

/** bictcp_cong_avoid (cong_avoid): slow start below ssthresh, then the cubic curve. */
export function bictcpCongAvoid(
  sk: CubicSock,
  acked: number,
  opts: { readonly now: number; readonly cwndLimited: boolean },
): void {
  if (!opts.cwndLimited) return;
  if (sk.cwnd < sk.ssthresh) {
    acked = tcpSlowStart(sk, acked);
    if (!acked) return;
  }
  bictcpUpdate(sk.cubic, sk.cwnd, acked, opts.now);
  tcpCongAvoidAi(sk, sk.cubic.cnt, acked);
}

/** bictcp_recalc_ssthresh (ssthresh): remember where loss struck, back off to beta. */
export function bictcpRecalcSsthresh(sk: CubicSock): number {
  const ca = sk.cubic;
  ca.epochStart = 0;
  if (sk.cwnd < ca.lastMaxCwnd)
    ca.lastMaxCwnd = Math.floor((sk.cwnd * (BICTCP_BETA_SCALE + BETA)) / (2 * BICTCP_BETA_SCALE));
  else ca.lastMaxCwnd = sk.cwnd;
  return Math.max(Math.floor((sk.cwnd * BETA) / BICTCP_BETA_SCALE), 2);
}

/** bictcp_state -> bictcp_reset: a timeout starts cubic over (delay_min included). */
export function bictcpLoss(ca: Bictcp): void {
  Object.assign(ca, bictcpInit());
}

/** bictcp_acked: the minimum delay, from RTT samples (microseconds), skipped in the epoch's first second. */
export function bictcpAcked(ca: Bictcp, rttUs: number, nowNs: number): void {
  if (rttUs < 0) return;
  if (ca.epochStart && ((jiffies32(nowNs) - ca.epochStart) | 0) < HZ) return;
  const delay = Math.max(1, Math.floor(rttUs));
  if (ca.delayMin === 0 || ca.delayMin > delay) ca.delayMin = delay;
}
