// `netnest trace`: the options that choose a packet, and the listing of its path that follows the
// script's output (the records come from src/kernel/trace.ts).
import type { TraceEvent, TraceFilter, TracePacket, TraceRoute } from "../kernel/trace.js";
import { RTN_BLACKHOLE, RTN_BROADCAST, RTN_LOCAL, RTN_PROHIBIT, RTN_UNREACHABLE } from "../kernel/uapi.js";
import { saveRule } from "../userland/iptables/rule.js";
import { formatIPv4, parseIPv4 } from "../wire/addr.js";

export const TRACE_USAGE = `usage: netnest trace [--proto icmp|tcp|udp] [--src ADDR] [--dst ADDR] [--port N] SCRIPT.sh [ARGS...]
       netnest trace [OPTIONS] -c 'COMMANDS' [NAME [ARGS...]]
`;

const PROTOS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17 };
const PROTO_NAMES: Readonly<Record<number, string>> = { 1: "ICMP", 6: "TCP", 17: "UDP" };
const HOOKS = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];
const VERDICTS = ["DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP"];
const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: "echo-reply",
  3: "destination-unreachable",
  5: "redirect",
  8: "echo-request",
  11: "time-exceeded",
};
const DROP_REASONS: Readonly<Record<string, string>> = {
  NETFILTER_DROP: "NETFILTER_DROP",
  IP_INHDR_TTL: "IP_INHDR (TTL expired; ICMP time exceeded to the sender)",
  martian_source: "IP_INVALID_SOURCE (martian source)",
  martian_destination: "IP_INVALID_DEST (martian destination)",
  no_in_dev: "NOT_SPECIFIED (no IPv4 on the device)",
};

export type TraceArgs =
  | { readonly kind: "ok"; readonly filter: TraceFilter; readonly rest: readonly string[] }
  | { readonly kind: "error"; readonly message: string };

/** The options before the script; everything from the first other word on is `netnest run`'s. */
export function parseTraceArgs(args: readonly string[]): TraceArgs {
  const filter: { protocol?: number; saddr?: number; daddr?: number; port?: number } = {};
  let i = 0;
  for (; i < args.length; i++) {
    const opt = args[i] as string;
    if (opt === "--") {
      i++;
      break;
    }
    if (!["--proto", "--src", "--dst", "--port"].includes(opt)) break;
    const value = args[++i];
    if (value === undefined) return { kind: "error", message: `option '${opt}' requires an argument` };
    switch (opt) {
      case "--proto": {
        const p = PROTOS[value.toLowerCase()];
        if (p === undefined) return { kind: "error", message: `unknown protocol '${value}'` };
        filter.protocol = p;
        break;
      }
      case "--src":
      case "--dst": {
        const a = parseIPv4(value);
        if (a === undefined) return { kind: "error", message: `invalid address '${value}'` };
        if (opt === "--src") filter.saddr = a;
        else filter.daddr = a;
        break;
      }
      default: {
        const n = /^\d+$/.test(value) ? Number(value) : -1;
        if (n < 0 || n > 65535) return { kind: "error", message: `invalid port '${value}'` };
        filter.port = n;
      }
    }
  }
  return { kind: "ok", filter, rest: args.slice(i) };
}

function describePacket(p: TracePacket): string {
  const proto = PROTO_NAMES[p.protocol] ?? `proto ${p.protocol}`;
  if ((p.protocol === 6 || p.protocol === 17) && p.sport >= 0)
    return `${proto} ${formatIPv4(p.saddr)}:${p.sport} > ${formatIPv4(p.daddr)}:${p.dport}`;
  if (p.protocol === 1 && p.sport >= 0) {
    const type = ICMP_TYPES[p.sport] ?? `type ${p.sport}`;
    return `${proto} ${formatIPv4(p.saddr)} > ${formatIPv4(p.daddr)} ${type}${p.dport ? ` code ${p.dport}` : ""}`;
  }
  return `${proto} ${formatIPv4(p.saddr)} > ${formatIPv4(p.daddr)}`;
}

function sameFlow(a: TracePacket, b: TracePacket): boolean {
  return (
    a.saddr === b.saddr &&
    a.daddr === b.daddr &&
    a.protocol === b.protocol &&
    a.sport === b.sport &&
    a.dport === b.dport
  );
}

function describeRoute(r: TraceRoute, input: boolean): string {
  if (r.kind === "drop") return `dropped: ${DROP_REASONS[r.reason] ?? r.reason}`;
  const via = `${r.gateway ? `via ${formatIPv4(r.gateway)} ` : ""}dev ${r.dev}`;
  switch (r.type) {
    case RTN_LOCAL:
      return input ? "local" : `local, ${via}`;
    case RTN_BROADCAST:
      return `broadcast, ${input ? "local" : `dev ${r.dev}`}`;
    case RTN_UNREACHABLE:
      return "unreachable";
    case RTN_PROHIBIT:
      return "prohibit";
    case RTN_BLACKHOLE:
      return "blackhole";
  }
  if (input) {
    if (r.input === "ip_forward") return `forward ${via}`;
    if (r.input === "ip_local_deliver") return "local";
    if (r.input === "ip_error") return `error ${r.errno ?? ""}`.trimEnd();
  }
  return `${via} src ${formatIPv4(r.src)}`;
}

function describeRule(e: Extract<TraceEvent, { kind: "rule" }>): string {
  const where = `${e.table} ${e.chain}`;
  if (e.entry) return `${where} rule ${e.rule}: -A ${e.chain}${saveRule(e.entry)}`;
  return e.policy ? `${where} policy ${e.policy}` : `${where} end of chain (return)`;
}

function nsLabel(ns: string): string {
  return ns === "" ? "netns (initial)" : `netns ${ns}`;
}

function describeEvent(e: TraceEvent): string | undefined {
  switch (e.kind) {
    case "start":
      return undefined;
    case "route-output":
      return `route output: ${describeRoute(e.route, false)}`;
    case "route-input":
      return `route input: ${describeRoute(e.route, true)}`;
    case "xmit":
      return `sent on ${e.dev}`;
    case "rx":
      return `received on ${e.dev}`;
    case "hook":
      return `${HOOKS[e.hook] ?? `hook ${e.hook}`} ${e.name} (${e.priority}): ${VERDICTS[e.verdict] ?? e.verdict}`;
    case "rule":
      return describeRule(e);
    case "deliver":
      return `delivered locally to ${PROTO_NAMES[e.protocol] ?? `protocol ${e.protocol}`}`;
    case "forward":
      return `forward: TTL ${e.pkt.ttl + 1} -> ${e.pkt.ttl}, out ${e.gateway ? `via ${formatIPv4(e.gateway)} ` : ""}dev ${e.dev}`;
    case "drop":
      return `dropped: ${DROP_REASONS[e.reason] ?? e.reason}`;
  }
}

/**
 * The listing: per traced packet a heading, then its events grouped under the namespace they
 * happened in; the rules a table matched are listed under that table's hook line, and a changed
 * address or port (NAT, encapsulation) is shown where it first appears.
 */
export function formatTrace(events: readonly TraceEvent[]): string {
  const ids = [...new Set(events.map((e) => e.id))].sort((a, b) => a - b);
  let out = "";
  for (const id of ids) {
    const mine = events.filter((e) => e.id === id);
    const first = mine[0] as TraceEvent;
    const why = first.kind === "start" && first.why === "TRACE" ? " (marked by TRACE)" : "";
    out += `trace ${id}: ${describePacket(first.pkt)}${why}\n`;
    let ns: string | undefined;
    let pkt = first.pkt;
    let pending: string[] = [];
    let last: TraceEvent | undefined;
    for (const e of mine) {
      const text = describeEvent(e);
      if (text === undefined) continue;
      if (e.ns !== ns) {
        ns = e.ns;
        out += `  ${nsLabel(ns)}\n`;
      }
      if (e.kind === "rule") {
        pending.push(text);
        continue;
      }
      // A rewrite (NAT) is listed after the hook that made it; anything else (an encapsulation)
      // before the event that first shows it.
      if (e.kind !== "hook" && !sameFlow(pkt, e.pkt)) {
        out += `    packet now ${describePacket(e.pkt)}\n`;
        pkt = e.pkt;
      }
      out += `    ${text}\n`;
      if (e.kind === "hook") {
        for (const r of pending) out += `      ${r}\n`;
        pending = [];
        if (!sameFlow(pkt, e.pkt)) {
          out += `    packet now ${describePacket(e.pkt)}\n`;
          pkt = e.pkt;
        }
      }
      last = e;
    }
    for (const r of pending) out += `      ${r}\n`;
    const ended =
      last?.kind === "drop" ||
      last?.kind === "deliver" ||
      (last?.kind === "route-input" && last.route.kind === "drop");
    if (!ended) out += "    (not seen again)\n";
  }
  return out;
}
