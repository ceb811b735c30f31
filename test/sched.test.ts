// The virtual-time scheduler's wait queues: a waiter that names the queues its condition depends
// on is looked at again only after one of them was woken, and then at the very event that woke
// it, so virtual time and wake order stay what polling after every event gave.
import { describe, expect, it } from "vitest";
import { Clock } from "../src/kernel/clock.js";
import { Sched, type WaitQueue } from "../src/kernel/sched.js";

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
