// bash's /dev/tcp/HOST/PORT and /dev/udp/HOST/PORT redirections (redir.c netopen): no file, a
// socket connected in the task's namespace when the redirection opens. just-bash performs a
// redirection through its filesystem, so ProcSysFs hands these paths here:
//   `CMD > /dev/tcp/H/P`   open: writeFile(path, "") → connect; the command's whole output:
//                          writeFile(path, out) → send, close (the descriptor closes after CMD)
//   `CMD >> /dev/tcp/H/P`  appendFile(path, "") → connect; appendFile(path, out) → send; closed
//                          when the bracketing command ends (redirect.ts)
//   `CMD < /dev/tcp/H/P`   connect, read to EOF: what the peer sent is CMD's standard input
// just-bash models a numbered descriptor (`exec 3<>FILE`) as a snapshot: it reads the whole file
// with readFile when the descriptor opens and `<&3` reads that stored copy, while `>&3` rewrites
// the file. A socket whose reply depends on what is written later cannot be expressed that way, so
// `exec N<` and `exec N<>` on these paths fail saying so instead of hanging or inventing data.
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

export function isDevInet(path: string): boolean {
  return DEV_INET.test(path);
}

/** Thrown when the socket cannot be opened: `message` is what bash prints, status 1. */
export class DevInetError extends Error {}

export class DevInet {
  readonly #task: Task;
  readonly #sink: WriteErrorSink | undefined;
  /** Paths a descriptor open (`exec N<`, `exec N<>`) was refused for. */
  readonly #descriptors = new Set<string>();
  /** Sockets opened by a redirection and not yet closed, by path. */
  readonly #open = new Map<string, Socket>();

  constructor(task: Task, sink: WriteErrorSink | undefined) {
    this.#task = task;
    this.#sink = sink;
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
      s = await this.#connect(path);
      this.#open.set(path, s);
    }
    if (content === "") return;
    try {
      await send(this.#task, s, new TextEncoder().encode(content));
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      this.#sink?.record(e.errno);
    }
    if (!append) this.#closeOne(path);
  }

  /** `<`: what the peer sends until it closes. */
  async read(path: string): Promise<string> {
    const s = await this.#connect(path);
    const chunks: Uint8Array[] = [];
    try {
      for (;;) {
        const got = recvfrom(this.#task, s);
        if (got) {
          if (got.data.length === 0) break;
          chunks.push(got.data);
          if (s.kind === "udp") break;
          continue;
        }
        await poll(this.#task, [{ sock: s, events: POLLIN }]);
      }
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    } finally {
      close(this.#task, s);
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return new TextDecoder("latin1").decode(out);
  }

  /** `exec N<` / `exec N<>`: not expressible over just-bash's descriptor snapshots (see above). */
  descriptor(path: string): never {
    this.#descriptors.add(path);
    throw new DevInetError(
      this.#fail(() => `netnest: ${path}: exec N< and N<> on /dev/tcp and /dev/udp are not supported`),
    );
  }

  /** netopen(): resolve, socket, connect; bash's two error lines on failure. */
  async #connect(path: string): Promise<Socket> {
    const m = DEV_INET.exec(path) as RegExpExecArray;
    const proto = m[1] as "tcp" | "udp";
    const host = m[2] as string;
    const service = m[3] as string;
    const r = getaddrinfo(host);
    if ("error" in r)
      throw new DevInetError(
        this.#fail((p) => `${p}${host}: ${r.error}\n${p}${path}: ${strerror("EINVAL")}`),
      );
    const port = /^\d+$/.test(service) ? Number(service) & 0xffff : getservbyname(service, proto);
    if (port === undefined)
      throw new DevInetError(
        this.#fail(
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
        this.#fail(
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
