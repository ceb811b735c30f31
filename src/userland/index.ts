// The userland programs the shell can run, by name.
import type { Program } from "./program.js";

export const programs: ReadonlyMap<string, Program> = new Map<string, Program>([]);
