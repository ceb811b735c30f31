// /run/netns as a directory of the machine's tmpfs: ip netns's bind mounts (host.netnsNames) and
// what users put there themselves — a symbolic link to /proc/PID/ns/net (the way scripts name a
// container's namespace for `ip netns exec`), or a plain file — in one order: a tmpfs lists the
// newest entry first. And the namespace files under /proc/PID/ns: links named TYPE:[INODE].
import type { Host } from "./host.js";
import { type Net, netPut } from "./net_namespace.js";
import { KernelError } from "./syscalls.js";
import type { UserNamespace } from "./user_namespace.js";

/** An entry of /run/netns that is not a bind mount. */
export type RunDirEntry = { readonly kind: "symlink"; readonly target: string } | { readonly kind: "file" };

interface RunDir {
  seq: number;
  /** Each name's creation sequence number, mounts and entries alike. */
  readonly order: Map<string, number>;
  readonly entries: Map<string, RunDirEntry>;
  /** Mounts covered by a later mount on the same name (`mount --bind` again), newest last. */
  readonly lower: Map<string, Net[]>;
}

const dirs = new WeakMap<Host, RunDir>();

function runDir(host: Host): RunDir {
  let d = dirs.get(host);
  if (!d) {
    d = { seq: 0, order: new Map(), entries: new Map(), lower: new Map() };
    dirs.set(host, d);
  }
  return d;
}

/** A bind mount made at /run/netns/NAME (ip netns add|attach) takes the next place in the order. */
export function runDirMounted(host: Host, name: string): void {
  const d = runDir(host);
  d.order.set(name, ++d.seq);
}

/** A mount made on a name that is mounted already covers that one, which it keeps (a reference). */
export function runDirCoverMount(host: Host, name: string, below: Net): void {
  const d = runDir(host);
  const stack = d.lower.get(name) ?? [];
  stack.push(below);
  d.lower.set(name, stack);
}

/** umount of a covering mount: the one below comes back (undefined when there is none). */
export function runDirUncoverMount(host: Host, name: string): Net | undefined {
  const d = runDir(host);
  const stack = d.lower.get(name);
  const below = stack?.pop();
  if (stack?.length === 0) d.lower.delete(name);
  return below;
}

/** umount of the last mount: the file it was mounted on shows again, in its place. */
export function runDirUnmounted(host: Host, name: string): void {
  const d = runDir(host);
  if (!d.entries.has(name)) d.entries.set(name, { kind: "file" });
  if (!d.order.has(name)) d.order.set(name, ++d.seq);
}

/** The name is gone altogether (ip netns del: umount, then unlink): its file and covered mounts. */
export function runDirForget(host: Host, name: string): void {
  const d = runDir(host);
  d.entries.delete(name);
  for (const net of d.lower.get(name) ?? []) netPut(net);
  d.lower.delete(name);
}

/** readdir("/run/netns"): newest first. */
export function runDirList(host: Host): string[] {
  const d = runDir(host);
  // A mount gone since (ip netns del) leaves its place.
  for (const name of d.order.keys())
    if (!host.netnsNames.has(name) && !d.entries.has(name)) d.order.delete(name);
  return [...d.order].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

/** The entry a name has when it is no bind mount. */
export function runDirEntry(host: Host, name: string): RunDirEntry | undefined {
  return runDir(host).entries.get(name);
}

/** symlink(2) / creat(2) in /run/netns: EEXIST when the name is taken. */
export function runDirCreate(host: Host, name: string, entry: RunDirEntry): void {
  const d = runDir(host);
  if (host.netnsNames.has(name) || d.entries.has(name)) throw new KernelError("EEXIST");
  d.entries.set(name, entry);
  d.order.set(name, ++d.seq);
}

/** unlink(2) in /run/netns: EBUSY for a mount point, ENOENT for nothing. */
export function runDirUnlink(host: Host, name: string): void {
  const d = runDir(host);
  if (host.netnsNames.has(name)) throw new KernelError("EBUSY");
  if (!d.entries.delete(name)) throw new KernelError("ENOENT");
  d.order.delete(name);
}

/** The namespace types under /proc/PID/ns, as the kernel lists them. */
export const PROC_NS_NAMES: readonly string[] = [
  "cgroup",
  "ipc",
  "mnt",
  "net",
  "pid",
  "pid_for_children",
  "time",
  "time_for_children",
  "user",
  "uts",
];

/**
 * The inode numbers of the initial namespaces (PROC_*_INIT_INO; init_net and the first mount
 * namespace take the first dynamic ones, 0xF0000000 and the next).
 */
const INIT_INO: Readonly<Record<string, number>> = {
  cgroup: 0xeffffffb,
  ipc: 0xefffffff,
  mnt: 0xf0000001,
  pid: 0xeffffffc,
  pid_for_children: 0xeffffffc,
  time: 0xeffffffa,
  time_for_children: 0xeffffffa,
  user: 0xeffffffd,
  uts: 0xeffffffe,
};

/** ns.inum of a network namespace: init_net's is 0xF0000000, later ones come after the boot's. */
export function netInum(net: Net): number {
  return net === net.host.initNet ? 0xf0000000 : 0xf0000200 + net.id;
}

const userInos = new WeakMap<UserNamespace, number>();
let nextUserIno = 0xf0000400;

/**
 * readlink("/proc/PID/ns/TYPE") of a process in `net` and `userNs` (undefined: the initial one):
 * `TYPE:[INODE]` (ns_get_name). netnest's processes share every other namespace with init.
 */
export function procNsLink(host: Host, net: Net, userNs: UserNamespace | undefined, type: string): string {
  if (type === "net") return `net:[${netInum(net)}]`;
  if (type === "user" && userNs && userNs !== host.initUserNs) {
    let ino = userInos.get(userNs);
    if (ino === undefined) {
      ino = ++nextUserIno;
      userInos.set(userNs, ino);
    }
    return `user:[${ino}]`;
  }
  const ino = INIT_INO[type];
  if (ino === undefined) throw new KernelError("ENOENT");
  return `${type.replace(/_for_children$/, "")}:[${ino}]`;
}
