// The socket layer through the system-call surface: two namespaces joined by a veth.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const A = parseIPv4("10.0.0.1") as number;
const B = parseIPv4("10.0.0.2") as number;

async function twoNamespaces(): Promise<{ host: Host; a: sys.Task; b: sys.Task }> {
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
      "ip -n a link set lo up",
      "ip -n b link set lo up",
      "ip -n a route add 10.0.9.0/24 via 10.0.0.2",
    ].join("\n"),
    { host },
  );
  expect(r.exitCode).toBe(0);
  const init = host.initTask();
  return { host, a: sys.setns(init, sys.netnsOpen(init, "a")), b: sys.setns(init, sys.netnsOpen(init, "b")) };
}

/** Runs each body as its own flow, as background jobs do, so virtual time moves only when all wait. */
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

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

async function recvAll(t: sys.Task, s: sys.Socket): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for (;;) {
    await sys.poll(t, [{ sock: s, events: sys.POLLIN }]);
    const m = sys.recvfrom(t, s);
    if (!m) continue;
    if (m.data.length === 0) return parts;
    parts.push(m.data.slice());
  }
}

describe("UDP", () => {
  it("echoes a datagram and reports the peer", async () => {
    const { host, a, b } = await twoNamespaces();
    const srv = sys.socket(b, "SOCK_DGRAM", 0);
    sys.bind(b, srv, 0, 6000);
    const cli = sys.socket(a, "SOCK_DGRAM", 0);
    sys.sendto(a, cli, text("ping"), B, { port: 6000 });
    await concurrently(host, async (flow) => {
      const t = { ...b, flow };
      await sys.poll(t, [{ sock: srv, events: sys.POLLIN }]);
      const m = sys.recvfrom(t, srv);
      expect(m && str(m.data)).toBe("ping");
      expect(m?.from).toBe(A);
      expect(m?.port).toBe(sys.getsockname(a, cli).port);
    });
    expect(sys.procRead(b, "/proc/net/snmp")).toMatch(/Udp: 1 0 0 0 0 0 0 0 0/);
    expect(sys.procRead(a, "/proc/net/snmp")).toMatch(/Udp: 0 0 0 1 0 0 0 0 0/);
    const lines = sys.procRead(b, "/proc/net/udp").split("\n");
    expect(lines[0]?.length).toBe(127);
    expect(lines[1]).toMatch(/^ 6000: 00000000:1770 00000000:0000 07 /);
  });

  it("a port unreachable makes a connected socket's next send fail with ECONNREFUSED", async () => {
    const { host, a } = await twoNamespaces();
    const cli = sys.socket(a, "SOCK_DGRAM", 0);
    await sys.connect(a, cli, B, 6001);
    await sys.send(a, cli, text("x"));
    await concurrently(host, async (flow) => {
      const t = { ...a, flow };
      const r = await sys.poll(t, [{ sock: cli, events: sys.POLLIN }], sys.clockGettime(a) + 1e9);
      expect(r[0]).toBe(sys.POLLERR);
    });
    await expect(sys.send(a, cli, text("y"))).rejects.toMatchObject({ errno: "ECONNREFUSED" });
    await sys.send(a, cli, text("z"));
  });

  it("EADDRINUSE unless both sockets set SO_REUSEADDR", async () => {
    const { a } = await twoNamespaces();
    const s1 = sys.socket(a, "SOCK_DGRAM", 0);
    sys.bind(a, s1, 0, 7000);
    const s2 = sys.socket(a, "SOCK_DGRAM", 0);
    expect(() => sys.bind(a, s2, A, 7000)).toThrow(/EADDRINUSE/);
    expect(() => sys.bind(a, s1, 0, 7001)).toThrow(/EINVAL/);
    expect(() => sys.bind(a, s2, parseIPv4("10.9.9.9") as number, 7002)).toThrow(/EADDRNOTAVAIL/);
    const s3 = sys.socket(a, "SOCK_DGRAM", 0);
    const s4 = sys.socket(a, "SOCK_DGRAM", 0);
    sys.setsockopt(a, s3, { name: "SO_REUSEADDR", on: true });
    sys.setsockopt(a, s4, { name: "SO_REUSEADDR", on: true });
    sys.bind(a, s3, 0, 7100);
    sys.bind(a, s4, 0, 7100);
  });
});

describe("TCP", () => {
  it("connects, carries data both ways, half-closes and closes", async () => {
    const { host, a, b } = await twoNamespaces();
    const lsk = sys.socket(b, "SOCK_STREAM", 0);
    sys.bind(b, lsk, B, 5000);
    sys.listen(b, lsk, 5);
    const listenLine = sys.procRead(b, "/proc/net/tcp").split("\n")[1] as string;
    expect(listenLine).toMatch(
      /^ {3}0: 0200000A:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000 {5}0 {8}0 \d+ 1 [0-9a-f]{16} 100 0 0 10 0 +$/,
    );
    expect(listenLine.length).toBe(149);
    let got = "";
    await concurrently(
      host,
      async (flow) => {
        const t = { ...b, flow };
        const c = (await sys.accept(t, lsk)) as sys.Socket;
        expect(sys.getpeername(t, c).addr).toBe(A);
        got = (await recvAll(t, c)).map(str).join("");
        await sys.send(t, c, text("bye"));
        sys.close(t, c);
      },
      async (flow) => {
        const t = { ...a, flow };
        const s = sys.socket(t, "SOCK_STREAM", 0);
        await sys.connect(t, s, B, 5000);
        expect(sys.getsockname(t, s).addr).toBe(A);
        await sys.send(t, s, text("hello"));
        sys.shutdown(t, s, "SHUT_WR");
        expect((await recvAll(t, s)).map(str).join("")).toBe("bye");
        sys.close(t, s);
      },
    );
    expect(got).toBe("hello");
    // The active closer holds TIME_WAIT for 60 s.
    const tw = sys.procRead(a, "/proc/net/tcp").split("\n")[1] as string;
    expect(tw).toMatch(
      /^ {3}0: 0100000A:[0-9A-F]{4} 0200000A:1388 06 00000000:00000000 03:000017[0-9A-F]{2} 00000000 {5}0 {8}0 0 3 /,
    );
    await concurrently(host, async (flow) => {
      // The timer wheel fires a 60 s timer up to one level-3 bucket (2 s) late.
      await sys.clockNanosleep({ ...a, flow }, 63e9);
    });
    expect(sys.procRead(a, "/proc/net/tcp").split("\n")[1]).toBe("");
    const snmpA = sys.procRead(a, "/proc/net/snmp").match(/Tcp: 1 .*/)?.[0];
    expect(snmpA).toMatch(/^Tcp: 1 200 120000 -1 1 0 0 0 0 \d+ \d+ 0 0 0 0$/);
    const snmpB = sys.procRead(b, "/proc/net/snmp").match(/Tcp: 1 .*/)?.[0];
    expect(snmpB).toMatch(/^Tcp: 1 200 120000 -1 0 1 0 0 0 \d+ \d+ 0 0 0 0$/);
  });

  it("a closed port answers with a reset: ECONNREFUSED", async () => {
    const { host, a, b } = await twoNamespaces();
    await concurrently(host, async (flow) => {
      const t = { ...a, flow };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await expect(sys.connect(t, s, B, 81)).rejects.toMatchObject({ errno: "ECONNREFUSED" });
      sys.close(t, s);
    });
    expect(sys.procRead(a, "/proc/net/snmp")).toMatch(/Tcp: 1 200 120000 -1 1 0 1 0 0 1 1 0 0 0 0/);
    expect(sys.procRead(b, "/proc/net/snmp")).toMatch(/Tcp: 1 200 120000 -1 0 0 0 0 0 1 1 0 0 1 0/);
  });

  it("SYN retries: 10 retransmissions (4 linear), ETIMEDOUT after about 131 s", async () => {
    const { host, a } = await twoNamespaces();
    const t0 = sys.clockGettime(a);
    await concurrently(host, async (flow) => {
      const t = { ...a, flow };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await expect(sys.connect(t, s, parseIPv4("10.0.9.9") as number, 80)).rejects.toMatchObject({
        errno: "ETIMEDOUT",
      });
    });
    const elapsed = (sys.clockGettime(a) - t0) / 1e9;
    expect(elapsed).toBeGreaterThan(131);
    expect(elapsed).toBeLessThan(136);
    expect(sys.procRead(a, "/proc/net/snmp")).toMatch(/Tcp: 1 200 120000 -1 1 0 1 0 0 0 11 10 0 0 0/);
  });

  it("a deadline on connect throws ETIMEDOUT and leaves SYN_SENT", async () => {
    const { host, a } = await twoNamespaces();
    await concurrently(host, async (flow) => {
      const t = { ...a, flow };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await expect(
        sys.connect(t, s, parseIPv4("10.0.9.9") as number, 80, { deadline: sys.clockGettime(t) + 3e9 }),
      ).rejects.toMatchObject({ errno: "ETIMEDOUT" });
      expect(sys.procRead(t, "/proc/net/tcp")).toMatch(/ 02 /);
      sys.close(t, s);
    });
  });

  it("moves 10 MB intact with bounded buffers", async () => {
    const { host, a, b } = await twoNamespaces();
    const lsk = sys.socket(b, "SOCK_STREAM", 0);
    sys.bind(b, lsk, 0, 5001);
    sys.listen(b, lsk, 5);
    const size = 10 * 1024 * 1024;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >>> 11)) & 255;
    let received = 0;
    let ok = true;
    await concurrently(
      host,
      async (flow) => {
        const t = { ...b, flow };
        const c = (await sys.accept(t, lsk)) as sys.Socket;
        for (;;) {
          await sys.poll(t, [{ sock: c, events: sys.POLLIN }]);
          const m = sys.recvfrom(t, c);
          if (!m) continue;
          if (m.data.length === 0) break;
          for (let i = 0; i < m.data.length; i += 997) if (m.data[i] !== data[received + i]) ok = false;
          received += m.data.length;
        }
        sys.close(t, c);
      },
      async (flow) => {
        const t = { ...a, flow };
        const s = sys.socket(t, "SOCK_STREAM", 0);
        await sys.connect(t, s, B, 5001);
        for (let at = 0; at < size; at += 65536) await sys.send(t, s, data.subarray(at, at + 65536));
        sys.close(t, s);
      },
    );
    expect(received).toBe(size);
    expect(ok).toBe(true);
  });
});
