// od(1) as GNU coreutils 9.1 prints it, byte for byte. just-bash's own ignores -t x1/-x/-d (it
// always prints octal), UTF-8-encodes bytes above 0x7f and spaces -c's columns its own way.
// -A d|o|x|n, -t a|c|d|u|o|x[1248CSIL]|f[48FDL], the z suffix, the traditional -a -b -c -d -f -i
// -l -o -s -x (and the undocumented -B -D -e -F -h -H -I -L -O -X), -v, -w[N], -N, -j, -S,
// --endian, --traditional and the old `[FILE] [[+]OFFSET[.][b]]` operands, several formats per
// line aligned as od pads them, '*' for repeated lines, and od's messages and statuses.
import { type Command, defineCommand, type ExecResult, type IFileSystem, latin1FromBytes } from "just-bash";
import { type Binary, DOUBLE, decodeIeee, decodeX87, FLOAT, LONG_DOUBLE, toastr } from "./floatfmt.js";
import {
  getoptLong,
  type LongOption,
  optionName,
  type ParsedOption,
  xstrtolMessage,
  xstrtoumax,
} from "./getopt.js";
import { latin1 } from "./procfs.js";

const TRY = "Try 'od --help' for more information.\n";
const SHORTS = "A:aBbcDdeFfHhIij:LlN:OoS:st:vw::Xx";
const LONGS: readonly LongOption[] = [
  { name: "skip-bytes", arg: "required", key: "j" },
  { name: "address-radix", arg: "required", key: "A" },
  { name: "read-bytes", arg: "required", key: "N" },
  { name: "format", arg: "required", key: "t" },
  { name: "output-duplicates", arg: "none", key: "v" },
  { name: "strings", arg: "optional", key: "S" },
  { name: "traditional", arg: "none", key: "traditional" },
  { name: "width", arg: "optional", key: "w" },
  { name: "endian", arg: "required", key: "endian" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];
/** The traditional format options and the -t type each stands for. */
const OLD_FORMATS: Readonly<Record<string, string>> = {
  a: "a",
  b: "o1",
  c: "c",
  D: "u4",
  d: "u2",
  F: "fD",
  e: "fD",
  f: "fF",
  X: "x4",
  H: "x4",
  i: "dI",
  I: "dL",
  L: "dL",
  l: "dL",
  O: "o4",
  B: "o2",
  o: "o2",
  s: "d2",
  h: "x2",
  x: "x2",
};
const MULTIPLIERS = "bEGKkMmPTYZ0";
/** sizeof (char, short, int, long) on x86_64 Linux. */
const INT_SIZES: Readonly<Record<string, number>> = { C: 1, S: 2, I: 4, L: 8 };
const FLOAT_SIZES: Readonly<Record<string, number>> = { F: 4, D: 8, L: 16 };
/** Digits (and sign) a SIZE-byte integer takes in each base: od's bytes_to_*_digits. */
const WIDTHS: Readonly<Record<string, readonly number[]>> = {
  d: [1, 4, 6, 8, 11, 13, 16, 18, 20],
  u: [0, 3, 5, 8, 10, 13, 15, 17, 20],
  o: [0, 3, 6, 8, 11, 14, 16, 19, 22],
  x: [0, 2, 4, 6, 8, 10, 12, 14, 16],
};
/** FLT/DBL/LDBL_STRLEN_BOUND_L with a one-byte decimal point. */
const FLOAT_WIDTHS: Readonly<Record<number, number>> = { 4: 15, 8: 24, 16: 29 };
// biome-ignore format: a table
const CHARNAMES = [
  "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si",
  "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp",
];
const ESCAPES: Readonly<Record<number, string>> = {
  0: "\\0",
  7: "\\a",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};
const UINTMAX = (1n << 64n) - 1n;

/** One output format: a `-t` type. */
interface Spec {
  readonly type: "d" | "u" | "o" | "x" | "f" | "a" | "c";
  /** Bytes per datum. */
  readonly size: number;
  readonly width: number;
  readonly trailer: boolean;
  pad: number;
}

class OdExit extends Error {
  constructor(readonly status: number) {
    super(`od exit ${status}`);
  }
}

function isPrint(c: number): boolean {
  return c >= 32 && c < 127;
}

/** od's decode_one_format over a whole -t argument; the error text when a type is invalid. */
function decodeFormats(arg: string, out: Spec[]): string | undefined {
  let s = 0;
  const quoted = `'${arg}'`;
  while (s < arg.length) {
    const c = arg[s] as string;
    let type: Spec["type"];
    let size: number;
    let width: number;
    if (c === "d" || c === "o" || c === "u" || c === "x") {
      type = c;
      s++;
      const letter = INT_SIZES[arg[s] ?? ""];
      if (letter !== undefined) {
        size = letter;
        s++;
      } else {
        const m = /^[0-9]*/.exec(arg.slice(s))?.[0] ?? "";
        if (m === "") size = 4;
        else {
          const n = BigInt(m);
          if (n >= 1n << 64n) return `od: invalid type string ${quoted}\n`;
          if (n > 8n || ![1n, 2n, 4n, 8n].includes(n))
            return `od: invalid type string ${quoted};\nthis system doesn't provide a ${n}-byte integral type\n`;
          size = Number(n);
          s += m.length;
        }
      }
      width = (WIDTHS[c] as readonly number[])[size] as number;
    } else if (c === "f") {
      type = "f";
      s++;
      const letter = FLOAT_SIZES[arg[s] ?? ""];
      if (letter !== undefined) {
        size = letter;
        s++;
      } else {
        const m = /^[0-9]*/.exec(arg.slice(s))?.[0] ?? "";
        if (m === "") size = 8;
        else {
          const n = BigInt(m);
          if (n >= 1n << 64n) return `od: invalid type string ${quoted}\n`;
          if (![4n, 8n, 16n].includes(n))
            return `od: invalid type string ${quoted};\nthis system doesn't provide a ${n}-byte floating point type\n`;
          size = Number(n);
          s += m.length;
        }
      }
      width = FLOAT_WIDTHS[size] as number;
    } else if (c === "a" || c === "c") {
      type = c;
      s++;
      size = 1;
      width = 3;
    } else return `od: invalid character '${c}' in type string ${quoted}\n`;
    const trailer = arg[s] === "z";
    if (trailer) s++;
    out.push({ type, size, width, trailer, pad: 0 });
  }
  return undefined;
}

/** parse_old_offset: [+]OFFSET, octal, 0x for hex, b/B suffixes ('.' never parses). */
function parseOldOffset(arg: string): bigint | undefined {
  if (arg === "") return undefined;
  const s = arg.startsWith("+") ? arg.slice(1) : arg;
  const radix = s.includes(".") ? 10 : s[0] === "0" && (s[1] === "x" || s[1] === "X") ? 16 : 8;
  const r = xstrtoumax(s, radix, "Bb");
  return r.status === "ok" ? r.value : undefined;
}

/** The input files in turn, opened as od reaches them (open_next_file, read_block, skip). */
class Input {
  #pending: string[];
  #data: string | undefined;
  #pos = 0;
  #dir = false;
  #name = "";
  #stdinUsed = false;
  ok = true;
  err = "";

  constructor(
    names: readonly string[],
    private readonly fs: IFileSystem,
    private readonly cwd: string,
    private readonly stdin: () => string,
  ) {
    this.#pending = [...names];
  }

  get open(): boolean {
    return this.#data !== undefined;
  }

  /** open_next_file: the next file that opens; each that does not is reported. */
  async next(): Promise<void> {
    this.#data = undefined;
    while (this.#pending.length > 0) {
      const name = this.#pending.shift() as string;
      this.#pos = 0;
      this.#dir = false;
      if (name === "-") {
        this.#name = "standard input";
        this.#data = this.#stdinUsed ? "" : this.stdin();
        this.#stdinUsed = true;
        return;
      }
      this.#name = name;
      try {
        const path = this.fs.resolvePath(this.cwd, name);
        if ((await this.fs.stat(path)).isDirectory) {
          this.#dir = true;
          this.#data = "";
          return;
        }
        this.#data = latin1(await this.fs.readFileBuffer(path));
        return;
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        this.err += `od: ${quoteName(name)}: ${code === "EACCES" ? "Permission denied" : "No such file or directory"}\n`;
        this.ok = false;
      }
    }
  }

  /** check_and_close at the end of the current file: a directory fails to read. */
  #close(): void {
    if (this.#dir) {
      this.err += `od: ${quoteName(this.#name)}: Is a directory\n`;
      this.ok = false;
    }
    this.#data = undefined;
  }

  /** read_block: up to n bytes, going on to the next files as each ends. */
  async read(n: number): Promise<string> {
    let got = "";
    while (this.#data !== undefined) {
      const take = this.#data.slice(this.#pos, this.#pos + n - got.length);
      this.#pos += take.length;
      got += take;
      if (got.length === n) break;
      this.#close();
      await this.next();
    }
    return got;
  }

  /** skip: false when the input ends first. A directory seeks (it "skips" everything). */
  async skip(n: bigint): Promise<boolean> {
    let left = n;
    if (left === 0n) return true;
    while (this.#data !== undefined) {
      if (this.#dir) return true;
      const avail = BigInt(this.#data.length - this.#pos);
      if (left <= avail) {
        this.#pos += Number(left);
        return true;
      }
      left -= avail;
      this.#pos = this.#data.length;
      this.#close();
      await this.next();
    }
    return false;
  }

  /** One byte, or -1 at the end of the last file (read_char). */
  async readChar(): Promise<number> {
    const s = await this.read(1);
    return s === "" ? -1 : s.charCodeAt(0);
  }
}

/** quotef: a file name as coreutils shows it in a message (shell-quoted when it needs to be). */
function quoteName(name: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(name)) return name;
  if (!name.includes("'")) return `'${name}'`;
  return `"${name.replace(/(["\\$`])/g, "\\$1")}"`;
}

interface Layout {
  readonly specs: readonly Spec[];
  readonly bytesPerBlock: number;
  readonly address: (offset: bigint, c: string) => string;
  readonly addressPad: number;
  readonly swap: boolean;
}

/** The datum of `size` bytes at `at`, in the machine's (little-endian) order unless swapped. */
function native(block: Uint8Array, at: number, size: number, swap: boolean): Uint8Array {
  const b = block.slice(at, at + size);
  return swap ? b.reverse() : b;
}

function intOf(b: Uint8Array, signed: boolean): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  if (signed && b.length > 0 && ((b[b.length - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
  return v;
}

/** One field's text, before padding. */
function fieldText(spec: Spec, block: Uint8Array, at: number, swap: boolean): string {
  const c = block[at] as number;
  switch (spec.type) {
    case "a": {
      const m = c & 0x7f;
      return m === 127 ? "del" : m <= 32 ? (CHARNAMES[m] as string) : String.fromCharCode(m);
    }
    case "c":
      return ESCAPES[c] ?? (isPrint(c) ? String.fromCharCode(c) : c.toString(8).padStart(3, "0"));
    case "f": {
      const b = native(block, at, spec.size, swap);
      const v: Binary = spec.size === 16 ? decodeX87(b, 0, true) : decodeIeee(b, 0, spec.size as 4 | 8, true);
      return toastr(spec.size === 4 ? FLOAT : spec.size === 8 ? DOUBLE : LONG_DOUBLE, v);
    }
    default: {
      const b = native(block, at, spec.size, swap);
      const v = intOf(b, spec.type === "d");
      if (spec.type === "o") return v.toString(8).padStart(spec.width, "0");
      if (spec.type === "x") return v.toString(16).padStart(spec.width, "0");
      return v.toString();
    }
  }
}

/** write_block's lines for one block (`n` of its bytes real, the rest zero padding). */
function blockLines(layout: Layout, offset: bigint, n: number, block: Uint8Array): string {
  let out = "";
  const bpb = layout.bytesPerBlock;
  layout.specs.forEach((spec, i) => {
    const fields = bpb / spec.size;
    const blank = Math.floor((bpb - n) / spec.size);
    out += i === 0 ? layout.address(offset, "") : " ".repeat(layout.addressPad);
    let padLeft = spec.pad;
    for (let f = fields; f > blank; f--) {
      const nextPad = Math.floor((spec.pad * (f - 1)) / fields);
      const width = padLeft - nextPad + spec.width;
      out += fieldText(spec, block, (fields - f) * spec.size, layout.swap).padStart(width);
      padLeft = nextPad;
    }
    if (spec.trailer) {
      out += " ".repeat(blank * spec.width + Math.floor((spec.pad * blank) / fields));
      out += "  >";
      for (let k = 0; k < n; k++) {
        const c = block[k] as number;
        out += isPrint(c) ? String.fromCharCode(c) : ".";
      }
      out += "<";
    }
    out += "\n";
  });
  return out;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

function bytesOf(s: string, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

export function odCommand(): Command {
  return defineCommand("od", async (args, ctx): Promise<ExecResult> => {
    let out = "";
    let err = "";
    try {
      const parsed = getoptLong("od", args, SHORTS, LONGS);
      const specs: Spec[] = [];
      let ok = true;
      let modern = false;
      let traditional = false;
      let base = 8;
      let addressPad = 7;
      let noAddress = false;
      let skip = 0n;
      let limit: bigint | undefined;
      let stringMin: bigint | undefined;
      let squeeze = true;
      let swap = false;
      let width: bigint | undefined;
      const die = (text: string): never => {
        err += text;
        throw new OdExit(1);
      };
      const number = (o: ParsedOption, base: number, suffixes: string): bigint => {
        const r = xstrtoumax(o.value ?? "", base, suffixes);
        if (r.status !== "ok") die(xstrtolMessage("od", r.status, optionName(o), o.value ?? ""));
        return r.value;
      };
      for (const o of parsed.options) {
        switch (o.key) {
          case "A": {
            modern = true;
            const c = (o.value ?? "")[0] ?? "\0";
            if (c === "d" || c === "o" || c === "x") {
              base = c === "d" ? 10 : c === "o" ? 8 : 16;
              addressPad = c === "x" ? 6 : 7;
              noAddress = false;
            } else if (c === "n") {
              noAddress = true;
              addressPad = 0;
            } else die(`od: invalid output address radix '${c}'; it must be one character from [doxn]\n`);
            break;
          }
          case "j":
            modern = true;
            skip = number(o, 0, MULTIPLIERS);
            break;
          case "N":
            modern = true;
            limit = number(o, 0, MULTIPLIERS);
            break;
          case "S":
            modern = true;
            stringMin = o.value === undefined ? 3n : number(o, 0, MULTIPLIERS);
            break;
          case "t": {
            modern = true;
            const e = decodeFormats(o.value ?? "", specs);
            if (e !== undefined) {
              err += e;
              ok = false;
            }
            break;
          }
          case "v":
            modern = true;
            squeeze = false;
            break;
          case "traditional":
            traditional = true;
            break;
          case "endian": {
            const v = o.value ?? "";
            const hits = ["little", "big"].filter((n) => n.startsWith(v));
            const exact = ["little", "big"].includes(v) ? v : hits.length === 1 ? hits[0] : undefined;
            if (exact === undefined) {
              die(
                `od: ${hits.length > 1 ? "ambiguous" : "invalid"} argument '${v}' for '--endian'\n` +
                  `Valid arguments are:\n  - 'little'\n  - 'big'\n${TRY}`,
              );
            }
            swap = exact === "big";
            break;
          }
          case "w":
            modern = true;
            width = o.value === undefined ? 32n : number(o, 10, "");
            break;
          case "help":
            return { stdout: "Usage: od [OPTION]... [FILE]...\n", stderr: err, exitCode: 0 };
          case "version":
            return { stdout: "od (GNU coreutils) 9.1\n", stderr: err, exitCode: 0 };
          default: {
            const e = decodeFormats(OLD_FORMATS[o.key] as string, specs);
            if (e !== undefined) ok = false;
          }
        }
      }
      if (parsed.error !== undefined) die(parsed.error + TRY);
      if (!ok) throw new OdExit(1);
      if (stringMin !== undefined && specs.length > 0)
        die("od: no type may be specified when dumping strings\n");

      let operands = [...parsed.operands];
      let pseudoStart: bigint | undefined;
      if (!modern || traditional) {
        if (operands.length === 1) {
          const o1 =
            traditional || operands[0]?.startsWith("+") ? parseOldOffset(operands[0] as string) : undefined;
          if (o1 !== undefined) {
            skip = o1;
            operands = [];
          }
        } else if (operands.length === 2) {
          const second = operands[1] as string;
          const o2 =
            traditional || second.startsWith("+") || /^[0-9]/.test(second)
              ? parseOldOffset(second)
              : undefined;
          if (o2 !== undefined) {
            const o1 = traditional ? parseOldOffset(operands[0] as string) : undefined;
            if (o1 !== undefined) {
              skip = o1;
              pseudoStart = o2;
              operands = [];
            } else {
              skip = o2;
              operands = [operands[0] as string];
            }
          }
        } else if (operands.length === 3 && traditional) {
          const o1 = parseOldOffset(operands[1] as string);
          const o2 = parseOldOffset(operands[2] as string);
          if (o1 !== undefined && o2 !== undefined) {
            skip = o1;
            pseudoStart = o2;
            operands = [operands[0] as string];
          }
        }
        if (traditional && operands.length > 1) {
          die(`od: extra operand '${operands[1]}'\nod: compatibility mode supports at most one file\n${TRY}`);
        }
      }

      const std = (address: bigint, c: string): string => {
        const a = address & UINTMAX;
        return `${a.toString(base).padStart(addressPad, "0")}${c}`;
      };
      let address: (offset: bigint, c: string) => string = noAddress ? () => "" : std;
      if (pseudoStart !== undefined) {
        const pseudoOffset = pseudoStart - skip;
        if (noAddress) {
          base = 8;
          addressPad = 7;
          address = (a, c) => `(${std(a, ")")}${c}`;
        } else address = (a, c) => `${std(a, " ")}(${std(a + pseudoOffset, ")")}${c}`;
      }
      let end: bigint | undefined;
      if (limit !== undefined) {
        end = skip + limit;
        if (end > UINTMAX) die("od: skip-bytes + read-bytes is too large\n");
      }
      if (specs.length === 0) decodeFormats("oS", specs);

      const input = new Input(operands.length > 0 ? operands : ["-"], ctx.fs, ctx.cwd, () =>
        latin1FromBytes(ctx.stdin),
      );
      const finish = (status: number): ExecResult => ({
        stdout: out,
        stderr: err + input.err,
        exitCode: status,
      });
      await input.next();
      if (!input.open) return finish(1);
      if (!(await input.skip(skip))) {
        err += input.err;
        input.err = "";
        die("od: cannot skip past end of combined input\n");
      }
      if (!input.open) return finish(input.ok ? 0 : 1);

      if (stringMin !== undefined) {
        out += await dumpStrings(input, stringMin, skip, end, address);
        return finish(input.ok ? 0 : 1);
      }

      const lcmSize = specs.reduce((l, s) => lcm(l, s.size), 1);
      let bytesPerBlock: number;
      if (width !== undefined) {
        if (width !== 0n && width % BigInt(lcmSize) === 0n) bytesPerBlock = Number(width);
        else {
          err += `od: warning: invalid width ${width}; using ${lcmSize} instead\n`;
          bytesPerBlock = lcmSize;
        }
      } else bytesPerBlock = lcmSize < 16 ? lcmSize * Math.floor(16 / lcmSize) : lcmSize;
      let widest = 0;
      for (const s of specs) widest = Math.max(widest, (s.width + 1) * (bytesPerBlock / s.size));
      for (const s of specs) s.pad = widest - s.width * (bytesPerBlock / s.size);

      const layout: Layout = { specs, bytesPerBlock, address, addressPad, swap };
      let offset = skip;
      let prev: string | undefined;
      let prevEqual = false;
      let last = "";
      for (;;) {
        let want = bytesPerBlock;
        if (end !== undefined) {
          if (offset >= end) break;
          want = Number(end - offset < BigInt(bytesPerBlock) ? end - offset : BigInt(bytesPerBlock));
        }
        const block = await input.read(want);
        if (block.length < bytesPerBlock) {
          last = block;
          break;
        }
        if (squeeze && prev !== undefined && block === prev) {
          if (!prevEqual) out += "*\n";
          prevEqual = true;
        } else {
          prevEqual = false;
          out += blockLines(layout, offset, bytesPerBlock, bytesOf(block, bytesPerBlock));
        }
        prev = block;
        offset += BigInt(bytesPerBlock);
      }
      if (last.length > 0) {
        const padded = lcmSize * Math.ceil(last.length / lcmSize);
        out += blockLines(layout, offset, last.length, bytesOf(last, Math.max(padded, bytesPerBlock)));
        offset += BigInt(last.length);
      }
      out += address(offset, "\n");
      return finish(input.ok ? 0 : 1);
    } catch (e) {
      if (!(e instanceof OdExit)) throw e;
      return { stdout: out, stderr: err, exitCode: e.status };
    }
  });
}

/** dump_strings: each run of at least `min` printable bytes ended by a NUL. */
async function dumpStrings(
  input: Input,
  min: bigint,
  skip: bigint,
  end: bigint | undefined,
  address: (offset: bigint, c: string) => string,
): Promise<string> {
  let out = "";
  let at = skip;
  const n = Number(min);
  for (;;) {
    if (end !== undefined && (end < min || end - min <= at)) return out;
    let buf = "";
    let found = true;
    for (let i = 0; i < n; i++) {
      const c = await input.readChar();
      at++;
      if (c < 0) return out;
      if (!isPrint(c)) {
        found = false;
        break;
      }
      buf += String.fromCharCode(c);
    }
    if (!found) continue;
    // The run ends at a NUL (printed), a non-printing byte (dropped) or the -N limit (printed).
    let printable = true;
    while (end === undefined || at < end) {
      const c = await input.readChar();
      at++;
      if (c < 0) return out;
      if (c === 0) break;
      if (!isPrint(c)) {
        printable = false;
        break;
      }
      buf += String.fromCharCode(c);
    }
    if (!printable) continue;
    out += `${address(at - BigInt(buf.length) - 1n, " ")}${buf}\n`;
  }
}
