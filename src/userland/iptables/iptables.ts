// iptables, iptables-save and iptables-restore as iptables 1.8.9 (nf_tables) print them. Each
// change reads the table (IPT_SO_GET_ENTRIES), edits a copy and swaps the whole table back
// (IPT_SO_SET_REPLACE); the kernel validates, so a failure leaves the table as it was.
import {
  IPT_F_FRAG,
  IPT_F_GOTO,
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type IptChain,
  type IptEntry,
  type IptTable,
  iptDefaultTable,
  iptGetTable,
  iptReplaceTable,
  iptTableNames,
  KernelError,
  type Task,
  type XtTarget,
} from "../../kernel/syscalls.js";
import { strerror } from "../ip/utils.js";
import { ctimeNow } from "../libc_time.js";
import type { Proc, ProgramResult } from "../program.js";
import {
  type Draft,
  emptyRule,
  finishMatch,
  finishTarget,
  KNOWN_MATCHES,
  type ListFormat,
  listRule,
  matchForOption,
  newDraft,
  ParamError,
  type ParsedRule,
  PlainError,
  parseAddrMask,
  parseMatchOption,
  parseProtocol,
  printNum,
  STANDARD_TARGETS,
  saveRule,
  TWO_ARGS,
  takesArgument,
  targetTakes,
} from "./rule.js";
import { resolveSets } from "./sets.js";

const VERSION = "1.8.9";
const BUILTIN = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);
const TARGET_EXTS = new Set([
  "REJECT",
  "LOG",
  "MARK",
  "CONNMARK",
  "CT",
  "NOTRACK",
  "SNAT",
  "DNAT",
  "MASQUERADE",
  "REDIRECT",
  "SET",
  "TCPMSS",
  "TRACE",
]);

type Variant = "nf_tables" | "legacy";

interface Command {
  cmd: string;
  chain: string | undefined;
  arg2: string | undefined;
  rulenum: number | undefined;
}

interface Parsed {
  table: string;
  command: Command | undefined;
  format: { numeric: boolean; verbose: boolean; exact: boolean; lineNumbers: boolean };
  rule: ParsedRule;
  /** The -j/-g target's own options, in order. */
  targetOpts: [string, string | undefined][];
  goto: boolean;
  zeroAfterList: boolean;
}

const COMMANDS: Readonly<Record<string, string>> = {
  "-A": "A",
  "--append": "A",
  "-C": "C",
  "--check": "C",
  "-D": "D",
  "--delete": "D",
  "-I": "I",
  "--insert": "I",
  "-R": "R",
  "--replace": "R",
  "-L": "L",
  "--list": "L",
  "-S": "S",
  "--list-rules": "S",
  "-F": "F",
  "--flush": "F",
  "-Z": "Z",
  "--zero": "Z",
  "-N": "N",
  "--new-chain": "N",
  "-X": "X",
  "--delete-chain": "X",
  "-P": "P",
  "--policy": "P",
  "-E": "E",
  "--rename-chain": "E",
};

/** Splits bundled short options (`-nvL` is -n -v -L; what follows an option taking an argument is it). */
const WITH_ARG: ReadonlySet<string> = new Set("ACDIRNPEtpsdiojgm".split(""));
const OPT_ARG: ReadonlySet<string> = new Set("LSFZX".split(""));

function expand(argv: readonly string[]): string[] {
  const out: string[] = [];
  const withArg = WITH_ARG;
  const optArg = OPT_ARG;
  for (const a of argv) {
    if (!/^-[A-Za-z]{2,}/.test(a)) {
      out.push(a);
      continue;
    }
    let i = 1;
    for (; i < a.length; i++) {
      const c = a[i] as string;
      out.push(`-${c}`);
      if ((withArg.has(c) || optArg.has(c)) && i + 1 < a.length) {
        out.push(a.slice(i + 1));
        break;
      }
    }
  }
  return out;
}

function parseRulenum(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new ParamError(`Invalid rule number \`${text}'`);
  return Number(text);
}

/** do_parse: argv into a command, its chain, and the rule. */
/**
 * do_parse's walk over the words: the next word as an option's argument, an optional one, and
 * options given twice. A class, so that no closure is made per command (tsx names each one).
 */
class ArgCursor {
  i = 0;
  readonly #seen = new Set<string>();

  constructor(readonly args: readonly string[]) {}

  next(opt: string): string {
    const v = this.args[++this.i];
    if (v === undefined) throw new ParamError(`option "${opt}" requires an argument`);
    return v;
  }

  optional(): string | undefined {
    const v = this.args[this.i + 1];
    if (v === undefined || (v.startsWith("-") && v.length > 1) || v === "!") return undefined;
    this.i++;
    return v;
  }

  once(flag: string, letter: string): void {
    if (this.#seen.has(flag)) throw new ParamError(`multiple -${letter} flags not allowed`);
    this.#seen.add(flag);
  }
}

function parseArgs(argv: readonly string[]): Parsed {
  const args = expand(argv);
  const p: Parsed = {
    table: "filter",
    command: undefined,
    format: { numeric: false, verbose: false, exact: false, lineNumbers: false },
    rule: emptyRule(),
    targetOpts: [],
    goto: false,
    zeroAfterList: false,
  };
  const drafts: Draft[] = [];
  let invert = false;
  const cur = new ArgCursor(args);
  const inv = (bit: number) => {
    if (invert) p.rule.ip.invflags |= bit;
  };
  for (; cur.i < args.length; cur.i++) {
    const a = args[cur.i] as string;
    if (a === "!") {
      if (invert) throw new ParamError("multiple consecutive ! not allowed");
      invert = true;
      continue;
    }
    const cmd = COMMANDS[a];
    if (cmd) {
      // -L and -Z combine: list, then zero the counters.
      if (p.command && ((p.command.cmd === "L" && cmd === "Z") || (p.command.cmd === "Z" && cmd === "L"))) {
        p.command.cmd = "L";
        p.zeroAfterList = true;
        continue;
      }
      if (p.command) throw new ParamError(`Cannot use -${p.command.cmd} with -${cmd}`);
      const c: Command = { cmd, chain: undefined, arg2: undefined, rulenum: undefined };
      p.command = c;
      switch (cmd) {
        case "A":
        case "C":
        case "N":
          c.chain = cur.next(a);
          break;
        case "D":
        case "I": {
          c.chain = cur.next(a);
          const n = args[cur.i + 1];
          if (n !== undefined && /^\d+$/.test(n)) {
            cur.i++;
            c.rulenum = parseRulenum(n);
          }
          break;
        }
        case "R":
          c.chain = cur.next(a);
          c.rulenum = parseRulenum(cur.next(a));
          break;
        case "L":
        case "S":
        case "Z": {
          c.chain = cur.optional();
          if (c.chain !== undefined) {
            const n = cur.optional();
            if (n !== undefined) c.rulenum = parseRulenum(n);
          }
          break;
        }
        case "F":
        case "X":
          c.chain = cur.optional();
          break;
        case "P":
        case "E":
          c.chain = cur.next(a);
          c.arg2 = cur.next(a);
          break;
      }
      continue;
    }
    switch (a) {
      case "-t":
      case "--table":
        if (invert) throw new ParamError("unexpected ! flag before --table");
        p.table = cur.next(a);
        continue;
      case "-n":
      case "--numeric":
        p.format.numeric = true;
        continue;
      case "-v":
      case "--verbose":
        p.format.verbose = true;
        continue;
      case "-x":
      case "--exact":
        p.format.exact = true;
        continue;
      case "--line-numbers":
        p.format.lineNumbers = true;
        continue;
      case "-w":
      case "--wait":
        cur.optional();
        continue;
      case "-4":
      case "--ipv4":
        continue;
      case "-p":
      case "--protocol":
        cur.once("p", "p");
        p.rule.ip.proto = parseProtocol(cur.next(a));
        inv(IPT_INV_PROTO);
        invert = false;
        continue;
      case "-s":
      case "--source":
      case "--src": {
        cur.once("s", "s");
        const { addr, mask } = parseAddrMask(cur.next(a));
        Object.assign(p.rule.ip, { src: addr, smsk: mask });
        inv(IPT_INV_SRCIP);
        invert = false;
        continue;
      }
      case "-d":
      case "--destination":
      case "--dst": {
        cur.once("d", "d");
        const { addr, mask } = parseAddrMask(cur.next(a));
        Object.assign(p.rule.ip, { dst: addr, dmsk: mask });
        inv(IPT_INV_DSTIP);
        invert = false;
        continue;
      }
      case "-i":
      case "--in-interface":
        cur.once("i", "i");
        p.rule.ip.iniface = cur.next(a);
        if (p.rule.ip.iniface.length > 15)
          throw new ParamError(`interface name \`${p.rule.ip.iniface}' must be shorter than IFNAMSIZ (15)`);
        inv(IPT_INV_VIA_IN);
        invert = false;
        continue;
      case "-o":
      case "--out-interface":
        cur.once("o", "o");
        p.rule.ip.outiface = cur.next(a);
        if (p.rule.ip.outiface.length > 15)
          throw new ParamError(`interface name \`${p.rule.ip.outiface}' must be shorter than IFNAMSIZ (15)`);
        inv(IPT_INV_VIA_OUT);
        invert = false;
        continue;
      case "-f":
      case "--fragment":
        cur.once("f", "f");
        p.rule.ip.flags |= IPT_F_FRAG;
        inv(IPT_INV_FRAG);
        invert = false;
        continue;
      case "-j":
      case "--jump":
      case "-g":
      case "--goto":
        if (p.rule.target !== undefined) throw new ParamError("multiple -j flags not allowed");
        p.rule.target = cur.next(a);
        p.goto = a === "-g" || a === "--goto";
        continue;
      case "-m":
      case "--match": {
        const name = cur.next(a);
        if (!KNOWN_MATCHES.has(name))
          throw new ParamError(`Couldn't load match \`${name}':No such file or directory\n`);
        if (name === "tcp" && p.rule.ip.proto !== 6) throw new ParamError("TCP match requires '-p tcp'");
        if (name === "udp" && p.rule.ip.proto !== 17) throw new ParamError("UDP match requires '-p udp'");
        drafts.push(newDraft(name));
        continue;
      }
    }
    if (a.startsWith("-")) {
      if (targetTakes(p.rule.target, a)) {
        p.targetOpts.push([
          a,
          TWO_ARGS.has(a)
            ? `${cur.next(a)} ${args[cur.i + 1] ?? ""}`.trimEnd()
            : takesArgument(a)
              ? cur.next(a)
              : undefined,
        ]);
        if (TWO_ARGS.has(a) && args[cur.i + 1] !== undefined && !/^[-!]/.test(args[cur.i + 1] as string))
          cur.i++;
        invert = false;
        continue;
      }
      let d = matchForOption(drafts, a);
      if (!d) {
        // An option of the protocol's match loads it implicitly (-p tcp --dport 80).
        const implicit = { 6: "tcp", 17: "udp", 1: "icmp" }[p.rule.ip.proto as 6 | 17 | 1];
        if (implicit && !(p.rule.ip.invflags & IPT_INV_PROTO)) {
          const draft = newDraft(implicit);
          if (matchForOption([draft], a)) {
            drafts.push(draft);
            d = draft;
          }
        }
      }
      if (!d) throw new ParamError(`unknown option "${a}"`);
      if (invert && d.kind === "statistic" && a === "--mode")
        throw new ParamError(`statistic: option "--mode" cannot be inverted.\n`);
      // --tcp-flags takes two words: the mask and the flags that must be set.
      let arg =
        a === "--tcp-flags" ? `${cur.next(a)} ${cur.next(a)}` : takesArgument(a) ? cur.next(a) : undefined;
      // libxt_set: NAME then FLAGS, the second word only if it is not an option.
      if (TWO_ARGS.has(a) && args[cur.i + 1] !== undefined && !/^[-!]/.test(args[cur.i + 1] as string))
        arg = `${arg} ${args[++cur.i]}`;
      parseMatchOption(d, a, arg, invert);
      invert = false;
      continue;
    }
    throw new ParamError(`Bad argument \`${a}'`);
  }
  p.rule.matches = drafts.map(finishMatch);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Table editing.

function zero(): { pcnt: number; bcnt: number } {
  return { pcnt: 0, bcnt: 0 };
}

function findChain(t: IptTable, name: string): IptChain | undefined {
  return t.chains.find((c) => c.name === name);
}

/** Sorted as iptables lists them: built-in chains in hook order, then user chains by strcmp. */
function ordered(t: IptTable): IptChain[] {
  const builtin = t.chains.filter((c) => c.policy !== undefined);
  const user = t.chains
    .filter((c) => c.policy === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtin, ...user];
}

function withChain(t: IptTable, name: string, f: (c: IptChain) => IptChain): IptTable {
  return { ...t, chains: t.chains.map((c) => (c.name === name ? f(c) : c)) };
}

function references(t: IptTable, name: string): number {
  let n = 0;
  for (const c of t.chains)
    for (const e of c.entries) if (e.target.kind === "jump" && e.target.chain === name) n++;
  return n;
}

/** The rule as the kernel takes it; the -j name resolved against the table. */
function buildEntry(p: Parsed, t: IptTable, deferChains = false): IptEntry {
  const name = p.rule.target;
  let target: XtTarget = { kind: "standard", verdict: "CONTINUE" };
  const flags = p.rule.ip.flags | (p.goto ? IPT_F_GOTO : 0);
  if (name !== undefined) {
    if ((STANDARD_TARGETS as readonly string[]).includes(name)) {
      if (p.goto) throw new ParamError(`goto '${name}' is not a chain`);
      if (name === "DROP" && t.name === "nat") throw new ParamError(NAT_NO_DROP);
      target = { kind: "standard", verdict: name as "ACCEPT" };
    } else if (TARGET_EXTS.has(name)) {
      target = finishTarget(
        name,
        p.targetOpts,
        p.rule.ip.invflags & IPT_INV_PROTO ? 0 : p.rule.ip.proto,
      ) as XtTarget;
    } else {
      if (!deferChains && !findChain(t, name)) throw new ParamError(`Chain '${name}' does not exist`);
      target = { kind: "jump", chain: name };
    }
  }
  if (p.targetOpts.length && !TARGET_EXTS.has(name ?? ""))
    throw new ParamError(`unknown option "${p.targetOpts[0]?.[0]}"`);
  return { ip: { ...p.rule.ip, flags }, matches: p.rule.matches, target, counters: zero() };
}

// ---------------------------------------------------------------------------------------------
// Output.

function listChain(t: IptTable, c: IptChain, f: ListFormat, out: string[]): void {
  let head = `Chain ${c.name}`;
  if (c.policy !== undefined) {
    head += ` (policy ${c.policy}`;
    if (f.verbose)
      head += ` ${printNum(c.counters.pcnt, f, true)}packets, ${printNum(c.counters.bcnt, f, true)}bytes`;
    head += ")";
  } else head += ` (${references(t, c.name)} references)`;
  out.push(head);
  let cols = "";
  if (f.lineNumbers) cols += "num  ";
  if (f.verbose) cols += f.exact ? `${"pkts".padStart(8)} ${"bytes".padStart(10)} ` : " pkts bytes ";
  cols += "target    ";
  cols += " prot opt";
  if (f.verbose) cols += ` ${"in".padEnd(6)} ${"out".padEnd(6)} `;
  cols += ` ${"source".padEnd(19)} `;
  cols += ` ${"destination".padEnd(19)} `;
  out.push(cols);
  c.entries.forEach((e, i) => {
    out.push(listRule(e, i + 1, f));
  });
}

function ruleSpecLines(c: IptChain, counters: boolean): string[] {
  return c.entries.map(
    (e) => `${counters ? `[${e.counters.pcnt}:${e.counters.bcnt}] ` : ""}-A ${c.name}${saveRule(e)}`,
  );
}

/** iptables-save's text for one table. */
export function saveTable(t: IptTable, counters: boolean, date: string, variant: Variant): string {
  const lines = [`# Generated by iptables-save v${VERSION} (${variant}) on ${date}`, `*${t.name}`];
  const chains = ordered(t);
  for (const c of chains) lines.push(`:${c.name} ${c.policy ?? "-"} [${c.counters.pcnt}:${c.counters.bcnt}]`);
  for (const c of chains) lines.push(...ruleSpecLines(c, counters));
  lines.push("COMMIT", `# Completed on ${date}`);
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Running one command against a table (shared by iptables and iptables-restore).

const NFT_OP: Readonly<Record<string, string>> = {
  A: "RULE_APPEND",
  I: "RULE_INSERT",
  R: "RULE_REPLACE",
  D: "RULE_DELETE",
  N: "CHAIN_ADD",
  X: "CHAIN_DEL",
  E: "CHAIN_RENAME",
  F: "RULE_DELETE",
  P: "CHAIN_ADD",
  Z: "RULE_REPLACE",
};

/** The chain a command names, or iptables' 'No chain/target/match by that name.' */
function needChain(t: IptTable, name: string | undefined): IptChain {
  const ch = name === undefined ? undefined : findChain(t, name);
  if (!ch) throw new PlainError("No chain/target/match by that name.");
  return ch;
}

/** What one command does to a table: the new table, or undefined when it only reads. */
function apply(
  p: Parsed,
  t: IptTable,
  out: string[],
  opts: {
    restore?: boolean;
    owned?: WeakSet<readonly IptEntry[]>;
    /** iptables-restore's batch: the position of the next object this command creates. */
    seq?: () => number;
    /** iptables-restore's batch: where each rule it creates stands in it. */
    ruleSeq?: Map<IptEntry, number>;
  } = {},
): IptTable | undefined {
  const c = p.command as Command;
  const chainName = c.chain;
  const f: ListFormat = p.format;
  switch (c.cmd) {
    case "A":
    case "I":
    case "R":
    case "D":
    case "C": {
      const ch = needChain(t, chainName);
      const byNumber = c.rulenum !== undefined && (c.cmd === "D" || c.cmd === "R" || c.cmd === "I");
      const built = c.cmd === "D" && byNumber ? undefined : buildEntry(p, t, opts.restore);
      const entry = built;
      if (built && opts.seq && opts.ruleSeq && (c.cmd === "A" || c.cmd === "I"))
        opts.ruleSeq.set(built, opts.seq());
      // iptables-restore appends to the rule arrays it made itself in place (O(1) per -A, not a copy).
      const inPlace = c.cmd === "A" && opts.owned?.has(ch.entries) === true;
      const entries = inPlace ? (ch.entries as IptEntry[]) : [...ch.entries];
      switch (c.cmd) {
        case "A":
          entries.push(entry as IptEntry);
          break;
        case "I": {
          const at = (c.rulenum ?? 1) - 1;
          if (at > entries.length) throw new PlainError("Index of insertion too big.");
          entries.splice(at, 0, entry as IptEntry);
          break;
        }
        case "R": {
          const at = (c.rulenum as number) - 1;
          if (ch.policy !== undefined && !ch.hooked)
            throw new PlainError("No chain/target/match by that name.");
          if (at >= entries.length) throw new PlainError("Index of replacement too big.");
          // NLM_F_REPLACE with the old rule's handle: the new rule keeps it.
          const handle = (entries[at] as IptEntry).handle;
          entries[at] = handle !== undefined ? { ...(entry as IptEntry), handle } : (entry as IptEntry);
          break;
        }
        case "D":
        case "C": {
          if (byNumber) {
            const at = (c.rulenum as number) - 1;
            // A built-in chain iptables-nft has not created (or deleted) is not in the kernel.
            if (ch.policy !== undefined && !ch.hooked)
              throw new PlainError("No chain/target/match by that name.");
            if (at >= entries.length) throw new PlainError("Index of deletion too big.");
            entries.splice(at, 1);
            break;
          }
          const want = saveRule(entry as IptEntry);
          const at = entries.findIndex((e) => saveRule(e) === want);
          if (at < 0) throw new PlainError("Bad rule (does a matching rule exist in that chain?).");
          if (c.cmd === "C") return undefined;
          entries.splice(at, 1);
          break;
        }
      }
      if (inPlace) return t;
      opts.owned?.add(entries);
      return withChain(t, ch.name, (x) => ({ ...x, entries }));
    }
    case "L":
    case "S": {
      if (chainName !== undefined && !findChain(t, chainName)) {
        if (c.cmd === "L")
          throw new PlainError(
            `iptables v${VERSION} (nf_tables): chain \`${chainName}' in table \`${t.name}' is incompatible, use 'nft' tool.\n`,
            1,
            true,
          );
        throw new PlainError("No chain/target/match by that name.");
      }
      const chains = ordered(t).filter((x) => chainName === undefined || x.name === chainName);
      if (c.cmd === "L") {
        if (c.rulenum !== undefined) {
          const ch = chains[0] as IptChain;
          const e = ch.entries[c.rulenum - 1];
          if (e) out.push(listRule(e, c.rulenum, f));
          return undefined;
        }
        chains.forEach((ch, i) => {
          if (i > 0) out.push("");
          listChain(t, ch, f, out);
        });
        return undefined;
      }
      if (c.rulenum !== undefined) {
        const ch = chains[0] as IptChain;
        const e = ch.entries[c.rulenum - 1];
        if (e) out.push(`-A ${ch.name}${saveRule(e)}`);
        return undefined;
      }
      for (const ch of chains)
        out.push(ch.policy !== undefined ? `-P ${ch.name} ${ch.policy}` : `-N ${ch.name}`);
      for (const ch of chains) out.push(...ruleSpecLines(ch, false));
      return undefined;
    }
    case "F": {
      if (chainName !== undefined) {
        needChain(t, chainName);
        return withChain(t, chainName, (x) => ({ ...x, entries: [] }));
      }
      return { ...t, chains: t.chains.map((x) => ({ ...x, entries: [] })) };
    }
    case "Z": {
      if (chainName !== undefined) needChain(t, chainName);
      return {
        ...t,
        chains: t.chains.map((x) =>
          chainName !== undefined && x.name !== chainName
            ? x
            : { ...x, counters: zero(), entries: x.entries.map((e) => ({ ...e, counters: zero() })) },
        ),
      };
    }
    case "N": {
      const name = chainName as string;
      if (findChain(t, name)) throw new PlainError("Chain already exists.");
      if (name.length > 28) throw new ParamError(`chain name \`${name}' too long (must be under 29 chars)`);
      if (
        name.startsWith("-") ||
        name.startsWith("!") ||
        (STANDARD_TARGETS as readonly string[]).includes(name) ||
        TARGET_EXTS.has(name)
      )
        throw new ParamError(`chain name not allowed to start with \`${name[0]}'\n`);
      return {
        ...t,
        chains: [
          ...t.chains,
          {
            name,
            policy: undefined,
            hooked: false,
            stats: false,
            counters: zero(),
            entries: [],
            ...(opts.seq ? { seq: opts.seq() } : {}),
          },
        ],
      };
    }
    case "X": {
      const victims =
        chainName !== undefined ? [needChain(t, chainName)] : t.chains.filter((x) => x.policy === undefined);
      let next = t;
      for (const v of victims) {
        if (v.policy !== undefined || v.entries.length > 0 || references(next, v.name) > 0)
          throw new PlainError(
            `iptables v${VERSION} (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain ${v.name}\n`,
            4,
            true,
          );
        next = { ...next, chains: next.chains.filter((x) => x.name !== v.name) };
      }
      // nft_may_delete_chain: -X without a chain also deletes empty built-in chains whose
      // policy is ACCEPT (listings still show them, as defaults).
      if (chainName === undefined)
        next = {
          ...next,
          chains: next.chains.map((x) =>
            x.policy === "ACCEPT" && x.entries.length === 0
              ? { ...x, hooked: false, stats: false, counters: zero() }
              : x,
          ),
        };
      return next;
    }
    case "E": {
      const old = needChain(t, chainName);
      const to = c.arg2 as string;
      if (findChain(t, to)) throw new PlainError("File exists.");
      if (old.policy !== undefined) throw new PlainError("No chain/target/match by that name.");
      return {
        ...t,
        chains: t.chains.map((x) => ({
          ...(x.name === old.name ? { ...x, name: to } : x),
          entries: x.entries.map((e) =>
            e.target.kind === "jump" && e.target.chain === old.name
              ? { ...e, target: { kind: "jump", chain: to } }
              : e,
          ),
        })),
      };
    }
    case "P": {
      const policy = c.arg2 as string;
      const ch = findChain(t, chainName as string);
      if (policy === "DROP" && t.name === "nat") throw new ParamError(NAT_NO_DROP);
      if (policy !== "ACCEPT" && policy !== "DROP") {
        if (!ch || ch.policy === undefined) throw new PlainError("Bad built-in chain name.");
        throw new PlainError("Bad policy name. Run `dmesg' for more information.");
      }
      if (!ch || ch.policy === undefined) throw new PlainError("Bad built-in chain name.");
      // nft_chain_set sends the chain anew: its counters start again from zero.
      return withChain(t, ch.name, (x) => ({ ...x, policy, hooked: true, stats: true, counters: zero() }));
    }
  }
  return undefined;
}

const NAT_NO_DROP =
  '\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n';

function kernelMessage(e: KernelError, c: Command): PlainError {
  const what =
    c.cmd === "N" || c.cmd === "X" || c.cmd === "E" ? `chain ${c.chain}` : `rule in chain ${c.chain}`;
  return new PlainError(
    `iptables v${VERSION} (nf_tables):  ${NFT_OP[c.cmd] ?? "RULE_APPEND"} failed (${strerror(e.errno)}): ${what}\n`,
    4,
    true,
  );
}

/** nft_init's first request refused without CAP_NET_ADMIN (nfnetlink_rcv), after the table name passed. */
function permissionDenied(prog: string, variant: Variant): PlainError {
  return new PlainError(
    `${prog} v${VERSION} (${variant}): Could not fetch rule set generation id: Permission denied (you must be root)\n`,
    4,
    true,
  );
}

/** The table name is checked against the built-in tables before the kernel is asked. */
function knownTable(task: Task, name: string): boolean {
  try {
    iptDefaultTable(task, name);
    return true;
  } catch {
    return false;
  }
}

function loadTable(task: Task, name: string): { table: IptTable; exists: boolean } {
  let t: IptTable | undefined;
  try {
    t = iptGetTable(task, name);
  } catch (e) {
    if (e instanceof KernelError && e.errno === "EPERM" && knownTable(task, name))
      throw permissionDenied("iptables", "nf_tables");
    if (e instanceof KernelError)
      throw new PlainError(
        `iptables v${VERSION} (nf_tables): table '${name}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`,
        3,
        true,
      );
    throw e;
  }
  return t ? { table: t, exists: true } : { table: iptDefaultTable(task, name), exists: false };
}

function progName(argv0: string): { prog: string; variant: Variant } {
  const base = argv0.split("/").pop() ?? argv0;
  return {
    prog: base.replace(/-(nft|legacy)/, ""),
    variant: base.includes("legacy") ? "legacy" : "nf_tables",
  };
}

function paramText(prog: string, variant: Variant, e: ParamError): string {
  return `${prog} v${VERSION} (${variant}): ${e.message}\nTry \`${prog} -h' or '${prog} --help' for more information.\n`;
}

const HELP = `iptables v${VERSION}

Usage: iptables -[ACD] chain rule-specification [options]
       iptables -I chain [rulenum] rule-specification [options]
       iptables -R chain rulenum rule-specification [options]
       iptables -D chain rulenum [options]
       iptables -[LS] [chain [rulenum]] [options]
       iptables -[FZ] [chain] [options]
       iptables -[NX] chain
       iptables -E old-chain-name new-chain-name
       iptables -P chain target [options]
       iptables -h (print this help information)
`;

export function iptables(argv: readonly string[], proc: Proc): ProgramResult {
  const { prog, variant } = progName(argv[0] ?? "iptables");
  const out: string[] = [];
  const rest = argv.slice(1);
  if (rest.includes("-h") || rest.includes("--help")) return { stdout: HELP, stderr: "", exitCode: 0 };
  if (rest.includes("-V") || rest.includes("--version"))
    return { stdout: `${prog} v${VERSION} (${variant})\n`, stderr: "", exitCode: 0 };
  try {
    const p = parseArgs(rest);
    if (!p.command) throw new ParamError("no command specified");
    resolveSets(proc.task, p.rule, p.targetOpts);
    const { table } = loadTable(proc.task, p.table);
    let next = apply(p, table, out);
    // nft_xt_builtin_init: a change naming a built-in chain creates it.
    const named = p.command.chain;
    if (next && named !== undefined && BUILTIN.has(named))
      next = withChain(next, named, (c) => (c.policy !== undefined ? { ...c, hooked: true } : c));
    if (p.zeroAfterList)
      next = apply({ ...p, command: { ...p.command, cmd: "Z", rulenum: undefined } }, table, []);
    if (next) {
      try {
        iptReplaceTable(proc.task, next);
      } catch (e) {
        if (e instanceof KernelError) {
          if (e.errno === "EPERM")
            throw new PlainError(
              `${prog} v${VERSION} (${variant}): Could not fetch rule set generation id: Permission denied (you must be root)\n\n`,
              4,
              true,
            );
          throw kernelMessage(e, p.command);
        }
        throw e;
      }
    }
    return { stdout: out.length ? `${out.join("\n")}\n` : "", stderr: "", exitCode: 0 };
  } catch (e) {
    const stdout = out.length ? `${out.join("\n")}\n` : "";
    if (e instanceof ParamError) return { stdout, stderr: paramText(prog, variant, e), exitCode: 2 };
    if (e instanceof PlainError)
      return { stdout, stderr: e.raw ? e.message : `${prog}: ${e.message}\n`, exitCode: e.status };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// iptables-save

export function iptablesSave(argv: readonly string[], proc: Proc): ProgramResult {
  const { variant } = progName(argv[0] ?? "iptables-save");
  let counters = false;
  let only: string | undefined;
  const args = expand(argv.slice(1));
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-c" || a === "--counters") counters = true;
    else if (a === "-t" || a === "--table") only = args[++i];
    else if (a.startsWith("--table=")) only = a.slice(8);
    else if (a === "-M" || a === "--modprobe" || a === "-f" || a === "--file") i++;
    else if (a === "-4" || a === "--ipv4") continue;
    else
      return {
        stdout: "",
        stderr: `iptables-save: ${a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1)}'`}\nLook at manual page \`iptables-save.8' for more information.\n`,
        exitCode: 1,
      };
  }
  const date = ctimeNow(proc.task);
  let names: string[];
  try {
    names = iptTableNames(proc.task);
  } catch (e) {
    if (e instanceof KernelError && e.errno === "EPERM")
      return { stdout: "", stderr: permissionDenied("iptables-save", variant).message, exitCode: 4 };
    throw e;
  }
  if (only !== undefined) names = [only];
  let stdout = "";
  for (const name of names) {
    let t: IptTable;
    try {
      t = iptGetTable(proc.task, name) ?? iptDefaultTable(proc.task, name);
    } catch {
      return {
        stdout,
        stderr: `iptables-save v${VERSION} (${variant}): table '${name}' does not exist\n`,
        exitCode: 1,
      };
    }
    stdout += saveTable(t, counters, date, variant);
  }
  return { stdout, stderr: "", exitCode: 0 };
}

// ---------------------------------------------------------------------------------------------
// iptables-restore

/** Splits a restore line into words as iptables-restore does: double quotes group, `\\` escapes. */
/** /\s/ without a regex for ASCII: space, \t \n \v \f \r. */
function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(ch));
}

function tokenize(line: string): string[] {
  const words: string[] = [];
  // Without quotes or backslashes a word is a slice of the line between spaces.
  if (!line.includes('"') && !line.includes("\\")) {
    let start = -1;
    for (let i = 0; i <= line.length; i++) {
      if (i === line.length || isSpace(line[i] as string)) {
        if (start >= 0) words.push(line.slice(start, i));
        start = -1;
      } else if (start < 0) start = i;
    }
    return words;
  }
  let cur = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "\\" && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && isSpace(ch)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export async function iptablesRestore(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const { variant } = progName(argv[0] ?? "iptables-restore");
  let noflush = false;
  let test = false;
  let counters = false;
  let file: string | undefined;
  for (const a of expand(argv.slice(1))) {
    if (a === "-n" || a === "--noflush") noflush = true;
    else if (a === "-t" || a === "--test") test = true;
    else if (a === "-c" || a === "--counters") counters = true;
    else if (a === "-v" || a === "--verbose" || a === "-4" || a === "--ipv4") continue;
    else if (a === "-h" || a === "--help")
      return {
        stdout:
          "Usage: iptables-restore [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]\n\t   [ --counters ]\n\t   [ --verbose ]\n\t   [ --version]\n\t   [ --test ]\n\t   [ --help ]\n\t   [ --noflush ]\n\t   [ --table=<TABLE> ]\n\t   [ --modprobe=<command> ]\n\t   [ --ipv4 ]\n\t   [ --ipv6 ]\n",
        stderr: "",
        exitCode: 0,
      };
    else if (!a.startsWith("-")) file = a;
  }
  let text = proc.stdin;
  if (file !== undefined) {
    try {
      text = await proc.readFile(file);
    } catch {
      return { stdout: "", stderr: `Can't open ${file}: No such file or directory\n`, exitCode: 1 };
    }
  }
  const prog = "iptables-restore";
  const paramFail = (msg: string, line: number) => ({
    stdout: "",
    stderr: `${prog} v${VERSION} (${variant}): ${msg}\nError occurred at line: ${line}\nTry \`${prog} -h' or '${prog} --help' for more information.\n`,
    exitCode: 2,
  });
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  // The batch order of what each table's part creates (chains, rules): nf_tables gives handles in it.
  let current:
    | { name: string; table: IptTable; start: number; seq: number; ruleSeq: Map<IptEntry, number> }
    | undefined;
  const nextSeq = (): number => {
    if (!current) return 0;
    current.seq++;
    return current.seq;
  };
  const pending: IptTable[] = [];
  let denied = false;
  const owned = new WeakSet<readonly IptEntry[]>();
  for (let n = 1; n <= lines.length; n++) {
    const line = (lines[n - 1] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      const name = line.slice(1).trim();
      let loaded: ReturnType<typeof loadTable>;
      try {
        loaded = loadTable(proc.task, name);
      } catch (e) {
        if (!(e instanceof PlainError && e.status === 4))
          return paramFail(`${prog}: line ${n} table name '${name}' invalid`, n);
        // Without CAP_NET_ADMIN the batch is built and refused at its COMMIT.
        denied = true;
        loaded = { table: iptDefaultTable(proc.task, name), exists: false };
      }
      // Without --noflush the table starts over: built-in chains only, policy ACCEPT.
      const base = noflush ? loaded.table : iptDefaultTable(proc.task, name);
      current = { name, table: base, start: n, seq: 0, ruleSeq: new Map() };
      continue;
    }
    if (!current) return { stdout: "", stderr: `${prog}: line ${n} failed\n`, exitCode: 1 };
    if (line === "COMMIT") {
      if (denied) return { stdout: "", stderr: permissionDenied(prog, variant).message, exitCode: 4 };
      // Jumps to chains that never appeared are found when the batch is built, at COMMIT.
      for (const c of current.table.chains)
        for (const e of c.entries)
          if (e.target.kind === "jump" && !findChain(current.table, e.target.chain))
            return paramFail(`Chain '${e.target.chain}' does not exist`, n);
      // Without --noflush the batch deletes the table and creates it again.
      pending.push({
        ...current.table,
        batchLen: current.seq,
        ruleSeq: current.ruleSeq,
        ...(noflush ? {} : { fresh: true }),
      });
      current = undefined;
      continue;
    }
    if (line.startsWith(":")) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
      if (!m) return { stdout: "", stderr: `${prog}: line ${n} failed\n`, exitCode: 1 };
      const [, name, policy, pc, bc] = m as unknown as [string, string, string, string?, string?];
      const cnt =
        counters && pc !== undefined ? { pcnt: Number(pc), bcnt: Number(bc) } : { pcnt: 0, bcnt: 0 };
      const existing = findChain(current.table, name);
      if (policy === "-") {
        if (!existing)
          current.table = {
            ...current.table,
            chains: [
              ...current.table.chains,
              {
                name,
                policy: undefined,
                hooked: false,
                stats: false,
                counters: zero(),
                entries: [],
                seq: nextSeq(),
              },
            ],
          };
        else current.table = withChain(current.table, name, (c) => ({ ...c, entries: [] }));
        continue;
      }
      if (!existing || existing.policy === undefined)
        return { stdout: "", stderr: `${prog}: line ${n} failed: Bad built-in chain name.\n`, exitCode: 1 };
      if (policy !== "ACCEPT" && policy !== "DROP")
        return { stdout: "", stderr: `${prog}: line ${n} failed: Bad policy name.\n`, exitCode: 1 };
      current.table = withChain(current.table, name, (c) => ({
        ...c,
        policy,
        hooked: true,
        stats: true,
        counters: cnt,
        ...(c.handle === undefined && c.seq === undefined ? { seq: nextSeq() } : {}),
      }));
      continue;
    }
    let words = tokenize(line);
    let cnt: { pcnt: number; bcnt: number } | undefined;
    const cm = /^\[(\d+):(\d+)\]$/.exec(words[0] ?? "");
    if (cm) {
      cnt = counters ? { pcnt: Number(cm[1]), bcnt: Number(cm[2]) } : undefined;
      words = words.slice(1);
    }
    try {
      const p = parseArgs(words);
      if (!p.command) throw new ParamError("no command specified");
      resolveSets(proc.task, p.rule, p.targetOpts);
      p.table = current.name;
      const out: string[] = [];
      const named = p.command.chain;
      // A rule on a built-in chain the batch has not created yet creates it first.
      if (named !== undefined && BUILTIN.has(named)) {
        const ch = findChain(current.table, named);
        if (ch && ch.policy !== undefined && !ch.hooked && ch.handle === undefined && ch.seq === undefined) {
          const seq = nextSeq();
          current.table = withChain(current.table, named, (x) => ({ ...x, seq }));
        }
      }
      let next = apply(p, current.table, out, {
        restore: true,
        owned,
        seq: nextSeq,
        ruleSeq: current.ruleSeq,
      });
      if (next && named !== undefined && BUILTIN.has(named)) {
        const ch = findChain(next, named);
        if (ch && ch.policy !== undefined && !ch.hooked)
          next = withChain(next, named, (c) => ({ ...c, hooked: true }));
      }
      if (next) {
        if (cnt && (p.command.cmd === "A" || p.command.cmd === "I")) {
          const chain = findChain(next, p.command.chain as string) as IptChain;
          const idx = p.command.cmd === "A" ? chain.entries.length - 1 : (p.command.rulenum ?? 1) - 1;
          const ruleSeq = current.ruleSeq;
          const entries = chain.entries.map((e, i) => {
            if (i !== idx) return e;
            const counted = { ...e, counters: cnt as { pcnt: number; bcnt: number } };
            const seq = ruleSeq.get(e);
            if (seq !== undefined) ruleSeq.set(counted, seq);
            return counted;
          });
          current.table = withChain(next, chain.name, (c) => ({ ...c, entries }));
        } else current.table = next;
      }
    } catch (e) {
      if (e instanceof ParamError) return paramFail(e.message, n);
      if (e instanceof PlainError)
        return {
          stdout: "",
          stderr: `${prog}: line ${n} failed: ${e.raw ? e.message.trim() : e.message}\n`,
          exitCode: 1,
        };
      throw e;
    }
  }
  if (current)
    return { stdout: "", stderr: `${prog}: COMMIT expected at line ${lines.length + 1}\n`, exitCode: 1 };
  if (test) return { stdout: "", stderr: "", exitCode: 0 };
  for (const t of pending) {
    try {
      iptReplaceTable(proc.task, t);
    } catch (e) {
      if (e instanceof KernelError)
        return {
          stdout: "",
          stderr: `${prog}: line ${lines.length} failed: ${strerror(e.errno)}.\n`,
          exitCode: 1,
        };
      throw e;
    }
  }
  return { stdout: "", stderr: "", exitCode: 0 };
}
