// x_tables and ip_tables (net/netfilter/x_tables.c, net/ipv4/netfilter/ip_tables.c): the tables
// of one namespace, replaced whole and read back with counters, and ipt_do_table, which walks a
// compiled table for each packet.
//
// A table is compiled into one flat array of rules, as the kernel's blob is laid out: each chain's
// rules, then its end (the policy of a built-in chain, an implicit RETURN for a user chain).
// Jumps are indices into that array; counters are two Float64Arrays beside it. Walking a table
// allocates nothing.
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  IPT_F_FRAG,
  IPT_F_GOTO,
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type IptChain,
  type IptEntry,
  type IptTable,
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_NUMHOOKS,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NFT_CONTINUE,
  NFT_GOTO,
  NFT_JUMP,
  NFT_RETURN,
  type XtMatch,
  type XtTarget,
} from "../uapi_netfilter.js";
import {
  NF_ACCEPT,
  NF_DROP,
  NF_IP_PRI_FILTER,
  NF_IP_PRI_MANGLE,
  NF_IP_PRI_NAT_DST,
  NF_IP_PRI_NAT_SRC,
  NF_IP_PRI_RAW,
  NF_IP_PRI_SECURITY,
  type NfHookOps,
  type NfHookState,
  nfRegisterNetHook,
  nfUnregisterNetHook,
} from "./core.js";
import { ipRouteMeHarder } from "./ip_netfilter.js";
import { matchCheck, matchCompile } from "./matches/index.js";
import { xtSetTableRefs } from "./matches/xt_set.js";
import { nfCtNetnsGet, nfCtNetnsPut } from "./nf_conntrack.js";
import { nfNatHook } from "./nf_nat.js";
import { type NftTraceInfo, nftTraceInit, nftTraceNotify } from "./nf_tables_trace.js";
import { targetCheck, targetCompile } from "./targets/index.js";

/** A target's "go on with the next rule" (XT_CONTINUE). */
export const XT_CONTINUE = 0xffffffff;

/** struct xt_action_param: the packet's place, filled once per table walk. */
export interface XtActionParam {
  net: Net;
  hook: number;
  in: NetDevice | undefined;
  out: NetDevice | undefined;
  /** The IP fragment offset in 8-byte units (0 for a first fragment or a whole packet). */
  fragoff: number;
  /** Offset of the transport header in skb.data. */
  thoff: number;
  /** Set by a match that finds the packet malformed: it is dropped at once. */
  hotdrop: boolean;
  /** The table being walked, for targets limited to one (LOG's hook names). */
  table: string;
}

export type XtMatchFn = (skb: SkBuff, par: XtActionParam) => boolean;
export type XtTargetFn = (skb: SkBuff, par: XtActionParam) => number;

/** What a match or target needs to know when a table is checked (struct xt_mtchk_param). */
export interface XtCheckParam {
  readonly net: Net;
  readonly table: string;
  /** The hooks this rule can be reached from. */
  readonly hookMask: number;
  readonly ip: IptEntry["ip"];
}

/** A table's registration (struct xt_table): its hooks, their priorities, and its hook function. */
export interface XtTableDesc {
  readonly name: string;
  /** The built-in chains by hook, in hook order. */
  readonly hooks: readonly { readonly hook: number; readonly chain: string; readonly priority: number }[];
  /** The hook function, when the table needs more than ipt_do_table (mangle's re-route). */
  readonly hookFn?: (table: XtTableState, skb: SkBuff, state: NfHookState) => number;
  /**
   * nf_nat_register_fn: the first chain of the table registers the hook function on every one
   * of its hooks (a chain not there means no lookup, but the packet is still rewritten); the
   * table needs conntrack while it is hooked.
   */
  readonly hookAll?: boolean;
}

const HOOK_CHAINS = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] as const;

function descOf(
  name: string,
  hooks: readonly number[],
  priority: number,
  hookFn?: XtTableDesc["hookFn"],
): XtTableDesc {
  return {
    name,
    hooks: hooks.map((hook) => ({ hook, chain: HOOK_CHAINS[hook] as string, priority })),
    hookFn,
  };
}

/**
 * The tables IPv4 has, by name (iptable_filter.c, iptable_mangle.c, iptable_raw.c,
 * iptable_security.c), in the order iptables-nft lists them. The nat table (iptable_nat.c: DNAT −100 on PREROUTING/OUTPUT, SNAT 100
 * on INPUT/POSTROUTING) goes here when NAT exists.
 */
export const XT_TABLE_DESCS: ReadonlyMap<string, XtTableDesc> = new Map([
  [
    "mangle",
    descOf(
      "mangle",
      [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING],
      NF_IP_PRI_MANGLE,
      (t, skb, state) => iptMangleHook(t, skb, state),
    ),
  ],
  [
    "security",
    descOf("security", [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT], NF_IP_PRI_SECURITY),
  ],
  ["raw", descOf("raw", [NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT], NF_IP_PRI_RAW)],
  ["filter", descOf("filter", [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT], NF_IP_PRI_FILTER)],
  [
    "nat",
    {
      name: "nat",
      hooks: [
        { hook: NF_INET_PRE_ROUTING, chain: "PREROUTING", priority: NF_IP_PRI_NAT_DST },
        { hook: NF_INET_LOCAL_IN, chain: "INPUT", priority: NF_IP_PRI_NAT_SRC },
        { hook: NF_INET_LOCAL_OUT, chain: "OUTPUT", priority: NF_IP_PRI_NAT_DST },
        { hook: NF_INET_POST_ROUTING, chain: "POSTROUTING", priority: NF_IP_PRI_NAT_SRC },
      ],
      hookFn: (t, skb, state) =>
        nfNatHook(
          t.net,
          skb,
          state,
          (t.hookEntry[state.hook] as number) >= 0 ? (s, st) => iptDoTable(t, s, st) : undefined,
        ),
      hookAll: true,
    },
  ],
]);

const IPB_INV_SRC = 1;
const IPB_INV_DST = 2;
const IPB_INV_PROTO = 4;
/** Fragment or interface checks, or matches: the rule needs more than the fast compare. */
const IPB_SLOW = 8;
/** The shortest run of rules worth an index (see XtTableState.runIndex). */
const RUN_MIN = 16;

// Rule kinds in the compiled array.
const K_ACCEPT = 0;
const K_DROP = 1;
const K_RETURN = 2;
const K_JUMP = 3;
const K_GOTO = 4;
const K_TARGET = 5;
const K_CONTINUE = 6;

/** One compiled rule: struct ipt_entry with its matches and target made into closures. */
interface Rule {
  readonly src: number;
  readonly smsk: number;
  readonly dst: number;
  readonly dmsk: number;
  readonly invSrc: boolean;
  readonly invDst: boolean;
  readonly proto: number;
  readonly invProto: boolean;
  readonly frag: boolean;
  readonly invFrag: boolean;
  /** Whether -i was given; `wild` compares a prefix (iptables' trailing `+`). */
  readonly inCheck: boolean;
  readonly inIf: string;
  readonly inWild: boolean;
  readonly invIn: boolean;
  readonly outCheck: boolean;
  readonly outIf: string;
  readonly outWild: boolean;
  readonly invOut: boolean;
  readonly matches: readonly XtMatchFn[];
  readonly kind: number;
  /** For K_JUMP and K_GOTO: the index of the target chain's first rule. */
  readonly jump: number;
  readonly target: XtTargetFn | undefined;
}

/** A table as a namespace holds it: the source it was built from, compiled rules, counters. */
export interface XtTableState {
  readonly desc: XtTableDesc;
  readonly net: Net;
  readonly source: IptTable;
  readonly rules: readonly Rule[];
  /**
   * The ipt_ip addresses and protocol of every rule as typed arrays, so a rule the packet misses
   * costs a few integer compares: ipBits has IPB_* flags, IPB_SLOW sends it to the full check.
   */
  readonly ipSrc: Int32Array;
  readonly ipSmsk: Int32Array;
  readonly ipDst: Int32Array;
  readonly ipDmsk: Int32Array;
  readonly ipProto: Uint8Array;
  readonly ipBits: Uint8Array;
  /**
   * Runs of at least RUN_MIN rules that differ only in their source address (same mask, same
   * destination, protocol and flags, source not inverted): for a rule inside one, runEnd is the
   * index after the run and runIndex maps each (saddr & mask) to the rules with that source, in
   * order. A packet crosses a run with one lookup instead of a compare per rule.
   */
  readonly runEnd: Int32Array;
  readonly runIndex: readonly (Map<number, Int32Array> | undefined)[];
  readonly pcnt: Float64Array;
  readonly bcnt: Float64Array;
  /** For each chain of `source`, the index of its first rule; its end entry follows its rules. */
  readonly chainStart: readonly number[];
  /** hook_entry and underflow (the built-in chain's policy entry) per hook; -1 if not a hook here. */
  readonly hookEntry: Int32Array;
  readonly underflow: Int32Array;
  /** Jump stacks and action params, one per nesting depth (a REJECT re-enters LOCAL_OUT). */
  readonly stacks: Int32Array[];
  readonly params: XtActionParam[];
  depth: number;
  readonly ops: readonly NfHookOps[];
  /** nf_ct_netns_get references this table holds (rules on connections, a hooked nat table). */
  readonly ctUses: number;
  /** table->hgen: the last handle given to a chain or rule of this table. */
  hgen: number;
  /** Per compiled entry: the rule's nf_tables handle (0 for a chain's end) and its chain. */
  readonly ruleHandle: Float64Array;
  /** Per chain of `source`: its nf_tables handle, 0 for a built-in chain not created. */
  readonly chainHandle: Float64Array;
  readonly ruleChain: Int32Array;
}

function tables(net: Net): Map<string, XtTableState> {
  return net.nf.xtTables as Map<string, XtTableState>;
}

/** The tables that exist in `net`, by registration order of XT_TABLE_DESCS. */
export function xtTableNames(net: Net): string[] {
  return [...XT_TABLE_DESCS.keys()].filter((n) => tables(net).has(n));
}

export function xtFindTable(net: Net, name: string): XtTableState | undefined {
  return tables(net).get(name);
}

/**
 * IPT_SO_GET_ENTRIES: the table with every rule's counters now. ENOENT when the table was never
 * created in this namespace (the nf_tables backend creates tables on first change).
 */
export function xtGetTable(net: Net, name: string): IptTable {
  if (!XT_TABLE_DESCS.has(name)) throw new KernelError("ENOENT");
  const t = tables(net).get(name);
  if (!t) throw new KernelError("ENOENT");
  return {
    name,
    chains: t.source.chains.map((chain, ci) => {
      const start = t.chainStart[ci] as number;
      const end = start + chain.entries.length;
      return {
        name: chain.name,
        policy: chain.policy,
        hooked: chain.hooked,
        stats: chain.stats,
        ...(t.chainHandle[ci] ? { handle: t.chainHandle[ci] as number } : {}),
        counters:
          chain.policy && chain.stats
            ? { pcnt: t.pcnt[end] as number, bcnt: t.bcnt[end] as number }
            : { pcnt: 0, bcnt: 0 },
        entries: chain.entries.map(
          (e, i): IptEntry => ({
            ip: e.ip,
            matches: e.matches,
            target: e.target,
            counters: { pcnt: t.pcnt[start + i] as number, bcnt: t.bcnt[start + i] as number },
            handle: t.ruleHandle[start + i] as number,
          }),
        ),
      };
    }),
  };
}

/** The default table: built-in chains with policy ACCEPT, no rules. */
export function xtDefaultTable(name: string): IptTable {
  const desc = XT_TABLE_DESCS.get(name);
  if (!desc) throw new KernelError("ENOENT");
  return {
    name,
    chains: desc.hooks.map((h) => ({
      name: h.chain,
      policy: "ACCEPT",
      hooked: false,
      stats: false,
      counters: { pcnt: 0, bcnt: 0 },
      entries: [],
    })),
  };
}

/**
 * IPT_SO_SET_REPLACE: validate the new table (translate_table, mark_source_chains, check_entry)
 * and swap it in at once; on any error the old table stays. The first replace creates the table
 * and registers its hooks.
 */
export function xtReplaceTable(net: Net, repl: IptTable): void {
  const desc = XT_TABLE_DESCS.get(repl.name);
  if (!desc) throw new KernelError("ENOENT");
  const old = tables(net).get(repl.name);
  const compiled = compileTable(net, desc, repl, repl.fresh || !old ? 0 : old.hgen);
  tables(net).set(repl.name, compiled);
  for (let i = 0; i < compiled.ctUses; i++) nfCtNetnsGet(net);
  xtSetTableRefs(net, repl, 1);
  if (old) {
    xtSetTableRefs(net, old.source, -1);
    for (const ops of old.ops) nfUnregisterNetHook(net, ops);
    for (let i = 0; i < old.ctUses; i++) nfCtNetnsPut(net);
  }
  for (const ops of compiled.ops) nfRegisterNetHook(net, ops);
}

const CT_MATCHES: ReadonlySet<string> = new Set(["conntrack", "state", "connmark"]);
const CT_TARGETS: ReadonlySet<string> = new Set(["CONNMARK", "CT", "SNAT", "DNAT", "MASQUERADE", "REDIRECT"]);

/** The rules that need conntrack (their checkentry calls nf_ct_netns_get). */
function countCtUses(desc: XtTableDesc, repl: IptTable): number {
  let n = 0;
  for (const c of repl.chains)
    for (const e of c.entries) {
      for (const m of e.matches) if (CT_MATCHES.has(m.kind)) n++;
      if (CT_TARGETS.has(e.target.kind)) n++;
    }
  if (desc.hookAll && repl.chains.some((c, i) => i < desc.hooks.length && c.hooked)) n++;
  return n;
}

/** At namespace exit every table goes, with its hooks. */
export function xtTablesNetExit(net: Net): void {
  for (const t of tables(net).values()) {
    for (const ops of t.ops) nfUnregisterNetHook(net, ops);
    for (let i = 0; i < t.ctUses; i++) nfCtNetnsPut(net);
    xtSetTableRefs(net, t.source, -1);
  }
  tables(net).clear();
}

/**
 * Checks and compiles a replacement. `base` is the table's handle counter before the batch:
 * nf_tables_alloc_handle gives what the batch creates — every chain that exists (a user chain, a
 * built-in chain once hooked) and every rule without a handle — the next handles in the order the
 * batch sent them. An iptables-restore batch numbers what it creates (`seq`, from 1, counting what
 * it deleted again too, as those took a handle), so the handle is base + seq; a single command's
 * chains come before its rules.
 */
function compileTable(net: Net, desc: XtTableDesc, repl: IptTable, base: number): XtTableState {
  const chains = repl.chains;
  // The built-in chains, exactly the table's hooks, first and in order.
  if (chains.length < desc.hooks.length) throw new KernelError("EINVAL");
  desc.hooks.forEach((h, i) => {
    const c = chains[i] as IptChain;
    if (c.name !== h.chain || (c.policy !== "ACCEPT" && c.policy !== "DROP")) throw new KernelError("EINVAL");
  });
  const byName = new Map<string, number>();
  chains.forEach((c, i) => {
    if (byName.has(c.name)) throw new KernelError("EEXIST");
    if (i >= desc.hooks.length && (c.policy !== undefined || HOOK_CHAINS.includes(c.name as never)))
      throw new KernelError("EINVAL");
    byName.set(c.name, i);
  });
  // mark_source_chains: which hooks reach each chain; a chain reached from itself is a loop.
  const hookMask = new Array<number>(chains.length).fill(0);
  // A chain explored once has no loop below it; it is walked again only to spread new hook bits.
  const done = new Set<number>();
  const visit = (ci: number, mask: number, path: Set<number>): void => {
    if (path.has(ci)) throw new KernelError("EMLINK");
    if (((hookMask[ci] as number) & mask) === mask && done.has(ci)) return;
    hookMask[ci] = (hookMask[ci] as number) | mask;
    path.add(ci);
    for (const e of (chains[ci] as IptChain).entries) {
      if (e.target.kind !== "jump") continue;
      const to = byName.get(e.target.chain);
      if (to === undefined) throw new KernelError("ENOENT");
      if (to < desc.hooks.length) throw new KernelError("EINVAL");
      visit(to, mask, path);
    }
    path.delete(ci);
    done.add(ci);
  };
  desc.hooks.forEach((h, i) => {
    visit(i, 1 << h.hook, new Set());
  });
  // Chains nothing reaches are checked for unknown targets only: a loop among them is harmless
  // until a built-in chain reaches it (as nf_tables validates from base chains).
  for (const c of chains)
    for (const e of c.entries)
      if (e.target.kind === "jump" && !byName.has(e.target.chain)) throw new KernelError("ENOENT");

  const chainStart: number[] = [];
  let n = 0;
  for (const c of chains) {
    chainStart.push(n);
    n += c.entries.length + 1;
  }
  const rules: Rule[] = [];
  const pcnt = new Float64Array(n);
  const bcnt = new Float64Array(n);
  const ruleHandle = new Float64Array(n);
  const ruleChain = new Int32Array(n);
  const chainHandle = new Float64Array(chains.length);
  let hgen = base + (repl.batchLen ?? 0);
  chains.forEach((c, ci) => {
    if (ci < desc.hooks.length && !c.hooked) return;
    chainHandle[ci] = c.handle ?? (c.seq !== undefined ? base + c.seq : ++hgen);
  });
  chains.forEach((c, ci) => {
    for (const e of c.entries) {
      const par: XtCheckParam = { net, table: desc.name, hookMask: hookMask[ci] as number, ip: e.ip };
      pcnt[rules.length] = e.counters.pcnt;
      bcnt[rules.length] = e.counters.bcnt;
      const seq = e.handle === undefined ? repl.ruleSeq?.get(e) : undefined;
      ruleHandle[rules.length] = e.handle ?? (seq !== undefined ? base + seq : ++hgen);
      ruleChain[rules.length] = ci;
      rules.push(compileEntry(e, par, (name) => chainStart[byName.get(name) as number] as number));
    }
    ruleChain[rules.length] = ci;
    pcnt[rules.length] = c.counters.pcnt;
    bcnt[rules.length] = c.counters.bcnt;
    rules.push(chainEnd(c.policy === undefined ? K_RETURN : c.policy === "ACCEPT" ? K_ACCEPT : K_DROP));
  });
  const hookEntry = new Int32Array(NF_INET_NUMHOOKS).fill(-1);
  const underflow = new Int32Array(NF_INET_NUMHOOKS).fill(-1);
  desc.hooks.forEach((h, i) => {
    if (!(chains[i] as IptChain).hooked) return;
    hookEntry[h.hook] = chainStart[i] as number;
    underflow[h.hook] = (chainStart[i] as number) + (chains[i] as IptChain).entries.length;
  });
  const ipSrc = new Int32Array(n);
  const ipSmsk = new Int32Array(n);
  const ipDst = new Int32Array(n);
  const ipDmsk = new Int32Array(n);
  const ipProto = new Uint8Array(n);
  const ipBits = new Uint8Array(n);
  rules.forEach((r, i) => {
    ipSrc[i] = r.src | 0;
    ipSmsk[i] = r.smsk | 0;
    ipDst[i] = r.dst | 0;
    ipDmsk[i] = r.dmsk | 0;
    ipProto[i] = r.proto;
    ipBits[i] =
      (r.invSrc ? IPB_INV_SRC : 0) |
      (r.invDst ? IPB_INV_DST : 0) |
      (r.invProto ? IPB_INV_PROTO : 0) |
      (r.frag || r.inCheck || r.outCheck || r.matches.length > 0 ? IPB_SLOW : 0);
  });
  const runEnd = new Int32Array(n);
  const runIndex: (Map<number, Int32Array> | undefined)[] = new Array(n).fill(undefined);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    const same = (k: number) =>
      ipSmsk[k] === ipSmsk[i] &&
      ipDst[k] === ipDst[i] &&
      ipDmsk[k] === ipDmsk[i] &&
      ipProto[k] === ipProto[i] &&
      ipBits[k] === ipBits[i];
    // Chain ends have no source mask, so a run never crosses into the next chain.
    if (ipSmsk[i] !== 0 && !((ipBits[i] as number) & IPB_INV_SRC)) while (j < n && same(j)) j++;
    if (j - i >= RUN_MIN) {
      const bySrc = new Map<number, number[]>();
      for (let k = i; k < j; k++) {
        const list = bySrc.get(ipSrc[k] as number) ?? [];
        list.push(k);
        bySrc.set(ipSrc[k] as number, list);
      }
      const index = new Map([...bySrc].map(([src, list]) => [src, Int32Array.from(list)] as const));
      for (let k = i; k < j; k++) {
        runEnd[k] = j;
        runIndex[k] = index;
      }
    } else for (let k = i; k < j; k++) runEnd[k] = k + 1;
    i = j;
  }
  const state: XtTableState = {
    desc,
    net,
    source: repl,
    rules,
    ipSrc,
    ipSmsk,
    ipDst,
    ipDmsk,
    ipProto,
    ipBits,
    runEnd,
    runIndex,
    pcnt,
    bcnt,
    chainStart,
    hookEntry,
    underflow,
    stacks: [],
    params: [],
    depth: 0,
    ctUses: countCtUses(desc, repl),
    hgen: maxOf(maxOf(hgen, chainHandle), ruleHandle),
    ruleHandle,
    chainHandle,
    ruleChain,
    ops: desc.hooks
      .filter((_, i) =>
        desc.hookAll
          ? chains.some((c, j) => j < desc.hooks.length && c.hooked)
          : (chains[i] as IptChain).hooked,
      )
      .map((h) => ({
        name: `iptable_${desc.name}`,
        hooknum: h.hook,
        priority: h.priority,
        hook: desc.hookFn
          ? (skb, st) => (desc.hookFn as NonNullable<XtTableDesc["hookFn"]>)(state, skb, st)
          : (skb, st) => iptDoTable(state, skb, st),
      })),
  };
  return state;
}

function maxOf(start: number, values: Float64Array): number {
  let m = start;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > m) m = values[i] as number;
  return m;
}

function chainEnd(kind: number): Rule {
  return {
    src: 0,
    smsk: 0,
    dst: 0,
    dmsk: 0,
    invSrc: false,
    invDst: false,
    proto: 0,
    invProto: false,
    frag: false,
    invFrag: false,
    inCheck: false,
    inIf: "",
    inWild: false,
    invIn: false,
    outCheck: false,
    outIf: "",
    outWild: false,
    invOut: false,
    matches: [],
    kind,
    jump: -1,
    target: undefined,
  };
}

function compileEntry(e: IptEntry, par: XtCheckParam, chainIndex: (name: string) => number): Rule {
  const ip = e.ip;
  const matches = e.matches.map((m: XtMatch) => {
    matchCheck(m, par);
    return matchCompile(m, par);
  });
  // Trivially true matches (comment) cost nothing at run time.
  const live = matches.filter((f): f is XtMatchFn => f !== undefined);
  const t: XtTarget = e.target;
  let kind = K_CONTINUE;
  let jump = -1;
  let target: XtTargetFn | undefined;
  switch (t.kind) {
    case "standard":
      kind = { ACCEPT: K_ACCEPT, DROP: K_DROP, RETURN: K_RETURN, CONTINUE: K_CONTINUE }[t.verdict];
      break;
    case "jump":
      kind = ip.flags & IPT_F_GOTO ? K_GOTO : K_JUMP;
      jump = chainIndex(t.chain);
      break;
    case "REJECT":
    case "LOG":
    case "MARK":
    case "CONNMARK":
    case "CT":
    case "SNAT":
    case "DNAT":
    case "MASQUERADE":
    case "REDIRECT":
    case "SET":
    case "TCPMSS":
    case "TRACE":
      targetCheck(t, par);
      kind = K_TARGET;
      target = targetCompile(t, par);
      break;
  }
  const iface = (name: string) => ({
    name: name.endsWith("+") ? name.slice(0, -1) : name,
    wild: name.endsWith("+"),
  });
  const inIf = iface(ip.iniface);
  const outIf = iface(ip.outiface);
  return {
    src: ip.src >>> 0,
    smsk: ip.smsk >>> 0,
    dst: ip.dst >>> 0,
    dmsk: ip.dmsk >>> 0,
    invSrc: (ip.invflags & IPT_INV_SRCIP) !== 0,
    invDst: (ip.invflags & IPT_INV_DSTIP) !== 0,
    proto: ip.proto,
    invProto: (ip.invflags & IPT_INV_PROTO) !== 0,
    frag: (ip.flags & IPT_F_FRAG) !== 0,
    invFrag: (ip.invflags & IPT_INV_FRAG) !== 0,
    inCheck: ip.iniface !== "",
    inIf: inIf.name,
    inWild: inIf.wild,
    invIn: (ip.invflags & IPT_INV_VIA_IN) !== 0,
    outCheck: ip.outiface !== "",
    outIf: outIf.name,
    outWild: outIf.wild,
    invOut: (ip.invflags & IPT_INV_VIA_OUT) !== 0,
    matches: live,
    kind,
    jump,
    target,
  };
}

/** ifname_compare_aligned: exact, or by prefix for a wildcard (an empty prefix matches all). */
function ifMatch(name: string, want: string, wild: boolean): boolean {
  return wild ? name.startsWith(want) : name === want;
}

/**
 * ipt_do_table: the packet walks the chain of `state.hook`, from rule to rule; a rule whose
 * ipt_ip part and matches all hold counts the packet and applies its target.
 */
export function iptDoTable(t: XtTableState, skb: SkBuff, state: NfHookState): number {
  const hook = state.hook;
  let idx = t.hookEntry[hook] as number;
  if (idx < 0) return NF_ACCEPT;
  const data = skb.data;
  const nh = skb.networkHeader;
  if (skb.tail - nh < 20) return NF_DROP;
  const saddr = readU32(data, nh + 12) | 0;
  const daddr = readU32(data, nh + 16) | 0;
  const protocol = data[nh + 9] as number;
  const fragoff = (((data[nh + 6] as number) & 0x1f) << 8) | (data[nh + 7] as number);
  const len = skb.tail - nh;
  const inName = state.in ? state.in.name : "";
  const outName = state.out ? state.out.name : "";
  const depth = t.depth;
  let par = t.params[depth];
  if (!par) {
    par = {
      net: t.net,
      hook,
      in: undefined,
      out: undefined,
      fragoff: 0,
      thoff: 0,
      hotdrop: false,
      table: t.desc.name,
    };
    t.params[depth] = par;
  }
  let stack = t.stacks[depth];
  if (!stack) {
    stack = new Int32Array(t.source.chains.length + 1);
    t.stacks[depth] = stack;
  }
  par.hook = hook;
  par.in = state.in;
  par.out = state.out;
  par.fragoff = fragoff;
  par.thoff = nh + ((data[nh] as number) & 0xf) * 4;
  par.hotdrop = false;
  const rules = t.rules;
  const ipSrc = t.ipSrc;
  const ipSmsk = t.ipSmsk;
  const ipDst = t.ipDst;
  const ipDmsk = t.ipDmsk;
  const ipProto = t.ipProto;
  const ipBits = t.ipBits;
  let sp = 0;
  /** This walk's nft_traceinfo, made at the first event (only for a packet with nf_trace set). */
  let trace: NftTraceInfo | undefined;
  t.depth = depth + 1;
  try {
    for (;;) {
      // ip_packet_match, its common part on the typed arrays.
      const bits = ipBits[idx] as number;
      const runIdx = t.runIndex[idx];
      if (runIdx !== undefined) {
        // Inside a run the rules share all but the source: the first one with this packet's
        // source at or after idx is the only candidate; without one the whole run is skipped.
        const cands = runIdx.get(saddr & (ipSmsk[idx] as number));
        let next = -1;
        if (cands !== undefined)
          for (let c = 0; c < cands.length; c++)
            if ((cands[c] as number) >= idx) {
              next = cands[c] as number;
              break;
            }
        if (next < 0) {
          idx = t.runEnd[idx] as number;
          continue;
        }
        idx = next;
      }
      if (
        ((saddr & (ipSmsk[idx] as number)) === ipSrc[idx]) === ((bits & IPB_INV_SRC) !== 0) ||
        ((daddr & (ipDmsk[idx] as number)) === ipDst[idx]) === ((bits & IPB_INV_DST) !== 0)
      ) {
        idx++;
        continue;
      }
      const proto = ipProto[idx] as number;
      if (proto !== 0 && (protocol === proto) === ((bits & IPB_INV_PROTO) !== 0)) {
        idx++;
        continue;
      }
      const e = rules[idx] as Rule;
      if (
        bits & IPB_SLOW &&
        ((e.frag && (fragoff === 0) !== e.invFrag) ||
          (e.inCheck && ifMatch(inName, e.inIf, e.inWild) === e.invIn) ||
          (e.outCheck && ifMatch(outName, e.outIf, e.outWild) === e.invOut))
      ) {
        idx++;
        continue;
      }
      let ok = true;
      const ms = e.matches;
      for (let i = 0; i < ms.length; i++) {
        if (!(ms[i] as XtMatchFn)(skb, par)) {
          ok = false;
          break;
        }
      }
      if (par.hotdrop) return NF_DROP;
      if (!ok) {
        idx++;
        continue;
      }
      t.pcnt[idx] = (t.pcnt[idx] as number) + 1;
      t.bcnt[idx] = (t.bcnt[idx] as number) + len;
      t.net.host.tracer?.rule(t.net, skb, t, idx);
      switch (e.kind) {
        case K_ACCEPT:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NF_ACCEPT, trace);
          return NF_ACCEPT;
        case K_DROP:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NF_DROP, trace);
          return NF_DROP;
        case K_RETURN:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NFT_RETURN, trace);
          // Off the end of a user chain, or RETURN: back to the caller; from a built-in chain
          // (nothing on the stack) to its policy.
          if (sp === 0) {
            if (idx === (t.underflow[hook] as number)) return NF_ACCEPT;
            idx = t.underflow[hook] as number;
          } else idx = stack[--sp] as number;
          continue;
        case K_JUMP:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NFT_JUMP, trace, e.jump);
          stack[sp++] = idx + 1;
          idx = e.jump;
          continue;
        case K_GOTO:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NFT_GOTO, trace, e.jump);
          idx = e.jump;
          continue;
        case K_CONTINUE:
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, NFT_CONTINUE, trace);
          idx++;
          continue;
        default: {
          const v = (e.target as XtTargetFn)(skb, par);
          // TRACE itself sets nf_trace: its own rule is the first one reported.
          if (skb.nfTrace) trace = iptTrace(t, skb, state, idx, v === XT_CONTINUE ? NFT_CONTINUE : v, trace);
          if (v !== XT_CONTINUE) return v;
          idx++;
        }
      }
    }
  } finally {
    t.depth = depth;
  }
}

/**
 * nft_trace_packet / nft_trace_verdict for the rule or chain end at `idx`: a rule that decided
 * something reports its handle and verdict, a built-in chain's end its policy; the implicit
 * return at a user chain's end reports nothing.
 */
function iptTrace(
  t: XtTableState,
  skb: SkBuff,
  state: NfHookState,
  idx: number,
  verdict: number,
  info: NftTraceInfo | undefined,
  jumpTo?: number,
): NftTraceInfo {
  const ci = t.ruleChain[idx] as number;
  const hookChain = t.source.chains[t.ruleChain[t.hookEntry[state.hook] as number] as number] as IptChain;
  info ??= nftTraceInit(skb, state, t.desc.name, hookChain.name);
  const chain = (t.source.chains[ci] as IptChain).name;
  const handle = t.ruleHandle[idx] as number;
  if (handle !== 0) {
    const target =
      jumpTo !== undefined ? (t.source.chains[t.ruleChain[jumpTo] as number] as IptChain).name : undefined;
    nftTraceNotify(skb, state, info, chain, handle, verdict, target);
  } else if (ci < t.desc.hooks.length) nftTraceNotify(skb, state, info, chain, undefined, verdict);
  return info;
}

/**
 * ipt_mangle_out: a locally generated packet whose mark, addresses or TOS the mangle table
 * changed is routed again (ip_route_me_harder), so policy routing by fwmark sees the new mark.
 */
function iptMangleHook(t: XtTableState, skb: SkBuff, state: NfHookState): number {
  if (state.hook !== NF_INET_LOCAL_OUT) return iptDoTable(t, skb, state);
  const nh = skb.networkHeader;
  const mark = skb.mark;
  const tos = skb.data[nh + 1];
  const saddr = readU32(skb.data, nh + 12);
  const daddr = readU32(skb.data, nh + 16);
  const ret = iptDoTable(t, skb, state);
  if (ret !== NF_ACCEPT) return ret;
  const d = skb.data;
  if (
    skb.mark !== mark ||
    d[nh + 1] !== tos ||
    readU32(d, nh + 12) !== saddr ||
    readU32(d, nh + 16) !== daddr
  ) {
    if (!ipRouteMeHarder(t.net, skb)) {
      t.net.nf.drops.IP_OUTNOROUTES++;
      return NF_DROP;
    }
  }
  return ret;
}

function readU32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}
