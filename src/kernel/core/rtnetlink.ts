// rtnetlink's notifications (net/core/rtnetlink.c): what the kernel multicasts to sockets that
// joined a group (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, …), as `ip monitor` does. Each message is
// filled when the event happens, so a listener that reads later still sees the state of that
// moment. Each RTM_NEWLINK about a device whose link lives in another namespace also gives that
// namespace an nsid in the device's namespace (rtnl_fill_link_netnsid -> peernet2id_alloc).

import type { InIfaddr } from "../ipv4/devinet.js";
import type { FibAlias } from "../ipv4/fib_table.js";
import { type Net, peernet2id, peernet2idAlloc } from "../net_namespace.js";
import type {
  RtAddr,
  RtBridgeLinkEvent,
  RtFdb,
  RtLink,
  RtMdbEntry,
  RtNeigh,
  RtNetconf,
  RtnlGroup,
  RtnlMsg,
  RtnlRecvMsg,
  RtRoute,
  RtRule,
} from "../uapi.js";
import type { NetDevice, NetdevEvent } from "./dev.js";
import type { Neighbour } from "./neighbour.js";

/** A NETLINK_ROUTE socket bound to multicast groups: what it has not read yet. */
export interface RtnlSock {
  readonly net: Net;
  readonly groups: ReadonlySet<RtnlGroup>;
  readonly queue: RtnlRecvMsg[];
  /**
   * NETLINK_LISTEN_ALL_NSID: also hears every namespace its own has an nsid for (the socket is
   * then in the host's rtnlListenAllNsid set too).
   */
  allNsid?: boolean;
}

/**
 * An NLM_F_ECHO request being served: every notification of its namespace meanwhile, filled when
 * sent. The kernel unicasts back those sent with the request's header (nlmsg_notify's report),
 * which is the request's own object; the system call picks it from these.
 */
export interface RtnlEcho {
  readonly net: Net;
  readonly caught: RtnlMsg[];
}

/** What happened, in kernel objects; rtnlNotify fills the message from them at once. */
export type RtnlEvent =
  /** fdb_notify and br_mdb_notify: the bridge fills its message (fdb_fill_info, __mdb_fill_info). */
  | { readonly kind: "fdb"; readonly deleted: boolean; readonly fill: () => RtFdb }
  | {
      readonly kind: "mdb";
      readonly deleted: boolean;
      readonly fill: () => { readonly ifindex: number; readonly entry: RtMdbEntry };
    }
  | {
      readonly kind: "link";
      readonly deleted: boolean;
      readonly dev: NetDevice;
      /** dev_change_net_namespace's RTM_DELLINK: where the device went. */
      readonly newNet?: Net;
      readonly newIfindex?: number;
    }
  | { readonly kind: "addr"; readonly deleted: boolean; readonly dev: NetDevice; readonly ifa: InIfaddr }
  | { readonly kind: "route"; readonly deleted: boolean; readonly fa: FibAlias }
  | {
      readonly kind: "neigh";
      readonly deleted: boolean;
      readonly neigh: Neighbour;
      /** neigh_app_ns's RTM_GETNEIGH with NLM_F_REQUEST: a resolution asked of user space. */
      readonly request?: boolean;
    }
  | { readonly kind: "rule"; readonly deleted: boolean; readonly rule: RtRule }
  | { readonly kind: "nsid"; readonly deleted: boolean; readonly nsid: number }
  | { readonly kind: "netconf"; readonly deleted: boolean; readonly dev: NetDevice }
  /** br_ifinfo_notify: the bridge fills its port's AF_BRIDGE message (br_fill_ifinfo). */
  | { readonly kind: "brlink"; readonly deleted: boolean; readonly fill: () => RtBridgeLinkEvent };

/** The fill functions (rtnl_fill_ifinfo, inet_fill_ifaddr, fib_dump_info, neigh_fill_info…). */
export interface RtnlFillers {
  link(net: Net, dev: NetDevice): RtLink;
  addr(net: Net, dev: NetDevice, ifa: InIfaddr): RtAddr;
  route(fa: FibAlias): RtRoute;
  neigh(net: Net, neigh: Neighbour): RtNeigh;
  netconf(dev: NetDevice): RtNetconf;
}

function groupOf(event: RtnlEvent): RtnlGroup {
  switch (event.kind) {
    case "fdb":
      return "neigh";
    case "mdb":
      return "mdb";
    case "link":
      return "link";
    case "addr":
      return "ipv4-ifaddr";
    case "route":
      return "ipv4-route";
    case "neigh":
      return "neigh";
    case "rule":
      return "ipv4-rule";
    case "nsid":
      return "nsid";
    case "netconf":
      return "ipv4-netconf";
    case "brlink":
      return "link";
  }
}

function fillMsg(fill: RtnlFillers, net: Net, event: RtnlEvent): RtnlMsg {
  const deleted = event.deleted;
  switch (event.kind) {
    case "fdb":
      return { kind: "fdb", deleted, fdb: event.fill() };
    case "mdb":
      return { kind: "mdb", deleted, ...event.fill() };
    case "link": {
      const link = fill.link(net, event.dev);
      if (!event.newNet) return { kind: "link", deleted, link };
      return {
        kind: "link",
        deleted,
        link,
        newNetnsid: peernet2idAlloc(net, event.newNet),
        ...(event.newIfindex !== undefined ? { newIfindex: event.newIfindex } : {}),
      };
    }
    case "addr":
      return { kind: "addr", deleted, addr: fill.addr(net, event.dev, event.ifa) };
    case "route":
      return { kind: "route", deleted, route: fill.route(event.fa) };
    case "neigh":
      return {
        kind: "neigh",
        deleted,
        neigh: fill.neigh(net, event.neigh),
        ...(event.request ? { request: true } : {}),
      };
    case "rule":
      return { kind: "rule", deleted, rule: event.rule };
    case "nsid":
      return { kind: "nsid", deleted, nsid: event.nsid };
    case "netconf":
      return { kind: "netconf", deleted, netconf: fill.netconf(event.dev) };
    case "brlink":
      return { kind: "brlink", deleted, link: event.fill() };
  }
}

/** rtnl_notify: queue the message on every socket of `net` in the event's group. */
export function rtnlNotify(net: Net, event: RtnlEvent): void {
  rtnlPrepare(net, event)();
}

const NOTHING = (): void => {};

/**
 * Whether a notification about `net` would reach anyone (a socket of its own, one listening to
 * all nsids, an `ip -echo`): callers on busy paths skip building one nobody hears.
 */
export function rtnlWanted(net: Net): boolean {
  if (!net.host.rtnlFillers) return false;
  if (net.host.rtnlEcho?.net === net) return true;
  const socks = net.rtnlSocks;
  const allNsid = net.host.rtnlListenAllNsid;
  return (socks !== undefined && socks.size > 0) || (allNsid !== undefined && allNsid.size > 0);
}

/**
 * Fill the message now and send it later (unregister_netdevice builds its RTM_DELLINK before the
 * NETDEV_UNREGISTER notifiers run and sends it after them).
 */
export function rtnlPrepare(net: Net, event: RtnlEvent): () => void {
  const socks = net.rtnlSocks;
  const fill = net.host.rtnlFillers;
  const echo = net.host.rtnlEcho;
  if (echo?.net === net && fill) echo.caught.push(fillMsg(fill, net, event));
  const allNsid = net.host.rtnlListenAllNsid;
  if (!fill || ((!socks || socks.size === 0) && (!allNsid || allNsid.size === 0))) return NOTHING;
  const group = groupOf(event);
  const targets = socks ? [...socks].filter((sk) => sk.groups.has(group)) : [];
  // do_one_broadcast: a listener of another namespace hears this one if it listens to all nsids
  // and its namespace has an id for this one (peernet_has_id).
  const others = allNsid
    ? [...allNsid].filter((sk) => sk.net !== net && sk.groups.has(group) && peernet2id(sk.net, net) >= 0)
    : [];
  if (targets.length === 0 && others.length === 0) return NOTHING;
  const msg = fillMsg(fill, net, event);
  return () => {
    for (const sk of targets) {
      // The own namespace's id for itself, which it rarely has (then no control message).
      const nsid = sk.allNsid ? peernet2id(net, net) : -1;
      sk.queue.push(nsid >= 0 ? { ...msg, ctrlNsid: nsid } : msg);
    }
    for (const sk of others) sk.queue.push({ ...msg, ctrlNsid: peernet2id(sk.net, net) });
  };
}

/** rtmsg_ifinfo(RTM_NEWLINK, dev): the notification, and its side effect on the nsid table. */
export function rtmsgIfinfo(dev: NetDevice): void {
  dev.rtnlInitializing = false;
  const linkNet = dev.ops.getLinkNet?.(dev);
  if (linkNet && linkNet !== dev.net) peernet2idAlloc(dev.net, linkNet);
  rtnlNotify(dev.net, { kind: "link", deleted: false, dev });
}

/**
 * rtmsg_ifinfo_event for what the notifier chain or a flags change reports (NETDEV_CHANGEUPPER,
 * dev_set_promiscuity): nothing about a device that is not registered, is being unregistered, or
 * has not been announced yet.
 */
export function rtmsgIfinfoEvent(dev: NetDevice): void {
  if (!dev.registered || dev.dismantle || dev.rtnlInitializing) return;
  rtnlNotify(dev.net, { kind: "link", deleted: false, dev });
}

/**
 * rtnetlink_event and __dev_notify_flags: the device events that produce an RTM_NEWLINK. A device
 * being registered is announced by whoever registers it once it is configured (rtnl_configure_link,
 * the end of dev_change_net_namespace), not by the registration itself.
 */
export function rtnetlinkEvent(event: NetdevEvent, dev: NetDevice): void {
  if (dev.rtnlInitializing) return;
  switch (event) {
    case "NETDEV_REGISTER":
      return;
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
