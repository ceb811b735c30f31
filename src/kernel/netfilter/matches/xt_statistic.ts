// xt_statistic.c: every nth packet, or at random with the host's seeded generator.
import type { Net } from "../../net_namespace.js";
import type { XtMatch } from "../../uapi_netfilter.js";
import type { XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "statistic" }>;

export function statisticMt(info: Info, net: Net): XtMatchFn {
  const invert = info.invert;
  if (info.mode === "random") {
    const p = info.probability;
    return () => (net.host.randomU32() & 0x7fffffff) < p !== invert;
  }
  // The shared counter wraps after `every` (stored as N-1) and starts where libxt_statistic
  // puts it, every - packet, so the first packet matches with --packet 0.
  let count = info.every - info.packet;
  const every = info.every;
  return () => {
    count = count === every ? 0 : count + 1;
    return (count === 0) !== invert;
  };
}
