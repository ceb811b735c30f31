// ip end to end: test/ip/*.sh through the shell and the emulated kernel, against what the real
// iproute2 6.1 printed for it on Linux 6.18 (test/ip/NAME.stdout and .stderr, recorded inside
// `unshare -m -n` with a private /run/netns).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runScript } from "../src/shell/index.js";

const dir = join(import.meta.dirname, "ip");
const read = (name: string): string => readFileSync(join(dir, name), "utf8");

for (const name of ["e2e", "flush"]) {
  it(`ip prints what iproute2 6.1 prints for test/ip/${name}.sh`, async () => {
    const r = await runScript(read(`${name}.sh`));
    expect(r.stdout).toBe(read(`${name}.stdout`));
    expect(r.stderr).toBe(read(`${name}.stderr`));
    expect(r.exitCode).toBe(0);
  });
}
