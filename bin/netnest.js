#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx's ESM loader is registered first, then
// the CLI is imported through it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
