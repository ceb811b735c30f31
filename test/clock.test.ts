// The event queue: near events in a heap, far ones (10 s and more) in one-second slots; either
// way events run in (time, order scheduled) order and a cancelled one never runs.
import { describe, expect, it } from "vitest";
import { Clock, NSEC_PER_SEC } from "../src/kernel/clock.js";

describe("Clock", () => {
  it("runs near and far events by time, then by the order they were scheduled", () => {
    const clock = new Clock();
    const ran: string[] = [];
    const at = (name: string, delay: number) => clock.schedule(delay, () => ran.push(`${name}@${clock.now}`));
    at("far60", 60 * NSEC_PER_SEC);
    at("near1", NSEC_PER_SEC);
    at("far12", 12 * NSEC_PER_SEC);
    at("far12b", 12 * NSEC_PER_SEC);
    // Scheduled later from a later time, due at the very same instant as far12: runs after it.
    clock.runUntil(2 * NSEC_PER_SEC);
    at("near12", 10 * NSEC_PER_SEC - 1);
    at("same12", 10 * NSEC_PER_SEC);
    clock.runUntil(3 * NSEC_PER_SEC);
    // A near event due when a far slot starts: the slot's events come first (scheduled earlier).
    at("near12same", 9 * NSEC_PER_SEC);
    clock.runUntil(100 * NSEC_PER_SEC);
    expect(ran).toEqual([
      `near1@${NSEC_PER_SEC}`,
      `near12@${12 * NSEC_PER_SEC - 1}`,
      `far12@${12 * NSEC_PER_SEC}`,
      `far12b@${12 * NSEC_PER_SEC}`,
      `same12@${12 * NSEC_PER_SEC}`,
      `near12same@${12 * NSEC_PER_SEC}`,
      `far60@${60 * NSEC_PER_SEC}`,
    ]);
  });

  it("forgets cancelled far and near events, and knows when the next live one is due", () => {
    const clock = new Clock();
    const ran: number[] = [];
    const events = [30, 20, 40, 5, 50].map((s) => clock.schedule(s * NSEC_PER_SEC, () => ran.push(s)));
    clock.cancel(events[0] as (typeof events)[0]);
    clock.cancel(events[3] as (typeof events)[0]);
    expect(clock.nextEventAt()).toBe(20 * NSEC_PER_SEC);
    clock.runNext();
    clock.cancel(events[2] as (typeof events)[0]);
    expect(clock.nextEventAt()).toBe(50 * NSEC_PER_SEC);
    clock.runUntil(1000 * NSEC_PER_SEC);
    expect(ran).toEqual([20, 50]);
    expect(clock.nextEventAt()).toBe(undefined);
  });
});
