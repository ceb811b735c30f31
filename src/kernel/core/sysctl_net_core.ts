// net/core/sysctl_net_core.c's net.core entries a network namespace has (netns_core_table, and
// the global buffer sizes that a child namespace sees read-only), xfrm_sysctl.c's net.core.xfrm_*,
// and net/unix/sysctl_net_unix.c's net.unix.max_dgram_qlen: handler, default, mode.
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  dointvec,
  dou8vec,
  douintvec,
  type SysctlHandler,
  type SysctlKnob,
  sysctlKnobInt,
} from "../sysctl.js";

/** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF on x86-64: the floors of wmem_* and rmem_*. */
export const SOCK_MIN_SNDBUF = 4608;
export const SOCK_MIN_RCVBUF = 2304;

/** nr_cpu_ids of the reference machine: rps_default_mask has this many bits. */
const NR_CPU_IDS = 2;

/**
 * rps_default_mask_sysctl: a cpumask written as bitmap_parse takes it (32-bit hex chunks, the
 * last one lowest, no 0x), a bit beyond nr_cpu_ids is EOVERFLOW; read back as %*pb.
 */
const rpsDefaultMask: SysctlHandler = {
  format: (v) => (v as number).toString(16).padStart(Math.ceil(NR_CPU_IDS / 4), "0"),
  parse: (text) => {
    const t = text.replace(/\n$/, "");
    if (t === "") return 0;
    if (!/^[0-9a-fA-F]+(,[0-9a-fA-F]+)*$/.test(t)) throw new KernelError("EINVAL");
    const chunks = t.split(",").map((c) => BigInt(`0x${c}`));
    const last = chunks.pop() as bigint;
    if (chunks.some((c) => c !== 0n) || last >= 1n << BigInt(NR_CPU_IDS)) throw new KernelError("EOVERFLOW");
    return Number(last);
  },
};

export const NET_CORE_KNOBS = {
  rps_default_mask: { handler: rpsDefaultMask, dflt: 0 },
  optmem_max: { handler: dointvec(0), dflt: 128 * 1024 },
  /** The machine's values (Debian's 212992 raised to 4 MiB for the maxima); global. */
  rmem_default: { handler: dointvec(SOCK_MIN_RCVBUF), dflt: 212992, global: true },
  rmem_max: { handler: dointvec(SOCK_MIN_RCVBUF), dflt: 4194304, global: true },
  somaxconn: { handler: dointvec(0), dflt: 4096 },
  tstamp_allow_data: { handler: dou8vec(0, 1), dflt: 1 },
  txrehash: { handler: dou8vec(0, 1), dflt: 1 },
  wmem_default: { handler: dointvec(SOCK_MIN_SNDBUF), dflt: 212992, global: true },
  wmem_max: { handler: dointvec(SOCK_MIN_SNDBUF), dflt: 4194304, global: true },
  xfrm_acq_expires: { handler: dointvec(), dflt: 30 },
  xfrm_aevent_etime: { handler: douintvec(), dflt: 10 },
  xfrm_aevent_rseqth: { handler: douintvec(), dflt: 2 },
  xfrm_larval_drop: { handler: dointvec(), dflt: 1 },
} as const satisfies Record<string, SysctlKnob>;

export type NetCoreKnob = keyof typeof NET_CORE_KNOBS;

const PATHS = Object.fromEntries(Object.keys(NET_CORE_KNOBS).map((k) => [k, `core/${k}`])) as Record<
  NetCoreKnob,
  string
>;

/** READ_ONCE(net->core.sysctl_…) or the global sysctl_{r,w}mem_{default,max}. */
export function netCoreSysctl(net: Net, name: NetCoreKnob): number {
  return sysctlKnobInt(net, PATHS[name], NET_CORE_KNOBS[name]);
}

export const NET_UNIX_KNOBS = {
  max_dgram_qlen: { handler: dointvec(), dflt: 10 },
} as const satisfies Record<string, SysctlKnob>;
