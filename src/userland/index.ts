// The userland programs the shell can run, by name.
import { ip } from "./ip/ip.js";
import { ping } from "./ping.js";
import type { Program } from "./program.js";
import { sysctl } from "./sysctl.js";

export const programs: ReadonlyMap<string, Program> = new Map<string, Program>([
  ["ip", ip],
  ["ping", ping],
  ["sysctl", sysctl],
]);
