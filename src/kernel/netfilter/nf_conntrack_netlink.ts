// ctnetlink (net/netfilter/nf_conntrack_netlink.c) as typed data: what IPCTNL_MSG_CT_GET dumps,
// IPCTNL_MSG_CT_DELETE removes, and the count IPCTNL_MSG_CT_GET_STATS_CPU adds up. conntrack(8)
// filters and prints in userland, as conntrack-tools does.
import type { Net } from "../net_namespace.js";
import {
  type NfConn,
  nfConntrackCount,
  nfCtDelete,
  nfCtExpiresSeconds,
  nfCtForEach,
} from "./nf_conntrack.js";

/** One connection as ctnetlink reports it (CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_STATUS …). */
export interface CtnlEntry {
  /** A handle for IPCTNL_MSG_CT_DELETE (CTA_ID). */
  readonly id: NfConn;
  readonly proto: number;
  readonly orig: {
    readonly src: number;
    readonly dst: number;
    readonly sport: number;
    readonly dport: number;
  };
  readonly reply: {
    readonly src: number;
    readonly dst: number;
    readonly sport: number;
    readonly dport: number;
  };
  readonly status: number;
  /** CTA_TIMEOUT: seconds left. */
  readonly timeout: number;
  /** CTA_PROTOINFO_TCP_STATE (enum tcp_conntrack); 0 for other protocols. */
  readonly tcpState: number;
  readonly mark: number;
  readonly use: number;
}

/** ctnetlink_fill_info: the connection's attributes now. */
export function ctnlFill(net: Net, c: NfConn): CtnlEntry {
  return {
    id: c,
    proto: c.proto,
    orig: { src: c.os, dst: c.od, sport: c.osp, dport: c.odp },
    reply: { src: c.rs, dst: c.rd, sport: c.rsp, dport: c.rdp },
    status: c.status,
    timeout: nfCtExpiresSeconds(net, c),
    tcpState: c.proto === 6 ? c.state : 0,
    mark: c.mark >>> 0,
    use: c.use,
  };
}

export function ctnlDump(net: Net): CtnlEntry[] {
  const out: CtnlEntry[] = [];
  nfCtForEach(net, (c) => {
    out.push(ctnlFill(net, c));
  });
  return out;
}

/**
 * IPCTNL_MSG_CT_DELETE by id: false (ENOENT) when it is already gone. `portid` is the requesting
 * socket's, reported with the IPCT_DESTROY event.
 */
export function ctnlDelete(net: Net, e: CtnlEntry, portid: number): boolean {
  const c = e.id;
  if (c.status & (1 << 9)) return false;
  nfCtDelete(net, c, portid);
  return true;
}

/** IPCTNL_MSG_CT_DELETE without a tuple: the whole table. */
export function ctnlFlush(net: Net, portid: number): void {
  nfCtForEach(net, (c) => nfCtDelete(net, c, portid));
}

export function ctnlCount(net: Net): number {
  return nfConntrackCount(net);
}
