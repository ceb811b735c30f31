// The namespace files as a task's filesystem shows them: /run/netns (ip netns's bind mounts and
// what users put there: a symbolic link to /proc/PID/ns/net, a plain file), /var/run as Debian's
// link to /run, and /proc/PID/ns/TYPE, links whose text is TYPE:[INODE] (nsfs). The kernel keeps
// the directory (src/kernel/netns_rundir.ts); this turns file operations into its calls.
import type { FsStat } from "just-bash";
import * as sys from "../kernel/syscalls.js";
import { KernelError, type Task } from "../kernel/syscalls.js";

/** Where a path lands among the namespace files, or undefined for any other path. */
export type NsPath =
  | { readonly kind: "var-run" }
  | { readonly kind: "run" }
  | { readonly kind: "netns-dir" }
  | { readonly kind: "netns-entry"; readonly name: string }
  | { readonly kind: "proc-ns-dir"; readonly pid: string }
  | { readonly kind: "proc-ns"; readonly pid: string; readonly type: string };

function parts(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out;
}

/** The path with Debian's /var/run -> /run link followed (but not /var/run itself). */
export function followVarRun(path: string): string {
  const p = parts(path);
  if (p[0] === "var" && p[1] === "run" && p.length > 2) p.splice(0, 2, "run");
  return `/${p.join("/")}`;
}

export function nsPath(path: string): NsPath | undefined {
  const p = parts(path);
  if (p.length === 2 && p[0] === "var" && p[1] === "run") return { kind: "var-run" };
  if (p[0] === "var" && p[1] === "run") p.splice(0, 2, "run");
  if (p[0] === "run") {
    if (p.length === 1) return { kind: "run" };
    if (p[1] !== "netns") return undefined;
    if (p.length === 2) return { kind: "netns-dir" };
    if (p.length === 3) return { kind: "netns-entry", name: p[2] as string };
    return undefined;
  }
  if (p[0] === "proc" && p[2] === "ns" && /^(self|thread-self|[0-9]+)$/.test(p[1] ?? "")) {
    if (p.length === 3) return { kind: "proc-ns-dir", pid: p[1] as string };
    if (p.length === 4) return { kind: "proc-ns", pid: p[1] as string, type: p[3] as string };
  }
  return undefined;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EEXIST: "file already exists",
  EBUSY: "resource busy or locked",
  EACCES: "permission denied",
  EINVAL: "invalid argument",
  EISDIR: "illegal operation on a directory",
  ENOTDIR: "not a directory",
  ELOOP: "too many symbolic links encountered",
};

export function nsfsError(code: string, op: string, path: string): Error & { code: string } {
  // just-bash's rm prints the message of an error it has no words for: give it strerror's.
  const text =
    code === "EBUSY"
      ? "Device or resource busy"
      : `${code}: ${ERRNO_TEXT[code] ?? code.toLowerCase()}, ${op} '${path}'`;
  const err = new Error(text) as Error & {
    code: string;
  };
  err.code = code;
  return err;
}

function st(kind: "dir" | "file" | "link", mode: number): FsStat {
  return {
    isFile: kind === "file",
    isDirectory: kind === "dir",
    isSymbolicLink: kind === "link",
    mode,
    size: 0,
    mtime: new Date(0),
  };
}

/** One task's view: `base` answers for /run's other entries and /var's. */
export class NsfsView {
  readonly #task: Task;

  constructor(task: Task) {
    this.#task = task;
  }

  #call<T>(op: string, path: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof KernelError) throw nsfsError(e.errno === "ESRCH" ? "ENOENT" : e.errno, op, path);
      throw e;
    }
  }

  /** lstat: what the path itself is (a link is a link). */
  lstat(ns: NsPath, path: string): FsStat {
    switch (ns.kind) {
      case "var-run":
        return st("link", 0o120777);
      case "run":
      case "netns-dir":
        return st("dir", 0o40755);
      case "netns-entry": {
        const e = sys.netnsRunStat(this.#task, ns.name);
        if (!e) throw nsfsError("ENOENT", "lstat", path);
        if (e === "mount") return st("file", 0o100444);
        return e.kind === "symlink" ? st("link", 0o120777) : st("file", 0o100644);
      }
      case "proc-ns-dir":
        if (!sys.procPidExists(this.#task, ns.pid)) throw nsfsError("ENOENT", "lstat", path);
        return st("dir", 0o40511);
      case "proc-ns":
        this.#call("lstat", path, () => sys.procNsReadlink(this.#task, ns.pid, ns.type));
        return st("link", 0o120777);
    }
  }

  /** stat: a link followed. A namespace file is an empty regular file of nsfs. */
  stat(ns: NsPath, path: string): FsStat {
    switch (ns.kind) {
      case "var-run":
        return st("dir", 0o40755);
      case "netns-entry": {
        const e = sys.netnsRunStat(this.#task, ns.name);
        if (e !== undefined && e !== "mount" && e.kind === "symlink") {
          this.#call("stat", path, () => sys.netnsOpen(this.#task, ns.name));
          return st("file", 0o100444);
        }
        return this.lstat(ns, path);
      }
      case "proc-ns":
        this.#call("stat", path, () => sys.procNsReadlink(this.#task, ns.pid, ns.type));
        return st("file", 0o100444);
      default:
        return this.lstat(ns, path);
    }
  }

  exists(ns: NsPath, path: string): boolean {
    try {
      this.stat(ns, path);
      return true;
    } catch {
      return false;
    }
  }

  readdir(ns: NsPath, path: string, baseRun: readonly string[]): string[] {
    switch (ns.kind) {
      case "run":
        return [...new Set(["netns", ...baseRun])].sort();
      case "netns-dir":
        return sys.netnsList(this.#task);
      case "proc-ns-dir":
        if (!sys.procPidExists(this.#task, ns.pid)) throw nsfsError("ENOENT", "scandir", path);
        return [...sys.PROC_NS_NAMES];
      default:
        throw nsfsError(this.exists(ns, path) ? "ENOTDIR" : "ENOENT", "scandir", path);
    }
  }

  readlink(ns: NsPath, path: string): string {
    if (ns.kind === "var-run") return "/run";
    if (ns.kind === "proc-ns")
      return this.#call("readlink", path, () => sys.procNsReadlink(this.#task, ns.pid, ns.type));
    if (ns.kind === "netns-entry") {
      const e = sys.netnsRunStat(this.#task, ns.name);
      if (!e) throw nsfsError("ENOENT", "readlink", path);
      if (e !== "mount" && e.kind === "symlink") return e.target;
    }
    throw nsfsError("EINVAL", "readlink", path);
  }

  /** open + read: a mount point or namespace file reads as nothing can (EINVAL); a plain file is empty. */
  read(ns: NsPath, path: string): string {
    if (ns.kind === "run" || ns.kind === "netns-dir" || ns.kind === "proc-ns-dir" || ns.kind === "var-run")
      throw nsfsError("EISDIR", "read", path);
    if (ns.kind === "netns-entry") {
      const e = sys.netnsRunStat(this.#task, ns.name);
      if (!e) throw nsfsError("ENOENT", "open", path);
      if (e !== "mount" && e.kind === "file") return "";
      this.#call("open", path, () => sys.netnsOpen(this.#task, ns.name));
      throw nsfsError("EINVAL", "read", path);
    }
    this.#call("open", path, () => sys.procNsReadlink(this.#task, ns.pid, ns.type));
    throw nsfsError("EINVAL", "read", path);
  }

  /** open(O_CREAT|O_WRONLY): a new empty file in /run/netns; writing into one is refused. */
  write(ns: NsPath, path: string, content: string): void {
    if (ns.kind !== "netns-entry") throw nsfsError(ns.kind === "proc-ns" ? "EACCES" : "EISDIR", "open", path);
    const e = sys.netnsRunStat(this.#task, ns.name);
    if (!e) this.#call("open", path, () => sys.netnsRunCreateFile(this.#task, ns.name));
    else if (e === "mount" || e.kind === "symlink") throw nsfsError("EACCES", "open", path);
    // The tmpfs file keeps no data here: an empty namespace placeholder is all scripts make.
    if (content !== "") throw nsfsError("EINVAL", "write", path);
  }

  symlink(ns: NsPath, target: string, path: string): void {
    if (ns.kind !== "netns-entry") throw nsfsError("EACCES", "symlink", path);
    this.#call("symlink", path, () => sys.netnsRunSymlink(this.#task, ns.name, target));
  }

  rm(ns: NsPath, path: string): void {
    if (ns.kind !== "netns-entry") throw nsfsError(ns.kind === "proc-ns" ? "EACCES" : "EBUSY", "rm", path);
    this.#call("rm", path, () => sys.netnsRunUnlink(this.#task, ns.name));
  }

  mkdir(ns: NsPath, path: string, recursive: boolean): void {
    if ((ns.kind === "run" || ns.kind === "netns-dir" || ns.kind === "var-run") && recursive) return;
    throw nsfsError(this.exists(ns, path) ? "EEXIST" : "EACCES", "mkdir", path);
  }
}
