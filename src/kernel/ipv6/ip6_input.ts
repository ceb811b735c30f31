// IPv6 input (net/ipv6/ip6_input.c), as far as netnest goes: what arrives here is what hosts send
// by themselves when a device comes up (MLD reports to ff02::16, DAD and router solicitations).
// A host that is no router and has none of the solicited addresses keeps none of it, and the
// counters it would touch (/proc/net/snmp6) are not emulated, so ipv6_rcv takes the packet and
// frees it. The device has counted it already, as the kernel's driver does.

import type { NetDevice } from "../core/dev.js";
import type { SkBuff } from "../core/skbuff.js";

/** ipv6_rcv */
export function ipv6Rcv(_skb: SkBuff, _dev: NetDevice): void {}
