// /proc/sys, /proc/net and /sys as a task sees them: a filesystem wrapper that sends every path
// under /proc/sys to the sysctl system calls of one task (proc_sys_read/proc_sys_write in
// fs/proc/proc_sysctl.c resolve the table through current->nsproxy->net_ns the same way), /proc/net
// and /sys to the kernel-file system calls of that task (the files of its namespace), and everything
// else to the shared filesystem underneath. One wrapper per task; all wrappers of a run share the
// same base.
import {
  type ByteString,
  bytesOutput,
  type Command,
  type CpOptions,
  defineCommand,
  type ExecResult,
  type FileContent,
  type FsStat,
  type IFileSystem,
  latin1FromBytes,
  type MkdirOptions,
  type RmOptions,
  unsafeBytesFromLatin1,
} from "just-bash";
import { KernelError, type KfsEntry, type KfsKind, type Task } from "../kernel/syscalls.js";
import { DevInet, isDevInet, isDevSock } from "./devtcp.js";
import type { Terminal } from "./jobs.js";
import type { MergeCapture } from "./merge.js";
import { STDERR_CAPTURE_PATH, type StderrCapture } from "./notfound.js";
import { followVarRun, NsfsView, nsPath } from "./nsfs.js";
import type { WriteErrorSink } from "./redirect.js";
import type { SpawnCapture } from "./spawncap.js";

type ReadFileOptions = Parameters<IFileSystem["readFile"]>[1];
type WriteFileOptions = Parameters<IFileSystem["writeFile"]>[2];
type DirentEntry = Awaited<ReturnType<NonNullable<IFileSystem["readdirWithFileTypes"]>>>[number];

/** The sysctl part of the system-call surface, injectable so the shell can be tested alone. */
export interface SysctlOps {
  sysctlRead(task: Task, path: string): string;
  sysctlWrite(task: Task, path: string, value: string): void;
  sysctlList(task: Task): readonly string[];
  /** A file's permission bits (0644 when not given). */
  sysctlMode?(task: Task, path: string): number;
  /** The per-namespace kernel files (/proc/net, /sys); without them those paths are the base's. */
  readonly procOwns?: (path: string) => boolean;
  readonly procStat?: (task: Task, path: string) => KfsKind | undefined;
  readonly procList?: (task: Task, path: string) => readonly KfsEntry[];
  readonly procRead?: (task: Task, path: string) => string;
  readonly procOpenWrite?: (task: Task, path: string) => (value: string) => void;
}

const PROC = "/proc";
const PROC_SYS = "/proc/sys";

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EISDIR: "illegal operation on a directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EINVAL: "invalid argument",
  ERANGE: "result too large",
  EBUSY: "resource busy or locked",
  ENOTEMPTY: "directory not empty",
};

/** An error shaped like the ones just-bash's own filesystems throw (code + Node-style message). */
function fsError(code: string, op: string, path: string): Error & { code: string } {
  const err = new Error(`${code}: ${ERRNO_TEXT[code] ?? code.toLowerCase()}, ${op} '${path}'`) as Error & {
    code: string;
  };
  err.code = code;
  return err;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** "net/ipv4/ip_forward" for "/proc/sys/net/ipv4/ip_forward", "" for /proc/sys, undefined outside. */
function sysctlPath(path: string): string | undefined {
  const p = normalize(path);
  if (p === PROC_SYS) return "";
  if (p.startsWith(`${PROC_SYS}/`)) return p.slice(PROC_SYS.length + 1);
  return undefined;
}

function toText(content: FileContent): string {
  if (typeof content === "string") return content;
  return new TextDecoder().decode(content);
}

/** The bytes a write to a descriptor's socket sends: just-bash passes "binary" text as latin1. */
function sockBytes(content: FileContent, options: WriteFileOptions): Uint8Array {
  if (typeof content !== "string") return content;
  const encoding = typeof options === "string" ? options : options?.encoding;
  if (encoding === "binary" || encoding === "latin1") return Uint8Array.from(content, (c) => c.charCodeAt(0));
  return new TextEncoder().encode(content);
}

type Node = { readonly kind: "file" } | { readonly kind: "dir"; readonly children: readonly string[] };

export interface ProcSysFsOptions {
  /** Where a refused write goes while the shell has bracketed the writing command (redirect.ts). */
  readonly writeErrors?: WriteErrorSink;
  /** Where the stderr of a command bracketed by notfound.ts goes (STDERR_CAPTURE_PATH). */
  readonly stderrCapture?: StderrCapture;
  /** Where early pipeline stages in a merged compound send their stderr (merge.ts). */
  readonly mergeCapture?: MergeCapture;
  /** The terminal a script with background jobs prints to (jobs.ts). */
  readonly terminal?: Terminal;
  /** Where a spawned command's stdout goes, byte for byte (spawncap.ts). */
  readonly spawnCapture?: SpawnCapture;
  /** The task's /dev/tcp and /dev/udp sockets, shared with the shell's descriptor commands (devfd.ts). */
  readonly inet?: DevInet;
}

export class ProcSysFs implements IFileSystem {
  readonly #base: IFileSystem;
  readonly #task: Task;
  readonly #ops: SysctlOps;
  readonly #writeErrors: WriteErrorSink | undefined;
  readonly #inet: DevInet;
  readonly #stderrCapture: StderrCapture | undefined;
  readonly #mergeCapture: MergeCapture | undefined;
  readonly #terminal: Terminal | undefined;
  readonly #spawnCapture: SpawnCapture | undefined;
  readonly #nsfs: NsfsView;

  constructor(base: IFileSystem, task: Task, ops: SysctlOps, options: ProcSysFsOptions = {}) {
    this.#base = base;
    this.#task = task;
    this.#ops = ops;
    this.#writeErrors = options.writeErrors;
    this.#inet = options.inet ?? new DevInet(task, options.writeErrors ? { sink: options.writeErrors } : {});
    this.#stderrCapture = options.stderrCapture;
    this.#mergeCapture = options.mergeCapture;
    this.#terminal = options.terminal;
    this.#spawnCapture = options.spawnCapture;
    this.#nsfs = new NsfsView(task);
  }

  /** /run's entries in the base filesystem, beside the netns directory the kernel keeps. */
  async #baseRun(): Promise<string[]> {
    return (await this.#base.exists("/run")) ? this.#base.readdir("/run") : [];
  }

  /** What the sysctl tree has at `rel`: a file, a directory with its entries, or nothing. */
  #lookup(rel: string): Node | undefined {
    const list = this.#ops.sysctlList(this.#task);
    if (list.includes(rel)) return { kind: "file" };
    const prefix = rel === "" ? "" : `${rel}/`;
    const children = new Set<string>();
    for (const entry of list) {
      if (!entry.startsWith(prefix)) continue;
      const name = entry.slice(prefix.length).split("/")[0];
      if (name) children.add(name);
    }
    if (rel !== "" && children.size === 0) return undefined;
    return { kind: "dir", children: [...children].sort() };
  }

  #read(path: string, rel: string): string {
    const node = this.#lookup(rel);
    if (!node) throw fsError("ENOENT", "open", path);
    if (node.kind === "dir") throw fsError("EISDIR", "read", path);
    try {
      return this.#ops.sysctlRead(this.#task, rel);
    } catch (e) {
      if (e instanceof KernelError) throw fsError(e.errno, "read", path);
      throw e;
    }
  }

  #write(path: string, rel: string, content: FileContent): void {
    const node = this.#lookup(rel);
    if (!node) {
      if (this.#writeErrors?.armed) throw new Error(this.#writeErrors.openFailed(path, "ENOENT"));
      throw fsError("ENOENT", "open", path);
    }
    if (node.kind === "dir") throw fsError("EISDIR", "open", path);
    const value = toText(content);
    // A redirection opens with O_TRUNC before anything is written; truncating a proc file is a no-op.
    if (value === "") return;
    try {
      this.#ops.sysctlWrite(this.#task, rel, value);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      // EACCES is the permission check of open(2) (proc_sys_permission), before anything is written.
      if (e.errno === "EACCES") {
        if (this.#writeErrors?.armed) throw new Error(this.#writeErrors.openFailed(path, "EACCES"));
        throw fsError("EACCES", "open", path);
      }
      // write(2) failed: the bracketing command reports it as the writer would (redirect.ts).
      if (this.#writeErrors?.armed) this.#writeErrors.record(e.errno);
      else throw fsError(e.errno, "write", path);
    }
  }

  #stat(path: string, rel: string): FsStat {
    const node = this.#lookup(rel);
    if (!node) throw fsError("ENOENT", "stat", path);
    const dir = node.kind === "dir";
    return {
      isFile: !dir,
      isDirectory: dir,
      isSymbolicLink: false,
      mode: dir ? 0o40555 : 0o100000 | (this.#ops.sysctlMode?.(this.#task, rel) ?? 0o644),
      size: 0,
      mtime: new Date(0),
    };
  }

  /** The normalized path when the kernel serves it per namespace (/proc/net, /sys), else undefined. */
  #kfs(path: string): string | undefined {
    const p = normalize(path);
    return this.#ops.procOwns?.(p) ? p : undefined;
  }

  #kfsKind(path: string, p: string, op: string): KfsKind {
    const kind = this.#ops.procStat?.(this.#task, p);
    if (!kind) throw fsError("ENOENT", op, path);
    return kind;
  }

  #kfsRead(path: string, p: string): string {
    try {
      return this.#ops.procRead?.(this.#task, p) ?? "";
    } catch (e) {
      if (e instanceof KernelError) throw fsError(e.errno, "read", path);
      throw e;
    }
  }

  #kfsWrite(path: string, p: string, content: FileContent): void {
    let write: ((value: string) => void) | undefined;
    try {
      write = this.#ops.procOpenWrite?.(this.#task, p);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      if (this.#writeErrors?.armed) throw new Error(this.#writeErrors.openFailed(path, e.errno));
      throw fsError(e.errno, "open", path);
    }
    const value = toText(content);
    // The redirection's O_TRUNC writes nothing.
    if (value === "" || !write) return;
    try {
      write(value);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      if (this.#writeErrors?.armed) this.#writeErrors.record(e.errno);
      else throw fsError(e.errno, "write", path);
    }
  }

  /**
   * stat of a kernel file. sysfs's /sys/class/net/DEV entries are symbolic links to directories;
   * they are shown as the directories they lead to.
   */
  #kfsStat(path: string, p: string): FsStat {
    const dir = this.#kfsKind(path, p, "stat") !== "file";
    return {
      isFile: !dir,
      isDirectory: dir,
      isSymbolicLink: false,
      mode: dir ? 0o40555 : 0o100444,
      size: dir ? 0 : 4096,
      mtime: new Date(0),
    };
  }

  async readFile(path: string, options?: ReadFileOptions): Promise<string> {
    if (normalize(path) === DEV_NULL) return "";
    const ns = nsPath(path);
    if (ns) return this.#nsfs.read(ns, path);
    path = followVarRun(path);
    if (isDevInet(path)) return this.#inet.descriptor(path);
    if (isDevSock(path)) return this.#inet.readSock(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#kfsRead(path, kp);
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.readFile(path, options);
    return this.#read(path, rel);
  }

  async readFileBytes(path: string): Promise<ByteString> {
    if (normalize(path) === DEV_NULL) return unsafeBytesFromLatin1("");
    const ns = nsPath(path);
    if (ns) return unsafeBytesFromLatin1(this.#nsfs.read(ns, path));
    path = followVarRun(path);
    if (isDevInet(path)) return unsafeBytesFromLatin1(await this.#inet.read(path));
    if (isDevSock(path)) return unsafeBytesFromLatin1(await this.#inet.readSock(path));
    const kp = this.#kfs(path);
    if (kp !== undefined)
      return unsafeBytesFromLatin1(latin1(new TextEncoder().encode(this.#kfsRead(path, kp))));
    const rel = sysctlPath(path);
    if (rel === undefined) {
      if (this.#base.readFileBytes) return this.#base.readFileBytes(path);
      const buf = await this.#base.readFileBuffer(path);
      return unsafeBytesFromLatin1(latin1(buf));
    }
    return unsafeBytesFromLatin1(latin1(new TextEncoder().encode(this.#read(path, rel))));
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    if (normalize(path) === DEV_NULL) return new Uint8Array(0);
    const ns = nsPath(path);
    if (ns) return new TextEncoder().encode(this.#nsfs.read(ns, path));
    path = followVarRun(path);
    if (isDevInet(path)) return Uint8Array.from(await this.#inet.read(path), (c) => c.charCodeAt(0));
    if (isDevSock(path)) return Uint8Array.from(await this.#inet.readSock(path), (c) => c.charCodeAt(0));
    const kp = this.#kfs(path);
    if (kp !== undefined) return new TextEncoder().encode(this.#kfsRead(path, kp));
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.readFileBuffer(path);
    return new TextEncoder().encode(this.#read(path, rel));
  }

  /** A write to a capture file, kept instead of stored; false for any other path. */
  #captured(path: string, content: FileContent): boolean {
    if (this.#mergeCapture?.write(path, toText(content))) return true;
    if (this.#terminal?.write(path, toText(content))) return true;
    if (!this.#stderrCapture || path !== STDERR_CAPTURE_PATH) return false;
    this.#stderrCapture.write(toText(content));
    return true;
  }

  async writeFile(path: string, content: FileContent, options?: WriteFileOptions): Promise<void> {
    if (normalize(path) === DEV_NULL || this.#captured(path, content)) return;
    if (this.#spawnCapture?.write(path, content, options)) return;
    const ns = nsPath(path);
    if (ns) return this.#nsfs.write(ns, path, toText(content));
    path = followVarRun(path);
    if (isDevInet(path)) return this.#inet.write(path, toText(content), false);
    if (isDevSock(path)) return this.#inet.writeSock(path, sockBytes(content, options));
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#kfsWrite(path, kp, content);
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.writeFile(path, content, options);
    this.#write(path, rel, content);
  }

  async appendFile(path: string, content: FileContent, options?: WriteFileOptions): Promise<void> {
    if (normalize(path) === DEV_NULL || this.#captured(path, content)) return;
    if (this.#spawnCapture?.write(path, content, options)) return;
    const ns = nsPath(path);
    if (ns) return this.#nsfs.write(ns, path, toText(content));
    path = followVarRun(path);
    if (isDevInet(path)) return this.#inet.write(path, toText(content), true);
    if (isDevSock(path)) return this.#inet.writeSock(path, sockBytes(content, options));
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#kfsWrite(path, kp, content);
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.appendFile(path, content, options);
    this.#write(path, rel, content);
  }

  async exists(path: string): Promise<boolean> {
    if (normalize(path) === DEV_NULL) return true;
    const ns = nsPath(path);
    if (ns) return this.#nsfs.exists(ns, path);
    if (normalize(path) === "/var") return true;
    path = followVarRun(path);
    if (isDevInet(path) || isDevSock(path)) return false;
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#ops.procStat?.(this.#task, kp) !== undefined;
    const rel = sysctlPath(path);
    if (rel !== undefined) return this.#lookup(rel) !== undefined;
    if (normalize(path) === PROC) return true;
    return this.#base.exists(path);
  }

  async stat(path: string): Promise<FsStat> {
    if (normalize(path) === DEV_NULL) return devNullStat();
    const ns = nsPath(path);
    if (ns) return this.#nsfs.stat(ns, path);
    if (normalize(path) === "/var" && !(await this.#base.exists("/var"))) return procDirStat();
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#kfsStat(path, kp);
    const rel = sysctlPath(path);
    if (rel !== undefined) return this.#stat(path, rel);
    if (normalize(path) === PROC && !(await this.#base.exists(PROC))) return procDirStat();
    return this.#base.stat(path);
  }

  async lstat(path: string): Promise<FsStat> {
    const ns = nsPath(path);
    if (ns) return this.#nsfs.lstat(ns, path);
    if (normalize(path) === "/var" && !(await this.#base.exists("/var"))) return procDirStat();
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) return this.#kfsStat(path, kp);
    const rel = sysctlPath(path);
    if (rel !== undefined) return this.#stat(path, rel);
    if (normalize(path) === PROC && !(await this.#base.exists(PROC))) return procDirStat();
    return this.#base.lstat(path);
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    const ns = nsPath(path);
    if (ns) return this.#nsfs.mkdir(ns, path, options?.recursive === true);
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) {
      const kind = this.#ops.procStat?.(this.#task, kp);
      if (kind === "dir" && options?.recursive) return;
      throw fsError(kind ? "EEXIST" : "ENOENT", "mkdir", path);
    }
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.mkdir(path, options);
    if (this.#lookup(rel)?.kind === "dir" && options?.recursive) return;
    throw fsError(this.#lookup(rel) ? "EEXIST" : "ENOENT", "mkdir", path);
  }

  async readdir(path: string): Promise<string[]> {
    const ns = nsPath(path);
    if (ns) return this.#nsfs.readdir(ns, path, ns.kind === "run" ? await this.#baseRun() : []);
    if (normalize(path) === "/var") {
      const names = (await this.#base.exists("/var")) ? await this.#base.readdir("/var") : [];
      return [...new Set([...names, "run"])].sort();
    }
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) {
      try {
        return (this.#ops.procList?.(this.#task, kp) ?? []).map((e) => e.name);
      } catch (e) {
        if (e instanceof KernelError) throw fsError(e.errno, "scandir", path);
        throw e;
      }
    }
    const rel = sysctlPath(path);
    if (rel !== undefined) {
      const node = this.#lookup(rel);
      if (!node) throw fsError("ENOENT", "scandir", path);
      if (node.kind === "file") throw fsError("ENOTDIR", "scandir", path);
      return [...node.children];
    }
    if (normalize(path) === PROC) {
      const names = (await this.#base.exists(PROC)) ? await this.#base.readdir(path) : [];
      const extra = ["sys", ...(this.#ops.procOwns ? ["net"] : [])].filter((n) => !names.includes(n));
      return [...names, ...extra].sort();
    }
    if (normalize(path) === "/" && this.#ops.procOwns) {
      const names = await this.#base.readdir(path);
      const extra = ["proc", "run", "sys", "var"].filter((n) => !names.includes(n));
      return [...names, ...extra].sort();
    }
    return this.#base.readdir(path);
  }

  async readdirWithFileTypes(path: string): Promise<DirentEntry[]> {
    const ns = nsPath(path);
    if (ns || normalize(path) === "/var") {
      const names = await this.readdir(path);
      const dir = normalize(path);
      return Promise.all(
        names.map(async (name) => {
          const l = await this.lstat(`${dir}/${name}`);
          return { name, isFile: l.isFile, isDirectory: l.isDirectory, isSymbolicLink: l.isSymbolicLink };
        }),
      );
    }
    path = followVarRun(path);
    const rel = sysctlPath(path);
    if (rel !== undefined || normalize(path) === PROC || this.#kfs(path) !== undefined) {
      const names = await this.readdir(path);
      const dir = normalize(path);
      return Promise.all(
        names.map(async (name) => {
          const st = await this.stat(`${dir}/${name}`);
          return { name, isFile: st.isFile, isDirectory: st.isDirectory, isSymbolicLink: false };
        }),
      );
    }
    if (this.#base.readdirWithFileTypes) return this.#base.readdirWithFileTypes(path);
    const names = await this.#base.readdir(path);
    return Promise.all(
      names.map(async (name) => {
        const st = await this.#base.lstat(`${normalize(path)}/${name}`);
        return { name, isFile: st.isFile, isDirectory: st.isDirectory, isSymbolicLink: st.isSymbolicLink };
      }),
    );
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const ns = nsPath(path);
    if (ns) return this.#nsfs.rm(ns, path);
    path = followVarRun(path);
    if (sysctlPath(path) !== undefined || this.#kfs(path) !== undefined) throw fsError("EACCES", "rm", path);
    return this.#base.rm(path, options);
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    const from = sysctlPath(src);
    const to = sysctlPath(dest);
    const kfrom = this.#kfs(src);
    const kto = this.#kfs(dest);
    if (from === undefined && to === undefined && kfrom === undefined && kto === undefined)
      return this.#base.cp(src, dest, options);
    const content =
      kfrom !== undefined
        ? this.#kfsRead(src, kfrom)
        : from === undefined
          ? await this.#base.readFile(src)
          : this.#read(src, from);
    if (kto !== undefined) return this.#kfsWrite(dest, kto, content);
    if (to === undefined) return this.#base.writeFile(dest, content);
    this.#write(dest, to, content);
  }

  async mv(src: string, dest: string): Promise<void> {
    if ([src, dest].some((p) => sysctlPath(p) !== undefined || this.#kfs(p) !== undefined))
      throw fsError("EACCES", "mv", src);
    return this.#base.mv(src, dest);
  }

  resolvePath(base: string, path: string): string {
    return this.#base.resolvePath(base, path);
  }

  getAllPaths(): string[] {
    return this.#base.getAllPaths();
  }

  async chmod(path: string, mode: number): Promise<void> {
    if (sysctlPath(path) !== undefined || this.#kfs(path) !== undefined)
      throw fsError("EPERM", "chmod", path);
    return this.#base.chmod(path, mode);
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    const ns = nsPath(linkPath);
    if (ns) return this.#nsfs.symlink(ns, target, linkPath);
    linkPath = followVarRun(linkPath);
    if (sysctlPath(linkPath) !== undefined) throw fsError("EACCES", "symlink", linkPath);
    return this.#base.symlink(target, linkPath);
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    if (sysctlPath(existingPath) !== undefined || sysctlPath(newPath) !== undefined) {
      throw fsError("EPERM", "link", newPath);
    }
    return this.#base.link(existingPath, newPath);
  }

  async readlink(path: string): Promise<string> {
    const ns = nsPath(path);
    if (ns) return this.#nsfs.readlink(ns, path);
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) {
      this.#kfsKind(path, kp, "readlink");
      throw fsError("EINVAL", "readlink", path);
    }
    const rel = sysctlPath(path);
    if (rel === undefined) return this.#base.readlink(path);
    if (!this.#lookup(rel)) throw fsError("ENOENT", "readlink", path);
    throw fsError("EINVAL", "readlink", path);
  }

  async realpath(path: string): Promise<string> {
    const ns = nsPath(path);
    if (ns) {
      this.#nsfs.stat(ns, path);
      return followVarRun(path);
    }
    path = followVarRun(path);
    const kp = this.#kfs(path);
    if (kp !== undefined) {
      this.#kfsKind(path, kp, "realpath");
      return kp;
    }
    const rel = sysctlPath(path);
    if (rel === undefined) {
      if (normalize(path) === PROC && !(await this.#base.exists(PROC))) return PROC;
      return this.#base.realpath(path);
    }
    if (!this.#lookup(rel)) throw fsError("ENOENT", "realpath", path);
    return normalize(path);
  }

  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    const ns = nsPath(path);
    if (ns) {
      this.#nsfs.stat(ns, path);
      return;
    }
    path = followVarRun(path);
    if (sysctlPath(path) !== undefined || this.#kfs(path) !== undefined) return;
    return this.#base.utimes(path, atime, mtime);
  }
}

/** /dev/null: reads as empty, swallows writes, whatever filesystem is underneath. */
const DEV_NULL = "/dev/null";

function devNullStat(): FsStat {
  return {
    isFile: false,
    isDirectory: false,
    isSymbolicLink: false,
    mode: 0o20666,
    size: 0,
    mtime: new Date(0),
  };
}

function procDirStat(): FsStat {
  return {
    isFile: false,
    isDirectory: true,
    isSymbolicLink: false,
    mode: 0o40555,
    size: 0,
    mtime: new Date(0),
  };
}

/** A file's bytes as a latin1 string (one char per byte), as the byte-clean tools read them. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return s;
}

/** strerror(3) for what reading a kernel file can fail with. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EINVAL: "Invalid argument",
  EOPNOTSUPP: "Operation not supported",
  ENODEV: "No such device",
  EIO: "Input/output error",
};

interface CatFlags {
  number: boolean;
  nonblank: boolean;
  ends: boolean;
  tabs: boolean;
  nonprinting: boolean;
  squeeze: boolean;
}

const CAT_SHORT: Readonly<Record<string, (f: CatFlags) => void>> = {
  A: (f) => {
    f.nonprinting = f.ends = f.tabs = true;
  },
  b: (f) => {
    f.nonblank = true;
  },
  e: (f) => {
    f.nonprinting = f.ends = true;
  },
  E: (f) => {
    f.ends = true;
  },
  n: (f) => {
    f.number = true;
  },
  s: (f) => {
    f.squeeze = true;
  },
  t: (f) => {
    f.nonprinting = f.tabs = true;
  },
  T: (f) => {
    f.tabs = true;
  },
  u: () => {},
  v: (f) => {
    f.nonprinting = true;
  },
};

const CAT_LONG: Readonly<Record<string, string>> = {
  "--show-all": "A",
  "--number-nonblank": "b",
  "--show-ends": "E",
  "--number": "n",
  "--squeeze-blank": "s",
  "--show-tabs": "T",
  "--show-nonprinting": "v",
};

/** GNU cat's -v notation for one byte (^X, M-X, ^?). */
function showByte(c: number): string {
  if (c >= 128) return `M-${showByte(c - 128)}`;
  if (c === 127) return "^?";
  if (c < 32 && c !== 9 && c !== 10) return `^${String.fromCharCode(c + 64)}`;
  return String.fromCharCode(c);
}

/**
 * cat(1) as GNU coreutils prints it, over latin1 strings (one char per byte). Unlike just-bash's
 * cat it reports why a file could not be read (`cat: /sys/class/net/v0/carrier: Invalid argument`),
 * which kernel files make visible.
 */
export function catCommand(): Command {
  return defineCommand("cat", async (args, ctx): Promise<ExecResult> => {
    const flags: CatFlags = {
      number: false,
      nonblank: false,
      ends: false,
      tabs: false,
      nonprinting: false,
      squeeze: false,
    };
    const files: string[] = [];
    let options = true;
    for (const arg of args) {
      if (options && arg === "--") options = false;
      else if (options && arg.startsWith("--") && CAT_LONG[arg]) CAT_SHORT[CAT_LONG[arg] as string]?.(flags);
      else if (options && arg.startsWith("-") && arg.length > 1) {
        for (const ch of arg.slice(1)) {
          const set = CAT_SHORT[ch];
          if (!set) {
            return {
              stdout: "",
              stderr: `cat: invalid option -- '${ch}'\nTry 'cat --help' for more information.\n`,
              exitCode: 1,
            };
          }
          set(flags);
        }
      } else files.push(arg);
    }
    if (files.length === 0) files.push("-");
    let out = "";
    let err = "";
    let status = 0;
    let line = 0;
    let atLineStart = true;
    let blankRun = 0;
    const plain =
      !flags.number && !flags.nonblank && !flags.ends && !flags.tabs && !flags.nonprinting && !flags.squeeze;
    for (const file of files) {
      let data: string;
      try {
        if (file === "-") data = latin1FromBytes(ctx.stdin);
        else {
          const path = ctx.fs.resolvePath(ctx.cwd, file);
          if ((await ctx.fs.stat(path)).isDirectory)
            throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
          data = latin1(await ctx.fs.readFileBuffer(path));
        }
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        err += `cat: ${file}: ${STRERROR[typeof code === "string" ? code : "ENOENT"] ?? STRERROR.ENOENT}\n`;
        status = 1;
        continue;
      }
      if (plain) {
        out += data;
        continue;
      }
      // Line state carries across files, as GNU cat numbers and squeezes the concatenation.
      for (let i = 0; i < data.length; i++) {
        const ch = data.charCodeAt(i);
        if (atLineStart) {
          if (ch === 10) {
            blankRun++;
            if (flags.squeeze && blankRun > 1) continue;
          } else blankRun = 0;
          if (flags.nonblank ? ch !== 10 : flags.number) out += `${String(++line).padStart(6)}\t`;
          atLineStart = false;
        }
        if (ch === 10) {
          if (flags.ends) out += "$";
          out += "\n";
          atLineStart = true;
        } else if (ch === 9) out += flags.tabs ? "^I" : "\t";
        else out += flags.nonprinting ? showByte(ch) : String.fromCharCode(ch);
      }
    }
    return { ...bytesOutput(unsafeBytesFromLatin1(out)), stderr: err, exitCode: status };
  });
}
