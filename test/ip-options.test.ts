// IPv4 header options (net/ipv4/ip_options.c): a socket's options compiled by IP_OPTIONS, and
// received options checked by ip_rcv_options, with the answers Linux 6.18 gave to the same bytes
// (sent with a raw IPPROTO_RAW socket between two namespaces): a malformed option is dropped with
// InHdrErrors and answered by a parameter problem pointing at it; a full timestamp counts the hop.
import { describe, expect, it } from "vitest";
import { devGetByName } from "../src/kernel/core/dev.js";
import { netifRx } from "../src/kernel/core/netif.js";
import { Host } from "../src/kernel/host.js";
import { ipOptionsGet } from "../src/kernel/ipv4/ip_options.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { internetChecksum } from "../src/wire/checksum.js";

describe("ip_options_get (setsockopt IP_OPTIONS)", () => {
  it("reserves the first record-route slot for the sender and pads to four bytes", () => {
    const host = new Host({ seed: 1 });
    const opt = ipOptionsGet(host.initNet, Uint8Array.of(1, 7, 7, 4, 0, 0, 0, 0, 0));
    expect(opt?.optlen).toBe(12);
    expect(opt?.rr).toBe(21);
    expect(opt?.rrNeedaddr).toBe(true);
    expect([...(opt?.data ?? [])]).toEqual([1, 7, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it("refuses a record route whose pointer is below 4, and a second one", () => {
    const host = new Host({ seed: 1 });
    expect(ipOptionsGet(host.initNet, Uint8Array.of(7, 7, 3, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(ipOptionsGet(host.initNet, Uint8Array.of(7, 3, 4, 7, 3, 4, 0, 0))).toBeUndefined();
  });
  it("a timestamp records only the time, and a prespecified one only for a local address", () => {
    const host = new Host({ seed: 1 });
    const ts = ipOptionsGet(host.initNet, Uint8Array.of(68, 8, 5, 0, 0, 0, 0, 0));
    expect(ts?.tsNeedtime).toBe(true);
    expect(ts?.data[2]).toBe(9);
    // 10.9.9.9 is no address of this host: inet_addr_type says RTN_UNICAST, the slot is skipped.
    const pre = ipOptionsGet(host.initNet, Uint8Array.of(68, 12, 5, 3, 10, 9, 9, 9, 0, 0, 0, 0));
    expect(pre?.tsNeedtime).toBe(false);
    expect(pre?.data[2]).toBe(5);
  });
});

/** An ICMP echo request from 10.0.0.1 to 10.0.0.2 with `opt` after the header, as an Ethernet frame. */
function echoFrame(dst: Uint8Array, src: Uint8Array, opt: readonly number[]): Uint8Array {
  const icmp = Uint8Array.of(8, 0, 0, 0, 0x12, 0x34, 0, 1, 97, 98, 99, 100, 101, 102, 103, 104);
  const ck = internetChecksum(icmp, 0, icmp.length);
  icmp[2] = ck >> 8;
  icmp[3] = ck & 255;
  const hl = 20 + opt.length;
  const ip = new Uint8Array(hl + icmp.length);
  ip.set([0x40 | (hl >> 2), 0, 0, ip.length, 0x42, 0x42, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  ip.set(opt, 20);
  const sum = internetChecksum(ip, 0, hl);
  ip[10] = sum >> 8;
  ip[11] = sum & 255;
  ip.set(icmp, hl);
  const frame = new Uint8Array(14 + ip.length);
  frame.set(dst, 0);
  frame.set(src, 6);
  frame[12] = 8;
  frame.set(ip, 14);
  return frame;
}

async function sendBad(opt: readonly number[]) {
  const host = new Host({ seed: 7 });
  const r = await runScript(
    [
      "ip netns add a",
      "ip netns add b",
      "ip link add va netns a type veth peer name vb netns b",
      "ip -n a addr add 10.0.0.1/24 dev va",
      "ip -n b addr add 10.0.0.2/24 dev vb",
      "ip -n a link set va up",
      "ip -n b link set vb up",
    ].join("\n"),
    { host },
  );
  expect(r.exitCode).toBe(0);
  const init = host.initTask();
  const a = sys.setns(init, sys.netnsOpen(init, "a"));
  const b = sys.setns(init, sys.netnsOpen(init, "b"));
  const va = devGetByName(a.net, "va");
  const vb = devGetByName(b.net, "vb");
  if (!va || !vb) throw new Error("no veth");
  const s = sys.socket(a, "SOCK_RAW", 1);
  netifRx(echoFrame(vb.address, va.address, opt), vb, 0);
  await sys.clockNanosleep(a, 100_000_000);
  const got = sys.recvfrom(a, s);
  sys.close(a, s);
  return { mib: b.net.ipv4.mib, got: got?.data };
}

describe("ip_rcv_options on Linux 6.18's answers", () => {
  it("a record route with pointer 3: InHdrErrors and a parameter problem at 23, its pointer byte", async () => {
    const { mib, got } = await sendBad([1, 7, 3, 3]);
    expect(mib.InHdrErrors).toBe(1);
    expect(mib.InDelivers).toBe(0);
    expect(got?.[0]).toBe(0x45);
    expect([...(got?.subarray(20, 21) ?? []), got?.[24]]).toEqual([12, 0x17]);
  });
  it("a loose source route with pointer 0: the pointer names its third byte", async () => {
    const { mib, got } = await sendBad([0x83, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(mib.InHdrErrors).toBe(1);
    expect(got?.[24]).toBe(0x16);
  });
  it("a full timestamp list counts the hop in the overflow nibble, both ways", async () => {
    const { mib, got } = await sendBad([0x44, 4, 6, 0]);
    expect(mib.InHdrErrors).toBe(0);
    // The reply echoes b's count; a's own input adds its hop: overflow 2.
    expect([...(got?.subarray(0, 1) ?? [])]).toEqual([0x46]);
    expect([...(got?.subarray(20, 24) ?? [])]).toEqual([0x44, 4, 6, 0x20]);
    expect(got?.[24]).toBe(0);
  });
});
