// A TCP socket's cached routes (sk_dst_cache for output, sk_rx_dst for early demux) go stale
// exactly when the kernel's rt_cache_flush says so: the segment after a route, rule, address or
// link change follows what a fresh lookup finds.
import { describe, expect, it } from "vitest";
import { devGetByName } from "../src/kernel/core/dev.js";
import { Host } from "../src/kernel/host.js";
import type { TcpSock } from "../src/kernel/ipv4/tcp.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const SERVER = parseIPv4("10.9.9.9") as number;

/**
 * a and b joined twice: va1-vb1 (10.0.1.0/24) and va2-vb2 (10.0.2.0/24); b holds 10.9.9.9 on lo,
 * which a reaches through vb1 (its main table) or vb2 (table 100).
 */
async function twoPaths(): Promise<{ host: Host; a: sys.Task; b: sys.Task }> {
  const host = new Host({ seed: 11 });
  await sh(host, [
    "ip netns add a",
    "ip netns add b",
    "ip link add va1 netns a type veth peer name vb1 netns b",
    "ip link add va2 netns a type veth peer name vb2 netns b",
    "ip -n a addr add 10.0.1.1/24 dev va1",
    "ip -n a addr add 10.0.2.1/24 dev va2",
    "ip -n b addr add 10.0.1.2/24 dev vb1",
    "ip -n b addr add 10.0.2.2/24 dev vb2",
    "ip -n b addr add 10.9.9.9/32 dev lo",
    "for l in va1 va2 lo; do ip -n a link set $l up; done",
    "for l in vb1 vb2 lo; do ip -n b link set $l up; done",
    "ip -n a route add 10.9.9.9 via 10.0.1.2",
    "ip -n a route add 10.9.9.9 via 10.0.2.2 table 100",
  ]);
  const init = host.initTask();
  return { host, a: sys.setns(init, sys.netnsOpen(init, "a")), b: sys.setns(init, sys.netnsOpen(init, "b")) };
}

async function sh(host: Host, lines: readonly string[]): Promise<void> {
  const r = await runScript(lines.join("\n"), { host });
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
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

const text = (s: string) => new TextEncoder().encode(s);

/** A connection a -> 10.9.9.9:7000, established, with one message across. */
async function connected(
  host: Host,
  a: sys.Task,
  b: sys.Task,
): Promise<{ cli: sys.Socket; srv: sys.Socket }> {
  const lsk = sys.socket(b, "SOCK_STREAM", 0);
  sys.bind(b, lsk, 0, 7000);
  sys.listen(b, lsk, 8);
  const cli = sys.socket(a, "SOCK_STREAM", 0);
  let srv: sys.Socket | undefined;
  await concurrently(
    host,
    async (flow) => {
      srv = await sys.accept({ ...b, flow }, lsk);
    },
    async (flow) => {
      await sys.connect({ ...a, flow }, cli, SERVER, 7000);
    },
  );
  await exchange(host, a, b, cli, srv as sys.Socket, "one");
  return { cli, srv: srv as sys.Socket };
}

/** Sends `msg` a -> b and returns what b read before the deadline (1 s of virtual time). */
async function exchange(
  host: Host,
  a: sys.Task,
  b: sys.Task,
  cli: sys.Socket,
  srv: sys.Socket,
  msg: string,
): Promise<string> {
  let got = "";
  await concurrently(
    host,
    async (flow) => {
      const t = { ...b, flow };
      const deadline = host.clock.now + 1_000_000_000;
      while (got.length < msg.length) {
        const [rev] = await sys.poll(t, [{ sock: srv, events: sys.POLLIN }], deadline);
        if (!rev) break;
        const m = sys.recvfrom(t, srv);
        if (m) got += new TextDecoder().decode(m.data);
      }
    },
    async (flow) => {
      await sys.send({ ...a, flow }, cli, text(msg));
    },
  );
  return got;
}

function tx(t: sys.Task, dev: string): number {
  return devGetByName(t.net, dev)?.stats.txPackets ?? -1;
}

function rx(t: sys.Task, dev: string): number {
  return devGetByName(t.net, dev)?.stats.rxPackets ?? -1;
}

describe("a connected socket's cached output route", () => {
  it("follows a replaced route with its next segment", async () => {
    const { host, a, b } = await twoPaths();
    const { cli, srv } = await connected(host, a, b);
    const [via1, via2] = [tx(a, "va1"), tx(a, "va2")];
    await sh(host, ["ip -n a route replace 10.9.9.9 via 10.0.2.2"]);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
    expect(tx(a, "va1")).toBe(via1);
    expect(tx(a, "va2")).toBeGreaterThan(via2);
  });

  it("stays on its route while nothing changes", async () => {
    const { host, a, b } = await twoPaths();
    const { cli, srv } = await connected(host, a, b);
    const [via1, via2] = [tx(a, "va1"), tx(a, "va2")];
    // A neighbour entry is no route: no flush.
    await sh(host, ["ip -n a neigh add 10.0.2.9 lladdr 02:00:00:00:00:09 dev va2"]);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
    expect(tx(a, "va1")).toBe(via1 + 1);
    expect(tx(a, "va2")).toBe(via2);
  });

  it("follows a rule added after the connection", async () => {
    const { host, a, b } = await twoPaths();
    const { cli, srv } = await connected(host, a, b);
    const via2 = tx(a, "va2");
    await sh(host, ["ip -n a rule add to 10.9.9.9 table 100"]);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
    expect(tx(a, "va2")).toBeGreaterThan(via2);
  });

  it("leaves a device that went down", async () => {
    const { host, a, b } = await twoPaths();
    await sh(host, ["ip -n a route append 10.9.9.9 via 10.0.2.2 metric 10"]);
    const { cli, srv } = await connected(host, a, b);
    const via2 = tx(a, "va2");
    await sh(host, ["ip -n a link set va1 down"]);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
    expect(tx(a, "va2")).toBeGreaterThan(via2);
  });
});

describe("a connected socket's cached input route (early demux)", () => {
  it("is relearnt when segments come in on another device", async () => {
    const { host, a, b } = await twoPaths();
    const { cli, srv } = await connected(host, a, b);
    const sk = (srv as { readonly sk: TcpSock }).sk;
    const ifindex = (name: string) => devGetByName(b.net, name)?.ifindex;
    expect(sk.rxDstIfindex).toBe(ifindex("vb1"));
    await sh(host, ["ip -n a route replace 10.9.9.9 via 10.0.2.2"]);
    const before = rx(b, "vb2");
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
    expect(await exchange(host, a, b, cli, srv, "three")).toBe("three");
    expect(rx(b, "vb2")).toBeGreaterThan(before);
    expect(sk.rxDstIfindex).toBe(ifindex("vb2"));
  });

  it("does not deliver to an address no longer local", async () => {
    const { host, a, b } = await twoPaths();
    const { cli, srv } = await connected(host, a, b);
    const addrErrors = () => Number(/Ip: (?:\d+ ){4}(\d+)/.exec(sys.procRead(b, "/proc/net/snmp"))?.[1]);
    const before = addrErrors();
    await sh(host, ["ip -n b addr del 10.9.9.9/32 dev lo"]);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("");
    // ip_error with forwarding off: counted in InAddrErrors, nothing answered.
    expect(addrErrors()).toBeGreaterThan(before);
  });

  it("delivers the same with early demux turned off", async () => {
    const { host, a, b } = await twoPaths();
    sys.sysctlWrite(b, "net/ipv4/tcp_early_demux", "0");
    // proc_dou8vec_minmax: any byte (2 included, as Linux 6.18 takes it), no more.
    expect(() => sys.sysctlWrite(b, "net/ipv4/ip_early_demux", "256")).toThrow("EINVAL");
    sys.sysctlWrite(b, "net/ipv4/ip_early_demux", "0");
    expect(sys.sysctlRead(b, "net/ipv4/tcp_early_demux")).toBe("0\n");
    const { cli, srv } = await connected(host, a, b);
    expect(await exchange(host, a, b, cli, srv, "two")).toBe("two");
  });
});

describe("the established hash", () => {
  it("walks by local then remote port, ephemeral local ports last", async () => {
    const host = new Host({ seed: 3 });
    await sh(host, ["ip link set lo up"]);
    const t = host.initTask();
    const lsk = sys.socket(t, "SOCK_STREAM", 0);
    sys.bind(t, lsk, 0, 80);
    sys.listen(t, lsk, 8);
    const cli = sys.socket(t, "SOCK_STREAM", 0);
    await concurrently(
      host,
      async (flow) => {
        await sys.accept({ ...t, flow }, lsk);
      },
      async (flow) => {
        await sys.connect({ ...t, flow }, cli, 0x7f000001, 80);
      },
    );
    const port = sys.getsockname(t, cli).port.toString(16).toUpperCase().padStart(4, "0");
    expect(Number.parseInt(port, 16)).toBeGreaterThanOrEqual(32768);
    const locals = sys
      .procRead(t, "/proc/net/tcp")
      .split("\n")
      .slice(1, 4)
      .map((l) => l.trim().split(/\s+/)[1]);
    expect(locals).toEqual(["00000000:0050", "0100007F:0050", `0100007F:${port}`]);
  });
});
