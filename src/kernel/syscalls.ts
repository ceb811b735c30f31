// The system-call surface: the only kernel module userland may import. Every function takes the
// calling task, as a syscall runs in the context of `current`.
import type { Host } from "./host.js";
import type { Net } from "./net_namespace.js";
import type {
  NsFd,
  RtAddr,
  RtAddrReq,
  RtLink,
  RtLinkReq,
  RtRoute,
  RtRouteGetReq,
  RtRouteReq,
} from "./uapi.js";

export * from "./uapi.js";

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
  | "ENOTDIR"
  | "EISDIR"
  | "EINVAL"
  | "ENOSPC"
  | "ERANGE"
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
  | "EDESTADDRREQ";

/** A failed system call: the errno, and the extended ack text (NL_SET_ERR_MSG) when netlink set one. */
export class KernelError extends Error {
  readonly errno: Errno;
  readonly extack: string | undefined;
  constructor(errno: Errno, extack?: string) {
    super(extack ? `${errno}: ${extack}` : errno);
    this.errno = errno;
    this.extack = extack;
  }
}

/** A process's view of the kernel: the host, its network namespace and its credentials. */
export interface Task {
  readonly host: Host;
  readonly net: Net;
  readonly uid: number;
}
