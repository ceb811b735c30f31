// curl: Debian 12's curl 7.88.1 (libcurl 7.88.1) for HTTP/1.1 over IPv4, as tool_getparam,
// tool_operate, lib/http.c, lib/connect.c, lib/progress.c and tool_writeout.c print it. Text,
// order (the progress meter on stderr, `* `/`> `/`< ` verbose lines) and exit codes follow the
// real program; the kernel is reached through the socket calls, and every time curl reports
// (the meter, -w's %{time_*}, "after N ms") is virtual time.
import {
  clockGettime,
  close,
  connect,
  type Errno,
  getsockname,
  IFF_UP,
  KernelError,
  POLLIN,
  poll,
  recvfrom,
  rtnlGetLink,
  type Socket,
  send,
  socket,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "./ip/utils.js";
import { getaddrinfo } from "./netdb.js";
import type { Proc, ProgramResult } from "./program.js";

const VERSION = "7.88.1";
const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";
const MS = 1_000_000;
const US = 1_000;

/** exit(3) from anywhere in the program. */
class Exit {
  constructor(readonly code: number) {}
}

/** A transfer that failed: CURLcode and the failf() text. */
class CurlError {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

interface Opts {
  urls: string[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  location: boolean;
  maxRedirs: number;
  output: (string | undefined)[];
  remoteName: boolean[];
  writeOut: string | undefined;
  headers: string[];
  method: string | undefined;
  data: string[];
  userAgent: string | undefined;
  maxTime: number | undefined;
  connectTimeout: number | undefined;
  noMeter: boolean;
}

/** The long options curl 7.88 knows that netnest emulates, with whether they take an argument. */
const LONG: Readonly<Record<string, { readonly short?: string; readonly arg: boolean }>> = {
  silent: { short: "s", arg: false },
  "show-error": { short: "S", arg: false },
  verbose: { short: "v", arg: false },
  include: { short: "i", arg: false },
  head: { short: "I", arg: false },
  fail: { short: "f", arg: false },
  location: { short: "L", arg: false },
  output: { short: "o", arg: true },
  "remote-name": { short: "O", arg: false },
  "write-out": { short: "w", arg: true },
  header: { short: "H", arg: true },
  request: { short: "X", arg: true },
  data: { short: "d", arg: true },
  "data-ascii": { arg: true },
  "data-binary": { arg: true },
  "data-raw": { arg: true },
  "user-agent": { short: "A", arg: true },
  "max-time": { short: "m", arg: true },
  "connect-timeout": { arg: true },
  "max-redirs": { arg: true },
  http1: { short: "0", arg: false },
  "http1.1": { arg: false },
  ipv4: { short: "4", arg: false },
  "no-progress-meter": { arg: false },
};

const SHORT_ARG = new Set(["o", "w", "H", "X", "d", "A", "m"]);
const SHORT_FLAG = new Set(["s", "S", "v", "i", "I", "f", "L", "O", "0", "4"]);

interface Io {
  readonly proc: Proc;
  readonly task: Task;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export async function curl(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  // curl holds two descriptors of its own (its multi handle's wakeup pair) before its socket: ss -p shows that at fd 5.
  proc.task.files?.reserve(2);
  const io: Io = {
    proc,
    task: proc.task,
    out: (text) => proc.write(1, text),
    err: (text) => proc.write(2, text),
  };
  try {
    const code = await main(argv, io);
    return { stdout: "", stderr: "", exitCode: code };
  } catch (e) {
    if (e instanceof Exit) return { stdout: "", stderr: "", exitCode: e.code };
    throw e;
  }
}

function paramError(io: Io, text: string): never {
  io.err(`curl: ${text}\n${TRY_HELP}`);
  throw new Exit(2);
}

/** str2num/secs2ms: a non-negative decimal number of seconds. */
function seconds(io: Io, flag: string, text: string): number {
  if (!/^\d*(?:\.\d*)?$/.test(text) || text === "" || text === ".")
    paramError(io, `option ${flag}: expected a proper numerical parameter`);
  return Number(text);
}

async function readData(io: Io, text: string, kind: "data" | "binary" | "raw"): Promise<string> {
  if (kind === "raw" || !text.startsWith("@")) return text;
  const name = text.slice(1);
  let content: string;
  if (name === "-") content = io.proc.stdin;
  else {
    try {
      content = await io.proc.readFile(name);
    } catch {
      io.err(`Warning: Couldn't read data from file "${name}", this makes an empty \nWarning: POST.\n`);
      content = "";
    }
  }
  // -d @file strips carriage returns and newlines; --data-binary keeps them.
  return kind === "data" ? content.replace(/[\r\n]/g, "") : content;
}

async function parseArgs(argv: readonly string[], io: Io): Promise<Opts> {
  const o: Opts = {
    urls: [],
    silent: false,
    showError: false,
    verbose: false,
    include: false,
    head: false,
    fail: false,
    location: false,
    maxRedirs: 50,
    output: [],
    remoteName: [],
    writeOut: undefined,
    headers: [],
    method: undefined,
    data: [],
    userAgent: undefined,
    maxTime: undefined,
    connectTimeout: undefined,
    noMeter: false,
  };
  const apply = async (name: string, flag: string, arg: string | undefined): Promise<void> => {
    const a = arg ?? "";
    switch (name) {
      case "s":
      case "silent":
        o.silent = true;
        break;
      case "S":
      case "show-error":
        o.showError = true;
        break;
      case "v":
      case "verbose":
        o.verbose = true;
        break;
      case "i":
      case "include":
        o.include = true;
        break;
      case "I":
      case "head":
        o.head = true;
        break;
      case "f":
      case "fail":
        o.fail = true;
        break;
      case "L":
      case "location":
        o.location = true;
        break;
      case "o":
      case "output":
        o.output.push(a);
        break;
      case "O":
      case "remote-name":
        o.remoteName.push(true);
        break;
      case "w":
      case "write-out":
        o.writeOut = a.startsWith("@") ? await readData(io, a, "binary") : a;
        break;
      case "H":
      case "header":
        o.headers.push(a);
        break;
      case "X":
      case "request":
        o.method = a;
        break;
      case "d":
      case "data":
      case "data-ascii":
        o.data.push(await readData(io, a, "data"));
        break;
      case "data-binary":
        o.data.push(await readData(io, a, "binary"));
        break;
      case "data-raw":
        o.data.push(a);
        break;
      case "A":
      case "user-agent":
        o.userAgent = a;
        break;
      case "m":
      case "max-time":
        o.maxTime = seconds(io, flag, a);
        break;
      case "connect-timeout":
        o.connectTimeout = seconds(io, flag, a);
        break;
      case "max-redirs":
        if (!/^-?\d+$/.test(a)) paramError(io, `option ${flag}: expected a proper numerical parameter`);
        o.maxRedirs = Number(a);
        break;
      case "no-progress-meter":
        o.noMeter = true;
        break;
      default:
        // -0, --http1.1, -4: the only protocol and family netnest speaks anyway.
        break;
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith("--") && a.length > 2) {
      let name = a.slice(2);
      if (name.startsWith("no-") && LONG[name] === undefined) name = name.slice(3);
      const spec = LONG[name];
      if (!spec) paramError(io, `option ${a}: is unknown`);
      let arg: string | undefined;
      if (spec.arg) {
        if (i + 1 >= argv.length) paramError(io, `option ${a}: requires parameter`);
        arg = argv[++i];
      }
      await apply(name, a, arg);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (SHORT_ARG.has(c)) {
          let arg = a.slice(j + 1);
          if (arg === "") {
            if (i + 1 >= argv.length) paramError(io, `option -${c}: requires parameter`);
            arg = argv[++i] as string;
          }
          await apply(c, `-${c}`, arg);
          break;
        }
        if (!SHORT_FLAG.has(c)) paramError(io, `option -${c}: is unknown`);
        await apply(c, `-${c}`, undefined);
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

// --- URLs --------------------------------------------------------------------------------------

interface Url {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  /** The port was written and is not the scheme's default: it goes into Host:. */
  readonly portShown: boolean;
  readonly path: string;
}

/**
 * The protocols of Debian's curl 7.88.1 that curl connects itself over TCP, with their default
 * ports. netnest speaks HTTP only: for the others the connection is made (so a refusal or timeout
 * is curl's 7 or 28, as on Linux), and then the transfer stops as an unsupported protocol.
 */
const TCP_SCHEMES: Readonly<Record<string, number>> = {
  http: 80,
  dict: 2628,
  ftp: 21,
  ftps: 990,
  gopher: 70,
  gophers: 70,
  https: 443,
  imap: 143,
  imaps: 993,
  mqtt: 1883,
  pop3: 110,
  pop3s: 995,
  rtsp: 554,
  scp: 22,
  sftp: 22,
  smb: 445,
  smbs: 445,
  smtp: 25,
  smtps: 465,
  telnet: 23,
};

/** curl_url's parse of an HTTP URL (a missing scheme is http). */
function parseUrl(text: string): Url | CurlError {
  let rest = text;
  let scheme = "http";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (m) {
    scheme = (m[1] as string).toLowerCase();
    rest = rest.slice(m[0].length);
  }
  const defaultPort = TCP_SCHEMES[scheme];
  if (defaultPort === undefined) {
    return new CurlError(1, `Protocol "${m?.[1] ?? scheme}" not supported or disabled in libcurl`);
  }
  const hashAt = rest.indexOf("#");
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  const pathAt = rest.search(/[/?]/);
  let authority = pathAt >= 0 ? rest.slice(0, pathAt) : rest;
  let path = pathAt >= 0 ? rest.slice(pathAt) : "/";
  if (path.startsWith("?")) path = `/${path}`;
  const at = authority.lastIndexOf("@");
  if (at >= 0) authority = authority.slice(at + 1);
  let host = authority;
  let port = defaultPort;
  let portShown = false;
  const colon = authority.lastIndexOf(":");
  if (colon >= 0 && !authority.startsWith("[")) {
    host = authority.slice(0, colon);
    const p = authority.slice(colon + 1);
    if (p !== "") {
      if (!/^\d+$/.test(p) || Number(p) > 65535)
        return new CurlError(3, "URL using bad/illegal format or missing URL");
      port = Number(p);
      portShown = port !== defaultPort;
    }
  }
  if (host === "" || authority.startsWith("["))
    return new CurlError(3, "URL using bad/illegal format or missing URL");
  return { scheme, host: host.toLowerCase(), port, portShown, path };
}

// --- the progress meter (lib/progress.c) -------------------------------------------------------

function time2str(secs: number): string {
  if (secs <= 0) return "--:--:--";
  const h = Math.floor(secs / 3600);
  if (h <= 99) {
    const m = Math.floor((secs - h * 3600) / 60);
    const s = secs - h * 3600 - m * 60;
    return `${String(h).padStart(2)}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  }
  const d = Math.floor(secs / 86400);
  const hh = Math.floor((secs - d * 86400) / 3600);
  return d <= 999 ? `${String(d).padStart(3)}d ${String(hh).padStart(2, "0")}h` : `${String(d).padStart(7)}d`;
}

function max5data(bytes: number): string {
  const K = 1024;
  const M = K * K;
  if (bytes < 100000) return String(bytes).padStart(5);
  if (bytes < 10000 * K) return `${String(Math.floor(bytes / K)).padStart(4)}k`;
  if (bytes < 100 * M)
    return `${String(Math.floor(bytes / M)).padStart(2)}.${Math.floor((bytes % M) / (M / 10))}M`;
  return `${String(Math.floor(bytes / M)).padStart(4)}M`;
}

function trspeed(size: number, us: number): number {
  return us < 1 ? size * 1_000_000 : Math.floor((size * 1_000_000) / us);
}

/** What Curl_pgrsUpdate keeps between calls (struct Progress). */
class Meter {
  private headersOut = false;
  private lastshow = -1;
  private readonly speeder: { amount: number; at: number }[] = [];
  private currentSpeed = 0;
  sizeDl: number | undefined;
  sizeUl: number | undefined;
  downloaded = 0;
  uploaded = 0;

  constructor(
    private readonly io: Io,
    private readonly start: number,
    readonly hidden: boolean,
  ) {}

  /** Curl_pgrsUpdate: shows the meter at most once a (virtual) second, or when forced. */
  update(force = false): void {
    const now = clockGettime(this.io.task);
    const spentUs = Math.floor((now - this.start) / US);
    const dlspeed = trspeed(this.downloaded, spentUs);
    const ulspeed = trspeed(this.uploaded, spentUs);
    const sec = Math.floor(now / 1e9);
    if (!force && this.lastshow === sec) return;
    this.lastshow = sec;
    this.speeder.push({ amount: this.downloaded + this.uploaded, at: now });
    if (this.speeder.length > 6) this.speeder.shift();
    if (this.speeder.length > 1) {
      const first = this.speeder[0] as { amount: number; at: number };
      const last = this.speeder[this.speeder.length - 1] as { amount: number; at: number };
      const spanMs = Math.max(1, Math.floor((last.at - first.at) / MS));
      this.currentSpeed = Math.floor(((last.amount - first.amount) * 1000) / spanMs);
    } else this.currentSpeed = dlspeed + ulspeed;
    if (this.hidden) return;
    this.show(spentUs, dlspeed, ulspeed);
  }

  /** Curl_pgrsDone: the forced last update and the newline after it. */
  done(): void {
    this.update(true);
    if (!this.hidden) this.io.err("\n");
  }

  private show(spentUs: number, dlspeed: number, ulspeed: number): void {
    if (!this.headersOut) {
      this.io.err(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
          "                                 Dload  Upload   Total   Spent    Left  Speed\n",
      );
      this.headersOut = true;
    }
    const spent = Math.floor(spentUs / 1_000_000);
    let ulpercen = 0;
    let dlpercen = 0;
    let ulestimate = 0;
    let dlestimate = 0;
    const pct = (done: number, size: number) =>
      size > 10000
        ? Math.floor(done / Math.floor(size / 100))
        : size > 0
          ? Math.floor((done * 100) / size)
          : 0;
    if (this.sizeUl !== undefined && ulspeed > 0) {
      ulestimate = Math.floor(this.sizeUl / ulspeed);
      ulpercen = pct(this.uploaded, this.sizeUl);
    }
    if (this.sizeDl !== undefined && dlspeed > 0) {
      dlestimate = Math.floor(this.sizeDl / dlspeed);
      dlpercen = pct(this.downloaded, this.sizeDl);
    }
    const estimate = Math.max(ulestimate, dlestimate);
    const expected = (this.sizeUl ?? this.uploaded) + (this.sizeDl ?? this.downloaded);
    const total = this.downloaded + this.uploaded;
    const p3 = (n: number) => String(n).padStart(3);
    this.io.err(
      `\r${p3(pct(total, expected))} ${max5data(expected)}  ${p3(dlpercen)} ${max5data(this.downloaded)}  ` +
        `${p3(ulpercen)} ${max5data(this.uploaded)}  ${max5data(dlspeed)}  ${max5data(ulspeed)} ` +
        `${time2str(estimate)} ${time2str(spent)} ${time2str(estimate > 0 ? estimate - spent : 0)} ` +
        `${max5data(this.currentSpeed)}`,
    );
  }
}

// --- one transfer ------------------------------------------------------------------------------

/** What -w can report about a finished transfer. */
interface Info {
  url: string;
  method: string;
  httpCode: number;
  httpVersion: string;
  sizeDownload: number;
  sizeHeader: number;
  sizeRequest: number;
  sizeUpload: number;
  contentType: string;
  remoteIp: string;
  remotePort: number;
  /** CURLINFO_SCHEME: the connection's protocol, uppercase; empty until one is made. */
  scheme: string;
  localIp: string;
  localPort: number;
  numConnects: number;
  numRedirects: number;
  redirectUrl: string;
  start: number;
  tConnect: number;
  tStart: number;
  tEnd: number;
  headers: Map<string, string>;
  exitcode: number;
  errormsg: string;
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

const enc = new TextEncoder();

interface Transfer {
  readonly o: Opts;
  readonly io: Io;
  readonly meter: Meter;
  readonly info: Info;
  /** Absolute virtual ns at which -m ends the transfer. */
  readonly deadline: number | undefined;
  /** Where the body goes. */
  /** Where the body goes (stdout or the -o file): bytes as they came, or curl's own text. */
  readonly sink: (data: string | Uint8Array) => void;
  sock: Socket | undefined;
  /** The response ends the connection (Connection: close, HTTP/1.0, read until close). */
  closeAfter: boolean;
}

function verbose(t: Transfer, text: string): void {
  if (t.o.verbose) t.io.err(text);
}

function elapsedMs(t: Transfer): number {
  return Math.floor((clockGettime(t.io.task) - t.info.start) / MS);
}

async function transfer(t: Transfer, url: Url): Promise<{ readonly location?: string }> {
  const { o, io, info } = t;
  const task = io.task;
  const r = getaddrinfo(url.host);
  if ("error" in r) throw new CurlError(6, `Could not resolve host: ${url.host}`);
  const daddr = r.addr >>> 0;
  const ip = formatAddr(daddr);
  const now = clockGettime(task);
  const connectDeadline =
    o.connectTimeout !== undefined
      ? Math.min(t.deadline ?? Number.POSITIVE_INFINITY, now + Math.round(o.connectTimeout * 1e9))
      : t.deadline;
  verbose(t, `*   Trying ${ip}:${url.port}...\n`);
  const s = socket(task, "SOCK_STREAM", 0);
  t.sock = s;
  const tryStart = clockGettime(task);
  try {
    await connect(
      task,
      s,
      daddr,
      url.port,
      connectDeadline !== undefined ? { deadline: connectDeadline } : {},
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    if (connectDeadline !== undefined && clockGettime(task) >= connectDeadline && e.errno === "ETIMEDOUT") {
      if (o.connectTimeout !== undefined && connectDeadline !== t.deadline)
        throw new CurlError(
          28,
          `Failed to connect to ${url.host} port ${url.port} after ${elapsedMs(t)} ms: Timeout was reached`,
        );
      throw new CurlError(28, `Connection timed out after ${elapsedMs(t)} milliseconds`);
    }
    const tried = clockGettime(task) - tryStart;
    verbose(t, connectFailure(ip, url.port, e.errno, tried === 0));
    if (url.host === "localhost") {
      // /etc/hosts also gives ::1, tried next. netnest has no IPv6 sockets and so no IPv6
      // listener: ::1 refuses while lo is up (it has the address) and cannot be a source without.
      const loUp = ((rtnlGetLink(task, 1)[0]?.flags ?? 0) & IFF_UP) !== 0;
      verbose(t, `*   Trying [::1]:${url.port}...\n`);
      verbose(t, connectFailure("::1", url.port, loUp ? "ECONNREFUSED" : "EADDRNOTAVAIL", !loUp));
    }
    throw new CurlError(
      7,
      `Failed to connect to ${url.host} port ${url.port} after ${elapsedMs(t)} ms: Couldn't connect to server`,
    );
  }
  info.tConnect = clockGettime(task);
  info.numConnects++;
  info.remoteIp = ip;
  info.remotePort = url.port;
  info.scheme = url.scheme.toUpperCase();
  const local = getsockname(task, s);
  info.localIp = formatAddr(local.addr >>> 0);
  info.localPort = local.port;
  verbose(t, `* Connected to ${url.host} (${ip}) port ${url.port} (#0)\n`);
  if (url.scheme !== "http")
    throw new CurlError(1, `Protocol "${url.scheme}" not supported or disabled in libcurl`);

  // The request (http.c Curl_http): request line, Host, User-Agent, Accept, the -H headers.
  const body = o.data.length > 0 ? o.data.join("&") : undefined;
  const method = o.method ?? (o.head ? "HEAD" : body !== undefined ? "POST" : "GET");
  info.method = method;
  const custom = o.headers
    .map((h) => {
      const colon = h.indexOf(":");
      const semi = h.indexOf(";");
      if (colon > 0) return { name: h.slice(0, colon), line: /^[^:]*:\s*$/.test(h) ? undefined : h };
      if (semi > 0 && h.slice(semi + 1).trim() === "")
        return { name: h.slice(0, semi), line: `${h.slice(0, semi)}:` };
      return undefined;
    })
    .filter((h) => h !== undefined);
  const has = (name: string) => custom.some((h) => h.name.toLowerCase() === name.toLowerCase());
  const lines = [`${method} ${url.path} HTTP/1.1`];
  if (!has("Host")) lines.push(`Host: ${url.host}${url.portShown ? `:${url.port}` : ""}`);
  if (!has("User-Agent")) lines.push(`User-Agent: ${o.userAgent ?? `curl/${VERSION}`}`);
  if (!has("Accept")) lines.push("Accept: */*");
  for (const h of custom) if (h.line !== undefined) lines.push(h.line);
  if (body !== undefined) {
    if (!has("Content-Length")) lines.push(`Content-Length: ${enc.encode(body).length}`);
    if (!has("Content-Type")) lines.push("Content-Type: application/x-www-form-urlencoded");
  }
  const head = `${lines.join("\r\n")}\r\n\r\n`;
  for (const l of `${lines.join("\r\n")}\r\n\r\n`.split("\n").slice(0, -1)) verbose(t, `> ${l}\n`);
  const bodyBytes = body !== undefined ? enc.encode(body) : new Uint8Array();
  info.sizeRequest = enc.encode(head).length;
  if (body !== undefined) t.meter.sizeUl = bodyBytes.length;
  await sendAll(t, enc.encode(head));
  if (bodyBytes.length > 0) {
    await sendAll(t, bodyBytes);
    t.meter.uploaded += bodyBytes.length;
    info.sizeUpload = bodyBytes.length;
    verbose(t, `} [${bodyBytes.length} bytes data]\n`);
  }
  return await readResponse(t, url, method);
}

/**
 * How connect.c reports one address that failed: connect() itself failing (no route, no source
 * address) is "Immediate"; a refusal or timeout comes back later through the socket's error.
 */
function connectFailure(ip: string, port: number, errno: Errno, sameInstant: boolean): string {
  const immediate =
    ["ENETUNREACH", "EADDRNOTAVAIL", "EACCES", "EINVAL", "EPERM"].includes(errno) ||
    (errno === "EHOSTUNREACH" && sameInstant);
  return immediate
    ? `* Immediate connect fail for ${ip}: ${strerror(errno)}\n`
    : `* connect to ${ip} port ${port} failed: ${strerror(errno)}\n`;
}

async function sendAll(t: Transfer, bytes: Uint8Array): Promise<void> {
  try {
    await send(t.io.task, t.sock as Socket, bytes);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    throw new CurlError(55, `Send failure: ${strerror(e.errno)}`);
  }
}

/** The bytes the connection delivers, as they come; `undefined` at EOF. */
async function recvSome(t: Transfer, received: () => string): Promise<Uint8Array | undefined> {
  const task = t.io.task;
  const s = t.sock as Socket;
  for (;;) {
    let got: { readonly data: Uint8Array } | undefined;
    try {
      got = recvfrom(task, s);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      throw new CurlError(56, `Recv failure: ${strerror(e.errno)}`);
    }
    if (got) return got.data.length === 0 ? undefined : got.data;
    const rev = await poll(task, [{ sock: s, events: POLLIN }], t.deadline);
    if (rev.every((r) => r === 0))
      throw new CurlError(
        28,
        `Operation timed out after ${elapsedMs(t)} milliseconds with ${received()} received`,
      );
  }
}

async function readResponse(t: Transfer, url: Url, method: string): Promise<{ readonly location?: string }> {
  const { o, info, meter } = t;
  let buf = new Uint8Array();
  const append = (d: Uint8Array) => {
    const n = new Uint8Array(buf.length + d.length);
    n.set(buf);
    n.set(d, buf.length);
    buf = n;
  };
  const dec = new TextDecoder("latin1");
  let headerEnd = -1;
  let any = false;
  const bytesReceived = () => `${meter.downloaded} bytes`;
  // The status line and headers.
  for (;;) {
    const text = dec.decode(buf);
    const crlf = text.indexOf("\r\n\r\n");
    const lf = text.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf)) headerEnd = crlf + 4;
    else if (lf >= 0) headerEnd = lf + 2;
    if (buf.length >= 5 && !/^HTTP\//.test(text.slice(0, 5)))
      throw new CurlError(1, "Received HTTP/0.9 when not allowed");
    if (headerEnd >= 0) break;
    const d = await recvSome(t, bytesReceived);
    if (!d) {
      if (!any) throw new CurlError(52, "Empty reply from server");
      throw new CurlError(8, "Weird server reply");
    }
    any = true;
    append(d);
  }
  const headText = dec.decode(buf.subarray(0, headerEnd));
  let rest = buf.subarray(headerEnd);
  const rawLines = headText.split(/(?<=\n)/);
  const status = /^HTTP\/(\d(?:\.\d)?) (\d{3})/.exec(rawLines[0] ?? "");
  if (!status) throw new CurlError(8, "Weird server reply");
  const version = status[1] as string;
  const code = Number(status[2]);
  info.httpCode = code;
  info.httpVersion = version;
  info.sizeHeader += headerEnd;
  const hdrs = new Map<string, string>();
  for (const l of rawLines.slice(1)) {
    const m = /^([^:\s]+):\s*(.*?)\s*$/.exec(l);
    if (m) hdrs.set((m[1] as string).toLowerCase(), m[2] as string);
  }
  info.headers = hdrs;
  info.contentType = hdrs.get("content-type") ?? "";
  const chunked = /\bchunked\b/i.test(hdrs.get("transfer-encoding") ?? "");
  const lenText = hdrs.get("content-length");
  const length = lenText !== undefined && /^\d+$/.test(lenText) ? Number(lenText) : undefined;
  let closeAfter = /\bclose\b/i.test(hdrs.get("connection") ?? "") || version === "1.0";
  const noBody = method === "HEAD" || code === 204 || code === 304 || (code >= 100 && code < 200);
  if (length !== undefined && !noBody) meter.sizeDl = length;
  if (method === "HEAD" && length !== undefined) meter.sizeDl = length;
  if (version === "1.0") verbose(t, "* HTTP 1.0, assume close after body\n");

  const showHeaders = o.include || o.head;
  const failing = o.fail && code >= 400;
  const location = hdrs.get("location");
  // The header lines as the debug callback shows them: -f stops at the failing status.
  for (let i = 0; i < rawLines.length; i++) {
    const l = rawLines[i] as string;
    const last = i === rawLines.length - 1;
    if (last) {
      if (failing) break;
      if (!chunked && length === undefined && !closeAfter && !noBody) {
        verbose(t, "* no chunk, no close, no size. Assume close to signal end\n");
        closeAfter = true;
      }
    }
    verbose(t, `< ${l}`);
    if (showHeaders && !failing) t.sink(l);
  }
  if (failing) {
    throw new CurlError(22, `The requested URL returned error: ${code}`);
  }
  const followed = o.location && code >= 300 && code < 400 && location !== undefined;
  if (code >= 300 && code < 400 && location !== undefined) info.redirectUrl = resolveLocation(url, location);

  // The body.
  const deliver = (d: Uint8Array) => {
    if (d.length === 0) return;
    verbose(t, `{ [${d.length} bytes data]\n`);
    meter.downloaded += d.length;
    info.sizeDownload += d.length;
    if (!followed) t.sink(d);
    meter.update();
  };
  if (noBody) {
    // nothing
  } else if (chunked) {
    let pending = rest;
    const need = async (n: number): Promise<boolean> => {
      while (pending.length < n) {
        const d = await recvSome(t, bytesReceived);
        if (!d) return false;
        const m = new Uint8Array(pending.length + d.length);
        m.set(pending);
        m.set(d, pending.length);
        pending = m;
      }
      return true;
    };
    for (;;) {
      let nl = pending.indexOf(0x0a);
      while (nl < 0) {
        if (!(await need(pending.length + 1)))
          throw new CurlError(18, "transfer closed with outstanding read data remaining");
        nl = pending.indexOf(0x0a);
      }
      const size = Number.parseInt(dec.decode(pending.subarray(0, nl)).trim(), 16);
      pending = pending.subarray(nl + 1);
      if (Number.isNaN(size))
        throw new CurlError(56, "Illegal or missing hexadecimal sequence in chunked-encoding");
      if (size === 0) break;
      if (!(await need(size + 2)))
        throw new CurlError(18, "transfer closed with outstanding read data remaining");
      deliver(pending.subarray(0, size));
      pending = pending.subarray(size + 2);
    }
  } else if (length !== undefined) {
    let left = length;
    const take = (d: Uint8Array) => {
      const part = d.subarray(0, Math.min(left, d.length));
      left -= part.length;
      deliver(part);
    };
    take(rest);
    rest = new Uint8Array();
    while (left > 0) {
      const d = await recvSome(t, () => `${meter.downloaded} out of ${length} bytes`);
      if (!d) throw new CurlError(18, `transfer closed with ${left} bytes remaining to read`);
      take(d);
    }
  } else {
    deliver(rest);
    for (;;) {
      const d = await recvSome(t, bytesReceived);
      if (!d) break;
      deliver(d);
    }
  }
  t.closeAfter = closeAfter;
  return followed ? { location } : {};
}

function closeConn(t: Transfer): void {
  if (!t.sock) return;
  close(t.io.task, t.sock);
  t.sock = undefined;
  verbose(t, "* Closing connection 0\n");
}

/** Where a Location: leads from `base` (absolute, or a path on the same host). */
function resolveLocation(base: Url, loc: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(loc)) return loc;
  const hostPart = `http://${base.host}${base.portShown ? `:${base.port}` : ""}`;
  if (loc.startsWith("/")) return hostPart + loc;
  const dir = base.path.replace(/[^/]*$/, "");
  return hostPart + dir + loc;
}

// --- -w ----------------------------------------------------------------------------------------

function writeOut(io: Io, fmt: string, info: Info): string {
  const secs = (ns: number) => (ns / 1e9).toFixed(6);
  const vars: Record<string, () => string> = {
    http_code: () => String(info.httpCode).padStart(3, "0"),
    response_code: () => String(info.httpCode).padStart(3, "0"),
    http_version: () => (info.httpCode ? info.httpVersion : "0"),
    size_download: () => String(info.sizeDownload),
    size_header: () => String(info.sizeHeader),
    size_request: () => String(info.sizeRequest),
    size_upload: () => String(info.sizeUpload),
    content_type: () => info.contentType,
    remote_ip: () => info.remoteIp,
    remote_port: () => String(info.remotePort),
    local_ip: () => info.localIp,
    local_port: () => String(info.localPort),
    url_effective: () => info.url,
    url: () => info.url,
    num_connects: () => String(info.numConnects),
    num_redirects: () => String(info.numRedirects),
    redirect_url: () => info.redirectUrl,
    exitcode: () => String(info.exitcode),
    errormsg: () => info.errormsg,
    scheme: () => info.scheme,
    method: () => info.method,
    time_total: () => secs(info.tEnd - info.start),
    time_namelookup: () => secs(0),
    time_connect: () => secs(info.tConnect ? info.tConnect - info.start : 0),
    time_appconnect: () => secs(0),
    time_pretransfer: () => secs(info.tConnect ? info.tConnect - info.start : 0),
    time_starttransfer: () => secs(info.tStart ? info.tStart - info.start : 0),
    time_redirect: () => secs(0),
  };
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string;
    if (c === "%" && fmt[i + 1] === "%") {
      out += "%";
      i++;
    } else if (c === "%" && fmt[i + 1] === "{") {
      const end = fmt.indexOf("}", i);
      if (end < 0) {
        out += c;
        continue;
      }
      const name = fmt.slice(i + 2, end);
      const fn = vars[name];
      if (fn) out += fn();
      else if (name === "stderr" || name === "stdout") {
        // A stream switch; netnest keeps everything on stdout.
      } else io.err(`curl: unknown --write-out variable: '${name}'\n`);
      i = end;
    } else if (c === "%" && fmt.startsWith("%header{", i)) {
      const end = fmt.indexOf("}", i);
      out += info.headers.get(fmt.slice(i + 8, end).toLowerCase()) ?? "";
      i = end;
    } else if (c === "\\" && i + 1 < fmt.length) {
      const n = fmt[i + 1];
      if (n === "n") out += "\n";
      else if (n === "r") out += "\r";
      else if (n === "t") out += "\t";
      else out += `\\${n}`;
      i++;
    } else out += c;
  }
  return out;
}

// --- main --------------------------------------------------------------------------------------

async function main(argv: readonly string[], io: Io): Promise<number> {
  const o = await parseArgs(argv, io);
  if (o.urls.length === 0) {
    io.err(TRY_HELP);
    return 2;
  }
  let result = 0;
  for (let n = 0; n < o.urls.length; n++) {
    result = await operate(io, o, o.urls[n] as string, n);
  }
  return result;
}

/** One URL, as tool_operate's single transfer: returns the CURLcode. */
async function operate(io: Io, o: Opts, urlText: string, n: number): Promise<number> {
  const task = io.task;
  const showErr = (e: CurlError) => {
    if (!o.silent || o.showError) io.err(`curl: (${e.code}) ${e.message}\n`);
  };
  const start = clockGettime(task);
  const info: Info = {
    url: urlText,
    method: "GET",
    httpCode: 0,
    httpVersion: "0",
    sizeDownload: 0,
    sizeHeader: 0,
    sizeRequest: 0,
    sizeUpload: 0,
    contentType: "",
    remoteIp: "",
    remotePort: 0,
    scheme: "",
    localIp: "",
    localPort: 0,
    numConnects: 0,
    numRedirects: 0,
    redirectUrl: "",
    start,
    tConnect: 0,
    tStart: 0,
    tEnd: 0,
    headers: new Map(),
    exitcode: 0,
    errormsg: "",
  };
  let url = parseUrl(urlText);
  if (url instanceof CurlError) {
    showErr(url);
    return url.code;
  }
  // Where the body goes: -o FILE, -O (the URL's last path segment), else stdout.
  let outName = o.output[n];
  if (outName === undefined && o.remoteName[n]) {
    const seg = url.path.replace(/\?.*$/, "").replace(/^.*\//, "");
    if (seg === "") {
      const e = new CurlError(23, "Failed writing received data to disk/application");
      showErr(e);
      return e.code;
    }
    outName = seg;
  }
  const fileChunks: Uint8Array[] = [];
  const toFile = outName !== undefined && outName !== "-";
  // Without a byte-clean stdout (the library API) the body shows as UTF-8 text.
  const dec = new TextDecoder();
  const sink = (data: string | Uint8Array) => {
    if (toFile) fileChunks.push(typeof data === "string" ? enc.encode(data) : data.slice());
    else if (typeof data === "string") io.out(data);
    else if (io.proc.writeBytes) io.proc.writeBytes(1, data);
    else io.out(dec.decode(data, { stream: true }));
  };
  const hidden = o.silent || o.noMeter === true;
  const meter = new Meter(io, start, hidden);
  const t: Transfer = {
    o,
    io,
    meter,
    info,
    deadline: o.maxTime !== undefined && o.maxTime > 0 ? start + Math.round(o.maxTime * 1e9) : undefined,
    sink,
    sock: undefined,
    closeAfter: false,
  };
  meter.update();
  let error: CurlError | undefined;
  let connected = false;
  try {
    for (;;) {
      const r = await transfer(t, url);
      connected = true;
      if (r.location === undefined) break;
      const next = resolveLocation(url, r.location);
      if (info.numRedirects >= o.maxRedirs) {
        throw new CurlError(47, `Maximum (${o.maxRedirs}) redirects followed`);
      }
      if (t.sock && t.closeAfter) closeConn(t);
      else if (t.sock) {
        verbose(t, `* Connection #0 to host ${url.host} left intact\n`);
        close(task, t.sock);
        t.sock = undefined;
      }
      t.closeAfter = false;
      verbose(t, `* Issue another request to this URL: '${next}'\n`);
      const parsed = parseUrl(next);
      if (parsed instanceof CurlError) throw parsed;
      url = parsed;
      info.url = next;
      info.numRedirects++;
      meter.sizeDl = undefined;
      info.redirectUrl = "";
    }
  } catch (e) {
    if (!(e instanceof CurlError)) throw e;
    error = e;
    connected = connected || t.sock !== undefined || e.code === 7 || e.code === 28;
  }
  info.tEnd = clockGettime(task);
  if (error) {
    info.exitcode = error.code;
    info.errormsg = error.message;
    verbose(t, `* ${error.message}\n`);
  }
  // Curl_pgrsDone runs once the transfer got as far as connecting (not after a resolve failure).
  if (connected || (error && error.code !== 6 && error.code !== 3 && error.code !== 1)) meter.done();
  if (t.sock) {
    if (error || t.closeAfter) closeConn(t);
    else {
      verbose(t, `* Connection #0 to host ${url.host} left intact\n`);
      close(task, t.sock);
      t.sock = undefined;
    }
  } else if (error) verbose(t, "* Closing connection 0\n");
  if (toFile && outName !== undefined && (info.sizeDownload > 0 || !error)) {
    try {
      await io.proc.writeFile(outName, concatBytes(fileChunks));
    } catch {
      const e = new CurlError(23, "Failed writing received data to disk/application");
      showErr(e);
      return e.code;
    }
  }
  if (o.writeOut !== undefined) io.out(writeOut(io, o.writeOut, info));
  if (error) {
    showErr(error);
    return error.code;
  }
  return 0;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
