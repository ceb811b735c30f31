// uniq(1) as GNU coreutils 9.1 prints it. just-bash's own pads `-c` counts to four columns;
// GNU's are `%7lu ` (scripts count connection states with `sort | uniq -c`, and the columns show).
// -c -d -D -u -i -f N -s N -w N -z, --all-repeated[=METHOD], --group[=METHOD], the obsolete -N
// and +N, [INPUT [OUTPUT]], with GNU's messages and statuses.
import { type Command, defineCommand, type ExecResult, latin1FromBytes } from "just-bash";
import { lookupLong } from "./longopt.js";
import { latin1 } from "./procfs.js";

type Delimit = "none" | "prepend" | "separate";
type Grouping = "separate" | "prepend" | "append" | "both";

interface UniqOptions {
  count: boolean;
  repeated: boolean;
  unique: boolean;
  allRepeated: Delimit | undefined;
  group: Grouping | undefined;
  ignoreCase: boolean;
  skipFields: number;
  skipChars: number;
  checkChars: number;
  zero: boolean;
}

const LONG: readonly [string, string, "none" | "required" | "optional"][] = [
  ["count", "c", "none"],
  ["repeated", "d", "none"],
  ["all-repeated", "D", "optional"],
  ["group", "group", "optional"],
  ["ignore-case", "i", "none"],
  ["skip-fields", "f", "required"],
  ["skip-chars", "s", "required"],
  ["unique", "u", "none"],
  ["check-chars", "w", "required"],
  ["zero-terminated", "z", "none"],
  ["help", "help", "none"],
  ["version", "version", "none"],
];

const TRY = "Try 'uniq --help' for more information.\n";

class UniqError extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

function fail(text: string): never {
  throw new UniqError(text);
}

/** xdectoumax with uniq's messages: a count of fields, chars or checked chars. */
function count(arg: string, what: string): number {
  if (!/^[0-9]+$/.test(arg)) fail(`uniq: ${arg}: invalid number of ${what}\n`);
  const n = Number(arg);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

function pick<T extends string>(arg: string | undefined, name: string, values: readonly T[], dflt: T): T {
  if (arg === undefined) return dflt;
  const hits = values.filter((v) => v.startsWith(arg));
  const exact = values.find((v) => v === arg);
  if (exact) return exact;
  if (hits.length === 1) return hits[0] as T;
  const why = hits.length === 0 ? "invalid" : "ambiguous";
  fail(
    `uniq: ${why} argument '${arg}' for '--${name}'\nValid arguments are:\n${values.map((v) => `  - '${v}'\n`).join("")}${TRY}`,
  );
}

function parse(args: readonly string[]): { opts: UniqOptions; files: string[] } {
  const o: UniqOptions = {
    count: false,
    repeated: false,
    unique: false,
    allRepeated: undefined,
    group: undefined,
    ignoreCase: false,
    skipFields: 0,
    skipChars: 0,
    checkChars: Number.MAX_SAFE_INTEGER,
    zero: false,
  };
  const files: string[] = [];
  const apply = (key: string, arg: string | undefined) => {
    switch (key) {
      case "c":
        o.count = true;
        break;
      case "d":
        o.repeated = true;
        break;
      case "D":
        o.allRepeated = pick(arg, "all-repeated", ["none", "prepend", "separate"] as const, "none");
        break;
      case "group":
        o.group = pick(arg, "group", ["prepend", "append", "separate", "both"] as const, "separate");
        break;
      case "i":
        o.ignoreCase = true;
        break;
      case "f":
        o.skipFields = count(arg as string, "fields to skip");
        break;
      case "s":
        o.skipChars = count(arg as string, "bytes to skip");
        break;
      case "u":
        o.unique = true;
        break;
      case "w":
        o.checkChars = count(arg as string, "bytes to compare");
        break;
      case "z":
        o.zero = true;
        break;
    }
  };
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (options && a === "--") {
      options = false;
      continue;
    }
    if (options && a.startsWith("--")) {
      const hit = lookupLong(
        "uniq",
        a,
        LONG.map(([n]) => n),
      );
      if ("error" in hit) fail(`${hit.error}${TRY}`);
      const [long, key, has] = LONG.find(([n]) => n === hit.name) as [string, string, string];
      let arg = hit.value;
      if (has === "none" && arg !== undefined)
        fail(`uniq: option '--${long}' doesn't allow an argument\n${TRY}`);
      if (has === "required" && arg === undefined) {
        arg = args[++i];
        if (arg === undefined) fail(`uniq: option '--${long}' requires an argument\n${TRY}`);
      }
      if (key === "help" || key === "version") throw new UniqError(key);
      apply(key, arg);
      continue;
    }
    // The obsolete +N: skip N chars.
    if (options && /^\+[0-9]+$/.test(a) && files.length === 0) {
      o.skipChars = count(a.slice(1), "bytes to skip");
      continue;
    }
    if (options && a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        // The obsolete -N: skip N fields (digits run on).
        if (/[0-9]/.test(c)) {
          let digits = c;
          while (j + 1 < a.length && /[0-9]/.test(a[j + 1] as string)) digits += a[++j];
          o.skipFields = count(digits, "fields to skip");
          continue;
        }
        if ("cdDiuz".includes(c)) {
          apply(c, undefined);
          continue;
        }
        if ("fsw".includes(c)) {
          let arg: string | undefined = a.slice(j + 1);
          if (arg === "") arg = args[++i];
          if (arg === undefined) fail(`uniq: option requires an argument -- '${c}'\n${TRY}`);
          apply(c, arg);
          break;
        }
        fail(`uniq: invalid option -- '${c}'\n${TRY}`);
      }
      continue;
    }
    files.push(a);
  }
  if (files.length > 2) fail(`uniq: extra operand '${files[2]}'\n${TRY}`);
  if (o.allRepeated !== undefined && o.count)
    fail(`uniq: printing all duplicated lines and repeat counts is meaningless\n${TRY}`);
  if (o.group !== undefined && (o.count || o.repeated || o.unique || o.allRepeated !== undefined))
    fail(`uniq: --group is mutually exclusive with -c/-d/-D/-u\n${TRY}`);
  return { opts: o, files };
}

/** find_field: the part of a line that is compared. */
function key(line: string, o: UniqOptions): string {
  let i = 0;
  for (let f = 0; f < o.skipFields && i < line.length; f++) {
    while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
    while (i < line.length && line[i] !== " " && line[i] !== "\t") i++;
  }
  i = Math.min(line.length, i + o.skipChars);
  const k = line.slice(i, i + Math.min(o.checkChars, line.length - i));
  return o.ignoreCase ? k.toLowerCase() : k;
}

export function uniqCommand(): Command {
  return defineCommand("uniq", async (args, ctx): Promise<ExecResult> => {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (e) {
      if (!(e instanceof UniqError)) throw e;
      if (e.text === "version") return { stdout: "uniq (GNU coreutils) 9.1\n", stderr: "", exitCode: 0 };
      if (e.text === "help")
        return { stdout: "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n", stderr: "", exitCode: 0 };
      return { stdout: "", stderr: e.text, exitCode: 1 };
    }
    const { opts: o, files } = parsed;
    const input = files[0] ?? "-";
    let data: string;
    if (input === "-") data = latin1FromBytes(ctx.stdin);
    else {
      try {
        data = latin1(await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, input)));
      } catch {
        return { stdout: "", stderr: `uniq: ${input}: No such file or directory\n`, exitCode: 1 };
      }
    }
    const eol = o.zero ? "\0" : "\n";
    const lines = data.split(eol);
    if (lines[lines.length - 1] === "") lines.pop();
    // Groups of adjacent equal keys.
    const groups: string[][] = [];
    let prevKey: string | undefined;
    for (const line of lines) {
      const k = key(line, o);
      if (prevKey !== undefined && k === prevKey) (groups[groups.length - 1] as string[]).push(line);
      else groups.push([line]);
      prevKey = k;
    }
    let out = "";
    if (o.group !== undefined) {
      const g = o.group;
      // check_file: a delimiter before each group (prepend, both) or between groups (separate,
      // append), and one after the last (append, both).
      groups.forEach((grp, i) => {
        if (g === "prepend" || g === "both" || i > 0) out += eol;
        for (const line of grp) out += line + eol;
      });
      if ((g === "append" || g === "both") && groups.length > 0) out += eol;
    } else if (o.allRepeated !== undefined) {
      let first = true;
      for (const grp of groups) {
        if (grp.length < 2) continue;
        if (o.allRepeated === "prepend" || (o.allRepeated === "separate" && !first)) out += eol;
        first = false;
        for (const line of grp) out += line + eol;
      }
    } else {
      for (const grp of groups) {
        const n = grp.length;
        if (o.repeated && n < 2) continue;
        if (o.unique && n > 1) continue;
        out += `${o.count ? `${String(n).padStart(7)} ` : ""}${grp[0]}${eol}`;
      }
    }
    const output = files[1];
    if (output !== undefined && output !== "-") {
      await ctx.fs.writeFile(ctx.fs.resolvePath(ctx.cwd, output), out);
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    return { stdout: out, stderr: "", exitCode: 0 };
  });
}
