// Virtual time and the event queue. Time is in nanoseconds since the host booted; nothing here
// reads the wall clock. Events due at the same time run in the order they were scheduled.

export interface TimerEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

export const NSEC_PER_USEC = 1_000;
export const NSEC_PER_MSEC = 1_000_000;
export const NSEC_PER_SEC = 1_000_000_000;

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
    };
    this.push(event);
    return event;
  }

  /** Runs every event due at or before `deadline`, then sets the time to `deadline`. */
  runUntil(deadline: number, stop?: () => boolean): void {
    while (this.heap.length > 0) {
      if (stop?.()) return;
      const top = this.heap[0] as TimerEvent;
      if (top.at > deadline) break;
      this.pop();
      if (top.cancelled) continue;
      if (top.at > this.nowNs) this.nowNs = top.at;
      top.run();
    }
    if (stop?.()) return;
    if (deadline > this.nowNs) this.nowNs = deadline;
  }

  /** Runs what is due now without advancing time. */
  runPending(): void {
    this.runUntil(this.nowNs);
  }

  private push(event: TimerEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent] as TimerEvent)) break;
      heap[i] = heap[parent] as TimerEvent;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as TimerEvent;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as TimerEvent, heap[left] as TimerEvent) ? right : left;
      if (!before(heap[child] as TimerEvent, last)) break;
      heap[i] = heap[child] as TimerEvent;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: TimerEvent, b: TimerEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
