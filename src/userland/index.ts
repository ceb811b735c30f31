// The userland programs the shell can run, by name.
import { bridge } from "./bridge/bridge.js";
import { id } from "./id.js";
import { ip } from "./ip/ip.js";
import { nc } from "./nc.js";
import { nsenter } from "./nsenter.js";
import { ping } from "./ping.js";
import type { Program } from "./program.js";
import { setpriv } from "./setpriv.js";
import { ss } from "./ss.js";
import { sysctl } from "./sysctl.js";
import { traceroute } from "./traceroute.js";
import { unshare } from "./unshare.js";

export const programs: ReadonlyMap<string, Program> = new Map<string, Program>([
  ["bridge", bridge],
  ["id", id],
  ["ip", ip],
  ["nc", nc],
  ["nsenter", nsenter],
  ["ping", ping],
  ["setpriv", setpriv],
  ["ss", ss],
  ["sysctl", sysctl],
  ["traceroute", traceroute],
  ["unshare", unshare],
]);
