// bash's /dev/tcp/HOST/PORT and /dev/udp/HOST/PORT redirections (redir.c netopen): no file, a
// socket connected in the task's namespace when the redirection opens. just-bash performs a
// redirection through its filesystem, so ProcSysFs hands these paths here:
//   `CMD > /dev/tcp/H/P`   open: writeFile(path, "") → connect; the command's whole output:
//                          writeFile(path, out) → send, close (the descriptor closes after CMD)
//   `CMD >> /dev/tcp/H/P`  appendFile(path, "") → connect; appendFile(path, out) → send; closed
//                          when the bracketing command ends (redirect.ts)
//   `CMD < /dev/tcp/H/P`   connect, read to EOF: what the peer sent is CMD's standard input
// Numbered descriptors (`exec 3<>/dev/tcp/H/P`, `>&3`, `<&3`, `read -u 3`) are rewritten by
// devfd.ts into operations on the sockets this file keeps by id, each named by a path of its own
// (SOCK_DIR/ID): an append to it is a send, a read of SOCK_DIR/ID/all receives to EOF (a command's
// standard input), a read of SOCK_DIR/ID/read-D-N-X-T receives as the read builtin does.
import {
  close,
  connect,
  type Errno,
  KernelError,
  POLLIN,
  poll,
  recvfrom,
  type Socket,
  send,
  socket,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "../userland/ip/utils.js";
import { getaddrinfo, getservbyname } from "../userland/netdb.js";
import type { WriteErrorSink } from "./redirect.js";

const DEV_INET = /^\/dev\/(tcp|udp)\/([^/]+)\/([^/]+)$/;

/** Where the sockets on numbered descriptors are named: SOCK_DIR/ID (see devfd.ts). */
export const SOCK_DIR = "/dev/.netnest-sock";

const SOCK_PATH = /^\/dev\/\.netnest-sock\/(\d+)(?:\/(all|read-(\d+)-(-?\d+)-([01])-(-?\d+)))?$/;

export function isDevInet(path: string): boolean {
  return DEV_INET.test(path);
}

export function isDevSock(path: string): boolean {
  return SOCK_PATH.test(path);
}

/** The socket id a descriptor table value refers to (`>>SOCK_DIR/ID`), if it is one of these. */
export function sockIdOf(raw: string): number | undefined {
  const m = /\/dev\/\.netnest-sock\/(\d+)$/.exec(raw);
  return m ? Number(m[1]) : undefined;
}

/** Thrown when the socket cannot be opened: `message` is what bash prints, status 1. */
export class DevInetError extends Error {}

/** How the read builtin stops (read -d, -n, -N): bash reads such a descriptor a byte at a time. */
export interface ReadStop {
  /** The delimiter's byte; 0 for `-d ''`. */
  readonly delim: number;
  /** -n/-N: at most this many bytes; -1 without. */
  readonly count: number;
  /** -N: the delimiter does not stop the read. */
  readonly exact: boolean;
  /** -t: give up after this many milliseconds, keeping what came; -1 without. */
  readonly timeoutMs: number;
}

/** A socket on numbered descriptors, as an open file: shared by the shells holding it (a job
 * inherits its parent's), closed when the last lets go. */
interface OpenSocket {
  readonly sock: Socket;
  holders: number;
}

/** One shell's hold on a socket. */
interface FdSocket {
  readonly file: OpenSocket;
  /**
   * The script that opened it (devfd.ts: the shell's own is 1, each `bash -c` it runs the next)
   * and how deep in subshells, to know when it closes.
   */
  readonly shell: number;
  readonly depth: number;
}

export class DevInet {
  readonly #task: Task;
  readonly #sink: WriteErrorSink | undefined;
  /** Paths a descriptor open (`exec N<`, `exec N<>`) was refused for. */
  readonly #descriptors = new Set<string>();
  /** Sockets opened by a redirection and not yet closed, by path. */
  readonly #open = new Map<string, Socket>();
  /** Sockets on numbered descriptors, by id. */
  readonly #fds = new Map<number, FdSocket>();
  /** Ids are the run's, so a job's inherited descriptors name the same sockets. */
  readonly #ids: { next: number };
  /** Whether the last read builtin's read of a socket ended at its -t timeout. */
  #timedOut = false;
  /** A descriptor's write got EPIPE: the shell is to die of SIGPIPE (devfd.ts). */
  #sigpipe = false;
  readonly #settle: () => Promise<void>;

  /**
   * `settle`: let what was just sent or closed be delivered, as the time a forked command takes
   * to start would on Linux (a descriptor's writes and closes are the shell's own, not a program's).
   * `ids`: the counter naming descriptor sockets, one per run.
   */
  constructor(
    task: Task,
    options: {
      readonly sink?: WriteErrorSink;
      readonly settle?: () => Promise<void>;
      readonly ids?: { next: number };
    } = {},
  ) {
    const sink = options.sink;
    this.#task = task;
    this.#sink = sink;
    this.#settle = options.settle ?? (async () => {});
    this.#ids = options.ids ?? { next: 1 };
    sink?.onEnd(() => this.#closeAll());
  }

  /** `>`/`>>`: connect on the open (empty write), send the output, close after a whole-file write. */
  async write(path: string, content: string, append: boolean): Promise<void> {
    if (this.#descriptors.delete(path) && content === "") {
      // just-bash's `exec N<>FILE` creates FILE when reading it failed: no socket for that.
      throw new DevInetError(this.#fail((p) => `${p}${path}: ${strerror("ENOENT")}`));
    }
    let s = this.#open.get(path);
    if (!s) {
      s = await this.#connect(path, (text) => this.#fail(text));
      this.#open.set(path, s);
    }
    if (content === "") return;
    await this.#send(s, new TextEncoder().encode(content));
    if (!append) this.#closeOne(path);
  }

  /** `<`: what the peer sends until it closes. */
  async read(path: string): Promise<string> {
    const s = await this.#connect(path, (text) => this.#fail(text));
    try {
      return await this.#receive(s, undefined);
    } finally {
      close(this.#task, s);
    }
  }

  /**
   * `exec N<>/dev/tcp/…` where devfd.ts's rewriting does not reach (a script run by `eval` or
   * `source`): just-bash would read the path as a file's snapshot; refused, and just-bash then
   * says the path does not exist (status 1), which is what the refusal's `N<>` would say too.
   */
  descriptor(path: string): never {
    this.#descriptors.add(path);
    throw new DevInetError(
      this.#fail(() => `netnest: ${path}: a descriptor on /dev/tcp or /dev/udp opened by eval or source`),
    );
  }

  /**
   * `exec N<>/dev/tcp/H/P` (devfd.ts): connect, and give the socket an id whose path the
   * descriptor then holds. On failure the error is bash's two lines, with `prefix` (`NAME: line N: `).
   */
  async openDescriptor(
    path: string,
    options: { readonly prefix: string; readonly shell: number; readonly depth: number },
  ): Promise<number> {
    const sock = await this.#connect(path, (text) => text(options.prefix));
    const id = this.#ids.next++;
    this.#fds.set(id, { file: { sock, holders: 1 }, shell: options.shell, depth: options.depth });
    return id;
  }

  /**
   * A job started with `&` inherits the descriptor `id` of the shell `parent` (fork): the same
   * socket, held by its shell (script 1, not in a subshell) until it closes it or ends.
   */
  inherit(parent: DevInet, id: number): boolean {
    const fd = parent.#fds.get(id);
    if (!fd || this.#fds.has(id)) return fd !== undefined;
    fd.file.holders++;
    this.#fds.set(id, { file: fd.file, shell: 1, depth: 0 });
    return true;
  }

  /**
   * A write to SOCK_DIR/ID: send(2) on the socket; an empty one is the redirection's open. bash
   * makes its standard output line-buffered (shell.c, sh_setlinebuf), so a builtin's output goes
   * out a line per write(2): `printf 'a\nb\n' >&4` is two UDP datagrams.
   */
  async writeSock(path: string, bytes: Uint8Array): Promise<void> {
    const fd = this.#fdOf(path);
    let at = 0;
    while (at < bytes.length && !this.#sigpipe) {
      const nl = bytes.indexOf(10, at);
      const end = nl < 0 ? bytes.length : nl + 1;
      try {
        await send(this.#task, fd.file.sock, bytes.subarray(at, end));
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        // write(2) raised SIGPIPE, whose default action ends the shell (status 141, no message).
        if (e.errno === "EPIPE") this.#sigpipe = true;
        else this.#sink?.record(e.errno);
        break;
      }
      at = end;
    }
    if (bytes.length > 0) await this.#settle();
  }

  /** Did a descriptor's write raise SIGPIPE since the last call? Clears it. */
  takeSigpipe(): boolean {
    const p = this.#sigpipe;
    this.#sigpipe = false;
    return p;
  }

  /** A read of SOCK_DIR/ID/all or SOCK_DIR/ID/read-D-N-X-T, as latin1 text (one char a byte). */
  async readSock(path: string): Promise<string> {
    const m = SOCK_PATH.exec(path) as RegExpExecArray;
    const fd = this.#fdOf(path);
    if (m[2] === undefined) throw new DevInetError(`netnest: ${path}: not a readable path`);
    const stop: ReadStop | undefined =
      m[2] === "all"
        ? undefined
        : { delim: Number(m[3]), count: Number(m[4]), exact: m[5] === "1", timeoutMs: Number(m[6]) };
    return this.#receive(fd.file.sock, stop);
  }

  /** Did the last read of a socket end at its timeout (then read returns 128+SIGALRM)? Clears it. */
  takeTimedOut(): boolean {
    const t = this.#timedOut;
    this.#timedOut = false;
    return t;
  }

  /**
   * Close the sockets no descriptor of the table `referenced` was built from refers to any more
   * (`exec 3>&-`, a reopened fd 3, the end of a command whose redirection opened it) among those
   * `shell` opened at `depth` or deeper, and those of scripts it ran since (`bash -c`), which
   * have ended when it goes on.
   */
  async collect(
    referenced: ReadonlySet<number>,
    options: { readonly shell: number; readonly depth: number },
  ): Promise<void> {
    let closed = false;
    for (const [id, fd] of [...this.#fds]) {
      const mine = fd.shell === options.shell && fd.depth >= options.depth;
      if (!(mine || fd.shell > options.shell) || referenced.has(id)) continue;
      this.#fds.delete(id);
      this.#release(fd);
      closed = true;
    }
    if (closed) await this.#settle();
  }

  /** The script `shell` (default: all) ends: every socket it still has closes (the peer sees FIN). */
  closeDescriptors(shell = 0): void {
    for (const [id, fd] of [...this.#fds]) {
      if (fd.shell < shell) continue;
      this.#fds.delete(id);
      this.#release(fd);
    }
  }

  /** This shell lets go of a socket; the last holder's close is the socket's (FIN). */
  #release(fd: FdSocket): void {
    if (--fd.file.holders === 0) close(this.#task, fd.file.sock);
  }

  #fdOf(path: string): FdSocket {
    const m = SOCK_PATH.exec(path);
    const fd = m ? this.#fds.get(Number(m[1])) : undefined;
    // A descriptor whose socket is gone (closed by a subshell's end): EBADF, as bash would get.
    if (!fd) throw new DevInetError(`bash: ${path}: ${strerror("EBADF")}`);
    return fd;
  }

  async #send(s: Socket, bytes: Uint8Array): Promise<void> {
    try {
      await send(this.#task, s, bytes);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      this.#sink?.record(e.errno);
    }
  }

  /**
   * Receive until EOF (a command's standard input; for UDP one datagram), or as the read builtin
   * reads an unseekable descriptor: one byte per read(2), so what follows the delimiter stays in
   * the socket (and for UDP the rest of each datagram is lost, as with a 1-byte buffer).
   */
  async #receive(s: Socket, stop: ReadStop | undefined): Promise<string> {
    const chunks: Uint8Array[] = [];
    let got = 0;
    const deadline =
      stop && stop.timeoutMs >= 0 ? this.#task.host.clock.now + stop.timeoutMs * 1_000_000 : undefined;
    this.#timedOut = false;
    try {
      for (;;) {
        if (stop && stop.count >= 0 && got >= stop.count) break;
        const r = recvfrom(this.#task, s, stop ? { max: 1 } : {});
        if (!r) {
          const [revents] = await poll(this.#task, [{ sock: s, events: POLLIN }], deadline);
          if (!revents && deadline !== undefined) {
            this.#timedOut = true;
            break;
          }
          continue;
        }
        if (r.data.length === 0) break;
        chunks.push(r.data);
        got += r.data.length;
        if (stop) {
          if (!stop.exact && r.data[0] === stop.delim) break;
          continue;
        }
        if (s.kind === "udp") break;
      }
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
    const out = new Uint8Array(got);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return new TextDecoder("latin1").decode(out);
  }

  /** netopen(): resolve, socket, connect; bash's two error lines on failure. */
  async #connect(path: string, fail: (text: (prefix: string) => string) => string): Promise<Socket> {
    const m = DEV_INET.exec(path) as RegExpExecArray;
    const proto = m[1] as "tcp" | "udp";
    const host = m[2] as string;
    const service = m[3] as string;
    const r = getaddrinfo(host);
    if ("error" in r)
      throw new DevInetError(fail((p) => `${p}${host}: ${r.error}\n${p}${path}: ${strerror("EINVAL")}`));
    const port = /^\d+$/.test(service) ? Number(service) & 0xffff : getservbyname(service, proto);
    if (port === undefined)
      throw new DevInetError(
        fail(
          (p) => `${p}${service}: Servname not supported for ai_socktype\n${p}${path}: ${strerror("EINVAL")}`,
        ),
      );
    const s = socket(this.#task, proto === "tcp" ? "SOCK_STREAM" : "SOCK_DGRAM", 0);
    try {
      await connect(this.#task, s, r.addr >>> 0, port);
    } catch (e) {
      close(this.#task, s);
      if (!(e instanceof KernelError)) throw e;
      const errno: Errno = e.errno;
      // bash's sys_error("connect") carries the shell's name but no line; then the redirection's.
      throw new DevInetError(
        fail(
          (p) =>
            `${p.replace(/line \d+: $/, "")}connect: ${strerror(errno)}\n${p}${path}: ${strerror(errno)}`,
        ),
      );
    }
    return s;
  }

  /** The message for a failed open, with the bracketing command's `NAME: line N: ` prefix. */
  #fail(text: (prefix: string) => string): string {
    // Unbracketed: a `bash -c` script, which just-bash runs without netnest's transforms, so the
    // line is not known; bash -c one-liners are line 1.
    return this.#sink?.armed ? this.#sink.openFailedWith(text) : text("bash: line 1: ");
  }

  #closeOne(path: string): void {
    const s = this.#open.get(path);
    if (!s) return;
    this.#open.delete(path);
    close(this.#task, s);
  }

  #closeAll(): void {
    for (const path of [...this.#open.keys()]) this.#closeOne(path);
  }
}
