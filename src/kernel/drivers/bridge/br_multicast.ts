// The bridge's own multicast membership (net/bridge/br_multicast.c): with snooping on, an open
// bridge listens for multicast router advertisements (RFC 4286) on 224.0.0.106, joined on the
// bridge device itself (br_multicast_join_snoopers), and leaves the group when it stops or when
// snooping is turned off.

import { INADDR_ALLSNOOPERS_GROUP, ipMcDecGroup, ipMcIncGroup } from "../../ipv4/igmp.js";
import type { Bridge } from "./br_private.js";

/** br_ip4_multicast_join_snoopers */
export function brMulticastJoinSnoopers(br: Bridge): void {
  const inDev = br.dev.inDev;
  if (inDev) ipMcIncGroup(inDev, INADDR_ALLSNOOPERS_GROUP);
}

/** br_ip4_multicast_leave_snoopers */
export function brMulticastLeaveSnoopers(br: Bridge): void {
  const inDev = br.dev.inDev;
  if (inDev) ipMcDecGroup(inDev, INADDR_ALLSNOOPERS_GROUP);
}
