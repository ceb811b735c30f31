// neigh_sysctl_register (net/core/neighbour.c): net.ipv4.neigh.DEV for each device's ARP parms,
// and net.ipv4.neigh.default, the table's own parms and its gc knobs, which only the initial
// namespace has (the table is the machine's).
import { JIFFY_NS } from "../clock.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  type NeighParms,
  type NeighVar,
  neighCopyDfltParms,
  neighParmsSet,
  neighPeriodicArm,
  neighVar,
  SKB_TRUESIZE_ETH_FRAME,
} from "./neighbour.js";

const HZ = 1_000_000_000 / JIFFY_NS;
const USER_HZ = 100;
const INT_MAX = 0x7fffffff;

/** proc_get_long: one decimal integer, optionally signed, surrounded by whitespace. */
function parseInt32(text: string): number {
  const match = /^\s*(-?\d+)\s*$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > INT_MAX || value < -INT_MAX - 1)
    throw new KernelError("EINVAL");
  return value;
}

/** How a NEIGH_VAR reads and parses: the proc handler of its ctl_table entry. */
interface Conv {
  read(v: number): number;
  write(v: number): number;
}

/** neigh_proc_dointvec_zero_intmax */
const zeroIntmax: Conv = {
  read: (v) => v,
  write: (v) => {
    if (v < 0) throw new KernelError("EINVAL");
    return v;
  },
};
/** neigh_proc_dointvec_jiffies: seconds. */
const secs: Conv = {
  read: (j) => Math.trunc(j / HZ),
  write: (v) => {
    if (Math.abs(v) > Math.trunc(INT_MAX / HZ)) throw new KernelError("EINVAL");
    return v * HZ;
  },
};
/** neigh_proc_dointvec_userhz_jiffies: USER_HZ ticks (jiffies_to_clock_t / clock_t_to_jiffies). */
const userhz: Conv = {
  read: (j) => Math.trunc((j * JIFFY_NS) / (1_000_000_000 / USER_HZ)),
  write: (v) => Math.trunc((v * HZ) / USER_HZ),
};
/** neigh_proc_dointvec_ms_jiffies: milliseconds, rounded up to jiffies. */
const msecs: Conv = {
  read: (j) => (j * JIFFY_NS) / 1_000_000,
  write: (v) => (v < 0 ? -Math.ceil((-v * 1_000_000) / JIFFY_NS) : Math.ceil((v * 1_000_000) / JIFFY_NS)),
};
/** neigh_proc_dointvec_ms_jiffies_positive */
const msecsPositive: Conv = {
  read: msecs.read,
  write: (v) => {
    if (v <= 0) throw new KernelError("EINVAL");
    return msecs.write(v);
  },
};
/** neigh_proc_dointvec_unres_qlen: packets of SKB_TRUESIZE(ETH_FRAME_LEN) bytes. */
const unresQlen: Conv = {
  read: (bytes) => Math.trunc(bytes / SKB_TRUESIZE_ETH_FRAME),
  write: (v) => {
    if (v < 0 || v > Math.trunc(INT_MAX / SKB_TRUESIZE_ETH_FRAME)) throw new KernelError("EINVAL");
    return v * SKB_TRUESIZE_ETH_FRAME;
  },
};

/** neigh_sysctl_template: file name -> the variable and its handler. */
const NEIGH_VARS: readonly (readonly [string, NeighVar, Conv])[] = [
  ["mcast_solicit", "MCAST_PROBES", zeroIntmax],
  ["ucast_solicit", "UCAST_PROBES", zeroIntmax],
  ["app_solicit", "APP_PROBES", zeroIntmax],
  ["mcast_resolicit", "MCAST_REPROBES", zeroIntmax],
  ["retrans_time", "RETRANS_TIME", userhz],
  ["base_reachable_time", "BASE_REACHABLE_TIME", secs],
  ["delay_first_probe_time", "DELAY_PROBE_TIME", secs],
  ["interval_probe_time_ms", "INTERVAL_PROBE_TIME_MS", msecsPositive],
  ["gc_stale_time", "GC_STALETIME", secs],
  ["unres_qlen_bytes", "QUEUE_LEN_BYTES", zeroIntmax],
  ["proxy_qlen", "PROXY_QLEN", zeroIntmax],
  ["anycast_delay", "ANYCAST_DELAY", userhz],
  ["proxy_delay", "PROXY_DELAY", userhz],
  ["locktime", "LOCKTIME", userhz],
  ["unres_qlen", "QUEUE_LEN_BYTES", unresQlen],
  ["retrans_time_ms", "RETRANS_TIME", msecs],
  ["base_reachable_time_ms", "BASE_REACHABLE_TIME", msecs],
];

export interface NeighSysctl {
  read(net: Net): string;
  write(net: Net, text: string): void;
}

/** One directory's files: `parms` of the device named `which`, or the table's for "default". */
export function neighSysctls(net: Net, which: string): [string, NeighSysctl][] {
  const tbl = net.host.arpTbl;
  const parmsOf = (n: Net): NeighParms | undefined =>
    which === "default" ? tbl.parms : n.devByName.get(which)?.inDev?.arpParms;
  const out: [string, NeighSysctl][] = NEIGH_VARS.map(([name, v, conv]) => [
    name,
    {
      read: (n) => {
        const p = parmsOf(n);
        return p ? String(conv.read(neighVar(p, v))) : "";
      },
      write: (n, text) => {
        const p = parmsOf(n);
        if (!p) throw new KernelError("ENOENT");
        neighParmsSet(tbl, p, v, conv.write(parseInt32(text)));
        // neigh_proc_update: a default written reaches the devices that kept theirs.
        if (!p.dev) neighCopyDfltParms(tbl, n.host.initNet, v);
      },
    },
  ]);
  if (which !== "default") return out;
  const thresh = (key: "gcThresh1" | "gcThresh2" | "gcThresh3"): NeighSysctl => ({
    read: () => String(tbl[key]),
    write: (n, text) => {
      const value = parseInt32(text);
      if (value < 0) throw new KernelError("EINVAL");
      tbl[key] = value;
      neighPeriodicArm(tbl, n.host);
    },
  });
  out.push(
    [
      "gc_interval",
      {
        read: () => String(secs.read(tbl.gcInterval)),
        write: (_n, text) => {
          tbl.gcInterval = secs.write(parseInt32(text));
        },
      },
    ],
    ["gc_thresh1", thresh("gcThresh1")],
    ["gc_thresh2", thresh("gcThresh2")],
    ["gc_thresh3", thresh("gcThresh3")],
  );
  return out;
}
