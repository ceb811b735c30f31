// A TCP API shaped like Node's `net` for programs running in a namespace of an emulated host:
// createServer/listen/'connection', connect/'connect', write/end/'data'/'end'/'close'/'error'.
// Everything goes through the system calls a userland program uses, in virtual time (task.ts):
// runs are deterministic, and a connection between namespaces crosses their veths and routes.
import {
  accept,
  bind,
  close,
  connect as connectSyscall,
  getpeername,
  getsockname,
  KernelError,
  type Socket as KernelSocket,
  listen,
  recvfrom,
  send,
  setsockopt,
  shutdown,
  socket,
  sockPending,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "../userland/ip/utils.js";
import { getaddrinfo } from "../userland/netdb.js";
import { Emitter } from "./events.js";
import { Loop, wakeLoops } from "./task.js";

/** An error as Node words a failed socket call: `connect ECONNREFUSED 10.0.0.2:80`, with code/errno/syscall. */
export interface NetError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly address?: string;
  readonly port?: number;
}

function netError(e: KernelError, syscall: string, address?: string, port?: number): NetError {
  const where = address !== undefined ? ` ${address}${port !== undefined ? `:${port}` : ""}` : "";
  const err = new Error(`${syscall} ${e.errno}${where}`) as Error & Record<string, unknown>;
  err.code = e.errno;
  err.syscall = syscall;
  err.description = strerror(e.errno);
  if (address !== undefined) err.address = address;
  if (port !== undefined) err.port = port;
  return err as unknown as NetError;
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function resolve(host: string): number {
  const r = getaddrinfo(host);
  if ("error" in r) throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: "EAI_AGAIN" });
  return r.addr >>> 0;
}

export interface AddressInfo {
  readonly address: string;
  readonly family: "IPv4";
  readonly port: number;
}

export interface ConnectOptions {
  readonly port: number;
  readonly host?: string;
  readonly localAddress?: string;
  readonly localPort?: number;
  /** Keep the writable side open after the peer's FIN (Node's allowHalfOpen). */
  readonly allowHalfOpen?: boolean;
}

type Data = string | Uint8Array;

const encoder = new TextEncoder();

/** A TCP connection (net.Socket). */
export class Socket extends Emitter {
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  localAddress: string | undefined;
  localPort: number | undefined;
  bytesRead = 0;
  bytesWritten = 0;
  connecting: boolean;
  destroyed = false;
  readonly #loop: Loop;
  readonly #sock: KernelSocket;
  readonly #allowHalfOpen: boolean;
  readonly #queue: { readonly data: Uint8Array; readonly cb?: (err?: Error) => void }[] = [];
  #ending = false;
  #shut = false;
  #readEnded = false;
  #decoder: TextDecoder | undefined;

  /** @internal Use connect() or a server's 'connection' event. */
  constructor(
    task: Task,
    sock: KernelSocket,
    options: { readonly connectTo?: { addr: number; port: number }; readonly allowHalfOpen?: boolean },
  ) {
    super();
    this.#loop = new Loop(task);
    this.#sock = sock;
    this.#allowHalfOpen = options.allowHalfOpen ?? false;
    this.connecting = options.connectTo !== undefined;
    if (!this.connecting) this.#addresses();
    void this.#run(options.connectTo);
  }

  setEncoding(encoding: "utf8" | "utf-8" | "latin1"): this {
    this.#decoder = new TextDecoder(encoding === "latin1" ? "latin1" : "utf-8");
    return this;
  }

  /** Queues data to send; the callback runs once the kernel took it. */
  write(data: Data, cb?: (err?: Error) => void): boolean {
    if (this.#ending || this.destroyed) {
      const err = Object.assign(new Error("write after end"), { code: "ERR_STREAM_WRITE_AFTER_END" });
      queueMicrotask(() => {
        cb?.(err);
        this.emit("error", err);
      });
      return false;
    }
    this.#queue.push({ data: typeof data === "string" ? encoder.encode(data) : data, cb });
    wakeLoops(this.#loop.task.host);
    return true;
  }

  /** Sends what is queued (and `data`), then a FIN. */
  end(data?: Data, cb?: () => void): this {
    if (data !== undefined) this.write(data);
    this.#ending = true;
    if (cb) this.once("finish", cb);
    wakeLoops(this.#loop.task.host);
    return this;
  }

  /** Closes now (unread data makes the kernel send a RST). */
  destroy(): this {
    this.destroyed = true;
    wakeLoops(this.#loop.task.host);
    return this;
  }

  address(): AddressInfo {
    return { address: this.localAddress ?? "0.0.0.0", family: "IPv4", port: this.localPort ?? 0 };
  }

  #addresses(): void {
    const task = this.#loop.task;
    const local = getsockname(task, this.#sock);
    this.localAddress = formatAddr(local.addr >>> 0);
    this.localPort = local.port;
    try {
      const peer = getpeername(task, this.#sock);
      this.remoteAddress = formatAddr(peer.addr >>> 0);
      this.remotePort = peer.port;
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }

  async #run(connectTo: { addr: number; port: number } | undefined): Promise<void> {
    const loop = this.#loop;
    const s = this.#sock;
    let hadError = false;
    try {
      if (connectTo) {
        await loop.wait(() => true);
        try {
          await loop.call((task) => connectSyscall(task, s, connectTo.addr, connectTo.port));
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          throw netError(e, "connect", formatAddr(connectTo.addr), connectTo.port);
        }
        this.connecting = false;
        this.#addresses();
        this.emit("connect");
        this.emit("ready");
      }
      for (;;) {
        while (this.#queue.length > 0 && !this.destroyed) {
          const { data, cb } = this.#queue.shift() as { data: Uint8Array; cb?: (err?: Error) => void };
          try {
            const n = await loop.call((task) => send(task, s, data));
            this.bytesWritten += n;
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
            throw netError(e, "write");
          }
          cb?.();
        }
        if (this.#ending && !this.#shut && !this.destroyed) {
          this.#shut = true;
          try {
            shutdown(loop.task, s, "SHUT_WR");
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
          }
          this.emit("finish");
        }
        if (this.destroyed || (this.#readEnded && this.#shut)) break;
        const readable = () => {
          const p = sockPending(loop.task, s);
          return p.pollin || p.pollerr;
        };
        await loop.wait(
          () =>
            this.destroyed ||
            this.#queue.length > 0 ||
            (this.#ending && !this.#shut) ||
            (!this.#readEnded && readable()),
        );
        if (!this.#readEnded && readable()) {
          let got: { readonly data: Uint8Array } | undefined;
          try {
            got = recvfrom(loop.task, s);
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
            throw netError(e, "read");
          }
          if (!got) continue;
          if (got.data.length === 0) {
            this.#readEnded = true;
            this.emit("end");
            if (!this.#allowHalfOpen) this.#ending = true;
          } else {
            this.bytesRead += got.data.length;
            this.emit("data", this.#decoder ? this.#decoder.decode(got.data, { stream: true }) : got.data);
          }
        }
      }
    } catch (e) {
      hadError = true;
      this.emit("error", e);
    } finally {
      this.destroyed = true;
      close(loop.task, s);
      loop.end();
      this.emit("close", hadError);
    }
  }
}

/** A TCP listener (net.Server). */
export class Server extends Emitter {
  readonly #task: Task;
  #sock: KernelSocket | undefined;
  #loop: Loop | undefined;
  #closing = false;

  /** @internal Use createServer(). */
  constructor(task: Task, onConnection?: (socket: Socket) => void) {
    super();
    this.#task = task;
    if (onConnection) this.on("connection", onConnection);
  }

  /** bind + listen (SO_REUSEADDR, as Node sets it); 'listening' follows, or 'error'. */
  listen(port: number, host?: string | (() => void), cb?: () => void): this {
    const callback = typeof host === "function" ? host : cb;
    const addr = typeof host === "string" ? resolve(host) : 0;
    if (callback) this.once("listening", callback);
    const s = socket(this.#task, "SOCK_STREAM", 0);
    setsockopt(this.#task, s, { name: "SO_REUSEADDR", on: true });
    try {
      bind(this.#task, s, addr, port);
      listen(this.#task, s, 511);
    } catch (e) {
      close(this.#task, s);
      if (!(e instanceof KernelError)) throw e;
      const err = netError(e, "listen", formatAddr(addr), port);
      queueMicrotask(() => this.emit("error", err));
      return this;
    }
    this.#sock = s;
    this.#loop = new Loop(this.#task);
    void this.#run(this.#loop, s);
    wakeLoops(this.#task.host);
    return this;
  }

  get listening(): boolean {
    return this.#sock !== undefined && !this.#closing;
  }

  address(): AddressInfo | null {
    if (!this.#sock) return null;
    const a = getsockname(this.#task, this.#sock);
    return { address: formatAddr(a.addr >>> 0), family: "IPv4", port: a.port };
  }

  /** Stops accepting; connections already accepted go on. */
  close(cb?: () => void): this {
    if (cb) this.once("close", cb);
    this.#closing = true;
    if (this.#sock) close(this.#task, this.#sock);
    wakeLoops(this.#task.host);
    return this;
  }

  async #run(loop: Loop, s: KernelSocket): Promise<void> {
    await loop.wait(() => true);
    this.emit("listening");
    try {
      while (!this.#closing) {
        let conn: KernelSocket | undefined;
        try {
          conn = await loop.call((task) => accept(task, s));
        } catch (e) {
          if (e instanceof KernelError && this.#closing) break;
          throw e;
        }
        if (!conn) continue;
        this.emit("connection", new Socket(this.#task, conn, {}));
      }
    } catch (e) {
      this.emit("error", e);
    } finally {
      loop.end();
      this.#sock = undefined;
      this.emit("close");
    }
  }
}

/** net.createServer(): `task` is the namespace and credentials the server runs with. */
export function createServer(task: Task, onConnection?: (socket: Socket) => void): Server {
  return new Server(task, onConnection);
}

/** net.connect(): a connection from `task`'s namespace; 'connect' once established. */
export function connect(task: Task, options: ConnectOptions, onConnect?: () => void): Socket {
  const s = socket(task, "SOCK_STREAM", 0);
  if (options.localAddress !== undefined || options.localPort !== undefined)
    bind(
      task,
      s,
      options.localAddress !== undefined ? resolve(options.localAddress) : 0,
      options.localPort ?? 0,
    );
  const sock = new Socket(task, s, {
    connectTo: { addr: resolve(options.host ?? "localhost"), port: options.port },
    allowHalfOpen: options.allowHalfOpen ?? false,
  });
  if (onConnect) sock.once("connect", onConnect);
  wakeLoops(task.host);
  return sock;
}

export const createConnection = connect;
