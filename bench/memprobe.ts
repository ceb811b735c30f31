// Where an idle namespace's heap goes (`node --expose-gc --import tsx bench/memprobe.ts [depth]`):
// bytes per namespace measured as the memory bench does (bench/run.ts benchIdleNamespaceMemory),
// then, from a heap snapshot, what one namespace retains alone, by the path from struct net
// (`net.ipv4._fibTables`, `net.loopbackDev.inDev`…), and what the namespaces cost outside their
// own objects (the host's tables that list them, lo's IPv6 state kept by the host).
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { Host } from "../src/kernel/host.js";
import type { Net } from "../src/kernel/net_namespace.js";
import { IFF_UP, netnsAdd, netnsOpen, rtnlNewLink, setns, taskExit } from "../src/kernel/syscalls.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run node with --expose-gc");
const depth = Number(process.argv[2] ?? 3);

/** Namespaces made as the bench makes them: `ip netns add`, then `ip -n NAME link set lo up`. */
function makeIdle(host: Host, from: number, count: number): void {
  const task = host.initTask();
  for (let i = from; i < from + count; i++) {
    netnsAdd(task, `idle${i}`);
    const inside = setns(task, netnsOpen(task, `idle${i}`));
    rtnlNewLink(inside, { kind: "RTM_NEWLINK", nlFlags: {}, ifindex: 1, flags: IFF_UP, change: IFF_UP });
    taskExit(inside);
  }
}

function perNamespace(n: number): number {
  const host = new Host({ seed: 1 });
  makeIdle(host, 0, 1000);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  makeIdle(host, 1000, n);
  gc?.();
  return (process.memoryUsage().heapUsed - before) / n;
}

/** A V8 heap snapshot's node and edge arrays, with the accessors this probe needs. */
class Snapshot {
  readonly nodeCount: number;
  private readonly nf: number;
  private readonly ef: number;
  private readonly firstEdge: Uint32Array;
  private readonly s: {
    nodes: number[];
    edges: number[];
    strings: string[];
    snapshot: {
      meta: { node_fields: string[]; edge_fields: string[]; node_types: string[][]; edge_types: string[][] };
    };
  };

  constructor(file: string) {
    this.s = JSON.parse(readFileSync(file, "utf8"));
    const meta = this.s.snapshot.meta;
    this.nf = meta.node_fields.length;
    this.ef = meta.edge_fields.length;
    this.nodeCount = this.s.nodes.length / this.nf;
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    for (let i = 0, e = 0; i < this.nodeCount; i++) {
      this.firstEdge[i] = e;
      e += (this.s.nodes[i * this.nf + 4] as number) * this.ef;
    }
    this.firstEdge[this.nodeCount] = this.s.edges.length;
  }

  selfSize(node: number): number {
    return this.s.nodes[node * this.nf + 3] as number;
  }

  /** The strong edges out of `node`: [name, target]. */
  *edges(node: number): Generator<[string, number]> {
    const types = this.s.snapshot.meta.edge_types[0] as string[];
    for (let e = this.firstEdge[node] as number; e < (this.firstEdge[node + 1] as number); e += this.ef) {
      const type = types[this.s.edges[e] as number];
      if (type === "weak") continue;
      const nameOrIndex = this.s.edges[e + 1] as number;
      const name =
        type === "element" || type === "hidden"
          ? `[${nameOrIndex}]`
          : (this.s.strings[nameOrIndex] as string);
      yield [name, (this.s.edges[e + 2] as number) / this.nf];
    }
  }

  /** Marks what the roots reach without passing through any node in `avoid`. */
  reachAvoiding(avoid: (node: number) => boolean): Uint8Array {
    const reached = new Uint8Array(this.nodeCount);
    const stack = [0];
    reached[0] = 1;
    while (stack.length > 0) {
      const n = stack.pop() as number;
      for (const [, t] of this.edges(n))
        if (!reached[t] && !avoid(t)) {
          reached[t] = 1;
          stack.push(t);
        }
    }
    return reached;
  }
}

const n = 10_000;
console.log(`per netns ${perNamespace(n).toFixed(0)} B (bench method, ${n} namespaces)`);

// One host with a few namespaces; every struct net is found by the global that lists them.
const host = new Host({ seed: 1 });
makeIdle(host, 0, 40);
const nets = [...host.namespaces] as Net[];
const probe = globalThis as { __memprobeNets?: Net[] };
probe.__memprobeNets = nets;
gc();
const file = writeHeapSnapshot(join(tmpdir(), `memprobe-${process.pid}.heapsnapshot`));
const snap = new Snapshot(file);
rmSync(file);
// The array behind __memprobeNets (found from the roots): its elements are the namespaces.
let listNode = -1;
const seen = new Uint8Array(snap.nodeCount);
const stack = [0];
while (stack.length > 0 && listNode < 0) {
  const node = stack.pop() as number;
  for (const [name, t] of snap.edges(node)) {
    if (name === "__memprobeNets") listNode = t;
    else if (!seen[t]) {
      seen[t] = 1;
      stack.push(t);
    }
  }
}
const netNodes: number[] = [];
for (const [name, elements] of snap.edges(listNode))
  if (name === "elements") for (const [, t] of snap.edges(elements)) netNodes.push(t);
const target = netNodes[20] as number;
// The probe's own array is not the namespaces' cost.
const reachedWithout = snap.reachAvoiding((t) => t === target || t === listNode);

// Exclusive to `target`: reached from it, not from the roots without it. Named by first path.
const byPath = new Map<string, [number, number]>();
const owned = new Uint8Array(snap.nodeCount);
const queue: [number, string][] = [[target, "net"]];
owned[target] = 1;
let exclusive = 0;
while (queue.length > 0) {
  const [node, path] = queue.shift() as [number, string];
  exclusive += snap.selfSize(node);
  const key = path.split(".").slice(0, depth).join(".");
  const entry = byPath.get(key) ?? [0, 0];
  entry[0] += snap.selfSize(node);
  entry[1]++;
  byPath.set(key, entry);
  for (const [name, t] of snap.edges(node))
    if (!owned[t] && !reachedWithout[t]) {
      owned[t] = 1;
      queue.push([t, `${path}.${name}`]);
    }
}
console.log(`one namespace alone retains ${exclusive} B:`);
for (const [key, [bytes, objects]] of [...byPath].sort((a, b) => b[1][0] - a[1][0]))
  console.log(`${String(bytes).padStart(7)} ${String(objects).padStart(3)}  ${key}`);
console.log("(the rest of the bench figure is outside struct net: the host's namespace and name tables,");
console.log(" lo's IPv6 address kept by host.inet6, and V8's amortized table growth)");
