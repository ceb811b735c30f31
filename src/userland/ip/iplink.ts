// ip/iplink.c and ip/link_veth.c: `ip link add|set|delete|show`.

import * as sys from "../../kernel/syscalls.js";
import {
  IFF_ALLMULTI,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_PROMISC,
  IFF_UP,
  type LinkInfoReq,
  type NlFlags,
  type NsFd,
  type RtLinkReq,
} from "../../kernel/syscalls.js";
import { ipaddrListLink } from "./ipaddress.js";
import { bridgeParseOpt, bridgeSlaveParseOpt } from "./iplink_bridge.js";
import { macvlanParseOpt } from "./iplink_macvlan.js";
import { vlanParseOpt } from "./iplink_vlan.js";
import { vxlanParseOpt } from "./iplink_vxlan.js";
import { talkEcho, withEcho } from "./ipmonitor.js";
import {
  Args,
  asKernelError,
  checkAltifname,
  checkIfname,
  duparg,
  duparg2,
  eprint,
  getInteger,
  getUnsigned,
  type IpContext,
  IpExit,
  invarg,
  llAddrA2n,
  matches,
  nodev,
  talk,
} from "./utils.js";

/** struct iplink_req, as the fields this emulation carries. */
interface LinkReq {
  nlFlags: NlFlags;
  ifindex: number;
  flags: number;
  change: number;
  ifname?: string;
  mtu?: number;
  address?: Uint8Array;
  txqlen?: number;
  netnsFd?: NsFd;
  netnsPid?: number;
  master?: number;
  ifalias?: string;
  group?: number;
  broadcast?: Uint8Array;
  link?: number;
}

/** rtnl_group_a2n: a name from /etc/iproute2/group, else strtol(arg, 0) as an int, not negative. */
export function groupA2n(arg: string): number | undefined {
  if (arg === "default") return 0;
  const m = arg.match(/^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/);
  if (!m) return undefined;
  const body = m[2] ?? "";
  const mag = /^0[xX]/.test(body)
    ? BigInt(body)
    : body.startsWith("0") && body.length > 1
      ? BigInt(`0o${body.slice(1)}`)
      : BigInt(body);
  const v = BigInt.asIntN(32, m[1] === "-" ? -mag : mag);
  return v < 0n ? undefined : Number(v);
}

function onOff(ctx: IpContext, msg: string, realval: string): number {
  eprint(ctx, `Error: argument of "${msg}" must be "on" or "off", not "${realval}"\n`);
  return -1;
}

/** netns_get_fd(): /run/netns/NAME. */
function netnsGetFd(ctx: IpContext, name: string): NsFd | undefined {
  try {
    return sys.netnsOpen(ctx.task, name);
  } catch (e) {
    asKernelError(e);
    return undefined;
  }
}

interface ParseResult {
  /** How many arguments were consumed (iplink_parse's return value), or a negative error. */
  readonly ret: number;
  readonly type?: string;
}

/** iplink_parse() */
function iplinkParse(ctx: IpContext, argv: readonly string[], req: LinkReq): ParseResult {
  const args = new Args(argv);
  let name: string | undefined;
  let dev: string | undefined;
  let type: string | undefined;
  let link: string | undefined;
  let mtuSet = false;
  let qlenSet = false;
  let netnsSet = false;
  let groupSet = false;
  let addrLen = 0;

  const setFlag = (flag: number, on: boolean): void => {
    req.change |= flag;
    if (on) req.flags |= flag;
    else req.flags &= ~flag;
  };

  while (args.count > 0) {
    const a = args.cur;
    if (a === "up") {
      setFlag(IFF_UP, true);
    } else if (a === "down") {
      setFlag(IFF_UP, false);
    } else if (a === "name") {
      const v = args.next(ctx);
      if (name !== undefined) duparg(ctx, "name", v);
      if (!checkIfname(v)) invarg(ctx, '"name" not a valid ifname', v);
      name = v;
      if (dev === undefined) dev = name;
    } else if (matches(a, "link")) {
      link = args.next(ctx);
    } else if (matches(a, "address")) {
      const v = args.next(ctx);
      const mac = llAddrA2n(ctx, v, 32);
      if (!mac) return { ret: -1 };
      req.address = mac;
      addrLen = mac.length;
    } else if (matches(a, "broadcast") || a === "brd") {
      const v = args.next(ctx);
      const brd = llAddrA2n(ctx, v, 32);
      if (!brd) return { ret: -1 };
      req.broadcast = brd;
    } else if (matches(a, "txqueuelen") || a === "qlen" || matches(a, "txqlen")) {
      const v = args.next(ctx);
      if (qlenSet) duparg(ctx, "txqueuelen", v);
      const q = getInteger(v);
      if (q === undefined) invarg(ctx, 'Invalid "txqueuelen" value\n', v);
      req.txqlen = q >>> 0;
      qlenSet = true;
    } else if (a === "mtu") {
      const v = args.next(ctx);
      if (mtuSet) duparg(ctx, "mtu", v);
      const m = getInteger(v);
      if (m === undefined) invarg(ctx, 'Invalid "mtu" value\n', v);
      req.mtu = m >>> 0;
      mtuSet = true;
    } else if (a === "netns") {
      const v = args.next(ctx);
      if (netnsSet) duparg(ctx, "netns", v);
      // A name under /run/netns first, else a PID (IFLA_NET_NS_PID).
      const fd = netnsGetFd(ctx, v);
      const pid = fd ? undefined : getUnsigned(v);
      if (!fd && pid === undefined) invarg(ctx, 'Invalid "netns" value\n', v);
      if (fd) req.netnsFd = fd;
      else req.netnsPid = pid;
      netnsSet = true;
    } else if (a === "multicast" || a === "allmulticast" || a === "promisc" || a === "arp") {
      const v = args.next(ctx);
      const flag =
        a === "multicast"
          ? IFF_MULTICAST
          : a === "allmulticast"
            ? IFF_ALLMULTI
            : a === "promisc"
              ? IFF_PROMISC
              : IFF_NOARP;
      if (v !== "on" && v !== "off") return { ret: onOff(ctx, a, v) };
      // arp on clears IFF_NOARP.
      setFlag(flag, a === "arp" ? v === "off" : v === "on");
    } else if (a === "master") {
      const v = args.next(ctx);
      const ifindex = sys.devNameToIndex(ctx.task, v);
      if (!ifindex) invarg(ctx, "Device does not exist\n", v);
      req.master = ifindex;
    } else if (matches(a, "nomaster")) {
      req.master = 0;
    } else if (matches(a, "alias")) {
      const v = args.next(ctx);
      if (new TextEncoder().encode(v).length >= 256) invarg(ctx, "alias too long\n", v);
      req.ifalias = v;
    } else if (a === "group") {
      const v = args.next(ctx);
      if (groupSet) duparg(ctx, "group", v);
      const g = groupA2n(v);
      if (g === undefined) invarg(ctx, 'Invalid "group" value\n', v);
      req.group = g;
      groupSet = true;
    } else if (matches(a, "type")) {
      type = args.next(ctx);
      args.shift();
      break;
    } else {
      if (matches(a, "help")) usageLink(ctx);
      let v = a;
      if (a === "dev") v = args.next(ctx);
      if (dev !== name) duparg2(ctx, "dev", v);
      if (!checkAltifname(v)) invarg(ctx, '"dev" not a valid ifname', v);
      dev = v;
    }
    args.shift();
  }
  const ret = argv.length - args.count;

  if (name === undefined) name = dev;
  else if (dev === undefined) dev = name;
  else if (name === dev) name = dev;

  // A group without a device: the request is for every device in the group (rtnl_group_changelink).
  if (groupSet && dev === undefined) {
    if (args.count > 0) {
      eprint(ctx, `Garbage instead of arguments "${args.cur} ...". Try "ip link help".\n`);
      throw new IpExit(-1);
    }
    if (req.nlFlags.create) {
      eprint(ctx, "group cannot be used when creating devices.\n");
      throw new IpExit(-1);
    }
    return { ret };
  }

  if (!req.nlFlags.create) {
    if (dev === undefined) {
      eprint(ctx, 'Not enough information: "dev" argument is required.\n');
      throw new IpExit(-1);
    }
    req.ifindex = sys.devNameToIndex(ctx.task, dev);
    if (!req.ifindex) return { ret: nodev(ctx, dev) };
    if (addrLen) {
      const halen = sys.rtnlGetLink(ctx.task, req.ifindex)[0]?.address.length ?? -1;
      if (halen >= 0 && halen !== addrLen) {
        eprint(ctx, `Invalid address length ${addrLen} - must be ${halen} bytes\n`);
        return { ret: -1 };
      }
    }
    if (name === dev) name = undefined;
  } else {
    if (name !== dev) {
      eprint(ctx, 'both "name" and "dev" cannot be used when creating devices.\n');
      throw new IpExit(-1);
    }
    if (link !== undefined) {
      const ifindex = sys.devNameToIndex(ctx.task, link);
      if (!ifindex) return { ret: nodev(ctx, link) };
      req.link = ifindex;
    }
  }
  if (name !== undefined) req.ifname = name;
  return type === undefined ? { ret } : { ret, type };
}

function newReq(nlFlags: NlFlags): LinkReq {
  return { nlFlags, ifindex: 0, flags: 0, change: 0 };
}

function toRtLinkReq(req: LinkReq, linkinfo?: LinkInfoReq): RtLinkReq {
  return {
    kind: "RTM_NEWLINK",
    nlFlags: req.nlFlags,
    ifindex: req.ifindex,
    flags: req.flags,
    change: req.change,
    ...(req.ifname !== undefined ? { ifname: req.ifname } : {}),
    ...(req.mtu !== undefined ? { mtu: req.mtu } : {}),
    ...(req.address !== undefined ? { address: req.address } : {}),
    ...(req.txqlen !== undefined ? { txqlen: req.txqlen } : {}),
    ...(req.netnsFd !== undefined ? { netnsFd: req.netnsFd } : {}),
    ...(req.netnsPid !== undefined ? { netnsPid: req.netnsPid } : {}),
    ...(req.master !== undefined ? { master: req.master } : {}),
    ...(req.ifalias !== undefined ? { ifalias: req.ifalias } : {}),
    ...(req.group !== undefined ? { group: req.group } : {}),
    ...(req.broadcast !== undefined ? { broadcast: req.broadcast } : {}),
    ...(req.link !== undefined ? { link: req.link } : {}),
    ...(linkinfo ? { linkinfo } : {}),
  };
}

/** link_veth.c veth_parse_opt(): `peer [options]`. */
function vethParseOpt(ctx: IpContext, argv: readonly string[]): LinkInfoReq | number {
  if (argv[0] !== "peer") {
    eprint(
      ctx,
      "Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n",
    );
    return -1;
  }
  const peer = newReq({ create: true, excl: true });
  const res = iplinkParse(ctx, argv.slice(1), peer);
  if (res.ret < 0) return res.ret;
  if (res.type !== undefined) duparg(ctx, "type", argv[res.ret + 1] ?? "");
  return {
    kind: "veth",
    peer: {
      ...(peer.ifname !== undefined ? { ifname: peer.ifname } : {}),
      ...(peer.netnsFd !== undefined ? { netnsFd: peer.netnsFd } : {}),
      ...(peer.address !== undefined ? { address: peer.address } : {}),
      ...(peer.mtu !== undefined ? { mtu: peer.mtu } : {}),
      ...(peer.txqlen !== undefined ? { txqlen: peer.txqlen } : {}),
    },
  };
}

/**
 * The kinds iproute2 6.1 has a link_util for (get_link_kind). Options after such a kind go to its
 * parse_opt; a kind netnest builds no parser for takes them unread (iproute2's own have none, or
 * the kernel answers 'Unknown device type' for the kind anyway, as this machine's does). After any
 * other kind, a word is garbage.
 */
const LINK_UTIL_KINDS: ReadonlySet<string> = new Set([
  "amt",
  "bareudp",
  "batadv",
  "bond",
  "bond_slave",
  "bridge",
  "bridge_slave",
  "can",
  "dsa",
  "dummy",
  "geneve",
  "gtp",
  "hsr",
  "ifb",
  "ipoib",
  "ipvlan",
  "ipvtap",
  "macvlan",
  "macvtap",
  "netdevsim",
  "nlmon",
  "rmnet",
  "team",
  "vcan",
  "virt_wifi",
  "vlan",
  "vrf",
  "vrf_slave",
  "vxcan",
  "vxlan",
  "wwan",
  "macsec",
  "tun",
  "gre",
  "gretap",
  "erspan",
  "ip6gre",
  "ip6gretap",
  "ip6erspan",
  "ip6tnl",
  "ipip",
  "sit",
  "veth",
  "vti",
  "vti6",
  "xfrm",
]);

/** iplink_modify() for RTM_NEWLINK. */
function iplinkModify(ctx: IpContext, nlFlags: NlFlags, argv: readonly string[]): number {
  const req = newReq(nlFlags);
  const res = iplinkParse(ctx, argv, req);
  if (res.ret < 0) return res.ret;
  let linkinfo: LinkInfoReq | undefined;
  let slaveInfo: RtLinkReq["slaveInfo"];
  if (res.type !== undefined) {
    const rest = argv.slice(res.ret);
    if (res.type === "veth") {
      if (rest.length > 0) {
        const li = vethParseOpt(ctx, rest);
        if (typeof li === "number") return li;
        linkinfo = li;
      } else {
        linkinfo = { kind: "veth" };
      }
    } else if (res.type === "bridge" && rest.length > 0) {
      const data = bridgeParseOpt(ctx, rest);
      if (typeof data === "number") return data;
      linkinfo = { kind: "bridge", data };
    } else if (res.type === "bridge_slave") {
      // IFLA_INFO_KIND "bridge_slave" with IFLA_INFO_SLAVE_DATA, for the device's master.
      const data = rest.length > 0 ? bridgeSlaveParseOpt(ctx, rest) : {};
      if (typeof data === "number") return data;
      linkinfo = { kind: res.type } as unknown as LinkInfoReq;
      slaveInfo = { kind: "bridge", data };
    } else if ((res.type === "macvlan" || res.type === "vlan" || res.type === "vxlan") && rest.length > 0) {
      // The kinds with a link_util parse_opt.
      const data =
        res.type === "macvlan"
          ? macvlanParseOpt(ctx, rest)
          : res.type === "vlan"
            ? vlanParseOpt(ctx, rest)
            : vxlanParseOpt(ctx, rest, nlFlags.create === true);
      if (typeof data === "number") return data;
      linkinfo = { kind: res.type, data } as LinkInfoReq;
    } else {
      if (rest.length > 0 && !LINK_UTIL_KINDS.has(res.type)) {
        if (matches(rest[0] ?? "", "help")) usageLink(ctx);
        eprint(ctx, `Garbage instead of arguments "${rest[0]} ...". Try "ip link help".\n`);
        return -1;
      }
      // Other kinds go to the kernel by name; it answers for what it does not know.
      linkinfo = { kind: res.type } as unknown as LinkInfoReq;
    }
  } else if (nlFlags.create) {
    eprint(ctx, 'Not enough information: "type" argument is required\n');
    return -1;
  }
  const rt = toRtLinkReq(req, linkinfo);
  const full = slaveInfo ? { ...rt, slaveInfo } : rt;
  if (!talkEcho(ctx, (echo) => sys.rtnlNewLink(ctx.task, withEcho(full, echo)))) return -2;
  return 0;
}

/** iplink_modify() for RTM_DELLINK. */
function iplinkDelete(ctx: IpContext, argv: readonly string[]): number {
  const req = newReq({});
  const res = iplinkParse(ctx, argv, req);
  if (res.ret < 0) return res.ret;
  if (!talkEcho(ctx, (echo) => sys.rtnlDelLink(ctx.task, req.ifindex, { echo }))) return -2;
  return 0;
}

const LINK_USAGE = `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NAME } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ dynamic { on | off } ]
		[ multicast { on | off } ]
		[ allmulticast { on | off } ]
		[ promisc { on | off } ]
		[ trailers { on | off } ]
		[ carrier { on | off } ]
		[ txqueuelen PACKETS ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ broadcast LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NAME } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
		[ vf NUM [ mac LLADDR ]
			 [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]
			 [ rate TXRATE ]
			 [ max_tx_rate TXRATE ]
			 [ min_tx_rate TXRATE ]
			 [ spoofchk { on | off} ]
			 [ query_rss { on | off} ]
			 [ state { auto | enable | disable} ]
			 [ trust { on | off} ]
			 [ node_guid EUI64 ]
			 [ port_guid EUI64 ] ]
		[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |
			  object FILE [ { section | program } NAME ] [ verbose ] |
			  pinned FILE } ]
		[ master DEVICE ][ vrf NAME ]
		[ nomaster ]
		[ addrgenmode { eui64 | none | stable_secret | random } ]
		[ protodown { on | off } ]
		[ protodown_reason PREASON { on | off } ]
		[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]
		[ gro_max_size BYTES ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]

	ip link xstats type TYPE [ ARGS ]

	ip link afstats [ dev DEVICE ]
	ip link property add dev DEVICE [ altname NAME .. ]
	ip link property del dev DEVICE [ altname NAME .. ]

	ip link help [ TYPE ]

TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }
`;

function usageLink(ctx: IpContext): never {
  eprint(ctx, LINK_USAGE);
  throw new IpExit(-1);
}

/** iplink_prop_mod(): `ip link property add|del dev DEV altname NAME ...`. */
function iplinkPropMod(
  ctx: IpContext,
  kind: "RTM_NEWLINKPROP" | "RTM_DELLINKPROP",
  argv: readonly string[],
): number {
  const args = new Args(argv);
  let dev: string | undefined;
  const altnames: string[] = [];
  while (args.count > 0) {
    const a = args.cur;
    if (matches(a, "altname")) {
      const v = args.next(ctx);
      if (!checkAltifname(v)) invarg(ctx, "not a valid altname", v);
      altnames.push(v);
    } else if (matches(a, "help")) {
      usageLink(ctx);
    } else {
      let v = a;
      if (a === "dev") v = args.next(ctx);
      if (dev !== undefined) duparg2(ctx, "dev", v);
      if (!checkAltifname(v)) invarg(ctx, '"dev" not a valid ifname', v);
      dev = v;
    }
    args.shift();
  }
  if (dev === undefined) {
    eprint(ctx, 'Not enough of information: "dev" argument is required.\n');
    throw new IpExit(-1);
  }
  const ifindex = sys.devNameToIndex(ctx.task, dev);
  if (!ifindex) return nodev(ctx, dev);
  if (!talk(ctx, () => sys.rtnlLinkProp(ctx.task, { kind, ifindex, altnames }))) return -2;
  return 0;
}

/** iplink_prop() */
function iplinkProp(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  if (cmd === undefined) usageLink(ctx);
  if (matches(cmd, "add")) return iplinkPropMod(ctx, "RTM_NEWLINKPROP", argv.slice(1));
  if (matches(cmd, "del")) return iplinkPropMod(ctx, "RTM_DELLINKPROP", argv.slice(1));
  if (matches(cmd, "help")) usageLink(ctx);
  eprint(ctx, "Operator required\n");
  throw new IpExit(-1);
}

/** do_iplink() */
export function doIplink(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return ipaddrListLink(ctx, []);
  if (matches(cmd, "add")) return iplinkModify(ctx, { create: true, excl: true }, rest);
  if (matches(cmd, "set") || matches(cmd, "change")) return iplinkModify(ctx, {}, rest);
  if (matches(cmd, "replace")) return iplinkModify(ctx, { create: true, replace: true }, rest);
  if (matches(cmd, "delete")) return iplinkDelete(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return ipaddrListLink(ctx, rest);
  if (matches(cmd, "property")) return iplinkProp(ctx, rest);
  if (matches(cmd, "help")) usageLink(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip link help".\n`);
  throw new IpExit(-1);
}
