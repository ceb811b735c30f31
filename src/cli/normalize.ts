// Canonical text of one script run, so that a run on netnest and a run on the real kernel can be
// compared line by line. Only what legitimately differs between two correct runs is rewritten;
// every rule below exists because the real kernel makes it vary from run to run.

export interface RunOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * The canonical text: stdout, then (only if stderr is non-empty) a line `--- stderr ---` and
 * stderr, then `--- exit N ---`. A stream that does not end in a newline gets the line
 * `\ No newline at end of stdout` (or stderr) so the difference is kept, not hidden.
 */
export function normalize(run: RunOutput): string {
  let text = terminate(run.stdout, "stdout");
  if (run.stderr !== "") text += `--- stderr ---\n${terminate(run.stderr, "stderr")}`;
  text += `--- exit ${run.exitCode} ---\n`;
  return normalizeText(text);
}

function terminate(s: string, name: string): string {
  if (s === "" || s.endsWith("\n")) return s;
  return `${s}\n\\ No newline at end of ${name}\n`;
}

// A MAC address as iproute2 prints it (lower hex, six octets), not part of a longer colon run.
const MAC = /(?<![0-9a-f:])[0-9a-f]{2}(?::[0-9a-f]{2}){5}(?![0-9a-f:])/g;
// Fixed addresses that are the same on every run: keep them literal.
const LITERAL_MACS: ReadonlySet<string> = new Set(["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"]);
// An IPv6 link-local address with an interface identifier (EUI-64 from a random MAC). The bare
// prefix `fe80::` (as in the route `fe80::/64`) needs at least one hex digit after it to match.
const LINK_LOCAL = /(?<![0-9a-f:])fe80::[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*(?![0-9a-f:])/g;

/** Apply the rules to already-assembled text; numbering is by first appearance in `text`. */
export function normalizeText(text: string): string {
  return (
    text
      // Rule 1: random MAC addresses (veth and other drivers use eth_hw_addr_random) → <macN>.
      .replace(MAC, numberer("mac", LITERAL_MACS))
      // Rule 2: link-local addresses are derived from those random MACs → <llN>.
      .replace(LINK_LOCAL, numberer("ll", new Set()))
      // Rule 3: ping's per-reply round-trip time (`time=0.413 ms`, `time=12 ms`).
      .replace(/\btime=\d+(?:\.\d+)? ms\b/g, "time=<t> ms")
      // Rule 4: ping's summary elapsed time (`..., 0% packet loss, time 1026ms`).
      .replace(/\btime \d+ms\b/g, "time <t>ms")
      // Rule 5: ping's rtt statistics line.
      .replace(/^rtt min\/avg\/max\/mdev = [\d./]+ ms/gm, "rtt min/avg/max/mdev = <rtt> ms")
      // Rule 6: traceroute's per-probe times (`  0.045 ms`, two spaces before each).
      .replace(/(?<= {2})\d+\.\d{3} ms\b/g, "<t> ms")
  );
}

function numberer(tag: string, literal: ReadonlySet<string>): (m: string) => string {
  const seen = new Map<string, string>();
  return (m) => {
    if (literal.has(m)) return m;
    let name = seen.get(m);
    if (name === undefined) {
      name = `<${tag}${seen.size + 1}>`;
      seen.set(m, name);
    }
    return name;
  };
}
