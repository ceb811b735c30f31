// ip/ip.c: global options, the object table, and exit statuses (do_cmd() negates what the object
// handler returns; exit(-1) is status 255).

import * as sys from "../../kernel/syscalls.js";
import { AF_INET, AF_INET6 } from "../../kernel/syscalls.js";
import type { Proc, Program, ProgramResult } from "../program.js";
import { doIpaddr } from "./ipaddress.js";
import { doIplink } from "./iplink.js";
import { doIpmaddr } from "./ipmaddr.js";
import { doIpmonitor } from "./ipmonitor.js";
import { doIpneigh } from "./ipneigh.js";
import { doNetns, netnsSwitch } from "./ipnetns.js";
import { doIpntable } from "./ipntable.js";
import { doIproute } from "./iproute.js";
import { doIprule } from "./iprule.js";
import { JsonPrinter } from "./json_print.js";
import {
  AF_PACKET,
  AF_UNSPEC,
  eprint,
  type IpContext,
  IpExit,
  matches,
  newContext,
  strerror,
} from "./utils.js";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

function usage(ctx: IpContext): never {
  eprint(ctx, USAGE);
  throw new IpExit(-1);
}

type ObjectHandler = (ctx: IpContext, argv: readonly string[]) => number | Promise<number>;

/** The cmds[] table of ip.c, in its order (prefix matching takes the first hit). */
const OBJECTS: readonly (readonly [string, ObjectHandler | undefined])[] = [
  ["address", doIpaddr],
  ["addrlabel", undefined],
  ["maddress", doIpmaddr],
  ["route", doIproute],
  ["rule", doIprule],
  ["neighbor", doIpneigh],
  ["neighbour", doIpneigh],
  ["ntable", doIpntable],
  ["ntbl", doIpntable],
  ["link", doIplink],
  ["l2tp", undefined],
  ["fou", undefined],
  ["ila", undefined],
  ["macsec", undefined],
  ["tunnel", undefined],
  ["tunl", undefined],
  ["tuntap", undefined],
  ["tap", undefined],
  ["token", undefined],
  ["tcpmetrics", undefined],
  ["tcp_metrics", undefined],
  ["monitor", doIpmonitor],
  ["xfrm", undefined],
  ["mroute", undefined],
  ["mrule", undefined],
  ["netns", doNetns],
  ["netconf", undefined],
  ["vrf", undefined],
  ["sr", undefined],
  ["nexthop", undefined],
  ["mptcp", undefined],
  ["ioam", undefined],
  ["help", (ctx) => usage(ctx)],
  ["stats", undefined],
];

function readFamily(name: string): number {
  switch (name) {
    case "inet":
      return AF_INET;
    case "inet6":
      return AF_INET6;
    case "link":
      return AF_PACKET;
    default:
      return AF_UNSPEC;
  }
}

async function ipMain(ctx: IpContext, argvIn: readonly string[]): Promise<number> {
  let argv = argvIn.slice(1);
  let json = false;
  let oneline = false;
  let pretty = false;
  let batchFile: string | undefined;
  let force = false;
  while (argv.length > 0) {
    let opt = argv[0] ?? "";
    if (opt === "--") {
      argv = argv.slice(1);
      break;
    }
    if (opt[0] !== "-") break;
    if (opt[1] === "-") opt = opt.slice(1);
    if (matches(opt, "-loops")) {
      argv = argv.slice(1);
      if (argv.length < 1) usage(ctx);
    } else if (matches(opt, "-family")) {
      argv = argv.slice(1);
      if (argv.length < 1) usage(ctx);
      const fam = argv[0] ?? "";
      if (fam === "help") usage(ctx);
      ctx.preferredFamily = readFamily(fam);
      if (ctx.preferredFamily === AF_UNSPEC) {
        eprint(ctx, `Error: argument "${fam}" is wrong: invalid protocol family\n`);
        throw new IpExit(-1);
      }
    } else if (opt === "-4") {
      ctx.preferredFamily = AF_INET;
    } else if (opt === "-6") {
      ctx.preferredFamily = AF_INET6;
    } else if (opt === "-0") {
      ctx.preferredFamily = AF_PACKET;
    } else if (opt === "-M" || opt === "-B") {
      // AF_MPLS / AF_BRIDGE: netnest has neither MPLS routes nor bridge-family dumps.
      eprint(ctx, `netnest: ip ${opt}: the ${opt === "-M" ? "MPLS" : "bridge"} family is not implemented\n`);
      throw new IpExit(-1);
    } else if (matches(opt, "-human") || matches(opt, "-human-readable") || matches(opt, "-iec")) {
      // Only statistics use these.
    } else if (matches(opt, "-stats") || matches(opt, "-statistics")) {
      ctx.stats++;
    } else if (matches(opt, "-details")) {
      ctx.details++;
    } else if (matches(opt, "-resolve")) {
      // Addresses are printed numerically either way here: there is no resolver.
    } else if (matches(opt, "-oneline")) {
      oneline = true;
    } else if (matches(opt, "-timestamp")) {
      ctx.timestamp ??= 1;
    } else if (matches(opt, "-tshort")) {
      ctx.timestamp = 2;
    } else if (matches(opt, "-Version")) {
      ctx.out.text += "ip utility, iproute2-6.1.0, libbpf 1.1.2\n";
      return 0;
    } else if (matches(opt, "-force")) {
      force = true;
    } else if (matches(opt, "-batch")) {
      argv = argv.slice(1);
      if (argv.length < 1) usage(ctx);
      batchFile = argv[0];
    } else if (opt === "-echo") {
      ctx.echo = true;
    } else if (matches(opt, "-brief")) {
      ctx.brief = true;
    } else if (matches(opt, "-json")) {
      json = true;
    } else if (matches(opt, "-pretty")) {
      pretty = true;
    } else if (matches(opt, "-rcvbuf")) {
      argv = argv.slice(1);
      if (argv.length < 1) usage(ctx);
      // The socket's receive buffer: netnest's rtnetlink sockets never overrun, so only the
      // number is checked (get_unsigned).
      const size = argv[0] ?? "";
      if (!/^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(size) || Number(size) > 0xffffffff) {
        eprint(ctx, `Invalid rcvbuf size '${size}'\n`);
        throw new IpExit(-1);
      }
    } else if (matches(opt, "-help")) {
      usage(ctx);
    } else if (matches(opt, "-netns")) {
      argv = argv.slice(1);
      if (argv.length < 1) {
        eprint(ctx, 'Command line is not complete. Try option "help"\n');
        throw new IpExit(-1);
      }
      if (!netnsSwitch(ctx, argv[0] ?? "")) throw new IpExit(-1);
    } else if (matches(opt, "-Numeric")) {
      // Names are printed from the built-in tables either way.
    } else if (matches(opt, "-all")) {
      // do_all: only `ip netns exec` and `ip netns delete` look at it.
      ctx.doAll = true;
    } else {
      eprint(ctx, `Option "${opt}" is unknown, try "ip -help".\n`);
      throw new IpExit(-1);
    }
    argv = argv.slice(1);
  }
  ctx.oneline = oneline;
  ctx.json = json;
  ctx.out = new JsonPrinter(json, oneline ? "\\" : "\n", pretty);

  if (batchFile !== undefined) return batch(ctx, batchFile, force);
  const object = argv[0];
  if (object === undefined) usage(ctx);
  return doCmd(ctx, argv);
}

/** do_cmd(): find the object and run its handler. */
async function doCmd(ctx: IpContext, argv: readonly string[]): Promise<number> {
  const object = argv[0] ?? "";
  for (const [name, handler] of OBJECTS) {
    if (!matches(object, name)) continue;
    if (!handler) {
      eprint(ctx, `Object "${object}" is not implemented in netnest.\n`);
      return -1;
    }
    return -(await handler(ctx, argv.slice(1)));
  }
  eprint(ctx, `Object "${object}" is unknown, try "ip help".\n`);
  return 1;
}

/** The `ip` program. */
export const ip: Program = async (argv: readonly string[], proc: Proc): Promise<ProgramResult> => {
  const ctx = newContext(proc);
  let code: number;
  try {
    code = await ipMain(ctx, argv);
  } catch (e) {
    if (!(e instanceof IpExit)) throw e;
    code = e.code;
  } finally {
    // exit(): a task made by setns (ip -n, ip netns exec) lets go of its namespace.
    if (ctx.task !== proc.task) sys.taskExit(ctx.task);
  }
  return { stdout: ctx.out.text, stderr: ctx.err, exitCode: code & 0xff };
};

/** getcmdline(): logical lines (a trailing backslash continues one), comments cut at '#'. */
function* batchLines(text: string): Generator<{ readonly line: string; readonly lineno: number }> {
  let pending = "";
  let lineno = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const raw = text.slice(at, end);
    at = end + 1;
    lineno++;
    if (raw.endsWith("\\")) {
      pending += raw.slice(0, -1);
      continue;
    }
    const whole = pending + raw;
    pending = "";
    const hash = whole.indexOf("#");
    yield { line: hash >= 0 ? whole.slice(0, hash) : whole, lineno };
  }
}

/** The blanks makeargs splits on: space, tab, CR, LF. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** makeargs(): words split on blanks; a word opening with a quote runs to the matching quote. */
function makeargs(ctx: IpContext, line: string): string[] {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i >= line.length) return args;
    const c = line[i] as string;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) {
        eprint(ctx, "Unterminated quoted string\n");
        throw new IpExit(1);
      }
      args.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !isBlank(line.charCodeAt(end))) end++;
      args.push(line.slice(i, end));
      i = end + 1;
    }
  }
}

/** batch(): one command per line of FILE ("-" is standard input); -force keeps going after a failure. */
async function batch(ctx: IpContext, name: string, force: boolean): Promise<number> {
  let text: string;
  if (name === "-") text = ctx.proc.stdin;
  else {
    try {
      text = await ctx.proc.readFile(name);
    } catch (e) {
      // just-bash's filesystems put the errno in `code` or at the head of the message.
      const code =
        (e as { code?: string }).code ?? /^E[A-Z]+/.exec(String((e as Error).message))?.[0] ?? "EIO";
      eprint(ctx, `Cannot open file "${name}" for reading: ${strerror(code as sys.Errno)}\n`);
      return 1;
    }
  }
  let ret = 0;
  for (const { line, lineno } of batchLines(text)) {
    const args = makeargs(ctx, line);
    if (args.length === 0) continue;
    ctx.links = undefined;
    if ((await doCmd(ctx, args)) !== 0) {
      eprint(ctx, `Command failed ${name}:${lineno}\n`);
      ret = 1;
      if (!force) break;
    }
  }
  return ret;
}
