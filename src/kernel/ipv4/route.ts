// IPv4 route resolution for output and input (net/ipv4/route.c): ip_route_output_key_hash_rcu
// and ip_route_input_slow over fib_lookup.

import { bytesToIPv4, formatIPv4 } from "../../wire/addr.js";
import { ETH_HLEN } from "../../wire/ethernet.js";
import type { NetDevice } from "../core/dev.js";
import { devGetByIndex } from "../core/dev.js";
import { neighEventSend, neighValid } from "../core/neighbour.js";
import type { SkBuff } from "../core/skbuff.js";
import { siphash } from "../lib/siphash.js";
import type { Net } from "../net_namespace.js";
import { netRatelimit, printk } from "../printk.js";
import { KernelError } from "../syscalls.js";
import {
  ARPHRD_ETHER,
  IFF_UP,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RTAX_MTU,
  RTCF_BROADCAST,
  RTCF_DOREDIRECT,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  RTCF_REDIRECTED,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from "../uapi.js";
import { arpNeighFor } from "./arp.js";
import { inetAddrType, inetLookupIfaddr, inetSelectAddr, ipDevFind } from "./devinet.js";
import {
  type FibNh,
  type FibResult,
  fibDumpAll,
  fibLookup,
  fibResNh,
  fibSelectMultipath,
} from "./fib_table.js";
import { IPPROTO_IGMP, ipCheckMcRcu, ipv4IsLocalMulticast } from "./igmp.js";
import { inetGetpeerV4, jiffiesOf } from "./inet_peer.js";
import {
  inDevAcceptLocal,
  inDevConf,
  inDevLogMartians,
  inDevRouteLocalnet,
  inDevRpfilter,
  inDevSharedMedia,
  inDevTxRedirects,
} from "./netns_ipv4.js";

/** What dst_input does with an input route. */
export type RtInput = "ip_local_deliver" | "ip_forward" | "ip_error";

/** struct rtable */
export interface Rtable {
  /** dst.dev: the output device (lo for local delivery). */
  readonly dev: NetDevice;
  readonly type: number;
  /** rt_flags: RTCF_* */
  readonly flags: number;
  /** rt_gw4, 0 when the destination is on link. */
  readonly gateway: number;
  /** For output routes, the chosen source; for input routes, spec_dst (fib_compute_spec_dst). */
  readonly src: number;
  /** For input routes. */
  readonly input?: RtInput;
  /** dst.error for ip_error (EHOSTUNREACH, ENETUNREACH). */
  readonly error?: KernelError;
  readonly iif?: number;
  readonly fib?: FibResult;
  /** rt_pmtu, dst.expires (jiffies) and rt_mtu_locked, filled from a fib_nh_exception. */
  readonly pmtu?: number;
  readonly expires?: number;
  readonly mtuLocked?: boolean;
}

/** struct fib_nh_exception: what an ICMP frag-needed or redirect taught us about one destination. */
export interface FibNhException {
  /** fnhe_gw: the gateway a redirect named, 0 when none. */
  gw: number;
  pmtu: number;
  mtuLocked: boolean;
  /** fnhe_expires in jiffies. */
  expires: number;
  /** fnhe_rth_output: an output route was bound to the exception since it was made (a dump shows only those). */
  rthOutput?: boolean;
}

/** IP_MAX_MTU (include/net/ip.h): what ipv4_mtu caps a route's MTU at (a loopback's 65536). */
const IP_MAX_MTU = 0xffff;

export interface OutputKey {
  readonly daddr: number;
  readonly saddr?: number;
  readonly oif?: number;
  readonly tos?: number;
  /** flowi4_mark (sk_mark, or `ip route get … mark`). */
  readonly mark?: number;
  /** flowi4_uid: the socket owner's uid (root when not said). */
  readonly uid?: number;
  /** flowi4_proto and the ports, for the L4 multipath hash. */
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
  /** flowi4_scope: RT_SCOPE_LINK for SO_DONTROUTE and MSG_DONTROUTE (ip_sendmsg_scope). */
  readonly scope?: number;
}

/** LOOPBACK_IFINDEX: the iif of every locally generated flow. */
const LOOPBACK_IFINDEX = 1;

function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

function isLoopback(addr: number): boolean {
  return addr >>> 24 === 127;
}

function isZeronet(addr: number): boolean {
  return addr >>> 24 === 0;
}

/** The flow fields fib_multipath_hash reads: addresses, and for the L4 policy protocol and ports. */
export interface MultipathFlow {
  readonly saddr: number;
  readonly daddr: number;
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
}

/** Byte-swapped 32 bits: how x86 compares a __be32 cast to u32. */
function le32(x: number): number {
  return (((x & 0xff) << 24) | (((x >>> 8) & 0xff) << 16) | (((x >>> 16) & 0xff) << 8) | (x >>> 24)) >>> 0;
}

/**
 * fib_multipath_hash: a struct flow_keys from `basic` on (48 bytes for IPv4: basic, tags, vlan,
 * cvlan, keyid, ports, icmp, v4addrs and the rest of the addrs union), made symmetric by
 * __flow_hash_consistentify, hashed with siphash keyed by the namespace's fib_multipath_hash_seed
 * (or the boot's hashrnd while it is 0), 0 becoming 1, and halved.
 */
export function fibMultipathHash(net: Net, flow: MultipathFlow): number {
  const l4 = net.ipv4.sysctlFibMultipathHashPolicy === 1 || net.ipv4.sysctlFibMultipathHashPolicy === 3;
  let src = flow.saddr;
  let dst = flow.daddr;
  if (le32(dst) < le32(src)) [src, dst] = [dst, src];
  let sport = l4 ? (flow.sport ?? 0) : 0;
  let dport = l4 ? (flow.dport ?? 0) : 0;
  const le16 = (x: number) => ((x & 0xff) << 8) | (x >>> 8);
  if (le16(dport) < le16(sport)) [sport, dport] = [dport, sport];
  const keys = new Uint8Array(48);
  const view = new DataView(keys.buffer);
  keys[2] = l4 ? (flow.proto ?? 0) : 0;
  view.setUint16(28, sport);
  view.setUint16(30, dport);
  view.setUint32(36, src);
  view.setUint32(40, dst);
  const seed = BigInt(net.ipv4.sysctlFibMultipathHashSeed);
  let key: readonly [bigint, bigint];
  if (seed) {
    const k = (seed << 32n) | seed;
    key = [k, k];
  } else {
    const host = net.host;
    if (!host.flowHashRnd) {
      const word = () => (BigInt(host.randomU32()) << 32n) | BigInt(host.randomU32());
      host.flowHashRnd = [word(), word()];
    }
    key = host.flowHashRnd;
  }
  const hash = Number(siphash(keys, key) & 0xffffffffn) || 1;
  return hash >>> 1;
}

/** fib_result_prefsrc / inet_select_addr: the source a result implies. */
export function fibResultPrefsrc(res: FibResult): number {
  const fi = res.fi;
  if (fi.prefsrc) return fi.prefsrc;
  const nh = fibResNh(res);
  if (!nh) return 0;
  return inetSelectAddr(nh.dev, nh.gw, res.scope);
}

/** ip_route_output_key_hash_rcu: a route for a packet this host sends. */
export function ipRouteOutputKey(net: Net, key: OutputKey): Rtable | KernelError {
  let saddr = key.saddr ?? 0;
  let devOut: NetDevice | undefined;
  if (saddr) {
    if (isMulticast(saddr) || saddr === 0xffffffff || isZeronet(saddr)) return new KernelError("EINVAL");
    if (!ipDevFind(net, saddr)) return new KernelError("EINVAL");
  }
  if (key.oif) {
    devOut = devGetByIndex(net, key.oif);
    if (!devOut) return new KernelError("ENODEV");
    if (!(devOut.flags & IFF_UP) || !devOut.inDev) return new KernelError("ENETUNREACH");
    if (key.daddr === 0xffffffff) {
      if (!saddr) saddr = inetSelectAddr(devOut, 0, RT_SCOPE_LINK);
      return { dev: devOut, type: RTN_BROADCAST, flags: RTCF_BROADCAST | RTCF_LOCAL, gateway: 0, src: saddr };
    }
    if (isMulticast(key.daddr)) {
      // A link-local group takes a link-scope source; another one a universe-scope source, and no
      // gateway ("if multicast route do not exist use default one, but do not gateway").
      if (!saddr)
        saddr = inetSelectAddr(
          devOut,
          0,
          ipv4IsLocalMulticast(key.daddr) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
        );
      return mkrouteOutputMc(devOut, key.daddr, saddr);
    }
  }
  let daddr = key.daddr;
  if (!daddr) {
    daddr = saddr || 0x7f000001;
    if (!saddr) saddr = daddr;
    const lo = net.loopbackDev as NetDevice;
    return { dev: lo, type: RTN_LOCAL, flags: RTCF_LOCAL, gateway: 0, src: saddr };
  }
  const found = fibLookup(net, {
    daddr,
    saddr,
    oif: key.oif,
    iif: LOOPBACK_IFINDEX,
    tos: key.tos,
    scope: key.scope,
    mark: key.mark,
    uid: key.uid ?? 0,
  });
  // fib_select_path: with no oif, a multipath result picks its next hop by the flow's hash.
  const res =
    found instanceof KernelError || key.oif || !found.fi.nhs
      ? found
      : fibSelectMultipath(
          found,
          fibMultipathHash(net, { saddr, daddr, proto: key.proto, sport: key.sport, dport: key.dport }),
          saddr,
        );
  if (res instanceof KernelError) {
    // "Apparently, routing tables are wrong. Assume, that the destination is on link."
    // Whatever the error (a prohibit or blackhole rule included), as Linux 6.18 answers.
    if (devOut) {
      if (!saddr) saddr = inetSelectAddr(devOut, 0, RT_SCOPE_LINK);
      return { dev: devOut, type: RTN_UNICAST, flags: 0, gateway: 0, src: saddr };
    }
    return res;
  }
  if (res.type === RTN_LOCAL) {
    if (!saddr) saddr = res.fi.prefsrc || daddr;
    const lo = net.loopbackDev as NetDevice;
    return { dev: lo, type: RTN_LOCAL, flags: RTCF_LOCAL, gateway: 0, src: saddr, fib: res };
  }
  const nh = fibResNh(res);
  if (!nh) return new KernelError("EINVAL");
  if (!saddr) saddr = fibResultPrefsrc(res);
  if (isMulticast(daddr)) return mkrouteOutputMc(nh.dev, daddr, saddr);
  const flags = res.type === RTN_BROADCAST ? RTCF_BROADCAST | RTCF_LOCAL : 0;
  const rt: Rtable = { dev: nh.dev, type: res.type, flags, gateway: nh.gw, src: saddr, fib: res };
  // __mkroute_output: a unicast route binds the next hop's exception for this destination.
  if (res.type !== RTN_UNICAST) return rt;
  const fnhe = findException(net, nh, daddr);
  if (!fnhe) return rt;
  // rt_bind_exception caches the route in the exception (fnhe_rth_output).
  fnhe.rthOutput = true;
  // rt_bind_exception: a redirect's gateway replaces the route's (RTCF_REDIRECTED).
  const redirected = fnhe.gw
    ? { gateway: fnhe.gw, flags: rt.flags | RTCF_REDIRECTED, expires: fnhe.expires }
    : undefined;
  if (!fnhe.pmtu) return redirected ? { ...rt, ...redirected } : rt;
  return { ...rt, ...redirected, pmtu: fnhe.pmtu, expires: fnhe.expires, mtuLocked: fnhe.mtuLocked };
}

/**
 * __mkroute_output for a group: RTN_MULTICAST, RTCF_LOCAL as well when the host is a member on
 * the device (ip_check_mc_rcu), which is when ip_mc_output would loop a copy back.
 */
function mkrouteOutputMc(devOut: NetDevice, daddr: number, saddr: number): Rtable {
  const inDev = devOut.inDev;
  const our = inDev !== undefined && ipCheckMcRcu(inDev, daddr);
  return {
    dev: devOut,
    type: RTN_MULTICAST,
    flags: RTCF_MULTICAST | (our ? RTCF_LOCAL : 0),
    gateway: 0,
    src: saddr,
  };
}

/** find_exception: the exception for `daddr` on `nh`; an expired one is removed (ip_del_fnhe). */
function findException(net: Net, nh: FibNh, daddr: number): FibNhException | undefined {
  const table = net.ipv4.fnhe.get(nh);
  const fnhe = table?.get(daddr);
  if (!table || !fnhe) return undefined;
  if (fnhe.expires && jiffiesOf(net.host.clock.now) > fnhe.expires) {
    table.delete(daddr);
    if (table.size === 0) net.ipv4.fnhe.delete(nh);
    return undefined;
  }
  return fnhe;
}

/** ip_mtu_locked: the route's exception or its mtu metric is locked. */
function ipMtuLocked(rt: Rtable): boolean {
  return !!rt.mtuLocked || !!((rt.fib?.fi.metrics?.lock ?? 0) & (1 << RTAX_MTU));
}

/** The MTU with no valid exception: the route's mtu metric, else the device's (576 when locked via a gateway). */
function rtMetricOrDevMtu(rt: Rtable): number {
  let mtu = rt.fib?.fi.metrics?.mtu ?? 0;
  if (!mtu) {
    mtu = rt.dev.mtu;
    if (ipMtuLocked(rt) && rt.gateway && mtu > 576) mtu = 576;
  }
  return Math.min(mtu, IP_MAX_MTU);
}

/** A valid (unexpired) rt_pmtu, or 0. */
function rtValidPmtu(rt: Rtable): number {
  if (!rt.pmtu || rt.expires === undefined) return 0;
  return jiffiesOf(rt.dev.net.host.clock.now) < rt.expires ? rt.pmtu : 0;
}

/** ipv4_mtu (dst_mtu): the exception's PMTU while it lasts, else the metric or device MTU. */
export function dstMtu(rt: Rtable): number {
  return Math.min(rtValidPmtu(rt) || rtMetricOrDevMtu(rt), IP_MAX_MTU);
}

/** ip_dst_mtu_maybe_forward: forwarding honours the route's mtu, not a learned PMTU (unless locked). */
export function ipDstMtuMaybeForward(rt: Rtable, forwarding: boolean): number {
  if (!forwarding || ipMtuLocked(rt)) {
    const pmtu = rtValidPmtu(rt);
    if (pmtu) return Math.min(pmtu, IP_MAX_MTU);
  }
  return rtMetricOrDevMtu(rt);
}

/**
 * __ip_rt_update_pmtu: a frag-needed for a flow whose route is `rt` records the MTU as an
 * exception of the next hop (update_or_create_fnhe), clamped to min_pmtu (then locked).
 */
export function ipRtUpdatePmtu(net: Net, rt: Rtable, daddr: number, mtu: number): void {
  if (ipMtuLocked(rt)) return;
  const oldMtu = dstMtu(rt);
  if (oldMtu < mtu) return;
  const ipv4 = net.ipv4;
  let lock = false;
  if (mtu < ipv4.sysctlIpRtMinPmtu) {
    lock = true;
    mtu = Math.min(oldMtu, ipv4.sysctlIpRtMinPmtu);
  }
  const now = jiffiesOf(net.host.clock.now);
  if (
    rt.pmtu === mtu &&
    !lock &&
    rt.expires !== undefined &&
    now < rt.expires - ipv4.sysctlIpRtMtuExpires / 2
  )
    return;
  const nh = rt.fib && fibResNh(rt.fib);
  if (!nh) return;
  let table = ipv4.fnhe.get(nh);
  if (!table) {
    table = new Map();
    ipv4.fnhe.set(nh, table);
  }
  const expires = Math.max(1, now + ipv4.sysctlIpRtMtuExpires);
  const fnhe = table.get(daddr);
  if (fnhe) {
    if (mtu) {
      fnhe.pmtu = mtu;
      fnhe.mtuLocked = lock;
    }
    fnhe.expires = expires;
  } else {
    table.set(daddr, { gw: 0, pmtu: mtu, mtuLocked: lock, expires });
  }
}

/**
 * rt_cache_flush -> rt_genid_bump_ipv4: every route a socket holds (sk_dst_cache, sk_rx_dst) is
 * stale from now on (rt_is_expired), so its next packet looks its route up again.
 */
export function rtCacheFlush(net: Net): void {
  net.ipv4.rtGenid++;
}

/** fnhe_genid_bump: every exception is forgotten. */
export function fnheGenidBump(net: Net): void {
  net.ipv4.fnhe.clear();
}

/**
 * dst_check for a route a socket cached under generation `genid`: rt_is_expired, or (the
 * exceptions' side) any next-hop exception in the namespace, which the kernel binds into routes
 * and whose creation marks the cached ones DST_OBSOLETE_KILL: with exceptions about, every packet
 * takes the full lookup, as before the cache.
 */
export function rtCacheValid(net: Net, genid: number): boolean {
  return genid === net.ipv4.rtGenid && net.ipv4.fnhe.size === 0;
}

/** ipv4_sk_update_pmtu: the route of the socket's flow to the quoted destination learns `mtu`. */
export function ipv4SkUpdatePmtu(
  net: Net,
  flow: { readonly daddr: number; readonly saddr: number; readonly oif?: number; readonly pmtudisc: number },
  mtu: number,
): void {
  // ip_sk_accept_pmtu: not with IP_PMTUDISC_INTERFACE (4) or IP_PMTUDISC_OMIT (5).
  if (flow.pmtudisc === 4 || flow.pmtudisc === 5) return;
  const rt = ipRouteOutputKey(net, { daddr: flow.daddr, saddr: flow.saddr || undefined, oif: flow.oif });
  if (rt instanceof KernelError) return;
  ipRtUpdatePmtu(net, rt, flow.daddr, mtu);
}

/** Why an input packet was dropped before any route was attached. */
export type InputDrop =
  | "martian_source"
  | "martian_destination"
  | "no_in_dev"
  | "rpfilter"
  /** A multicast the host has not joined, or from an invalid source: dropped, never logged. */
  | "mc_drop";

/** fib_compute_spec_dst for an input route: the address a reply should come from. */
function specDst(dev: NetDevice, daddr: number, type: number): number {
  if (type === RTN_LOCAL) return daddr;
  return inetSelectAddr(dev, daddr, type === RTN_BROADCAST ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
}

/**
 * fib_validate_source: may a packet from `src` arrive on `dev`? With rp_filter off and no custom
 * rules only a local source is refused (unless accept_local); otherwise the route back to the
 * source must exist (loose, 2) and leave through `dev` (strict, 1). `oif` is the device the packet
 * will leave through when forwarded, 0 for local delivery.
 */
function fibValidateSource(
  dev: NetDevice,
  src: number,
  dst: number,
  tos: number,
  oif: number,
): "ok" | "rpfilter" | "invalid" {
  const net = dev.net;
  const inDev = dev.inDev;
  if (!inDev) return "invalid";
  // Looped-back packets keep their output route in the kernel and are never validated.
  if (dev === net.loopbackDev) return "ok";
  const rpf = inDevRpfilter(inDev);
  // Hairpin forwarding with send_redirects takes the full check, which tells whether to redirect.
  if (!rpf && (dev.ifindex !== oif || !inDevTxRedirects(inDev))) {
    if (inDevAcceptLocal(inDev)) return "ok";
    if (!net.ipv4.fibHasCustomRules) {
      // inet_lookup_ifaddr_rcu: a source that is one of this namespace's own addresses.
      return inetLookupIfaddr(net, src) ? "invalid" : "ok";
    }
  }
  // __fib_validate_source: look the source up as a destination, as if replying.
  const res = fibLookup(net, {
    daddr: src,
    saddr: dst,
    iif: oif || LOOPBACK_IFINDEX,
    tos,
    uid: 0,
  });
  if (res instanceof KernelError) return rpf ? "rpfilter" : "ok";
  if (res.type !== RTN_UNICAST) {
    if (res.type !== RTN_LOCAL || !inDevAcceptLocal(inDev)) return "invalid";
  }
  if (fibResNh(res)?.dev === dev || (res.type === RTN_LOCAL && dev === net.loopbackDev)) return "ok";
  if (inDev.ifaList.length === 0) return rpf ? "rpfilter" : "ok";
  return rpf === 1 ? "rpfilter" : "ok";
}

/** brd_input: a broadcast for this host. */
function brdInput(dev: NetDevice, daddr: number, fib?: FibResult): Rtable {
  const src = specDst(dev, daddr, RTN_BROADCAST);
  const flags = RTCF_BROADCAST | RTCF_LOCAL;
  return {
    dev,
    type: RTN_BROADCAST,
    flags,
    gateway: 0,
    src,
    input: "ip_local_deliver",
    iif: dev.ifindex,
    fib,
  };
}

/** no_route: a route whose input is ip_error, carrying why. */
function noRoute(dev: NetDevice, error: KernelError): Rtable {
  return {
    dev,
    type: RTN_UNREACHABLE,
    flags: 0,
    gateway: 0,
    src: 0,
    input: "ip_error",
    error,
    iif: dev.ifindex,
  };
}

/** The flow of a received packet beyond its addresses; `skb` (its link-layer header) for the martian log. */
export interface InputFlow {
  readonly mark?: number;
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
  readonly skb?: SkBuff;
}

/**
 * ip_route_input_slow: where a received packet goes. A martian (a refused source, reverse-path
 * failures included, or destination) is logged with log_martians.
 */
export function ipRouteInput(
  dev: NetDevice,
  daddr: number,
  saddr: number,
  tos: number,
  flow: InputFlow = {},
): Rtable | InputDrop {
  const rt = isMulticast(daddr)
    ? ipRouteInputMulticast(dev, daddr, saddr, tos, flow)
    : ipRouteInputSlow(dev, daddr, saddr, tos, flow);
  if (
    typeof rt === "string" &&
    rt !== "no_in_dev" &&
    rt !== "mc_drop" &&
    dev.inDev &&
    inDevLogMartians(dev.inDev)
  )
    ipLogMartian(dev, rt, { daddr, saddr, skb: flow.skb });
  return rt;
}

/**
 * ip_handle_martian_source and the martian_destination label: pr_warn under net_ratelimit, with
 * the link-layer header (print_hex_dump) when the packet has one.
 */
function ipLogMartian(
  dev: NetDevice,
  why: Exclude<InputDrop, "no_in_dev" | "mc_drop">,
  pkt: { readonly daddr: number; readonly saddr: number; readonly skb?: SkBuff },
): void {
  const host = dev.net.host;
  const now = host.clock.now;
  if (!netRatelimit(host.kmsg, now)) return;
  const d = formatIPv4(pkt.daddr);
  const s = formatIPv4(pkt.saddr);
  if (why === "martian_destination") {
    printk(host.kmsg, now, 4, `IPv4: martian destination ${d} from ${s}, dev ${dev.name}`);
    return;
  }
  printk(host.kmsg, now, 4, `IPv4: martian source ${d} from ${s}, on dev ${dev.name}`);
  const skb = pkt.skb;
  if (!skb || dev.type !== ARPHRD_ETHER) return;
  const ll = skb.data.subarray(skb.macHeader, skb.macHeader + ETH_HLEN);
  const hex = Array.from(ll, (b) => b.toString(16).padStart(2, "0")).join(" ");
  printk(host.kmsg, now, 4, `ll header: 00000000: ${hex}`);
}

function brdValid(dev: NetDevice, saddr: number, tos: number): "ok" | InputDrop {
  if (isZeronet(saddr)) return "ok";
  const valid = fibValidateSource(dev, saddr, 0, tos, 0);
  return valid === "invalid" ? "martian_source" : valid;
}

/**
 * ip_route_input_rcu's multicast branch: a group the host joined on the device takes
 * ip_route_input_mc (after ip_mc_validate_source) to local delivery; any other is dropped.
 */
function ipRouteInputMulticast(
  dev: NetDevice,
  daddr: number,
  saddr: number,
  tos: number,
  flow: InputFlow,
): Rtable | InputDrop {
  const inDev = dev.inDev;
  if (!inDev) return "no_in_dev";
  if (!ipCheckMcRcu(inDev, daddr)) return "mc_drop";
  // ip_mc_validate_source
  if (isMulticast(saddr) || saddr === 0xffffffff) return "mc_drop";
  if (isLoopback(saddr) && !inDevRouteLocalnet(inDev)) return "mc_drop";
  if (isZeronet(saddr)) {
    const skb = flow.skb;
    const proto = skb ? (skb.data[skb.networkHeader + 9] as number) : 0;
    if (!ipv4IsLocalMulticast(daddr) && proto !== IPPROTO_IGMP) return "mc_drop";
  } else {
    const valid = fibValidateSource(dev, saddr, 0, tos, 0);
    if (valid !== "ok") return valid === "invalid" ? "mc_drop" : valid;
  }
  return {
    dev: dev.net.loopbackDev as NetDevice,
    type: RTN_MULTICAST,
    flags: RTCF_MULTICAST | RTCF_LOCAL,
    gateway: 0,
    src: specDst(dev, daddr, RTN_MULTICAST),
    input: "ip_local_deliver",
    iif: dev.ifindex,
  };
}

function ipRouteInputSlow(
  dev: NetDevice,
  daddr: number,
  saddr: number,
  tos: number,
  flow: InputFlow,
): Rtable | InputDrop {
  const net = dev.net;
  const inDev = dev.inDev;
  if (!inDev) return "no_in_dev";
  if (isMulticast(saddr) || saddr === 0xffffffff) return "martian_source";
  // brd_input checks any source but 0.0.0.0 (fib_validate_source with oif 0).
  if (daddr === 0xffffffff || (saddr === 0 && daddr === 0)) {
    const valid = brdValid(dev, saddr, tos);
    return valid === "ok" ? brdInput(dev, daddr) : valid;
  }
  if (isZeronet(saddr)) return "martian_source";
  if (isZeronet(daddr)) return "martian_destination";
  // Loopback addresses arriving on a real interface are martians unless route_localnet.
  const localnet = net.loopbackDev === dev || inDevRouteLocalnet(inDev);
  if (isLoopback(daddr)) {
    if (!localnet) return "martian_destination";
  } else if (isLoopback(saddr) && !localnet) return "martian_source";
  // sock_net_uid(net, NULL): the flow belongs to the namespace's root.
  let res = fibLookup(net, { daddr, saddr, iif: dev.ifindex, tos, mark: flow.mark, uid: 0 });
  // With forwarding off, whatever is not for us is EHOSTUNREACH, and ip_error stays silent.
  const forwarding = inDev.cnf.forwarding !== 0;
  if (res instanceof KernelError) return noRoute(dev, forwarding ? res : new KernelError("EHOSTUNREACH"));
  if (res.type === RTN_BROADCAST) {
    const valid = brdValid(dev, saddr, tos);
    return valid === "ok" ? brdInput(dev, daddr, res) : valid;
  }
  if (res.type === RTN_LOCAL) {
    const valid = fibValidateSource(dev, saddr, daddr, tos, 0);
    if (valid !== "ok") return valid === "invalid" ? "martian_source" : valid;
    const lo = net.loopbackDev as NetDevice;
    return {
      dev: lo,
      type: RTN_LOCAL,
      flags: RTCF_LOCAL,
      gateway: 0,
      src: daddr,
      input: "ip_local_deliver",
      iif: dev.ifindex,
      fib: res,
    };
  }
  if (!forwarding) return noRoute(dev, new KernelError("EHOSTUNREACH"));
  if (res.type !== RTN_UNICAST) return "martian_destination";
  // ip_mkroute_input: a multipath route picks its next hop by the packet's hash.
  if (res.fi.nhs) res = fibSelectMultipath(res, fibMultipathHash(net, { saddr, daddr, ...flow }), 0);
  const nh = fibResNh(res);
  if (!nh) return "martian_destination";
  // __mkroute_input
  const valid = fibValidateSource(dev, saddr, daddr, tos, nh.dev.ifindex);
  if (valid !== "ok") return valid === "invalid" ? "martian_source" : valid;
  const src = specDst(dev, daddr, RTN_UNICAST);
  return {
    dev: nh.dev,
    type: RTN_UNICAST,
    flags: doRedirect(dev, nh, saddr, daddr, tos) ? RTCF_DOREDIRECT : 0,
    gateway: nh.gw,
    src,
    input: "ip_forward",
    iif: dev.ifindex,
    fib: res,
  };
}

/** The next hop a packet on this route is resolved to (rt_nexthop). */
export function rtNexthop(rt: Rtable, daddr: number): number {
  return rt.gateway || daddr;
}

/**
 * __mkroute_input's IPSKB_DOREDIRECT: back out of the receiving device, with send_redirects on,
 * from a sender the device reaches directly (fib_validate_source's 1: the route back to it is a
 * connected one through this device), on a shared medium or in the next hop's subnet.
 */
function doRedirect(dev: NetDevice, nh: FibNh, saddr: number, daddr: number, tos: number): boolean {
  const inDev = dev.inDev;
  if (nh.dev !== dev || !inDev || !inDevTxRedirects(inDev)) return false;
  const back = fibLookup(dev.net, {
    daddr: saddr,
    saddr: daddr,
    iif: dev.ifindex,
    tos,
    uid: 0,
  });
  if (back instanceof KernelError || back.type !== RTN_UNICAST) return false;
  const backNh = fibResNh(back);
  if (backNh?.dev !== dev || backNh.scope < RT_SCOPE_HOST) return false;
  if (inDevSharedMedia(inDev)) return true;
  return inDev.ifaList.some(
    (ifa) => ((saddr ^ ifa.address) & ifa.mask) === 0 && (!nh.gw || ((nh.gw ^ ifa.address) & ifa.mask) === 0),
  );
}

/** ip_rt_redirect_number, ip_rt_redirect_load (HZ/50) and ip_rt_redirect_silence, in jiffies. */
const IP_RT_REDIRECT_NUMBER = 9;
const IP_RT_REDIRECT_LOAD = 5;
const IP_RT_REDIRECT_SILENCE = IP_RT_REDIRECT_LOAD << (IP_RT_REDIRECT_NUMBER + 1);

/**
 * ip_rt_send_redirect: a host redirect to the next hop, rate-limited by the sender's inet_peer:
 * exponential backoff from ip_rt_redirect_load, silence after ip_rt_redirect_number until the
 * sender has been quiet for ip_rt_redirect_silence.
 */
export function ipRtSendRedirect(skb: SkBuff, send: (gw: number) => void): void {
  const rt = skb.dst as Rtable;
  const inDev = rt.dev.inDev;
  if (!inDev || !inDevTxRedirects(inDev)) return;
  const net = rt.dev.net;
  const saddr = bytesToIPv4(skb.data, skb.networkHeader + 12);
  const daddr = bytesToIPv4(skb.data, skb.networkHeader + 16);
  const now = net.host.clock.now;
  const peer = inetGetpeerV4(net.ipv4.peers, saddr, now);
  const jiffies = jiffiesOf(now);
  if (jiffies > peer.rateLast + IP_RT_REDIRECT_SILENCE) {
    peer.rateTokens = 0;
    peer.nRedirects = 0;
  }
  const sent = peer.nRedirects ?? 0;
  if (sent >= IP_RT_REDIRECT_NUMBER) {
    peer.rateLast = jiffies;
    return;
  }
  if (sent === 0 || jiffies > peer.rateLast + (IP_RT_REDIRECT_LOAD << sent)) {
    const gw = rtNexthop(rt, daddr);
    send(gw);
    peer.rateLast = jiffies;
    peer.nRedirects = sent + 1;
    if (
      inDevLogMartians(inDev) &&
      peer.nRedirects === IP_RT_REDIRECT_NUMBER &&
      netRatelimit(net.host.kmsg, now)
    ) {
      const iif = skb.dev?.ifindex ?? 0;
      printk(
        net.host.kmsg,
        now,
        4,
        `host ${formatIPv4(saddr)}/if${iif} ignores redirects for ${formatIPv4(daddr)} to ${formatIPv4(gw)}`,
      );
    }
  }
}

/**
 * __ip_do_redirect: a redirect from `oldGw` (the ICMP's source) about the flow of the quoted
 * header, received on `dev`. Taken when the flow's route goes through `oldGw`, accept_redirects
 * allows it and the new gateway is a plausible neighbour; the next-hop exception is made only
 * once that neighbour is valid (before, its resolution starts). Refusals are logged with
 * log_martians.
 */
export function ipDoRedirect(
  dev: NetDevice,
  redirect: { readonly oldGw: number; readonly newGw: number; readonly code: number },
  inner: { readonly saddr: number; readonly daddr: number; readonly tos: number; readonly proto: number },
): void {
  const net = dev.net;
  if ((redirect.code & 7) > 3) return;
  const rt = ipRouteOutputKey(net, {
    daddr: inner.daddr,
    saddr: inner.saddr,
    tos: inner.tos,
    proto: inner.proto,
  });
  if (rt instanceof KernelError || rt.gateway !== redirect.oldGw || !rt.gateway) return;
  const inDev = dev.inDev;
  if (!inDev) return;
  const { oldGw, newGw } = redirect;
  // IN_DEV_RX_REDIRECTS: all and the device while forwarding, either otherwise.
  const all = net.ipv4.devconfAll.accept_redirects;
  const rx = inDev.cnf.forwarding ? all && inDev.cnf.accept_redirects : all || inDev.cnf.accept_redirects;
  let ok = newGw !== oldGw && !!rx && newGw >>> 28 !== 0xe && newGw !== 0xffffffff && newGw >>> 24 !== 0;
  if (ok) {
    if (!inDevSharedMedia(inDev)) {
      const onlink = inDev.ifaList.some(
        (ifa) => ((newGw ^ ifa.address) & ifa.mask) === 0 && ((oldGw ^ ifa.address) & ifa.mask) === 0,
      );
      // ip_fib_check_default: with secure_redirects, only a gateway some route already uses here.
      if (!onlink || (inDevConf(inDev, "secure_redirects") && !fibHasGateway(net, newGw, dev))) ok = false;
    } else if (inetAddrType(net, newGw) !== RTN_UNICAST) ok = false;
  }
  if (!ok) {
    if (inDevLogMartians(inDev) && netRatelimit(net.host.kmsg, net.host.clock.now))
      printk(
        net.host.kmsg,
        net.host.clock.now,
        6,
        `Redirect from ${formatIPv4(oldGw)} on ${dev.name} about ${formatIPv4(newGw)} ignored\n` +
          `  Advised path = ${formatIPv4(inner.saddr)} -> ${formatIPv4(inner.daddr)}`,
      );
    return;
  }
  const neigh = arpNeighFor(rt.dev, newGw);
  if (!neigh) return;
  if (!neighValid(neigh)) {
    neighEventSend(neigh);
    return;
  }
  const nh = rt.fib && fibResNh(rt.fib);
  if (!nh) return;
  let table = net.ipv4.fnhe.get(nh);
  if (!table) {
    table = new Map();
    net.ipv4.fnhe.set(nh, table);
  }
  const expires = Math.max(1, jiffiesOf(net.host.clock.now) + IP_RT_GC_TIMEOUT);
  const fnhe = table.get(inner.daddr);
  if (fnhe) {
    fnhe.gw = newGw;
    fnhe.expires = expires;
  } else table.set(inner.daddr, { gw: newGw, pmtu: 0, mtuLocked: false, expires });
}

/** ip_rt_gc_timeout: how long a redirect's exception lasts (RT_GC_TIMEOUT, 300 s in jiffies). */
const IP_RT_GC_TIMEOUT = 300 * 250;

/** ip_fib_check_default: whether a live route's next hop on `dev` is the gateway `gw`. */
function fibHasGateway(net: Net, gw: number, dev: NetDevice): boolean {
  return fibDumpAll(net).some((fa) =>
    (fa.fi.nhs ?? (fa.fi.nh ? [fa.fi.nh] : [])).some((nh) => nh.dev === dev && nh.gw === gw),
  );
}

/**
 * fib_dump_info_fnhe: the live exceptions of a next hop that have a route bound to them, as
 * `ip route show cache` lists them (fnhe_dump_bucket), by destination.
 */
export function fnheDump(net: Net, nh: FibNh): { readonly daddr: number; readonly fnhe: FibNhException }[] {
  const table = net.ipv4.fnhe.get(nh);
  if (!table) return [];
  const now = jiffiesOf(net.host.clock.now);
  const out: { daddr: number; fnhe: FibNhException }[] = [];
  for (const [daddr, fnhe] of table) {
    if (fnhe.expires && now > fnhe.expires) continue;
    if (fnhe.rthOutput) out.push({ daddr, fnhe });
  }
  return out;
}
