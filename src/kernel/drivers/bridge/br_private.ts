// struct net_bridge and struct net_bridge_port (net/bridge/br_private.h): the bridge's state,
// kept as the bridge device's netdev_priv and reached from a port through dev->master.
import type { TimerEvent } from "../../clock.js";
import { NSEC_PER_SEC } from "../../clock.js";
import type { NetDevice } from "../../core/dev.js";
import type { BrMdbEntry } from "./br_multicast.js";

/** A struct timer_list: the clock's event, and the jiffy it was set for (timer->expires), which
 * br_timer_value reports from; the event itself fires when the timer wheel reaches it. */
export type BrTimer = TimerEvent & { readonly expires: number };

/** BR_STATE_* */
export type BrPortState = "disabled" | "listening" | "learning" | "forwarding" | "blocking";

/** USER_HZ is 100: the bridge's times are kept in centiseconds at the netlink boundary. */
export const BR_DEFAULT_AGEING_TIME_NS = 300 * NSEC_PER_SEC;
/** HZ=250: the FDB garbage collector runs in whole jiffies. */
export const JIFFY_NS = 4_000_000;
const HZ = 250;
const USER_HZ = 100;

/** clock_t_to_jiffies with HZ=250, USER_HZ=100 (HZ % USER_HZ != 0: x * HZ / USER_HZ, rounded down). */
export function clockTToJiffies(x: number): number {
  return Math.floor((x * HZ) / USER_HZ);
}

/** jiffies_to_clock_t: jiffies * TICK_NSEC / (NSEC_PER_SEC / USER_HZ), rounded down. */
export function jiffiesToClockT(j: number): number {
  return Math.floor((j * USER_HZ) / HZ);
}

/** br_stp_enabled values (BR_NO_STP, BR_KERNEL_STP); userspace STP needs /sbin/bridge-stp. */
export type BrStpEnabled = 0 | 1;

/** struct bridge_id: two priority bytes and the address, compared as 8 bytes. */
export interface BridgeId {
  prio: number;
  addr: Uint8Array;
}

/** Multicast snooping settings (struct net_bridge_mcast, times in jiffies). */
export interface BrMulticastCtx {
  router: number;
  querier: number;
  queryUseIfaddr: boolean;
  statsEnabled: boolean;
  hashMax: number;
  lastMemberCount: number;
  startupQueryCount: number;
  lastMemberInterval: number;
  membershipInterval: number;
  querierInterval: number;
  queryInterval: number;
  queryResponseInterval: number;
  startupQueryInterval: number;
  igmpVersion: number;
  mldVersion: number;
}

/** struct net_bridge_fdb_entry */
export interface FdbEntry {
  readonly addr: Uint8Array;
  /** fdb->dst: the port the address lives behind; undefined for the bridge's own addresses. */
  dst: BridgePort | undefined;
  /** BR_FDB_LOCAL: frames for this address go up the bridge's stack. */
  isLocal: boolean;
  /** BR_FDB_STATIC: never ages. */
  isStatic: boolean;
  /** BR_FDB_ADDED_BY_USER */
  addedByUser: boolean;
  /** Virtual ns of the last learning (fdb->updated) and the last forwarding use (fdb->used). */
  updated: number;
  used: number;
}

/** struct net_bridge_port */
export interface BridgePort {
  readonly br: Bridge;
  readonly dev: NetDevice;
  readonly portNo: number;
  state: BrPortState;
  priority: number;
  pathCost: number;
  /** BR_ADMIN_COST: the cost was set by hand and no longer follows the link speed. */
  adminCost: boolean;
  learning: boolean;
  flood: boolean;
  mcastFlood: boolean;
  bcastFlood: boolean;
  hairpin: boolean;
  isolated: boolean;
  /** BR_BPDU_GUARD, BR_ROOT_BLOCK, BR_MULTICAST_FAST_LEAVE, BR_MULTICAST_TO_UNICAST, BR_PROXYARP… */
  guard: boolean;
  rootBlock: boolean;
  fastLeave: boolean;
  mcastToUcast: boolean;
  proxyArp: boolean;
  proxyArpWifi: boolean;
  neighSuppress: boolean;
  vlanTunnel: boolean;
  locked: boolean;
  /** multicast_ctx.multicast_router (MDB_RTR_TYPE_TEMP_QUERY by default) */
  mcastRouter: number;
  groupFwdMask: number;
  backupPort: BridgePort | undefined;
  /** STP: port_id, what the port last heard (or, designated, says) about the root. */
  portId: number;
  designatedRoot: BridgeId;
  designatedBridge: BridgeId;
  designatedPort: number;
  designatedCost: number;
  /** jiffies when the root sent what the port last recorded (now less the BPDU's message age). */
  designatedAge: number;
  topologyChangeAck: boolean;
  configPending: boolean;
  messageAgeTimer: BrTimer | undefined;
  forwardDelayTimer: BrTimer | undefined;
  holdTimer: BrTimer | undefined;
}

/** struct net_bridge */
export interface Bridge {
  readonly dev: NetDevice;
  /** port_list: list_add_rcu puts the newest port first. */
  ports: BridgePort[];
  /**
   * How many ports are not disabled (kept by br_set_state): the STP passes over the ports touch
   * only those, so with none they have nothing to do on a bridge of a thousand unplugged ports.
   */
  activePorts: number;
  /** fdb_hash_tbl, keyed by the address's hex. */
  readonly fdb: Map<string, FdbEntry>;
  /** fdb_list: hlist_add_head_rcu puts the newest entry first; dumps walk it. */
  fdbList: FdbEntry[];
  /** ageing_time (ns): bridge_ageing_time, or twice forward_delay while a topology change lasts. */
  ageingTime: number;
  bridgeAgeingTime: number;
  /** forward_delay/hello_time/max_age in use, and the bridge's own (bridge_*) values, in jiffies. */
  forwardDelay: number;
  helloTime: number;
  maxAge: number;
  bridgeForwardDelay: number;
  bridgeHelloTime: number;
  bridgeMaxAge: number;
  stpEnabled: BrStpEnabled;
  /** bridge_id.prio */
  bridgePrio: number;
  /** bridge_id.addr: what br_stp_recalculate_bridge_id compares against. */
  bridgeIdAddr: Uint8Array;
  /** The root as this bridge knows it, the cost to reach it and the port it is reached through (0: we are root). */
  designatedRoot: BridgeId;
  rootPathCost: number;
  rootPort: number;
  topologyChange: boolean;
  topologyChangeDetected: boolean;
  helloTimer: BrTimer | undefined;
  tcnTimer: BrTimer | undefined;
  topologyChangeTimer: BrTimer | undefined;
  groupFwdMask: number;
  groupAddr: Uint8Array;
  noLinklocalLearn: boolean;
  nfCallIptables: boolean;
  nfCallIp6tables: boolean;
  nfCallArptables: boolean;
  mcast: BrMulticastCtx;
  /** tso_max_size: the legacy 64 KiB until br_set_gso_limits first runs, then the ports' least. */
  tsoMaxSize: number;
  /** dev->addr_assign_type == NET_ADDR_SET: the user chose the address, ports no longer move it. */
  addrSet: boolean;
  /** BROPT_MTU_SET_BY_USER */
  mtuSetByUser: boolean;
  /** br->gc_work */
  gcTimer: TimerEvent | undefined;
  multicastSnooping: boolean;
  /** mdb_list: hlist_add_head puts the newest group first; dumps walk it. */
  mdb: BrMdbEntry[];
}

export function macKey(addr: Uint8Array): string {
  let key = "";
  for (const b of addr) key += b.toString(16).padStart(2, "0");
  return key;
}

export function bridgeOf(dev: NetDevice): Bridge {
  return dev.priv as Bridge;
}

/** br_port_get_rtnl: the port a device is, when its master is a bridge. */
export function brPortOf(dev: NetDevice): BridgePort | undefined {
  const master = dev.master;
  if (master?.ops.kind !== "bridge") return undefined;
  return portOfDev.get(dev);
}

/** dev->rx_handler_data of a bridge port: its net_bridge_port (set by br_add_if, gone in del_nbp). */
export const portOfDev = new WeakMap<NetDevice, BridgePort>();
