// The user/kernel ABI: constants and message shapes from include/uapi/linux/{if,if_link,rtnetlink,
// if_addr,neighbour}.h, as typed objects instead of nlattr bytes. Userland sees only these.

export const AF_INET = 2;
export const AF_INET6 = 10;

// include/uapi/linux/if.h net_device_flags
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_DEBUG = 0x4;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_NOTRAILERS = 0x20;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_ALLMULTI = 0x200;
export const IFF_MASTER = 0x400;
export const IFF_SLAVE = 0x800;
export const IFF_MULTICAST = 0x1000;
export const IFF_PORTSEL = 0x2000;
export const IFF_AUTOMEDIA = 0x4000;
export const IFF_DYNAMIC = 0x8000;
export const IFF_LOWER_UP = 0x10000;
export const IFF_DORMANT = 0x20000;
export const IFF_ECHO = 0x40000;

// RFC 2863 operational states (IF_OPER_*)
export const IF_OPER_UNKNOWN = 0;
export const IF_OPER_NOTPRESENT = 1;
export const IF_OPER_DOWN = 2;
export const IF_OPER_LOWERLAYERDOWN = 3;
export const IF_OPER_TESTING = 4;
export const IF_OPER_DORMANT = 5;
export const IF_OPER_UP = 6;

// include/uapi/linux/if_arp.h
export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;

// include/uapi/linux/rtnetlink.h
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;
export const RTN_NAT = 10;

// rtm_flags / nexthop flags
export const RTNH_F_DEAD = 1;
export const RTNH_F_PERVASIVE = 2;
export const RTNH_F_ONLINK = 4;
export const RTNH_F_OFFLOAD = 8;
export const RTNH_F_LINKDOWN = 16;
export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;

// include/uapi/linux/in_route.h: route cache flags reported by RTM_GETROUTE (rtm_flags high bits)
export const RTCF_NOTIFY = 0x10000;
export const RTCF_DIRECTDST = 0x20000;
export const RTCF_REDIRECTED = 0x40000;
export const RTCF_DOREDIRECT = 0x01000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;
export const RTCF_LOCAL = 0x80000000;

// include/uapi/linux/if_addr.h
export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const INFINITY_LIFE_TIME = 0xffffffff;

/** nlmsghdr flags that matter for NEW requests. */
export interface NlFlags {
  readonly create?: boolean; // NLM_F_CREATE
  readonly excl?: boolean; // NLM_F_EXCL
  readonly replace?: boolean; // NLM_F_REPLACE
  readonly append?: boolean; // NLM_F_APPEND
  /** NLM_F_ECHO: the request's own notification comes back to the requester. */
  readonly echo?: boolean;
}

/** An open file on a namespace (open("/run/netns/NAME") or /proc/PID/ns/net). */
export interface NsFd {
  readonly kind: "nsfd";
  /** Opaque to userland. */
  readonly ns: unknown;
}

/** IFLA_LINKINFO with IFLA_INFO_KIND and its data. */
export type LinkInfoReq =
  | {
      readonly kind: "veth";
      /** VETH_INFO_PEER: the peer's own ifinfomsg + attributes. */
      readonly peer?: {
        readonly ifname?: string;
        readonly netnsFd?: NsFd;
        readonly address?: Uint8Array;
        readonly mtu?: number;
        readonly txqlen?: number;
      };
    }
  | { readonly kind: "bridge"; readonly peer?: undefined; readonly data?: BridgeInfoReq }
  | { readonly kind: "dummy"; readonly peer?: undefined }
  | { readonly kind: "macvlan"; readonly peer?: undefined; readonly data?: MacvlanInfoReq }
  | { readonly kind: "vlan"; readonly peer?: undefined; readonly data?: VlanInfoReq }
  | { readonly kind: "vxlan"; readonly peer?: undefined; readonly data?: VxlanInfoReq };

/** IFLA_MACVLAN_* of a request. */
export interface MacvlanInfoReq {
  readonly mode?: number; // IFLA_MACVLAN_MODE: MACVLAN_MODE_*
  readonly flags?: number; // IFLA_MACVLAN_FLAGS
  readonly bcQueueLen?: number; // IFLA_MACVLAN_BC_QUEUE_LEN
  readonly macaddrMode?: number; // IFLA_MACVLAN_MACADDR_MODE: MACVLAN_MACADDR_*
  readonly macaddr?: Uint8Array; // IFLA_MACVLAN_MACADDR
  readonly macaddrData?: readonly Uint8Array[]; // IFLA_MACVLAN_MACADDR_DATA
}

/** IFLA_VLAN_* of a request. */
export interface VlanInfoReq {
  readonly id?: number; // IFLA_VLAN_ID
  readonly protocol?: number; // IFLA_VLAN_PROTOCOL (host order)
  readonly flags?: { readonly flags: number; readonly mask: number }; // IFLA_VLAN_FLAGS
}

/** IFLA_VXLAN_* (IPv4) of a request; IPv4 addresses as host-order numbers. */
export interface VxlanInfoReq {
  readonly vni?: number;
  readonly remote?: number; // IFLA_VXLAN_GROUP: a remote or a multicast group
  readonly local?: number;
  readonly link?: number; // IFLA_VXLAN_LINK
  readonly ttl?: number;
  readonly ttlInherit?: boolean;
  readonly tos?: number;
  readonly df?: number;
  readonly ageing?: number;
  readonly limit?: number;
  readonly dstPort?: number;
  readonly portMin?: number;
  readonly portMax?: number;
  readonly learning?: boolean;
  readonly proxy?: boolean;
  readonly rsc?: boolean;
  readonly l2miss?: boolean;
  readonly l3miss?: boolean;
  readonly udpCsum?: boolean;
  readonly udp6ZeroCsumTx?: boolean;
  readonly udp6ZeroCsumRx?: boolean;
}

/** struct ifla_bridge_id */
export interface IflaBridgeId {
  readonly prio: number;
  readonly addr: Uint8Array;
}

/** IFLA_BR_* of a request (times in USER_HZ ticks, as iproute2 sends them). */
export interface BridgeInfoReq {
  readonly forwardDelay?: number;
  readonly helloTime?: number;
  readonly maxAge?: number;
  readonly ageingTime?: number;
  readonly stpState?: number;
  readonly priority?: number;
  readonly vlanFiltering?: number;
  readonly vlanProtocol?: number;
  readonly groupFwdMask?: number;
  readonly groupAddr?: Uint8Array;
  readonly fdbFlush?: boolean;
  readonly mcastRouter?: number;
  readonly mcastSnooping?: number;
  readonly mcastQueryUseIfaddr?: number;
  readonly mcastQuerier?: number;
  readonly mcastHashElasticity?: number;
  readonly mcastHashMax?: number;
  readonly mcastLastMemberCnt?: number;
  readonly mcastStartupQueryCnt?: number;
  readonly mcastLastMemberIntvl?: number;
  readonly mcastMembershipIntvl?: number;
  readonly mcastQuerierIntvl?: number;
  readonly mcastQueryIntvl?: number;
  readonly mcastQueryResponseIntvl?: number;
  readonly mcastStartupQueryIntvl?: number;
  readonly nfCallIptables?: number;
  readonly nfCallIp6tables?: number;
  readonly nfCallArptables?: number;
  readonly vlanDefaultPvid?: number;
  readonly vlanStatsEnabled?: number;
  readonly mcastStatsEnabled?: number;
  readonly mcastIgmpVersion?: number;
  readonly mcastMldVersion?: number;
  readonly vlanStatsPerPort?: number;
  /** IFLA_BR_MULTI_BOOLOPT: struct br_boolopt_multi (BR_BOOLOPT_NO_LL_LEARN = bit 0, MCAST_VLAN_SNOOPING = bit 1). */
  readonly multiBoolopt?: { readonly optval: number; readonly optmask: number };
}

/** IFLA_BR_* as br_fill_info reports them (a kernel without CONFIG_BRIDGE_VLAN_FILTERING). */
export interface BridgeInfoData {
  readonly forwardDelay: number;
  readonly helloTime: number;
  readonly maxAge: number;
  readonly ageingTime: number;
  readonly stpState: number;
  readonly priority: number;
  readonly vlanFiltering: number;
  readonly bridgeId: IflaBridgeId;
  readonly rootId: IflaBridgeId;
  readonly rootPort: number;
  readonly rootPathCost: number;
  readonly topologyChange: number;
  readonly topologyChangeDetected: number;
  /** Timers: what is left, in USER_HZ ticks. */
  readonly helloTimer: number;
  readonly tcnTimer: number;
  readonly topologyChangeTimer: number;
  readonly gcTimer: number;
  readonly groupFwdMask: number;
  readonly groupAddr: Uint8Array;
  readonly multiBoolopt: { readonly optval: number; readonly optmask: number };
  readonly mcastRouter: number;
  readonly mcastSnooping: number;
  readonly mcastQueryUseIfaddr: number;
  readonly mcastQuerier: number;
  readonly mcastStatsEnabled: number;
  readonly mcastHashElasticity: number;
  readonly mcastHashMax: number;
  readonly mcastLastMemberCnt: number;
  readonly mcastStartupQueryCnt: number;
  readonly mcastIgmpVersion: number;
  readonly mcastMldVersion: number;
  readonly mcastLastMemberIntvl: number;
  readonly mcastMembershipIntvl: number;
  readonly mcastQuerierIntvl: number;
  readonly mcastQueryIntvl: number;
  readonly mcastQueryResponseIntvl: number;
  readonly mcastStartupQueryIntvl: number;
  readonly nfCallIptables: number;
  readonly nfCallIp6tables: number;
  readonly nfCallArptables: number;
}

/** IFLA_INFO_DATA as rtnl_link_ops->fill_info reports it, for the kinds that have one. */
export type LinkInfoData =
  | ({ readonly kind: "bridge" } & BridgeInfoData)
  | {
      readonly kind: "macvlan";
      readonly mode: number;
      readonly flags: number;
      readonly macaddrCount: number;
      /** IFLA_MACVLAN_MACADDR_DATA: the source list, in the port's hash order. */
      readonly macaddrData: readonly Uint8Array[];
      readonly bcQueueLen: number;
      readonly bcQueueLenUsed: number;
    }
  | { readonly kind: "vlan"; readonly protocol: number; readonly id: number; readonly flags: number }
  | ({ readonly kind: "vxlan" } & Required<Omit<VxlanInfoReq, "vni">> & { readonly vni: number });

export interface RtLinkReq {
  readonly kind: "RTM_NEWLINK";
  readonly nlFlags: NlFlags;
  /** ifi_index (0 = select by ifname). */
  readonly ifindex: number;
  /** ifi_flags / ifi_change: set flags & change (IFF_UP). */
  readonly flags: number;
  readonly change: number;
  readonly ifname?: string; // IFLA_IFNAME: selects the device when ifindex is 0, else renames
  readonly mtu?: number; // IFLA_MTU
  readonly address?: Uint8Array; // IFLA_ADDRESS
  readonly txqlen?: number; // IFLA_TXQLEN
  readonly netnsFd?: NsFd; // IFLA_NET_NS_FD
  readonly netnsPid?: number; // IFLA_NET_NS_PID
  readonly linkinfo?: LinkInfoReq; // IFLA_LINKINFO
  readonly master?: number; // IFLA_MASTER: 0 releases the device from its master (nomaster)
  readonly ifalias?: string; // IFLA_IFALIAS: "" removes the alias
  readonly group?: number; // IFLA_GROUP
  readonly broadcast?: Uint8Array; // IFLA_BROADCAST
  readonly link?: number; // IFLA_LINK: the lower device of a stacked one
  /** IFLA_INFO_SLAVE_KIND "bridge" with IFLA_INFO_SLAVE_DATA (`type bridge_slave …`). */
  readonly slaveInfo?: { readonly kind: string; readonly data?: BrPortReq };
}

/** A device as RTM_NEWLINK reports it (rtnl_fill_ifinfo). */
export interface RtLink {
  readonly ifindex: number;
  readonly ifname: string;
  readonly type: number; // ifi_type: ARPHRD_*
  readonly flags: number; // dev_get_flags(): IFF_* incl. IFF_LOWER_UP, IFF_RUNNING
  readonly mtu: number;
  readonly minMtu: number;
  readonly maxMtu: number;
  readonly qdisc: string; // IFLA_QDISC
  readonly operstate: number; // IF_OPER_*
  readonly linkmode: number; // 0 = DEFAULT, 1 = DORMANT
  readonly group: number;
  readonly txqlen: number;
  readonly address: Uint8Array;
  readonly broadcast: Uint8Array;
  /** IFLA_LINK: the peer's ifindex (in the peer's namespace), when the device has one. */
  readonly link?: number;
  /** IFLA_LINK_NETNSID: present when the peer lives in another namespace (peernet2id_alloc). */
  readonly linkNetnsid?: number;
  /** IFLA_INFO_KIND */
  readonly infoKind?: string;
  /** IFLA_INFO_DATA, for the kinds that report one. */
  readonly infoData?: LinkInfoData;
  /** IFLA_INFO_SLAVE_KIND: the master's kind, for a bridge port "bridge". */
  readonly slaveKind?: string;
  /** IFLA_INFO_SLAVE_DATA: a bridge port's IFLA_BRPORT_* (br_port_fill_slave_info). */
  readonly slaveData?: RtBridgePortInfo;
  /** IFLA_MASTER */
  readonly master?: number;
  readonly stats: RtLinkStats;
  /** IFLA_CARRIER_CHANGES (iproute2 prints it as TX "transns"). */
  readonly carrierChanges: number;
  /** IFLA_IFALIAS, when the device has an alias. */
  readonly ifalias?: string;
  /** IFLA_PROP_LIST's IFLA_ALT_IFNAMEs in the order they were added; absent when there are none. */
  readonly altnames?: readonly string[];
  readonly promiscuity: number; // IFLA_PROMISCUITY
  readonly allmulti: number; // IFLA_ALLMULTI
  readonly numTxQueues: number; // IFLA_NUM_TX_QUEUES
  readonly numRxQueues: number; // IFLA_NUM_RX_QUEUES
  readonly gsoMaxSize: number; // IFLA_GSO_MAX_SIZE
  readonly gsoMaxSegs: number; // IFLA_GSO_MAX_SEGS
  readonly tsoMaxSize: number; // IFLA_TSO_MAX_SIZE
  readonly tsoMaxSegs: number; // IFLA_TSO_MAX_SEGS
  readonly groMaxSize: number; // IFLA_GRO_MAX_SIZE
  /** IFLA_AF_SPEC / AF_INET6 / IFLA_INET6_ADDR_GEN_MODE: present while the device has an inet6_dev. */
  readonly addrGenMode?: number;
}

export interface RtLinkStats {
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxErrors: number;
  readonly txErrors: number;
  readonly rxDropped: number;
  readonly txDropped: number;
  readonly multicast: number;
  readonly collisions: number;
}

export interface RtAddrReq {
  readonly kind: "RTM_NEWADDR" | "RTM_DELADDR";
  readonly nlFlags: NlFlags;
  readonly family: number;
  readonly prefixlen: number;
  readonly ifindex: number;
  readonly scope: number;
  /** IFA_LOCAL (network-order bytes). */
  readonly local: Uint8Array;
  /** IFA_ADDRESS: the peer address; equals local when not point-to-point. */
  readonly address?: Uint8Array;
  readonly broadcast?: Uint8Array; // IFA_BROADCAST
  readonly label?: string; // IFA_LABEL
  readonly flags?: number; // IFA_FLAGS: IFA_F_NODAD, IFA_F_NOPREFIXROUTE …
  /** IFA_CACHEINFO: ifa_valid / ifa_prefered in seconds. */
  readonly cacheinfo?: { readonly valid: number; readonly preferred: number };
}

export interface RtAddr {
  readonly family: number;
  readonly prefixlen: number;
  readonly ifindex: number;
  readonly scope: number;
  readonly flags: number; // IFA_F_*
  readonly local: Uint8Array;
  readonly address: Uint8Array;
  readonly broadcast?: Uint8Array;
  readonly label?: string;
  readonly validLft: number; // IFA_CACHEINFO, seconds; INFINITY_LIFE_TIME = forever
  readonly preferredLft: number;
}

/** RTM_NEWROUTE / RTM_DELROUTE (struct rtmsg + RTA_* attributes). */
export interface RtRouteReq {
  readonly kind: "RTM_NEWROUTE" | "RTM_DELROUTE";
  readonly nlFlags: NlFlags;
  readonly family: number;
  readonly dstLen: number;
  readonly tos: number;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly type: number;
  readonly dst?: Uint8Array; // RTA_DST
  readonly gateway?: Uint8Array; // RTA_GATEWAY
  readonly oif?: number; // RTA_OIF
  readonly prefsrc?: Uint8Array; // RTA_PREFSRC
  readonly priority?: number; // RTA_PRIORITY (metric)
  readonly flags?: number; // rtm_flags: RTNH_F_ONLINK
  readonly metrics?: RtMetrics; // RTA_METRICS
  readonly multipath?: readonly RtNexthop[]; // RTA_MULTIPATH
}

/** struct rtnexthop with its RTA_GATEWAY, as RTA_MULTIPATH carries it. */
export interface RtNexthop {
  /** rtnh_hops + 1 */
  readonly weight: number;
  /** rtnh_flags: RTNH_F_* */
  readonly flags: number;
  /** rtnh_ifindex, 0 when not given. */
  readonly oif: number;
  readonly gateway?: Uint8Array;
}

// RTAX_* (include/uapi/linux/rtnetlink.h): the metrics this stack keeps.
export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_ADVMSS = 8;

/** RTA_METRICS as nested RTAX_* attributes; `lock` is the RTAX_LOCK bitmask (1 << RTAX_*). */
export interface RtMetrics {
  readonly lock?: number;
  readonly mtu?: number;
  readonly advmss?: number;
}

/** A route as RTM_NEWROUTE reports it (fib_dump_info / rt_fill_info). */
export interface RtRoute {
  readonly family: number;
  readonly dstLen: number;
  readonly srcLen: number;
  readonly tos: number;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly type: number;
  readonly flags: number; // rtm_flags: RTNH_F_*, RTM_F_CLONED, RTCF_* for route get
  readonly dst?: Uint8Array;
  readonly src?: Uint8Array; // RTA_SRC (route get with from)
  readonly gateway?: Uint8Array;
  readonly oif?: number;
  readonly iif?: number; // RTA_IIF (route get with iif)
  readonly prefsrc?: Uint8Array;
  readonly priority?: number;
  readonly uid?: number; // RTA_UID (route get)
  readonly mark?: number; // RTA_MARK (route get with a mark)
  /** RTA_CACHEINFO present (route get answers carry it: iproute2 prints "cache"). */
  readonly cache?: { readonly expires: number; readonly error: number };
  readonly metrics?: RtMetrics;
  readonly multipath?: readonly RtNexthop[];
}

/** RTM_GETROUTE without NLM_F_DUMP: inet_rtm_getroute. */
export interface RtRouteGetReq {
  readonly kind: "RTM_GETROUTE";
  readonly family: number;
  readonly dst: Uint8Array;
  readonly src?: Uint8Array;
  readonly iif?: number;
  readonly oif?: number;
  readonly mark?: number;
  readonly tos?: number;
  readonly uid?: number;
  /** RTA_IP_PROTO, RTA_SPORT, RTA_DPORT */
  readonly ipProto?: number;
  readonly sport?: number;
  readonly dport?: number;
}

// include/uapi/linux/neighbour.h
export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
export const NTF_USE = 0x01;
export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;
export const NTF_OFFLOADED = 0x20;
export const NTF_ROUTER = 0x80;

/** RTM_NEWNEIGH / RTM_DELNEIGH (struct ndmsg + NDA_* attributes). */
export interface RtNeighReq {
  readonly kind: "RTM_NEWNEIGH" | "RTM_DELNEIGH";
  readonly nlFlags: NlFlags;
  readonly family: number;
  readonly ifindex: number;
  /** ndm_state: NUD_* */
  readonly state: number;
  /** ndm_flags: NTF_* */
  readonly flags: number;
  readonly dst: Uint8Array; // NDA_DST
  readonly lladdr?: Uint8Array; // NDA_LLADDR
}

/** A neighbour entry as RTM_NEWNEIGH reports it (neigh_fill_info). */
export interface RtNeigh {
  readonly family: number;
  readonly ifindex: number;
  readonly state: number;
  readonly flags: number;
  readonly dst: Uint8Array;
  readonly lladdr?: Uint8Array;
  /** NDA_CACHEINFO, in clock ticks (USER_HZ = 100) since the event. */
  readonly cacheinfo: {
    readonly confirmed: number;
    readonly used: number;
    readonly updated: number;
    readonly refcnt: number;
  };
  /** NDA_PROBES */
  readonly probes: number;
}

/** NDTA_PARMS (struct neigh_parms as neightbl_fill_parms reports it; times in ms). */
export interface RtNeighTblParms {
  readonly ifindex?: number; // NDTPA_IFINDEX, absent for the table's own
  readonly refcnt: number;
  readonly queueLenBytes: number;
  readonly queueLen: number;
  readonly proxyQlen: number;
  readonly appProbes: number;
  readonly ucastProbes: number;
  readonly mcastProbes: number;
  readonly mcastReprobes: number;
  readonly reachableTime: number;
  readonly baseReachableTime: number;
  readonly gcStaletime: number;
  readonly delayProbeTime: number;
  readonly retransTime: number;
  readonly anycastDelay: number;
  readonly proxyDelay: number;
  readonly locktime: number;
  readonly intervalProbeTimeMs: number;
}

/** RTM_NEWNEIGHTBL: a table (name, gc knobs, NDTA_CONFIG, NDTA_STATS, parms) or one device's parms. */
export interface RtNeighTbl {
  readonly family: number;
  readonly name: string;
  readonly thresh1?: number;
  readonly thresh2?: number;
  readonly thresh3?: number;
  /** NDTA_GC_INTERVAL, ms */
  readonly gcInterval?: number;
  /** struct ndt_config; last_flush and last_rand are ms ago. */
  readonly config?: {
    readonly keyLen: number;
    readonly entrySize: number;
    readonly entries: number;
    readonly lastFlush: number;
    readonly lastRand: number;
    readonly hashRnd: number;
    readonly hashMask: number;
    readonly hashChainGc: number;
    readonly proxyQlen: number;
  };
  /** struct ndt_stats */
  readonly stats?: {
    readonly allocs: number;
    readonly destroys: number;
    readonly hashGrows: number;
    readonly resFailed: number;
    readonly lookups: number;
    readonly hits: number;
    readonly rcvProbesMcast: number;
    readonly rcvProbesUcast: number;
    readonly periodicGcRuns: number;
    readonly forcedGcRuns: number;
    readonly tableFulls: number;
  };
  readonly parms?: RtNeighTblParms;
}

/** RTM_SETNEIGHTBL (neightbl_set): times in ms, queue in packets. */
export interface RtNeighTblReq {
  readonly family: number;
  readonly name?: string;
  readonly thresh1?: number;
  readonly thresh2?: number;
  readonly thresh3?: number;
  readonly gcInterval?: number;
  readonly parms?: {
    readonly ifindex?: number;
    readonly queueLen?: number;
    readonly queueLenBytes?: number;
    readonly proxyQlen?: number;
    readonly appProbes?: number;
    readonly ucastProbes?: number;
    readonly mcastProbes?: number;
    readonly mcastReprobes?: number;
    readonly baseReachableTime?: number;
    readonly gcStaletime?: number;
    readonly delayProbeTime?: number;
    readonly intervalProbeTimeMs?: number;
    readonly retransTime?: number;
    readonly anycastDelay?: number;
    readonly proxyDelay?: number;
    readonly locktime?: number;
  };
}

// include/uapi/linux/fib_rules.h
export const FIB_RULE_PERMANENT = 0x00000001;
export const FIB_RULE_INVERT = 0x00000002;
export const FIB_RULE_UNRESOLVED = 0x00000004;
export const FIB_RULE_IIF_DETACHED = 0x00000008;
export const FIB_RULE_OIF_DETACHED = 0x00000010;
export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;
/** rtm_table / frh->table for ids that do not fit in a byte (the real id is in FRA_TABLE). */
export const RT_TABLE_COMPAT = 252;

/** struct fib_rule_port_range */
export interface FibRulePortRange {
  readonly start: number;
  readonly end: number;
}

/** struct fib_rule_uid_range */
export interface FibRuleUidRange {
  readonly start: number;
  readonly end: number;
}

/** RTM_NEWRULE / RTM_DELRULE (struct fib_rule_hdr + FRA_* attributes). */
export interface RtRuleReq {
  readonly kind: "RTM_NEWRULE" | "RTM_DELRULE";
  readonly nlFlags: NlFlags;
  readonly family: number;
  readonly dstLen: number;
  readonly srcLen: number;
  readonly tos: number;
  /** frh->table; FRA_TABLE (tableAttr) overrides it. */
  readonly table: number;
  readonly action: number; // FR_ACT_*
  readonly flags: number; // FIB_RULE_INVERT
  readonly src?: Uint8Array; // FRA_SRC
  readonly dst?: Uint8Array; // FRA_DST
  readonly priority?: number; // FRA_PRIORITY
  readonly iifname?: string; // FRA_IIFNAME
  readonly oifname?: string; // FRA_OIFNAME
  readonly fwmark?: number; // FRA_FWMARK
  readonly fwmask?: number; // FRA_FWMASK
  readonly tableAttr?: number; // FRA_TABLE
  readonly goto?: number; // FRA_GOTO
  readonly suppressPrefixlen?: number; // FRA_SUPPRESS_PREFIXLEN (u32; -1 = unset)
  readonly suppressIfgroup?: number; // FRA_SUPPRESS_IFGROUP
  readonly l3mdev?: number; // FRA_L3MDEV
  readonly uidRange?: FibRuleUidRange; // FRA_UID_RANGE
  readonly protocol?: number; // FRA_PROTOCOL
  readonly ipProto?: number; // FRA_IP_PROTO
  readonly sportRange?: FibRulePortRange; // FRA_SPORT_RANGE
  readonly dportRange?: FibRulePortRange; // FRA_DPORT_RANGE
  readonly flow?: number; // FRA_FLOW (realms)
}

/** A rule as RTM_NEWRULE reports it (fib_nl_fill_rule + fib4_rule_fill). */
export interface RtRule {
  readonly family: number;
  readonly dstLen: number;
  readonly srcLen: number;
  readonly tos: number;
  /** frh->table: the id, or RT_TABLE_COMPAT when it does not fit in a byte. */
  readonly table: number;
  readonly action: number;
  /** FIB_RULE_* incl. FIB_RULE_UNRESOLVED and the DETACHED flags. */
  readonly flags: number;
  readonly tableAttr: number; // FRA_TABLE (always present)
  readonly suppressPrefixlen: number; // FRA_SUPPRESS_PREFIXLEN (always present; -1 = unset)
  readonly protocol: number; // FRA_PROTOCOL (always present)
  readonly priority?: number; // present when non-zero
  readonly src?: Uint8Array;
  readonly dst?: Uint8Array;
  readonly iifname?: string;
  readonly oifname?: string;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly goto?: number;
  readonly l3mdev?: number;
  readonly uidRange?: FibRuleUidRange;
  readonly sportRange?: FibRulePortRange;
  readonly dportRange?: FibRulePortRange;
  readonly ipProto?: number;
  readonly suppressIfgroup?: number;
}

// include/uapi/linux/if_bridge.h, linux/neighbour.h: bridge ports and the forwarding database.
export const AF_BRIDGE = 7;
export const BR_STATE_DISABLED = 0;
export const BR_STATE_LISTENING = 1;
export const BR_STATE_LEARNING = 2;
export const BR_STATE_FORWARDING = 3;
export const BR_STATE_BLOCKING = 4;
export const NTF_STICKY = 0x40;

/** A bridge port as an RTM_GETLINK dump of family AF_BRIDGE reports it (br_fill_ifinfo). */
export interface RtBridgeLink {
  readonly ifindex: number;
  readonly ifname: string;
  readonly flags: number; // dev_get_flags()
  readonly mtu: number;
  readonly master: number; // IFLA_MASTER
  readonly operstate: number;
  readonly address: Uint8Array;
  /** IFLA_LINK when it differs from ifindex (no IFLA_LINK_NETNSID in this message). */
  readonly link?: number;
  /** IFLA_PROTINFO */
  readonly protinfo: RtBridgePortInfo;
}

/** A bridge port's RTM_NEWLINK / RTM_DELLINK notification (br_ifinfo_notify): no IFLA_PROTINFO in a DELLINK. */
export type RtBridgeLinkEvent = Omit<RtBridgeLink, "protinfo"> & { readonly protinfo?: RtBridgePortInfo };

/** IFLA_PROTINFO's IFLA_BRPORT_* attributes. */
export interface RtBridgePortInfo {
  readonly state: number;
  readonly priority: number;
  readonly cost: number;
  readonly mode: boolean; // hairpin
  readonly guard: boolean;
  readonly protect: boolean; // root_block
  readonly fastLeave: boolean;
  readonly learning: boolean;
  readonly unicastFlood: boolean;
  readonly mcastRouter: number;
  readonly mcastToUcast: boolean;
  readonly mcastFlood: boolean;
  readonly bcastFlood: boolean;
  readonly neighSuppress: boolean;
  readonly vlanTunnel: boolean;
  readonly isolated: boolean;
  readonly locked: boolean;
  readonly proxyArp: boolean;
  readonly proxyArpWifi: boolean;
  readonly rootId: IflaBridgeId; // IFLA_BRPORT_ROOT_ID (designated_root)
  readonly bridgeId: IflaBridgeId; // IFLA_BRPORT_BRIDGE_ID (designated_bridge)
  readonly designatedPort: number;
  readonly designatedCost: number;
  readonly id: number; // IFLA_BRPORT_ID
  readonly no: number; // IFLA_BRPORT_NO
  readonly topologyChangeAck: number;
  readonly configPending: number;
  /** Timers: what is left, in USER_HZ ticks. */
  readonly messageAgeTimer: number;
  readonly forwardDelayTimer: number;
  readonly holdTimer: number;
  readonly groupFwdMask: number;
  /** IFLA_BRPORT_BACKUP_PORT, when one is set. */
  readonly backupPort?: number;
}

/** IFLA_BRPORT_* of a request: `bridge link set` (IFLA_PROTINFO) or `type bridge_slave`. */
export interface BrPortReq {
  readonly state?: number;
  readonly priority?: number;
  readonly cost?: number;
  readonly mode?: boolean; // hairpin
  readonly guard?: boolean;
  readonly protect?: boolean; // root_block
  readonly fastLeave?: boolean;
  readonly learning?: boolean;
  readonly unicastFlood?: boolean;
  readonly proxyArp?: boolean;
  readonly proxyArpWifi?: boolean;
  readonly mcastRouter?: number;
  readonly mcastToUcast?: boolean;
  readonly mcastFlood?: boolean;
  readonly bcastFlood?: boolean;
  readonly neighSuppress?: boolean;
  readonly vlanTunnel?: boolean;
  readonly isolated?: boolean;
  readonly locked?: boolean;
  readonly groupFwdMask?: number;
  /** IFLA_BRPORT_BACKUP_PORT: an ifindex, 0 to remove it. */
  readonly backupPort?: number;
  /** IFLA_BRPORT_FLUSH */
  readonly flush?: boolean;
}

/** RTM_SETLINK of family AF_BRIDGE (`bridge link set`): the IFLA_PROTINFO attributes given. */
export interface RtBridgeLinkReq extends BrPortReq {
  readonly ifindex: number;
}

/** RTM_NEWNEIGH / RTM_DELNEIGH of family AF_BRIDGE (rtnl_fdb_add, rtnl_fdb_del). */
export interface RtFdbReq {
  readonly kind: "RTM_NEWNEIGH" | "RTM_DELNEIGH";
  readonly nlFlags: NlFlags;
  readonly ifindex: number;
  readonly state: number; // NUD_*
  readonly flags: number; // NTF_*
  readonly lladdr: Uint8Array;
  readonly dst?: number; // NDA_DST (IPv4, host order)
  readonly port?: number; // NDA_PORT
  readonly vni?: number; // NDA_VNI
  readonly via?: number; // NDA_IFINDEX
}

/** An FDB entry or a device address as the AF_BRIDGE RTM_GETNEIGH dump reports it. */
export interface RtFdb {
  readonly ifindex: number;
  readonly state: number;
  readonly flags: number; // NTF_SELF for a device's own address lists
  readonly lladdr: Uint8Array;
  readonly master?: number; // NDA_MASTER
  readonly dst?: number; // NDA_DST (IPv4, host order)
  readonly port?: number; // NDA_PORT
  readonly vni?: number; // NDA_VNI
  readonly via?: number; // NDA_IFINDEX
  readonly linkNetnsid?: number; // NDA_LINK_NETNSID: a vxlan whose tunnel lives in another namespace
  /** NDA_CACHEINFO in clock ticks (USER_HZ). */
  readonly used?: number;
  readonly updated?: number;
}

/** RTM_NEWLINKPROP / RTM_DELLINKPROP: alternative names (IFLA_PROP_LIST of IFLA_ALT_IFNAME). */
export interface RtLinkPropReq {
  readonly kind: "RTM_NEWLINKPROP" | "RTM_DELLINKPROP";
  readonly ifindex: number;
  readonly altnames: readonly string[];
}

// include/uapi/linux/if_link.h enum in6_addr_gen_mode
export const IN6_ADDR_GEN_MODE_EUI64 = 0;
export const IN6_ADDR_GEN_MODE_NONE = 1;
export const IN6_ADDR_GEN_MODE_STABLE_PRIVACY = 2;
export const IN6_ADDR_GEN_MODE_RANDOM = 3;

// --- rtnetlink multicast (ip monitor) ----------------------------------------------------------

/** The rtnetlink multicast groups ip monitor joins (enum rtnetlink_groups). */
export type RtnlGroup =
  | "link"
  | "ipv4-ifaddr"
  | "ipv4-route"
  | "neigh"
  | "ipv4-rule"
  | "nsid"
  | "ipv4-netconf"
  /** RTNLGRP_MDB: a bridge's multicast database (br_mdb_notify). */
  | "mdb";

/**
 * A notification as recvmsg gives it: `ctrlNsid` is the NETLINK_LISTEN_ALL_NSID control message, the
 * id the listener's namespace gives the one the message comes from, when it has one.
 */
export type RtnlRecvMsg = RtnlMsg & { readonly ctrlNsid?: number };

/** The IPv4 knobs RTM_NEWNETCONF reports (inet_netconf_fill_devconf, NETCONFA_ALL). */
export interface RtNetconf {
  /** The device, or NETCONFA_IFINDEX_ALL (-1) / NETCONFA_IFINDEX_DEFAULT (-2). */
  readonly ifindex: number;
  readonly forwarding: number;
  readonly rpFilter: number;
  readonly mcForwarding: number;
  readonly proxyNeigh: number;
  readonly ignoreRoutesWithLinkdown: number;
}

/** One notification as a monitoring socket receives it. */
export type RtnlMsg =
  /** Of family AF_BRIDGE in RTNLGRP_NEIGH: a bridge's FDB entry (fdb_notify). */
  | { readonly kind: "fdb"; readonly deleted: boolean; readonly fdb: RtFdb }
  /** RTM_NEWMDB / RTM_DELMDB: one entry of the bridge `ifindex` (br_mdb_notify). */
  | { readonly kind: "mdb"; readonly deleted: boolean; readonly ifindex: number; readonly entry: RtMdbEntry }
  | {
      readonly kind: "link";
      readonly deleted: boolean;
      readonly link: RtLink;
      readonly newNetnsid?: number;
      readonly newIfindex?: number;
    }
  | { readonly kind: "addr"; readonly deleted: boolean; readonly addr: RtAddr }
  | { readonly kind: "route"; readonly deleted: boolean; readonly route: RtRoute }
  | {
      readonly kind: "neigh";
      readonly deleted: boolean;
      readonly neigh: RtNeigh;
      /** RTM_GETNEIGH (neigh_app_ns): the kernel asks user space (arpd) to resolve. */
      readonly request?: boolean;
    }
  | { readonly kind: "rule"; readonly deleted: boolean; readonly rule: RtRule }
  | { readonly kind: "nsid"; readonly deleted: boolean; readonly nsid: number }
  | { readonly kind: "netconf"; readonly deleted: boolean; readonly netconf: RtNetconf }
  /** Of family AF_BRIDGE: a bridge port (br_ifinfo_notify, in RTNLGRP_LINK). */
  | { readonly kind: "brlink"; readonly deleted: boolean; readonly link: RtBridgeLinkEvent };

// --- signals -----------------------------------------------------------------------------------

/** The signal names of x86-64 Linux, indexed by number (kill -l), without the SIG prefix. */
export const SIGNAL_NAMES: readonly string[] = [
  "",
  "HUP",
  "INT",
  "QUIT",
  "ILL",
  "TRAP",
  "ABRT",
  "BUS",
  "FPE",
  "KILL",
  "USR1",
  "SEGV",
  "USR2",
  "PIPE",
  "ALRM",
  "TERM",
  "STKFLT",
  "CHLD",
  "CONT",
  "STOP",
  "TSTP",
  "TTIN",
  "TTOU",
  "URG",
  "XCPU",
  "XFSZ",
  "VTALRM",
  "PROF",
  "WINCH",
  "IO",
  "PWR",
  "SYS",
];

/** A signal given as a number or a name (`TERM`, `SIGTERM`, any case): its number, else undefined. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n < SIGNAL_NAMES.length ? n : undefined;
  }
  const n = SIGNAL_NAMES.indexOf(spec.toUpperCase().replace(/^SIG/, ""));
  return n > 0 ? n : undefined;
}

/** struct br_mdb_entry with its MDBA_MDB_EATTR_* (include/uapi/linux/if_bridge.h). */
export interface RtMdbEntry {
  /** The port (the bridge's own ifindex for a host entry). */
  readonly ifindex: number;
  /** MDB_TEMPORARY (0) or MDB_PERMANENT (1) */
  readonly state: number;
  /** MDB_FLAGS_* */
  readonly flags: number;
  readonly vid: number;
  /** ETH_P_IP, ETH_P_IPV6, or 0 for an L2 group */
  readonly proto: number;
  readonly addr: Uint8Array;
  /** MDBA_MDB_EATTR_TIMER in USER_HZ ticks */
  readonly timer: number;
  /** MDBA_MDB_EATTR_RTPROT, port entries only */
  readonly rtprot?: number;
}

/** One bridge's part of an RTM_GETMDB dump: MDBA_MDB, and MDBA_ROUTER when it has router ports. */
export interface RtMdb {
  readonly ifindex: number;
  readonly entries: readonly RtMdbEntry[];
  readonly routers?: readonly { readonly ifindex: number; readonly timer: number; readonly type: number }[];
}

/** RTM_NEWMDB / RTM_DELMDB: MDBA_SET_ENTRY on the bridge `ifindex`. */
export interface RtMdbReq {
  readonly kind: "RTM_NEWMDB" | "RTM_DELMDB";
  readonly ifindex: number;
  readonly entry: {
    readonly ifindex: number;
    readonly state: number;
    readonly vid: number;
    readonly proto: number;
    readonly addr: Uint8Array;
  };
}

/** RTM_SETLINK / RTM_DELLINK of family PF_BRIDGE with IFLA_AF_SPEC: IFLA_BRIDGE_FLAGS and the vlans. */
export interface RtBridgeVlanReq {
  readonly kind: "RTM_SETLINK" | "RTM_DELLINK";
  readonly ifindex: number;
  /** IFLA_BRIDGE_FLAGS (BRIDGE_FLAGS_MASTER 1, BRIDGE_FLAGS_SELF 2); 0 when absent. */
  readonly flags: number;
  /** IFLA_BRIDGE_VLAN_INFO entries (a range as its begin and end) or tunnel infos. */
  readonly vlans: readonly { readonly vid: number; readonly flags: number }[];
  /** IFLA_BRIDGE_VLAN_TUNNEL_INFO instead of IFLA_BRIDGE_VLAN_INFO (`tunnel_info id …`). */
  readonly tunnel?: boolean;
}
