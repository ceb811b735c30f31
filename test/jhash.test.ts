// jhash (include/linux/jhash.h): jhash_3words and jhash_2words hash their words as jhash2 hashes the
// same words in an array (both end in __jhash_nwords / __jhash_final with the key added to each).
import { describe, expect, it } from "vitest";
import { jhash2, jhash2words, jhash3words } from "../src/kernel/lib/jhash.js";

describe("jhash", () => {
  const words = [0, 1, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff, 0x0a000001, 0x0a000002];
  it("jhash_3words(a, b, c, k) is jhash2([a, b, c], k)", () => {
    for (const a of words)
      for (const b of words)
        for (const c of [0, 5002, 0xffffffff])
          for (const k of [0, 1, 0x9e3779b9, 0xffffffff])
            expect(jhash3words(a, b, c, k)).toBe(jhash2([a, b, c], k));
  });
  it("jhash_2words(a, b, k) is jhash2([a, b], k)", () => {
    for (const a of words)
      for (const b of words)
        for (const k of [0, 1, 0x5bd1e995, 0xffffffff]) expect(jhash2words(a, b, k)).toBe(jhash2([a, b], k));
  });
  it("the key reaches every word: a different key changes the hash of three zeros", () => {
    expect(jhash3words(0, 0, 0, 1)).not.toBe(jhash3words(0, 0, 0, 2));
    expect(jhash2words(0, 0, 1)).not.toBe(jhash2words(0, 0, 2));
  });
});
