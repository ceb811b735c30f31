// libxt_set's get_set_byname: a rule names a set; the kernel wants its index (IP_SET_OP_GET_BYNAME
// on the ipset socket), and a name the kernel does not know is the tool's error, not the kernel's.
import { ipsetGetByName, type Task } from "../../kernel/syscalls.js";
import type { XtMatch } from "../../kernel/uapi_netfilter.js";
import { ParamError, type ParsedRule } from "./rule.js";

function indexOf(task: Task, name: string): number {
  const index = ipsetGetByName(task, name);
  if (index === undefined) throw new ParamError(`Set ${name} doesn't exist.\n`);
  return index;
}

/**
 * Resolves the set names of a parsed rule: set matches get their index now; the SET target's
 * --add-set/--del-set words get it as a third word for finishTarget.
 */
export function resolveSets(task: Task, rule: ParsedRule, targetOpts?: [string, string | undefined][]): void {
  rule.matches = rule.matches.map((m): XtMatch => {
    if (m.kind !== "set") return m;
    return { ...m, matchSet: { ...m.matchSet, index: indexOf(task, m.matchSet.name) } };
  });
  if (!targetOpts) return;
  targetOpts.forEach((o, i) => {
    if ((o[0] !== "--add-set" && o[0] !== "--del-set") || o[1] === undefined) return;
    const words = o[1].split(" ");
    if (words.length !== 2) return;
    targetOpts[i] = [o[0], `${o[1]} ${indexOf(task, words[0] as string)}`];
  });
}
