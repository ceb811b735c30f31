// /proc/net/dev and /proc/net/dev_mcast (net/core/net-procfs.c): one line per device of the
// reader's namespace, in dev_base_head order (for_each_netdev: registration order, a device moved
// in from another namespace at the end).
import type { NetDevice } from "../core/dev.js";
import { devMcEntries } from "../core/dev_addr_lists.js";
import type { Net } from "../net_namespace.js";

/** for_each_netdev: the list order. devByIndex is filled as devices are listed and never re-keyed. */
export function forEachNetdev(net: Net): NetDevice[] {
  return [...net.devByIndex.values()];
}

function right(value: number | string, width: number): string {
  return String(value).padStart(width);
}

/** dev_seq_printf_stats */
function devSeqPrintfStats(dev: NetDevice): string {
  const s = dev.stats;
  // rx_missed, fifo, the frame-error group, compressed, collisions and the carrier-error group
  // are counted by no emulated driver.
  return (
    `${right(dev.name, 6)}: ${right(s.rxBytes, 7)} ${right(s.rxPackets, 7)} ${right(s.rxErrors, 4)} ` +
    `${right(s.rxDropped, 4)} ${right(0, 4)} ${right(0, 5)} ${right(0, 10)} ${right(s.multicast, 9)} ` +
    `${right(s.txBytes, 8)} ${right(s.txPackets, 7)} ${right(s.txErrors, 4)} ${right(s.txDropped, 4)} ` +
    `${right(0, 4)} ${right(0, 5)} ${right(0, 7)} ${right(0, 10)}\n`
  );
}

/** dev_seq_show: the two header lines, then every device. */
export function devSeqShow(net: Net): string {
  let out =
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
  for (const dev of forEachNetdev(net)) out += devSeqPrintfStats(dev);
  return out;
}

function hex(bytes: Iterable<number>): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** dev_mc_seq_show: "%-4d %-15s %-5d %-5d %*phN" per address: refcount, global_use, address. */
export function devMcSeqShow(net: Net): string {
  let out = "";
  for (const dev of forEachNetdev(net)) {
    for (const e of devMcEntries(dev)) {
      const refs = String(e.refcount).padEnd(5);
      out += `${String(dev.ifindex).padEnd(4)} ${dev.name.padEnd(15)} ${refs} ${(e.global ? "1" : "0").padEnd(5)} ${hex(e.addr)}\n`;
    }
  }
  return out;
}
