// The netfilter hook core (net/netfilter/core.c): per-namespace hook entries ordered by priority,
// and nf_hook / NF_HOOK, which runs them and calls the continuation when every one accepts.
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { NF_INET_NUMHOOKS } from "../uapi_netfilter.js";

export const NF_DROP = 0;
export const NF_ACCEPT = 1;
export const NF_STOLEN = 2;
export const NF_QUEUE = 3;
export const NF_REPEAT = 4;
export const NF_STOP = 5;

/** enum nf_ip_hook_priorities */
export const NF_IP_PRI_FIRST = -0x80000000;
export const NF_IP_PRI_RAW = -300;
export const NF_IP_PRI_CONNTRACK = -200;
export const NF_IP_PRI_MANGLE = -150;
export const NF_IP_PRI_NAT_DST = -100;
export const NF_IP_PRI_FILTER = 0;
export const NF_IP_PRI_SECURITY = 50;
export const NF_IP_PRI_NAT_SRC = 100;
export const NF_IP_PRI_CONNTRACK_CONFIRM = 0x7fffffff;

/** struct nf_hook_state: what every hook function is told about the packet's place. */
export interface NfHookState {
  hook: number;
  in: NetDevice | undefined;
  out: NetDevice | undefined;
  net: Net;
}

export type NfHookFn = (skb: SkBuff, state: NfHookState) => number;

/** struct nf_hook_ops */
export interface NfHookOps {
  readonly name: string;
  readonly hooknum: number;
  readonly priority: number;
  readonly hook: NfHookFn;
}

/** Why netfilter dropped packets (SKB_DROP_REASON_NETFILTER_DROP and friends), per namespace. */
export interface NfDropStats {
  /** A hook returned NF_DROP (a DROP rule, a policy, REJECT, a hotdrop). */
  NETFILTER_DROP: number;
  /** A re-route after a mangle mark change found no route (ip_route_me_harder). */
  IP_OUTNOROUTES: number;
}

/** The namespace's netfilter state (struct netns_nf plus the bridge's brnf_net). */
export interface NetnsNf {
  /**
   * net->nf.hooks_ipv4: sorted by priority, registration order among equals. Read-only here:
   * nf_register_net_hook and nf_unregister_net_hook change them.
   */
  readonly hooks: readonly (readonly NfHookOps[])[];
  readonly drops: NfDropStats;
  /** State objects reused per nesting depth (a REJECT sends a packet through LOCAL_OUT). */
  readonly statePool: NfHookState[];
  depth: number;
  /** net.bridge.bridge-nf-call-iptables and friends (br_netfilter, built in). */
  bridgeNfCallIptables: number;
  bridgeNfCallIp6tables: number;
  bridgeNfCallArptables: number;
  bridgeNfFilterVlanTagged: number;
  bridgeNfFilterPppoeTagged: number;
  bridgeNfPassVlanInputDev: number;
  /** net.netfilter.nf_log_all_netns (init_net only): let every namespace log. */
  nfLogAllNetns: number;
  /** net->nf.hooks_arp and the ARP tables (arp_tables.ts), made on first use. */
  arp?: unknown;
  /** The x_tables of this namespace (see x_tables.ts), by name. */
  readonly xtTables: Map<string, unknown>;
  /** Whether a table made on first use exists yet (netns exit need not make it to empty it). */
  made(part: "xtTables" | "ct"): boolean;
  /**
   * Connection tracking and NAT (nf_conntrack.ts): nf_conntrack_pernet_init draws its hash seed
   * when the namespace is made; the table itself is made on first use (netCt).
   */
  ct?: unknown;
  ctSeed: number;
}

/** The hook lists of a namespace that has none registered: one shared, frozen, empty list each. */
const NO_HOOKS: readonly (readonly NfHookOps[])[] = Object.freeze(
  Array.from({ length: NF_INET_NUMHOOKS }, () => Object.freeze([] as NfHookOps[])),
);

/** brnf_net's knobs and nf_log_all_netns, the sysctls kept in NetnsNf. */
interface NfSysctls {
  bridgeNfCallIptables: number;
  bridgeNfCallIp6tables: number;
  bridgeNfCallArptables: number;
  bridgeNfFilterVlanTagged: number;
  bridgeNfFilterPppoeTagged: number;
  bridgeNfPassVlanInputDev: number;
  nfLogAllNetns: number;
}

/** Their defaults, shared (frozen) by every namespace that has written none. */
const NF_SYSCTLS_INIT: Readonly<NfSysctls> = Object.freeze(newNfSysctls());

function newNfSysctls(): NfSysctls {
  return {
    bridgeNfCallIptables: 1,
    bridgeNfCallIp6tables: 1,
    bridgeNfCallArptables: 1,
    bridgeNfFilterVlanTagged: 0,
    bridgeNfFilterPppoeTagged: 0,
    bridgeNfPassVlanInputDev: 0,
    nfLogAllNetns: 0,
  };
}

/**
 * An idle namespace has no hooks, tables or drops: its hook lists are the shared empty ones until
 * a hook registers, and its tables, drop counters and hook states are made on first use (the
 * kernel too instantiates x_tables per namespace on first access, xt_find_table_lock).
 */
class NfState implements NetnsNf {
  depth = 0;
  arp?: unknown = undefined;
  ct?: unknown = undefined;
  ctSeed = 0;
  hooks: readonly (readonly NfHookOps[])[] = NO_HOOKS;
  /** The sysctls: the shared defaults until the first write gives the namespace its own. */
  private sysctls: NfSysctls = NF_SYSCTLS_INIT as NfSysctls;
  private _drops: NfDropStats | undefined = undefined;
  private _statePool: NfHookState[] | undefined = undefined;
  private _xtTables: Map<string, unknown> | undefined = undefined;
  private sysctlsToWrite(): NfSysctls {
    if (this.sysctls === NF_SYSCTLS_INIT) this.sysctls = newNfSysctls();
    return this.sysctls;
  }
  get bridgeNfCallIptables(): number {
    return this.sysctls.bridgeNfCallIptables;
  }
  set bridgeNfCallIptables(value: number) {
    this.sysctlsToWrite().bridgeNfCallIptables = value;
  }
  get bridgeNfCallIp6tables(): number {
    return this.sysctls.bridgeNfCallIp6tables;
  }
  set bridgeNfCallIp6tables(value: number) {
    this.sysctlsToWrite().bridgeNfCallIp6tables = value;
  }
  get bridgeNfCallArptables(): number {
    return this.sysctls.bridgeNfCallArptables;
  }
  set bridgeNfCallArptables(value: number) {
    this.sysctlsToWrite().bridgeNfCallArptables = value;
  }
  get bridgeNfFilterVlanTagged(): number {
    return this.sysctls.bridgeNfFilterVlanTagged;
  }
  set bridgeNfFilterVlanTagged(value: number) {
    this.sysctlsToWrite().bridgeNfFilterVlanTagged = value;
  }
  get bridgeNfFilterPppoeTagged(): number {
    return this.sysctls.bridgeNfFilterPppoeTagged;
  }
  set bridgeNfFilterPppoeTagged(value: number) {
    this.sysctlsToWrite().bridgeNfFilterPppoeTagged = value;
  }
  get bridgeNfPassVlanInputDev(): number {
    return this.sysctls.bridgeNfPassVlanInputDev;
  }
  set bridgeNfPassVlanInputDev(value: number) {
    this.sysctlsToWrite().bridgeNfPassVlanInputDev = value;
  }
  get nfLogAllNetns(): number {
    return this.sysctls.nfLogAllNetns;
  }
  set nfLogAllNetns(value: number) {
    this.sysctlsToWrite().nfLogAllNetns = value;
  }
  get drops(): NfDropStats {
    this._drops ??= { NETFILTER_DROP: 0, IP_OUTNOROUTES: 0 };
    return this._drops;
  }
  get statePool(): NfHookState[] {
    this._statePool ??= [];
    return this._statePool;
  }
  get xtTables(): Map<string, unknown> {
    this._xtTables ??= new Map();
    return this._xtTables;
  }
  made(part: "xtTables" | "ct"): boolean {
    return part === "ct" ? this.ct !== undefined : this._xtTables !== undefined;
  }
}

export function newNetnsNf(): NetnsNf {
  return new NfState();
}

/** The namespace's own copy of one hook's list, made from the shared empty one on first change. */
function hookListForWrite(net: Net, hooknum: number): NfHookOps[] {
  const nf = net.nf as NfState;
  if (nf.hooks === NO_HOOKS) nf.hooks = Array.from({ length: NF_INET_NUMHOOKS }, () => []);
  return nf.hooks[hooknum] as NfHookOps[];
}

/** nf_register_net_hook: inserted after every entry of lower or equal priority. */
export function nfRegisterNetHook(net: Net, ops: NfHookOps): void {
  const list = hookListForWrite(net, ops.hooknum);
  let i = 0;
  while (i < list.length && (list[i] as NfHookOps).priority <= ops.priority) i++;
  list.splice(i, 0, ops);
}

export function nfUnregisterNetHook(net: Net, ops: NfHookOps): void {
  const list = net.nf.hooks[ops.hooknum] as NfHookOps[];
  const i = list.indexOf(ops);
  if (i >= 0) list.splice(i, 1);
}

/**
 * nf_hook_slow: runs the hook's entries in priority order. NF_ACCEPT goes on to the next, NF_STOP
 * ends the walk accepted, NF_DROP frees the packet (counted), NF_STOLEN means a hook took it.
 * Returns 1 when the caller should call okfn.
 */
export function nfHookSlow(skb: SkBuff, state: NfHookState, entries: readonly NfHookOps[]): number {
  for (let i = 0; i < entries.length; i++) {
    const verdict = (entries[i] as NfHookOps).hook(skb, state);
    state.net.host.tracer?.hook(state.net, skb, entries[i] as NfHookOps, verdict);
    switch (verdict & 0xff) {
      case NF_ACCEPT:
        continue;
      case NF_STOP:
        return 1;
      case NF_DROP:
        state.net.nf.drops.NETFILTER_DROP++;
        return 0;
      default:
        // NF_STOLEN, and NF_QUEUE with no queue handler (which drops).
        if ((verdict & 0xff) === NF_QUEUE) state.net.nf.drops.NETFILTER_DROP++;
        return 0;
    }
  }
  return 1;
}

/**
 * NF_HOOK(pf, hook, net, sk, skb, in, out, okfn), positional as in the kernel: the packet passes
 * hook `hook` of `net` and, if accepted, goes on to `okfn`. With no entries registered the
 * continuation is called directly, as the kernel's static key does.
 */
export function NF_HOOK(
  hook: number,
  net: Net,
  skb: SkBuff,
  inDev: NetDevice | undefined,
  outDev: NetDevice | undefined,
  okfn: (skb: SkBuff) => void,
): void {
  if (
    (net.nf.hooks[hook] as readonly NfHookOps[]).length === 0 ||
    nfHookRun(hook, skb, net, inDev, outDev) === 1
  )
    okfn(skb);
}

/** nf_hook: runs the entries with a state from the namespace's pool; 1 means accepted. */
export function nfHookRun(
  hook: number,
  skb: SkBuff,
  net: Net,
  inDev: NetDevice | undefined,
  outDev: NetDevice | undefined,
): number {
  const nf = net.nf;
  const entries = nf.hooks[hook] as readonly NfHookOps[];
  if (entries.length === 0) return 1;
  let state = nf.statePool[nf.depth];
  if (!state) {
    state = { hook, in: inDev, out: outDev, net };
    nf.statePool[nf.depth] = state;
  }
  state.hook = hook;
  state.in = inDev;
  state.out = outDev;
  nf.depth++;
  try {
    return nfHookSlow(skb, state, entries);
  } finally {
    nf.depth--;
  }
}
