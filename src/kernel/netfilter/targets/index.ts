// The target registry (xt_register_target): REJECT, LOG and MARK. The standard verdicts and
// jumps are compiled by x_tables.ts itself.
import type { XtTarget } from "../../uapi_netfilter.js";
import type { XtCheckParam, XtTargetFn } from "../x_tables.js";
import { rejectTg, rejectTgCheck } from "./ipt_REJECT.js";
import { ctTargetCheck, ctTargetCompile } from "./xt_conntrack_targets.js";
import { logTg, logTgCheck } from "./xt_LOG.js";
import { markTg } from "./xt_MARK.js";
import { setTg, setTgCheck } from "./xt_SET.js";
import { tcpmssTg, tcpmssTgCheck } from "./xt_TCPMSS.js";
import { traceTg } from "./xt_TRACE.js";

type Ext = Exclude<XtTarget, { kind: "standard" | "jump" }>;

export function targetCheck(t: Ext, par: XtCheckParam): void {
  switch (t.kind) {
    case "REJECT":
      rejectTgCheck(t, par);
      return;
    case "LOG":
      logTgCheck(t, par);
      return;
    case "MARK":
    case "TRACE":
      return;
    case "SET":
      setTgCheck(t, par);
      return;
    case "TCPMSS":
      tcpmssTgCheck(t, par);
      return;
    default:
      ctTargetCheck(t, par);
  }
}

export function targetCompile(t: Ext, par: XtCheckParam): XtTargetFn {
  switch (t.kind) {
    case "REJECT":
      return rejectTg(t);
    case "LOG":
      return logTg(t);
    case "MARK":
      return markTg(t);
    case "SET":
      return setTg(t);
    case "TCPMSS":
      return tcpmssTg(t);
    case "TRACE":
      return traceTg();
    default:
      return ctTargetCompile(t, par);
  }
}
