// What `netnest run` shows on a terminal: stdout and stderr interleaved in the order the script's
// statements wrote them (runScript's `output` sink), with the same bytes per stream as a run that
// collects each stream whole (what the parity corpus compares).
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InMemoryFs, MountableFs, OverlayFs } from "just-bash";
import { describe, expect, it, test } from "vitest";
import { normalize } from "../src/cli/normalize.js";
import { runScript } from "../src/shell/index.js";

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), "scenarios");

function fsFor(dir: string): MountableFs {
  return new MountableFs({
    base: new InMemoryFs(),
    mounts: [{ mountPoint: dir, filesystem: new OverlayFs({ root: dir, mountPoint: "/" }) }],
  });
}

describe("the terminal view", () => {
  it("interleaves stdout and stderr statement by statement, jobs included", async () => {
    const chunks: [number, string][] = [];
    const r = await runScript(
      "echo a; ip link show nosuch; echo b >&2; (sleep 0.1; echo job) & echo c; wait; exit 3",
      { output: (fd, text) => chunks.push([fd, text]) },
    );
    expect(chunks).toEqual([
      [1, "a\n"],
      [2, 'Device "nosuch" does not exist.\n'],
      [2, "b\n"],
      [1, "c\n"],
      [1, "job\n"],
    ]);
    expect(r).toEqual({ stdout: "", stderr: "", exitCode: 3 });
  });
});

describe("every scenario shows a terminal the same bytes per stream", () => {
  const names = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith(".sh"))
    .sort();
  test.each(names)("%s", { timeout: 60_000 }, async (name) => {
    const path = join(SCENARIOS, name);
    const script = readFileSync(path, "utf8");
    const plain = await runScript(script, {
      cwd: SCENARIOS,
      scriptName: basename(path),
      fs: fsFor(SCENARIOS),
    });
    let out = "";
    let err = "";
    const streamed = await runScript(script, {
      cwd: SCENARIOS,
      scriptName: basename(path),
      fs: fsFor(SCENARIOS),
      output: (fd, text) => {
        if (fd === 1) out += text;
        else err += text;
      },
    });
    expect(
      normalize({
        stdout: out + streamed.stdout,
        stderr: err + streamed.stderr,
        exitCode: streamed.exitCode,
      }),
    ).toBe(normalize(plain));
  });
});
