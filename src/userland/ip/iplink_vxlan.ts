// ip/iplink_vxlan.c: `type vxlan` options and their `-d` details (IPv4 endpoints).

import * as sys from "../../kernel/syscalls.js";
import { AF_INET, type LinkInfoData, type VxlanInfoReq } from "../../kernel/syscalls.js";
import { getU16 } from "./iplink_vlan.js";
import {
  duparg2,
  eprint,
  formatInet4,
  getAddr,
  getU32,
  getUnsigned,
  type IpContext,
  IpExit,
  incompleteCommand,
  invarg,
  llIndexToName,
  matches,
  nodev,
  prefixBytes,
} from "./utils.js";

const EXPLAIN = `Usage: ... vxlan id VNI
		[ { group | remote } IP_ADDRESS ]
		[ local ADDR ]
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dev PHYS_DEV ]
		[ dstport PORT ]
		[ srcport MIN MAX ]
		[ [no]learning ]
		[ [no]proxy ]
		[ [no]rsc ]
		[ [no]l2miss ]
		[ [no]l3miss ]
		[ ageing SECONDS ]
		[ maxaddress NUMBER ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ [no]remcsumtx ] [ [no]remcsumrx ]
		[ [no]external ] [ gbp ] [ gpe ]
		[ [no]vnifilter ]

Where:	VNI	:= 0-16777215
	ADDR	:= { IP_ADDRESS | any }
	TOS	:= { NUMBER | inherit }
	TTL	:= { 1..255 | auto | inherit }
	DF	:= { unset | set | inherit }
	LABEL := 0-1048575
`;

function toU32(b: Uint8Array): number {
  return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
}

function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** vxlan_parse_opt(): the options, or -1 after printing why not. `create` is NLM_F_CREATE. */
export function vxlanParseOpt(
  ctx: IpContext,
  argv: readonly string[],
  create: boolean,
): VxlanInfoReq | number {
  const setOp = !create;
  const attrs = new Set<string>();
  const req: { -readonly [K in keyof VxlanInfoReq]: VxlanInfoReq[K] } = {};
  let daddr: number | undefined;
  let saddr: number | undefined;
  let learning = true;
  let dstport: number | undefined;
  const checkDuparg = (type: string, key: string, arg: string): void => {
    if (attrs.has(type)) duparg2(ctx, key, arg);
    attrs.add(type);
  };
  const notImplemented = (a: string): number => {
    eprint(ctx, `vxlan: "${a}" is not implemented in netnest.\n`);
    return -1;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (matches(a, "id") || matches(a, "vni")) {
      const v = next();
      checkDuparg("id", "id", v);
      const vni = getU32(v);
      if (vni === undefined || vni >= 1 << 24) invarg(ctx, "invalid id", v);
      req.vni = vni;
    } else if (matches(a, "group") || matches(a, "remote")) {
      const group = matches(a, "group");
      if (daddr !== undefined && isMulticast(daddr) !== group) {
        eprint(ctx, "vxlan: both group and remote cannot be specified\n");
        return -1;
      }
      const v = next();
      checkDuparg("group", group ? "group" : "remote", v);
      const p = getAddr(ctx, v, 0);
      if (p.family !== AF_INET) return notImplemented(`${a} ${v}`);
      const addr = toU32(prefixBytes(p));
      if (group ? !isMulticast(addr) : isMulticast(addr) || p.bytelen === 0)
        invarg(ctx, group ? "invalid group address" : "invalid remote address", v);
      daddr = addr;
    } else if (matches(a, "local")) {
      const v = next();
      checkDuparg("local", "local", v);
      const p = getAddr(ctx, v, 0);
      if (p.family !== AF_INET) return notImplemented(`${a} ${v}`);
      const addr = toU32(prefixBytes(p));
      if (isMulticast(addr)) invarg(ctx, "invalid local address", v);
      saddr = addr;
    } else if (matches(a, "dev")) {
      const v = next();
      checkDuparg("dev", "dev", v);
      const link = sys.devNameToIndex(ctx.task, v);
      if (!link) throw new IpExit(nodev(ctx, v));
      req.link = link;
    } else if (matches(a, "ttl") || matches(a, "hoplimit")) {
      const v = next();
      checkDuparg("ttl", "ttl", v);
      if (v === "inherit") req.ttlInherit = true;
      else if (v === "auto") req.ttl = 0;
      else {
        const t = getUnsigned(v);
        if (t === undefined) invarg(ctx, "invalid TTL", v);
        if (t > 255) invarg(ctx, "TTL must be <= 255", v);
        req.ttl = t;
      }
    } else if (matches(a, "tos") || matches(a, "dsfield")) {
      const v = next();
      checkDuparg("tos", "tos", v);
      if (v === "inherit") req.tos = 1;
      else {
        // rtnl_dsfield_a2n: a hexadecimal number.
        const t = /^(0x)?[0-9a-f]+$/i.test(v) ? Number.parseInt(v.replace(/^0x/i, ""), 16) : undefined;
        if (t === undefined || t > 255) invarg(ctx, "bad TOS value", v);
        req.tos = t;
      }
    } else if (matches(a, "df")) {
      const v = next();
      checkDuparg("df", "df", v);
      if (v === "unset") req.df = 0;
      else if (v === "set") req.df = 1;
      else if (v === "inherit") req.df = 2;
      else invarg(ctx, "DF must be 'unset', 'set' or 'inherit'", v);
    } else if (matches(a, "label") || matches(a, "flowlabel")) {
      return notImplemented(a);
    } else if (matches(a, "ageing")) {
      const v = next();
      checkDuparg("ageing", "ageing", v);
      const age = v === "none" ? 0 : getU32(v);
      if (age === undefined) invarg(ctx, "ageing timer", v);
      req.ageing = age;
    } else if (matches(a, "maxaddress")) {
      const v = next();
      checkDuparg("maxaddress", "maxaddress", v);
      const max = v === "unlimited" ? 0 : getU32(v);
      if (max === undefined) invarg(ctx, "max addresses", v);
      req.limit = max;
    } else if (matches(a, "port") || matches(a, "srcport")) {
      const lo = next();
      checkDuparg("srcport", "srcport", lo);
      const low = getU16(lo);
      if (low === undefined) invarg(ctx, "min port", lo);
      const hi = next();
      const high = getU16(hi);
      if (high === undefined) invarg(ctx, "max port", hi);
      if (low || high) {
        req.portMin = low;
        req.portMax = high;
      }
    } else if (matches(a, "dstport")) {
      const v = next();
      checkDuparg("dstport", "dstport", v);
      dstport = getU16(v);
      if (dstport === undefined) invarg(ctx, "dst port", v);
    } else if (matches(a, "nolearning")) {
      checkDuparg("learning", a, a);
      learning = false;
    } else if (matches(a, "learning")) {
      checkDuparg("learning", a, a);
      learning = true;
    } else if (matches(a, "noproxy") || matches(a, "proxy")) {
      checkDuparg("proxy", a, a);
      req.proxy = !matches(a, "noproxy");
      if (req.proxy) return notImplemented(a);
    } else if (matches(a, "norsc") || matches(a, "rsc")) {
      checkDuparg("rsc", a, a);
      req.rsc = !matches(a, "norsc");
      if (req.rsc) return notImplemented(a);
    } else if (matches(a, "nol2miss") || matches(a, "l2miss")) {
      checkDuparg("l2miss", a, a);
      req.l2miss = !matches(a, "nol2miss");
      if (req.l2miss) return notImplemented(a);
    } else if (matches(a, "nol3miss") || matches(a, "l3miss")) {
      checkDuparg("l3miss", a, a);
      req.l3miss = !matches(a, "nol3miss");
      if (req.l3miss) return notImplemented(a);
    } else if (matches(a, "udpcsum")) {
      checkDuparg("udpcsum", a, a);
      req.udpCsum = true;
    } else if (matches(a, "noudpcsum")) {
      checkDuparg("udpcsum", a, a);
      req.udpCsum = false;
    } else if (matches(a, "udp6zerocsumtx") || matches(a, "noudp6zerocsumtx")) {
      checkDuparg("udp6zerocsumtx", a, a);
      req.udp6ZeroCsumTx = !a.startsWith("no");
    } else if (matches(a, "udp6zerocsumrx") || matches(a, "noudp6zerocsumrx")) {
      checkDuparg("udp6zerocsumrx", a, a);
      req.udp6ZeroCsumRx = !a.startsWith("no");
    } else if (
      matches(a, "remcsumtx") ||
      matches(a, "noremcsumtx") ||
      matches(a, "remcsumrx") ||
      matches(a, "noremcsumrx") ||
      matches(a, "external") ||
      matches(a, "noexternal") ||
      matches(a, "gbp") ||
      matches(a, "gpe") ||
      a === "vnifilter" ||
      a === "novnifilter"
    ) {
      return notImplemented(a);
    } else if (matches(a, "help")) {
      eprint(ctx, EXPLAIN);
      return -1;
    } else {
      eprint(ctx, `vxlan: unknown command "${a}"?\n`);
      eprint(ctx, EXPLAIN);
      return -1;
    }
  }
  if (!attrs.has("id") && !setOp) {
    eprint(ctx, "vxlan: missing virtual network identifier\n");
    return -1;
  }
  if (daddr !== undefined && isMulticast(daddr) && !attrs.has("dev")) {
    eprint(ctx, "vxlan: 'group' requires 'dev' to be specified\n");
    return -1;
  }
  if (!attrs.has("dstport") && !setOp) {
    eprint(
      ctx,
      "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n" +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
  }
  if (saddr !== undefined) req.local = saddr;
  if (daddr !== undefined) req.remote = daddr;
  if (!setOp || attrs.has("learning")) req.learning = learning;
  if (dstport) req.dstPort = dstport;
  return req;
}

/** vxlan_print_opt() */
export function vxlanPrintOpt(ctx: IpContext, d: Extract<LinkInfoData, { kind: "vxlan" }>): void {
  const out = ctx.out;
  out.any("id", `id ${d.vni} `, d.vni);
  if (d.remote) {
    const addr = formatInet4(
      Uint8Array.of(d.remote >>> 24, (d.remote >>> 16) & 255, (d.remote >>> 8) & 255, d.remote & 255),
    );
    if (isMulticast(d.remote)) out.any("group", `group ${addr} `, addr);
    else out.any("remote", `remote ${addr} `, addr);
  }
  if (d.local) {
    const addr = formatInet4(
      Uint8Array.of(d.local >>> 24, (d.local >>> 16) & 255, (d.local >>> 8) & 255, d.local & 255),
    );
    out.any("local", `local ${addr} `, addr);
  }
  if (d.link) {
    const name = llIndexToName(ctx, d.link);
    out.any("link", `dev ${name} `, name);
  }
  if (out.json) {
    out.openObject("port_range");
    out.js("low", d.portMin);
    out.js("high", d.portMax);
    out.closeObject();
  } else {
    out.fp(`srcport ${d.portMin} ${d.portMax} `);
  }
  out.any("port", `dstport ${d.dstPort} `, d.dstPort);
  out.js("learning", d.learning);
  if (!d.learning) out.fp("nolearning ");
  if (d.proxy) out.any("proxy", "proxy ", true);
  if (d.rsc) out.any("rsc", "rsc ", true);
  if (d.l2miss) out.any("l2miss", "l2miss ", true);
  if (d.l3miss) out.any("l3miss", "l3miss ", true);
  if (d.tos) {
    if (out.json || d.tos !== 1) out.any("tos", `tos 0x${d.tos.toString(16)} `, `0x${d.tos.toString(16)}`);
    else out.fp("tos inherit ");
  }
  if (d.ttlInherit) out.fp("ttl inherit ");
  else if (out.json || d.ttl) out.any("ttl", `ttl ${d.ttl} `, d.ttl);
  else out.fp("ttl auto ");
  if (d.df === 0) out.js("df", "unset");
  else if (d.df === 1) out.any("df", "df set ", "set");
  else if (d.df === 2) out.any("df", "df inherit ", "inherit");
  if (d.ageing === 0) out.any("ageing", "ageing none ", 0);
  else out.any("ageing", `ageing ${d.ageing} `, d.ageing);
  if (d.limit) out.any("limit", `maxaddr ${d.limit} `, d.limit);
  if (out.json) out.js("udp_csum", d.udpCsum);
  else out.fp(`${d.udpCsum ? "" : "no"}udpcsum `);
  if (out.json) out.js("udp_zero_csum6_tx", d.udp6ZeroCsumTx);
  else out.fp(`${d.udp6ZeroCsumTx ? "" : "no"}udp6zerocsumtx `);
  if (out.json) out.js("udp_zero_csum6_rx", d.udp6ZeroCsumRx);
  else out.fp(`${d.udp6ZeroCsumRx ? "" : "no"}udp6zerocsumrx `);
}
