// xt_addrtype.c (revision 1): the routing type of the source or destination address.
import type { NetDevice } from "../../core/dev.js";
import { inetAddrType } from "../../ipv4/devinet.js";
import type { Net } from "../../net_namespace.js";
import { KernelError } from "../../syscalls.js";
import { RTN_BROADCAST, RTN_MULTICAST } from "../../uapi.js";
import {
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  XT_ADDRTYPE_INVERT_DEST,
  XT_ADDRTYPE_INVERT_SOURCE,
  XT_ADDRTYPE_LIMIT_IFACE_IN,
  XT_ADDRTYPE_LIMIT_IFACE_OUT,
  type XtMatch,
} from "../../uapi_netfilter.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "addrtype" }>;

/** addrtype_mt_checkentry_v1: the interface limit must be one the hooks have. */
export function addrtypeMtCheck(info: Info, par: XtCheckParam): void {
  const inOut = XT_ADDRTYPE_LIMIT_IFACE_IN | XT_ADDRTYPE_LIMIT_IFACE_OUT;
  if ((info.flags & inOut) === inOut) throw new KernelError("EINVAL");
  if (
    info.flags & XT_ADDRTYPE_LIMIT_IFACE_IN &&
    par.hookMask & ((1 << NF_INET_POST_ROUTING) | (1 << NF_INET_LOCAL_OUT))
  )
    throw new KernelError("EINVAL");
  if (
    info.flags & XT_ADDRTYPE_LIMIT_IFACE_OUT &&
    par.hookMask & ((1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN))
  )
    throw new KernelError("EINVAL");
  void NF_INET_FORWARD;
}

/**
 * inet_dev_addr_type: zeronet and the limited broadcast are broadcast, class D multicast, and
 * the rest as the local table says. The device limit is not applied: the local table is shared
 * by every device of the namespace here.
 */
function addrType(net: Net, _dev: NetDevice | undefined, addr: number): number {
  if (addr >>> 24 === 0 || addr === 0xffffffff) return RTN_BROADCAST;
  if (addr >>> 28 === 0xe) return RTN_MULTICAST;
  return inetAddrType(net, addr);
}

export function addrtypeMt(info: Info): XtMatchFn {
  const invS = (info.flags & XT_ADDRTYPE_INVERT_SOURCE) !== 0;
  const invD = (info.flags & XT_ADDRTYPE_INVERT_DEST) !== 0;
  return (skb, par) => {
    const d = skb.data;
    const nh = skb.networkHeader;
    const dev =
      info.flags & XT_ADDRTYPE_LIMIT_IFACE_IN
        ? par.in
        : info.flags & XT_ADDRTYPE_LIMIT_IFACE_OUT
          ? par.out
          : undefined;
    if (info.source) {
      const saddr =
        (((d[nh + 12] as number) << 24) |
          ((d[nh + 13] as number) << 16) |
          ((d[nh + 14] as number) << 8) |
          (d[nh + 15] as number)) >>>
        0;
      if (((info.source & (1 << addrType(par.net, dev, saddr))) !== 0) === invS) return false;
    }
    if (info.dest) {
      const daddr =
        (((d[nh + 16] as number) << 24) |
          ((d[nh + 17] as number) << 16) |
          ((d[nh + 18] as number) << 8) |
          (d[nh + 19] as number)) >>>
        0;
      if (((info.dest & (1 << addrType(par.net, dev, daddr))) !== 0) === invD) return false;
    }
    return true;
  };
}
