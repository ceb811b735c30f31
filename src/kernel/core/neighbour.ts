// The neighbour table (net/core/neighbour.c) for ARP: the NUD state machine with the kernel's
// default timers (arp_tbl parms), driven by virtual time.
import type { TimerEvent } from "../clock.js";
import { NSEC_PER_MSEC, NSEC_PER_SEC } from "../clock.js";
import { KernelError } from "../syscalls.js";
import type { NetDevice } from "./dev.js";
import { rtnlNotify } from "./rtnetlink.js";
import type { SkBuff } from "./skbuff.js";

export type NudState =
  | "INCOMPLETE"
  | "REACHABLE"
  | "STALE"
  | "DELAY"
  | "PROBE"
  | "FAILED"
  | "NOARP"
  | "PERMANENT"
  | "NONE";

/** arp_tbl.parms defaults (net/ipv4/arp.c). */
export const NEIGH_PARMS = {
  baseReachableTime: 30 * NSEC_PER_SEC,
  retransTime: 1 * NSEC_PER_SEC,
  delayProbeTime: 5 * NSEC_PER_SEC,
  ucastProbes: 3,
  mcastProbes: 3,
  /** QUEUE_LEN_BYTES: pending packets beyond this are dropped oldest first. */
  queueLenBytes: 212_992,
} as const;

/** What the neighbour layer needs from its protocol (struct neigh_ops for ARP). */
export interface NeighOps {
  /** arp_solicit: send a request, broadcast or unicast to the cached address. */
  solicit(neigh: Neighbour, skb: SkBuff | undefined): void;
  /** arp_error_report: a queued packet could not be resolved. */
  errorReport(neigh: Neighbour, skb: SkBuff): void;
  /** Transmit with the resolved hardware address (neigh_resolve_output's tail). */
  output(neigh: Neighbour, skb: SkBuff): void;
}

export interface Neighbour {
  readonly dev: NetDevice;
  /** NTF_* flags set by the administrator (NTF_ROUTER). */
  flags: number;
  readonly key: number;
  ha: Uint8Array | undefined;
  state: NudState;
  probes: number;
  readonly queue: SkBuff[];
  queueBytes: number;
  timer: TimerEvent | undefined;
  confirmed: number;
  updated: number;
  /** Last time the entry was used to send. */
  used: number;
  readonly ops: NeighOps;
}

function neighKey(dev: NetDevice, key: number): string {
  return `${dev.ifindex}/${key}`;
}

/** neigh_lookup through the per-device index, so the packet path builds no string key. */
export function neighLookup(dev: NetDevice, key: number): Neighbour | undefined {
  return dev.net.ipv4.neighByDev.get(dev)?.get(key);
}

function neighIndexDelete(neigh: Neighbour): void {
  const byKey = neigh.dev.net.ipv4.neighByDev.get(neigh.dev);
  if (byKey?.get(neigh.key) === neigh) byKey.delete(neigh.key);
}

/** __neigh_create */
export function neighCreate(dev: NetDevice, key: number, ops: NeighOps): Neighbour {
  const existing = neighLookup(dev, key);
  if (existing) return existing;
  const now = dev.net.host.clock.now;
  const neigh: Neighbour = {
    dev,
    flags: 0,
    key,
    ha: undefined,
    state: "NONE",
    probes: 0,
    queue: [],
    queueBytes: 0,
    timer: undefined,
    // neigh_alloc: "confirmed" starts two base reachable times in the past.
    confirmed: now - 2 * NEIGH_PARMS.baseReachableTime,
    updated: now,
    used: now,
    ops,
  };
  dev.net.ipv4.neighbours.set(neighKey(dev, key), neigh);
  let byKey = dev.net.ipv4.neighByDev.get(dev);
  if (!byKey) {
    byKey = new Map();
    dev.net.ipv4.neighByDev.set(dev, byKey);
  }
  byKey.set(key, neigh);
  return neigh;
}

/** neigh_rand_reach_time: uniform in [base/2, 3*base/2). */
function randReachTime(dev: NetDevice): number {
  const base = NEIGH_PARMS.baseReachableTime;
  return base / 2 + ((dev.net.host.randomU32() % 1000) * base) / 1000;
}

function setTimer(neigh: Neighbour, delay: number): void {
  if (neigh.timer) neigh.timer.cancelled = true;
  neigh.timer = neigh.dev.net.host.clock.scheduleTimer(delay, () => neighTimerHandler(neigh));
}

function delTimer(neigh: Neighbour): void {
  if (neigh.timer) neigh.timer.cancelled = true;
  neigh.timer = undefined;
}

/** NUD_VALID */
const NUD_VALID: ReadonlySet<NudState> = new Set([
  "PERMANENT",
  "NOARP",
  "REACHABLE",
  "PROBE",
  "STALE",
  "DELAY",
]);

/** Whether a timer holds the entry (what makes its reported refcount non-zero). */
export function neighTimerPending(neigh: Neighbour): boolean {
  return neigh.timer !== undefined && !neigh.timer.cancelled;
}

function isConnected(state: NudState): boolean {
  return (
    state === "REACHABLE" ||
    state === "STALE" ||
    state === "DELAY" ||
    state === "PROBE" ||
    state === "PERMANENT" ||
    state === "NOARP"
  );
}

/** nud_state & NUD_VALID */
export function neighValid(neigh: Neighbour): boolean {
  return NUD_VALID.has(neigh.state);
}

/** neigh_event_send(n, NULL) on an entry that is not valid: resolution starts, nothing queued. */
export function neighEventSend(neigh: Neighbour): void {
  if (neigh.state !== "NONE" && neigh.state !== "FAILED") return;
  neigh.state = "INCOMPLETE";
  neigh.probes = NEIGH_PARMS.ucastProbes + 1;
  neigh.updated = neigh.dev.net.host.clock.now;
  neigh.ops.solicit(neigh, undefined);
  setTimer(neigh, NEIGH_PARMS.retransTime);
}

/** neigh_resolve_output: send when the address is known, else queue and resolve (__neigh_event_send). */
export function neighResolveOutput(neigh: Neighbour, skb: SkBuff): void {
  const now = neigh.dev.net.host.clock.now;
  neigh.used = now;
  switch (neigh.state) {
    case "NONE":
    case "FAILED":
      // __neigh_event_send: the count starts at ucast_probes; neigh_probe adds one per request.
      neigh.state = "INCOMPLETE";
      neigh.probes = NEIGH_PARMS.ucastProbes;
      neigh.updated = now;
      enqueue(neigh, skb);
      neigh.probes++;
      neigh.ops.solicit(neigh, skb);
      setTimer(neigh, NEIGH_PARMS.retransTime);
      return;
    case "INCOMPLETE":
      enqueue(neigh, skb);
      return;
    case "STALE":
      neigh.state = "DELAY";
      neigh.updated = now;
      setTimer(neigh, NEIGH_PARMS.delayProbeTime);
      neigh.ops.output(neigh, skb);
      return;
    case "REACHABLE":
    case "DELAY":
    case "PROBE":
    case "PERMANENT":
    case "NOARP":
      neigh.ops.output(neigh, skb);
      return;
  }
}

function enqueue(neigh: Neighbour, skb: SkBuff): void {
  const len = skb.tail - skb.head;
  while (neigh.queue.length > 0 && neigh.queueBytes + len > NEIGH_PARMS.queueLenBytes) {
    const dropped = neigh.queue.shift() as SkBuff;
    neigh.queueBytes -= dropped.tail - dropped.head;
    neigh.dev.net.ipv4.mib.ArpDropped++;
  }
  neigh.queue.push(skb);
  neigh.queueBytes += len;
}

/** neigh_timer_handler */
function neighTimerHandler(neigh: Neighbour): void {
  neigh.timer = undefined;
  const now = neigh.dev.net.host.clock.now;
  switch (neigh.state) {
    case "REACHABLE":
      if (now - neigh.confirmed >= randReachTime(neigh.dev) - NSEC_PER_MSEC) {
        neigh.state = "STALE";
        neigh.updated = now;
        neighNotify(neigh, false);
      } else {
        setTimer(neigh, NEIGH_PARMS.baseReachableTime / 2);
      }
      return;
    case "DELAY":
      if (now - neigh.confirmed < NEIGH_PARMS.delayProbeTime) {
        neigh.state = "REACHABLE";
        setTimer(neigh, randReachTime(neigh.dev));
        neighNotify(neigh, false);
        return;
      }
      neigh.state = "PROBE";
      neigh.probes = 0;
      break;
    case "INCOMPLETE":
    case "PROBE":
      break;
    default:
      return;
  }
  // neigh_max_probes: ucast + app probes, plus mcast_probes while INCOMPLETE (mcast_reprobes, 0, in PROBE).
  const maxProbes = NEIGH_PARMS.ucastProbes + (neigh.state === "INCOMPLETE" ? NEIGH_PARMS.mcastProbes : 0);
  if (neigh.probes >= maxProbes) {
    neigh.state = "FAILED";
    neigh.updated = now;
    // neigh_invalidate: every queued packet is reported back as unresolvable.
    const queued = neigh.queue.splice(0);
    neigh.queueBytes = 0;
    for (const skb of queued) neigh.ops.errorReport(neigh, skb);
    neighNotify(neigh, false);
    return;
  }
  neigh.probes++;
  neigh.ops.solicit(neigh, neigh.queue[neigh.queue.length - 1]);
  setTimer(neigh, NEIGH_PARMS.retransTime);
}

/** neigh_update with a confirmed (reply) or unconfirmed (request seen) hardware address. */
export function neighUpdate(neigh: Neighbour, ha: Uint8Array, state: "REACHABLE" | "STALE"): void {
  if (neigh.state === "PERMANENT" || neigh.state === "NOARP") return;
  const now = neigh.dev.net.host.clock.now;
  const changed = !neigh.ha || neigh.ha.some((b, i) => b !== ha[i]);
  if (state === "STALE" && isConnected(neigh.state) && !changed) return;
  const notify = changed || neigh.state !== state;
  neigh.ha = ha.slice();
  neigh.updated = now;
  if (state === "REACHABLE") {
    neigh.confirmed = now;
    neigh.state = "REACHABLE";
    setTimer(neigh, randReachTime(neigh.dev));
  } else {
    neigh.state = "STALE";
    delTimer(neigh);
  }
  if (notify) neighNotify(neigh, false);
  // neigh_update: a newly valid entry sends what waited for it.
  const queued = neigh.queue.splice(0);
  neigh.queueBytes = 0;
  for (const skb of queued) neigh.ops.output(neigh, skb);
}

/** neigh_ifdown: a device going down or away takes its entries with it. */
export function neighIfdown(dev: NetDevice): void {
  neighFlushDev(dev, false);
}

/** neigh_carrier_down: losing carrier flushes the device's entries but the permanent ones. */
export function neighCarrierDown(dev: NetDevice): void {
  neighFlushDev(dev, true);
}

/** neigh_flush_dev: entries go with whatever packets waited on them. */
function neighFlushDev(dev: NetDevice, skipPerm: boolean): void {
  const table = dev.net.ipv4.neighbours;
  for (const [key, neigh] of table) {
    if (neigh.dev !== dev || (skipPerm && neigh.state === "PERMANENT")) continue;
    delTimer(neigh);
    neigh.queue.length = 0;
    table.delete(key);
    neighIndexDelete(neigh);
    neighNotify(neigh, true);
  }
}

/** The entries of a namespace, in the order they were created. */
export function neighDump(neighbours: ReadonlyMap<string, Neighbour>): Neighbour[] {
  return [...neighbours.values()];
}

/**
 * neigh_update with NEIGH_UPDATE_F_ADMIN, for `ip neigh add|change|replace`: the administrator's
 * state and address win; a REACHABLE entry starts its timer, PERMANENT and NOARP have none.
 */
export function neighAdminUpdate(neigh: Neighbour, state: NudState, ha: Uint8Array | undefined): void {
  // __neigh_update: a valid state needs an address, given now or known already.
  if (!ha && !neigh.ha && NUD_VALID.has(state))
    throw new KernelError("EINVAL", "No link layer address given");
  const now = neigh.dev.net.host.clock.now;
  const notify = neigh.state !== state || (ha !== undefined && !sameHa(neigh.ha, ha));
  if (ha) neigh.ha = ha.slice();
  neigh.state = state;
  neigh.updated = now;
  delTimer(neigh);
  // NUD_CONNECTED states count as a confirmation.
  if (state === "REACHABLE" || state === "PERMANENT" || state === "NOARP") neigh.confirmed = now;
  if (state === "REACHABLE") {
    setTimer(neigh, randReachTime(neigh.dev));
  } else if (state === "DELAY") {
    setTimer(neigh, NEIGH_PARMS.delayProbeTime);
  }
  if (notify) neighNotify(neigh, false);
  if (isConnected(state) && neigh.ha) {
    const queued = neigh.queue.splice(0);
    neigh.queueBytes = 0;
    for (const skb of queued) neigh.ops.output(neigh, skb);
  }
}

/**
 * neigh_delete: __neigh_update to NUD_FAILED (announced, without an address), then
 * neigh_remove_one (announced as deleted).
 */
export function neighRemove(neigh: Neighbour): void {
  if (neigh.state !== "FAILED") {
    neigh.state = "FAILED";
    neighNotify(neigh, false);
  }
  delTimer(neigh);
  neigh.queue.length = 0;
  neigh.queueBytes = 0;
  neigh.dev.net.ipv4.neighbours.delete(neighKey(neigh.dev, neigh.key));
  neighIndexDelete(neigh);
  neighNotify(neigh, true);
}

function sameHa(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** __neigh_notify: RTM_NEWNEIGH on a change of state or address, RTM_DELNEIGH when it goes. */
function neighNotify(neigh: Neighbour, deleted: boolean): void {
  rtnlNotify(neigh.dev.net, { kind: "neigh", deleted, neigh });
}
