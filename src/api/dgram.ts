// A UDP API shaped like Node's `dgram` for programs in a namespace of an emulated host:
// createSocket('udp4'), bind, send, 'message' with rinfo, connect, close; in virtual time over the
// system calls (task.ts).
import {
  bind as bindSyscall,
  close as closeSyscall,
  connect as connectSyscall,
  getsockname,
  KernelError,
  type Socket as KernelSocket,
  recvfrom,
  send as sendSyscall,
  sendto,
  setsockopt,
  socket,
  sockPending,
  type Task,
} from "../kernel/syscalls.js";
import { strerror } from "../userland/ip/utils.js";
import { getaddrinfo } from "../userland/netdb.js";
import { Emitter } from "./events.js";
import type { AddressInfo } from "./net.js";
import { Loop, wakeLoops } from "./task.js";

export interface RemoteInfo {
  readonly address: string;
  readonly family: "IPv4";
  readonly port: number;
  readonly size: number;
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function resolve(host: string): number {
  const r = getaddrinfo(host);
  if ("error" in r) throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: "EAI_AGAIN" });
  return r.addr >>> 0;
}

function dgramError(e: KernelError, syscall: string): Error {
  return Object.assign(new Error(`${syscall} ${e.errno}`), {
    code: e.errno,
    syscall,
    description: strerror(e.errno),
  });
}

const encoder = new TextEncoder();

/** A UDP socket (dgram.Socket). */
export class Socket extends Emitter {
  readonly #task: Task;
  readonly #sock: KernelSocket;
  #loop: Loop | undefined;
  #closed = false;

  /** @internal Use createSocket(). */
  constructor(task: Task, options: { readonly reuseAddr?: boolean } = {}) {
    super();
    this.#task = task;
    this.#sock = socket(task, "SOCK_DGRAM", 0);
    if (options.reuseAddr) setsockopt(task, this.#sock, { name: "SO_REUSEADDR", on: true });
  }

  /** bind(port, address): 'listening' follows, or 'error' (EADDRINUSE ...). */
  bind(port = 0, address?: string | (() => void), cb?: () => void): this {
    const callback = typeof address === "function" ? address : cb;
    if (callback) this.once("listening", callback);
    try {
      bindSyscall(this.#task, this.#sock, typeof address === "string" ? resolve(address) : 0, port);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      const err = dgramError(e, "bind");
      queueMicrotask(() => this.emit("error", err));
      return this;
    }
    this.#start(true);
    return this;
  }

  /** send(msg, port, address): an unconnected send (autobinds, starts receiving). */
  send(
    msg: string | Uint8Array,
    port?: number,
    address?: string,
    cb?: (err: Error | null, bytes: number) => void,
  ): void {
    const data = typeof msg === "string" ? encoder.encode(msg) : msg;
    let err: Error | null = null;
    try {
      if (port === undefined) void sendSyscall(this.#task, this.#sock, data);
      else sendto(this.#task, this.#sock, data, resolve(address ?? "localhost"), { port });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      err = dgramError(e, "send");
    }
    this.#start(false);
    if (cb) queueMicrotask(() => cb(err, err ? 0 : data.length));
    else if (err) queueMicrotask(() => this.emit("error", err));
  }

  /** connect(port, address): later sends go there; only its datagrams are received. */
  connect(port: number, address?: string | (() => void), cb?: () => void): void {
    const callback = typeof address === "function" ? address : cb;
    void connectSyscall(
      this.#task,
      this.#sock,
      resolve(typeof address === "string" ? address : "localhost"),
      port,
    ).then(
      () => {
        this.#start(false);
        this.emit("connect");
        callback?.();
      },
      (e: unknown) => this.emit("error", e instanceof KernelError ? dgramError(e, "connect") : e),
    );
  }

  address(): AddressInfo {
    const a = getsockname(this.#task, this.#sock);
    return { address: formatAddr(a.addr >>> 0), family: "IPv4", port: a.port };
  }

  close(cb?: () => void): this {
    if (cb) this.once("close", cb);
    this.#closed = true;
    if (!this.#loop) {
      closeSyscall(this.#task, this.#sock);
      queueMicrotask(() => this.emit("close"));
    }
    wakeLoops(this.#task.host);
    return this;
  }

  #start(listening: boolean): void {
    if (this.#loop) return;
    this.#loop = new Loop(this.#task);
    void this.#run(this.#loop, listening);
    wakeLoops(this.#task.host);
  }

  async #run(loop: Loop, listening: boolean): Promise<void> {
    const s = this.#sock;
    await loop.wait(() => true);
    if (listening) this.emit("listening");
    try {
      for (;;) {
        const pending = () => {
          const p = sockPending(loop.task, s);
          return p.pollin || p.pollerr;
        };
        await loop.wait(() => this.#closed || pending());
        if (this.#closed) break;
        let got: { readonly data: Uint8Array; readonly from: number; readonly port: number } | undefined;
        try {
          got = recvfrom(loop.task, s);
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          // An ICMP error for an earlier send (ECONNREFUSED on a connected socket), as Node reports it.
          this.emit("error", dgramError(e, "recvmsg"));
          continue;
        }
        if (!got) continue;
        this.emit("message", got.data, {
          address: formatAddr(got.from >>> 0),
          family: "IPv4",
          port: got.port,
          size: got.data.length,
        } satisfies RemoteInfo);
      }
    } finally {
      closeSyscall(loop.task, s);
      loop.end();
      this.emit("close");
    }
  }
}

/** dgram.createSocket('udp4'): a UDP socket in `task`'s namespace. */
export function createSocket(
  task: Task,
  type: "udp4" | { readonly type: "udp4"; readonly reuseAddr?: boolean },
  onMessage?: (msg: Uint8Array, rinfo: RemoteInfo) => void,
): Socket {
  const options = typeof type === "string" ? {} : type;
  const s = new Socket(task, options);
  if (onMessage) s.on("message", onMessage);
  return s;
}
