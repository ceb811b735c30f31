// npm run bench: netnest against the real kernel, side by side, in one run.
// Each result is one line: `bench NAME: netnest VALUE UNIT | kernel VALUE UNIT | ratio R`.
// The kernel side runs as root inside a private `unshare -m -n` sandbox; elsewhere it is `n/a`.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { Host } from "../src/kernel/host.js";
import {
  clockGettime,
  clockNanosleep,
  close,
  devNameToIndex,
  IFF_UP,
  netnsAdd,
  netnsDel,
  netnsOpen,
  pollIn,
  recvfrom,
  rtnlAddr,
  rtnlNewLink,
  sendto,
  setns,
  socket,
  type Task,
  taskExit,
} from "../src/kernel/syscalls.js";
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

/** Runs a bash script on the live kernel in a throwaway sandbox and reads the number it prints as VALUE=N; undefined when that cannot be done. */
function kernelValue(script: string): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const out = execFileSync(
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
    const match = /VALUE=([0-9.]+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
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

/**
 * Namespaces each joined to one bridge by a veth pair (a container host's docker0). A Linux bridge
 * takes at most 1,023 ports (BR_MAX_PORTS), so this builds 1,000 rather than 10,000.
 */
function benchBridgeStar(): void {
  const n = 1_000;
  const host = new Host({ seed: 1 });
  const init = host.initTask();
  const start = performance.now();
  rtnlNewLink(init, {
    kind: "RTM_NEWLINK",
    nlFlags: { create: true, excl: true },
    ifindex: 0,
    flags: IFF_UP,
    change: IFF_UP,
    ifname: "br0",
    linkinfo: { kind: "bridge" },
  });
  const br = devNameToIndex(init, "br0");
  for (let i = 0; i < n; i++) {
    netnsAdd(init, `c${i}`);
    rtnlNewLink(init, {
      kind: "RTM_NEWLINK",
      nlFlags: { create: true, excl: true },
      ifindex: 0,
      flags: IFF_UP,
      change: IFF_UP,
      ifname: `h${i}`,
      master: br,
      linkinfo: { kind: "veth", peer: { ifname: "eth0", netnsFd: netnsOpen(init, `c${i}`) } },
    });
  }
  clockNanosleep(init, 1_000_000);
  const seconds = (performance.now() - start) / 1000;
  const k = 500;
  const kernel = kernelValue(
    "ip link add br0 type bridge; ip link set br0 up; " +
      `for i in $(seq ${k}); do echo "netns add c$i"; echo "link add h$i up master br0 type veth peer name eth0 netns c$i"; done > /tmp/netnest-bench-br.batch; ` +
      "s=$(date +%s.%N); ip -batch /tmp/netnest-bench-br.batch; e=$(date +%s.%N); rm -f /tmp/netnest-bench-br.batch; " +
      'echo VALUE=$(echo "$e - $s" | bc -l)',
  );
  console.log(
    line(
      `netns+veth on one bridge (${n.toLocaleString("en-US")} built in ${seconds.toFixed(2)} s)`,
      { value: n / seconds, unit: "ports/s" },
      kernel ? { value: k / kernel, unit: "ports/s" } : undefined,
    ),
  );
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, kernel side ${process.getuid?.() === 0 ? "live (unshare)" : "n/a (not root)"}`,
);
benchNamespaces();
benchIdleNamespaceMemory();
benchBridgeStar();
await benchPing();
