// tc/q_netem.c (iproute2 6.1): netem's option parser and printer.
import type { NetemOptions } from "../../kernel/syscalls.js";
import { distPath, netemDistribution } from "./netem_dist.js";
import {
  formatG,
  getPercent,
  getRate64,
  getSize,
  getTime,
  getTime64,
  parsePercent,
  setPercent,
  sprintRate,
  sprintTicks,
  sprintTime64,
  tick2time,
  time2big,
  time2tick,
  UINT32_MAX,
} from "./tc_util.js";

export const NETEM_USAGE =
  "Usage: ... netem [ limit PACKETS ]\n" +
  "                 [ delay TIME [ JITTER [CORRELATION]]]\n" +
  "                 [ distribution {uniform|normal|pareto|paretonormal} ]\n" +
  "                 [ corrupt PERCENT [CORRELATION]]\n" +
  "                 [ duplicate PERCENT [CORRELATION]]\n" +
  "                 [ loss random PERCENT [CORRELATION]]\n" +
  "                 [ loss state P13 [P31 [P32 [P23 P14]]]\n" +
  "                 [ loss gemodel PERCENT [R [1-H [1-K]]]\n" +
  "                 [ ecn ]\n" +
  "                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]\n" +
  "                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]\n" +
  "                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]\n" +
  "                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}\n" +
  "                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]\n";

/** What a parser reports: the options, or the exit path tc takes (stderr text, incomplete command). */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly err: string; readonly incomplete?: boolean };

class ParseFail extends Error {
  constructor(
    readonly text: string,
    readonly incomplete = false,
  ) {
    super(text);
  }
}

/** matches(): `arg` a non-empty prefix of `word`. */
function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

const isDigit = (s: string | undefined) => s !== undefined && /^[0-9]/.test(s);

/** get_s32 / get_u32 with base 0 (strtol's prefixes). */
function getInt(str: string, signed: boolean): number | undefined {
  const m = /^[ \t]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(str);
  if (!m) return undefined;
  const body = m[2] as string;
  const v =
    body.startsWith("0x") || body.startsWith("0X")
      ? Number.parseInt(body.slice(2), 16)
      : body.length > 1 && body[0] === "0"
        ? Number.parseInt(body, 8)
        : Number(body);
  const val = m[1] === "-" ? -v : v;
  if (signed) return val >= -0x80000000 && val <= 0x7fffffff ? val : undefined;
  if (val < 0) return val >= -0xffffffff ? val >>> 0 : undefined;
  return val <= 0xffffffff ? val : undefined;
}

/** netem_parse_opt */
export function netemParseOpt(argv: readonly string[]): ParseResult<NetemOptions> {
  try {
    return { ok: true, value: parse(argv) };
  } catch (e) {
    if (e instanceof ParseFail) return { ok: false, err: e.text, incomplete: e.incomplete };
    throw e;
  }
}

function parse(args: readonly string[]): NetemOptions {
  const explain1 = (arg: string): never => {
    throw new ParseFail(`Illegal "${arg}"\n`);
  };
  const fail = (text: string): never => {
    throw new ParseFail(text);
  };
  const qopt = { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0 };
  const cor = { delayCorr: 0, lossCorr: 0, dupCorr: 0 };
  const reorder = { probability: 0, correlation: 0 };
  const corrupt = { probability: 0, correlation: 0 };
  const rate = { rate: 0, packetOverhead: 0, cellSize: 0, cellOverhead: 0 };
  const slot = { minDelay: 0, maxDelay: 0, maxPackets: 0, maxBytes: 0, distDelay: 0, distJitter: 0 };
  let gimodel: NetemOptions["gimodel"];
  let gemodel: NetemOptions["gemodel"];
  let lossType: "unspec" | "gi" | "ge" = "unspec";
  let presentCorr = false;
  let presentReorder = false;
  let presentCorrupt = false;
  let presentEcn = false;
  let presentRate = false;
  let presentSlot = false;
  let distData: Int16Array | undefined;
  let rate64 = 0;

  let i = 0;
  const nextArg = (): string => {
    i++;
    if (i >= args.length) throw new ParseFail('Command line is not complete. Try option "help"\n', true);
    return args[i] as string;
  };
  const nextIsNumber = () => i + 1 < args.length && isDigit(args[i + 1]);
  const nextIsSignedNumber = () =>
    i + 1 < args.length && (isDigit(args[i + 1]) || (args[i + 1] as string).startsWith("-"));
  const ticks = (str: string, what: string): number => {
    const t = getTime(str);
    if (t === undefined) return explain1(what);
    if (time2big(t)) fail(`Illegal ${t} time (too large)\n${`Illegal "${what}"\n`}`);
    return time2tick(t);
  };
  const percent = (str: string, what: string): number => getPercent(str) ?? explain1(what);
  const rawPercent = (str: string, what: string): number => {
    const p = parsePercent(str);
    return p.code === 0 ? p.value : explain1(what);
  };
  const distribution = (name: string): Int16Array => {
    const table = netemDistribution(name);
    if (!table) fail(`No distribution data for ${name} (${distPath(name)}: No such file or directory)\n`);
    return table as Int16Array;
  };

  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (matches(arg, "limit")) {
      qopt.limit = getSize(nextArg()) ?? explain1("limit");
    } else if (matches(arg, "latency") || matches(arg, "delay")) {
      qopt.latency = ticks(nextArg(), "latency");
      if (nextIsNumber()) {
        qopt.jitter = ticks(nextArg(), "latency");
        if (nextIsNumber()) {
          presentCorr = true;
          cor.delayCorr = percent(nextArg(), "latency");
        }
      }
    } else if (matches(arg, "loss") || matches(arg, "drop")) {
      if (qopt.loss > 0 || lossType !== "unspec") explain1("duplicate loss argument\n");
      let a = nextArg();
      if (!isDigit(a)) {
        if (a === "random") {
          a = nextArg();
        } else if (a === "state") {
          const p13 = rawPercent(nextArg(), "loss p13");
          const gi = {
            p13: setPercent(p13),
            p31: setPercent(1 - p13),
            p32: setPercent(0),
            p23: setPercent(1),
            p14: setPercent(0),
          };
          lossType = "gi";
          gimodel = gi;
          if (!nextIsNumber()) continue;
          gi.p31 = percent(nextArg(), "loss p31");
          if (!nextIsNumber()) continue;
          gi.p32 = percent(nextArg(), "loss p32");
          if (!nextIsNumber()) continue;
          gi.p23 = percent(nextArg(), "loss p23");
          if (!nextIsNumber()) continue;
          gi.p14 = percent(nextArg(), "loss p14");
          continue;
        } else if (a === "gemodel") {
          const p = rawPercent(nextArg(), "loss gemodel p");
          const ge = { p: setPercent(p), r: setPercent(1 - p), h: setPercent(0), k1: setPercent(0) };
          lossType = "ge";
          gemodel = ge;
          if (!nextIsNumber()) continue;
          ge.r = percent(nextArg(), "loss gemodel r");
          if (!nextIsNumber()) continue;
          // netem's option is "1-h" but the kernel expects h.
          ge.h = (UINT32_MAX - percent(nextArg(), "loss gemodel h")) >>> 0;
          if (!nextIsNumber()) continue;
          ge.k1 = percent(nextArg(), "loss gemodel k");
          continue;
        } else {
          fail(`Unknown loss parameter: ${a}\n`);
        }
      }
      qopt.loss = percent(a, "loss percent");
      if (nextIsNumber()) {
        presentCorr = true;
        cor.lossCorr = percent(nextArg(), "loss correlation");
      }
    } else if (matches(arg, "ecn")) {
      presentEcn = true;
    } else if (matches(arg, "reorder")) {
      presentReorder = true;
      reorder.probability = percent(nextArg(), "reorder");
      if (nextIsNumber()) {
        presentCorr = true;
        reorder.correlation = percent(nextArg(), "reorder");
      }
    } else if (matches(arg, "corrupt")) {
      presentCorrupt = true;
      corrupt.probability = percent(nextArg(), "corrupt");
      if (nextIsNumber()) {
        presentCorr = true;
        corrupt.correlation = percent(nextArg(), "corrupt");
      }
    } else if (matches(arg, "gap")) {
      qopt.gap = getInt(nextArg(), false) ?? explain1("gap");
    } else if (matches(arg, "duplicate")) {
      qopt.duplicate = percent(nextArg(), "duplicate");
      if (nextIsNumber()) cor.dupCorr = percent(nextArg(), "duplicate");
    } else if (matches(arg, "distribution")) {
      distData = distribution(nextArg());
    } else if (matches(arg, "rate")) {
      presentRate = true;
      const r = nextArg();
      // A percentage of the link speed needs /sys/class/net/DEV/speed, which no device here reports.
      if (r.includes("%")) fail(`Illegal "rate"\n`);
      rate64 = getRate64(r) ?? explain1("rate");
      if (nextIsSignedNumber()) rate.packetOverhead = getInt(nextArg(), true) ?? explain1("rate");
      if (nextIsNumber()) rate.cellSize = getInt(nextArg(), false) ?? explain1("rate");
      if (nextIsSignedNumber()) rate.cellOverhead = getInt(nextArg(), true) ?? explain1("rate");
    } else if (matches(arg, "slot")) {
      if (nextIsNumber()) {
        presentSlot = true;
        slot.minDelay = getTime64(nextArg()) ?? explain1("slot min_delay");
        if (nextIsNumber()) {
          const max = getTime64(nextArg());
          if (max === undefined || max < slot.minDelay) explain1("slot max_delay");
          slot.maxDelay = max as number;
        } else {
          slot.maxDelay = slot.minDelay;
        }
      } else {
        const a = nextArg();
        if (a !== "distribution") fail(`Unknown slot parameter: ${a}\n`);
        presentSlot = true;
        distribution(nextArg());
        slot.distDelay = getTime64(nextArg()) ?? explain1("slot delay");
        slot.distJitter = getTime64(nextArg()) ?? explain1("slot jitter");
        if (slot.distJitter <= 0) fail("Non-positive jitter\n");
      }
      if (i + 1 < args.length && matches(args[i + 1] as string, "packets")) {
        nextArg();
        const v = i + 1 < args.length ? getInt(args[i + 1] as string, true) : undefined;
        if (v === undefined) explain1("slot packets");
        slot.maxPackets = v as number;
        nextArg();
      }
      if (i + 1 < args.length && matches(args[i + 1] as string, "bytes")) {
        nextArg();
        const v = i + 1 < args.length ? getSize(args[i + 1] as string) : undefined;
        if (v === undefined) explain1("slot bytes");
        slot.maxBytes = v as number;
        nextArg();
      }
    } else {
      fail(`${arg !== "help" ? `What is "${arg}"?\n` : ""}${NETEM_USAGE}`);
    }
  }

  if (reorder.probability) {
    if (qopt.latency === 0) fail(`reordering not possible without specifying some delay\n${NETEM_USAGE}`);
    if (qopt.gap === 0) qopt.gap = 1;
  } else if (qopt.gap > 0) {
    fail(`gap specified without reorder probability\n${NETEM_USAGE}`);
  }
  if (presentEcn && qopt.loss <= 0 && lossType === "unspec")
    fail(`ecn requested without loss model\n${NETEM_USAGE}`);
  if (distData && (qopt.latency === 0 || qopt.jitter === 0))
    fail(`distribution specified but no latency and jitter values\n${NETEM_USAGE}`);

  const big = rate64 >= 2 ** 32;
  return {
    kind: "netem",
    qopt,
    ...(presentCorr ? { corr: cor } : {}),
    ...(presentReorder ? { reorder } : {}),
    ...(presentEcn ? { ecn: 1 } : {}),
    ...(presentCorrupt ? { corrupt } : {}),
    ...(presentSlot ? { slot } : {}),
    ...(gimodel ? { gimodel } : {}),
    ...(gemodel ? { gemodel } : {}),
    ...(presentRate
      ? { rate: { ...rate, rate: big ? UINT32_MAX : rate64 }, ...(big ? { rate64 } : {}) }
      : {}),
    ...(distData ? { delayDist: distData } : {}),
  };
}

/** " %g%%" of a value scaled to UINT32_MAX. */
const pct = (per: number) => ` ${formatG((100 * per) / UINT32_MAX)}%`;

/** netem_print_opt (text output). */
export function netemPrintOpt(o: NetemOptions, useIec = false): string {
  const q = o.qopt;
  const cor = o.corr;
  let s = `limit ${q.limit | 0}`;
  if (q.latency) {
    s += ` delay ${sprintTicks(q.latency)}`;
    if (q.jitter) s += `  ${sprintTicks(q.jitter)}`;
    if (q.jitter && cor?.delayCorr) s += pct(cor.delayCorr);
  }
  if (q.loss) {
    s += ` loss${pct(q.loss)}`;
    if (cor?.lossCorr) s += pct(cor.lossCorr);
  }
  if (o.gimodel) {
    const g = o.gimodel;
    s += ` loss state p13${pct(g.p13)} p31${pct(g.p31)} p32${pct(g.p32)} p23${pct(g.p23)} p14${pct(g.p14)}`;
  }
  if (o.gemodel) {
    const g = o.gemodel;
    s += ` loss gemodel p${pct(g.p)} r${pct(g.r)} 1-h${pct((UINT32_MAX - g.h) >>> 0)} 1-k${pct(g.k1)}`;
  }
  if (q.duplicate) {
    s += ` duplicate${pct(q.duplicate)}`;
    if (cor?.dupCorr) s += pct(cor.dupCorr);
  }
  if (o.reorder?.probability) {
    s += ` reorder${pct(o.reorder.probability)}`;
    if (o.reorder.correlation) s += pct(o.reorder.correlation);
  }
  if (o.corrupt?.probability) {
    s += ` corrupt${pct(o.corrupt.probability)}`;
    if (o.corrupt.correlation) s += pct(o.corrupt.correlation);
  }
  if (o.rate?.rate) {
    const r = o.rate;
    s += ` rate ${sprintRate(o.rate64 || r.rate, useIec)}`;
    if (r.packetOverhead) s += ` packetoverhead ${r.packetOverhead}`;
    if (r.cellSize) s += ` cellsize ${r.cellSize}`;
    if (r.cellOverhead) s += ` celloverhead ${r.cellOverhead}`;
  }
  if (o.slot) {
    const sl = o.slot;
    if (sl.distJitter > 0)
      s += ` slot distribution ${sprintTime64(sl.distDelay)} ${sprintTime64(sl.distJitter)}`;
    else s += ` slot ${sprintTime64(sl.minDelay)} ${sprintTime64(sl.maxDelay)}`;
    if (sl.maxPackets) s += ` packets ${sl.maxPackets}`;
    if (sl.maxBytes) s += ` bytes ${sl.maxBytes}`;
  }
  if (o.ecn) s += " ecn ";
  if (q.gap) s += ` gap ${q.gap}`;
  return s;
}

/** The JSON writer's side of netem_print_opt(): what the text above shows, as the JSON keys. */
export interface NetemJsonSink {
  /** jsonw_*_field with the number as printf writes it ("%g" for floats, "%u"/"%d"/"%llu" otherwise). */
  num(key: string, raw: string): void;
  bool(key: string, value: boolean): void;
  openObject(key: string): void;
  closeObject(): void;
}

/**
 * netem_print_opt() in a JSON context: times in seconds, probabilities as fractions of one (not
 * percent), the rate in bytes per second, and every correlation, even a zero one.
 */
export function netemPrintJson(o: NetemOptions, w: NetemJsonSink): void {
  const q = o.qopt;
  const cor = o.corr;
  const frac = (key: string, per: number) => w.num(key, formatG((1 * (per >>> 0)) / UINT32_MAX));
  const corr = (value: number) => frac("correlation", value);
  w.num("limit", String(q.limit >>> 0));
  if (q.latency) {
    w.openObject("delay");
    w.num("delay", formatG(tick2time(q.latency) / 1000000));
    w.num("jitter", formatG(tick2time(q.jitter) / 1000000));
    corr(cor ? cor.delayCorr : 0);
    w.closeObject();
  }
  if (q.loss) {
    w.openObject("loss-random");
    frac("loss", q.loss);
    corr(cor ? cor.lossCorr : 0);
    w.closeObject();
  }
  if (o.gimodel) {
    const g = o.gimodel;
    w.openObject("loss-state");
    frac("p13", g.p13);
    frac("p31", g.p31);
    frac("p32", g.p32);
    frac("p23", g.p23);
    frac("p14", g.p14);
    w.closeObject();
  }
  if (o.gemodel) {
    const g = o.gemodel;
    w.openObject("loss-gemodel");
    frac("p", g.p);
    frac("r", g.r);
    frac("1-h", (UINT32_MAX - g.h) >>> 0);
    frac("1-k", g.k1);
    w.closeObject();
  }
  if (q.duplicate) {
    w.openObject("duplicate");
    frac("duplicate", q.duplicate);
    corr(cor ? cor.dupCorr : 0);
    w.closeObject();
  }
  if (o.reorder?.probability) {
    w.openObject("reorder");
    frac("reorder", o.reorder.probability);
    corr(o.reorder.correlation);
    w.closeObject();
  }
  if (o.corrupt?.probability) {
    w.openObject("corrupt");
    frac("corrupt", o.corrupt.probability);
    corr(o.corrupt.correlation);
    w.closeObject();
  }
  if (o.rate?.rate) {
    const r = o.rate;
    w.openObject("rate");
    w.num("rate", String(o.rate64 || r.rate));
    w.num("packetoverhead", String(r.packetOverhead | 0));
    w.num("cellsize", String(r.cellSize >>> 0));
    w.num("celloverhead", String(r.cellOverhead | 0));
    w.closeObject();
  }
  if (o.slot) {
    const sl = o.slot;
    w.openObject("slot");
    if (sl.distJitter > 0) {
      w.num("distribution", formatG(sl.distDelay / 1000000000));
      w.num("jitter", formatG(sl.distJitter / 1000000000));
    } else {
      w.num("min-delay", formatG(sl.minDelay / 1000000000));
      w.num("max-delay", formatG(sl.maxDelay / 1000000000));
    }
    w.num("packets", String(sl.maxPackets | 0));
    w.num("bytes", String(sl.maxBytes | 0));
    w.closeObject();
  }
  w.bool("ecn", !!o.ecn);
  w.num("gap", String(q.gap >>> 0));
}
