#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx's ESM loader is registered first, then
// the CLI is imported through it.
import { register } from "tsx/esm/api";

register();
// A reader that went away (`netnest run s.sh | head -1`): end quietly with 128 + SIGPIPE, the status
// a shell killed by SIGPIPE leaves, instead of an unhandled EPIPE and its stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(141);
  });
}
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
