// `netnest diff SCRIPT.sh`: run a script on netnest and on the real kernel, normalize both, and
// print a unified diff. Exit 0 identical, 1 different, 2 when it cannot compare (usage, no kernel).
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { InMemoryFs, MountableFs, OverlayFs } from "just-bash";
import { runScript } from "../shell/index.js";
import { runOnKernel } from "./kernel.js";
import { normalize, type RunOutput } from "./normalize.js";

/**
 * Run the script file through netnest on a fresh host, as the kernel side runs it: cwd is its
 * directory, $0 its base name, no stdin; the directory is readable at its real path and writes
 * stay in memory.
 */
export async function runOnNetnest(scriptPath: string): Promise<RunOutput> {
  const path = resolve(scriptPath);
  const dir = dirname(path);
  const script = await readFile(path, "utf8");
  const fs = new MountableFs({
    base: new InMemoryFs(),
    mounts:
      dir === "/" ? [] : [{ mountPoint: dir, filesystem: new OverlayFs({ root: dir, mountPoint: "/" }) }],
  });
  return runScript(script, { cwd: dir, scriptName: basename(path), fs });
}

const USAGE = "usage: netnest diff SCRIPT.sh\n";

export async function diffMain(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "-h" || args[0] === "--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scriptPath = args[0];
  if (args.length !== 1 || scriptPath === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    await readFile(scriptPath, "utf8");
  } catch (e) {
    process.stderr.write(`netnest diff: ${scriptPath}: ${(e as Error).message}\n`);
    return 2;
  }
  const kernel = await runOnKernel(scriptPath);
  if ("unavailable" in kernel) {
    process.stderr.write(`netnest diff: cannot run on the real kernel: ${kernel.unavailable}\n`);
    return 2;
  }
  const ours = normalize(await runOnNetnest(scriptPath));
  const theirs = normalize(kernel);
  if (ours === theirs) {
    process.stdout.write(`identical: ${scriptPath}\n`);
    return 0;
  }
  process.stdout.write(unifiedDiff(theirs, ours, { from: "kernel", to: "netnest" }));
  return 1;
}

/**
 * A unified diff (3 lines of context) of two texts, from an LCS over lines. Outputs here are a
 * few hundred lines at most, so the O(n·m) table is fine.
 */
export function unifiedDiff(
  a: string,
  b: string,
  opts: { from: string; to: string; context?: number },
): string {
  const x = splitLines(a);
  const y = splitLines(b);
  const ops = lcsOps(x, y);
  const context = opts.context ?? 3;
  let out = `--- ${opts.from}\n+++ ${opts.to}\n`;
  // Group changes into hunks separated by more than 2·context unchanged lines.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === "=") i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]?.kind !== "=") lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const first = ops[start];
    const aStart = first ? first.ai : 0;
    const bStart = first ? first.bi : 0;
    const aLen = hunk.filter((o) => o.kind !== "+").length;
    const bLen = hunk.filter((o) => o.kind !== "-").length;
    out += `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@\n`;
    for (const o of hunk) out += `${o.kind === "=" ? " " : o.kind}${o.line}\n`;
    i = end;
  }
  return out;
}

function range(start: number, len: number): string {
  // Unified diff numbers lines from 1; an empty range names the line before it.
  return `${len === 0 ? start : start + 1},${len}`;
}

function splitLines(s: string): string[] {
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

interface Op {
  readonly kind: "=" | "-" | "+";
  readonly line: string;
  /** Index in a (and b) of this op's position. */
  readonly ai: number;
  readonly bi: number;
}

function lcsOps(x: readonly string[], y: readonly string[]): Op[] {
  const n = x.length;
  const m = y.length;
  // len[i][j] = LCS length of x[i..] and y[j..], flattened.
  const len = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => len[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * (m + 1) + j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ kind: "=", line: x[i] ?? "", ai: i, bi: j });
      i++;
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      // Deletions before insertions, as diff(1) prints them.
      ops.push({ kind: "-", line: x[i] ?? "", ai: i, bi: j });
      i++;
    } else {
      ops.push({ kind: "+", line: y[j] ?? "", ai: i, bi: j });
      j++;
    }
  }
  return ops;
}
