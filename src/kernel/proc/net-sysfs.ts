// /sys/class/net (net/core/net-sysfs.c): a directory per device of the namespace sysfs was
// mounted in, with the device's attributes and statistics. Here the namespace is the reading
// task's, as it is for a script run by `ip netns exec`, which remounts /sys.
import {
  devChangeFlags,
  devGetByName,
  devGetIflink,
  devSetMtu,
  type NetDevice,
  netifRunning,
} from "../core/dev.js";
import type { Net } from "../net_namespace.js";
import {
  IF_OPER_DORMANT,
  IF_OPER_DOWN,
  IF_OPER_LOWERLAYERDOWN,
  IF_OPER_NOTPRESENT,
  IF_OPER_TESTING,
  IF_OPER_UNKNOWN,
  IF_OPER_UP,
  IFF_UP,
} from "../uapi.js";
import { fail, type KfsEntry, type KfsNode, kstrtoul } from "./kernfs.js";
import { forEachNetdev } from "./net-procfs.js";

const OPERSTATES: Readonly<Record<number, string>> = {
  [IF_OPER_UNKNOWN]: "unknown",
  [IF_OPER_NOTPRESENT]: "notpresent",
  [IF_OPER_DOWN]: "down",
  [IF_OPER_LOWERLAYERDOWN]: "lowerlayerdown",
  [IF_OPER_TESTING]: "testing",
  [IF_OPER_DORMANT]: "dormant",
  [IF_OPER_UP]: "up",
};

/** sysfs_format_mac */
function formatMac(addr: Uint8Array): string {
  return `${[...addr].map((b) => b.toString(16).padStart(2, "0")).join(":")}\n`;
}

/** "%#x": C's alternate form prints 0 without the prefix. */
function hashX(n: number): string {
  return n === 0 ? "0\n" : `0x${n.toString(16)}\n`;
}

/** A show routine that needs the device running (carrier_show, dormant_show …): EINVAL otherwise. */
function whenRunning(dev: NetDevice, show: () => string): () => string {
  return () => (netifRunning(dev) ? show() : fail("EINVAL"));
}

/** __ethtool_get_link_ksettings: veth reports 10 Gb/s full duplex; the loopback device nothing. */
function ethtoolShow(dev: NetDevice, value: string): () => string {
  return () => (netifRunning(dev) && dev.ops.kind === "veth" ? `${value}\n` : fail("EINVAL"));
}

/** carrier_up_count / carrier_down_count: a device starts without carrier, so changes alternate up, down. */
function carrierUps(dev: NetDevice): number {
  return Math.ceil(dev.carrierChanges / 2);
}

type Attr = readonly [
  name: string,
  show: (dev: NetDevice) => () => string,
  store?: (dev: NetDevice, v: string) => void,
];

/** netdev_store: the value parsed by kstrtoul, applied to a live device. */
function netdevStore(apply: (dev: NetDevice, value: number) => void): (dev: NetDevice, v: string) => void {
  return (dev, v) => {
    const value = kstrtoul(v);
    if (dev.registered) apply(dev, value);
  };
}

const text = (f: (dev: NetDevice) => string | number) => (dev: NetDevice) => () => `${f(dev)}\n`;

/** net_class_attrs, in the order sysfs lists a device's directory (names sorted). */
const NET_CLASS_ATTRS: readonly Attr[] = [
  // NET_ADDR_PERM for the loopback device; a veth's address is random unless one was given.
  ["addr_assign_type", text((d) => (d.ops.kind === "loopback" ? 0 : 1))],
  ["addr_len", text((d) => d.address.length)],
  ["address", (d) => () => formatMac(d.address)],
  ["broadcast", (d) => () => formatMac(d.broadcast)],
  [
    "carrier",
    (d) => whenRunning(d, () => `${d.carrier ? 1 : 0}\n`),
    // change_carrier: no emulated driver has ndo_change_carrier.
    netdevStore((d) => fail(netifRunning(d) ? "EOPNOTSUPP" : "EINVAL")),
  ],
  ["carrier_changes", text((d) => d.carrierChanges)],
  ["carrier_down_count", text((d) => d.carrierChanges - carrierUps(d))],
  ["carrier_up_count", text(carrierUps)],
  ["dev_id", () => () => "0x0\n"],
  ["dev_port", text(() => 0)],
  ["dormant", (d) => whenRunning(d, () => "0\n")],
  ["duplex", (d) => ethtoolShow(d, "full")],
  [
    "flags",
    (d) => () => hashX(d.flags),
    // change_flags -> dev_change_flags; IFF_UP is the flag that does something here.
    netdevStore((d, v) => devChangeFlags(d, v >>> 0, (v ^ d.flags) & IFF_UP)),
  ],
  ["gro_flush_timeout", text(() => 0)],
  // ifalias_show prints nothing while the device has no alias.
  ["ifalias", () => () => ""],
  ["ifindex", text((d) => d.ifindex)],
  ["iflink", text(devGetIflink)],
  ["link_mode", text(() => 0)],
  ["mtu", text((d) => d.mtu), netdevStore((d, v) => devSetMtu(d, v > 0x7fffffff ? -1 : v))],
  // NET_NAME_PREDICTABLE for lo, NET_NAME_USER for a device named by `ip link add`.
  ["name_assign_type", text((d) => (d.ops.kind === "loopback" ? 2 : 3))],
  ["napi_defer_hard_irqs", text(() => 0)],
  [
    "netdev_group",
    text((d) => d.group),
    netdevStore((d, v) => {
      d.group = v | 0;
    }),
  ],
  ["operstate", (d) => () => `${OPERSTATES[netifRunning(d) ? d.operstate : IF_OPER_DOWN] ?? "unknown"}\n`],
  [
    "proto_down",
    text(() => 0),
    // dev_change_proto_down: no emulated driver can.
    netdevStore(() => fail("EOPNOTSUPP")),
  ],
  ["speed", (d) => ethtoolShow(d, "10000")],
  ["testing", (d) => whenRunning(d, () => "0\n")],
  ["threaded", text(() => 0)],
  [
    "tx_queue_len",
    text((d) => d.txqlen),
    netdevStore((d, v) => {
      if (v > 0xffffffff) fail("ERANGE");
      d.txqlen = v;
    }),
  ],
  ["type", text((d) => d.type)],
  ["uevent", (d) => () => `INTERFACE=${d.name}\nIFINDEX=${d.ifindex}\n`],
];

/** The subdirectories and links beside the attributes: power and queues are kept empty here. */
const NET_CLASS_DIRS: readonly KfsEntry[] = [
  { name: "power", kind: "dir" },
  { name: "queues", kind: "dir" },
  { name: "statistics", kind: "dir" },
  { name: "subsystem", kind: "link" },
];

/** netstat_attrs (statistics/), each a field of dev_get_stats. */
const NETSTAT_ATTRS: readonly (readonly [string, (d: NetDevice) => number])[] = [
  ["collisions", () => 0],
  ["multicast", (d) => d.stats.multicast],
  ["rx_bytes", (d) => d.stats.rxBytes],
  ["rx_compressed", () => 0],
  ["rx_crc_errors", () => 0],
  ["rx_dropped", (d) => d.stats.rxDropped],
  ["rx_errors", (d) => d.stats.rxErrors],
  ["rx_fifo_errors", () => 0],
  ["rx_frame_errors", () => 0],
  ["rx_length_errors", () => 0],
  ["rx_missed_errors", () => 0],
  ["rx_nohandler", () => 0],
  ["rx_over_errors", () => 0],
  ["rx_packets", (d) => d.stats.rxPackets],
  ["tx_aborted_errors", () => 0],
  ["tx_bytes", (d) => d.stats.txBytes],
  ["tx_carrier_errors", () => 0],
  ["tx_compressed", () => 0],
  ["tx_dropped", (d) => d.stats.txDropped],
  ["tx_errors", (d) => d.stats.txErrors],
  ["tx_fifo_errors", () => 0],
  ["tx_heartbeat_errors", () => 0],
  ["tx_packets", (d) => d.stats.txPackets],
  ["tx_window_errors", () => 0],
];

function byName(entries: KfsEntry[]): KfsEntry[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A device's directory: the same entries for every device. */
function devDir(): KfsNode {
  return {
    kind: "dir",
    entries: () =>
      byName([...NET_CLASS_ATTRS.map(([name]) => ({ name, kind: "file" as const })), ...NET_CLASS_DIRS]),
  };
}

/** The node at `parts` below /sys/class/net, for the devices of `net`. */
export function netSysfsLookup(net: Net, parts: readonly string[], uid: number): KfsNode | undefined {
  if (parts.length === 0) {
    return {
      kind: "dir",
      entries: () => byName(forEachNetdev(net).map((d) => ({ name: d.name, kind: "link" as const }))),
    };
  }
  const dev = devGetByName(net, parts[0] as string);
  if (!dev) return undefined;
  if (parts.length === 1) return devDir();
  const name = parts[1] as string;
  if (parts.length === 2) {
    const attr = NET_CLASS_ATTRS.find(([n]) => n === name);
    if (attr) {
      const [, show, store] = attr;
      return {
        kind: "file",
        show: () => show(dev)(),
        // A 0644 attribute: root may write it; anyone else fails the open.
        store: store && uid === 0 ? (v) => store(dev, v) : undefined,
      };
    }
    if (name === "subsystem") return { kind: "link", target: "../../../../class/net" };
    if (name === "power" || name === "queues") return { kind: "dir", entries: () => [] };
    if (name === "statistics") {
      return { kind: "dir", entries: () => NETSTAT_ATTRS.map(([n]) => ({ name: n, kind: "file" as const })) };
    }
    return undefined;
  }
  if (parts.length === 3 && name === "statistics") {
    const stat = NETSTAT_ATTRS.find(([n]) => n === parts[2]);
    if (stat) return { kind: "file", show: () => `${stat[1](dev)}\n` };
  }
  return undefined;
}

/** The link target of /sys/class/net/DEV. */
export function netSysfsLinkTarget(dev: string): string {
  return `../../devices/virtual/net/${dev}`;
}
