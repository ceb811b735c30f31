// MAC-address based VLANs (drivers/net/macvlan.c): devices with their own MAC address on top of
// an Ethernet device (the "port"). The port's rx_handler hands each unicast frame to the macvlan
// owning its destination address; broadcasts go to every macvlan the mode allows. On transmit,
// bridge mode delivers to sibling bridge-mode macvlans directly, every other mode sends
// everything out of the lower device.

import { ETH_HLEN, isBroadcastMac, isMulticastMac, macEqual } from "../../wire/ethernet.js";
import {
  allocNetdev,
  devSetMtu,
  devSetPromiscuity,
  isValidEtherAddr,
  linkwatchFireEvent,
  type NetDevice,
  type NetDeviceOps,
  type NetdevEvent,
  netdevRxHandlerRegister,
  netdevRxHandlerUnregister,
  type RxHandlerResult,
  registerNetdevice,
  unregisterNetdevice,
} from "../core/dev.js";
import { devMcList } from "../core/dev_addr_lists.js";
import {
  devSetRxMode,
  devUcAdd,
  devUcDel,
  netdevUpperDevLink,
  netdevUpperDevUnlink,
  netifStackedTransferOperstate,
} from "../core/dev_upper.js";
import { devQueueXmit, devStatsAdd, netifRx, netifRxClassified } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { ARPHRD_ETHER, IFF_ALLMULTI, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_UP } from "../uapi.js";

// include/uapi/linux/if_link.h enum macvlan_mode
export const MACVLAN_MODE_PRIVATE = 1;
export const MACVLAN_MODE_VEPA = 2;
export const MACVLAN_MODE_BRIDGE = 4;
export const MACVLAN_MODE_PASSTHRU = 8;
export const MACVLAN_MODE_SOURCE = 16;
export const MACVLAN_FLAG_NOPROMISC = 1;
export const MACVLAN_FLAG_NODST = 2;
// enum macvlan_macaddr_mode
export const MACVLAN_MACADDR_ADD = 0;
export const MACVLAN_MACADDR_DEL = 1;
export const MACVLAN_MACADDR_FLUSH = 2;
export const MACVLAN_MACADDR_SET = 3;
/** MACVLAN_HASH_BITS */
const MACVLAN_HASH_BITS = 8n;
const GOLDEN_RATIO_64 = 0x61c8864680b583ebn;
/** MACVLAN_DEFAULT_BC_QUEUE_LEN */
const MACVLAN_DEFAULT_BC_QUEUE_LEN = 1000;
/** The broadcast work item and netif_rx's backlog, in virtual nanoseconds. */
const MACVLAN_RX_DELAY_NS = 4_000;

/** struct macvlan_dev */
export interface MacvlanDev {
  readonly lowerdev: NetDevice;
  mode: number;
  flags: number;
  bcQueueLenReq: number;
  /** In the port's address hash: while the device is up (macvlan_hash_add at open). */
  hashed: boolean;
  /**
   * Source mode's sender addresses, this device's entries of the port's vlan_source_hash, newest
   * first (hlist_add_head); macaddr_count is their number.
   */
  readonly sources: Uint8Array[];
}

/**
 * macvlan_eth_hash: hash_64 of the address loaded as a little-endian u64 shifted left 16 (the six
 * address bytes in the top 48 bits), into MACVLAN_HASH_BITS.
 */
function macvlanEthHash(addr: Uint8Array): number {
  let value = 0n;
  for (let i = 5; i >= 0; i--) value = (value << 8n) | BigInt(addr[i] as number);
  value <<= 16n;
  const h = (value * GOLDEN_RATIO_64) & 0xffffffffffffffffn;
  return Number(h >> (64n - MACVLAN_HASH_BITS));
}

function macvlanOf(dev: NetDevice): MacvlanDev {
  return dev.priv as MacvlanDev;
}

export function isMacvlan(dev: NetDevice): boolean {
  return dev.ops === macvlanOps;
}

/** port->vlans: the macvlans on a lower device, in creation order. */
function portVlans(lower: NetDevice): NetDevice[] {
  return lower.uppers.filter(isMacvlan);
}

function portPassthru(lower: NetDevice): boolean {
  return portVlans(lower).some((v) => macvlanOf(v).mode === MACVLAN_MODE_PASSTHRU);
}

/** macvlan_hash_lookup: the up macvlan owning `addr`. */
function macvlanHashLookup(lower: NetDevice, addr: Uint8Array): NetDevice | undefined {
  return portVlans(lower).find((v) => macvlanOf(v).hashed && macEqual(v.address, addr));
}

/** macvlan_addr_busy */
function macvlanAddrBusy(lower: NetDevice, addr: Uint8Array): boolean {
  return macEqual(lower.address, addr) || macvlanHashLookup(lower, addr) !== undefined;
}

/** macvlan_count_rx */
function macvlanCountRx(dev: NetDevice, len: number, success: boolean, multicast: boolean): void {
  if (!success) {
    dev.stats.rxErrors++;
    dev.stats.rxDropped++;
    return;
  }
  devStatsAdd(dev, "rx", len);
  if (multicast) dev.stats.multicast++;
}

/**
 * The multicast filter (mc_filter, macvlan_set_mac_lists): everything when promiscuous or
 * allmulti, else broadcast and the addresses in the device's multicast list (the kernel's hashed
 * filter lets a colliding address through too; this one is exact).
 */
function macvlanMcAccepts(dev: NetDevice, dst: Uint8Array): boolean {
  if (isBroadcastMac(dst)) return true;
  if (dev.flags & IFF_ALLMULTI || dev.promiscuity > 0) return true;
  return devMcList(dev).some((a) => macEqual(a, dst));
}

/**
 * macvlan_broadcast: a copy to each up macvlan of the port whose mode is in `mode`, but the
 * sender. `len` is what macvlan_count_rx is told (skb->len + ETH_HLEN at the call site).
 */
function macvlanBroadcast(
  frame: Uint8Array,
  lower: NetDevice,
  src: NetDevice | undefined,
  mode: number,
  len: number,
): void {
  const dst = frame.subarray(0, 6);
  for (const v of portVlans(lower)) {
    const vlan = macvlanOf(v);
    if (!vlan.hashed || v === src || !(vlan.mode & mode)) continue;
    if (!macvlanMcAccepts(v, dst)) continue;
    netifRx(frame.slice(), v, MACVLAN_RX_DELAY_NS);
    macvlanCountRx(v, len, true, true);
  }
}

/** macvlan_process_broadcast: who hears a broadcast that came in through the lower device. */
function macvlanProcessBroadcast(frame: Uint8Array, lower: NetDevice, src: NetDevice | undefined): void {
  if (!src) {
    macvlanBroadcast(
      frame,
      lower,
      undefined,
      MACVLAN_MODE_PRIVATE | MACVLAN_MODE_VEPA | MACVLAN_MODE_PASSTHRU | MACVLAN_MODE_BRIDGE,
      frame.length,
    );
  } else if (macvlanOf(src).mode === MACVLAN_MODE_VEPA) {
    // Flood to everyone except the source.
    macvlanBroadcast(frame, lower, src, MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE, frame.length);
  } else {
    // Bridge ports already saw the frame on the way out.
    macvlanBroadcast(frame, lower, src, MACVLAN_MODE_VEPA, frame.length);
  }
}

/**
 * macvlan_forward_source_one: a clone to a source-mode macvlan that lists the sender. It keeps the
 * lower device's pkt_type unless addressed to this macvlan (then PACKET_HOST).
 */
function macvlanForwardSourceOne(skb: SkBuff, dev: NetDevice): void {
  if (!(dev.flags & IFF_UP)) return;
  const len = skb.tail - skb.head + ETH_HLEN;
  const dst = skb.data.subarray(skb.macHeader, skb.macHeader + 6);
  const nskb: SkBuff = {
    ...skb,
    data: skb.data.slice(),
    dev,
    pktType: macEqual(dst, dev.address) ? "PACKET_HOST" : skb.pktType,
  };
  netifRxClassified(nskb, MACVLAN_RX_DELAY_NS);
  macvlanCountRx(dev, len, true, false);
}

/**
 * macvlan_forward_source: every source-mode macvlan of the port listing `addr` gets a copy
 * (newest entry first, as the hash bucket holds them); true when one of them says nodst, and the
 * frame is consumed.
 */
function macvlanForwardSource(skb: SkBuff, lower: NetDevice, addr: Uint8Array): boolean {
  let consume = false;
  const vlans = portVlans(lower).filter((v) => macvlanOf(v).sources.some((a) => macEqual(a, addr)));
  for (const v of vlans.reverse()) {
    if (macvlanOf(v).flags & MACVLAN_FLAG_NODST) consume = true;
    macvlanForwardSourceOne(skb, v);
  }
  return consume;
}

/** macvlan_handle_frame: the lower device's rx_handler. */
function macvlanHandleFrame(lower: NetDevice, skb: SkBuff): RxHandlerResult {
  const d = skb.data;
  const mac = skb.macHeader;
  const dst = d.subarray(mac, mac + 6);
  const srcMac = d.subarray(mac + 6, mac + 12);
  if (isMulticastMac(dst)) {
    // kfree_skb: consumed by a nodst source-mode macvlan, uncounted.
    if (macvlanForwardSource(skb, lower, srcMac)) return "RX_HANDLER_CONSUMED";
    const src = macvlanHashLookup(lower, srcMac);
    if (src && macvlanOf(src).mode !== MACVLAN_MODE_VEPA && macvlanOf(src).mode !== MACVLAN_MODE_BRIDGE) {
      // Forward to the original port only (counted with len still 0, as the kernel does).
      netifRx(d.slice(mac, skb.tail), src, MACVLAN_RX_DELAY_NS);
      macvlanCountRx(src, 0, true, false);
      return "RX_HANDLER_CONSUMED";
    }
    // macvlan_broadcast_enqueue: the bc_work runs later; the lower device keeps the frame too.
    const frame = d.slice(mac, skb.tail);
    lower.net.host.clock.schedule(0, () => {
      if (lower.registered) macvlanProcessBroadcast(frame, lower, src);
    });
    return "RX_HANDLER_PASS";
  }
  if (macvlanForwardSource(skb, lower, srcMac)) return "RX_HANDLER_CONSUMED";
  const vlanDev = portPassthru(lower) ? portVlans(lower)[0] : macvlanHashLookup(lower, dst);
  // A source-mode macvlan's own address gets nothing here (its frames came by the source rule).
  if (!vlanDev || macvlanOf(vlanDev).mode === MACVLAN_MODE_SOURCE) return "RX_HANDLER_PASS";
  if (!(vlanDev.flags & IFF_UP)) return "RX_HANDLER_CONSUMED";
  const len = skb.tail - skb.head + ETH_HLEN;
  skb.dev = vlanDev;
  skb.pktType = "PACKET_HOST";
  macvlanCountRx(vlanDev, len, true, false);
  return "RX_HANDLER_ANOTHER";
}

/** dev_forward_skb onto the lower device: it receives the frame as if from the wire. */
function devForwardSkb(lower: NetDevice, frame: Uint8Array, traceId?: number): boolean {
  if (!(lower.flags & IFF_UP)) return false;
  netifRx(frame, lower, MACVLAN_RX_DELAY_NS, undefined, traceId);
  return true;
}

/** macvlan_queue_xmit: true when the frame was sent or delivered. */
function macvlanQueueXmit(skb: SkBuff, dev: NetDevice): boolean {
  const vlan = macvlanOf(dev);
  const lower = vlan.lowerdev;
  const d = skb.data;
  const mac = skb.head;
  if (vlan.mode === MACVLAN_MODE_BRIDGE) {
    const dst = d.subarray(mac, mac + 6);
    if (isMulticastMac(dst)) {
      // Send to the other bridge ports directly, then to the world.
      const frame = d.slice(mac, skb.tail);
      macvlanBroadcast(frame, lower, dev, MACVLAN_MODE_BRIDGE, frame.length + ETH_HLEN);
    } else {
      const dest = macvlanHashLookup(lower, dst);
      if (dest && macvlanOf(dest).mode === MACVLAN_MODE_BRIDGE)
        return devForwardSkb(lower, d.slice(mac, skb.tail), skb.traceId);
    }
  }
  if (!(lower.flags & IFF_UP)) {
    lower.stats.txDropped++;
    return false;
  }
  devQueueXmit({ ...skb, dev: lower }, lower);
  return true;
}

const macvlanOps: NetDeviceOps = {
  kind: "macvlan",
  /** macvlan_open */
  open(dev) {
    const vlan = macvlanOf(dev);
    const lower = vlan.lowerdev;
    if (portPassthru(lower)) {
      if (!(vlan.flags & MACVLAN_FLAG_NOPROMISC)) devSetPromiscuity(lower, 1);
    } else {
      if (macvlanAddrBusy(lower, dev.address)) throw new KernelError("EBUSY");
      devUcAdd(lower, dev.address);
    }
    vlan.hashed = true;
  },
  /** macvlan_stop */
  stop(dev) {
    const vlan = macvlanOf(dev);
    const lower = vlan.lowerdev;
    if (portPassthru(lower)) {
      if (!(vlan.flags & MACVLAN_FLAG_NOPROMISC)) devSetPromiscuity(lower, -1);
    } else {
      devUcDel(lower, dev.address);
    }
    vlan.hashed = false;
  },
  /** macvlan_start_xmit: counted as sent when the lower device took it. */
  startXmit(skb: SkBuff, dev: NetDevice) {
    const len = skb.tail - skb.head;
    if (macvlanQueueXmit(skb, dev)) devStatsAdd(dev, "tx", len);
    else dev.stats.txDropped++;
  },
  /** macvlan_change_mtu */
  changeMtu(dev, mtu) {
    if (macvlanOf(dev).lowerdev.mtu < mtu) throw new KernelError("EINVAL");
    dev.mtu = mtu;
  },
  /** macvlan_set_mac_address -> macvlan_sync_address */
  setMacAddress(dev, addr) {
    const vlan = macvlanOf(dev);
    const lower = vlan.lowerdev;
    if (vlan.mode !== MACVLAN_MODE_PASSTHRU && macvlanAddrBusy(lower, addr))
      throw new KernelError("EADDRINUSE");
    if (dev.flags & IFF_UP && vlan.mode !== MACVLAN_MODE_PASSTHRU) {
      devUcAdd(lower, addr);
      devUcDel(lower, dev.address);
    }
    dev.address = addr.slice();
  },
  getIflink(dev) {
    return macvlanOf(dev).lowerdev.ifindex;
  },
  getLinkNet(dev) {
    return macvlanOf(dev).lowerdev.net;
  },
  lowerEvent(event: NetdevEvent, lower: NetDevice) {
    macvlanDeviceEvent(event, lower);
  },
  /** macvlan_dellink + macvlan_uninit: the last macvlan of a port takes the port with it. */
  uninit(dev) {
    const lower = macvlanOf(dev).lowerdev;
    netdevUpperDevUnlink(lower, dev);
    if (portVlans(lower).length === 0) netdevRxHandlerUnregister(lower);
  },
};

/** macvlan_device_event */
function macvlanDeviceEvent(event: NetdevEvent, lower: NetDevice): void {
  switch (event) {
    case "NETDEV_UP":
      // dev_open's dev_set_rx_mode: the macvlans' addresses make the lower device promiscuous.
      devSetRxMode(lower);
      for (const v of portVlans(lower)) netifStackedTransferOperstate(lower, v);
      return;
    case "NETDEV_DOWN":
    case "NETDEV_CHANGE":
      for (const v of portVlans(lower)) netifStackedTransferOperstate(lower, v);
      return;
    case "NETDEV_CHANGEMTU":
      for (const v of portVlans(lower)) if (v.mtu > lower.mtu) devSetMtu(v, lower.mtu);
      return;
    case "NETDEV_UNREGISTER":
      // A namespace move keeps the macvlans; unregistration deletes them.
      if (!lower.dismantle) return;
      for (const v of portVlans(lower)) unregisterNetdevice(v);
      return;
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEADDR":
      return;
  }
}

export interface MacvlanNewlink {
  readonly net: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
  readonly mtu?: number;
  /** IFLA_LINK, looked up in the request's namespace (src_net). */
  readonly link?: number;
  readonly linkNet: Net;
  readonly mode?: number;
  readonly flags?: number;
  readonly bcQueueLen?: number;
  readonly macaddrMode?: number;
  readonly macaddr?: Uint8Array;
  readonly macaddrData?: readonly Uint8Array[];
}

/** The source-list part of a request (IFLA_MACVLAN_MACADDR_*). */
interface MacvlanSourcesReq {
  readonly macaddrMode?: number;
  readonly macaddr?: Uint8Array;
  readonly macaddrData?: readonly Uint8Array[];
}

/** macvlan_validate's checks of the source-list attributes. */
function macvlanValidateSources(req: MacvlanSourcesReq): void {
  if (req.macaddrMode !== undefined && !(req.macaddrMode >= 0 && req.macaddrMode <= MACVLAN_MACADDR_SET))
    throw new KernelError("EINVAL");
  if (req.macaddr && !isValidEtherAddr(req.macaddr)) throw new KernelError("EADDRNOTAVAIL");
  for (const a of req.macaddrData ?? []) if (!isValidEtherAddr(a)) throw new KernelError("EADDRNOTAVAIL");
}

/** macvlan_hash_add_source: a new entry goes to the head of its bucket. */
function macvlanHashAddSource(vlan: MacvlanDev, addr: Uint8Array): void {
  if (vlan.sources.some((a) => macEqual(a, addr))) return;
  vlan.sources.unshift(addr.slice());
}

/** macvlan_changelink_sources */
function macvlanChangelinkSources(vlan: MacvlanDev, mode: number, req: MacvlanSourcesReq): void {
  const addr = req.macaddr;
  switch (mode) {
    case MACVLAN_MACADDR_ADD:
      if (!addr) throw new KernelError("EINVAL");
      macvlanHashAddSource(vlan, addr);
      return;
    case MACVLAN_MACADDR_DEL: {
      if (!addr) throw new KernelError("EINVAL");
      const at = vlan.sources.findIndex((a) => macEqual(a, addr));
      if (at >= 0) vlan.sources.splice(at, 1);
      return;
    }
    case MACVLAN_MACADDR_FLUSH:
      vlan.sources.length = 0;
      return;
    case MACVLAN_MACADDR_SET:
      vlan.sources.length = 0;
      if (addr) macvlanHashAddSource(vlan, addr);
      for (const a of req.macaddrData ?? []) macvlanHashAddSource(vlan, a);
      return;
    default:
      throw new KernelError("EINVAL");
  }
}

/** macvlan_validate */
function macvlanValidate(req: MacvlanNewlink): void {
  if (req.address && !isValidEtherAddr(req.address)) throw new KernelError("EADDRNOTAVAIL");
  if (req.flags !== undefined && req.flags & ~(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST))
    throw new KernelError("EINVAL");
  if (
    req.mode !== undefined &&
    ![
      MACVLAN_MODE_PRIVATE,
      MACVLAN_MODE_VEPA,
      MACVLAN_MODE_BRIDGE,
      MACVLAN_MODE_PASSTHRU,
      MACVLAN_MODE_SOURCE,
    ].includes(req.mode)
  )
    throw new KernelError("EINVAL");
  macvlanValidateSources(req);
}

/** macvlan_common_newlink */
export function macvlanNewlink(req: MacvlanNewlink): NetDevice {
  macvlanValidate(req);
  if (req.link === undefined) throw new KernelError("EINVAL");
  let lower = req.linkNet.devByIndex.get(req.link);
  if (!lower) throw new KernelError("ENODEV");
  // A macvlan on a macvlan sits on the real device.
  if (isMacvlan(lower)) lower = macvlanOf(lower).lowerdev;
  if (req.mtu !== undefined && req.mtu > lower.mtu) throw new KernelError("EINVAL");
  let createdPort = false;
  if (portVlans(lower).length === 0) {
    // macvlan_port_create
    if (lower.type !== ARPHRD_ETHER || lower.flags & IFF_LOOPBACK) throw new KernelError("EINVAL");
    const port = lower;
    netdevRxHandlerRegister(port, (skb) => macvlanHandleFrame(port, skb));
    createdPort = true;
  }
  const undo = () => {
    if (createdPort) netdevRxHandlerUnregister(lower);
  };
  const mode = req.mode ?? MACVLAN_MODE_VEPA;
  if (portPassthru(lower) || (mode === MACVLAN_MODE_PASSTHRU && portVlans(lower).length > 0)) {
    undo();
    throw new KernelError("EINVAL");
  }
  let address: Uint8Array | undefined = req.address?.slice();
  if (mode === MACVLAN_MODE_PASSTHRU) address = lower.address.slice();
  if (!address) {
    address = req.net.host.randomBytes(6);
    address[0] = ((address[0] as number) & 0xfe) | 0x02;
  }
  let name = req.name;
  for (let i = 0; name === undefined; i++) if (!req.net.devByName.has(`macvlan${i}`)) name = `macvlan${i}`;
  const vlan: MacvlanDev = {
    lowerdev: lower,
    mode,
    flags: req.flags ?? 0,
    bcQueueLenReq: req.bcQueueLen ?? MACVLAN_DEFAULT_BC_QUEUE_LEN,
    hashed: false,
    sources: [],
  };
  if (req.macaddrMode !== undefined) {
    try {
      if (mode !== MACVLAN_MODE_SOURCE) throw new KernelError("EINVAL");
      macvlanChangelinkSources(vlan, req.macaddrMode, req);
    } catch (err) {
      undo();
      throw err;
    }
  }
  const dev = allocNetdev(req.net, {
    name,
    ops: macvlanOps,
    type: ARPHRD_ETHER,
    flags: IFF_BROADCAST | IFF_MULTICAST,
    mtu: req.mtu ?? lower.mtu,
    minMtu: 68,
    maxMtu: lower.maxMtu,
    address,
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txqlen: 1000,
    priv: vlan,
  });
  try {
    registerNetdevice(dev);
  } catch (err) {
    undo();
    throw err;
  }
  netdevUpperDevLink(lower, dev);
  netifStackedTransferOperstate(lower, dev);
  linkwatchFireEvent(dev);
  return dev;
}

/** macvlan_changelink: the mode (never into or out of passthru), the flags, bcqueuelen. */
export function macvlanChangelink(
  dev: NetDevice,
  req: { readonly mode?: number; readonly flags?: number; readonly bcQueueLen?: number } & MacvlanSourcesReq,
): void {
  const vlan = macvlanOf(dev);
  if (req.mode !== undefined && ![1, 2, 4, 8, 16].includes(req.mode)) throw new KernelError("EINVAL");
  macvlanValidateSources(req);
  if (req.mode !== undefined) {
    if ((req.mode === MACVLAN_MODE_PASSTHRU) !== (vlan.mode === MACVLAN_MODE_PASSTHRU))
      throw new KernelError("EINVAL");
    if (vlan.mode === MACVLAN_MODE_SOURCE && vlan.mode !== req.mode) vlan.sources.length = 0;
  }
  if (req.flags !== undefined) {
    if (req.flags & ~(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST)) throw new KernelError("EINVAL");
    const promisc = (req.flags ^ vlan.flags) & MACVLAN_FLAG_NOPROMISC;
    if (portPassthru(vlan.lowerdev) && promisc && dev.flags & IFF_UP)
      devSetPromiscuity(vlan.lowerdev, req.flags & MACVLAN_FLAG_NOPROMISC ? -1 : 1);
    vlan.flags = req.flags;
  }
  if (req.mode !== undefined) vlan.mode = req.mode;
  if (req.bcQueueLen !== undefined) vlan.bcQueueLenReq = req.bcQueueLen;
  if (req.macaddrMode !== undefined) {
    if (vlan.mode !== MACVLAN_MODE_SOURCE) throw new KernelError("EINVAL");
    macvlanChangelinkSources(vlan, req.macaddrMode, req);
  }
}

/** macvlan_fill_info */
export function macvlanFillInfo(dev: NetDevice): {
  mode: number;
  flags: number;
  macaddrCount: number;
  macaddrData: Uint8Array[];
  bcQueueLen: number;
  bcQueueLenUsed: number;
} {
  const vlan = macvlanOf(dev);
  // update_port_bc_queue_len: the port uses the largest length any of its macvlans asks for.
  const used = Math.max(...portVlans(vlan.lowerdev).map((v) => macvlanOf(v).bcQueueLenReq), 0);
  return {
    mode: vlan.mode,
    flags: vlan.flags,
    macaddrCount: vlan.sources.length,
    // macvlan_fill_info_macaddr: bucket by bucket, each bucket head first.
    macaddrData: vlan.sources.map((a) => a.slice()).sort((x, y) => macvlanEthHash(x) - macvlanEthHash(y)),
    bcQueueLen: vlan.bcQueueLenReq,
    bcQueueLenUsed: used,
  };
}
