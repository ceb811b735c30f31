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

/**
 * When a timer armed now for `delayNs` really fires: msecs_to_jiffies rounds the delay up to
 * whole jiffies, and calc_wheel_index puts the expiry in the bucket after it at the granularity of
 * its level, so a timer never fires early and a 1 s timer fires at the next 32 ms boundary.
 */
export function timerWheelExpiry(nowNs: number, delayNs: number): number {
  const now = Math.floor(nowNs / JIFFY_NS);
  const delta = Math.max(0, Math.ceil(delayNs / JIFFY_NS));
  const expires = now + delta;
  let lvl = 0;
  while (lvl < LVL_DEPTH - 1 && delta >= (LVL_SIZE - 1) * 2 ** (LVL_CLK_SHIFT * lvl)) lvl++;
  const gran = 2 ** (LVL_CLK_SHIFT * lvl);
  return (Math.floor(expires / gran) + 1) * gran * JIFFY_NS;
}

export class Clock {
  private nowNs = 0;
  private seq = 0;
  private readonly heap: TimerEvent[] = [];

  get now(): number {
    return this.nowNs;
  }

  /** Schedules `run` after `delayNs` (mod_timer / a packet in flight). */
  schedule(delayNs: number, run: () => void): TimerEvent {
    const event: TimerEvent = {
      at: this.nowNs + Math.max(0, delayNs),
      seq: this.seq++,
      run,
      cancelled: false,
      index: -1,
    };
    this.push(event);
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
    while (this.heap.length > 0) {
      if (stop?.()) return;
      const top = this.heap[0] as TimerEvent;
      if (top.at > deadline || (exclusive && top.at === deadline)) break;
      this.pop();
      if (top.cancelled) continue;
      if (top.at > this.nowNs) this.nowNs = top.at;
      top.run();
    }
    if (stop?.()) return;
    if (deadline > this.nowNs) this.nowNs = deadline;
  }

  /** When the next live event is due, or undefined when none is scheduled. */
  nextEventAt(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0 && (heap[0] as TimerEvent).cancelled) this.pop();
    return heap.length > 0 ? (heap[0] as TimerEvent).at : undefined;
  }

  /** Runs the next live event, advancing time to it. */
  runNext(): void {
    if (this.nextEventAt() === undefined) return;
    const top = this.heap[0] as TimerEvent;
    this.pop();
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
    const heap = this.heap;
    if (i < 0 || heap[i] !== event) return;
    event.index = -1;
    const last = heap.pop() as TimerEvent;
    if (i === heap.length) return;
    // The last event fills the hole, then moves up or down to its place.
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(last, heap[parent] as TimerEvent)) break;
      this.place(heap[parent] as TimerEvent, at);
      at = parent;
    }
    if (at === i) at = this.siftDown(last, i);
    this.place(last, at);
  }

  /** Moves time forward to `t` without running anything (the caller ran what was due before). */
  advanceTo(t: number): void {
    if (t > this.nowNs) this.nowNs = t;
  }

  /** Runs what is due now without advancing time. */
  runPending(): void {
    this.runUntil(this.nowNs);
  }

  private place(event: TimerEvent, i: number): void {
    this.heap[i] = event;
    event.index = i;
  }

  private push(event: TimerEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent] as TimerEvent)) break;
      this.place(heap[parent] as TimerEvent, i);
      i = parent;
    }
    this.place(event, i);
  }

  /** Where `event`, put at the hole `i`, settles going down; the events above it move up. */
  private siftDown(event: TimerEvent, i: number): number {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as TimerEvent, heap[left] as TimerEvent) ? right : left;
      if (!before(heap[child] as TimerEvent, event)) break;
      this.place(heap[child] as TimerEvent, i);
      i = child;
    }
    return i;
  }

  private pop(): void {
    const heap = this.heap;
    (heap[0] as TimerEvent).index = -1;
    const last = heap.pop() as TimerEvent;
    if (heap.length === 0) return;
    this.place(last, this.siftDown(last, 0));
  }
}

function before(a: TimerEvent, b: TimerEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
