// IPv4 header options (net/ipv4/ip_options.c): checked and filled in on the way in
// (ip_options_compile), written into what a socket sends (ip_options_build), turned around for a
// reply (ip_options_echo) and stamped again by a router (ip_forward_options). Record route and
// timestamp are the ones a host fills; source routes are parsed (and dropped on input, as
// accept_source_route is off on Linux unless both `all` and the device say otherwise).
import { internetChecksum } from "../../wire/checksum.js";
import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { RTN_UNICAST } from "../uapi.js";
import { inetAddrType, inetSelectAddr } from "./devinet.js";
import { fibLookup } from "./fib_table.js";
import { fibResultPrefsrc, type Rtable } from "./route.js";

export const IPOPT_END = 0;
export const IPOPT_NOOP = 1;
export const IPOPT_RR = 7;
export const IPOPT_TIMESTAMP = 68;
export const IPOPT_LSRR = 131;
export const IPOPT_SSRR = 137;
export const IPOPT_RA = 148;
export const IPOPT_CIPSO = 134;
export const IPOPT_TS_TSONLY = 0;
export const IPOPT_TS_TSANDADDR = 1;
export const IPOPT_TS_PRESPEC = 3;
/** MAX_IPOPTLEN */
export const MAX_IPOPTLEN = 40;
const IPHDR_LEN = 20;
const RT_SCOPE_UNIVERSE = 0;

/**
 * struct ip_options. Offsets (srr, rr, ts, routerAlert, cipso) count from the start of the IP
 * header, as in the kernel; for a socket's options the bytes are `data`, which stands at offset 20.
 */
export interface IpOptions {
  optlen: number;
  srr: number;
  rr: number;
  ts: number;
  routerAlert: number;
  cipso: number;
  isStrictroute: boolean;
  srrIsHit: boolean;
  isChanged: boolean;
  rrNeedaddr: boolean;
  tsNeedtime: boolean;
  tsNeedaddr: boolean;
  /** The first hop of a source route a socket gave (the route's destination). */
  faddr: number;
  nexthop: number;
  /** __data: the option bytes of a socket's or a reply's options (optlen of them). */
  data: Uint8Array;
}

export function ipOptionsNew(): IpOptions {
  return {
    optlen: 0,
    srr: 0,
    rr: 0,
    ts: 0,
    routerAlert: 0,
    cipso: 0,
    isStrictroute: false,
    srrIsHit: false,
    isChanged: false,
    rrNeedaddr: false,
    tsNeedtime: false,
    tsNeedaddr: false,
    faddr: 0,
    nexthop: 0,
    data: new Uint8Array(0),
  };
}

function getU32(b: Uint8Array, at: number): number {
  return (
    (((b[at] as number) << 24) |
      ((b[at + 1] as number) << 16) |
      ((b[at + 2] as number) << 8) |
      (b[at + 3] as number)) >>>
    0
  );
}

function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 255;
  b[at + 2] = (v >>> 8) & 255;
  b[at + 3] = v & 255;
}

/** inet_current_timestamp: milliseconds since midnight UTC, from the host's real-time clock. */
export function inetCurrentTimestamp(net: Net): number {
  const host = net.host;
  const ms = Math.floor((host.bootRealtimeUs + Math.floor(host.clock.now / 1000)) / 1000);
  return ms % 86_400_000;
}

/**
 * __ip_options_compile: checks the options in `buf` (the IP header at `iph`, options from
 * iph+20, opt.optlen of them) and records where each is. With an skb (a received packet) the
 * record-route and timestamp slots due here are filled in place. Returns undefined when valid,
 * else the parameter-problem pointer (offset from the header of the offending byte).
 */
function ipOptionsCompileAt(
  net: Net,
  opt: IpOptions,
  buf: Uint8Array,
  iph: number,
  skb: SkBuff | undefined,
  capNetRaw = true,
): number | undefined {
  let specDst = 0;
  const rt = skb?.dst;
  let p = iph + IPHDR_LEN;
  let l = opt.optlen;
  const fail = (at: number): number => at - iph;
  while (l > 0) {
    const kind = buf[p] as number;
    if (kind === IPOPT_END) {
      for (p++, l--; l > 0; p++, l--) {
        if (buf[p] !== IPOPT_END) {
          buf[p] = IPOPT_END;
          opt.isChanged = true;
        }
      }
      return undefined;
    }
    if (kind === IPOPT_NOOP) {
      l--;
      p++;
      continue;
    }
    if (l < 2) return fail(p);
    const optlen = buf[p + 1] as number;
    if (optlen < 2 || optlen > l) return fail(p);
    switch (kind) {
      case IPOPT_SSRR:
      case IPOPT_LSRR: {
        if (optlen < 3) return fail(p + 1);
        if ((buf[p + 2] as number) < 4) return fail(p + 2);
        // RFC 1812 5.2.4.1: one source route at most.
        if (opt.srr) return fail(p);
        if (!skb) {
          if (buf[p + 2] !== 4 || optlen < 7 || (optlen - 3) & 3) return fail(p + 1);
          opt.faddr = getU32(buf, p + 3);
          if (optlen > 7) buf.copyWithin(p + 3, p + 7, p + optlen);
        }
        opt.isStrictroute = kind === IPOPT_SSRR;
        opt.srr = p - iph;
        break;
      }
      case IPOPT_RR: {
        if (opt.rr) return fail(p);
        if (optlen < 3) return fail(p + 1);
        const ptr = buf[p + 2] as number;
        if (ptr < 4) return fail(p + 2);
        if (ptr <= optlen) {
          if (ptr + 3 > optlen) return fail(p + 2);
          if (rt) {
            specDst ||= rt.src;
            putU32(buf, p + ptr - 1, specDst);
            opt.isChanged = true;
          }
          buf[p + 2] = ptr + 4;
          opt.rrNeedaddr = true;
        }
        opt.rr = p - iph;
        break;
      }
      case IPOPT_TIMESTAMP: {
        if (opt.ts) return fail(p);
        if (optlen < 4) return fail(p + 1);
        const ptr = buf[p + 2] as number;
        if (ptr < 5) return fail(p + 2);
        const flags = buf[p + 3] as number;
        if (ptr <= optlen) {
          let timeptr: number | undefined;
          if (ptr + 3 > optlen) return fail(p + 2);
          switch (flags & 15) {
            case IPOPT_TS_TSONLY:
              if (skb) timeptr = p + ptr - 1;
              opt.tsNeedtime = true;
              buf[p + 2] = ptr + 4;
              break;
            case IPOPT_TS_TSANDADDR:
              if (ptr + 7 > optlen) return fail(p + 2);
              if (rt) {
                specDst ||= rt.src;
                putU32(buf, p + ptr - 1, specDst);
                timeptr = p + ptr + 3;
              }
              opt.tsNeedaddr = true;
              opt.tsNeedtime = true;
              buf[p + 2] = ptr + 8;
              break;
            case IPOPT_TS_PRESPEC: {
              if (ptr + 7 > optlen) return fail(p + 2);
              // Only the named hop stamps: an address that is not ours leaves the slot alone.
              if (inetAddrType(net, getU32(buf, p + ptr - 1)) === RTN_UNICAST) break;
              if (skb) timeptr = p + ptr + 3;
              opt.tsNeedtime = true;
              buf[p + 2] = ptr + 8;
              break;
            }
            default:
              // Other flags need CAP_NET_RAW from a socket.
              if (!skb && !capNetRaw) return fail(p + 3);
              break;
          }
          if (timeptr !== undefined) {
            putU32(buf, timeptr, inetCurrentTimestamp(net));
            opt.isChanged = true;
          }
        } else if ((flags & 15) !== IPOPT_TS_PRESPEC) {
          // Full: count the hop in the overflow nibble.
          const overflow = flags >> 4;
          if (overflow === 15) return fail(p + 3);
          if (skb) {
            buf[p + 3] = (flags & 15) | ((overflow + 1) << 4);
            opt.isChanged = true;
          }
        }
        opt.ts = p - iph;
        break;
      }
      case IPOPT_RA:
        if (optlen < 4) return fail(p + 1);
        if (buf[p + 2] === 0 && buf[p + 3] === 0) opt.routerAlert = p - iph;
        break;
      case IPOPT_CIPSO:
        // CIPSO is a NetLabel option: without a NetLabel domain it does not validate.
        return fail(p);
      default:
        // IPOPT_SEC, IPOPT_SID and the unknown: carried along untouched; from a socket only
        // with CAP_NET_RAW.
        if (!skb && !capNetRaw) return fail(p);
        break;
    }
    l -= optlen;
    p += optlen;
  }
  return undefined;
}

/**
 * ip_options_compile for a received packet (IPCB(skb)->opt): a bad option answers the sender
 * with a parameter problem pointing at it; the caller drops the packet.
 */
export function ipOptionsCompileSkb(
  net: Net,
  skb: SkBuff,
  icmpParamProb: (skb: SkBuff, info: number) => void,
): boolean {
  const iph = skb.networkHeader;
  const opt = ipOptionsNew();
  opt.optlen = ((skb.data[iph] as number) & 15) * 4 - IPHDR_LEN;
  skb.opt = opt;
  const pp = ipOptionsCompileAt(net, opt, skb.data, iph, skb);
  if (pp === undefined) return true;
  icmpParamProb(skb, (pp << 24) >>> 0);
  return false;
}

/**
 * ip_options_get (setsockopt IP_OPTIONS): padded to a multiple of four with IPOPT_END, then
 * compiled without an skb, `capNetRaw` saying whether the caller holds CAP_NET_RAW over the
 * namespace. Undefined for EINVAL; an empty list clears.
 */
export function ipOptionsGet(net: Net, bytes: Uint8Array, capNetRaw = true): IpOptions | undefined {
  const optlen = (bytes.length + 3) & ~3;
  const buf = new Uint8Array(IPHDR_LEN + optlen);
  buf.set(bytes, IPHDR_LEN);
  const opt = ipOptionsNew();
  opt.optlen = optlen;
  opt.data = buf.subarray(IPHDR_LEN);
  if (optlen && ipOptionsCompileAt(net, opt, buf, 0, undefined, capNetRaw) !== undefined) return undefined;
  return opt;
}

/**
 * ip_options_build: the options go into the header just written at skb.networkHeader (its IHL
 * already counting them); a locally sent packet records its own source in the first RR/TS slot
 * and stamps the time. The skb keeps a copy (IPCB) for icmp_send to echo.
 */
export function ipOptionsBuild(net: Net, skb: SkBuff, opt: IpOptions, daddr: number): void {
  const d = skb.data;
  const iph = skb.networkHeader;
  d.set(opt.data.subarray(0, opt.optlen), iph + IPHDR_LEN);
  skb.opt = { ...opt, data: opt.data };
  // ip_rt_get_source on an output route: the header's source.
  const saddr = getU32(d, iph + 12);
  if (opt.srr) putU32(d, iph + opt.srr + (d[iph + opt.srr + 1] as number) - 4, daddr);
  if (opt.rrNeedaddr) putU32(d, iph + opt.rr + (d[iph + opt.rr + 2] as number) - 5, saddr);
  if (opt.tsNeedaddr) putU32(d, iph + opt.ts + (d[iph + opt.ts + 2] as number) - 9, saddr);
  if (opt.tsNeedtime)
    putU32(d, iph + opt.ts + (d[iph + opt.ts + 2] as number) - 5, inetCurrentTimestamp(net));
}

/**
 * __ip_options_echo: the options for answering `skb` (whose compiled options are `sopt`): record
 * route and timestamp copied with room taken for this hop, a source route reversed. Undefined
 * for EINVAL (no answer is sent).
 */
export function ipOptionsEcho(net: Net, skb: SkBuff, sopt: IpOptions | undefined): IpOptions | undefined {
  const dopt = ipOptionsNew();
  if (!sopt || sopt.optlen === 0) return dopt;
  const s = skb.data;
  const sp = skb.networkHeader;
  const dptr = new Uint8Array(MAX_IPOPTLEN);
  let dl = 0;
  if (sopt.rr) {
    const optlen = s[sp + sopt.rr + 1] as number;
    const soffset = s[sp + sopt.rr + 2] as number;
    dopt.rr = dl + IPHDR_LEN;
    dptr.set(s.subarray(sp + sopt.rr, sp + sopt.rr + optlen), dl);
    if (sopt.rrNeedaddr && soffset <= optlen) {
      if (soffset + 3 > optlen) return undefined;
      dptr[dl + 2] = soffset + 4;
      dopt.rrNeedaddr = true;
    }
    dl += optlen;
  }
  if (sopt.ts) {
    const optlen = s[sp + sopt.ts + 1] as number;
    let soffset = s[sp + sopt.ts + 2] as number;
    dopt.ts = dl + IPHDR_LEN;
    dptr.set(s.subarray(sp + sopt.ts, sp + sopt.ts + optlen), dl);
    if (soffset <= optlen) {
      if (sopt.tsNeedaddr) {
        if (soffset + 3 > optlen) return undefined;
        dopt.tsNeedaddr = true;
        soffset += 4;
      }
      if (sopt.tsNeedtime) {
        if (soffset + 3 > optlen) return undefined;
        if (((dptr[dl + 3] as number) & 15) !== IPOPT_TS_PRESPEC) {
          dopt.tsNeedtime = true;
          soffset += 4;
        } else {
          dopt.tsNeedtime = false;
          if (soffset + 7 <= optlen && inetAddrType(net, getU32(dptr, dl + soffset - 1)) !== RTN_UNICAST) {
            dopt.tsNeedtime = true;
            soffset += 8;
          }
        }
      }
      dptr[dl + 2] = soffset;
    }
    dl += optlen;
  }
  if (sopt.srr) {
    const start = sp + sopt.srr;
    const optlen = s[start + 1] as number;
    let soffset = s[start + 2] as number;
    let doffset = 0;
    let faddr = 0;
    if (soffset > optlen) soffset = optlen + 1;
    soffset -= 4;
    if (soffset > 3) {
      faddr = getU32(s, start + soffset - 1);
      for (soffset -= 4, doffset = 4; soffset > 3; soffset -= 4, doffset += 4)
        dptr.set(s.subarray(start + soffset - 1, start + soffset + 3), dl + doffset - 1);
      // RFC 1812 requires to fix illegal source routes.
      if (getU32(s, sp + 12) === getU32(s, start + soffset + 3)) doffset -= 4;
    }
    if (doffset > 3) {
      dopt.faddr = faddr;
      dptr[dl] = s[start] as number;
      dptr[dl + 1] = doffset + 3;
      dptr[dl + 2] = 4;
      dopt.srr = dl + IPHDR_LEN;
      dl += doffset + 3;
      dopt.isStrictroute = sopt.isStrictroute;
    }
  }
  while (dl & 3) dptr[dl++] = IPOPT_END;
  dopt.optlen = dl;
  dopt.data = dptr.subarray(0, dl);
  return dopt;
}

/**
 * ip_rt_get_source: the address this host records for itself in a packet on route `rt`: the
 * header's source on an output route; for a forwarded packet the preferred source of the route
 * out (looked up as the packet flows), else an address of the output device.
 */
function ipRtGetSource(skb: SkBuff, rt: Rtable): number {
  const d = skb.data;
  const iph = skb.networkHeader;
  if (rt.input === undefined) return getU32(d, iph + 12);
  const net = rt.dev.net;
  const daddr = getU32(d, iph + 16);
  const res = fibLookup(net, {
    daddr,
    saddr: getU32(d, iph + 12),
    tos: (d[iph + 1] as number) & 0xfc,
    oif: rt.dev.ifindex,
    iif: (skb.dev as NetDevice | undefined)?.ifindex ?? 0,
    mark: skb.mark,
    uid: 0,
  });
  if (!(res instanceof Error)) return fibResultPrefsrc(res);
  return inetSelectAddr(rt.dev, rt.gateway || daddr, RT_SCOPE_UNIVERSE);
}

/**
 * ip_forward_options: a router records the address it forwards from in the record-route slot the
 * input pass reserved, and recomputes the header checksum after any change.
 */
export function ipForwardOptions(skb: SkBuff): void {
  const opt = skb.opt;
  const rt = skb.dst;
  if (!opt || !rt) return;
  const d = skb.data;
  const iph = skb.networkHeader;
  if (opt.rrNeedaddr) {
    const at = iph + opt.rr;
    putU32(d, at + (d[at + 2] as number) - 5, ipRtGetSource(skb, rt));
    opt.isChanged = true;
  }
  if (opt.isChanged) {
    opt.isChanged = false;
    const hl = ((d[iph] as number) & 15) * 4;
    d[iph + 10] = 0;
    d[iph + 11] = 0;
    const sum = internetChecksum(d, iph, iph + hl);
    d[iph + 10] = sum >>> 8;
    d[iph + 11] = sum & 255;
  }
}
