// Where an idle namespace's heap goes (`node --expose-gc --import tsx bench/memprobe.ts`): bytes per
// namespace, and what dropping each part of struct net saves — a guide for the memory bench.
import { Host } from "../src/kernel/host.js";
import { IFF_UP, netnsAdd, netnsOpen, rtnlNewLink, setns, taskExit } from "../src/kernel/syscalls.js";

const gc = (globalThis as { gc?: () => void }).gc as () => void;
function measure(strip?: (net: Record<string, unknown>) => void): number {
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
  make(0, 200);
  gc();
  const before = process.memoryUsage().heapUsed;
  const n = 5000;
  make(200, n);
  if (strip)
    for (const net of [...host.namespaces].slice(201)) strip(net as unknown as Record<string, unknown>);
  gc();
  return (process.memoryUsage().heapUsed - before) / n;
}
const base = measure();
console.log("per netns", base.toFixed(0));
const parts: Record<string, (n: Record<string, unknown>) => void> = {
  ipv4: (n) => {
    n.ipv4 = undefined;
  },
  nf: (n) => {
    n.nf = undefined;
  },
  loopbackDev: (n) => {
    n.loopbackDev = undefined;
    (n.devByName as Map<string, unknown>).clear();
    (n.devByIndex as Map<number, unknown>).clear();
  },
  nsids: (n) => {
    n.nsids = undefined;
    n.nsidHolders = undefined;
  },
};
for (const [name, f] of Object.entries(parts)) console.log(name, (base - measure(f)).toFixed(0));
const ipv4keys = [
  "fibTables",
  "rules",
  "devconfAll",
  "devconfDflt",
  "peers",
  "frags",
  "udpHash",
  "udpMib",
  "tcp",
  "reservedPorts",
  "rawSockets",
  "neighbours",
  "fnhe",
  "mib",
];
for (const k of ipv4keys)
  console.log(
    "  ipv4." + k,
    (
      base -
      measure((n) => {
        (n.ipv4 as Record<string, unknown>)[k] = undefined;
      })
    ).toFixed(0),
  );
