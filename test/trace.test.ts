// `netnest trace`: the path of one packet across namespaces, from the tracer's records
// (src/kernel/trace.ts) to the listing (src/cli/trace.ts).
import { describe, expect, it } from "vitest";
import { formatTrace, parseTraceArgs } from "../src/cli/trace.js";
import { Host } from "../src/kernel/host.js";
import { type TraceFilter, Tracer } from "../src/kernel/trace.js";
import { runScript } from "../src/shell/index.js";
import { parseIPv4 } from "../src/wire/addr.js";

const TOPOLOGY = `
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra netns r
ip link add vb type veth peer name rb netns r
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.1.2/24 dev va
ip -n a link set va up
ip -n b addr add 10.0.2.2/24 dev vb
ip -n b link set vb up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;

async function traced(
  script: string,
  filter: TraceFilter = {},
): Promise<{ stdout: string; listing: string }> {
  const host = new Host();
  const tracer = new Tracer(filter);
  host.tracer = tracer;
  const r = await runScript(script, { host });
  return { stdout: r.stdout, listing: formatTrace(tracer.events) };
}

describe("netnest trace", () => {
  it("follows a ping from a through router r to a FORWARD DROP rule", async () => {
    const { stdout, listing } = await traced(`${TOPOLOGY}
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n r link set ra up
ip -n r link set rb up
ip netns exec r iptables -A FORWARD -p icmp -d 10.0.2.2 -j DROP
ip netns exec a ping -c 1 -W 1 10.0.2.2 | head -1
`);
    expect(stdout).toBe("PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n");
    expect(listing.split("\n")).toEqual([
      "trace 1: ICMP 10.0.1.2 > 10.0.2.2 echo-request",
      "  netns a",
      "    route output: via 10.0.1.1 dev va src 10.0.1.2",
      "    sent on va",
      "  netns r",
      "    received on ra",
      "    route input: forward dev rb",
      "    forward: TTL 64 -> 63, out dev rb",
      "    FORWARD iptable_filter (0): DROP",
      "      filter FORWARD rule 1: -A FORWARD -d 10.0.2.2/32 -p icmp -j DROP",
      "    dropped: NETFILTER_DROP",
      "",
    ]);
  });

  it("shows NAT rewrites, a bridge, and a second trace started by -j TRACE", async () => {
    const script = `${TOPOLOGY}
ip -n r link add br0 type bridge
ip -n r link set rb master br0
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev br0
ip -n r link set ra up
ip -n r link set rb up
ip -n r link set br0 up
ip netns exec r iptables -t nat -A PREROUTING -p udp --dport 53 -j DNAT --to-destination 10.0.2.2:5353
ip netns exec r iptables -t nat -A POSTROUTING -o br0 -j MASQUERADE
ip netns exec b iptables -t raw -A PREROUTING -p udp -j TRACE
ip netns exec b nc -u -l 5353 &
sleep 1
echo hi | ip netns exec a nc -u -w 1 10.0.1.1 53
`;
    const udp = await traced(script, { protocol: 17 });
    expect(udp.stdout).toBe("hi\n");
    const lines = udp.listing.split("\n");
    expect(lines[0]).toMatch(/^trace 1: UDP 10\.0\.1\.2:\d+ > 10\.0\.1\.1:53$/);
    expect(lines.slice(6, 13)).toEqual([
      "    PREROUTING ipv4_conntrack_defrag (-400): ACCEPT",
      "    PREROUTING ipv4_conntrack_in (-200): ACCEPT",
      "    PREROUTING iptable_nat (-100): ACCEPT",
      "      nat PREROUTING rule 1: -A PREROUTING -p udp -m udp --dport 53 -j DNAT --to-destination 10.0.2.2:5353",
      expect.stringMatching(/^ {4}packet now UDP 10\.0\.1\.2:\d+ > 10\.0\.2\.2:5353$/),
      "    route input: forward dev br0",
      "    forward: TTL 64 -> 63, out dev br0",
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {4}packet now UDP 10\.0\.2\.1:\d+ > 10\.0\.2\.2:5353$/),
    );
    expect(lines.slice(-10)).toEqual([
      "    sent on br0",
      "    sent on rb",
      "  netns b",
      "    received on vb",
      "    PREROUTING iptable_raw (-300): ACCEPT",
      "      raw PREROUTING rule 1: -A PREROUTING -p udp -j TRACE",
      "      raw PREROUTING policy ACCEPT",
      "    route input: local",
      "    delivered locally to UDP",
      "",
    ]);
    // No TCP packet: only what TRACE marked is traced, from the rule that marked it.
    const tcp = await traced(script, { protocol: 6 });
    expect(tcp.listing.split("\n").slice(0, 3)).toEqual([
      expect.stringMatching(/^trace 1: UDP 10\.0\.2\.1:\d+ > 10\.0\.2\.2:5353 \(marked by TRACE\)$/),
      "  netns b",
      "    received on vb",
    ]);
  });

  it("says where a packet was last seen when nothing dropped or delivered it", async () => {
    const { listing } = await traced(
      "ip link add x type veth peer name y; ip addr add 10.5.0.1/24 dev x; ip link set x up; ping -c1 -W1 10.5.0.2 >/dev/null",
    );
    expect(listing).toBe(
      [
        "trace 1: ICMP 10.5.0.1 > 10.5.0.2 echo-request",
        "  netns (initial)",
        "    route output: dev x src 10.5.0.1",
        "    (not seen again)",
        "",
      ].join("\n"),
    );
  });

  it("is off, and free, unless asked for", () => {
    expect(new Host().tracer).toBeUndefined();
  });

  it("parses its options", () => {
    expect(parseTraceArgs(["--proto", "udp", "--dst", "10.0.0.1", "--port", "53", "x.sh", "-v"])).toEqual({
      kind: "ok",
      filter: { protocol: 17, daddr: parseIPv4("10.0.0.1"), port: 53 },
      rest: ["x.sh", "-v"],
    });
    expect(parseTraceArgs(["--proto", "sctp", "x.sh"])).toEqual({
      kind: "error",
      message: "unknown protocol 'sctp'",
    });
    expect(parseTraceArgs(["--port"])).toEqual({
      kind: "error",
      message: "option '--port' requires an argument",
    });
    expect(parseTraceArgs(["--", "--src"])).toEqual({ kind: "ok", filter: {}, rest: ["--src"] });
  });
});
