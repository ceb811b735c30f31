// struct net: one network namespace. Its subsystems register PernetOps; creation runs their init
// in order and destruction their exit in reverse (setup_net / cleanup_net). A namespace lives while
// references are held (a /run/netns name, a task inside, a socket): netGet / netPut.
import type { PacketTaps } from "./core/af_packet.js";
import type { NetDevice } from "./core/dev.js";
import { type RtnlSock, rtnlNotify } from "./core/rtnetlink.js";
import type { Host } from "./host.js";
import type { NetnsIpv4 } from "./ipv4/netns_ipv4.js";
import type { NetnsNf } from "./netfilter/core.js";
import {
  type Cred,
  decUcount,
  getUserNs,
  incUcount,
  putUserNs,
  UCOUNT_NET_NAMESPACES,
  type UserNamespace,
} from "./user_namespace.js";

export interface PernetOps {
  readonly name: string;
  init(net: Net): void;
  exit(net: Net): void;
}

export interface Net {
  /** net->ns.inum stand-in: unique per host, never reused. */
  readonly id: number;
  readonly host: Host;
  /** dev_name_head / dev_index_head. */
  readonly devByName: Map<string, NetDevice>;
  readonly devByIndex: Map<number, NetDevice>;
  /** The last ifindex handed out (dev_new_index allocates cyclically after it). */
  ifindex: number;
  devBaseSeq: number;
  loopbackDev: NetDevice | undefined;
  /** netns_ids: the ids this namespace gives to other namespaces (peernet2id). */
  readonly nsids: Map<Net, number>;
  /** The namespaces whose netns_ids hold an id for this one, so unhash_nsid need not walk them all. */
  readonly nsidHolders: Set<Net>;
  ipv4: NetnsIpv4;
  /** net->nf: netfilter hooks, x_tables, br_netfilter knobs. */
  nf: NetnsNf;
  /** net->user_ns: whose root administers it (ns_capable(net->user_ns, CAP_NET_ADMIN)). */
  readonly userNs: UserNamespace;
  /**
   * net->ucounts: the user charged for this namespace against max_net_namespaces of userNs (the
   * creator's), given back at cleanup; undefined for init_net. The uid alone: the charge is
   * (userNs, uid, UCOUNT_NET_NAMESPACES), and a handle per namespace would cost 48 B.
   */
  readonly ucountsKuid: number | undefined;
  /** ns.count: names, tasks and sockets holding the namespace alive. */
  count: number;
  dead: boolean;
  /** NETLINK_ROUTE sockets listening to multicast groups (ip monitor); made on first use. */
  rtnlSocks?: Set<RtnlSock>;
  /** The packet sockets' protocol hooks (ptype_all, ptype_base); made on first use. */
  packetTaps?: PacketTaps;
}

/**
 * struct net. The nsid table is made when the first id is given (alloc_netid), and the reverse
 * index with it: most namespaces never name another, and an empty Map costs more than 150 bytes.
 */
class NetState implements Net {
  readonly id: number;
  readonly devByName = new Map<string, NetDevice>();
  readonly devByIndex = new Map<number, NetDevice>();
  ifindex = 0;
  devBaseSeq = 0;
  loopbackDev: NetDevice | undefined = undefined;
  ipv4 = undefined as unknown as NetnsIpv4;
  nf = undefined as unknown as NetnsNf;
  count = 1;
  dead = false;
  rtnlSocks?: Set<RtnlSock> = undefined;
  packetTaps?: PacketTaps = undefined;
  /** The tables behind nsids and nsidHolders, undefined until the first id involving this namespace. */
  nsidMap: Map<Net, number> | undefined = undefined;
  nsidHolderSet: Set<Net> | undefined = undefined;
  /** netns_ids as the idr holds it: id -> peer, for lookups by id and the lowest free id. */
  nsidPeers: Map<number, Net> | undefined = undefined;
  /** No id below this is free (idr_alloc looks from here). */
  nsidFreeFrom = 0;

  constructor(
    readonly host: Host,
    readonly userNs: UserNamespace,
    readonly ucountsKuid: number | undefined,
  ) {
    this.id = host.allocNetId();
  }

  get nsids(): Map<Net, number> {
    this.nsidMap ??= new Map();
    return this.nsidMap;
  }
  get nsidHolders(): Set<Net> {
    this.nsidHolderSet ??= new Set();
    return this.nsidHolderSet;
  }
}

/**
 * copy_net_ns + setup_net: a new namespace with every pernet subsystem initialised, owned by the
 * creator's user namespace and charged to it (ENOSPC beyond max_net_namespaces). Without a
 * creator it is init_net: the initial user namespace's, uncharged.
 */
export function copyNet(host: Host, creator?: Cred): Net {
  const userNs = getUserNs(creator?.userNs ?? host.initUserNs);
  let ucountsKuid: number | undefined;
  if (creator) {
    try {
      incUcount(creator.userNs, creator.uid, UCOUNT_NET_NAMESPACES);
      ucountsKuid = creator.uid;
    } catch (e) {
      putUserNs(userNs);
      throw e;
    }
  }
  const net = new NetState(host, userNs, ucountsKuid);
  for (const ops of host.pernetOps) ops.init(net);
  host.namespaces.add(net);
  return net;
}

export function netGet(net: Net): Net {
  if (net.dead) throw new Error("get_net on a dead namespace");
  net.count++;
  return net;
}

/**
 * Virtual time between the last put_net and cleanup_net running: the kernel queues the cleanup
 * on a workqueue and waits out RCU grace periods, so a dying namespace's devices (a veth's peer
 * elsewhere) are still visible right after `ip netns del`.
 */
export const NET_CLEANUP_DELAY_NS = 20_000_000;

/** put_net: the last reference gone, the namespace is cleaned up (cleanup_net, deferred). */
export function netPut(net: Net): void {
  if (net.dead) return;
  net.count--;
  if (net.count > 0) return;
  net.host.clock.schedule(NET_CLEANUP_DELAY_NS, () => {
    if (net.count === 0) cleanupNet(net);
  });
}

function cleanupNet(net: Net): void {
  const host = net.host;
  net.dead = true;
  const ops = host.pernetOps;
  for (let i = ops.length - 1; i >= 0; i--) (ops[i] as PernetOps).exit(net);
  // unhash_nsid: every other namespace forgets the id it gave this one.
  const state = net as NetState;
  for (const other of state.nsidHolderSet ?? []) {
    const id = other.nsids.get(net);
    other.nsids.delete(net);
    if (id !== undefined) nsidRelease(other as NetState, id);
    if (id !== undefined) rtnlNotify(other, { kind: "nsid", deleted: true, nsid: id });
  }
  for (const peer of state.nsidMap?.keys() ?? []) peer.nsidHolders.delete(net);
  host.namespaces.delete(net);
  if (net.ucountsKuid !== undefined)
    decUcount({ ns: net.userNs, kuid: net.ucountsKuid, type: UCOUNT_NET_NAMESPACES });
  putUserNs(net.userNs);
}

/** peernet2id_alloc: the id `net` gives `peer`, allocating the lowest free one when there is none. */
export function peernet2idAlloc(net: Net, peer: Net): number {
  if (net.dead || peer.dead) return -1;
  const existing = peernet2id(net, peer);
  if (existing >= 0) return existing;
  // alloc_netid -> idr_alloc: the lowest free id.
  const state = net as NetState;
  let id = state.nsidFreeFrom;
  while (state.nsidPeers?.has(id)) id++;
  peernet2idSet(net, peer, id);
  return id;
}

function nsidRelease(state: NetState, id: number): void {
  state.nsidPeers?.delete(id);
  if (id < state.nsidFreeFrom) state.nsidFreeFrom = id;
}

/** alloc_netid with a chosen id (RTM_NEWNSID). */
export function peernet2idSet(net: Net, peer: Net, id: number): void {
  net.nsids.set(peer, id);
  const state = net as NetState;
  state.nsidPeers ??= new Map();
  state.nsidPeers.set(id, peer);
  if (id === state.nsidFreeFrom) state.nsidFreeFrom = id + 1;
  peer.nsidHolders.add(net);
  // rtnl_net_notifyid(RTM_NEWNSID)
  rtnlNotify(net, { kind: "nsid", deleted: false, nsid: id });
}

/** peernet2id: the id without allocating; -1 (NETNSA_NSID_NOT_ASSIGNED) when none. */
export function peernet2id(net: Net, peer: Net): number {
  return (net as NetState).nsidMap?.get(peer) ?? -1;
}

export function getNetNsById(net: Net, id: number): Net | undefined {
  return (net as NetState).nsidPeers?.get(id);
}
