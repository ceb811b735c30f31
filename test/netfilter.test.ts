// Netfilter and x_tables through the system-call surface: table validation, the LOG line format
// in the kernel log, and rules a packet does not match (their speed is bench/run.ts's).
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const ANY_IP: sys.IptIp = {
  src: 0,
  smsk: 0,
  dst: 0,
  dmsk: 0,
  iniface: "",
  outiface: "",
  proto: 0,
  flags: 0,
  invflags: 0,
};

function entry(target: sys.XtTarget, ip: Partial<sys.IptIp> = {}, matches: sys.XtMatch[] = []): sys.IptEntry {
  return { ip: { ...ANY_IP, ...ip }, matches, target, counters: { pcnt: 0, bcnt: 0 } };
}

function table(name: string, chains: Record<string, sys.IptEntry[]>, hooks: readonly string[]): sys.IptTable {
  return {
    name,
    chains: Object.entries(chains).map(([n, entries]) => ({
      name: n,
      policy: hooks.includes(n) ? "ACCEPT" : undefined,
      hooked: hooks.includes(n),
      stats: false,
      counters: { pcnt: 0, bcnt: 0 },
      entries,
    })),
  };
}

const FILTER = ["INPUT", "FORWARD", "OUTPUT"];

async function pair(host: Host): Promise<{ a: sys.Task; b: sys.Task }> {
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
  return { a: sys.setns(init, sys.netnsOpen(init, "a")), b: sys.setns(init, sys.netnsOpen(init, "b")) };
}

describe("IPT_SO_SET_REPLACE validation", () => {
  it("refuses loops, unknown chains, misplaced targets, and keeps the old table", () => {
    const host = new Host();
    const t = host.initTask();
    const jump = (chain: string) => entry({ kind: "jump", chain });
    sys.iptReplaceTable(t, table("filter", { INPUT: [jump("a")], FORWARD: [], OUTPUT: [], a: [] }, FILTER));
    const loop = table(
      "filter",
      { INPUT: [jump("a")], FORWARD: [], OUTPUT: [], a: [jump("b")], b: [jump("a")] },
      FILTER,
    );
    expect(() => sys.iptReplaceTable(t, loop)).toThrow(expect.objectContaining({ errno: "EMLINK" }));
    const unknown = table("filter", { INPUT: [jump("nope")], FORWARD: [], OUTPUT: [] }, FILTER);
    expect(() => sys.iptReplaceTable(t, unknown)).toThrow(expect.objectContaining({ errno: "ENOENT" }));
    const rst = table(
      "filter",
      { INPUT: [entry({ kind: "REJECT", with: "tcp-reset" }, { proto: 17 })], FORWARD: [], OUTPUT: [] },
      FILTER,
    );
    expect(() => sys.iptReplaceTable(t, rst)).toThrow(expect.objectContaining({ errno: "EINVAL" }));
    const pre = table(
      "mangle",
      {
        PREROUTING: [entry({ kind: "REJECT", with: "icmp-port-unreachable" })],
        INPUT: [],
        FORWARD: [],
        OUTPUT: [],
        POSTROUTING: [],
      },
      ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    );
    expect(() => sys.iptReplaceTable(t, pre)).toThrow(expect.objectContaining({ errno: "EINVAL" }));
    const now = sys.iptGetTable(t, "filter") as sys.IptTable;
    expect(now.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "a"]);
    expect(sys.iptTableNames(t)).toEqual(["filter"]);
    expect(() => sys.iptGetTable(t, "nosuch")).toThrow(expect.objectContaining({ errno: "ENOENT" }));
  });

  it("needs CAP_NET_ADMIN", () => {
    const host = new Host();
    const user = sys.setresuid(host.initTask(), 1000);
    expect(() => sys.iptReplaceTable(user, sys.iptDefaultTable(user, "filter"))).toThrow(
      expect.objectContaining({ errno: "EPERM" }),
    );
  });
});

describe("LOG", () => {
  it("writes nf_log_ip_packet's line to the kernel log of the initial namespace, read by dmesg", async () => {
    const host = new Host({ seed: 3 });
    const r = await runScript(
      [
        "ip netns add b",
        "ip link add va type veth peer name vb netns b",
        "ip addr add 10.0.0.1/24 dev va",
        "ip -n b addr add 10.0.0.2/24 dev vb",
        "ip link set va up",
        "ip -n b link set vb up",
        'iptables -A INPUT -p icmp -j LOG --log-prefix "IN: "',
        'iptables -A OUTPUT -p icmp -j LOG --log-prefix "OUT: " --log-level 7',
        "ip netns exec b iptables -A INPUT -j LOG --log-prefix NOPE",
        "ip netns exec b ping -c 1 -W 1 10.0.0.1 >/dev/null",
        "dmesg -t",
        "dmesg | head -1",
      ].join("\n"),
      { host },
    );
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^IN: IN=va OUT= MAC=([0-9a-f]{2}:){13}[0-9a-f]{2} SRC=10\.0\.0\.2 DST=10\.0\.0\.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=\d+ DF PROTO=ICMP TYPE=8 CODE=0 ID=\d+ SEQ=1 $/,
    );
    expect(lines[0]).toMatch(/MAC=(..:){12}08:00 /);
    expect(lines[1]).toMatch(
      /^OUT: IN= OUT=va SRC=10\.0\.0\.1 DST=10\.0\.0\.2 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=\d+ PROTO=ICMP TYPE=0 CODE=0 ID=\d+ SEQ=1 $/,
    );
    expect(lines[2]).toMatch(/^\[ {4}\d\.\d{6}\] IN: IN=va /);
    expect(r.stdout).not.toContain("NOPE");
  });
});

describe("runs of rules that differ only in their source", () => {
  it("keep every rule's meaning: repeats, jumps out and back into the middle, counters", async () => {
    const host = new Host({ seed: 9 });
    const { a, b } = await pair(host);
    const A = parseIPv4("10.0.0.1") as number;
    const rules = Array.from({ length: 24 }, (_, i) =>
      entry(
        { kind: "standard", verdict: "CONTINUE" },
        { src: (parseIPv4("192.168.0.0") as number) + i, smsk: 0xffffffff },
      ),
    );
    rules[3] = entry({ kind: "jump", chain: "sub" }, { src: A, smsk: 0xffffffff });
    rules[10] = entry({ kind: "standard", verdict: "CONTINUE" }, { src: A, smsk: 0xffffffff });
    rules[17] = entry({ kind: "MARK", mark: 1, mask: 1 }, { src: A, smsk: 0xffffffff });
    const sub = [entry({ kind: "standard", verdict: "RETURN" })];
    sys.iptReplaceTable(b, table("filter", { INPUT: rules, FORWARD: [], OUTPUT: [], sub }, FILTER));
    const rx = sys.socket(b, "SOCK_DGRAM", 0);
    sys.bind(b, rx, 0, 9999);
    const tx = sys.socket(a, "SOCK_DGRAM", 0);
    sys.sendto(a, tx, new Uint8Array(8), parseIPv4("10.0.0.2") as number, { port: 9999 });
    host.clock.runUntil(host.clock.now + 1_000_000);
    expect(sys.recvfrom(b, rx)).toBeDefined();
    const got = sys.iptGetTable(b, "filter") as sys.IptTable;
    const input = got.chains[0] as sys.IptChain;
    const hit = input.entries.flatMap((e, i) => (e.counters.pcnt ? [i] : []));
    expect(hit).toEqual([3, 10, 17]);
    expect((got.chains[3] as sys.IptChain).entries[0]?.counters.pcnt).toBe(1);
  });
});

describe("rules a packet does not match", () => {
  // How fast they are is measured by bench/run.ts, not here: this checks what they do.
  it("10,000 of them let every datagram through and count none of them", async () => {
    const host = new Host({ seed: 5 });
    const { a, b } = await pair(host);
    const miss = Array.from({ length: 10_000 }, (_, i) =>
      entry(
        { kind: "standard", verdict: "DROP" },
        { src: (parseIPv4("192.168.0.0") as number) + i, smsk: 0xffffffff },
      ),
    );
    sys.iptReplaceTable(b, table("filter", { INPUT: miss, FORWARD: [], OUTPUT: [] }, FILTER));
    const rx = sys.socket(b, "SOCK_DGRAM", 0);
    sys.bind(b, rx, 0, 9999);
    const tx = sys.socket(a, "SOCK_DGRAM", 0);
    let received = 0;
    for (let i = 0; i < 50; i++) {
      sys.sendto(a, tx, new Uint8Array(64), parseIPv4("10.0.0.2") as number, { port: 9999 });
      host.clock.runUntil(host.clock.now + 1_000_000);
      while (sys.recvfrom(b, rx)) received++;
    }
    expect(received).toBe(50);
    const input = (sys.iptGetTable(b, "filter") as sys.IptTable).chains[0] as sys.IptChain;
    expect(input.entries).toHaveLength(10_000);
    expect(input.entries.every((e) => e.counters.pcnt === 0)).toBe(true);
  });
});

describe("LOG --log-uid", () => {
  it("adds the sending socket's file uid and gid, and nothing for a kernel socket's packet", async () => {
    const r = await runScript(
      [
        "ip link set lo up",
        'iptables -A OUTPUT -p udp -j LOG --log-prefix "U: " --log-uid',
        'iptables -A OUTPUT -p icmp -j LOG --log-prefix "I: " --log-uid',
        "echo x | setpriv --reuid=5 --regid=60 --clear-groups nc -u -q0 -p 4001 127.0.0.1 9",
        "echo x | nc -u -q0 -p 4000 127.0.0.1 9",
        "dmesg",
      ].join("\n"),
      { host: new Host() },
    );
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/\] U: IN= OUT=lo .* PROTO=UDP SPT=4001 DPT=9 LEN=10 UID=5 GID=60 $/);
    // The port unreachable comes from the namespace's icmp_sk: a socket without a file.
    expect(lines[1]).toMatch(/\] I: IN= OUT=lo .* PROTO=ICMP TYPE=3 CODE=3 \[.*\] $/);
    expect(lines[2]).toMatch(/\] U: IN= OUT=lo .* PROTO=UDP SPT=4000 DPT=9 LEN=10 UID=0 GID=0 $/);
  });
});
