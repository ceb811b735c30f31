// The qdisc half of rtnetlink (net/sched/sch_api.c): RTM_NEWQDISC (tc_modify_qdisc with
// qdisc_create and qdisc_graft), RTM_DELQDISC (tc_get_qdisc) and the RTM_GETQDISC dump, for the
// root qdisc of a device. Which kinds exist is this kernel's: the fifos, pfifo_fast and netem.
import type { NetDevice } from "../core/dev.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { IFF_UP } from "../uapi.js";
import {
  bfifoQdiscOps,
  newQdisc,
  pfifoFastOps,
  pfifoHeadDropQdiscOps,
  pfifoQdiscOps,
  type Qdisc,
  type QdiscOps,
  type QdiscOptions,
  qdiscDestroy,
  qdiscQlen,
  TC_H_ROOT,
} from "./sch_generic.js";
import { netemQdiscOps } from "./sch_netem.js";

/** qdisc_base: the registered qdisc kinds. */
const QDISC_BASE: readonly QdiscOps[] = [
  pfifoQdiscOps,
  bfifoQdiscOps,
  pfifoHeadDropQdiscOps,
  pfifoFastOps,
  netemQdiscOps,
];

/** An RTM_NEWQDISC / RTM_DELQDISC request (struct tcmsg with TCA_KIND and TCA_OPTIONS). */
export interface TcQdiscReq {
  readonly kind: "RTM_NEWQDISC" | "RTM_DELQDISC";
  readonly nlFlags: { readonly create?: boolean; readonly excl?: boolean; readonly replace?: boolean };
  readonly ifindex: number;
  readonly handle: number;
  readonly parent: number;
  /** TCA_KIND */
  readonly qdiscKind?: string;
  /** TCA_OPTIONS */
  readonly options?: QdiscOptions;
}

/** One qdisc as RTM_NEWQDISC reports it (tcmsg, TCA_KIND, TCA_OPTIONS, TCA_STATS2). */
export interface TcQdisc {
  readonly kind: string;
  readonly ifindex: number;
  readonly handle: number;
  readonly parent: number;
  /** tcm_info: the reference count. */
  readonly refcnt: number;
  readonly options: QdiscOptions | undefined;
  readonly stats: {
    readonly bytes: number;
    readonly packets: number;
    readonly drops: number;
    readonly overlimits: number;
    readonly requeues: number;
    readonly backlog: number;
    readonly qlen: number;
  };
}

const TC_H_MIN_MASK = 0xffff;

function lookupOps(kind: string | undefined): QdiscOps {
  const ops = QDISC_BASE.find((o) => o.id === kind);
  if (!ops) throw new KernelError("ENOENT", "Specified qdisc kind is unknown.");
  return ops;
}

/** qdisc_alloc_handle: one counter for the whole machine, 8001: upwards. */
function qdiscAllocHandle(dev: NetDevice): number {
  const host = dev.net.host;
  host.qdiscAutohandle = (host.qdiscAutohandle + 0x10000) >>> 0;
  if (host.qdiscAutohandle === 0) host.qdiscAutohandle = 0x80000000 + 0x10000;
  return host.qdiscAutohandle;
}

/** The root qdisc as qdisc_lookup sees it: none for the built-in noop/noqueue (handle 0). */
function rootQdisc(dev: NetDevice): Qdisc | undefined {
  return dev.rootQdisc;
}

/** qdisc_create */
function qdiscCreate(dev: NetDevice, req: TcQdiscReq): Qdisc {
  const ops = lookupOps(req.qdiscKind);
  const handle = req.handle || qdiscAllocHandle(dev);
  const q = newQdisc(dev, ops, { handle, parent: req.parent });
  ops.init(q, req.options);
  return q;
}

/**
 * qdisc_graft at the root: every transmit queue and dev->qdisc hold the new qdisc (refcnt is
 * num_tx_queues + 1); the old one is destroyed. Without a new one the device gets noop, and
 * dev_activate gives an up device its default (noqueue) again.
 */
function qdiscGraftRoot(dev: NetDevice, q: Qdisc | undefined): void {
  const old = dev.rootQdisc;
  if (q) q.refcnt = dev.numTxQueues + 1;
  dev.rootQdisc = q;
  if (old) qdiscDestroy(old);
  dev.qdisc = q ? q.ops.id : dev.flags & IFF_UP ? "noqueue" : "noop";
}

/** tc_modify_qdisc for the root (tcm_parent TC_H_ROOT) or a qdisc named by handle. */
export function tcModifyQdisc(dev: NetDevice, req: TcQdiscReq): void {
  const flags = req.nlFlags;
  let q: Qdisc | undefined;
  if (req.parent) {
    if (req.parent !== TC_H_ROOT) throw new KernelError("EINVAL", "Failed to find specified qdisc");
    q = rootQdisc(dev);
    if (!q || !req.handle || q.handle !== req.handle) {
      if (req.handle) {
        if (q && !flags.replace) throw new KernelError("EEXIST", "NLM_F_REPLACE needed to override");
        if (req.handle & TC_H_MIN_MASK) throw new KernelError("EINVAL", "Invalid minor handle");
        const found = q && q.handle === req.handle ? q : undefined;
        if (!found) {
          createAndGraft(dev, req);
          return;
        }
        if (flags.excl) throw new KernelError("EEXIST", "Exclusivity flag on, cannot override");
        if (req.qdiscKind !== undefined && req.qdiscKind !== found.ops.id)
          throw new KernelError("EINVAL", "Invalid qdisc name: must match existing qdisc");
        q = found;
      } else {
        if (!q) {
          createAndGraft(dev, req);
          return;
        }
        // The "magic test": another kind replaces the qdisc when asked to create (create or
        // replace, exclusive create) and on a plain change; the same kind is changed in place.
        if (req.qdiscKind !== undefined && req.qdiscKind !== q.ops.id) {
          if ((flags.create && flags.replace) || (flags.create && flags.excl)) {
            createAndGraft(dev, req);
            return;
          }
          if (!flags.create && !flags.replace && !flags.excl) {
            qdiscGraftRoot(dev, qdiscCreate(dev, req));
            return;
          }
        }
      }
    }
  } else {
    if (!req.handle) throw new KernelError("EINVAL", "Handle cannot be zero");
    const root = rootQdisc(dev);
    q = root && root.handle === req.handle ? root : undefined;
  }
  if (!q) throw new KernelError("ENOENT", "Specified qdisc not found");
  if (flags.excl) throw new KernelError("EEXIST", "Exclusivity flag on, cannot modify");
  if (req.qdiscKind !== undefined && req.qdiscKind !== q.ops.id)
    throw new KernelError("EINVAL", "Invalid qdisc name: must match existing qdisc");
  // qdisc_change
  if (req.options) {
    if (!q.ops.change) throw new KernelError("EINVAL", "Change operation not supported by specified qdisc");
    q.ops.change(q, req.options);
  }
}

function createAndGraft(dev: NetDevice, req: TcQdiscReq): void {
  if (!req.nlFlags.create)
    throw new KernelError("ENOENT", "Qdisc not found. To create specify NLM_F_CREATE flag");
  qdiscGraftRoot(dev, qdiscCreate(dev, req));
}

/** tc_get_qdisc for RTM_DELQDISC. */
export function tcDeleteQdisc(dev: NetDevice, req: TcQdiscReq): void {
  const root = rootQdisc(dev);
  let q: Qdisc | undefined;
  let handle = 0;
  if (req.parent) {
    if (req.parent !== TC_H_ROOT)
      throw new KernelError("ENOENT", "Failed to find qdisc with specified classid");
    handle = root?.handle ?? 0;
    q = root;
    if (req.handle && handle !== req.handle) throw new KernelError("EINVAL", "Invalid handle");
  } else {
    q = root && req.handle && root.handle === req.handle ? root : undefined;
    if (!q) throw new KernelError("ENOENT", "Failed to find qdisc with specified handle");
  }
  const kind = q?.ops.id ?? dev.qdisc;
  if (req.qdiscKind !== undefined && req.qdiscKind !== kind)
    throw new KernelError("EINVAL", "Invalid qdisc name: must match existing qdisc");
  if (!req.parent) throw new KernelError("EINVAL", "Classid cannot be zero");
  if (!q || handle === 0) throw new KernelError("ENOENT", "Cannot delete qdisc with handle of zero");
  qdiscGraftRoot(dev, undefined);
}

function fill(dev: NetDevice, q: Qdisc | undefined): TcQdisc {
  const s = q?.stats;
  return {
    kind: q ? q.ops.id : dev.qdisc,
    ifindex: dev.ifindex,
    handle: q ? q.handle : 0,
    parent: TC_H_ROOT,
    // The default noqueue: one reference from dev->qdisc besides its own.
    refcnt: q ? q.refcnt : 2,
    options: q?.ops.dump(q),
    stats: {
      bytes: s?.bytes ?? 0,
      packets: s?.packets ?? 0,
      drops: s?.drops ?? 0,
      overlimits: s?.overlimits ?? 0,
      requeues: s?.requeues ?? 0,
      backlog: s?.backlog ?? 0,
      qlen: q ? qdiscQlen(q) : 0,
    },
  };
}

/** tc_dump_qdisc: each device's root qdisc, skipping the built-in noop (TCQ_F_BUILTIN). */
export function tcDumpQdisc(net: Net, devices: readonly NetDevice[]): TcQdisc[] {
  const out: TcQdisc[] = [];
  for (const dev of devices) {
    if (dev.net !== net) continue;
    if (!dev.rootQdisc && dev.qdisc === "noop") continue;
    out.push(fill(dev, dev.rootQdisc));
  }
  return out;
}
