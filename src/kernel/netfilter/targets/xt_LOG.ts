// xt_LOG.c with nf_log_syslog.c: one kernel log line per packet, in the format of
// nf_log_ip_packet (dump_ipv4_mac_header, dump_ipv4_packet), at the rule's level.
import { formatIPv4 } from "../../../wire/addr.js";
import type { SkBuff } from "../../core/skbuff.js";
import { printk } from "../../printk.js";
import { KernelError } from "../../syscalls.js";
import { XT_LOG_TCPSEQ, XT_LOG_UID, type XtTarget } from "../../uapi_netfilter.js";
import { XT_CONTINUE, type XtActionParam, type XtCheckParam, type XtTargetFn } from "../x_tables.js";

type Info = Extract<XtTarget, { kind: "LOG" }>;

/** log_tg_check: levels 0..7, a prefix that fits in 30 bytes with its NUL. */
export function logTgCheck(t: Info, _par: XtCheckParam): void {
  if (t.level > 7 || t.prefix.length > 29) throw new KernelError("EINVAL");
}

export function logTg(t: Info): XtTargetFn {
  return (skb, par) => {
    const net = par.net;
    const host = net.host;
    // nf_log_allowed: only init_net logs, unless net.netfilter.nf_log_all_netns is set.
    if (net !== host.initNet && !host.initNet.nf.nfLogAllNetns) return XT_CONTINUE;
    printk(host.kmsg, host.clock.now, t.level, nfLogIpPacket(skb, par, t));
    return XT_CONTINUE;
  };
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** nf_log_ip_packet: the line without its level. */
export function nfLogIpPacket(skb: SkBuff, par: XtActionParam, t: Info): string {
  let m = `${t.prefix}IN=${par.in?.name ?? ""} OUT=${par.out?.name ?? ""} `;
  const phys = skb.nfBridge;
  if (phys?.physindev && phys.physindev !== par.in) m += `PHYSIN=${phys.physindev.name} `;
  if (phys?.physoutdev && phys.physoutdev !== par.out) m += `PHYSOUT=${phys.physoutdev.name} `;
  if (par.in) {
    // dump_ipv4_mac_header's fallback: the whole hard header as colon-separated hex.
    m += "MAC=";
    if (skb.macHeader !== skb.networkHeader) {
      const bytes: string[] = [];
      for (let i = 0; i < 14; i++) bytes.push(hex2(skb.data[skb.macHeader + i] as number));
      m += bytes.join(":");
    }
    m += " ";
  }
  m += dumpIpv4Packet(skb, skb.networkHeader, t.logflags, true);
  // nf_log_dump_sk_uid_gid: a full socket's file credentials, as the initial namespace maps them.
  const sk = skb.sk;
  if (t.logflags & XT_LOG_UID && sk?.fullsock && sk.hasSocket && sk.fileCred)
    m += `UID=${sk.fileCred.uid} GID=${sk.fileCred.gid} `;
  if (skb.mark) m += `MARK=0x${skb.mark.toString(16)} `;
  return m;
}

/** dump_ipv4_packet: the IP header, then the transport header; an ICMP error's quote in [...]. */
function dumpIpv4Packet(skb: SkBuff, off: number, logflags: number, outer: boolean): string {
  const d = skb.data;
  if (off + 20 > skb.tail) return "TRUNCATED";
  const u16 = (at: number) => ((d[at] as number) << 8) | (d[at + 1] as number);
  const u32 = (at: number) =>
    (((d[at] as number) << 24) |
      ((d[at + 1] as number) << 16) |
      ((d[at + 2] as number) << 8) |
      (d[at + 3] as number)) >>>
    0;
  const tos = d[off + 1] as number;
  const fragOff = u16(off + 6);
  let m = `SRC=${formatIPv4(u32(off + 12))} DST=${formatIPv4(u32(off + 16))} `;
  m += `LEN=${u16(off + 2)} TOS=0x${hex2(tos & 0x1e).toUpperCase()} PREC=0x${hex2(tos & 0xe0).toUpperCase()} TTL=${d[off + 8]} ID=${u16(off + 4)} `;
  if (fragOff & 0x8000) m += "CE ";
  if (fragOff & 0x4000) m += "DF ";
  if (fragOff & 0x2000) m += "MF ";
  if (fragOff & 0x1fff) m += `FRAG:${fragOff & 0x1fff} `;
  const th = off + ((d[off] as number) & 0xf) * 4;
  const fragment = (fragOff & 0x1fff) !== 0;
  const left = skb.tail - th;
  const proto = d[off + 9] as number;
  switch (proto) {
    case 6: {
      m += "PROTO=TCP ";
      if (fragment) break;
      if (left < 20) return `${m}INCOMPLETE [${left} bytes] `;
      m += `SPT=${u16(th)} DPT=${u16(th + 2)} `;
      if (logflags & XT_LOG_TCPSEQ) m += `SEQ=${u32(th + 4)} ACK=${u32(th + 8)} `;
      m += `WINDOW=${u16(th + 14)} RES=0x${hex2(((d[th + 12] as number) & 0x0f) << 2)} `;
      const f = d[th + 13] as number;
      const names = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];
      for (let b = 7; b >= 0; b--) if (f & (1 << b)) m += `${names[b]} `;
      m += `URGP=${u16(th + 18)} `;
      break;
    }
    case 17:
    case 136: {
      m += proto === 17 ? "PROTO=UDP " : "PROTO=UDPLITE ";
      if (fragment) break;
      if (left < 8) return `${m}INCOMPLETE [${left} bytes] `;
      m += `SPT=${u16(th)} DPT=${u16(th + 2)} LEN=${u16(th + 4)} `;
      break;
    }
    case 1: {
      m += "PROTO=ICMP ";
      if (fragment) break;
      if (left < 8) {
        m += `INCOMPLETE [${left} bytes] `;
        break;
      }
      const type = d[th] as number;
      const code = d[th + 1] as number;
      m += `TYPE=${type} CODE=${code} `;
      // required_len: echo and the errors need their 8-byte header (errors: and the quoted header).
      const required =
        type === 0 || type === 8
          ? 4
          : type === 3 || type === 4 || type === 5 || type === 11
            ? 28
            : type === 12
              ? 28
              : 0;
      if (required && left < required) {
        m += `INCOMPLETE [${left} bytes] `;
        break;
      }
      switch (type) {
        case 0:
        case 8:
          m += `ID=${u16(th + 4)} SEQ=${u16(th + 6)} `;
          break;
        case 12:
          m += `PARAMETER=${d[th + 4]} `;
          break;
        case 5:
        case 3:
        case 4:
        case 11:
          if (type === 5) m += `GATEWAY=${formatIPv4(u32(th + 4))} `;
          if (outer) m += `[${dumpIpv4Packet(skb, th + 8, logflags, false)}] `;
          if (type === 3 && code === 4) m += `MTU=${u16(th + 6)} `;
          break;
      }
      break;
    }
    default:
      m += `PROTO=${proto} `;
  }
  return m;
}
