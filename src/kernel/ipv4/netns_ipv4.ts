// struct netns_ipv4: the per-namespace IPv4 state, its sysctls and its SNMP counters.

import type { Neighbour } from "../core/neighbour.js";
import { type FibRulesOps, fib4RulesInit } from "./fib_rules.js";
import type { FibTable } from "./fib_table.js";
import type { RawSock } from "./raw.js";

/** struct ipv4_devconf: the per-device knobs under net.ipv4.conf.{all,default,DEV}. */
export interface Ipv4Devconf {
  forwarding: number;
}

/** IPSTATS_MIB_* and ICMP_MIB_* that this stack counts, named as /proc/net/snmp prints them. */
export interface Ipv4Mib {
  InReceives: number;
  InHdrErrors: number;
  InAddrErrors: number;
  ForwDatagrams: number;
  InUnknownProtos: number;
  InDiscards: number;
  InDelivers: number;
  OutRequests: number;
  OutDiscards: number;
  OutNoRoutes: number;
  InNoRoutes: number;
  InTruncatedPkts: number;
  InCsumErrors: number;
  IcmpInMsgs: number;
  IcmpInErrors: number;
  IcmpInCsumErrors: number;
  IcmpOutMsgs: number;
  IcmpOutErrors: number;
  IcmpOutRateLimitHost: number;
  ArpDropped: number;
  /** IPSTATS_MIB_OUTPKTS, counted in ip_output for every packet leaving through a device. */
  OutTransmits: number;
  /** icmpmsg_statistics: packets by ICMP type, received at `type` and sent at `0x100 | type`; only types seen. */
  readonly IcmpMsg: Map<number, number>;
}

export interface NetnsIpv4 {
  /** fib_table_hash: tables by id, created on demand (fib_new_table). */
  readonly fibTables: Map<number, FibTable>;
  /** rules_ops: the policy routing rules (fib4_rules_init). */
  readonly rules: FibRulesOps;
  /** fib_has_custom_rules: set by the first rule added or deleted; until then local and main are merged. */
  fibHasCustomRules: boolean;
  readonly devconfAll: Ipv4Devconf;
  readonly devconfDflt: Ipv4Devconf;
  sysctlIpDefaultTtl: number;
  sysctlIcmpEchoIgnoreAll: number;
  sysctlIcmpEchoIgnoreBroadcasts: number;
  sysctlLocalPortRange: readonly [number, number];
  sysctlPingGroupRange: readonly [number, number];
  /** raw_v4_hashinfo: open raw sockets. */
  readonly rawSockets: Set<RawSock>;
  /** arp_tbl entries of this namespace, keyed by device then address. */
  readonly neighbours: Map<string, Neighbour>;
  /** ip_idents for datagrams that need an IP id. */
  ipIdent: number;
  readonly mib: Ipv4Mib;
}

export function newNetnsIpv4(): NetnsIpv4 {
  return {
    fibTables: new Map(),
    rules: fib4RulesInit(),
    fibHasCustomRules: false,
    devconfAll: { forwarding: 0 },
    devconfDflt: { forwarding: 0 },
    sysctlIpDefaultTtl: 64,
    sysctlIcmpEchoIgnoreAll: 0,
    sysctlIcmpEchoIgnoreBroadcasts: 1,
    sysctlLocalPortRange: [32768, 60999],
    sysctlPingGroupRange: [1, 0],
    rawSockets: new Set(),
    neighbours: new Map(),
    ipIdent: 0,
    mib: {
      InReceives: 0,
      InHdrErrors: 0,
      InAddrErrors: 0,
      ForwDatagrams: 0,
      InUnknownProtos: 0,
      InDiscards: 0,
      InDelivers: 0,
      OutRequests: 0,
      OutDiscards: 0,
      OutNoRoutes: 0,
      InNoRoutes: 0,
      InTruncatedPkts: 0,
      InCsumErrors: 0,
      IcmpInMsgs: 0,
      IcmpInErrors: 0,
      IcmpInCsumErrors: 0,
      IcmpOutMsgs: 0,
      IcmpOutErrors: 0,
      IcmpOutRateLimitHost: 0,
      ArpDropped: 0,
      OutTransmits: 0,
      IcmpMsg: new Map(),
    },
  };
}

/** ICMPMSGIN_INC_STATS (`index` = type) and ICMPMSGOUT_INC_STATS (`index` = 0x100 | type). */
export function icmpMsgInc(mib: Ipv4Mib, index: number): void {
  mib.IcmpMsg.set(index, (mib.IcmpMsg.get(index) ?? 0) + 1);
}
