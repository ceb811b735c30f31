// mount and umount (util-linux 2.38.1) for what network namespaces need: a bind mount of a
// namespace file (/proc/PID/ns/net, another /run/netns file) on a file under /run/netns, the way
// `ip netns attach` makes one and scripts make them by hand, its umount, and the propagation
// flags (--make-shared …) as no-ops. Other filesystems and mounts elsewhere are not emulated: they
// are refused with a message that says so.
import { KernelError, netnsBindMount, netnsUmount, nsPathResolve, type Task } from "../kernel/syscalls.js";
import type { Proc, ProgramResult } from "./program.js";

const DMESG_HINT = "       dmesg(1) may have more information after failed mount system call.\n";

function result(stderr: string, exitCode: number): ProgramResult {
  return { stdout: "", stderr, exitCode };
}

function badUsage(prog: string): ProgramResult {
  return result(`${prog}: bad usage\nTry '${prog} --help' for more information.\n`, 1);
}

/** The NAME of /run/netns/NAME, or undefined for any other path. */
function runNetnsName(path: string): string | undefined {
  return /^\/run\/netns\/([^/]+)$/.exec(path)?.[1];
}

/** stat(2) through the shell's filesystem: false for ENOENT. */
async function exists(proc: Proc, path: string): Promise<boolean> {
  try {
    await proc.readFile(path);
    return true;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return err.code !== "ENOENT" && !/^ENOENT\b/.test(err.message ?? "");
  }
}

export async function mount(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  if (argv.length === 1)
    return result("mount: listing the mounted filesystems is not supported by netnest\n", 1);
  let bind = false;
  let propagation = false;
  let unsupported: string | undefined;
  const paths: string[] = [];
  const options = (list: string) => {
    for (const o of list.split(",")) {
      if (o === "bind" || o === "rbind") bind = true;
      else if (o !== "" && o !== "rw" && o !== "defaults") unsupported ??= `-o ${o}`;
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-B" || a === "--bind" || a === "-R" || a === "--rbind") bind = true;
    else if (/^--make-r?(shared|slave|private|unbindable)$/.test(a)) propagation = true;
    else if (a === "-o" || a === "--options") {
      const v = argv[++i];
      if (v === undefined) return badUsage("mount");
      options(v);
    } else if (a.startsWith("--options=")) options(a.slice("--options=".length));
    else if (a.startsWith("-o")) options(a.slice(2));
    else if (a.startsWith("-") && a !== "-") unsupported ??= a;
    else paths.push(a);
  }
  if (unsupported !== undefined)
    return result(`mount: ${unsupported}: only bind mounts of namespace files are supported by netnest\n`, 1);
  const cwd = proc.env.PWD ?? "/";
  const task = proc.task;
  if (propagation && !bind) {
    // Propagation changes a mount's sharing, which nothing here observes.
    if (paths.length !== 1) return badUsage("mount");
    const target = paths[0] as string;
    if (!(await exists(proc, nsPathResolve(target, cwd))))
      return result(`mount: ${target}: mount point does not exist.\n${DMESG_HINT}`, 32);
    return result("", 0);
  }
  if (paths.length === 1) {
    // One path is looked up in /etc/fstab; with --bind, mount(2) is tried with no target.
    const only = paths[0] as string;
    if (bind)
      return result(
        `mount: ${only}: mount(2) system call failed: No such file or directory.\n${DMESG_HINT}`,
        32,
      );
    return result(`mount: ${only}: can't find in /etc/fstab.\n`, 1);
  }
  if (paths.length !== 2 || !bind) {
    if (paths.length === 2)
      return result("mount: only bind mounts of namespace files are supported by netnest\n", 1);
    return badUsage("mount");
  }
  const [src, target] = paths as [string, string];
  const targetPath = nsPathResolve(target, cwd);
  const srcPath = nsPathResolve(src, cwd);
  if (!(await exists(proc, targetPath)))
    return result(`mount: ${target}: mount point does not exist.\n${DMESG_HINT}`, 32);
  if (task.uid !== 0) return result(`mount: ${target}: must be superuser to use mount.\n${DMESG_HINT}`, 32);
  if (!(await exists(proc, srcPath)))
    return result(`mount: ${target}: special device ${src} does not exist.\n${DMESG_HINT}`, 32);
  const name = runNetnsName(targetPath);
  if (name === undefined)
    return result(`mount: ${target}: netnest bind-mounts namespace files on /run/netns only\n`, 32);
  return bindMount(task, src, srcPath, target, name);
}

function bindMount(task: Task, src: string, srcPath: string, target: string, name: string): ProgramResult {
  try {
    netnsBindMount(task, srcPath, name);
    return result("", 0);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    if (e.errno === "ENOENT") {
      // The target went, or a /proc/PID/ns/net whose process exited.
      return result(`mount: ${target}: special device ${src} does not exist.\n${DMESG_HINT}`, 32);
    }
    if (e.errno === "EPERM")
      return result(`mount: ${target}: must be superuser to use mount.\n${DMESG_HINT}`, 32);
    // A file that is no namespace: Linux would bind it as it is; netnest keeps namespace files.
    return result(
      `mount: ${target}: ${src} is not a network namespace file (netnest binds only those)\n`,
      32,
    );
  }
}

export async function umount(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  const paths = argv.slice(1).filter((a) => !a.startsWith("-"));
  const flags = argv.slice(1).filter((a) => a.startsWith("-"));
  if (paths.length === 0) return badUsage("umount");
  // -l (lazy) and -f (force) change nothing for a namespace file.
  const unknown = flags.find((f) => !/^-[lf]+$/.test(f) && f !== "--lazy" && f !== "--force");
  if (unknown !== undefined) return result(`umount: ${unknown}: not supported by netnest\n`, 1);
  const task = proc.task;
  const cwd = proc.env.PWD ?? "/";
  let failed = 0;
  let failCode = 0;
  let stderr = "";
  for (const target of paths) {
    const path = nsPathResolve(target, cwd);
    const name = runNetnsName(path);
    const fail = (text: string, code: number) => {
      stderr += `umount: ${target}: ${text}\n`;
      failed++;
      failCode = code;
    };
    if (name === undefined) {
      if (await exists(proc, path)) fail("not mounted.", task.uid === 0 ? 32 : 1);
      else fail("no mount point specified.", 32);
      continue;
    }
    try {
      netnsUmount(task, name);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      if (e.errno === "EINVAL") fail("not mounted.", task.uid === 0 ? 32 : 1);
      else if (e.errno === "EPERM") fail("must be superuser to unmount.", 32);
      else fail("no mount point specified.", 32);
    }
  }
  // MNT_EX_SOMEOK (64) when some went and some did not.
  return result(stderr, failed === 0 ? 0 : failed < paths.length ? 64 : failCode);
}
