// tc (iproute2 6.1): tc.c's options and objects, tc_qdisc.c's add/change/replace/link/del and
// show, q_fifo.c and q_prio.c's printers for the fifos and pfifo_fast, q_netem.c for netem.

import type { QdiscOptions, TcQdisc, TcQdiscReq } from "../../kernel/syscalls.js";
import * as sys from "../../kernel/syscalls.js";
import { netnsSwitch } from "../ip/ipnetns.js";
import { JsonPrinter } from "../ip/json_print.js";
import {
  asKernelError,
  eprint,
  type IpContext,
  IpExit,
  incompleteCommand,
  matches,
  newContext,
  strerror,
} from "../ip/utils.js";
import type { Proc, Program, ProgramResult } from "../program.js";
import { netemParseOpt, netemPrintJson, netemPrintOpt } from "./q_netem.js";
import { getQdiscHandle, getSize, getTcClassid, sprintSize, sprintTcClassid } from "./tc_util.js";

const USAGE =
  "Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }\n" +
  "\ttc [-force] -batch filename\n" +
  "where  OBJECT := { qdisc | class | filter | chain |\n" +
  "\t\t    action | monitor | exec }\n" +
  "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n" +
  "\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]\n" +
  "\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n" +
  "\t\t     -nm | -nam[es] | { -cf | -conf } path\n" +
  "\t\t     -br[ief] }\n";

const QDISC_USAGE =
  "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n" +
  "       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n" +
  "       [ estimator INTERVAL TIME_CONSTANT ]\n" +
  "       [ stab [ help | STAB_OPTIONS] ]\n" +
  "       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]\n" +
  "       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n" +
  "\n" +
  "       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]\n" +
  "Where:\n" +
  "QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }\n" +
  "OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help\n" +
  "STAB_OPTIONS := ... try tc qdisc add stab help\n" +
  "QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }\n";

const FIFO_USAGE = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]\n";

interface TcContext extends IpContext {
  stdout: string;
  showStats: number;
  useIec: boolean;
}

/** The qdisc_util a kind name finds: a parser, a printer, or neither (parse_noqopt / print_noqopt). */
interface QdiscUtil {
  readonly parse?: (
    ctx: TcContext,
    kind: string,
    argv: readonly string[],
  ) => QdiscOptions | undefined | "fail";
  readonly print?: (ctx: TcContext, kind: string, opt: QdiscOptions) => string;
  /** print_qopt in a JSON context (print_*(PRINT_ANY/PRINT_JSON, key, …)). */
  readonly printJson?: (ctx: TcContext, kind: string, opt: QdiscOptions) => void;
}

function fifoParse(ctx: TcContext, kind: string, argv: readonly string[]): QdiscOptions | undefined | "fail" {
  let limit: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "limit") {
      i++;
      if (i >= argv.length) incompleteCommand(ctx);
      const v = getSize(argv[i] as string);
      if (v === undefined) {
        eprint(ctx, `${kind}: Illegal value for "limit": "${argv[i]}"\n`);
        return "fail";
      }
      limit = v;
    } else if (a === "help") {
      eprint(ctx, FIFO_USAGE);
      return "fail";
    } else {
      eprint(ctx, `${kind}: unknown parameter "${a}"\n${FIFO_USAGE}`);
      return "fail";
    }
  }
  return limit === undefined ? undefined : { kind: "fifo", limit };
}

function fifoPrint(_ctx: TcContext, kind: string, opt: QdiscOptions): string {
  if (opt.kind !== "fifo") return "";
  return kind === "bfifo" ? `limit ${sprintSize(opt.limit)}` : `limit ${opt.limit >>> 0}p`;
}

function fifoPrintJson(ctx: TcContext, _kind: string, opt: QdiscOptions): void {
  if (opt.kind === "fifo") ctx.out.js("limit", opt.limit >>> 0);
}

function prioPrintJson(ctx: TcContext, _kind: string, opt: QdiscOptions): void {
  if (opt.kind !== "prio") return;
  const out = ctx.out;
  out.js("bands", opt.bands >>> 0);
  out.openArray("priomap");
  for (const p of opt.priomap) out.js(undefined, p >>> 0);
  out.closeArray();
  // No TCA_PRIO_MQ in what the kernel dumps: multiqueue is false.
  out.js("multiqueue", false);
}

function netemPrintJsonOpt(ctx: TcContext, _kind: string, opt: QdiscOptions): void {
  if (opt.kind !== "netem") return;
  const out = ctx.out;
  netemPrintJson(opt, {
    num: (key, raw) => out.anyRaw(key, "", raw),
    bool: (key, value) => out.js(key, value),
    openObject: (key) => out.openObject(key),
    closeObject: () => out.closeObject(),
  });
}

function prioPrint(_ctx: TcContext, _kind: string, opt: QdiscOptions): string {
  if (opt.kind !== "prio") return "";
  return `bands ${opt.bands} priomap${opt.priomap.map((p) => ` ${p}`).join("")}`;
}

function netemParse(ctx: TcContext, _kind: string, argv: readonly string[]): QdiscOptions | "fail" {
  const r = netemParseOpt(argv);
  if (r.ok) return r.value;
  eprint(ctx, r.err);
  if (r.incomplete) throw new IpExit(-1);
  return "fail";
}

function netemPrint(ctx: TcContext, _kind: string, opt: QdiscOptions): string {
  return opt.kind === "netem" ? netemPrintOpt(opt, ctx.useIec) : "";
}

const FIFO: QdiscUtil = { parse: fifoParse, print: fifoPrint, printJson: fifoPrintJson };

/** The q_*.c modules tc 6.1 is built with, those netnest's kernel can run or print among them. */
const QDISC_UTILS: ReadonlyMap<string, QdiscUtil> = new Map([
  ["pfifo", FIFO],
  ["bfifo", FIFO],
  ["pfifo_head_drop", FIFO],
  ["pfifo_fast", { print: prioPrint, printJson: prioPrintJson }],
  ["prio", { print: prioPrint, printJson: prioPrintJson }],
  ["netem", { parse: netemParse, print: netemPrint, printJson: netemPrintJsonOpt }],
]);

function duparg(ctx: IpContext, key: string, arg: string): never {
  eprint(ctx, `Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new IpExit(-1);
}

function invarg(ctx: IpContext, msg: string, arg: string): never {
  eprint(ctx, `Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new IpExit(-1);
}

/** rtnl_talk's report of a failed request. */
function talkError(ctx: IpContext, e: unknown): void {
  const ke = asKernelError(e);
  if (ke.extack) eprint(ctx, `Error: ${ke.extack}${ke.extack.endsWith(".") ? "" : "."}\n`);
  else eprint(ctx, `RTNETLINK answers: ${strerror(ke.errno)}\n`);
}

/** tc_qdisc_modify */
function tcQdiscModify(
  ctx: TcContext,
  kind: TcQdiscReq["kind"],
  flags: TcQdiscReq["nlFlags"],
  argv: readonly string[],
): number {
  let dev = "";
  let handle = 0;
  let parent = 0;
  let k = "";
  let util: QdiscUtil | undefined;
  let i = 0;
  const next = () => {
    i++;
    if (i >= argv.length) incompleteCommand(ctx);
    return argv[i] as string;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "dev") {
      const d = next();
      if (dev) duparg(ctx, "dev", d);
      dev = d.slice(0, 15);
    } else if (a === "handle") {
      if (handle) duparg(ctx, "handle", a);
      const h = next();
      const v = getQdiscHandle(h);
      if (v === undefined) invarg(ctx, "invalid qdisc ID", h);
      handle = v;
    } else if (a === "root") {
      if (parent) {
        eprint(ctx, 'Error: "root" is duplicate parent ID\n');
        return -1;
      }
      parent = 0xffffffff;
    } else if (a === "parent") {
      const p = next();
      if (parent) duparg(ctx, "parent", p);
      const v = getTcClassid(p);
      if (v === undefined) invarg(ctx, "invalid parent ID", p);
      parent = v;
    } else if (matches(a, "help")) {
      eprint(ctx, QDISC_USAGE);
    } else {
      k = a.slice(0, 15);
      util = QDISC_UTILS.get(k) ?? {};
      i++;
      break;
    }
  }
  const rest = argv.slice(i);
  let options: QdiscOptions | undefined;
  if (util) {
    if (util.parse) {
      const r = util.parse(ctx, k, rest);
      if (r === "fail") return 1;
      options = r;
    } else if (rest.length > 0) {
      if (QDISC_UTILS.has(k)) {
        eprint(ctx, `qdisc '${k}' does not support option parsing\n`);
        return -1;
      }
      // parse_noqopt: a kind tc has no module for takes no options.
      eprint(ctx, `Unknown qdisc "${k}", hence option "${rest[0]}" is unparsable\n`);
      return 1;
    }
  } else if (rest.length > 0) {
    if (matches(rest[0] as string, "help")) eprint(ctx, QDISC_USAGE);
    eprint(ctx, `Garbage instead of arguments "${rest[0]} ...". Try "tc qdisc help".\n`);
    return -1;
  }
  let ifindex = 0;
  if (dev) {
    ifindex = sys.devNameToIndex(ctx.task, dev);
    if (!ifindex) {
      eprint(ctx, `Cannot find device "${dev}"\n`);
      return 1;
    }
  }
  try {
    sys.rtnlQdisc(ctx.task, {
      kind,
      nlFlags: flags,
      ifindex,
      handle,
      parent,
      ...(k ? { qdiscKind: k } : {}),
      ...(options ? { options } : {}),
    });
  } catch (e) {
    talkError(ctx, e);
    return 2;
  }
  return 0;
}

/** print_qdisc in a JSON context: the same walk, the JSON keys. */
function printQdiscJson(ctx: TcContext, q: TcQdisc, filterIfindex: number): void {
  const out = ctx.out;
  out.openObject();
  out.js("kind", q.kind);
  out.js("handle", `${(q.handle >>> 16).toString(16)}:`);
  if (filterIfindex === 0) {
    // print_devname: the name ll_index_to_name finds.
    out.js("dev", sys.rtnlGetLink(ctx.task, q.ifindex)[0]?.ifname ?? `if${q.ifindex}`);
  }
  if (q.parent === 0xffffffff) out.js("root", true);
  else if (q.parent) out.js("parent", sprintTcClassid(q.parent));
  if (q.refcnt !== 1) out.js("refcnt", q.refcnt >>> 0);
  const util = QDISC_UTILS.get(q.kind === "pfifo_fast" ? "prio" : q.kind);
  out.openObject("options");
  if (q.options) {
    if (util?.printJson) util.printJson(ctx, q.kind, q.options);
    else eprint(ctx, "Cannot parse qdisc parameters\n");
  }
  out.closeObject();
  if (ctx.showStats) {
    // print_tcstats2_attr: TCA_STATS_BASIC, then TCA_STATS_QUEUE.
    const st = q.stats;
    out.js("bytes", st.bytes);
    out.js("packets", st.packets);
    out.js("drops", st.drops);
    out.js("overlimits", st.overlimits);
    out.js("requeues", st.requeues);
    out.js("backlog", st.backlog);
    out.js("qlen", st.qlen);
  }
  out.closeObject();
}

/** print_qdisc */
function printQdisc(ctx: TcContext, q: TcQdisc, filterIfindex: number): string {
  let s = `qdisc ${q.kind} ${(q.handle >>> 16).toString(16)}: `;
  if (filterIfindex === 0) {
    const name = sys.rtnlGetLink(ctx.task, q.ifindex)[0]?.ifname ?? `if${q.ifindex}`;
    s += `dev ${name} `;
  }
  if (q.parent === 0xffffffff) s += "root ";
  else if (q.parent) s += `parent ${sprintTcClassid(q.parent)} `;
  if (q.refcnt !== 1) s += `refcnt ${q.refcnt} `;
  const util = QDISC_UTILS.get(q.kind === "pfifo_fast" ? "prio" : q.kind);
  if (q.options) {
    if (util?.print) s += util.print(ctx, q.kind, q.options);
    else eprint(ctx, "Cannot parse qdisc parameters\n");
  }
  s += "\n";
  if (ctx.showStats) {
    const st = q.stats;
    s += ` Sent ${st.bytes} bytes ${st.packets} pkt (dropped ${st.drops}, overlimits ${st.overlimits} requeues ${st.requeues}) \n`;
    s += ` backlog ${sprintSize(st.backlog)} ${st.qlen}p requeues ${st.requeues}\n`;
  }
  return s;
}

/** tc_qdisc_list */
function tcQdiscList(ctx: TcContext, argv: readonly string[]): number {
  let dev = "";
  let filterParent = 0;
  let filterHandle = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = () => {
      i++;
      if (i >= argv.length) incompleteCommand(ctx);
      return argv[i] as string;
    };
    if (a === "dev") {
      dev = next();
    } else if (
      a === "root" ||
      a === "ingress" ||
      a === "clsact" ||
      matches(a, "parent") ||
      matches(a, "handle")
    ) {
      if (filterParent) invarg(ctx, "parent is already specified", a);
      if (filterHandle) invarg(ctx, "handle is already specified", a);
      if (a === "root") filterParent = 0xffffffff;
      else if (a === "ingress" || a === "clsact") filterParent = 0xfffffff1;
      else if (matches(a, "parent")) {
        const p = next();
        const v = getTcClassid(p);
        if (v === undefined) invarg(ctx, "invalid parent ID", p);
        filterParent = v;
      } else {
        const h = next();
        const v = getQdiscHandle(h);
        if (v === undefined) invarg(ctx, "invalid handle ID", h);
        filterHandle = v;
      }
    } else if (matches(a, "help")) {
      eprint(ctx, QDISC_USAGE);
    } else if (a === "invisible") {
      // netem's tfifo and the fifos are never separate qdiscs here: nothing more to show.
    } else {
      eprint(ctx, `What is "${a}"? Try "tc qdisc help".\n`);
      return -1;
    }
  }
  let filterIfindex = 0;
  if (dev) {
    filterIfindex = sys.devNameToIndex(ctx.task, dev);
    if (!filterIfindex) {
      eprint(ctx, `Cannot find device "${dev}"\n`);
      return 1;
    }
  }
  ctx.out.newJsonObj();
  for (const q of sys.rtnlGetQdiscs(ctx.task)) {
    if (filterIfindex && q.ifindex !== filterIfindex) continue;
    if (filterHandle && q.handle !== filterHandle) continue;
    if (filterParent && q.parent !== filterParent) continue;
    if (ctx.out.json) printQdiscJson(ctx, q, filterIfindex);
    else ctx.stdout += printQdisc(ctx, q, filterIfindex);
  }
  ctx.out.deleteJsonObj();
  ctx.stdout += ctx.out.text;
  ctx.out.text = "";
  return 0;
}

/** do_qdisc */
function doQdisc(ctx: TcContext, argv: readonly string[]): number {
  if (argv.length < 1) return tcQdiscList(ctx, []);
  const cmd = argv[0] as string;
  const rest = argv.slice(1);
  if (matches(cmd, "add")) return tcQdiscModify(ctx, "RTM_NEWQDISC", { excl: true, create: true }, rest);
  if (matches(cmd, "change")) return tcQdiscModify(ctx, "RTM_NEWQDISC", {}, rest);
  if (matches(cmd, "replace"))
    return tcQdiscModify(ctx, "RTM_NEWQDISC", { create: true, replace: true }, rest);
  if (matches(cmd, "link")) return tcQdiscModify(ctx, "RTM_NEWQDISC", { replace: true }, rest);
  if (matches(cmd, "delete")) return tcQdiscModify(ctx, "RTM_DELQDISC", {}, rest);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return tcQdiscList(ctx, rest);
  if (matches(cmd, "help")) {
    eprint(ctx, QDISC_USAGE);
    return 0;
  }
  eprint(ctx, `Command "${cmd}" is unknown, try "tc qdisc help".\n`);
  return -1;
}

/** do_cmd: the objects other than qdisc need classful qdiscs and classifiers this kernel lacks. */
function doCmd(ctx: TcContext, argv: readonly string[]): number {
  const obj = argv[0] as string;
  if (matches(obj, "qdisc")) return doQdisc(ctx, argv.slice(1));
  if (matches(obj, "help")) {
    eprint(ctx, USAGE);
    return 0;
  }
  eprint(ctx, `Object "${obj}" is unknown, try "tc help".\n`);
  return -1;
}

async function tcMain(ctx: TcContext, argvIn: readonly string[]): Promise<number> {
  let argv = argvIn.slice(1);
  let json = false;
  let pretty = false;
  while (argv.length > 0) {
    const opt = argv[0] as string;
    if (opt[0] !== "-") break;
    if (matches(opt, "-stats") || matches(opt, "-statistics")) ctx.showStats++;
    else if (matches(opt, "-details")) ctx.details++;
    else if (matches(opt, "-raw") || matches(opt, "-graph")) {
      // Only graphs and raw handles use these.
    } else if (matches(opt, "-pretty")) pretty = true;
    else if (matches(opt, "-Version")) {
      ctx.stdout += "tc utility, iproute2-6.1.0, libbpf 1.1.2\n";
      return 0;
    } else if (matches(opt, "-iec")) ctx.useIec = true;
    else if (matches(opt, "-help")) {
      eprint(ctx, USAGE);
      return 0;
    } else if (matches(opt, "-force")) {
      // Only batch mode uses it.
    } else if (matches(opt, "-netns")) {
      argv = argv.slice(1);
      if (argv.length < 1) incompleteCommand(ctx);
      if (!netnsSwitch(ctx, argv[0] as string)) return -1;
    } else if (matches(opt, "-json")) json = true;
    else if (
      matches(opt, "-Numeric") ||
      matches(opt, "-timestamp") ||
      matches(opt, "-tshort") ||
      matches(opt, "-oneline") ||
      matches(opt, "-brief")
    ) {
      // No effect on qdisc lines.
    } else {
      eprint(ctx, `Option "${opt}" is unknown, try "tc -help".\n`);
      return -1;
    }
    argv = argv.slice(1);
  }
  if (argv.length < 1) {
    eprint(ctx, USAGE);
    return 0;
  }
  ctx.json = json;
  ctx.out = new JsonPrinter(json, "\n", pretty);
  return doCmd(ctx, argv);
}

export const tc: Program = async (argv: readonly string[], proc: Proc): Promise<ProgramResult> => {
  const ctx: TcContext = { ...newContext(proc), stdout: "", showStats: 0, useIec: false };
  let code: number;
  try {
    code = await tcMain(ctx, argv);
  } catch (e) {
    if (!(e instanceof IpExit)) throw e;
    code = e.code;
  } finally {
    if (ctx.task !== proc.task) sys.taskExit(ctx.task);
  }
  return { stdout: ctx.stdout, stderr: ctx.err, exitCode: code & 0xff };
};
