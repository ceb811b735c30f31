// nf_tables tracing (net/netfilter/nf_tables_trace.c): a packet whose skb->nf_trace is set (by
// `-j TRACE`, which iptables-nft turns into `meta nftrace set 1`) is reported to NFNLGRP_NFTRACE
// listeners at every rule that decides something and at every base chain's policy. The first
// report from each base chain also carries the packet: devices, link-layer, network and
// transport headers, copied as bytes. `xtables-monitor --trace` prints them.
//
// Nothing is built unless a listener exists (nfnetlink_has_listeners), as in the kernel.

import type { SkBuff } from "../core/skbuff.js";
import type { Host } from "../host.js";
import { jhash3words } from "../lib/jhash.js";
import type { Net } from "../net_namespace.js";
import {
  NFPROTO_IPV4,
  NFT_TRACETYPE_POLICY,
  NFT_TRACETYPE_RULE,
  type NftTraceMsg,
} from "../uapi_netfilter.js";
import type { NfHookState } from "./core.js";
import { NfnlGroup } from "./nfnetlink.js";

/** A NETLINK_NETFILTER socket bound to NFNLGRP_NFTRACE: the traces it has not read yet. */
export interface NfnlTraceSock {
  readonly net: Net;
  readonly queue: NftTraceMsg[];
}

const listeners = new NfnlGroup<NfnlTraceSock>();

export function nfnlTraceBind(net: Net): NfnlTraceSock {
  return listeners.bind({ net, queue: [] });
}

/** Returns whether the socket was still bound. */
export function nfnlTraceUnbind(sk: NfnlTraceSock): boolean {
  return listeners.unbind(sk);
}

/** struct nft_traceinfo: one base chain's walk of one packet. */
export interface NftTraceInfo {
  readonly table: string;
  readonly basechain: string;
  readonly skbid: number;
  packetDumped: boolean;
}

/**
 * Per machine: the trace_key (net_get_random_once, drawn at the first trace) and the serial
 * numbers standing in for skb addresses (hash32_ptr), one per skb that was traced.
 */
interface TraceIds {
  readonly key: number;
  next: number;
  readonly serial: WeakMap<SkBuff, number>;
}

const traceIds = new WeakMap<Host, TraceIds>();

/**
 * nft_trace_init: the skb id is siphash(skb address, flow hash, skb_iif) under a random key, so
 * the same skb keeps its id through the hooks of one namespace and a packet that comes back in
 * (over loopback, into another namespace) gets a new one.
 */
export function nftTraceInit(
  skb: SkBuff,
  state: NfHookState,
  table: string,
  basechain: string,
): NftTraceInfo {
  const host = state.net.host;
  let ids = traceIds.get(host);
  if (!ids) {
    ids = { key: host.randomU32(), next: 0, serial: new WeakMap() };
    traceIds.set(host, ids);
  }
  let serial = ids.serial.get(skb);
  if (serial === undefined) {
    serial = ++ids.next;
    ids.serial.set(skb, serial);
  }
  const iif = state.in?.ifindex ?? skb.dst?.iif ?? 0;
  // siphash_3u32(skb address, flow hash, skb_iif, &trace_key); a keyed jhash stands in for it.
  return { table, basechain, skbid: jhash3words(serial, 0, iif, ids.key), packetDumped: false };
}

const NFT_TRACETYPE_LL_HSIZE = 20;
const NFT_TRACETYPE_NETWORK_HSIZE = 40;
const NFT_TRACETYPE_TRANSPORT_HSIZE = 20;

function copy(skb: SkBuff, from: number, len: number): Uint8Array | undefined {
  if (len <= 0) return undefined;
  return skb.data.slice(from, from + len);
}

/**
 * nft_trace_notify: one event. `handle` is the rule's (undefined for the policy), `verdict` the
 * nf_tables verdict code (NF_ACCEPT, NF_DROP, NFT_CONTINUE, NFT_JUMP, NFT_GOTO, NFT_RETURN).
 */
export function nftTraceNotify(
  skb: SkBuff,
  state: NfHookState,
  info: NftTraceInfo,
  chain: string,
  handle: number | undefined,
  verdict: number,
  jumpTarget?: string,
): void {
  const socks = listeners.socks(state.net);
  if (!socks || socks.size === 0) return;
  let msg: NftTraceMsg = {
    family: NFPROTO_IPV4,
    nfproto: NFPROTO_IPV4,
    type: handle === undefined ? NFT_TRACETYPE_POLICY : NFT_TRACETYPE_RULE,
    id: info.skbid,
    table: info.table,
    chain,
    ...(handle !== undefined ? { handle } : {}),
    verdict: verdict >>> 0,
    ...(jumpTarget !== undefined ? { jumpTarget } : {}),
    mark: skb.mark >>> 0,
  };
  if (!info.packetDumped) {
    info.packetDumped = true;
    const nh = skb.networkHeader;
    const thoff = nh + ((skb.data[nh] as number) & 0xf) * 4;
    const network = copy(skb, nh, Math.min(thoff - nh, NFT_TRACETYPE_NETWORK_HSIZE));
    const transport = copy(skb, thoff, Math.min(skb.tail - thoff, NFT_TRACETYPE_TRANSPORT_HSIZE));
    // skb_mac_header_was_set: a packet that came in through a device keeps its link-layer header
    // (through forwarding too); a locally generated one has none before neighbour output.
    const received = state.in !== undefined || skb.dst?.input !== undefined;
    const ll = received ? copy(skb, nh - 14, Math.min(14, NFT_TRACETYPE_LL_HSIZE)) : undefined;
    msg = {
      ...msg,
      ...(state.in ? { iif: state.in.ifindex, iifType: state.in.type } : {}),
      ...(state.out ? { oif: state.out.ifindex, oifType: state.out.type } : {}),
      ...(ll ? { llHeader: ll } : {}),
      ...(network ? { networkHeader: network } : {}),
      ...(transport ? { transportHeader: transport } : {}),
    };
  }
  for (const sk of socks) sk.queue.push(msg);
}
