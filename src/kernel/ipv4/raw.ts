// Raw IPv4 sockets (net/ipv4/raw.c), as iputils ping uses one: every ICMP packet that arrives
// is copied to the matching raw sockets before ICMP itself handles it.
import { bytesToIPv4 } from "../../wire/addr.js";
import { IPPROTO_ICMP } from "../../wire/ipv4.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { ipBuildSkb, ipLocalOut } from "./ip_output.js";
import { icmpMsgInc } from "./netns_ipv4.js";
import { ipRouteOutputKey } from "./route.js";

export interface RawDatagram {
  /** The whole IP packet, header included. */
  readonly data: Uint8Array;
  readonly from: number;
}

export interface RawSock {
  readonly net: Net;
  readonly protocol: number;
  /** SO_BINDTODEVICE: 0 for any. */
  boundDevIf: number;
  /** bind(): the source address, 0 when unbound. */
  saddr: number;
  /** IP_TTL: undefined until set, when ip_default_ttl applies. */
  ttl: number | undefined;
  /** ICMP_FILTER: bit N set drops ICMP type N. */
  icmpFilter: number;
  readonly rcvQueue: RawDatagram[];
}

export function rawSockCreate(net: Net, protocol: number): RawSock {
  const sock: RawSock = {
    net,
    protocol,
    boundDevIf: 0,
    saddr: 0,
    ttl: undefined,
    icmpFilter: 0,
    rcvQueue: [],
  };
  net.ipv4.rawSockets.add(sock);
  return sock;
}

export function rawSockClose(sock: RawSock): void {
  sock.net.ipv4.rawSockets.delete(sock);
}

/** raw_local_deliver: copies to each matching socket; true when one took the packet. */
export function rawLocalDeliver(skb: SkBuff, protocol: number, len: number): boolean {
  const net = skb.dev?.net;
  if (!net) return false;
  let delivered = false;
  const iif = skb.dst?.iif ?? skb.dev?.ifindex ?? 0;
  for (const sock of net.ipv4.rawSockets) {
    if (sock.protocol !== protocol) continue;
    if (sock.boundDevIf && sock.boundDevIf !== iif) continue;
    delivered = true;
    if (protocol === 1) {
      const type = skb.data[skb.transportHeader] ?? 0;
      if (type < 32 && sock.icmpFilter & (1 << type)) continue;
    }
    const data = skb.data.slice(skb.networkHeader, skb.networkHeader + len);
    sock.rcvQueue.push({ data, from: bytesToIPv4(data, 12) });
  }
  return delivered;
}

/** raw_sendmsg without IP_HDRINCL: the kernel builds the IP header around `payload`. */
export function rawSendmsg(sock: RawSock, daddr: number, payload: Uint8Array, saddr?: number): void {
  const net = sock.net;
  const rt = ipRouteOutputKey(net, { daddr, saddr, oif: sock.boundDevIf || undefined });
  if (rt instanceof KernelError) {
    if (rt.errno === "ENETUNREACH") net.ipv4.mib.OutNoRoutes++;
    throw rt;
  }
  const ttl = sock.ttl ?? net.ipv4.sysctlIpDefaultTtl;
  // IP_PMTUDISC_WANT (the default): DF is set.
  const skb = ipBuildSkb(
    net,
    { saddr: rt.src, daddr, protocol: sock.protocol, ttl, tos: 0, df: true },
    payload,
  );
  if (sock.protocol === IPPROTO_ICMP) {
    // __ip_make_skb -> icmp_out_count, by the type raw_probe_proto_opt read from the payload.
    net.ipv4.mib.IcmpOutMsgs++;
    icmpMsgInc(net.ipv4.mib, 0x100 | (payload[0] ?? 0));
  }
  ipLocalOut(net, skb, rt);
}
