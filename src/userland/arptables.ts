// arptables, arptables-save and arptables-restore as arptables-nft 1.8.9 (iptables 1.8.9,
// nf_tables backend) prints and parses them. Each change reads the ARP filter table
// (ARPT_SO_GET_ENTRIES), edits a copy and swaps the whole table back (ARPT_SO_SET_REPLACE); the
// kernel validates, so a failure leaves the table as it was.
//
// arptables-nft keeps two views of a rule: the one parsed from the command line, and the one it
// reads back from the kernel's nf_tables expressions, which drops what nft_arp_add never sent
// (masks on the opcode, hardware and protocol types) and what nft_arp_parse_payload cannot read
// back (masked MAC addresses, the inversion of --h-length). Listings, saves and the rule
// comparison of -D and -C use the second view, as the real tool does.
import {
  ARPT_INV_ARPHLN,
  ARPT_INV_ARPHRD,
  ARPT_INV_ARPOP,
  ARPT_INV_ARPPRO,
  ARPT_INV_SRCDEVADDR,
  ARPT_INV_SRCIP,
  ARPT_INV_TGTDEVADDR,
  ARPT_INV_TGTIP,
  ARPT_INV_VIA_IN,
  ARPT_INV_VIA_OUT,
  ARPT_MANGLE_SDEV,
  ARPT_MANGLE_SIP,
  ARPT_MANGLE_TDEV,
  ARPT_MANGLE_TIP,
  type ArptArp,
  type ArptChain,
  type ArptDevaddr,
  type ArptEntry,
  type ArptTable,
  type ArptTarget,
  arptDefaultTable,
  arptGetTable,
  arptReplaceTable,
  KernelError,
  type Task,
} from "../kernel/syscalls.js";
import { formatIPv4, parseIPv4 } from "../wire/addr.js";
import { strerror } from "./ip/utils.js";
import { type ListFormat, ParamError, PlainError, printNum } from "./iptables/rule.js";
import { ctimeNow } from "./libc_time.js";
import type { Proc, ProgramResult } from "./program.js";

const VERSION = "1.8.9 (nf_tables)";
const BUILTIN: readonly string[] = ["INPUT", "OUTPUT"];
const STANDARD = ["ACCEPT", "DROP", "RETURN"] as const;
/** The target extensions arptables knows by name (a chain may not be called so). */
const TARGET_NAMES: ReadonlySet<string> = new Set([...STANDARD, "mangle", "CLASSIFY", "MARK", "standard"]);

/** arp_opcodes[] */
const OPCODES = [
  "Request",
  "Reply",
  "Request_Reverse",
  "Reply_Reverse",
  "DRARP_Request",
  "DRARP_Reply",
  "DRARP_Error",
  "InARP_Request",
  "ARP_NAK",
] as const;

// The option bits of xshared.c (optflags[]), for "multiple -X flags" and generic_opt_check.
const OPT_FLAGS = [
  "n",
  "s",
  "d",
  "p",
  "j",
  "v",
  "x",
  "i",
  "o",
  "0",
  "c",
  "f",
  "\x02",
  "\x03",
  "l",
  "\x04",
  "\x05",
  "\x06",
];
const O = Object.fromEntries(OPT_FLAGS.map((c, i) => [c, i])) as Record<string, number>;

/** commands_v_options: x marks an option the command does not take. */
const LEGAL: Readonly<Record<string, string>> = {
  I: "x     x  x        ",
  D: "x     x  xx       ",
  Dn: "xxxxx xxxxxxxxxxxx",
  R: "x     x  x        ",
  A: "x     x  x        ",
  L: " xxxx  xx xxxxxxxx",
  F: "xxxxx xxxxxxxxxxxx",
  Z: "xxxxx xxxxxxxxxxxx",
  N: "xxxxx xxxxxxxxxxxx",
  X: "xxxxx xxxxxxxxxxxx",
  P: "xxxxx xxxx xxxxxxx",
  E: "xxxxx xxxxxxxxxxxx",
  S: "xxxxx xxxxxxxxxxxx",
  Zn: "xxxxx xxxxxxxxxxxx",
  C: "x     x  xx       ",
};

/** The invert bit each option sets (inverse_for_options). */
const INVERSE: Readonly<Record<string, number>> = {
  s: ARPT_INV_SRCIP,
  d: ARPT_INV_TGTIP,
  i: ARPT_INV_VIA_IN,
  o: ARPT_INV_VIA_OUT,
  "\x02": ARPT_INV_SRCDEVADDR,
  "\x03": ARPT_INV_TGTDEVADDR,
  l: ARPT_INV_ARPHLN,
  "\x04": ARPT_INV_ARPOP,
  "\x05": ARPT_INV_ARPHRD,
  "\x06": ARPT_INV_ARPPRO,
};

/** getopt_long's table (xtables-arp.c original_opts): long name to option letter. */
const LONG: Readonly<Record<string, string>> = {
  append: "A",
  delete: "D",
  check: "C",
  insert: "I",
  replace: "R",
  list: "L",
  "list-rules": "S",
  flush: "F",
  zero: "Z",
  "new-chain": "N",
  "delete-chain": "X",
  "rename-chain": "E",
  policy: "P",
  "source-ip": "s",
  "destination-ip": "d",
  "src-ip": "s",
  "dst-ip": "d",
  "source-mac": "\x02",
  "destination-mac": "\x03",
  "src-mac": "\x02",
  "dst-mac": "\x03",
  "h-length": "l",
  "p-length": "\x08",
  opcode: "\x04",
  "h-type": "\x05",
  "proto-type": "\x06",
  "in-interface": "i",
  jump: "j",
  table: "t",
  match: "m",
  numeric: "n",
  "out-interface": "o",
  verbose: "v",
  exact: "x",
  version: "V",
  help: "h",
  "line-numbers": "0",
  modprobe: "M",
  "set-counters": "c",
};
/** ARPT_OPTSTRING: letters with a required (":") or optional ("::") argument. */
const REQUIRED: ReadonlySet<string> = new Set("ACDEINPcdijopstRlM\x02\x03\x04\x05\x06\x08".split(""));
const OPTIONAL: ReadonlySet<string> = new Set("FLXZSh".split(""));

/** The rule as arptables keeps it (struct arpt_arp with its defaults, nft_arp_init_cs). */
interface Cs {
  arp: {
    -readonly [K in keyof ArptArp]: ArptArp[K];
  };
  target: string;
  /** The target extension's data (mangle, MARK), once -j loaded it. */
  ext: ArptTarget | undefined;
  counters: { pcnt: number; bcnt: number };
}

const NO_MAC: ArptDevaddr = { addr: [0, 0, 0, 0, 0, 0], mask: [0, 0, 0, 0, 0, 0] };

function initCs(): Cs {
  return {
    arp: {
      src: 0,
      smsk: 0,
      tgt: 0,
      tmsk: 0,
      srcDevaddr: NO_MAC,
      tgtDevaddr: NO_MAC,
      arhrd: 1,
      arhrdMask: 0xffff,
      arpro: 0,
      arproMask: 0,
      arhln: 6,
      arhlnMask: 0xff,
      arpop: 0,
      arpopMask: 0,
      iniface: "",
      outiface: "",
      invflags: 0,
    },
    target: "",
    ext: undefined,
    counters: { pcnt: 0, bcnt: 0 },
  };
}

interface Parsed {
  cmd: string | undefined;
  chain: string | undefined;
  rulenum: number | undefined;
  arg2: string | undefined;
  table: string;
  options: number;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  cs: Cs;
  /** -s / -d as given: each address of a comma list makes one rule. */
  srcs: { addr: number; mask: number }[];
  dsts: { addr: number; mask: number }[];
  zeroAfterList: boolean;
  /** What the parse printed to stderr without failing (deprecation warnings). */
  warnings: string[];
}

function parseRulenum(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new ParamError(`Invalid rule number \`${text}'`);
  return Number(text);
}

/** xtables_ipparse_multiple: a comma list of host[/mask]. */
function parseAddrs(text: string): { addr: number; mask: number }[] {
  return text.split(",").map((item) => {
    const slash = item.indexOf("/");
    const host = slash < 0 ? item : item.slice(0, slash);
    let mask = 0xffffffff;
    if (slash >= 0) {
      const m = item.slice(slash + 1);
      if (/^\d+$/.test(m)) {
        if (Number(m) > 32) throw new ParamError(`invalid mask \`${m}' specified`);
        mask = Number(m) === 0 ? 0 : (0xffffffff << (32 - Number(m))) >>> 0;
      } else {
        const parsed = parseIPv4(m);
        if (parsed === undefined) throw new ParamError(`invalid mask \`${m}' specified`);
        mask = parsed >>> 0;
      }
    }
    // inet_aton takes a bare number as the address it encodes.
    let addr = /^\d+$/.test(host) && Number(host) <= 0xffffffff ? Number(host) : parseIPv4(host);
    if (addr === undefined && host === "localhost") addr = 0x7f000001;
    if (addr === undefined) throw new ParamError(`host/network \`${host}' not found`);
    return { addr: (addr & mask) >>> 0, mask };
  });
}

/** xtables_parse_mac_and_mask */
function parseMac(text: string): ArptDevaddr | undefined {
  const [a, m] = text.split("/", 2) as [string, string | undefined];
  const bytes = (s: string) => {
    const parts = s.split(":");
    if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
    return parts.map((p) => Number.parseInt(p, 16));
  };
  const addr = bytes(a);
  if (!addr) return undefined;
  if (m === undefined) return { addr, mask: [255, 255, 255, 255, 255, 255] };
  const mask = bytes(m);
  return mask ? { addr, mask } : undefined;
}

/** strtol(text, base) over the whole text and within [0, max]; undefined otherwise. */
function strtol(text: string, base: number, max: number): number | undefined {
  let t = text.trim();
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX]/.test(t)) {
    t = t.slice(2);
    b = 16;
  } else if (b === 0) b = t.startsWith("0") && t.length > 1 ? 8 : 10;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(t)) return undefined;
  const n = Number.parseInt(t, b);
  return n >= 0 && n <= max ? n : undefined;
}

/** get16_and_mask / getlength_and_mask: value[/mask]; undefined when either part is bad. */
function valueAndMask(text: string, base: number, max: number): { v: number; m: number } | undefined {
  const slash = text.lastIndexOf("/");
  let m = max;
  if (slash >= 0) {
    const mm = strtol(text.slice(slash + 1), base, max);
    if (mm === undefined) return undefined;
    m = mm;
  }
  const v = strtol(slash >= 0 ? text.slice(0, slash) : text, base, max);
  return v === undefined ? undefined : { v, m };
}

function assertValidChainName(name: string): void {
  if (name.length >= 29) throw new ParamError(`chain name \`${name}' too long (must be under 29 chars)`);
  if (name.startsWith("-") || name.startsWith("!"))
    throw new ParamError(`chain name not allowed to start with \`${name[0]}'`);
  if (TARGET_NAMES.has(name)) throw new ParamError("chain name may not clash with target name");
  if (/\s/.test(name)) throw new ParamError(`Invalid chain name \`${name}'`);
}

/** do_parse with nft_arp_post_parse and generic_opt_check. */
function parseArgs(argv: readonly string[], restore: boolean): Parsed {
  const p: Parsed = {
    cmd: undefined,
    chain: undefined,
    rulenum: undefined,
    arg2: undefined,
    table: "filter",
    options: 0,
    numeric: false,
    verbose: false,
    exact: false,
    lineNumbers: false,
    cs: initCs(),
    srcs: [],
    dsts: [],
    zeroAfterList: false,
    warnings: [],
  };
  const raw: Record<string, string> = {};
  let invert = false;
  let invflags = 0;
  let tableSet = false;
  let targetOpts = 0;
  let i = 0;
  const hasArg = () => {
    const v = argv[i];
    return v !== undefined && !v.startsWith("-") && !v.startsWith("!");
  };
  const setOption = (letter: string) => {
    const bit = 1 << (O[letter] as number);
    if (p.options & bit) throw new ParamError(`multiple -${letter} flags not allowed`);
    p.options |= bit;
    if (invert) {
      const inv = INVERSE[letter];
      if (!inv) throw new ParamError(`cannot have ! before -${letter}`);
      invflags |= inv;
    }
  };
  const command = (cmd: string) => {
    if (invert) throw new ParamError("unexpected ! flag");
    if (p.cmd !== undefined) {
      const pair = new Set([p.cmd, cmd]);
      if (pair.has("L") && pair.has("Z") && p.cmd !== cmd) {
        p.cmd = "L";
        p.zeroAfterList = true;
        return false;
      }
      throw new ParamError(`Cannot use -${cmd} with -${p.cmd}`);
    }
    p.cmd = cmd;
    return true;
  };
  // check_inverse: an intrapositioned `!` (--opt ! value) still works, with a warning.
  const value = (arg: string): string => {
    if (arg !== "!") return arg;
    p.warnings.push(
      "Using intrapositioned negation (`--option ! this`) is deprecated in favor of extrapositioned (`! --option this`).\n",
    );
    if (invert) throw new ParamError("Multiple `!' flags not allowed");
    invert = true;
    const v = argv[i++];
    if (v === undefined) throw new ParamError("no argument following `!'");
    return v;
  };
  while (i < argv.length) {
    const a = argv[i++] as string;
    let letter: string;
    let optarg: string | undefined;
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const l = LONG[name];
      if (l === undefined && p.cs.ext && targetTakes(p.cs.ext, name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[i++];
        if (v === undefined) throw new ParamError(`option "${a}" requires an argument`);
        p.cs.ext = targetParse(p.cs.ext, name, v, targetOpts > 0);
        targetOpts++;
        invert = false;
        continue;
      }
      if (l === undefined) throw new ParamError(`unknown option "${a}"`);
      letter = l;
      if (eq >= 0) optarg = a.slice(eq + 1);
      else if (REQUIRED.has(l)) {
        optarg = argv[i++];
        if (optarg === undefined) throw new ParamError(`option "${a}" requires an argument`);
      }
    } else if (a.startsWith("-") && a.length > 1) {
      letter = a[1] as string;
      if (!REQUIRED.has(letter) && !OPTIONAL.has(letter) && !"nvxV".includes(letter))
        throw new ParamError(`unknown option "${a}"`);
      if (a.length > 2) {
        if (REQUIRED.has(letter) || OPTIONAL.has(letter)) optarg = a.slice(2);
        else {
          // Bundled flags (-nvL): the rest is read again as options.
          argv = [...argv.slice(0, i), `-${a.slice(2)}`, ...argv.slice(i)];
        }
      } else if (REQUIRED.has(letter)) {
        optarg = argv[i++];
        if (optarg === undefined) throw new ParamError(`option "${a}" requires an argument`);
      }
    } else {
      if (a === "!") {
        if (invert) throw new ParamError("multiple consecutive ! not allowed");
        invert = true;
        continue;
      }
      throw new PlainError(
        `Bad argument \`${a}'\nTry \`arptables -h' or 'arptables --help' for more information.\n`,
        2,
        true,
      );
    }
    switch (letter) {
      case "A":
      case "C":
        command(letter);
        p.chain = optarg;
        break;
      case "D":
        command("D");
        p.chain = optarg;
        if (hasArg()) {
          p.rulenum = parseRulenum(argv[i++] as string);
          p.cmd = "Dn";
        }
        break;
      case "R":
        command("R");
        p.chain = optarg;
        if (!hasArg()) throw new ParamError("-R requires a rule number");
        p.rulenum = parseRulenum(argv[i++] as string);
        break;
      case "I":
        command("I");
        p.chain = optarg;
        p.rulenum = hasArg() ? parseRulenum(argv[i++] as string) : 1;
        break;
      case "L":
      case "S":
      case "Z": {
        const fresh = command(letter);
        const chain = optarg ?? (hasArg() ? argv[i++] : undefined);
        if (chain !== undefined) p.chain = chain;
        if (hasArg()) {
          p.rulenum = parseRulenum(argv[i++] as string);
          if (letter === "Z" && fresh) p.cmd = "Zn";
        }
        break;
      }
      case "F":
      case "X":
        command(letter);
        p.chain = optarg ?? (hasArg() ? argv[i++] : undefined);
        break;
      case "N":
        assertValidChainName(optarg as string);
        command("N");
        p.chain = optarg;
        break;
      case "E":
        command("E");
        p.chain = optarg;
        if (!hasArg()) throw new ParamError("-E requires old-chain-name and new-chain-name");
        p.arg2 = argv[i++];
        break;
      case "P":
        command("P");
        p.chain = optarg;
        if (!hasArg()) throw new ParamError("-P requires a chain and a policy");
        p.arg2 = argv[i++];
        break;
      case "h":
        throw new HelpRequest();
      case "V":
        throw new VersionRequest(invert);
      case "s":
      case "d":
      case "\x02":
      case "\x03":
      case "l":
      case "\x04":
      case "\x05":
      case "\x06": {
        const v = value(optarg as string);
        setOption(letter);
        raw[letter] = v;
        break;
      }
      case "\x08":
        throw new ParamError("not supported");
      case "p":
        setOption("p");
        break;
      case "j":
        setOption("j");
        p.cs.target = optarg as string;
        p.cs.ext = targetInit(p.cs.target);
        break;
      case "i":
      case "o": {
        if (optarg === "") p.warnings.push("Empty interface is likely to be undesired");
        const v = value(optarg as string);
        setOption(letter);
        if (v.length > 15) throw new ParamError(`interface name \`${v}' must be shorter than IFNAMSIZ (15)`);
        if (letter === "i") p.cs.arp.iniface = v;
        else p.cs.arp.outiface = v;
        break;
      }
      case "v":
        if (!p.verbose) setOption("v");
        p.verbose = true;
        break;
      case "n":
        setOption("n");
        p.numeric = true;
        break;
      case "x":
        setOption("x");
        p.exact = true;
        break;
      case "0":
        setOption("0");
        p.lineNumbers = true;
        break;
      case "t":
        if (invert) throw new ParamError("unexpected ! flag before --table");
        if (restore && tableSet) throw new ParamError("The -t option cannot be used in arptables-restore.\n");
        p.table = optarg as string;
        tableSet = true;
        break;
      case "M":
        break;
      case "m":
        throw new ParamError(`unknown option "${a}"`);
      case "c": {
        setOption("c");
        const pc = optarg as string;
        const comma = pc.indexOf(",", 1);
        let bc = comma >= 0 ? pc.slice(comma + 1) : undefined;
        if (bc === undefined && hasArg()) bc = argv[i++];
        if (bc === undefined) throw new ParamError("-c requires packet and byte counter");
        const num = (s: string) => /^\s*\d+/.exec(s);
        const pm = num(comma >= 0 ? pc.slice(0, comma) : pc);
        if (!pm) throw new ParamError("-c packet counter not numeric");
        const bm = num(bc);
        if (!bm) throw new ParamError("-c byte counter not numeric");
        p.cs.counters = { pcnt: Number(pm[0]), bcnt: Number(bm[0]) };
        break;
      }
      default:
        throw new ParamError(`unknown option "${a}"`);
    }
    invert = false;
  }
  if (!p.cmd) throw new ParamError("no command specified");
  if (invert) throw new ParamError("nothing appropriate following !");
  postParse(p, raw, invflags);
  // generic_opt_check
  const legal = LEGAL[p.cmd] as string;
  OPT_FLAGS.forEach((c, k) => {
    if (p.options & (1 << k) && legal[k] === "x")
      throw new ParamError(`Illegal option \`-${c}' with this command`);
  });
  if (p.chain !== undefined && p.chain.length >= 29)
    throw new ParamError(`chain name \`${p.chain}' too long (must be under 29 chars)`);
  if (["A", "D", "Dn", "C", "I", "R"].includes(p.cmd)) {
    if ((p.chain === "PREROUTING" || p.chain === "INPUT") && p.options & (1 << (O.o as number)))
      throw new ParamError(`Can't use -o with ${p.chain}\n`);
    if ((p.chain === "POSTROUTING" || p.chain === "OUTPUT") && p.options & (1 << (O.i as number)))
      throw new ParamError(`Can't use -i with ${p.chain}\n`);
  }
  return p;
}

/** nft_arp_post_parse: addresses, MACs, lengths, opcode and types into the rule. */
function postParse(p: Parsed, raw: Record<string, string>, invflags: number): void {
  const arp = p.cs.arp;
  arp.invflags = invflags;
  const ruleCmd = ["A", "D", "C", "I", "R"].includes(p.cmd as string);
  const s = raw.s ?? (ruleCmd ? "0.0.0.0/0" : undefined);
  const d = raw.d ?? (ruleCmd ? "0.0.0.0/0" : undefined);
  if (s !== undefined) p.srcs = parseAddrs(s);
  if (d !== undefined) p.dsts = parseAddrs(d);
  if ((p.srcs.length > 1 || p.dsts.length > 1) && invflags & (ARPT_INV_SRCIP | ARPT_INV_TGTIP))
    throw new ParamError("! not allowed with multiple source or destination IP addresses");
  if (raw["\x02"] !== undefined) {
    const mac = parseMac(raw["\x02"]);
    if (!mac) throw new ParamError("Problem with specified source mac");
    arp.srcDevaddr = mac;
  }
  if (raw["\x03"] !== undefined) {
    const mac = parseMac(raw["\x03"]);
    if (!mac) throw new ParamError("Problem with specified destination mac");
    arp.tgtDevaddr = mac;
  }
  if (raw.l !== undefined) {
    // getlength_and_mask: a value it cannot read leaves the default length.
    const r = valueAndMask(raw.l, 10, 255);
    if (r) {
      arp.arhln = r.v;
      arp.arhlnMask = r.m;
    }
    if (arp.arhln !== 6) throw new ParamError("Only harware address length of 6 is supported currently.");
  }
  if (raw["\x04"] !== undefined) {
    const r = valueAndMask(raw["\x04"], 10, 65535);
    if (r) {
      arp.arpop = r.v;
      arp.arpopMask = r.m;
    } else {
      const i = OPCODES.findIndex((n) => n.toLowerCase() === (raw["\x04"] as string).toLowerCase());
      if (i < 0) throw new ParamError("Problem with specified opcode");
      arp.arpop = i + 1;
    }
  }
  if (raw["\x05"] !== undefined) {
    const r = valueAndMask(raw["\x05"], 16, 65535);
    if (r) {
      arp.arhrd = r.v;
      arp.arhrdMask = r.m;
    } else {
      if (raw["\x05"].toLowerCase() !== "ethernet")
        throw new ParamError("Problem with specified hardware type");
      arp.arhrd = 1;
    }
  }
  if (raw["\x06"] !== undefined) {
    const r = valueAndMask(raw["\x06"], 0, 65535);
    if (r) {
      arp.arpro = r.v;
      arp.arproMask = r.m;
    } else {
      if (raw["\x06"].toLowerCase() !== "ipv4") throw new ParamError("Problem with specified protocol type");
      arp.arpro = 0x800;
    }
  }
}

class HelpRequest extends Error {}
class VersionRequest extends Error {
  constructor(readonly invert: boolean) {
    super("version");
  }
}

// ---------------------------------------------------------------------------------------------
// Target extensions: libarpt_mangle and libxt_MARK's ARP flavour.

type Mangle = Extract<ArptTarget, { kind: "mangle" }>;
type Mark = Extract<ArptTarget, { kind: "MARK" }>;

const MANGLE_OPTS: Readonly<Record<string, number>> = {
  "mangle-ip-s": ARPT_MANGLE_SIP,
  "mangle-ip-d": ARPT_MANGLE_TIP,
  "mangle-mac-s": ARPT_MANGLE_SDEV,
  "mangle-mac-d": ARPT_MANGLE_TDEV,
  "mangle-target": 0,
};
const MARK_OPTS: ReadonlySet<string> = new Set(["set-mark", "and-mark", "or-mark"]);

/** The target's init: mangle's verdict is ACCEPT until --mangle-target says otherwise. */
function targetInit(name: string): ArptTarget | undefined {
  if (name === "mangle")
    return { kind: "mangle", flags: 0, srcDevaddr: [], tgtDevaddr: [], srcIp: 0, tgtIp: 0, target: "ACCEPT" };
  if (name === "MARK") return { kind: "MARK", mark: 0, mask: 0 };
  return undefined;
}

function targetTakes(t: ArptTarget, name: string): boolean {
  return t.kind === "mangle" ? name in MANGLE_OPTS : t.kind === "MARK" ? MARK_OPTS.has(name) : false;
}

/** ether_aton: six octets of one or two hex digits. */
function etherAton(text: string): number[] | undefined {
  const parts = text.split(":");
  if (parts.length !== 6 || parts.some((x) => !/^[0-9a-fA-F]{1,2}$/.test(x))) return undefined;
  return parts.map((x) => Number.parseInt(x, 16));
}

/** sscanf("%x"): leading hex digits (after an optional 0x); undefined without any. */
function scanHex(text: string): number | undefined {
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(text);
  return m ? Number.parseInt((m[1] as string).slice(-8), 16) >>> 0 : undefined;
}

/** arpmangle_parse / mark_tg_arp_parse: one option of the target. */
function targetParse(t: ArptTarget, name: string, arg: string, again: boolean): ArptTarget {
  if (t.kind === "mangle") {
    const m: Mangle = t;
    switch (name) {
      case "mangle-ip-s":
        return {
          ...m,
          srcIp: (parseAddrs(arg)[0] as { addr: number }).addr,
          flags: m.flags | ARPT_MANGLE_SIP,
        };
      case "mangle-ip-d":
        return {
          ...m,
          tgtIp: (parseAddrs(arg)[0] as { addr: number }).addr,
          flags: m.flags | ARPT_MANGLE_TIP,
        };
      case "mangle-mac-s": {
        const mac = etherAton(arg);
        if (!mac) throw new ParamError("invalid source MAC");
        return { ...m, srcDevaddr: mac, flags: m.flags | ARPT_MANGLE_SDEV };
      }
      case "mangle-mac-d": {
        const mac = etherAton(arg);
        if (!mac) throw new ParamError("invalid target MAC");
        return { ...m, tgtDevaddr: mac, flags: m.flags | ARPT_MANGLE_TDEV };
      }
      default:
        if (arg !== "DROP" && arg !== "ACCEPT" && arg !== "CONTINUE")
          throw new ParamError("bad target for --mangle-target");
        return { ...m, target: arg };
    }
  }
  const k = t as Mark;
  const v = scanHex(arg);
  if (v === undefined) throw new ParamError(`Bad mark value \`${arg}'`);
  // --set-mark leaves the mask 0: the kernel's (mark & ~mask) ^ value then XORs the value in.
  const next: Mark =
    name === "set-mark"
      ? { kind: "MARK", mark: v, mask: k.mask }
      : name === "and-mark"
        ? { kind: "MARK", mark: 0, mask: ~v >>> 0 }
        : { kind: "MARK", mark: v, mask: v };
  if (again) throw new ParamError(`MARK: Can't specify --${name} twice`);
  return next;
}

/** arpmangle_print / mark_tg_arp_save: the target's words, each with its leading space. */
function targetPrint(t: ArptTarget, numeric: boolean): string {
  const ip = (a: number) => (!numeric && a === 0x7f000001 ? "localhost" : formatIPv4(a));
  const mac = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, "0")).join(":");
  if (t.kind === "mangle") {
    let s = "";
    if (t.flags & ARPT_MANGLE_SIP) s += ` --mangle-ip-s ${ip(t.srcIp)}`;
    if (t.flags & ARPT_MANGLE_SDEV) s += ` --mangle-mac-s ${mac(t.srcDevaddr)}`;
    if (t.flags & ARPT_MANGLE_TIP) s += ` --mangle-ip-d ${ip(t.tgtIp)}`;
    if (t.flags & ARPT_MANGLE_TDEV) s += ` --mangle-mac-d ${mac(t.tgtDevaddr)}`;
    if (t.target !== "ACCEPT") s += ` --mangle-target ${t.target}`;
    return s;
  }
  if (t.kind === "MARK") {
    if (t.mark === 0) return ` --and-mark ${(~t.mask >>> 0).toString(16)}`;
    if (t.mark === t.mask) return ` --or-mark ${t.mark.toString(16)}`;
    return ` --set-mark ${t.mark.toString(16)}`;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Between the two views: what nft_arp_add sends and what nft_arp_parse_payload reads back.

function fullMask(info: ArptDevaddr): boolean {
  return info.mask.every((b) => b === 0xff);
}

function needDevaddr(info: ArptDevaddr): boolean {
  return info.addr.some((b) => b !== 0) || info.mask.some((b) => b !== 0);
}

/** nft_arp_add: the comparisons the rule becomes; masks on opcode and types are not sent. */
function toKernel(cs: Cs): ArptEntry {
  const a = cs.arp;
  const inv = a.invflags;
  const hrd = a.arhrd !== 0 || (inv & ARPT_INV_ARPHRD) !== 0;
  const pro = a.arpro !== 0 || (inv & ARPT_INV_ARPPRO) !== 0;
  const hln = a.arhln !== 0 || (inv & ARPT_INV_ARPHLN) !== 0;
  const op = a.arpop !== 0 || (inv & ARPT_INV_ARPOP) !== 0;
  const masked = (info: ArptDevaddr): ArptDevaddr =>
    needDevaddr(info)
      ? { addr: info.addr.map((b, i) => b & (info.mask[i] as number)), mask: info.mask }
      : NO_MAC;
  const arp: ArptArp = {
    ...a,
    arhrd: hrd ? a.arhrd : 0,
    arhrdMask: hrd ? 0xffff : 0,
    arpro: pro ? a.arpro : 0,
    arproMask: pro ? 0xffff : 0,
    arhln: hln ? a.arhln : 0,
    arhlnMask: hln ? 0xff : 0,
    arpop: op ? a.arpop : 0,
    arpopMask: op ? 0xffff : 0,
    srcDevaddr: masked(a.srcDevaddr),
    tgtDevaddr: masked(a.tgtDevaddr),
  };
  const t = cs.target;
  const target: ArptTarget = cs.ext
    ? cs.ext
    : t === ""
      ? { kind: "standard", verdict: "CONTINUE" }
      : (STANDARD as readonly string[]).includes(t)
        ? { kind: "standard", verdict: t as "ACCEPT" }
        : { kind: "jump", chain: t };
  return { arp, target, counters: cs.counters };
}

/** nft_rule_to_iptables_command_state for the ARP family: the rule as the tool reads it back. */
function fromKernel(e: ArptEntry): Cs {
  const cs = initCs();
  const a = cs.arp;
  const k = e.arp;
  let inv = k.invflags & (ARPT_INV_VIA_IN | ARPT_INV_VIA_OUT | ARPT_INV_SRCIP | ARPT_INV_TGTIP);
  a.iniface = k.iniface;
  a.outiface = k.outiface;
  if (k.arhrdMask) {
    a.arhrd = k.arhrd;
    if (k.invflags & ARPT_INV_ARPHRD) inv |= ARPT_INV_ARPHRD;
  }
  if (k.arproMask) {
    a.arpro = k.arpro;
    a.arproMask = 0xffff;
    if (k.invflags & ARPT_INV_ARPPRO) inv |= ARPT_INV_ARPPRO;
  }
  if (k.arpopMask) {
    a.arpop = k.arpop;
    a.arpopMask = 0xffff;
    if (k.invflags & ARPT_INV_ARPOP) inv |= ARPT_INV_ARPOP;
  }
  if (k.arhlnMask) {
    a.arhln = k.arhln;
    // nft_arp_parse_payload marks an inverted hardware length as an inverted opcode.
    if (k.invflags & ARPT_INV_ARPHLN) inv |= ARPT_INV_ARPOP;
  }
  // A masked MAC compare is not read back at all.
  if (needDevaddr(k.srcDevaddr) && fullMask(k.srcDevaddr)) {
    a.srcDevaddr = k.srcDevaddr;
    if (k.invflags & ARPT_INV_SRCDEVADDR) inv |= ARPT_INV_SRCDEVADDR;
  }
  if (needDevaddr(k.tgtDevaddr) && fullMask(k.tgtDevaddr)) {
    a.tgtDevaddr = k.tgtDevaddr;
    if (k.invflags & ARPT_INV_TGTDEVADDR) inv |= ARPT_INV_TGTDEVADDR;
  }
  a.src = k.src;
  a.smsk = k.smsk;
  a.tgt = k.tgt;
  a.tmsk = k.tmsk;
  a.invflags = inv;
  const t = e.target;
  if (t.kind === "mangle" || t.kind === "MARK") {
    cs.target = t.kind;
    cs.ext = t;
  } else cs.target = t.kind === "jump" ? t.chain : t.verdict === "CONTINUE" ? "" : t.verdict;
  cs.counters = { pcnt: e.counters.pcnt, bcnt: e.counters.bcnt };
  return cs;
}

/** nft_arp_is_same plus the target: what -D and -C compare. */
function isSame(a: Cs, b: Cs): boolean {
  const x = a.arp;
  const y = b.arp;
  return (
    x.src === y.src &&
    x.tgt === y.tgt &&
    x.smsk === y.smsk &&
    x.tmsk === y.tmsk &&
    x.arpro === y.arpro &&
    x.invflags === y.invflags &&
    x.iniface === y.iniface &&
    x.outiface === y.outiface &&
    a.target === b.target &&
    JSON.stringify(a.ext) === JSON.stringify(b.ext)
  );
}

// ---------------------------------------------------------------------------------------------
// Printing (nft_arp_print_rule_details, nft_arp_print_header, nft_arp_save_rule).

interface Fmt {
  numeric: boolean;
  via: boolean;
}

function maskText(mask: number): string {
  for (let len = 0; len <= 32; len++)
    if ((len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === mask >>> 0) return String(len);
  return formatIPv4(mask);
}

/** ipv4_addr_to_string */
function addrText(addr: number, mask: number, numeric: boolean): string {
  if (mask >>> 0 === 0xffffffff) return !numeric && addr === 0x7f000001 ? "localhost" : formatIPv4(addr);
  return `${formatIPv4(addr)}/${maskText(mask)}`;
}

function macText(info: ArptDevaddr): string {
  const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
  return fullMask(info) ? hex(info.addr) : `${hex(info.addr)}/${hex(info.mask)}`;
}

function ruleDetails(cs: Cs, f: Fmt): string {
  const a = cs.arp;
  const parts: string[] = [];
  const inv = (flag: number) => (a.invflags & flag ? "! " : "");
  if (cs.target) parts.push(`-j ${cs.target}`);
  const iface = (name: string) => name || (f.via ? (f.numeric ? "*" : "any") : "");
  if (iface(a.iniface)) parts.push(`${inv(ARPT_INV_VIA_IN)}-i ${iface(a.iniface)}`);
  if (iface(a.outiface)) parts.push(`${inv(ARPT_INV_VIA_OUT)}-o ${iface(a.outiface)}`);
  if (a.smsk) parts.push(`${inv(ARPT_INV_SRCIP)}-s ${addrText(a.src, a.smsk, f.numeric)}`);
  if (a.srcDevaddr.mask.some((b) => b !== 0))
    parts.push(`${inv(ARPT_INV_SRCDEVADDR)}--src-mac ${macText(a.srcDevaddr)}`);
  if (a.tmsk) parts.push(`${inv(ARPT_INV_TGTIP)}-d ${addrText(a.tgt, a.tmsk, f.numeric)}`);
  if (a.tgtDevaddr.mask.some((b) => b !== 0))
    parts.push(`${inv(ARPT_INV_TGTDEVADDR)}--dst-mac ${macText(a.tgtDevaddr)}`);
  if (a.arhlnMask !== 255 || a.arhln !== 6)
    parts.push(`${inv(ARPT_INV_ARPHLN)}--h-length ${a.arhln}${a.arhlnMask !== 255 ? `/${a.arhlnMask}` : ""}`);
  if (a.arpopMask !== 0) {
    const name =
      a.arpop >= 1 && a.arpop <= OPCODES.length && !f.numeric ? OPCODES[a.arpop - 1] : String(a.arpop);
    parts.push(`${inv(ARPT_INV_ARPOP)}--opcode ${name}${a.arpopMask !== 65535 ? `/${a.arpopMask}` : ""}`);
  }
  if (a.arhrdMask !== 65535 || a.arhrd !== 1) {
    const name = a.arhrd === 1 && !f.numeric ? "Ethernet" : String(a.arhrd);
    parts.push(`${inv(ARPT_INV_ARPHRD)}--h-type ${name}${a.arhrdMask !== 65535 ? `/${a.arhrdMask}` : ""}`);
  }
  if (a.arproMask !== 0) {
    const name = a.arpro === 0x800 && !f.numeric ? "IPv4" : `0x${a.arpro.toString(16)}`;
    parts.push(
      `${inv(ARPT_INV_ARPPRO)}--proto-type ${name}${a.arproMask !== 65535 ? `/${a.arproMask.toString(16)}` : ""}`,
    );
  }
  return parts.join(" ") + (cs.ext ? targetPrint(cs.ext, f.numeric) : "");
}

function references(t: ArptTable, name: string): number {
  let n = 0;
  for (const c of t.chains)
    for (const e of c.entries) if (e.target.kind === "jump" && e.target.chain === name) n++;
  return n;
}

/** Built-in chains in hook order, then user chains by name. */
function ordered(t: ArptTable): ArptChain[] {
  const user = t.chains
    .filter((c) => c.policy === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...t.chains.filter((c) => c.policy !== undefined), ...user];
}

function listRule(e: ArptEntry, num: number, p: Parsed): string {
  const lf: ListFormat = {
    numeric: p.numeric,
    verbose: p.verbose,
    exact: p.exact,
    lineNumbers: p.lineNumbers,
  };
  let s = p.lineNumbers ? `${num} ` : "";
  s += ruleDetails(fromKernel(e), { numeric: p.numeric, via: p.verbose });
  if (p.verbose)
    s += ` , pcnt=${printNum(e.counters.pcnt, lf, true)}-- bcnt=${printNum(e.counters.bcnt, lf, true)}`;
  return s;
}

function saveLine(chain: string, e: ArptEntry, counters: boolean): string {
  const c = counters ? `[${e.counters.pcnt}:${e.counters.bcnt}] ` : "";
  const cs = fromKernel(e);
  // nft_arp_save_rule: the details numeric, then the target's save (arpmangle_save prints names).
  const ext = cs.ext;
  cs.ext = undefined;
  return `${c}-A ${chain} ${ruleDetails(cs, { numeric: true, via: false })}${ext ? targetPrint(ext, false) : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Commands against a table.

function findChain(t: ArptTable, name: string | undefined): ArptChain | undefined {
  return name === undefined ? undefined : t.chains.find((c) => c.name === name);
}

function withChain(t: ArptTable, name: string, f: (c: ArptChain) => ArptChain): ArptTable {
  return { ...t, chains: t.chains.map((c) => (c.name === name ? f(c) : c)) };
}

const zero = () => ({ pcnt: 0, bcnt: 0 });

/** The rules a rule command makes: one per source and destination address. */
function expandRules(p: Parsed): Cs[] {
  const out: Cs[] = [];
  for (const s of p.srcs)
    for (const d of p.dsts)
      out.push({ ...p.cs, arp: { ...p.cs.arp, src: s.addr, smsk: s.mask, tgt: d.addr, tmsk: d.mask } });
  return out;
}

const NFT_OP: Readonly<Record<string, string>> = {
  A: "RULE_APPEND",
  I: "RULE_INSERT",
  R: "RULE_REPLACE",
  D: "RULE_DELETE",
  Dn: "RULE_DELETE",
  N: "CHAIN_ADD",
  X: "CHAIN_DEL",
  E: "CHAIN_RENAME",
  F: "RULE_DELETE",
  P: "CHAIN_ADD",
  Z: "RULE_REPLACE",
  Zn: "RULE_REPLACE",
};

function busy(name: string): PlainError {
  return new PlainError(
    `arptables v${VERSION}:  CHAIN_DEL failed (Device or resource busy): chain ${name}\n`,
    4,
    true,
  );
}

/** One command on a table: the new table, or undefined when it only reads (output in `out`). */
function apply(p: Parsed, t: ArptTable, out: string[]): ArptTable | undefined {
  const noChain = () => new PlainError("No chain/target/match by that name.");
  const need = (): ArptChain => {
    const c = findChain(t, p.chain);
    if (!c) throw noChain();
    return c;
  };
  switch (p.cmd) {
    case "A":
    case "I":
    case "R":
    case "D":
    case "Dn":
    case "C": {
      const ch = need();
      if (
        p.cmd !== "Dn" &&
        p.cs.target !== "" &&
        !p.cs.ext &&
        !(STANDARD as readonly string[]).includes(p.cs.target)
      ) {
        if (!findChain(t, p.cs.target)) throw new ParamError(`Chain '${p.cs.target}' does not exist`);
      }
      const entries = [...ch.entries];
      const rules = p.cmd === "Dn" ? [] : expandRules(p);
      // -v: each rule as nft_arp_print_rule shows it with FMT_PRINT_RULE (numeric, interfaces).
      const shown = (r: Cs) => {
        if (p.verbose) out.push(ruleDetails(fromKernel(toKernel(r)), { numeric: true, via: true }));
      };
      switch (p.cmd) {
        case "A":
          for (const r of rules) {
            shown(r);
            entries.push(toKernel(r));
          }
          break;
        case "I": {
          const at = (p.rulenum as number) - 1;
          if (at > entries.length) throw new PlainError("Index of insertion too big.");
          for (const r of rules) shown(r);
          entries.splice(at, 0, ...rules.map(toKernel));
          break;
        }
        case "R": {
          const at = (p.rulenum as number) - 1;
          if (rules.length !== 1) throw new ParamError("Replacement rule does not specify a unique address");
          if (ch.policy !== undefined && !ch.hooked) throw noChain();
          if (at >= entries.length) throw new PlainError("Index of replacement too big.");
          shown(rules[0] as Cs);
          entries[at] = toKernel(rules[0] as Cs);
          break;
        }
        case "Dn": {
          const at = (p.rulenum as number) - 1;
          if (ch.policy !== undefined && !ch.hooked) throw noChain();
          if (at >= entries.length) throw new PlainError("Index of deletion too big.");
          entries.splice(at, 1);
          break;
        }
        default:
          for (const r of rules) {
            const at = entries.findIndex((e) => isSame(fromKernel(e), r));
            if (at < 0) throw new PlainError("Bad rule (does a matching rule exist in that chain?).");
            shown(r);
            if (p.cmd === "D") entries.splice(at, 1);
          }
          if (p.cmd === "C") return undefined;
      }
      return withChain(t, ch.name, (c) => ({ ...c, entries }));
    }
    case "L":
    case "S": {
      if (p.chain !== undefined && !findChain(t, p.chain)) {
        throw new PlainError(
          `arptables v${VERSION}: chain \`${p.chain}' in table \`${t.name}' is incompatible, use 'nft' tool.\n`,
          1,
          true,
        );
      }
      const chains = ordered(t).filter((c) => p.chain === undefined || c.name === p.chain);
      if (p.rulenum !== undefined) {
        const c = chains[0] as ArptChain;
        const e = c.entries[p.rulenum - 1];
        if (e) out.push(p.cmd === "L" ? listRule(e, p.rulenum, p) : saveLine(c.name, e, false));
        return undefined;
      }
      if (p.cmd === "S") {
        for (const c of chains)
          out.push(c.policy !== undefined ? `-P ${c.name} ${c.policy}` : `-N ${c.name}`);
        for (const c of chains) for (const e of c.entries) out.push(saveLine(c.name, e, false));
        return undefined;
      }
      const lf: ListFormat = {
        numeric: p.numeric,
        verbose: p.verbose,
        exact: p.exact,
        lineNumbers: p.lineNumbers,
      };
      chains.forEach((c, ci) => {
        if (ci > 0) out.push("");
        let head = `Chain ${c.name}`;
        if (c.policy !== undefined) {
          head += ` (policy ${c.policy}`;
          if (p.verbose)
            head += ` ${printNum(c.counters.pcnt, lf, true)}packets, ${printNum(c.counters.bcnt, lf, true)}bytes`;
          head += ")";
        } else head += ` (${references(t, c.name)} references)`;
        out.push(head);
        c.entries.forEach((e, i) => {
          out.push(listRule(e, i + 1, p));
        });
      });
      return undefined;
    }
    case "F":
      if (p.chain !== undefined) {
        need();
        if (p.verbose) out.push(`Flushing chain \`${p.chain}'`);
        return withChain(t, p.chain, (c) => ({ ...c, entries: [] }));
      }
      if (p.verbose) for (const c of ordered(t)) out.push(`Flushing chain \`${c.name}'`);
      // nft_cmd_rule_flush makes the built-in chains first (nft_xt_builtin_init).
      return {
        ...t,
        chains: t.chains.map((c) => ({ ...c, hooked: c.policy !== undefined || c.hooked, entries: [] })),
      };
    case "Z":
    case "Zn": {
      if (p.chain !== undefined) need();
      if (p.verbose && p.cmd === "Z")
        for (const c of ordered(t))
          if ((p.chain === undefined || c.name === p.chain) && (c.policy === undefined || c.hooked))
            out.push(`Zeroing chain \`${c.name}'`);
      return {
        ...t,
        chains: t.chains.map((c) =>
          p.chain !== undefined && c.name !== p.chain
            ? c
            : {
                ...c,
                counters: p.cmd === "Zn" ? c.counters : zero(),
                entries: c.entries.map((e, i) =>
                  p.cmd === "Zn" && i !== (p.rulenum as number) - 1 ? e : { ...e, counters: zero() },
                ),
              },
        ),
      };
    }
    case "N": {
      if (findChain(t, p.chain)) throw new PlainError("Chain already exists.");
      return {
        ...t,
        chains: [
          ...t.chains,
          {
            name: p.chain as string,
            policy: undefined,
            hooked: false,
            stats: false,
            counters: zero(),
            entries: [],
          },
        ],
      };
    }
    case "X": {
      const victims = p.chain !== undefined ? [need()] : t.chains.filter((c) => c.policy === undefined);
      let next = t;
      for (const v of victims) {
        if (v.policy !== undefined || v.entries.length > 0 || references(next, v.name) > 0)
          throw busy(v.name);
        next = { ...next, chains: next.chains.filter((c) => c.name !== v.name) };
        if (p.verbose) out.push(`Deleting chain \`${v.name}'`);
      }
      // nft_may_delete_chain: -X alone also deletes the empty built-in chains with policy ACCEPT.
      if (p.chain === undefined)
        next = {
          ...next,
          chains: next.chains.map((c) =>
            c.policy === "ACCEPT" && c.entries.length === 0
              ? { ...c, hooked: false, stats: false, counters: zero() }
              : c,
          ),
        };
      return next;
    }
    case "E": {
      const old = need();
      const to = p.arg2 as string;
      if (findChain(t, to)) throw new PlainError("File exists.");
      if (old.policy !== undefined) throw noChain();
      return {
        ...t,
        chains: t.chains.map((c) => ({
          ...(c.name === old.name ? { ...c, name: to } : c),
          entries: c.entries.map((e) =>
            e.target.kind === "jump" && e.target.chain === old.name
              ? { ...e, target: { kind: "jump", chain: to } }
              : e,
          ),
        })),
      };
    }
    case "P": {
      const c = findChain(t, p.chain);
      const policy = p.arg2 as string;
      if (!c || c.policy === undefined) throw new PlainError("Bad built-in chain name.");
      if (policy !== "ACCEPT" && policy !== "DROP")
        throw new PlainError("Bad policy name. Run `dmesg' for more information.");
      // nft_chain_set sends the chain anew, with counters from zero.
      return withChain(t, c.name, (x) => ({ ...x, policy, hooked: true, stats: true, counters: zero() }));
    }
  }
  return undefined;
}

/** nft_xt_builtin_init: a change naming a built-in chain creates it in the kernel. */
function hookNamed(t: ArptTable, chain: string | undefined): ArptTable {
  if (chain === undefined || !BUILTIN.includes(chain)) return t;
  return withChain(t, chain, (c) => (c.policy !== undefined ? { ...c, hooked: true } : c));
}

/** nft_init's first request: without CAP_NET_ADMIN nfnetlink refuses it. */
function permissionDenied(prog: string): PlainError {
  return new PlainError(
    `${prog} v${VERSION}: Could not fetch rule set generation id: Permission denied (you must be root)\n`,
    4,
    true,
  );
}

function loadTable(task: Task, name: string, prog: string): ArptTable {
  try {
    return arptGetTable(task, name) ?? arptDefaultTable(task, name);
  } catch (e) {
    // The table name is checked against the built-in tables before the kernel is asked.
    if (e instanceof KernelError && e.errno === "EPERM" && name === "filter") throw permissionDenied(prog);
    if (e instanceof KernelError)
      throw new PlainError(
        `${prog} v${VERSION}: table '${name}' does not exist\nPerhaps ${prog} or your kernel needs to be upgraded.\n`,
        3,
        true,
      );
    throw e;
  }
}

function kernelFailure(prog: string, e: KernelError, p: Parsed): PlainError {
  if (e.errno === "EPERM") return permissionDenied(prog);
  const what =
    p.cmd === "N" || p.cmd === "X" || p.cmd === "E" ? `chain ${p.chain}` : `rule in chain ${p.chain}`;
  return new PlainError(
    `${prog} v${VERSION}:  ${NFT_OP[p.cmd as string] ?? "RULE_APPEND"} failed (${strerror(e.errno)}): ${what}\n`,
    4,
    true,
  );
}

const HELP_OPCODES = OPCODES.map((n, i) => ` ${i + 1} = ${n}\n`).join("");

const HELP = `arptables v${VERSION}

Usage: arptables -[ACD] chain rule-specification [options]
       arptables -I chain [rulenum] rule-specification [options]
       arptables -R chain rulenum rule-specification [options]
       arptables -D chain rulenum [options]
       arptables -[LS] [chain [rulenum]] [options]
       arptables -[FZ] [chain] [options]
       arptables -[NX] chain
       arptables -E old-chain-name new-chain-name
       arptables -P chain target [options]
       arptables -h (print this help information)

Commands:
Either long or short options are allowed.
  --append  -A chain\t\tAppend to chain
  --check   -C chain\t\tCheck for the existence of a rule
  --delete  -D chain\t\tDelete matching rule from chain
  --delete  -D chain rulenum
\t\t\t\tDelete rule rulenum (1 = first) from chain
  --insert  -I chain [rulenum]
\t\t\t\tInsert in chain as rulenum (default 1=first)
  --replace -R chain rulenum
\t\t\t\tReplace rule rulenum (1 = first) in chain
  --list    -L [chain [rulenum]]
\t\t\t\tList the rules in a chain or all chains
  --list-rules -S [chain [rulenum]]
\t\t\t\tPrint the rules in a chain or all chains
  --flush   -F [chain]\t\tDelete all rules in  chain or all chains
  --zero    -Z [chain [rulenum]]
\t\t\t\tZero counters in chain or all chains
  --new     -N chain\t\tCreate a new user-defined chain
  --delete-chain
            -X [chain]\t\tDelete a user-defined chain
  --policy  -P chain target
\t\t\t\tChange policy on chain to target
  --rename-chain
            -E old-chain new-chain
\t\t\t\tChange chain name, (moving any references)

Options:
[!] --source-ip\t-s address[/mask]
\t\t\t\tsource specification
[!] --destination-ip -d address[/mask]
\t\t\t\tdestination specification
[!] --source-mac address[/mask]
[!] --destination-mac address[/mask]
    --h-length   -l   length[/mask] hardware length (nr of bytes)
    --opcode code[/mask] operation code (2 bytes)
    --h-type   type[/mask]  hardware type (2 bytes, hexadecimal)
    --proto-type   type[/mask]  protocol type (2 bytes)
[!] --in-interface -i input name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
 --jump\t-j target
\t\t\t\ttarget for rule (may load target extension)
  --match\t-m match
\t\t\t\textended match (may load extension)
  --numeric\t-n\t\tnumeric output of addresses and ports
[!] --out-interface -o output name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
  --table\t-t table\ttable to manipulate (default: \`filter')
  --verbose\t-v\t\tverbose mode
  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up
  --line-numbers\t\tprint line numbers when listing
  --exact\t-x\t\texpand numbers (display exact values)
  --modprobe=<command>\t\ttry to insert modules using this command
  --set-counters -c PKTS BYTES\tset the counter during insert/append
[!] --version\t-V\t\tprint package version.
 opcode strings: 
${HELP_OPCODES} hardware type string: 1 = Ethernet
 protocol type string: 0x800 = IPv4

MARK target options:
  --set-xmark value[/mask]  Clear bits in mask and XOR value into nfmark
  --set-mark value[/mask]   Clear bits in mask and OR value into nfmark
  --and-mark bits           Binary AND the nfmark with bits
  --or-mark bits            Binary OR the nfmark with bits
  --xor-mark bits           Binary XOR the nfmark with bits

CLASSIFY target options:
--set-class MAJOR:MINOR    Set skb->priority value (always hexadecimal!)

mangle target options:
--mangle-ip-s IP address
--mangle-ip-d IP address
--mangle-mac-s MAC address
--mangle-mac-d MAC address
--mangle-target target (DROP, CONTINUE or ACCEPT -- default is ACCEPT)

standard match options:
(If target is DROP, ACCEPT, RETURN or nothing)
`;

/** xtables_save_main names itself by its basename (arptables-nft-save stays so). */
function progOf(argv0: string | undefined, base: string): string {
  return (argv0 ?? base).split("/").pop() || base;
}

function paramText(prog: string, e: ParamError, line?: number): string {
  const at = line !== undefined ? `Error occurred at line: ${line}\n` : "";
  return `${prog} v${VERSION}: ${e.message}\n${at}Try \`${prog} -h' or '${prog} --help' for more information.\n`;
}

export function arptables(argv: readonly string[], proc: Proc): ProgramResult {
  const prog = "arptables";
  const out: string[] = [];
  let warnings = "";
  try {
    const p = parseArgs(argv.slice(1), false);
    warnings = p.warnings.join("");
    const table = loadTable(proc.task, p.table, prog);
    let next = apply(p, table, out);
    if (next) next = hookNamed(next, p.chain);
    if (p.zeroAfterList) next = apply({ ...p, cmd: "Z", rulenum: undefined }, table, []);
    if (next) {
      try {
        arptReplaceTable(proc.task, next);
      } catch (e) {
        if (e instanceof KernelError) throw kernelFailure(prog, e, p);
        throw e;
      }
    }
    return { stdout: out.length ? `${out.join("\n")}\n` : "", stderr: warnings, exitCode: 0 };
  } catch (e) {
    const stdout = out.length ? `${out.join("\n")}\n` : "";
    if (e instanceof HelpRequest) return { stdout: HELP, stderr: "", exitCode: 0 };
    if (e instanceof VersionRequest)
      return { stdout: e.invert ? `Not ${VERSION} ;-)\n` : `${prog} v${VERSION}\n`, stderr: "", exitCode: 0 };
    if (e instanceof ParamError) return { stdout, stderr: warnings + paramText(prog, e), exitCode: 2 };
    if (e instanceof PlainError)
      return {
        stdout,
        stderr: warnings + (e.raw ? e.message : `${prog}: ${e.message}\n`),
        exitCode: e.status,
      };
    throw e;
  }
}

/** arptables-save: the filter table, when it exists; -c adds each rule's counters. */
export function arptablesSave(argv: readonly string[], proc: Proc): ProgramResult {
  const prog = progOf(argv[0], "arptables-save");
  let counters = false;
  const args = argv.slice(1);
  const fail = (what: string) => ({
    stdout: "",
    stderr: `${prog}: ${what}\nLook at manual page \`${prog}.8' for more information.\n`,
    exitCode: 1,
  });
  let operands = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--counters") counters = true;
    else if (a === "--version") return { stdout: `${prog} v${VERSION}\n`, stderr: "", exitCode: 0 };
    else if (a === "--modprobe" || a.startsWith("--modprobe=")) i += a.includes("=") ? 0 : 1;
    else if (a.startsWith("--")) return fail(`unrecognized option '${a}'`);
    else if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (c === "c") counters = true;
        else if (c === "V") return { stdout: `${prog} v${VERSION}\n`, stderr: "", exitCode: 0 };
        else if (c === "M") {
          if (j === a.length - 1) i++;
          break;
        } else return fail(`invalid option -- '${c}'`);
      }
    } else operands++;
  }
  if (operands) return { stdout: "", stderr: "Unknown arguments found on commandline\n", exitCode: 1 };
  let t: ArptTable | undefined;
  try {
    t = arptGetTable(proc.task, "filter");
  } catch (e) {
    if (e instanceof KernelError && e.errno === "EPERM")
      return { stdout: "", stderr: permissionDenied(prog).message, exitCode: 4 };
    throw e;
  }
  if (!t) return { stdout: "", stderr: "", exitCode: 0 };
  const date = ctimeNow(proc.task);
  const lines = [`# Generated by ${prog} v${VERSION} on ${date}`, `*${t.name}`];
  const chains = ordered(t);
  for (const c of chains) lines.push(`:${c.name} ${c.policy ?? "-"}`);
  for (const c of chains) for (const e of c.entries) lines.push(saveLine(c.name, e, counters));
  lines.push(`# Completed on ${date}`);
  return { stdout: `${lines.join("\n")}\n`, stderr: "", exitCode: 0 };
}

/** Splits a restore line into words (add_param_to_argv): quotes group, a backslash escapes. */
function tokenize(line: string): string[] {
  const words: string[] = [];
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
    } else if (!quoted && /\s/.test(ch)) {
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

/**
 * arptables-restore (xtables_arp_restore_main): reads standard input only and takes no options;
 * a table line or the end of input commits what came before (no COMMIT needed), and a table line
 * starts its table from nothing. Counters in the input are ignored. A command that fails in the
 * batch (a missing chain, a bad index, a bad policy) fails the commit: at COMMIT as that line's
 * failure, at the end of input as the final implicit commit's.
 */
export function arptablesRestore(_argv: readonly string[], proc: Proc): ProgramResult {
  const prog = "arptables-restore";
  const lines = proc.stdin.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: string[] = [];
  let current: ArptTable | undefined;
  /** The batch's first failing line and its error (nft_strerror's text). */
  let failed: { line: number; message: string } | undefined;
  const commit = (): boolean => {
    if (!current) return true;
    if (failed) return false;
    try {
      arptReplaceTable(proc.task, current);
    } catch (e) {
      if (e instanceof KernelError) return false;
      throw e;
    }
    return true;
  };
  const result = (stderr: string, exitCode: number) => ({
    stdout: out.length ? `${out.join("\n")}\n` : "",
    stderr,
    exitCode,
  });
  for (let n = 1; n <= lines.length; n++) {
    const line = lines[n - 1] as string;
    try {
      if (line === "" || line.startsWith("#")) continue;
      if (current && /^COMMIT\s*$/.test(line)) {
        if (!commit()) {
          const f = failed;
          return result(`${prog}: line ${f ? f.line : n} failed${f ? `: ${f.message}` : ""}\n`, 1);
        }
        current = undefined;
        continue;
      }
      if (line.startsWith("*")) {
        const name = line.slice(1).trim().split(/\s+/)[0] ?? "";
        if (name === "") throw new ParamError(`${prog}: line ${n} table name invalid`);
        if (name !== "filter") throw new ParamError(`${prog}: line ${n} table name '${name}' invalid`);
        // nft_init's first request goes out with the first table: refused without CAP_NET_ADMIN.
        try {
          arptGetTable(proc.task, name);
        } catch (e) {
          if (e instanceof KernelError && e.errno === "EPERM")
            return result(permissionDenied(prog).message, 4);
          throw e;
        }
        // The implicit commit before a new table: its result is not checked.
        commit();
        current = arptDefaultTable(proc.task, name);
        failed = undefined;
        continue;
      }
      if (!current) return result(`${prog}: line ${n} failed\n`, 1);
      if (line.startsWith(":")) {
        const [chain, policy] = line.slice(1).trim().split(/\s+/);
        if (!chain) throw new ParamError(`${prog}: line ${n} chain name invalid`);
        assertValidChainName(chain);
        if (!policy) throw new ParamError(`${prog}: line ${n} policy invalid`);
        const existing = findChain(current, chain);
        if (existing?.policy !== undefined) {
          if (policy !== "ACCEPT" && policy !== "DROP") failed ??= { line: n, message: "Bad policy name." };
          else
            current = withChain(current, chain, (c) => ({
              ...c,
              policy,
              hooked: true,
              stats: true,
              counters: zero(),
            }));
        } else if (!existing)
          current = {
            ...current,
            chains: [
              ...current.chains,
              { name: chain, policy: undefined, hooked: false, stats: false, counters: zero(), entries: [] },
            ],
          };
        continue;
      }
      let words = tokenize(line);
      if (/^\[\d+:\d+\]$/.test(words[0] ?? "")) words = words.slice(1);
      const p = parseArgs(["-t", "filter", ...words], true);
      try {
        const next = apply(p, current, out);
        if (next) current = hookNamed(next, p.chain);
      } catch (e) {
        if (!(e instanceof PlainError)) throw e;
        // nft_strerror's text for the errno, which for a policy has no hint about dmesg.
        const message = e.raw
          ? e.message.trim()
          : e.message.replace(" Run `dmesg' for more information.", "");
        failed ??= { line: n, message };
      }
    } catch (e) {
      if (e instanceof ParamError) return result(paramText(prog, e, n), 2);
      throw e;
    }
  }
  if (current && !commit()) return result(`${prog} v${VERSION}: ${prog}: final implicit COMMIT failed\n`, 1);
  return result("", 0);
}
