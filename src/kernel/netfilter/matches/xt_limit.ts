// xt_limit.c: a token bucket in jiffies (HZ=250), credits as the kernel counts them.
import { jiffiesOf } from "../../ipv4/inet_peer.js";
import type { Net } from "../../net_namespace.js";
import { KernelError } from "../../syscalls.js";
import { XT_LIMIT_SCALE, type XtMatch } from "../../uapi_netfilter.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "limit" }>;

const HZ = 250;
/** MAX_CPJ = 0xFFFFFFFF / (HZ*60*60*24), and CREDITS_PER_JIFFY the power of two below it. */
const MAX_CPJ = Math.floor(0xffffffff / (HZ * 60 * 60 * 24));
const CREDITS_PER_JIFFY = 2 ** Math.floor(Math.log2(MAX_CPJ));

/** user2credits: avg (in 1/XT_LIMIT_SCALE s) into credits, without overflowing 32 bits. */
function user2credits(user: number): number {
  if (user > Math.floor(0xffffffff / (HZ * CREDITS_PER_JIFFY)))
    return (Math.floor(user / XT_LIMIT_SCALE) * HZ * CREDITS_PER_JIFFY) >>> 0;
  return Math.floor((user * HZ * CREDITS_PER_JIFFY) / XT_LIMIT_SCALE) >>> 0;
}

/** limit_mt_check: "Overflow, try lower" when avg*burst would not fit. */
export function limitMtCheck(info: Info, _par: XtCheckParam): void {
  if (info.burst === 0 || user2credits(info.avg * info.burst) < user2credits(info.avg))
    throw new KernelError("ERANGE");
}

export function limitMt(info: Info, net: Net): XtMatchFn {
  const cost = user2credits(info.avg);
  const cap = user2credits(info.avg * info.burst);
  let credit = cap;
  let prev = jiffiesOf(net.host.clock.now);
  return (_skb, par) => {
    const now = jiffiesOf(par.net.host.clock.now);
    credit += (now - prev) * CREDITS_PER_JIFFY;
    prev = now;
    if (credit > cap) credit = cap;
    if (credit >= cost) {
      credit -= cost;
      return true;
    }
    return false;
  };
}
