// npm run bench: netnest against the real kernel, side by side, in one run.
// Each result is one line: `bench NAME: netnest VALUE UNIT | kernel VALUE UNIT | ratio R`.
// The kernel side runs as root inside a private `unshare -m -n` sandbox; elsewhere it is `n/a`.
import { execFileSync, spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Host } from "../src/kernel/host.js";
import { fibLookup } from "../src/kernel/ipv4/fib_table.js";
import { NfConn, netCt, nfConntrackCount, nfCtInsertForTest } from "../src/kernel/netfilter/nf_conntrack.js";
import type { Flow } from "../src/kernel/sched.js";
import * as sys from "../src/kernel/syscalls.js";
import {
  bind,
  clockGettime,
  clockNanosleep,
  close,
  devNameToIndex,
  IFF_UP,
  type IptTable,
  iptGetTable,
  netnsAdd,
  netnsDel,
  netnsOpen,
  pollIn,
  recvfrom,
  rtnlAddr,
  rtnlNewLink,
  rtnlRoute,
  sendto,
  setns,
  socket,
  sysctlWrite,
  type Task,
  taskExit,
} from "../src/kernel/syscalls.js";
import { ip } from "../src/userland/ip/ip.js";
import { iptablesRestore } from "../src/userland/iptables/iptables.js";
import type { Proc } from "../src/userland/program.js";
import { ipv4ToBytes } from "../src/wire/addr.js";
import { emitIcmp, ICMP_ECHO } from "../src/wire/icmp.js";
import { IPPROTO_ICMP } from "../src/wire/ipv4.js";

interface Measure {
  readonly value: number;
  readonly unit: string;
}

function line(name: string, netnest: Measure, kernel: Measure | undefined): string {
  const fmt = (m: Measure) => `${Math.round(m.value).toLocaleString("en-US")} ${m.unit}`;
  const ratio = kernel ? (netnest.value / kernel.value).toFixed(2) : "n/a";
  return `bench ${name}: netnest ${fmt(netnest)} | kernel ${kernel ? fmt(kernel) : "n/a"} | ratio ${ratio}`;
}

/** Runs a bash script on the live kernel in a throwaway sandbox and returns what it prints; undefined when that cannot be done. */
function kernelOutput(script: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return execFileSync(
      "unshare",
      [
        "-m",
        "-n",
        "-p",
        "-f",
        "--mount-proc",
        "bash",
        "-c",
        `mkdir -p /run/netns; mount -t tmpfs tmpfs /run/netns; ${script}`,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
    );
  } catch {
    return undefined;
  }
}

/** kernelOutput, reading the number printed as VALUE=N. */
function kernelValue(script: string): number | undefined {
  const match = /VALUE=([0-9.]+)/.exec(kernelOutput(script) ?? "");
  return match ? Number(match[1]) : undefined;
}

function benchNamespaces(): void {
  const n = 100_000;
  const host = new Host({ seed: 1 });
  const task = host.initTask();
  const start = performance.now();
  // cleanup_net runs a moment after the last reference goes, in batches, as the kernel's
  // workqueue does while `ip -batch` keeps going: virtual time moves on every 100 namespaces.
  for (let i = 0; i < n; i++) {
    netnsAdd(task, `ns${i}`);
    netnsDel(task, `ns${i}`);
    if (i % 100 === 99) clockNanosleep(task, 30_000_000);
  }
  clockNanosleep(task, 1_000_000_000);
  if (host.namespaces.size !== 1) throw new Error(`bench netns: ${host.namespaces.size - 1} namespaces left`);
  const seconds = (performance.now() - start) / 1000;
  const k = 1000;
  // ip -batch: one process creating and deleting k namespaces.
  const kernel = kernelValue(
    `for i in $(seq ${k}); do echo "netns add b$i"; echo "netns del b$i"; done > /tmp/netnest-bench-ns.batch; ` +
      `s=$(date +%s.%N); ip -batch /tmp/netnest-bench-ns.batch; e=$(date +%s.%N); rm -f /tmp/netnest-bench-ns.batch; ` +
      `echo VALUE=$(echo "$e - $s" | bc -l)`,
  );
  console.log(
    line(
      "netns create+delete",
      { value: n / seconds, unit: "netns/s" },
      kernel ? { value: k / kernel, unit: "netns/s" } : undefined,
    ),
  );
}

/** Two namespaces joined by a veth pair, 10.0.0.1 and 10.0.0.2, both up. */
function vethPair(host: Host): Task {
  const init = host.initTask();
  netnsAdd(init, "a");
  netnsAdd(init, "b");
  const a = setns(init, netnsOpen(init, "a"));
  const b = setns(init, netnsOpen(init, "b"));
  rtnlNewLink(a, {
    kind: "RTM_NEWLINK",
    nlFlags: { create: true, excl: true },
    ifindex: 0,
    flags: 0,
    change: 0,
    ifname: "va",
    linkinfo: { kind: "veth", peer: { ifname: "vb", netnsFd: netnsOpen(init, "b") } },
  });
  for (const [task, dev, addr] of [
    [a, "va", 0x0a000001],
    [b, "vb", 0x0a000002],
  ] as const) {
    const ifindex = devNameToIndex(task, dev);
    rtnlAddr(task, {
      kind: "RTM_NEWADDR",
      nlFlags: { create: true, excl: true },
      family: 2,
      prefixlen: 24,
      ifindex,
      scope: 0,
      local: ipv4ToBytes(addr),
    });
    rtnlNewLink(task, { kind: "RTM_NEWLINK", nlFlags: {}, ifindex, flags: IFF_UP, change: IFF_UP });
  }
  return a;
}

async function benchPing(): Promise<void> {
  const n = 100_000;
  const host = new Host({ seed: 1 });
  const a = vethPair(host);
  const sock = socket(a, "SOCK_RAW", IPPROTO_ICMP);
  const payload = new Uint8Array(64);
  const start = performance.now();
  let replies = 0;
  for (let seq = 1; seq <= n; seq++) {
    emitIcmp(payload, 0, {
      kind: "echo",
      type: ICMP_ECHO,
      id: 7,
      seq: seq & 0xffff,
      data: payload.subarray(8),
    });
    sendto(a, sock, payload, 0x0a000002);
    // Our own request is not echoed to a raw socket; the reply is the only thing that arrives.
    if ((await pollIn(a, sock, clockGettime(a) + 1_000_000_000)) && recvfrom(a, sock)) replies++;
  }
  const seconds = (performance.now() - start) / 1000;
  close(a, sock);
  if (replies !== n) throw new Error(`bench ping: ${replies} of ${n} replies`);
  const k = 20_000;
  const kernel = kernelValue(
    "ip netns add a; ip netns add b; ip link add va netns a type veth peer name vb netns b; " +
      "ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb; " +
      "ip -n a link set va up; ip -n b link set vb up; ip netns exec a ping -c 1 -q 10.0.0.2 >/dev/null; " +
      `s=$(date +%s.%N); ip netns exec a ping -f -q -c ${k} 10.0.0.2 >/dev/null; e=$(date +%s.%N); ` +
      'echo VALUE=$(echo "$e - $s" | bc -l)',
  );
  console.log(
    line(
      "ping round trips over veth",
      { value: n / seconds, unit: "rtt/s" },
      kernel ? { value: k / kernel, unit: "rtt/s" } : undefined,
    ),
  );
}

/** Heap per idle namespace with lo up, against the kernel's slab growth for the same. */
function benchIdleNamespaceMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.log("bench idle netns memory: netnest n/a (run node with --expose-gc) | kernel n/a | ratio n/a");
    return;
  }
  const n = 10_000;
  const host = new Host({ seed: 1 });
  const task = host.initTask();
  const make = (from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      netnsAdd(task, `idle${i}`);
      const inside = setns(task, netnsOpen(task, `idle${i}`));
      rtnlNewLink(inside, { kind: "RTM_NEWLINK", nlFlags: {}, ifindex: 1, flags: IFF_UP, change: IFF_UP });
      taskExit(inside);
    }
  };
  make(0, 1000);
  gc();
  const before = process.memoryUsage().heapUsed;
  make(1000, n);
  gc();
  const perNs = (process.memoryUsage().heapUsed - before) / n;
  const k = 1000;
  const kernel = kernelValue(
    "slab() { awk '/^Slab:/ {print $2}' /proc/meminfo; }; " +
      `for i in $(seq ${k}); do echo "netns add m$i"; done > /tmp/netnest-bench-mem.batch; ` +
      "b=$(slab); ip -batch /tmp/netnest-bench-mem.batch; " +
      `for i in $(seq ${k}); do ip -n m$i link set lo up; done; a=$(slab); ` +
      `rm -f /tmp/netnest-bench-mem.batch; echo VALUE=$(( (a - b) * 1024 / ${k} ))`,
  );
  console.log(
    line(
      "idle netns memory (lo up)",
      { value: perNs, unit: "B/netns" },
      kernel !== undefined ? { value: kernel, unit: "B/netns" } : undefined,
    ),
  );
}

/** `n` namespaces, each joined by a veth pair to one of n / perBridge bridges: seconds taken. */
function buildBridgeStar(n: number, perBridge: number): { seconds: number; bridges: number } {
  const host = new Host({ seed: 1 });
  const init = host.initTask();
  const start = performance.now();
  const bridges: number[] = [];
  for (let b = 0; b < n / perBridge; b++) {
    rtnlNewLink(init, {
      kind: "RTM_NEWLINK",
      nlFlags: { create: true, excl: true },
      ifindex: 0,
      flags: IFF_UP,
      change: IFF_UP,
      ifname: `br${b}`,
      linkinfo: { kind: "bridge" },
    });
    bridges.push(devNameToIndex(init, `br${b}`));
  }
  for (let i = 0; i < n; i++) {
    netnsAdd(init, `c${i}`);
    rtnlNewLink(init, {
      kind: "RTM_NEWLINK",
      nlFlags: { create: true, excl: true },
      ifindex: 0,
      flags: IFF_UP,
      change: IFF_UP,
      ifname: `h${i}`,
      master: bridges[Math.floor(i / perBridge)] as number,
      linkinfo: { kind: "veth", peer: { ifname: "eth0", netnsFd: netnsOpen(init, `c${i}`) } },
    });
  }
  clockNanosleep(init, 1_000_000);
  return { seconds: (performance.now() - start) / 1000, bridges: bridges.length };
}

/**
 * Namespaces each joined to one bridge by a veth pair (a container host's docker0). A Linux bridge
 * takes at most 1,023 ports (BR_MAX_PORTS), so this builds 1,000 rather than 10,000.
 */
function benchBridgeStar(): void {
  // A Linux bridge takes at most 1,023 ports (BR_MAX_PORTS, EXFULL beyond): 10,000 namespaces
  // go onto ten bridges of 1,000. A 1,000-namespace star on a throwaway host first, so the time
  // is the emulation's and not V8 compiling it (as the other lines warm up).
  const n = 10_000;
  const perBridge = 1_000;
  buildBridgeStar(1_000, perBridge);
  (globalThis as { gc?: () => void }).gc?.();
  const { seconds, bridges } = buildBridgeStar(n, perBridge);
  const k = 500;
  const kernel = kernelValue(
    "ip link add br0 type bridge; ip link set br0 up; " +
      `for i in $(seq ${k}); do echo "netns add c$i"; echo "link add h$i up master br0 type veth peer name eth0 netns c$i"; done > /tmp/netnest-bench-br.batch; ` +
      "s=$(date +%s.%N); ip -batch /tmp/netnest-bench-br.batch; e=$(date +%s.%N); rm -f /tmp/netnest-bench-br.batch; " +
      'echo VALUE=$(echo "$e - $s" | bc -l)',
  );
  console.log(
    line(
      `netns+veth on bridges (${n.toLocaleString("en-US")} on ${bridges} bridges of ${perBridge.toLocaleString("en-US")} built in ${seconds.toFixed(2)} s; kernel: 500 on one)`,
      { value: n / seconds, unit: "ports/s" },
      kernel ? { value: k / kernel, unit: "ports/s" } : undefined,
    ),
  );
}

/** A full-table-like set of distinct prefixes (/16 to /24, a few shorter), outside 10/8, 127/8 and multicast. */
function internetPrefixes(n: number): [number, number][] {
  let x = 12345;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const out: [number, number][] = [];
  const seen = new Set<number>();
  while (out.length < n) {
    const r = rnd();
    const len = r % 50 === 0 ? 8 + (r % 8) : 16 + (r % 9);
    const dst = (rnd() & (0xffffffff << (32 - len))) >>> 0;
    const top = dst >>> 24;
    if (top === 0 || top === 10 || top === 127 || top >= 224) continue;
    const key = len * 2 ** 32 + dst;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([dst, len]);
  }
  return out;
}

/** A host with a dummy uplink 10.0.0.1/24: routes go via 10.0.0.2. */
function routerHost(seed: number): Task {
  const host = new Host({ seed });
  const t = host.initTask();
  rtnlNewLink(t, {
    kind: "RTM_NEWLINK",
    nlFlags: { create: true, excl: true },
    ifindex: 0,
    flags: IFF_UP,
    change: IFF_UP,
    ifname: "up0",
    linkinfo: { kind: "dummy" },
  });
  rtnlAddr(t, {
    kind: "RTM_NEWADDR",
    nlFlags: { create: true, excl: true },
    family: 2,
    prefixlen: 24,
    ifindex: devNameToIndex(t, "up0"),
    scope: 0,
    local: ipv4ToBytes(0x0a000001),
  });
  return t;
}

function addRoutes(t: Task, prefixes: readonly [number, number][]): void {
  const gateway = ipv4ToBytes(0x0a000002);
  for (const [dst, len] of prefixes) {
    rtnlRoute(t, {
      kind: "RTM_NEWROUTE",
      nlFlags: { create: true, excl: true },
      family: 2,
      dstLen: len,
      tos: 0,
      table: 254,
      protocol: 3,
      scope: 0,
      type: 1,
      dst: ipv4ToBytes(dst),
      gateway,
    });
  }
}

const KERNEL_ROUTES = 200_000;

/** The kernel side: `ip -batch` of KERNEL_ROUTES routes via a dummy-less veth uplink; VALUE is seconds, SLAB the growth in kB. */
function kernelRouteBatch(): { seconds: number; slabKb: number } | undefined {
  const out = kernelOutput(
    "ip link add up0 type veth peer name up1; ip addr add 10.0.0.1/24 dev up0; ip link set up0 up; ip link set up1 up; " +
      `awk 'BEGIN { srand(7); n = 0; while (n < ${KERNEL_ROUTES}) { a = int(rand()*200)+11; b = int(rand()*256); c = int(rand()*256); k = a "." b "." c; if (!(k in s)) { s[k] = 1; n++; print "route add " k ".0/24 via 10.0.0.2" } } }' > /tmp/netnest-bench-rt.batch; ` +
      "slab() { awk '/^Slab:/ {print $2}' /proc/meminfo; }; b=$(slab); " +
      "s=$(date +%s.%N); ip -batch /tmp/netnest-bench-rt.batch; e=$(date +%s.%N); a=$(slab); rm -f /tmp/netnest-bench-rt.batch; " +
      'echo VALUE=$(echo "$e - $s" | bc -l); echo SLAB=$((a - b))',
  );
  const seconds = /VALUE=([0-9.]+)/.exec(out ?? "");
  const slab = /SLAB=(-?[0-9]+)/.exec(out ?? "");
  return seconds && slab ? { seconds: Number(seconds[1]), slabKb: Number(slab[1]) } : undefined;
}

async function benchFib(): Promise<void> {
  const n = 1_000_000;
  const prefixes = internetPrefixes(n);
  const kernel = kernelRouteBatch();
  // Library API: RTM_NEWROUTE requests straight into the kernel, after a 100,000-route warm-up on
  // a throwaway host (V8 compiles the insert path first, as it would in any long-running use).
  addRoutes(routerHost(9), prefixes.slice(0, 100_000));
  const t = routerHost(1);
  let start = performance.now();
  addRoutes(t, prefixes);
  let seconds = (performance.now() - start) / 1000;
  console.log(
    line(
      "1M IPv4 routes inserted (library API)",
      { value: n / seconds, unit: "routes/s" },
      kernel ? { value: KERNEL_ROUTES / kernel.seconds, unit: "routes/s" } : undefined,
    ),
  );
  // fib_lookup of random destinations with a default route present (every lookup finds a route).
  addRoutes(t, [[0, 0]]);
  let x = 99;
  const m = 5_000_000;
  const daddrs = new Uint32Array(1 << 16);
  for (let i = 0; i < daddrs.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    daddrs[i] = x;
  }
  start = performance.now();
  let found = 0;
  for (let i = 0; i < m; i++) {
    const res = fibLookup(t.net, { daddr: daddrs[i & 0xffff] as number });
    if (!(res instanceof Error)) found++;
  }
  seconds = (performance.now() - start) / 1000;
  if (found !== m) throw new Error(`bench fib lookup: ${m - found} misses`);
  console.log(line("FIB lookups in a 1M-route table", { value: m / seconds, unit: "lookups/s" }, undefined));
  await benchFibMemory(prefixes, kernel?.slabKb);
  await benchIpBatchRoutes(prefixes, kernel?.seconds);
}

async function benchFibMemory(
  prefixes: readonly [number, number][],
  slabKb: number | undefined,
): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const kernel =
    slabKb !== undefined ? { value: (slabKb * 1024) / KERNEL_ROUTES, unit: "B/route" } : undefined;
  if (!gc) {
    console.log(
      line("IPv4 route memory", { value: Number.NaN, unit: "B/route (run node with --expose-gc)" }, kernel),
    );
    return;
  }
  const t = routerHost(2);
  // The JS heap and the typed arrays' backing stores, which live outside it. Dead backing stores
  // are freed by a background sweeper after the collection, so each reading waits for it.
  const used = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = await used();
  addRoutes(t, prefixes);
  const perRoute = ((await used()) - before) / prefixes.length;
  console.log(line("IPv4 route memory (1M routes)", { value: perRoute, unit: "B/route" }, kernel));
}

async function benchIpBatchRoutes(
  prefixes: readonly [number, number][],
  kernelSeconds: number | undefined,
): Promise<void> {
  const t = routerHost(3);
  const text = prefixes
    .map(
      ([dst, len]) =>
        `route add ${dst >>> 24}.${(dst >>> 16) & 255}.${(dst >>> 8) & 255}.${dst & 255}/${len} via 10.0.0.2\n`,
    )
    .join("");
  let stderr = "";
  const proc: Proc = {
    task: t,
    stdin: text,
    env: {},
    write: (_fd, s) => {
      stderr += s;
    },
    spawn: () => Promise.reject(new Error("no spawn in the bench")),
    readFile: () => Promise.reject(new Error("no files in the bench")),
    writeFile: () => Promise.reject(new Error("no files in the bench")),
  };
  const start = performance.now();
  const r = await ip(["ip", "-batch", "-"], proc);
  const seconds = (performance.now() - start) / 1000;
  if (r.exitCode !== 0)
    throw new Error(`bench ip -batch: exit ${r.exitCode}: ${(r.stderr + stderr).slice(0, 200)}`);
  console.log(
    line(
      "1M IPv4 routes via ip -batch",
      { value: prefixes.length / seconds, unit: "routes/s" },
      kernelSeconds ? { value: KERNEL_ROUTES / kernelSeconds, unit: "routes/s" } : undefined,
    ),
  );
}

/** UDP datagrams of 64 bytes from a to b, in batches; returns datagrams per second received. */
async function udpFlood(a: Task, b: Task, daddr: number, n: number): Promise<number> {
  const tx = socket(a, "SOCK_DGRAM", 0);
  const rx = socket(b, "SOCK_DGRAM", 0);
  bind(b, rx, 0, 9000);
  const payload = new Uint8Array(64);
  const batch = 64;
  let received = 0;
  const start = performance.now();
  for (let sent = 0; sent < n; sent += batch) {
    for (let i = 0; i < batch; i++) sendto(a, tx, payload, daddr, { port: 9000 });
    while (await pollIn(b, rx, clockGettime(b) + 1_000_000_000)) {
      if (!recvfrom(b, rx)) break;
      received++;
      if (received % batch === 0) break;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  close(a, tx);
  close(b, rx);
  if (received < n * 0.99) throw new Error(`bench udp: ${received} of ${n} datagrams`);
  return received / seconds;
}

async function benchUdp(): Promise<void> {
  const n = 200_000;
  // Each topology: a 50,000-datagram warm-up, then the best of three floods, each on a fresh host,
  // so the rate is the emulation's and not V8 compiling it (a cold first run reads 20-35 % lower).
  const best = async (build: (host: Host) => [Task, Task], daddr: number): Promise<number> => {
    const warm = build(new Host({ seed: 1 }));
    await udpFlood(warm[0], warm[1], daddr, 50_000);
    let pps = 0;
    for (let i = 0; i < 3; i++) {
      const [a, b] = build(new Host({ seed: 1 }));
      pps = Math.max(pps, await udpFlood(a, b, daddr, n));
    }
    return pps;
  };
  const pair = (host: Host): [Task, Task] => [
    vethPair(host),
    setns(host.initTask(), netnsOpen(host.initTask(), "b")),
  ];
  const overVeth = await best(pair, 0x0a000002);
  console.log(
    line(
      "UDP 64-byte datagrams over veth (best of 3 after a warm-up)",
      { value: overVeth, unit: "pkt/s" },
      undefined,
    ),
  );
  const throughRouter = await best(routerLine, 0x0a000102);
  console.log(
    line(
      "UDP 64-byte datagrams through a router netns (best of 3 after a warm-up)",
      { value: throughRouter, unit: "pkt/s" },
      undefined,
    ),
  );
}

/** a (10.0.0.2) - r - b (10.0.1.2), r forwarding; returns the tasks of a and b. */
function routerLine(host: Host): [Task, Task] {
  const init = host.initTask();
  for (const ns of ["a", "r", "b"]) netnsAdd(init, ns);
  const task = (ns: string) => setns(init, netnsOpen(init, ns));
  const r = task("r");
  const link = (name: string, peer: string, peerNs: string) =>
    rtnlNewLink(r, {
      kind: "RTM_NEWLINK",
      nlFlags: { create: true, excl: true },
      ifindex: 0,
      flags: 0,
      change: 0,
      ifname: name,
      linkinfo: { kind: "veth", peer: { ifname: peer, netnsFd: netnsOpen(init, peerNs) } },
    });
  link("ra", "va", "a");
  link("rb", "vb", "b");
  const up = (t: Task, dev: string, addr: number) => {
    const ifindex = devNameToIndex(t, dev);
    rtnlAddr(t, {
      kind: "RTM_NEWADDR",
      nlFlags: { create: true, excl: true },
      family: 2,
      prefixlen: 24,
      ifindex,
      scope: 0,
      local: ipv4ToBytes(addr),
    });
    rtnlNewLink(t, { kind: "RTM_NEWLINK", nlFlags: {}, ifindex, flags: IFF_UP, change: IFF_UP });
  };
  const a = task("a");
  const b = task("b");
  up(r, "ra", 0x0a000001);
  up(r, "rb", 0x0a000101);
  up(a, "va", 0x0a000002);
  up(b, "vb", 0x0a000102);
  sysctlWrite(r, "net/ipv4/ip_forward", "1");
  const via = (t: Task, gw: number) =>
    rtnlRoute(t, {
      kind: "RTM_NEWROUTE",
      nlFlags: { create: true, excl: true },
      family: 2,
      dstLen: 0,
      tos: 0,
      table: 254,
      protocol: 3,
      scope: 0,
      type: 1,
      gateway: ipv4ToBytes(gw),
    });
  via(a, 0x0a000001);
  via(b, 0x0a000101);
  return [a, b];
}

const LINE_ROUTERS = 1000;
/** net.ipv4.neigh.default.gc_thresh1/2/3 for the line: room for its ~2,000 ARP entries. */
const LINE_GC_THRESH: readonly (readonly [string, string])[] = [
  ["gc_thresh1", "1024"],
  ["gc_thresh2", "2048"],
  ["gc_thresh3", "4096"],
];
/** Hops per ping leg: within ping's default TTL of 64 (a ping crosses at most 254 routers even at -t 255). */
const LINE_LEG = 50;

/** The address of router i on link j (link j joins r{j} .1 and r{j+1} .2): 10.(j >> 8).(j & 255).side. */
function lineAddr(j: number, side: 1 | 2): number {
  return (0x0a000000 | (j << 8) | side) >>> 0;
}

/** The prefixes covering links 0 .. n-1, by the binary decomposition of n (the routes back down the line). */
function lineLeftPrefixes(n: number): [number, number][] {
  const out: [number, number][] = [];
  if (n <= 0) return out;
  let start = 0;
  for (let k = 15; k >= 0; k--) {
    if (!(n & (1 << k))) continue;
    out.push([(0x0a000000 | (start << 8)) >>> 0, 24 - k]);
    start += 1 << k;
  }
  return out;
}

/** One ICMP echo from `t` to `daddr` and its reply, over a raw socket as ping does. */
async function pingOnce(t: Task, daddr: number): Promise<boolean> {
  const sock = socket(t, "SOCK_RAW", IPPROTO_ICMP);
  const payload = new Uint8Array(64);
  emitIcmp(payload, 0, { kind: "echo", type: ICMP_ECHO, id: 7, seq: 1, data: payload.subarray(8) });
  sendto(t, sock, payload, daddr);
  const ok = (await pollIn(t, sock, clockGettime(t) + 2_000_000_000)) && recvfrom(t, sock) !== undefined;
  close(t, sock);
  return ok;
}

/**
 * A line of LINE_ROUTERS router namespaces r0 … r999, each joined to the next by a veth pair (nxI in
 * rI, pvI in rI+1), with
 * forwarding on, a default route up the line and the prefixes below it routed down; then pinged
 * end to end in legs of LINE_LEG hops (r0 -> r50 -> r100 … -> r999), each leg's echo and reply
 * crossing its routers. Timed: everything from the first netns to the last reply.
 */
async function benchRouterLine(): Promise<void> {
  const n = LINE_ROUTERS;
  const host = new Host({ seed: 1 });
  const init = host.initTask();
  const start = performance.now();
  // The ARP table is the machine's (gc_thresh3 = 1024 entries for all namespaces together) and
  // the line needs about two entries per router: raised from the initial namespace, as a user would.
  for (const [knob, value] of LINE_GC_THRESH) sysctlWrite(init, `net/ipv4/neigh/default/${knob}`, value);
  const tasks: Task[] = [];
  for (let i = 0; i < n; i++) {
    netnsAdd(init, `r${i}`);
    tasks.push(setns(init, netnsOpen(init, `r${i}`)));
  }
  const addrUp = (t: Task, dev: string, addr: number) => {
    const ifindex = devNameToIndex(t, dev);
    rtnlAddr(t, {
      kind: "RTM_NEWADDR",
      nlFlags: { create: true, excl: true },
      family: 2,
      prefixlen: 24,
      ifindex,
      scope: 0,
      local: ipv4ToBytes(addr),
    });
    rtnlNewLink(t, { kind: "RTM_NEWLINK", nlFlags: {}, ifindex, flags: IFF_UP, change: IFF_UP });
  };
  const route = (t: Task, dst: number, dstLen: number, gw: number) =>
    rtnlRoute(t, {
      kind: "RTM_NEWROUTE",
      nlFlags: { create: true, excl: true },
      family: 2,
      dstLen,
      tos: 0,
      table: 254,
      protocol: 3,
      scope: 0,
      type: 1,
      dst: ipv4ToBytes(dst),
      gateway: ipv4ToBytes(gw),
    });
  for (let i = 0; i + 1 < n; i++) {
    rtnlNewLink(tasks[i] as Task, {
      kind: "RTM_NEWLINK",
      nlFlags: { create: true, excl: true },
      ifindex: 0,
      flags: 0,
      change: 0,
      ifname: `nx${i}`,
      linkinfo: { kind: "veth", peer: { ifname: `pv${i}`, netnsFd: netnsOpen(init, `r${i + 1}`) } },
    });
  }
  for (let i = 0; i < n; i++) {
    const t = tasks[i] as Task;
    sysctlWrite(t, "net/ipv4/ip_forward", "1");
    if (i + 1 < n) addrUp(t, `nx${i}`, lineAddr(i, 1));
    if (i > 0) addrUp(t, `pv${i - 1}`, lineAddr(i - 1, 2));
    if (i + 1 < n) route(t, 0, 0, lineAddr(i, 2));
    for (const [dst, len] of lineLeftPrefixes(i - 1)) route(t, dst, len, lineAddr(i - 1, 1));
  }
  let legs = 0;
  for (let from = 0; from < n - 1; from += LINE_LEG) {
    const to = Math.min(from + LINE_LEG, n - 1);
    if (!(await pingOnce(tasks[from] as Task, lineAddr(to - 1, 2))))
      throw new Error(`bench router line: no reply from r${to} to r${from}`);
    legs++;
  }
  const seconds = (performance.now() - start) / 1000;
  // The kernel side runs in a sandbox namespace, where net.ipv4.neigh.default does not exist: with
  // gc_thresh3 left at 1024 for the whole machine, a line past ~500 routers overflows the table and
  // its pings are lost, so the kernel builds a shorter line the same way.
  const kn = 250;
  const kernel = kernelRouterLine(kn, Math.ceil((kn - 1) / LINE_LEG));
  console.log(
    line(
      `line of ${n.toLocaleString("en-US")} router netns built and pinged end to end in ${seconds.toFixed(2)} s ` +
        `(${legs} ping legs of ${LINE_LEG} hops; gc_thresh1/2/3 raised to ${LINE_GC_THRESH.map(([, v]) => v).join("/")} ` +
        `first, as the shared ARP table overflows past ~500 routers; kernel: a ${kn}-router line, unraised)`,
      { value: n / seconds, unit: "routers/s" },
      kernel !== undefined ? { value: kn / kernel, unit: "routers/s" } : undefined,
    ),
  );
}

/**
 * The kernel side of benchRouterLine: the same line with `ip -batch` (namespaces, veth pairs),
 * one `ip netns exec … sh` per namespace (ip_forward, then `ip -batch` of its addresses, links
 * and routes) and `ip netns exec … ping -c 1` per leg. The batch files are written before the clock
 * starts. Returns seconds, or undefined without a live kernel or when a ping fails.
 */
function kernelRouterLine(n: number, legs: number): number | undefined {
  const dir = "/tmp/netnest-bench-line";
  return kernelValue(
    `N=${n}; L=${LINE_LEG}; D=${dir}; rm -rf $D; mkdir -p $D; ` +
      "a() { echo 10.$(($1 >> 8)).$(($1 & 255)).$2; }; " +
      'for i in $(seq 0 $((N-1))); do echo "netns add r$i"; done > $D/ns; ' +
      'for i in $(seq 0 $((N-2))); do echo "link add nx$i netns r$i type veth peer name pv$i netns r$((i+1))"; done > $D/links; ' +
      "for i in $(seq 0 $((N-1))); do { " +
      '  if [ $i -lt $((N-1)) ]; then echo "addr add $(a $i 1)/24 dev nx$i"; echo "link set nx$i up"; fi; ' +
      '  if [ $i -gt 0 ]; then j=$((i-1)); echo "addr add $(a $j 2)/24 dev pv$j"; echo "link set pv$j up"; fi; ' +
      '  if [ $i -lt $((N-1)) ]; then echo "route add default via $(a $i 2)"; fi; ' +
      "  m=$((i-1)); s=0; for k in $(seq 15 -1 0); do if [ $m -gt 0 ] && [ $((m & (1 << k))) -ne 0 ]; then " +
      '    echo "route add $(a $s 0)/$((24-k)) via $(a $((i-1)) 1)"; s=$((s + (1 << k))); fi; done; ' +
      "} > $D/r$i; done; " +
      "s=$(date +%s.%N); ip -batch $D/ns && ip -batch $D/links && " +
      'for i in $(seq 0 $((N-1))); do ip netns exec r$i sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward && ip -batch $D/r$i" || exit 1; done && ' +
      "ok=0; f=0; while [ $f -lt $((N-1)) ]; do t=$((f+L)); [ $t -gt $((N-1)) ] && t=$((N-1)); " +
      "  ip netns exec r$f ping -c 1 -W 2 -q $(a $((t-1)) 2) > /dev/null && ok=$((ok+1)); f=$t; done; " +
      `e=$(date +%s.%N); rm -rf $D; [ $ok -eq ${legs} ] && echo VALUE=$(echo "$e - $s" | bc -l)`,
  );
}

/** Runs each body as its own scheduler flow, as background jobs do. */
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

const VETH_KERNEL_SETUP =
  "ip netns add a; ip netns add b; ip link add va netns a type veth peer name vb netns b; " +
  "ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb; " +
  "ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up; ";

/** TCP bulk transfer a -> b over veth: payload bits per wall second (kernel: nc from /dev/zero). */
async function benchTcpBulk(): Promise<void> {
  const size = 64 * 1024 * 1024;
  const host = new Host({ seed: 1 });
  const a = vethPair(host);
  const b = setns(host.initTask(), netnsOpen(host.initTask(), "b"));
  const lsk = sys.socket(b, "SOCK_STREAM", 0);
  sys.bind(b, lsk, 0, 5001);
  sys.listen(b, lsk, 5);
  const chunk = new Uint8Array(128 * 1024);
  let received = 0;
  const start = performance.now();
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
        received += m.data.length;
      }
      sys.close(t, c);
    },
    async (flow) => {
      const t = { ...a, flow };
      const s = sys.socket(t, "SOCK_STREAM", 0);
      await sys.connect(t, s, 0x0a000002, 5001);
      for (let at = 0; at < size; at += chunk.length) await sys.send(t, s, chunk);
      sys.close(t, s);
    },
  );
  const seconds = (performance.now() - start) / 1000;
  if (received !== size) throw new Error(`bench tcp bulk: ${received} of ${size} bytes`);
  const mb = 1000;
  const kernel = kernelValue(
    VETH_KERNEL_SETUP +
      "(ip netns exec b nc -l -p 5001 > /dev/null &); sleep 0.3; " +
      `s=$(date +%s.%N); dd if=/dev/zero bs=1M count=${mb} 2>/dev/null | ip netns exec a nc -N 10.0.0.2 5001; e=$(date +%s.%N); ` +
      'echo VALUE=$(echo "$e - $s" | bc -l)',
  );
  console.log(
    line(
      "TCP bulk over veth",
      { value: (size * 8) / seconds / 1e6, unit: "Mbit/s" },
      kernel ? { value: (mb * 2 ** 20 * 8) / kernel / 1e6, unit: "Mbit/s" } : undefined,
    ),
  );
}

/** `n` short TCP connections a -> b over veth (connect, 100 bytes each way, close): seconds taken. */
async function tcpShortRun(n: number): Promise<number> {
  const host = new Host({ seed: 1 });
  const a = vethPair(host);
  const b = setns(host.initTask(), netnsOpen(host.initTask(), "b"));
  const lsk = sys.socket(b, "SOCK_STREAM", 0);
  sys.bind(b, lsk, 0, 5002);
  sys.listen(b, lsk, 128);
  const msg = new Uint8Array(100);
  const readAll = async (t: Task, s: sys.Socket, want: number): Promise<void> => {
    let got = 0;
    while (got < want) {
      await sys.poll(t, [{ sock: s, events: sys.POLLIN }]);
      const m = sys.recvfrom(t, s);
      if (!m) continue;
      if (m.data.length === 0) break;
      got += m.data.length;
    }
    if (got !== want) throw new Error(`bench tcp short: ${got} of ${want} bytes`);
  };
  const start = performance.now();
  await concurrently(
    host,
    async (flow) => {
      const t = { ...b, flow };
      for (let i = 0; i < n; i++) {
        const c = (await sys.accept(t, lsk)) as sys.Socket;
        await readAll(t, c, 100);
        await sys.send(t, c, msg);
        sys.close(t, c);
      }
    },
    async (flow) => {
      const t = { ...a, flow };
      for (let i = 0; i < n; i++) {
        const s = sys.socket(t, "SOCK_STREAM", 0);
        await sys.connect(t, s, 0x0a000002, 5002);
        await sys.send(t, s, msg);
        await readAll(t, s, 100);
        sys.close(t, s);
      }
    },
  );
  return (performance.now() - start) / 1000;
}

/**
 * Short TCP connections a -> b over veth: connect, 100 bytes each way, close. The rate is the
 * best of three runs of 20,000 on fresh hosts after a warm-up run of the same size, so it
 * measures the emulation, not V8 compiling it and the heap growing to hold 20,000 TIME_WAIT
 * sockets (a first cold run reads about 40 % lower; after a warm-up of 5,000, the first measured
 * run still read 20-25 % below the next two).
 */
async function benchTcpShort(): Promise<void> {
  const n = 20_000;
  await tcpShortRun(n);
  let seconds = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) seconds = Math.min(seconds, await tcpShortRun(n));
  const k = 5000;
  const srv =
    "import socket\\n" +
    "l=socket.socket(); l.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); l.bind(('10.0.0.2',5002)); l.listen(128)\\n" +
    `for _ in range(${k}):\\n` +
    " c,_=l.accept(); d=b''\\n" +
    " while len(d)<100: d+=c.recv(100)\\n" +
    " c.sendall(b'x'*100); c.close()\\n";
  const cli =
    "import socket,time\\n" +
    "s0=time.time()\\n" +
    `for _ in range(${k}):\\n` +
    " s=socket.create_connection(('10.0.0.2',5002)); s.sendall(b'x'*100)\\n" +
    " while s.recv(100): pass\\n" +
    " s.close()\\n" +
    "print('VALUE=%%f' %% (time.time()-s0))\\n";
  // One Python process per side (a short C client would be faster still: this is a floor).
  const kernel = kernelValue(
    VETH_KERNEL_SETUP +
      `(printf "${srv}" | ip netns exec b python3 - &); sleep 0.5; ` +
      `printf "${cli}" | ip netns exec a python3 -`,
  );
  console.log(
    line(
      "TCP connect+100B each way+close over veth (best of 3 after a warm-up)",
      { value: n / seconds, unit: "conn/s" },
      kernel ? { value: k / kernel, unit: "conn/s" } : undefined,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Netfilter: conntrack memory, iptables-restore, rules a packet does not match.

/** 10,000 rules `-A INPUT -s 192.168.X.Y/32 -j DROP` in iptables-restore's format. */
function restoreText(rules: number): string {
  const out = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];
  for (let i = 0; i < rules; i++) out.push(`-A INPUT -s 192.168.${i >>> 8}.${i & 255}/32 -j DROP`);
  out.push("COMMIT", "");
  return out.join("\n");
}

function benchProc(t: Task, stdin: string): Proc & { err: () => string } {
  let stderr = "";
  return {
    task: t,
    stdin,
    env: {},
    write: (_fd, s) => {
      stderr += s;
    },
    spawn: () => Promise.reject(new Error("no spawn in the bench")),
    readFile: () => Promise.reject(new Error("no files in the bench")),
    writeFile: () => Promise.reject(new Error("no files in the bench")),
    err: () => stderr,
  };
}

/** The kernel side of the netfilter benches: a veth pair a (10.0.0.1) - b (10.0.0.2). */
const KERNEL_NF_PAIR =
  "ip netns add a; ip netns add b; ip link add va netns a type veth peer name vb netns b; " +
  "ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb; " +
  "ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up; ";

async function benchIptablesRestore(): Promise<void> {
  const rules = 10_000;
  const text = restoreText(rules);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const t = new Host({ seed: 1 }).initTask();
    const proc = benchProc(t, text);
    const start = performance.now();
    const r = await iptablesRestore(["iptables-restore"], proc);
    best = Math.min(best, (performance.now() - start) / 1000);
    if (r.exitCode !== 0)
      throw new Error(`bench iptables-restore: exit ${r.exitCode}: ${r.stderr.slice(0, 200)}`);
    const input = (iptGetTable(t, "filter") as IptTable).chains[0];
    if (input?.entries.length !== rules) throw new Error("bench iptables-restore: rules missing");
  }
  const kernel = kernelValue(
    `awk 'BEGIN { print "*filter"; print ":INPUT ACCEPT [0:0]"; print ":FORWARD ACCEPT [0:0]"; print ":OUTPUT ACCEPT [0:0]"; ` +
      `for (i = 0; i < ${rules}; i++) printf "-A INPUT -s 192.168.%d.%d/32 -j DROP\\n", int(i / 256), i % 256; print "COMMIT" }' > /tmp/netnest-bench-ipt.rules; ` +
      "ip netns add r; s=$(date +%s.%N); ip netns exec r iptables-restore < /tmp/netnest-bench-ipt.rules; e=$(date +%s.%N); " +
      `n=$(ip netns exec r iptables -S INPUT | grep -c DROP); rm -f /tmp/netnest-bench-ipt.rules; ` +
      `[ "$n" = ${rules} ] && echo VALUE=$(echo "$e - $s" | bc -l)`,
  );
  const ms = (s: number) => ({ value: s * 1000, unit: "ms" });
  console.log(
    line("iptables-restore of 10,000 rules (best of 5)", ms(best), kernel ? ms(kernel) : undefined),
  );
}

/** UDP datagrams per second into b with `rules` non-matching rules on b's INPUT. */
async function udpRateThroughRules(rules: number): Promise<number> {
  const host = new Host({ seed: 5 });
  const a = vethPair(host);
  const b = setns(host.initTask(), netnsOpen(host.initTask(), "b"));
  const r = await iptablesRestore(["iptables-restore"], benchProc(b, restoreText(rules)));
  if (r.exitCode !== 0) throw new Error(`bench rules: restore failed: ${r.stderr.slice(0, 200)}`);
  const pps = await udpFlood(a, b, 0x0a000002, 100_000);
  const input = (iptGetTable(b, "filter") as IptTable).chains[0];
  if (input?.entries.some((e) => e.counters.pcnt !== 0)) throw new Error("bench rules: a rule matched");
  return pps;
}

/** The kernel's ping -f rate from a to b with `rules` non-matching rules on b's INPUT. */
function kernelPingRateThroughRules(rules: number, count: number): number | undefined {
  const seconds = kernelValue(
    KERNEL_NF_PAIR +
      `awk 'BEGIN { print "*filter"; print ":INPUT ACCEPT [0:0]"; print ":FORWARD ACCEPT [0:0]"; print ":OUTPUT ACCEPT [0:0]"; ` +
      `for (i = 0; i < ${rules}; i++) printf "-A INPUT -s 192.168.%d.%d/32 -j DROP\\n", int(i / 256), i % 256; print "COMMIT" }' | ip netns exec b iptables-restore; ` +
      "ip netns exec a ping -c 1 -q 10.0.0.2 >/dev/null; " +
      `s=$(date +%s.%N); ip netns exec a ping -f -q -c ${count} 10.0.0.2 >/dev/null; e=$(date +%s.%N); ` +
      'echo VALUE=$(echo "$e - $s" | bc -l)',
  );
  return seconds ? count / seconds : undefined;
}

async function benchRulesNotMatching(): Promise<void> {
  // Alternated, best of three each, so that other load on the machine hits both alike.
  let none = 0;
  let many = 0;
  for (let round = 0; round < 3; round++) {
    none = Math.max(none, await udpRateThroughRules(0));
    many = Math.max(many, await udpRateThroughRules(10_000));
  }
  const kNone = kernelPingRateThroughRules(0, 20_000);
  const kMany = kernelPingRateThroughRules(10_000, 1_000);
  console.log(
    line(
      "UDP datagrams through 10,000 non-matching INPUT rules",
      { value: many, unit: "pkt/s" },
      kMany ? { value: kMany, unit: "rtt/s (ping -f)" } : undefined,
    ),
  );
  const pct = (x: number, y: number) => ({ value: (100 * x) / y, unit: "% of the 0-rule rate" });
  console.log(
    line(
      `rate with 10,000 non-matching rules against 0 rules (netnest ${Math.round(none).toLocaleString("en-US")} pkt/s with 0)`,
      pct(many, none),
      kNone && kMany ? pct(kMany, kNone) : undefined,
    ),
  );
}

/**
 * 1,000,000 confirmed UDP connections in one namespace's table: heap per entry and insert rate.
 * The kernel side makes 200,000 (nf_conntrack_max is 262,144 here, and only init_net may raise
 * it) from a Python UDP sender, each socket and destination port a new flow tracked at LOCAL_OUT
 * toward a peer that exists (an unresolved neighbour would hold the datagrams and block the
 * sender), and reads the nf_conntrack slab's growth.
 */
function benchConntrack(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const n = 1_000_000;
  const net = new Host({ seed: 1 }).initNet;
  netCt(net).max = 2 * n;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const c = new NfConn(17, 0x0a000000 + (i >>> 14), 0x0a800001, 1024 + (i & 0x3fff), 53);
    c.rs = c.od;
    c.rd = c.os;
    c.rsp = 53;
    c.rdp = c.osp;
    nfCtInsertForTest(net, c, 30);
  }
  const seconds = (performance.now() - start) / 1000;
  gc?.();
  const bytes = process.memoryUsage().heapUsed - before;
  if (nfConntrackCount(net) !== n) throw new Error("bench conntrack: entries missing");
  const k = 200_000;
  const out = kernelOutput(
    KERNEL_NF_PAIR +
      "ip netns exec a iptables -A OUTPUT -m conntrack --ctstate NEW; " +
      "slab() { awk '/^nf_conntrack / {print $3 * $4}' /proc/slabinfo; }; b=$(slab); " +
      `s=$(date +%s.%N); ip netns exec a python3 -c 'import socket\nss = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(${k / 50_000})]\n` +
      `for i in range(${k}):\n  ss[i // 50000].sendto(b"x", ("10.0.0.2", 1 + i % 50000))' 2>/dev/null; e=$(date +%s.%N); ` +
      "a=$(slab); echo COUNT=$(ip netns exec a cat /proc/sys/net/netfilter/nf_conntrack_count); " +
      'echo VALUE=$(echo "$e - $s" | bc -l); echo SLAB=$((a - b))',
  );
  const kCount = Number(/COUNT=([0-9]+)/.exec(out ?? "")?.[1] ?? 0);
  const kSeconds = Number(/VALUE=([0-9.]+)/.exec(out ?? "")?.[1] ?? 0);
  const kSlab = Number(/SLAB=(-?[0-9]+)/.exec(out ?? "")?.[1] ?? 0);
  const kOk = kCount > 0 && kSeconds > 0;
  console.log(
    line(
      `conntrack entries inserted (1M, ${(bytes / 2 ** 20).toFixed(0)} MB heap)`,
      { value: n / seconds, unit: "entries/s (straight into the hash)" },
      kOk ? { value: kCount / kSeconds, unit: "entries/s (UDP flows, sendto)" } : undefined,
    ),
  );
  console.log(
    line(
      "conntrack memory (1M entries)",
      gc
        ? { value: bytes / n, unit: "B/entry" }
        : { value: Number.NaN, unit: "B/entry (run node with --expose-gc)" },
      kOk && kSlab > 0
        ? { value: kSlab / kCount, unit: `B/entry (slab, ${kCount.toLocaleString("en-US")} entries)` }
        : undefined,
    ),
  );
}

/** Set in the child process that runs one benchmark (see the loop at the end). */
const ONE_BENCH = process.env.NETNEST_BENCH_ONE;
if (ONE_BENCH === undefined) {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, kernel side ${process.getuid?.() === 0 ? "live (unshare)" : "n/a (not root)"}`,
  );
}
// `npm run bench -- WORD…` runs only the benchmarks whose name contains one of the words.
const BENCHES: readonly (readonly [string, () => void | Promise<void>])[] = [
  ["namespaces", benchNamespaces],
  ["idlenamespacememory", benchIdleNamespaceMemory],
  ["bridgestar", benchBridgeStar],
  ["ping", benchPing],
  ["fib", benchFib],
  ["routerline", benchRouterLine],
  ["udp", benchUdp],
  ["tcpbulk", benchTcpBulk],
  ["tcpshort", benchTcpShort],
  ["conntrack", benchConntrack],
  ["iptablesrestore", benchIptablesRestore],
  ["rulesnotmatching", benchRulesNotMatching],
];
const only = process.argv.slice(2).map((w) => w.toLowerCase());
if (ONE_BENCH !== undefined) {
  const bench = BENCHES.find(([name]) => name === ONE_BENCH);
  if (!bench) throw new Error(`no benchmark named ${ONE_BENCH}`);
  await bench[1]();
} else {
  for (const [name] of BENCHES) {
    if (only.length > 0 && !only.some((w) => name.includes(w))) continue;
    // Each benchmark runs in a Node process of its own, as each `netnest run` does: it starts on
    // a fresh heap and on code V8 has not yet specialised for the benchmarks before it (run in
    // one process after the bridge, router and UDP lines, short TCP connections read ~25 % lower).
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: "inherit",
      env: { ...process.env, NETNEST_BENCH_ONE: name },
    });
    if (r.status !== 0) {
      console.error(`bench ${name}: exited with ${r.status ?? r.signal}`);
      process.exitCode = 1;
    }
  }
}
