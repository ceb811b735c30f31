// IPv4 policy routing: the generic rule list of net/core/fib_rules.c (fib_newrule, fib_delrule,
// fib_rules_lookup, fib_nl_fill_rule) with the IPv4 ops of net/ipv4/fib_rules.c (fib4_rule_match,
// fib4_rule_action, fib4_rule_suppress, fib4_rule_configure, fib4_rule_compare, fib4_rule_fill).

import { bytesToIPv4, ipv4ToBytes, prefixMask } from "../../wire/addr.js";
import { devGetByName } from "../core/dev.js";
import { rtnlNotify } from "../core/rtnetlink.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  AF_INET,
  FIB_RULE_IIF_DETACHED,
  FIB_RULE_INVERT,
  FIB_RULE_OIF_DETACHED,
  FIB_RULE_UNRESOLVED,
  type FibRulePortRange,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_PROHIBIT,
  FR_ACT_TO_TBL,
  FR_ACT_UNREACHABLE,
  RT_TABLE_COMPAT,
  RT_TABLE_DEFAULT,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RT_TABLE_UNSPEC,
  RTPROT_KERNEL,
  RTPROT_UNSPEC,
  type RtRule,
  type RtRuleReq,
} from "../uapi.js";
import {
  type FibResult,
  type FibTable,
  type Flowi4,
  fibGetTable,
  fibNewTable,
  fibTableLookup,
} from "./fib_table.js";
import { rtCacheFlush } from "./route.js";

/** INVALID_UID: what a flow without a user carries (uid_valid is false for it). */
const INVALID_UID = 0xffffffff;
const NO_PORTS: FibRulePortRange = { start: 0, end: 0 };
/** IPTOS_TOS_MASK */
const IPTOS_TOS_MASK = 0x1e;
/** INET_DSCP_LEGACY_TOS_MASK: the DSCP bits a TOS selector compares (fib_dscp_masked_match). */
const DSCP_LEGACY_TOS_MASK = 0x1c;

/** struct fib_rule with struct fib4_rule's fields. */
export interface FibRule {
  readonly pref: number;
  readonly table: number;
  readonly action: number;
  /** FIB_RULE_INVERT as configured. */
  readonly flags: number;
  readonly proto: number;
  /** iifname/oifname, "" when unset. Bound by name: iifindex is the device of that name now. */
  readonly iifname: string;
  readonly oifname: string;
  readonly mark: number;
  readonly markMask: number;
  /** FRA_GOTO, 0 when unset. */
  readonly target: number;
  /** The rule a goto lands on (ctarget); undefined while unresolved. */
  ctarget: FibRule | undefined;
  readonly suppressPrefixlen: number;
  readonly suppressIfgroup: number;
  /** fib_kuid_range: [0, 0xffffffff] when unset. */
  readonly uidStart: number;
  readonly uidEnd: number;
  readonly ipProto: number;
  readonly sport: FibRulePortRange;
  readonly dport: FibRulePortRange;
  readonly sportMask: number;
  readonly dportMask: number;
  readonly src: number;
  readonly srcLen: number;
  readonly dst: number;
  readonly dstLen: number;
  /** The DSCP bits of the TOS selector (frh->tos & 0xfc). */
  readonly dscp: number;
  /** FRA_L3MDEV: look up the table of the flow's VRF (there are no VRF devices here). */
  readonly l3mdev: number;
}

/** struct fib_rules_ops for AF_INET: the rule list in priority order. */
export interface FibRulesOps {
  rules: FibRule[];
  /** The default rules' tables as last looked up (made on the first lookup), see fibDefaultTables. */
  defaultTables?: DefaultTables;
}

/**
 * The local, main and default tables for fib_lookup without custom rules (fibLookup), looked up
 * by id once rather than per packet: valid while
 * the namespace has `size` tables, as tables are only ever added (fib_new_table) or all dropped at
 * exit.
 */
export interface DefaultTables {
  size: number;
  local: FibTable | undefined;
  main: FibTable | undefined;
  dflt: FibTable | undefined;
}

export function fibDefaultTables(net: Net): DefaultTables {
  const tables = net.ipv4.fibTables;
  const ops = net.ipv4.rules;
  let dt = ops.defaultTables;
  if (dt && dt.size === tables.size) return dt;
  dt = {
    size: tables.size,
    local: tables.get(RT_TABLE_LOCAL),
    main: tables.get(RT_TABLE_MAIN),
    dflt: tables.get(RT_TABLE_DEFAULT),
  };
  ops.defaultTables = dt;
  return dt;
}

function defaultRule(pref: number, table: number): FibRule {
  return {
    pref,
    table,
    action: FR_ACT_TO_TBL,
    flags: 0,
    proto: RTPROT_KERNEL,
    iifname: "",
    oifname: "",
    mark: 0,
    markMask: 0,
    target: 0,
    ctarget: undefined,
    suppressPrefixlen: -1,
    suppressIfgroup: -1,
    uidStart: 0,
    uidEnd: 0xffffffff,
    ipProto: 0,
    sport: NO_PORTS,
    dport: NO_PORTS,
    sportMask: 0,
    dportMask: 0,
    src: 0,
    srcLen: 0,
    dst: 0,
    dstLen: 0,
    dscp: 0,
    l3mdev: 0,
  };
}

/**
 * The default rules, frozen and shared by every namespace: they never change (only goto rules
 * have a ctarget to resolve), and a namespace that deletes one just drops it from its own list.
 */
const DEFAULT_RULES: readonly FibRule[] = Object.freeze([
  Object.freeze(defaultRule(0, RT_TABLE_LOCAL)),
  Object.freeze(defaultRule(0x7ffe, RT_TABLE_MAIN)),
  Object.freeze(defaultRule(0x7fff, RT_TABLE_DEFAULT)),
]);

/** fib4_rules_init / fib_default_rules_init: local (0), main (32766), default (32767). */
export function fib4RulesInit(): FibRulesOps {
  return { rules: DEFAULT_RULES.slice() };
}

/** The ifindex a rule's iifname/oifname is attached to now: 0 unset, -1 detached. */
function ruleIfindex(net: Net, name: string): number {
  if (!name) return 0;
  return devGetByName(net, name)?.ifindex ?? -1;
}

function portMatch(range: FibRulePortRange, mask: number, port: number): boolean {
  if ((range.start ^ port) & mask) return false;
  if (!mask && portRangeSet(range) && !(port >= range.start && port <= range.end)) return false;
  return true;
}

function portRangeSet(range: FibRulePortRange): boolean {
  return range.start !== 0 && range.end !== 0;
}

/** fib_rule_match + fib4_rule_match */
function fibRuleMatch(net: Net, rule: FibRule, flp: Flowi4): boolean {
  const ret = fibRuleSelectorsMatch(net, rule, flp);
  return rule.flags & FIB_RULE_INVERT ? !ret : ret;
}

/** The selectors of fib_rule_match and fib4_rule_match, before FIB_RULE_INVERT. */
function fibRuleSelectorsMatch(net: Net, rule: FibRule, flp: Flowi4): boolean {
  {
    const iif = ruleIfindex(net, rule.iifname);
    if (iif && iif !== (flp.iif ?? 0)) return false;
    const oif = ruleIfindex(net, rule.oifname);
    if (oif && oif !== (flp.oif ?? 0)) return false;
    if ((rule.mark ^ (flp.mark ?? 0)) & rule.markMask) return false;
    // l3mdev_fib_rule_match: only flows through a VRF device, and netnest has none.
    if (rule.l3mdev) return false;
    const uid = flp.uid ?? INVALID_UID;
    if (uid < rule.uidStart || uid > rule.uidEnd) return false;
    if (((flp.saddr ?? 0) ^ rule.src) & prefixMask(rule.srcLen)) return false;
    if ((flp.daddr ^ rule.dst) & prefixMask(rule.dstLen)) return false;
    if (rule.dscp && rule.dscp !== ((flp.tos ?? 0) & DSCP_LEGACY_TOS_MASK)) return false;
    if (rule.ipProto && rule.ipProto !== (flp.proto ?? 0)) return false;
    if (!portMatch(rule.sport, rule.sportMask, flp.sport ?? 0)) return false;
    if (!portMatch(rule.dport, rule.dportMask, flp.dport ?? 0)) return false;
    return true;
  }
}

/**
 * fib4_rule_action: a table lookup, or the error the action stands for; undefined is the EAGAIN
 * that goes on to the next rule (a missing table, no matching route), left unallocated.
 */
function fib4RuleAction(net: Net, rule: FibRule, flp: Flowi4): FibResult | KernelError | undefined {
  switch (rule.action) {
    case FR_ACT_TO_TBL:
      break;
    case FR_ACT_UNREACHABLE:
      return new KernelError("ENETUNREACH");
    case FR_ACT_PROHIBIT:
      return new KernelError("EACCES");
    default:
      return new KernelError("EINVAL");
  }
  const tb = fibGetTable(net, rule.table);
  if (!tb) return undefined;
  return fibTableLookup(tb, flp);
}

/** fib4_rule_suppress: a result too unspecific, or through a forbidden device group, is not taken. */
function fib4RuleSuppress(rule: FibRule, res: FibResult): boolean {
  if (res.prefixlen <= rule.suppressPrefixlen) return true;
  const dev = res.fi.nh?.dev;
  return rule.suppressIfgroup !== -1 && dev !== undefined && dev.group === rule.suppressIfgroup;
}

/**
 * fib_rules_lookup (through __fib_lookup), which fibLookup takes once a rule has been added or
 * deleted: ENETUNREACH when no rule gives an answer.
 */
export function fibRulesLookup(net: Net, flp: Flowi4): FibResult | KernelError {
  const rules = net.ipv4.rules.rules;
  for (let i = 0; i < rules.length; i++) {
    let rule = rules[i] as FibRule;
    for (;;) {
      if (!fibRuleMatch(net, rule, flp)) break;
      if (rule.action === FR_ACT_GOTO) {
        const target = rule.ctarget;
        if (!target) break;
        // "jumped": the walk carries on from the target.
        rule = target;
        i = rules.indexOf(target);
        continue;
      }
      if (rule.action === FR_ACT_NOP) break;
      const res = fib4RuleAction(net, rule, flp);
      if (res === undefined) break;
      if (!(res instanceof KernelError)) {
        if (fib4RuleSuppress(rule, res)) break;
        return res;
      }
      if (res.errno !== "EAGAIN") return res;
      break;
    }
  }
  return new KernelError("ENETUNREACH");
}

/** fib_nl2rule + fib_nl2rule_rtnl: the rule a request describes (pref defaulted, names bound). */
function fibNl2rule(net: Net, req: RtRuleReq): { rule: FibRule; userPriority: boolean } {
  if (req.srcLen && (!req.src || req.srcLen > 32 || req.src.length !== 4))
    throw new KernelError("EINVAL", "Invalid source address");
  if (req.dstLen && (!req.dst || req.dstLen > 32 || req.dst.length !== 4))
    throw new KernelError("EINVAL", "Invalid dst address");
  // fib_rule_policy: names are NLA_STRING of at most IFNAMSIZ - 1 bytes.
  for (const name of [req.iifname, req.oifname])
    if (name !== undefined && name.length > 15) throw new KernelError("EINVAL", "Error parsing msg");
  const mark = req.fwmark ?? 0;
  // Compatibility: a non-zero mark compares all bits unless a mask is given.
  const markMask = req.fwmask ?? (mark ? 0xffffffff : 0);
  const table = req.tableAttr ?? req.table;
  const toS32 = (v: number | undefined) => (v === undefined ? -1 : v | 0);
  let target = 0;
  if (req.goto !== undefined) {
    if (req.action !== FR_ACT_GOTO) throw new KernelError("EINVAL", "Unexpected goto");
    target = req.goto;
  } else if (req.action === FR_ACT_GOTO) {
    throw new KernelError("EINVAL", "Missing goto target for action goto");
  }
  const l3mdev = req.l3mdev ?? 0;
  if (req.l3mdev !== undefined && req.l3mdev !== 1)
    throw new KernelError("EINVAL", "Invalid l3mdev attribute");
  if (l3mdev && table) throw new KernelError("EINVAL", "l3mdev and table are mutually exclusive");
  let uidStart = 0;
  let uidEnd = 0xffffffff;
  if (req.uidRange) {
    uidStart = req.uidRange.start >>> 0;
    uidEnd = req.uidRange.end >>> 0;
    if (uidStart === INVALID_UID || uidEnd === INVALID_UID || uidStart > uidEnd)
      throw new KernelError("EINVAL", "Invalid uid range");
  }
  const portRange = (r: FibRulePortRange | undefined, what: string) => {
    if (!r) return { range: NO_PORTS, mask: 0 };
    if (!(r.start !== 0 && r.end !== 0 && r.end < 0xffff && r.start <= r.end))
      throw new KernelError("EINVAL", `Invalid ${what} range`);
    return { range: r, mask: r.start === r.end ? 0xffff : 0 };
  };
  const sport = portRange(req.sportRange, "sport");
  const dport = portRange(req.dportRange, "dport");
  const userPriority = req.priority !== undefined;
  const pref = req.priority ?? fibDefaultRulePref(net.ipv4.rules);
  // Backward jumps are prohibited to avoid endless loops.
  if (req.goto !== undefined && target <= pref)
    throw new KernelError("EINVAL", "Backward goto not supported");
  const rule: FibRule = {
    pref,
    table,
    action: req.action,
    flags: req.flags,
    proto: req.protocol ?? RTPROT_UNSPEC,
    iifname: req.iifname ?? "",
    oifname: req.oifname ?? "",
    mark,
    markMask,
    target,
    ctarget: undefined,
    suppressPrefixlen: toS32(req.suppressPrefixlen),
    suppressIfgroup: toS32(req.suppressIfgroup),
    uidStart,
    uidEnd,
    ipProto: req.ipProto ?? 0,
    sport: sport.range,
    dport: dport.range,
    sportMask: sport.mask,
    dportMask: dport.mask,
    src: req.srcLen && req.src ? bytesToIPv4(req.src) : 0,
    srcLen: req.srcLen,
    dst: req.dstLen && req.dst ? bytesToIPv4(req.dst) : 0,
    dstLen: req.dstLen,
    dscp: req.tos & 0xfc,
    l3mdev,
  };
  return { rule, userPriority };
}

/** fib_default_rule_pref: one below the second rule's priority, when that is not 0. */
function fibDefaultRulePref(ops: FibRulesOps): number {
  const second = ops.rules[1];
  return second?.pref ? second.pref - 1 : 0;
}

function samePorts(a: FibRulePortRange, b: FibRulePortRange): boolean {
  return a.start === b.start && a.end === b.end;
}

/** fib4_rule_compare */
function fib4RuleCompare(r: FibRule, req: RtRuleReq): boolean {
  if (req.srcLen && r.srcLen !== req.srcLen) return false;
  if (req.dstLen && r.dstLen !== req.dstLen) return false;
  if (req.tos && r.dscp !== req.tos) return false;
  if (req.srcLen && r.src !== bytesToIPv4(req.src as Uint8Array)) return false;
  if (req.dstLen && r.dst !== bytesToIPv4(req.dst as Uint8Array)) return false;
  return true;
}

/** rule_exists: an identical rule (every field) is already listed. */
function ruleExists(ops: FibRulesOps, req: RtRuleReq, rule: FibRule): boolean {
  return ops.rules.some(
    (r) =>
      r.action === rule.action &&
      r.table === rule.table &&
      r.pref === rule.pref &&
      r.iifname === rule.iifname &&
      r.oifname === rule.oifname &&
      r.mark === rule.mark &&
      r.suppressIfgroup === rule.suppressIfgroup &&
      r.suppressPrefixlen === rule.suppressPrefixlen &&
      r.markMask === rule.markMask &&
      r.l3mdev === rule.l3mdev &&
      r.uidStart === rule.uidStart &&
      r.uidEnd === rule.uidEnd &&
      r.ipProto === rule.ipProto &&
      r.proto === rule.proto &&
      samePorts(r.sport, rule.sport) &&
      r.sportMask === rule.sportMask &&
      samePorts(r.dport, rule.dport) &&
      r.dportMask === rule.dportMask &&
      fib4RuleCompare(r, req),
  );
}

/** rule_find: the first rule matching what a delete request names (unset fields match anything). */
function ruleFind(
  ops: FibRulesOps,
  req: RtRuleReq,
  rule: FibRule,
  userPriority: boolean,
): FibRule | undefined {
  return ops.rules.find(
    (r) =>
      (!rule.action || r.action === rule.action) &&
      (!rule.table || r.table === rule.table) &&
      (!userPriority || r.pref === rule.pref) &&
      (!rule.iifname || r.iifname === rule.iifname) &&
      (!rule.oifname || r.oifname === rule.oifname) &&
      (!rule.mark || r.mark === rule.mark) &&
      (rule.suppressIfgroup === -1 || r.suppressIfgroup === rule.suppressIfgroup) &&
      (rule.suppressPrefixlen === -1 || r.suppressPrefixlen === rule.suppressPrefixlen) &&
      (!rule.markMask || r.markMask === rule.markMask) &&
      (!rule.l3mdev || r.l3mdev === rule.l3mdev) &&
      (!req.uidRange || (r.uidStart === rule.uidStart && r.uidEnd === rule.uidEnd)) &&
      (!rule.ipProto || r.ipProto === rule.ipProto) &&
      (!rule.proto || r.proto === rule.proto) &&
      (!portRangeSet(rule.sport) || samePorts(r.sport, rule.sport)) &&
      (!rule.sportMask || r.sportMask === rule.sportMask) &&
      (!portRangeSet(rule.dport) || samePorts(r.dport, rule.dport)) &&
      (!rule.dportMask || r.dportMask === rule.dportMask) &&
      fib4RuleCompare(r, req),
  );
}

/** fib_empty_table: the lowest table id not in use, created. */
function fibEmptyTable(net: Net): number {
  for (let id = 1; id <= 0xffffffff; id++) {
    if (!fibGetTable(net, id)) return fibNewTable(net, id).id;
  }
  throw new KernelError("ENOBUFS");
}

/** RTM_NEWRULE (fib_newrule with fib4_rule_configure). */
export function fibNewRule(net: Net, req: RtRuleReq): void {
  if (req.family !== AF_INET) throw new KernelError("EAFNOSUPPORT", "Rule family not supported");
  const ops = net.ipv4.rules;
  const parsed = fibNl2rule(net, req);
  let rule = parsed.rule;
  if (req.nlFlags.excl && ruleExists(ops, req, rule)) throw new KernelError("EEXIST");
  // fib4_rule_configure
  if (req.tos & 0x03) throw new KernelError("EINVAL", "Invalid dsfield (tos): ECN bits must be 0");
  if (req.tos & ~IPTOS_TOS_MASK) throw new KernelError("EINVAL", "Invalid tos");
  // fib_unmerge: local and main become separate tables for good.
  net.ipv4.fibHasCustomRules = true;
  if (rule.table === RT_TABLE_UNSPEC && !rule.l3mdev && rule.action === FR_ACT_TO_TBL) {
    rule = { ...rule, table: fibEmptyTable(net) };
  }
  if (rule.action === FR_ACT_GOTO) rule.ctarget = ops.rules.find((r) => r.pref === rule.target);
  let at = 0;
  while (at < ops.rules.length && (ops.rules[at] as FibRule).pref <= rule.pref) at++;
  ops.rules.splice(at, 0, rule);
  for (const r of ops.rules) {
    if (r.action === FR_ACT_GOTO && r.target === rule.pref && !r.ctarget) r.ctarget = rule;
  }
  // flush_route_cache (fib4_rule_flush_cache), then notify_rule_change(RTM_NEWRULE)
  rtCacheFlush(net);
  rtnlNotify(net, { kind: "rule", deleted: false, rule: fibFillRule(net, rule) });
}

/** RTM_DELRULE (fib_delrule): ENOENT when no rule matches. */
export function fibDelRule(net: Net, req: RtRuleReq): void {
  if (req.family !== AF_INET) throw new KernelError("EAFNOSUPPORT", "Rule family not supported");
  const ops = net.ipv4.rules;
  const { rule: nlrule, userPriority } = fibNl2rule(net, req);
  const rule = ruleFind(ops, req, nlrule, userPriority);
  if (!rule) throw new KernelError("ENOENT");
  net.ipv4.fibHasCustomRules = true;
  const at = ops.rules.indexOf(rule);
  ops.rules.splice(at, 1);
  // Gotos that landed here move on to the next rule of the same priority, or become unresolved.
  const next = ops.rules[at];
  const n = next && next.pref === rule.pref ? next : undefined;
  for (const r of ops.rules) if (r.ctarget === rule) r.ctarget = n;
  rtCacheFlush(net);
  rtnlNotify(net, { kind: "rule", deleted: true, rule: fibFillRule(net, rule) });
}

/** fib_nl_fill_rule + fib4_rule_fill */
function fibFillRule(net: Net, rule: FibRule): RtRule {
  let flags = rule.flags;
  if (rule.action === FR_ACT_GOTO && !rule.ctarget) flags |= FIB_RULE_UNRESOLVED;
  if (rule.iifname && ruleIfindex(net, rule.iifname) === -1) flags |= FIB_RULE_IIF_DETACHED;
  if (rule.oifname && ruleIfindex(net, rule.oifname) === -1) flags |= FIB_RULE_OIF_DETACHED;
  return {
    family: AF_INET,
    dstLen: rule.dstLen,
    srcLen: rule.srcLen,
    tos: rule.dscp,
    table: rule.table < 256 ? rule.table : RT_TABLE_COMPAT,
    action: rule.action,
    flags,
    tableAttr: rule.table,
    suppressPrefixlen: rule.suppressPrefixlen,
    protocol: rule.proto,
    ...(rule.pref ? { priority: rule.pref } : {}),
    ...(rule.srcLen ? { src: ipv4ToBytes(rule.src) } : {}),
    ...(rule.dstLen ? { dst: ipv4ToBytes(rule.dst) } : {}),
    ...(rule.iifname ? { iifname: rule.iifname } : {}),
    ...(rule.oifname ? { oifname: rule.oifname } : {}),
    ...(rule.mark ? { fwmark: rule.mark } : {}),
    ...(rule.mark || rule.markMask ? { fwmask: rule.markMask } : {}),
    ...(rule.target ? { goto: rule.target } : {}),
    // uid_range_set: both ends valid (an unset range ends in INVALID_UID).
    ...(rule.uidEnd !== INVALID_UID ? { uidRange: { start: rule.uidStart, end: rule.uidEnd } } : {}),
    ...(portRangeSet(rule.sport) ? { sportRange: rule.sport } : {}),
    ...(portRangeSet(rule.dport) ? { dportRange: rule.dport } : {}),
    ...(rule.ipProto ? { ipProto: rule.ipProto } : {}),
    ...(rule.l3mdev ? { l3mdev: rule.l3mdev } : {}),
    ...(rule.suppressIfgroup !== -1 ? { suppressIfgroup: rule.suppressIfgroup } : {}),
  };
}

/** RTM_GETRULE dump for AF_INET: the rules in list order. */
export function fibRulesDump(net: Net): RtRule[] {
  return net.ipv4.rules.rules.map((rule) => fibFillRule(net, rule));
}
