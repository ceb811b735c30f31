// AF_PACKET sockets (net/packet/af_packet.c), the part arping and a capture need: a socket bound to
// a protocol (and a device) receives a copy of every matching frame — ETH_P_ALL ones through the
// ptype_all taps on both receive (__netif_receive_skb_core) and transmit (dev_queue_xmit_nit),
// others beside the protocol's own handler (deliver_skb over ptype_base) — and sends whole frames
// (SOCK_RAW) or a payload the kernel puts an Ethernet header on (SOCK_DGRAM, dev_hard_header).
// A capture (libpcap) adds a receive ring's byte budget (PACKET_RX_RING), a socket filter
// (SO_ATTACH_FILTER: the program is the caller's matcher over the frame, not classic BPF),
// PACKET_ADD_MEMBERSHIP's promiscuous mode and the PACKET_STATISTICS counters. No fanout.

import { ETH_ALEN, ETH_HLEN, emitEthernet } from "../../wire/ethernet.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { IFF_UP } from "../uapi.js";
import { devGetByIndex, devSetAllmulti, devSetPromiscuity, type NetDevice, type NetdevEvent } from "./dev.js";
import { devQueueXmit } from "./netif.js";
import { allocSkb, CHECKSUM_PARTIAL, csumPartialCopy, type PacketType, type SkBuff } from "./skbuff.js";

/** ETH_P_ALL: every protocol, seen on the way in and on the way out. */
export const ETH_P_ALL = 0x0003;

/** sll_pkttype values (include/uapi/linux/if_packet.h). */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;

const PKTTYPE: Readonly<Record<PacketType, number>> = {
  PACKET_HOST,
  PACKET_BROADCAST,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  PACKET_OUTGOING,
};

/** PACKET_ADD_MEMBERSHIP's mr_type values. */
export const PACKET_MR_PROMISC = 1;
export const PACKET_MR_ALLMULTI = 2;

/**
 * sk_filter (SO_ATTACH_FILTER): run on every frame a socket is offered, from what the socket
 * would read (the link-layer header for SOCK_RAW, the network header for SOCK_DGRAM) and its
 * sockaddr_ll; false drops it before it is counted (the program returned 0).
 */
export type PacketFilter = (data: Uint8Array, from: SockaddrLl) => boolean;

/** One received frame: its bytes, where it came from, and skb->tstamp (virtual ns). */
export interface PacketFrame {
  readonly data: Uint8Array;
  readonly from: SockaddrLl;
  readonly tstamp: number;
}

/** struct sockaddr_ll; `addr.length` is sll_halen. */
export interface SockaddrLl {
  readonly protocol: number;
  readonly ifindex: number;
  readonly hatype: number;
  readonly pkttype: number;
  readonly addr: Uint8Array;
}

/** struct packet_sock */
export interface PacketSock {
  readonly net: Net;
  readonly type: "SOCK_RAW" | "SOCK_DGRAM";
  /** po->num: the bound protocol (host order), 0 while none (no hook registered). */
  protocol: number;
  /** po->ifindex: 0 for every device. */
  ifindex: number;
  /** po->running: the hook is registered. */
  running: boolean;
  /** sk_err: ENETDOWN after binding to a device that is down. */
  err: KernelError | undefined;
  readonly rcvQueue: PacketFrame[];
  /** sk_rcvbuf in packets, a stand-in for the byte budget: beyond it, frames are dropped. */
  readonly rcvQueueMax: number;
  /** packet_rcv's drops (tp_drops) when the queue (or the ring) is full. */
  drops: number;
  /** tp_packets: the frames the filter passed, queued or dropped (PACKET_STATISTICS). */
  packets: number;
  /** sk->sk_filter */
  filter: PacketFilter | undefined;
  /** PACKET_RX_RING: the ring's size in bytes (0: none) and the bytes its frames take now. */
  ringBytes: number;
  ringUsed: number;
  /** po->mclist: the memberships (promiscuous, allmulti) this socket holds on devices. */
  readonly mclist: { readonly ifindex: number; readonly type: number; count: number }[];
}

/** TPACKET_ALIGN(TPACKET3_HDRLEN) + the frame: what one frame takes of a TPACKET_V3 block. */
function ringCost(len: number): number {
  return (68 + 15 + len + 15) & ~15;
}

/** ptype_all and the ptype_base entries of packet sockets, per namespace (made on first use). */
export interface PacketTaps {
  readonly all: PacketSock[];
  readonly byType: Map<number, PacketSock[]>;
  /** net->packet.sklist: every packet socket of the namespace, hooked or not (packet_notifier). */
  readonly sklist: PacketSock[];
}

function tapsOf(net: Net): PacketTaps {
  if (!net.packetTaps) net.packetTaps = { all: [], byType: new Map(), sklist: [] };
  return net.packetTaps;
}

/** register_prot_hook: ETH_P_ALL on ptype_all, any other protocol beside its handler. */
function registerProtHook(sk: PacketSock): void {
  if (sk.running || !sk.protocol) return;
  const taps = tapsOf(sk.net);
  if (sk.protocol === ETH_P_ALL) taps.all.push(sk);
  else {
    let list = taps.byType.get(sk.protocol);
    if (!list) {
      list = [];
      taps.byType.set(sk.protocol, list);
    }
    // dev_add_pack: list_add_rcu at the head.
    list.unshift(sk);
  }
  sk.running = true;
}

/** unregister_prot_hook */
function unregisterProtHook(sk: PacketSock): void {
  if (!sk.running) return;
  const taps = tapsOf(sk.net);
  const list = sk.protocol === ETH_P_ALL ? taps.all : taps.byType.get(sk.protocol);
  if (list) {
    const i = list.indexOf(sk);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0 && sk.protocol !== ETH_P_ALL) taps.byType.delete(sk.protocol);
  }
  sk.running = false;
}

/** packet_create: socket(AF_PACKET, type, htons(protocol)); a protocol hooks it at once. */
export function packetCreate(net: Net, type: "SOCK_RAW" | "SOCK_DGRAM", protocol: number): PacketSock {
  const sk: PacketSock = {
    net,
    type,
    protocol,
    ifindex: 0,
    running: false,
    err: undefined,
    rcvQueue: [],
    rcvQueueMax: 256,
    drops: 0,
    packets: 0,
    filter: undefined,
    ringBytes: 0,
    ringUsed: 0,
    mclist: [],
  };
  tapsOf(net).sklist.push(sk);
  registerProtHook(sk);
  return sk;
}

/**
 * packet_notifier: a socket bound to a device that goes down loses its hook and gets ENETDOWN
 * (the hook comes back with NETDEV_UP); one whose device is unregistered (deleted, or moved to
 * another namespace) also drops its memberships there and is left bound to no device (-1).
 */
export function packetNotifier(event: NetdevEvent, dev: NetDevice): void {
  const taps = dev.net.packetTaps;
  if (!taps) return;
  for (const sk of taps.sklist) {
    switch (event) {
      case "NETDEV_UNREGISTER":
      case "NETDEV_DOWN":
        // packet_dev_mclist_delete: the memberships on the device go, and what they did to it.
        if (event === "NETDEV_UNREGISTER") {
          for (let i = sk.mclist.length - 1; i >= 0; i--) {
            const ml = sk.mclist[i] as { readonly ifindex: number; readonly type: number; count: number };
            if (ml.ifindex !== dev.ifindex) continue;
            sk.mclist.splice(i, 1);
            packetDevMc(dev, ml.type, -ml.count);
          }
        }
        if (dev.ifindex !== sk.ifindex) break;
        if (sk.running) {
          unregisterProtHook(sk);
          sk.err = new KernelError("ENETDOWN");
        }
        if (event === "NETDEV_UNREGISTER") sk.ifindex = -1;
        break;
      case "NETDEV_UP":
        if (dev.ifindex === sk.ifindex && sk.protocol) registerProtHook(sk);
        break;
      default:
        break;
    }
  }
}

/**
 * packet_do_bind: to a device (0: all) and a protocol (0: keep the current one). A device that is
 * down takes the bind but leaves the hook off, with ENETDOWN pending.
 */
export function packetBind(sk: PacketSock, ifindex: number, protocol: number): void {
  let dev: NetDevice | undefined;
  if (ifindex) {
    dev = devGetByIndex(sk.net, ifindex);
    if (!dev) throw new KernelError("ENODEV");
  }
  unregisterProtHook(sk);
  if (protocol) sk.protocol = protocol;
  sk.ifindex = ifindex;
  if (!dev || dev.flags & IFF_UP) registerProtHook(sk);
  else sk.err = new KernelError("ENETDOWN");
}

/** packet_getname: the bound device's type and hardware address. */
export function packetGetname(sk: PacketSock): SockaddrLl {
  const dev = sk.ifindex ? devGetByIndex(sk.net, sk.ifindex) : undefined;
  return {
    protocol: sk.protocol,
    ifindex: sk.ifindex,
    hatype: dev?.type ?? 0,
    pkttype: 0,
    addr: dev ? dev.address.slice() : new Uint8Array(0),
  };
}

/** packet_release: the memberships go first (packet_flush_mclist). */
export function packetRelease(sk: PacketSock): void {
  for (const ml of sk.mclist.splice(0)) {
    const dev = devGetByIndex(sk.net, ml.ifindex);
    if (dev) packetDevMc(dev, ml.type, -ml.count);
  }
  unregisterProtHook(sk);
  const sklist = sk.net.packetTaps?.sklist;
  const at = sklist ? sklist.indexOf(sk) : -1;
  if (sklist && at >= 0) sklist.splice(at, 1);
  sk.rcvQueue.length = 0;
  sk.ringUsed = 0;
}

/** packet_dev_mc: what a membership does to its device. */
function packetDevMc(dev: NetDevice, type: number, inc: number): void {
  if (type === PACKET_MR_PROMISC) devSetPromiscuity(dev, inc);
  else if (type === PACKET_MR_ALLMULTI) devSetAllmulti(dev, inc);
}

/** packet_mc_add (PACKET_ADD_MEMBERSHIP): a second request for the same one only counts. */
export function packetMcAdd(sk: PacketSock, ifindex: number, type: number): void {
  const dev = devGetByIndex(sk.net, ifindex);
  if (!dev) throw new KernelError("ENODEV");
  if (type !== PACKET_MR_PROMISC && type !== PACKET_MR_ALLMULTI) throw new KernelError("EINVAL");
  const ml = sk.mclist.find((m) => m.ifindex === ifindex && m.type === type);
  if (ml) {
    ml.count++;
    return;
  }
  sk.mclist.push({ ifindex, type, count: 1 });
  packetDevMc(dev, type, 1);
}

/** packet_mc_drop (PACKET_DROP_MEMBERSHIP) */
export function packetMcDrop(sk: PacketSock, ifindex: number, type: number): void {
  const i = sk.mclist.findIndex((m) => m.ifindex === ifindex && m.type === type);
  const ml = sk.mclist[i];
  if (!ml) throw new KernelError("EADDRNOTAVAIL");
  if (--ml.count > 0) return;
  sk.mclist.splice(i, 1);
  const dev = devGetByIndex(sk.net, ifindex);
  if (dev) packetDevMc(dev, type, -1);
}

/** The next frame for the reader; a ring's slot is handed back with it. */
export function packetDequeue(sk: PacketSock): PacketFrame | undefined {
  const f = sk.rcvQueue.shift();
  if (f && sk.ringBytes) sk.ringUsed -= ringCost(f.data.length);
  return f;
}

/** getsockopt(PACKET_STATISTICS): tp_packets and tp_drops, which reading resets. */
export function packetStatistics(sk: PacketSock): { readonly packets: number; readonly drops: number } {
  const st = { packets: sk.packets, drops: sk.drops };
  sk.packets = 0;
  sk.drops = 0;
  return st;
}

/**
 * packet_rcv: a copy of the frame for one socket, from the link-layer header (SOCK_RAW) or the
 * network header (SOCK_DGRAM), with where it came from.
 */
function packetRcv(sk: PacketSock, skb: SkBuff, dev: NetDevice): void {
  if (sk.ifindex && sk.ifindex !== dev.ifindex) return;
  const start = sk.type === "SOCK_RAW" ? skb.macHeader : skb.networkHeader;
  // eth_header_parse: the source hardware address.
  const mac = skb.macHeader;
  const from: SockaddrLl = {
    protocol: skb.protocol,
    ifindex: dev.ifindex,
    hatype: dev.type,
    pkttype: PKTTYPE[skb.pktType],
    addr: skb.data.slice(mac + ETH_ALEN, mac + 2 * ETH_ALEN),
  };
  const data = skb.data.subarray(start, skb.tail);
  // run_filter
  if (sk.filter && !sk.filter(data, from)) return;
  sk.packets++;
  if (
    sk.ringBytes ? sk.ringUsed + ringCost(data.length) > sk.ringBytes : sk.rcvQueue.length >= sk.rcvQueueMax
  ) {
    sk.drops++;
    return;
  }
  if (sk.ringBytes) sk.ringUsed += ringCost(data.length);
  const copy = data.slice();
  if (skb.ipSummed === CHECKSUM_PARTIAL) csumPartialCopy(copy, skb.networkHeader - start);
  // __net_timestamp: the time the frame reached the tap.
  sk.rcvQueue.push({ data: copy, from, tstamp: sk.net.host.clock.now });
}

/** The ptype_all taps on receive (__netif_receive_skb_core, before the rx_handler). */
export function packetTapRx(net: Net, skb: SkBuff): void {
  const all = net.packetTaps?.all;
  if (!all?.length) return;
  const dev = skb.dev as NetDevice;
  for (const sk of all) packetRcv(sk, skb, dev);
}

/** deliver_skb to the packet sockets bound to skb->protocol, beside the kernel's own handler. */
export function packetDeliverType(net: Net, skb: SkBuff): void {
  const list = net.packetTaps?.byType.get(skb.protocol);
  if (!list) return;
  const dev = skb.dev as NetDevice;
  for (const sk of list) packetRcv(sk, skb, dev);
}

/**
 * dev_queue_xmit_nit: what a device transmits, shown to the ETH_P_ALL sockets as PACKET_OUTGOING
 * (but not to the socket that sent it, skb_loop_sk).
 */
export function devQueueXmitNit(skb: SkBuff, dev: NetDevice, origin?: PacketSock): void {
  const all = dev.net.packetTaps?.all;
  if (!all?.length) return;
  const saved = skb.pktType;
  skb.pktType = "PACKET_OUTGOING";
  const nh = skb.networkHeader;
  if (nh < skb.macHeader + ETH_HLEN) skb.networkHeader = skb.macHeader + ETH_HLEN;
  for (const sk of all) if (sk !== origin) packetRcv(sk, skb, dev);
  skb.pktType = saved;
  skb.networkHeader = nh;
}

/**
 * packet_snd: to the device of `to.ifindex` (else the bound one; ENXIO with neither), ENETDOWN when
 * it is down, EMSGSIZE beyond its MTU (plus the header for SOCK_RAW). SOCK_DGRAM frames get an
 * Ethernet header to `to.addr` with the protocol `to.protocol` (else the bound one).
 */
export function packetSendmsg(
  sk: PacketSock,
  payload: Uint8Array,
  to: { readonly ifindex?: number; readonly protocol?: number; readonly addr?: Uint8Array } = {},
): number {
  const ifindex = to.ifindex || sk.ifindex;
  const dev = ifindex ? devGetByIndex(sk.net, ifindex) : undefined;
  if (!dev) throw new KernelError("ENXIO");
  if (!(dev.flags & IFF_UP)) throw new KernelError("ENETDOWN");
  const protocol = to.protocol || sk.protocol;
  const dgram = sk.type === "SOCK_DGRAM";
  if (payload.length > dev.mtu + (dgram ? 0 : ETH_HLEN)) throw new KernelError("EMSGSIZE");
  if (dgram && (!to.addr || to.addr.length < ETH_ALEN)) throw new KernelError("EINVAL");
  const skb = allocSkb(payload.length);
  skb.data.set(payload, skb.head);
  if (dgram) {
    skb.head -= ETH_HLEN;
    emitEthernet(skb.data, skb.head, { dst: to.addr as Uint8Array, src: dev.address, etherType: protocol });
  } else if (payload.length < ETH_HLEN) throw new KernelError("EINVAL");
  skb.macHeader = skb.head;
  skb.networkHeader = skb.head + ETH_HLEN;
  skb.protocol = protocol;
  skb.dev = dev;
  devQueueXmit(skb, dev, { origin: sk });
  return payload.length;
}
