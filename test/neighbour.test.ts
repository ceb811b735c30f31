// arp_tbl as the machine's one table, where the live kernel's sandbox cannot go: its gc knobs are
// the initial namespace's (net.ipv4.neigh.default, `ip ntable change`), so a small gc_thresh3,
// the forced gc's eviction order and the statistics are checked here rather than as scenarios.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { runScript } from "../src/shell/index.js";

const SETUP = [
  "ip netns add a",
  "ip netns add b",
  "ip link add va netns a type veth peer name vb netns b",
  "ip -n a addr add 10.0.0.1/16 dev va",
  "ip -n b addr add 10.0.0.2/16 dev vb",
  "ip -n a link set va up",
  "ip -n b link set vb up",
];

/** `ip -n NS neigh add` of `n` STALE entries 10.0.X.1.. on DEV. */
function adds(ns: string, dev: string, x: number, n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => `ip -n ${ns} neigh add 10.0.${x}.${i + 1} lladdr 02:00:00:00:00:01 dev ${dev} nud stale`,
  );
}

function stat(out: string, name: string): number {
  const m = new RegExp(`\\b${name} (\\d+)`).exec(out);
  if (!m) throw new Error(`no ${name} in ${out}`);
  return Number(m[1]);
}

describe("arp_tbl, shared by every namespace", () => {
  it("counts every namespace's entries against gc_thresh3 and logs the overflow", async () => {
    const host = new Host();
    const r = await runScript(
      [
        ...SETUP,
        "sysctl -w net.ipv4.neigh.default.gc_thresh3=16",
        ...adds("a", "va", 1, 10),
        ...adds("b", "vb", 2, 6),
        "ip -n b neigh add 10.0.2.99 lladdr 02:00:00:00:00:01 dev vb nud stale; echo rc=$?",
        "ip -n b neigh add 10.0.2.98 lladdr 02:00:00:00:00:01 dev vb nud permanent; echo rc=$?",
        "ip netns exec a ping -c 1 -W 1 10.0.0.2; echo rc=$?",
        "ip -s ntable show dev none",
        "dmesg",
      ].join("\n"),
      { host },
    );
    expect(r.stdout).toContain("rc=2\nrc=0\n");
    expect(r.stderr).toContain("RTNETLINK answers: No buffer space available\n");
    expect(r.stderr).toContain("ping: sendmsg: No buffer space available\n");
    expect(r.stdout).toContain("thresh1 128 thresh2 512 thresh3 16 gc_int 30000 \n");
    // 16 counted entries and the permanent one, which is exempt from gc_entries.
    expect(stat(r.stdout, "entries")).toBe(17);
    expect(host.arpTbl.gcEntries).toBe(16);
    // The refused add, and ping's two tries (ENOBUFS, again 500 ms later, then the error).
    expect(stat(r.stdout, "table_fulls")).toBe(3);
    expect(stat(r.stdout, "forced_gc_runs")).toBe(3);
    expect(stat(r.stdout, "allocs")).toBe(17);
    expect(r.stdout.match(/neighbour: arp_cache: neighbor table overflow!/g)).toHaveLength(3);
  });

  it("lets the forced gc evict the oldest unreferenced entries 5 s on, down to gc_thresh2", async () => {
    const host = new Host();
    const r = await runScript(
      [
        ...SETUP,
        "ip ntable change name arp_cache thresh2 8 thresh3 16",
        ...adds("a", "va", 1, 16),
        "ip -n b neigh add 10.0.2.1 lladdr 02:00:00:00:00:01 dev vb nud stale; echo rc=$?",
        "sleep 6",
        "ip -n b neigh add 10.0.2.2 lladdr 02:00:00:00:00:01 dev vb nud stale; echo rc=$?",
        "ip -n a neigh show | wc -l",
        "ip -n a neigh show 10.0.1.9; ip -n a neigh show 10.0.1.10",
        "ip -n b neigh show",
      ].join("\n"),
      { host },
    );
    // 17 counted at the second add: max_clean 17 - 8 = 9, the first nine of a's go.
    expect(r.stdout).toBe(
      [
        "rc=2",
        "rc=0",
        "7",
        "10.0.1.10 dev va lladdr 02:00:00:00:00:01 STALE ",
        "10.0.2.2 dev vb lladdr 02:00:00:00:00:01 STALE ",
        "",
      ].join("\n"),
    );
    expect(host.arpTbl.stats.destroys).toBe(9);
    expect(host.arpTbl.entries).toBe(8);
  });

  it("collects periodically only from gc_thresh1 on", async () => {
    const host = new Host();
    const r = await runScript(
      [
        ...SETUP,
        "sysctl -w net.ipv4.neigh.default.gc_thresh1=8",
        "ip netns exec a sysctl -w net.ipv4.neigh.va.gc_stale_time=2",
        ...adds("a", "va", 1, 7),
        "sleep 40",
        "ip -n a neigh show | wc -l",
        ...adds("a", "va", 2, 1),
        "sleep 20",
        "ip -n a neigh show | wc -l",
      ].join("\n"),
      { host },
    );
    expect(r.stdout).toBe(
      "net.ipv4.neigh.default.gc_thresh1 = 8\nnet.ipv4.neigh.va.gc_stale_time = 2\n7\n0\n",
    );
    expect(host.arpTbl.stats.periodicGcRuns).toBeGreaterThan(0);
    // With nothing left to collect, no timer is left armed.
    expect(host.arpTbl.gcWork).toBeUndefined();
  });

  it("keeps net.ipv4.neigh.default in the initial namespace, its writes reaching the devices there", async () => {
    const r = await runScript(
      [
        "ip link add v0 type veth peer name v1",
        "sysctl -w net.ipv4.neigh.v1.retrans_time_ms=2000",
        "sysctl -w net.ipv4.neigh.default.retrans_time_ms=500",
        "sysctl net.ipv4.neigh.v0.retrans_time_ms net.ipv4.neigh.v1.retrans_time_ms",
        "sysctl net.ipv4.neigh.default | grep gc_",
        "ip ntable show dev v0 | grep retrans",
        "ip netns add a",
        "ip netns exec a ls /proc/sys/net/ipv4/neigh",
      ].join("\n"),
      { host: new Host() },
    );
    expect(r.stdout.split("\n")).toEqual([
      "net.ipv4.neigh.v1.retrans_time_ms = 2000",
      "net.ipv4.neigh.default.retrans_time_ms = 500",
      "net.ipv4.neigh.v0.retrans_time_ms = 500",
      "net.ipv4.neigh.v1.retrans_time_ms = 2000",
      "net.ipv4.neigh.default.gc_interval = 30",
      "net.ipv4.neigh.default.gc_stale_time = 60",
      "net.ipv4.neigh.default.gc_thresh1 = 128",
      "net.ipv4.neigh.default.gc_thresh2 = 512",
      "net.ipv4.neigh.default.gc_thresh3 = 1024",
      expect.stringMatching(/^ {4}refcnt 1 reachable \d+ base_reachable 30000 retrans 500 $/),
      "lo",
      "",
    ]);
  });
});
