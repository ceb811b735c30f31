import { describe, expect, test } from "vitest";
import { csumFold, csumPartial, internetChecksum } from "../src/wire/checksum.js";
import { emitUdp, udpChecksumOk } from "../src/wire/udp.js";

/** RFC 1071 by the book: 16-bit big-endian words, an odd byte padded with zero. */
function referenceSum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2)
    sum += ((bytes[i] as number) << 8) | (i + 1 < end ? (bytes[i + 1] as number) : 0);
  return sum;
}

describe("checksum", () => {
  test("RFC 1071's worked example", () => {
    const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(csumFold(csumPartial(bytes, 0, bytes.length))).toBe(0x220d);
  });

  test("an IPv4 header carrying its checksum verifies to 0", () => {
    const header = Uint8Array.of(
      0x45,
      0x00,
      0x00,
      0x73,
      0x00,
      0x00,
      0x40,
      0x00,
      0x40,
      0x11,
      0xb8,
      0x61,
      0xc0,
      0xa8,
      0x00,
      0x01,
      0xc0,
      0xa8,
      0x00,
      0xc7,
    );
    expect(internetChecksum(header, 0, 20)).toBe(0);
    header[8] = 0x3f;
    expect(internetChecksum(header, 0, 20)).not.toBe(0);
  });

  test("short runs, 32-bit runs, odd offsets and odd lengths all fold to the reference", () => {
    // One buffer, as the packet slab hands them out; the views start at every alignment.
    const buffer = new ArrayBuffer(4096);
    const all = new Uint8Array(buffer);
    let x = 0x12345678;
    for (let i = 0; i < all.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      all[i] = i % 7 === 0 ? 0xff : x >>> 24;
    }
    for (const viewOffset of [0, 1, 2, 3, 5, 8]) {
      const bytes = new Uint8Array(buffer, viewOffset, 3000);
      for (const start of [0, 1, 2, 3, 6]) {
        for (const len of [0, 1, 2, 3, 19, 20, 64, 72, 127, 128, 129, 130, 1480, 2999 - start]) {
          const want = csumFold(referenceSum(bytes, start, start + len) + 0x1234);
          expect(
            csumFold(csumPartial(bytes, start, start + len, 0x1234)),
            `${viewOffset}/${start}/${len}`,
          ).toBe(want);
        }
      }
    }
  });
});

describe("udp checksum", () => {
  // 10.0.0.1:1234 -> 10.0.0.2:9000, payload "hi": the pseudo-header sum makes 0x5b74.
  const saddr = 0x0a000001;
  const daddr = 0x0a000002;
  const datagram = Uint8Array.of(0x04, 0xd2, 0x23, 0x28, 0x00, 0x0a, 0x5b, 0x74, 0x68, 0x69);

  test("emitUdp writes the header and the pseudo-header checksum", () => {
    const out = new Uint8Array(12);
    emitUdp(out, 2, { source: 1234, dest: 9000, payload: Uint8Array.of(0x68, 0x69) }, saddr, daddr);
    expect([...out.subarray(2)]).toEqual([...datagram]);
  });

  test("a good checksum verifies, a flipped bit does not, a zero checksum is not checked", () => {
    expect(udpChecksumOk(datagram, 0, datagram.length, saddr, daddr)).toBe(true);
    expect(udpChecksumOk(datagram, 0, datagram.length, saddr, daddr + 1)).toBe(false);
    const flipped = datagram.slice();
    flipped[9] = 0x68;
    expect(udpChecksumOk(flipped, 0, flipped.length, saddr, daddr)).toBe(false);
    flipped[6] = 0;
    flipped[7] = 0;
    expect(udpChecksumOk(flipped, 0, flipped.length, saddr, daddr)).toBe(true);
  });
});
