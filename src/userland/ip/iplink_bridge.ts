// ip/iplink_bridge.c and ip/iplink_bridge_slave.c: `type bridge` and `type bridge_slave` options
// and their `-d` details.

import type {
  BridgeInfoReq,
  BrPortReq,
  IflaBridgeId,
  LinkInfoData,
  RtBridgePortInfo,
} from "../../kernel/syscalls.js";
import { formatMac } from "../../wire/addr.js";
import { getU16 } from "./iplink_vlan.js";
import {
  eprint,
  getUnsigned,
  type IpContext,
  IpExit,
  incompleteCommand,
  invarg,
  linkCache,
  llAddrA2n,
  llIndexToName,
  matches,
} from "./utils.js";

const BRIDGE_EXPLAIN = `Usage: ... bridge [ fdb_flush ]
		  [ forward_delay FORWARD_DELAY ]
		  [ hello_time HELLO_TIME ]
		  [ max_age MAX_AGE ]
		  [ ageing_time AGEING_TIME ]
		  [ stp_state STP_STATE ]
		  [ priority PRIORITY ]
		  [ group_fwd_mask MASK ]
		  [ group_address ADDRESS ]
		  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]
		  [ vlan_filtering VLAN_FILTERING ]
		  [ vlan_protocol VLAN_PROTOCOL ]
		  [ vlan_default_pvid VLAN_DEFAULT_PVID ]
		  [ vlan_stats_enabled VLAN_STATS_ENABLED ]
		  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
		  [ mcast_snooping MULTICAST_SNOOPING ]
		  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
		  [ mcast_router MULTICAST_ROUTER ]
		  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
		  [ mcast_querier MULTICAST_QUERIER ]
		  [ mcast_hash_elasticity HASH_ELASTICITY ]
		  [ mcast_hash_max HASH_MAX ]
		  [ mcast_last_member_count LAST_MEMBER_COUNT ]
		  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
		  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
		  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
		  [ mcast_querier_interval QUERIER_INTERVAL ]
		  [ mcast_query_interval QUERY_INTERVAL ]
		  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
		  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
		  [ mcast_stats_enabled MCAST_STATS_ENABLED ]
		  [ mcast_igmp_version IGMP_VERSION ]
		  [ mcast_mld_version MLD_VERSION ]
		  [ nf_call_iptables NF_CALL_IPTABLES ]
		  [ nf_call_ip6tables NF_CALL_IP6TABLES ]
		  [ nf_call_arptables NF_CALL_ARPTABLES ]

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }
`;

const SLAVE_EXPLAIN = `Usage: ... bridge_slave [ fdb_flush ]
			[ state STATE ]
			[ priority PRIO ]
			[ cost COST ]
			[ guard {on | off} ]
			[ hairpin {on | off} ]
			[ fastleave {on | off} ]
			[ root_block {on | off} ]
			[ learning {on | off} ]
			[ flood {on | off} ]
			[ proxy_arp {on | off} ]
			[ proxy_arp_wifi {on | off} ]
			[ mcast_router MULTICAST_ROUTER ]
			[ mcast_fast_leave {on | off} ]
			[ mcast_flood {on | off} ]
			[ bcast_flood {on | off} ]
			[ mcast_to_unicast {on | off} ]
			[ group_fwd_mask MASK ]
			[ neigh_suppress {on | off} ]
			[ vlan_tunnel {on | off} ]
			[ isolated {on | off} ]
			[ locked {on | off} ]
			[ backup_port DEVICE ] [ nobackup_port ]
`;

function getU8(arg: string): number | undefined {
  const v = getUnsigned(arg);
  return v !== undefined && v <= 0xff ? v : undefined;
}

/** get_u64(…, 0): strtoull, any base. */
function getU64(arg: string): number | undefined {
  const m = arg.match(/^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/);
  if (!m) return undefined;
  const v = BigInt((m[1] as string).replace(/^0([0-7]+)$/, "0o$1"));
  return v <= 0xffffffffffffffffn ? Number(v) : undefined;
}

/** ll_proto_a2n() for the two VLAN protocols, or a number. */
function vlanProtoA2n(arg: string): number | undefined {
  if (arg.toLowerCase() === "802.1q") return 0x8100;
  if (arg.toLowerCase() === "802.1ad") return 0x88a8;
  return getU16(arg);
}

const BR_BOOLOPT_NO_LL_LEARN = 0;
const BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;

/** The next argument through a get_u* parser, or iproute2's invarg(`message`) when it fails. */
function numArg(
  ctx: IpContext,
  v: string,
  parse: (v: string) => number | undefined,
  message: string,
): number {
  const n = parse(v);
  if (n === undefined) invarg(ctx, message, v);
  return n;
}

/** bridge_parse_opt() */
export function bridgeParseOpt(ctx: IpContext, argv: readonly string[]): BridgeInfoReq | number {
  const d: { -readonly [K in keyof BridgeInfoReq]: BridgeInfoReq[K] } = {};
  let optval = 0;
  let optmask = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    const u32 = (what: string) => numArg(ctx, next(), getUnsigned, `invalid ${what}`);
    const u8 = (what: string) => numArg(ctx, next(), getU8, `invalid ${what}`);
    const u16 = (what: string) => numArg(ctx, next(), getU16, `invalid ${what}`);
    const u64 = (what: string) => numArg(ctx, next(), getU64, `invalid ${what}`);
    if (matches(a, "forward_delay")) d.forwardDelay = u32("forward_delay");
    else if (matches(a, "hello_time")) d.helloTime = u32("hello_time");
    else if (matches(a, "max_age")) d.maxAge = u32("max_age");
    else if (matches(a, "ageing_time")) d.ageingTime = u32("ageing_time");
    else if (matches(a, "stp_state")) d.stpState = u32("stp_state");
    else if (matches(a, "priority")) d.priority = u16("priority");
    else if (matches(a, "vlan_filtering")) d.vlanFiltering = u8("vlan_filtering");
    else if (matches(a, "vlan_protocol")) {
      const v = next();
      const proto = vlanProtoA2n(v);
      if (proto === undefined) invarg(ctx, "invalid vlan_protocol", v);
      d.vlanProtocol = proto;
    } else if (matches(a, "group_fwd_mask")) d.groupFwdMask = u16("group_fwd_mask");
    else if (matches(a, "group_address")) {
      const addr = llAddrA2n(ctx, next(), 32);
      if (!addr) return -1;
      d.groupAddr = addr;
    } else if (a === "no_linklocal_learn") {
      const v = u8("no_linklocal_learn");
      optmask |= 1 << BR_BOOLOPT_NO_LL_LEARN;
      if (v) optval |= 1 << BR_BOOLOPT_NO_LL_LEARN;
      else optval &= ~(1 << BR_BOOLOPT_NO_LL_LEARN);
    } else if (matches(a, "fdb_flush")) d.fdbFlush = true;
    else if (matches(a, "vlan_default_pvid")) d.vlanDefaultPvid = u16("vlan_default_pvid");
    else if (matches(a, "vlan_stats_enabled")) d.vlanStatsEnabled = u8("vlan_stats_enabled");
    else if (matches(a, "vlan_stats_per_port")) d.vlanStatsPerPort = u8("vlan_stats_per_port");
    else if (matches(a, "mcast_router")) d.mcastRouter = u8("mcast_router");
    else if (matches(a, "mcast_snooping")) d.mcastSnooping = u8("mcast_snooping");
    else if (a === "mcast_vlan_snooping") {
      const v = u8("mcast_vlan_snooping");
      optmask |= 1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING;
      if (v) optval |= 1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING;
      else optval &= ~(1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING);
    } else if (matches(a, "mcast_query_use_ifaddr")) d.mcastQueryUseIfaddr = u8("mcast_query_use_ifaddr");
    else if (matches(a, "mcast_querier")) d.mcastQuerier = u8("mcast_querier");
    else if (matches(a, "mcast_hash_elasticity")) d.mcastHashElasticity = u32("mcast_hash_elasticity");
    else if (matches(a, "mcast_hash_max")) d.mcastHashMax = u32("mcast_hash_max");
    else if (matches(a, "mcast_last_member_count")) d.mcastLastMemberCnt = u32("mcast_last_member_count");
    else if (matches(a, "mcast_startup_query_count"))
      d.mcastStartupQueryCnt = u32("mcast_startup_query_count");
    else if (matches(a, "mcast_last_member_interval"))
      d.mcastLastMemberIntvl = u64("mcast_last_member_interval");
    else if (matches(a, "mcast_membership_interval"))
      d.mcastMembershipIntvl = u64("mcast_membership_interval");
    else if (matches(a, "mcast_querier_interval")) d.mcastQuerierIntvl = u64("mcast_querier_interval");
    else if (matches(a, "mcast_query_interval")) d.mcastQueryIntvl = u64("mcast_query_interval");
    else if (matches(a, "mcast_query_response_interval"))
      d.mcastQueryResponseIntvl = u64("mcast_query_response_interval");
    else if (matches(a, "mcast_startup_query_interval"))
      d.mcastStartupQueryIntvl = u64("mcast_startup_query_interval");
    else if (matches(a, "mcast_stats_enabled")) d.mcastStatsEnabled = u8("mcast_stats_enabled");
    else if (matches(a, "mcast_igmp_version")) d.mcastIgmpVersion = u8("mcast_igmp_version");
    else if (matches(a, "mcast_mld_version")) d.mcastMldVersion = u8("mcast_mld_version");
    else if (matches(a, "nf_call_iptables")) d.nfCallIptables = u8("nf_call_iptables");
    else if (matches(a, "nf_call_ip6tables")) d.nfCallIp6tables = u8("nf_call_ip6tables");
    else if (matches(a, "nf_call_arptables")) d.nfCallArptables = u8("nf_call_arptables");
    else if (matches(a, "help")) {
      eprint(ctx, BRIDGE_EXPLAIN);
      return -1;
    } else {
      eprint(ctx, `bridge: unknown command "${a}"?\n`);
      eprint(ctx, BRIDGE_EXPLAIN);
      return -1;
    }
  }
  if (optmask) d.multiBoolopt = { optval, optmask };
  return d;
}

/** ether_ntoa_r: lowercase hex without zero padding. */
function etherNtoa(addr: Uint8Array): string {
  return Array.from(addr, (b) => b.toString(16)).join(":");
}

/** br_dump_bridge_id() */
function brDumpBridgeId(id: IflaBridgeId): string {
  const prio = id.prio.toString(16).padStart(4, "0");
  return `${prio}.${etherNtoa(id.addr)}`;
}

/** _bridge_print_timer() / _print_timer(): USER_HZ ticks as seconds, "%4i.%.2i". */
function printTimer(ctx: IpContext, attr: string, ticks: number): void {
  const sec = Math.floor(ticks / 100);
  const cs = String(ticks % 100).padStart(2, "0");
  ctx.out.anyRaw(attr, `${attr} ${String(sec).padStart(4)}.${cs} `, `${sec}.${cs}`);
}

/** print_0xhex("%#llx"): 0 stays "0", anything else gets 0x. */
function hex0x(v: number): string {
  return v === 0 ? "0" : `0x${v.toString(16)}`;
}

/** bridge_print_opt() */
export function bridgePrintOpt(ctx: IpContext, d: Extract<LinkInfoData, { kind: "bridge" }>): void {
  const out = ctx.out;
  const u = (key: string, text: string, v: number) => out.any(key, `${text} ${v} `, v);
  u("forward_delay", "forward_delay", d.forwardDelay);
  u("hello_time", "hello_time", d.helloTime);
  u("max_age", "max_age", d.maxAge);
  u("ageing_time", "ageing_time", d.ageingTime);
  u("stp_state", "stp_state", d.stpState);
  u("priority", "priority", d.priority);
  u("vlan_filtering", "vlan_filtering", d.vlanFiltering);
  const bridgeId = brDumpBridgeId(d.bridgeId);
  out.any("bridge_id", `bridge_id ${bridgeId} `, bridgeId);
  // iproute2 6.1 formats IFLA_BR_ROOT_ID from IFLA_BR_BRIDGE_ID's bytes.
  out.any("root_id", `designated_root ${bridgeId} `, bridgeId);
  u("root_port", "root_port", d.rootPort);
  u("root_path_cost", "root_path_cost", d.rootPathCost);
  u("topology_change", "topology_change", d.topologyChange);
  u("topology_change_detected", "topology_change_detected", d.topologyChangeDetected);
  printTimer(ctx, "hello_timer", d.helloTimer);
  printTimer(ctx, "tcn_timer", d.tcnTimer);
  printTimer(ctx, "topology_change_timer", d.topologyChangeTimer);
  printTimer(ctx, "gc_timer", d.gcTimer);
  const mask = hex0x(d.groupFwdMask);
  out.any("group_fwd_mask", `group_fwd_mask ${mask} `, mask);
  const group = formatMac(d.groupAddr);
  out.any("group_addr", `group_address ${group} `, group);
  u("mcast_snooping", "mcast_snooping", d.mcastSnooping);
  const bm = d.multiBoolopt;
  if (bm.optmask & (1 << BR_BOOLOPT_NO_LL_LEARN))
    u("no_linklocal_learn", "no_linklocal_learn", bm.optval & (1 << BR_BOOLOPT_NO_LL_LEARN) ? 1 : 0);
  if (bm.optmask & (1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING))
    u(
      "mcast_vlan_snooping",
      "mcast_vlan_snooping",
      bm.optval & (1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING) ? 1 : 0,
    );
  u("mcast_router", "mcast_router", d.mcastRouter);
  u("mcast_query_use_ifaddr", "mcast_query_use_ifaddr", d.mcastQueryUseIfaddr);
  u("mcast_querier", "mcast_querier", d.mcastQuerier);
  u("mcast_hash_elasticity", "mcast_hash_elasticity", d.mcastHashElasticity);
  u("mcast_hash_max", "mcast_hash_max", d.mcastHashMax);
  u("mcast_last_member_cnt", "mcast_last_member_count", d.mcastLastMemberCnt);
  u("mcast_startup_query_cnt", "mcast_startup_query_count", d.mcastStartupQueryCnt);
  u("mcast_last_member_intvl", "mcast_last_member_interval", d.mcastLastMemberIntvl);
  u("mcast_membership_intvl", "mcast_membership_interval", d.mcastMembershipIntvl);
  u("mcast_querier_intvl", "mcast_querier_interval", d.mcastQuerierIntvl);
  u("mcast_query_intvl", "mcast_query_interval", d.mcastQueryIntvl);
  u("mcast_query_response_intvl", "mcast_query_response_interval", d.mcastQueryResponseIntvl);
  u("mcast_startup_query_intvl", "mcast_startup_query_interval", d.mcastStartupQueryIntvl);
  u("mcast_stats_enabled", "mcast_stats_enabled", d.mcastStatsEnabled);
  u("mcast_igmp_version", "mcast_igmp_version", d.mcastIgmpVersion);
  u("mcast_mld_version", "mcast_mld_version", d.mcastMldVersion);
  u("nf_call_iptables", "nf_call_iptables", d.nfCallIptables);
  u("nf_call_ip6tables", "nf_call_ip6tables", d.nfCallIp6tables);
  u("nf_call_arptables", "nf_call_arptables", d.nfCallArptables);
}

/** parse_on_off() through parse_one_of(): a prefix of "off" or "on"; else the error and exit(1). */
function parseOnOff(ctx: IpContext, msg: string, realval: string): boolean {
  if (matches(realval, "off")) return false;
  if (matches(realval, "on")) return true;
  eprint(ctx, `Error: argument of "${msg}" must be one of "off", "on", not "${realval}"\n`);
  throw new IpExit(1);
}

/** bridge_slave_parse_opt() */
export function bridgeSlaveParseOpt(ctx: IpContext, argv: readonly string[]): BrPortReq | number {
  const d: { -readonly [K in keyof BrPortReq]: BrPortReq[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    const onOff = (name: string): boolean => parseOnOff(ctx, name, next());
    if (matches(a, "fdb_flush")) d.flush = true;
    else if (matches(a, "state")) {
      d.state = numArg(ctx, next(), getU8, "state is invalid");
    } else if (matches(a, "priority")) {
      d.priority = numArg(ctx, next(), getU16, "priority is invalid");
    } else if (matches(a, "cost")) {
      d.cost = numArg(ctx, next(), getUnsigned, "cost is invalid");
    } else if (matches(a, "hairpin")) d.mode = onOff("hairpin");
    else if (matches(a, "guard")) d.guard = onOff("guard");
    else if (matches(a, "root_block")) d.protect = onOff("root_block");
    else if (matches(a, "fastleave")) d.fastLeave = onOff("fastleave");
    else if (matches(a, "learning")) d.learning = onOff("learning");
    else if (matches(a, "flood")) d.unicastFlood = onOff("flood");
    else if (matches(a, "mcast_flood")) d.mcastFlood = onOff("mcast_flood");
    else if (matches(a, "bcast_flood")) d.bcastFlood = onOff("bcast_flood");
    else if (matches(a, "mcast_to_unicast")) d.mcastToUcast = onOff("mcast_to_unicast");
    else if (matches(a, "proxy_arp")) d.proxyArp = onOff("proxy_arp");
    else if (matches(a, "proxy_arp_wifi")) d.proxyArpWifi = onOff("proxy_arp_wifi");
    else if (matches(a, "mcast_router")) {
      d.mcastRouter = numArg(ctx, next(), getU8, "invalid mcast_router");
    } else if (matches(a, "mcast_fast_leave")) d.fastLeave = onOff("mcast_fast_leave");
    else if (matches(a, "neigh_suppress")) d.neighSuppress = onOff("neigh_suppress");
    else if (matches(a, "group_fwd_mask")) {
      d.groupFwdMask = numArg(ctx, next(), getU16, "invalid group_fwd_mask");
    } else if (matches(a, "vlan_tunnel")) d.vlanTunnel = onOff("vlan_tunnel");
    else if (matches(a, "isolated")) d.isolated = onOff("isolated");
    else if (matches(a, "locked")) d.locked = onOff("locked");
    else if (matches(a, "backup_port")) {
      const v = next();
      const ifindex = llNameToIndex(ctx, v);
      if (!ifindex) invarg(ctx, "Device does not exist\n", v);
      d.backupPort = ifindex;
    } else if (matches(a, "nobackup_port")) d.backupPort = 0;
    else if (matches(a, "help")) {
      eprint(ctx, SLAVE_EXPLAIN);
      return -1;
    } else {
      eprint(ctx, `bridge_slave: unknown option "${a}"?\n`);
      eprint(ctx, SLAVE_EXPLAIN);
      return -1;
    }
  }
  return d;
}

/** ll_name_to_index() over the link cache. */
function llNameToIndex(ctx: IpContext, name: string): number {
  return linkCache(ctx).find((l) => l.ifname === name)?.ifindex ?? 0;
}

const PORT_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];
const FWD_MASK_TBL: Readonly<Record<number, string>> = { 0: "stp", 2: "lacp", 14: "lldp" };

/** _bitmask2str() */
function bitmask2str(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i++) {
    if (!(mask & (1 << i))) continue;
    parts.push(FWD_MASK_TBL[i] ?? `0x${(1 << i).toString(16)}`);
  }
  return parts.length ? parts.join(",") : "0x0";
}

/** bridge_slave_print_opt() */
export function bridgeSlavePrintOpt(ctx: IpContext, d: RtBridgePortInfo): void {
  const out = ctx.out;
  const onOff = (key: string, text: string, v: boolean) => out.any(key, `${text} ${v ? "on" : "off"} `, v);
  const u = (key: string, text: string, v: number) => out.any(key, `${text} ${v} `, v);
  const state = PORT_STATES[d.state];
  if (state !== undefined) out.any("state", `state ${state} `, state);
  else out.any("state_index", `state (${d.state}) `, d.state);
  u("priority", "priority", d.priority);
  u("cost", "cost", d.cost);
  onOff("hairpin", "hairpin", d.mode);
  onOff("guard", "guard", d.guard);
  onOff("root_block", "root_block", d.protect);
  onOff("fastleave", "fastleave", d.fastLeave);
  onOff("learning", "learning", d.learning);
  onOff("flood", "flood", d.unicastFlood);
  out.any("id", `port_id ${hex0x(d.id)} `, hex0x(d.id));
  out.any("no", `port_no ${hex0x(d.no)} `, hex0x(d.no));
  u("designated_port", "designated_port", d.designatedPort);
  u("designated_cost", "designated_cost", d.designatedCost);
  const bridgeId = brDumpBridgeId(d.bridgeId);
  out.any("bridge_id", `designated_bridge ${bridgeId} `, bridgeId);
  const rootId = brDumpBridgeId(d.rootId);
  out.any("root_id", `designated_root ${rootId} `, rootId);
  printTimer(ctx, "hold_timer", d.holdTimer);
  printTimer(ctx, "message_age_timer", d.messageAgeTimer);
  printTimer(ctx, "forward_delay_timer", d.forwardDelayTimer);
  u("topology_change_ack", "topology_change_ack", d.topologyChangeAck);
  u("config_pending", "config_pending", d.configPending);
  onOff("proxy_arp", "proxy_arp", d.proxyArp);
  onOff("proxy_arp_wifi", "proxy_arp_wifi", d.proxyArpWifi);
  u("multicast_router", "mcast_router", d.mcastRouter);
  // Text only: JSON already has fastleave.
  out.fp(`mcast_fast_leave ${d.fastLeave ? "on" : "off"} `);
  onOff("mcast_flood", "mcast_flood", d.mcastFlood);
  onOff("bcast_flood", "bcast_flood", d.bcastFlood);
  onOff("mcast_to_unicast", "mcast_to_unicast", d.mcastToUcast);
  onOff("neigh_suppress", "neigh_suppress", d.neighSuppress);
  const mask = hex0x(d.groupFwdMask);
  out.any("group_fwd_mask", `group_fwd_mask ${mask} `, mask);
  const maskStr = bitmask2str(d.groupFwdMask);
  out.any("group_fwd_mask_str", `group_fwd_mask_str ${maskStr} `, maskStr);
  onOff("vlan_tunnel", "vlan_tunnel", d.vlanTunnel);
  onOff("isolated", "isolated", d.isolated);
  onOff("locked", "locked", d.locked);
  if (d.backupPort !== undefined) {
    const name = llIndexToName(ctx, d.backupPort);
    out.any("backup_port", `backup_port ${name} `, name);
  }
}
