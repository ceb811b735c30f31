// Virtual time and the event queue. Time is in nanoseconds since the host booted; nothing here
// reads the wall clock. Events due at the same time run in the order they were scheduled.

export interface TimerEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
  /** Where the event sits in the queue's heap (-1 once it left), for Clock.cancel. */
  index: number;
}

export const NSEC_PER_USEC = 1_000;
export const NSEC_PER_MSEC = 1_000_000;
export const NSEC_PER_SEC = 1_000_000_000;
/** One jiffy of the reference kernel (CONFIG_HZ=250). */
export const JIFFY_NS = 4_000_000;

/** The timer wheel's shape (kernel/time/timer.c): levels of 64 buckets, each 8 times coarser. */
const LVL_CLK_SHIFT = 3;
const LVL_SIZE = 64;
const LVL_DEPTH = 9;
/** Each level's granularity in jiffies, and the delta from which a timer goes a level up. */
const LVL_GRAN: readonly number[] = Array.from({ length: LVL_DEPTH }, (_, l) => 2 ** (LVL_CLK_SHIFT * l));
const LVL_LIMIT: readonly number[] = LVL_GRAN.map((gran) => (LVL_SIZE - 1) * gran);

/**
 * When a timer armed now for `delayNs` really fires: msecs_to_jiffies rounds the delay up to
 * whole jiffies, and calc_wheel_index puts the expiry in the bucket after it at the granularity of
 * its level, so a timer never fires early and a 1 s timer fires at the next 32 ms boundary.
 */
export function timerWheelExpiry(nowNs: number, delayNs: number): number {
  const now = Math.floor(nowNs / JIFFY_NS);
  const delta = delayNs > 0 ? Math.ceil(delayNs / JIFFY_NS) : 0;
  const expires = now + delta;
  let lvl = 0;
  while (lvl < LVL_DEPTH - 1 && delta >= (LVL_LIMIT[lvl] as number)) lvl++;
  const gran = LVL_GRAN[lvl] as number;
  return (Math.floor(expires / gran) + 1) * gran * JIFFY_NS;
}

/**
 * Events this far ahead or more wait in a second heap (a TIME_WAIT socket's 60 s, a FIN_WAIT2
 * timeout, a neighbour's gc): a busy server holds thousands of those, and the packets and
 * retransmit timers that come and go all the time need not sift through them.
 */
const FAR_NS = 10 * NSEC_PER_SEC;

export class Clock {
  private nowNs = 0;
  private seq = 0;
  /** Events due within FAR_NS of when they were scheduled, as a binary heap by (at, seq). */
  private readonly heap: TimerEvent[] = [];
  /** The others, the same way; the next event is the earlier of the two tops. */
  private readonly far: TimerEvent[] = [];

  get now(): number {
    return this.nowNs;
  }

  /** Schedules `run` after `delayNs` (mod_timer / a packet in flight). */
  schedule(delayNs: number, run: () => void): TimerEvent {
    const delay = Math.max(0, delayNs);
    const event: TimerEvent = {
      at: this.nowNs + delay,
      seq: this.seq++,
      run,
      cancelled: false,
      index: -1,
    };
    this.push(delay >= FAR_NS ? this.far : this.heap, event);
    return event;
  }

  /** mod_timer: a kernel timer, firing when the timer wheel gets to it (see timerWheelExpiry). */
  scheduleTimer(delayNs: number, run: () => void): TimerEvent {
    return this.schedule(timerWheelExpiry(this.nowNs, delayNs) - this.nowNs, run);
  }

  /**
   * Runs every event due at or before `deadline` (strictly before it with `exclusive`), then sets
   * the time to `deadline`.
   */
  runUntil(deadline: number, stop?: () => boolean, exclusive = false): void {
    for (;;) {
      if (stop?.()) return;
      const top = this.first();
      if (top === undefined) break;
      if (top.at > deadline || (exclusive && top.at === deadline)) break;
      this.popFrom(this.heapOf(top));
      if (top.cancelled) continue;
      if (top.at > this.nowNs) this.nowNs = top.at;
      top.run();
    }
    if (stop?.()) return;
    if (deadline > this.nowNs) this.nowNs = deadline;
  }

  /** When the next live event is due, or undefined when none is scheduled. */
  nextEventAt(): number | undefined {
    return this.firstLive()?.at;
  }

  /** Runs the next live event, advancing time to it. */
  runNext(): void {
    const top = this.firstLive();
    if (top === undefined) return;
    this.popFrom(this.heapOf(top));
    if (top.at > this.nowNs) this.nowNs = top.at;
    top.run();
  }

  /**
   * del_timer: the event will not run, and leaves the queue now (setting `cancelled` alone leaves
   * it queued until its time, which a socket re-arming its timers per segment piles up).
   */
  cancel(event: TimerEvent): void {
    event.cancelled = true;
    const i = event.index;
    if (i < 0) return;
    const heap = this.heap[i] === event ? this.heap : this.far[i] === event ? this.far : undefined;
    if (heap === undefined) return;
    event.index = -1;
    const last = heap.pop() as TimerEvent;
    if (i === heap.length) return;
    // The last event fills the hole, then moves up or down to its place.
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(last, heap[parent] as TimerEvent)) break;
      place(heap, heap[parent] as TimerEvent, at);
      at = parent;
    }
    if (at === i) at = siftDown(heap, last, i);
    place(heap, last, at);
  }

  /** Moves time forward to `t` without running anything (the caller ran what was due before). */
  advanceTo(t: number): void {
    if (t > this.nowNs) this.nowNs = t;
  }

  /** Runs what is due now without advancing time. */
  runPending(): void {
    this.runUntil(this.nowNs);
  }

  /** The earlier of the two heaps' tops, cancelled or not. */
  private first(): TimerEvent | undefined {
    const near = this.heap[0];
    const far = this.far[0];
    if (far === undefined) return near;
    if (near === undefined) return far;
    return before(far, near) ? far : near;
  }

  /** The earliest event not cancelled, dropping the cancelled ones in front of it. */
  private firstLive(): TimerEvent | undefined {
    for (;;) {
      const top = this.first();
      if (top === undefined || !top.cancelled) return top;
      this.popFrom(this.heapOf(top));
    }
  }

  /** The heap whose top `top` is. */
  private heapOf(top: TimerEvent): TimerEvent[] {
    return this.heap[0] === top ? this.heap : this.far;
  }

  private push(heap: TimerEvent[], event: TimerEvent): void {
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent] as TimerEvent)) break;
      place(heap, heap[parent] as TimerEvent, i);
      i = parent;
    }
    place(heap, event, i);
  }

  private popFrom(heap: TimerEvent[]): void {
    (heap[0] as TimerEvent).index = -1;
    const last = heap.pop() as TimerEvent;
    if (heap.length === 0) return;
    place(heap, last, siftDown(heap, last, 0));
  }
}

function place(heap: TimerEvent[], event: TimerEvent, i: number): void {
  heap[i] = event;
  event.index = i;
}

/** Where `event`, put at the hole `i`, settles going down; the events above it move up. */
function siftDown(heap: TimerEvent[], event: TimerEvent, i: number): number {
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child =
      right < heap.length && before(heap[right] as TimerEvent, heap[left] as TimerEvent) ? right : left;
    if (!before(heap[child] as TimerEvent, event)) break;
    place(heap, heap[child] as TimerEvent, i);
    i = child;
  }
  return i;
}

function before(a: TimerEvent, b: TimerEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
