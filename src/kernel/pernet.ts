// The subsystems every namespace is built from, in init order (exit runs in reverse), and the
// netdevice notifier chain in the order its subscribers registered.
import { packetNotifier } from "./core/af_packet.js";
import type { NetdevNotifier } from "./core/dev.js";
import { defaultDeviceExit } from "./core/dev_exit.js";
import { upperDevNotifier } from "./core/dev_upper.js";
import { neighNetExit } from "./core/neighbour.js";
import { rtnetlinkEvent } from "./core/rtnetlink.js";
import { loopbackNetOps } from "./drivers/loopback.js";
import { vxlanNetOps } from "./drivers/vxlan.js";
import { arpNetdevEvent } from "./ipv4/arp.js";
import { type InetaddrNotifier, inetNetdevEvent } from "./ipv4/devinet.js";
import { newNetnsIpv4 } from "./ipv4/netns_ipv4.js";
import { ipv4SysctlInheritInitNet } from "./ipv4/sysctl_net_ipv4.js";
import { tcpNetExit } from "./ipv4/tcp.js";
import { addrconfNotify } from "./ipv6/addrconf.js";
import type { Net, PernetOps } from "./net_namespace.js";
import { newNetnsNf } from "./netfilter/core.js";
import { nfConntrackNetExit, nfConntrackPernetInit } from "./netfilter/nf_conntrack.js";
import { masqDeviceEvent, masqInetEvent } from "./netfilter/nf_nat.js";
import { xtTablesNetExit } from "./netfilter/x_tables.js";

/** ip_fib_net_init, devinet_init_net, icmp_sk_init…: the namespace's IPv4 state. */
const ipv4NetOps: PernetOps = {
  name: "ipv4",
  init(net: Net) {
    net.ipv4 = newNetnsIpv4();
    ipv4SysctlInheritInitNet(net);
  },
  exit(net: Net) {
    const ipv4 = net.ipv4;
    if (ipv4.made("fibTables")) ipv4.fibTables.clear();
    if (ipv4.made("rawSockets")) ipv4.rawSockets.clear();
    if (ipv4.made("tcp")) tcpNetExit(net);
    if (ipv4.made("neighbours")) neighNetExit(net);
  },
};

/** netfilter_net_ops and the x_tables pernet ops: hooks first, tables torn down at exit. */
const netfilterNetOps: PernetOps = {
  name: "netfilter",
  init(net: Net) {
    net.nf = newNetnsNf();
  },
  exit(net: Net) {
    if (net.nf.made("xtTables")) xtTablesNetExit(net);
  },
};

/** nf_conntrack_pernet_ops: the table and its sysctls exist in every namespace. */
const conntrackNetOps: PernetOps = {
  name: "nf_conntrack",
  init: nfConntrackPernetInit,
  exit: nfConntrackNetExit,
};

/** default_device_ops: at namespace exit, virtual devices are destroyed (with their peers). */
const defaultDeviceOps: PernetOps = {
  name: "default_device",
  init() {},
  exit: defaultDeviceExit,
};

export const PERNET_OPS: readonly PernetOps[] = [
  ipv4NetOps,
  netfilterNetOps,
  conntrackNetOps,
  loopbackNetOps,
  defaultDeviceOps,
  // vxlan_net_ops registers at module init, after the core: its exit runs first.
  vxlanNetOps,
];

export const NETDEV_CHAIN: readonly NetdevNotifier[] = [
  // rtnetlink_init registers first (core_initcall): its RTM_NEWLINK goes out before the protocols
  // react (__dev_notify_flags and dev_close_many announce the link, then notify).
  rtnetlinkEvent,
  inetNetdevEvent,
  arpNetdevEvent,
  (event, dev) => addrconfNotify(dev.net.host.inet6, event, dev),
  upperDevNotifier,
  // packet_init (module_init) registers packet_notifier.
  packetNotifier,
  // nf_nat_masquerade_inet_register_notifiers: last, when the first MASQUERADE rule loads.
  masqDeviceEvent,
];

/** inetaddr_chain: fib_inetaddr_event is called directly by inet_del_ifa; then MASQUERADE. */
export const INETADDR_CHAIN: readonly InetaddrNotifier[] = [masqInetEvent];
