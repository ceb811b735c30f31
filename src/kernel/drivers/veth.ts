// Virtual Ethernet pairs (drivers/net/veth.c): what one end transmits the other receives; each
// end has carrier only while both are up.

import { ETH_HLEN } from "../../wire/ethernet.js";
import {
  allocNetdev,
  devGetByName,
  isValidEtherAddr,
  type NetDevice,
  type NetDeviceOps,
  netifCarrierOff,
  netifCarrierOn,
  registerNetdevice,
  unregisterNetdevice,
} from "../core/dev.js";
import { devForwardSkb, devStatsAdd, xmitStatus } from "../core/netif.js";
import { rtmsgIfinfo } from "../core/rtnetlink.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { ARPHRD_ETHER, IFF_BROADCAST, IFF_MULTICAST, IFF_UP } from "../uapi.js";

/** One-way latency across the pair, in virtual nanoseconds. */
export const VETH_DELAY_NS = 15_000;
const ETH_MIN_MTU = 68;
const ETH_MAX_MTU = 65535;

interface VethPriv {
  peer: NetDevice | undefined;
}

const VLAN_HLEN = 4;

function peerOf(dev: NetDevice): NetDevice | undefined {
  return (dev.priv as VethPriv).peer;
}

const vethOps: NetDeviceOps = {
  kind: "veth",
  /** veth_open: carrier comes when both ends are up. */
  open(dev) {
    const peer = peerOf(dev);
    if (peer && peer.flags & IFF_UP) {
      netifCarrierOn(dev);
      netifCarrierOn(peer);
    }
  },
  /** veth_close */
  stop(dev) {
    netifCarrierOff(dev);
    const peer = peerOf(dev);
    if (peer) netifCarrierOff(peer);
  },
  /** veth_xmit: the peer receives the frame unless it is down (then it is dropped and counted). */
  startXmit(skb: SkBuff, dev: NetDevice) {
    const peer = peerOf(dev);
    if (!peer || !(peer.flags & IFF_UP)) {
      dev.stats.txDropped++;
      return;
    }
    // veth_forward_skb hands the skb itself over: the sender keeps no reference to it. The peer's
    // receive counters are this end's transmit counters (veth_get_stats64).
    const len = skb.tail - skb.head;
    // __dev_forward_skb -> is_skb_forwardable: a frame longer than the peer's MTU with an Ethernet
    // and a VLAN header is dropped (a GSO skb is judged by its segments); veth_get_stats64 shows
    // the drop as this end's tx_dropped and the peer's rx_dropped.
    if (len > peer.mtu + ETH_HLEN + VLAN_HLEN && !skb.gsoSize) {
      dev.stats.txDropped++;
      peer.stats.rxDropped++;
      xmitStatus.dropped = true;
      return;
    }
    devStatsAdd(dev, "tx", len);
    devStatsAdd(peer, "rx", len);
    devForwardSkb(skb, peer, VETH_DELAY_NS);
  },
  getIflink(dev) {
    return peerOf(dev)?.ifindex ?? 0;
  },
  getLinkNet(dev) {
    return peerOf(dev)?.net ?? dev.net;
  },
  dellink(dev) {
    const peer = peerOf(dev);
    return peer ? [dev, peer] : [dev];
  },
};

/** The first free name from a %d template (dev_alloc_name). */
export function devAllocName(net: Net, template: string): string {
  for (let i = 0; ; i++) {
    const name = template.replace("%d", String(i));
    if (!devGetByName(net, name)) return name;
  }
}

function vethAlloc(net: Net, name: string, address: Uint8Array | undefined): NetDevice {
  let mac = address;
  if (!mac) {
    // eth_hw_addr_random: a locally administered unicast address.
    mac = net.host.randomBytes(6);
    mac[0] = ((mac[0] as number) & 0xfe) | 0x02;
  }
  return allocNetdev(net, {
    name,
    ops: vethOps,
    type: ARPHRD_ETHER,
    flags: IFF_BROADCAST | IFF_MULTICAST,
    mtu: 1500,
    minMtu: ETH_MIN_MTU,
    maxMtu: ETH_MAX_MTU,
    address: mac,
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txqlen: 1000,
    // veth_get_num_queues: one queue per possible CPU.
    numTxQueues: net.host.possibleCpus,
    numRxQueues: net.host.possibleCpus,
    priv: { peer: undefined } satisfies VethPriv,
  });
}

export interface VethNewlink {
  readonly net: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
  readonly peerNet: Net;
  readonly peerName: string | undefined;
  readonly peerAddress?: Uint8Array;
  /** The peer's own IFLA_MTU and IFLA_TXQLEN (`peer name P mtu M`), applied by rtnl_create_link. */
  readonly peerMtu?: number;
  readonly peerTxqlen?: number;
}

/** veth_newlink: the peer is registered first (so it takes the lower ifindex when both share a namespace). */
export function vethNewlink(req: VethNewlink): NetDevice {
  for (const address of [req.address, req.peerAddress]) {
    if (address && !isValidEtherAddr(address)) throw new KernelError("EADDRNOTAVAIL");
  }
  const peerName = req.peerName ?? devAllocName(req.peerNet, "veth%d");
  if (devGetByName(req.peerNet, peerName)) throw new KernelError("EEXIST");
  if (
    req.name !== undefined &&
    (devGetByName(req.net, req.name) || (req.net === req.peerNet && req.name === peerName))
  ) {
    throw new KernelError("EEXIST");
  }
  const peer = vethAlloc(req.peerNet, peerName, req.peerAddress);
  if (req.peerMtu !== undefined) {
    // dev_validate_mtu, before anything is registered.
    if (req.peerMtu < peer.minMtu) throw new KernelError("EINVAL", "mtu less than device minimum");
    if (req.peerMtu > peer.maxMtu) throw new KernelError("EINVAL", "mtu greater than device maximum");
    peer.mtu = req.peerMtu;
  }
  if (req.peerTxqlen !== undefined) peer.txqlen = req.peerTxqlen;
  registerNetdevice(peer);
  // netif_carrier_off after registration: the first carrier change of each end.
  netifCarrierOff(peer);
  // rtnl_configure_link(peer): its RTM_NEWLINK, before its own end even exists (peer@NONE).
  rtmsgIfinfo(peer);
  try {
    // An unnamed device's "veth%d" is resolved at its own registration, after the peer took its name.
    const dev = vethAlloc(req.net, req.name ?? devAllocName(req.net, "veth%d"), req.address);
    registerNetdevice(dev);
    netifCarrierOff(dev);
    return tie(dev, peer);
  } catch (err) {
    unregisterNetdevice(peer);
    throw err;
  }
}

/** Ties the two ends together once both are registered, as veth_newlink does last. */
function tie(dev: NetDevice, peer: NetDevice): NetDevice {
  (dev.priv as VethPriv).peer = peer;
  (peer.priv as VethPriv).peer = dev;
  return dev;
}

/** veth_dellink: the pair goes together; the survivor forgets its peer first. */
export function vethDellink(dev: NetDevice): void {
  const peer = peerOf(dev);
  (dev.priv as VethPriv).peer = undefined;
  if (peer) (peer.priv as VethPriv).peer = undefined;
  unregisterNetdevice(dev);
  if (peer) unregisterNetdevice(peer);
}

export function isVeth(dev: NetDevice): boolean {
  return dev.ops === vethOps;
}
