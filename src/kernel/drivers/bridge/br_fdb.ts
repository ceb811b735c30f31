// The forwarding database (net/bridge/br_fdb.c): local entries for the bridge's and its ports'
// own addresses, entries learned from source addresses that age out after ageing_time, and the
// entries an administrator adds (bridge fdb add … master).
import { isValidEtherAddr } from "../../core/dev.js";
import { rtnlNotify, rtnlWanted } from "../../core/rtnetlink.js";
import { KernelError } from "../../syscalls.js";
import { NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NUD_STALE, type RtFdb } from "../../uapi.js";
import { type Bridge, type BridgePort, type FdbEntry, JIFFY_NS, macKey } from "./br_private.js";

function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** has_expired */
export function fdbHasExpired(br: Bridge, f: FdbEntry, now: number): boolean {
  return !f.isStatic && f.updated + br.ageingTime <= now;
}

/** br_fdb_find */
export function brFdbFind(br: Bridge, addr: Uint8Array): FdbEntry | undefined {
  return br.fdb.get(macKey(addr));
}

/** fdb_create: hashed, and put at the head of fdb_list. */
function fdbCreate(br: Bridge, source: BridgePort | undefined, addr: Uint8Array): FdbEntry {
  const now = br.dev.net.host.clock.now;
  const f: FdbEntry = {
    addr: addr.slice(),
    dst: source,
    isLocal: false,
    isStatic: false,
    addedByUser: false,
    updated: now,
    used: now,
  };
  br.fdb.set(macKey(addr), f);
  br.fdbList.unshift(f);
  return f;
}

/** fdb_fill_info: the entry as an RTM_NEWNEIGH of family AF_BRIDGE reports it, at `now`. */
export function fdbFillInfo(br: Bridge, f: FdbEntry, now: number): RtFdb {
  const ticks = (t: number) => Math.floor((now - t) / 10_000_000);
  return {
    ifindex: f.dst ? f.dst.dev.ifindex : br.dev.ifindex,
    state: fdbToNud(br, f, now),
    flags: 0,
    lladdr: f.addr.slice(),
    master: br.dev.ifindex,
    used: ticks(f.used),
    updated: ticks(f.updated),
  };
}

/** fdb_notify: RTM_NEWNEIGH or RTM_DELNEIGH to RTNLGRP_NEIGH, filled now. */
function fdbNotify(br: Bridge, f: FdbEntry, deleted: boolean): void {
  if (!rtnlWanted(br.dev.net)) return;
  rtnlNotify(br.dev.net, { kind: "fdb", deleted, fill: () => fdbFillInfo(br, f, br.dev.net.host.clock.now) });
}

/** fdb_delete: out of the table, announced (RTM_DELNEIGH with the state it had). */
export function fdbDelete(br: Bridge, f: FdbEntry): void {
  fdbNotify(br, f, true);
  br.fdb.delete(macKey(f.addr));
  br.fdbList = br.fdbList.filter((e) => e !== f);
}

/** fdb_delete_local: a local entry passes to another port (or the bridge) with the same address. */
export function fdbDeleteLocal(br: Bridge, p: BridgePort | undefined, f: FdbEntry): void {
  for (const op of br.ports) {
    if (op !== p && macEqual(op.dev.address, f.addr)) {
      f.dst = op;
      f.addedByUser = false;
      return;
    }
  }
  if (p && macEqual(br.dev.address, f.addr)) {
    f.dst = undefined;
    f.addedByUser = false;
    return;
  }
  fdbDelete(br, f);
}

/** fdb_add_local / br_fdb_add_local: the permanent entry for a port's or the bridge's address. */
export function brFdbAddLocal(br: Bridge, source: BridgePort | undefined, addr: Uint8Array): void {
  if (!isValidEtherAddr(addr)) return;
  const existing = brFdbFind(br, addr);
  if (existing) {
    // Several ports may share an address: the first keeps it.
    if (existing.isLocal) return;
    fdbDelete(br, existing);
  }
  const f = fdbCreate(br, source, addr);
  f.isLocal = true;
  f.isStatic = true;
  fdbNotify(br, f, false);
}

/** br_fdb_change_mac_address */
export function brFdbChangeMacAddress(br: Bridge, newaddr: Uint8Array): void {
  const f = brFdbFind(br, br.dev.address);
  if (f?.isLocal && !f.dst && !f.addedByUser) fdbDeleteLocal(br, undefined, f);
  brFdbAddLocal(br, undefined, newaddr);
}

/** br_fdb_changeaddr: a port's address changed. */
export function brFdbChangeaddr(p: BridgePort, newaddr: Uint8Array): void {
  const br = p.br;
  for (const f of br.fdbList) {
    if (f.dst === p && f.isLocal && !f.addedByUser) {
      fdbDeleteLocal(br, p, f);
      break;
    }
  }
  brFdbAddLocal(br, p, newaddr);
}

/** br_fdb_delete_by_port: a port's entries go (with `doAll`, the static ones too). */
export function brFdbDeleteByPort(br: Bridge, p: BridgePort | undefined, doAll: boolean): void {
  // fdb_delete replaces the list rather than changing it, so the walk goes on over the old one.
  for (const f of br.fdbList) {
    if (f.dst !== p) continue;
    if (f.isStatic && !doAll) continue;
    if (f.isLocal) fdbDeleteLocal(br, p, f);
    else fdbDelete(br, f);
  }
}

/** br_fdb_update: learning a source address on a port. */
export function brFdbUpdate(br: Bridge, source: BridgePort, addr: Uint8Array): void {
  if (br.ageingTime === 0) return;
  if (source.state !== "learning" && source.state !== "forwarding") return;
  const now = br.dev.net.host.clock.now;
  const f = brFdbFind(br, addr);
  if (!f) {
    fdbNotify(br, fdbCreate(br, source, addr), false);
    return;
  }
  // An entry for a local interface is not moved by a frame that claims its address.
  if (f.isLocal) return;
  f.updated = now;
  if (f.dst !== source) {
    // The address moved to another port: announced again.
    f.dst = source;
    fdbNotify(br, f, false);
  }
}

/** fdb_to_nud */
export function fdbToNud(br: Bridge, f: FdbEntry, now: number): number {
  if (f.isLocal) return NUD_PERMANENT;
  if (f.isStatic) return NUD_NOARP;
  if (fdbHasExpired(br, f, now)) return NUD_STALE;
  return NUD_REACHABLE;
}

/** br_fdb_cleanup: the delayed work that ages learned entries out, rearmed for the next expiry. */
export function brFdbCleanup(br: Bridge): void {
  const clock = br.dev.net.host.clock;
  const now = clock.now;
  const delay = br.ageingTime;
  let workDelay = delay;
  for (const f of [...br.fdbList]) {
    if (f.isStatic) continue;
    const thisTimer = f.updated + delay;
    if (thisTimer > now) workDelay = Math.min(workDelay, thisTimer - now);
    else fdbDelete(br, f);
  }
  // Cleanup runs at least 10 ms apart; the work is queued in whole jiffies.
  workDelay = Math.max(workDelay, 3 * JIFFY_NS);
  workDelay = Math.ceil(workDelay / JIFFY_NS) * JIFFY_NS;
  brFdbGcArm(br, workDelay);
}

/** mod_delayed_work(&br->gc_work) */
export function brFdbGcArm(br: Bridge, delayNs: number): void {
  if (br.gcTimer) br.gcTimer.cancelled = true;
  br.gcTimer = br.dev.net.host.clock.schedule(delayNs, () => {
    br.gcTimer = undefined;
    if (br.dev.registered) brFdbCleanup(br);
  });
}

export function brFdbGcCancel(br: Bridge): void {
  if (br.gcTimer) br.gcTimer.cancelled = true;
  br.gcTimer = undefined;
}

/** fdb_add_entry: RTM_NEWNEIGH with NTF_MASTER (or on the bridge itself). */
export function fdbAddEntry(
  br: Bridge,
  source: BridgePort | undefined,
  addr: Uint8Array,
  req: { readonly state: number; readonly sticky: boolean; readonly create: boolean; readonly excl: boolean },
): void {
  const state = req.state;
  // A port that cannot learn takes only local and static entries.
  if (
    source &&
    !(state & NUD_PERMANENT) &&
    !(state & NUD_NOARP) &&
    source.state !== "learning" &&
    source.state !== "forwarding"
  ) {
    throw new KernelError("EPERM");
  }
  if (!source && !(state & NUD_PERMANENT)) throw new KernelError("EINVAL");
  if (req.sticky && state & NUD_PERMANENT) throw new KernelError("EINVAL");
  const now = br.dev.net.host.clock.now;
  let f = brFdbFind(br, addr);
  let modified = false;
  if (!f) {
    if (!req.create) throw new KernelError("ENOENT");
    f = fdbCreate(br, source, addr);
    modified = true;
  } else {
    if (req.excl) throw new KernelError("EEXIST");
    if (f.dst !== source) {
      f.dst = source;
      modified = true;
    }
  }
  if (fdbToNud(br, f, now) !== state) {
    if (state & NUD_PERMANENT) {
      f.isLocal = true;
      f.isStatic = true;
    } else if (state & NUD_NOARP) {
      f.isLocal = false;
      f.isStatic = true;
    } else {
      f.isLocal = false;
      f.isStatic = false;
    }
    modified = true;
  }
  f.addedByUser = true;
  f.used = now;
  if (modified) {
    f.updated = now;
    fdbNotify(br, f, false);
  }
}

/** __br_fdb_delete: the entry must live behind the port named (or be the bridge's own). */
export function brFdbDelete(br: Bridge, p: BridgePort | undefined, addr: Uint8Array): void {
  const f = brFdbFind(br, addr);
  if (!f || f.dst !== p) throw new KernelError("ENOENT");
  fdbDelete(br, f);
}
