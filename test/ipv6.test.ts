import { describe, expect, test } from "vitest";
import {
  addrconfAddrSolictMult,
  emitHopByHopRouterAlert,
  emitIpv6,
  ICMPV6_MLD2_REPORT,
  Ipv6View,
  icmpv6Checksum,
  ipv6EthMcMap,
  MLD2_CHANGE_TO_EXCLUDE,
  NEXTHDR_HOP,
} from "../src/wire/ipv6.js";

function hex(s: string): Uint8Array {
  const t = s.replace(/\s+/g, "");
  return Uint8Array.from({ length: t.length / 2 }, (_, i) => Number.parseInt(t.slice(2 * i, 2 * i + 2), 16));
}

// Captured with tcpdump -XX on Linux 6.18: the first MLDv2 report of fe80::ff:fe00:1 while it is
// tentative (from ::), and its DAD neighbour solicitation with the nonce option.
const MLD_FRAME = hex(`
  3333 0000 0016 0200 0000 0001 86dd 6000 0000 0024 0001 0000 0000 0000 0000 0000
  0000 0000 0000 ff02 0000 0000 0000 0000 0000 0000 0016 3a00 0502 0000 0100 8f00
  6f89 0000 0001 0400 0000 ff02 0000 0000 0000 0000 0001 ff00 0001`);
const NS_FRAME = hex(`
  3333 ff00 0001 0200 0000 0001 86dd 6000 0000 0020 3aff 0000 0000 0000 0000 0000
  0000 0000 0000 ff02 0000 0000 0000 0000 0001 ff00 0001 8700 9760 0000 0000 fe80
  0000 0000 0000 0000 00ff fe00 0001 0e01 916d 2e4a 1804`);

describe("ipv6", () => {
  test("an MLDv2 report built field by field is the kernel's, checksum included", () => {
    const ll = hex("fe80 0000 0000 0000 0000 00ff fe00 0001");
    const group = addrconfAddrSolictMult(ll);
    const daddr = hex("ff02 0000 0000 0000 0000 0000 0000 0016");
    const out = new Uint8Array(MLD_FRAME.length);
    out.set(MLD_FRAME.subarray(0, 14));
    emitIpv6(out, 14, {
      payloadLength: 36,
      nextHeader: NEXTHDR_HOP,
      hopLimit: 1,
      saddr: new Uint8Array(16),
      daddr,
    });
    emitHopByHopRouterAlert(out, 54);
    out[62] = ICMPV6_MLD2_REPORT;
    out[69] = 1;
    out[70] = MLD2_CHANGE_TO_EXCLUDE;
    out.set(group, 74);
    icmpv6Checksum(out, new Uint8Array(16), daddr, 62, out.length);
    expect(out).toEqual(MLD_FRAME);
    expect(ipv6EthMcMap(daddr)).toEqual(MLD_FRAME.subarray(0, 6));
  });

  test("the checksum of a neighbour solicitation covers the pseudo-header and the nonce", () => {
    const view = Ipv6View.over(NS_FRAME, 14);
    expect(view?.version).toBe(6);
    expect(view?.payloadLength).toBe(32);
    expect(view?.hopLimit).toBe(255);
    const copy = NS_FRAME.slice();
    icmpv6Checksum(copy, NS_FRAME.subarray(22, 38), NS_FRAME.subarray(38, 54), 54, copy.length);
    expect(copy).toEqual(NS_FRAME);
    expect(addrconfAddrSolictMult(NS_FRAME.subarray(62, 78))).toEqual(NS_FRAME.subarray(38, 54));
  });
});
