// Conntrack events (net/netfilter/nf_conntrack_ecache.c and ctnetlink_conntrack_event): what
// happens to a connection while a packet is handled is cached on it as IPCT_* bits and delivered
// as one message when the packet leaves conntrack (nf_confirm); a deletion is reported at once.
// Listeners are NETLINK_NETFILTER sockets bound to NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY in the
// connection's namespace (`conntrack -E`). The message is filled when it is sent.

import type { Net } from "../net_namespace.js";
import { IPS_DYING, type NfConn } from "./nf_conntrack.js";
import { type CtnlEntry, ctnlFill } from "./nf_conntrack_netlink.js";
import { NfnlGroup } from "./nfnetlink.js";

/** enum ip_conntrack_events */
export const IPCT_NEW = 0;
export const IPCT_RELATED = 1;
export const IPCT_DESTROY = 2;
export const IPCT_REPLY = 3;
export const IPCT_ASSURED = 4;
export const IPCT_PROTOINFO = 5;
export const IPCT_MARK = 7;

/** The groups, as bits of a listener's mask. */
export const CT_GROUP_NEW = 1;
export const CT_GROUP_UPDATE = 2;
export const CT_GROUP_DESTROY = 4;

/** IPCTNL_MSG_CT_NEW (with NLM_F_CREATE|NLM_F_EXCL: "NEW", without: "UPDATE") or _DELETE. */
export interface CtnlEvent {
  readonly type: "NEW" | "UPDATE" | "DESTROY";
  readonly entry: CtnlEntry;
  /** CTA_MARK is sent when the mark is set or was just changed (ctnetlink_dump_mark). */
  readonly markShown: boolean;
  /** nlmsg_pid: the netlink port of the process whose request deleted it; 0 for the kernel. */
  readonly portid: number;
}

export interface CtnlEventSock {
  readonly net: Net;
  readonly groups: number;
  readonly queue: CtnlEvent[];
}

const listeners = new NfnlGroup<CtnlEventSock>();

export function ctnlEventBind(net: Net, groups: number): CtnlEventSock {
  return listeners.bind({ net, groups, queue: [] });
}

/** Returns whether the socket was still bound. */
export function ctnlEventUnbind(sk: CtnlEventSock): boolean {
  return listeners.unbind(sk);
}

/** nf_conntrack_event_cache: remembered until the packet leaves conntrack. */
export function nfConntrackEventCache(c: NfConn, event: number): void {
  c.ecache |= 1 << event;
}

/** nf_ct_deliver_cached_events: nothing for a connection already dying (its DESTROY went). */
export function nfCtDeliverCachedEvents(net: Net, c: NfConn): void {
  const events = c.ecache;
  if (events === 0) return;
  c.ecache = 0;
  if (c.status & IPS_DYING) return;
  ctnetlinkConntrackEvent(net, c, events, 0);
}

/** nf_conntrack_event_report: sent now (IPCT_DESTROY from nf_ct_delete). */
export function nfConntrackEventReport(net: Net, c: NfConn, event: number, portid: number): void {
  ctnetlinkConntrackEvent(net, c, 1 << event, portid);
}

/** ctnetlink_conntrack_event: the message type and group from the events, then the fill. */
function ctnetlinkConntrackEvent(net: Net, c: NfConn, events: number, portid: number): void {
  const socks = listeners.socks(net);
  if (!socks) return;
  let type: CtnlEvent["type"];
  let group: number;
  if (events & (1 << IPCT_DESTROY)) {
    type = "DESTROY";
    group = CT_GROUP_DESTROY;
  } else if (events & ((1 << IPCT_NEW) | (1 << IPCT_RELATED))) {
    type = "NEW";
    group = CT_GROUP_NEW;
  } else {
    type = "UPDATE";
    group = CT_GROUP_UPDATE;
  }
  let msg: CtnlEvent | undefined;
  for (const sk of socks) {
    if (!(sk.groups & group)) continue;
    msg ??= {
      type,
      entry: ctnlFill(net, c),
      markShown: c.mark !== 0 || (events & (1 << IPCT_MARK)) !== 0,
      portid,
    };
    sk.queue.push(msg);
  }
}
