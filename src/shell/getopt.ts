// getopt_long as glibc 2.36 runs it for coreutils' tools (GNU order: options anywhere, operands
// gathered in order, `--` ends options, a lone `-` is an operand), with glibc's messages.

/** A long option: its name, whether it takes an argument, and the key the tool sees. */
export interface LongOption {
  readonly name: string;
  readonly arg: "none" | "required" | "optional";
  readonly key: string;
}

/** One option as getopt returned it, in command-line order. */
export interface ParsedOption {
  /** The short option letter, or the long option's key. */
  readonly key: string;
  readonly value: string | undefined;
  /** The long option's full name when it was given as `--name`, for xstrtol_fatal's message. */
  readonly long: string | undefined;
}

export interface GetoptResult {
  readonly options: readonly ParsedOption[];
  readonly operands: readonly string[];
  /** What getopt printed when it returned '?' (the options before it stand, none after). */
  readonly error: string | undefined;
}

/**
 * Parse `args` with the short option string `shorts` ("A:ab::" as getopt takes it, "+…" to stop
 * at the first operand) and `longs`.
 * Parsing stops at the first error, as the tools exit on it: `error` holds glibc's message.
 */
export function getoptLong(
  prog: string,
  args: readonly string[],
  shorts: string,
  longs: readonly LongOption[],
): GetoptResult {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  // A leading '+': options end at the first operand (REQUIRE_ORDER), as xargs and env ask.
  const inOrder = shorts.startsWith("+");
  const shortArg = (ch: string): "none" | "required" | "optional" | undefined => {
    const at = shorts.indexOf(ch);
    if (ch === ":" || at < 0) return undefined;
    if (shorts[at + 1] !== ":") return "none";
    return shorts[at + 2] === ":" ? "optional" : "required";
  };
  const done = (error?: string): GetoptResult => ({ options, operands, error });
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const typed = a.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      let hit = longs.find((l) => l.name === typed);
      if (!hit) {
        const hits = longs.filter((l) => l.name.startsWith(typed));
        // Several names for one option are not ambiguous.
        const distinct = hits.filter(
          (l, k) => hits.findIndex((m) => m.key === l.key && m.arg === l.arg) === k,
        );
        if (distinct.length > 1) {
          return done(
            `${prog}: option '${a}' is ambiguous; possibilities:${hits.map((l) => ` '--${l.name}'`).join("")}\n`,
          );
        }
        hit = hits[0];
      }
      if (!hit) return done(`${prog}: unrecognized option '${a}'\n`);
      let value = inline;
      if (hit.arg === "none" && inline !== undefined)
        return done(`${prog}: option '--${hit.name}' doesn't allow an argument\n`);
      if (hit.arg === "required" && value === undefined) {
        if (i + 1 >= args.length) return done(`${prog}: option '--${hit.name}' requires an argument\n`);
        value = args[++i];
      }
      options.push({ key: hit.key, value, long: hit.name });
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] as string;
        const kind = shortArg(ch);
        if (kind === undefined) return done(`${prog}: invalid option -- '${ch}'\n`);
        if (kind === "none") {
          options.push({ key: ch, value: undefined, long: undefined });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== "") options.push({ key: ch, value: rest, long: undefined });
        else if (kind === "optional") options.push({ key: ch, value: undefined, long: undefined });
        else if (i + 1 < args.length) options.push({ key: ch, value: args[++i], long: undefined });
        else return done(`${prog}: option requires an argument -- '${ch}'\n`);
        break;
      }
      continue;
    }
    if (inOrder) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(a);
  }
  return done();
}

/** How xstrtol_fatal names the option: `-j` or `--skip-bytes`. */
export function optionName(o: ParsedOption): string {
  return o.long !== undefined ? `--${o.long}` : `-${o.key}`;
}

/** What xstrtoumax decided. */
export type StrtolStatus = "ok" | "invalid" | "suffix" | "overflow";

const UINTMAX = (1n << 64n) - 1n;

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}

/**
 * gnulib's xstrtoumax: strtoumax in `base` (0: C prefixes), then one optional suffix from
 * `suffixes`; a '0' in `suffixes` allows KB (powers of 1000) and KiB after a multiplier.
 */
export function xstrtoumax(
  s: string,
  base: number,
  suffixes: string,
): { readonly status: StrtolStatus; readonly value: bigint } {
  let i = 0;
  while (isSpace(s[i])) i++;
  if (s[i] === "-") return { status: "invalid", value: 0n };
  // strtoumax
  let j = i;
  if (s[j] === "+") j++;
  let b = base;
  if (
    (b === 0 || b === 16) &&
    s[j] === "0" &&
    (s[j + 1] === "x" || s[j + 1] === "X") &&
    digitOf(s[j + 2], 16) >= 0
  ) {
    j += 2;
    b = 16;
  } else if (b === 0) b = s[j] === "0" ? 8 : 10;
  let value = 0n;
  let any = false;
  let overflow = false;
  while (j < s.length && digitOf(s[j], b) >= 0) {
    value = value * BigInt(b) + BigInt(digitOf(s[j], b));
    if (value > UINTMAX) overflow = true;
    any = true;
    j++;
  }
  if (overflow) value = UINTMAX;
  let status: StrtolStatus = overflow ? "overflow" : "ok";
  if (!any) {
    // No number but a valid suffix: the number is 1.
    j = i;
    if (j < s.length && suffixes.includes(s[j] as string) && s[j] !== "0") value = 1n;
    else return { status: "invalid", value: 0n };
  }
  if (j >= s.length) return { status, value };
  const c = s[j] as string;
  if (!suffixes.includes(c) || c === "0") return { status: "suffix", value };
  let power = 1024n;
  let used = 1;
  if (suffixes.includes("0")) {
    if (s[j + 1] === "i" && s[j + 2] === "B") used += 2;
    else if (s[j + 1] === "B" || s[j + 1] === "D") {
      power = 1000n;
      used++;
    }
  }
  const exponent: Readonly<Record<string, number>> = {
    k: 1,
    K: 1,
    M: 2,
    m: 2,
    G: 3,
    g: 3,
    T: 4,
    t: 4,
    P: 5,
    E: 6,
    Z: 7,
    Y: 8,
  };
  let scale: bigint;
  if (c === "b") scale = 512n;
  else if (c === "B") scale = 1024n;
  else if (c === "c") scale = 1n;
  else if (c === "w") scale = 2n;
  else if (exponent[c] !== undefined) scale = power ** BigInt(exponent[c]);
  else return { status: "suffix", value };
  value *= scale;
  if (value > UINTMAX) {
    value = UINTMAX;
    status = "overflow";
  }
  if (j + used < s.length) return { status: "suffix", value };
  return { status, value };
}

function digitOf(c: string | undefined, base: number): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  let d = -1;
  if (code >= 48 && code <= 57) d = code - 48;
  else if (code >= 97 && code <= 122) d = code - 87;
  else if (code >= 65 && code <= 90) d = code - 55;
  return d >= 0 && d < base ? d : -1;
}

/** xstrtol_fatal's message for an option argument xstrtoumax refused. */
export function xstrtolMessage(prog: string, status: StrtolStatus, option: string, arg: string): string {
  if (status === "overflow") return `${prog}: ${option} argument '${arg}' too large\n`;
  if (status === "suffix") return `${prog}: invalid suffix in ${option} argument '${arg}'\n`;
  return `${prog}: invalid ${option} argument '${arg}'\n`;
}
