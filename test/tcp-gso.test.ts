// TCP segmentation offload over veth, as the kernel does it (checked on Linux 6.18 with
// `tcpdump -i vb` and nstat during a 4 MB transfer): the sender hands veth GSO skbs of up to
// 45 x 1448 bytes, which reach the peer whole; TcpOutSegs counts segments, IpOutRequests and the
// peer's TcpInSegs/IpInReceives count skbs, IpExtInNoECTPkts counts segments again. A device
// that takes no GSO (here: one with a qdisc) gets the segments, one MSS each.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";
import { csumFold, csumPartial } from "../src/wire/checksum.js";
import { tcpChecksum } from "../src/wire/tcp.js";

const B = parseIPv4("10.0.0.2") as number;

const VETH = [
  "ip netns add a",
  "ip netns add b",
  "ip link add va netns a type veth peer name vb netns b",
  "ip -n a addr add 10.0.0.1/24 dev va",
  "ip -n b addr add 10.0.0.2/24 dev vb",
  "ip -n a link set va up",
  "ip -n b link set vb up",
];

/** a - r - b, r forwarding (rb's MTU as given), a reaching b at 10.0.0.2 through r. */
const ROUTER = [
  "ip netns add a",
  "ip netns add r",
  "ip netns add b",
  "ip link add va netns a type veth peer name ra netns r",
  "ip link add vb netns b type veth peer name rb netns r",
  "ip -n a addr add 10.0.1.2/24 dev va",
  "ip -n r addr add 10.0.1.1/24 dev ra",
  "ip -n r addr add 10.0.0.1/24 dev rb",
  "ip -n b addr add 10.0.0.2/24 dev vb",
  "for ns in a r b; do ip -n $ns link set lo up; done",
  "ip -n a link set va up",
  "ip -n b link set vb up",
  "ip -n r link set ra up",
  "ip -n r link set rb up",
  "ip -n a route add default via 10.0.1.1",
  "ip -n b route add default via 10.0.0.1",
  "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
];

async function pair(script: string[]): Promise<{ host: Host; a: sys.Task; b: sys.Task }> {
  const host = new Host({ seed: 5 });
  const r = await runScript(script.join("\n"), { host });
  expect(r.stderr).toBe("");
  const init = host.initTask();
  return { host, a: sys.setns(init, sys.netnsOpen(init, "a")), b: sys.setns(init, sys.netnsOpen(init, "b")) };
}

/** One /proc/net/snmp or /proc/net/netstat line's counters, e.g. ("Tcp", "InSegs"). */
function counter(t: sys.Task, group: string, name: string): number {
  for (const file of ["/proc/net/snmp", "/proc/net/netstat"]) {
    const lines = sys.procRead(t, file).split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = (lines[i] as string).split(" ");
      if (names[0] !== `${group}:`) continue;
      const j = names.indexOf(name);
      if (j > 0) return Number((lines[i + 1] as string).split(" ")[j]);
    }
  }
  throw new Error(`no counter ${group}${name}`);
}

/** a sends `size` patterned bytes to b's listener; true when they arrive intact. */
async function transfer(host: Host, a: sys.Task, b: sys.Task, size: number): Promise<boolean> {
  const lsk = sys.socket(b, "SOCK_STREAM", 0);
  sys.bind(b, lsk, 0, 5001);
  sys.listen(b, lsk, 5);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 13 + (i >>> 9)) & 255;
  const got = new Uint8Array(size);
  let received = 0;
  const flows = [host.sched.startFlow(), host.sched.startFlow()] as const;
  const run = async (flow: Flow, body: () => Promise<void>) => {
    try {
      await body();
    } finally {
      host.sched.endFlow(flow);
    }
  };
  await Promise.all([
    run(flows[0], async () => {
      const t = { ...b, flow: flows[0] };
      const c = (await sys.accept(t, lsk)) as sys.Socket;
      for (;;) {
        await sys.poll(t, [{ sock: c, events: sys.POLLIN }]);
        const m = sys.recvfrom(t, c);
        if (!m) continue;
        if (m.data.length === 0) break;
        got.set(m.data.subarray(0, Math.max(0, size - received)), received);
        received += m.data.length;
      }
      sys.close(t, c);
    }),
    run(flows[1], async () => {
      const t = { ...a, flow: flows[1] };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await sys.connect(t, s, B, 5001);
      for (let at = 0; at < size; at += 100_000) await sys.send(t, s, data.subarray(at, at + 100_000));
      sys.close(t, s);
    }),
  ]);
  return received === size && got.every((v, i) => v === data[i]);
}

describe("TCP GSO over veth", () => {
  it("sends skbs of many segments that the peer receives whole, with the kernel's counters", async () => {
    const { host, a, b } = await pair(VETH);
    const tap = sys.packetSocket(b, "SOCK_DGRAM", 0x0800);
    sys.packetBind(b, tap, { ifindex: sys.devNameToIndex(b, "vb"), protocol: 0x0800 });
    expect(await transfer(host, a, b, 1 << 20)).toBe(true);
    const lengths: number[] = [];
    for (let m = sys.packetRecvfrom(b, tap); m; m = sys.packetRecvfrom(b, tap)) {
      const ip = m.data;
      const total = ((ip[2] as number) << 8) | (ip[3] as number);
      const ihl = ((ip[0] as number) & 15) * 4;
      const saddr =
        (((ip[12] as number) << 24) |
          ((ip[13] as number) << 16) |
          ((ip[14] as number) << 8) |
          (ip[15] as number)) >>>
        0;
      const daddr =
        (((ip[16] as number) << 24) |
          ((ip[17] as number) << 16) |
          ((ip[18] as number) << 8) |
          (ip[19] as number)) >>>
        0;
      // Real bytes: a local segment is CHECKSUM_PARTIAL (as a tap on a veth sees it on Linux): its
      // check field holds the folded pseudo-header sum, which a NIC (or skb_checksum_help) would
      // complete over the segment.
      let pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + 6 + (total - ihl);
      while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
      expect(((ip[ihl + 16] as number) << 8) | (ip[ihl + 17] as number)).toBe(pseudo);
      // Completed, the checksum verifies over the whole large packet.
      const full = csumFold(csumPartial(ip, ihl, total));
      const done = ip.slice();
      done[ihl + 16] = full >>> 8;
      done[ihl + 17] = full & 0xff;
      expect(tcpChecksum(done, ihl, total, saddr, daddr)).toBe(0);
      lengths.push(total);
    }
    // Larger than the MTU, within IP's 64 KB (early in a connection the window keeps skbs small).
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(20 + 32 + 10 * 1448);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(20 + 32 + 45 * 1448);
    const outSegs = counter(a, "Tcp", "OutSegs");
    const outRequests = counter(a, "Ip", "OutRequests");
    expect(outSegs).toBeGreaterThan(724);
    expect(outRequests).toBeLessThan(outSegs / 4);
    expect(counter(b, "Tcp", "InSegs")).toBe(counter(b, "Ip", "InReceives"));
    expect(counter(b, "Tcp", "InSegs")).toBe(outRequests);
    expect(counter(b, "IpExt", "InNoECTPkts")).toBe(outSegs);
  });

  it("gives a device with a qdisc the segments, one MSS each", async () => {
    const { host, a, b } = await pair([...VETH, "ip netns exec a tc qdisc add dev va root netem delay 1ms"]);
    expect(await transfer(host, a, b, 1 << 20)).toBe(true);
    const outSegs = counter(a, "Tcp", "OutSegs");
    expect(counter(b, "Tcp", "InSegs")).toBe(outSegs);
    expect(counter(b, "Ip", "InReceives")).toBe(outSegs);
    expect(counter(a, "Ip", "OutRequests")).toBeLessThan(outSegs);
  });

  it("crosses a router whole, NAT and all, and learns a smaller MTU beyond it", async () => {
    const { host, a, b } = await pair([
      ...ROUTER,
      "ip -n r link set rb mtu 1200",
      "ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE",
    ]);
    expect(await transfer(host, a, b, 1 << 20)).toBe(true);
    // ip_forward judged the GSO skbs by their 1500-byte segments: frag needed, then 1148-byte ones.
    expect(counter(a, "Tcp", "RetransSegs")).toBeGreaterThan(0);
    expect(counter(b, "Tcp", "InSegs")).toBeLessThan(counter(a, "Tcp", "OutSegs") / 4);
  });
});
