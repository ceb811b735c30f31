// Stacked devices (net/core/dev.c netdev_upper_dev_link, net/core/link_watch.c
// netif_stacked_transfer_operstate): a macvlan, vlan or vxlan sits on a lower device, follows its
// carrier and hears its events through the netdevice notifier chain, as macvlan_device_event,
// vlan_device_event and vxlan_netdevice_event do.
import { IFF_UP } from "../uapi.js";
import {
  devSetPromiscuity,
  type NetDevice,
  type NetDeviceOps,
  type NetdevNotifier,
  netifCarrierOff,
  netifCarrierOn,
} from "./dev.js";

/** netdev_upper_dev_link */
export function netdevUpperDevLink(lower: NetDevice, upper: NetDevice): void {
  if (!lower.uppers.includes(upper)) lower.uppers.push(upper);
}

/** netdev_upper_dev_unlink */
export function netdevUpperDevUnlink(lower: NetDevice, upper: NetDevice): void {
  const at = lower.uppers.indexOf(upper);
  if (at >= 0) lower.uppers.splice(at, 1);
}

/** netif_stacked_transfer_operstate: the upper device's carrier is the lower device's. */
export function netifStackedTransferOperstate(root: NetDevice, dev: NetDevice): void {
  if (root.carrier) netifCarrierOn(dev);
  else netifCarrierOff(dev);
}

/**
 * The stacked drivers' notifiers: each driver with a device on top of `dev` hears the event once
 * (its lowerEvent walks its own devices), then a device being dismantled runs its ndo_uninit.
 */
export const upperDevNotifier: NetdevNotifier = (event, dev) => {
  const seen = new Set<NetDeviceOps>();
  for (const upper of [...dev.uppers]) {
    if (seen.has(upper.ops)) continue;
    seen.add(upper.ops);
    upper.ops.lowerEvent?.(event, dev);
  }
  if (event === "NETDEV_UNREGISTER" && dev.dismantle) dev.ops.uninit?.(dev);
};

/** The devices that filter unicast addresses themselves (IFF_UNICAST_FLT): the stacked ones. */
function hasUnicastFilter(dev: NetDevice): boolean {
  return dev.ops.kind === "macvlan" || dev.ops.kind === "vlan";
}

/**
 * __dev_set_rx_mode: a running device without a unicast filter goes promiscuous while its
 * unicast list holds addresses (uc_promisc), and leaves it when the list empties.
 */
export function devSetRxMode(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP) || hasUnicastFilter(dev)) return;
  if (dev.ucList.length > 0 && !dev.ucPromisc) {
    devSetPromiscuity(dev, 1, false);
    dev.ucPromisc = true;
  } else if (dev.ucList.length === 0 && dev.ucPromisc) {
    devSetPromiscuity(dev, -1, false);
    dev.ucPromisc = false;
  }
}

/** dev_uc_add */
export function devUcAdd(dev: NetDevice, addr: Uint8Array): void {
  dev.ucList.push(addr.slice());
  devSetRxMode(dev);
}

/** dev_uc_del */
export function devUcDel(dev: NetDevice, addr: Uint8Array): void {
  const at = dev.ucList.findIndex((a) => a.every((b, i) => b === addr[i]));
  if (at >= 0) dev.ucList.splice(at, 1);
  devSetRxMode(dev);
}
