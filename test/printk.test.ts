// The kernel log as the printk ring buffer of Linux 6.18 with log_buf_len 131072: 4,096
// descriptors and 131,072 bytes of data blocks (8-byte id + the reserved text: the message with
// its KERN_<level> prefix, newline and NUL, aligned to 8).
import { describe, expect, it } from "vitest";
import { kmsgRecords, newKmsg, printk } from "../src/kernel/printk.js";

const block = (text: string) => (8 + Buffer.byteLength(text) + 4 + 7) & ~7;

describe("printk ring", () => {
  it("keeps the newest records whose blocks fit in 128 KiB", () => {
    const k = newKmsg();
    const texts: string[] = [];
    for (let i = 0; i < 10_000; i++)
      texts.push(`br${i % 7}: port ${i % 1000}(h${i}) entered forwarding state`);
    for (const [i, t] of texts.entries()) printk(k, i, 6, t);
    const kept = kmsgRecords(k, 0);
    const first = texts.length - kept.length;
    expect(kept.map((r) => r.text)).toEqual(texts.slice(first));
    const bytes = kept.reduce((n, r) => n + block(r.text), 0);
    expect(bytes).toBeLessThanOrEqual(131_072);
    // One more (and the at most 63 bytes a wrapping block skips) would not have fitted.
    expect(bytes + block(texts[first - 1] as string) + 63).toBeGreaterThan(131_072);
    expect(kept.length).toBeGreaterThan(2000);
  });

  it("holds at most 4,096 records however short", () => {
    const k = newKmsg();
    for (let i = 0; i < 10_000; i++) printk(k, i, 6, "a");
    const kept = kmsgRecords(k, 0);
    expect(kept.length).toBe(4096);
    expect(kept[0]?.ts).toBe(10_000 - 4096);
  });

  it("reads from a sequence number on, as SYSLOG_ACTION_CLEAR's clear_seq", () => {
    const k = newKmsg();
    printk(k, 1, 6, "old");
    k.clearSeq = k.nextSeq;
    expect(kmsgRecords(k, k.clearSeq)).toEqual([]);
    printk(k, 2, 4, "new");
    expect(kmsgRecords(k, k.clearSeq)).toEqual([{ ts: 2, level: 4, text: "new" }]);
    expect(kmsgRecords(k, 0).map((r) => r.text)).toEqual(["old", "new"]);
  });
});
