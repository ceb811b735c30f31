// xt_owner.c: a locally generated packet matched by the socket that sent it (skb_to_full_sk):
// whether there is one, and the uid and gid of the file behind it. Only OUTPUT and POSTROUTING
// see packets with a socket.
import { KernelError } from "../../syscalls.js";
import {
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  XT_OWNER_GID,
  XT_OWNER_SOCKET,
  XT_OWNER_UID,
  type XtMatch,
} from "../../uapi_netfilter.js";
import { makeKuid } from "../../user_namespace.js";
import type { XtCheckParam, XtMatchFn } from "../x_tables.js";

type Info = Extract<XtMatch, { kind: "owner" }>;

const XT_OWNER_MASK = 15;

/** The rule's ids as kernel ids (make_kuid through the namespace's owning user namespace). */
function kids(
  m: Info,
  par: XtCheckParam,
): { uidMin?: number; uidMax?: number; gidMin?: number; gidMax?: number } {
  const ns = par.net.userNs;
  return {
    uidMin: makeKuid(ns, m.uidMin),
    uidMax: makeKuid(ns, m.uidMax),
    gidMin: makeKuid(ns, m.gidMin),
    gidMax: makeKuid(ns, m.gidMax),
  };
}

/** owner_check: the hooks (LOCAL_OUT, POST_ROUTING), known bits, valid and ordered ranges. */
export function ownerMtCheck(m: Info, par: XtCheckParam): void {
  if (par.hookMask & ~((1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING)))
    throw new KernelError("EINVAL");
  if (m.match & ~XT_OWNER_MASK) throw new KernelError("EINVAL");
  const k = kids(m, par);
  if (
    m.match & XT_OWNER_UID &&
    (k.uidMin === undefined || k.uidMax === undefined || m.uidMax < m.uidMin || k.uidMax < k.uidMin)
  )
    throw new KernelError("EINVAL");
  if (
    m.match & XT_OWNER_GID &&
    (k.gidMin === undefined || k.gidMax === undefined || m.gidMax < m.gidMin || k.gidMax < k.gidMin)
  )
    throw new KernelError("EINVAL");
}

/** owner_mt */
export function ownerMt(m: Info, par: XtCheckParam): XtMatchFn {
  const k = kids(m, par);
  const uidMin = k.uidMin ?? 0;
  const uidMax = k.uidMax ?? 0;
  const gidMin = k.gidMin ?? 0;
  const gidMax = k.gidMax ?? 0;
  const { match, invert } = m;
  return (skb) => {
    const sk = skb.sk;
    // No socket, or one without a struct socket (a child not yet accepted, a timewait socket).
    if (!sk?.hasSocket) return (match ^ invert) === 0;
    // A socket exists but the rule wants ! --socket-exists.
    if (match & invert & XT_OWNER_SOCKET) return false;
    const cred = sk.fileCred;
    // A kernel socket has no file: only a rule without uid and gid criteria can match.
    if (!cred) return ((match ^ invert) & (XT_OWNER_UID | XT_OWNER_GID)) === 0;
    if (match & XT_OWNER_UID) {
      const inRange = cred.uid >= uidMin && cred.uid <= uidMax;
      if (inRange !== ((invert & XT_OWNER_UID) === 0)) return false;
    }
    if (match & XT_OWNER_GID) {
      // The fsgid; netnest's credentials carry no supplementary groups to look through.
      const inRange = cred.gid >= gidMin && cred.gid <= gidMax;
      if (inRange !== ((invert & XT_OWNER_GID) === 0)) return false;
    }
    return true;
  };
}
