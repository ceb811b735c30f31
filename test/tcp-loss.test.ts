// TCP through a lossy, delaying link (netem on the sender's veth): the stream arrives intact,
// recovered by SACK, RACK, fast retransmit and the RTO, in the same virtual time for a seed.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const A = parseIPv4("10.0.0.1") as number;

async function lossyPair(seed: number, netem: string): Promise<{ host: Host; a: sys.Task; b: sys.Task }> {
  const host = new Host({ seed });
  const r = await runScript(
    [
      "ip netns add a",
      "ip netns add b",
      "ip link add va netns a type veth peer name vb netns b",
      "ip -n a addr add 10.0.0.1/24 dev va",
      "ip -n b addr add 10.0.0.2/24 dev vb",
      "ip -n a link set va up",
      "ip -n b link set vb up",
      `ip netns exec b tc qdisc add dev vb root netem ${netem}`,
    ].join("\n"),
    { host },
  );
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
  const init = host.initTask();
  return { host, a: sys.setns(init, sys.netnsOpen(init, "a")), b: sys.setns(init, sys.netnsOpen(init, "b")) };
}

async function concurrently(host: Host, ...bodies: ((flow: Flow) => Promise<void>)[]): Promise<void> {
  const flows = bodies.map(() => host.sched.startFlow());
  await Promise.all(
    bodies.map(async (body, i) => {
      const flow = flows[i] as Flow;
      try {
        await body(flow);
      } finally {
        host.sched.endFlow(flow);
      }
    }),
  );
}

/** Counters of one namespace's /proc/net/snmp Tcp line and /proc/net/netstat TcpExt line. */
function counters(t: sys.Task): Record<string, number> {
  const out: Record<string, number> = {};
  for (const file of ["/proc/net/snmp", "/proc/net/netstat"]) {
    const lines = sys.procRead(t, file).split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = (lines[i] as string).split(" ");
      const values = (lines[i + 1] as string).split(" ");
      const prefix = names[0] as string;
      if (prefix !== "Tcp:" && prefix !== "TcpExt:") continue;
      for (let j = 1; j < names.length; j++) out[names[j] as string] = Number(values[j]);
    }
  }
  return out;
}

/** b sends `size` bytes to a's listener through b's netem; returns what arrived and the time taken. */
async function transfer(seed: number, netem: string, size: number) {
  const { host, a, b } = await lossyPair(seed, netem);
  const lsk = sys.socket(a, "SOCK_STREAM", 0);
  sys.bind(a, lsk, 0, 5001);
  sys.listen(a, lsk, 5);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >>> 11)) & 255;
  const got = new Uint8Array(size);
  let received = 0;
  const start = host.clock.now;
  await concurrently(
    host,
    async (flow) => {
      const t = { ...a, flow };
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
    },
    async (flow) => {
      const t = { ...b, flow };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await sys.connect(t, s, A, 5001);
      for (let at = 0; at < size; at += 16384) await sys.send(t, s, data.subarray(at, at + 16384));
      sys.close(t, s);
    },
  );
  return {
    received,
    intact: received === size && got.every((v, i) => v === data[i]),
    ns: host.clock.now - start,
    b: counters(b),
    a: counters(a),
  };
}

describe("TCP under loss", () => {
  it("moves 1 MB intact through netem loss 5% delay 10ms, reproducibly", async () => {
    const first = await transfer(11, "loss 5% delay 10ms", 1 << 20);
    expect(first.received).toBe(1 << 20);
    expect(first.intact).toBe(true);
    expect(first.b.RetransSegs).toBeGreaterThan(0);
    expect(first.b.TCPSackRecovery).toBeGreaterThan(0);
    expect(first.a.TCPOFOQueue).toBeGreaterThan(0);
    const again = await transfer(11, "loss 5% delay 10ms", 1 << 20);
    expect(again.ns).toBe(first.ns);
    expect(again.b).toEqual(first.b);
  }, 60_000);

  it("recovers from reordering without giving up", async () => {
    const r = await transfer(3, "delay 10ms reorder 25% 50%", 256 * 1024);
    expect(r.intact).toBe(true);
  }, 60_000);
});
