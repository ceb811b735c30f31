// IPv6 input (net/ipv6/ip6_input.c), as far as netnest goes: what arrives here is what hosts send
// by themselves when a device comes up (MLD reports to ff02::16, DAD and router solicitations).
// ipv6_rcv counts it (/proc/net/snmp6 and the device's dev_snmp6); then ip6_mc_input keeps only a
// group the device joined, and a host that is no router has joined none of these (its own
// solicited-node group is another address's), so the packet is freed uncounted. The device has
// counted it already, as the kernel's driver does.

import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";
import { ip6AddStats } from "./ip6_mib.js";

/** IPSTATS_MIB_NOECTPKTS, ECT1PKTS, ECT0PKTS and CEPKTS, by the ECN bits. */
const ECN_COUNTERS: readonly string[] = ["Ip6InNoECTPkts", "Ip6InECT1Pkts", "Ip6InECT0Pkts", "Ip6InCEPkts"];

/** ipv6_rcv -> ip6_rcv_core: a frame for another host goes first, uncounted. */
export function ipv6Rcv(skb: SkBuff, dev: NetDevice): void {
  if (skb.pktType === "PACKET_OTHERHOST") return;
  const idev = dev.net.host.inet6.get(dev);
  const net = dev.net;
  const at = skb.networkHeader;
  const len = skb.tail - at;
  ip6AddStats(net, idev, "Ip6InReceives");
  ip6AddStats(net, idev, "Ip6InOctets", len);
  // No inet6_dev (a device below IPV6_MIN_MTU): discarded.
  if (!idev) {
    ip6AddStats(net, idev, "Ip6InDiscards");
    return;
  }
  if (len < 40 || (skb.data[at] as number) >> 4 !== 6) {
    ip6AddStats(net, idev, "Ip6InHdrErrors");
    return;
  }
  // IPSTATS_MIB_NOECTPKTS + the ECN bits of the traffic class.
  const ecn = ((skb.data[at + 1] as number) >> 4) & 3;
  ip6AddStats(net, idev, ECN_COUNTERS[ecn] as string);
  // ip6_mc_input, for a group's packet: counted before the device's group list is looked at.
  if (skb.data[at + 24] === 0xff) {
    ip6AddStats(net, idev, "Ip6InMcastPkts");
    ip6AddStats(net, idev, "Ip6InMcastOctets", len);
  }
}
