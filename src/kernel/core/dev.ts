// struct net_device and the core device operations of net/core/dev.c: registration, per-namespace
// ifindex allocation, open/close, flags, rename, MTU, moving between namespaces, carrier and
// operstate (net/core/link_watch.c), and the netdevice notifier chain.

import type { InDevice } from "../ipv4/devinet.js";
import type { Net } from "../net_namespace.js";
import { printk } from "../printk.js";
import { devShutdown, type Qdisc } from "../sched/sch_generic.js";
import { KernelError } from "../syscalls.js";
import {
  IF_OPER_DOWN,
  IF_OPER_LOWERLAYERDOWN,
  IF_OPER_UNKNOWN,
  IF_OPER_UP,
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_DYNAMIC,
  IFF_ECHO,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PORTSEL,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
} from "../uapi.js";
import { rtmsgIfinfo, rtmsgIfinfoEvent, rtnlNotify, rtnlPrepare } from "./rtnetlink.js";
import type { SkBuff } from "./skbuff.js";

export const IFNAMSIZ = 16;
/** IFALIASZ: an alias is at most 255 bytes. */
export const IFALIASZ = 256;
/** ALTIFNAMSIZ */
export const ALTIFNAMSIZ = 128;

export type NetdevEvent =
  | "NETDEV_REGISTER"
  | "NETDEV_UNREGISTER"
  | "NETDEV_UP"
  | "NETDEV_GOING_DOWN"
  | "NETDEV_DOWN"
  | "NETDEV_CHANGE"
  | "NETDEV_CHANGEMTU"
  | "NETDEV_CHANGENAME"
  | "NETDEV_CHANGEADDR";

/** A subscriber on the netdevice notifier chain (register_netdevice_notifier). */
/** netdev_notifier_change_info: with NETDEV_CHANGE from __dev_notify_flags, the flags that changed. */
export interface NetdevChangeInfo {
  readonly flagsChanged: number;
}

export type NetdevNotifier = (event: NetdevEvent, dev: NetDevice, info?: NetdevChangeInfo) => void;

/** What a driver provides (struct net_device_ops + rtnl_link_ops). */
export interface NetDeviceOps {
  readonly kind: string;
  /** ndo_open */
  open?(dev: NetDevice): void;
  /** ndo_stop */
  stop?(dev: NetDevice): void;
  /** ndo_start_xmit: the frame is the skb's bytes from its mac header. */
  startXmit(skb: SkBuff, dev: NetDevice): void;
  /** ndo_get_iflink */
  getIflink?(dev: NetDevice): number;
  /** rtnl_link_ops->get_link_net */
  getLinkNet?(dev: NetDevice): Net;
  /** rtnl_link_ops->dellink: queue the device (and what goes with it) for unregistration. */
  dellink?(dev: NetDevice): readonly NetDevice[];
  /** True when the device may not change namespace (NETIF_F_NETNS_LOCAL). */
  readonly netnsLocal?: boolean;
  /** ndo_change_mtu, after the range check (the bridge remembers an MTU the user chose). */
  changeMtu?(dev: NetDevice, mtu: number): void;
  /** ndo_set_mac_address, after validation (the bridge changes its id and FDB with it). */
  setMacAddress?(dev: NetDevice, addr: Uint8Array): void;
  /**
   * The notifier a master driver registers for its lower devices (br_device_event): told of the
   * events of every device whose `master` it is, after the rest of the chain.
   */
  lowerEvent?(event: NetdevEvent, dev: NetDevice): void;
  /** ndo_uninit: run once the device is unregistered for good (not when it changes namespace). */
  uninit?(dev: NetDevice): void;
}

/** rx_handler_result_t */
export type RxHandlerResult = "RX_HANDLER_CONSUMED" | "RX_HANDLER_ANOTHER" | "RX_HANDLER_PASS";

/** dev->rx_handler: runs on every received frame after eth_type_trans, before protocol dispatch. */
export type RxHandler = (skb: SkBuff) => RxHandlerResult;

export interface NetDeviceStats {
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
  rxDropped: number;
  txDropped: number;
  multicast: number;
}

export interface NetDevice {
  name: string;
  ifindex: number;
  net: Net;
  /** rtnl_link_state == RTNL_LINK_INITIALIZING: created by RTM_NEWLINK, not yet announced. */
  rtnlInitializing?: boolean;
  readonly ops: NetDeviceOps;
  /** ARPHRD_* */
  readonly type: number;
  /**
   * dev->flags: the administratively set IFF_* flags; IFF_PROMISC/IFF_ALLMULTI here follow the
   * promiscuity/allmulti counters, IFF_RUNNING/LOWER_UP come from dev_get_flags.
   */
  flags: number;
  /** dev->gflags: IFF_PROMISC/IFF_ALLMULTI as the user asked for them (what dev_get_flags reports). */
  gflags: number;
  /** dev->promiscuity and dev->allmulti: how many users want the mode (the user, a bridge). */
  promiscuity: number;
  allmulti: number;
  mtu: number;
  readonly minMtu: number;
  readonly maxMtu: number;
  address: Uint8Array;
  readonly broadcast: Uint8Array;
  txqlen: number;
  /** The root qdisc's kind: noop until the device is first activated. */
  qdisc: string;
  /** dev->qdisc when one was configured (tc qdisc add); undefined for the built-in noop/noqueue. */
  rootQdisc?: Qdisc;
  /** !__LINK_STATE_NOCARRIER */
  carrier: boolean;
  /** carrier_up_count + carrier_down_count */
  carrierChanges: number;
  /** dev->operstate as link_watch last computed it. */
  operstate: number;
  group: number;
  /** dev->ifalias (IFLA_IFALIAS), undefined while none is set. */
  ifalias: string | undefined;
  /** The alternative names (dev->name_node's siblings), in the order they were added. */
  readonly altnames: string[];
  /** dev->num_tx_queues / num_rx_queues, fixed at allocation (alloc_netdev_mqs). */
  readonly numTxQueues: number;
  readonly numRxQueues: number;
  readonly stats: NetDeviceStats;
  /** ip_ptr: the IPv4 per-device state. */
  inDev: InDevice | undefined;
  /** The driver's private state (netdev_priv). */
  priv: unknown;
  registered: boolean;
  /** netdev_master_upper_dev_get: the bridge this device is a port of. */
  master: NetDevice | undefined;
  /** dev->rx_handler (netdev_rx_handler_register). */
  rxHandler: RxHandler | undefined;
  /** dev->uc: secondary unicast addresses (dev_uc_add), in the order they were added. */
  readonly ucList: Uint8Array[];
  /** The dev->mc entries SIOCADDMULTI made global (dev_mc_add_global), in the order added. */
  readonly mcGlobal: Uint8Array[];
  /** dev->adj_list.upper: the stacked devices on top of this one (macvlan, vlan, vxlan). */
  readonly uppers: NetDevice[];
  /** dev->dismantle: set once unregistration (not a namespace move) has begun. */
  dismantle: boolean;
  /** dev->uc_promisc: promiscuous because its unicast list is not empty and it has no filter. */
  ucPromisc: boolean;
}

export interface NetDeviceSetup {
  readonly name: string;
  readonly ops: NetDeviceOps;
  readonly type: number;
  readonly flags: number;
  readonly mtu: number;
  readonly minMtu: number;
  readonly maxMtu: number;
  readonly address: Uint8Array;
  readonly broadcast: Uint8Array;
  readonly txqlen: number;
  /** alloc_netdev_mqs' queue counts (1 unless the driver asks for more). */
  readonly numTxQueues?: number;
  readonly numRxQueues?: number;
  readonly priv?: unknown;
}

export function allocNetdev(net: Net, setup: NetDeviceSetup): NetDevice {
  return {
    name: setup.name,
    ifindex: 0,
    net,
    ops: setup.ops,
    type: setup.type,
    flags: setup.flags,
    gflags: 0,
    promiscuity: 0,
    allmulti: 0,
    mtu: setup.mtu,
    minMtu: setup.minMtu,
    maxMtu: setup.maxMtu,
    address: setup.address,
    broadcast: setup.broadcast,
    txqlen: setup.txqlen,
    qdisc: "noop",
    // Set later on every device: declared here so they live in the object, not in a side array.
    rootQdisc: undefined,
    rtnlInitializing: undefined,
    carrier: true,
    carrierChanges: 0,
    operstate: IF_OPER_UNKNOWN,
    group: 0,
    ifalias: undefined,
    altnames: [],
    numTxQueues: setup.numTxQueues ?? 1,
    numRxQueues: setup.numRxQueues ?? 1,
    stats: {
      rxPackets: 0,
      txPackets: 0,
      rxBytes: 0,
      txBytes: 0,
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
      multicast: 0,
    },
    inDev: undefined,
    priv: setup.priv,
    registered: false,
    master: undefined,
    rxHandler: undefined,
    ucList: [],
    mcGlobal: [],
    uppers: [],
    dismantle: false,
    ucPromisc: false,
  };
}

/** netdev_rx_handler_register: one handler per device. */
export function netdevRxHandlerRegister(dev: NetDevice, handler: RxHandler): void {
  if (dev.rxHandler) throw new KernelError("EBUSY");
  dev.rxHandler = handler;
}

export function netdevRxHandlerUnregister(dev: NetDevice): void {
  dev.rxHandler = undefined;
}

export function callNetdevNotifiers(event: NetdevEvent, dev: NetDevice, info?: NetdevChangeInfo): void {
  for (const notifier of dev.net.host.netdevChain) notifier(event, dev, info);
  dev.master?.ops.lowerEvent?.(event, dev);
}

/** dev_valid_name */
export function devValidName(name: string): boolean {
  if (name.length === 0 || name.length >= IFNAMSIZ) return false;
  if (name === "." || name === "..") return false;
  return !/[/:\s]/.test(name);
}

/** The machines on which some device was ever given an alternative name. */
const altnamesUsed = new WeakSet<object>();

/** __dev_get_by_name: the name hash holds alternative names too (netdev_name_node_lookup). */
export function devGetByName(net: Net, name: string): NetDevice | undefined {
  const dev = net.devByName.get(name);
  if (dev) return dev;
  // Only a machine where altnames exist has any to look through (a miss must not cost a walk
  // over every device: making 10,000 veths would be quadratic).
  if (!altnamesUsed.has(net.host)) return undefined;
  for (const d of net.devByIndex.values()) if (d.altnames.includes(name)) return d;
  return undefined;
}

/** netdev_name_in_use */
export function netdevNameInUse(net: Net, name: string): boolean {
  return devGetByName(net, name) !== undefined;
}

/** netdev_name_node_alt_create */
export function netdevNameNodeAltCreate(dev: NetDevice, name: string): void {
  if (netdevNameInUse(dev.net, name)) throw new KernelError("EEXIST");
  altnamesUsed.add(dev.net.host);
  dev.altnames.push(name);
}

/** netdev_name_node_alt_destroy: the primary name, or another device's, is not for removing. */
export function netdevNameNodeAltDestroy(dev: NetDevice, name: string): void {
  const owner = devGetByName(dev.net, name);
  if (!owner) throw new KernelError("ENOENT");
  const at = dev.altnames.indexOf(name);
  if (owner !== dev || at < 0) throw new KernelError("EINVAL");
  dev.altnames.splice(at, 1);
}

export function devGetByIndex(net: Net, ifindex: number): NetDevice | undefined {
  return net.devByIndex.get(ifindex);
}

/** dev_index_reserve: the requested index if free, else the next free one after net->ifindex. */
function devIndexReserve(net: Net, wanted: number): number {
  if (wanted > 0) {
    if (net.devByIndex.has(wanted)) throw new KernelError("EBUSY");
    return wanted;
  }
  let index = net.ifindex;
  do {
    index = index >= 0x7fffffff ? 1 : index + 1;
  } while (net.devByIndex.has(index));
  net.ifindex = index;
  return index;
}

/** register_netdevice: name check, ifindex, hash into the namespace, NETDEV_REGISTER. */
export function registerNetdevice(dev: NetDevice, wantedIndex = 0): void {
  const net = dev.net;
  if (!devValidName(dev.name)) throw new KernelError("EINVAL");
  if (netdevNameInUse(net, dev.name)) throw new KernelError("EEXIST");
  dev.ifindex = devIndexReserve(net, wantedIndex);
  net.devByName.set(dev.name, dev);
  net.devByIndex.set(dev.ifindex, dev);
  net.devBaseSeq++;
  dev.registered = true;
  callNetdevNotifiers("NETDEV_REGISTER", dev);
}

/** unregister_netdevice: close, NETDEV_UNREGISTER (addresses, routes, neighbours go), unhash. */
export function unregisterNetdevice(dev: NetDevice): void {
  if (!dev.registered) return;
  dev.dismantle = true;
  if (dev.flags & IFF_UP) devClose(dev);
  // dev_shutdown: the qdisc goes; the RTM_DELLINK is filled now and sent after the notifiers.
  devShutdown(dev);
  const dellink = rtnlPrepare(dev.net, { kind: "link", deleted: true, dev });
  callNetdevNotifiers("NETDEV_UNREGISTER", dev);
  dellink();
  unlistNetdevice(dev);
  dev.registered = false;
}

function unlistNetdevice(dev: NetDevice): void {
  dev.net.devByName.delete(dev.name);
  dev.net.devByIndex.delete(dev.ifindex);
  dev.net.devBaseSeq++;
}

/** dev_open */
export function devOpen(dev: NetDevice): void {
  if (dev.flags & IFF_UP) return;
  dev.flags |= IFF_UP;
  try {
    dev.ops.open?.(dev);
  } catch (err) {
    // __dev_open: a failed ndo_open leaves the device down.
    dev.flags &= ~IFF_UP;
    throw err;
  }
  // dev_activate: devices without a queue (lo, veth: IFF_NO_QUEUE) get noqueue, unless a qdisc
  // was configured already.
  if (dev.qdisc === "noop") dev.qdisc = "noqueue";
  callNetdevNotifiers("NETDEV_UP", dev);
}

/** dev_close */
export function devClose(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP)) return;
  callNetdevNotifiers("NETDEV_GOING_DOWN", dev);
  dev.ops.stop?.(dev);
  dev.flags &= ~IFF_UP;
  callNetdevNotifiers("NETDEV_DOWN", dev);
}

/** The flags userland sets directly (__dev_change_flags); the others are the kernel's. */
const USER_FLAGS =
  IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA;
/** IFF_VOLATILE: the flags the kernel keeps whatever userland asks. */
const IFF_VOLATILE =
  IFF_LOOPBACK |
  IFF_POINTOPOINT |
  IFF_BROADCAST |
  IFF_ECHO |
  IFF_MASTER |
  IFF_SLAVE |
  IFF_RUNNING |
  IFF_LOWER_UP |
  IFF_DORMANT;

/**
 * dev_change_flags. With `change` (an RTM_NEWLINK's ifi_change), only those bits of `flags`
 * count and the rest come from dev_get_flags (rtnl_dev_combine_flags).
 */
export function devChangeFlags(dev: NetDevice, flagsIn: number, change?: number): void {
  const flags = change === undefined ? flagsIn : (flagsIn & change) | (devGetFlags(dev) & ~change);
  const oldFlags = dev.flags;
  const oldGflags = dev.gflags;
  // __dev_change_flags
  dev.flags = (flags & USER_FLAGS) | (dev.flags & (IFF_UP | IFF_VOLATILE | IFF_PROMISC | IFF_ALLMULTI));
  if ((oldFlags ^ flags) & IFF_UP) {
    if (oldFlags & IFF_UP) devClose(dev);
    else devOpen(dev);
  }
  if ((flags ^ dev.gflags) & IFF_PROMISC) {
    dev.gflags ^= IFF_PROMISC;
    devSetPromiscuity(dev, flags & IFF_PROMISC ? 1 : -1, false);
  }
  if ((flags ^ dev.gflags) & IFF_ALLMULTI) {
    dev.gflags ^= IFF_ALLMULTI;
    devSetAllmulti(dev, flags & IFF_ALLMULTI ? 1 : -1);
  }
  // __dev_notify_flags: a change beyond up/promisc/allmulti on a running device is NETDEV_CHANGE.
  const changes = (oldFlags ^ dev.flags) | (oldGflags ^ dev.gflags);
  if (dev.flags & IFF_UP && changes & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI))
    callNetdevNotifiers("NETDEV_CHANGE", dev, { flagsChanged: changes });
}

/**
 * netdev_info: the device's name (with netdev_reg_state's " (unregistering)" once its
 * unregistration began), then the text, at KERN_INFO.
 */
export function netdevInfo(dev: NetDevice, text: string): void {
  const host = dev.net.host;
  printk(host.kmsg, host.clock.now, 6, `${dev.name}${dev.dismantle ? " (unregistering)" : ""}: ${text}`);
}

/**
 * __dev_set_promiscuity: IFF_PROMISC while anyone wants it. dev_set_promiscuity (a bridge, a
 * packet socket, macvlan) notifies: __dev_notify_flags sends an RTM_NEWLINK for every call, flag
 * changed or not; the flags change and the rx mode's own changes do not (`notify` false).
 */
export function devSetPromiscuity(dev: NetDevice, inc: number, notify = true): void {
  const promiscuity = dev.promiscuity + inc;
  if (promiscuity < 0) return;
  dev.promiscuity = promiscuity;
  const oldFlags = dev.flags;
  if (promiscuity) dev.flags |= IFF_PROMISC;
  else dev.flags &= ~IFF_PROMISC;
  if (dev.flags !== oldFlags) netdevInfo(dev, `${promiscuity ? "entered" : "left"} promiscuous mode`);
  if (notify) rtmsgIfinfoEvent(dev);
}

/**
 * __dev_set_allmulti: IFF_ALLMULTI while anyone wants it; its notification carries only the
 * user's gflags, which a kernel user (a bridge port) does not change, so nothing is sent.
 */
export function devSetAllmulti(dev: NetDevice, inc: number): void {
  const allmulti = dev.allmulti + inc;
  if (allmulti < 0) return;
  dev.allmulti = allmulti;
  const oldFlags = dev.flags;
  if (allmulti) dev.flags |= IFF_ALLMULTI;
  else dev.flags &= ~IFF_ALLMULTI;
  if (dev.flags !== oldFlags) netdevInfo(dev, `${allmulti ? "entered" : "left"} allmulticast mode`);
}

/** dev_set_alias: an empty alias removes it. */
export function devSetAlias(dev: NetDevice, alias: string): void {
  if (new TextEncoder().encode(alias).length >= IFALIASZ) throw new KernelError("EINVAL");
  dev.ifalias = alias === "" ? undefined : alias;
}

/** dev_change_name */
export function devChangeName(dev: NetDevice, name: string): void {
  if (name === dev.name) return;
  if (!devValidName(name)) throw new KernelError("EINVAL");
  // Linux 6.18 renames a running device too (checked on the live kernel).
  if (netdevNameInUse(dev.net, name)) throw new KernelError("EEXIST");
  dev.net.devByName.delete(dev.name);
  dev.name = name;
  dev.net.devByName.set(name, dev);
  callNetdevNotifiers("NETDEV_CHANGENAME", dev);
}

/** is_valid_ether_addr: not multicast, not all zeroes. */
export function isValidEtherAddr(addr: Uint8Array): boolean {
  return addr.length === 6 && ((addr[0] as number) & 1) === 0 && addr.some((b) => b !== 0);
}

/** dev_set_mac_address -> eth_mac_addr; the loopback device takes any address of its length. */
export function devSetMacAddress(dev: NetDevice, addr: Uint8Array): void {
  if (addr.length !== dev.address.length) throw new KernelError("EINVAL");
  if (dev.ops.kind !== "loopback" && !isValidEtherAddr(addr)) throw new KernelError("EADDRNOTAVAIL");
  if (dev.ops.setMacAddress) dev.ops.setMacAddress(dev, addr);
  else dev.address = addr.slice();
  callNetdevNotifiers("NETDEV_CHANGEADDR", dev);
}

/** dev_set_mtu_ext: range-checked against the driver's limits. */
export function devSetMtu(dev: NetDevice, mtuIn: number): void {
  // dev_validate_mtu takes an int: a u32 past INT_MAX is below the minimum; max_mtu 0 is no limit.
  const mtu = mtuIn | 0;
  if (mtu < dev.minMtu) throw new KernelError("EINVAL", "mtu less than device minimum");
  if (dev.maxMtu > 0 && mtu > dev.maxMtu) throw new KernelError("EINVAL", "mtu greater than device maximum");
  if (mtu === dev.mtu) return;
  if (dev.ops.changeMtu) dev.ops.changeMtu(dev, mtu);
  else dev.mtu = mtu;
  callNetdevNotifiers("NETDEV_CHANGEMTU", dev);
}

/**
 * __dev_change_net_namespace: the device leaves `dev.net` as if unregistered (its addresses and
 * routes are flushed) and arrives in `target` closed, keeping its ifindex when it is free there.
 */
export function devChangeNetNamespace(dev: NetDevice, target: Net, newName?: string): void {
  if (dev.ops.netnsLocal) throw new KernelError("EINVAL", "The interface netns is immutable");
  if (target === dev.net) return;
  const name = newName ?? dev.name;
  if (netdevNameInUse(target, name)) throw new KernelError("EEXIST");
  // The alternative names go along and must be free there too.
  for (const alt of dev.altnames) {
    if (netdevNameInUse(target, alt))
      throw new KernelError("EEXIST", `An interface with the altname ${alt} exists in the target netns`);
  }
  if (newName !== undefined && !devValidName(newName)) throw new KernelError("EINVAL");
  if (dev.flags & IFF_UP) devClose(dev);
  callNetdevNotifiers("NETDEV_UNREGISTER", dev);
  unlistNetdevice(dev);
  // dev_shutdown: the device arrives with the noop qdisc, as if never activated.
  devShutdown(dev);
  const newIfindex = devIndexReserve(target, target.devByIndex.has(dev.ifindex) ? 0 : dev.ifindex);
  // rtmsg_ifinfo_newnet(RTM_DELLINK): the old namespace hears where the device went.
  rtnlNotify(dev.net, { kind: "link", deleted: true, dev, newNet: target, newIfindex });
  dev.net = target;
  dev.name = name;
  dev.ifindex = newIfindex;
  target.devByName.set(dev.name, dev);
  target.devByIndex.set(dev.ifindex, dev);
  target.devBaseSeq++;
  callNetdevNotifiers("NETDEV_REGISTER", dev);
  rtmsgIfinfo(dev);
}

/** dev_get_iflink */
export function devGetIflink(dev: NetDevice): number {
  return dev.ops.getIflink ? dev.ops.getIflink(dev) : dev.ifindex;
}

export function netifRunning(dev: NetDevice): boolean {
  return (dev.flags & IFF_UP) !== 0;
}

/** netif_oper_up */
export function netifOperUp(dev: NetDevice): boolean {
  return dev.operstate === IF_OPER_UP || dev.operstate === IF_OPER_UNKNOWN;
}

export function netifCarrierOn(dev: NetDevice): void {
  if (dev.carrier) return;
  dev.carrier = true;
  if (!dev.registered) return;
  dev.carrierChanges++;
  linkwatchFireEvent(dev);
}

export function netifCarrierOff(dev: NetDevice): void {
  if (!dev.carrier) return;
  dev.carrier = false;
  if (!dev.registered) return;
  dev.carrierChanges++;
  linkwatchFireEvent(dev);
}

/**
 * default_operstate (net/core/link_watch.c, 6.x): without carrier, a stacked device is
 * LOWERLAYERDOWN only when the device its iflink names also lacks carrier. The kernel looks that
 * index up in the device's own namespace, even for a veth whose peer lives elsewhere; finding
 * nothing there means DOWN. So does this.
 */
function defaultOperstate(dev: NetDevice): number {
  if (dev.carrier) return IF_OPER_UP;
  const iflink = devGetIflink(dev);
  if (iflink === dev.ifindex) return IF_OPER_DOWN;
  const lower = devGetByIndex(dev.net, iflink);
  if (!lower) return IF_OPER_DOWN;
  return lower.carrier ? IF_OPER_DOWN : IF_OPER_LOWERLAYERDOWN;
}

/** linkwatch_do_dev: rfc2863_policy, then netdev_state_change for a running device. */
function linkwatchDoDev(dev: NetDevice): void {
  dev.operstate = defaultOperstate(dev);
  if (dev.flags & IFF_UP) callNetdevNotifiers("NETDEV_CHANGE", dev);
}

/**
 * linkwatch_fire_event: the event is queued and handled later, by linkwatch_run_queue, as the
 * kernel's work item does; operstate therefore reflects the world as it is when the queue runs
 * (a new veth pair is tied by then).
 */
export function linkwatchFireEvent(dev: NetDevice): void {
  const host = dev.net.host;
  const queue = host.linkwatchQueue;
  if (queue.includes(dev)) return;
  // The first pending event schedules the work item; it runs as soon as the clock next does.
  if (queue.length === 0) host.clock.schedule(0, () => linkwatchRunQueue(queue));
  queue.push(dev);
}

/** linkwatch_run_queue: every pending link event, in the order they fired. */
export function linkwatchRunQueue(queue: NetDevice[]): void {
  while (queue.length > 0) {
    const dev = queue.shift() as NetDevice;
    if (dev.registered) linkwatchDoDev(dev);
  }
}

/** dev_get_flags: the administrative flags plus IFF_RUNNING and IFF_LOWER_UP from the link state. */
export function devGetFlags(dev: NetDevice): number {
  let flags =
    (dev.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)) |
    (dev.gflags & (IFF_PROMISC | IFF_ALLMULTI));
  if (netifRunning(dev)) {
    if (netifOperUp(dev)) flags |= IFF_RUNNING;
    if (dev.carrier) flags |= IFF_LOWER_UP;
  }
  return flags;
}

/** The IFLA_OPERSTATE value: a device that is not running reports DOWN. */
export function devReportedOperstate(dev: NetDevice): number {
  return netifRunning(dev) ? dev.operstate : IF_OPER_DOWN;
}

/** Devices of a namespace in ifindex order (for_each_netdev as dumps see it). */
export function devicesByIndex(net: Net): NetDevice[] {
  return [...net.devByIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
}
