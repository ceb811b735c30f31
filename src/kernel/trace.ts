// Packet tracing for `netnest trace`: the path of chosen packets through the stack, as plain
// records. Like the kernel's skb tracepoints (net:net_dev_xmit, net:netif_receive_skb,
// skb:kfree_skb with its drop reason) and nftables' nf_trace events, it costs nothing while off:
// Host.tracer is undefined and every call site is one optional call. A traced packet carries its
// trace id in skb.traceId, which netif_rx hands on to the skb the receiving device builds.
import type { NetDevice } from "./core/dev.js";
import type { SkBuff } from "./core/skbuff.js";
import type { Rtable } from "./ipv4/route.js";
import type { Net } from "./net_namespace.js";
import type { IptEntry } from "./uapi_netfilter.js";

/** Which packet to follow: the first IPv4 packet sent from a local socket that matches all given. */
export interface TraceFilter {
  readonly protocol?: number;
  readonly saddr?: number;
  readonly daddr?: number;
  /** Either port (TCP/UDP source or destination). */
  readonly port?: number;
}

/** The packet's IPv4 header fields (and ports or ICMP type) at the moment of an event. */
export interface TracePacket {
  readonly saddr: number;
  readonly daddr: number;
  readonly protocol: number;
  readonly ttl: number;
  /** TCP/UDP ports, or the ICMP type and code; -1 when absent. */
  readonly sport: number;
  readonly dport: number;
}

/** How an input route lookup ended (ip_route_input_noref's result). */
export type TraceRoute =
  | {
      readonly kind: "route";
      /** RTN_* */
      readonly type: number;
      readonly input: Rtable["input"];
      readonly dev: string;
      readonly gateway: number;
      readonly src: number;
      readonly errno: string | undefined;
    }
  | { readonly kind: "drop"; readonly reason: string };

export type TraceEventBody =
  /** Tracing starts: a local socket sent the packet matching the filter, or a TRACE rule marked it. */
  | { readonly kind: "start"; readonly why: "filter" | "TRACE" }
  /** ip_local_out: the output route the sender chose. */
  | { readonly kind: "route-output"; readonly route: TraceRoute }
  /** dev_queue_xmit */
  | { readonly kind: "xmit"; readonly dev: string }
  /** __netif_receive_skb */
  | { readonly kind: "rx"; readonly dev: string }
  /** One hook entry (nf_hook_slow) and its verdict (NF_DROP 0, NF_ACCEPT 1, NF_STOLEN 2 …). */
  | {
      readonly kind: "hook";
      readonly hook: number;
      readonly name: string;
      readonly priority: number;
      readonly verdict: number;
    }
  /** A rule that matched in ipt_do_table; `rule` 0 is the chain's end (a policy, or a user chain's return). */
  | {
      readonly kind: "rule";
      readonly table: string;
      readonly chain: string;
      readonly rule: number;
      readonly entry: IptEntry | undefined;
      readonly policy: "ACCEPT" | "DROP" | undefined;
    }
  /** ip_rcv_finish's input route */
  | { readonly kind: "route-input"; readonly route: TraceRoute }
  /** ip_local_deliver_finish: handed to the protocol */
  | { readonly kind: "deliver"; readonly protocol: number }
  /** ip_forward, after the TTL was decreased */
  | { readonly kind: "forward"; readonly dev: string; readonly gateway: number }
  /** kfree_skb_reason: dropped, with the kernel's SKB_DROP_REASON name */
  | { readonly kind: "drop"; readonly reason: string };

export type TraceEvent = TraceEventBody & {
  readonly id: number;
  /** The namespace's name under /run/netns, "" for the initial one, "#id" for an unnamed one. */
  readonly ns: string;
  /** Virtual time in nanoseconds. */
  readonly now: number;
  readonly pkt: TracePacket;
};

/** Where an ipt_do_table rule sits, as x_tables.ts knows it. */
export interface TraceTable {
  readonly desc: { readonly name: string };
  readonly source: {
    readonly chains: readonly {
      readonly name: string;
      readonly policy: "ACCEPT" | "DROP" | undefined;
      readonly entries: readonly IptEntry[];
    }[];
  };
  readonly chainStart: readonly number[];
}

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

function u32(d: Uint8Array, at: number): number {
  return (
    ((d[at] as number) * 0x1000000 +
      ((d[at + 1] as number) << 16) +
      ((d[at + 2] as number) << 8) +
      (d[at + 3] as number)) >>>
    0
  );
}

/** The IPv4 header of an skb whose network header is set, or undefined. */
function packetOf(skb: SkBuff): TracePacket | undefined {
  const d = skb.data;
  const nh = skb.networkHeader;
  if (skb.tail - nh < 20 || (d[nh] as number) >> 4 !== 4) return undefined;
  const protocol = d[nh + 9] as number;
  const th = nh + ((d[nh] as number) & 15) * 4;
  const fragoff = (((d[nh + 6] as number) & 0x1f) << 8) | (d[nh + 7] as number);
  let sport = -1;
  let dport = -1;
  if (fragoff === 0 && skb.tail - th >= 4) {
    if (protocol === IPPROTO_TCP || protocol === IPPROTO_UDP) {
      sport = ((d[th] as number) << 8) | (d[th + 1] as number);
      dport = ((d[th + 2] as number) << 8) | (d[th + 3] as number);
    } else if (protocol === IPPROTO_ICMP) {
      sport = d[th] as number;
      dport = d[th + 1] as number;
    }
  }
  return { saddr: u32(d, nh + 12), daddr: u32(d, nh + 16), protocol, ttl: d[nh + 8] as number, sport, dport };
}

function routeOf(rt: Rtable | string): TraceRoute {
  if (typeof rt === "string") return { kind: "drop", reason: rt };
  return {
    kind: "route",
    type: rt.type,
    input: rt.input,
    dev: rt.dev.name,
    gateway: rt.gateway,
    src: rt.src,
    errno: rt.error?.errno,
  };
}

/** The tracer of a host: Host.tracer, set only when tracing is on. */
export class Tracer {
  readonly events: TraceEvent[] = [];
  private nextId = 1;
  private picked = false;

  constructor(readonly filter: TraceFilter = {}) {}

  private matches(p: TracePacket): boolean {
    const f = this.filter;
    if (f.protocol !== undefined && p.protocol !== f.protocol) return false;
    if (f.saddr !== undefined && p.saddr !== f.saddr) return false;
    if (f.daddr !== undefined && p.daddr !== f.daddr) return false;
    if (f.port !== undefined) {
      if (p.protocol !== IPPROTO_TCP && p.protocol !== IPPROTO_UDP) return false;
      if (p.sport !== f.port && p.dport !== f.port) return false;
    }
    return true;
  }

  private emit(net: Net, skb: SkBuff, body: TraceEventBody): void {
    const pkt = packetOf(skb);
    if (!pkt || skb.traceId === undefined) return;
    this.events.push({ ...body, id: skb.traceId, ns: nsName(net), now: net.host.clock.now, pkt });
  }

  /** ip_local_out: a socket's packet; the first one the filter takes starts the trace. */
  localOut(net: Net, skb: SkBuff, rt: Rtable): void {
    if (skb.traceId === undefined) {
      if (this.picked) return;
      const pkt = packetOf(skb);
      if (!pkt || !this.matches(pkt)) return;
      this.picked = true;
      skb.traceId = this.nextId++;
      this.emit(net, skb, { kind: "start", why: "filter" });
    }
    this.emit(net, skb, { kind: "route-output", route: routeOf(rt) });
  }

  xmit(skb: SkBuff, dev: NetDevice): void {
    if (skb.traceId !== undefined) this.emit(dev.net, skb, { kind: "xmit", dev: dev.name });
  }

  rx(skb: SkBuff, dev: NetDevice): void {
    if (skb.traceId !== undefined && skb.protocol === 0x0800)
      this.emit(dev.net, skb, { kind: "rx", dev: dev.name });
  }

  hook(
    net: Net,
    skb: SkBuff,
    ops: { name: string; hooknum: number; priority: number },
    verdict: number,
  ): void {
    if (skb.traceId === undefined) return;
    this.emit(net, skb, {
      kind: "hook",
      hook: ops.hooknum,
      name: ops.name,
      priority: ops.priority,
      verdict: verdict & 0xff,
    });
    if ((verdict & 0xff) === 0) this.emit(net, skb, { kind: "drop", reason: "NETFILTER_DROP" });
  }

  /** ipt_do_table: rule `idx` of table `t` matched. A TRACE rule starts a trace of its own. */
  rule(net: Net, skb: SkBuff, t: TraceTable, idx: number): void {
    const chains = t.source.chains;
    let c = chains.length - 1;
    while (c > 0 && (t.chainStart[c] as number) > idx) c--;
    const chain = chains[c];
    if (!chain) return;
    const n = idx - (t.chainStart[c] as number);
    const entry = chain.entries[n];
    if (skb.traceId === undefined) {
      if (entry?.target.kind !== "TRACE") return;
      skb.traceId = this.nextId++;
      this.emit(net, skb, { kind: "start", why: "TRACE" });
      const dev = skb.dev;
      if (dev && dev.net === net && skb.pktType !== "PACKET_OUTGOING")
        this.emit(net, skb, { kind: "rx", dev: dev.name });
    }
    this.emit(net, skb, {
      kind: "rule",
      table: t.desc.name,
      chain: chain.name,
      rule: entry ? n + 1 : 0,
      entry,
      policy: entry ? undefined : chain.policy,
    });
  }

  routeInput(skb: SkBuff, dev: NetDevice, rt: Rtable | string): void {
    if (skb.traceId !== undefined) this.emit(dev.net, skb, { kind: "route-input", route: routeOf(rt) });
  }

  deliver(net: Net, skb: SkBuff, protocol: number): void {
    if (skb.traceId !== undefined) this.emit(net, skb, { kind: "deliver", protocol });
  }

  forward(skb: SkBuff, rt: Rtable): void {
    if (skb.traceId !== undefined)
      this.emit(rt.dev.net, skb, { kind: "forward", dev: rt.dev.name, gateway: rt.gateway });
  }

  drop(net: Net, skb: SkBuff, reason: string): void {
    if (skb.traceId !== undefined) this.emit(net, skb, { kind: "drop", reason });
  }
}

function nsName(net: Net): string {
  for (const [name, n] of net.host.netnsNames) if (n === net) return name;
  return net === net.host.initNet ? "" : `#${net.id}`;
}
