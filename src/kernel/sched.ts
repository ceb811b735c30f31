// Tasks that block, in virtual time. Every flow of control that can block (the script, each
// background job) is a "flow"; a blocking system call (nanosleep, poll, accept, connect, wait)
// parks its flow as a waiter. Virtual time moves only when every flow is parked: the last one to
// park drives the host's clock, one event at a time, until some waiter's condition holds or its
// deadline passes, and wakes exactly those waiters. Nothing here reads the wall clock, so a run
// with background jobs is as deterministic as one without.
import type { Clock } from "./clock.js";

/** Thrown into a waiter whose task was killed (SIGTERM/SIGKILL from kill(1)). */
export class TaskKilled extends Error {
  constructor(readonly signal: number) {
    super(`killed by signal ${signal}`);
  }
}

/** Thrown into every waiter when all flows are parked and nothing is scheduled: Linux would hang. */
export class Deadlock extends Error {
  constructor() {
    super("every task is waiting and nothing is scheduled to wake one (on Linux this would hang)");
  }
}

export interface WaitOptions {
  /** Absolute virtual time (ns) at which the wait gives up; none waits until `ready`. */
  readonly deadline?: number;
  /**
   * Events due exactly at the deadline run after the waiter wakes (poll() after the waiter read
   * the clock); without it they run first (nanosleep).
   */
  readonly exclusive?: boolean;
  /** The flow the waiter belongs to, so kill() can reach it. */
  readonly flow?: Flow;
  /** Park even when `ready()` holds already: let every other flow run first (sched_yield). */
  readonly yield?: boolean;
  /**
   * The wait queues `ready()` depends on, and nothing else: the waiter's condition is looked at
   * again only after one of them was woken (as a task sleeping on sk_sleep is woken by
   * sk_data_ready / sk_state_change / sk_write_space), not after every event.
   */
  readonly wakeOn?: WaitQueue | readonly WaitQueue[];
}

/**
 * wait_queue_head_t: the kernel object bumps `gen` whenever something a waiter on it may wait for
 * changed (wake_up); a waiter compares it with what it saw when it last looked.
 */
export interface WaitQueue {
  gen: number;
}

/** What a set of wait queues has seen: gens only grow, so the sum changes whenever one does. */
function queuesGen(queues: WaitQueue | readonly WaitQueue[]): number {
  if (!Array.isArray(queues)) return (queues as WaitQueue).gen;
  let sum = 0;
  for (const q of queues as readonly WaitQueue[]) sum += q.gen;
  return sum;
}

/** One flow of control: the script or a background job. */
export interface Flow {
  readonly id: number;
  /** The script itself (or a library task), not a job it put in the background. */
  readonly main: boolean;
  /** Set by kill(): the flow's next or current wait throws TaskKilled. */
  killed: number;
  waiter: Waiter | undefined;
}

interface Waiter {
  /** The condition, called with `arg` (a socket, say), so a syscall needs no closure per wait. */
  readonly ready: (arg: never) => boolean;
  readonly arg: unknown;
  /** One wait queue (a socket's), or several (poll on many). */
  readonly wakeOn: WaitQueue | readonly WaitQueue[] | undefined;
  /** queuesGen(wakeOn) when `ready()` was last false. */
  seen: number;
  /** A yield: woken only when no other waiter can go on. */
  readonly yielding: boolean;
  readonly deadline: number;
  readonly exclusive: boolean;
  readonly flow: Flow | undefined;
  /** The promise's, set by Sched.park as the promise is made. */
  resolve: (ready: boolean) => void;
  reject: (e: Error) => void;
}

function unparked(): void {}

/**
 * How far ahead a deferrable timer still runs for a main flow waiting with no timeout: router
 * solicitations 4, 8, 16 and 32 s apart do, the one after them (about 64 s) does not.
 */
const DEFERRED_HORIZON_NS = 60_000_000_000;

/** How many events of one instant run between two looks at the waiters (net.core.dev_weight). */
const DEV_WEIGHT = 64;

/** Whom wake() wakes: waiters whose condition holds, yielding ones, or those at a deadline. */
const WAKE_READY = 0;
const WAKE_YIELDING = 1;
const WAKE_DEADLINE = 2;

export class Sched {
  private flows = 0;
  private nextFlowId = 1;
  /** The main flows still running (see Flow.main). */
  private mainFlows = 0;
  private readonly waiters: Waiter[] = [];
  private driving = false;
  /** How many parked waiters are yields (most often none: drive skips looking for them). */
  private yielders = 0;
  /** wake()'s picks, kept between calls (emptied after each). */
  private readonly picked: (Waiter | undefined)[] = [];
  /** The waiter whose promise is being made (see park). */
  private parking: Waiter | undefined;

  constructor(private readonly clock: Clock) {}

  /** A new flow starts running: the script (`main`), or a job put in the background. */
  startFlow(main = false): Flow {
    this.flows++;
    if (main) this.mainFlows++;
    return { id: this.nextFlowId++, main, killed: 0, waiter: undefined };
  }

  /** A flow finished: the others may now be the only ones left, all parked. */
  endFlow(flow: Flow): void {
    this.flows--;
    if (flow.main) this.mainFlows--;
    this.kick();
  }

  /**
   * Parks the calling flow until `ready()` holds (resolves true) or the deadline passes (false).
   * Returns at once when `ready()` already holds.
   */
  wait(ready: () => boolean, options: WaitOptions = {}): Promise<boolean> {
    return this.waitFor(
      ready,
      undefined,
      options.deadline ?? Number.POSITIVE_INFINITY,
      options.exclusive ?? false,
      options.flow,
      options.wakeOn,
      options.yield ?? false,
    );
  }

  /**
   * wait() with its options as arguments and the condition as `ready(arg)` (a syscall's per-call
   * path: no options object, no closure).
   */
  waitFor<A>(
    ready: (arg: A) => boolean,
    arg: A,
    deadline: number,
    exclusive: boolean,
    flow: Flow | undefined,
    wakeOn: WaitQueue | readonly WaitQueue[] | undefined,
    yielding = false,
  ): Promise<boolean> {
    if (flow?.killed) return Promise.reject(new TaskKilled(flow.killed));
    if (!yielding && ready(arg)) return Promise.resolve(true);
    if (deadline <= this.clock.now && exclusive) return Promise.resolve(false);
    this.parking = {
      ready: ready as (arg: never) => boolean,
      arg,
      wakeOn,
      seen: wakeOn ? queuesGen(wakeOn) : 0,
      yielding,
      deadline,
      exclusive,
      flow,
      resolve: unparked,
      reject: unparked,
    };
    return new Promise<boolean>(this.park);
  }

  /**
   * The executor of every wait's promise, made once: the waiter it parks is `parking`, so a wait
   * makes no closure of its own.
   */
  private readonly park = (resolve: (ready: boolean) => void, reject: (e: Error) => void): void => {
    const waiter = this.parking as Waiter;
    this.parking = undefined;
    waiter.resolve = resolve;
    waiter.reject = reject;
    this.waiters.push(waiter);
    if (waiter.yielding) this.yielders++;
    if (waiter.flow) waiter.flow.waiter = waiter;
    this.kick();
  };

  /**
   * A scheduling point (a program starting): when another flow could go on (its data arrived,
   * its timer fired), let it run until it blocks again, as another CPU would have run it already.
   */
  async preempt(flow: Flow | undefined): Promise<void> {
    if (!this.waiters.some((w) => !w.yielding && w.ready(w.arg as never))) return;
    await this.wait(() => true, { flow, yield: true });
  }

  /**
   * A program starting (fork + execve, about a millisecond on Linux): every other flow that can
   * go on runs until it blocks, jobs just started with & (parked until the parent yields) too,
   * as the machine's other CPU would have run them meanwhile.
   */
  async execve(flow: Flow | undefined): Promise<void> {
    if (this.waiters.some((w) => w.yielding || w.ready(w.arg as never)))
      await this.wait(() => true, { flow, yield: true });
  }

  /**
   * A program ending: the packets it left in flight are delivered first. On Linux a datagram
   * sent through lo or a veth is handled by the softirq before the sending syscall returns, so
   * the ICMP error it draws exists before the next command runs; here deliveries are events a
   * few microseconds ahead. Events due within `horizonNs` of each other run (the clock moving
   * with them), up to `maxNs` in all; timers further off (a delayed ACK, a retransmit) stay.
   */
  async drainInFlight(flow: Flow | undefined, horizonNs: number, maxNs: number): Promise<void> {
    const end = this.clock.now + maxNs;
    for (;;) {
      const next = this.clock.nextEventAt();
      if (next === undefined || next > this.clock.now + horizonNs || next > end) return;
      await this.wait(() => false, { flow, deadline: next });
    }
  }

  /** Something a waiter may be waiting for changed outside the clock (a job ended, a signal). */
  notify(): void {
    this.kick();
  }

  /** kill(): the flow's pending wait, or its next one, throws TaskKilled. */
  kill(flow: Flow, signal: number): void {
    if (!flow.killed) flow.killed = signal;
    const w = flow.waiter;
    if (!w) return;
    this.remove(w);
    w.reject(new TaskKilled(signal));
  }

  /** Whether any flow is parked (a caller that may not block should then not run the clock). */
  get parked(): number {
    return this.waiters.length;
  }

  private remove(w: Waiter): void {
    const waiters = this.waiters;
    const i = waiters.indexOf(w);
    if (i >= 0) {
      // Those parked after it move up by one, without splice's array of the removed.
      const last = waiters.length - 1;
      for (let k = i; k < last; k++) waiters[k] = waiters[k + 1] as Waiter;
      waiters.pop();
      if (w.yielding) this.yielders--;
    }
    if (w.flow?.waiter === w) w.flow.waiter = undefined;
  }

  private kick(): void {
    if (this.driving || this.waiters.length === 0 || this.waiters.length < this.flows) return;
    this.driving = true;
    try {
      this.drive();
    } finally {
      this.driving = false;
    }
  }

  /** Every flow is parked: run the clock until someone can go on. */
  private drive(): void {
    const clock = this.clock;
    const waiters = this.waiters;
    // An event may wake a flow itself (kill() from a timer): then time stops for it to run.
    // Runs once per event: the checks are plain loops (no closure or array per event).
    while (waiters.length > 0 && waiters.length >= this.flows) {
      if (this.wake(WAKE_READY, 0)) return;
      if (this.yielders > 0 && this.wake(WAKE_YIELDING, 0)) return;
      let first = Number.POSITIVE_INFINITY;
      for (const w of waiters) if (w.deadline < first) first = w.deadline;
      const next = clock.nextEventAt();
      // Nothing will come that a task could be waiting for, and no task waits with a timeout:
      // nothing is left, or only deferrable timers (router solicitations). Those still run while
      // the script waits in the foreground (a capture there sees them), as long as the next is
      // within DEFERRED_HORIZON_NS; for jobs left behind by a script that ended, they do not.
      if (
        first === Number.POSITIVE_INFINITY &&
        (next === undefined ||
          (!clock.hasWork() && (this.mainFlows === 0 || next - clock.now > DEFERRED_HORIZON_NS)))
      ) {
        this.yielders = 0;
        for (const w of waiters.splice(0)) {
          if (w.flow) w.flow.waiter = undefined;
          w.reject(new Deadlock());
        }
        return;
      }
      if (first !== Number.POSITIVE_INFINITY && (next === undefined || first <= next)) {
        // A waiter at the first deadline times out when no event comes before it (one exactly
        // at it comes first unless the waiter is exclusive).
        let timedOut = next === undefined || first < next;
        if (!timedOut) for (const w of waiters) if (w.deadline === first && w.exclusive) timedOut = true;
        if (timedOut) {
          clock.advanceTo(first);
          this.wake(WAKE_DEADLINE, first);
          return;
        }
      }
      // The events of this instant run before anyone wakes, as the softirq drains its backlog
      // before the woken task is scheduled, up to a budget of 64 (net.core.dev_weight), so that
      // a storm at one instant still lets the waiters look between rounds.
      clock.runNext();
      for (let n = 1; n < DEV_WEIGHT && next !== undefined && clock.runNextAt(next); n++);
    }
  }

  /** Whether the waiter's condition may have changed since it was last false. */
  private woken(w: Waiter): boolean {
    const queues = w.wakeOn;
    if (!queues) return true;
    const gen = queuesGen(queues);
    if (gen === w.seen) return false;
    w.seen = gen;
    return true;
  }

  /** Wakes the waiters `which` picks, in the order they parked; true when any woke. */
  private wake(which: number, deadline: number): boolean {
    // All picks are made before any waiter leaves; they are kept in `picked`, reused, so a wake
    // (several per connection) makes no array.
    const picked = this.picked;
    let n = 0;
    for (const w of this.waiters) {
      const pick =
        which === WAKE_READY
          ? !w.yielding && this.woken(w) && w.ready(w.arg as never)
          : which === WAKE_YIELDING
            ? w.yielding
            : w.deadline === deadline;
      if (pick) picked[n++] = w;
    }
    if (n === 0) return false;
    for (let i = 0; i < n; i++) {
      const w = picked[i] as Waiter;
      picked[i] = undefined;
      this.remove(w);
      w.resolve(which === WAKE_DEADLINE ? w.ready(w.arg as never) : true);
    }
    return true;
  }
}
