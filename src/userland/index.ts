// The userland programs the shell can run, by name.
import { bridge } from "./bridge/bridge.js";
import { ip } from "./ip/ip.js";
import { ping } from "./ping.js";
import type { Program } from "./program.js";
import { sysctl } from "./sysctl.js";
import { traceroute } from "./traceroute.js";

export const programs: ReadonlyMap<string, Program> = new Map<string, Program>([
  ["bridge", bridge],
  ["ip", ip],
  ["ping", ping],
  ["sysctl", sysctl],
  ["traceroute", traceroute],
]);
