// net/ipv4/netfilter.c: re-routing a locally generated packet after a hook changed it.
import type { SkBuff } from "../core/skbuff.js";
import { inetAddrType } from "../ipv4/devinet.js";
import { ipRouteOutputKey } from "../ipv4/route.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { RTN_LOCAL } from "../uapi.js";

/**
 * ip_route_me_harder: a new output route from the packet's addresses, TOS and mark (a local
 * source is kept, any other left for the route to choose). False when there is no route.
 */
export function ipRouteMeHarder(net: Net, skb: SkBuff): boolean {
  const d = skb.data;
  const nh = skb.networkHeader;
  const u32 = (at: number) =>
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0;
  const saddr = u32(nh + 12);
  const daddr = u32(nh + 16);
  const rt = ipRouteOutputKey(net, {
    daddr,
    saddr: inetAddrType(net, saddr) === RTN_LOCAL ? saddr : undefined,
    tos: (d[nh + 1] as number) & 0x1e,
    mark: skb.mark,
  });
  if (rt instanceof KernelError) return false;
  skb.dst = rt;
  return true;
}
