// IGMP snooping's input checks (br_multicast_ipv4_rcv → ip_mc_check_igmp): a report joins its
// port to the group; an IGMP message with a bad checksum, or any multicast IPv4 frame with a bad
// header, makes the bridge drop the frame (-EINVAL) instead of flooding it. No tool on the
// reference system sends a broken report, so the frames are built here and sent from a packet
// socket; the live side of a good report is scenario bridge-mdb.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";
import { internetChecksum } from "../src/wire/checksum.js";
import { emitIpv4 } from "../src/wire/ipv4.js";

const IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;

/** An IGMPv2 report for `group`, to `group`; `breakIgmp`/`breakIp` spoil a checksum. */
function report(group: string, opts: { breakIgmp?: boolean; breakIp?: boolean } = {}): Uint8Array {
  const g = parseIPv4(group) as number;
  const out = new Uint8Array(28);
  emitIpv4(out, 0, {
    tos: 0xc0,
    totalLength: 28,
    id: 0,
    fragOff: 0,
    ttl: 1,
    protocol: 2,
    saddr: parseIPv4("10.0.0.1") as number,
    daddr: g,
  });
  if (opts.breakIp) out[10] = ((out[10] as number) ^ 0xff) & 0xff;
  out.set([IGMPV2_HOST_MEMBERSHIP_REPORT, 0, 0, 0, g >>> 24, (g >>> 16) & 255, (g >>> 8) & 255, g & 255], 20);
  const sum = internetChecksum(out, 20, 28) ^ (opts.breakIgmp ? 0x5a5a : 0);
  out[22] = sum >>> 8;
  out[23] = sum & 255;
  return out;
}

/** What `bridge mdb show` lists after the frames, and how many more frames the other port's host got. */
async function sendFrames(frames: readonly Uint8Array[]): Promise<string> {
  const host = new Host();
  const rx = "ip netns exec b cat /sys/class/net/e1/statistics/rx_packets";
  const before = await runScript(
    [
      "ip netns add a",
      "ip netns add b",
      "ip link add br0 type bridge",
      "ip link add v0 mtu 1000 type veth peer name e0 netns a mtu 1000",
      "ip link add v1 mtu 1000 type veth peer name e1 netns b mtu 1000",
      "ip link set v0 master br0",
      "ip link set v1 master br0",
      "ip link set br0 up",
      "ip link set v0 up",
      "ip link set v1 up",
      "ip -n a link set e0 up",
      "ip -n b link set e1 up",
      "sleep 2",
      rx,
    ].join("\n"),
    { host },
  );
  const a = sys.setns(host.initTask(), sys.netnsOpen(host.initTask(), "a"));
  const s = sys.packetSocket(a, "SOCK_DGRAM", 0x0800);
  for (const f of frames) {
    const g = f.subarray(16, 20);
    sys.packetSendto(a, s, f, {
      ifindex: sys.devNameToIndex(a, "e0"),
      protocol: 0x0800,
      addr: Uint8Array.of(0x01, 0x00, 0x5e, (g[1] as number) & 0x7f, g[2] as number, g[3] as number),
    });
  }
  const r = await runScript(`sleep 0.1; bridge mdb show; ${rx}`, { host });
  const lines = r.stdout.split("\n");
  const after = Number(lines[lines.length - 2]);
  return `${lines.slice(0, -2).join("\n")}${lines.length > 2 ? "\n" : ""}+${after - Number(before.stdout)}\n`;
}

describe("bridge IGMP snooping input", () => {
  it("learns a report and floods it (there is no querier)", async () => {
    expect(await sendFrames([report("239.1.2.3")])).toBe("dev br0 port v0 grp 239.1.2.3 temp\n+1\n");
  });

  it("drops a report with a bad IGMP checksum, and a multicast frame with a bad IP header", async () => {
    expect(await sendFrames([report("239.1.2.4", { breakIgmp: true })])).toBe("+0\n");
    expect(await sendFrames([report("239.1.2.5", { breakIp: true })])).toBe("+0\n");
    expect(await sendFrames([report("239.1.2.4", { breakIgmp: true }), report("239.1.2.6")])).toBe(
      "dev br0 port v0 grp 239.1.2.6 temp\n+1\n",
    );
  });
});
