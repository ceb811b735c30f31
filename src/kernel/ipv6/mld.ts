// MLDv2 reports (net/ipv6/mcast.c, the sending half): with no querier heard a host stays in
// MLDv2 mode and announces changes to its groups as state-change reports to ff02::16, from its
// link-local address or from :: while that is still tentative. A group joined on a device that
// is up (a solicited-node group when duplicate address detection starts, all groups again when
// the device comes up or its link comes back) is reported robustness (2) times: at once, then at
// a random point of the unsolicited report interval (1 s) (mld_ifc_event, mld_ifc_work). When
// the link-local address becomes valid the whole list is reported the same way again
// (ipv6_mc_dad_complete, mld_dad_work). Groups are those /proc/net/igmp6 lists (mcast.ts);
// ff02::1 and interface-local groups are never reported (MAF_NOREPORT). Leaving a group is not
// reported: netnest leaves groups only when addresses go, with the device.

import { ICMPV6_MLD2_REPORT, MLD2_CHANGE_TO_EXCLUDE } from "../../wire/ipv6.js";
import { JIFFY_NS, type TimerEvent } from "../clock.js";
import type { NetDevice } from "../core/dev.js";
import { IFF_UP } from "../uapi.js";
import { type Inet6Dev, ipv6GetLladdr } from "./addrconf.js";
import { ipv6McList, MAF_NOREPORT } from "./mcast.js";
import { ip6McXmit, ip6NdHdr } from "./ndisc.js";

/** mc_qrv: the robustness variable (MLD_QRV_DEFAULT). */
const MLD_QRV_DEFAULT = 2;
/** mldv2_unsolicited_report_interval: 1 s, in jiffies. */
const MLDV2_UNSOLICITED_REPORT_INTERVAL = 250;
/** ff02::16, all MLDv2-capable routers. */
const MLD2_ALL_MCR = Uint8Array.of(0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16);
const IN6ADDR_ANY = new Uint8Array(16);

function groupKey(addr: Uint8Array): string {
  return Array.from(addr, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The groups add_grec reports, in mc_list order. */
function reportedGroups(dev: NetDevice): Uint8Array[] {
  return ipv6McList(dev.net, dev)
    .filter((m) => !(m.flags & MAF_NOREPORT))
    .map((m) => m.addr);
}

/**
 * mld_newpack + add_grec + mld_sendpack: one report with a CHANGE_TO_EXCLUDE record (no sources)
 * per group, hop limit 1 behind the hop-by-hop router alert.
 */
function mldSendpack(dev: NetDevice, groups: readonly Uint8Array[]): void {
  if (groups.length === 0) return;
  const saddr = ipv6GetLladdr(dev) ?? IN6ADDR_ANY;
  const pkt = ip6NdHdr(dev, { saddr, daddr: MLD2_ALL_MCR, hopLimit: 1, hbh: true }, 8 + 20 * groups.length);
  const d = pkt.skb.data;
  d[pkt.icmp] = ICMPV6_MLD2_REPORT;
  d[pkt.icmp + 6] = groups.length >> 8;
  d[pkt.icmp + 7] = groups.length & 255;
  groups.forEach((g, i) => {
    const at = pkt.icmp + 8 + 20 * i;
    d[at] = MLD2_CHANGE_TO_EXCLUDE;
    d.set(g, at + 4);
  });
  ip6McXmit(dev, pkt, saddr, MLD2_ALL_MCR);
}

/** mld_send_cr: each group with changes still to report, once more. */
function mldSendCr(dev: NetDevice, idev: Inet6Dev): void {
  const due: Uint8Array[] = [];
  for (const g of reportedGroups(dev)) {
    const key = groupKey(g);
    const cr = idev.mcCrcount.get(key) ?? 0;
    if (!cr) continue;
    due.push(g);
    if (cr > 1) idev.mcCrcount.set(key, cr - 1);
    else idev.mcCrcount.delete(key);
  }
  mldSendpack(dev, due);
}

/** mld_ifc_start_work / mld_dad_start_work: a random jiffy below `delay`, two jiffies on. */
function mldStartWork(dev: NetDevice, delay: number, run: () => void): TimerEvent {
  const host = dev.net.host;
  const tv = host.randomU32() % delay;
  return host.clock.scheduleTimer((tv + 2) * JIFFY_NS, run);
}

function mldIfcStartWork(dev: NetDevice, idev: Inet6Dev, delay: number): void {
  if (idev.mcIfcTimer) dev.net.host.clock.cancel(idev.mcIfcTimer);
  idev.mcIfcTimer = mldStartWork(dev, delay, () => mldIfcWork(dev, idev));
}

/** mld_ifc_work */
function mldIfcWork(dev: NetDevice, idev: Inet6Dev): void {
  idev.mcIfcTimer = undefined;
  if (idev.dead) return;
  mldSendCr(dev, idev);
  if (idev.mcIfcCount) {
    idev.mcIfcCount--;
    if (idev.mcIfcCount) mldIfcStartWork(dev, idev, MLDV2_UNSOLICITED_REPORT_INTERVAL);
  }
}

/** mld_ifc_event: report the change robustness times, the first at once. */
function mldIfcEvent(dev: NetDevice, idev: Inet6Dev): void {
  idev.mcIfcCount = MLD_QRV_DEFAULT;
  mldIfcStartWork(dev, idev, 1);
}

/**
 * igmp6_group_added for a group just joined (`group`), or for every reported group
 * (ipv6_mc_up: the device came up or its link came back): CHANGE_TO_EXCLUDE records are due.
 */
export function igmp6GroupAdded(dev: NetDevice, idev: Inet6Dev, group?: Uint8Array): void {
  if (!(dev.flags & IFF_UP)) return;
  const groups = group ? [group] : reportedGroups(dev);
  if (groups.length === 0) return;
  for (const g of groups) idev.mcCrcount.set(groupKey(g), MLD_QRV_DEFAULT);
  mldIfcEvent(dev, idev);
}

/** mld_send_initial_cr: every reported group in one report. */
function mldSendInitialCr(dev: NetDevice): void {
  mldSendpack(dev, reportedGroups(dev));
}

/** mld_dad_work */
function mldDadWork(dev: NetDevice, idev: Inet6Dev): void {
  idev.mcDadTimer = undefined;
  if (idev.dead) return;
  mldSendInitialCr(dev);
  if (idev.mcDadCount) {
    idev.mcDadCount--;
    if (idev.mcDadCount)
      idev.mcDadTimer = mldStartWork(dev, MLDV2_UNSOLICITED_REPORT_INTERVAL, () => mldDadWork(dev, idev));
  }
}

/** ipv6_mc_dad_complete: the link-local address is valid; report the list from it. */
export function ipv6McDadComplete(dev: NetDevice, idev: Inet6Dev): void {
  idev.mcDadCount = MLD_QRV_DEFAULT;
  mldSendInitialCr(dev);
  idev.mcDadCount--;
  if (idev.mcDadTimer) dev.net.host.clock.cancel(idev.mcDadTimer);
  idev.mcDadTimer = idev.mcDadCount
    ? mldStartWork(dev, MLDV2_UNSOLICITED_REPORT_INTERVAL, () => mldDadWork(dev, idev))
    : undefined;
}

/** ipv6_mc_down: the report work stops with the device. */
export function ipv6McDown(dev: NetDevice, idev: Inet6Dev): void {
  const clock = dev.net.host.clock;
  if (idev.mcIfcTimer) clock.cancel(idev.mcIfcTimer);
  if (idev.mcDadTimer) clock.cancel(idev.mcDadTimer);
  idev.mcIfcTimer = undefined;
  idev.mcDadTimer = undefined;
  idev.mcIfcCount = 0;
  idev.mcDadCount = 0;
  idev.mcCrcount.clear();
}
