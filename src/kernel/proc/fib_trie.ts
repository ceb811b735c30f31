// /proc/net/route (fib_route_seq_show in net/ipv4/fib_trie.c): the main table in the old
// route(8) layout, addresses as the little-endian host prints a __be32 with %08X, every line
// padded to 127 characters.
import type { FibAlias } from "../ipv4/fib_table.js";
import { fibGetTable, fibTableDump } from "../ipv4/fib_table.js";
import type { Net } from "../net_namespace.js";
import {
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_BROADCAST,
  RTN_MULTICAST,
  RTN_PROHIBIT,
  RTN_UNREACHABLE,
} from "../uapi.js";

const RTF_UP = 0x0001;
const RTF_GATEWAY = 0x0002;
const RTF_HOST = 0x0004;
const RTF_REJECT = 0x0200;

/** A __be32 holding `addr` (host order), printed by %08X on a little-endian machine. */
function be32(addr: number): string {
  const swapped =
    (((addr & 0xff) << 24) | ((addr & 0xff00) << 8) | ((addr >>> 8) & 0xff00) | (addr >>> 24)) >>> 0;
  return swapped.toString(16).toUpperCase().padStart(8, "0");
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}

/** inet_make_mask */
function makeMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** fib_flag_trans */
function fibFlagTrans(fa: FibAlias, mask: number): number {
  let flags = fa.type === RTN_UNREACHABLE || fa.type === RTN_PROHIBIT ? RTF_REJECT : 0;
  if (fa.fi.nh?.gw) flags |= RTF_GATEWAY;
  if (mask === 0xffffffff) flags |= RTF_HOST;
  return flags | RTF_UP;
}

/** seq_pad: the line is filled with spaces to 127 characters before its newline. */
function pad(line: string): string {
  return `${line.padEnd(127)}\n`;
}

/**
 * fib_route_seq_show. Without the main table the file is empty (fib_route_seq_start); while no
 * rule has been configured, creating the local table creates main with it (fib_new_table).
 */
export function fibRouteSeqShow(net: Net): string {
  const main = fibGetTable(net, RT_TABLE_MAIN);
  const merged = !net.ipv4.fibHasCustomRules && fibGetTable(net, RT_TABLE_LOCAL) !== undefined;
  if (!main && !merged) return "";
  let out = pad("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
  if (!main) return out;
  for (const fa of fibTableDump(main)) {
    if (fa.type === RTN_BROADCAST || fa.type === RTN_MULTICAST) continue;
    const mask = makeMask(fa.dstLen);
    const flags = hex4(fibFlagTrans(fa, mask));
    const nh = fa.fi.nh;
    // A route without a device (unreachable, blackhole …) prints "*". Route metrics (advmss,
    // window, rtt) are not kept: MTU, Window and IRTT print 0.
    const iface = nh?.dev.name ?? "*";
    out += pad(
      `${iface}\t${be32(fa.dst)}\t${be32(nh?.gw ?? 0)}\t${flags}\t0\t0\t${fa.fi.priority}\t${be32(mask)}\t0\t0\t0`,
    );
  }
  return out;
}
