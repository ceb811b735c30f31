// arp_tables and arptable_filter (net/ipv4/netfilter/arp_tables.c, arptable_filter.c): the ARP
// filter table of one namespace, replaced whole and read back with counters (ARPT_SO_SET_REPLACE,
// ARPT_SO_GET_ENTRIES), and arpt_do_table, which walks it for each ARP packet at NF_ARP_IN (from
// arp_rcv) and NF_ARP_OUT (from arp_xmit).
//
// The rule is struct arpt_arp: every field is compared as (packet & mask) == value, a mask of 0
// leaving the field out. arptables-nft turns its rules into nf_tables payload compares; the
// userland here fills the masks so that each rule compares exactly what those expressions do.

import type { NetDevice } from "../core/dev.js";
import { type SkBuff, skbLen } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  NF_ACCEPT,
  NF_DROP,
  NF_IP_PRI_FILTER,
  type NfHookOps,
  type NfHookState,
  nfHookSlow,
} from "./core.js";

/** enum nf_arp_hooks (include/uapi/linux/netfilter_arp.h) */
export const NF_ARP_IN = 0;
export const NF_ARP_OUT = 1;
export const NF_ARP_FORWARD = 2;
export const NF_ARP_NUMHOOKS = 3;

/** struct arpt_arp invflags */
export const ARPT_INV_VIA_IN = 0x0001;
export const ARPT_INV_VIA_OUT = 0x0002;
export const ARPT_INV_SRCIP = 0x0004;
export const ARPT_INV_TGTIP = 0x0008;
export const ARPT_INV_SRCDEVADDR = 0x0010;
export const ARPT_INV_TGTDEVADDR = 0x0020;
export const ARPT_INV_ARPOP = 0x0040;
export const ARPT_INV_ARPHRD = 0x0080;
export const ARPT_INV_ARPPRO = 0x0100;
export const ARPT_INV_ARPHLN = 0x0200;

/** struct arpt_devaddr_info: six bytes and their mask (all zero: not compared). */
export interface ArptDevaddr {
  readonly addr: readonly number[];
  readonly mask: readonly number[];
}

/** struct arpt_arp. Interfaces ending in `+` match by prefix. Addresses are host-order u32. */
export interface ArptArp {
  readonly src: number;
  readonly smsk: number;
  readonly tgt: number;
  readonly tmsk: number;
  readonly srcDevaddr: ArptDevaddr;
  readonly tgtDevaddr: ArptDevaddr;
  readonly arhrd: number;
  readonly arhrdMask: number;
  readonly arpro: number;
  readonly arproMask: number;
  readonly arhln: number;
  readonly arhlnMask: number;
  readonly arpop: number;
  readonly arpopMask: number;
  readonly iniface: string;
  readonly outiface: string;
  readonly invflags: number;
}

/** struct arpt_mangle flags */
export const ARPT_MANGLE_SDEV = 0x01;
export const ARPT_MANGLE_TDEV = 0x02;
export const ARPT_MANGLE_SIP = 0x04;
export const ARPT_MANGLE_TIP = 0x08;
const ARPT_MANGLE_MASK = 0x0f;

/**
 * The targets arptable_filter takes: the standard verdicts, jumps to user chains, arpt_mangle
 * (rewrites the sender's and target's addresses, then its own verdict) and xt_MARK (rev 2).
 */
export type ArptTarget =
  | { readonly kind: "standard"; readonly verdict: "ACCEPT" | "DROP" | "RETURN" | "CONTINUE" }
  | { readonly kind: "jump"; readonly chain: string }
  | {
      readonly kind: "mangle";
      readonly flags: number;
      readonly srcDevaddr: readonly number[];
      readonly tgtDevaddr: readonly number[];
      readonly srcIp: number;
      readonly tgtIp: number;
      readonly target: "ACCEPT" | "DROP" | "CONTINUE";
    }
  | { readonly kind: "MARK"; readonly mark: number; readonly mask: number };

export interface ArptCounters {
  readonly pcnt: number;
  readonly bcnt: number;
}

/** struct arpt_entry */
export interface ArptEntry {
  readonly arp: ArptArp;
  readonly target: ArptTarget;
  readonly counters: ArptCounters;
}

export interface ArptChain {
  readonly name: string;
  /** Built-in chains have a policy; user chains none. */
  readonly policy: "ACCEPT" | "DROP" | undefined;
  /** A built-in chain sees packets once it exists (arptables-nft creates it on first use). */
  readonly hooked: boolean;
  /** Whether the built-in chain counts what its policy decides (created by -P or a restore). */
  readonly stats: boolean;
  readonly counters: ArptCounters;
  readonly entries: readonly ArptEntry[];
}

/** struct arpt_replace / arpt_get_entries: built-in chains first, in hook order. */
export interface ArptTable {
  readonly name: string;
  readonly chains: readonly ArptChain[];
}

/** arptable_filter: NF_ARP_IN and NF_ARP_OUT at filter priority (nf_tables' arp filter chains). */
const FILTER_HOOKS: readonly { readonly hook: number; readonly chain: string }[] = [
  { hook: NF_ARP_IN, chain: "INPUT" },
  { hook: NF_ARP_OUT, chain: "OUTPUT" },
];

/** The ARP tables there are, by name. */
export const ARPT_TABLES: ReadonlySet<string> = new Set(["filter"]);

const K_ACCEPT = 0;
const K_DROP = 1;
const K_RETURN = 2;
const K_JUMP = 3;
const K_CONTINUE = 4;
const K_MANGLE = 5;
const K_MARK = 6;

/** One compiled rule: the entry's arpt_arp, its verdict kind, and for a jump the target index. */
interface Rule {
  readonly arp: ArptArp;
  readonly inIf: string;
  readonly inWild: boolean;
  readonly outIf: string;
  readonly outWild: boolean;
  readonly kind: number;
  readonly jump: number;
  readonly target: ArptTarget;
}

interface ArptTableState {
  readonly net: Net;
  readonly source: ArptTable;
  readonly rules: readonly Rule[];
  readonly pcnt: Float64Array;
  readonly bcnt: Float64Array;
  readonly chainStart: readonly number[];
  readonly hookEntry: Int32Array;
  readonly underflow: Int32Array;
  /** Return addresses of the jumps taken: at most one per chain. */
  readonly stack: Int32Array;
  readonly ops: readonly NfHookOps[];
}

/** The namespace's ARP netfilter state: net->nf.hooks_arp and the tables, made on first use. */
interface NetnsArp {
  readonly hooks: readonly NfHookOps[][];
  readonly tables: Map<string, ArptTableState>;
}

function netnsArp(net: Net): NetnsArp {
  let a = net.nf.arp as NetnsArp | undefined;
  if (!a) {
    a = { hooks: Array.from({ length: NF_ARP_NUMHOOKS }, () => []), tables: new Map() };
    net.nf.arp = a;
  }
  return a;
}

function tables(net: Net): Map<string, ArptTableState> {
  return netnsArp(net).tables;
}

/** nf_register_net_hook for NFPROTO_ARP: after every entry of lower or equal priority. */
function nfRegisterArpHook(net: Net, ops: NfHookOps): void {
  const list = netnsArp(net).hooks[ops.hooknum] as NfHookOps[];
  let i = 0;
  while (i < list.length && (list[i] as NfHookOps).priority <= ops.priority) i++;
  list.splice(i, 0, ops);
}

function nfUnregisterArpHook(net: Net, ops: NfHookOps): void {
  const list = netnsArp(net).hooks[ops.hooknum] as NfHookOps[];
  const i = list.indexOf(ops);
  if (i >= 0) list.splice(i, 1);
}

/**
 * NF_HOOK(NFPROTO_ARP, hook, net, NULL, skb, in, out, okfn), positional as NF_HOOK is: the packet
 * passes the namespace's ARP hook and, accepted, goes on to `okfn`; with nothing registered,
 * straight on.
 */
export function NF_HOOK_ARP(
  hook: number,
  net: Net,
  skb: SkBuff,
  inDev: NetDevice | undefined,
  outDev: NetDevice | undefined,
  okfn: (skb: SkBuff) => void,
): void {
  const a = net.nf.arp as NetnsArp | undefined;
  const entries = a?.hooks[hook];
  if (!entries || entries.length === 0) {
    okfn(skb);
    return;
  }
  if (nfHookSlow(skb, { hook, in: inDev, out: outDev, net }, entries) === 1) okfn(skb);
}

/** The default table: built-in chains with policy ACCEPT, not yet hooked, no rules. */
export function arptDefaultTable(name: string): ArptTable {
  if (!ARPT_TABLES.has(name)) throw new KernelError("ENOENT");
  return {
    name,
    chains: FILTER_HOOKS.map((h) => ({
      name: h.chain,
      policy: "ACCEPT",
      hooked: false,
      stats: false,
      counters: { pcnt: 0, bcnt: 0 },
      entries: [],
    })),
  };
}

/** ARPT_SO_GET_ENTRIES: the table with its counters now; undefined before its first change. */
export function arptGetTable(net: Net, name: string): ArptTable | undefined {
  if (!ARPT_TABLES.has(name)) throw new KernelError("ENOENT");
  const t = tables(net).get(name);
  if (!t) return undefined;
  return {
    name,
    chains: t.source.chains.map((chain, ci) => {
      const start = t.chainStart[ci] as number;
      const end = start + chain.entries.length;
      return {
        ...chain,
        counters:
          chain.policy && chain.stats
            ? { pcnt: t.pcnt[end] as number, bcnt: t.bcnt[end] as number }
            : { pcnt: 0, bcnt: 0 },
        entries: chain.entries.map((e, i) => ({
          ...e,
          counters: { pcnt: t.pcnt[start + i] as number, bcnt: t.bcnt[start + i] as number },
        })),
      };
    }),
  };
}

/**
 * ARPT_SO_SET_REPLACE (do_replace -> translate_table): checks the whole table, then swaps it in
 * and moves the hooks; on any error the old table stays.
 */
export function arptReplaceTable(net: Net, repl: ArptTable): void {
  if (!ARPT_TABLES.has(repl.name)) throw new KernelError("ENOENT");
  const compiled = compileTable(net, repl);
  const old = tables(net).get(repl.name);
  tables(net).set(repl.name, compiled);
  if (old) for (const ops of old.ops) nfUnregisterArpHook(net, ops);
  for (const ops of compiled.ops) nfRegisterArpHook(net, ops);
}

function compileTable(net: Net, repl: ArptTable): ArptTableState {
  const chains = repl.chains;
  if (chains.length < FILTER_HOOKS.length) throw new KernelError("EINVAL");
  FILTER_HOOKS.forEach((h, i) => {
    const c = chains[i] as ArptChain;
    if (c.name !== h.chain || (c.policy !== "ACCEPT" && c.policy !== "DROP")) throw new KernelError("EINVAL");
  });
  const byName = new Map<string, number>();
  chains.forEach((c, i) => {
    if (byName.has(c.name)) throw new KernelError("EEXIST");
    if (i >= FILTER_HOOKS.length && c.policy !== undefined) throw new KernelError("EINVAL");
    byName.set(c.name, i);
  });
  // mark_source_chains: a jump to an unknown chain or a built-in one is invalid, a loop is EMLINK (nf_tables' answer).
  const done = new Set<number>();
  const visit = (ci: number, path: Set<number>): void => {
    if (path.has(ci)) throw new KernelError("EMLINK");
    if (done.has(ci)) return;
    path.add(ci);
    for (const e of (chains[ci] as ArptChain).entries) {
      if (e.target.kind !== "jump") continue;
      const to = byName.get(e.target.chain);
      if (to === undefined) throw new KernelError("ENOENT");
      if (to < FILTER_HOOKS.length) throw new KernelError("EINVAL");
      visit(to, path);
    }
    path.delete(ci);
    done.add(ci);
  };
  FILTER_HOOKS.forEach((_, i) => {
    visit(i, new Set());
  });
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
  for (const c of chains) {
    for (const e of c.entries) {
      pcnt[rules.length] = e.counters.pcnt;
      bcnt[rules.length] = e.counters.bcnt;
      rules.push(compileEntry(e.arp, e.target, (name) => chainStart[byName.get(name) as number] as number));
    }
    pcnt[rules.length] = c.counters.pcnt;
    bcnt[rules.length] = c.counters.bcnt;
    rules.push(
      compileEntry(ANY, {
        kind: "standard",
        verdict: c.policy === undefined ? "RETURN" : c.policy,
      }),
    );
  }
  const hookEntry = new Int32Array(NF_ARP_NUMHOOKS).fill(-1);
  const underflow = new Int32Array(NF_ARP_NUMHOOKS).fill(-1);
  FILTER_HOOKS.forEach((h, i) => {
    const c = chains[i] as ArptChain;
    if (!c.hooked) return;
    hookEntry[h.hook] = chainStart[i] as number;
    underflow[h.hook] = (chainStart[i] as number) + c.entries.length;
  });
  const state: ArptTableState = {
    net,
    source: repl,
    rules,
    pcnt,
    bcnt,
    chainStart,
    hookEntry,
    underflow,
    stack: new Int32Array(chains.length + 1),
    ops: FILTER_HOOKS.filter((_, i) => (chains[i] as ArptChain).hooked).map((h) => ({
      name: `arptable_${repl.name}`,
      hooknum: h.hook,
      priority: NF_IP_PRI_FILTER,
      hook: (skb: SkBuff, st: NfHookState) => arptDoTable(state, skb, st),
    })),
  };
  return state;
}

const NO_DEVADDR: ArptDevaddr = { addr: [0, 0, 0, 0, 0, 0], mask: [0, 0, 0, 0, 0, 0] };

/** A rule that matches every packet: the end of a chain. */
const ANY: ArptArp = {
  src: 0,
  smsk: 0,
  tgt: 0,
  tmsk: 0,
  srcDevaddr: NO_DEVADDR,
  tgtDevaddr: NO_DEVADDR,
  arhrd: 0,
  arhrdMask: 0,
  arpro: 0,
  arproMask: 0,
  arhln: 0,
  arhlnMask: 0,
  arpop: 0,
  arpopMask: 0,
  iniface: "",
  outiface: "",
  invflags: 0,
};

function compileEntry(arp: ArptArp, target: ArptTarget, chainIndex?: (name: string) => number): Rule {
  let kind = K_CONTINUE;
  let jump = -1;
  switch (target.kind) {
    case "standard":
      kind = { ACCEPT: K_ACCEPT, DROP: K_DROP, RETURN: K_RETURN, CONTINUE: K_CONTINUE }[target.verdict];
      break;
    case "jump":
      kind = K_JUMP;
      jump = (chainIndex as (name: string) => number)(target.chain);
      break;
    case "mangle":
      // arpt_mangle checkentry: some known flag, and a verdict of DROP, ACCEPT or CONTINUE.
      if (target.flags & ~ARPT_MANGLE_MASK || !(target.flags & ARPT_MANGLE_MASK))
        throw new KernelError("EINVAL");
      kind = K_MANGLE;
      break;
    case "MARK":
      kind = K_MARK;
      break;
  }
  const wild = (name: string) => name.endsWith("+");
  return {
    arp,
    inIf: wild(arp.iniface) ? arp.iniface.slice(0, -1) : arp.iniface,
    inWild: wild(arp.iniface),
    outIf: wild(arp.outiface) ? arp.outiface.slice(0, -1) : arp.outiface,
    outWild: wild(arp.outiface),
    kind,
    jump,
    target,
  };
}

/** NF_INVF: the comparison's result, turned over when the rule inverts it. */
function invf(arp: ArptArp, flag: number, mismatch: boolean): boolean {
  return mismatch !== ((arp.invflags & flag) !== 0);
}

/** arp_devaddr_compare: whether the masked bytes differ. */
function devaddrDiffers(info: ArptDevaddr, d: Uint8Array, at: number): boolean {
  for (let i = 0; i < 6; i++)
    if (((info.addr[i] as number) ^ (d[at + i] as number)) & (info.mask[i] as number)) return true;
  return false;
}

function ifMatch(name: string, want: string, wild: boolean): boolean {
  return wild ? name.startsWith(want) : name === want;
}

function u16(d: Uint8Array, at: number): number {
  return ((d[at] as number) << 8) | (d[at + 1] as number);
}

function u32(d: Uint8Array, at: number): number {
  return (
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0
  );
}

/** arp_packet_match: the header at `nh` (Ethernet/IPv4 sizes, as arp_rcv has checked). */
function arpPacketMatch(d: Uint8Array, nh: number, r: Rule, inName: string, outName: string): boolean {
  const arp = r.arp;
  if (invf(arp, ARPT_INV_ARPOP, (u16(d, nh + 6) & arp.arpopMask) !== arp.arpop)) return false;
  if (invf(arp, ARPT_INV_ARPHRD, (u16(d, nh) & arp.arhrdMask) !== arp.arhrd)) return false;
  if (invf(arp, ARPT_INV_ARPPRO, (u16(d, nh + 2) & arp.arproMask) !== arp.arpro)) return false;
  if (invf(arp, ARPT_INV_ARPHLN, ((d[nh + 4] as number) & arp.arhlnMask) !== arp.arhln)) return false;
  if (
    invf(arp, ARPT_INV_SRCDEVADDR, devaddrDiffers(arp.srcDevaddr, d, nh + 8)) ||
    invf(arp, ARPT_INV_TGTDEVADDR, devaddrDiffers(arp.tgtDevaddr, d, nh + 18))
  )
    return false;
  if (
    invf(arp, ARPT_INV_SRCIP, (u32(d, nh + 14) & arp.smsk) >>> 0 !== arp.src >>> 0) ||
    invf(arp, ARPT_INV_TGTIP, (u32(d, nh + 24) & arp.tmsk) >>> 0 !== arp.tgt >>> 0)
  )
    return false;
  if (arp.iniface !== "" && invf(arp, ARPT_INV_VIA_IN, !ifMatch(inName, r.inIf, r.inWild))) return false;
  if (arp.outiface !== "" && invf(arp, ARPT_INV_VIA_OUT, !ifMatch(outName, r.outIf, r.outWild))) return false;
  return true;
}

/** The ARP header's offset: skb->data at NF_ARP_IN, past the hard header at NF_ARP_OUT. */
function arpHeader(skb: SkBuff, hook: number): number {
  return hook === NF_ARP_OUT ? skb.head + 14 : skb.head;
}

/**
 * arpt_do_table: the packet walks the hook's chain rule by rule; a rule that matches counts it
 * (skb->len bytes) and applies its target.
 */
function arptDoTable(t: ArptTableState, skb: SkBuff, state: NfHookState): number {
  const hook = state.hook;
  let idx = t.hookEntry[hook] as number;
  if (idx < 0) return NF_ACCEPT;
  const nh = arpHeader(skb, hook);
  // pskb_may_pull(skb, arp_hdr_len(skb->dev)): a header shorter than Ethernet/IPv4 ARP is dropped.
  if (skb.tail - nh < 28) return NF_DROP;
  const d = skb.data;
  const len = skbLen(skb);
  const inName = state.in ? state.in.name : "";
  const outName = state.out ? state.out.name : "";
  // The jump stack (a table's walk never nests: its targets send nothing).
  const stack = t.stack;
  let sp = 0;
  for (;;) {
    const r = t.rules[idx] as Rule;
    if (!arpPacketMatch(d, nh, r, inName, outName)) {
      idx++;
      continue;
    }
    t.pcnt[idx] = (t.pcnt[idx] as number) + 1;
    t.bcnt[idx] = (t.bcnt[idx] as number) + len;
    switch (r.kind) {
      case K_ACCEPT:
        return NF_ACCEPT;
      case K_DROP:
        return NF_DROP;
      case K_RETURN: {
        if (sp === 0) {
          if (idx === (t.underflow[hook] as number)) return NF_ACCEPT;
          idx = t.underflow[hook] as number;
        } else idx = stack[--sp] as number;
        continue;
      }
      case K_JUMP:
        stack[sp++] = idx + 1;
        idx = r.jump;
        continue;
      case K_MANGLE: {
        const v = arptMangle(skb, nh, r.target as Extract<ArptTarget, { kind: "mangle" }>);
        if (v !== XT_CONTINUE) return v;
        idx++;
        continue;
      }
      case K_MARK: {
        // mark_tg (xt_MARK revision 2): clear the mask's bits, then XOR in the mark.
        const m = r.target as Extract<ArptTarget, { kind: "MARK" }>;
        skb.mark = ((skb.mark & ~m.mask) ^ m.mark) >>> 0;
        idx++;
        continue;
      }
      default:
        idx++;
    }
  }
}

const XT_CONTINUE = 0xffffffff;

/**
 * arpt_mangle's target: the sender's and target's hardware and protocol addresses overwritten in
 * place (hln and pln bytes each, within the packet), then the rule's own verdict.
 */
function arptMangle(skb: SkBuff, nh: number, m: Extract<ArptTarget, { kind: "mangle" }>): number {
  const d = skb.data;
  const hln = d[nh + 4] as number;
  const pln = d[nh + 5] as number;
  let at = nh + 8;
  const put = (flag: number, len: number, max: number, bytes: readonly number[]): boolean => {
    if (m.flags & flag) {
      if (len > max || at + len > skb.tail) return false;
      for (let i = 0; i < len; i++) d[at + i] = bytes[i] ?? 0;
    }
    at += len;
    return true;
  };
  const ip = (a: number) => [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff];
  // ARPT_DEV_ADDR_LEN_MAX 16, ARPT_MANGLE_ADDR_LEN_MAX 4.
  if (
    !put(ARPT_MANGLE_SDEV, hln, 16, m.srcDevaddr) ||
    !put(ARPT_MANGLE_SIP, pln, 4, ip(m.srcIp)) ||
    !put(ARPT_MANGLE_TDEV, hln, 16, m.tgtDevaddr) ||
    !put(ARPT_MANGLE_TIP, pln, 4, ip(m.tgtIp))
  )
    return NF_DROP;
  return m.target === "ACCEPT" ? NF_ACCEPT : m.target === "DROP" ? NF_DROP : XT_CONTINUE;
}

/** arp_tables' pernet exit: the table's hooks go with the namespace. */
export function arptTablesNetExit(net: Net): void {
  const a = net.nf.arp as NetnsArp | undefined;
  if (!a) return;
  for (const t of a.tables.values()) for (const ops of t.ops) nfUnregisterArpHook(net, ops);
  a.tables.clear();
}
