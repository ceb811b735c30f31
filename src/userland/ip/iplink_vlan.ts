// ip/iplink_vlan.c: `type vlan` options and their `-d` details.

import type { LinkInfoData, VlanInfoReq } from "../../kernel/syscalls.js";
import { eprint, getUnsigned, type IpContext, incompleteCommand, invarg, matches } from "./utils.js";

/** get_u16() */
export function getU16(arg: string): number | undefined {
  const v = getUnsigned(arg);
  return v !== undefined && v <= 0xffff ? v : undefined;
}

const VLAN_FLAG_REORDER_HDR = 0x1;
const VLAN_FLAG_GVRP = 0x2;
const VLAN_FLAG_LOOSE_BINDING = 0x4;
const VLAN_FLAG_MVRP = 0x8;
const VLAN_FLAG_BRIDGE_BINDING = 0x10;

const EXPLAIN = `Usage: ... vlan id VLANID
		[ protocol VLANPROTO ]
		[ reorder_hdr { on | off } ]
		[ gvrp { on | off } ]
		[ mvrp { on | off } ]
		[ loose_binding { on | off } ]
		[ bridge_binding { on | off } ]
		[ ingress-qos-map QOS-MAP ]
		[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO
`;

/** ll_proto_a2n() for the two VLAN protocols (and numbers). */
function llProtoA2n(arg: string): number | undefined {
  const lower = arg.toLowerCase();
  if (lower === "802.1q") return 0x8100;
  if (lower === "802.1ad") return 0x88a8;
  if (lower === "ip") return 0x0800;
  if (lower === "arp") return 0x0806;
  return getU16(arg);
}

/** ll_proto_n2a() */
function llProtoN2a(proto: number): string {
  if (proto === 0x8100) return "802.1Q";
  if (proto === 0x88a8) return "802.1ad";
  return `[${proto}]`;
}

/** vlan_parse_opt(): the options, or -1 after printing why not. */
export function vlanParseOpt(ctx: IpContext, argv: readonly string[]): VlanInfoReq | number {
  let id: number | undefined;
  let protocol: number | undefined;
  let flags = 0;
  let mask = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    const onOff = (name: string, flag: number): boolean => {
      const v = next();
      mask |= flag;
      if (v === "on") flags |= flag;
      else if (v === "off") flags &= ~flag;
      else {
        eprint(ctx, `Error: argument of "${name}" must be "on" or "off", not "${v}"\n`);
        return false;
      }
      return true;
    };
    if (matches(a, "protocol")) {
      const v = next();
      protocol = llProtoA2n(v);
      if (protocol === undefined) invarg(ctx, "protocol is invalid", v);
    } else if (matches(a, "id")) {
      const v = next();
      id = getU16(v);
      if (id === undefined) invarg(ctx, "id is invalid", v);
    } else if (matches(a, "reorder_hdr")) {
      if (!onOff("reorder_hdr", VLAN_FLAG_REORDER_HDR)) return -1;
    } else if (matches(a, "gvrp")) {
      if (!onOff("gvrp", VLAN_FLAG_GVRP)) return -1;
    } else if (matches(a, "mvrp")) {
      if (!onOff("mvrp", VLAN_FLAG_MVRP)) return -1;
    } else if (matches(a, "loose_binding")) {
      if (!onOff("loose_binding", VLAN_FLAG_LOOSE_BINDING)) return -1;
    } else if (matches(a, "bridge_binding")) {
      if (!onOff("bridge_binding", VLAN_FLAG_BRIDGE_BINDING)) return -1;
    } else if (matches(a, "ingress-qos-map") || matches(a, "egress-qos-map")) {
      eprint(ctx, `vlan: "${a}" is not implemented in netnest.\n`);
      return -1;
    } else if (matches(a, "help")) {
      eprint(ctx, EXPLAIN);
      return -1;
    } else {
      eprint(ctx, `vlan: unknown command "${a}"?\n`);
      eprint(ctx, EXPLAIN);
      return -1;
    }
  }
  return {
    ...(id !== undefined ? { id } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    ...(mask ? { flags: { flags, mask } } : {}),
  };
}

/** vlan_print_flags() */
function vlanPrintFlags(ctx: IpContext, flagsIn: number): void {
  const out = ctx.out;
  let flags = flagsIn;
  out.openArray(out.json ? "flags" : undefined);
  if (!out.json) out.fp("<");
  const names: readonly [number, string][] = [
    [VLAN_FLAG_REORDER_HDR, "REORDER_HDR"],
    [VLAN_FLAG_GVRP, "GVRP"],
    [VLAN_FLAG_MVRP, "MVRP"],
    [VLAN_FLAG_LOOSE_BINDING, "LOOSE_BINDING"],
    [VLAN_FLAG_BRIDGE_BINDING, "BRIDGE_BINDING"],
  ];
  for (const [bit, name] of names) {
    if (!(flags & bit)) continue;
    flags &= ~bit;
    out.any(undefined, flags ? `${name},` : name, name);
  }
  if (flags) out.any(undefined, flags.toString(16), flags.toString(16));
  out.closeArray();
  if (!out.json) out.fp("> ");
}

/** vlan_print_opt() */
export function vlanPrintOpt(ctx: IpContext, d: Extract<LinkInfoData, { kind: "vlan" }>): void {
  const out = ctx.out;
  const proto = llProtoN2a(d.protocol);
  out.any("protocol", `protocol ${proto} `, proto);
  out.any("id", `id ${d.id} `, d.id);
  vlanPrintFlags(ctx, d.flags);
}
