// One emulated machine: the initial namespace, the namespace list, the /run/netns name table,
// virtual time and the seeded random generator.
import { Clock } from "./clock.js";
import type { NetDevice, NetdevNotifier } from "./core/dev.js";
import { type NeighTable, newArpTable } from "./core/neighbour.js";
import type { RtnlEcho, RtnlFillers, RtnlSock } from "./core/rtnetlink.js";
import { PacketSlab } from "./core/skbuff.js";
import type { InetaddrNotifier } from "./ipv4/devinet.js";
import type { Inet6Table } from "./ipv6/addrconf.js";
import type { PernetOps } from "./net_namespace.js";
import { copyNet, type Net, netPut } from "./net_namespace.js";
import { INETADDR_CHAIN, NETDEV_CHAIN, PERNET_OPS } from "./pernet.js";
import { type Kmsg, newKmsg } from "./printk.js";
import { Sched } from "./sched.js";
import type { Task } from "./syscalls.js";
import type { Tracer } from "./trace.js";
import { initUserNs, type UserNamespace } from "./user_namespace.js";

export interface HostOptions {
  /** Seed for every random choice (MAC addresses, reachable times): same seed, same run. */
  readonly seed?: number;
  /**
   * num_possible_cpus(): drivers that give each CPU a queue (veth's numtxqueues/numrxqueues) show
   * it. Defaults to 2, what the reference machine the scenarios are recorded on has.
   */
  readonly cpus?: number;
  /**
   * CLOCK_REALTIME at boot, in microseconds since the epoch: the wall clock then runs with the
   * virtual clock (a script's `sleep 2` moves `date` on by two seconds). Defaults to the real
   * wall clock when the host is made; a fixed value makes timestamps reproducible.
   */
  readonly realtimeUs?: number;
}

export class Host {
  readonly clock = new Clock();
  /** The rtnetlink fill functions, given by the system-call layer when a socket first listens. */
  rtnlFillers: RtnlFillers | undefined;
  /** NETLINK_ROUTE sockets with NETLINK_LISTEN_ALL_NSID, whatever their namespace. */
  rtnlListenAllNsid: Set<RtnlSock> | undefined;
  /** The NLM_F_ECHO request being served, if any. */
  rtnlEcho: RtnlEcho | undefined;
  /** Who is blocked on what: virtual time moves when every task is (see sched.ts). */
  readonly sched = new Sched(this.clock);
  readonly pernetOps: readonly PernetOps[] = PERNET_OPS;
  readonly netdevChain: readonly NetdevNotifier[] = NETDEV_CHAIN;
  /** inetaddr_chain: who hears of an IPv4 address leaving. */
  readonly inetaddrChain: readonly InetaddrNotifier[] = INETADDR_CHAIN;
  /** IPv6 addresses per device (idev->addr_list). */
  readonly inet6: Inet6Table = new WeakMap();
  /** Link events waiting for linkwatch_run_queue (see core/dev.ts). */
  readonly linkwatchQueue: NetDevice[] = [];
  /** The kernel log (printk's ring buffer), read by dmesg. */
  readonly kmsg: Kmsg = newKmsg();
  /** arp_tbl: the one ARP neighbour table of the machine, every namespace's entries in it. */
  readonly arpTbl: NeighTable;
  /** Where packet buffers come from (the skbuff caches). */
  readonly packetSlab = new PacketSlab();
  /** Packet tracing for `netnest trace`; undefined (and free) unless it is on. */
  tracer: Tracer | undefined;
  /** net_namespace_list, in creation order. */
  readonly namespaces = new Set<Net>();
  /** The bind mounts under /run/netns: name -> namespace, in creation order. */
  readonly netnsNames = new Map<string, Net>();
  /**
   * The processes beyond the shell itself that a script can name by pid (its background jobs),
   * each as the task it runs as now: the program it is running (after `ip netns exec`'s setns and
   * exec, that program's task), else the job's own. /proc/PID/ns/net reads it.
   */
  readonly processes = new Map<number, Task>();
  /** init_user_ns: the namespace root owns, with the machine's ucount limits. */
  readonly initUserNs: UserNamespace = initUserNs();
  readonly initNet: Net;
  /** qdisc_alloc_handle's autohandle: one counter for every device of the machine. */
  qdiscAutohandle = 0x80000000;
  /** num_possible_cpus() (HostOptions.cpus). */
  readonly possibleCpus: number;
  /** The wall clock when the virtual clock read 0 (HostOptions.realtimeUs; settimeofday moves it). */
  bootRealtimeUs: number;
  private rngState: number;
  /** hashrnd of flow_hash_from_keys (net_get_random_once): drawn the first time a flow is hashed. */
  flowHashRnd?: readonly [bigint, bigint];
  private nextNetId = 1;
  /** get_next_ino for socket inodes: increasing per host. */
  private nextInode = 10000;

  constructor(options: HostOptions = {}) {
    this.rngState = (options.seed ?? 0x6e65746e) >>> 0 || 1;
    this.possibleCpus = options.cpus ?? 2;
    this.arpTbl = newArpTable(this.rngState);
    this.bootRealtimeUs = options.realtimeUs ?? Date.now() * 1000;
    this.initNet = copyNet(this);
  }

  /** Allocates the namespace's inode-like id (net->ns.inum). */
  allocNetId(): number {
    return this.nextNetId++;
  }

  /** get_next_ino: a new socket's inode number. */
  allocInode(): number {
    return ++this.nextInode;
  }

  /** A root task in the initial namespace, like the shell netnest runs scripts in. */
  initTask(): Task {
    return { host: this, net: this.initNet, uid: 0, userNs: this.initUserNs };
  }

  /** xorshift32: deterministic per seed, standing in for get_random_bytes. */
  randomU32(): number {
    let x = this.rngState;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.rngState = x;
    return x;
  }

  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.randomU32() & 255;
    return out;
  }

  /** Drops a name's reference (umount + unlink of /run/netns/NAME). */
  releaseName(name: string): void {
    const net = this.netnsNames.get(name);
    if (!net) return;
    this.netnsNames.delete(name);
    netPut(net);
  }
}
