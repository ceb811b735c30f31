// icmp_ignore_bogus_error_responses (icmp_unreach): an ICMP error quoting a datagram that was sent
// to a broadcast address answers something no host may answer (RFC 1122 3.2.2). With the knob
// at 0 it is logged and dropped; at 1, the default, it goes on quietly. No tool on the reference
// system forges such an error, so the frame is built here and sent from a packet socket.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";
import { emitIcmp, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, icmpLength } from "../src/wire/icmp.js";
import { emitIpv4, IPPROTO_ICMP, IPPROTO_UDP } from "../src/wire/ipv4.js";

const ip = (s: string): number => parseIPv4(s) as number;

/** A port unreachable from 10.0.0.1 to 10.0.0.2 about a UDP datagram 10.0.0.2 -> `innerDst`. */
function portUnreachable(innerDst: string): Uint8Array {
  const quoted = new Uint8Array(28);
  emitIpv4(quoted, 0, {
    tos: 0,
    totalLength: 28,
    id: 1,
    fragOff: 0,
    ttl: 64,
    protocol: IPPROTO_UDP,
    saddr: ip("10.0.0.2"),
    daddr: ip(innerDst),
  });
  quoted.set([0x9c, 0x40, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00], 20);
  const icmp = { kind: "error", type: ICMP_DEST_UNREACH, code: ICMP_PORT_UNREACH, rest: 0, quoted } as const;
  const out = new Uint8Array(20 + icmpLength(icmp));
  emitIpv4(out, 0, {
    tos: 0,
    totalLength: out.length,
    id: 2,
    fragOff: 0,
    ttl: 64,
    protocol: IPPROTO_ICMP,
    saddr: ip("10.0.0.1"),
    daddr: ip("10.0.0.2"),
  });
  emitIcmp(out, 20, icmp);
  return out;
}

async function sendAndLog(ignore: number, innerDst: string): Promise<string> {
  const host = new Host();
  await runScript(
    [
      "ip netns add a",
      "ip netns add b",
      "ip link add va netns a type veth peer name vb netns b",
      "ip -n a addr add 10.0.0.1/24 dev va",
      "ip -n b addr add 10.0.0.2/24 dev vb",
      "ip -n b link set vb address 02:00:00:00:00:02",
      "ip -n a link set va up",
      "ip -n b link set vb up",
      `ip netns exec b sysctl -qw net.ipv4.icmp_ignore_bogus_error_responses=${ignore}`,
    ].join("\n"),
    { host },
  );
  const a = sys.setns(host.initTask(), sys.netnsOpen(host.initTask(), "a"));
  const s = sys.packetSocket(a, "SOCK_DGRAM", 0x0800);
  sys.packetSendto(a, s, portUnreachable(innerDst), {
    ifindex: sys.devNameToIndex(a, "va"),
    protocol: 0x0800,
    addr: new Uint8Array([0x02, 0, 0, 0, 0, 0x02]),
  });
  const r = await runScript("sleep 0.1; ip netns exec b nstat -az IcmpInDestUnreachs | tail -n +2; dmesg", {
    host,
  });
  return r.stdout.replace(/^\[[ 0-9.]+\] /gm, "").replace(/ {2,}/g, " ");
}

describe("icmp_ignore_bogus_error_responses", () => {
  it("logs and drops an error about a datagram sent to a broadcast when it is 0", async () => {
    expect(await sendAndLog(0, "255.255.255.255")).toBe(
      "IcmpInDestUnreachs 1 0.0\n" +
        "10.0.0.1 sent an invalid ICMP type 3, code 3 error to a broadcast: 255.255.255.255 on vb\n",
    );
  });

  it("says nothing at 1 (the default), nor about an error quoting a unicast datagram", async () => {
    expect(await sendAndLog(1, "255.255.255.255")).toBe("IcmpInDestUnreachs 1 0.0\n");
    expect(await sendAndLog(0, "10.0.0.9")).toBe("IcmpInDestUnreachs 1 0.0\n");
  });
});
