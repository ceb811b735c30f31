// The kernel-parity corpus: every test/scenarios/NAME.sh must print, on netnest, exactly what the
// real kernel printed when NAME.expected was recorded (normalized by src/cli/normalize.ts).
// Where the machine allows (root, unshare, iproute2), each scenario is also rerun on the live
// kernel so a stale .expected is caught. Re-record with `npx tsx test/tools/record.ts NAME`.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { runOnNetnest, unifiedDiff } from "../src/cli/diff.js";
import { kernelUnavailable, runOnKernel } from "../src/cli/kernel.js";
import { normalize } from "../src/cli/normalize.js";

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), "scenarios");
const names = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".sh"))
  .map((f) => f.slice(0, -3))
  .sort();

function expected(name: string): string {
  return readFileSync(join(SCENARIOS, `${name}.expected`), "utf8");
}

function assertSame(want: string, got: string, from: string, to: string): void {
  if (got === want) return;
  // The unified diff is the readable part; the equality below fails with it as the message.
  expect.fail(`\n${unifiedDiff(want, got, { from, to })}`);
}

describe("every scenario has a recorded .expected", () => {
  test.each(names)("%s", (name) => {
    expect(() => expected(name)).not.toThrow();
  });
});

test("the bundled example is guarded as a scenario, unchanged", () => {
  const example = readFileSync(join(SCENARIOS, "..", "..", "examples", "two-namespaces.sh"), "utf8");
  expect(readFileSync(join(SCENARIOS, "example-two-namespaces.sh"), "utf8")).toBe(example);
});

describe("netnest matches the recorded kernel output", () => {
  test.each(names)("%s", { timeout: 30_000 }, async (name) => {
    const got = normalize(await runOnNetnest(join(SCENARIOS, `${name}.sh`)));
    assertSame(expected(name), got, `${name}.expected (kernel)`, "netnest");
  });
});

const why = kernelUnavailable();
describe.skipIf(why !== undefined)(
  `the recorded .expected are current on this kernel${why ? ` (skipped: ${why})` : ""}`,
  () => {
    // One at a time: concurrent sandboxes on a busy 2-core machine make ping timeouts flaky.
    // The live kernel's own timers (a workqueue run late, a retransmit a few ms off) can still
    // miss a scenario's margin while the other test files load both cores, so a mismatch is
    // retried; the scenario fails only if the kernel disagrees with .expected KERNEL_RUNS times
    // in a row (record.ts demanded three identical runs to write it).
    const KERNEL_RUNS = 3;
    test.each(names)("%s", { timeout: 200_000 }, async (name) => {
      let got = "";
      for (let run = 0; run < KERNEL_RUNS; run++) {
        const res = await runOnKernel(join(SCENARIOS, `${name}.sh`));
        if ("unavailable" in res) throw new Error(res.unavailable);
        got = normalize(res);
        if (got === expected(name)) return;
      }
      assertSame(
        expected(name),
        got,
        `${name}.expected`,
        `live kernel (${KERNEL_RUNS} runs, the last shown)`,
      );
    });
  },
);
