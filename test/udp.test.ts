// poll() on a UDP socket wakes at the event that made it readable (a datagram, an ICMP error, a
// shutdown from another flow), never later.
import { describe, expect, it } from "vitest";
import { VETH_DELAY_NS } from "../src/kernel/drivers/veth.js";
import { Host } from "../src/kernel/host.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const B = parseIPv4("10.0.0.2") as number;
const SECOND = 1_000_000_000;

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

describe("UDP poll", () => {
  it("a datagram wakes the poller when it arrives, one veth crossing after it was sent", async () => {
    const { a, b } = await twoNamespaces();
    const rx = sys.socket(b, "SOCK_DGRAM", 0);
    sys.bind(b, rx, 0, 9000);
    const tx = sys.socket(a, "SOCK_DGRAM", 0);
    // The first datagram resolves the neighbour; the second crosses on its own.
    sys.sendto(a, tx, new Uint8Array(8), B, { port: 9000 });
    expect(await sys.pollIn(b, rx, sys.clockGettime(b) + SECOND)).toBe(true);
    expect(sys.recvfrom(b, rx)?.data.length).toBe(8);
    const sent = sys.clockGettime(a);
    sys.sendto(a, tx, new Uint8Array(64), B, { port: 9000 });
    expect(await sys.pollIn(b, rx, sent + SECOND)).toBe(true);
    expect(sys.clockGettime(b)).toBe(sent + VETH_DELAY_NS);
    expect(sys.recvfrom(b, rx)?.data.length).toBe(64);
    expect(await sys.pollIn(b, rx, sys.clockGettime(b) + SECOND)).toBe(false);
  });

  it("a port unreachable wakes a poller on the connected socket (sk_error_report)", async () => {
    const { a } = await twoNamespaces();
    const cli = sys.socket(a, "SOCK_DGRAM", 0);
    await sys.connect(a, cli, B, 6001);
    const sent = sys.clockGettime(a);
    await sys.send(a, cli, new Uint8Array(1));
    expect(await sys.pollIn(a, cli, sent + SECOND)).toBe(true);
    expect(sys.clockGettime(a)).toBeLessThan(sent + SECOND);
    expect(sys.sockPending(a, cli)).toEqual({ pollin: false, pollerr: true });
  });

  it("with IP_RECVERR an unconnected socket's queued error wakes the poller", async () => {
    const { a } = await twoNamespaces();
    const s = sys.socket(a, "SOCK_DGRAM", 0);
    sys.setsockopt(a, s, { name: "IP_RECVERR", on: true });
    const sent = sys.clockGettime(a);
    sys.sendto(a, s, new Uint8Array(1), B, { port: 6002 });
    expect(await sys.pollIn(a, s, sent + SECOND)).toBe(true);
    expect(sys.clockGettime(a)).toBeLessThan(sent + SECOND);
    expect(sys.sockPending(a, s).pollerr).toBe(true);
  });

  it("SHUT_RD from another flow wakes the poller then, not at its deadline", async () => {
    const { host, b } = await twoNamespaces();
    const s = sys.socket(b, "SOCK_DGRAM", 0);
    await sys.connect(b, s, parseIPv4("10.0.0.1") as number, 7000);
    const start = sys.clockGettime(b);
    let woke = -1;
    await concurrently(
      host,
      async (flow) => {
        const t = { ...b, flow };
        expect(await sys.pollIn(t, s, start + 5 * SECOND)).toBe(true);
        woke = sys.clockGettime(t);
      },
      async (flow) => {
        const t = { ...b, flow };
        await sys.clockNanosleep(t, SECOND);
        sys.shutdown(t, s, "SHUT_RD");
      },
    );
    expect(woke).toBe(start + SECOND);
  });
});
