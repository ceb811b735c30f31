// What UDP and TCP sockets share (struct sock + struct inet_sock), and local port binding: the
// bind-conflict rules of inet_csk_get_port / udp_lib_get_port and the ephemeral port choice.
import type { SkOwner } from "../core/skbuff.js";
import type { Host } from "../host.js";
import { jhash3words } from "../lib/jhash.js";
import type { Net } from "../net_namespace.js";
import { type Errno, KernelError } from "../syscalls.js";
import { ipDevFind } from "./devinet.js";
import type { SockExtendedErr } from "./netns_ipv4.js";

/** sk_shutdown bits. */
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

/** struct sock + struct inet_sock, the fields both protocols use. */
export interface InetSock {
  readonly net: Net;
  /** IPPROTO_TCP or IPPROTO_UDP. */
  readonly protocol: number;
  /** sock_i_ino: the socket inode, per host, increasing. */
  readonly inode: number;
  /** sock_i_uid */
  readonly uid: number;
  /** SO_BINDTODEVICE: 0 for any. */
  boundDevIf: number;
  /** inet_rcv_saddr: the bound (or connected) local address, 0 for any. */
  rcvSaddr: number;
  /** inet_saddr: the source address of what the socket sends. */
  saddr: number;
  /** inet_num: the local port, 0 while unbound. */
  num: number;
  /** inet_daddr / inet_dport: the peer, 0 while unconnected. */
  daddr: number;
  dport: number;
  /** SO_REUSEADDR, SO_REUSEPORT, SO_BROADCAST. */
  reuse: boolean;
  reuseport: boolean;
  broadcast: boolean;
  /** IP_TTL: undefined for ip_default_ttl. */
  ttl: number | undefined;
  /** IP_MTU_DISCOVER */
  pmtudisc: number;
  recverr: boolean;
  readonly errQueue: SockExtendedErr[];
  /** sk_err (reported once, then cleared) and sk_err_soft. */
  err: Errno | undefined;
  errSoft: Errno | undefined;
  /** sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN. */
  shutdown: number;
  /** SOCK_BINDPORT_LOCK: bind() chose the port (it stays when the socket disconnects). */
  bindPortLock: boolean;
  readonly owner: SkOwner;
}

/** The fields a fresh socket starts with (sock_init_data + inet_create). */
export function inetSockInit(net: Net, protocol: number, uid: number) {
  return {
    net,
    protocol,
    inode: net.host.allocInode(),
    uid,
    boundDevIf: 0,
    rcvSaddr: 0,
    saddr: 0,
    num: 0,
    daddr: 0,
    dport: 0,
    reuse: false,
    reuseport: false,
    broadcast: false,
    ttl: undefined,
    pmtudisc: 1,
    recverr: false,
    errQueue: [] as SockExtendedErr[],
    err: undefined,
    errSoft: undefined,
    shutdown: 0,
    bindPortLock: false,
    /** The struct socket and file, given by socket() or accept(): what skb->sk's owner reads. */
    owner: { fullsock: true, hasSocket: false, fileCred: undefined } as SkOwner,
  };
}

/** sock_error: the pending error, cleared by reading it. */
export function sockError(sk: InetSock): KernelError | undefined {
  const err = sk.err;
  if (!err) return undefined;
  sk.err = undefined;
  return new KernelError(err);
}

/** What a bound socket looks like to the conflict check (a TIME_WAIT socket too). */
export interface BoundSock {
  readonly boundDevIf: number;
  readonly rcvSaddr: number;
  readonly reuse: boolean;
  readonly reuseport: boolean;
  readonly uid: number;
  /** TCP only: listening or in TIME_WAIT matters to the rules. */
  readonly listening: boolean;
  readonly timeWait: boolean;
}

/** inet_rcv_saddr_equal with match_wildcard: either wildcard, or the same address. */
function addrOverlap(a: number, b: number): boolean {
  return a === 0 || b === 0 || a === b;
}

function devOverlap(a: number, b: number): boolean {
  return !a || !b || a === b;
}

/** inet_bind_conflict for an explicit bind (relax and reuseport_ok true), then the address check. */
export function tcpBindConflict(sk: BoundSock, sk2: BoundSock): boolean {
  if (!devOverlap(sk.boundDevIf, sk2.boundDevIf) || !addrOverlap(sk.rcvSaddr, sk2.rcvSaddr)) return false;
  if (sk.reuse && sk2.reuse && !sk2.listening) return false;
  if (sk.reuseport && sk2.reuseport && (sk2.timeWait || sk.uid === sk2.uid)) return false;
  return true;
}

/** udp_lib_lport_inuse: both SO_REUSEADDR, or both SO_REUSEPORT by one user, may share. */
export function udpBindConflict(sk: BoundSock, sk2: BoundSock): boolean {
  if (!devOverlap(sk.boundDevIf, sk2.boundDevIf) || !addrOverlap(sk.rcvSaddr, sk2.rcvSaddr)) return false;
  if (sk.reuse && sk2.reuse) return false;
  if (sk.reuseport && sk2.reuseport && sk.uid === sk2.uid) return false;
  return true;
}

/**
 * inet_bind's address check: a local address, broadcast or 0, unless ip_nonlocal_bind (or
 * IP_FREEBIND) lets any address through.
 */
export function inetBindCheckAddr(net: Net, addr: number): void {
  if (addr === 0 || addr === 0xffffffff || addr >>> 28 === 0xe) return;
  if (net.ipv4.sysctlIpNonlocalBind) return;
  if (!ipDevFind(net, addr)) throw new KernelError("EADDRNOTAVAIL");
}

/** INET_TABLE_PERTURB_SIZE: how many perturbation slots the connect port search spreads over. */
const INET_TABLE_PERTURB_SIZE = 1 << 16;

/** table_perturb (one per machine, as the kernel's static array) and the secret it is hashed with. */
const perturbTables = new WeakMap<Host, { readonly secret: number; readonly slots: Map<number, number> }>();

/**
 * __inet_hash_connect's port for a connect(): inet_sk_port_offset (a keyed hash of the source,
 * destination and destination port) picks a perturbation slot and a start; ports of the start's
 * (even) parity are tried from there, then the other parity. After a success the slot moves on
 * by what was scanned plus 2, or a random even step up to 16, so back-to-back connections to one
 * peer take nearby, increasing ports (e.g. 38054, 38070, 38072) as on Linux.
 */
export function inetHashConnectPort(
  net: Net,
  saddr: number,
  daddr: number,
  dport: number,
  free: (port: number) => boolean,
): number {
  const host = net.host;
  let table = perturbTables.get(host);
  if (!table) {
    table = { secret: host.randomU32(), slots: new Map() };
    perturbTables.set(host, table);
  }
  const [low, highIncl] = net.ipv4.sysctlLocalPortRange;
  const high = highIncl + 1;
  let remaining = high - low;
  if (remaining > 1) remaining &= ~1;
  const reserved = net.ipv4.reservedPorts;
  // secure_ipv4_port_ephemeral: 64 bits; the low ones pick the slot, the high ones add to it.
  const lo32 = jhash3words(saddr >>> 0, daddr >>> 0, dport, table.secret);
  const hi32 = jhash3words(daddr >>> 0, saddr >>> 0, dport, table.secret ^ 0x9e3779b9);
  const index = lo32 & (INET_TABLE_PERTURB_SIZE - 1);
  let offset = ((table.slots.get(index) ?? 0) + hi32) % remaining;
  offset &= ~1;
  for (;;) {
    let port = low + offset;
    for (let i = 0; i < remaining; i += 2, port += 2) {
      if (port >= high) port -= remaining;
      if (reserved.has(port) || !free(port)) continue;
      const step = Math.max(i, (host.randomU32() % 8) * 2);
      table.slots.set(index, ((table.slots.get(index) ?? 0) + step + 2) >>> 0);
      return port;
    }
    offset++;
    if (!(offset & 1) || remaining <= 1) break;
  }
  throw new KernelError("EADDRNOTAVAIL");
}

/**
 * Picks a free port in ip_local_port_range, starting at a random offset and stepping by two
 * from an even start as __inet_hash_connect does (bind(0) looks at the odd ones first as
 * inet_csk_find_open_port does), then the other parity. `free` says whether a port may be used.
 */
export function pickEphemeralPort(net: Net, odd: boolean, free: (port: number) => boolean): number {
  const [low, high] = net.ipv4.sysctlLocalPortRange;
  const reserved = net.ipv4.reservedPorts;
  const span = high - low + 1;
  const offset = net.host.randomU32() % span;
  for (const parity of odd ? [1, 0] : [0, 1]) {
    for (let i = 0; i < span; i++) {
      const port = low + ((offset + i) % span);
      if ((port & 1) !== parity || reserved.has(port)) continue;
      if (free(port)) return port;
    }
  }
  throw new KernelError("EADDRNOTAVAIL");
}
