// The userland programs the shell can run, by name.
import { arping } from "./arping.js";
import { arptables, arptablesRestore, arptablesSave } from "./arptables.js";
import { bridge } from "./bridge/bridge.js";
import { conntrack } from "./conntrack.js";
import { curl } from "./curl.js";
import { dmesg } from "./dmesg.js";
import { id } from "./id.js";
import { ip } from "./ip/ip.js";
import { ipset } from "./ipset.js";
import { iptables, iptablesRestore, iptablesSave } from "./iptables/iptables.js";
import { mount, umount } from "./mount.js";
import { nc } from "./nc.js";
import { nsenter } from "./nsenter.js";
import { nstat } from "./nstat.js";
import { ping } from "./ping.js";
import type { Program } from "./program.js";
import { setpriv } from "./setpriv.js";
import { socat } from "./socat.js";
import { ss } from "./ss.js";
import { sysctl } from "./sysctl.js";
import { tc } from "./tc/tc.js";
import { tcpdump } from "./tcpdump.js";
import { timeout } from "./timeout.js";
import { traceroute } from "./traceroute.js";
import { unshare } from "./unshare.js";
import { xtablesMonitor } from "./xtables_monitor.js";

export const programs: ReadonlyMap<string, Program> = new Map<string, Program>([
  ["arping", arping],
  ["arptables", arptables],
  ["arptables-nft", arptables],
  ["arptables-save", arptablesSave],
  ["arptables-nft-save", arptablesSave],
  ["arptables-restore", arptablesRestore],
  ["arptables-nft-restore", arptablesRestore],
  ["bridge", bridge],
  ["curl", curl],
  ["dmesg", dmesg],
  ["id", id],
  ["ipset", ipset],
  ["mount", mount],
  ["umount", umount],
  ["iptables", iptables],
  ["iptables-nft", iptables],
  ["iptables-legacy", iptables],
  ["iptables-save", iptablesSave],
  ["iptables-nft-save", iptablesSave],
  ["iptables-legacy-save", iptablesSave],
  ["iptables-restore", iptablesRestore],
  ["iptables-nft-restore", iptablesRestore],
  ["iptables-legacy-restore", iptablesRestore],
  ["ip", ip],
  ["nc", nc],
  ["nsenter", nsenter],
  ["nstat", nstat],
  ["ping", ping],
  ["setpriv", setpriv],
  ["socat", socat],
  ["ss", ss],
  ["sysctl", sysctl],
  ["conntrack", conntrack],
  ["tc", tc],
  ["tcpdump", tcpdump],
  ["timeout", timeout],
  ["traceroute", traceroute],
  ["unshare", unshare],
  ["xtables-monitor", xtablesMonitor],
  ["xtables-nft-monitor", xtablesMonitor],
]);
