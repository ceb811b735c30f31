import { describe, expect, test } from "vitest";
import { unifiedDiff } from "../src/cli/diff.js";
import { normalize, normalizeText } from "../src/cli/normalize.js";

describe("normalize: layout", () => {
  test("stdout then exit status; no stderr section when stderr is empty", () => {
    expect(normalize({ stdout: "a\n", stderr: "", exitCode: 0 })).toBe("a\n--- exit 0 ---\n");
  });
  test("stderr section when stderr is non-empty", () => {
    expect(normalize({ stdout: "a\n", stderr: "oops\n", exitCode: 2 })).toBe(
      "a\n--- stderr ---\noops\n--- exit 2 ---\n",
    );
  });
  test("empty run", () => {
    expect(normalize({ stdout: "", stderr: "", exitCode: 1 })).toBe("--- exit 1 ---\n");
  });
  test("a missing final newline is kept visible", () => {
    expect(normalize({ stdout: "a", stderr: "b", exitCode: 0 })).toBe(
      "a\n\\ No newline at end of stdout\n--- stderr ---\nb\n\\ No newline at end of stderr\n--- exit 0 ---\n",
    );
  });
});

describe("normalize: MAC addresses", () => {
  test("numbered by first appearance, repeated ones keep their number", () => {
    const text = [
      "    link/ether 9a:1c:05:3e:7f:20 brd ff:ff:ff:ff:ff:ff link-netns b",
      "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff",
      '[{"address":"9a:1c:05:3e:7f:20"}]',
    ].join("\n");
    expect(normalizeText(text)).toBe(
      [
        "    link/ether <mac1> brd ff:ff:ff:ff:ff:ff link-netns b",
        "    link/ether <mac2> brd ff:ff:ff:ff:ff:ff",
        '[{"address":"<mac1>"}]',
      ].join("\n"),
    );
  });
  test("all-zero and broadcast stay literal", () => {
    const lo = "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";
    expect(normalizeText(lo)).toBe(lo);
  });
  test("numbering spans stdout and stderr", () => {
    expect(normalize({ stdout: "aa:bb:cc:dd:ee:01\n", stderr: "aa:bb:cc:dd:ee:01\n", exitCode: 0 })).toBe(
      "<mac1>\n--- stderr ---\n<mac1>\n--- exit 0 ---\n",
    );
  });
  test("IPv6 addresses and times are not MACs", () => {
    const text = "inet6 2001:db8:0:1:2:3:4:5/64 12:34:56";
    expect(normalizeText(text)).toBe(text);
  });
});

describe("normalize: IPv6 link-local addresses", () => {
  test("numbered by first appearance", () => {
    expect(
      normalizeText(
        "    inet6 fe80::981c:5ff:fe3e:7f20/64 scope link \nfe80::1:2 fe80::981c:5ff:fe3e:7f20\n",
      ),
    ).toBe("    inet6 <ll1>/64 scope link \n<ll2> <ll1>\n");
  });
  test("the link-local prefix in a route stays literal", () => {
    const route = "fe80::/64 dev veth0 proto kernel metric 256 pref medium";
    expect(normalizeText(route)).toBe(route);
  });
});

describe("normalize: ping times", () => {
  test("per-reply time", () => {
    expect(normalizeText("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.413 ms")).toBe(
      "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=<t> ms",
    );
    expect(normalizeText("icmp_seq=2 ttl=64 time=12 ms")).toBe("icmp_seq=2 ttl=64 time=<t> ms");
  });
  test("summary time", () => {
    expect(normalizeText("3 packets transmitted, 3 received, 0% packet loss, time 1026ms")).toBe(
      "3 packets transmitted, 3 received, 0% packet loss, time <t>ms",
    );
  });
  test("rtt line", () => {
    expect(normalizeText("rtt min/avg/max/mdev = 0.036/0.047/0.061/0.010 ms")).toBe(
      "rtt min/avg/max/mdev = <rtt> ms",
    );
  });
  test("traceroute probe times, with their annotations kept", () => {
    expect(normalizeText(" 1  10.0.1.1  0.045 ms  12.012 ms !H *")).toBe(" 1  10.0.1.1  <t> ms  <t> ms !H *");
    expect(normalizeText("traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets")).toBe(
      "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets",
    );
  });
  test("ttl and sequence numbers are kept", () => {
    const line = "From 10.0.1.1 icmp_seq=1 Time to live exceeded";
    expect(normalizeText(line)).toBe(line);
  });
});

describe("unifiedDiff", () => {
  test("one changed line with context", () => {
    expect(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", { from: "x", to: "y" })).toBe(
      "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
    );
  });
  test("identical texts give only the header", () => {
    expect(unifiedDiff("a\n", "a\n", { from: "x", to: "y" })).toBe("--- x\n+++ y\n");
  });
  test("distant changes make separate hunks", () => {
    const a = `${Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n")}\n`;
    const b = a.replace("l1\n", "L1\n").replace("l18\n", "L18\n");
    const d = unifiedDiff(a, b, { from: "x", to: "y" });
    expect(d.match(/^@@/gm)?.length).toBe(2);
    expect(d).toContain("@@ -1,5 +1,5 @@\n l0\n-l1\n+L1\n");
  });
  test("insertion into an empty text", () => {
    expect(unifiedDiff("", "a\n", { from: "x", to: "y" })).toBe("--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
  });
});

describe("curl and socat", () => {
  test("the progress meter's speeds, not its sizes or times", () => {
    const line =
      "\r100     5  100     5    0     0   2791      0 --:--:-- --:--:-- --:--:--  5000\n" +
      "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0\n";
    expect(normalizeText(line)).toBe(
      "\r100     5  100     5    0     0  <spd>      0 --:--:-- --:--:-- --:--:-- <spd>\n" +
        "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0\n",
    );
  });
  test("a repeated meter update is one", () => {
    const idle = "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0";
    expect(normalizeText(`${idle}${idle}\n`)).toBe(`${idle}\n`);
  });
  test("elapsed times in curl's messages", () => {
    expect(
      normalizeText("curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received"),
    ).toBe("curl: (28) Operation timed out after <t> milliseconds with 0 bytes received");
    expect(
      normalizeText("Failed to connect to 10.0.0.9 port 80 after 27 ms: Couldn't connect to server"),
    ).toBe("Failed to connect to 10.0.0.9 port 80 after <t> ms: Couldn't connect to server");
  });
  test("socat's date, pid and buffer addresses", () => {
    expect(
      normalizeText(
        "2026/11/29 03:17:34 socat[25] E connect(5, AF=2 10.0.0.2:8081, 16): Connection refused\n" +
          "2026/11/29 03:17:35 socat[41] E read(5, 0x5615fe0ed000, 8192): Connection refused\n",
      ),
    ).toBe(
      "<date> socat[<pid>] E connect(5, AF=2 10.0.0.2:8081, 16): Connection refused\n" +
        "<date> socat[<pid>] E read(5, <ptr>, 8192): Connection refused\n",
    );
  });
});

describe("normalize: conntrack entries", () => {
  test("hides the remaining timeout and the echo id, keeps the rest", () => {
    const line =
      "tcp      6 118 TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=40000 dport=5000 src=10.0.2.2 dst=10.0.2.1 sport=5000 dport=40000 [ASSURED] mark=0 use=1\n" +
      "ipv4     2 icmp     1 29 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=23 src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=23 mark=0 zone=0 use=2\n";
    expect(normalizeText(line)).toBe(
      "tcp      6 <t> TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=40000 dport=5000 src=10.0.2.2 dst=10.0.2.1 sport=5000 dport=40000 [ASSURED] mark=0 use=1\n" +
        "ipv4     2 icmp     1 <t> src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=<id> src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=<id> mark=0 zone=0 use=2\n",
    );
  });
});

describe("normalize: arping and the martian log", () => {
  test("arping's upper-case MACs join the numbering; its reply time goes", () => {
    expect(
      normalizeText(
        "    link/ether 32:39:6d:3b:4f:f2 brd ff:ff:ff:ff:ff:ff\n" +
          "Unicast reply from 10.0.0.2 [32:39:6D:3B:4F:F2]  0.548ms\n" +
          "Broadcast request from 10.0.0.2 [32:39:6D:3B:4F:F2] for [E6:A5:C2:88:D4:8B] UNSOLICITED?\n",
      ),
    ).toBe(
      "    link/ether <mac1> brd ff:ff:ff:ff:ff:ff\n" +
        "Unicast reply from 10.0.0.2 [<mac1>]  <t>ms\n" +
        "Broadcast request from 10.0.0.2 [<mac1>] for [<mac2>] UNSOLICITED?\n",
    );
  });
  test("the ll header line's addresses are numbered", () => {
    expect(normalizeText("ll header: 00000000: 8a b9 90 6a 9d ed 06 ce 21 16 6c 84 08 00\n")).toBe(
      "ll header: 00000000: <mac1> <mac2> 08 00\n",
    );
  });
});

describe("normalize: xtables-monitor traces", () => {
  test("trace ids and IP ids are numbered by first appearance; ether_ntoa MACs join the MACs", () => {
    expect(
      normalizeText(
        "    link/ether 0a:47:ec:95:86:05 brd ff:ff:ff:ff:ff:ff\n" +
          "PACKET: 2 a2524f5d IN=ra MACSRC=1a:59:31:31:f5:ae MACDST=a:47:ec:95:86:5 MACPROTO=0800 SRC=10.0.1.1 DST=10.0.2.1 LEN=84 TOS=0x0 TTL=64 ID=4413 DF \n" +
          " TRACE: 2 a2524f5d raw:PREROUTING:rule:0x2:CONTINUE  -4 -t raw -A PREROUTING -p icmp -j TRACE\n" +
          "PACKET: 2 7994c838 OUT=ra SRC=10.0.2.1 DST=10.0.1.1 LEN=84 TOS=0x0 TTL=63 ID=23623 \n" +
          " TRACE: 2 7994c838 filter:FORWARD:policy:ACCEPT \n" +
          "PACKET: 2 a2524f5d IN=ra OUT=rb SRC=10.0.1.1 DST=10.0.2.1 LEN=84 TOS=0x0 TTL=63 ID=4413 DF \n",
      ),
    ).toBe(
      "    link/ether <mac1> brd ff:ff:ff:ff:ff:ff\n" +
        "PACKET: 2 <trace1> IN=ra MACSRC=<mac2> MACDST=<mac1> MACPROTO=0800 SRC=10.0.1.1 DST=10.0.2.1 LEN=84 TOS=0x0 TTL=64 ID=<ipid1> DF \n" +
        " TRACE: 2 <trace1> raw:PREROUTING:rule:0x2:CONTINUE  -4 -t raw -A PREROUTING -p icmp -j TRACE\n" +
        "PACKET: 2 <trace2> OUT=ra SRC=10.0.2.1 DST=10.0.1.1 LEN=84 TOS=0x0 TTL=63 ID=<ipid2> \n" +
        " TRACE: 2 <trace2> filter:FORWARD:policy:ACCEPT \n" +
        "PACKET: 2 <trace1> IN=ra OUT=rb SRC=10.0.1.1 DST=10.0.2.1 LEN=84 TOS=0x0 TTL=63 ID=<ipid1> DF \n",
    );
  });
});

describe("normalize: ping -A and -T", () => {
  test("the ipg/ewma pair on the rtt line", () => {
    expect(
      normalizeText("rtt min/avg/max/mdev = 0.1/0.2/0.3/0.0 ms, pipe 2, ipg/ewma 0.063/0.022 ms\n"),
    ).toBe("rtt min/avg/max/mdev = <rtt> ms, pipe 2, ipg/ewma <ipg> ms\n");
  });
  test("the timestamps of a TS block, addresses kept", () => {
    const text = "TS: \t10.1.1.1\t24573997 absolute\n\t10.1.1.9\t0\n\t10.1.1.9\t1\n\n\t7\n";
    expect(normalizeText(text)).toBe(
      "TS: \t10.1.1.1\t<ms> absolute\n\t10.1.1.9\t<ms>\n\t10.1.1.9\t<ms>\n\n\t7\n",
    );
  });
});

describe("normalize: tcpdump -S", () => {
  const run = (isnA: number, isnB: number): string =>
    [
      `12:00:00.000001 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq ${isnA}, win 64240, length 0`,
      `12:00:00.000002 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq ${isnB}, ack ${isnA + 1}, win 65160, length 0`,
      `12:00:00.000003 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack ${isnB + 1}, win 63, length 0`,
      `12:00:00.000004 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq ${isnA + 1}:${isnA + 101}, ack ${isnB + 1}, win 63, length 100`,
      `12:00:00.000005 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [R], seq ${isnB + 1}, win 0, length 0`,
    ].join("\n");
  test("absolute numbers become offsets from the conversation's initial ones", () => {
    const a = normalizeText(run(1790593967, 2527526880));
    expect(a).toBe(normalizeText(run(123456789, 4000000000)));
    expect(a).toContain("Flags [P.], seq <isn>+1:<isn>+101, ack <isn>+1, win 63");
    expect(a).toContain("Flags [R], seq <isn>+1, win 0");
  });
  test("relative numbers (no -S) stay", () => {
    const line =
      "12:00:00.000003 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 63, length 100";
    const text = `${run(1790593967, 2527526880).split("\n").slice(0, 2).join("\n")}\n${line}`;
    expect(normalizeText(text)).toContain("Flags [P.], seq 1:101, ack 1, win 63");
  });
});
