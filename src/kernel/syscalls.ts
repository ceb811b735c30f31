// The system-call surface: the only kernel module userland may import. Every function takes the
// calling task, as a syscall runs in the context of `current`.
import { netCoreSysctl } from "./core/sysctl_net_core.js";
import type { Host } from "./host.js";
import type { Net } from "./net_namespace.js";
import type { Flow, WaitQueue } from "./sched.js";
import type {
  BrPortReq,
  LinkInfoData,
  LinkInfoReq,
  NsFd,
  RtAddr,
  RtAddrReq,
  RtBridgeLink,
  RtBridgeLinkReq,
  RtBridgePortInfo,
  RtBridgeVlanReq,
  RtFdb,
  RtFdbReq,
  RtLink,
  RtLinkPropReq,
  RtLinkReq,
  RtMdb,
  RtMdbEntry,
  RtMdbReq,
  RtNeigh,
  RtNeighReq,
  RtNeighTbl,
  RtNeighTblParms,
  RtNeighTblReq,
  RtNetconf,
  RtnlGroup,
  RtnlRecvMsg,
  RtRoute,
  RtRouteGetReq,
  RtRouteReq,
  RtRule,
  RtRuleReq,
} from "./uapi.js";

export * from "./uapi.js";
export * from "./uapi_netfilter.js";

export type Errno =
  | "EPERM"
  | "ENOENT"
  | "ESRCH"
  | "EIO"
  | "EBADF"
  | "EAGAIN"
  | "ENOMEM"
  | "EACCES"
  | "EBUSY"
  | "EEXIST"
  | "ENODEV"
  | "ENXIO"
  | "ENOTDIR"
  | "EISDIR"
  | "EINVAL"
  | "ENOSPC"
  | "E2BIG"
  | "EXFULL"
  | "ERANGE"
  | "EOVERFLOW"
  | "ENOSYS"
  | "EOPNOTSUPP"
  | "EAFNOSUPPORT"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "ENETDOWN"
  | "ENETUNREACH"
  | "ENOBUFS"
  | "ETIMEDOUT"
  | "ECONNREFUSED"
  | "EHOSTUNREACH"
  | "EMSGSIZE"
  | "EDESTADDRREQ"
  | "ELOOP"
  | "EMLINK"
  | "EPIPE"
  | "ECONNRESET"
  | "ENOTCONN"
  | "EISCONN"
  | "EALREADY"
  | "EINPROGRESS"
  | "EPROTO"
  | "EPROTONOSUPPORT";

/**
 * A failed system call: the errno, and the extended ack text (NL_SET_ERR_MSG) when netlink set one.
 * Route lookups make these on the packet path (a rule's table missing is EAGAIN), so no stack trace
 * is captured: an errno is an answer, not a bug.
 */
export class KernelError extends Error {
  readonly errno: Errno;
  readonly extack: string | undefined;
  constructor(errno: Errno, extack?: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(extack ? `${errno}: ${extack}` : errno);
    Error.stackTraceLimit = limit;
    this.errno = errno;
    this.extack = extack;
  }
}

/** A process's view of the kernel: the host, its network namespace and its credentials. */
export interface Task {
  readonly host: Host;
  readonly net: Net;
  /** The euid as the initial user namespace knows it (a kuid). */
  readonly uid: number;
  /** cred->user_ns; absent means the initial user namespace. */
  readonly userNs?: UserNamespace;
  /** The egid/fsgid as the initial user namespace knows it (a kgid); absent means 0. */
  readonly gid?: number;
  /** The job (flow of control) the task runs in, so kill() reaches its blocking calls. */
  readonly flow?: Flow;
  /**
   * cap_effective as a mask of CAP_* bits, for a program that lowers its own (iputils keeps
   * CAP_NET_RAW permitted only); absent means all the credentials give.
   */
  readonly capEffective?: number;
  /**
   * The process the task belongs to, for what /proc/PID/fd and /proc/PID/comm show (ss -p): its
   * open descriptors and its command name. Absent for a task no process stands behind (a
   * library caller, the shell's own descriptors).
   */
  readonly files?: FilesStruct;
  readonly comm?: string;
}

/**
 * struct files_struct, as far as /proc/PID/fd shows it: which descriptors are open, and the
 * socket inode of those that are sockets. A new descriptor takes the lowest free number
 * (get_unused_fd_flags); 0, 1 and 2 are open from the start, and a program may hold more of its
 * own (reserve) before its sockets come.
 */
export class FilesStruct {
  /** By descriptor: a socket's inode, 0 for another open file, undefined when free. */
  private readonly fds: (number | undefined)[] = [0, 0, 0];

  /** Opens `n` descriptors that are no sockets (what a program opens before its sockets). */
  reserve(n: number): void {
    for (let i = 0; i < n; i++) this.install(0);
  }

  /** fd_install of a new file (a socket's inode, or 0): its descriptor. */
  install(inode: number): number {
    let fd = this.fds.indexOf(undefined);
    if (fd < 0) fd = this.fds.length;
    this.fds[fd] = inode;
    return fd;
  }

  close(fd: number): void {
    if (fd >= 0 && fd < this.fds.length) this.fds[fd] = undefined;
  }

  /** The open descriptors that are sockets, lowest first, as readdir lists /proc/PID/fd. */
  sockets(): { readonly fd: number; readonly inode: number }[] {
    const out: { fd: number; inode: number }[] = [];
    this.fds.forEach((inode, fd) => {
      if (inode) out.push({ fd, inode });
    });
    return out;
  }
}

/** CAP_NET_ADMIN and CAP_NET_RAW (include/uapi/linux/capability.h), as bits of capEffective. */
export const CAP_NET_ADMIN = 12;
export const CAP_NET_RAW = 13;

// ---------------------------------------------------------------------------------------------
// Implementations. Imports sit here, below the ABI types, because the kernel modules import
// KernelError from this file.
import { bytesToIPv4, ipv4ToBytes, prefixMask } from "../wire/addr.js";
import { IPPROTO_TCP, IPPROTO_UDP } from "../wire/ipv4.js";
import { JIFFY_NS } from "./clock.js";
import {
  ALTIFNAMSIZ,
  callNetdevNotifiers,
  devChangeFlags,
  devChangeName,
  devChangeNetNamespace,
  devGetByIndex,
  devGetByName,
  devGetFlags,
  devGetIflink,
  devicesByIndex,
  devReportedOperstate,
  devSetAlias,
  devSetMacAddress,
  devSetMtu,
  type NetDevice,
  netdevNameNodeAltCreate,
  netdevNameNodeAltDestroy,
  unregisterNetdevice,
} from "./core/dev.js";
import {
  type Neighbour,
  type NeighParms,
  type NeighVar,
  type NudState,
  neighAdminUpdate,
  neighDump,
  neighLookupCounted,
  neighParmsOf,
  neighParmsSet,
  neighPeriodicArm,
  neighRemove,
  neighTimerPending,
  SKB_TRUESIZE_ETH_FRAME,
} from "./core/neighbour.js";
import { type RtnlEcho, type RtnlFillers, type RtnlSock, rtmsgIfinfo, rtnlNotify } from "./core/rtnetlink.js";
import type { SkOwner } from "./core/skbuff.js";
import { brDevDelete, brDevNewlink, doSetMaster, isBridge } from "./drivers/bridge/br_device.js";
import { brFdbDelete, fdbAddEntry, fdbToNud } from "./drivers/bridge/br_fdb.js";
import {
  brMdbAdd,
  brMdbConfigCheck,
  brMdbDel,
  brMdbTimerValue,
  MDB_PERMANENT,
  MDB_TEMPORARY,
} from "./drivers/bridge/br_multicast.js";
import {
  brAfspecVlans,
  brChangelink,
  brFillInfo,
  brPortFillAttrs,
  brSetport,
} from "./drivers/bridge/br_netlink.js";
import { bridgeOf, brPortOf } from "./drivers/bridge/br_private.js";
import { dummyNewlink } from "./drivers/dummy.js";
import { isMacvlan, macvlanChangelink, macvlanFillInfo, macvlanNewlink } from "./drivers/macvlan.js";
import { isVeth, vethDellink, vethNewlink } from "./drivers/veth.js";
import { isVlanDev, vlanChangelink, vlanFillInfo, vlanNewlink, vlanValidate } from "./drivers/vlan.js";
import {
  isVxlan,
  vxlanChangelink,
  vxlanFdbDump,
  vxlanFdbOp,
  vxlanFillInfo,
  vxlanNewlink,
  vxlanTsoMaxSize,
} from "./drivers/vxlan.js";
import { arpNeighFor } from "./ipv4/arp.js";
import {
  addrChkKick,
  type InIfaddr,
  ifaLifetimesLeft,
  inetDelIfa,
  inetInsertIfa,
  ipDevFind,
  makeIfaddr,
  setIfaLifetime,
} from "./ipv4/devinet.js";
import { fibDelRule, fibNewRule, fibRulesDump } from "./ipv4/fib_rules.js";
import {
  type FibAlias,
  type FibNh,
  fibDumpAll,
  fibFindInfo,
  fibGetTable,
  fibLookup,
  fibNewTable,
  fibNhFlags,
  fibTableDelete,
  fibTableDump,
  fibTableInsert,
} from "./ipv4/fib_table.js";
import { inetBindCheckAddr, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK } from "./ipv4/inet_hashtables.js";
import { jiffiesOf } from "./ipv4/inet_peer.js";
import { ipOptionsGet } from "./ipv4/ip_options.js";
import { ipv4DevconfSetall, type SockExtendedErr } from "./ipv4/netns_ipv4.js";
import { type RawSock, rawSendmsg, rawSockClose, rawSockCreate } from "./ipv4/raw.js";
import { dstMtu, fnheDump, ipRouteInput, ipRouteOutputKey, rtCacheFlush } from "./ipv4/route.js";
import * as sysctl from "./ipv4/sysctl_net_ipv4.js";
import {
  TCP_CLOSE,
  TCP_LISTEN,
  TCP_SYN_SENT,
  type TcpDiagMsg,
  type TcpSock,
  tcpAcceptOne,
  tcpBind,
  tcpClose,
  tcpConnect,
  tcpConnectDone,
  tcpDiagDump,
  tcpListen,
  tcpPoll,
  tcpRecvmsg,
  tcpSendmsg,
  tcpSendReady,
  tcpShutdown,
  tcpSockCreate,
} from "./ipv4/tcp.js";
import {
  type UdpSock,
  udpBind,
  udpConnect,
  udpPoll,
  udpRecvmsg,
  udpSendmsg,
  udpSockCreate,
  udpUnhash,
} from "./ipv4/udp.js";
import { inet6AddrAdd, inet6AddrDel, inet6Addresses, inet6RouteDump } from "./ipv6/addrconf.js";
import {
  copyNet,
  getNetNsById,
  netGet,
  netPut,
  peernet2id,
  peernet2idAlloc,
  peernet2idSet,
} from "./net_namespace.js";
import {
  type ArptTable,
  arptDefaultTable as arptDefaultTableOf,
  arptGetTable as arptGetTableOf,
  arptReplaceTable as arptReplaceTableOf,
} from "./netfilter/arp_tables.js";
import {
  type IpSetAdtReq,
  type IpSetCreateReq,
  type IpSetDump,
  ipSetCreate,
  ipSetDestroy,
  ipSetDump,
  ipSetFlush,
  ipSetGetByName,
  ipSetRename,
  ipSetSwap,
  ipSetUadt,
} from "./netfilter/ipset/ip_set.js";
import {
  type CtnlEvent,
  type CtnlEventSock,
  ctnlEventBind,
  ctnlEventUnbind,
} from "./netfilter/nf_conntrack_ecache.js";
import {
  type CtnlEntry,
  ctnlCount,
  ctnlDelete,
  ctnlDump,
  ctnlFlush,
} from "./netfilter/nf_conntrack_netlink.js";
import { type NfnlTraceSock, nfnlTraceBind, nfnlTraceUnbind } from "./netfilter/nf_tables_trace.js";
import {
  XT_TABLE_DESCS,
  xtDefaultTable,
  xtFindTable,
  xtGetTable,
  xtReplaceTable,
  xtTableNames,
} from "./netfilter/x_tables.js";
import { type KmsgRecord, kmsgRecords } from "./printk.js";
import { type TcQdisc, type TcQdiscReq, tcDeleteQdisc, tcDumpQdisc, tcModifyQdisc } from "./sched/sch_api.js";
import {
  AF_INET,
  AF_INET6,
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  IFA_F_DEPRECATED,
  IFA_F_PERMANENT,
  IFA_F_SECONDARY,
  IFF_UP,
  IN6_ADDR_GEN_MODE_EUI64,
  INFINITY_LIFE_TIME,
  NTF_MASTER,
  NTF_ROUTER,
  NTF_SELF,
  NTF_STICKY,
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RT_TABLE_UNSPEC,
  RTAX_MTU,
  RTCF_BROADCAST,
  RTCF_DOREDIRECT,
  RTCF_LOCAL,
  RTCF_REDIRECTED,
  RTM_F_CLONED,
  RTN_BLACKHOLE,
  RTN_LOCAL,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  RTNH_F_ONLINK,
  type RtMetrics,
} from "./uapi.js";
import type { IptTable, NftTraceMsg } from "./uapi_netfilter.js";
import {
  type Cred,
  createUserNs,
  fromKuid,
  getUserNs,
  makeKuid,
  nsCapable,
  putUserNs,
  type UserNamespace,
  userSysctlList,
  userSysctlRead,
  userSysctlWrite,
} from "./user_namespace.js";

/** The task's credentials as capability checks read them. */
function credOf(task: Task): Cred {
  return { uid: task.uid, userNs: task.userNs ?? task.host.initUserNs };
}

/** ns_capable(ns, cap) for the calling task: its credentials, then its effective set. */
function taskNsCapable(task: Task, ns: UserNamespace, cap: number): boolean {
  if (task.capEffective !== undefined && !((task.capEffective >>> cap) & 1)) return false;
  return nsCapable(credOf(task), ns);
}

/** capable(): privileges in the initial user namespace (root there, when the task has no other). */
function initCapable(task: Task): boolean {
  return task.userNs ? nsCapable(credOf(task), task.host.initUserNs) : task.uid === 0;
}

/** ns_capable(net->user_ns, CAP_NET_ADMIN) (netlink_net_capable, rtnl_link_get_net_capable): EPERM without it. */
function netAdminCapable(task: Task, net: Net = task.net): void {
  if (!nsCapable(credOf(task), net.userNs)) throw new KernelError("EPERM");
}

/** Runs what is due now, as softirqs would have by the time a syscall looks. */
function settle(task: Task): void {
  task.host.clock.runPending();
}

function nsOf(fd: NsFd): Net {
  return fd.ns as Net;
}

// --- network namespaces (ip netns: a bind mount under /run/netns) ------------------------------

import {
  PROC_NS_NAMES,
  procNsLink,
  type RunDirEntry,
  runDirCoverMount,
  runDirCreate,
  runDirEntry,
  runDirForget,
  runDirList,
  runDirMounted,
  runDirUncoverMount,
  runDirUnlink,
  runDirUnmounted,
} from "./netns_rundir.js";

export { PROC_NS_NAMES } from "./netns_rundir.js";

/**
 * mount("", "/run/netns", MS_SHARED|MS_REC), which `ip netns add` does first: the one mount
 * namespace here belongs to the initial user namespace, whose CAP_SYS_ADMIN it takes.
 */
export function netnsRunDirMount(task: Task): void {
  if (!initCapable(task)) throw new KernelError("EPERM");
}

/**
 * `ip netns add`: create /run/netns/NAME (EEXIST), unshare(CLONE_NEWNET) (EPERM, ENOSPC beyond
 * max_net_namespaces) + bind mount. The namespace is owned by the caller's user namespace.
 */
export function netnsAdd(task: Task, name: string): void {
  if (task.host.netnsNames.has(name) || runDirEntry(task.host, name)) throw new KernelError("EEXIST");
  const cred = credOf(task);
  if (!nsCapable(cred, cred.userNs)) throw new KernelError("EPERM");
  task.host.netnsNames.set(name, copyNet(task.host, cred));
  runDirMounted(task.host, name);
}

/**
 * `ip netns attach NAME PID`: create /run/netns/NAME (EEXIST if there), bind-mount
 * /proc/PID/ns/net onto it (ENOENT for no such process; the empty file is removed again).
 */
export function netnsAttach(task: Task, name: string, pid: number): void {
  if (task.host.netnsNames.has(name) || runDirEntry(task.host, name)) throw new KernelError("EEXIST");
  const cred = credOf(task);
  if (!nsCapable(cred, cred.userNs)) throw new KernelError("EPERM");
  let net: Net;
  try {
    net = netByPid(task, pid);
  } catch {
    throw new KernelError("ENOENT");
  }
  task.host.netnsNames.set(name, netGet(net));
  runDirMounted(task.host, name);
}

/**
 * `ip netns del`: umount + unlink; the namespace dies only when nothing else holds it. The
 * umount needs CAP_SYS_ADMIN; without it the bind mount stays, and unlinking the mount point of
 * root's file in the sticky tmpfs fails: EBUSY for root's kuid, EPERM for anyone else.
 */
export function netnsDel(task: Task, name: string): void {
  if (!task.host.netnsNames.has(name)) {
    // Not a mount: umount2 fails (EINVAL, ignored) and the file or link is unlinked.
    netnsRunUnlink(task, name);
    return;
  }
  if (!initCapable(task)) throw new KernelError(task.uid === 0 ? "EBUSY" : "EPERM");
  task.host.releaseName(name);
  // The mount point goes too, with whatever mounts a `mount --bind` had covered.
  runDirForget(task.host, name);
}

/**
 * mount --bind SRC /run/netns/NAME: the namespace file SRC (/proc/PID/ns/net, another
 * /run/netns name) mounted on NAME, which must exist (ENOENT), as `ip netns attach` does it. A
 * mount on a mounted name covers it until umount. CAP_SYS_ADMIN in the initial user namespace.
 */
export function netnsBindMount(task: Task, src: string, name: string): void {
  const host = task.host;
  const below = host.netnsNames.get(name);
  if (!below && runDirEntry(host, name)?.kind !== "file") throw new KernelError("ENOENT");
  if (!initCapable(task)) throw new KernelError("EPERM");
  const net = nsOf(netnsOpenPath(task, src));
  if (below) runDirCoverMount(host, name, below);
  host.netnsNames.set(name, netGet(net));
}

/**
 * umount /run/netns/NAME: the last mount on it goes, uncovering the one below or the file it was
 * made on. EINVAL when nothing is mounted there, ENOENT for no such name.
 */
export function netnsUmount(task: Task, name: string): void {
  const host = task.host;
  const top = host.netnsNames.get(name);
  if (!top) throw new KernelError(runDirEntry(host, name) ? "EINVAL" : "ENOENT");
  if (!initCapable(task)) throw new KernelError("EPERM");
  const below = runDirUncoverMount(host, name);
  if (below) {
    host.netnsNames.set(name, below);
    netPut(top);
    return;
  }
  runDirUnmounted(host, name);
  host.releaseName(name);
}

/** readdir("/run/netns"): a tmpfs lists the newest entry first (mounts, links and files alike). */
export function netnsList(task: Task): string[] {
  return runDirList(task.host);
}

/**
 * open("/run/netns/NAME"): a bind mount's namespace, or what a symbolic link there leads to
 * (/proc/PID/ns/net, another /run/netns entry). A plain file opens but names no namespace: EINVAL
 * (setns's answer, and RTM_GETNSID's 'Peer netns reference is invalid').
 */
export function netnsOpen(task: Task, name: string, depth = 0): NsFd {
  const net = task.host.netnsNames.get(name);
  if (net) return { kind: "nsfd", ns: net };
  const entry = runDirEntry(task.host, name);
  if (!entry) throw new KernelError("ENOENT");
  if (entry.kind === "file") throw new KernelError("EINVAL", "Peer netns reference is invalid");
  return netnsOpenPath(task, entry.target, "/run/netns", depth + 1);
}

/** A path as the namespace files see it: absolute, `.`/`..`/`//` resolved, /var/run as /run. */
export function nsPathResolve(path: string, cwd = "/"): string {
  const parts: string[] = [];
  for (const part of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  if (parts[0] === "var" && parts[1] === "run") parts.splice(0, 2, "run");
  return `/${parts.join("/")}`;
}

/** open(PATH) of a namespace file, following symbolic links in /run/netns (at most 40: ELOOP). */
export function netnsOpenPath(task: Task, path: string, cwd = "/", depth = 0): NsFd {
  if (depth > 40) throw new KernelError("ELOOP");
  const p = nsPathResolve(path, cwd);
  const run = /^\/run\/netns\/([^/]+)$/.exec(p);
  if (run) return netnsOpen(task, run[1] as string, depth);
  const proc = /^\/proc\/(self|thread-self|[0-9]+)\/ns\/net$/.exec(p);
  if (proc?.[1] === "self" || proc?.[1] === "thread-self") return netnsSelf(task);
  if (proc) {
    try {
      return netnsOpenPid(task, Number(proc[1]));
    } catch (e) {
      if (e instanceof KernelError && e.errno === "ESRCH") throw new KernelError("ENOENT");
      throw e;
    }
  }
  // Any other file: whatever it is, it is no namespace.
  throw new KernelError("EINVAL", "Peer netns reference is invalid");
}

/**
 * What ss -p reads from /proc: every process's socket descriptors (readlink of /proc/PID/fd/N as
 * `socket:[INODE]`, the name from /proc/PID/comm), by pid and then descriptor, as readdir lists
 * them. The processes are those a script can name by pid (its jobs).
 */
export function procSocketFds(
  task: Task,
): { readonly pid: number; readonly comm: string; readonly fd: number; readonly inode: number }[] {
  const out: { pid: number; comm: string; fd: number; inode: number }[] = [];
  for (const pid of [...task.host.processes.keys()].sort((a, b) => a - b)) {
    const t = task.host.processes.get(pid) as Task;
    if (!t.files || t.comm === undefined) continue;
    for (const { fd, inode } of t.files.sockets()) out.push({ pid, comm: t.comm, fd, inode });
  }
  return out;
}

/** Creating in /run/netns (root's 0755 tmpfs): root of the initial user namespace only. */
function runDirWritable(task: Task): void {
  if (task.uid !== 0 || (task.userNs && task.userNs !== task.host.initUserNs))
    throw new KernelError("EACCES");
}

/** symlink(TARGET, "/run/netns/NAME") */
export function netnsRunSymlink(task: Task, name: string, target: string): void {
  runDirWritable(task);
  runDirCreate(task.host, name, { kind: "symlink", target });
}

/** open("/run/netns/NAME", O_CREAT): an empty file (touch, a redirection). */
export function netnsRunCreateFile(task: Task, name: string): void {
  runDirWritable(task);
  runDirCreate(task.host, name, { kind: "file" });
}

/** unlink("/run/netns/NAME"): EBUSY while it is a mount point. */
export function netnsRunUnlink(task: Task, name: string): void {
  if (!task.host.netnsNames.has(name) && runDirEntry(task.host, name)) runDirWritable(task);
  runDirUnlink(task.host, name);
}

/** lstat("/run/netns/NAME"): a mount point (an empty read-only file), a link, a file, or none. */
export function netnsRunStat(task: Task, name: string): "mount" | RunDirEntry | undefined {
  if (task.host.netnsNames.has(name)) return "mount";
  return runDirEntry(task.host, name);
}

/**
 * readlink("/proc/PID/ns/TYPE") (PID: self, thread-self or a number): `TYPE:[INODE]`. ENOENT for
 * no such process or type; EACCES as for opening another process's namespace files.
 */
export function procNsReadlink(task: Task, pid: string, type: string): string {
  if (!PROC_NS_NAMES.includes(type)) throw new KernelError("ENOENT");
  if (pid === "self" || pid === "thread-self") return procNsLink(task.host, task.net, task.userNs, type);
  const fd = netnsOpenPath(task, `/proc/${pid}/ns/net`);
  const other = task.host.processes.get(Number(pid));
  return procNsLink(task.host, nsOf(fd), other?.userNs, type);
}

/** Whether /proc/PID exists for the caller (self, thread-self, init, a job). */
export function procPidExists(task: Task, pid: string): boolean {
  if (pid === "self" || pid === "thread-self") return true;
  try {
    netByPid(task, Number(pid));
    return true;
  } catch {
    return false;
  }
}

/** open("/proc/self/ns/net") */
export function netnsSelf(task: Task): NsFd {
  return { kind: "nsfd", ns: task.net };
}

/** True when both descriptors name the same namespace (comparing st_dev/st_ino). */
export function netnsSame(a: NsFd, b: NsFd): boolean {
  return a.ns === b.ns;
}

/** RTM_GETNSID: the id the caller's namespace gives `fd`'s, -1 when none. */
export function rtnlGetNsid(task: Task, fd: NsFd): number {
  return peernet2id(task.net, nsOf(fd));
}

/** RTM_NEWNSID */
export function rtnlNewNsid(task: Task, fd: NsFd, nsid: number): void {
  netAdminCapable(task);
  const peer = nsOf(fd);
  if (task.net.nsids.has(peer)) throw new KernelError("EEXIST", "Peer netns already has a nsid assigned");
  for (const id of task.net.nsids.values())
    if (id === nsid) throw new KernelError("EEXIST", "The specified nsid is already used");
  if (nsid < 0) {
    peernet2idAlloc(task.net, peer);
    return;
  }
  peernet2idSet(task.net, peer, nsid);
}

/**
 * RTM_GETNSID dump (rtnl_net_dumpid): the ids the caller's namespace gives others, in id order;
 * with `targetNsid`, those of the namespace the caller knows by that id, each with the id the
 * caller gives the same peer (NETNSA_CURRENT_NSID).
 */
export function rtnlDumpNsid(
  task: Task,
  filter: { readonly targetNsid?: number; readonly nsid?: number } = {},
): { readonly nsid: number; readonly currentNsid?: number }[] {
  let net = task.net;
  if (filter.targetNsid !== undefined) {
    const target = getNetNsById(task.net, filter.targetNsid);
    if (!target) throw new KernelError("EINVAL", "Invalid target network namespace id");
    net = target;
  }
  return [...net.nsids]
    .filter(([, id]) => filter.nsid === undefined || id === filter.nsid)
    .sort((a, b) => a[1] - b[1])
    .map(([peer, nsid]) => {
      if (filter.targetNsid === undefined) return { nsid };
      const current = peernet2id(task.net, peer);
      return current >= 0 ? { nsid, currentNsid: current } : { nsid };
    });
}

/**
 * open("/proc/PID/ns/net"): PID 1 is the host's init, in the initial namespace; no other PID exists
 * here. Its namespace links take ptrace access to root's init: CAP_SYS_PTRACE in the initial user
 * namespace, else EACCES.
 */
export function netnsOpenPid(task: Task, pid: number): NsFd {
  const net = netByPid(task, pid);
  if (!initCapable(task)) throw new KernelError("EACCES");
  return { kind: "nsfd", ns: net };
}

/**
 * setns(fd, CLONE_NEWNET) in a child: a new task in that namespace, holding it. netns_install
 * wants CAP_SYS_ADMIN both over the namespace and in the caller's own user namespace.
 */
export function setns(task: Task, fd: NsFd): Task {
  const cred = credOf(task);
  const net = nsOf(fd);
  if (!nsCapable(cred, net.userNs) || !nsCapable(cred, cred.userNs)) throw new KernelError("EPERM");
  return {
    host: task.host,
    net: netGet(net),
    uid: task.uid,
    userNs: getUserNs(cred.userNs),
    flow: task.flow,
  };
}

/**
 * fork + unshare(2) in the child: a new task with, as asked, a new user namespace (the caller's
 * kuid as its owner; `mapRoot` maps uid 0 inside to it, as `unshare -r` writes uid_map) and a
 * new network namespace owned by the task's user namespace (a fresh machine: only lo, DOWN).
 * A new network namespace needs CAP_SYS_ADMIN in that user namespace (EPERM) and room under
 * max_net_namespaces at every level (ENOSPC).
 */
export function unshare(
  task: Task,
  flags: { readonly newUser?: boolean; readonly mapRoot?: boolean; readonly newNet?: boolean },
): Task {
  const cred = credOf(task);
  const userNs = flags.newUser
    ? createUserNs(cred, { mapRoot: flags.mapRoot ?? false })
    : getUserNs(cred.userNs);
  const childCred: Cred = { uid: cred.uid, userNs };
  try {
    // A task that has just made a user namespace holds every capability in it until it execs.
    if (flags.newNet && !flags.newUser && !nsCapable(childCred, userNs)) throw new KernelError("EPERM");
    const net = flags.newNet ? copyNet(task.host, childCred) : netGet(task.net);
    return { host: task.host, net, uid: cred.uid, userNs, flow: task.flow };
  } catch (e) {
    putUserNs(userNs);
    throw e;
  }
}

/**
 * setresuid(uid, uid, uid) (`setpriv --reuid`): a new task as `uid` of its user namespace, holding
 * capabilities only if that is root there. CAP_SETUID is needed (EPERM); an unmapped uid is EINVAL.
 */
export function setresuid(task: Task, uid: number): Task {
  const cred = credOf(task);
  const kuid = makeKuid(cred.userNs, uid);
  if (kuid === undefined) throw new KernelError("EINVAL");
  if (kuid !== task.uid && !nsCapable(cred, cred.userNs)) throw new KernelError("EPERM");
  return {
    host: task.host,
    net: netGet(task.net),
    uid: kuid,
    userNs: getUserNs(cred.userNs),
    flow: task.flow,
    ...(task.gid !== undefined ? { gid: task.gid } : {}),
  };
}

/**
 * setresgid(gid, gid, gid): a new task with that gid (netnest's user namespaces map gids as they
 * map uids). EPERM without CAP_SETGID in the task's user namespace.
 */
export function setresgid(task: Task, gid: number): Task {
  const cred = credOf(task);
  const kgid = makeKuid(cred.userNs, gid);
  if (kgid === undefined) throw new KernelError("EINVAL");
  if (kgid !== (task.gid ?? 0) && !nsCapable(cred, cred.userNs)) throw new KernelError("EPERM");
  return {
    host: task.host,
    net: netGet(task.net),
    uid: task.uid,
    userNs: getUserNs(cred.userNs),
    flow: task.flow,
    gid: kgid,
  };
}

/** The struct socket and file a socket() or accept() made: owned by the caller's fsuid and fsgid. */
function attachFile(owner: SkOwner, task: Task): void {
  owner.hasSocket = true;
  owner.fileCred = { uid: task.uid, gid: task.gid ?? 0 };
}

/** getuid(): the caller's uid as its own user namespace shows it. */
export function getuid(task: Task): number {
  return fromKuid(credOf(task).userNs, task.uid);
}

/** exit(): the task's hold on its namespaces goes. */
export function taskExit(task: Task): void {
  if (task.net !== task.host.initNet) netPut(task.net);
  if (task.userNs) putUserNs(task.userNs);
}

// --- links -------------------------------------------------------------------------------------

/** if_nametoindex */
export function devNameToIndex(task: Task, name: string): number {
  return devGetByName(task.net, name)?.ifindex ?? 0;
}

function devFor(task: Task, ifindex: number, ifname?: string): NetDevice {
  const dev = ifindex
    ? devGetByIndex(task.net, ifindex)
    : ifname !== undefined
      ? devGetByName(task.net, ifname)
      : undefined;
  if (!dev) throw new KernelError("ENODEV");
  return dev;
}

/** RTM_NEWLINK: create a device (rtnl_newlink with a kind) or change one (do_setlink). */
/**
 * NLM_F_ECHO (nlmsg_notify's report): runs the request and gives back the notifications it sent in
 * the task's namespace, each filled when it was sent.
 */
function echoTalk(task: Task, run: () => void): RtnlRecvMsg[] {
  task.host.rtnlFillers ??= RTNL_FILLERS;
  const echo: RtnlEcho = { net: task.net, caught: [] };
  const outer = task.host.rtnlEcho;
  task.host.rtnlEcho = echo;
  try {
    run();
  } finally {
    task.host.rtnlEcho = outer;
  }
  return echo.caught;
}

/**
 * RTM_NEWLINK. With NLM_F_ECHO, a created device's RTM_NEWLINK comes back (rtnl_configure_link
 * has the request's header; a veth's peer, registered first, has not); changing an existing
 * device echoes nothing.
 */
export function rtnlNewLink(task: Task, req: RtLinkReq): RtnlRecvMsg | undefined {
  const exists = req.ifindex !== 0 || (req.ifname !== undefined && task.net.devByName.has(req.ifname));
  if (!req.nlFlags.echo || exists) {
    rtnlNewLinkDo(task, req);
    return undefined;
  }
  const links = echoTalk(task, () => rtnlNewLinkDo(task, req)).filter((m) => m.kind === "link" && !m.deleted);
  // Without a name, the device registered last (its peer went first).
  const top = Math.max(...links.map((m) => (m.kind === "link" ? m.link.ifindex : 0)));
  return links.find(
    (m) =>
      m.kind === "link" && (req.ifname !== undefined ? m.link.ifname === req.ifname : m.link.ifindex === top),
  );
}

function rtnlNewLinkDo(task: Task, req: RtLinkReq): void {
  settle(task);
  netAdminCapable(task);
  // ifla_policy: IFLA_IFNAME is a string of at most IFNAMSIZ - 1 bytes.
  for (const name of [req.ifname, req.linkinfo?.peer?.ifname]) {
    if (name !== undefined && name.length >= 16)
      throw new KernelError("EINVAL", "Attribute failed policy validation");
  }
  const existing = req.ifindex
    ? devGetByIndex(task.net, req.ifindex)
    : req.ifname !== undefined
      ? devGetByName(task.net, req.ifname)
      : undefined;
  if (existing) {
    if (req.nlFlags.excl) throw new KernelError("EEXIST");
    if (req.linkinfo) stackedChangelink(existing, req.linkinfo);
    if (req.slaveInfo?.data) slaveChangelink(existing, req.slaveInfo.data);
    doSetlink(task, existing, req);
    return;
  }
  if (req.ifindex) throw new KernelError("ENODEV");
  // rtnl_group_changelink: no device named, a group given: every device of the group.
  if (!req.nlFlags.create && req.ifname === undefined && req.group !== undefined) {
    for (const dev of devicesByIndex(task.net)) if (dev.group === req.group) doSetlink(task, dev, req);
    return;
  }
  if (!req.nlFlags.create || !req.linkinfo) throw new KernelError("ENODEV");
  const info = req.linkinfo;
  switch (info.kind) {
    case "veth": {
      const net = req.netnsFd ? nsOf(req.netnsFd) : task.net;
      const peerNet = info.peer?.netnsFd ? nsOf(info.peer.netnsFd) : task.net;
      netAdminCapable(task, net);
      netAdminCapable(task, peerNet);
      const dev = vethNewlink({
        net,
        name: req.ifname,
        address: req.address,
        peerNet,
        peerName: info.peer?.ifname,
        peerAddress: info.peer?.address,
        peerMtu: info.peer?.mtu,
        peerTxqlen: info.peer?.txqlen,
      });
      dev.rtnlInitializing = true;
      if (req.mtu !== undefined) devSetMtu(dev, req.mtu);
      rtnlCreateLinkAttrs(dev, req);
      // rtnl_configure_link: the RTM_NEWLINK that announces the new device.
      rtmsgIfinfo(dev);
      if (req.change || req.flags) devChangeFlags(dev, req.flags, req.change);
      if (req.master !== undefined) setMaster(task, dev, req.master);
      return;
    }
    case "bridge": {
      // IFLA_NET_NS_FD / IFLA_NET_NS_PID: created right in that namespace (rtnl_link_get_net_capable).
      const net = req.netnsFd ? nsOf(req.netnsFd) : task.net;
      netAdminCapable(task, net);
      const dev = brDevNewlink({ net, name: req.ifname, address: req.address });
      // br_dev_newlink: br_changelink right after register_netdevice; a failure deletes the bridge.
      if (info.data) {
        try {
          brChangelink(bridgeOf(dev), info.data);
        } catch (err) {
          brDevDelete(dev);
          throw err;
        }
      }
      // rtnl_create_link sets the MTU as it is, without ndo_change_mtu.
      if (req.mtu !== undefined) {
        if (req.mtu < dev.minMtu || req.mtu > dev.maxMtu) {
          brDevDelete(dev);
          throw new KernelError(
            "EINVAL",
            req.mtu < dev.minMtu ? "mtu less than device minimum" : "mtu greater than device maximum",
          );
        }
        dev.mtu = req.mtu;
      }
      rtnlCreateLinkAttrs(dev, req);
      rtmsgIfinfo(dev);
      if (req.change || req.flags) devChangeFlags(dev, req.flags, req.change);
      if (req.master !== undefined) setMaster(task, dev, req.master);
      return;
    }
    case "dummy":
    case "macvlan":
    case "vlan":
    case "vxlan": {
      const net = req.netnsFd ? nsOf(req.netnsFd) : task.net;
      netAdminCapable(task, net);
      const dev = stackedNewlink(task, net, req, info);
      rtnlCreateLinkAttrs(dev, req);
      rtmsgIfinfo(dev);
      try {
        if (req.change || req.flags) devChangeFlags(dev, req.flags, req.change);
        if (req.master !== undefined) setMaster(task, dev, req.master);
      } catch (err) {
        // rtnl_newlink_create: a device that cannot be configured is unregistered again.
        unregisterNetdevice(dev);
        throw err;
      }
      return;
    }
    default:
      throw new KernelError("EOPNOTSUPP", "Unknown device type");
  }
}

/** The newlink of the stacked and virtual kinds (dummy, macvlan, vlan, vxlan). */
function stackedNewlink(task: Task, net: Net, req: RtLinkReq, info: LinkInfoReq): NetDevice {
  const base = { net, name: req.ifname, ...(req.address ? { address: req.address } : {}) };
  const mtu = req.mtu !== undefined ? { mtu: req.mtu } : {};
  // IFLA_LINK names a device of the requester's namespace (src_net).
  const link = req.link !== undefined ? { link: req.link } : {};
  switch (info.kind) {
    case "dummy": {
      const dev = dummyNewlink(base);
      if (req.mtu !== undefined) dev.mtu = req.mtu;
      return dev;
    }
    case "macvlan":
      return macvlanNewlink({ ...base, ...mtu, ...link, linkNet: task.net, ...info.data });
    case "vlan": {
      const vreq = { ...base, ...mtu, ...link, linkNet: task.net, ...info.data };
      vlanValidate(vreq, info.data !== undefined);
      return vlanNewlink(vreq);
    }
    case "vxlan": {
      const d = info.data ?? {};
      if (d.link !== undefined && !devGetByIndex(task.net, d.link))
        throw new KernelError("ENODEV", "Invalid local interface, device not found");
      return vxlanNewlink({ ...base, ...mtu, srcNet: task.net, cfg: { ...d } });
    }
    default:
      throw new KernelError("EOPNOTSUPP", "Unknown device type");
  }
}

/** rtnl_changelink's ops->changelink, for a request naming the device's own kind with data. */
function stackedChangelink(dev: NetDevice, info: LinkInfoReq): void {
  // Without IFLA_INFO_DATA the kind is not checked (__rtnl_newlink on an existing device).
  if (!("data" in info) || info.data === undefined) return;
  if (info.kind !== dev.ops.kind) throw new KernelError("EOPNOTSUPP");
  switch (info.kind) {
    case "macvlan":
      if (info.data) macvlanChangelink(dev, info.data);
      return;
    case "vlan":
      if (info.data) vlanChangelink(dev, info.data);
      return;
    case "vxlan":
      if (info.data) vxlanChangelink(dev, info.data);
      return;
    case "bridge":
      if (info.data) brChangelink(bridgeOf(dev), info.data);
      return;
    default:
      return;
  }
}

/** rtnl_changelink's IFLA_INFO_SLAVE_DATA: the master's slave_changelink (br_port_slave_changelink). */
function slaveChangelink(dev: NetDevice, data: BrPortReq): void {
  const p = brPortOf(dev);
  if (!p) throw new KernelError("EOPNOTSUPP");
  brSetport(p, data);
}

/** do_set_master with IFLA_MASTER's index, looked up in the device's namespace. */
function setMaster(_task: Task, dev: NetDevice, ifindex: number): void {
  let master: NetDevice | undefined;
  if (ifindex) {
    master = devGetByIndex(dev.net, ifindex);
    if (!master) throw new KernelError("EINVAL");
  }
  doSetMaster(dev, master);
}

/** rtnl_create_link: the attributes a new device takes as they are (no notifier runs yet). */
function rtnlCreateLinkAttrs(dev: NetDevice, req: RtLinkReq): void {
  if (req.txqlen !== undefined) dev.txqlen = req.txqlen;
  if (req.group !== undefined) dev.group = req.group;
  if (req.broadcast) dev.broadcast.set(req.broadcast.subarray(0, dev.broadcast.length));
  if (req.ifalias !== undefined) devSetAlias(dev, req.ifalias);
}

/** do_setlink, in the kernel's order: namespace, address, MTU, group, name, alias, broadcast, flags. */
function doSetlink(task: Task, dev: NetDevice, req: RtLinkReq): void {
  // validate_linkmsg: a link-layer address shorter than the device's is refused before anything.
  if (req.broadcast && req.broadcast.length < dev.broadcast.length) throw new KernelError("EINVAL");
  const rename = req.ifindex && req.ifname !== undefined && req.ifname !== dev.name ? req.ifname : undefined;
  if (req.netnsFd || req.netnsPid !== undefined) {
    const target = req.netnsFd ? nsOf(req.netnsFd) : netByPid(task, req.netnsPid as number);
    netAdminCapable(task, target);
    if (target !== dev.net) {
      const from = dev.net;
      devChangeNetNamespace(dev, target, rename);
      // The RTM_DELLINK in the old namespace carries IFLA_NEW_NETNSID.
      peernet2idAlloc(from, target);
    }
  }
  if (req.address) {
    devSetMacAddress(dev, req.address);
  }
  if (req.mtu !== undefined) devSetMtu(dev, req.mtu);
  // dev_set_group
  if (req.group !== undefined) dev.group = req.group;
  if (rename !== undefined && dev.name !== rename) devChangeName(dev, rename);
  if (req.ifalias !== undefined) devSetAlias(dev, req.ifalias);
  if (req.broadcast) {
    dev.broadcast.set(req.broadcast.subarray(0, dev.broadcast.length));
    callNetdevNotifiers("NETDEV_CHANGEADDR", dev);
  }
  if (req.change || req.flags) devChangeFlags(dev, req.flags, req.change);
  if (req.master !== undefined) setMaster(task, dev, req.master);
  if (req.txqlen !== undefined) dev.txqlen = req.txqlen;
}

/**
 * get_net_ns_by_pid. netnest keeps no process table: PID 1, the host's init (and `$$` of the
 * script, which the shell runs as PID 1), lives in the initial namespace; no other PID exists.
 */
function netByPid(task: Task, pid: number): Net {
  if (pid === 1) return task.host.initNet;
  const proc = task.host.processes.get(pid);
  if (proc) return proc.net;
  throw new KernelError("ESRCH");
}

/** The pids of the processes whose network namespace is `fd`'s, ascending (as /proc lists them). */
export function netnsPids(task: Task, fd: NsFd): number[] {
  const net = nsOf(fd);
  const pids = [...task.host.processes].filter(([, t]) => t.net === net).map(([pid]) => pid);
  if (net === task.host.initNet) pids.push(1);
  return pids.sort((a, b) => a - b);
}

/** RTM_DELLINK */
/** RTM_DELLINK; with NLM_F_ECHO (rtnl_delete_link) the device's RTM_DELLINK comes back. */
export function rtnlDelLink(
  task: Task,
  ifindex: number,
  opts: { readonly echo?: boolean } = {},
): RtnlRecvMsg | undefined {
  if (!opts.echo) {
    rtnlDelLinkDo(task, ifindex);
    return undefined;
  }
  return echoTalk(task, () => rtnlDelLinkDo(task, ifindex)).find(
    (m) => m.kind === "link" && m.deleted && m.link.ifindex === ifindex,
  );
}

function rtnlDelLinkDo(task: Task, ifindex: number): void {
  settle(task);
  netAdminCapable(task);
  const dev = devFor(task, ifindex);
  if (isBridge(dev)) {
    brDevDelete(dev);
    return;
  }
  if (isVeth(dev)) {
    vethDellink(dev);
    return;
  }
  // The stacked kinds clean up in their ndo_uninit, once unregistered.
  if (dev.ops.kind === "loopback") throw new KernelError("EOPNOTSUPP");
  unregisterNetdevice(dev);
}

/** RTM_NEWLINKPROP / RTM_DELLINKPROP (rtnl_linkprop): alternative names, one by one. */
export function rtnlLinkProp(task: Task, req: RtLinkPropReq): void {
  settle(task);
  const dev = devFor(task, req.ifindex);
  for (const name of req.altnames) {
    // ifla_policy: IFLA_ALT_IFNAME is a string of at most ALTIFNAMSIZ - 1 bytes.
    if (new TextEncoder().encode(name).length >= ALTIFNAMSIZ)
      throw new KernelError("EINVAL", "Attribute failed policy validation");
    if (req.kind === "RTM_NEWLINKPROP") netdevNameNodeAltCreate(dev, name);
    else netdevNameNodeAltDestroy(dev, name);
  }
}

/** The sizes no emulated driver changes: GSO_MAX_SIZE, GSO_MAX_SEGS, TSO_LEGACY_MAX_SIZE. */
const GSO_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;
const TSO_LEGACY_MAX_SIZE = 524280;
/** IPV6_MIN_MTU: below it a device (but lo) loses its inet6_dev, and with it IFLA_AF_SPEC's inet6. */
const IPV6_MIN_MTU = 1280;

function fillLink(net: Net, dev: NetDevice): RtLink {
  const iflink = devGetIflink(dev);
  const linkNet = dev.ops.getLinkNet?.(dev);
  return {
    ifindex: dev.ifindex,
    ifname: dev.name,
    type: dev.type,
    flags: devGetFlags(dev),
    mtu: dev.mtu,
    minMtu: dev.minMtu,
    maxMtu: dev.maxMtu,
    qdisc: dev.qdisc,
    operstate: devReportedOperstate(dev),
    linkmode: 0,
    group: dev.group,
    txqlen: dev.txqlen,
    address: dev.address.slice(),
    broadcast: dev.broadcast.slice(),
    // nla_put_iflink: forced when the link lives in another namespace.
    link: iflink !== dev.ifindex || (linkNet && linkNet !== dev.net) ? iflink : undefined,
    linkNetnsid: linkNet && linkNet !== dev.net ? peernet2idAlloc(net, linkNet) : undefined,
    infoKind: dev.ops.kind === "loopback" ? undefined : dev.ops.kind,
    ...linkInfoData(dev),
    slaveKind: dev.master?.ops.kind,
    ...linkSlaveData(dev),
    master: dev.master?.ifindex,
    carrierChanges: dev.carrierChanges,
    ...(dev.ifalias !== undefined ? { ifalias: dev.ifalias } : {}),
    ...(dev.altnames.length > 0 ? { altnames: [...dev.altnames] } : {}),
    promiscuity: dev.promiscuity,
    allmulti: dev.allmulti,
    numTxQueues: dev.numTxQueues,
    numRxQueues: dev.numRxQueues,
    gsoMaxSize: GSO_MAX_SIZE,
    gsoMaxSegs: GSO_MAX_SEGS,
    tsoMaxSize: isVxlan(dev)
      ? vxlanTsoMaxSize(dev)
      : isBridge(dev)
        ? bridgeOf(dev).tsoMaxSize
        : TSO_LEGACY_MAX_SIZE,
    tsoMaxSegs: GSO_MAX_SEGS,
    groMaxSize: GSO_MAX_SIZE,
    ...(dev.mtu >= IPV6_MIN_MTU || dev.type === ARPHRD_LOOPBACK
      ? { addrGenMode: IN6_ADDR_GEN_MODE_EUI64 }
      : {}),
    stats: {
      rxPackets: dev.stats.rxPackets,
      txPackets: dev.stats.txPackets,
      rxBytes: dev.stats.rxBytes,
      txBytes: dev.stats.txBytes,
      rxErrors: dev.stats.rxErrors,
      txErrors: dev.stats.txErrors,
      rxDropped: dev.stats.rxDropped,
      txDropped: dev.stats.txDropped,
      multicast: dev.stats.multicast,
      collisions: 0,
    },
  };
}

/** rtnl_link_fill's IFLA_INFO_DATA (ops->fill_info). */
function linkInfoData(dev: NetDevice): { infoData?: LinkInfoData } {
  if (isBridge(dev)) return { infoData: { kind: "bridge", ...brFillInfo(bridgeOf(dev)) } };
  if (isMacvlan(dev)) return { infoData: { kind: "macvlan", ...macvlanFillInfo(dev) } };
  if (isVlanDev(dev)) return { infoData: { kind: "vlan", ...vlanFillInfo(dev) } };
  if (isVxlan(dev)) {
    const { remote, local, link, ...cfg } = vxlanFillInfo(dev);
    return { infoData: { kind: "vxlan", ...cfg, remote, local, link } };
  }
  return {};
}

/** rtnl_link_slave_info_fill's IFLA_INFO_SLAVE_DATA (br_port_fill_slave_info). */
function linkSlaveData(dev: NetDevice): { slaveData?: RtBridgePortInfo } {
  const p = dev.master ? brPortOf(dev) : undefined;
  return p ? { slaveData: brPortFillAttrs(p) } : {};
}

/** RTM_GETLINK: one device, or (no ifindex) a dump in ifindex order. */
export function rtnlGetLink(task: Task, ifindex?: number): RtLink[] {
  settle(task);
  if (ifindex) return [fillLink(task.net, devFor(task, ifindex))];
  return devicesByIndex(task.net).map((dev) => fillLink(task.net, dev));
}

// --- addresses ---------------------------------------------------------------------------------

/** RTM_NEWADDR / RTM_DELADDR (inet_rtm_newaddr, inet_rtm_deladdr). */
/** RTM_NEWADDR / RTM_DELADDR; with NLM_F_ECHO the address's own notification (rtmsg_ifa with nlh). */
export function rtnlAddr(task: Task, req: RtAddrReq): RtnlRecvMsg | undefined {
  if (!req.nlFlags.echo) {
    rtnlAddrDo(task, req);
    return undefined;
  }
  return echoTalk(task, () => rtnlAddrDo(task, req)).find((m) => m.kind === "addr");
}

function rtnlAddrDo(task: Task, req: RtAddrReq): void {
  settle(task);
  netAdminCapable(task);
  if (req.family !== AF_INET && req.family !== AF_INET6) throw new KernelError("EAFNOSUPPORT");
  const dev = devFor(task, req.ifindex);
  if (req.family === AF_INET6) {
    if (req.kind === "RTM_DELADDR") inet6AddrDel(task.host.inet6, dev, req.local, req.prefixlen);
    else inet6AddrAdd(task.host.inet6, dev, req.local, req.prefixlen, req.flags ?? 0);
    return;
  }
  const inDev = dev.inDev;
  if (!inDev) throw new KernelError("ENODEV");
  if (req.prefixlen > 32) throw new KernelError("EINVAL");
  const local = bytesToIPv4(req.local);
  const address = req.address ? bytesToIPv4(req.address) : local;
  if (req.kind === "RTM_DELADDR") {
    const ifa = inDev.ifaList.find(
      (a) =>
        a.local === local &&
        (req.label === undefined || a.label === req.label) &&
        (!req.address || (a.prefixlen === req.prefixlen && ((a.address ^ address) & a.mask) === 0)),
    );
    if (!ifa) throw new KernelError("EADDRNOTAVAIL", "ipv4: Address not found");
    inetDelIfa(inDev, ifa);
    return;
  }
  let validLft = INFINITY_LIFE_TIME;
  let preferredLft = INFINITY_LIFE_TIME;
  if (req.cacheinfo) {
    if (!req.cacheinfo.valid || req.cacheinfo.preferred > req.cacheinfo.valid)
      throw new KernelError("EINVAL", "ipv4: address lifetime invalid");
    validLft = req.cacheinfo.valid;
    preferredLft = req.cacheinfo.preferred;
  }
  // rtm_to_ifaddr: the device's devconf stops following conf.default.
  ipv4DevconfSetall(inDev);
  const mask = prefixMask(req.prefixlen);
  const existing = inDev.ifaList.find(
    (a) => a.mask === mask && a.local === local && ((a.address ^ address) & mask) === 0,
  );
  if (existing) {
    if (req.nlFlags.excl || !req.nlFlags.replace)
      throw new KernelError("EEXIST", "ipv4: Address already assigned");
    setIfaLifetime(task.net, existing, validLft, preferredLft);
    addrChkKick(task.net);
    return;
  }
  const ifa: InIfaddr = makeIfaddr({
    local,
    address,
    prefixlen: req.prefixlen,
    broadcast: req.broadcast ? bytesToIPv4(req.broadcast) : 0,
    scope: req.scope,
    flags: (req.flags ?? 0) & ~(IFA_F_SECONDARY | IFA_F_PERMANENT | IFA_F_DEPRECATED),
    label: req.label ?? dev.name,
  });
  setIfaLifetime(task.net, ifa, validLft, preferredLft);
  inetInsertIfa(inDev, ifa);
  addrChkKick(task.net);
}

/** RTM_GETADDR dump: devices in ifindex order, each device's addresses in list order. */
/** inet_fill_ifaddr */
function fillAddr(net: Net, dev: NetDevice, ifa: InIfaddr): RtAddr {
  const left = ifaLifetimesLeft(net, ifa);
  return {
    family: AF_INET,
    prefixlen: ifa.prefixlen,
    ifindex: dev.ifindex,
    scope: ifa.scope,
    flags: ifa.flags,
    local: ipv4ToBytes(ifa.local),
    address: ipv4ToBytes(ifa.address),
    broadcast: ifa.broadcast ? ipv4ToBytes(ifa.broadcast) : undefined,
    label: ifa.label,
    validLft: left.valid,
    preferredLft: left.preferred,
  };
}

export function rtnlGetAddrs(task: Task): RtAddr[] {
  settle(task);
  const out: RtAddr[] = [];
  for (const dev of devicesByIndex(task.net)) {
    for (const ifa of dev.inDev?.ifaList ?? []) out.push(fillAddr(task.net, dev, ifa));
  }
  // rtnl_dump_all walks families in order: PF_INET, then PF_INET6.
  for (const dev of devicesByIndex(task.net)) {
    for (const ifa of inet6Addresses(task.host.inet6, dev)) {
      out.push({
        family: AF_INET6,
        prefixlen: ifa.prefixlen,
        ifindex: dev.ifindex,
        scope: ifa.scope,
        flags: ifa.flags,
        local: ifa.addr.slice(),
        address: ifa.addr.slice(),
        validLft: INFINITY_LIFE_TIME,
        preferredLft: INFINITY_LIFE_TIME,
      });
    }
  }
  return out;
}

// --- routes ------------------------------------------------------------------------------------

/** fib_create_info + fib_check_nh for a configured route. */
function fibCreateInfo(task: Task, req: RtRouteReq, table: number): FibAlias {
  const net = task.net;
  if (req.scope > RT_SCOPE_HOST) throw new KernelError("EINVAL", "Invalid scope");
  const dst = req.dst ? bytesToIPv4(req.dst) : 0;
  if (req.dstLen > 32) throw new KernelError("EINVAL", "Invalid prefix length");
  if ((dst & ~prefixMask(req.dstLen)) >>> 0 !== 0)
    throw new KernelError("EINVAL", "Invalid prefix for given prefix length");
  const gw = req.gateway ? bytesToIPv4(req.gateway) : 0;
  const prefsrc = req.prefsrc ? bytesToIPv4(req.prefsrc) : 0;
  const errorType =
    req.type === RTN_BLACKHOLE ||
    req.type === RTN_UNREACHABLE ||
    req.type === RTN_PROHIBIT ||
    req.type === RTN_THROW;
  let nh: FibNh | undefined;
  let nhs: FibNh[] | undefined;
  if (!errorType && req.multipath && req.multipath.length > 0) {
    // fib_get_nhs: each rtnexthop checked as a route of its own (fib_check_nh).
    nhs = req.multipath.map((rtnh) => {
      const one = fibCreateInfo(
        task,
        {
          ...req,
          multipath: undefined,
          oif: rtnh.oif || undefined,
          gateway: rtnh.gateway,
          flags: rtnh.flags,
        },
        table,
      ).fi.nh as FibNh;
      return { ...one, weight: rtnh.weight };
    });
    nh = nhs[0];
    if (nhs.length === 1) nhs = undefined;
  } else if (!errorType) {
    const oifDev = req.oif ? devGetByIndex(net, req.oif) : undefined;
    if (req.oif && !oifDev) throw new KernelError("ENODEV", "Nexthop device not found");
    if (req.scope === RT_SCOPE_HOST) {
      if (gw) throw new KernelError("EINVAL", "Route with host scope can not have a gateway");
      if (!oifDev) throw new KernelError("ENODEV", "Nexthop device required for onlink");
      nh = { dev: oifDev, gw: 0, scope: RT_SCOPE_NOWHERE, flags: 0 };
    } else if (gw) {
      if (req.flags !== undefined && req.flags & RTNH_F_ONLINK) {
        if (!oifDev) throw new KernelError("EINVAL", "Nexthop device required for onlink");
        if (!(oifDev.flags & IFF_UP)) throw new KernelError("ENETDOWN", "Nexthop device is not up");
        nh = { dev: oifDev, gw, scope: RT_SCOPE_LINK, flags: RTNH_F_ONLINK };
      } else {
        // fib_check_nh_v4_gw: the gateway must be reachable on link through a unicast or local route.
        const scope = Math.max(req.scope + 1, RT_SCOPE_LINK);
        const res = fibLookup(net, { daddr: gw, oif: req.oif, scope });
        if (res instanceof KernelError) throw new KernelError(res.errno, "Nexthop has invalid gateway");
        if (res.type !== RTN_UNICAST && res.type !== RTN_LOCAL)
          throw new KernelError("EINVAL", "Nexthop has invalid gateway");
        const dev = res.type === RTN_LOCAL ? (oifDev ?? res.fi.nh?.dev) : res.fi.nh?.dev;
        if (!dev) throw new KernelError("EINVAL", "No egress device for nexthop gateway");
        if (!(dev.flags & IFF_UP)) throw new KernelError("ENETDOWN", "Nexthop device is not up");
        nh = { dev, gw, scope: res.scope, flags: 0 };
      }
    } else {
      // fib_check_nh_nongw: __dev_get_by_index of no device.
      if (!oifDev) throw new KernelError("ENODEV");
      if (!(oifDev.flags & IFF_UP)) throw new KernelError("ENETDOWN", "Device for nexthop is not up");
      nh = { dev: oifDev, gw: 0, scope: RT_SCOPE_HOST, flags: 0 };
    }
  }
  if (prefsrc) {
    const valid =
      ipDevFind(net, prefsrc) !== undefined ||
      (req.type === RTN_LOCAL && prefsrc === dst && req.dstLen === 32);
    if (!valid) throw new KernelError("EINVAL", "Invalid prefsrc address");
  }
  return {
    table,
    dst,
    dstLen: req.dstLen,
    tos: req.tos,
    type: req.type,
    // One shape for every fib_info (no spreads), shared between identical routes (fib_find_info).
    fi: fibFindInfo(net, {
      protocol: req.protocol,
      scope: req.scope,
      priority: req.priority ?? 0,
      prefsrc,
      nh,
      nhs,
      metrics: req.metrics ? ipMetricsConvert(req.metrics) : undefined,
    }),
  };
}

/** ip_metrics_convert: the mtu is capped at 65535 - 15 and advmss at 65535 - 40. */
function ipMetricsConvert(m: RtMetrics): RtMetrics {
  return {
    ...(m.lock ? { lock: m.lock } : {}),
    ...(m.mtu ? { mtu: Math.min(m.mtu, 65535 - 15) } : {}),
    ...(m.advmss ? { advmss: Math.min(m.advmss, 65535 - 40) } : {}),
  };
}

/** RTM_NEWROUTE / RTM_DELROUTE (inet_rtm_newroute, inet_rtm_delroute). */
/** RTM_NEWROUTE / RTM_DELROUTE; with NLM_F_ECHO the route's own rtmsg_fib (not the ones it causes). */
export function rtnlRoute(task: Task, req: RtRouteReq): RtnlRecvMsg | undefined {
  if (!req.nlFlags.echo) {
    rtnlRouteDo(task, req);
    return undefined;
  }
  return echoTalk(task, () => rtnlRouteDo(task, req)).find((m) => m.kind === "route");
}

function rtnlRouteDo(task: Task, req: RtRouteReq): void {
  settle(task);
  netAdminCapable(task);
  if (req.family !== AF_INET) throw new KernelError("EAFNOSUPPORT");
  const table = req.table === RT_TABLE_UNSPEC ? RT_TABLE_MAIN : req.table;
  if (req.kind === "RTM_DELROUTE") {
    const tb = fibGetTable(task.net, table);
    if (!tb) throw new KernelError("ESRCH", "FIB table does not exist");
    const gone = fibTableDelete(tb, {
      dst: req.dst ? bytesToIPv4(req.dst) : 0,
      dstLen: req.dstLen,
      tos: req.tos,
      type: req.type || undefined,
      scope: req.scope,
      protocol: req.protocol,
      prefsrc: req.prefsrc ? bytesToIPv4(req.prefsrc) : undefined,
      priority: req.priority,
      oif: req.oif,
      gw: req.gateway ? bytesToIPv4(req.gateway) : undefined,
      multipath: req.multipath?.map((rtnh) => ({
        oif: rtnh.oif || undefined,
        gw: rtnh.gateway ? bytesToIPv4(rtnh.gateway) : undefined,
      })),
    });
    // fib_table_delete: rt_cache_flush
    rtCacheFlush(task.net);
    rtnlNotify(task.net, { kind: "route", deleted: true, fa: gone });
    return;
  }
  // inet_rtm_newroute creates the table before it looks at the route, so a refused route leaves it.
  const tb = fibNewTable(task.net, table);
  const fa = fibCreateInfo(task, req, table);
  fibTableInsert(tb, fa, req.nlFlags);
  // fib_table_insert: rt_cache_flush
  rtCacheFlush(task.net);
  rtnlNotify(task.net, { kind: "route", deleted: false, fa });
}

function fillRoute(fa: FibAlias): RtRoute {
  const fi = fa.fi;
  // fib_dump_info: a multipath route reports its next hops in RTA_MULTIPATH only.
  if (fi.nhs) {
    const {
      flags: _flags,
      gateway: _gateway,
      oif: _oif,
      ...rest
    } = fillRoute({ ...fa, fi: { ...fi, nhs: undefined } });
    return {
      ...rest,
      flags: 0,
      multipath: fi.nhs.map((nh) => ({
        weight: nh.weight ?? 1,
        flags: fibNhFlags(nh),
        oif: nh.dev.ifindex,
        ...(nh.gw ? { gateway: ipv4ToBytes(nh.gw) } : {}),
      })),
    };
  }
  return {
    family: AF_INET,
    dstLen: fa.dstLen,
    srcLen: 0,
    tos: fa.tos,
    table: fa.table,
    protocol: fi.protocol,
    scope: fi.scope,
    type: fa.type,
    flags: fi.nh ? fibNhFlags(fi.nh) : 0,
    dst: fa.dstLen > 0 ? ipv4ToBytes(fa.dst) : undefined,
    gateway: fi.nh?.gw ? ipv4ToBytes(fi.nh.gw) : undefined,
    oif: fi.nh?.dev.ifindex,
    prefsrc: fi.prefsrc ? ipv4ToBytes(fi.prefsrc) : undefined,
    priority: fi.priority || undefined,
    ...(fi.metrics && (fi.metrics.lock || fi.metrics.mtu || fi.metrics.advmss)
      ? { metrics: fi.metrics }
      : {}),
  };
}

/**
 * RTM_GETROUTE dump: every table, or (with `table`) one, ENOENT when it does not exist. With
 * `cloned` (RTM_F_CLONED in the request) the routes' next-hop exceptions instead of the routes.
 */
export function rtnlGetRoutes(
  task: Task,
  filter: { readonly table?: number; readonly cloned?: boolean } = {},
): RtRoute[] {
  settle(task);
  const fill = filter.cloned
    ? (fa: FibAlias) => fillExceptions(task.net, fa)
    : (fa: FibAlias) => [fillRoute(fa)];
  if (filter.table !== undefined && filter.table !== RT_TABLE_UNSPEC) {
    const tb = fibGetTable(task.net, filter.table);
    // Observed on Linux 6.18: a dump of a main table no route has created yet is empty, while
    // any other missing table (local included) is an error.
    if (!tb && filter.table === RT_TABLE_MAIN) return [];
    if (!tb) throw new KernelError("ENOENT", "ipv4: FIB table does not exist");
    return fibTableDump(tb).flatMap(fill);
  }
  // inet6_dump_fib: the IPv6 routes follow (a dump asks one family; iproute2 filters by family).
  if (filter.cloned) return fibDumpAll(task.net).flatMap(fill);
  return [...fibDumpAll(task.net).flatMap(fill), ...inet6RouteDump(task.net)];
}

/**
 * fib_dump_info_fnhe -> rt_fill_info(fnhe_daddr, no flow): each exception of the route's next
 * hops as a /32 clone with the redirect's gateway, its expiry and learned MTU.
 */
function fillExceptions(net: Net, fa: FibAlias): RtRoute[] {
  const nhs = fa.fi.nhs ?? (fa.fi.nh ? [fa.fi.nh] : []);
  const now = jiffiesOf(net.host.clock.now);
  return nhs.flatMap((nh) =>
    fnheDump(net, nh).map(({ daddr, fnhe }): RtRoute => {
      const left = fnhe.expires > now ? fnhe.expires - now : 0;
      const gw = fnhe.gw || nh.gw;
      return {
        family: AF_INET,
        dstLen: 32,
        srcLen: 0,
        tos: 0,
        table: fa.table,
        protocol: 0,
        scope: 0,
        type: fa.type,
        flags: RTM_F_CLONED | (fnhe.gw ? RTCF_REDIRECTED : 0),
        dst: ipv4ToBytes(daddr),
        gateway: gw ? ipv4ToBytes(gw) : undefined,
        oif: nh.dev.ifindex,
        cache: { expires: Math.floor((left * 4) / 10), error: 0 },
        ...(fnhe.pmtu && left
          ? { metrics: { mtu: fnhe.pmtu, ...(fnhe.mtuLocked ? { lock: 1 << RTAX_MTU } : {}) } }
          : {}),
      };
    }),
  );
}

/** RTM_GETROUTE for one address (inet_rtm_getroute): the route a packet would take now. */
export function rtnlGetRoute(task: Task, req: RtRouteGetReq): RtRoute {
  settle(task);
  const net = task.net;
  const daddr = bytesToIPv4(req.dst);
  const saddr = req.src ? bytesToIPv4(req.src) : 0;
  let rt: ReturnType<typeof ipRouteOutputKey> | ReturnType<typeof ipRouteInput>;
  if (req.iif) {
    const dev = devGetByIndex(net, req.iif);
    if (!dev) throw new KernelError("ENODEV");
    rt = ipRouteInput(dev, daddr, saddr, req.tos ?? 0, {
      mark: req.mark,
      proto: req.ipProto,
      sport: req.sport,
      dport: req.dport,
    });
    if (typeof rt === "string") throw new KernelError("EINVAL");
    if (rt.error) throw rt.error;
  } else {
    rt = ipRouteOutputKey(net, {
      daddr,
      saddr: saddr || undefined,
      oif: req.oif,
      tos: req.tos,
      mark: req.mark,
      uid: req.uid ?? task.uid,
      proto: req.ipProto,
      sport: req.sport,
      dport: req.dport,
    });
    if (rt instanceof KernelError) throw rt;
  }
  // rt_fill_info: dst.expires as jiffies left (0 once passed), reported in USER_HZ; a live
  // exception overrides the route's mtu metric and may lock it.
  const now = jiffiesOf(net.host.clock.now);
  const expires = rt.expires !== undefined && rt.expires > now ? rt.expires - now : 0;
  const fibMetrics = rt.fib?.fi.metrics;
  const metrics: RtMetrics = {
    ...fibMetrics,
    ...(rt.pmtu && expires ? { mtu: rt.pmtu } : {}),
    ...(rt.mtuLocked && expires ? { lock: (fibMetrics?.lock ?? 0) | (1 << RTAX_MTU) } : {}),
  };
  return {
    family: AF_INET,
    dstLen: 32,
    srcLen: req.src ? 32 : 0,
    // rtm_tos is the tos of the route the lookup found (res.dscp), not the one asked about.
    tos: rt.fib?.tos ?? 0,
    // iproute2 asks with RTM_F_LOOKUP_TABLE: the table the lookup ended in (res.table), 0 when
    // no table was consulted. Until a rule is configured, local and main are one merged table.
    table: rt.fib
      ? rt.fib.table === RT_TABLE_LOCAL && !net.ipv4.fibHasCustomRules
        ? RT_TABLE_MAIN
        : rt.fib.table
      : 0,
    protocol: 0,
    scope: 0,
    type: rt.type,
    flags: rt.flags & (RTCF_LOCAL | RTCF_BROADCAST | RTCF_REDIRECTED | RTCF_DOREDIRECT),
    dst: req.dst.slice(),
    src: req.src?.slice(),
    gateway: rt.gateway ? ipv4ToBytes(rt.gateway) : undefined,
    oif: rt.dev.ifindex,
    iif: req.iif,
    // rt_fill_info: an output route reports its source only when it differs from the one asked for.
    prefsrc: !req.iif && rt.src && rt.src !== saddr ? ipv4ToBytes(rt.src) : undefined,
    // An input lookup without RTA_UID carries INVALID_UID, which rt_fill_info leaves out.
    mark: req.mark || undefined,
    uid: req.uid ?? (req.iif ? undefined : task.uid),
    cache: { expires: Math.floor((expires * 4) / 10), error: 0 },
    ...(metrics.lock || metrics.mtu || metrics.advmss ? { metrics } : {}),
  };
}

// --- neighbours ----------------------------------------------------------------------------------

const NUD_NAMES: readonly (readonly [number, NudState])[] = [
  [NUD_INCOMPLETE, "INCOMPLETE"],
  [NUD_REACHABLE, "REACHABLE"],
  [NUD_STALE, "STALE"],
  [NUD_DELAY, "DELAY"],
  [NUD_PROBE, "PROBE"],
  [NUD_FAILED, "FAILED"],
  [NUD_NOARP, "NOARP"],
  [NUD_PERMANENT, "PERMANENT"],
];

function nudFromNumber(state: number): NudState | undefined {
  return NUD_NAMES.find(([bit]) => bit === state)?.[1];
}

function nudToNumber(state: NudState): number {
  return NUD_NAMES.find(([, name]) => name === state)?.[0] ?? NUD_NONE;
}

/** RTM_NEWNEIGH / RTM_DELNEIGH for ARP (neigh_add, neigh_delete). */
export function rtnlNeigh(task: Task, req: RtNeighReq): void {
  settle(task);
  netAdminCapable(task);
  if (req.family !== AF_INET) throw new KernelError("EAFNOSUPPORT");
  const dev = devFor(task, req.ifindex);
  if (req.dst.length !== 4) throw new KernelError("EINVAL", "Invalid network address");
  const key = bytesToIPv4(req.dst);
  const existing = neighLookupCounted(dev, key);
  if (req.kind === "RTM_DELNEIGH") {
    if (!existing) throw new KernelError("ENOENT");
    neighRemove(existing);
    return;
  }
  // A longer address is cut to the device's length; a shorter one is refused.
  if (req.lladdr && req.lladdr.length < dev.address.length)
    throw new KernelError("EINVAL", "Invalid link address");
  const lladdr = req.lladdr?.slice(0, dev.address.length);
  const state = req.state === NUD_NONE ? "NONE" : nudFromNumber(req.state);
  if (!state) throw new KernelError("EINVAL", "Invalid neighbor state");
  if (existing && req.nlFlags.excl) throw new KernelError("EEXIST");
  if (!existing && !req.nlFlags.create) throw new KernelError("ENOENT");
  // The entry is created before its update is checked, so a refused update leaves it behind.
  // neigh_add: a permanent entry is exempt from gc; any other counts against gc_thresh3.
  const neigh = existing ?? arpNeighFor(dev, key, { exemptFromGc: req.state === NUD_PERMANENT });
  if (!neigh) throw new KernelError("ENOBUFS");
  neighAdminUpdate(neigh, state, lladdr);
  neigh.flags = req.flags & NTF_ROUTER;
}

/** RTM_GETNEIGH dump of the ARP table. */
export function rtnlGetNeigh(task: Task): RtNeigh[] {
  settle(task);
  return neighDump(task.net.ipv4.neighbours).map((n) => fillNeigh(task.net, n));
}

/** neigh_fill_info */
function fillNeigh(net: Net, n: Neighbour): RtNeigh {
  const now = net.host.clock.now;
  const ticks = (t: number) => Math.floor((now - t) / 10_000_000);
  return {
    family: AF_INET,
    ifindex: n.dev.ifindex,
    state: nudToNumber(n.state),
    flags: n.flags,
    dst: ipv4ToBytes(n.key),
    lladdr: n.ha && n.state !== "INCOMPLETE" && n.state !== "FAILED" ? n.ha.slice() : undefined,
    cacheinfo: {
      confirmed: ticks(n.confirmed),
      used: ticks(n.used),
      updated: ticks(n.updated),
      refcnt: neighTimerPending(n) ? 1 : 0,
    },
    probes: n.probes,
  };
}

// --- neighbour tables (ip ntable) --------------------------------------------------------------

/** jiffies_to_msecs */
function jiffiesToMsecs(j: number): number {
  return j * (JIFFY_NS / 1_000_000);
}

/** nla_get_msecs: msecs_to_jiffies, rounding up. */
function msecsToJiffies(ms: number): number {
  return Math.ceil((ms * 1_000_000) / JIFFY_NS);
}

/** neightbl_fill_parms */
function fillNeighParms(p: NeighParms): RtNeighTblParms {
  const d = { ...p.base, ...p.over };
  return {
    ...(p.dev ? { ifindex: p.dev.ifindex } : {}),
    refcnt: p.refcnt,
    queueLenBytes: d.QUEUE_LEN_BYTES,
    queueLen: Math.trunc(d.QUEUE_LEN_BYTES / SKB_TRUESIZE_ETH_FRAME),
    proxyQlen: d.PROXY_QLEN,
    appProbes: d.APP_PROBES,
    ucastProbes: d.UCAST_PROBES,
    mcastProbes: d.MCAST_PROBES,
    mcastReprobes: d.MCAST_REPROBES,
    reachableTime: jiffiesToMsecs(p.reachableTime),
    baseReachableTime: jiffiesToMsecs(d.BASE_REACHABLE_TIME),
    gcStaletime: jiffiesToMsecs(d.GC_STALETIME),
    delayProbeTime: jiffiesToMsecs(d.DELAY_PROBE_TIME),
    retransTime: jiffiesToMsecs(d.RETRANS_TIME),
    anycastDelay: jiffiesToMsecs(d.ANYCAST_DELAY),
    proxyDelay: jiffiesToMsecs(d.PROXY_DELAY),
    locktime: jiffiesToMsecs(d.LOCKTIME),
    intervalProbeTimeMs: jiffiesToMsecs(d.INTERVAL_PROBE_TIME_MS),
  };
}

/**
 * RTM_GETNEIGHTBL dump (neightbl_dump_info): per table of the family asked (AF_UNSPEC: all; here
 * arp_cache only), the table itself, machine-wide, then the parms of the caller's namespace's
 * devices, newest first.
 */
export function rtnlGetNeighTbl(task: Task, family: number): RtNeighTbl[] {
  settle(task);
  const tbl = task.host.arpTbl;
  if (family && family !== tbl.family) return [];
  const now = task.host.clock.now;
  const jiffies = (ns: number) => Math.floor(ns / JIFFY_NS);
  const s = tbl.stats;
  const out: RtNeighTbl[] = [
    {
      family: tbl.family,
      name: tbl.id,
      gcInterval: jiffiesToMsecs(tbl.gcInterval),
      thresh1: tbl.gcThresh1,
      thresh2: tbl.gcThresh2,
      thresh3: tbl.gcThresh3,
      config: {
        keyLen: tbl.keyLen,
        entrySize: tbl.entrySize,
        entries: tbl.entries,
        lastFlush: jiffiesToMsecs(jiffies(now) - jiffies(tbl.lastFlush)) >>> 0,
        lastRand: jiffiesToMsecs(jiffies(now) - jiffies(tbl.lastRand)) >>> 0,
        hashRnd: tbl.hashRnd,
        hashMask: (1 << tbl.hashShift) - 1,
        hashChainGc: 0,
        proxyQlen: 0,
      },
      stats: { ...s },
      parms: fillNeighParms(tbl.parms),
    },
  ];
  for (const p of neighParmsOf(task.net)) {
    out.push({ family: tbl.family, name: tbl.id, parms: fillNeighParms(p) });
  }
  return out;
}

/**
 * RTM_SETNEIGHTBL (neightbl_set): a device's parms from its own namespace, the table's defaults
 * and gc knobs only from the initial one (ENOENT elsewhere, after any parms were set).
 */
export function rtnlSetNeighTbl(task: Task, req: RtNeighTblReq): void {
  settle(task);
  netAdminCapable(task);
  if (req.name === undefined) throw new KernelError("EINVAL");
  const tbl = task.host.arpTbl;
  if ((req.family && req.family !== tbl.family) || req.name !== tbl.id) throw new KernelError("ENOENT");
  const initNet = task.host.initNet;
  if (req.parms) {
    const ifindex = req.parms.ifindex ?? 0;
    // lookup_neigh_parms
    const p = ifindex
      ? devGetByIndex(task.net, ifindex)?.inDev?.arpParms
      : task.net === initNet
        ? tbl.parms
        : undefined;
    if (!p) throw new KernelError("ENOENT");
    const q = req.parms;
    const set = (v: NeighVar, value: number | undefined) => {
      if (value !== undefined) neighParmsSet(tbl, p, v, value >>> 0);
    };
    if (q.queueLen !== undefined) set("QUEUE_LEN_BYTES", (q.queueLen * SKB_TRUESIZE_ETH_FRAME) >>> 0);
    set("QUEUE_LEN_BYTES", q.queueLenBytes);
    set("PROXY_QLEN", q.proxyQlen);
    set("APP_PROBES", q.appProbes);
    set("UCAST_PROBES", q.ucastProbes);
    set("MCAST_PROBES", q.mcastProbes);
    set("MCAST_REPROBES", q.mcastReprobes);
    const ms = (v: NeighVar, value: number | undefined) => {
      if (value !== undefined) neighParmsSet(tbl, p, v, msecsToJiffies(value));
    };
    ms("BASE_REACHABLE_TIME", q.baseReachableTime);
    ms("GC_STALETIME", q.gcStaletime);
    ms("DELAY_PROBE_TIME", q.delayProbeTime);
    ms("INTERVAL_PROBE_TIME_MS", q.intervalProbeTimeMs);
    ms("RETRANS_TIME", q.retransTime);
    ms("ANYCAST_DELAY", q.anycastDelay);
    ms("PROXY_DELAY", q.proxyDelay);
    ms("LOCKTIME", q.locktime);
  }
  const global =
    req.thresh1 !== undefined ||
    req.thresh2 !== undefined ||
    req.thresh3 !== undefined ||
    req.gcInterval !== undefined;
  if (global && task.net !== initNet) throw new KernelError("ENOENT");
  if (req.thresh1 !== undefined) tbl.gcThresh1 = req.thresh1 >>> 0;
  if (req.thresh2 !== undefined) tbl.gcThresh2 = req.thresh2 >>> 0;
  if (req.thresh3 !== undefined) tbl.gcThresh3 = req.thresh3 >>> 0;
  if (req.gcInterval !== undefined) tbl.gcInterval = msecsToJiffies(req.gcInterval);
  neighPeriodicArm(tbl, task.host);
}

// --- rtnetlink multicast (ip monitor) ----------------------------------------------------------

/** inet_netconf_fill_devconf with NETCONFA_ALL. */
function fillNetconf(dev: NetDevice): RtNetconf {
  const cnf = dev.inDev?.cnf ?? dev.net.ipv4.devconfDflt;
  return {
    ifindex: dev.ifindex,
    forwarding: cnf.forwarding,
    rpFilter: cnf.rp_filter,
    mcForwarding: 0,
    proxyNeigh: cnf.proxy_arp,
    ignoreRoutesWithLinkdown: 0,
  };
}

const RTNL_FILLERS: RtnlFillers = {
  link: fillLink,
  addr: fillAddr,
  route: fillRoute,
  neigh: fillNeigh,
  netconf: fillNetconf,
};

/** socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) + bind(nl_groups): a listener in the task's namespace. */
export function rtnlListen(task: Task, groups: readonly RtnlGroup[]): RtnlSock {
  settle(task);
  task.host.rtnlFillers ??= RTNL_FILLERS;
  const sk: RtnlSock = { net: netGet(task.net), groups: new Set(groups), queue: [] };
  task.net.rtnlSocks ??= new Set();
  task.net.rtnlSocks.add(sk);
  return sk;
}

/**
 * setsockopt(NETLINK_LISTEN_ALL_NSID, 1): CAP_NET_BROADCAST over the socket's namespace (EPERM).
 * Each message then carries the nsid of the namespace it comes from, when the listener's has one.
 */
export function rtnlListenAllNsid(task: Task, sk: RtnlSock): void {
  if (!nsCapable(credOf(task), sk.net.userNs)) throw new KernelError("EPERM");
  sk.allNsid = true;
  task.host.rtnlListenAllNsid ??= new Set();
  task.host.rtnlListenAllNsid.add(sk);
}

/** recvmsg on a listener: the next notification, waiting for one until `deadlineNs`. */
export async function rtnlRecv(
  task: Task,
  sk: RtnlSock,
  deadlineNs?: number,
): Promise<RtnlRecvMsg | undefined> {
  if (sk.queue.length === 0) {
    await task.host.sched.wait(() => sk.queue.length > 0, {
      ...(deadlineNs !== undefined ? { deadline: deadlineNs } : {}),
      exclusive: true,
      flow: task.flow,
    });
  }
  return sk.queue.shift();
}

export function rtnlClose(task: Task, sk: RtnlSock): void {
  task.host.rtnlListenAllNsid?.delete(sk);
  if (!sk.net.rtnlSocks?.delete(sk)) return;
  netPut(sk.net);
}

/**
 * socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER) + bind(1 << (NFNLGRP_NFTRACE - 1)): receives
 * the nf_tables traces of the task's namespace. Binding to a multicast group needs CAP_NET_ADMIN
 * there (nfnetlink_bind).
 */
export function nfnlTraceListen(task: Task): NfnlTraceSock {
  netAdminCapable(task);
  settle(task);
  return nfnlTraceBind(netGet(task.net));
}

/** recvmsg on that socket: the next trace, waiting for one. */
export async function nfnlTraceRecv(task: Task, sk: NfnlTraceSock): Promise<NftTraceMsg> {
  if (sk.queue.length === 0)
    await task.host.sched.wait(() => sk.queue.length > 0, { exclusive: true, flow: task.flow });
  return sk.queue.shift() as NftTraceMsg;
}

export function nfnlTraceClose(_task: Task, sk: NfnlTraceSock): void {
  if (nfnlTraceUnbind(sk)) netPut(sk.net);
}

// --- sysctl (/proc/sys) ------------------------------------------------------------------------

/** /proc/sys/user is the caller's user namespace's (kernel/ucount.c); the rest, its netns's. */
function isUserSysctl(path: string): boolean {
  return path === "user" || path.startsWith("user/");
}

export function sysctlRead(task: Task, path: string): string {
  if (isUserSysctl(path)) return userSysctlRead(credOf(task).userNs, path);
  return sysctl.sysctlRead(task.net, path);
}

/**
 * net_ctl_permissions: CAP_NET_ADMIN over the namespace, or the euid of its owning user
 * namespace's root, gets the owner's mode bits; anyone else the others' bits, so open(O_WRONLY)
 * fails with EACCES. devinet_sysctl_forward checks CAP_NET_ADMIN again on write (EPERM).
 */
export function sysctlWrite(task: Task, path: string, value: string): void {
  if (isUserSysctl(path)) {
    userSysctlWrite(credOf(task), path, value);
    return;
  }
  const capable = nsCapable(credOf(task), task.net.userNs);
  if (!capable && task.uid !== task.net.userNs.rootKuid && sysctl.sysctlList(task.net).includes(path))
    throw new KernelError("EACCES");
  if (!capable && /^net\/ipv4\/(ip_forward|conf\/[^/]+\/forwarding)$/.test(path))
    throw new KernelError("EPERM");
  sysctl.sysctlWrite(task.net, path, value);
}

export function sysctlList(task: Task): string[] {
  return [...sysctl.sysctlList(task.net), ...userSysctlList()];
}

/** stat's permission bits of a /proc/sys entry (proc_sys_getattr: the table entry's mode). */
export function sysctlMode(task: Task, path: string): number {
  if (isUserSysctl(path)) return 0o644;
  return sysctl.sysctlMode(task.net, path);
}

// --- time --------------------------------------------------------------------------------------

/** CLOCK_MONOTONIC in nanoseconds. */
export function clockGettime(task: Task): number {
  return task.host.clock.now;
}

/**
 * clock_gettime(CLOCK_REALTIME) / gettimeofday, in microseconds since the epoch (a whole number:
 * a double holds today's µs exactly, not its ns). It moves with the virtual clock.
 */
export function clockGettimeRealtime(task: Task): number {
  return task.host.bootRealtimeUs + Math.floor(task.host.clock.now / 1000);
}

/**
 * nanosleep: the task sleeps `ns` of virtual time; once every task is asleep or waiting, time
 * advances, running everything that falls due meanwhile.
 */
export async function clockNanosleep(task: Task, ns: number): Promise<void> {
  const host = task.host;
  await host.sched.wait(() => false, { deadline: host.clock.now + Math.max(0, ns), flow: task.flow });
}

// --- signals -----------------------------------------------------------------------------------

export { Deadlock, TaskKilled } from "./sched.js";
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGKILL = 9;
export const SIGALRM = 14;
export const SIGTERM = 15;

/**
 * A timer that sends `signal` to the task's flow after `ns` of virtual time (alarm/timer_create
 * with SIGEV_SIGNAL, as timeout(1) arms one for its child): whatever the flow is blocked in then
 * ends with TaskKilled.
 */
export function signalTimer(task: Task, ns: number, signal: number): { fired(): boolean; cancel(): void } {
  const host = task.host;
  let fired = false;
  const event = host.clock.schedule(Math.max(0, ns), () => {
    fired = true;
    if (task.flow) host.sched.kill(task.flow, signal);
  });
  return {
    fired: () => fired,
    cancel: () => {
      event.cancelled = true;
    },
  };
}

/**
 * The program caught the signal that interrupted its blocking call (a handler ran, as ping's
 * SIGINT handler does): the task lives on.
 */
export function signalHandled(task: Task): void {
  if (task.flow) task.flow.killed = 0;
}

// --- sockets -----------------------------------------------------------------------------------

/**
 * A socket descriptor: raw IPv4, UDP or TCP. Each holds a reference on its namespace (sk_net), so
 * a namespace with an open socket outlives `ip netns del`; close() gives it back. `fd` is its
 * number in the task's FilesStruct (-1 for a task without one).
 */
export type Socket =
  | { readonly kind: "raw"; readonly sock: RawSock; closed: boolean; readonly fd: number }
  | { readonly kind: "udp"; readonly sk: UdpSock; closed: boolean; readonly fd: number }
  | { readonly kind: "tcp"; readonly sk: TcpSock; closed: boolean; readonly fd: number };

/** poll() event bits (include/uapi/asm-generic/poll.h). */
export const POLLIN = 1;
export const POLLPRI = 2;
export const POLLOUT = 4;
export const POLLERR = 8;
export const POLLHUP = 16;
export const POLLRDHUP = 0x2000;

function sockNet(s: Socket): Net {
  return s.kind === "raw" ? s.sock.net : s.sk.net;
}

/** socket(AF_INET, SOCK_RAW | SOCK_DGRAM | SOCK_STREAM, protocol) */
export function socket(
  task: Task,
  type: "SOCK_RAW" | "SOCK_DGRAM" | "SOCK_STREAM",
  protocol: number,
): Socket {
  if (type === "SOCK_RAW") {
    const sock = rawSockCreate(task.net, protocol);
    attachFile(sock.owner, task);
    // Raw sockets have no inode here (ss lists none of them): the descriptor is taken all the same.
    return { kind: "raw", sock, closed: false, fd: fdInstall(task, 0) };
  }
  if (type === "SOCK_DGRAM") {
    if (protocol !== 0 && protocol !== IPPROTO_UDP) throw new KernelError("EPROTONOSUPPORT");
    const sk = udpSockCreate(task.net, task.uid);
    attachFile(sk.owner, task);
    if (task.net !== task.host.initNet) netGet(task.net);
    return { kind: "udp", sk, closed: false, fd: fdInstall(task, sk.inode) };
  }
  if (protocol !== 0 && protocol !== IPPROTO_TCP) throw new KernelError("EPROTONOSUPPORT");
  const sk = tcpSockCreate(task.net, task.uid);
  attachFile(sk.owner, task);
  if (task.net !== task.host.initNet) netGet(task.net);
  return { kind: "tcp", sk, closed: false, fd: fdInstall(task, sk.inode) };
}

/** fd_install into the task's descriptor table: the socket's number there, -1 without a table. */
function fdInstall(task: Task, inode: number): number {
  return task.files ? task.files.install(inode) : -1;
}

/** IP_MTU_DISCOVER values (include/uapi/linux/in.h). */
export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_WANT = 1;
export const IP_PMTUDISC_DO = 2;
export const IP_PMTUDISC_PROBE = 3;

export type SockOpt =
  | { readonly name: "SO_BINDTODEVICE"; readonly ifname: string }
  | { readonly name: "SO_REUSEADDR"; readonly on: boolean }
  | { readonly name: "SO_REUSEPORT"; readonly on: boolean }
  | { readonly name: "SO_BROADCAST"; readonly on: boolean }
  | { readonly name: "IP_TTL"; readonly ttl: number }
  | { readonly name: "IP_RECVERR"; readonly on: boolean }
  | { readonly name: "IP_MTU_DISCOVER"; readonly value: number }
  | { readonly name: "ICMP_FILTER"; readonly mask: number }
  | { readonly name: "IP_TOS"; readonly tos: number }
  | { readonly name: "SO_MARK"; readonly mark: number }
  | { readonly name: "SO_DONTROUTE"; readonly on: boolean }
  | { readonly name: "SO_DEBUG"; readonly on: boolean }
  | { readonly name: "SO_SNDBUF"; readonly size: number }
  | { readonly name: "SO_RCVBUF"; readonly size: number }
  | { readonly name: "IP_MULTICAST_LOOP"; readonly on: boolean }
  | { readonly name: "IP_MULTICAST_TTL"; readonly ttl: number }
  | { readonly name: "IP_OPTIONS"; readonly bytes: Uint8Array };

/** SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF on x86-64. */
const SOCK_MIN_SNDBUF = 4608;
const SOCK_MIN_RCVBUF = 2304;

/** getsockopt for the raw socket's buffer sizes, as sk_sndbuf and sk_rcvbuf hold them. */
export function getsockoptBuf(_task: Task, s: Socket, name: "SO_SNDBUF" | "SO_RCVBUF"): number {
  if (s.kind !== "raw") throw new KernelError("EOPNOTSUPP");
  return name === "SO_SNDBUF" ? s.sock.sndbuf : s.sock.rcvbuf;
}

/**
 * getsockopt(IP_MTU): the path MTU of a connected socket's route (dst_mtu of sk_dst), ENOTCONN
 * without a peer. The route is looked up again with the socket's keys, as it was cached.
 */
export function getsockoptMtu(task: Task, s: Socket): number {
  settle(task);
  const sk = s.kind === "raw" ? s.sock : s.sk;
  const daddr = s.kind === "udp" && !s.sk.connected ? 0 : sk.daddr;
  if (!daddr || (s.kind === "tcp" && (s.sk.state === TCP_CLOSE || s.sk.state === TCP_LISTEN)))
    throw new KernelError("ENOTCONN");
  const rt = ipRouteOutputKey(sockNet(s), {
    daddr,
    saddr: sk.saddr || undefined,
    oif: sk.boundDevIf || undefined,
    tos: s.kind === "tcp" ? 0 : s.kind === "raw" ? s.sock.tos & 0xfc : s.sk.tos & 0xfc,
    mark: s.kind === "tcp" ? undefined : s.kind === "raw" ? s.sock.mark : s.sk.mark,
  });
  if (rt instanceof KernelError) throw new KernelError("ENOTCONN");
  return dstMtu(rt);
}

/** setsockopt */
export function setsockopt(task: Task, s: Socket, opt: SockOpt): void {
  const target = s.kind === "raw" ? s.sock : s.sk;
  switch (opt.name) {
    case "SO_BINDTODEVICE": {
      const dev = opt.ifname === "" ? undefined : devGetByName(sockNet(s), opt.ifname);
      if (opt.ifname !== "" && !dev) throw new KernelError("ENODEV");
      target.boundDevIf = dev?.ifindex ?? 0;
      return;
    }
    case "SO_REUSEADDR":
    case "SO_REUSEPORT":
    case "SO_BROADCAST":
      if (s.kind === "raw") {
        if (opt.name === "SO_BROADCAST") s.sock.broadcast = opt.on;
        return;
      }
      if (opt.name === "SO_REUSEADDR") s.sk.reuse = opt.on;
      else if (opt.name === "SO_REUSEPORT") s.sk.reuseport = opt.on;
      else s.sk.broadcast = opt.on;
      return;
    case "IP_TTL":
      if (opt.ttl < -1 || opt.ttl > 255 || opt.ttl === 0) throw new KernelError("EINVAL");
      target.ttl = opt.ttl === -1 ? undefined : opt.ttl;
      return;
    case "IP_RECVERR":
      target.recverr = opt.on;
      if (!opt.on) target.errQueue.length = 0;
      return;
    case "IP_MTU_DISCOVER":
      if (opt.value < IP_PMTUDISC_DONT || opt.value > 5) throw new KernelError("EINVAL");
      target.pmtudisc = opt.value;
      return;
    case "ICMP_FILTER":
      if (s.kind !== "raw") throw new KernelError("EOPNOTSUPP");
      s.sock.icmpFilter = opt.mask;
      return;
    case "IP_TOS":
    case "SO_MARK":
      // __ip_sock_set_tos keeps the byte (a stream socket keeps its own ECN bits; not here);
      // sk_mark takes the value (CAP_NET_ADMIN, which every netnest task holds).
      // TCP builds its segments elsewhere and does not take them yet.
      if (s.kind === "tcp") throw new KernelError("EOPNOTSUPP");
      {
        const sk = s.kind === "raw" ? s.sock : s.sk;
        if (opt.name === "IP_TOS") sk.tos = opt.tos & 0xff;
        else sk.mark = opt.mark >>> 0;
      }
      return;
    case "SO_DONTROUTE":
    case "SO_DEBUG":
    case "SO_SNDBUF":
    case "SO_RCVBUF":
    case "IP_MULTICAST_LOOP":
    case "IP_MULTICAST_TTL":
    case "IP_OPTIONS":
      if (s.kind !== "raw") throw new KernelError("EOPNOTSUPP");
      rawSetsockopt(task, s.sock, opt);
      return;
  }
}

/** sock_setsockopt / do_ip_setsockopt for a raw socket's remaining options. */
function rawSetsockopt(task: Task, sock: RawSock, opt: SockOpt): void {
  switch (opt.name) {
    case "SO_DONTROUTE":
      sock.dontroute = opt.on;
      return;
    case "SO_DEBUG":
      sock.debug = opt.on;
      return;
    case "SO_SNDBUF":
      // __sock_set_sndbuf: at most wmem_max, doubled for the overhead, at least SOCK_MIN_SNDBUF.
      sock.sndbuf = Math.max(Math.min(opt.size, netCoreSysctl(sock.net, "wmem_max")) * 2, SOCK_MIN_SNDBUF);
      return;
    case "SO_RCVBUF":
      sock.rcvbuf = Math.max(Math.min(opt.size, netCoreSysctl(sock.net, "rmem_max")) * 2, SOCK_MIN_RCVBUF);
      return;
    case "IP_MULTICAST_LOOP":
      sock.mcLoop = opt.on;
      sock.owner.mcLoop = opt.on;
      return;
    case "IP_MULTICAST_TTL":
      if (opt.ttl < -1 || opt.ttl > 255) throw new KernelError("EINVAL");
      sock.mcTtl = opt.ttl === -1 ? 1 : opt.ttl;
      return;
    case "IP_OPTIONS": {
      if (opt.bytes.length > 40) throw new KernelError("EINVAL");
      const capNetRaw = taskNsCapable(task, sock.net.userNs, CAP_NET_RAW);
      const compiled = ipOptionsGet(sock.net, opt.bytes, capNetRaw);
      if (!compiled) throw new KernelError("EINVAL");
      // ip_options_get: a source route needs CAP_NET_RAW (since "ipv4: restrict IPOPT_SSRR and
      // IPOPT_LSRR options", which 6.18 carries).
      if (compiled.srr && !capNetRaw) throw new KernelError("EPERM");
      sock.opt = compiled.optlen ? compiled : undefined;
      return;
    }
    default:
      return;
  }
}

/** connect() and accept() without a deadline: one options object for all calls. */
const NO_DEADLINE: { readonly deadline?: number } = {};

/**
 * connect(). Raw and UDP (ip4_datagram_connect): routes to `daddr`, fixes the local address; UDP
 * gets an ephemeral port and remembers `port`. TCP (tcp_v4_connect): sends the SYN and waits for
 * the handshake: ECONNREFUSED on a reset, ETIMEDOUT after tcp_syn_retries (+ the linear
 * timeouts), EHOSTUNREACH/ENETUNREACH from ICMP errors or routing. At `options.deadline` (absolute
 * virtual ns) it throws ETIMEDOUT and leaves the socket in SYN_SENT for the caller to close, as
 * nc -w does after its poll() times out.
 */
export function connect(
  task: Task,
  s: Socket,
  daddr: number,
  port = 0,
  options: { readonly deadline?: number } = NO_DEADLINE,
): Promise<void> {
  // Not an async function: the handshake's wait resumes in a then() (one microtask turn, as an
  // await), without an async function's frame per connection.
  try {
    settle(task);
    if (s.kind === "raw") {
      const rt = ipRouteOutputKey(s.sock.net, {
        daddr,
        saddr: s.sock.saddr || undefined,
        oif: s.sock.boundDevIf || undefined,
        tos: s.sock.tos & 0xfc,
        mark: s.sock.mark,
        scope: s.sock.dontroute ? 253 : undefined,
      });
      if (rt instanceof KernelError) throw rt;
      if (rt.flags & RTCF_BROADCAST) throw new KernelError("EACCES");
      if (!s.sock.saddr) s.sock.saddr = rt.src;
      s.sock.daddr = daddr;
      return Promise.resolve();
    }
    if (s.kind === "udp") {
      udpConnect(s.sk, daddr, port);
      return Promise.resolve();
    }
    const sk = s.sk;
    tcpConnect(sk, daddr, port);
    return task.host.sched
      .waitFor(tcpConnectDone, sk, options.deadline ?? Number.POSITIVE_INFINITY, true, task.flow, sk.wake)
      .then((ok) => tcpConnectResult(sk, ok));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The end of inet_wait_for_connect: ETIMEDOUT at the deadline, the reset's or ICMP's error. */
function tcpConnectResult(sk: TcpSock, ok: boolean): void {
  if (!ok) throw new KernelError("ETIMEDOUT");
  if (sk.state === TCP_CLOSE) throw sockErrorOf(sk) ?? new KernelError("ECONNREFUSED");
}

/**
 * send(): UDP on a connected socket (udp_sendmsg), TCP (tcp_sendmsg: blocks while the send buffer
 * is full; EPIPE after shutdown, the pending error after a reset). Returns the bytes sent.
 */
export function send(task: Task, s: Socket, payload: Uint8Array): Promise<number> {
  // Most sends fit the send buffer at once: they settle here, without an async function's frame;
  // one that must wait for room goes on in tcpSendWait.
  try {
    settle(task);
    if (s.kind === "raw") throw new KernelError("EOPNOTSUPP");
    if (s.kind === "udp") {
      udpSendmsg(s.sk, payload);
      return Promise.resolve(payload.length);
    }
    const sk = s.sk;
    const n = tcpSendmsg(sk, payload);
    if (payload.length === 0 || n === payload.length) return Promise.resolve(n);
    return tcpSendWait(task, sk, payload, n);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** tcp_sendmsg's sk_stream_wait_memory loop: `sent` bytes went, the rest waits for room. */
async function tcpSendWait(task: Task, sk: TcpSock, payload: Uint8Array, sent: number): Promise<number> {
  let n = sent;
  for (;;) {
    if (n === 0)
      await task.host.sched.waitFor(tcpSendReady, sk, Number.POSITIVE_INFINITY, false, task.flow, sk.wake);
    try {
      n = tcpSendmsg(sk, sent ? payload.subarray(sent) : payload);
    } catch (e) {
      if (sent) return sent;
      throw e;
    }
    sent += n;
    if (sent === payload.length) return sent;
  }
}

/** recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): the oldest queued extended error, or undefined. */
export function recvErr(_task: Task, s: Socket): SockExtendedErr | undefined {
  return s.kind === "raw" ? s.sock.errQueue.shift() : s.sk.errQueue.shift();
}

export type { SockExtendedErr };

/**
 * bind(): raw sockets take a source address; UDP and TCP also a port (0: an ephemeral one from
 * ip_local_port_range). EADDRINUSE by the kernel's SO_REUSEADDR/SO_REUSEPORT rules,
 * EADDRNOTAVAIL for a foreign address (unless ip_nonlocal_bind), EINVAL when already bound.
 */
export function bind(task: Task, s: Socket, saddr: number, port = 0): void {
  settle(task);
  if (s.kind === "raw") {
    if (saddr !== 0 && !ipDevFind(s.sock.net, saddr)) throw new KernelError("EADDRNOTAVAIL");
    s.sock.saddr = saddr;
    return;
  }
  // __inet_bind: the address first, then a port below ip_unprivileged_port_start needs
  // CAP_NET_BIND_SERVICE in the namespace's owning user namespace.
  const net = s.sk.net;
  inetBindCheckAddr(net, saddr);
  if (port !== 0 && port < net.ipv4.sysctlIpProtSock && !nsCapable(credOf(task), net.userNs))
    throw new KernelError("EACCES");
  if (s.kind === "udp") udpBind(s.sk, saddr, port);
  else tcpBind(s.sk, saddr, port);
}

/** listen() */
export function listen(task: Task, s: Socket, backlog: number): void {
  settle(task);
  if (s.kind !== "tcp") throw new KernelError("EOPNOTSUPP");
  tcpListen(s.sk, backlog);
}

/** accept(): the next completed connection; undefined at `options.deadline` (absolute ns). */
export function accept(
  task: Task,
  s: Socket,
  options: { readonly deadline?: number } = NO_DEADLINE,
): Promise<Socket | undefined> {
  // As connect(): the wait resumes in a then(), without an async function's frame.
  try {
    settle(task);
    if (s.kind !== "tcp") throw new KernelError("EOPNOTSUPP");
    const sk = s.sk;
    if (sk.state !== TCP_LISTEN) throw new KernelError("EINVAL");
    return task.host.sched
      .waitFor(acceptReady, sk, options.deadline ?? Number.POSITIVE_INFINITY, true, task.flow, sk.wake)
      .then((ok) => (ok ? inetAccept(task, sk) : undefined));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** inet_accept once a connection is queued: the child, grafted onto a new file. */
function inetAccept(task: Task, sk: TcpSock): Socket {
  const child = tcpAcceptOne(sk);
  if (!child) throw new KernelError("EINVAL");
  // sock_graft with the new file: until now the child had no struct socket.
  attachFile(child.owner, task);
  if (child.net !== task.host.initNet) netGet(child.net);
  return { kind: "tcp", sk: child, closed: false, fd: fdInstall(task, child.inode) };
}

/** inet_csk_wait_for_connect's condition: a connection queued, or the socket no longer listening. */
function acceptReady(sk: TcpSock): boolean {
  return sk.acceptQueue.length > 0 || sk.state !== TCP_LISTEN;
}

/** shutdown() */
export function shutdown(task: Task, s: Socket, how: "SHUT_RD" | "SHUT_WR" | "SHUT_RDWR"): void {
  settle(task);
  const bits = how === "SHUT_RD" ? RCV_SHUTDOWN : how === "SHUT_WR" ? SEND_SHUTDOWN : SHUTDOWN_MASK;
  if (s.kind === "tcp") tcpShutdown(s.sk, bits);
  else if (s.kind === "udp") {
    if (!s.sk.connected) throw new KernelError("ENOTCONN");
    s.sk.shutdown |= bits;
  } else throw new KernelError("ENOTCONN");
}

/** getsockname: the local address and port. */
export function getsockname(_task: Task, s: Socket): { readonly addr: number; readonly port: number } {
  if (s.kind === "raw") return { addr: s.sock.saddr, port: 0 };
  return { addr: s.sk.rcvSaddr || s.sk.saddr, port: s.sk.num };
}

/** getpeername: ENOTCONN unless connected. */
export function getpeername(_task: Task, s: Socket): { readonly addr: number; readonly port: number } {
  if (s.kind === "raw") throw new KernelError("ENOTCONN");
  if (s.kind === "udp") {
    if (!s.sk.connected) throw new KernelError("ENOTCONN");
    return { addr: s.sk.daddr, port: s.sk.dport };
  }
  const st = s.sk.state;
  if (st === TCP_LISTEN || st === TCP_CLOSE || st === TCP_SYN_SENT) throw new KernelError("ENOTCONN");
  return { addr: s.sk.daddr, port: s.sk.dport };
}

function sockErrorOf(sk: UdpSock | TcpSock): KernelError | undefined {
  const err = sk.err ?? undefined;
  if (!err) return undefined;
  sk.err = undefined;
  return new KernelError(err);
}

/** getsockopt(SO_ERROR): the pending error, cleared. */
export function sockError(_task: Task, s: Socket): KernelError | undefined {
  if (s.kind === "raw") return undefined;
  return sockErrorOf(s.sk);
}

/** sendto() on a raw socket (`payload` is the IP payload), or on UDP to `daddr:options.port`. */
export function sendto(
  task: Task,
  s: Socket,
  payload: Uint8Array,
  daddr: number,
  options: { readonly saddr?: number; readonly port?: number } = {},
): void {
  settle(task);
  if (s.kind === "udp") {
    udpSendmsg(s.sk, payload, daddr, options.port ?? 0);
    return;
  }
  if (s.kind !== "raw") throw new KernelError("EISCONN");
  rawSendmsg(s.sock, daddr, payload, options.saddr ?? (s.sock.saddr || undefined));
}

/**
 * recvfrom(MSG_DONTWAIT): raw: the whole IP packet; UDP: the next datagram (a pending ICMP error
 * first); TCP: queued data, an empty array at EOF, undefined when nothing is queued (ECONNRESET
 * after a reset). `from`/`port` are the peer. `max` is the buffer's length (a TCP read takes at
 * most that much and leaves the rest queued).
 */
export function recvfrom(
  _task: Task,
  s: Socket,
  options: { readonly max?: number } = {},
): { readonly data: Uint8Array; readonly from: number; readonly port: number } | undefined {
  const max = options.max;
  if (s.kind === "raw") {
    const d = s.sock.rcvQueue.shift();
    return d ? { data: d.data, from: d.from, port: 0 } : undefined;
  }
  if (s.kind === "udp") {
    // udp_recvmsg copies at most the buffer's length; the rest of the datagram is discarded.
    const d = udpRecvmsg(s.sk);
    if (!d) return undefined;
    return { data: max !== undefined ? d.data.subarray(0, max) : d.data, from: d.from, port: d.port };
  }
  const data = tcpRecvmsg(s.sk, max);
  return data ? { data, from: s.sk.daddr, port: s.sk.dport } : undefined;
}

/** The revents Linux's poll routine computes (datagram_poll, udp_poll, tcp_poll). */
function sockPoll(s: Socket): number {
  if (s.closed) return 0x20;
  if (s.kind === "raw")
    return (s.sock.rcvQueue.length ? POLLIN : 0) | (s.sock.errQueue.length ? POLLERR : 0) | POLLOUT;
  if (s.kind === "udp") return udpPoll(s.sk);
  return tcpPoll(s.sk);
}

/**
 * poll(): revents per entry (POLLERR, POLLHUP and POLLNVAL always reported); resolves when any is
 * non-zero, or at `deadlineNs` (absolute) with all zeros.
 */
export function poll(
  task: Task,
  entries: readonly { readonly sock: Socket; readonly events: number }[],
  deadlineNs?: number,
): Promise<number[]> {
  // The scheduler checks readiness after every event: a plain loop, no array or closure. The
  // revents are read when the task runs again (a then(): one microtask turn, as an await).
  try {
    settle(task);
    return task.host.sched
      .waitFor(
        pollAnyRevents,
        entries,
        deadlineNs ?? Number.POSITIVE_INFINITY,
        true,
        task.flow,
        tcpWaitQueues(entries),
      )
      .then((ready) => pollReventsAll(entries, ready));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** poll()'s answer: each entry's revents, or all zeros when the wait timed out. */
function pollReventsAll(
  entries: readonly { readonly sock: Socket; readonly events: number }[],
  ready: boolean,
): number[] {
  const revents = new Array<number>(entries.length);
  for (let i = 0; i < entries.length; i++)
    revents[i] = ready ? pollRevents(entries[i] as { readonly sock: Socket; readonly events: number }) : 0;
  return revents;
}

/**
 * The sockets' wait queues when all are TCP (whose every poll-visible change wakes its queue):
 * one socket's own, without an array.
 */
function tcpWaitQueues(entries: readonly { readonly sock: Socket }[]): WaitQueue | WaitQueue[] | undefined {
  if (entries.length === 1) {
    const s = (entries[0] as { readonly sock: Socket }).sock;
    return s.kind === "tcp" ? s.sk.wake : undefined;
  }
  const queues: WaitQueue[] = [];
  for (const e of entries) {
    if (e.sock.kind !== "tcp") return undefined;
    queues.push(e.sock.sk.wake);
  }
  return queues;
}

function pollRevents(e: { readonly sock: Socket; readonly events: number }): number {
  return sockPoll(e.sock) & (e.events | POLLERR | POLLHUP | 0x20);
}

function pollAnyRevents(entries: readonly { readonly sock: Socket; readonly events: number }[]): boolean {
  for (const e of entries) if (pollRevents(e) !== 0) return true;
  return false;
}

/**
 * poll() with a timeout in virtual time: runs the host's events until the socket has data or
 * `deadlineNs` (absolute) is reached. Returns true when data is ready.
 */
export function pollIn(task: Task, s: Socket, deadlineNs: number): Promise<boolean> {
  // As pollAny for one socket, with no array per call (a datagram flood polls per datagram).
  return task.host.sched.waitFor(sockPollIn, s, deadlineNs, true, task.flow, undefined);
}

function sockPollIn(s: Socket): boolean {
  return (sockPoll(s) & (POLLIN | POLLERR)) !== 0;
}

/** close(): TCP goes on in the kernel (FIN, or RST with unread data); the namespace ref goes. */
export function close(task: Task, s: Socket): void {
  if (s.closed) return;
  settle(task);
  s.closed = true;
  task.files?.close(s.fd);
  if (s.kind === "raw") {
    rawSockClose(s.sock);
    return;
  }
  if (s.kind === "udp") udpUnhash(s.sk);
  else tcpClose(s.sk);
  const net = s.sk.net;
  if (net !== task.host.initNet) netPut(net);
}

/** poll()'s revents for one socket: POLLIN for queued data, POLLERR for a queued error. */
export function sockPending(_task: Task, s: Socket): { readonly pollin: boolean; readonly pollerr: boolean } {
  const r = sockPoll(s);
  return { pollin: (r & POLLIN) !== 0, pollerr: (r & POLLERR) !== 0 };
}

/** poll() on several sockets: runs events until one has data or an error queued, or `deadlineNs`. */
export function pollAny(task: Task, socks: readonly Socket[], deadlineNs: number): Promise<boolean> {
  // The waiter read the clock before it sent what it waits for, so whatever that sending set off
  // for the very same instant (an ARP retransmit, a timeout) happens just after the wait ends.
  return task.host.sched.wait(() => socks.some(sockPollIn), {
    deadline: deadlineNs,
    exclusive: true,
    flow: task.flow,
  });
}

// --- policy routing rules ----------------------------------------------------------------------

/** RTM_NEWRULE / RTM_DELRULE (fib_nl_newrule, fib_nl_delrule). */
/** RTM_NEWRULE / RTM_DELRULE; with NLM_F_ECHO the rule's notify_rule_change. */
export function rtnlRule(task: Task, req: RtRuleReq): RtnlRecvMsg | undefined {
  if (!req.nlFlags.echo) {
    rtnlRuleDo(task, req);
    return undefined;
  }
  return echoTalk(task, () => rtnlRuleDo(task, req)).find((m) => m.kind === "rule");
}

function rtnlRuleDo(task: Task, req: RtRuleReq): void {
  settle(task);
  netAdminCapable(task);
  if (req.kind === "RTM_NEWRULE") fibNewRule(task.net, req);
  else fibDelRule(task.net, req);
}

/**
 * The IPv6 rules a namespace starts with (fib6_rules_net_init). IPv6 policy routing is not
 * emulated, so they are reported as they are created and cannot be changed.
 */
function fib6DefaultRules(): RtRule[] {
  return [
    [0, 255],
    [0x7ffe, 254],
  ].map(([pref, table]) => ({
    family: AF_INET6,
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: table as number,
    action: 1,
    flags: 0,
    tableAttr: table as number,
    suppressPrefixlen: -1,
    protocol: 2,
    ...(pref ? { priority: pref } : {}),
  }));
}

/** RTM_GETRULE dump (fib_nl_dumprule): one family's rules, or every family's (AF_UNSPEC). */
export function rtnlGetRules(task: Task, family: number): RtRule[] {
  settle(task);
  if (family === AF_INET) return fibRulesDump(task.net);
  if (family === AF_INET6) return fib6DefaultRules();
  if (family === 0) return [...fibRulesDump(task.net), ...fib6DefaultRules()];
  throw new KernelError("EAFNOSUPPORT");
}

// --- per-namespace kernel files (/proc/net, /sys/class/net) -------------------------------------

export type { KfsEntry, KfsKind } from "./proc/kernfs.js";

import { devMcList } from "./core/dev_addr_lists.js";
import type { KfsEntry, KfsKind } from "./proc/kernfs.js";
import { isKernelPath, kfsLookup } from "./proc/proc_net.js";

/** True for a path the kernel serves per namespace (/proc/net/…, /sys/…). */
export function procOwns(path: string): boolean {
  return isKernelPath(path);
}

/** stat(2) on such a path: what is there, or undefined (ENOENT). */
export function procStat(task: Task, path: string): KfsKind | undefined {
  return kfsLookup(task.net, path, task.uid)?.kind;
}

/** getdents(2): a directory's entries. */
export function procList(task: Task, path: string): KfsEntry[] {
  const node = kfsLookup(task.net, path, task.uid);
  if (!node) throw new KernelError("ENOENT");
  if (node.kind !== "dir") throw new KernelError("ENOTDIR");
  return [...node.entries()];
}

/** open + read(2) of a whole file: the text its show routine prints now. */
export function procRead(task: Task, path: string): string {
  settle(task);
  const node = kfsLookup(task.net, path, task.uid);
  if (!node) throw new KernelError("ENOENT");
  if (node.kind === "dir") throw new KernelError("EISDIR");
  if (node.kind === "link") throw new KernelError("EISDIR");
  return node.show();
}

/**
 * open(O_WRONLY) + write(2). The open fails with ENOENT, EISDIR or EACCES (a file without a store
 * routine); the write with whatever the store routine returns.
 */
export function procOpenWrite(task: Task, path: string): (value: string) => void {
  const node = kfsLookup(task.net, path, task.uid);
  if (!node) throw new KernelError("ENOENT");
  if (node.kind !== "file") throw new KernelError("EISDIR");
  const store = node.store;
  if (!store) throw new KernelError("EACCES");
  return (value) => {
    settle(task);
    store(value);
  };
}

// --- bridge (AF_BRIDGE links and the forwarding database) --------------------------------------

/** RTM_GETLINK dump of family AF_BRIDGE (rtnl_bridge_getlink): every bridge port, by br_fill_ifinfo. */
export function rtnlGetBridgeLinks(task: Task): RtBridgeLink[] {
  settle(task);
  const out: RtBridgeLink[] = [];
  for (const dev of devicesByIndex(task.net)) {
    const p = brPortOf(dev);
    if (!p) continue;
    const iflink = devGetIflink(dev);
    out.push({
      ifindex: dev.ifindex,
      ifname: dev.name,
      flags: devGetFlags(dev),
      mtu: dev.mtu,
      master: p.br.dev.ifindex,
      operstate: devReportedOperstate(dev),
      address: dev.address.slice(),
      ...(iflink !== dev.ifindex ? { link: iflink } : {}),
      protinfo: brPortFillAttrs(p),
    });
  }
  return out;
}

/** RTM_SETLINK of family AF_BRIDGE on a port (br_setlink -> br_setport). */
export function rtnlSetBridgeLink(task: Task, req: RtBridgeLinkReq): void {
  settle(task);
  netAdminCapable(task);
  const dev = devFor(task, req.ifindex);
  const p = brPortOf(dev);
  if (!p) throw new KernelError("EOPNOTSUPP");
  brSetport(p, req);
}

/** RTM_NEWNEIGH / RTM_DELNEIGH of family AF_BRIDGE (rtnl_fdb_add, rtnl_fdb_del). */
export function rtnlFdb(task: Task, req: RtFdbReq): void {
  settle(task);
  netAdminCapable(task);
  if (!req.ifindex) throw new KernelError("EINVAL", "invalid ifindex");
  const dev = devGetByIndex(task.net, req.ifindex);
  if (!dev) throw new KernelError("ENODEV", "unknown ifindex");
  if (req.lladdr.length !== 6) throw new KernelError("EINVAL", "invalid address");
  const add = req.kind === "RTM_NEWNEIGH";
  if (dev.type !== ARPHRD_ETHER)
    throw new KernelError("EINVAL", `FDB ${add ? "add" : "delete"} only supported for Ethernet devices`);
  if (isVxlan(dev)) {
    // ndo_fdb_add / ndo_fdb_del of the vxlan device.
    if (!(req.flags & NTF_SELF) && req.flags & NTF_MASTER) throw new KernelError("EOPNOTSUPP");
    vxlanFdbOp(dev, {
      add,
      mac: req.lladdr,
      state: req.state,
      ntfFlags: req.flags,
      ...(req.dst !== undefined ? { dst: req.dst } : {}),
      ...(req.port !== undefined ? { port: req.port } : {}),
      ...(req.vni !== undefined ? { vni: req.vni } : {}),
      ...(req.via !== undefined ? { ifindex: req.via } : {}),
      create: req.nlFlags.create === true,
      excl: req.nlFlags.excl === true,
      replace: req.nlFlags.replace === true,
      append: req.nlFlags.append === true,
    });
    return;
  }
  let err: KernelError | undefined = new KernelError("EOPNOTSUPP");
  let flags = req.flags;
  if ((!flags || flags & NTF_MASTER) && brPortOf(dev)) {
    brFdbOp(dev, req);
    err = undefined;
    flags &= ~NTF_MASTER;
  }
  if (flags & NTF_SELF) {
    if (isBridge(dev)) brFdbOp(dev, req);
    else if (add) dfltFdbAdd(dev, req);
    else dfltFdbDel(dev, req);
    err = undefined;
  }
  if (err) throw err;
}

/** br_fdb_add / br_fdb_delete on a bridge or one of its ports. */
function brFdbOp(dev: NetDevice, req: RtFdbReq): void {
  const p = brPortOf(dev);
  const br = p ? p.br : bridgeOf(dev);
  if (req.kind === "RTM_DELNEIGH") {
    brFdbDelete(br, p, req.lladdr);
    return;
  }
  if (!(req.state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE))) throw new KernelError("EINVAL");
  if (req.lladdr.every((b) => b === 0)) throw new KernelError("EINVAL");
  fdbAddEntry(br, p, req.lladdr, {
    state: req.state,
    sticky: (req.flags & NTF_STICKY) !== 0,
    create: req.nlFlags.create === true,
    excl: req.nlFlags.excl === true,
  });
}

/** ndo_dflt_fdb_add: a device without an FDB of its own keeps the address in its unicast list. */
function dfltFdbAdd(dev: NetDevice, req: RtFdbReq): void {
  if (req.state && !(req.state & NUD_PERMANENT)) throw new KernelError("EINVAL");
  if (dev.ucList.some((a) => a.every((b, i) => b === req.lladdr[i]))) {
    if (req.nlFlags.excl) throw new KernelError("EEXIST");
    return;
  }
  dev.ucList.push(req.lladdr.slice());
}

/** ndo_dflt_fdb_del */
function dfltFdbDel(dev: NetDevice, req: RtFdbReq): void {
  if (!(req.state & NUD_PERMANENT)) throw new KernelError("EINVAL");
  const at = dev.ucList.findIndex((a) => a.every((b, i) => b === req.lladdr[i]));
  if (at < 0) throw new KernelError("ENOENT");
  dev.ucList.splice(at, 1);
}

/**
 * ioctl(SIOCADDMULTI / SIOCDELMULTI) (dev_ioctl -> dev_ifsioc): dev_mc_add_global puts the address
 * in the device's multicast list (once: adding it again changes nothing), dev_mc_del_global takes
 * it out (ENOENT unless SIOCADDMULTI put it there). A device without ndo_set_rx_mode (loopback)
 * refuses with EINVAL.
 */
export function devIoctlMulti(task: Task, ifname: string, addr: Uint8Array, add: boolean): void {
  netAdminCapable(task);
  const dev = devGetByName(task.net, ifname);
  if (!dev) throw new KernelError("ENODEV");
  if (dev.type === ARPHRD_LOOPBACK) throw new KernelError("EINVAL");
  const at = dev.mcGlobal.findIndex((a) => a.length === addr.length && a.every((b, i) => b === addr[i]));
  if (add) {
    if (at < 0) dev.mcGlobal.push(addr.slice());
    return;
  }
  if (at < 0) throw new KernelError("ENOENT");
  dev.mcGlobal.splice(at, 1);
}

/** ndo_dflt_fdb_dump: a device's unicast then multicast lists, as `self permanent` entries. */
function dfltFdbDump(dev: NetDevice): RtFdb[] {
  if (dev.type !== ARPHRD_ETHER) return [];
  return [...dev.ucList, ...devMcList(dev)].map((lladdr) => ({
    ifindex: dev.ifindex,
    state: NUD_PERMANENT,
    flags: NTF_SELF,
    lladdr: lladdr.slice(),
  }));
}

/** br_fdb_dump: the entries behind `filterDev`, or (without it) the bridge's own addresses. */
function brFdbDump(task: Task, brdev: NetDevice, filterDev: NetDevice | undefined): RtFdb[] {
  const br = bridgeOf(brdev);
  const now = task.host.clock.now;
  const ticks = (t: number) => Math.floor((now - t) / 10_000_000);
  const out: RtFdb[] = filterDev ? [] : dfltFdbDump(brdev);
  for (const f of br.fdbList) {
    if (filterDev ? f.dst?.dev !== filterDev : f.dst !== undefined) continue;
    out.push({
      ifindex: f.dst ? f.dst.dev.ifindex : brdev.ifindex,
      state: fdbToNud(br, f, now),
      flags: 0,
      lladdr: f.addr.slice(),
      master: brdev.ifindex,
      used: ticks(f.used),
      updated: ticks(f.updated),
    });
  }
  return out;
}

// --- bridge vlan and mdb (PF_BRIDGE) ---------------------------------------------------------

/**
 * RTM_SETLINK / RTM_DELLINK of family PF_BRIDGE with IFLA_AF_SPEC (rtnl_bridge_setlink,
 * rtnl_bridge_dellink): without IFLA_BRIDGE_FLAGS, or with BRIDGE_FLAGS_MASTER, the device's
 * bridge handles it (br_setlink / br_dellink on the port); with BRIDGE_FLAGS_SELF, the device's own
 * ndo (only a bridge has one: the vlans of the bridge itself).
 */
export function rtnlBridgeVlan(task: Task, req: RtBridgeVlanReq): void {
  settle(task);
  netAdminCapable(task);
  const dev = devGetByIndex(task.net, req.ifindex);
  if (!dev) throw new KernelError("ENODEV", "unknown ifindex");
  const BRIDGE_FLAGS_MASTER = 1;
  const BRIDGE_FLAGS_SELF = 2;
  const op = { cmd: req.kind, vlans: req.vlans, tunnel: req.tunnel === true };
  if (!req.flags || req.flags & BRIDGE_FLAGS_MASTER) {
    const master = dev.master;
    if (!master || !isBridge(master)) throw new KernelError("EOPNOTSUPP");
    brAfspecVlans(brPortOf(dev), op);
  }
  if (req.flags & BRIDGE_FLAGS_SELF) {
    if (!isBridge(dev)) throw new KernelError("EOPNOTSUPP");
    brAfspecVlans(undefined, op);
  }
}

/**
 * RTM_GETVLAN dumps and RTM_NEWVLAN / RTM_DELVLAN: br_vlan_rtnl_init registers them only with
 * CONFIG_BRIDGE_VLAN_FILTERING, which this kernel lacks, so rtnetlink finds no handler.
 */
export function rtnlVlanDb(task: Task, _req: { readonly kind: "RTM_GETVLAN" | "RTM_NEWVLAN" }): never {
  settle(task);
  throw new KernelError("EOPNOTSUPP");
}

/** RTM_GETMDB dump (br_mdb_dump): each bridge's groups, newest first, a host entry before its ports. */
export function rtnlGetMdb(task: Task): RtMdb[] {
  settle(task);
  const out: RtMdb[] = [];
  for (const dev of devicesByIndex(task.net)) {
    if (!isBridge(dev)) continue;
    const br = bridgeOf(dev);
    const entries: RtMdbEntry[] = [];
    for (const mp of br.mdb) {
      const base = { flags: 0, vid: mp.addr.vid, proto: mp.addr.proto, addr: mp.addr.addr.slice() };
      if (mp.hostJoined)
        entries.push({
          ...base,
          ifindex: dev.ifindex,
          state: MDB_TEMPORARY,
          timer: brMdbTimerValue(br, mp.timer),
        });
      for (const pg of mp.ports)
        entries.push({
          ...base,
          ifindex: pg.port.dev.ifindex,
          state: pg.permanent ? MDB_PERMANENT : MDB_TEMPORARY,
          timer: brMdbTimerValue(br, pg.timer),
          rtprot: pg.rtProtocol,
        });
    }
    out.push({ ifindex: dev.ifindex, entries });
  }
  return out;
}

/**
 * RTM_NEWMDB / RTM_DELMDB (rtnl_mdb_add, rtnl_mdb_del, rtnl_validate_mdb_entry), then the bridge's
 * br_mdb_add / br_mdb_del.
 */
export function rtnlMdb(task: Task, req: RtMdbReq): void {
  settle(task);
  netAdminCapable(task);
  if (!req.ifindex) throw new KernelError("EINVAL", "Invalid ifindex");
  const dev = devGetByIndex(task.net, req.ifindex);
  if (!dev) throw new KernelError("ENODEV", "Device doesn't exist");
  if (!isBridge(dev)) throw new KernelError("EOPNOTSUPP", "Device does not support MDB operations");
  const e = req.entry;
  if (!e.ifindex) throw new KernelError("EINVAL", "Zero entry ifindex is not allowed");
  const a = e.addr;
  if (e.proto === 0x0800) {
    const first = a[0] as number;
    const zero = first === 0;
    if (first >>> 4 !== 0xe && !zero)
      throw new KernelError("EINVAL", "IPv4 entry group address is not multicast or 0.0.0.0");
    if (first === 224 && a[1] === 0 && a[2] === 0)
      throw new KernelError("EINVAL", "IPv4 entry group address is local multicast");
  } else if (e.proto === 0x86dd) {
    const any = a.every((b) => b === 0);
    if (a[0] !== 0xff && !any)
      throw new KernelError("EINVAL", "IPv6 entry group address is not multicast or ::");
    if (a[0] === 0xff && a[1] === 0x02 && a.subarray(2, 15).every((b) => b === 0) && a[15] === 1)
      throw new KernelError("EINVAL", "IPv6 entry group address is link-local all nodes");
  } else if (e.proto === 0) {
    if (!((a[0] as number) & 1)) throw new KernelError("EINVAL", "L2 entry group is not multicast");
  } else throw new KernelError("EINVAL", "Unknown entry protocol");
  if (e.state > MDB_PERMANENT) throw new KernelError("EINVAL", "Unknown entry state");
  if (e.vid >= 4095) throw new KernelError("EINVAL", "Invalid entry VLAN id");
  const br = bridgeOf(dev);
  const cfg = brMdbConfigCheck(br, {
    portIndex: e.ifindex,
    group: { proto: e.proto, addr: a.slice(), vid: e.vid },
    state: e.state,
  });
  if (req.kind === "RTM_NEWMDB") brMdbAdd(br, cfg);
  else brMdbDel(br, cfg);
}

/** RTM_GETNEIGH dump of family AF_BRIDGE (rtnl_fdb_dump), with the strict filters iproute2 sends. */
export function rtnlGetFdb(
  task: Task,
  filter: { readonly ifindex?: number; readonly master?: number } = {},
): RtFdb[] {
  settle(task);
  let filterBr: NetDevice | undefined;
  if (filter.master) {
    filterBr = devGetByIndex(task.net, filter.master);
    if (!filterBr) throw new KernelError("ENODEV");
  }
  const out: RtFdb[] = [];
  for (const dev of devicesByIndex(task.net)) {
    if (filter.ifindex && dev.ifindex !== filter.ifindex) continue;
    let brdev = dev.master;
    if (filterBr) {
      if (dev !== filterBr && !brdev) continue;
      if (filterBr !== brdev && !isBridge(dev)) continue;
      brdev = filterBr;
    }
    if (dev.master && brdev && isBridge(brdev)) out.push(...brFdbDump(task, brdev, dev));
    if (isVxlan(dev)) {
      // vxlan_fdb_info: NDA_LINK_NETNSID when the tunnel's namespace is not the device's.
      const linkNet = dev.ops.getLinkNet?.(dev);
      const nsid = linkNet && linkNet !== dev.net ? { linkNetnsid: peernet2idAlloc(dev.net, linkNet) } : {};
      out.push(
        ...vxlanFdbDump(dev).map((e) => ({
          ...nsid,
          ifindex: dev.ifindex,
          state: e.state,
          flags: e.flags,
          lladdr: e.mac,
          dst: e.dst,
          ...(e.port !== undefined ? { port: e.port } : {}),
          ...(e.vni !== undefined ? { vni: e.vni } : {}),
          ...(e.ifindex !== undefined ? { via: e.ifindex } : {}),
        })),
      );
      continue;
    }
    out.push(...(isBridge(dev) ? brFdbDump(task, dev, undefined) : dfltFdbDump(dev)));
  }
  return out;
}

// --- iptables (IPT_SO_SET_REPLACE / IPT_SO_GET_ENTRIES) and the kernel log ----------------------

/**
 * IPT_SO_GET_ENTRIES: the table with its counters; undefined when it was never created in this
 * namespace (tables appear on first change, as the nf_tables backend makes them). ENOENT for a
 * table name the kernel does not have.
 */
export function iptGetTable(task: Task, name: string): IptTable | undefined {
  // Reading needs CAP_NET_ADMIN too (do_ipt_get_ctl; nfnetlink_rcv for nf_tables).
  netAdminCapable(task);
  settle(task);
  if (!XT_TABLE_DESCS.has(name)) throw new KernelError("ENOENT");
  return xtFindTable(task.net, name) ? xtGetTable(task.net, name) : undefined;
}

/** The table as it is before its first change: the built-in chains, policy ACCEPT, no rules. */
export function iptDefaultTable(_task: Task, name: string): IptTable {
  return xtDefaultTable(name);
}

/** The tables that exist in the task's namespace, in the kernel's registration order. */
export function iptTableNames(task: Task): string[] {
  netAdminCapable(task);
  return xtTableNames(task.net);
}

/** IPT_SO_SET_REPLACE: validated whole and swapped in at once; CAP_NET_ADMIN. */
export function iptReplaceTable(task: Task, table: IptTable): void {
  netAdminCapable(task);
  settle(task);
  xtReplaceTable(task.net, table);
}

// --- arptables (ARPT_SO_SET_REPLACE / ARPT_SO_GET_ENTRIES) -------------------------------------

export type {
  ArptArp,
  ArptChain,
  ArptDevaddr,
  ArptEntry,
  ArptTable,
  ArptTarget,
} from "./netfilter/arp_tables.js";
export {
  ARPT_INV_ARPHLN,
  ARPT_INV_ARPHRD,
  ARPT_INV_ARPOP,
  ARPT_INV_ARPPRO,
  ARPT_INV_SRCDEVADDR,
  ARPT_INV_SRCIP,
  ARPT_INV_TGTDEVADDR,
  ARPT_INV_TGTIP,
  ARPT_INV_VIA_IN,
  ARPT_INV_VIA_OUT,
  ARPT_MANGLE_SDEV,
  ARPT_MANGLE_SIP,
  ARPT_MANGLE_TDEV,
  ARPT_MANGLE_TIP,
} from "./netfilter/arp_tables.js";

/**
 * ARPT_SO_GET_ENTRIES: undefined before the table's first change; ENOENT for an unknown table.
 * Reading needs CAP_NET_ADMIN too (do_arpt_get_ctl; nfnetlink_rcv for nf_tables).
 */
export function arptGetTable(task: Task, name: string): ArptTable | undefined {
  netAdminCapable(task);
  settle(task);
  return arptGetTableOf(task.net, name);
}

/** The ARP table as it is before its first change: built-in chains, policy ACCEPT, no rules. */
export function arptDefaultTable(_task: Task, name: string): ArptTable {
  return arptDefaultTableOf(name);
}

/** ARPT_SO_SET_REPLACE: validated whole and swapped in at once; CAP_NET_ADMIN. */
export function arptReplaceTable(task: Task, table: ArptTable): void {
  netAdminCapable(task);
  settle(task);
  arptReplaceTableOf(task.net, table);
}

/** syslog(SYSLOG_ACTION_READ_ALL): the kernel log's records, oldest first. */
export function syslogReadAll(task: Task): readonly KmsgRecord[] {
  settle(task);
  return kmsgRecords(task.host.kmsg, task.host.kmsg.clearSeq);
}

// --- conntrack (ctnetlink: IPCTNL_MSG_CT_GET / _DELETE, the count) ------------------------------

export type { CtnlEntry, CtnlEvent };

/** IPCTNL_MSG_CT_GET dump: the namespace's confirmed connections, in hash order. */
export function ctnlGetConntrack(task: Task): CtnlEntry[] {
  settle(task);
  return ctnlDump(task.net);
}

/** IPCTNL_MSG_CT_DELETE of one connection; ENOENT when it is gone. CAP_NET_ADMIN. */
export function ctnlDelConntrack(task: Task, entry: CtnlEntry): void {
  netAdminCapable(task);
  if (!ctnlDelete(task.net, entry, netlinkPortid(task))) throw new KernelError("ENOENT");
}

/** IPCTNL_MSG_CT_DELETE without attributes: the table is emptied. CAP_NET_ADMIN. */
export function ctnlFlushConntrack(task: Task): void {
  netAdminCapable(task);
  settle(task);
  ctnlFlush(task.net, netlinkPortid(task));
}

/**
 * netlink_autobind's port id of the task's socket: its process's id. netnest names a process by
 * the job (flow) it runs in.
 */
function netlinkPortid(task: Task): number {
  return (task.flow?.id ?? 0) + 1;
}

/**
 * socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER) bound to NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY
 * (a CT_GROUP_* mask): the conntrack events of the task's namespace. CAP_NET_ADMIN there.
 */
export function ctnlEventListen(task: Task, groups: number): CtnlEventSock {
  netAdminCapable(task);
  settle(task);
  return ctnlEventBind(netGet(task.net), groups);
}

/**
 * SOCK_DIAG_BY_FAMILY for AF_INET/IPPROTO_TCP with every state: what `ss -t` reads (a listener's
 * backlog shows as its Send-Q there, which /proc/net/tcp does not carry).
 */
export function sockDiagTcp(task: Task): TcpDiagMsg[] {
  settle(task);
  return tcpDiagDump(task.net);
}

/** recvmsg on that socket: the next event, waiting for one. */
export async function ctnlEventRecv(task: Task, sk: CtnlEventSock): Promise<CtnlEvent> {
  if (sk.queue.length === 0)
    await task.host.sched.wait(() => sk.queue.length > 0, { exclusive: true, flow: task.flow });
  return sk.queue.shift() as CtnlEvent;
}

export function ctnlEventClose(_task: Task, sk: CtnlEventSock): void {
  if (ctnlEventUnbind(sk)) netPut(sk.net);
}

/** nf_conntrack_count, as IPCTNL_MSG_CT_GET_STATS reports it. */
export function ctnlCountConntrack(task: Task): number {
  settle(task);
  return ctnlCount(task.net);
}

/** syslog(SYSLOG_ACTION_CLEAR): needs CAP_SYSLOG in the initial user namespace. */
export function syslogClear(task: Task): void {
  if (!initCapable(task)) throw new KernelError("EPERM");
  task.host.kmsg.clearSeq = task.host.kmsg.nextSeq;
}

// --- traffic control (tc qdisc) ----------------------------------------------------------------

export type { TcQdisc, TcQdiscReq } from "./sched/sch_api.js";
export type { NetemOptions, QdiscOptions } from "./sched/sch_generic.js";

/** RTM_NEWQDISC / RTM_DELQDISC (tc_modify_qdisc, tc_get_qdisc); CAP_NET_ADMIN. */
export function rtnlQdisc(task: Task, req: TcQdiscReq): void {
  settle(task);
  netAdminCapable(task);
  const dev = devFor(task, req.ifindex);
  if (req.kind === "RTM_DELQDISC") tcDeleteQdisc(dev, req);
  else tcModifyQdisc(dev, req);
}

/** RTM_GETQDISC dump (tc_dump_qdisc): the root qdiscs of the namespace's devices. */
export function rtnlGetQdiscs(task: Task): TcQdisc[] {
  settle(task);
  return tcDumpQdisc(task.net, devicesByIndex(task.net));
}

// --- ipset (nfnetlink NFNL_SUBSYS_IPSET: IPSET_CMD_*; IP_SET_OP_GET_BYNAME on the ipset socket) ---

export {
  type IpSetAdtReq,
  type IpSetCreateReq,
  type IpSetDump,
  IpSetError,
} from "./netfilter/ipset/ip_set.js";

/** IP_SET_OP_GET_BYNAME: a set's index, for a rule to refer to. */
export function ipsetGetByName(task: Task, name: string): number | undefined {
  return ipSetGetByName(task.net, name);
}

/** IPSET_CMD_CREATE */
export function ipsetCreate(task: Task, req: IpSetCreateReq): void {
  netAdminCapable(task);
  ipSetCreate(task.net, req);
}

/** IPSET_CMD_DESTROY, IPSET_CMD_FLUSH (one set, or all without a name). */
export function ipsetDestroy(task: Task, name?: string): void {
  netAdminCapable(task);
  ipSetDestroy(task.net, name);
}

export function ipsetFlush(task: Task, name?: string): void {
  netAdminCapable(task);
  ipSetFlush(task.net, name);
}

/** IPSET_CMD_RENAME, IPSET_CMD_SWAP */
export function ipsetRename(task: Task, from: string, to: string): void {
  netAdminCapable(task);
  ipSetRename(task.net, from, to);
}

export function ipsetSwap(task: Task, from: string, to: string): void {
  netAdminCapable(task);
  ipSetSwap(task.net, from, to);
}

/** IPSET_CMD_ADD / DEL / TEST: for a test, whether the element is in the set. */
export function ipsetAdt(task: Task, cmd: "add" | "del" | "test", req: IpSetAdtReq): boolean {
  netAdminCapable(task);
  settle(task);
  return ipSetUadt(task.net, cmd, req);
}

/** IPSET_CMD_LIST / SAVE: one set or all; without members for `list -t`. */
export function ipsetList(task: Task, name: string | undefined, members: boolean): IpSetDump[] {
  netAdminCapable(task);
  settle(task);
  return ipSetDump(task.net, name, members);
}

// --- packet sockets (AF_PACKET) ----------------------------------------------------------------

import {
  packetBind as afPacketBind,
  type PacketFilter,
  type PacketFrame,
  type PacketSock,
  packetCreate,
  packetDequeue,
  packetGetname,
  packetMcAdd,
  packetMcDrop,
  packetRelease,
  packetSendmsg,
  packetStatistics,
  type SockaddrLl,
} from "./core/af_packet.js";

export {
  ETH_P_ALL,
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MR_ALLMULTI,
  PACKET_MR_PROMISC,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  PACKET_OUTGOING,
} from "./core/af_packet.js";
export type { PacketFilter, PacketFrame, SockaddrLl };

/** An AF_PACKET socket descriptor; it holds its namespace like the others. */
export interface PacketSocket {
  readonly kind: "packet";
  readonly sk: PacketSock;
  closed: boolean;
}

/** socket(AF_PACKET, SOCK_RAW | SOCK_DGRAM, htons(protocol)): CAP_NET_RAW in the namespace's owner. */
export function packetSocket(task: Task, type: "SOCK_RAW" | "SOCK_DGRAM", protocol: number): PacketSocket {
  if (!nsCapable(credOf(task), task.net.userNs)) throw new KernelError("EPERM");
  const sk = packetCreate(task.net, type, protocol);
  if (task.net !== task.host.initNet) netGet(task.net);
  return { kind: "packet", sk, closed: false };
}

/** bind(sockaddr_ll): a device (0: all) and a protocol (0: unchanged). */
export function packetBind(
  task: Task,
  s: PacketSocket,
  to: { readonly ifindex: number; readonly protocol: number },
): void {
  settle(task);
  afPacketBind(s.sk, to.ifindex, to.protocol);
}

/** getsockname(sockaddr_ll): the bound device's hardware type and address. */
export function packetGetsockname(_task: Task, s: PacketSocket): SockaddrLl {
  return packetGetname(s.sk);
}

/** sendto(sockaddr_ll): a frame (SOCK_RAW) or a payload to `to.addr` (SOCK_DGRAM); the bytes sent. */
export function packetSendto(
  task: Task,
  s: PacketSocket,
  payload: Uint8Array,
  to: { readonly ifindex?: number; readonly protocol?: number; readonly addr?: Uint8Array } = {},
): number {
  settle(task);
  return packetSendmsg(s.sk, payload, to);
}

/**
 * recvfrom(MSG_DONTWAIT): the next queued frame, its sockaddr_ll and its skb->tstamp (SO_TIMESTAMP,
 * virtual ns); a pending error first.
 */
export function packetRecvfrom(_task: Task, s: PacketSocket): PacketFrame | undefined {
  const err = s.sk.err;
  if (err) {
    s.sk.err = undefined;
    throw err;
  }
  return packetDequeue(s.sk);
}

/** poll() for POLLIN (or a pending error) until `deadlineNs` (absolute virtual time). */
export function packetPollIn(task: Task, s: PacketSocket, deadlineNs: number): Promise<boolean> {
  const sk = s.sk;
  return task.host.sched.wait(() => sk.rcvQueue.length > 0 || sk.err !== undefined, {
    deadline: deadlineNs,
    exclusive: true,
    flow: task.flow,
  });
}

/** close() */
export function packetClose(task: Task, s: PacketSocket): void {
  if (s.closed) return;
  s.closed = true;
  packetRelease(s.sk);
  if (s.sk.net !== task.host.initNet) netPut(s.sk.net);
}

/** setsockopt(SO_ATTACH_FILTER) / SO_DETACH_FILTER (undefined). */
export function packetAttachFilter(_task: Task, s: PacketSocket, filter: PacketFilter | undefined): void {
  s.sk.filter = filter;
}

/** setsockopt(PACKET_RX_RING): a TPACKET_V3 ring of `bytes` the kernel fills and the reader frees. */
export function packetSetRxRing(_task: Task, s: PacketSocket, bytes: number): void {
  if (s.sk.rcvQueue.length > 0 || bytes <= 0) throw new KernelError("EBUSY");
  s.sk.ringBytes = bytes;
}

/** setsockopt(PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP): promiscuous or allmulti on a device. */
export function packetMembership(
  task: Task,
  s: PacketSocket,
  mr: { readonly add: boolean; readonly ifindex: number; readonly type: number },
): void {
  settle(task);
  if (mr.add) packetMcAdd(s.sk, mr.ifindex, mr.type);
  else packetMcDrop(s.sk, mr.ifindex, mr.type);
}

/** getsockopt(PACKET_STATISTICS): frames passed by the filter (drops included) and drops; resets. */
export function packetGetStatistics(
  _task: Task,
  s: PacketSocket,
): { readonly packets: number; readonly drops: number } {
  return packetStatistics(s.sk);
}
