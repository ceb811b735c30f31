// The virtual-time scheduler's wait queues: a waiter that names the queues its condition depends
// on is looked at again only after one of them was woken, and then at the very event that woke
// it, so virtual time and wake order stay what polling after every event gave.
import { describe, expect, it } from "vitest";
import { Clock } from "../src/kernel/clock.js";
import { Deadlock, Sched, type WaitQueue } from "../src/kernel/sched.js";

describe("sched wait queues", () => {
  it("wakes a queue waiter at the event that wakes its queue, not before", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const flow = sched.startFlow();
    const wq: WaitQueue = { gen: 0 };
    let data = 0;
    // At 1 ms the condition holds but nobody wakes the queue (a change it does not announce);
    // at 2 ms the queue is woken.
    clock.schedule(1_000_000, () => {
      data = 1;
    });
    clock.schedule(2_000_000, () => {
      data = 2;
      wq.gen++;
    });
    const ok = await sched.wait(() => data > 0, { flow, wakeOn: [wq] });
    expect(ok).toBe(true);
    expect(data).toBe(2);
    expect(clock.now).toBe(2_000_000);
    sched.endFlow(flow);
  });

  it("keeps the polling waiter's timing beside it", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const a = sched.startFlow();
    const b = sched.startFlow();
    const wq: WaitQueue = { gen: 0 };
    let x = 0;
    const woke: string[] = [];
    for (const [at, v] of [
      [1_000, 1],
      [2_000, 2],
      [3_000, 3],
    ] as const)
      clock.schedule(at, () => {
        x = v;
        if (v === 3) wq.gen++;
      });
    await Promise.all([
      sched
        .wait(() => x >= 1, { flow: a })
        .then(() => {
          woke.push(`poll ${clock.now}`);
          sched.endFlow(a);
        }),
      sched
        .wait(() => x >= 2, { flow: b, wakeOn: [wq] })
        .then(() => {
          woke.push(`queue ${clock.now}`);
          sched.endFlow(b);
        }),
    ]);
    expect(woke).toEqual(["poll 1000", "queue 3000"]);
  });

  it("times out at its deadline when the queue stays quiet", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const flow = sched.startFlow();
    const ok = await sched.wait(() => false, {
      flow,
      deadline: 5_000,
      exclusive: true,
      wakeOn: [{ gen: 0 }],
    });
    expect(ok).toBe(false);
    expect(clock.now).toBe(5_000);
    sched.endFlow(flow);
  });
});

describe("Clock.cancel", () => {
  it("takes an event out of the queue and leaves the others' order", () => {
    const clock = new Clock();
    const ran: number[] = [];
    const events = [5, 3, 8, 3, 1, 9, 3, 7].map((at, i) => clock.schedule(at, () => ran.push(i)));
    clock.cancel(events[1] as (typeof events)[number]);
    clock.cancel(events[5] as (typeof events)[number]);
    clock.cancel(events[5] as (typeof events)[number]);
    clock.runUntil(100);
    // By time, then by the order they were scheduled.
    expect(ran).toEqual([4, 3, 6, 0, 7, 2]);
  });
});

describe("deferrable events", () => {
  // A timer that rearms itself for ever (router solicitation) runs while the script waits in the
  // foreground, up to a minute ahead; a job left waiting by itself is found deadlocked at once.
  const rearming = (clock: Clock, fired: number[]) => {
    const tick = (gap: number) => {
      fired.push(clock.now);
      clock.schedule(gap, () => tick(gap * 2), true);
    };
    clock.schedule(1_000_000_000, () => tick(4_000_000_000), true);
  };

  it("run for a main flow waiting on nothing, until the next is more than 60 s away", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const fired: number[] = [];
    rearming(clock, fired);
    const flow = sched.startFlow(true);
    await expect(sched.wait(() => false, { flow })).rejects.toThrow(Deadlock);
    expect(fired.map((t) => t / 1e9)).toEqual([1, 5, 13, 29, 61]);
    sched.endFlow(flow);
  });

  it("do not keep a background job alone from its deadlock", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const fired: number[] = [];
    rearming(clock, fired);
    const job = sched.startFlow();
    await expect(sched.wait(() => false, { flow: job })).rejects.toThrow(Deadlock);
    expect(fired).toEqual([]);
    expect(clock.hasWork()).toBe(false);
    sched.endFlow(job);
  });

  it("run in their turn when a waiter has a deadline, and wake the script when they satisfy it", async () => {
    const clock = new Clock();
    const sched = new Sched(clock);
    const fired: number[] = [];
    rearming(clock, fired);
    const job = sched.startFlow();
    expect(await sched.wait(() => false, { flow: job, deadline: 10e9 })).toBe(false);
    expect(fired.map((t) => t / 1e9)).toEqual([1, 5]);
    sched.endFlow(job);
    const script = sched.startFlow(true);
    expect(await sched.wait(() => fired.length >= 3, { flow: script })).toBe(true);
    expect(clock.now).toBe(13e9);
    sched.endFlow(script);
  });
});

describe("Clock lanes and rearmed timers", () => {
  it("run fixed-delay events in the order schedule() would have", () => {
    const clock = new Clock();
    const order: string[] = [];
    clock.schedule(15, () => order.push("t1"));
    clock.scheduleFixed(15, (a: string, b: number) => order.push(`${a}${b}`), "f", 1);
    clock.schedule(15, () => order.push("t2"));
    clock.scheduleFixed(15, (a: string, b: number) => order.push(`${a}${b}`), "f", 2);
    clock.scheduleFixed(5, (a: string, b: number) => order.push(`${a}${b}`), "g", 1);
    // A lane grows past its first 64 entries without reordering.
    for (let i = 0; i < 100; i++)
      clock.scheduleFixed(20, (a: string, b: number) => order.push(`${a}${b}`), "h", i);
    clock.runUntil(100);
    expect(order.slice(0, 5)).toEqual(["g1", "t1", "f1", "t2", "f2"]);
    expect(order.slice(5)).toEqual(Array.from({ length: 100 }, (_, i) => `h${i}`));
    expect(clock.hasWork()).toBe(false);
  });

  it("rearm a timer in place: pending or not, it fires once, after what was scheduled before it", () => {
    const clock = new Clock();
    const order: string[] = [];
    const t = clock.scheduleTimer(8_000_000, () => order.push("t"));
    expect(clock.pending(t)).toBe(true);
    clock.scheduleTimer(4_000_000, () => order.push("u"));
    clock.rearmTimer(t, 4_000_000);
    clock.runUntil(100_000_000);
    expect(order).toEqual(["u", "t"]);
    expect(clock.pending(t)).toBe(false);
    clock.rearmTimer(t, 4_000_000);
    expect(clock.pending(t)).toBe(true);
    clock.cancel(t);
    expect(clock.pending(t)).toBe(false);
    expect(clock.hasWork()).toBe(false);
  });
});
