// ipset's kernel side through the system calls: elements by range and prefix, the hash:net walk
// over prefix lengths, counters, timeouts in virtual time, references from rules, and swap; and
// the set match, SET target and TCPMSS on real packets.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import * as sys from "../src/kernel/syscalls.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const ip = (s: string) => parseIPv4(s) as number;

describe("ip_set", () => {
  it("adds ranges element by element, stops at the first existing one, tests by prefix", () => {
    const host = new Host();
    const task: sys.Task = { host, net: host.initNet, uid: 0 };
    sys.ipsetCreate(task, { name: "s", type: "hash:ip" });
    sys.ipsetAdt(task, "add", { name: "s", ip: ip("10.0.0.1") });
    expect(() => sys.ipsetAdt(task, "add", { name: "s", ip: ip("10.0.0.0"), cidr: 30 })).toThrow(
      sys.IpSetError,
    );
    const members = sys
      .ipsetList(task, "s", true)[0]
      ?.members.map((m) => m.ip)
      .sort();
    expect(members).toEqual([ip("10.0.0.0"), ip("10.0.0.1")]);
    sys.ipsetCreate(task, { name: "n", type: "hash:net" });
    sys.ipsetAdt(task, "add", { name: "n", ip: ip("192.168.0.0"), cidr: 16 });
    expect(sys.ipsetAdt(task, "test", { name: "n", ip: ip("192.168.9.9") })).toBe(true);
    expect(sys.ipsetAdt(task, "test", { name: "n", ip: ip("192.169.0.1") })).toBe(false);
  });

  it("expires elements in virtual time and keeps a referenced set", async () => {
    const r = await runScript(
      [
        "ipset create t hash:ip timeout 2",
        "ipset add t 10.0.0.1",
        "iptables -A INPUT -m set --match-set t src -j DROP",
        "ipset destroy t; echo rc=$?",
        "sleep 3",
        "ipset list t | tail -n +8",
        "ipset create u hash:net; ipset swap t u; echo rc=$?",
        "ipset create v hash:ip; ipset add v 1.2.3.4; ipset swap t v; ipset list t | tail -1",
      ].join("\n"),
    );
    expect(r.stdout).toBe("rc=1\nMembers:\nrc=1\n1.2.3.4\n");
    expect(r.stderr).toContain("Set cannot be destroyed: it is in use by a kernel component");
  });

  it("matches packets, counts them, and SET adds the sender", async () => {
    const r = await runScript(
      [
        "ip netns add a; ip netns add b",
        "ip link add va netns a type veth peer name vb netns b",
        "ip -n a addr add 10.0.0.1/24 dev va; ip -n a link set va up",
        "ip -n b addr add 10.0.0.2/24 dev vb; ip -n b link set vb up",
        "ip netns exec b ipset create blk hash:ip counters",
        "ip netns exec b ipset create seen hash:ip",
        "ip netns exec b iptables -A INPUT -p icmp -j SET --add-set seen src",
        "ip netns exec b iptables -A INPUT -m set --match-set blk src -j DROP",
        "ip netns exec a ping -c1 -W1 10.0.0.2 >/dev/null; echo rc=$?",
        "ip netns exec b ipset add blk 10.0.0.1",
        "ip netns exec a ping -c2 -i 0.2 -W1 10.0.0.2 >/dev/null; echo rc=$?",
        "ip netns exec b ipset list blk | tail -1",
        "ip netns exec b ipset list seen | tail -1",
      ].join("\n"),
    );
    expect(r.stdout).toBe("rc=0\nrc=1\n10.0.0.1 packets 2 bytes 168\n10.0.0.1\n");
  });
});
