// rtnetlink's side effects of device events (net/core/rtnetlink.c). Each RTM_NEWLINK the kernel
// emits about a device whose link lives in another namespace gives that namespace an nsid in the
// device's namespace (rtnl_fill_link_netnsid -> peernet2id_alloc).
import { peernet2idAlloc } from "../net_namespace.js";
import type { NetDevice, NetdevEvent } from "./dev.js";

/** rtmsg_ifinfo(RTM_NEWLINK, dev): the notification's side effect on the nsid table. */
export function rtmsgIfinfo(dev: NetDevice): void {
  const linkNet = dev.ops.getLinkNet?.(dev);
  if (linkNet && linkNet !== dev.net) peernet2idAlloc(dev.net, linkNet);
}

/** rtnetlink_event: the device events that produce an RTM_NEWLINK notification. */
export function rtnetlinkEvent(event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case "NETDEV_REGISTER":
    case "NETDEV_UP":
    case "NETDEV_DOWN":
    case "NETDEV_CHANGE":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEMTU":
    case "NETDEV_CHANGEADDR":
      rtmsgIfinfo(dev);
      return;
    case "NETDEV_UNREGISTER":
    case "NETDEV_GOING_DOWN":
      return;
  }
}
