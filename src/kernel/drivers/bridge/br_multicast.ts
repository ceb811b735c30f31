// Multicast snooping (net/bridge/br_multicast.c, br_mdb.c). With snooping on, an open bridge
// listens for multicast router advertisements (RFC 4286) on 224.0.0.106, joined on the bridge
// device itself (br_multicast_join_snoopers), and leaves the group when it stops or when snooping
// is turned off.
//
// The multicast database (MDB) holds, per group, the ports behind which a host joined it (port
// groups) and whether the bridge's own stack joined it (host_joined). IGMP reports heard on a port
// add the port (RTPROT_KERNEL) for multicast_membership_interval; a leave shortens that to
// last_member_count * last_member_interval; `bridge mdb add` adds permanent or temp entries
// (RTPROT_STATIC). With the bridge in IGMPv2 mode (its default), an IGMPv3 report is read as a
// v2 join or leave per record, as br_ip4_multicast_igmp3_report does.
//
// Not modelled: queries and the querier (no query is sent or heard, so no router ports are learned
// and br_multicast_querier_exists is false: forwarding still floods, as the kernel does without a
// querier), IGMPv3 source filtering (a bridge set to igmp_version 3 still reads reports the v2
// way), (S,G) entries, MLD, per-VLAN contexts, and port groups of one group ordered the kernel's
// way (by the port's address in memory): here the newest port is first.

import { internetChecksum } from "../../../wire/checksum.js";
import type { TimerEvent } from "../../clock.js";
import { rtnlNotify } from "../../core/rtnetlink.js";
import type { SkBuff } from "../../core/skbuff.js";
import {
  INADDR_ALLSNOOPERS_GROUP,
  ipMcDecGroup,
  ipMcIncGroup,
  ipv4IsLocalMulticast,
} from "../../ipv4/igmp.js";
import { KernelError } from "../../syscalls.js";
import { RTPROT_KERNEL, RTPROT_STATIC, type RtMdbEntry } from "../../uapi.js";
import { type Bridge, type BridgePort, JIFFY_NS } from "./br_private.js";

const ETH_P_IP = 0x0800;
const IPPROTO_IGMP = 2;
const IGMP_HOST_MEMBERSHIP_REPORT = 0x12;
const IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;
const IGMP_HOST_LEAVE_MESSAGE = 0x17;
const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;
const IGMPV3_MODE_IS_INCLUDE = 1;
const IGMPV3_CHANGE_TO_INCLUDE = 3;
const IGMPV3_BLOCK_OLD_SOURCES = 6;
/** MDB_TEMPORARY / MDB_PERMANENT */
export const MDB_TEMPORARY = 0;
export const MDB_PERMANENT = 1;

/** struct br_ip: the group, keyed by protocol (ETH_P_IP, ETH_P_IPV6, 0 for an L2 address) and vid. */
export interface BrIp {
  readonly proto: number;
  readonly addr: Uint8Array;
  readonly vid: number;
}

/** struct net_bridge_port_group */
export interface BrPortGroup {
  readonly port: BridgePort;
  /** MDB_PG_FLAGS_PERMANENT */
  readonly permanent: boolean;
  readonly rtProtocol: number;
  timer: (TimerEvent & { readonly expires: number }) | undefined;
}

/** struct net_bridge_mdb_entry */
export interface BrMdbEntry {
  readonly addr: BrIp;
  ports: BrPortGroup[];
  hostJoined: boolean;
  /** mp->timer: the host's membership, and the entry's removal once nothing holds it. */
  timer: (TimerEvent & { readonly expires: number }) | undefined;
}

/** br_ip4_multicast_join_snoopers */
export function brMulticastJoinSnoopers(br: Bridge): void {
  const inDev = br.dev.inDev;
  if (inDev) ipMcIncGroup(inDev, INADDR_ALLSNOOPERS_GROUP);
}

/** br_ip4_multicast_leave_snoopers */
export function brMulticastLeaveSnoopers(br: Bridge): void {
  const inDev = br.dev.inDev;
  if (inDev) ipMcDecGroup(inDev, INADDR_ALLSNOOPERS_GROUP);
}

function jiffies(br: Bridge): number {
  return Math.floor(br.dev.net.host.clock.now / JIFFY_NS);
}

function delTimer(br: Bridge, t: TimerEvent | undefined): undefined {
  if (t && !t.cancelled) br.dev.net.host.clock.cancel(t);
  return undefined;
}

function timerPending(t: TimerEvent | undefined): boolean {
  return t !== undefined && !t.cancelled;
}

/** mod_timer(timer, expires): a timer wheel event at that jiffy. */
function modTimer(
  br: Bridge,
  old: TimerEvent | undefined,
  expires: number,
  run: () => void,
): TimerEvent & { readonly expires: number } {
  delTimer(br, old);
  const delay = Math.max(0, expires - jiffies(br));
  const ev = br.dev.net.host.clock.scheduleTimer(delay * JIFFY_NS, () => {
    (ev as { cancelled: boolean }).cancelled = true;
    run();
  });
  return Object.assign(ev, { expires: jiffies(br) + delay });
}

function brIpEqual(a: BrIp, b: BrIp): boolean {
  return a.proto === b.proto && a.vid === b.vid && a.addr.every((x, i) => x === b.addr[i]);
}

/** br_mdb_ip_get */
export function brMdbIpGet(br: Bridge, group: BrIp): BrMdbEntry | undefined {
  return br.mdb.find((mp) => brIpEqual(mp.addr, group));
}

/** br_multicast_new_group: hlist_add_head puts the newest group first in mdb_list. */
function brMulticastNewGroup(br: Bridge, group: BrIp): BrMdbEntry {
  const found = brMdbIpGet(br, group);
  if (found) return found;
  if (br.mdb.length >= br.mcast.hashMax) {
    // The table is full: snooping turns itself off (br_opt_toggle(BROPT_MULTICAST_ENABLED)).
    br.multicastSnooping = false;
    throw new KernelError("E2BIG");
  }
  const mp: BrMdbEntry = { addr: group, ports: [], hostJoined: false, timer: undefined };
  br.mdb = [mp, ...br.mdb];
  return mp;
}

/** br_multicast_del_mdb_entry */
function brMulticastDelMdbEntry(br: Bridge, mp: BrMdbEntry): void {
  mp.timer = delTimer(br, mp.timer);
  br.mdb = br.mdb.filter((e) => e !== mp);
}

/** __mdb_fill_info: the host entry (`pg` undefined) or a port's, with what is left of its timer. */
export function brMdbFillEntry(br: Bridge, mp: BrMdbEntry, pg: BrPortGroup | undefined): RtMdbEntry {
  const base = { flags: 0, vid: mp.addr.vid, proto: mp.addr.proto, addr: mp.addr.addr.slice() };
  if (!pg)
    return { ...base, ifindex: br.dev.ifindex, state: MDB_TEMPORARY, timer: brMdbTimerValue(br, mp.timer) };
  return {
    ...base,
    ifindex: pg.port.dev.ifindex,
    state: pg.permanent ? MDB_PERMANENT : MDB_TEMPORARY,
    timer: brMdbTimerValue(br, pg.timer),
    rtprot: pg.rtProtocol,
  };
}

/** br_mdb_notify: RTM_NEWMDB or RTM_DELMDB to RTNLGRP_MDB. */
function brMdbNotify(br: Bridge, mp: BrMdbEntry, pg: BrPortGroup | undefined, deleted: boolean): void {
  rtnlNotify(br.dev.net, {
    kind: "mdb",
    deleted,
    fill: () => ({ ifindex: br.dev.ifindex, entry: brMdbFillEntry(br, mp, pg) }),
  });
}

/** br_multicast_group_expired: the host's membership ended; the entry goes when no port holds it. */
function brMulticastGroupExpired(br: Bridge, mp: BrMdbEntry): void {
  mp.timer = undefined;
  if (!br.dev.registered || !(br.dev.flags & 1) || !br.mdb.includes(mp)) return;
  // br_multicast_host_leave(mp, true)
  if (mp.hostJoined) {
    mp.hostJoined = false;
    brMdbNotify(br, mp, undefined, true);
  }
  if (mp.ports.length) return;
  brMulticastDelMdbEntry(br, mp);
}

/** br_multicast_del_pg: the port leaves the group; an empty entry is removed at once (mod_timer(jiffies)). */
function brMulticastDelPg(br: Bridge, mp: BrMdbEntry, pg: BrPortGroup): void {
  pg.timer = delTimer(br, pg.timer);
  mp.ports = mp.ports.filter((p) => p !== pg);
  brMdbNotify(br, mp, pg, true);
  if (!mp.ports.length && !mp.hostJoined && br.dev.flags & 1)
    mp.timer = modTimer(br, mp.timer, jiffies(br), () => brMulticastGroupExpired(br, mp));
}

/** br_multicast_port_group_expired */
function brMulticastPortGroupExpired(br: Bridge, mp: BrMdbEntry, pg: BrPortGroup): void {
  pg.timer = undefined;
  if (!(br.dev.flags & 1) || !mp.ports.includes(pg) || pg.permanent) return;
  brMulticastDelPg(br, mp, pg);
}

/** br_multicast_host_join: a join the bridge's own stack sent is announced (`notify`). */
function brMulticastHostJoin(br: Bridge, mp: BrMdbEntry, notify: boolean): void {
  if (!mp.hostJoined) {
    mp.hostJoined = true;
    if (notify) brMdbNotify(br, mp, undefined, false);
  }
  if (mp.addr.proto === 0) return;
  mp.timer = modTimer(br, mp.timer, jiffies(br) + br.mcast.membershipInterval, () =>
    brMulticastGroupExpired(br, mp),
  );
}

function newPortGroup(
  br: Bridge,
  mp: BrMdbEntry,
  port: BridgePort,
  permanent: boolean,
  rtProtocol: number,
): BrPortGroup {
  const pg: BrPortGroup = { port, permanent, rtProtocol, timer: undefined };
  mp.ports = [pg, ...mp.ports];
  // A group that lost its last holder was queued for removal; a new port keeps it.
  if (!mp.hostJoined) mp.timer = delTimer(br, mp.timer);
  return pg;
}

/** br_multicast_add_group: a join heard on a port (or sent by the bridge's own stack: `p` undefined). */
function brMulticastAddGroup(br: Bridge, p: BridgePort | undefined, group: BrIp): void {
  if (!(br.dev.flags & 1) || (p && p.state === "disabled")) return;
  let mp: BrMdbEntry;
  try {
    mp = brMulticastNewGroup(br, group);
  } catch {
    return;
  }
  if (!p) {
    brMulticastHostJoin(br, mp, true);
    return;
  }
  let pg = mp.ports.find((q) => q.port === p);
  if (!pg) {
    pg = newPortGroup(br, mp, p, false, RTPROT_KERNEL);
    brMdbNotify(br, mp, pg, false);
  }
  const joined = pg;
  // igmpv2_mldv1: the membership is renewed.
  joined.timer = modTimer(br, joined.timer, jiffies(br) + br.mcast.membershipInterval, () =>
    brMulticastPortGroupExpired(br, mp, joined),
  );
}

/** br_multicast_leave_group: no querier to ask, so members left have last_member_count intervals. */
function brMulticastLeaveGroup(br: Bridge, p: BridgePort | undefined, group: BrIp): void {
  if (!(br.dev.flags & 1) || (p && p.state === "disabled")) return;
  const mp = brMdbIpGet(br, group);
  if (!mp) return;
  if (p?.fastLeave) {
    const pg = mp.ports.find((q) => q.port === p);
    if (pg && !pg.permanent) brMulticastDelPg(br, mp, pg);
    return;
  }
  const time = jiffies(br) + br.mcast.lastMemberCount * br.mcast.lastMemberInterval;
  if (!p) {
    if (mp.hostJoined && (!timerPending(mp.timer) || (mp.timer as { expires: number }).expires > time))
      mp.timer = modTimer(br, mp.timer, time, () => brMulticastGroupExpired(br, mp));
    return;
  }
  const pg = mp.ports.find((q) => q.port === p);
  if (!pg) return;
  if (!timerPending(pg.timer) || (pg.timer as { expires: number }).expires > time)
    pg.timer = modTimer(br, pg.timer, time, () => brMulticastPortGroupExpired(br, mp, pg));
}

function ip4Group(addr: number): BrIp {
  return {
    proto: ETH_P_IP,
    addr: Uint8Array.of(addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255),
    vid: 0,
  };
}

/** br_ip4_multicast_add_group: link-local groups (224.0.0.x) are never snooped. */
function brIp4MulticastAddGroup(br: Bridge, p: BridgePort | undefined, group: number): void {
  if (ipv4IsLocalMulticast(group)) return;
  brMulticastAddGroup(br, p, ip4Group(group));
}

/** br_ip4_multicast_leave_group */
function brIp4MulticastLeaveGroup(br: Bridge, p: BridgePort | undefined, group: number): void {
  if (ipv4IsLocalMulticast(group)) return;
  brMulticastLeaveGroup(br, p, ip4Group(group));
}

function u32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}

/** br_ip4_multicast_igmp3_report, the IGMPv2 way (multicast_igmp_version 2). */
function brIp4MulticastIgmp3Report(
  br: Bridge,
  p: BridgePort | undefined,
  d: Uint8Array,
  ig: number,
  end: number,
): void {
  const num = ((d[ig + 6] as number) << 8) | (d[ig + 7] as number);
  let at = ig + 8;
  for (let i = 0; i < num; i++) {
    if (at + 8 > end) return;
    const type = d[at] as number;
    const auxLen = d[at + 1] as number;
    const nsrcs = ((d[at + 2] as number) << 8) | (d[at + 3] as number);
    const group = u32(d, at + 4);
    const len = 8 + nsrcs * 4 + auxLen * 4;
    if (at + len > end) return;
    at += len;
    if (type < IGMPV3_MODE_IS_INCLUDE || type > IGMPV3_BLOCK_OLD_SOURCES) continue;
    if ((type === IGMPV3_CHANGE_TO_INCLUDE || type === IGMPV3_MODE_IS_INCLUDE) && nsrcs === 0)
      brIp4MulticastLeaveGroup(br, p, group);
    else brIp4MulticastAddGroup(br, p, group);
  }
}

/**
 * br_multicast_rcv → br_multicast_ipv4_rcv: IGMP in a multicast frame (heard on port `p`, or sent
 * by the bridge's own stack). Returns false when ip_mc_check_igmp finds the IGMP message broken:
 * the bridge drops such a frame.
 */
export function brMulticastRcv(br: Bridge, p: BridgePort | undefined, skb: SkBuff): boolean {
  if (!br.multicastSnooping) return true;
  const d = skb.data;
  const eth = skb.macHeader;
  if (eth + 14 > skb.tail || (((d[eth + 12] as number) << 8) | (d[eth + 13] as number)) !== ETH_P_IP)
    return true;
  // ip_mc_check_iphdr: a whole IPv4 header with a valid checksum, its length within the frame;
  // anything else is -EINVAL, and the bridge drops the frame, whatever its protocol.
  const ip = eth + 14;
  if (ip + 20 > skb.tail) return false;
  const ihl = ((d[ip] as number) & 15) * 4;
  const totLen = ((d[ip + 2] as number) << 8) | (d[ip + 3] as number);
  if ((d[ip] as number) >> 4 !== 4 || ihl < 20 || ip + ihl > skb.tail) return false;
  if (totLen < ihl || ip + totLen > skb.tail || internetChecksum(d, ip, ip + ihl) !== 0) return false;
  // Not IGMP: -ENOMSG, the frame goes on.
  if (d[ip + 9] !== IPPROTO_IGMP) return true;
  // ip_mc_check_igmp: the message's length for its type, and its checksum.
  const ig = ip + ihl;
  const end = ip + totLen;
  if (end - ig < 8 || internetChecksum(d, ig, end) !== 0) return false;
  switch (d[ig]) {
    case IGMP_HOST_MEMBERSHIP_REPORT:
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
      brIp4MulticastAddGroup(br, p, u32(d, ig + 4));
      return true;
    case IGMPV3_HOST_MEMBERSHIP_REPORT:
      brIp4MulticastIgmp3Report(br, p, d, ig, end);
      return true;
    case IGMP_HOST_LEAVE_MESSAGE:
      brIp4MulticastLeaveGroup(br, p, u32(d, ig + 4));
      return true;
    default:
      return true;
  }
}

/**
 * br_multicast_disable_port: a disabled port loses the groups it learned or was given temp
 * (`all`: br_multicast_del_port, a port leaving the bridge, loses its permanent ones too).
 */
export function brMulticastDisablePort(p: BridgePort, all: boolean): void {
  const br = p.br;
  for (const mp of [...br.mdb]) {
    const pg = mp.ports.find((q) => q.port === p);
    if (pg && (all || !pg.permanent)) brMulticastDelPg(br, mp, pg);
  }
}

/** Snooping turned off: every port's non-permanent groups go, as a disabled port's do. */
export function brMulticastToggleOff(br: Bridge): void {
  for (const p of br.ports) brMulticastDisablePort(p, false);
}

/** br_multicast_dev_del: the bridge goes, and its database with it. */
export function brMulticastDevDel(br: Bridge): void {
  for (const mp of [...br.mdb]) {
    for (const pg of mp.ports) pg.timer = delTimer(br, pg.timer);
    brMulticastDelMdbEntry(br, mp);
  }
}

/** The configuration a RTM_NEWMDB / RTM_DELMDB names (struct br_mdb_config). */
export interface BrMdbConfig {
  /** The port, or undefined for the bridge itself (a host entry). */
  readonly port: BridgePort | undefined;
  readonly group: BrIp;
  readonly state: number;
}

/** br_mdb_config_init's checks against the bridge: running, snooping, a port of its own. */
export function brMdbConfigCheck(
  br: Bridge,
  cfg: { readonly portIndex: number; readonly group: BrIp; readonly state: number },
): BrMdbConfig {
  if (!(br.dev.flags & 1)) throw new KernelError("EINVAL", "bridge: Bridge device is not running");
  if (!br.multicastSnooping)
    throw new KernelError("EINVAL", "bridge: Bridge's multicast processing is disabled");
  let port: BridgePort | undefined;
  if (cfg.portIndex !== br.dev.ifindex) {
    const pdev = br.dev.net.devByIndex.get(cfg.portIndex);
    if (!pdev) throw new KernelError("ENODEV", "bridge: Port net device doesn't exist");
    const master = pdev.master;
    port =
      master?.ops.kind === "bridge" ? (master.priv as Bridge).ports.find((q) => q.dev === pdev) : undefined;
    if (!port) throw new KernelError("EINVAL", "bridge: Net device is not a bridge port");
    if (port.br !== br) throw new KernelError("EINVAL", "bridge: Port belongs to a different bridge device");
  }
  const g = cfg.group;
  if (g.proto === ETH_P_IP && g.addr.every((b) => b === 0))
    throw new KernelError("EINVAL", "bridge: IPv4 entry group address 0.0.0.0 is not allowed");
  if (g.proto !== ETH_P_IP && g.proto !== 0 && g.addr.every((b) => b === 0))
    throw new KernelError("EINVAL", "bridge: IPv6 entry group address :: is not allowed");
  return { port, group: g, state: cfg.state };
}

/** br_mdb_add → br_mdb_add_group: a host or port entry added by hand (RTPROT_STATIC). */
export function brMdbAdd(br: Bridge, cfg: BrMdbConfig): void {
  const p = cfg.port;
  if (p && p.state === "disabled" && cfg.state !== MDB_PERMANENT)
    throw new KernelError("EINVAL", "bridge: Port is in disabled state and entry is not permanent");
  if (!p && cfg.state) throw new KernelError("EINVAL", "bridge: Flags are not allowed for host groups");
  if (cfg.group.proto === 0 && cfg.state !== MDB_PERMANENT)
    throw new KernelError("EINVAL", "bridge: Only permanent L2 entries allowed");
  const mp = brMulticastNewGroup(br, cfg.group);
  if (!p) {
    if (mp.hostJoined) throw new KernelError("EEXIST", "bridge: Group is already joined by host");
    brMulticastHostJoin(br, mp, false);
    brMdbNotify(br, mp, undefined, false);
    return;
  }
  if (mp.ports.some((q) => q.port === p))
    throw new KernelError("EEXIST", "bridge: (*, G) group is already joined by port");
  const pg = newPortGroup(br, mp, p, cfg.state === MDB_PERMANENT, RTPROT_STATIC);
  if (!pg.permanent)
    pg.timer = modTimer(br, pg.timer, jiffies(br) + br.mcast.membershipInterval, () =>
      brMulticastPortGroupExpired(br, mp, pg),
    );
  brMdbNotify(br, mp, pg, false);
}

/** br_mdb_del → __br_mdb_del: whatever its state; an entry that is not there is EINVAL. */
export function brMdbDel(br: Bridge, cfg: BrMdbConfig): void {
  const mp = brMdbIpGet(br, cfg.group);
  if (!mp) throw new KernelError("EINVAL");
  const p = cfg.port;
  if (!p) {
    if (!mp.hostJoined) throw new KernelError("EINVAL");
    // br_multicast_host_leave(mp, false), announced, then the entry goes at once if no port holds it.
    mp.hostJoined = false;
    brMdbNotify(br, mp, undefined, true);
    if (!mp.ports.length && br.dev.flags & 1)
      mp.timer = modTimer(br, mp.timer, jiffies(br), () => brMulticastGroupExpired(br, mp));
    return;
  }
  const pg = mp.ports.find((q) => q.port === p);
  if (!pg) throw new KernelError("EINVAL");
  brMulticastDelPg(br, mp, pg);
}

/** br_timer_value in USER_HZ ticks: what is left of a pending timer, 0 for none. */
export function brMdbTimerValue(
  br: Bridge,
  t: (TimerEvent & { readonly expires: number }) | undefined,
): number {
  if (!timerPending(t)) return 0;
  const left = Math.max(0, (t as { expires: number }).expires - jiffies(br));
  return Math.floor((left * 100) / 250);
}
