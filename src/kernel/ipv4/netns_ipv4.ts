// struct netns_ipv4: the per-namespace IPv4 state, its sysctls and its SNMP counters.

import type { NetDevice } from "../core/dev.js";
import type { Neighbour } from "../core/neighbour.js";
import type { SysctlValue } from "../sysctl.js";
import type { InDevice } from "./devinet.js";
import { type FibRulesOps, fib4RulesInit } from "./fib_rules.js";
import type { FibInfo, FibNh, FibTable } from "./fib_table.js";
import type { InetPeerBase } from "./inet_peer.js";
import { type IpFragState, newIpFragState } from "./ip_fragment.js";
import type { RawSock } from "./raw.js";
import type { FibNhException } from "./route.js";
import { type NetnsTcp, newNetnsTcp } from "./tcp.js";
import { newUdpMib, type UdpMib, type UdpSock } from "./udp.js";

/** struct sock_extended_err as ip_icmp_error / ip_local_error queue it for IP_RECVERR. */
export interface SockExtendedErr {
  readonly errno: "EHOSTUNREACH" | "ENETUNREACH" | "EPROTO" | "EMSGSIZE" | "ECONNREFUSED" | "EACCES";
  readonly origin: "icmp" | "local";
  readonly type: number;
  readonly code: number;
  /** ee_info: the next-hop MTU for frag needed. */
  readonly info: number;
  /** SO_EE_OFFENDER: who sent the ICMP (0 for local errors). */
  readonly offender: number;
  /** IP_RECVTTL: the TTL the ICMP error arrived with (0 for local errors). */
  readonly ttl: number;
  /** msg_name: the original destination and port. */
  readonly addr: number;
  readonly port: number;
  /** The original datagram's bytes after its transport header (or the ICMP header for raw). */
  readonly payload: Uint8Array;
}

/** struct ipv4_devconf: the per-device knobs under net.ipv4.conf.{all,default,DEV}. */
export interface Ipv4Devconf {
  forwarding: number;
  /** promote_secondaries: deleting a primary promotes its first secondary. */
  promote_secondaries: number;
  /** Reverse-path filtering of sources (0 off, 1 strict, 2 loose); IN_DEV_RPFILTER is max(all, dev). */
  rp_filter: number;
  /** Accept packets whose source is a local address (IN_DEV_ACCEPT_LOCAL: all or dev). */
  accept_local: number;
  /** 127.0.0.0/8 is routable on a real interface (all or dev). */
  route_localnet: number;
  /** Answer ARP only when the reply would leave through the receiving device (all or dev). */
  arp_filter: number;
  /** Which requests to answer (max of all and dev). */
  arp_ignore: number;
  /** Which source to put in requests (max of all and dev). */
  arp_announce: number;
  /** Answer ARP for addresses routed through another device (all or dev). */
  proxy_arp: number;
  /** Let unsolicited (gratuitous) ARP create entries (max of all and dev). */
  arp_accept: number;
  /** Send a gratuitous ARP when the device comes up or changes address (max of all and dev). */
  arp_notify: number;
  log_martians: number;
  /** Send ICMP redirects when forwarding back out of the receiving device (all or dev). */
  send_redirects: number;
  /** Learn a next hop from ICMP redirects (IN_DEV_RX_REDIRECTS: all and dev when forwarding, else all or dev). */
  accept_redirects: number;
  /** Accept redirects only to a gateway of the default routes (all or dev; not with shared_media). */
  secure_redirects: number;
  /** The link may hold several IP subnets: redirects need no common subnet (all or dev). */
  shared_media: number;
  /** cnf->state: the knobs written here, which writes to conf.default no longer overwrite. */
  state: readonly string[];
  /**
   * The knobs only kept and shown (accept_source_route, bootp_relay, tag …), as set on this conf;
   * a knob absent here has its compiled-in value (DEVCONF_EXTRA_DFLT). Writers replace the object.
   */
  extra: Readonly<Record<string, number>>;
}

/** extra with nothing set, shared. */
const NO_EXTRA: Readonly<Record<string, number>> = Object.freeze({});

/** The extra knobs' values in ipv4_devconf_dflt (what conf.default and new devices start from). */
export const DEVCONF_EXTRA_DFLT: Readonly<Record<string, number>> = Object.freeze({
  accept_source_route: 1,
  arp_evict_nocarrier: 1,
  bc_forwarding: 0,
  bootp_relay: 0,
  disable_policy: 0,
  disable_xfrm: 0,
  drop_gratuitous_arp: 0,
  drop_unicast_in_l2_multicast: 0,
  force_igmp_version: 0,
  igmpv2_unsolicited_report_interval: 10000,
  igmpv3_unsolicited_report_interval: 1000,
  ignore_routes_with_linkdown: 0,
  mc_forwarding: 0,
  medium_id: 0,
  proxy_arp_pvlan: 0,
  src_valid_mark: 0,
  tag: 0,
});

/** ipv4_devconf (conf.all) differs from ipv4_devconf_dflt in these. */
const DEVCONF_EXTRA_ALL: Readonly<Record<string, number>> = Object.freeze({ accept_source_route: 0 });

/** An extra knob of a conf: its own value, else conf.all's or the devices' compiled-in one. */
export function ipv4DevconfExtra(cnf: Readonly<Ipv4Devconf>, knob: string, isAll: boolean): number {
  return (
    cnf.extra[knob] ?? (isAll ? DEVCONF_EXTRA_ALL[knob] : undefined) ?? (DEVCONF_EXTRA_DFLT[knob] as number)
  );
}

/** cnf->state with no bit set, shared: writers replace the array, never push to it. */
const NO_KNOBS_SET: readonly string[] = Object.freeze([]);

/** ipv4_devconf and ipv4_devconf_dflt as compiled in (Debian's init_net keeps them). */
export function newIpv4Devconf(): Ipv4Devconf {
  return {
    forwarding: 0,
    promote_secondaries: 0,
    rp_filter: 0,
    accept_local: 0,
    route_localnet: 0,
    arp_filter: 0,
    arp_ignore: 0,
    arp_announce: 0,
    proxy_arp: 0,
    arp_accept: 0,
    arp_notify: 0,
    log_martians: 0,
    send_redirects: 1,
    accept_redirects: 1,
    secure_redirects: 1,
    shared_media: 1,
    state: NO_KNOBS_SET,
    extra: NO_EXTRA,
  };
}

/** The defaults every namespace's conf.all and conf.default read until one is written (frozen). */
const IPV4_DEVCONF_INIT: Readonly<Ipv4Devconf> = Object.freeze(newIpv4Devconf());

/** cnf->state with every bit set, shared like NO_KNOBS_SET. */
const ALL_KNOBS_SET: readonly string[] = Object.freeze(["*"]);

/** The compiled-in defaults with every knob marked as set: a device with an address, untouched. */
const IPV4_DEVCONF_INIT_SETALL: Readonly<Ipv4Devconf> = Object.freeze(
  Object.assign(newIpv4Devconf(), { state: ALL_KNOBS_SET }),
);

/** inetdev_init on a loopback device: NOXFRM and NOPOLICY set (and marked set), shared frozen. */
const LO_EXTRA: Readonly<Record<string, number>> = Object.freeze({ disable_xfrm: 1, disable_policy: 1 });
const IPV4_DEVCONF_LO: Readonly<Ipv4Devconf> = Object.freeze(
  Object.assign(newIpv4Devconf(), {
    extra: LO_EXTRA,
    state: Object.freeze(["disable_xfrm", "disable_policy"]),
  }),
);
const IPV4_DEVCONF_LO_SETALL: Readonly<Ipv4Devconf> = Object.freeze(
  Object.assign(newIpv4Devconf(), { extra: LO_EXTRA, state: ALL_KNOBS_SET }),
);

/** IN_DEV_CONF_SET(in_dev, NOXFRM, 1) and NOPOLICY for a loopback device's fresh conf. */
export function ipv4DevconfLoopback(cnf: Readonly<Ipv4Devconf>): Readonly<Ipv4Devconf> {
  if (cnf === IPV4_DEVCONF_INIT) return IPV4_DEVCONF_LO;
  const state = cnf.state.includes("*")
    ? cnf.state
    : [
        ...cnf.state.filter((k) => k !== "disable_xfrm" && k !== "disable_policy"),
        "disable_xfrm",
        "disable_policy",
      ];
  return Object.assign(newIpv4Devconf(), cnf, { extra: { ...cnf.extra, ...LO_EXTRA }, state });
}

/**
 * inetdev_init's copy of conf.default. A device whose namespace never wrote conf.default shares
 * the frozen defaults (~160 B saved per device) until one of its knobs is written
 * (ipv4DevconfWritable); otherwise it gets its own copy, laid out as a fresh one.
 */
export function ipv4DevconfCopy(src: Readonly<Ipv4Devconf>): Readonly<Ipv4Devconf> {
  if (src === IPV4_DEVCONF_INIT) return src;
  return Object.assign(newIpv4Devconf(), src);
}

/** The device's conf to write to: its own copy, made on the first write if it shared the defaults. */
export function ipv4DevconfWritable(inDev: InDevice): Ipv4Devconf {
  if (Object.isFrozen(inDev.cnf)) inDev.cnf = Object.assign(newIpv4Devconf(), inDev.cnf);
  return inDev.cnf as Ipv4Devconf;
}

/** ipv4_devconf_setall: the device's knobs stop following conf.default (an address was added). */
export function ipv4DevconfSetall(inDev: InDevice): void {
  if (inDev.cnf === IPV4_DEVCONF_INIT) inDev.cnf = IPV4_DEVCONF_INIT_SETALL;
  else if (inDev.cnf === IPV4_DEVCONF_LO) inDev.cnf = IPV4_DEVCONF_LO_SETALL;
  else if (inDev.cnf.state !== ALL_KNOBS_SET) ipv4DevconfWritable(inDev).state = ALL_KNOBS_SET;
}

/** Whether a knob was written on this device (test_bit on cnf->state). */
export function ipv4DevconfIsSet(cnf: Readonly<Ipv4Devconf>, knob: string): boolean {
  return cnf.state.includes("*") || cnf.state.includes(knob);
}

/** The knobs IN_DEV_MAXCONF combines (the larger of all and the device wins); the others OR. */
type DevconfKnob = Exclude<keyof Ipv4Devconf, "state" | "forwarding" | "extra">;

/** IN_DEV_MAXCONF / IN_DEV_ORCONF: a device's effective value of a knob. */
export function inDevConf(inDev: InDevice, knob: DevconfKnob): number {
  const all = inDev.dev.net.ipv4.devconfAll[knob];
  const cnf = inDev.cnf;
  switch (knob) {
    case "rp_filter":
    case "arp_ignore":
    case "arp_announce":
    case "arp_accept":
    case "arp_notify":
      return Math.max(all, cnf[knob]);
    default:
      return all || cnf[knob] ? 1 : 0;
  }
}

// The knobs the packet path reads per packet, each read by name (inDevConf's is a keyed load).

/** IN_DEV_RPFILTER: IN_DEV_MAXCONF(rp_filter). */
export function inDevRpfilter(inDev: InDevice): number {
  return Math.max(inDev.dev.net.ipv4.devconfAll.rp_filter, inDev.cnf.rp_filter);
}

/** IN_DEV_TX_REDIRECTS: IN_DEV_ORCONF(send_redirects). */
export function inDevTxRedirects(inDev: InDevice): boolean {
  return !!(inDev.dev.net.ipv4.devconfAll.send_redirects || inDev.cnf.send_redirects);
}

/** IN_DEV_ACCEPT_LOCAL: IN_DEV_ORCONF(accept_local). */
export function inDevAcceptLocal(inDev: InDevice): boolean {
  return !!(inDev.dev.net.ipv4.devconfAll.accept_local || inDev.cnf.accept_local);
}

/** IN_DEV_NET_ROUTE_LOCALNET: IN_DEV_ORCONF(route_localnet). */
export function inDevRouteLocalnet(inDev: InDevice): boolean {
  return !!(inDev.dev.net.ipv4.devconfAll.route_localnet || inDev.cnf.route_localnet);
}

/** IN_DEV_SHARED_MEDIA: IN_DEV_ORCONF(shared_media). */
export function inDevSharedMedia(inDev: InDevice): boolean {
  return !!(inDev.dev.net.ipv4.devconfAll.shared_media || inDev.cnf.shared_media);
}

/** IN_DEV_LOG_MARTIANS: IN_DEV_ORCONF(log_martians). */
export function inDevLogMartians(inDev: InDevice): boolean {
  return !!(inDev.dev.net.ipv4.devconfAll.log_martians || inDev.cnf.log_martians);
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
  IcmpOutRateLimitGlobal: number;
  ReasmTimeout: number;
  ReasmReqds: number;
  ReasmOKs: number;
  ReasmFails: number;
  FragOKs: number;
  FragFails: number;
  FragCreates: number;
  ArpDropped: number;
  /** IPSTATS_MIB_OUTPKTS, counted in ip_output for every packet leaving through a device. */
  OutTransmits: number;
  /** The IpExt half of /proc/net/netstat: octets, broadcast/multicast and ECN codepoints. */
  InOctets: number;
  OutOctets: number;
  InMcastPkts: number;
  OutMcastPkts: number;
  InBcastPkts: number;
  OutBcastPkts: number;
  InMcastOctets: number;
  OutMcastOctets: number;
  InBcastOctets: number;
  OutBcastOctets: number;
  InNoECTPkts: number;
  InECT1Pkts: number;
  InECT0Pkts: number;
  InCEPkts: number;
  /** icmpmsg_statistics: packets by ICMP type, received at `type` and sent at `0x100 | type`; only types seen. */
  readonly IcmpMsg: Map<number, number>;
}

export interface NetnsIpv4 {
  /** fib_table_hash: tables by id, created on demand (fib_new_table). */
  readonly fibTables: Map<number, FibTable>;
  /** fib_info_hash: shared fib_infos by their next hop's device (fib_find_info). */
  readonly fibInfoHash: WeakMap<NetDevice, Map<number, FibInfo[]>>;
  /** rules_ops: the policy routing rules (fib4_rules_init). */
  readonly rules: FibRulesOps;
  /** fib_has_custom_rules: set by the first rule added or deleted; until then local and main are merged. */
  fibHasCustomRules: boolean;
  /** net.ipv4.conf.all and conf.default, to read: the compiled-in defaults until first written. */
  readonly devconfAll: Readonly<Ipv4Devconf>;
  readonly devconfDflt: Readonly<Ipv4Devconf>;
  /** conf.all or conf.default to write to: this namespace's own copy, made on the first write. */
  devconfWritable(which: "all" | "default"): Ipv4Devconf;
  /** A table-driven knob (src/kernel/sysctl.ts) as written here, by path under /proc/sys/net. */
  sysctlKnob(path: string): SysctlValue | undefined;
  setSysctlKnob(path: string, value: SysctlValue): void;
  sysctlIpDefaultTtl: number;
  sysctlIcmpEchoIgnoreAll: number;
  sysctlIcmpEchoIgnoreBroadcasts: number;
  sysctlLocalPortRange: readonly [number, number];
  sysctlPingGroupRange: readonly [number, number];
  /** icmp_ratelimit in jiffies (proc_dointvec_ms_jiffies), icmp_ratemask, icmp_msgs_per_sec/burst. */
  sysctlIcmpRatelimit: number;
  sysctlIcmpRatemask: number;
  sysctlIcmpMsgsPerSec: number;
  sysctlIcmpMsgsBurst: number;
  /** icmp_global_credit and icmp_global_stamp (jiffies), per namespace since 6.11. */
  icmpGlobalCredit: number;
  icmpGlobalStamp: number;
  /** net->ipv4.peers: the inet_peer tree, keyed by address. */
  readonly peers: InetPeerBase;
  /** fqdir: IPv4 reassembly queues and their sysctls. */
  readonly frags: IpFragState;
  /** udp_table: bound UDP sockets by local port. */
  readonly udpHash: Map<number, UdpSock[]>;
  readonly udpMib: UdpMib;
  /** TCP: hash tables, sysctls, MIB. */
  readonly tcp: NetnsTcp;
  /** ip_local_reserved_ports */
  reservedPorts: Set<number>;
  sysctlIpNonlocalBind: number;
  sysctlIpAutobindReuse: number;
  /** sysctl_ip_prot_sock (ip_unprivileged_port_start): ports below need CAP_NET_BIND_SERVICE. */
  sysctlIpProtSock: number;
  /** raw_v4_hashinfo: open raw sockets. */
  readonly rawSockets: Set<RawSock>;
  /** arp_tbl entries of this namespace, keyed by device then address. */
  readonly neighbours: Map<string, Neighbour>;
  /** The same entries by device and address, for lookups on the packet path. */
  readonly neighByDev: WeakMap<NetDevice, Map<number, Neighbour>>;
  /** ip_idents for datagrams that need an IP id. */
  ipIdent: number;
  readonly mib: Ipv4Mib;
  /** LINUX_MIB_*: the TcpExt counters of /proc/net/netstat that have moved, by name. */
  readonly linuxMib: Map<string, number>;
  /** ip_rt_min_pmtu, ip_rt_mtu_expires (jiffies), ip_rt_min_advmss, sysctl_ip_no_pmtu_disc. */
  sysctlIpRtMinPmtu: number;
  sysctlIpRtMtuExpires: number;
  sysctlIpRtMinAdvmss: number;
  sysctlIpNoPmtuDisc: number;
  /** ip_early_demux: look the socket up before the input route (ip_rcv_finish_core). */
  sysctlIpEarlyDemux: number;
  /** fib_multipath_hash_policy (0 L3, 1 L4, 2 L3 or inner L3, 3 custom) and fib_multipath_use_neigh. */
  sysctlFibMultipathHashPolicy: number;
  sysctlFibMultipathUseNeigh: number;
  /** sysctl_fib_multipath_hash_seed.user_seed: 0 means the boot's random hashrnd keys the hash. */
  sysctlFibMultipathHashSeed: number;
  /** fib_nh_exception tables (nhc_exceptions): per next hop, by destination. */
  fnhe: Map<FibNh, Map<number, FibNhException>>;
  /**
   * rt_genid: bumped by rt_cache_flush on every change that can move a route (table, rule,
   * address, device); a route a socket cached (sk_dst_cache, sk_rx_dst) made under another
   * generation is stale (rt_is_expired).
   */
  rtGenid: number;
  /** addr_chk_work: check_lifetime, pending. */
  addrChkWork?: { cancelled: boolean };
  /** Whether a table made on first use exists yet (netns exit need not make it to empty it). */
  made(part: LazyIpv4Part): boolean;
}

/** The parts of NetnsIpv4 made on first use that teardown asks about. */
export type LazyIpv4Part = "fibTables" | "rawSockets" | "tcp" | "neighbours";

/** The namespace's IPv4 sysctls held in NetnsIpv4's sysctl* fields. */
type Ipv4Sysctls = {
  sysctlIpDefaultTtl: number;
  sysctlIcmpEchoIgnoreAll: number;
  sysctlIcmpEchoIgnoreBroadcasts: number;
  sysctlLocalPortRange: readonly [number, number];
  sysctlPingGroupRange: readonly [number, number];
  sysctlIcmpRatelimit: number;
  sysctlIcmpRatemask: number;
  sysctlIcmpMsgsPerSec: number;
  sysctlIcmpMsgsBurst: number;
  sysctlIpNonlocalBind: number;
  sysctlIpAutobindReuse: number;
  sysctlIpProtSock: number;
  sysctlIpRtMinPmtu: number;
  sysctlIpRtMtuExpires: number;
  sysctlIpRtMinAdvmss: number;
  sysctlIpNoPmtuDisc: number;
  sysctlIpEarlyDemux: number;
  sysctlFibMultipathHashPolicy: number;
  sysctlFibMultipathUseNeigh: number;
  sysctlFibMultipathHashSeed: number;
  /** The table-driven knobs written in this namespace (src/kernel/sysctl.ts), by path. */
  knobs: Record<string, SysctlValue> | undefined;
};

/** Their defaults (ipv4_sysctl_init_net and friends). */
function newIpv4Sysctls(): Ipv4Sysctls {
  return {
    sysctlIpDefaultTtl: 64,
    sysctlIcmpEchoIgnoreAll: 0,
    sysctlIcmpEchoIgnoreBroadcasts: 1,
    sysctlLocalPortRange: [32768, 60999],
    sysctlPingGroupRange: [1, 0],
    sysctlIcmpRatelimit: 250,
    sysctlIcmpRatemask: 0x1818,
    sysctlIcmpMsgsPerSec: 1000,
    sysctlIcmpMsgsBurst: 50,
    sysctlIpNonlocalBind: 0,
    sysctlIpAutobindReuse: 0,
    sysctlIpProtSock: 1024,
    sysctlIpRtMinPmtu: 552,
    sysctlIpRtMtuExpires: 600 * 250,
    sysctlIpRtMinAdvmss: 256,
    sysctlIpNoPmtuDisc: 0,
    sysctlIpEarlyDemux: 1,
    sysctlFibMultipathHashPolicy: 0,
    sysctlFibMultipathUseNeigh: 0,
    sysctlFibMultipathHashSeed: 0,
    knobs: undefined,
  };
}

/** The sysctls of every namespace that has written none, shared (frozen: writes copy first). */
const IPV4_SYSCTLS_INIT: Readonly<Ipv4Sysctls> = Object.freeze(newIpv4Sysctls());

/** The Ipv4Mib of a namespace that has counted nothing yet. */
function newIpv4Mib(): Ipv4Mib {
  return {
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
    IcmpOutRateLimitGlobal: 0,
    ReasmTimeout: 0,
    ReasmReqds: 0,
    ReasmOKs: 0,
    ReasmFails: 0,
    FragOKs: 0,
    FragFails: 0,
    FragCreates: 0,
    ArpDropped: 0,
    OutTransmits: 0,
    InOctets: 0,
    OutOctets: 0,
    InMcastPkts: 0,
    OutMcastPkts: 0,
    InBcastPkts: 0,
    OutBcastPkts: 0,
    InMcastOctets: 0,
    OutMcastOctets: 0,
    InBcastOctets: 0,
    OutBcastOctets: 0,
    InNoECTPkts: 0,
    InECT1Pkts: 0,
    InECT0Pkts: 0,
    InCEPkts: 0,
    IcmpMsg: new Map(),
  };
}

/**
 * struct netns_ipv4. An idle namespace should cost little (the kernel allocates its per-cpu MIBs
 * and hash tables up front, but in slabs of a few hundred bytes): every table, queue and MIB here
 * is made the first time it is touched, behind a getter, so callers read and write them as plain
 * fields. A getter is a field load and an undefined check once inlined.
 */
class Ipv4State implements NetnsIpv4 {
  readonly rules: FibRulesOps = fib4RulesInit();
  fibHasCustomRules = false;
  icmpGlobalCredit = 0;
  // Long ago: the first error finds a full second elapsed.
  icmpGlobalStamp = -250;
  ipIdent = 0;
  rtGenid = 0;
  addrChkWork?: { cancelled: boolean } = undefined;
  /** The sysctls: the shared defaults until the first write gives the namespace its own. */
  private sysctls: Ipv4Sysctls = IPV4_SYSCTLS_INIT as Ipv4Sysctls;
  private _fibTables: Map<number, FibTable> | undefined = undefined;
  private _fibInfoHash: WeakMap<NetDevice, Map<number, FibInfo[]>> | undefined = undefined;
  private _devconfAll: Ipv4Devconf | undefined = undefined;
  private _devconfDflt: Ipv4Devconf | undefined = undefined;
  private _peers: InetPeerBase | undefined = undefined;
  private _frags: IpFragState | undefined = undefined;
  private _udpHash: Map<number, UdpSock[]> | undefined = undefined;
  private _udpMib: UdpMib | undefined = undefined;
  private _tcp: NetnsTcp | undefined = undefined;
  private _reservedPorts: Set<number> | undefined = undefined;
  private _rawSockets: Set<RawSock> | undefined = undefined;
  private _neighbours: Map<string, Neighbour> | undefined = undefined;
  private _neighByDev: WeakMap<NetDevice, Map<number, Neighbour>> | undefined = undefined;
  private _mib: Ipv4Mib | undefined = undefined;
  private _linuxMib: Map<string, number> | undefined = undefined;
  private _fnhe: Map<FibNh, Map<number, FibNhException>> | undefined = undefined;

  private sysctlsToWrite(): Ipv4Sysctls {
    if (this.sysctls === IPV4_SYSCTLS_INIT) this.sysctls = newIpv4Sysctls();
    return this.sysctls;
  }
  sysctlKnob(path: string): SysctlValue | undefined {
    return this.sysctls.knobs?.[path];
  }
  setSysctlKnob(path: string, value: SysctlValue): void {
    const sysctls = this.sysctlsToWrite();
    sysctls.knobs ??= Object.create(null) as Record<string, SysctlValue>;
    sysctls.knobs[path] = value;
  }
  get sysctlIpDefaultTtl(): number {
    return this.sysctls.sysctlIpDefaultTtl;
  }
  set sysctlIpDefaultTtl(value: number) {
    this.sysctlsToWrite().sysctlIpDefaultTtl = value;
  }
  get sysctlIcmpEchoIgnoreAll(): number {
    return this.sysctls.sysctlIcmpEchoIgnoreAll;
  }
  set sysctlIcmpEchoIgnoreAll(value: number) {
    this.sysctlsToWrite().sysctlIcmpEchoIgnoreAll = value;
  }
  get sysctlIcmpEchoIgnoreBroadcasts(): number {
    return this.sysctls.sysctlIcmpEchoIgnoreBroadcasts;
  }
  set sysctlIcmpEchoIgnoreBroadcasts(value: number) {
    this.sysctlsToWrite().sysctlIcmpEchoIgnoreBroadcasts = value;
  }
  get sysctlLocalPortRange(): readonly [number, number] {
    return this.sysctls.sysctlLocalPortRange;
  }
  set sysctlLocalPortRange(value: readonly [number, number]) {
    this.sysctlsToWrite().sysctlLocalPortRange = value;
  }
  get sysctlPingGroupRange(): readonly [number, number] {
    return this.sysctls.sysctlPingGroupRange;
  }
  set sysctlPingGroupRange(value: readonly [number, number]) {
    this.sysctlsToWrite().sysctlPingGroupRange = value;
  }
  get sysctlIcmpRatelimit(): number {
    return this.sysctls.sysctlIcmpRatelimit;
  }
  set sysctlIcmpRatelimit(value: number) {
    this.sysctlsToWrite().sysctlIcmpRatelimit = value;
  }
  get sysctlIcmpRatemask(): number {
    return this.sysctls.sysctlIcmpRatemask;
  }
  set sysctlIcmpRatemask(value: number) {
    this.sysctlsToWrite().sysctlIcmpRatemask = value;
  }
  get sysctlIcmpMsgsPerSec(): number {
    return this.sysctls.sysctlIcmpMsgsPerSec;
  }
  set sysctlIcmpMsgsPerSec(value: number) {
    this.sysctlsToWrite().sysctlIcmpMsgsPerSec = value;
  }
  get sysctlIcmpMsgsBurst(): number {
    return this.sysctls.sysctlIcmpMsgsBurst;
  }
  set sysctlIcmpMsgsBurst(value: number) {
    this.sysctlsToWrite().sysctlIcmpMsgsBurst = value;
  }
  get sysctlIpNonlocalBind(): number {
    return this.sysctls.sysctlIpNonlocalBind;
  }
  set sysctlIpNonlocalBind(value: number) {
    this.sysctlsToWrite().sysctlIpNonlocalBind = value;
  }
  get sysctlIpProtSock(): number {
    return this.sysctls.sysctlIpProtSock;
  }
  set sysctlIpProtSock(value: number) {
    this.sysctlsToWrite().sysctlIpProtSock = value;
  }
  get sysctlIpAutobindReuse(): number {
    return this.sysctls.sysctlIpAutobindReuse;
  }
  set sysctlIpAutobindReuse(value: number) {
    this.sysctlsToWrite().sysctlIpAutobindReuse = value;
  }
  get sysctlIpRtMinPmtu(): number {
    return this.sysctls.sysctlIpRtMinPmtu;
  }
  set sysctlIpRtMinPmtu(value: number) {
    this.sysctlsToWrite().sysctlIpRtMinPmtu = value;
  }
  get sysctlIpRtMtuExpires(): number {
    return this.sysctls.sysctlIpRtMtuExpires;
  }
  set sysctlIpRtMtuExpires(value: number) {
    this.sysctlsToWrite().sysctlIpRtMtuExpires = value;
  }
  get sysctlIpRtMinAdvmss(): number {
    return this.sysctls.sysctlIpRtMinAdvmss;
  }
  set sysctlIpRtMinAdvmss(value: number) {
    this.sysctlsToWrite().sysctlIpRtMinAdvmss = value;
  }
  get sysctlIpNoPmtuDisc(): number {
    return this.sysctls.sysctlIpNoPmtuDisc;
  }
  set sysctlIpNoPmtuDisc(value: number) {
    this.sysctlsToWrite().sysctlIpNoPmtuDisc = value;
  }
  get sysctlIpEarlyDemux(): number {
    return this.sysctls.sysctlIpEarlyDemux;
  }
  set sysctlIpEarlyDemux(value: number) {
    this.sysctlsToWrite().sysctlIpEarlyDemux = value;
  }
  get sysctlFibMultipathHashPolicy(): number {
    return this.sysctls.sysctlFibMultipathHashPolicy;
  }
  set sysctlFibMultipathHashPolicy(value: number) {
    this.sysctlsToWrite().sysctlFibMultipathHashPolicy = value;
  }
  get sysctlFibMultipathUseNeigh(): number {
    return this.sysctls.sysctlFibMultipathUseNeigh;
  }
  set sysctlFibMultipathUseNeigh(value: number) {
    this.sysctlsToWrite().sysctlFibMultipathUseNeigh = value;
  }
  get sysctlFibMultipathHashSeed(): number {
    return this.sysctls.sysctlFibMultipathHashSeed;
  }
  set sysctlFibMultipathHashSeed(value: number) {
    this.sysctlsToWrite().sysctlFibMultipathHashSeed = value;
  }
  get fibTables(): Map<number, FibTable> {
    this._fibTables ??= new Map();
    return this._fibTables;
  }
  get fibInfoHash(): WeakMap<NetDevice, Map<number, FibInfo[]>> {
    this._fibInfoHash ??= new WeakMap();
    return this._fibInfoHash;
  }
  get devconfAll(): Readonly<Ipv4Devconf> {
    return this._devconfAll ?? IPV4_DEVCONF_INIT;
  }
  get devconfDflt(): Readonly<Ipv4Devconf> {
    return this._devconfDflt ?? IPV4_DEVCONF_INIT;
  }
  devconfWritable(which: "all" | "default"): Ipv4Devconf {
    if (which === "all") {
      this._devconfAll ??= newIpv4Devconf();
      return this._devconfAll;
    }
    this._devconfDflt ??= newIpv4Devconf();
    return this._devconfDflt;
  }
  get peers(): InetPeerBase {
    this._peers ??= new Map();
    return this._peers;
  }
  get frags(): IpFragState {
    this._frags ??= newIpFragState();
    return this._frags;
  }
  get udpHash(): Map<number, UdpSock[]> {
    this._udpHash ??= new Map();
    return this._udpHash;
  }
  get udpMib(): UdpMib {
    this._udpMib ??= newUdpMib();
    return this._udpMib;
  }
  get tcp(): NetnsTcp {
    this._tcp ??= newNetnsTcp();
    return this._tcp;
  }
  get reservedPorts(): Set<number> {
    this._reservedPorts ??= new Set();
    return this._reservedPorts;
  }
  set reservedPorts(ports: Set<number>) {
    this._reservedPorts = ports;
  }
  get rawSockets(): Set<RawSock> {
    this._rawSockets ??= new Set();
    return this._rawSockets;
  }
  get neighbours(): Map<string, Neighbour> {
    this._neighbours ??= new Map();
    return this._neighbours;
  }
  get neighByDev(): WeakMap<NetDevice, Map<number, Neighbour>> {
    this._neighByDev ??= new WeakMap();
    return this._neighByDev;
  }
  get mib(): Ipv4Mib {
    this._mib ??= newIpv4Mib();
    return this._mib;
  }
  get linuxMib(): Map<string, number> {
    this._linuxMib ??= new Map();
    return this._linuxMib;
  }
  get fnhe(): Map<FibNh, Map<number, FibNhException>> {
    this._fnhe ??= new Map();
    return this._fnhe;
  }
  set fnhe(tables: Map<FibNh, Map<number, FibNhException>>) {
    this._fnhe = tables;
  }

  made(part: LazyIpv4Part): boolean {
    return this[`_${part}`] !== undefined;
  }
}

export function newNetnsIpv4(): NetnsIpv4 {
  return new Ipv4State();
}

/** ICMPMSGIN_INC_STATS (`index` = type) and ICMPMSGOUT_INC_STATS (`index` = 0x100 | type). */
export function icmpMsgInc(mib: Ipv4Mib, index: number): void {
  mib.IcmpMsg.set(index, (mib.IcmpMsg.get(index) ?? 0) + 1);
}

/** NET_INC_STATS / __NET_ADD_STATS: a LINUX_MIB_* (TcpExt) counter by its /proc/net/netstat name. */
export function netIncStats(ipv4: NetnsIpv4, name: string, n = 1): void {
  ipv4.linuxMib.set(name, (ipv4.linuxMib.get(name) ?? 0) + n);
}
