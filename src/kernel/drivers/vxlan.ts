// Virtual eXtensible LAN (drivers/net/vxlan/vxlan_core.c, RFC 7348): an Ethernet device whose
// frames travel inside UDP over IPv4. The device's forwarding database maps inner MAC addresses
// to remote tunnel endpoints (the all-zeros entry is the default destination, flooded to each of
// its remotes); a kernel UDP socket on the destination port (udp_tunnel, encap_rcv) takes the
// datagrams in, decapsulates them and learns where inner source addresses live.

import { isMulticastMac, macEqual } from "../../wire/ethernet.js";
import { IPPROTO_UDP } from "../../wire/ipv4.js";
import { emitUdp, UDP_HLEN } from "../../wire/udp.js";
import {
  allocNetdev,
  isValidEtherAddr,
  type NetDevice,
  type NetDeviceOps,
  type NetdevEvent,
  registerNetdevice,
  unregisterNetdevice,
} from "../core/dev.js";
import { netdevUpperDevLink, netdevUpperDevUnlink } from "../core/dev_upper.js";
import { devStatsAdd, netifRx } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import { ipMcDropSocket, ipMcJoinGroup, ipMcLeaveGroup } from "../ipv4/igmp.js";
import { ipBuildSkb, ipLocalOut } from "../ipv4/ip_output.js";
import { ipRouteOutputKey } from "../ipv4/route.js";
import { type UdpSock, udpBind, udpSockCreate, udpUnhash } from "../ipv4/udp.js";
import type { Net, PernetOps } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import {
  ARPHRD_ETHER,
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_UP,
  RTCF_BROADCAST,
  RTCF_LOCAL,
  RTCF_MULTICAST,
} from "../uapi.js";

/** The kernel's default destination port (not IANA's 4789). */
export const VXLAN_DEFAULT_PORT = 8472;
/** VXLAN_HEADROOM over IPv4: outer IP (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
const VXLAN_HEADROOM = 50;
const VXLAN_HLEN = 8;
/** VXLAN_HF_VNI: the I flag. */
const VXLAN_HF_VNI = 0x08;
const NUD_REACHABLE = 0x02;
const NUD_NOARP = 0x40;
const NUD_PERMANENT = 0x80;
const NTF_SELF = 0x02;
const NTF_ROUTER = 0x80;
const ZERO_MAC = new Uint8Array(6);

/** struct vxlan_rdst */
export interface VxlanRdst {
  readonly ip: number;
  /** remote_port, 0 for the device's dstport. */
  readonly port: number;
  /** remote_vni, undefined for the device's own. */
  readonly vni: number | undefined;
  readonly ifindex: number;
}

/** struct vxlan_fdb */
export interface VxlanFdb {
  readonly mac: Uint8Array;
  state: number;
  flags: number;
  readonly remotes: VxlanRdst[];
  /** In virtual nanoseconds. */
  updated: number;
  used: number;
}

/** struct vxlan_config, the IPv4 part. */
export interface VxlanConfig {
  vni: number;
  /** default_dst.remote_ip: a unicast remote or a multicast group, 0 for none. */
  remote: number;
  local: number;
  /** default_dst.remote_ifindex (`dev D`), 0 for none. */
  link: number;
  /** 0 means auto (the route's hop limit). */
  ttl: number;
  ttlInherit: boolean;
  /** 1 means inherit. */
  tos: number;
  /** VXLAN_DF_UNSET (0), SET (1), INHERIT (2) */
  df: number;
  label: number;
  ageing: number;
  limit: number;
  dstPort: number;
  portMin: number;
  portMax: number;
  learning: boolean;
  proxy: boolean;
  rsc: boolean;
  l2miss: boolean;
  l3miss: boolean;
  udpCsum: boolean;
  udp6ZeroCsumTx: boolean;
  udp6ZeroCsumRx: boolean;
}

/** struct vxlan_sock: one UDP socket per (namespace, port), shared by its open devices. */
interface VxlanSock {
  readonly sk: UdpSock;
  readonly devs: NetDevice[];
}

/** struct vxlan_dev */
interface VxlanDev {
  /** vxlan->net: the namespace the tunnel's packets live in (where the device was created). */
  readonly net: Net;
  readonly cfg: VxlanConfig;
  /** fdb_list: newest first, as the dump shows it. */
  readonly fdb: VxlanFdb[];
  vs: VxlanSock | undefined;
  /** Stands in for the boot-time flow-hash seed (hashrnd) of skb_get_hash. */
  readonly hashSeed: number;
}

function vxlanOf(dev: NetDevice): VxlanDev {
  return dev.priv as VxlanDev;
}

export function isVxlan(dev: NetDevice): boolean {
  return dev.ops === vxlanOps;
}

function isMulticastIp(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** The fdb entries, with expired learned ones gone (vxlan_cleanup, every FDB_AGE_INTERVAL). */
function vxlanFdbLive(v: VxlanDev): VxlanFdb[] {
  const now = v.net.host.clock.now;
  if (v.cfg.ageing > 0) {
    for (let i = v.fdb.length - 1; i >= 0; i--) {
      const f = v.fdb[i] as VxlanFdb;
      if (f.state & (NUD_PERMANENT | NUD_NOARP)) continue;
      if (now >= f.updated + v.cfg.ageing * 1e9) v.fdb.splice(i, 1);
    }
  }
  return v.fdb;
}

/** vxlan_find_mac */
function vxlanFindMac(v: VxlanDev, mac: Uint8Array): VxlanFdb | undefined {
  return vxlanFdbLive(v).find((f) => macEqual(f.mac, mac));
}

/** jhash-like mixing for the flow hash (skb_get_hash over the inner flow). */
function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * udp_flow_src_port: the inner flow's hash picks the source port in the range (the local port
 * range when the device sets none), so one flow keeps one port and flows spread out.
 */
function udpFlowSrcPort(v: VxlanDev, frame: Uint8Array): number {
  let [min, max] = [v.cfg.portMin, v.cfg.portMax];
  if (min >= max) [min, max] = v.net.ipv4.sysctlLocalPortRange;
  let h = v.hashSeed;
  const type = ((frame[12] as number) << 8) | (frame[13] as number);
  if (type === 0x0800 && frame.length >= 34) {
    // Addresses, protocol and (for TCP/UDP) ports, as the flow dissector keys them.
    for (let i = 26; i < 34; i++) h = mix(h, frame[i] as number);
    const proto = frame[23] as number;
    h = mix(h, proto);
    const ihl = ((frame[14] as number) & 15) * 4;
    if ((proto === 6 || proto === 17) && frame.length >= 14 + ihl + 4)
      for (let i = 14 + ihl; i < 14 + ihl + 4; i++) h = mix(h, frame[i] as number);
  } else {
    for (let i = 0; i < 12; i++) h = mix(h, frame[i] as number);
  }
  h = (h ^ (h << 16)) >>> 0;
  return Math.floor((h * (max - min)) / 2 ** 32) + min;
}

/** vxlan_xmit_one: encapsulate toward one remote and send through the IPv4 output path. */
function vxlanXmitOne(dev: NetDevice, frame: Uint8Array, rdst: VxlanRdst, traceId?: number): void {
  const v = vxlanOf(dev);
  const net = v.net;
  if (rdst.ip === 0) {
    dev.stats.txDropped++;
    return;
  }
  const dstPort = rdst.port || v.cfg.dstPort;
  const vni = rdst.vni ?? v.cfg.vni;
  const rt = ipRouteOutputKey(net, {
    daddr: rdst.ip,
    ...(v.cfg.local ? { saddr: v.cfg.local } : {}),
    ...(rdst.ifindex ? { oif: rdst.ifindex } : {}),
  });
  if (rt instanceof KernelError) {
    // tx_error: ENETUNREACH is a carrier error, every failure a tx error.
    dev.stats.txErrors++;
    return;
  }
  if (rt.flags & RTCF_LOCAL && !(rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST))) {
    encapBypass(dev, frame, vni, dstPort, traceId);
    return;
  }
  const saddr = v.cfg.local || rt.src;
  let ttl = v.cfg.ttl;
  if (!ttl && isMulticastIp(rdst.ip)) ttl = 1;
  if (!ttl) ttl = net.ipv4.sysctlIpDefaultTtl;
  // vxlan_build_skb: the VXLAN header (I flag, VNI) in front of the inner frame.
  const payload = new Uint8Array(VXLAN_HLEN + frame.length);
  payload[0] = VXLAN_HF_VNI;
  payload[4] = (vni >>> 16) & 255;
  payload[5] = (vni >>> 8) & 255;
  payload[6] = vni & 255;
  payload.set(frame, VXLAN_HLEN);
  const body = new Uint8Array(UDP_HLEN + payload.length);
  emitUdp(body, 0, { source: udpFlowSrcPort(v, frame), dest: dstPort, payload }, saddr, rdst.ip);
  if (!v.cfg.udpCsum) {
    body[6] = 0;
    body[7] = 0;
  }
  const skb = ipBuildSkb(
    net,
    {
      saddr,
      daddr: rdst.ip,
      protocol: IPPROTO_UDP,
      ttl,
      tos: v.cfg.tos === 1 ? 0 : v.cfg.tos,
      df: v.cfg.df === 1,
    },
    body,
  );
  if (traceId !== undefined) skb.traceId = traceId;
  ipLocalOut(net, skb, rt);
  // iptunnel_xmit_stats: the inner packet from its network header.
  devStatsAdd(dev, "tx", frame.length - 14);
}

/**
 * encap_bypass_if_local -> vxlan_encap_bypass: a remote that is a local address gets the frame
 * straight from device to device, without UDP (learned as coming from 127.0.0.1).
 */
function encapBypass(
  dev: NetDevice,
  frame: Uint8Array,
  vni: number,
  dstPort: number,
  traceId?: number,
): void {
  const v = vxlanOf(dev);
  const dst = v.vs?.devs.find((x) => vxlanOf(x).cfg.vni === vni && vxlanOf(x).cfg.dstPort === dstPort);
  const target =
    dst ??
    [...v.net.devByIndex.values()].find(
      (x) =>
        isVxlan(x) && x.flags & IFF_UP && vxlanOf(x).cfg.vni === vni && vxlanOf(x).cfg.dstPort === dstPort,
    );
  if (!target) {
    dev.stats.txErrors++;
    return;
  }
  // skb->len at transmit: the whole frame, Ethernet header included.
  const len = frame.length;
  if (vxlanOf(target).cfg.learning) vxlanSnoop(vxlanOf(target), 0x7f000001, frame.subarray(6, 12));
  devStatsAdd(dev, "tx", len);
  devStatsAdd(target, "rx", len);
  netifRx(frame.slice(), target, 0, undefined, traceId);
}

/**
 * vxlan_igmp_join: the socket joins the default destination's group on its device. Another
 * device of the same socket in that group already is fine (EADDRINUSE is ignored).
 */
function vxlanMulticastJoin(v: VxlanDev): void {
  if (!isMulticastIp(v.cfg.remote) || !v.vs) return;
  const sk = v.vs.sk;
  if (!sk.mcList) sk.mcList = [];
  try {
    ipMcJoinGroup(v.net, sk.mcList, { multiaddr: v.cfg.remote, ifindex: v.cfg.link });
  } catch (err) {
    if (!(err instanceof KernelError) || err.errno !== "EADDRINUSE") throw err;
  }
}

/**
 * vxlan_multicast_leave: the group is left unless another running device on the same socket
 * still uses it with the same device (vxlan_group_used).
 */
function vxlanMulticastLeave(dev: NetDevice): void {
  const v = vxlanOf(dev);
  if (!isMulticastIp(v.cfg.remote) || !v.vs?.sk.mcList) return;
  const used = v.vs.devs.some(
    (other) =>
      other !== dev &&
      other.flags & IFF_UP &&
      vxlanOf(other).cfg.remote === v.cfg.remote &&
      vxlanOf(other).cfg.link === v.cfg.link,
  );
  if (used) return;
  try {
    ipMcLeaveGroup(v.net, v.vs.sk.mcList, { multiaddr: v.cfg.remote, ifindex: v.cfg.link });
  } catch (err) {
    if (!(err instanceof KernelError)) throw err;
  }
}

/** vxlan_sock_release: the last device out closes the socket, which drops its memberships. */
function vxlanSockRelease(dev: NetDevice): void {
  const v = vxlanOf(dev);
  const vs = v.vs;
  v.vs = undefined;
  if (!vs) return;
  const at = vs.devs.indexOf(dev);
  if (at >= 0) vs.devs.splice(at, 1);
  if (vs.devs.length > 0) return;
  if (vs.sk.mcList) ipMcDropSocket(v.net, vs.sk.mcList);
  udpUnhash(vs.sk);
}

const vxlanOps: NetDeviceOps = {
  kind: "vxlan",
  /** vxlan_open: the device joins (or opens) its UDP socket, then its multicast group. */
  open(dev) {
    const v = vxlanOf(dev);
    v.vs = vxlanSockAdd(v.net, v.cfg.dstPort);
    v.vs.devs.push(dev);
    try {
      vxlanMulticastJoin(v);
    } catch (err) {
      vxlanSockRelease(dev);
      throw err;
    }
  },
  /** vxlan_stop: leave the group and the socket; the last one out closes it. Learned entries are flushed. */
  stop(dev) {
    const v = vxlanOf(dev);
    vxlanMulticastLeave(dev);
    vxlanSockRelease(dev);
    // vxlan_flush(vxlan, false): all but the permanent entries go.
    for (let i = v.fdb.length - 1; i >= 0; i--) {
      if (!((v.fdb[i] as VxlanFdb).state & (NUD_PERMANENT | NUD_NOARP))) v.fdb.splice(i, 1);
    }
  },
  /** vxlan_xmit: the entry for the destination, else the default one, to each of its remotes. */
  startXmit(skb: SkBuff, dev: NetDevice) {
    const v = vxlanOf(dev);
    const frame = skb.data.slice(skb.head, skb.tail);
    let f = vxlanFindMac(v, frame.subarray(0, 6));
    if (!f) f = vxlanFindMac(v, ZERO_MAC);
    if (!f) {
      dev.stats.txDropped++;
      return;
    }
    f.used = v.net.host.clock.now;
    for (const rdst of f.remotes) vxlanXmitOne(dev, frame, rdst, skb.traceId);
  },
  /** vxlan_change_mtu: not above what the lower device leaves room for. */
  changeMtu(dev, mtu) {
    const v = vxlanOf(dev);
    const lower = v.cfg.link ? v.net.devByIndex.get(v.cfg.link) : undefined;
    if (lower && mtu > lower.mtu - VXLAN_HEADROOM) throw new KernelError("EINVAL");
    dev.mtu = mtu;
  },
  getLinkNet(dev) {
    return vxlanOf(dev).net;
  },
  /** vxlan_handle_lowerdev_unregister: a device whose `dev` goes, goes too. */
  lowerEvent(event: NetdevEvent, lower: NetDevice) {
    if (event !== "NETDEV_UNREGISTER" || !lower.dismantle) return;
    for (const up of lower.uppers.filter(isVxlan)) unregisterNetdevice(up);
  },
  uninit(dev) {
    const v = vxlanOf(dev);
    const lower = v.cfg.link ? v.net.devByIndex.get(v.cfg.link) : undefined;
    if (lower) netdevUpperDevUnlink(lower, dev);
  },
};

/** vxlan_sock_add: the namespace's socket on `port`, created and bound on first use. */
function vxlanSockAdd(net: Net, port: number): VxlanSock {
  const existing = (net.ipv4.udpHash.get(port) ?? []).find((sk) => sk.skUserData !== undefined);
  if (existing) return existing.skUserData as VxlanSock;
  const sk = udpSockCreate(net, 0);
  udpBind(sk, 0, port);
  const vs: VxlanSock = { sk, devs: [] };
  sk.skUserData = vs;
  sk.encapRcv = vxlanRcv;
  return vs;
}

/** vxlan_rcv: the socket's encap_rcv. Every datagram is consumed, dropped or not. */
function vxlanRcv(sk: UdpSock, skb: SkBuff): void {
  const vs = sk.skUserData as VxlanSock;
  const d = skb.data;
  const at = skb.transportHeader + UDP_HLEN;
  const ulen = ((d[skb.transportHeader + 4] as number) << 8) | (d[skb.transportHeader + 5] as number);
  const end = skb.transportHeader + ulen;
  if (end - at < VXLAN_HLEN + 14) return;
  if (!((d[at] as number) & VXLAN_HF_VNI)) return;
  const vni = ((d[at + 4] as number) << 16) | ((d[at + 5] as number) << 8) | (d[at + 6] as number);
  const dev = vs.devs.find((x) => vxlanOf(x).cfg.vni === vni);
  if (!dev) return;
  const v = vxlanOf(dev);
  // Reserved flag bits or the low VNI byte set: a malformed packet.
  if ((d[at] as number) & ~VXLAN_HF_VNI || d[at + 1] || d[at + 2] || d[at + 3] || d[at + 7]) {
    dev.stats.rxErrors++;
    return;
  }
  const frame = d.slice(at + VXLAN_HLEN, end);
  // vxlan_set_mac: our own frames looping back are ignored; the inner source is learned.
  if (macEqual(frame.subarray(6, 12), dev.address)) return;
  const saddr =
    ((d[skb.networkHeader + 12] as number) * 0x1000000 +
      ((d[skb.networkHeader + 13] as number) << 16) +
      ((d[skb.networkHeader + 14] as number) << 8) +
      (d[skb.networkHeader + 15] as number)) >>>
    0;
  if (v.cfg.learning && vxlanSnoop(v, saddr, frame.subarray(6, 12))) return;
  if (!(dev.flags & IFF_UP)) {
    dev.stats.rxDropped++;
    return;
  }
  devStatsAdd(dev, "rx", frame.length - 14);
  // gro_cells_receive: up the stack on the vxlan device.
  netifRx(frame, dev, 0, undefined, skb.traceId);
}

/** vxlan_snoop: learn or move the sender; true when the frame must be dropped (a static entry moved). */
function vxlanSnoop(v: VxlanDev, srcIp: number, srcMac: Uint8Array): boolean {
  if (isMulticastMac(srcMac) || srcMac.every((b) => b === 0)) return false;
  const now = v.net.host.clock.now;
  const f = vxlanFindMac(v, srcMac);
  if (f) {
    const rdst = f.remotes[0];
    if (rdst && rdst.ip === srcIp && rdst.ifindex === 0) return false;
    // Don't migrate static entries, drop packets.
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) return true;
    f.remotes[0] = { ip: srcIp, port: 0, vni: undefined, ifindex: 0 };
    f.updated = now;
    return false;
  }
  if (v.cfg.limit && v.fdb.length >= v.cfg.limit) return false;
  v.fdb.unshift({
    mac: srcMac.slice(),
    state: NUD_REACHABLE,
    flags: NTF_SELF,
    remotes: [{ ip: srcIp, port: 0, vni: undefined, ifindex: 0 }],
    updated: now,
    used: now,
  });
  return false;
}

export interface VxlanNewlink {
  /** Where the device is registered (IFLA_NET_NS_FD's namespace, else the requester's). */
  readonly net: Net;
  /**
   * src_net: the requester's namespace, where the tunnel's socket and lower device live even when
   * the device is made in another (vxlan->net); default `net`.
   */
  readonly srcNet?: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
  readonly mtu?: number;
  readonly cfg: Partial<VxlanConfig>;
}

/** The configuration a new device starts from (vxlan_nl2conf's defaults). */
function defaultConfig(): VxlanConfig {
  return {
    vni: 0,
    remote: 0,
    local: 0,
    link: 0,
    ttl: 0,
    ttlInherit: false,
    tos: 0,
    df: 0,
    label: 0,
    ageing: 300,
    limit: 0,
    dstPort: VXLAN_DEFAULT_PORT,
    portMin: 0,
    portMax: 0,
    learning: true,
    proxy: false,
    rsc: false,
    l2miss: false,
    l3miss: false,
    udpCsum: true,
    udp6ZeroCsumTx: false,
    udp6ZeroCsumRx: false,
  };
}

/** vxlan_newlink -> vxlan_dev_configure, with vxlan_config_validate's checks. */
export function vxlanNewlink(req: VxlanNewlink): NetDevice {
  if (req.address && !isValidEtherAddr(req.address))
    throw new KernelError("EADDRNOTAVAIL", "Provided link layer address is not Ethernet");
  const cfg: VxlanConfig = { ...defaultConfig(), ...req.cfg };
  // vxlan_config_apply: no ageing interval on a new device means the default.
  if (!cfg.ageing) cfg.ageing = 300;
  if (cfg.remote && isMulticastIp(cfg.remote) && !cfg.link)
    throw new KernelError("EINVAL", "Local interface required for multicast remote destination");
  const srcNet = req.srcNet ?? req.net;
  let lower: NetDevice | undefined;
  if (cfg.link) {
    lower = srcNet.devByIndex.get(cfg.link);
    if (!lower) throw new KernelError("ENODEV", "Invalid local interface, device not found");
  }
  // vxlan_vni_in_use: the same VNI on the same port among the tunnels of src_net's vxlan_net,
  // wherever their devices went.
  for (const ns of req.net.host.namespaces)
    for (const other of ns.devByIndex.values()) {
      if (!isVxlan(other)) continue;
      const oc = vxlanOf(other).cfg;
      if (oc.vni === cfg.vni && oc.dstPort === cfg.dstPort && vxlanOf(other).net === srcNet)
        throw new KernelError("EEXIST", "A VXLAN device with the specified VNI already exists");
    }
  let mtu = 1500;
  if (lower) {
    const maxMtu = Math.max(lower.mtu - VXLAN_HEADROOM, 68);
    mtu = maxMtu;
    if (req.mtu !== undefined && req.mtu > maxMtu) throw new KernelError("EINVAL");
  }
  if (req.mtu !== undefined) mtu = req.mtu;
  let address: Uint8Array | undefined = req.address?.slice();
  if (!address) {
    address = req.net.host.randomBytes(6);
    address[0] = ((address[0] as number) & 0xfe) | 0x02;
  }
  let name = req.name;
  for (let i = 0; name === undefined; i++) if (!req.net.devByName.has(`vxlan${i}`)) name = `vxlan${i}`;
  const v: VxlanDev = { net: srcNet, cfg, fdb: [], vs: undefined, hashSeed: req.net.host.randomU32() };
  const dev = allocNetdev(req.net, {
    name,
    ops: vxlanOps,
    type: ARPHRD_ETHER,
    flags: IFF_BROADCAST | IFF_MULTICAST,
    mtu,
    minMtu: 68,
    maxMtu: 65535,
    address,
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txqlen: 1000,
    priv: v,
  });
  registerNetdevice(dev);
  if (lower) netdevUpperDevLink(lower, dev);
  // The default destination: an all-zeros entry, permanent.
  if (cfg.remote) {
    v.fdb.unshift({
      mac: ZERO_MAC.slice(),
      state: NUD_REACHABLE | NUD_PERMANENT,
      flags: NTF_SELF,
      remotes: [{ ip: cfg.remote, port: 0, vni: undefined, ifindex: cfg.link }],
      updated: req.net.host.clock.now,
      used: req.net.host.clock.now,
    });
  }
  return dev;
}

/** vxlan_changelink: the VNI and port stay; the rest may change (a new remote moves the default entry). */
export function vxlanChangelink(dev: NetDevice, cfg: Partial<VxlanConfig>): void {
  const v = vxlanOf(dev);
  if (cfg.vni !== undefined && cfg.vni !== v.cfg.vni)
    throw new KernelError("EOPNOTSUPP", "Cannot change VNI");
  if (cfg.dstPort !== undefined && cfg.dstPort !== v.cfg.dstPort)
    throw new KernelError("EOPNOTSUPP", "Cannot change port");
  // change_igmp: a running device moving to another group or device leaves first, joins after.
  const changeIgmp =
    (dev.flags & IFF_UP) !== 0 &&
    ((cfg.remote !== undefined && cfg.remote !== v.cfg.remote) ||
      (cfg.link !== undefined && cfg.link !== v.cfg.link));
  if (changeIgmp) vxlanMulticastLeave(dev);
  if (cfg.remote !== undefined && cfg.remote !== v.cfg.remote) {
    // A new default destination is appended to the all-zeros entry, then the old one removed.
    const link = cfg.link ?? v.cfg.link;
    if (cfg.remote) {
      vxlanFdbOp(dev, {
        add: true,
        mac: ZERO_MAC,
        state: NUD_REACHABLE | NUD_PERMANENT,
        ntfFlags: NTF_SELF,
        dst: cfg.remote,
        ifindex: link,
        create: true,
        append: true,
      });
    }
    if (v.cfg.remote)
      vxlanFdbOp(dev, {
        add: false,
        mac: ZERO_MAC,
        state: 0,
        ntfFlags: 0,
        dst: v.cfg.remote,
        ifindex: v.cfg.link,
      });
    v.cfg.remote = cfg.remote;
  }
  const { vni: _vni, dstPort: _port, remote: _remote, ...rest } = cfg;
  Object.assign(v.cfg, Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined)));
  if (changeIgmp) vxlanMulticastJoin(v);
}

/** vxlan_fill_info's IPv4 attributes. */
export function vxlanFillInfo(dev: NetDevice): VxlanConfig {
  return { ...vxlanOf(dev).cfg };
}

/**
 * vxlan_exit_batch_net (vxlan_destroy_tunnels): a dying namespace takes every vxlan device whose
 * tunnel lives in it, wherever the device itself was moved.
 */
export const vxlanNetOps: PernetOps = {
  name: "vxlan",
  init() {},
  exit(net: Net) {
    for (const other of net.host.namespaces) {
      for (const dev of [...other.devByIndex.values()]) {
        if (isVxlan(dev) && (dev.net === net || vxlanOf(dev).net === net)) unregisterNetdevice(dev);
      }
    }
  },
};

/** The tso_max_size a vxlan device reports: the lower device's, else GSO_LEGACY_MAX_SIZE. */
export function vxlanTsoMaxSize(dev: NetDevice): number {
  return vxlanOf(dev).cfg.link ? 524280 : 65536;
}

export interface VxlanFdbReq {
  readonly add: boolean;
  readonly mac: Uint8Array;
  readonly state: number;
  readonly ntfFlags: number;
  readonly dst?: number;
  readonly port?: number;
  readonly vni?: number;
  readonly ifindex?: number;
  readonly create?: boolean;
  readonly excl?: boolean;
  readonly replace?: boolean;
  readonly append?: boolean;
}

/** vxlan_fdb_add / vxlan_fdb_delete */
export function vxlanFdbOp(dev: NetDevice, req: VxlanFdbReq): void {
  const v = vxlanOf(dev);
  const sameRdst = (r: VxlanRdst) =>
    r.ip === (req.dst ?? 0) &&
    r.port === (req.port ?? 0) &&
    (r.vni ?? v.cfg.vni) === (req.vni ?? v.cfg.vni) &&
    r.ifindex === (req.ifindex ?? 0);
  const rdst: VxlanRdst = {
    ip: req.dst ?? 0,
    port: req.port ?? 0,
    vni: req.vni !== undefined && req.vni !== v.cfg.vni ? req.vni : undefined,
    ifindex: req.ifindex ?? 0,
  };
  const f = vxlanFindMac(v, req.mac);
  if (!req.add) {
    if (!f) throw new KernelError("ENOENT");
    if (req.dst !== undefined) {
      const at = f.remotes.findIndex(sameRdst);
      // __vxlan_fdb_delete: a remote the entry does not have is nothing to do.
      if (at < 0) return;
      if (f.remotes.length > 1) {
        f.remotes.splice(at, 1);
        return;
      }
    }
    v.fdb.splice(v.fdb.indexOf(f), 1);
    return;
  }
  if (!(req.state & (NUD_PERMANENT | NUD_REACHABLE))) throw new KernelError("EINVAL");
  if (req.dst === undefined) throw new KernelError("EINVAL");
  const now = v.net.host.clock.now;
  const multi = isMulticastMac(req.mac) || req.mac.every((b) => b === 0);
  if (f) {
    if (req.excl) throw new KernelError("EEXIST");
    if (f.state !== req.state) {
      f.state = req.state;
      f.updated = now;
    }
    if ((req.ntfFlags & NTF_ROUTER) !== (f.flags & NTF_ROUTER)) f.flags ^= NTF_ROUTER;
    if (req.replace) {
      if (multi) throw new KernelError("EOPNOTSUPP", "Cannot replace non-unicast FDB entries");
      f.remotes[0] = rdst;
      f.updated = now;
    }
    if (req.append && multi && !f.remotes.some(sameRdst)) f.remotes.push(rdst);
    return;
  }
  if (!req.create) throw new KernelError("ENOENT");
  if (v.cfg.limit && v.fdb.length >= v.cfg.limit) throw new KernelError("ENOSPC");
  if (req.replace && multi) throw new KernelError("EOPNOTSUPP");
  v.fdb.unshift({
    mac: req.mac.slice(),
    state: req.state,
    flags: NTF_SELF | (req.ntfFlags & NTF_ROUTER),
    remotes: [rdst],
    updated: now,
    used: now,
  });
}

/** vxlan_fdb_dump: one line per remote, newest entry first. */
export function vxlanFdbDump(dev: NetDevice): {
  mac: Uint8Array;
  state: number;
  flags: number;
  dst: number;
  port?: number;
  vni?: number;
  ifindex?: number;
}[] {
  const v = vxlanOf(dev);
  const out = [];
  for (const f of vxlanFdbLive(v)) {
    for (const r of f.remotes) {
      out.push({
        mac: f.mac.slice(),
        state: f.state,
        flags: f.flags,
        dst: r.ip,
        ...(r.port && r.port !== v.cfg.dstPort ? { port: r.port } : {}),
        ...(r.vni !== undefined ? { vni: r.vni } : {}),
        ...(r.ifindex ? { ifindex: r.ifindex } : {}),
      });
    }
  }
  return out;
}
