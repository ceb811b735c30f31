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
 * Events this far ahead or more (a TIME_WAIT socket's 60 s, a FIN_WAIT2 timeout, a neighbour's
 * gc) wait outside the heap, in slots of FAR_SLOT_NS as the timer wheel's outer levels keep them: a
 * busy server holds thousands, arming and cancelling one costs no sifting, and the packets and
 * retransmit timers that come and go all the time sift through none of them. A slot's events join
 * the heap when the heap has nothing earlier than the slot's start.
 */
const FAR_NS = 10 * NSEC_PER_SEC;
const FAR_SLOT_NS = NSEC_PER_SEC;

/** Where a queued event is: the heap (NEAR), or the far slot of this number. */
const NEAR = -1;

interface QueuedEvent extends TimerEvent {
  slot: number;
  /** Queued only for its time to come: on its own it does not keep the host busy (see hasWork). */
  deferrable: boolean;
}

/**
 * A timer_list embedded in the object it belongs to (as inet_timewait_sock holds its tw_timer):
 * the owner carries the queue's fields itself and is armed with Clock.rearmTimer, so the timer is
 * no object (and no closure) of its own. Not pending (timer_setup), its fields are at 0, seq 0,
 * cancelled true, index -1, slot -1, deferrable false; `run` is called with the owner as `this`.
 */
export interface TimerList extends TimerEvent {
  at: number;
  seq: number;
  slot: number;
  deferrable: boolean;
}

/**
 * Events that all come the same fixed delay after they were scheduled (frames on a wire, a device's
 * backlog): their (at, seq) order is their scheduling order, so a ring in that order holds them
 * without sifting, and each is a function and its two arguments, without an object or a closure.
 */
class Lane {
  at = new Float64Array(64);
  seq = new Float64Array(64);
  fn: (((a: never, b: never) => void) | undefined)[] = new Array(64).fill(undefined);
  a: unknown[] = new Array(64).fill(undefined);
  b: unknown[] = new Array(64).fill(undefined);
  head = 0;
  size = 0;
  constructor(readonly delay: number) {}

  push(at: number, seq: number, fn: (a: never, b: never) => void, a: unknown, b: unknown): void {
    if (this.size === this.at.length) this.grow();
    const i = (this.head + this.size) & (this.at.length - 1);
    this.at[i] = at;
    this.seq[i] = seq;
    this.fn[i] = fn;
    this.a[i] = a;
    this.b[i] = b;
    this.size++;
  }

  private grow(): void {
    const n = this.at.length;
    const at = new Float64Array(2 * n);
    const seq = new Float64Array(2 * n);
    const fn: (((a: never, b: never) => void) | undefined)[] = new Array(2 * n).fill(undefined);
    const a: unknown[] = new Array(2 * n).fill(undefined);
    const b: unknown[] = new Array(2 * n).fill(undefined);
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) & (n - 1);
      at[k] = this.at[i] as number;
      seq[k] = this.seq[i] as number;
      fn[k] = this.fn[i];
      a[k] = this.a[i];
      b[k] = this.b[i];
    }
    this.at = at;
    this.seq = seq;
    this.fn = fn;
    this.a = a;
    this.b = b;
    this.head = 0;
  }
}

export class Clock {
  private nowNs = 0;
  private seq = 0;
  /** The events due soon, and the far ones whose slot came, as a binary heap by (at, seq). */
  private readonly heap: QueuedEvent[] = [];
  /** Far events by slot; an event's `index` is its place in its slot's array. */
  private readonly slots = new Map<number, QueuedEvent[]>();
  /** The slot numbers, as a binary min-heap (a number stays after its slot emptied). */
  private readonly slotKeys: number[] = [];
  /**
   * No far event is due before this (the start of the first slot, or less once it emptied): a
   * heap top earlier than it is the next event without a look at the slots.
   */
  private farStart = Number.POSITIVE_INFINITY;
  /** The fixed-delay lanes (see Lane), one per delay, few in all. */
  private readonly lanes: Lane[] = [];
  /** How many events the lanes hold. */
  private laneEvents = 0;
  /** Events in the heap and the far slots that are neither cancelled nor run, and the deferrable ones among them. */
  private live = 0;
  private liveDeferrable = 0;

  get now(): number {
    return this.nowNs;
  }

  /**
   * Schedules `run` after `delayNs` (mod_timer / a packet in flight). A `deferrable` event runs
   * in its turn, but does not on its own count as something to wait for (hasWork): a timer that
   * rearms itself for ever (router solicitation) cannot keep a host whose tasks all wait on
   * nothing from being found deadlocked.
   */
  schedule(delayNs: number, run: () => void, deferrable = false): TimerEvent {
    const delay = Math.max(0, delayNs);
    const event: QueuedEvent = {
      at: this.nowNs + delay,
      seq: this.seq++,
      run,
      cancelled: false,
      index: -1,
      slot: NEAR,
      deferrable,
    };
    this.enqueue(event, delay);
    return event;
  }

  /** Counts the event live and queues it: in a far slot when it is that far ahead, else the heap. */
  private enqueue(event: QueuedEvent, delay: number): void {
    this.track(event);
    if (delay >= FAR_NS) this.farAdd(event);
    else push(this.heap, event);
  }

  /** Whether anything but deferrable events is queued: something a waiting task may wait for. */
  hasWork(): boolean {
    return this.laneEvents > 0 || this.live > this.liveDeferrable;
  }

  private track(event: QueuedEvent): void {
    this.live++;
    if (event.deferrable) this.liveDeferrable++;
  }

  private untrack(event: QueuedEvent): void {
    this.live--;
    if (event.deferrable) this.liveDeferrable--;
  }

  /**
   * Schedules `fn(a, b)` after `delayNs`, a delay many events share (a device's wire): the same as
   * schedule(delayNs, () => fn(a, b)) in when and in which order it runs, but it cannot be cancelled.
   */
  scheduleFixed<A, B>(delayNs: number, fn: (a: A, b: B) => void, a: A, b: B): void {
    const delay = Math.max(0, delayNs);
    let lane: Lane | undefined;
    for (const l of this.lanes) {
      if (l.delay === delay) {
        lane = l;
        break;
      }
    }
    if (lane === undefined) {
      lane = new Lane(delay);
      this.lanes.push(lane);
    }
    lane.push(this.nowNs + delay, this.seq++, fn as (a: never, b: never) => void, a, b);
    this.laneEvents++;
  }

  /** The lane whose first event comes before `top` (and every other lane's), if any. */
  private firstLane(top: QueuedEvent | undefined): Lane | undefined {
    if (this.laneEvents === 0) return undefined;
    let best: Lane | undefined;
    let at = top ? top.at : Number.POSITIVE_INFINITY;
    let seq = top ? top.seq : Number.POSITIVE_INFINITY;
    for (const l of this.lanes) {
      if (l.size === 0) continue;
      const lat = l.at[l.head] as number;
      const lseq = l.seq[l.head] as number;
      if (lat < at || (lat === at && lseq < seq)) {
        best = l;
        at = lat;
        seq = lseq;
      }
    }
    return best;
  }

  /** Takes the lane's first event out and runs it. */
  private runLane(lane: Lane): void {
    const i = lane.head;
    const at = lane.at[i] as number;
    const fn = lane.fn[i] as (a: unknown, b: unknown) => void;
    const a = lane.a[i];
    const b = lane.b[i];
    lane.fn[i] = undefined;
    lane.a[i] = undefined;
    lane.b[i] = undefined;
    lane.head = (i + 1) & (lane.at.length - 1);
    lane.size--;
    this.laneEvents--;
    if (at > this.nowNs) this.nowNs = at;
    fn(a, b);
  }

  /** mod_timer: a kernel timer, firing when the timer wheel gets to it (see timerWheelExpiry). */
  scheduleTimer(delayNs: number, run: () => void, deferrable = false): TimerEvent {
    return this.schedule(timerWheelExpiry(this.nowNs, delayNs) - this.nowNs, run, deferrable);
  }

  /** timer_pending: the event is queued (not yet run, not cancelled). */
  pending(timer: TimerEvent | undefined): boolean {
    return timer !== undefined && timer.index >= 0;
  }

  /**
   * mod_timer on a timer_list the caller keeps: the same event (and its function) is queued again
   * at its new time, pending or not, as scheduleTimer would queue a new one (it takes the next
   * sequence number: it runs after whatever was scheduled before at the same instant).
   */
  rearmTimer(timer: TimerEvent, delayNs: number): void {
    const event = timer as QueuedEvent & { at: number; seq: number };
    if (event.index >= 0) this.cancel(event);
    const delay = Math.max(0, timerWheelExpiry(this.nowNs, delayNs) - this.nowNs);
    event.at = this.nowNs + delay;
    event.seq = this.seq++;
    event.cancelled = false;
    event.slot = NEAR;
    this.enqueue(event, delay);
  }

  /**
   * Runs every event due at or before `deadline` (strictly before it with `exclusive`), then sets
   * the time to `deadline`.
   */
  runUntil(deadline: number, stop?: () => boolean, exclusive = false): void {
    for (;;) {
      if (stop?.()) return;
      const top = this.first();
      const lane = this.firstLane(top);
      if (lane !== undefined) {
        const at = lane.at[lane.head] as number;
        if (at > deadline || (exclusive && at === deadline)) break;
        this.runLane(lane);
        continue;
      }
      if (top === undefined) break;
      if (top.at > deadline || (exclusive && top.at === deadline)) break;
      if (top.cancelled) pop(this.heap);
      else this.runTop(top);
    }
    if (stop?.()) return;
    if (deadline > this.nowNs) this.nowNs = deadline;
  }

  /** When the next live event is due, or undefined when none is scheduled. */
  nextEventAt(): number | undefined {
    const top = this.firstLive();
    const lane = this.firstLane(top);
    return lane !== undefined ? lane.at[lane.head] : top?.at;
  }

  /** Runs the next live event, advancing time to it. */
  runNext(): void {
    const top = this.firstLive();
    const lane = this.firstLane(top);
    if (lane !== undefined) {
      this.runLane(lane);
      return;
    }
    if (top !== undefined) this.runTop(top);
  }

  /**
   * Runs the next live event if it is due exactly at `at` (another of the instant whose events
   * run together): runNext after nextEventAt() === at, with one look at the queue instead of two.
   */
  runNextAt(at: number): boolean {
    const top = this.firstLive();
    const lane = this.firstLane(top);
    if (lane !== undefined) {
      if (lane.at[lane.head] !== at) return false;
      this.runLane(lane);
      return true;
    }
    if (top === undefined || top.at !== at) return false;
    this.runTop(top);
    return true;
  }

  /** Takes the heap's top (live, `top`) out and runs it, time moving to it. */
  private runTop(top: QueuedEvent): void {
    pop(this.heap);
    this.untrack(top);
    if (top.at > this.nowNs) this.nowNs = top.at;
    top.run();
  }

  /**
   * del_timer: the event will not run, and leaves the queue now (setting `cancelled` alone leaves
   * it queued until its time, which a socket re-arming its timers per segment piles up).
   */
  cancel(timer: TimerEvent): void {
    const event = timer as QueuedEvent;
    if (!event.cancelled && event.index >= 0) this.untrack(event);
    event.cancelled = true;
    const i = event.index;
    if (i < 0) return;
    if (event.slot !== NEAR) {
      this.farDel(event);
      return;
    }
    const heap = this.heap;
    if (heap[i] !== event) return;
    event.index = -1;
    const last = heap.pop() as QueuedEvent;
    if (i === heap.length) return;
    // The last event fills the hole, then moves up or down to its place.
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(last, heap[parent] as QueuedEvent)) break;
      place(heap, heap[parent] as QueuedEvent, at);
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

  /** The heap's top once every far slot starting at or before it has joined, cancelled or not. */
  private first(): QueuedEvent | undefined {
    const keys = this.slotKeys;
    for (;;) {
      const near = this.heap[0];
      if (near !== undefined && near.at < this.farStart) return near;
      if (keys.length === 0) {
        this.farStart = Number.POSITIVE_INFINITY;
        return near;
      }
      const key = keys[0] as number;
      const events = this.slots.get(key);
      if (events === undefined) {
        popKey(keys);
        this.farStart = keys.length > 0 ? (keys[0] as number) * FAR_SLOT_NS : Number.POSITIVE_INFINITY;
        continue;
      }
      this.farStart = key * FAR_SLOT_NS;
      if (near !== undefined && near.at < this.farStart) return near;
      // The slot's time has come: its events join the heap.
      this.slots.delete(key);
      popKey(keys);
      this.farStart = keys.length > 0 ? (keys[0] as number) * FAR_SLOT_NS : Number.POSITIVE_INFINITY;
      for (const e of events) {
        e.slot = NEAR;
        push(this.heap, e);
      }
    }
  }

  /** The earliest event not cancelled, dropping the cancelled ones in front of it. */
  private firstLive(): QueuedEvent | undefined {
    for (;;) {
      const top = this.first();
      if (top === undefined || !top.cancelled) return top;
      pop(this.heap);
    }
  }

  private farAdd(event: QueuedEvent): void {
    const key = Math.floor(event.at / FAR_SLOT_NS);
    let events = this.slots.get(key);
    if (events === undefined) {
      events = [];
      this.slots.set(key, events);
      pushKey(this.slotKeys, key);
      if (key * FAR_SLOT_NS < this.farStart) this.farStart = key * FAR_SLOT_NS;
    }
    event.slot = key;
    event.index = events.length;
    events.push(event);
  }

  /** Takes a far event out of its slot: the slot's last event fills its place. */
  private farDel(event: QueuedEvent): void {
    const events = this.slots.get(event.slot);
    const i = event.index;
    event.index = -1;
    if (events === undefined || events[i] !== event) return;
    const last = events.pop() as QueuedEvent;
    if (last !== event) {
      events[i] = last;
      last.index = i;
    }
    if (events.length === 0) this.slots.delete(event.slot);
  }
}

function push(heap: QueuedEvent[], event: QueuedEvent): void {
  heap.push(event);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(event, heap[parent] as QueuedEvent)) break;
    place(heap, heap[parent] as QueuedEvent, i);
    i = parent;
  }
  place(heap, event, i);
}

function pop(heap: QueuedEvent[]): void {
  (heap[0] as QueuedEvent).index = -1;
  const last = heap.pop() as QueuedEvent;
  if (heap.length === 0) return;
  place(heap, last, siftDown(heap, last, 0));
}

function pushKey(keys: number[], key: number): void {
  keys.push(key);
  let i = keys.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((keys[parent] as number) <= key) break;
    keys[i] = keys[parent] as number;
    i = parent;
  }
  keys[i] = key;
}

function popKey(keys: number[]): void {
  const last = keys.pop() as number;
  if (keys.length === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= keys.length) break;
    const right = left + 1;
    const child = right < keys.length && (keys[right] as number) < (keys[left] as number) ? right : left;
    if ((keys[child] as number) >= last) break;
    keys[i] = keys[child] as number;
    i = child;
  }
  keys[i] = last;
}

function place(heap: QueuedEvent[], event: QueuedEvent, i: number): void {
  heap[i] = event;
  event.index = i;
}

/** Where `event`, put at the hole `i`, settles going down; the events above it move up. */
function siftDown(heap: QueuedEvent[], event: QueuedEvent, i: number): number {
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child =
      right < heap.length && before(heap[right] as QueuedEvent, heap[left] as QueuedEvent) ? right : left;
    if (!before(heap[child] as QueuedEvent, event)) break;
    place(heap, heap[child] as QueuedEvent, i);
    i = child;
  }
  return i;
}

function before(a: TimerEvent, b: TimerEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
