// struct net_bridge and struct net_bridge_port (net/bridge/br_private.h): the bridge's state,
// kept as the bridge device's netdev_priv and reached from a port through dev->master.
import type { TimerEvent } from "../../clock.js";
import { NSEC_PER_SEC } from "../../clock.js";
import type { NetDevice } from "../../core/dev.js";

/** BR_STATE_* */
export type BrPortState = "disabled" | "listening" | "learning" | "forwarding" | "blocking";

/** USER_HZ is 100: the bridge's times are kept in centiseconds at the netlink boundary. */
export const BR_DEFAULT_AGEING_TIME_NS = 300 * NSEC_PER_SEC;
export const BR_DEFAULT_FORWARD_DELAY_NS = 15 * NSEC_PER_SEC;
/** HZ=250: the FDB garbage collector runs in whole jiffies. */
export const JIFFY_NS = 4_000_000;

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
}

/** struct net_bridge */
export interface Bridge {
  readonly dev: NetDevice;
  /** port_list: list_add_rcu puts the newest port first. */
  ports: BridgePort[];
  /** fdb_hash_tbl, keyed by the address's hex. */
  readonly fdb: Map<string, FdbEntry>;
  /** fdb_list: hlist_add_head_rcu puts the newest entry first; dumps walk it. */
  fdbList: FdbEntry[];
  ageingTime: number;
  forwardDelay: number;
  /** bridge_id.addr: what br_stp_recalculate_bridge_id compares against. */
  bridgeIdAddr: Uint8Array;
  /** dev->addr_assign_type == NET_ADDR_SET: the user chose the address, ports no longer move it. */
  addrSet: boolean;
  /** BROPT_MTU_SET_BY_USER */
  mtuSetByUser: boolean;
  /** br->gc_work */
  gcTimer: TimerEvent | undefined;
  multicastSnooping: boolean;
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
  return bridgeOf(master).ports.find((p) => p.dev === dev);
}
