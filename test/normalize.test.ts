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
