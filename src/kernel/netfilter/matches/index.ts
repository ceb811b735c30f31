// The match registry (xt_register_match): each kind's checkentry and its compiled match function.
import { KernelError } from "../../syscalls.js";
import type { XtMatch } from "../../uapi_netfilter.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";
import { addrtypeMt, addrtypeMtCheck } from "./xt_addrtype.js";
import { connmarkMt, conntrackMt, stateMt } from "./xt_conntrack.js";
import { limitMt, limitMtCheck } from "./xt_limit.js";
import { multiportMt, multiportMtCheck } from "./xt_multiport.js";
import { ownerMt, ownerMtCheck } from "./xt_owner.js";
import { setMt, setMtCheck } from "./xt_set.js";
import {
  dscpMt,
  iprangeMt,
  lengthMt,
  macMt,
  macMtCheck,
  markMt,
  pkttypeMt,
  tosMt,
  ttlMt,
} from "./xt_simple.js";
import { statisticMt } from "./xt_statistic.js";
import { icmpMt, tcpMt, udpMt, xtCheckProto } from "./xt_tcpudp.js";

/** xt_check_match: the match's own checkentry; EINVAL (or ERANGE) when it refuses. */
export function matchCheck(m: XtMatch, par: XtCheckParam): void {
  switch (m.kind) {
    case "tcp":
      xtCheckProto(par, 6);
      return;
    case "udp":
      xtCheckProto(par, 17);
      return;
    case "icmp":
      xtCheckProto(par, 1);
      return;
    case "multiport":
      multiportMtCheck(m, par);
      return;
    case "addrtype":
      addrtypeMtCheck(m, par);
      return;
    case "limit":
      limitMtCheck(m, par);
      return;
    case "mac":
      macMtCheck(m, par);
      return;
    case "owner":
      ownerMtCheck(m, par);
      return;
    case "statistic":
      if (m.mode === "nth" && m.packet > m.every) throw new KernelError("EINVAL");
      return;
    case "length":
    case "mark":
    case "comment":
    case "iprange":
    case "pkttype":
    case "ttl":
    case "tos":
      return;
    case "dscp":
      if (m.dscp > 0x3f) throw new KernelError("EINVAL");
      return;
    case "conntrack":
    case "state":
    case "connmark":
      return;
    case "set":
      setMtCheck(m, par);
      return;
  }
}

/** The match as a function of the packet; undefined for a match that always holds (comment). */
export function matchCompile(m: XtMatch, par: XtCheckParam): XtMatchFn | undefined {
  switch (m.kind) {
    case "tcp":
      return tcpMt(m);
    case "udp":
      return udpMt(m);
    case "icmp":
      return icmpMt(m);
    case "multiport":
      return multiportMt(m);
    case "mark":
      return markMt(m);
    case "comment":
      return undefined;
    case "addrtype":
      return addrtypeMt(m);
    case "iprange":
      return iprangeMt(m);
    case "limit":
      return limitMt(m, par.net);
    case "statistic":
      return statisticMt(m, par.net);
    case "mac":
      return macMt(m);
    case "pkttype":
      return pkttypeMt(m);
    case "length":
      return lengthMt(m);
    case "owner":
      return ownerMt(m, par);
    case "ttl":
      return ttlMt(m);
    case "tos":
      return tosMt(m);
    case "dscp":
      return dscpMt(m);
    case "conntrack":
      return conntrackMt(m);
    case "state":
      return stateMt(m);
    case "connmark":
      return connmarkMt(m);
    case "set":
      return setMt(m);
  }
}
