// ip/ipmaddr.c: `ip maddress show [dev NAME]`, the multicast addresses of each device as the
// kernel lists them in /proc/net/dev_mcast (link), /proc/net/igmp (inet) and /proc/net/igmp6
// (inet6), read in the namespace the command runs in.

import { AF_INET, AF_INET6, devIoctlMulti, KernelError, procRead } from "../../kernel/syscalls.js";
import {
  AF_PACKET,
  checkIfname,
  duparg,
  duparg2,
  eprint,
  familyName,
  formatInet4,
  formatInet6,
  type IpContext,
  IpExit,
  incompleteCommand,
  invarg,
  llAddrA2n,
  matches,
  strerror,
} from "./utils.js";

const USAGE = `Usage: ip maddr [ add | del ] MULTIADDR dev STRING
       ip maddr show [ dev STRING ]
`;

function usage(ctx: IpContext): never {
  eprint(ctx, USAGE);
  throw new IpExit(-1);
}

/** struct ma_info */
interface MaInfo {
  readonly index: number;
  readonly name: string;
  readonly users: number;
  readonly features: string | undefined;
  readonly family: number;
  readonly addr: Uint8Array;
}

/** maddr_ins: kept in ifindex order, each after those of its own index already there. */
function maddrIns(list: MaInfo[], m: MaInfo): void {
  const at = list.findIndex((x) => x.index > m.index);
  if (at < 0) list.push(m);
  else list.splice(at, 0, m);
}

/** fopen + fgets: a missing file reads as nothing. */
function readLines(ctx: IpContext, path: string): string[] | undefined {
  let text: string;
  try {
    text = procRead(ctx.task, path);
  } catch (err) {
    if (err instanceof KernelError) return undefined;
    throw err;
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** parse_hex: two hex digits per byte, -1 on an odd or bad digit. */
function parseHex(str: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < str.length && out.length < 16; i += 2) {
    if (i + 1 >= str.length) return undefined;
    const byte = Number.parseInt(str.slice(i, i + 2), 16);
    if (Number.isNaN(byte)) return undefined;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

function readDevMcast(ctx: IpContext, list: MaInfo[], dev: string | undefined): void {
  for (const line of readLines(ctx, "/proc/net/dev_mcast") ?? []) {
    const [index, name, users, st, hexa] = line.trim().split(/\s+/);
    if (dev !== undefined && dev !== name) continue;
    const addr = parseHex(hexa ?? "");
    if (!addr) continue;
    maddrIns(list, {
      index: Number(index),
      name: name ?? "",
      users: Number(users),
      features: Number(st) ? "static" : undefined,
      family: AF_PACKET,
      addr,
    });
  }
}

function readIgmp(ctx: IpContext, list: MaInfo[], dev: string | undefined): void {
  const lines = readLines(ctx, "/proc/net/igmp");
  if (!lines || lines.length === 0) return;
  let index = 0;
  let name = "";
  for (const line of lines.slice(1)) {
    if (!line.startsWith("\t")) {
      const [i, n] = line.trim().split(/\s+/);
      if (!n) continue;
      index = Number(i);
      name = n.endsWith(":") ? n.slice(0, -1) : n;
      continue;
    }
    if (dev !== undefined && dev !== name) continue;
    const [hex, users] = line.trim().split(/\s+/);
    // sscanf("%08x") into the address bytes: the little-endian word the kernel printed.
    const v = Number.parseInt(hex ?? "", 16) >>> 0;
    const addr = Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
    maddrIns(list, { index, name, users: Number(users), features: undefined, family: AF_INET, addr });
  }
}

function readIgmp6(ctx: IpContext, list: MaInfo[], dev: string | undefined): void {
  for (const line of readLines(ctx, "/proc/net/igmp6") ?? []) {
    const [index, name, hexa, users] = line.trim().split(/\s+/);
    if (dev !== undefined && dev !== name) continue;
    const addr = parseHex(hexa ?? "");
    if (!addr) continue;
    maddrIns(list, {
      index: Number(index),
      name: name ?? "",
      users: Number(users),
      features: undefined,
      family: AF_INET6,
      addr,
    });
  }
}

function printMaddr(ctx: IpContext, m: MaInfo): void {
  const out = ctx.out;
  out.fp("\t");
  out.openObject();
  if (m.family === AF_PACKET) {
    out.fp("link  ");
    const mac = Array.from(m.addr, (b) => b.toString(16).padStart(2, "0")).join(":");
    out.any("link", mac, mac);
  } else {
    const fam = familyName(m.family);
    out.any("family", `${fam.padEnd(5)} `, fam);
    const text = m.family === AF_INET ? formatInet4(m.addr) : formatInet6(m.addr);
    out.any("address", text, text);
  }
  if (m.users !== 1) out.any("users", ` users ${m.users}`, m.users);
  if (m.features) out.any("features", ` ${m.features}`, m.features);
  out.fp("\n");
  out.closeObject();
}

/** multiaddr_list */
function multiaddrList(ctx: IpContext, argv: readonly string[]): number {
  let dev: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i] as string;
    if (a === "dev") {
      a = argv[++i] ?? incompleteCommand(ctx);
    } else if (matches(a, "help")) usage(ctx);
    if (dev !== undefined) duparg2(ctx, "dev", a);
    dev = a;
  }
  const family = ctx.preferredFamily;
  const list: MaInfo[] = [];
  if (!family || family === AF_PACKET) readDevMcast(ctx, list, dev);
  if (!family || family === AF_INET) readIgmp(ctx, list, dev);
  if (!family || family === AF_INET6) readIgmp6(ctx, list, dev);
  // print_mlist
  const out = ctx.out;
  out.newJsonObj();
  let cur = 0;
  for (const m of list) {
    if (m.index !== cur || ctx.oneline) {
      if (cur) {
        out.closeArray();
        out.closeObject();
      }
      out.openObject();
      out.any("ifindex", `${m.index}:`, m.index);
      out.any("ifname", `\t${m.name}`, m.name);
      out.nl();
      cur = m.index;
      out.openArray("maddr");
    }
    printMaddr(ctx, m);
  }
  if (cur) {
    out.closeArray();
    out.closeObject();
  }
  out.deleteJsonObj();
  return 0;
}

/** multiaddr_modify: SIOCADDMULTI or SIOCDELMULTI with the link-layer address on `dev`. */
function multiaddrModify(ctx: IpContext, add: boolean, argv: readonly string[]): number {
  let name = "";
  // struct ifreq's ifr_hwaddr.sa_data: 14 bytes, zeroed; only its first byte marks it as given.
  let addr = new Uint8Array(14);
  let len = 0;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i] as string;
    if (a === "dev") {
      a = argv[++i] ?? incompleteCommand(ctx);
      if (name) duparg(ctx, "dev", a);
      if (!checkIfname(a)) invarg(ctx, '"dev" not a valid ifname', a);
      name = a;
      continue;
    }
    if (matches(a, "address")) a = argv[++i] ?? incompleteCommand(ctx);
    if (matches(a, "help")) usage(ctx);
    if (addr[0]) duparg(ctx, "address", a);
    const mac = llAddrA2n(ctx, a, 14);
    if (!mac) throw new IpExit(1);
    if (mac.length !== 6) {
      eprint(ctx, `Error: Invalid address length ${mac.length} - must be 6 bytes\n`);
      throw new IpExit(1);
    }
    addr = new Uint8Array(14);
    addr.set(mac);
    len = 6;
  }
  if (!name) {
    eprint(ctx, 'Not enough information: "dev" is required.\n');
    throw new IpExit(-1);
  }
  try {
    // The ioctl copies dev->addr_len bytes of sa_data: six for Ethernet.
    devIoctlMulti(ctx.task, name, addr.subarray(0, Math.max(len, 6)), add);
  } catch (err) {
    if (!(err instanceof KernelError)) throw err;
    eprint(ctx, `ioctl: ${strerror(err.errno)}\n`);
    throw new IpExit(1);
  }
  return 0;
}

/** do_multiaddr */
export function doIpmaddr(ctx: IpContext, argv: readonly string[]): number {
  const cmd = argv[0];
  if (cmd === undefined) return multiaddrList(ctx, []);
  if (matches(cmd, "add")) return multiaddrModify(ctx, true, argv.slice(1));
  if (matches(cmd, "delete")) return multiaddrModify(ctx, false, argv.slice(1));
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst"))
    return multiaddrList(ctx, argv.slice(1));
  if (matches(cmd, "help")) usage(ctx);
  eprint(ctx, `Command "${cmd}" is unknown, try "ip maddr help".\n`);
  throw new IpExit(-1);
}
