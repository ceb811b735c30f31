// struct user_namespace (kernel/user_namespace.c) with its ucounts (kernel/ucount.c), and the
// capability check every privileged operation makes (cap_capable in security/commoncap.c).
//
// Credentials carry a kuid, the user id as the initial namespace knows it. A task holds every
// capability in its own user namespace when its kuid is what uid 0 maps to there (root, or the
// creator after `unshare -r` wrote "0 OWNER 1" to uid_map), and none otherwise: setuid to another
// user drops them, as it does without SECBIT_KEEP_CAPS.
import { procDointvecParse } from "./ipv4/sysctl_net_ipv4.js";
import { KernelError } from "./syscalls.js";

/** enum ucount_type, in the kernel's order; the names are those of /proc/sys/user. */
export const UCOUNT_NAMES = [
  "max_user_namespaces",
  "max_pid_namespaces",
  "max_uts_namespaces",
  "max_ipc_namespaces",
  "max_net_namespaces",
  "max_mnt_namespaces",
  "max_cgroup_namespaces",
  "max_time_namespaces",
  "max_inotify_instances",
  "max_inotify_watches",
  "max_fanotify_groups",
  "max_fanotify_marks",
] as const;

export type UcountType = (typeof UCOUNT_NAMES)[number];

export const UCOUNT_USER_NAMESPACES = 0;
export const UCOUNT_NET_NAMESPACES = 4;

/** INT_MAX: what every limit of a new user namespace starts at (create_user_ns). */
const INT_MAX = 0x7fffffff;

/** MAX_USER_NS_LEVEL: user namespaces nest at most 32 deep. */
const MAX_USER_NS_LEVEL = 32;

/**
 * The initial namespace's limits (user_namespace_sysctl_init: max_threads / 2 for namespaces,
 * the inotify and fanotify defaults scaled to memory), as the reference machine reports them.
 */
const INIT_UCOUNT_MAX: readonly number[] = [
  96365, 96365, 96365, 96365, 96365, 96365, 96365, 96365, 128, 192536, 128, 205039,
];

export interface UserNamespace {
  readonly parent: UserNamespace | undefined;
  readonly level: number;
  /** ns->owner: the kuid of the task that created it. */
  readonly owner: number;
  /** The kuid uid 0 maps to inside; undefined while uid_map has no line for 0. */
  rootKuid: number | undefined;
  /** ucount_max[]: the limits /proc/sys/user shows to tasks of this namespace. */
  readonly ucountMax: number[];
  /** struct ucounts by kuid: what each user has charged against this namespace's limits. */
  readonly ucounts: Map<number, number[]>;
  /** Tasks and network namespaces holding it (get_user_ns / put_user_ns). */
  count: number;
  /** ns->ucounts: the charge this namespace made in its parent, given back when it is freed. */
  readonly charge: Ucounts | undefined;
}

/** Credentials as a capability check reads them (struct cred: euid and user_ns). */
export interface Cred {
  readonly uid: number;
  readonly userNs: UserNamespace;
}

/** init_user_ns: uid 0 is root, the limits are the machine's. */
export function initUserNs(): UserNamespace {
  return {
    parent: undefined,
    level: 0,
    owner: 0,
    rootKuid: 0,
    ucountMax: [...INIT_UCOUNT_MAX],
    ucounts: new Map(),
    count: 1,
    charge: undefined,
  };
}

/**
 * cap_capable: does `cred` hold capabilities in `ns`? In its own namespace when it is root there;
 * in a descendant when it is root in the parent and owns the child (the creator keeps full power
 * over what it created); never in an ancestor or a sibling.
 */
export function nsCapable(cred: Cred, ns: UserNamespace): boolean {
  let target = ns;
  for (;;) {
    if (target === cred.userNs) return cred.uid === cred.userNs.rootKuid;
    if (target.level <= cred.userNs.level) return false;
    const parent = target.parent as UserNamespace;
    if (parent === cred.userNs && target.owner === cred.uid) return true;
    target = parent;
  }
}

/** from_kuid_munged: the uid a task of `ns` sees for `kuid` (overflowuid 65534 when unmapped). */
export function fromKuid(ns: UserNamespace, kuid: number): number {
  if (ns.parent === undefined) return kuid;
  return kuid === ns.rootKuid ? 0 : 65534;
}

/** make_kuid: the kuid of `uid` in `ns`, or undefined when uid_map has no line for it. */
export function makeKuid(ns: UserNamespace, uid: number): number | undefined {
  if (ns.parent === undefined) return uid;
  return uid === 0 ? ns.rootKuid : undefined;
}

function charges(ns: UserNamespace, kuid: number): number[] {
  let counts = ns.ucounts.get(kuid);
  if (!counts) {
    counts = UCOUNT_NAMES.map(() => 0);
    ns.ucounts.set(kuid, counts);
  }
  return counts;
}

/** Where a charge was made, so it can be given back (struct ucounts *). */
export interface Ucounts {
  readonly ns: UserNamespace;
  readonly kuid: number;
  readonly type: number;
}

/**
 * inc_ucount: charges `kuid` in `ns`, then the owner in the parent, up to the initial namespace;
 * every level must stay below its limit. ENOSPC when one would not (nothing stays charged).
 */
export function incUcount(ns: UserNamespace, kuid: number, type: number): Ucounts {
  const done: number[][] = [];
  let iterNs: UserNamespace | undefined = ns;
  let iterUid = kuid;
  while (iterNs) {
    const counts = charges(iterNs, iterUid);
    if ((counts[type] as number) >= (iterNs.ucountMax[type] as number)) {
      for (const c of done) c[type] = (c[type] as number) - 1;
      throw new KernelError("ENOSPC");
    }
    counts[type] = (counts[type] as number) + 1;
    done.push(counts);
    iterUid = iterNs.owner;
    iterNs = iterNs.parent;
  }
  return { ns, kuid, type };
}

/** dec_ucount */
export function decUcount(uc: Ucounts): void {
  let iterNs: UserNamespace | undefined = uc.ns;
  let iterUid = uc.kuid;
  while (iterNs) {
    const counts = charges(iterNs, iterUid);
    counts[uc.type] = (counts[uc.type] as number) - 1;
    if (counts.every((n) => n === 0)) iterNs.ucounts.delete(iterUid);
    iterUid = iterNs.owner;
    iterNs = iterNs.parent;
  }
}

/**
 * create_user_ns for unshare(CLONE_NEWUSER): a child of the task's namespace owned by its kuid.
 * `mapRoot` writes uid_map "0 KUID 1" as `unshare -r` does. The creator needs its uid mapped in
 * the parent (always true here). Nesting deeper than 32 is EUSERS in the kernel; ENOSPC here.
 */
export function createUserNs(cred: Cred, options: { readonly mapRoot: boolean }): UserNamespace {
  const parent = cred.userNs;
  if (parent.level >= MAX_USER_NS_LEVEL) throw new KernelError("ENOSPC");
  const charge = incUcount(parent, cred.uid, UCOUNT_USER_NAMESPACES);
  const ns: UserNamespace = {
    parent,
    level: parent.level + 1,
    owner: cred.uid,
    rootKuid: options.mapRoot ? cred.uid : undefined,
    ucountMax: UCOUNT_NAMES.map(() => INT_MAX),
    ucounts: new Map(),
    count: 1,
    charge,
  };
  getUserNs(parent);
  return ns;
}

export function getUserNs(ns: UserNamespace): UserNamespace {
  ns.count++;
  return ns;
}

/** put_user_ns: the last reference gone, the namespace is freed and its charge given back. */
export function putUserNs(ns: UserNamespace): void {
  let cur: UserNamespace | undefined = ns;
  while (cur?.parent) {
    cur.count--;
    if (cur.count > 0) return;
    if (cur.charge) decUcount(cur.charge);
    cur = cur.parent;
  }
}

// --- /proc/sys/user (kernel/ucount.c user_table) ------------------------------------------------

/** The files of /proc/sys/user, as paths below /proc/sys, in readdir order. */
export function userSysctlList(): string[] {
  return [...UCOUNT_NAMES].sort().map((name) => `user/${name}`);
}

function userSysctlIndex(path: string): number {
  const name = path.startsWith("user/") ? path.slice("user/".length) : "";
  const i = (UCOUNT_NAMES as readonly string[]).indexOf(name);
  if (i < 0) throw new KernelError(path === "user" || path === "user/" ? "EISDIR" : "ENOENT");
  return i;
}

/** The table a task sees is its own user namespace's (set_is_seen). */
export function userSysctlRead(ns: UserNamespace, path: string): string {
  return `${ns.ucountMax[userSysctlIndex(path)]}\n`;
}

/**
 * A write: root of the namespace may (set_permissions: CAP_SYS_RESOURCE in it), others get
 * EACCES at open; the value is proc_dointvec_minmax's within [0, INT_MAX].
 */
export function userSysctlWrite(cred: Cred, path: string, text: string): void {
  const i = userSysctlIndex(path);
  if (!nsCapable(cred, cred.userNs)) throw new KernelError("EACCES");
  const value = procDointvecParse(text);
  if (value === undefined || value < 0) throw new KernelError("EINVAL");
  cred.userNs.ucountMax[i] = value;
}
