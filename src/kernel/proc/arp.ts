// /proc/net/arp (arp_seq_show in net/ipv4/arp.c): the ARP cache of the reader's namespace.
import type { Neighbour } from "../core/neighbour.js";
import type { Net } from "../net_namespace.js";

const ATF_COM = 0x02;
const ATF_PERM = 0x04;

/** arp_state_to_flags */
function arpStateToFlags(n: Neighbour): number {
  if (n.state === "PERMANENT") return ATF_PERM | ATF_COM;
  if (n.state === "REACHABLE" || n.state === "STALE" || n.state === "DELAY" || n.state === "PROBE")
    return ATF_COM;
  return 0;
}

function ipv4String(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

/** arp_format_neigh_entry: "%-16s 0x%-10x0x%-10x%-17s     %-9s%s". */
function arpFormatNeighEntry(n: Neighbour): string {
  const dev = n.dev;
  // n->ha is zeroed when the entry is made and keeps the last address learnt.
  const ha = n.ha ?? new Uint8Array(dev.address.length);
  const hw = [...ha.subarray(0, dev.address.length)].map((b) => b.toString(16).padStart(2, "0")).join(":");
  return (
    `${ipv4String(n.key).padEnd(16)} 0x${dev.type.toString(16).padEnd(10)}0x${arpStateToFlags(n).toString(16).padEnd(10)}` +
    `${hw.padEnd(17)}     ${"*".padEnd(9)}${dev.name}\n`
  );
}

/** arp_seq_show over neigh_seq (NEIGH_SEQ_SKIP_NOARP: entries in no state but NUD_NOARP are left out). */
export function arpSeqShow(net: Net): string {
  let out = "IP address       HW type     Flags       HW address            Mask     Device\n";
  for (const n of net.ipv4.neighbours.values()) {
    if (n.state === "NOARP" || n.state === "NONE") continue;
    out += arpFormatNeighEntry(n);
  }
  return out;
}
