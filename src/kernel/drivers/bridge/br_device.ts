// The bridge device (net/bridge/br_device.c, br_if.c, br_notify.c): `ip link add br0 type bridge`,
// ports added and removed with IFLA_MASTER, br_dev_xmit for what the bridge's own stack sends, and
// br_device_event for what happens to its ports.

import { isBroadcastMac, isMulticastMac } from "../../../wire/ethernet.js";
import {
  allocNetdev,
  callNetdevNotifiers,
  devSetAllmulti,
  devSetMtu,
  devSetPromiscuity,
  isValidEtherAddr,
  type NetDevice,
  type NetDeviceOps,
  type NetdevEvent,
  netdevRxHandlerRegister,
  netdevRxHandlerUnregister,
  netifOperUp,
  netifRunning,
  registerNetdevice,
  unregisterNetdevice,
} from "../../core/dev.js";
import { devStatsAdd } from "../../core/netif.js";
import { rtmsgIfinfoEvent } from "../../core/rtnetlink.js";
import type { SkBuff } from "../../core/skbuff.js";
import type { Net } from "../../net_namespace.js";
import { KernelError } from "../../syscalls.js";
import { ARPHRD_ETHER, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_UP } from "../../uapi.js";
import { brFdbAddLocal, brFdbChangeaddr, brFdbDeleteByPort, brFdbFind } from "./br_fdb.js";
import { brFlood, brForward } from "./br_forward.js";
import { brHandleFrame } from "./br_input.js";
import {
  brMulticastDevDel,
  brMulticastDisablePort,
  brMulticastJoinSnoopers,
  brMulticastLeaveSnoopers,
  brMulticastRcv,
} from "./br_multicast.js";
import { brIfinfoNotify } from "./br_netlink.js";
import {
  BR_DEFAULT_AGEING_TIME_NS,
  type Bridge,
  type BridgePort,
  bridgeOf,
  brPortOf,
  portOfDev,
} from "./br_private.js";
import {
  brInitPort,
  brMakePortId,
  brRecalculateAndNotify,
  brSetState,
  brStpBridgeTimersStop,
  brStpChangeBridgeId,
  brStpDisableBridge,
  brStpDisablePort,
  brStpEnableBridge,
  brStpEnablePort,
  brStpPortTimersStop,
  brStpRecalculateBridgeId,
  portCost,
} from "./br_stp.js";

const HZ = 250;
const ETH_MIN_MTU = 68;
const ETH_MAX_MTU = 65535;
const ETH_DATA_LEN = 1500;
const BR_MAX_PORTS = 1024;

/** br_dev_xmit: what the bridge's own stack sends goes to the port the FDB names, or floods. */
function brDevXmit(skb: SkBuff, dev: NetDevice): void {
  const br = bridgeOf(dev);
  devStatsAdd(dev, "tx", skb.tail - skb.head);
  skb.macHeader = skb.head;
  const dest = skb.data.subarray(skb.head, skb.head + 6);
  skb.dev = dev;
  if (isBroadcastMac(dest)) brFlood(br, skb, "broadcast", false);
  else if (isMulticastMac(dest)) {
    // br_multicast_rcv with no port: what the bridge's own stack joins is a host entry.
    if (!brMulticastRcv(br, undefined, skb)) return;
    brFlood(br, skb, "multicast", false);
  } else {
    const dst = brFdbFind(br, dest);
    if (dst) brForward(dst.dst, skb, false);
    else brFlood(br, skb, "unicast", false);
  }
}

/** br_mtu_min: the smallest port MTU, 1500 without ports. */
function brMtuMin(br: Bridge): number {
  let mtu = 0;
  for (const p of br.ports) if (!mtu || mtu > p.dev.mtu) mtu = p.dev.mtu;
  return mtu || ETH_DATA_LEN;
}

/** br_mtu_auto_adjust: unless the user chose the bridge's MTU, it follows its smallest port. */
function brMtuAutoAdjust(br: Bridge): void {
  if (br.mtuSetByUser) return;
  devSetMtu(br.dev, brMtuMin(br));
  br.mtuSetByUser = false;
}

const bridgeOps: NetDeviceOps = {
  kind: "bridge",
  netnsLocal: true,
  /** br_dev_open */
  open(dev) {
    brStpEnableBridge(bridgeOf(dev));
    // br_multicast_open
    if (bridgeOf(dev).multicastSnooping) brMulticastJoinSnoopers(bridgeOf(dev));
  },
  /** br_dev_stop */
  stop(dev) {
    brStpDisableBridge(bridgeOf(dev));
    // br_multicast_stop
    if (bridgeOf(dev).multicastSnooping) brMulticastLeaveSnoopers(bridgeOf(dev));
  },
  startXmit: brDevXmit,
  /** br_change_mtu: an MTU set here stays until a port forces a smaller one back. */
  changeMtu(dev, mtu) {
    dev.mtu = mtu;
    bridgeOf(dev).mtuSetByUser = true;
  },
  /** br_set_mac_address */
  setMacAddress(dev, addr) {
    const br = bridgeOf(dev);
    br.addrSet = true;
    if (!addr.every((b, i) => b === dev.address[i])) brStpChangeBridgeId(br, addr);
  },
  lowerEvent: brDeviceEvent,
};

export function isBridge(dev: NetDevice): boolean {
  return dev.ops === bridgeOps;
}

export interface BridgeNewlink {
  readonly net: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
}

/** br_dev_newlink: a random address until ports arrive, unless one was given. */
export function brDevNewlink(req: BridgeNewlink): NetDevice {
  if (req.address && !isValidEtherAddr(req.address)) throw new KernelError("EADDRNOTAVAIL");
  const mac = req.net.host.randomBytes(6);
  mac[0] = ((mac[0] as number) & 0xfe) | 0x02;
  let name = req.name;
  if (name === undefined) {
    for (let i = 0; ; i++) {
      name = `bridge${i}`;
      if (!req.net.devByName.has(name)) break;
    }
  }
  // br_dev_setup: the bridge id starts all zeroes until the first port or address; the STP times
  // are 802.1D's defaults (in jiffies, HZ=250), multicast snooping br_multicast_init's.
  const br: Bridge = {
    dev: undefined as unknown as NetDevice,
    ports: [],
    activePorts: 0,
    fdb: new Map(),
    fdbList: [],
    ageingTime: BR_DEFAULT_AGEING_TIME_NS,
    bridgeAgeingTime: BR_DEFAULT_AGEING_TIME_NS,
    forwardDelay: 15 * HZ,
    helloTime: 2 * HZ,
    maxAge: 20 * HZ,
    bridgeForwardDelay: 15 * HZ,
    bridgeHelloTime: 2 * HZ,
    bridgeMaxAge: 20 * HZ,
    stpEnabled: 0,
    bridgePrio: 0x8000,
    bridgeIdAddr: new Uint8Array(6),
    designatedRoot: { prio: 0x8000, addr: new Uint8Array(6) },
    rootPathCost: 0,
    rootPort: 0,
    topologyChange: false,
    topologyChangeDetected: false,
    helloTimer: undefined,
    tcnTimer: undefined,
    topologyChangeTimer: undefined,
    groupFwdMask: 0,
    groupAddr: new Uint8Array([0x01, 0x80, 0xc2, 0, 0, 0]),
    noLinklocalLearn: false,
    nfCallIptables: false,
    nfCallIp6tables: false,
    nfCallArptables: false,
    mcast: {
      router: 1,
      querier: 0,
      queryUseIfaddr: false,
      statsEnabled: false,
      hashMax: 4096,
      lastMemberCount: 2,
      startupQueryCount: 2,
      lastMemberInterval: HZ,
      membershipInterval: 260 * HZ,
      querierInterval: 255 * HZ,
      queryInterval: 125 * HZ,
      queryResponseInterval: 10 * HZ,
      startupQueryInterval: Math.floor((125 * HZ) / 4),
      igmpVersion: 2,
      mldVersion: 1,
    },
    tsoMaxSize: 65536,
    addrSet: false,
    mtuSetByUser: false,
    gcTimer: undefined,
    multicastSnooping: true,
    mdb: [],
  };
  const dev = allocNetdev(req.net, {
    name,
    ops: bridgeOps,
    type: ARPHRD_ETHER,
    flags: IFF_BROADCAST | IFF_MULTICAST,
    mtu: ETH_DATA_LEN,
    minMtu: ETH_MIN_MTU,
    maxMtu: ETH_MAX_MTU,
    address: mac,
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txqlen: 1000,
    priv: br,
  });
  (br as { dev: NetDevice }).dev = dev;
  // Carrier is on and the operstate unknown until the first port-state selection (which any
  // change of the bridge id runs) finds no forwarding port.
  registerNetdevice(dev);
  brFdbAddLocal(br, undefined, dev.address);
  if (req.address) {
    brStpChangeBridgeId(br, req.address);
    br.addrSet = true;
  }
  return dev;
}

/** find_portno: the lowest free port number, from 1. */
function findPortno(br: Bridge): number {
  // The newest port (the list's head) numbered as many as there are ports: none was removed
  // since, and every lower number is taken, so the next one is free.
  const newest = br.ports[0];
  if (newest && newest.portNo === br.ports.length && newest.portNo + 1 < BR_MAX_PORTS)
    return newest.portNo + 1;
  const used = new Set(br.ports.map((p) => p.portNo));
  for (let i = 1; i < BR_MAX_PORTS; i++) if (!used.has(i)) return i;
  // find_portno: port numbers 1..1023 are all taken.
  throw new KernelError("EXFULL");
}

/** br_add_if */
export function brAddIf(brdev: NetDevice, dev: NetDevice): void {
  const br = bridgeOf(brdev);
  // Don't allow bridging non-ethernet like devices.
  if (
    dev.flags & IFF_LOOPBACK ||
    dev.type !== ARPHRD_ETHER ||
    dev.address.length !== 6 ||
    !isValidEtherAddr(dev.address)
  )
    throw new KernelError("EINVAL");
  if (isBridge(dev)) throw new KernelError("ELOOP", "Can not enslave a bridge to a bridge");
  if (dev.master) throw new KernelError("EBUSY");
  const portNo = findPortno(br);
  const p: BridgePort = {
    br,
    dev,
    portNo,
    state: "disabled",
    priority: 0x20,
    pathCost: 0,
    adminCost: false,
    learning: true,
    flood: true,
    mcastFlood: true,
    bcastFlood: true,
    hairpin: false,
    isolated: false,
    guard: false,
    rootBlock: false,
    fastLeave: false,
    mcastToUcast: false,
    proxyArp: false,
    proxyArpWifi: false,
    neighSuppress: false,
    vlanTunnel: false,
    locked: false,
    mcastRouter: 1,
    groupFwdMask: 0,
    backupPort: undefined,
    portId: brMakePortId(0x20, portNo),
    designatedRoot: { prio: 0, addr: new Uint8Array(6) },
    designatedBridge: { prio: 0, addr: new Uint8Array(6) },
    designatedPort: 0,
    designatedCost: 0,
    designatedAge: 0,
    topologyChangeAck: false,
    configPending: false,
    messageAgeTimer: undefined,
    forwardDelayTimer: undefined,
    holdTimer: undefined,
  };
  p.pathCost = portCost(p);
  // new_nbp → br_init_port: the port starts designated and blocking, then disabled until it is
  // enabled (both logged).
  brInitPort(p);
  brSetState(p, "disabled");
  devSetAllmulti(dev, 1);
  netdevRxHandlerRegister(dev, brHandleFrame);
  // netdev_master_upper_dev_link: NETDEV_CHANGEUPPER, which rtnetlink_event announces.
  dev.master = brdev;
  rtmsgIfinfoEvent(dev);
  br.ports.unshift(p);
  portOfDev.set(dev, p);
  // nbp_update_port_count → br_manage_promisc: without VLAN filtering every port is promiscuous.
  devSetPromiscuity(dev, 1);
  brFdbAddLocal(br, p, dev.address);
  const changedAddr = brStpRecalculateBridgeId(br);
  if (netifRunning(dev) && netifOperUp(dev) && brdev.flags & IFF_UP) brStpEnablePort(p);
  brIfinfoNotify("RTM_NEWLINK", p);
  if (changedAddr) callNetdevNotifiers("NETDEV_CHANGEADDR", brdev);
  brMtuAutoAdjust(br);
  brSetGsoLimits(br);
}

/** br_set_gso_limits: the least of the ports' (each emulated port allows 524280), capped there. */
function brSetGsoLimits(br: Bridge): void {
  br.tsoMaxSize = 524280;
}

/** del_nbp: the port leaves; its entries go (local ones pass to whoever shares the address). */
function delNbp(p: BridgePort): void {
  const br = p.br;
  const dev = p.dev;
  // nbp_delete_promisc
  devSetAllmulti(dev, -1);
  devSetPromiscuity(dev, -1);
  brStpDisablePort(p);
  brStpPortTimersStop(p);
  brIfinfoNotify("RTM_DELLINK", p);
  // nbp_backup_clear: ports that fell back on this one lose their backup.
  for (const q of br.ports) if (q.backupPort === p) q.backupPort = undefined;
  p.backupPort = undefined;
  br.ports = br.ports.filter((q) => q !== p);
  portOfDev.delete(dev);
  brFdbDeleteByPort(br, p, true);
  // br_multicast_del_port
  brMulticastDisablePort(p, true);
  netdevRxHandlerUnregister(dev);
  // netdev_upper_dev_unlink: NETDEV_CHANGEUPPER again.
  dev.master = undefined;
  rtmsgIfinfoEvent(dev);
}

/** br_del_if */
export function brDelIf(brdev: NetDevice, dev: NetDevice): void {
  const p = brPortOf(dev);
  if (!p || p.br.dev !== brdev) throw new KernelError("EINVAL");
  const br = p.br;
  delNbp(p);
  brMtuAutoAdjust(br);
  brSetGsoLimits(br);
  brRecalculateAndNotify(br);
}

/** br_dev_delete: the ports are released, then the bridge goes. */
export function brDevDelete(brdev: NetDevice): void {
  const br = bridgeOf(brdev);
  for (const p of [...br.ports]) delNbp(p);
  brFdbDeleteByPort(br, undefined, true);
  brMulticastDevDel(br);
  unregisterNetdevice(brdev);
  if (br.gcTimer) br.gcTimer.cancelled = true;
  brStpBridgeTimersStop(br);
}

/**
 * br_device_event: what happens to a port. Events that may refresh the spanning tree announce the
 * port (br_ifinfo_notify) unless enabling or disabling it did already.
 */
function brDeviceEvent(event: NetdevEvent, dev: NetDevice): void {
  const p = brPortOf(dev);
  if (!p) return;
  const br = p.br;
  let notified = false;
  switch (event) {
    case "NETDEV_CHANGEMTU":
      brMtuAutoAdjust(br);
      return;
    case "NETDEV_CHANGEADDR":
      brFdbChangeaddr(p, dev.address);
      brRecalculateAndNotify(br);
      break;
    case "NETDEV_CHANGE":
      notified = brPortCarrierCheck(p);
      break;
    case "NETDEV_DOWN":
      // Disabled again even when it already was (and logged so).
      if (br.dev.flags & IFF_UP) {
        brStpDisablePort(p);
        notified = true;
      }
      break;
    case "NETDEV_UP":
      if (netifRunning(br.dev) && netifOperUp(dev)) {
        brStpEnablePort(p);
        notified = true;
      }
      break;
    case "NETDEV_UNREGISTER":
      brDelIf(br.dev, dev);
      return;
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGENAME":
      return;
  }
  if (!notified) brIfinfoNotify("RTM_NEWLINK", p);
}

/** br_port_carrier_check: true when it enabled or disabled the port (which notified). */
function brPortCarrierCheck(p: BridgePort): boolean {
  const dev = p.dev;
  if (!p.adminCost && netifRunning(dev) && netifOperUp(dev)) p.pathCost = portCost(p);
  if (!netifRunning(p.br.dev)) return false;
  if (netifRunning(dev) && netifOperUp(dev)) {
    if (p.state === "disabled") {
      brStpEnablePort(p);
      return true;
    }
  } else if (p.state !== "disabled") {
    brStpDisablePort(p);
    return true;
  }
  return false;
}

/** do_set_master: leave the current master (ndo_del_slave), join the new one (ndo_add_slave). */
export function doSetMaster(dev: NetDevice, master: NetDevice | undefined): void {
  const upper = dev.master;
  if (upper) {
    if (upper === master) return;
    if (!isBridge(upper)) throw new KernelError("EOPNOTSUPP");
    brDelIf(upper, dev);
  }
  if (master) {
    if (!isBridge(master)) throw new KernelError("EOPNOTSUPP");
    brAddIf(master, dev);
  }
}
