// The bridge's rtnetlink side (net/bridge/br_netlink.c): IFLA_INFO_DATA of a bridge
// (br_fill_info, br_changelink) and the IFLA_BRPORT_* of a port (br_port_fill_attrs, br_setport),
// as a kernel built without CONFIG_BRIDGE_VLAN_FILTERING has them.
import {
  devGetFlags,
  devGetIflink,
  devReportedOperstate,
  netifOperUp,
  netifRunning,
} from "../../core/dev.js";
import { rtnlNotify, rtnlWanted } from "../../core/rtnetlink.js";
import { KernelError } from "../../syscalls.js";
import type {
  BridgeInfoData,
  BridgeInfoReq,
  BrPortReq,
  RtBridgeLinkEvent,
  RtBridgePortInfo,
} from "../../uapi.js";
import { brFdbDeleteByPort, fdbDelete } from "./br_fdb.js";
import { brMulticastJoinSnoopers, brMulticastLeaveSnoopers, brMulticastToggleOff } from "./br_multicast.js";
import {
  type Bridge,
  type BridgePort,
  brPortOf,
  clockTToJiffies,
  JIFFY_NS,
  jiffiesToClockT,
} from "./br_private.js";
import {
  brBridgeId,
  brPortStateSelection,
  brSetAgeingTime,
  brSetForwardDelay,
  brSetHelloTime,
  brSetMaxAge,
  brSetState,
  brStpSetBridgePriority,
  brStpSetEnabled,
  brStpSetPathCost,
  brStpSetPortPriority,
  brTimerValue,
} from "./br_stp.js";

const HZ = 250;
/** RHT_ELASTICITY: what IFLA_BR_MCAST_HASH_ELASTICITY always reports (the option is deprecated). */
const RHT_ELASTICITY = 16;
/** BR_GROUPFWD_RESTRICTED: STP, MAC pause and 802.3ad may not be forwarded. */
const BR_GROUPFWD_RESTRICTED = 0x0007;
const BR_GROUPFWD_MACPAUSE = 0x0002;
const BR_BOOLOPT_NO_LL_LEARN = 0;
const BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;
/** The boolopts this kernel reports in IFLA_BR_MULTI_BOOLOPT's mask (BR_BOOLOPT_MAX = 4). */
const BR_BOOLOPT_MASK = 0x0f;
const BR_STATE_NAMES: readonly BridgePort["state"][] = [
  "disabled",
  "listening",
  "learning",
  "forwarding",
  "blocking",
];

/** br_fill_info */
export function brFillInfo(br: Bridge): BridgeInfoData {
  const id = brBridgeId(br);
  const m = br.mcast;
  const bridgeId = { prio: id.prio, addr: id.addr.slice() };
  return {
    forwardDelay: jiffiesToClockT(br.forwardDelay),
    helloTime: jiffiesToClockT(br.helloTime),
    maxAge: jiffiesToClockT(br.maxAge),
    ageingTime: jiffiesToClockT(Math.floor(br.ageingTime / JIFFY_NS)),
    stpState: br.stpEnabled,
    priority: br.bridgePrio,
    vlanFiltering: 0,
    bridgeId,
    rootId: { prio: br.designatedRoot.prio, addr: br.designatedRoot.addr.slice() },
    rootPort: br.rootPort,
    rootPathCost: br.rootPathCost,
    topologyChange: br.topologyChange ? 1 : 0,
    topologyChangeDetected: br.topologyChangeDetected ? 1 : 0,
    helloTimer: brTimerValue(br, br.helloTimer),
    tcnTimer: brTimerValue(br, br.tcnTimer),
    topologyChangeTimer: brTimerValue(br, br.topologyChangeTimer),
    gcTimer: brTimerValue(br, br.gcTimer),
    groupFwdMask: br.groupFwdMask,
    groupAddr: br.groupAddr.slice(),
    multiBoolopt: { optval: br.noLinklocalLearn ? 1 << BR_BOOLOPT_NO_LL_LEARN : 0, optmask: BR_BOOLOPT_MASK },
    mcastRouter: m.router,
    mcastSnooping: br.multicastSnooping ? 1 : 0,
    mcastQueryUseIfaddr: m.queryUseIfaddr ? 1 : 0,
    mcastQuerier: m.querier,
    mcastStatsEnabled: m.statsEnabled ? 1 : 0,
    mcastHashElasticity: RHT_ELASTICITY,
    mcastHashMax: m.hashMax,
    mcastLastMemberCnt: m.lastMemberCount,
    mcastStartupQueryCnt: m.startupQueryCount,
    mcastIgmpVersion: m.igmpVersion,
    mcastMldVersion: m.mldVersion,
    mcastLastMemberIntvl: jiffiesToClockT(m.lastMemberInterval),
    mcastMembershipIntvl: jiffiesToClockT(m.membershipInterval),
    mcastQuerierIntvl: jiffiesToClockT(m.querierInterval),
    mcastQueryIntvl: jiffiesToClockT(m.queryInterval),
    mcastQueryResponseIntvl: jiffiesToClockT(m.queryResponseInterval),
    mcastStartupQueryIntvl: jiffiesToClockT(m.startupQueryInterval),
    nfCallIptables: br.nfCallIptables ? 1 : 0,
    nfCallIp6tables: br.nfCallIp6tables ? 1 : 0,
    nfCallArptables: br.nfCallArptables ? 1 : 0,
  };
}

/** is_link_local_ether_addr: 01:80:c2:00:00:0X. */
function isLinkLocalEtherAddr(a: Uint8Array): boolean {
  return (
    a[0] === 0x01 &&
    a[1] === 0x80 &&
    a[2] === 0xc2 &&
    a[3] === 0 &&
    a[4] === 0 &&
    ((a[5] as number) & 0xf0) === 0
  );
}

/** br_multicast_set_query_intvl / _startup_query_intvl: at least BR_MULTICAST_QUERY_INTVL_MIN (1 s). */
function clampQueryIntvl(clockT: number): number {
  return Math.max(clockTToJiffies(clockT), HZ);
}

/**
 * br_changelink: attributes apply in the kernel's order, not the command line's; the first that
 * fails stops the rest (what came before it stays).
 */
export function brChangelink(br: Bridge, d: BridgeInfoReq): void {
  if (d.forwardDelay !== undefined) brSetForwardDelay(br, d.forwardDelay);
  if (d.helloTime !== undefined) brSetHelloTime(br, d.helloTime);
  if (d.maxAge !== undefined) brSetMaxAge(br, d.maxAge);
  if (d.ageingTime !== undefined) brSetAgeingTime(br, d.ageingTime);
  if (d.stpState !== undefined) brStpSetEnabled(br, d.stpState);
  if (d.priority !== undefined) brStpSetBridgePriority(br, d.priority);
  // br_vlan_filter_toggle without CONFIG_BRIDGE_VLAN_FILTERING
  if (d.vlanFiltering !== undefined) throw new KernelError("EOPNOTSUPP");
  if (d.groupFwdMask !== undefined) {
    if (d.groupFwdMask & BR_GROUPFWD_RESTRICTED) throw new KernelError("EINVAL");
    br.groupFwdMask = d.groupFwdMask;
  }
  if (d.groupAddr !== undefined) {
    const a = d.groupAddr;
    if (a.length !== 6 || !isLinkLocalEtherAddr(a) || a[5] === 1 || a[5] === 2 || a[5] === 3)
      throw new KernelError("EINVAL");
    br.groupAddr = a.slice();
  }
  if (d.fdbFlush) {
    // br_fdb_flush with flags_mask BR_FDB_STATIC: every entry that is not static.
    for (const f of [...br.fdbList]) if (!f.isStatic) fdbDelete(br, f);
  }
  if (d.mcastRouter !== undefined) {
    // br_multicast_set_router: disabled, temp_query or perm.
    if (d.mcastRouter > 2) throw new KernelError("EINVAL");
    br.mcast.router = d.mcastRouter;
  }
  if (d.mcastSnooping !== undefined && br.multicastSnooping !== (d.mcastSnooping !== 0)) {
    // br_multicast_toggle: an open bridge joins or leaves the snoopers' group at once.
    br.multicastSnooping = d.mcastSnooping !== 0;
    if (!br.multicastSnooping) brMulticastToggleOff(br);
    if (netifRunning(br.dev)) {
      if (br.multicastSnooping) brMulticastJoinSnoopers(br);
      else brMulticastLeaveSnoopers(br);
    }
  }
  if (d.mcastQueryUseIfaddr !== undefined) br.mcast.queryUseIfaddr = d.mcastQueryUseIfaddr !== 0;
  if (d.mcastQuerier !== undefined) br.mcast.querier = d.mcastQuerier ? 1 : 0;
  if (d.mcastHashMax !== undefined) br.mcast.hashMax = d.mcastHashMax;
  if (d.mcastLastMemberCnt !== undefined) br.mcast.lastMemberCount = d.mcastLastMemberCnt;
  if (d.mcastStartupQueryCnt !== undefined) br.mcast.startupQueryCount = d.mcastStartupQueryCnt;
  if (d.mcastLastMemberIntvl !== undefined)
    br.mcast.lastMemberInterval = clockTToJiffies(d.mcastLastMemberIntvl);
  if (d.mcastMembershipIntvl !== undefined)
    br.mcast.membershipInterval = clockTToJiffies(d.mcastMembershipIntvl);
  if (d.mcastQuerierIntvl !== undefined) br.mcast.querierInterval = clockTToJiffies(d.mcastQuerierIntvl);
  if (d.mcastQueryIntvl !== undefined) br.mcast.queryInterval = clampQueryIntvl(d.mcastQueryIntvl);
  if (d.mcastQueryResponseIntvl !== undefined)
    br.mcast.queryResponseInterval = clockTToJiffies(d.mcastQueryResponseIntvl);
  if (d.mcastStartupQueryIntvl !== undefined)
    br.mcast.startupQueryInterval = clampQueryIntvl(d.mcastStartupQueryIntvl);
  if (d.mcastStatsEnabled !== undefined) br.mcast.statsEnabled = d.mcastStatsEnabled !== 0;
  if (d.mcastIgmpVersion !== undefined) {
    if (d.mcastIgmpVersion !== 2 && d.mcastIgmpVersion !== 3) throw new KernelError("EINVAL");
    br.mcast.igmpVersion = d.mcastIgmpVersion;
  }
  if (d.mcastMldVersion !== undefined) {
    if (d.mcastMldVersion !== 1 && d.mcastMldVersion !== 2) throw new KernelError("EINVAL");
    br.mcast.mldVersion = d.mcastMldVersion;
  }
  if (d.nfCallIptables !== undefined) br.nfCallIptables = d.nfCallIptables !== 0;
  if (d.nfCallIp6tables !== undefined) br.nfCallIp6tables = d.nfCallIp6tables !== 0;
  if (d.nfCallArptables !== undefined) br.nfCallArptables = d.nfCallArptables !== 0;
  if (d.multiBoolopt !== undefined) {
    // br_boolopt_multi_toggle
    const { optval, optmask } = d.multiBoolopt;
    if (optmask & (1 << BR_BOOLOPT_NO_LL_LEARN))
      br.noLinklocalLearn = (optval & (1 << BR_BOOLOPT_NO_LL_LEARN)) !== 0;
    if (optmask & (1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING) && optval & (1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING))
      throw new KernelError(
        "EINVAL",
        "bridge: Cannot enable multicast vlan snooping with vlan filtering disabled",
      );
  }
}

/** br_port_fill_attrs */
export function brPortFillAttrs(p: BridgePort): RtBridgePortInfo {
  const br = p.br;
  return {
    state: BR_STATE_NAMES.indexOf(p.state),
    priority: p.priority,
    cost: p.pathCost,
    mode: p.hairpin,
    guard: p.guard,
    protect: p.rootBlock,
    fastLeave: p.fastLeave,
    mcastToUcast: p.mcastToUcast,
    learning: p.learning,
    unicastFlood: p.flood,
    mcastFlood: p.mcastFlood,
    bcastFlood: p.bcastFlood,
    proxyArp: p.proxyArp,
    proxyArpWifi: p.proxyArpWifi,
    rootId: { prio: p.designatedRoot.prio, addr: p.designatedRoot.addr.slice() },
    bridgeId: { prio: p.designatedBridge.prio, addr: p.designatedBridge.addr.slice() },
    designatedPort: p.designatedPort,
    designatedCost: p.designatedCost,
    id: p.portId,
    no: p.portNo,
    topologyChangeAck: p.topologyChangeAck ? 1 : 0,
    configPending: p.configPending ? 1 : 0,
    vlanTunnel: p.vlanTunnel,
    groupFwdMask: p.groupFwdMask,
    neighSuppress: p.neighSuppress,
    isolated: p.isolated,
    locked: p.locked,
    messageAgeTimer: brTimerValue(br, p.messageAgeTimer),
    forwardDelayTimer: brTimerValue(br, p.forwardDelayTimer),
    holdTimer: brTimerValue(br, p.holdTimer),
    mcastRouter: p.mcastRouter,
    ...(p.backupPort ? { backupPort: p.backupPort.dev.ifindex } : {}),
  };
}

/**
 * br_fill_ifinfo for a port's notification: what an AF_BRIDGE RTM_GETLINK dump reports, without
 * IFLA_PROTINFO in an RTM_DELLINK.
 */
export function brFillIfinfo(p: BridgePort, deleted: boolean): RtBridgeLinkEvent {
  const dev = p.dev;
  const iflink = devGetIflink(dev);
  return {
    ifindex: dev.ifindex,
    ifname: dev.name,
    flags: devGetFlags(dev),
    mtu: dev.mtu,
    master: p.br.dev.ifindex,
    operstate: devReportedOperstate(dev),
    address: dev.address.slice(),
    ...(iflink !== dev.ifindex ? { link: iflink } : {}),
    ...(deleted ? {} : { protinfo: brPortFillAttrs(p) }),
  };
}

/** br_ifinfo_notify: a port's RTM_NEWLINK (or RTM_DELLINK) of family AF_BRIDGE to RTNLGRP_LINK. */
export function brIfinfoNotify(event: "RTM_NEWLINK" | "RTM_DELLINK", p: BridgePort): void {
  if (!rtnlWanted(p.dev.net)) return;
  const deleted = event === "RTM_DELLINK";
  rtnlNotify(p.dev.net, { kind: "brlink", deleted, fill: () => brFillIfinfo(p, deleted) });
}

/** br_set_port_state: only by hand while kernel STP is off, and a port that is not up may only be disabled. */
function brSetPortState(p: BridgePort, stateNo: number): void {
  const state = BR_STATE_NAMES[stateNo];
  if (state === undefined) throw new KernelError("EINVAL");
  if (p.br.stpEnabled === 1) throw new KernelError("EBUSY");
  if (!netifRunning(p.dev) || (!netifOperUp(p.dev) && state !== "disabled"))
    throw new KernelError("ENETDOWN");
  brSetState(p, state);
  brPortStateSelection(p.br);
}

/** br_setport: the flags first, then cost, priority, state, flush, multicast router, masks, backup. */
export function brSetport(p: BridgePort, req: BrPortReq): void {
  if (req.mode !== undefined) p.hairpin = req.mode;
  if (req.guard !== undefined) p.guard = req.guard;
  if (req.fastLeave !== undefined) p.fastLeave = req.fastLeave;
  if (req.protect !== undefined) p.rootBlock = req.protect;
  if (req.learning !== undefined) p.learning = req.learning;
  if (req.unicastFlood !== undefined) p.flood = req.unicastFlood;
  if (req.mcastFlood !== undefined) p.mcastFlood = req.mcastFlood;
  if (req.mcastToUcast !== undefined) p.mcastToUcast = req.mcastToUcast;
  if (req.bcastFlood !== undefined) p.bcastFlood = req.bcastFlood;
  if (req.proxyArp !== undefined) p.proxyArp = req.proxyArp;
  if (req.proxyArpWifi !== undefined) p.proxyArpWifi = req.proxyArpWifi;
  if (req.vlanTunnel !== undefined) p.vlanTunnel = req.vlanTunnel;
  if (req.neighSuppress !== undefined) p.neighSuppress = req.neighSuppress;
  if (req.isolated !== undefined) p.isolated = req.isolated;
  if (req.locked !== undefined) p.locked = req.locked;
  if (req.cost !== undefined) brStpSetPathCost(p, req.cost);
  if (req.priority !== undefined) brStpSetPortPriority(p, req.priority);
  if (req.state !== undefined) brSetPortState(p, req.state);
  if (req.flush) brFdbDeleteByPort(p.br, p, false);
  if (req.mcastRouter !== undefined) {
    // br_multicast_set_port_router: disabled, temp_query, perm or temp.
    if (req.mcastRouter > 3) throw new KernelError("EINVAL");
    p.mcastRouter = req.mcastRouter;
  }
  if (req.groupFwdMask !== undefined) {
    if (req.groupFwdMask & BR_GROUPFWD_MACPAUSE) throw new KernelError("EINVAL");
    p.groupFwdMask = req.groupFwdMask;
  }
  if (req.backupPort !== undefined) {
    // nbp_backup_change: the backup must be a port of the same bridge.
    let backup: BridgePort | undefined;
    if (req.backupPort) {
      const dev = p.dev.net.devByIndex.get(req.backupPort);
      backup = dev ? brPortOf(dev) : undefined;
      if (!backup) throw new KernelError("ENOENT");
      if (backup.br !== p.br || backup === p) throw new KernelError("EINVAL");
    }
    p.backupPort = backup;
  }
}

/** br_vlan_valid_id: 1..4094. */
function brVlanValidId(vid: number): boolean {
  return vid > 0 && vid < 4095;
}

/**
 * br_afspec's IFLA_BRIDGE_VLAN_INFO / IFLA_BRIDGE_VLAN_TUNNEL_INFO on a kernel without
 * CONFIG_BRIDGE_VLAN_FILTERING: adding a vlan (nbp_vlan_add, br_vlan_add) is EOPNOTSUPP; deleting
 * one fails the same way, but br_vlan_info ignores a delete's error, so RTM_DELLINK succeeds. A
 * tunnel mapping (IFLA_BRIDGE_VLAN_TUNNEL_INFO) is accepted, and does nothing, on a vlan_tunnel port.
 * `withExtack`: br_setlink passes the request's extack, br_dellink does not.
 */
export function brAfspecVlans(
  p: BridgePort | undefined,
  req: {
    readonly cmd: "RTM_SETLINK" | "RTM_DELLINK";
    readonly vlans: readonly { readonly vid: number; readonly flags: number }[];
    readonly tunnel: boolean;
  },
): void {
  const extack = req.cmd === "RTM_SETLINK" ? "bridge: Vlan id is invalid" : undefined;
  if (req.tunnel) {
    // A tunnel mapping needs a port in vlan_tunnel mode; br_vlan_tunnel_info is then a no-op.
    if (!p?.vlanTunnel) throw new KernelError("EINVAL");
    return;
  }
  for (const v of req.vlans) {
    if (!brVlanValidId(v.vid)) throw new KernelError("EINVAL", extack);
    if (req.cmd === "RTM_SETLINK") throw new KernelError("EOPNOTSUPP");
  }
}
