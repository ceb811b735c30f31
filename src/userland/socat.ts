// socat: Debian 12's socat 1.7.4.4 for its common forms: STDIO/-/STDIN/STDOUT, TCP and
// TCP-LISTEN (fork, reuseaddr, bind, connect-timeout), UDP and UDP-LISTEN, -u/-U, -t/-T, the
// closing phase of xio's transfer loop (EOF on one side shuts down the other's write side, then
// -t seconds for the reverse direction). Errors read as socat prints them: date, socat[pid], E,
// the failing call with its arguments. The date is the virtual clock from the epoch and the pid is
// fixed; the parity normalizer rewrites both. Address types netnest has no kernel object for (EXEC,
// OPEN, UNIX, ...) fail with a message that says so.
import {
  accept,
  bind,
  clockGettime,
  close,
  connect,
  type Errno,
  KernelError,
  listen,
  POLLIN,
  poll,
  recvfrom,
  type Socket,
  send,
  setsockopt,
  shutdown,
  socket,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "./ip/utils.js";
import { gettimeofday, slashDateTime } from "./libc_time.js";
import { EAI_SERVICE, getaddrinfo, getservbyname, inetAton } from "./netdb.js";
import type { Proc, ProgramResult } from "./program.js";

const SEC = 1_000_000_000;
/** socat has no pid namespace of its own here: a fixed pid, normalized away by the parity test. */
const PID = 4242;
/** Where socat's 8192-byte transfer buffer would be: shown in read()/write() errors. */
const BUFFER_ADDR = "0x55d5c0a8f000";
const BUFLEN = 8192;

class Exit {
  constructor(readonly code: number) {}
}

interface Io {
  readonly task: Task;
  readonly proc: Proc;
  readonly out: (text: string) => void;
  /** What came from the other address, to stdout unchanged. */
  readonly outBytes: (data: Uint8Array) => void;
  readonly err: (text: string) => void;
  nextFd: number;
  readonly socks: Set<Socket>;
}

/** msg(): `YYYY/MM/DD HH:MM:SS socat[PID] L text`, the date from the wall clock. */
function msg(io: Io, level: "E" | "W" | "N", text: string): void {
  io.err(`${slashDateTime(gettimeofday(io.task).sec)} socat[${PID}] ${level} ${text}\n`);
}

function fatal(io: Io, text: string): never {
  msg(io, "E", text);
  throw new Exit(1);
}

function errnoOf(e: unknown): Errno {
  if (e instanceof KernelError) return e.errno;
  throw e;
}

// --- addresses ---------------------------------------------------------------------------------

type Kind = "stdio" | "stdin" | "stdout" | "tcp-connect" | "tcp-listen" | "udp-connect" | "udp-listen";

interface Address {
  readonly kind: Kind;
  readonly four: boolean;
  readonly params: readonly string[];
  readonly opts: ReadonlyMap<string, string>;
}

const KINDS: Readonly<
  Record<string, { readonly kind: Kind; readonly params: number; readonly four?: boolean }>
> = {
  STDIO: { kind: "stdio", params: 0 },
  STDIN: { kind: "stdin", params: 0 },
  STDOUT: { kind: "stdout", params: 0 },
  TCP: { kind: "tcp-connect", params: 2 },
  "TCP-CONNECT": { kind: "tcp-connect", params: 2 },
  TCP4: { kind: "tcp-connect", params: 2, four: true },
  "TCP4-CONNECT": { kind: "tcp-connect", params: 2, four: true },
  "TCP-LISTEN": { kind: "tcp-listen", params: 1 },
  "TCP-L": { kind: "tcp-listen", params: 1 },
  "TCP4-LISTEN": { kind: "tcp-listen", params: 1, four: true },
  "TCP4-L": { kind: "tcp-listen", params: 1, four: true },
  UDP: { kind: "udp-connect", params: 2 },
  "UDP-CONNECT": { kind: "udp-connect", params: 2 },
  UDP4: { kind: "udp-connect", params: 2, four: true },
  "UDP4-CONNECT": { kind: "udp-connect", params: 2, four: true },
  "UDP-LISTEN": { kind: "udp-listen", params: 1 },
  "UDP-L": { kind: "udp-listen", params: 1 },
  "UDP4-LISTEN": { kind: "udp-listen", params: 1, four: true },
  "UDP4-L": { kind: "udp-listen", params: 1, four: true },
};

/** Address types socat 1.7.4.4 has that need kernel objects netnest does not emulate. */
const NOT_EMULATED = new Set([
  "ABSTRACT-CONNECT",
  "ABSTRACT-LISTEN",
  "CREATE",
  "EXEC",
  "FD",
  "FILE",
  "GOPEN",
  "IP",
  "IP-SENDTO",
  "IP4-SENDTO",
  "OPEN",
  "OPENSSL",
  "OPENSSL-LISTEN",
  "PIPE",
  "PTY",
  "SCTP-CONNECT",
  "SCTP-LISTEN",
  "SOCKET-CONNECT",
  "SOCKET-LISTEN",
  "SYSTEM",
  "TCP6",
  "TCP6-LISTEN",
  "TUN",
  "UDP-DATAGRAM",
  "UDP-RECV",
  "UDP-RECVFROM",
  "UDP-SENDTO",
  "UDP4-RECVFROM",
  "UDP4-SENDTO",
  "UDP6",
  "UDP6-LISTEN",
  "UNIX-CONNECT",
  "UNIX-LISTEN",
  "UNIX-CLIENT",
]);

const OPTIONS = new Set([
  "reuseaddr",
  "reuseport",
  "fork",
  "bind",
  "sourceport",
  "connect-timeout",
  "sp",
  "backlog",
]);

/**
 * An integer option's value as socat reads it (strtol with base 0: decimal, 0x hex, 0 octal, a
 * sign); an option given without a value is 1.
 */
function intOpt(io: Io, name: string, value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(value);
  if (!m) fatal(io, `parseopts(): missing numerical value of option "${name}=${value}"`);
  if (m[0].length !== value.length)
    fatal(io, `parseopts(): trailing garbage in numerical arg of option "${name}=${value}"`);
  const digits = m[2] as string;
  const n = /^0[xX]/.test(digits)
    ? Number.parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits.startsWith("0")
      ? Number.parseInt(digits, 8)
      : Number(digits);
  return m[1] === "-" ? -n : n;
}

function parseAddress(io: Io, text: string): Address {
  const comma = text.indexOf(",");
  const head = comma >= 0 ? text.slice(0, comma) : text;
  const optText = comma >= 0 ? text.slice(comma + 1) : "";
  const parts = head === "-" ? ["STDIO"] : head.split(":");
  const type = (parts[0] as string).toUpperCase();
  const spec = KINDS[type];
  if (!spec) {
    if (NOT_EMULATED.has(type)) fatal(io, `address type "${type}" is not emulated by netnest`);
    fatal(io, `unknown device/address "${parts[0]}"`);
  }
  const params = parts.slice(1);
  if (params.length !== spec.params)
    fatal(io, `${parts[0]}: wrong number of parameters (${params.length} instead of ${spec.params})`);
  const opts = new Map<string, string>();
  for (const o of optText.split(",").filter((x) => x !== "")) {
    const eq = o.indexOf("=");
    const name = (eq >= 0 ? o.slice(0, eq) : o).toLowerCase();
    if (!OPTIONS.has(name)) fatal(io, `parseopts_table(): unknown option "${name}"`);
    opts.set(name === "sp" ? "sourceport" : name, eq >= 0 ? o.slice(eq + 1) : "");
  }
  return { kind: spec.kind, four: spec.four ?? false, params, opts };
}

// --- opening -----------------------------------------------------------------------------------

/** One side of the transfer, once open. */
type End =
  | { readonly kind: "stdio"; readonly read: boolean; readonly write: boolean }
  | {
      readonly kind: "sock";
      readonly sock: Socket;
      readonly fd: number;
      readonly tcp: boolean;
      first?: Uint8Array;
    };

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function newSock(io: Io, tcp: boolean): { readonly sock: Socket; readonly fd: number } {
  const sock = socket(io.task, tcp ? "SOCK_STREAM" : "SOCK_DGRAM", 0);
  io.socks.add(sock);
  return { sock, fd: io.nextFd++ };
}

/** getaddrinfo as xioresolve calls it: the hints in the message are {flags,family,socktype,protocol}. */
function resolve(
  io: Io,
  a: Address,
  host: string | undefined,
  service: string,
): { addr: number; port: number } {
  const tcp = a.kind.startsWith("tcp");
  const proto = tcp ? "tcp" : "udp";
  let port: number | undefined;
  if (/^\d+$/.test(service)) port = Number(service) & 0xffff;
  else port = getservbyname(service, proto);
  const family = a.four ? 2 : 0;
  if (port === undefined) {
    // socat 1.7.4.4 prints this one without the opening parenthesis.
    fatal(
      io,
      `getaddrinfo"${host ?? "NULL"}", "${service}", {1,${family},${tcp ? 1 : 2},0}, {}): ${EAI_SERVICE}`,
    );
  }
  if (host === undefined) return { addr: 0, port };
  const r = getaddrinfo(host);
  if ("error" in r)
    fatal(io, `getaddrinfo("${host}", "NULL", {1,${family},${tcp ? "1,6" : "2,17"}}, {}): ${r.error}`);
  return { addr: r.addr >>> 0, port };
}

function bindOpts(io: Io, a: Address, s: { sock: Socket; fd: number }, defaultPort: number): void {
  const bindOpt = a.opts.get("bind");
  const sp = a.opts.get("sourceport");
  if (bindOpt === undefined && sp === undefined && defaultPort === 0) return;
  let addr = 0;
  let port = defaultPort;
  if (bindOpt !== undefined) {
    const [h, p] = bindOpt.split(":");
    addr = h ? (inetAton(h) ?? resolve(io, a, h, "0").addr) : 0;
    if (p) port = Number(p) & 0xffff;
  }
  if (sp !== undefined) port = Number(sp) & 0xffff;
  try {
    bind(io.task, s.sock, addr, port);
  } catch (e) {
    fatal(io, `bind(${s.fd}, {AF=2 ${formatAddr(addr)}:${port}}, 16): ${strerror(errnoOf(e))}`);
  }
}

async function openConnect(io: Io, a: Address): Promise<End> {
  const tcp = a.kind === "tcp-connect";
  const { addr, port } = resolve(io, a, a.params[0] as string, a.params[1] as string);
  const s = newSock(io, tcp);
  if (a.opts.has("reuseaddr")) setsockopt(io.task, s.sock, { name: "SO_REUSEADDR", on: true });
  bindOpts(io, a, s, 0);
  const timeout = a.opts.get("connect-timeout");
  const deadline =
    timeout !== undefined ? clockGettime(io.task) + Math.round(Number(timeout) * SEC) : undefined;
  try {
    await connect(io.task, s.sock, addr, port, deadline !== undefined ? { deadline } : {});
  } catch (e) {
    const errno = errnoOf(e);
    if (deadline !== undefined && errno === "ETIMEDOUT" && clockGettime(io.task) >= deadline)
      fatal(io, `connecting to AF=2 ${formatAddr(addr)}:${port}: ${strerror("ETIMEDOUT")}`);
    fatal(io, `connect(${s.fd}, AF=2 ${formatAddr(addr)}:${port}, 16): ${strerror(errno)}`);
  }
  return { kind: "sock", sock: s.sock, fd: s.fd, tcp };
}

/** A listening TCP socket (or a bound UDP one), made once: `fork` accepts on it again. */
async function openListener(io: Io, a: Address): Promise<{ sock: Socket; fd: number }> {
  const tcp = a.kind === "tcp-listen";
  const { port } = resolve(io, a, undefined, a.params[0] as string);
  const s = newSock(io, tcp);
  if (a.opts.has("reuseaddr")) setsockopt(io.task, s.sock, { name: "SO_REUSEADDR", on: true });
  if (a.opts.has("reuseport")) setsockopt(io.task, s.sock, { name: "SO_REUSEPORT", on: true });
  const bindOpt = a.opts.get("bind");
  const addr = bindOpt !== undefined ? (inetAton(bindOpt.split(":")[0] ?? "") ?? 0) : 0;
  try {
    bind(io.task, s.sock, addr, port);
  } catch (e) {
    fatal(io, `bind(${s.fd}, {AF=2 ${formatAddr(addr)}:${port}}, 16): ${strerror(errnoOf(e))}`);
  }
  if (tcp) {
    const backlog = a.opts.has("backlog") ? intOpt(io, "backlog", a.opts.get("backlog")) : 5;
    try {
      listen(io.task, s.sock, backlog);
    } catch (e) {
      fatal(io, `listen(${s.fd}, ${backlog}): ${strerror(errnoOf(e))}`);
    }
  }
  return s;
}

async function acceptOne(io: Io, a: Address, l: { sock: Socket; fd: number }): Promise<End> {
  if (a.kind === "tcp-listen") {
    const c = await accept(io.task, l.sock);
    if (!c) fatal(io, `accept(${l.fd}, ...): ${strerror("EAGAIN")}`);
    io.socks.add(c);
    return { kind: "sock", sock: c, fd: io.nextFd++, tcp: true };
  }
  // UDP-LISTEN: the first datagram's sender becomes the peer (xiolisten's recvfrom + connect).
  await poll(io.task, [{ sock: l.sock, events: POLLIN }]);
  const first = recvfrom(io.task, l.sock);
  if (!first) fatal(io, `recvfrom(${l.fd}, ...): ${strerror("EAGAIN")}`);
  try {
    await connect(io.task, l.sock, first.from, first.port);
  } catch (e) {
    fatal(io, `connect(${l.fd}, AF=2 ${formatAddr(first.from)}:${first.port}, 16): ${strerror(errnoOf(e))}`);
  }
  return { kind: "sock", sock: l.sock, fd: l.fd, tcp: false, first: first.data };
}

async function openEnd(io: Io, a: Address): Promise<End> {
  switch (a.kind) {
    case "stdio":
      return { kind: "stdio", read: true, write: true };
    case "stdin":
      return { kind: "stdio", read: true, write: false };
    case "stdout":
      return { kind: "stdio", read: false, write: true };
    case "tcp-connect":
    case "udp-connect":
      return openConnect(io, a);
    case "tcp-listen":
    case "udp-listen":
      return acceptOne(io, a, await openListener(io, a));
  }
}

// --- the transfer loop (xio _socat) ------------------------------------------------------------

interface Opts {
  dir: "both" | "lr" | "rl";
  closeTimeout: number;
  totalTimeout: number | undefined;
}

interface Dir {
  readonly from: End;
  readonly to: End;
  open: boolean;
}

async function transfer(io: Io, o: Opts, left: End, right: End, stdin: { rest: Uint8Array }): Promise<void> {
  const task = io.task;
  const dirs: Dir[] = [];
  if (o.dir !== "rl") dirs.push({ from: left, to: right, open: true });
  if (o.dir !== "lr") dirs.push({ from: right, to: left, open: true });
  let closingSince: number | undefined;

  const write = async (to: End, data: Uint8Array): Promise<void> => {
    if (to.kind === "stdio") {
      io.outBytes(data);
      return;
    }
    try {
      await send(task, to.sock, data);
    } catch (e) {
      fatal(io, `write(${to.fd}, ${BUFFER_ADDR}, ${data.length}): ${strerror(errnoOf(e))}`);
    }
  };
  const eof = (d: Dir): void => {
    d.open = false;
    // Pass the EOF on: shut down the other side's write direction.
    if (d.to.kind === "sock" && d.to.tcp) {
      try {
        shutdown(task, d.to.sock, "SHUT_WR");
      } catch (e) {
        errnoOf(e);
      }
    }
    closingSince ??= clockGettime(task);
  };

  let lastActivity = clockGettime(task);
  for (;;) {
    const open = dirs.filter((d) => d.open);
    if (open.length === 0) return;
    const now = clockGettime(task);
    if (closingSince !== undefined && now >= closingSince + o.closeTimeout) return;
    if (o.totalTimeout !== undefined && now >= lastActivity + o.totalTimeout) return;
    // Standard input is a file read to its end: whatever it holds, then EOF.
    let moved = false;
    for (const d of open) {
      if (d.from.kind === "stdio") {
        while (stdin.rest.length > 0) {
          const chunk = stdin.rest.subarray(0, BUFLEN);
          stdin.rest = stdin.rest.subarray(chunk.length);
          await write(d.to, chunk);
        }
        eof(d);
        moved = true;
      } else if (d.from.first) {
        const f = d.from.first;
        d.from.first = undefined;
        await write(d.to, f);
        moved = true;
      }
    }
    if (moved) {
      lastActivity = clockGettime(task);
      continue;
    }
    const socks = open.filter((d) => d.from.kind === "sock");
    let deadline: number | undefined;
    if (closingSince !== undefined) deadline = closingSince + o.closeTimeout;
    if (o.totalTimeout !== undefined)
      deadline = Math.min(deadline ?? Infinity, lastActivity + o.totalTimeout);
    const rev = await poll(
      task,
      socks.map((d) => ({ sock: (d.from as { sock: Socket }).sock, events: POLLIN })),
      deadline,
    );
    for (let i = 0; i < socks.length; i++) {
      if (!rev[i]) continue;
      const d = socks[i] as Dir;
      const from = d.from as Extract<End, { kind: "sock" }>;
      let got: { readonly data: Uint8Array } | undefined;
      try {
        got = recvfrom(task, from.sock);
      } catch (e) {
        fatal(io, `read(${from.fd}, ${BUFFER_ADDR}, ${BUFLEN}): ${strerror(errnoOf(e))}`);
      }
      if (!got) continue;
      lastActivity = clockGettime(task);
      if (got.data.length === 0 && from.tcp) eof(d);
      else await write(d.to, got.data);
    }
  }
}

// --- main --------------------------------------------------------------------------------------

export async function socat(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  // socat holds two descriptors of its own before its first socket: ss -p shows that at fd 5.
  proc.task.files?.reserve(2);
  // Where no byte-clean stdout is offered (the library API), data shows as UTF-8 text.
  const decoder = new TextDecoder();
  const io: Io = {
    task: proc.task,
    proc,
    out: (text) => proc.write(1, text),
    outBytes: (data) => {
      if (proc.writeBytes) proc.writeBytes(1, data);
      else proc.write(1, decoder.decode(data, { stream: true }));
    },
    err: (text) => proc.write(2, text),
    nextFd: 5,
    socks: new Set(),
  };
  try {
    return { stdout: "", stderr: "", exitCode: await main(argv, io) };
  } catch (e) {
    if (e instanceof Exit) return { stdout: "", stderr: "", exitCode: e.code };
    throw e;
  } finally {
    for (const s of io.socks) close(proc.task, s);
  }
}

async function main(argv: readonly string[], io: Io): Promise<number> {
  const o: Opts = { dir: "both", closeTimeout: SEC / 2, totalTimeout: undefined };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("-") || a === "-") break;
    if (/^-d+$/.test(a)) continue; // debug levels: their W/N/I/D messages are not emulated
    if (a === "-u") o.dir = "lr";
    else if (a === "-U") o.dir = "rl";
    else if (a === "-t" || a === "-T") {
      const v = argv[++i];
      if (v === undefined || !/^\d*\.?\d+$/.test(v)) fatal(io, `option "${a}" requires an argument`);
      if (a === "-t") o.closeTimeout = Math.round(Number(v) * SEC);
      else o.totalTimeout = Math.round(Number(v) * SEC);
    } else fatal(io, `unknown option "${a}"; use option "-h" for help`);
  }
  const addrs = argv.slice(i);
  if (addrs.length !== 2)
    fatal(io, `exactly 2 addresses required (there are ${addrs.length}); use option "-h" for help`);
  const a1 = parseAddress(io, addrs[0] as string);
  const a2 = parseAddress(io, addrs[1] as string);
  const stdin = { rest: io.proc.stdinBytes ?? new TextEncoder().encode(io.proc.stdin) };
  const fork = (a: Address) => a.opts.has("fork") && a.kind === "tcp-listen";
  if (fork(a1)) {
    // fork: each connection gets its own child with a fresh second address. Children run one
    // after another here (a second client waits in the accept queue until the first is done).
    const l = await openListener(io, a1);
    for (;;) {
      const left = await acceptOne(io, a1, l);
      const right = await openEnd(io, a2);
      await transfer(io, o, left, right, stdin);
      for (const e of [left, right]) {
        if (e.kind === "sock" && e.sock !== l.sock && io.socks.delete(e.sock)) close(io.task, e.sock);
      }
    }
  }
  const left = await openEnd(io, a1);
  const right = await openEnd(io, a2);
  await transfer(io, o, left, right, stdin);
  return 0;
}
