// 802.1Q / 802.1ad VLAN devices (net/8021q/vlan.c, vlan_dev.c, vlan_netlink.c, vlan_core.c): a
// vlan device on a real device tags what it transmits and receives what arrives tagged with its
// id. The tag is carried in the frame's bytes (as the wire, and a capture, show it).

import { ETH_HLEN, macEqual } from "../../wire/ethernet.js";
import {
  allocNetdev,
  devChangeFlags,
  devGetFlags,
  devSetMtu,
  isValidEtherAddr,
  type NetDevice,
  type NetDeviceOps,
  type NetdevEvent,
  netifCarrierOff,
  netifCarrierOn,
  registerNetdevice,
  unregisterNetdevice,
} from "../core/dev.js";
import {
  devUcAdd,
  devUcDel,
  netdevUpperDevLink,
  netdevUpperDevUnlink,
  netifStackedTransferOperstate,
} from "../core/dev_upper.js";
import { devQueueXmit, devStatsAdd } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  IFF_ALLMULTI,
  IFF_MASTER,
  IFF_PROMISC,
  IFF_SLAVE,
  IFF_UP,
} from "../uapi.js";

export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;
const VLAN_HLEN = 4;
/** VLAN_VID_MASK: ids 0..4094 are usable (4095 is reserved). */
const VLAN_VID_MASK = 0xfff;

// include/uapi/linux/if_vlan.h enum vlan_flags
export const VLAN_FLAG_REORDER_HDR = 0x1;
export const VLAN_FLAG_GVRP = 0x2;
export const VLAN_FLAG_LOOSE_BINDING = 0x4;
export const VLAN_FLAG_MVRP = 0x8;
export const VLAN_FLAG_BRIDGE_BINDING = 0x10;
const VLAN_FLAGS_ALL =
  VLAN_FLAG_REORDER_HDR |
  VLAN_FLAG_GVRP |
  VLAN_FLAG_LOOSE_BINDING |
  VLAN_FLAG_MVRP |
  VLAN_FLAG_BRIDGE_BINDING;

/** struct vlan_dev_priv */
export interface VlanDev {
  readonly realDev: NetDevice;
  readonly vlanProto: number;
  readonly vlanId: number;
  flags: number;
}

export function isVlanProto(proto: number): boolean {
  return proto === ETH_P_8021Q || proto === ETH_P_8021AD;
}

function vlanOf(dev: NetDevice): VlanDev {
  return dev.priv as VlanDev;
}

export function isVlanDev(dev: NetDevice): boolean {
  return dev.ops === vlanOps;
}

/** vlan_find_dev: the vlan device on `real` for (proto, id). */
function vlanFindDev(real: NetDevice, proto: number, id: number): NetDevice | undefined {
  return real.uppers.find((u) => isVlanDev(u) && vlanOf(u).vlanProto === proto && vlanOf(u).vlanId === id);
}

/** vlan_stacked_transfer_operstate */
function vlanStackedTransferOperstate(root: NetDevice, dev: NetDevice): void {
  if (!(vlanOf(dev).flags & VLAN_FLAG_BRIDGE_BINDING)) netifStackedTransferOperstate(root, dev);
}

const vlanOps: NetDeviceOps = {
  kind: "vlan",
  /** vlan_dev_open: the real device must be up unless the binding is loose. */
  open(dev) {
    const vlan = vlanOf(dev);
    const real = vlan.realDev;
    if (!(real.flags & IFF_UP) && !(vlan.flags & VLAN_FLAG_LOOSE_BINDING)) throw new KernelError("ENETDOWN");
    if (!macEqual(dev.address, real.address)) devUcAdd(real, dev.address);
    if (real.carrier && !(vlan.flags & VLAN_FLAG_BRIDGE_BINDING)) netifCarrierOn(dev);
  },
  /** vlan_dev_stop */
  stop(dev) {
    const vlan = vlanOf(dev);
    const real = vlan.realDev;
    if (!macEqual(dev.address, real.address)) devUcDel(real, dev.address);
    if (!(vlan.flags & VLAN_FLAG_BRIDGE_BINDING)) netifCarrierOff(dev);
  },
  /**
   * vlan_dev_hard_start_xmit: the tag goes in unless the frame already carries this device's
   * (built by vlan_dev_hard_header with reorder_hdr off), then out of the real device.
   */
  startXmit(skb: SkBuff, dev: NetDevice) {
    const vlan = vlanOf(dev);
    const real = vlan.realDev;
    const d = skb.data;
    const mac = skb.head;
    const len = skb.tail - skb.head;
    const proto = ((d[mac + 12] as number) << 8) | (d[mac + 13] as number);
    let frame: Uint8Array;
    if (proto === vlan.vlanProto && !(vlan.flags & VLAN_FLAG_REORDER_HDR)) {
      frame = d.slice(mac, skb.tail);
    } else {
      frame = new Uint8Array(len + VLAN_HLEN);
      frame.set(d.subarray(mac, mac + 12), 0);
      frame[12] = vlan.vlanProto >>> 8;
      frame[13] = vlan.vlanProto & 255;
      frame[14] = (vlan.vlanId >>> 8) & 0x0f;
      frame[15] = vlan.vlanId & 255;
      frame.set(d.subarray(mac + 12, skb.tail), 16);
    }
    if (!(real.flags & IFF_UP)) {
      // __dev_queue_xmit's -ENETDOWN: both devices count the drop.
      real.stats.txDropped++;
      dev.stats.txDropped++;
      return;
    }
    devStatsAdd(dev, "tx", len);
    const out: SkBuff = { ...skb, data: frame, head: 0, tail: frame.length, macHeader: 0, dev: real };
    devQueueXmit(out, real);
  },
  /** vlan_dev_change_mtu: not above the real device's MTU. */
  changeMtu(dev, mtu) {
    if (vlanOf(dev).realDev.mtu < mtu) throw new KernelError("ERANGE");
    dev.mtu = mtu;
  },
  getIflink(dev) {
    return vlanOf(dev).realDev.ifindex;
  },
  getLinkNet(dev) {
    return vlanOf(dev).realDev.net;
  },
  /** vlan_device_event, for the real device's events. */
  lowerEvent(event: NetdevEvent, real: NetDevice) {
    vlanDeviceEvent(event, real);
  },
  /** unregister_vlan_dev's unlinking, once the vlan device is gone. */
  uninit(dev) {
    netdevUpperDevUnlink(vlanOf(dev).realDev, dev);
  },
};

function vlanDevices(real: NetDevice): NetDevice[] {
  return real.uppers.filter(isVlanDev);
}

/** vlan_device_event */
function vlanDeviceEvent(event: NetdevEvent, real: NetDevice): void {
  switch (event) {
    case "NETDEV_CHANGE":
      for (const v of vlanDevices(real)) vlanStackedTransferOperstate(real, v);
      return;
    case "NETDEV_CHANGEMTU":
      for (const v of vlanDevices(real)) if (v.mtu > real.mtu) devSetMtu(v, real.mtu);
      return;
    case "NETDEV_DOWN":
      // Put every vlan of the device down too, unless its binding is loose.
      for (const v of vlanDevices(real)) {
        if (!(v.flags & IFF_UP) || vlanOf(v).flags & VLAN_FLAG_LOOSE_BINDING) continue;
        devChangeFlags(v, v.flags & ~IFF_UP);
        vlanStackedTransferOperstate(real, v);
      }
      return;
    case "NETDEV_UP":
      for (const v of vlanDevices(real)) {
        const flags = devGetFlags(v);
        if (flags & IFF_UP) continue;
        if (!(vlanOf(v).flags & VLAN_FLAG_LOOSE_BINDING)) devChangeFlags(v, flags | IFF_UP);
        vlanStackedTransferOperstate(real, v);
      }
      return;
    case "NETDEV_UNREGISTER":
      // A namespace move keeps the vlans; unregistration takes them along.
      if (!real.dismantle) return;
      for (const v of vlanDevices(real)) unregisterNetdevice(v);
      return;
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEADDR":
      return;
  }
}

/** What vlan_do_receive did with a tagged frame. */
export type VlanRxResult = "another" | "consumed" | "pass";

/**
 * vlan_do_receive (after skb_vlan_untag): the frame goes to the vlan device for its tag, without
 * the tag; with no such device, a bridge port's handler still sees it tagged, anything else
 * drops it (PACKET_OTHERHOST).
 */
export function vlanDoReceive(skb: SkBuff): VlanRxResult {
  const real = skb.dev as NetDevice;
  const d = skb.data;
  const mac = skb.macHeader;
  if (skb.tail - mac < ETH_HLEN + VLAN_HLEN) return "consumed";
  const tci = ((d[mac + 14] as number) << 8) | (d[mac + 15] as number);
  const vlanDev = vlanFindDev(real, skb.protocol, tci & VLAN_VID_MASK);
  if (!vlanDev) return real.rxHandler ? "pass" : "consumed";
  const inner = ((d[mac + 16] as number) << 8) | (d[mac + 17] as number);
  // skb_vlan_untag: the addresses move up over the tag.
  d.copyWithin(mac + VLAN_HLEN, mac, mac + 12);
  skb.macHeader = mac + VLAN_HLEN;
  skb.head = skb.macHeader + ETH_HLEN;
  skb.networkHeader = skb.head;
  skb.protocol = inner;
  skb.dev = vlanDev;
  if (
    skb.pktType === "PACKET_OTHERHOST" &&
    macEqual(d.subarray(skb.macHeader, skb.macHeader + 6), vlanDev.address)
  )
    skb.pktType = "PACKET_HOST";
  if (!(vlanDev.flags & IFF_UP)) {
    vlanDev.stats.rxDropped++;
    return "consumed";
  }
  devStatsAdd(vlanDev, "rx", skb.tail - skb.head);
  if (skb.pktType === "PACKET_MULTICAST") vlanDev.stats.multicast++;
  return "another";
}

export interface VlanNewlink {
  readonly net: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
  readonly mtu?: number;
  /** IFLA_LINK, looked up in the request's namespace. */
  readonly link?: number;
  readonly linkNet: Net;
  readonly id?: number;
  readonly protocol?: number;
  readonly flags?: { readonly flags: number; readonly mask: number };
}

/** vlan_validate */
export function vlanValidate(req: VlanNewlink, hasData: boolean): void {
  if (req.address && !isValidEtherAddr(req.address))
    throw new KernelError("EADDRNOTAVAIL", "8021q: Invalid link address");
  if (!hasData) throw new KernelError("EINVAL", "8021q: VLAN properties not specified");
  if (req.protocol !== undefined && !isVlanProto(req.protocol))
    throw new KernelError("EPROTONOSUPPORT", "8021q: Invalid VLAN protocol");
  if (req.id !== undefined && req.id >= VLAN_VID_MASK)
    throw new KernelError("ERANGE", "8021q: Invalid VLAN id");
  if (req.flags && req.flags.flags & req.flags.mask & ~VLAN_FLAGS_ALL)
    throw new KernelError("EINVAL", "8021q: Invalid VLAN flags");
}

/** vlan_newlink + register_vlan_dev */
export function vlanNewlink(req: VlanNewlink): NetDevice {
  if (req.id === undefined) throw new KernelError("EINVAL", "8021q: VLAN id not specified");
  if (req.link === undefined) throw new KernelError("EINVAL", "8021q: link not specified");
  const real = req.linkNet.devByIndex.get(req.link);
  if (!real) throw new KernelError("ENODEV", "8021q: link does not exist");
  const proto = req.protocol ?? ETH_P_8021Q;
  // vlan_check_real_dev: loopback is NETIF_F_VLAN_CHALLENGED.
  if (real.type === ARPHRD_LOOPBACK || real.type !== ARPHRD_ETHER)
    throw new KernelError("EOPNOTSUPP", "8021q: VLANs not supported on device");
  if (vlanFindDev(real, proto, req.id)) throw new KernelError("EEXIST", "8021q: VLAN device already exists");
  const maxMtu = real.mtu;
  if (req.mtu !== undefined && req.mtu > maxMtu) throw new KernelError("EINVAL");
  const vlan: VlanDev = { realDev: real, vlanProto: proto, vlanId: req.id, flags: VLAN_FLAG_REORDER_HDR };
  if (req.flags) vlanDevChangeFlags(vlan, req.flags.flags, req.flags.mask);
  const name = req.name ?? allocName(req.net, "vlan%d");
  const dev = allocNetdev(req.net, {
    name,
    ops: vlanOps,
    type: ARPHRD_ETHER,
    // vlan_dev_init: the real device's flags but the ones that are per device.
    flags: real.flags & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | IFF_MASTER | IFF_SLAVE),
    mtu: req.mtu ?? maxMtu,
    minMtu: 0,
    maxMtu: 65535,
    // An address of its own, or the real device's (NET_ADDR_STOLEN).
    address: (req.address ?? real.address).slice(),
    broadcast: real.broadcast.slice(),
    txqlen: 1000,
    priv: vlan,
  });
  dev.carrier = real.carrier;
  registerNetdevice(dev);
  netdevUpperDevLink(real, dev);
  netifStackedTransferOperstate(real, dev);
  return dev;
}

/** vlan_dev_change_flags */
function vlanDevChangeFlags(vlan: VlanDev, flags: number, mask: number): void {
  if (mask & ~VLAN_FLAGS_ALL) throw new KernelError("EINVAL");
  vlan.flags = (vlan.flags & ~mask) | (flags & mask);
}

/** vlan_changelink: only the flags (and QoS maps) change; the id and protocol stay. */
export function vlanChangelink(
  dev: NetDevice,
  req: { readonly flags?: { flags: number; mask: number } },
): void {
  if (req.flags) vlanDevChangeFlags(vlanOf(dev), req.flags.flags, req.flags.mask);
}

/** vlan_fill_info */
export function vlanFillInfo(dev: NetDevice): { protocol: number; id: number; flags: number } {
  const vlan = vlanOf(dev);
  return { protocol: vlan.vlanProto, id: vlan.vlanId, flags: vlan.flags };
}

function allocName(net: Net, template: string): string {
  for (let i = 0; ; i++) {
    const name = template.replace("%d", String(i));
    if (!net.devByName.has(name)) return name;
  }
}
