// Re-record test/scenarios/*.expected from the real kernel (needs root, unshare and iproute2).
//
//   npx tsx test/tools/record.ts [--runs N] [NAME...]
//
// Each scenario runs N times (default 3); it is recorded only if every run normalizes to the same
// text, so a nondeterministic scenario is caught here rather than as a flaky parity test.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unifiedDiff } from "../../src/cli/diff.js";
import { kernelUnavailable, runOnKernel } from "../../src/cli/kernel.js";
import { normalize } from "../../src/cli/normalize.js";

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), "..", "scenarios");

async function main(argv: string[]): Promise<number> {
  let runs = 3;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--runs") runs = Number(argv[++i]);
    else names.push(a.replace(/\.(sh|expected)$/, "").replace(/^.*\//, ""));
  }
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write("record: --runs needs a positive integer\n");
    return 2;
  }
  const why = kernelUnavailable();
  if (why !== undefined) {
    process.stderr.write(`record: cannot run on the real kernel: ${why}\n`);
    return 2;
  }
  const all = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith(".sh"))
    .map((f) => f.slice(0, -3))
    .sort();
  const chosen = names.length > 0 ? names : all;
  let failed = 0;
  for (const name of chosen) {
    if (!all.includes(name)) {
      process.stderr.write(`record: no scenario ${name}\n`);
      failed++;
      continue;
    }
    const started = Date.now();
    const texts: string[] = [];
    for (let r = 0; r < runs; r++) {
      const res = await runOnKernel(join(SCENARIOS, `${name}.sh`));
      if ("unavailable" in res) throw new Error(res.unavailable);
      texts.push(normalize(res));
    }
    const first = texts[0] ?? "";
    const odd = texts.findIndex((t) => t !== first);
    const secs = ((Date.now() - started) / 1000 / runs).toFixed(2);
    if (odd >= 0) {
      process.stderr.write(`record: ${name} is nondeterministic (run 1 vs run ${odd + 1}):\n`);
      process.stderr.write(unifiedDiff(first, texts[odd] ?? "", { from: "run 1", to: `run ${odd + 1}` }));
      failed++;
      continue;
    }
    writeFileSync(join(SCENARIOS, `${name}.expected`), first);
    process.stdout.write(`recorded ${name} (${secs}s per run)\n`);
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
