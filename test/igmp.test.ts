// IGMPv3 state-change reports on the wire, byte by byte (checked on Linux 6.18 with `tcpdump -v`
// on the peer: "(tos 0xc0, ttl 1, id 0, flags [DF], proto IGMP (2), length 40, options (RA))
// 10.0.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s) [gaddr 239.1.1.1 to_ex, 0 source(s)]",
// twice on a join, twice with to_in on a leave). The counts over time are the scenario
// vxlan-group-igmp's; this checks what the reports say.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { internetChecksum } from "../src/wire/checksum.js";

const SETUP = [
  "ip netns add a",
  "ip netns add b",
  "ip -n a link add eth0 mtu 1200 type veth peer name eth0 netns b mtu 1200",
  "ip -n a addr add 10.0.0.1/24 dev eth0",
  "ip -n a link set eth0 up",
  "ip -n b link set eth0 up",
  "sleep 2",
];

interface Report {
  readonly header: Uint8Array;
  readonly records: readonly { readonly type: number; readonly group: string }[];
}

function drain(b: sys.Task, tap: ReturnType<typeof sys.packetSocket>): Report[] {
  const out: Report[] = [];
  for (let m = sys.packetRecvfrom(b, tap); m; m = sys.packetRecvfrom(b, tap)) {
    const ip = m.data;
    const ihl = ((ip[0] as number) & 15) * 4;
    const total = ((ip[2] as number) << 8) | (ip[3] as number);
    // Both checksums verify over the real bytes.
    expect(internetChecksum(ip, 0, ihl)).toBe(0);
    expect(internetChecksum(ip, ihl, total)).toBe(0);
    const igmp = ip.subarray(ihl, total);
    expect(igmp[0]).toBe(0x22);
    const n = ((igmp[6] as number) << 8) | (igmp[7] as number);
    const records = [];
    for (let i = 0; i < n; i++) {
      const g = igmp.subarray(8 + 8 * i, 16 + 8 * i);
      expect([g[1], g[2], g[3]]).toEqual([0, 0, 0]);
      records.push({ type: g[0] as number, group: Array.from(g.subarray(4, 8)).join(".") });
    }
    out.push({ header: ip.slice(0, ihl), records });
  }
  return out;
}

describe("IGMPv3 reports", () => {
  it("announce a vxlan device's group on join and on leave", async () => {
    const host = new Host({ seed: 3 });
    expect((await runScript(SETUP.join("\n"), { host })).stderr).toBe("");
    const init = host.initTask();
    const b = sys.setns(init, sys.netnsOpen(init, "b"));
    const tap = sys.packetSocket(b, "SOCK_DGRAM", 0x0800);
    sys.packetBind(b, tap, { ifindex: sys.devNameToIndex(b, "eth0"), protocol: 0x0800 });

    const join = [
      "ip -n a link add vx0 type vxlan id 42 group 239.1.1.1 dev eth0 dstport 4789",
      "ip -n a link set vx0 up",
      "sleep 2",
    ];
    expect((await runScript(join.join("\n"), { host })).stderr).toBe("");
    const joined = drain(b, tap);
    expect(joined).toHaveLength(2);
    for (const r of joined) {
      // IHL 6, tos 0xc0, length 40, id 0, DF, TTL 1, IGMP, 10.0.0.1 -> 224.0.0.22, router alert.
      const h = Array.from(r.header);
      expect(h.slice(0, 10)).toEqual([0x46, 0xc0, 0, 40, 0, 0, 0x40, 0, 1, 2]);
      expect(h.slice(12)).toEqual([10, 0, 0, 1, 224, 0, 0, 22, 148, 4, 0, 0]);
      expect(r.records).toEqual([{ type: 4, group: "239.1.1.1" }]);
    }

    expect((await runScript("ip -n a link set vx0 down\nsleep 2", { host })).stderr).toBe("");
    const left = drain(b, tap);
    expect(left.map((r) => r.records)).toEqual([
      [{ type: 3, group: "239.1.1.1" }],
      [{ type: 3, group: "239.1.1.1" }],
    ]);
  });
});
