// nstat (iproute2 6.1 misc/nstat.c): the kernel's SNMP counters from /proc/net/snmp, /proc/net/snmp6
// and /proc/net/netstat, as increments since the last run (a per-user history file in /tmp, or
// $NSTAT_HISTORY) or as absolute values (-a). The daemon mode (-d) is not emulated.
import { getuid } from "../kernel/syscalls.js";
import type { Proc, ProgramResult } from "./program.js";

interface NstatEnt {
  readonly id: string;
  val: bigint;
  rate: number;
}

const USAGE = `Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]
   -h, --help          this message
   -a, --ignore        ignore history
   -d, --scan=SECS     sample every statistics every SECS
   -j, --json          format output in JSON
   -n, --nooutput      do history only
   -p, --pretty        pretty print
   -r, --reset         reset history
   -s, --noupdate      don't update history
   -t, --interval=SECS report average over the last SECS
   -V, --version       output version information
   -z, --zeros         show entries with zero activity
`;

const LONGOPTS: readonly (readonly [string, string, boolean])[] = [
  ["help", "h", false],
  ["ignore", "a", false],
  ["scan", "d", true],
  ["nooutput", "n", false],
  ["json", "j", false],
  ["reset", "r", false],
  ["noupdate", "s", false],
  ["pretty", "p", false],
  ["interval", "t", true],
  ["version", "V", false],
  ["zeros", "z", false],
];

/** useless_numbers: gauges and constants nstat never reports. */
const USELESS = new Set([
  "IpForwarding",
  "IpDefaultTTL",
  "TcpRtoAlgorithm",
  "TcpRtoMin",
  "TcpRtoMax",
  "TcpMaxConn",
  "TcpCurrEstab",
]);

class NstatExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** fnmatch(pattern, string, 0): *, ? and [...] bracket expressions. */
export function fnmatch(pattern: string, text: string): boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`${re}$`, "s").test(text);
}

/** strtoull-like %llu: a negative number wraps around 2^64, as sscanf does. */
function parseLlu(text: string): bigint {
  const m = /^\s*([-+]?)(\d+)/.exec(text);
  if (!m) return 0n;
  const v = BigInt(m[2] as string);
  return m[1] === "-" ? (1n << 64n) - v : v;
}

/** load_ugly_table: "Ip: A B C" header lines, each followed by its values. */
function loadUglyTable(text: string, into: NstatEnt[]): void {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const table: NstatEnt[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const head = lines[i] as string;
    const colon = head.indexOf(":");
    if (colon < 0) continue;
    const prefix = head.slice(0, colon);
    const names = head
      .slice(colon + 2)
      .split(" ")
      .filter((n) => n.length > 0);
    const values = (lines[i + 1] as string)
      .slice(colon + 2)
      .split(" ")
      .filter((n) => n.length > 0);
    names.forEach((name, k) => {
      table.push({ id: `${prefix}${name}`, val: parseLlu(values[k] ?? "0"), rate: 0 });
    });
  }
  into.unshift(...table.filter((n) => !USELESS.has(n.id)));
}

/** load_good_table: "ID VALUE [RATE]" lines; a "#SOURCE" line names where they came from. */
function loadGoodTable(text: string, into: NstatEnt[], info: { source: string; mismatch: boolean }): void {
  const table: NstatEnt[] = [];
  for (const line of text.split("\n")) {
    if (line.length === 0) continue;
    if (line.startsWith("#")) {
      if (info.source && info.source !== line.slice(1)) info.mismatch = true;
      info.source = line.slice(1);
      continue;
    }
    const [id, val, rate] = line.trim().split(/\s+/);
    if (id === undefined || val === undefined || USELESS.has(id)) continue;
    table.push({ id, val: parseLlu(val), rate: rate === undefined ? 0 : Number(rate) });
  }
  into.unshift(...table);
}

function rateText(rate: number): string {
  return rate.toFixed(1).padStart(6);
}

interface DumpOptions {
  readonly zeros: boolean;
  readonly json: boolean;
  readonly pretty: boolean;
  readonly patterns: readonly string[];
  readonly source: string;
}

function match(patterns: readonly string[], id: string): boolean {
  return patterns.length === 0 || patterns.some((p) => fnmatch(p, id));
}

/** jsonw: {"SOURCE":{"ID":N,...}}, or indented by four with -p. */
function jsonDump(o: DumpOptions, fields: readonly (readonly [string, bigint])[]): string {
  if (!o.pretty) return `{"${o.source}":{${fields.map(([id, v]) => `"${id}":${v}`).join(",")}}}\n`;
  const body = fields.map(([id, v]) => `\n        "${id}": ${v}`).join(",");
  return `{\n    "${o.source}": {${body}${fields.length ? "\n    " : ""}}\n}\n`;
}

/** dump_kern_db: absolute values; for the history file, unmatched entries keep their old value. */
function dumpKernDb(
  kern: readonly NstatEnt[],
  hist: readonly NstatEnt[],
  o: DumpOptions,
  toHist: boolean,
): string {
  const fields: [string, bigint][] = [];
  let text = `#${o.source}\n`;
  let h = 0;
  for (const n of kern) {
    let val = n.val;
    if (!o.zeros && !val && !n.rate) continue;
    if (!match(o.patterns, n.id)) {
      if (!toHist) continue;
      for (let k = h; k < hist.length; k++) {
        if ((hist[k] as NstatEnt).id === n.id) {
          val = (hist[k] as NstatEnt).val;
          h = k + 1;
          break;
        }
      }
    }
    fields.push([n.id, val]);
    text += `${n.id.padEnd(32)}${String(val).padEnd(16)}${rateText(n.rate)}\n`;
  }
  return o.json ? jsonDump(o, fields) : text;
}

/** dump_incr_db: each counter less its value in the history (an overflow when it went down). */
function dumpIncrDb(kern: readonly NstatEnt[], hist: readonly NstatEnt[], o: DumpOptions): string {
  const fields: [string, bigint][] = [];
  let text = `#${o.source}\n`;
  let h = 0;
  for (const n of kern) {
    let ovfl = false;
    let val = n.val;
    for (let k = h; k < hist.length; k++) {
      const h1 = hist[k] as NstatEnt;
      if (h1.id === n.id) {
        if (val < h1.val) {
          ovfl = true;
          val = h1.val;
        }
        val -= h1.val;
        h = k + 1;
        break;
      }
    }
    if (!o.zeros && !val && !n.rate) continue;
    if (!match(o.patterns, n.id)) continue;
    fields.push([n.id, val]);
    text += `${n.id.padEnd(32)}${String(val).padEnd(16)}${rateText(n.rate)}${ovfl ? " (overflow)" : ""}\n`;
  }
  return o.json ? jsonDump(o, fields) : text;
}

async function readOr(proc: Proc, path: string): Promise<string | undefined> {
  try {
    return await proc.readFile(path);
  } catch {
    return undefined;
  }
}

async function run(
  argv: readonly string[],
  proc: Proc,
  out: { stdout: string; stderr: string },
): Promise<number> {
  let zeros = false;
  let reset = false;
  let ignore = false;
  let noUpdate = false;
  let noOutput = false;
  let json = false;
  let pretty = false;
  let scan = 0;
  const usage = (): never => {
    out.stderr += USAGE;
    throw new NstatExit(255);
  };
  const opts: [string, string | undefined][] = [];
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = LONGOPTS.find(([n]) => n === name);
      const found = exact ? [exact] : LONGOPTS.filter(([n]) => n.startsWith(name));
      const first = found[0];
      if (!first || found.length > 1) {
        out.stderr +=
          found.length > 1
            ? `nstat: option '${a}' is ambiguous; possibilities:${found.map(([n]) => ` '--${n}'`).join("")}\n`
            : `nstat: unrecognized option '${a}'\n`;
        usage();
        return 255;
      }
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (!first[2] && value !== undefined) {
        out.stderr += `nstat: option '--${first[0]}' doesn't allow an argument\n`;
        usage();
      }
      if (first[2] && value === undefined) {
        if (i + 1 >= argv.length) {
          out.stderr += `nstat: option '--${first[0]}' requires an argument\n`;
          usage();
        }
        value = argv[++i];
      }
      opts.push([first[1], value]);
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      if (!"h?vVzrnasd:t:jp".includes(c) || c === ":") {
        out.stderr += `nstat: invalid option -- '${c}'\n`;
        usage();
      }
      if (c === "d" || c === "t") {
        let value: string | undefined = a.slice(j + 1);
        if (!value) {
          if (i + 1 >= argv.length) {
            out.stderr += `nstat: option requires an argument -- '${c}'\n`;
            usage();
          }
          value = argv[++i];
        }
        opts.push([c, value]);
        break;
      }
      opts.push([c, undefined]);
    }
  }
  for (const [c, value] of opts) {
    switch (c) {
      case "z":
        zeros = true;
        break;
      case "r":
        reset = true;
        break;
      case "a":
        ignore = true;
        break;
      case "s":
        noUpdate = true;
        break;
      case "n":
        noOutput = true;
        break;
      case "d":
        scan = 1000 * (Number.parseInt(value ?? "", 10) || 0);
        break;
      case "t": {
        const t = Number.parseInt(value ?? "", 10);
        if (!/^\s*[-+]?\d/.test(value ?? "") || t <= 0) {
          out.stderr += "nstat: invalid time constant divisor\n";
          return 255;
        }
        break;
      }
      case "j":
        json = true;
        break;
      case "p":
        pretty = true;
        break;
      case "v":
      case "V":
        out.stdout += "nstat utility, iproute2-6.1.0\n";
        return 0;
      default:
        usage();
    }
  }
  if (scan > 0) {
    out.stderr += "nstat: the sampling daemon (-d) is not implemented in netnest\n";
    return 255;
  }
  const histName = proc.env.NSTAT_HISTORY ?? `/tmp/.nstat.u${getuid(proc.task)}`;
  const info = { source: "", mismatch: false };
  let hist: NstatEnt[] = [];
  let haveHist = false;
  const useHistFile = !ignore || !noUpdate;
  if (useHistFile) {
    // open(O_RDWR|O_CREAT): the file exists from now on, empty if it did not.
    const old = reset ? undefined : await readOr(proc, histName);
    if (old === undefined) {
      try {
        await proc.writeFile(histName, "");
      } catch {
        out.stderr += "nstat: open history file: No such file or directory\n";
        return 255;
      }
    }
    loadGoodTable(old ?? "", hist, info);
    haveHist = hist.length > 0;
  }
  // No daemon answers on the abstract socket: read the kernel's files.
  if (haveHist && info.source && info.source !== "kernel") {
    out.stderr += "nstat: history is stale, ignoring it.\n";
    hist = [];
    haveHist = false;
    info.source = "";
  }
  const kern: NstatEnt[] = [];
  loadUglyTable((await readOr(proc, "/proc/net/netstat")) ?? "", kern);
  loadGoodTable((await readOr(proc, "/proc/net/snmp6")) ?? "", kern, { source: "", mismatch: false });
  loadUglyTable((await readOr(proc, "/proc/net/snmp")) ?? "", kern);
  if (!info.source) info.source = "kernel";
  const o: DumpOptions = { zeros, json, pretty, patterns: operands, source: info.source };
  if (!noOutput) {
    out.stdout += ignore || !haveHist ? dumpKernDb(kern, hist, o, false) : dumpIncrDb(kern, hist, o);
  }
  if (!noUpdate) await proc.writeFile(histName, dumpKernDb(kern, hist, { ...o, json: false }, true));
  return 0;
}

export async function nstat(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const out = { stdout: "", stderr: "" };
  let exitCode: number;
  try {
    exitCode = await run(argv, proc, out);
  } catch (e) {
    if (!(e instanceof NstatExit)) throw e;
    exitCode = e.code;
  }
  return { stdout: out.stdout, stderr: out.stderr, exitCode };
}
