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
  /** net->nf.hooks_ipv4: sorted by priority, registration order among equals. */
  readonly hooks: NfHookOps[][];
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
  /** The x_tables of this namespace (see x_tables.ts), by name. */
  readonly xtTables: Map<string, unknown>;
  /** Connection tracking and NAT (nf_conntrack.ts), made by the conntrack pernet init. */
  ct?: unknown;
}

export function newNetnsNf(): NetnsNf {
  return {
    hooks: Array.from({ length: NF_INET_NUMHOOKS }, () => []),
    drops: { NETFILTER_DROP: 0, IP_OUTNOROUTES: 0 },
    statePool: [],
    depth: 0,
    bridgeNfCallIptables: 1,
    bridgeNfCallIp6tables: 1,
    bridgeNfCallArptables: 1,
    bridgeNfFilterVlanTagged: 0,
    bridgeNfFilterPppoeTagged: 0,
    bridgeNfPassVlanInputDev: 0,
    nfLogAllNetns: 0,
    xtTables: new Map(),
  };
}

/** nf_register_net_hook: inserted after every entry of lower or equal priority. */
export function nfRegisterNetHook(net: Net, ops: NfHookOps): void {
  const list = net.nf.hooks[ops.hooknum] as NfHookOps[];
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
  if ((net.nf.hooks[hook] as NfHookOps[]).length === 0 || nfHookRun(hook, skb, net, inDev, outDev) === 1)
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
  const entries = nf.hooks[hook] as NfHookOps[];
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
