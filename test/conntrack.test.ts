// Connection tracking through the shell and the system-call surface: timeouts counting down in
// virtual time, nf_conntrack_max with its kernel log line, NOTRACK, and a large table.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { NfConn, netCt, nfConntrackCount, nfCtInsertForTest } from "../src/kernel/netfilter/nf_conntrack.js";
import { runScript } from "../src/shell/index.js";

const SETUP = [
  "ip netns add c",
  "ip netns add s",
  "ip link add veth0 netns c type veth peer name veth0 netns s",
  "ip -n c addr add 10.0.1.2/24 dev veth0",
  "ip -n s addr add 10.0.1.3/24 dev veth0",
  "ip -n c link set veth0 up",
  "ip -n s link set veth0 up",
  "ip netns exec s iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT",
];

describe("nf_conntrack", () => {
  it("counts a UDP flow's timeout down in virtual time, and forgets it when it expires", async () => {
    const r = await runScript(
      [
        ...SETUP,
        "echo x | ip netns exec c nc -u -w1 -p 40000 10.0.1.3 9",
        "ip netns exec s conntrack -L",
        "sleep 10",
        "ip netns exec s conntrack -L",
        "sleep 30",
        "ip netns exec s conntrack -C",
      ].join("\n"),
      { host: new Host() },
    );
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^udp {6}17 (30|29|28) src=10\.0\.1\.2 dst=10\.0\.1\.3 sport=40000 dport=9 \[UNREPLIED\]/,
    );
    const first = Number(lines[0]?.split(/ +/)[2]);
    expect(Number(lines[1]?.split(/ +/)[2])).toBe(first - 10);
    expect(lines[2]).toBe("0");
  });

  it("drops new flows over nf_conntrack_max with the kernel's rate-limited message", async () => {
    const host = new Host();
    netCt(host.initNet).max = 1;
    const r = await runScript(
      [
        ...SETUP,
        "echo x | ip netns exec c nc -u -w1 -p 40000 10.0.1.3 9",
        "echo x | ip netns exec c nc -u -w1 -p 40001 10.0.1.3 9",
        "ip netns exec s conntrack -L -p udp --sport 40001",
        "dmesg",
      ].join("\n"),
      { host },
    );
    expect(r.stdout).toContain("nf_conntrack: nf_conntrack: table full, dropping packet");
    expect(r.stderr).toContain("0 flow entries have been shown.");
  });

  it("leaves packets marked NOTRACK untracked (ctstate UNTRACKED)", async () => {
    const r = await runScript(
      [
        ...SETUP,
        "ip netns exec s iptables -t raw -A PREROUTING -p udp -j CT --notrack",
        "ip netns exec s iptables -A INPUT -m conntrack --ctstate UNTRACKED",
        "echo x | ip netns exec c nc -u -w1 -p 40000 10.0.1.3 9",
        "ip netns exec s conntrack -C",
        "ip netns exec s iptables -L INPUT -v -n -x",
      ].join("\n"),
      { host: new Host() },
    );
    expect(r.stdout.split("\n")[0]).toBe("0");
    expect(r.stdout).toMatch(/\n +1 +30 +0 +-- .* ctstate UNTRACKED\n/);
  });

  it("holds many connections in the hash (the memory bench inserts a million)", () => {
    const net = new Host().initNet;
    for (let i = 0; i < 100_000; i++) {
      const c = new NfConn(17, 0x0a000000 + (i >>> 8), 0x0a800001, 1024 + (i & 255), 53);
      c.rs = c.od;
      c.rd = c.os;
      c.rsp = 53;
      c.rdp = c.osp;
      nfCtInsertForTest(net, c, 30);
    }
    expect(nfConntrackCount(net)).toBe(100_000);
  });

  it("reports a deletion a process asked for with its netlink port, and a CONNMARK change as an UPDATE", async () => {
    const r = await runScript(
      [
        ...SETUP,
        "ip netns exec s iptables -I INPUT -p udp -m conntrack --ctstate ESTABLISHED -j CONNMARK --set-mark 9",
        "ip netns exec s conntrack -E > /tmp/ev.out 2>&1 &",
        "M=$!",
        "echo x | ip netns exec s nc -u -l -W1 -p 9 > /dev/null &",
        "printf 'x\\ny\\n' | ip netns exec c nc -u -w1 -i1 -p 40000 10.0.1.3 9",
        "ip netns exec s conntrack -F",
        "kill $M; wait $M",
        "cat /tmp/ev.out",
      ].join("\n"),
      { host: new Host() },
    );
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^ {4}\[NEW\] udp {6}17 30 src=10\.0\.1\.2 dst=10\.0\.1\.3 sport=40000 dport=9 \[UNREPLIED\]/,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ \[UPDATE\] udp .* sport=9 dport=40000$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ \[UPDATE\] udp .* sport=9 dport=40000 mark=9$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^\[DESTROY\] udp .* mark=9 \[USERSPACE\] portid=\d+$/),
    );
    expect(lines.at(-1)).toMatch(
      /^conntrack v1\.4\.7 \(conntrack-tools\): \d+ flow events have been shown\.$/,
    );
  });
});
