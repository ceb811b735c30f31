// xt_SET (revision 3): add the packet's element to a set, or delete it, then go on.
import { KernelError } from "../../syscalls.js";
import { IPSET_FLAG_EXIST, type XtTarget } from "../../uapi_netfilter.js";
import { IPSET_MAX_TIMEOUT, ipSetByIndex, ipSetKadt } from "../ipset/ip_set.js";
import { XT_CONTINUE, type XtCheckParam, type XtTargetFn } from "../x_tables.js";

type Info = Extract<XtTarget, { kind: "SET" }>;

/** IPSET_NO_TIMEOUT: the set's own default. */
const IPSET_NO_TIMEOUT = 0xffffffff;

/** set_target_v3_checkentry */
export function setTgCheck(t: Info, par: XtCheckParam): void {
  if (t.addSet && !ipSetByIndex(par.net, t.addSet.index)) throw new KernelError("ENOENT");
  if (t.delSet && !ipSetByIndex(par.net, t.delSet.index)) throw new KernelError("ENOENT");
}

export function setTg(t: Info): XtTargetFn {
  const timeout = t.timeout === IPSET_NO_TIMEOUT ? undefined : Math.min(t.timeout, IPSET_MAX_TIMEOUT);
  const exist = (t.flags & IPSET_FLAG_EXIST) !== 0;
  return (skb, par) => {
    if (t.addSet)
      ipSetKadt(par.net, t.addSet.index, skb, {
        cmd: "add",
        flags: t.addSet.flags,
        fragoff: par.fragoff,
        timeout,
        exist,
      });
    if (t.delSet)
      ipSetKadt(par.net, t.delSet.index, skb, {
        cmd: "del",
        flags: t.delSet.flags,
        fragoff: par.fragoff,
        exist: false,
      });
    return XT_CONTINUE;
  };
}
