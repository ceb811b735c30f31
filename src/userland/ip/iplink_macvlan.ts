// ip/iplink_macvlan.c: `type macvlan` options and their `-d` details.

import type { LinkInfoData, MacvlanInfoReq } from "../../kernel/syscalls.js";
import { eprint, getU32, type IpContext, IpExit, incompleteCommand, llAddrA2n, matches } from "./utils.js";

const MACVLAN_MODE_PRIVATE = 1;
const MACVLAN_MODE_VEPA = 2;
const MACVLAN_MODE_BRIDGE = 4;
const MACVLAN_MODE_PASSTHRU = 8;
const MACVLAN_MODE_SOURCE = 16;
const MACVLAN_FLAG_NOPROMISC = 1;
const MACVLAN_FLAG_NODST = 2;
const MACVLAN_MACADDR_ADD = 0;
const MACVLAN_MACADDR_DEL = 1;
const MACVLAN_MACADDR_FLUSH = 2;
const MACVLAN_MACADDR_SET = 3;

const EXPLAIN = `Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]

MODE: private | vepa | bridge | passthru | source
MODE_FLAG: null | nopromisc | nodst
MODE_OPTS: for mode "source":
\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }
BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]
`;

/** macvlan_parse_opt(): the options, or -1 after printing why not. */
export function macvlanParseOpt(ctx: IpContext, argv: readonly string[]): MacvlanInfoReq | number {
  let mode = 0;
  let flags = 0;
  let hasFlags = false;
  let bcQueueLen: number | undefined;
  // The attributes as iproute2 appends them: a later `macaddr` overrides an earlier one.
  let macaddrMode: number | undefined;
  let macaddr: Uint8Array | undefined;
  let macaddrData: Uint8Array[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) incompleteCommand(ctx);
      return v;
    };
    if (matches(a, "mode")) {
      const v = next();
      if (v === "private") mode = MACVLAN_MODE_PRIVATE;
      else if (v === "vepa") mode = MACVLAN_MODE_VEPA;
      else if (v === "bridge") mode = MACVLAN_MODE_BRIDGE;
      else if (v === "passthru") mode = MACVLAN_MODE_PASSTHRU;
      else if (v === "source") mode = MACVLAN_MODE_SOURCE;
      else {
        eprint(
          ctx,
          `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"\n`,
        );
        return -1;
      }
    } else if (matches(a, "flag")) {
      const v = next();
      if (v === "nopromisc") flags |= MACVLAN_FLAG_NOPROMISC;
      else if (v === "nodst") flags |= MACVLAN_FLAG_NODST;
      else if (v !== "null") {
        eprint(ctx, `Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${v}"\n`);
        return -1;
      }
      hasFlags = true;
    } else if (matches(a, "macaddr")) {
      const m = next();
      if (m === "add") macaddrMode = MACVLAN_MACADDR_ADD;
      else if (m === "del") macaddrMode = MACVLAN_MACADDR_DEL;
      else if (m === "set") macaddrMode = MACVLAN_MACADDR_SET;
      else if (m === "flush") macaddrMode = MACVLAN_MACADDR_FLUSH;
      else {
        eprint(ctx, EXPLAIN);
        return -1;
      }
      if (macaddrMode === MACVLAN_MACADDR_ADD || macaddrMode === MACVLAN_MACADDR_DEL) {
        const mac = llAddrA2n(ctx, next(), 6);
        if (mac?.length !== 6) return -1;
        macaddr = mac;
      }
      if (macaddrMode === MACVLAN_MACADDR_SET) {
        // Addresses up to the first word that is not one (ll_addr_a2n has said so), which is
        // then parsed as an option.
        macaddrData = [];
        while (i + 1 < argv.length) {
          const mac = llAddrA2n(ctx, argv[i + 1] as string, 6);
          if (mac?.length !== 6) break;
          macaddrData.push(mac);
          i++;
        }
      }
    } else if (matches(a, "nopromisc")) {
      flags |= MACVLAN_FLAG_NOPROMISC;
      hasFlags = true;
    } else if (matches(a, "nodst")) {
      flags |= MACVLAN_FLAG_NODST;
      hasFlags = true;
    } else if (matches(a, "bcqueuelen")) {
      const v = next();
      const n = getU32(v);
      if (n === undefined) {
        eprint(
          ctx,
          `Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"\n`,
        );
        return -1;
      }
      bcQueueLen = n;
    } else if (matches(a, "help")) {
      eprint(ctx, EXPLAIN);
      return -1;
    } else {
      eprint(ctx, `macvlan: unknown option "${a}"?\n`);
      eprint(ctx, EXPLAIN);
      return -1;
    }
  }
  if (hasFlags && flags & MACVLAN_FLAG_NOPROMISC && mode !== MACVLAN_MODE_PASSTHRU) {
    eprint(ctx, "macvlan: nopromisc flag only valid in passthru mode\n");
    eprint(ctx, EXPLAIN);
    return -1;
  }
  return {
    ...(mode ? { mode } : {}),
    ...(hasFlags ? { flags } : {}),
    ...(bcQueueLen !== undefined ? { bcQueueLen } : {}),
    ...(macaddrMode !== undefined ? { macaddrMode } : {}),
    ...(macaddr ? { macaddr } : {}),
    ...(macaddrData ? { macaddrData } : {}),
  };
}

export function macvlanUsage(ctx: IpContext): never {
  eprint(ctx, EXPLAIN);
  throw new IpExit(-1);
}

const MODE_NAMES: Readonly<Record<number, string>> = {
  [MACVLAN_MODE_PRIVATE]: "private",
  [MACVLAN_MODE_VEPA]: "vepa",
  [MACVLAN_MODE_BRIDGE]: "bridge",
  [MACVLAN_MODE_PASSTHRU]: "passthru",
  [MACVLAN_MODE_SOURCE]: "source",
};

/** macvlan_print_opt() */
export function macvlanPrintOpt(ctx: IpContext, d: Extract<LinkInfoData, { kind: "macvlan" }>): void {
  const out = ctx.out;
  const mode = MODE_NAMES[d.mode] ?? "unknown";
  out.any("mode", `mode ${mode} `, mode);
  if (d.flags & MACVLAN_FLAG_NOPROMISC) out.any("nopromisc", "nopromisc ", true);
  if (d.flags & MACVLAN_FLAG_NODST) out.any("nodst", "nodst ", true);
  out.any("bcqueuelen", `bcqueuelen ${d.bcQueueLen} `, d.bcQueueLen);
  out.any("usedbcqueuelen", `usedbcqueuelen ${d.bcQueueLenUsed} `, d.bcQueueLenUsed);
  if (d.mode !== MACVLAN_MODE_SOURCE) return;
  out.any("macaddr_count", `remotes (${d.macaddrCount}) `, d.macaddrCount);
  if (d.macaddrData.length === 0) return;
  const hex = (a: Uint8Array) => Array.from(a, (b) => b.toString(16).padStart(2, "0")).join(":");
  if (out.json) {
    out.openArray("macaddr_data");
    for (const a of d.macaddrData) out.any(undefined, "", hex(a));
    out.closeArray();
  } else for (const a of d.macaddrData) out.fp(`${hex(a)} `);
}
