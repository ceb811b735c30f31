// The iptables ABI (include/uapi/linux/netfilter_ipv4/ip_tables.h and the xt_*.h match and target
// structs) as typed data: userland builds a whole table and swaps it in (IPT_SO_SET_REPLACE), or
// reads it back with its counters (IPT_SO_GET_ENTRIES). Chains are explicit here where the kernel
// blob uses offsets; the kernel validates and compiles them the same way.

export const NF_INET_PRE_ROUTING = 0;
export const NF_INET_LOCAL_IN = 1;
export const NF_INET_FORWARD = 2;
export const NF_INET_LOCAL_OUT = 3;
export const NF_INET_POST_ROUTING = 4;
export const NF_INET_NUMHOOKS = 5;

/** struct ipt_ip invflags */
export const IPT_INV_VIA_IN = 0x01;
export const IPT_INV_VIA_OUT = 0x02;
export const IPT_INV_SRCIP = 0x08;
export const IPT_INV_DSTIP = 0x10;
export const IPT_INV_FRAG = 0x20;
export const IPT_INV_PROTO = 0x40;
/** struct ipt_ip flags */
export const IPT_F_FRAG = 0x01;
export const IPT_F_GOTO = 0x02;

/** struct ipt_ip: the fixed part every rule has. Interfaces ending in `+` match by prefix. */
export interface IptIp {
  readonly src: number;
  readonly smsk: number;
  readonly dst: number;
  readonly dmsk: number;
  readonly iniface: string;
  readonly outiface: string;
  /** 0 is any protocol. */
  readonly proto: number;
  readonly flags: number;
  readonly invflags: number;
}

/** xt_tcp / xt_udp invflags */
export const XT_TCP_INV_SRCPT = 0x01;
export const XT_TCP_INV_DSTPT = 0x02;
export const XT_TCP_INV_FLAGS = 0x04;
export const XT_TCP_INV_OPTION = 0x08;

/** xt_addrtype flags and the RTN_* type bits it matches on. */
export const XT_ADDRTYPE_INVERT_SOURCE = 0x1;
export const XT_ADDRTYPE_INVERT_DEST = 0x2;
export const XT_ADDRTYPE_LIMIT_IFACE_IN = 0x4;
export const XT_ADDRTYPE_LIMIT_IFACE_OUT = 0x8;
export const XT_ADDRTYPE_UNSPEC = 1 << 0;
export const XT_ADDRTYPE_UNICAST = 1 << 1;
export const XT_ADDRTYPE_LOCAL = 1 << 2;
export const XT_ADDRTYPE_BROADCAST = 1 << 3;
export const XT_ADDRTYPE_ANYCAST = 1 << 4;
export const XT_ADDRTYPE_MULTICAST = 1 << 5;
export const XT_ADDRTYPE_BLACKHOLE = 1 << 6;
export const XT_ADDRTYPE_UNREACHABLE = 1 << 7;
export const XT_ADDRTYPE_PROHIBIT = 1 << 8;
export const XT_ADDRTYPE_THROW = 1 << 9;
export const XT_ADDRTYPE_NAT = 1 << 10;
export const XT_ADDRTYPE_XRESOLVE = 1 << 11;

/** xt_iprange flags */
export const IPRANGE_SRC = 0x01;
export const IPRANGE_DST = 0x02;
export const IPRANGE_SRC_INV = 0x10;
export const IPRANGE_DST_INV = 0x20;

/** xt_rateinfo: avg is the interval between packets in 1/XT_LIMIT_SCALE seconds. */
export const XT_LIMIT_SCALE = 10000;

/** xt_LOG logflags */
export const XT_LOG_TCPSEQ = 0x01;
export const XT_LOG_TCPOPT = 0x02;
export const XT_LOG_IPOPT = 0x04;
export const XT_LOG_UID = 0x08;
export const XT_LOG_MACDECODE = 0x20;

export interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

export type XtMatch =
  | {
      readonly kind: "tcp";
      readonly spts: PortRange;
      readonly dpts: PortRange;
      /** 0 is none. */
      readonly option: number;
      readonly flgMask: number;
      readonly flgCmp: number;
      readonly invflags: number;
    }
  | { readonly kind: "udp"; readonly spts: PortRange; readonly dpts: PortRange; readonly invflags: number }
  /** ipt_icmp: type 0xff is any; codes [min, max]. */
  | {
      readonly kind: "icmp";
      readonly type: number;
      readonly codeMin: number;
      readonly codeMax: number;
      readonly invert: boolean;
    }
  | {
      readonly kind: "multiport";
      readonly flags: "source" | "destination" | "any";
      readonly ports: readonly PortRange[];
      readonly invert: boolean;
    }
  | { readonly kind: "mark"; readonly mark: number; readonly mask: number; readonly invert: boolean }
  | { readonly kind: "comment"; readonly comment: string }
  | { readonly kind: "addrtype"; readonly source: number; readonly dest: number; readonly flags: number }
  | {
      readonly kind: "iprange";
      readonly flags: number;
      readonly srcMin: number;
      readonly srcMax: number;
      readonly dstMin: number;
      readonly dstMax: number;
    }
  | { readonly kind: "limit"; readonly avg: number; readonly burst: number }
  | {
      readonly kind: "statistic";
      readonly mode: "random" | "nth";
      readonly invert: boolean;
      /** random: matches when (random & 0x7fffffff) < probability. */
      readonly probability: number;
      /** nth: every N-1, the starting packet. */
      readonly every: number;
      readonly packet: number;
    }
  | { readonly kind: "mac"; readonly srcaddr: readonly number[]; readonly invert: boolean }
  | {
      readonly kind: "pkttype";
      readonly pkttype: "unicast" | "broadcast" | "multicast";
      readonly invert: boolean;
    }
  | { readonly kind: "length"; readonly min: number; readonly max: number; readonly invert: boolean }
  /** xt_owner_match_info: XT_OWNER_* bits in match and invert, uid and gid ranges. */
  | {
      readonly kind: "owner";
      readonly uidMin: number;
      readonly uidMax: number;
      readonly gidMin: number;
      readonly gidMax: number;
      readonly match: number;
      readonly invert: number;
    }
  | { readonly kind: "ttl"; readonly mode: "eq" | "ne" | "lt" | "gt"; readonly ttl: number }
  | { readonly kind: "tos"; readonly value: number; readonly mask: number; readonly invert: boolean }
  | { readonly kind: "dscp"; readonly dscp: number; readonly invert: boolean }
  /** xt_conntrack_mtinfo3 */
  | {
      readonly kind: "conntrack";
      /** XT_CONNTRACK_* bits given, and those inverted. */
      readonly matchFlags: number;
      readonly invertFlags: number;
      readonly origSrc: number;
      readonly origSrcMask: number;
      readonly origDst: number;
      readonly origDstMask: number;
      readonly replSrc: number;
      readonly replSrcMask: number;
      readonly replDst: number;
      readonly replDstMask: number;
      readonly l4proto: number;
      readonly origSrcPort: PortRange;
      readonly origDstPort: PortRange;
      readonly replSrcPort: PortRange;
      readonly replDstPort: PortRange;
      readonly stateMask: number;
      readonly statusMask: number;
      readonly expiresMin: number;
      readonly expiresMax: number;
    }
  /** xt_state_info: the mask of XT_STATE_BIT(ctinfo), INVALID and UNTRACKED. */
  | { readonly kind: "state"; readonly stateMask: number; readonly invert: boolean }
  /** xt_connmark_mtinfo1 */
  | { readonly kind: "connmark"; readonly mark: number; readonly mask: number; readonly invert: boolean }
  /** xt_set_info_match_v4: the set, IPSET_INV_MATCH and friends, and the counter conditions. */
  | {
      readonly kind: "set";
      readonly matchSet: XtSetInfo;
      readonly flags: number;
      readonly packets: XtSetCounterMatch;
      readonly bytes: XtSetCounterMatch;
    };

/** struct xt_set_info: the set by index (its name kept for printing), dimension, IPSET_DIM_*_SRC bits. */
export interface XtSetInfo {
  readonly index: number;
  readonly name: string;
  readonly dim: number;
  readonly flags: number;
}

/** struct ip_set_counter_match0: op is IPSET_COUNTER_NONE/EQ/NE/LT/GT (0..4). */
export interface XtSetCounterMatch {
  readonly op: number;
  readonly value: number;
}

/** enum ipset_cmd_flags (the match's and target's flags word). */
export const IPSET_INV_MATCH = 1 << 5;
export const IPSET_FLAG_RETURN_NOMATCH = 1 << 7;
export const IPSET_FLAG_SKIP_COUNTER_UPDATE = 1 << 8;
export const IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE = 1 << 9;
export const IPSET_FLAG_EXIST = 1 << 0;

/** xt_conntrack match_flags */
export const XT_CONNTRACK_STATE = 1 << 0;
export const XT_CONNTRACK_PROTO = 1 << 1;
export const XT_CONNTRACK_ORIGSRC = 1 << 2;
export const XT_CONNTRACK_ORIGDST = 1 << 3;
export const XT_CONNTRACK_REPLSRC = 1 << 4;
export const XT_CONNTRACK_REPLDST = 1 << 5;
export const XT_CONNTRACK_STATUS = 1 << 6;
export const XT_CONNTRACK_EXPIRES = 1 << 7;
export const XT_CONNTRACK_ORIGSRC_PORT = 1 << 8;
export const XT_CONNTRACK_ORIGDST_PORT = 1 << 9;
export const XT_CONNTRACK_REPLSRC_PORT = 1 << 10;
export const XT_CONNTRACK_REPLDST_PORT = 1 << 11;
export const XT_CONNTRACK_DIRECTION = 1 << 12;
/** Conntrack state bits (XT_CONNTRACK_STATE_BIT(ctinfo) = 1 << (ctinfo % 3 + 1)). */
export const XT_CONNTRACK_STATE_INVALID = 1 << 0;
export const XT_CONNTRACK_STATE_ESTABLISHED = 1 << 1;
export const XT_CONNTRACK_STATE_RELATED = 1 << 2;
export const XT_CONNTRACK_STATE_NEW = 1 << 3;
export const XT_CONNTRACK_STATE_SNAT = 1 << 6;
export const XT_CONNTRACK_STATE_DNAT = 1 << 7;
export const XT_CONNTRACK_STATE_UNTRACKED = 1 << 8;
/** xt_state's UNTRACKED bit (1 << (IP_CT_NUMBER + 1)). */
export const XT_STATE_UNTRACKED = 1 << 6;

/** struct nf_nat_range2 flags */
export const NF_NAT_RANGE_MAP_IPS = 1 << 0;
export const NF_NAT_RANGE_PROTO_SPECIFIED = 1 << 1;
export const NF_NAT_RANGE_PROTO_RANDOM = 1 << 2;
export const NF_NAT_RANGE_PERSISTENT = 1 << 3;
export const NF_NAT_RANGE_PROTO_RANDOM_FULLY = 1 << 4;
export const NF_NAT_RANGE_PROTO_OFFSET = 1 << 5;
export const NF_NAT_RANGE_PROTO_RANDOM_ALL = NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PROTO_RANDOM_FULLY;

/** struct nf_nat_range2 (IPv4 addresses, ports in host order). */
export interface NfNatRange {
  readonly flags: number;
  readonly minAddr: number;
  readonly maxAddr: number;
  readonly minProto: number;
  readonly maxProto: number;
}

export type IptRejectWith =
  | "icmp-net-unreachable"
  | "icmp-host-unreachable"
  | "icmp-port-unreachable"
  | "icmp-proto-unreachable"
  | "icmp-net-prohibited"
  | "icmp-host-prohibited"
  | "icmp-admin-prohibited"
  | "tcp-reset";

export type XtTarget =
  /** The standard target: a verdict, or CONTINUE for a rule without -j (it only counts). */
  | { readonly kind: "standard"; readonly verdict: "ACCEPT" | "DROP" | "RETURN" | "CONTINUE" }
  /** A jump to a user chain; with IPT_F_GOTO in ip.flags it is a goto. */
  | { readonly kind: "jump"; readonly chain: string }
  | { readonly kind: "REJECT"; readonly with: IptRejectWith }
  | { readonly kind: "LOG"; readonly level: number; readonly logflags: number; readonly prefix: string }
  | { readonly kind: "MARK"; readonly mark: number; readonly mask: number }
  /** xt_connmark_tginfo2 */
  | {
      readonly kind: "CONNMARK";
      readonly mode: "set" | "save" | "restore";
      readonly ctmark: number;
      readonly ctmask: number;
      readonly nfmask: number;
    }
  /** xt_ct_target_info_v1 with XT_CT_NOTRACK, or none; `alias` is the name it was given (NOTRACK). */
  | { readonly kind: "CT"; readonly notrack: boolean; readonly alias: "CT" | "NOTRACK" }
  /** xt_nat's SNAT and DNAT (revision 2), MASQUERADE and REDIRECT (nf_nat_range2). */
  | { readonly kind: "SNAT" | "DNAT" | "MASQUERADE" | "REDIRECT"; readonly range: NfNatRange }
  /** xt_set_info_target_v3 (add/del only; index -1 is IPSET_INVALID_ID). */
  | {
      readonly kind: "SET";
      readonly addSet: XtSetInfo | undefined;
      readonly delSet: XtSetInfo | undefined;
      readonly flags: number;
      readonly timeout: number;
    }
  /** xt_tcpmss_info: mss 0xffff is XT_TCPMSS_CLAMP_PMTU. */
  | { readonly kind: "TCPMSS"; readonly mss: number }
  /** xt_TRACE: sets skb->nf_trace. */
  | { readonly kind: "TRACE" };

export interface XtCounters {
  readonly pcnt: number;
  readonly bcnt: number;
}

export interface IptEntry {
  readonly ip: IptIp;
  readonly matches: readonly XtMatch[];
  readonly target: XtTarget;
  readonly counters: XtCounters;
  /**
   * The nf_tables rule handle (iptables-nft keeps every rule as an nft rule): given by the kernel
   * from the table's counter when the rule is added, kept by -R, shown by traces. A rule new in
   * a replace has none.
   */
  readonly handle?: number;
}

export interface IptChain {
  readonly name: string;
  /** Built-in chains have a policy (and its counters); user chains have none. */
  readonly policy: "ACCEPT" | "DROP" | undefined;
  /**
   * A built-in chain is hooked only once it exists (iptables-nft creates each base chain on its
   * first use); until then it sees no packets and counts none. User chains ignore this.
   */
  readonly hooked: boolean;
  /**
   * Whether the built-in chain keeps policy counters: nf_tables base chains count only when
   * created with counters (by -P or iptables-restore), not when a rule created them.
   */
  readonly stats: boolean;
  readonly counters: XtCounters;
  readonly entries: readonly IptEntry[];
  /** The nf_tables chain handle: a user chain's, or a built-in chain's while it exists (hooked). */
  readonly handle?: number;
  /** Where a new chain stands in the batch (the order its NEWCHAIN message was sent). */
  readonly seq?: number;
}

/** struct ipt_replace / ipt_get_entries: a whole table. Built-in chains first, in hook order. */
export interface IptTable {
  readonly name: string;
  readonly chains: readonly IptChain[];
  /**
   * The batch deletes the table and creates it anew (iptables-restore without --noflush), so its
   * handle counter starts again from 1.
   */
  readonly fresh?: boolean;
  /** How many objects the batch created (the last `seq` given), deleted ones included. */
  readonly batchLen?: number;
  /**
   * Where each new rule stands in the batch (the order its NEWRULE message was sent), by the rule
   * object: kept beside the rules so that they keep one shape.
   */
  readonly ruleSeq?: ReadonlyMap<IptEntry, number>;
}

/** xt_owner_match_info's match and invert bits. */
export const XT_OWNER_UID = 1;
export const XT_OWNER_GID = 2;
export const XT_OWNER_SOCKET = 4;
export const XT_OWNER_SUPPL_GROUPS = 8;

/** NFPROTO_IPV4: the nf_tables family of the iptables tables. */
export const NFPROTO_IPV4 = 2;

/** The nf_tables verdict codes a trace reports besides NF_ACCEPT/NF_DROP (nf_tables.h). */
export const NFT_CONTINUE = -1;
export const NFT_JUMP = -3;
export const NFT_GOTO = -4;
export const NFT_RETURN = -5;

/** enum nft_trace_types */
export const NFT_TRACETYPE_POLICY = 2;
export const NFT_TRACETYPE_RULE = 3;

/**
 * NFT_MSG_TRACE as nfnetlink_send multicasts it to NFNLGRP_NFTRACE (nf_tables_trace.c): the
 * attributes of one trace event, the packet's headers as the bytes the kernel copied.
 */
export interface NftTraceMsg {
  /** nfgenmsg family: the base chain's (NFPROTO_IPV4). */
  readonly family: number;
  /** NFTA_TRACE_NFPROTO */
  readonly nfproto: number;
  readonly type: number;
  readonly id: number;
  readonly table: string;
  readonly chain: string;
  /** NFTA_TRACE_RULE_HANDLE: absent for a policy event. */
  readonly handle?: number;
  /** NFTA_TRACE_VERDICT's code (RULE) or NFTA_TRACE_POLICY (POLICY), as a u32. */
  readonly verdict: number;
  /** NFTA_VERDICT_CHAIN of a jump or goto. */
  readonly jumpTarget?: string;
  /** NFTA_TRACE_MARK: sent only when not zero. */
  readonly mark: number;
  /** The first event of each base chain also carries the packet (packet_dumped). */
  readonly iif?: number;
  readonly iifType?: number;
  readonly oif?: number;
  readonly oifType?: number;
  readonly llHeader?: Uint8Array;
  readonly networkHeader?: Uint8Array;
  readonly transportHeader?: Uint8Array;
}
