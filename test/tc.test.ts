// tc qdisc with netem, which the reference kernel is built without: option texts as q_netem.c
// prints them, parse errors as the real tc 6.1 prints them (recorded with the live tc, whose
// parser runs before the kernel is asked), and netem's behaviour in virtual time.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { runScript } from "../src/shell/index.js";
import { netemDistribution } from "../src/userland/tc/netem_dist.js";
import { formatG, sprintRate, sprintSize, sprintTicks, time2tick } from "../src/userland/tc/tc_util.js";

const SETUP = [
  "ip netns add a",
  "ip netns add b",
  "ip link add veth0 netns a type veth peer name veth1 netns b",
  "ip -n a addr add 10.0.0.1/24 dev veth0",
  "ip -n b addr add 10.0.0.2/24 dev veth1",
  "ip -n a link set veth0 up",
  "ip -n b link set veth1 up",
].join("\n");

async function run(script: string, seed = 1): Promise<{ stdout: string; stderr: string }> {
  const r = await runScript(`${SETUP}\n${script}`, { host: new Host({ seed }) });
  return { stdout: r.stdout, stderr: r.stderr };
}

describe("tc_util", () => {
  it("prints times, sizes and rates as iproute2 does", () => {
    expect(sprintTicks(time2tick(10_000))).toBe("10ms");
    expect(sprintTicks(time2tick(1_500))).toBe("1.5ms");
    // 250us is 3906.25 ticks, kept as 3906 and printed back truncated.
    expect(sprintTicks(time2tick(250))).toBe("249us");
    expect(sprintTicks(time2tick(2_000_000))).toBe("2s");
    expect(sprintSize(1514000)).toBe("1514000b");
    expect(sprintSize(102400)).toBe("100Kb");
    expect(sprintRate(100_000_000 / 8)).toBe("100Mbit");
    expect(sprintRate(1_500_000 / 8)).toBe("1500Kbit");
    expect(formatG((100 * 214748365) / 0xffffffff)).toBe("5");
    expect(formatG(0.1)).toBe("0.1");
  });

  it("computes the distribution tables iproute2 installs", () => {
    for (const name of ["normal", "pareto", "paretonormal"]) {
      const table = netemDistribution(name);
      expect(table?.length).toBe(4096);
      const path = `/usr/lib/x86_64-linux-gnu/tc/${name}.dist`;
      if (!existsSync(path)) continue;
      const want = readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => !l.startsWith("#"))
        .join(" ")
        .trim()
        .split(/\s+/)
        .map(Number);
      expect(Array.from(table ?? [])).toEqual(want);
    }
  });
});

describe("tc qdisc netem", () => {
  it("prints the options as q_netem.c does", async () => {
    const r = await run(
      [
        "tc -n a qdisc add dev veth0 root netem delay 10ms 2ms 25% loss 5% duplicate 1% reorder 10% 50% corrupt 0.1% rate 100mbit",
        "tc -n a qdisc show dev veth0",
        "ip -n a link show veth0 | head -1",
        "tc -n a qdisc replace dev veth0 root handle 1: netem delay 100ms 10ms distribution normal loss state 1% 2% limit 50",
        "tc -n a qdisc show",
        "tc -n a qdisc del dev veth0 root",
        "tc -n a qdisc add dev veth0 root netem loss gemodel 1% 10% 70% 0.1% rate 1500kbit 20 100 -5 ecn",
        "tc -n a -s qdisc show dev veth0",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "qdisc netem 8001: root refcnt 3 limit 1000 delay 10ms  2ms 25% loss 5% duplicate 1% reorder 10% 50% corrupt 0.1% rate 100Mbit gap 1\n" +
        "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc netem state UP mode DEFAULT group default qlen 1000\n" +
        "qdisc netem 1: dev veth0 root refcnt 3 limit 50 delay 100ms  10ms loss state p13 1% p31 2% p32 0% p23 100% p14 0%\n" +
        "qdisc netem 8002: root refcnt 3 limit 1000 loss gemodel p 1% r 10% 1-h 70% 1-k 0.1% rate 1500Kbit packetoverhead 20 cellsize 100 celloverhead -5 ecn \n" +
        " Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n" +
        " backlog 0b 0p requeues 0\n",
    );
  });

  it("prints the options as JSON as q_netem.c does (-j: seconds, fractions, bytes/s)", async () => {
    // netem_print_opt's JSON branch: times in seconds and probabilities as fractions of one, both
    // "%g"; every correlation even when zero; the rate in bytes/s; ecn and gap always. A replace
    // keeps the rate, ecn and slot it does not name (netem_change), and the loss model it does.
    const r = await run(
      [
        "tc -n a qdisc add dev veth0 root netem delay 10ms 2ms 25% loss 5% duplicate 1% reorder 10% 50% corrupt 0.1% rate 100mbit",
        "tc -n a -j qdisc show dev veth0",
        "tc -n a qdisc replace dev veth0 root handle 1: netem loss gemodel 1% 10% 70% 0.1% rate 1500kbit 20 100 -5 ecn slot 1ms 2ms packets 3 bytes 4",
        "tc -n a -j -s qdisc show",
        "tc -n a qdisc replace dev veth0 root handle 1: netem delay 100ms loss state 1% 2% limit 50 slot distribution normal 5ms 1ms",
        "tc -n a -j -p qdisc show dev veth0",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      '[{"kind":"netem","handle":"8001:","root":true,"refcnt":3,"options":{"limit":1000,' +
        '"delay":{"delay":0.01,"jitter":0.002,"correlation":0.25},"loss-random":{"loss":0.05,"correlation":0},' +
        '"duplicate":{"duplicate":0.01,"correlation":0},"reorder":{"reorder":0.1,"correlation":0.5},' +
        '"corrupt":{"corrupt":0.001,"correlation":0},' +
        '"rate":{"rate":12500000,"packetoverhead":0,"cellsize":0,"celloverhead":0},"ecn":false,"gap":1}}]\n' +
        '[{"kind":"netem","handle":"1:","dev":"veth0","root":true,"refcnt":3,"options":{"limit":1000,' +
        '"loss-gemodel":{"p":0.01,"r":0.1,"1-h":0.7,"1-k":0.001},' +
        '"rate":{"rate":187500,"packetoverhead":20,"cellsize":100,"celloverhead":-5},' +
        '"slot":{"min-delay":0.001,"max-delay":0.002,"packets":3,"bytes":4},"ecn":true,"gap":0},' +
        '"bytes":0,"packets":0,"drops":0,"overlimits":0,"requeues":0,"backlog":0,"qlen":0}]\n' +
        "[ {\n" +
        '        "kind": "netem",\n' +
        '        "handle": "1:",\n' +
        '        "root": true,\n' +
        '        "refcnt": 3,\n' +
        '        "options": {\n' +
        '            "limit": 50,\n' +
        '            "delay": {\n' +
        '                "delay": 0.1,\n' +
        '                "jitter": 0,\n' +
        '                "correlation": 0\n' +
        "            },\n" +
        '            "loss-state": {\n' +
        '                "p13": 0.01,\n' +
        '                "p31": 0.02,\n' +
        '                "p32": 0,\n' +
        '                "p23": 1,\n' +
        '                "p14": 0\n' +
        "            },\n" +
        '            "rate": {\n' +
        '                "rate": 187500,\n' +
        '                "packetoverhead": 20,\n' +
        '                "cellsize": 100,\n' +
        '                "celloverhead": -5\n' +
        "            },\n" +
        '            "slot": {\n' +
        '                "distribution": 0.005,\n' +
        '                "jitter": 0.001,\n' +
        '                "packets": 0,\n' +
        '                "bytes": 0\n' +
        "            },\n" +
        '            "ecn": true,\n' +
        '            "gap": 0\n' +
        "        }\n" +
        "    } ]\n",
    );
  });

  it("rejects options as tc 6.1 does", async () => {
    const r = await run(
      [
        "tc qdisc add dev lo root netem delay 1ms 1ms distribution foo; echo rc=$?",
        "tc qdisc add dev lo root netem gap 5 2>&1 | head -1",
        "tc qdisc add dev lo root netem reorder 5% 2>&1 | head -1",
        "tc qdisc add dev lo root netem delay; echo rc=$?",
        "tc qdisc add dev lo root netem delay 10xs; echo rc=$?",
        "tc qdisc add dev lo root netem loss 120%; echo rc=$?",
        "tc qdisc add dev lo root netem loss 1% loss 2%; echo rc=$?",
        "tc qdisc add dev lo root netem foo 2>&1 | head -2",
      ].join("\n"),
    );
    expect(r.stdout).toBe(
      "rc=1\ngap specified without reorder probability\nreordering not possible without specifying some delay\n" +
        'rc=255\nrc=1\nrc=1\nrc=1\nWhat is "foo"?\nUsage: ... netem [ limit PACKETS ]\n',
    );
    expect(r.stderr).toBe(
      "No distribution data for foo (/usr/lib/x86_64-linux-gnu/tc//foo.dist: No such file or directory)\n" +
        'Command line is not complete. Try option "help"\n' +
        'Illegal "latency"\nIllegal "loss percent"\nIllegal "duplicate loss argument\n"\n',
    );
  });

  it("delays packets in virtual time", async () => {
    // The first echo waits for ARP, whose request is delayed too: two one-way delays.
    const r = await run(
      "tc -n a qdisc add dev veth0 root netem delay 50ms\nip netns exec a ping -c 3 10.0.0.2 | tail -1",
    );
    // mdev as iputils computes it in integers: llsqrt((tsum2 - tsum*tsum/n) / n) = 23584 us.
    expect(r.stdout).toBe("rtt min/avg/max/mdev = 50.030/66.706/100.060/23.584 ms\n");
  });

  it("drops packets reproducibly for a seed", async () => {
    const script =
      "tc -n a qdisc add dev veth0 root netem loss 30%\n" +
      "ip netns exec a ping -c 50 -i 0.2 -q 10.0.0.2 | sed -n 4p\n" +
      "tc -n a -s qdisc show dev veth0 | sed -n 2p";
    const first = await run(script, 7);
    const again = await run(script, 7);
    expect(again.stdout).toBe(first.stdout);
    const m = /(\d+) received/.exec(first.stdout);
    const received = Number(m?.[1]);
    expect(received).toBeGreaterThan(25);
    expect(received).toBeLessThan(45);
    // The qdisc also drops its share of the seven IPv6 packets veth0 sends by itself in those
    // ten seconds (MLD reports, the DAD solicitation, two router solicitations), as on Linux.
    const dropped = Number(/dropped (\d+)/.exec(first.stdout)?.[1]);
    expect(dropped).toBeGreaterThanOrEqual(50 - received);
    expect(dropped).toBeLessThanOrEqual(50 - received + 7);
  });
});
