// The layer-4 trackers (nf_conntrack_proto_tcp.c, _udp.c, _icmp.c, _generic.c): which packets
// may open a connection, how each one moves its state and timeout, and ICMP errors found
// RELATED through the datagram they quote.
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import {
  type CtFound,
  IP_CT_NEW,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPS_ASSURED,
  IPS_NAT_CLASH,
  IPS_SEEN_REPLY,
  type IpCtTcpState,
  invertPorts,
  type NfConn,
  netCt,
  nfConntrackFind,
  nfCtDelete,
  nfCtKill,
  nfCtRefresh,
  readU32,
  TCP_CONNTRACK_CLOSE,
  TCP_CONNTRACK_ESTABLISHED,
  TCP_CONNTRACK_RETRANS,
  TCP_CONNTRACK_SYN_RECV,
  TCP_CONNTRACK_SYN_SENT,
  TCP_CONNTRACK_TIME_WAIT,
  TCP_CONNTRACK_UNACK,
} from "./nf_conntrack.js";
import { IPCT_ASSURED, IPCT_PROTOINFO, nfConntrackEventCache } from "./nf_conntrack_ecache.js";

export type L4Verdict = "accept" | "invalid" | "drop" | "repeat";

// ---------------------------------------------------------------------------------------------
// TCP

const sNO = 0;
const sSS = 1;
const sSR = 2;
const sES = 3;
const sFW = 4;
const sCW = 5;
const sLA = 6;
const sTW = 7;
const sCL = 8;
const sS2 = 9;
const sIV = 10; // TCP_CONNTRACK_MAX
const sIG = 11; // TCP_CONNTRACK_IGNORE

const TCP_SYN_SET = 0;
const TCP_SYNACK_SET = 1;
const TCP_FIN_SET = 2;
const TCP_ACK_SET = 3;
const TCP_RST_SET = 4;
const TCP_NONE_SET = 5;

/** tcp_conntracks[dir][index][old state] (columns sNO sSS sSR sES sFW sCW sLA sTW sCL sS2). */
const TCP_CONNTRACKS: readonly (readonly (readonly number[])[])[] = [
  [
    /* syn */ [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    /* synack */ [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    /* fin */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack */ [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    /* rst */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    /* syn */ [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    /* synack */ [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    /* fin */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack */ [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    /* rst */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** ip_ct_tcp_state flags */
const IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01;
const IP_CT_TCP_FLAG_SACK_PERM = 0x02;
const IP_CT_TCP_FLAG_CLOSE_INIT = 0x04;
const IP_CT_TCP_FLAG_BE_LIBERAL = 0x08;
const IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10;
const IP_CT_TCP_FLAG_MAXACK_SET = 0x20;

function getConntrackIndex(flags: number): number {
  if (flags & TH_RST) return TCP_RST_SET;
  if (flags & TH_SYN) return flags & TH_ACK ? TCP_SYNACK_SET : TCP_SYN_SET;
  if (flags & TH_FIN) return TCP_FIN_SET;
  if (flags & TH_ACK) return TCP_ACK_SET;
  return TCP_NONE_SET;
}

function newTcpState(): IpCtTcpState {
  return { tdEnd: 0, tdMaxend: 0, tdMaxwin: 0, tdMaxack: 0, tdScale: 0, flags: 0 };
}

export function nfCtTcpInit(c: NfConn): void {
  if (!c.tcp)
    c.tcp = {
      seen: [newTcpState(), newTcpState()],
      lastIndex: TCP_NONE_SET,
      lastDir: 0,
      lastSeq: 0,
      lastAck: 0,
      lastEnd: 0,
      lastWin: 0,
      retrans: 0,
    };
}

const before = (a: number, b: number) => ((a - b) | 0) < 0;
const after = (a: number, b: number) => ((b - a) | 0) < 0;

/** tcp_options: window scale and SACK-permitted from a SYN's options. */
function tcpOptions(d: Uint8Array, th: number, state: IpCtTcpState): void {
  const doff = ((d[th + 12] as number) >> 4) * 4;
  state.tdScale = 0;
  state.flags &= ~(IP_CT_TCP_FLAG_WINDOW_SCALE | IP_CT_TCP_FLAG_SACK_PERM);
  for (let i = th + 20; i < th + doff; ) {
    const op = d[i] as number;
    if (op === 0) break;
    if (op === 1) {
      i++;
      continue;
    }
    const len = d[i + 1] as number;
    if (len < 2) break;
    if (op === 4 && len === 2) state.flags |= IP_CT_TCP_FLAG_SACK_PERM;
    if (op === 3 && len === 3) {
      state.flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
      state.tdScale = Math.min(d[i + 2] as number, 14);
    }
    i += len;
  }
}

/** segment_seq_plus_len */
function segEnd(seq: number, len: number, flags: number): number {
  return (seq + len + (flags & TH_SYN ? 1 : 0) + (flags & TH_FIN ? 1 : 0)) >>> 0;
}

/**
 * tcp_in_window: the segment's sequence and acknowledgement must fall inside what each side
 * has announced (RFC 793 with Guido van Rooij's window tracking); false means out of window.
 */
function tcpInWindow(
  net: Net,
  c: NfConn,
  dir: 0 | 1,
  index: number,
  d: Uint8Array,
  th: number,
  dataLen: number,
): boolean {
  const tcp = c.tcp as NonNullable<NfConn["tcp"]>;
  const sender = tcp.seen[dir];
  const receiver = tcp.seen[dir === 0 ? 1 : 0];
  const flags = d[th + 13] as number;
  const seq = readU32(d, th + 4);
  let ack = readU32(d, th + 8);
  let win = ((d[th + 14] as number) << 8) | (d[th + 15] as number);
  const end = segEnd(seq, dataLen, flags);
  if (sender.tdMaxwin === 0) {
    // The first packet of this direction: initialise from it.
    if (flags & TH_SYN) {
      sender.tdEnd = end;
      sender.tdMaxend = end;
      tcpOptions(d, th, sender);
      sender.tdMaxwin = Math.max(win, 1);
      if (!(sender.flags & IP_CT_TCP_FLAG_WINDOW_SCALE && receiver.flags & IP_CT_TCP_FLAG_WINDOW_SCALE))
        sender.tdScale = receiver.tdScale = 0;
      if (!(flags & TH_ACK)) return true;
    } else {
      // Picked up mid-stream (or the SYN/ACK's side first seen on an ACK).
      sender.tdEnd = end;
      const swin = win << sender.tdScale;
      sender.tdMaxwin = Math.max(swin, 1);
      sender.tdMaxend = (end + sender.tdMaxwin) >>> 0;
      if (receiver.tdMaxwin === 0) receiver.tdEnd = receiver.tdMaxend = sender.tdEnd;
    }
  } else if (
    (tcp.lastIndex === TCP_SYN_SET && dir === 0 && index === TCP_SYN_SET) ||
    (index === TCP_SYNACK_SET && dir === 1)
  ) {
    // A retransmitted SYN or a SYN/ACK answering a retransmitted SYN: start over.
    sender.tdEnd = end;
    sender.tdMaxend = end;
    tcpOptions(d, th, sender);
    sender.tdMaxwin = Math.max(win, 1);
  }
  if (!(flags & TH_ACK)) ack = receiver.tdEnd;
  else if ((flags & (TH_ACK | TH_RST)) === (TH_ACK | TH_RST) && ack === 0) ack = receiver.tdEnd;
  const inRecvWin = receiver.tdMaxwin === 0 || after(end, sender.tdEnd - receiver.tdMaxwin - 1);
  const inWin =
    before(seq, sender.tdMaxend + 1) &&
    inRecvWin &&
    before(ack, receiver.tdEnd + 1) &&
    after(ack, receiver.tdEnd - Math.max(sender.tdMaxwin, 66000) - 1);
  if (
    inWin ||
    sender.flags & IP_CT_TCP_FLAG_BE_LIBERAL ||
    receiver.flags & IP_CT_TCP_FLAG_BE_LIBERAL ||
    netCt(net).sysctl.tcpBeLiberal
  ) {
    if (!(flags & TH_SYN)) win <<= sender.tdScale;
    // swin = win + (sack - ack): no SACK blocks are tracked, so sack is ack.
    const swin = win;
    if (sender.tdMaxwin < swin) sender.tdMaxwin = swin;
    if (after(end, sender.tdEnd)) {
      sender.tdEnd = end;
      sender.flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
    }
    if (flags & TH_ACK) {
      if (!(sender.flags & IP_CT_TCP_FLAG_MAXACK_SET)) {
        sender.tdMaxack = ack;
        sender.flags |= IP_CT_TCP_FLAG_MAXACK_SET;
      } else if (after(ack, sender.tdMaxack)) sender.tdMaxack = ack;
    }
    if (receiver.tdMaxwin !== 0 && after(end, sender.tdMaxend)) receiver.tdMaxwin += end - sender.tdMaxend;
    if (after((ack + win) >>> 0, receiver.tdMaxend - 1)) {
      receiver.tdMaxend = (ack + win) >>> 0;
      if (win === 0) receiver.tdMaxend++;
    }
    if (ack === receiver.tdEnd) receiver.flags &= ~IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
    // Retransmissions are counted: the same segment again in the same direction.
    if (
      index === tcp.lastIndex &&
      dir === tcp.lastDir &&
      seq === tcp.lastSeq &&
      ack === tcp.lastAck &&
      end === tcp.lastEnd &&
      win === tcp.lastWin
    )
      tcp.retrans++;
    else {
      tcp.lastDir = dir;
      tcp.lastSeq = seq;
      tcp.lastAck = ack;
      tcp.lastEnd = end;
      tcp.lastWin = win;
      tcp.retrans = 0;
    }
    return true;
  }
  return false;
}

function tcpDataLen(skb: SkBuff, th: number): number {
  const d = skb.data;
  const nh = skb.networkHeader;
  const tot = ((d[nh + 2] as number) << 8) | (d[nh + 3] as number);
  return nh + tot - th - ((d[th + 13 - 1] as number) >> 4) * 4;
}

/** tcp_new: only a SYN opens a connection, or any ACK with nf_conntrack_tcp_loose (pickup). */
function tcpNew(net: Net, c: NfConn, skb: SkBuff, th: number): boolean {
  const d = skb.data;
  const flags = d[th + 13] as number;
  const newState = (TCP_CONNTRACKS[0] as readonly (readonly number[])[])[getConntrackIndex(flags)]?.[
    sNO
  ] as number;
  if (newState >= sIV) return false;
  if (newState === sES && !netCt(net).sysctl.tcpLoose) return false;
  c.state = TCP_CONNTRACK_NONE;
  return true;
}

const TCP_CONNTRACK_NONE = 0;

function tcpPacket(net: Net, c: NfConn, skb: SkBuff, th: number, dir: 0 | 1, now: number): L4Verdict {
  const d = skb.data;
  const flags = d[th + 13] as number;
  const index = getConntrackIndex(flags);
  const tcp = c.tcp as NonNullable<NfConn["tcp"]>;
  const oldState = c.state;
  let newState = (TCP_CONNTRACKS[dir] as readonly (readonly number[])[])[index]?.[oldState] as number;
  const sysctl = netCt(net).sysctl;
  switch (newState) {
    case sSS:
      // A SYN in the original direction after the old connection closed: it is a new one.
      if (oldState === sTW || oldState === sCL) {
        nfCtKill(net, c);
        return "repeat";
      }
      break;
    case sIG:
      tcp.lastIndex = index;
      tcp.lastDir = dir;
      return "accept";
    case sIV:
      return "invalid";
    case sCL:
      if (index === TCP_RST_SET && !(c.status & IPS_SEEN_REPLY) && oldState === sSS && dir === 1) {
        // A RST answering our SYN: checked against the SYN's sequence below.
      }
      break;
    case sES:
      if (oldState === TCP_CONNTRACK_NONE) {
        // Picked up mid-stream: be liberal with the windows.
        tcp.seen[0].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
        tcp.seen[1].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
      }
      break;
    default:
      break;
  }
  if (oldState === TCP_CONNTRACK_NONE && newState !== sES) newState = newState === sIV ? sIV : newState;
  if (!tcpInWindow(net, c, dir, index, d, th, tcpDataLen(skb, th))) return "invalid";
  if (index === TCP_RST_SET && !(c.status & IPS_SEEN_REPLY) && dir === 0 && oldState === sSS) {
    // A RST from the opener before any reply is fine.
  }
  tcp.lastIndex = index;
  tcp.lastDir = dir;
  if (newState === sFW || newState === sLA) tcp.seen[dir].flags |= IP_CT_TCP_FLAG_CLOSE_INIT;
  c.state = newState;
  if (newState !== oldState) nfConntrackEventCache(c, IPCT_PROTOINFO);
  const timeouts = sysctl.tcpTimeouts;
  let timeout: number;
  if (
    tcp.retrans >= sysctl.tcpMaxRetrans &&
    (timeouts[newState] as number) > (timeouts[TCP_CONNTRACK_RETRANS] as number)
  )
    timeout = timeouts[TCP_CONNTRACK_RETRANS] as number;
  else if (index === TCP_RST_SET) timeout = timeouts[TCP_CONNTRACK_CLOSE] as number;
  else if (
    (tcp.seen[0].flags | tcp.seen[1].flags) & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED &&
    (timeouts[newState] as number) > (timeouts[TCP_CONNTRACK_UNACK] as number)
  )
    timeout = timeouts[TCP_CONNTRACK_UNACK] as number;
  else timeout = timeouts[newState] as number;
  if (!(c.status & IPS_SEEN_REPLY)) {
    // A RST as the only answer: the connection never was, forget it at once (with the SYN's
    // timeout: its IPCT_DESTROY shows it).
    if (flags & TH_RST) {
      nfCtKill(net, c);
      return "accept";
    }
  } else if (
    !(c.status & IPS_ASSURED) &&
    (oldState === TCP_CONNTRACK_SYN_RECV || oldState === TCP_CONNTRACK_ESTABLISHED) &&
    newState === TCP_CONNTRACK_ESTABLISHED
  ) {
    c.status |= IPS_ASSURED;
    nfConntrackEventCache(c, IPCT_ASSURED);
  }
  nfCtRefresh(c, now, timeout);
  if (newState === TCP_CONNTRACK_TIME_WAIT || newState === TCP_CONNTRACK_CLOSE) {
    // Nothing more; the entry times out.
  }
  void TCP_CONNTRACK_SYN_SENT;
  return "accept";
}

// ---------------------------------------------------------------------------------------------
// The dispatch.

/** The tracker's "new" check (l4proto->new / nf_conntrack_*_packet on an unconfirmed entry). */
export function nfCtL4New(net: Net, c: NfConn, skb: SkBuff, thoff: number, now: number): boolean {
  switch (c.proto) {
    case IPPROTO_TCP:
      return tcpNew(net, c, skb, thoff);
    case IPPROTO_UDP:
      // stream_ts: "still active after two seconds" makes a stream.
      c.state = now + 2 * 250;
      return true;
    case IPPROTO_ICMP: {
      // icmp_new: only queries open a connection (echo, timestamp, info, address mask requests).
      const type = c.odp >> 8;
      return type === 8 || type === 13 || type === 15 || type === 17;
    }
    default:
      return true;
  }
}

/** l4proto->packet: state and timeout after this packet. */
export function nfCtL4Packet(
  net: Net,
  c: NfConn,
  skb: SkBuff,
  thoff: number,
  dir: 0 | 1,
  _ctinfo: number,
  now: number,
): L4Verdict {
  const s = netCt(net).sysctl;
  switch (c.proto) {
    case IPPROTO_TCP:
      return tcpPacket(net, c, skb, thoff, dir, now);
    case IPPROTO_UDP:
      // nf_conntrack_udp_packet: traffic both ways makes a stream (ASSURED after 2 s).
      if (c.status & IPS_SEEN_REPLY) {
        let extra = s.udpTimeout;
        let stream = false;
        if (now - c.state > 0) {
          extra = s.udpTimeoutStream;
          stream = (c.status & IPS_ASSURED) === 0;
        }
        nfCtRefresh(c, now, extra);
        if (c.status & IPS_NAT_CLASH) return "accept";
        if (stream) {
          c.status |= IPS_ASSURED;
          nfConntrackEventCache(c, IPCT_ASSURED);
        }
      } else nfCtRefresh(c, now, s.udpTimeout);
      return "accept";
    case IPPROTO_ICMP:
      nfCtRefresh(c, now, s.icmpTimeout);
      return "accept";
    default:
      nfCtRefresh(c, now, s.genericTimeout);
      return "accept";
  }
}

/**
 * icmp_error_message: the datagram an ICMP error quotes is one this host tracked (its tuple,
 * inverted, is a known connection); the error is RELATED to it, in the direction found.
 */
export function nfConntrackIcmpError(net: Net, skb: SkBuff, th: number): CtFound | undefined {
  const d = skb.data;
  const inner = th + 8;
  if (inner + 20 > skb.tail || (d[inner] as number) >> 4 !== 4) return undefined;
  const ihl = ((d[inner] as number) & 0xf) * 4;
  const proto = d[inner + 9] as number;
  const s = readU32(d, inner + 12);
  const dd = readU32(d, inner + 16);
  const ith = inner + ihl;
  let sp = 0;
  let dp = 0;
  if (proto === IPPROTO_TCP || proto === IPPROTO_UDP) {
    if (ith + 4 > skb.tail) return undefined;
    sp = ((d[ith] as number) << 8) | (d[ith + 1] as number);
    dp = ((d[ith + 2] as number) << 8) | (d[ith + 3] as number);
  } else if (proto === IPPROTO_ICMP) {
    if (ith + 8 > skb.tail) return undefined;
    const type = d[ith] as number;
    // An error about an error is not followed.
    if (
      type !== 8 &&
      type !== 0 &&
      type !== 13 &&
      type !== 14 &&
      type !== 15 &&
      type !== 16 &&
      type !== 17 &&
      type !== 18
    )
      return undefined;
    sp = ((d[ith + 4] as number) << 8) | (d[ith + 5] as number);
    dp = (type << 8) | (d[ith + 1] as number);
  }
  // The error travels against the quoted packet: its tuple inverted is the error's direction.
  const inv = invertPorts(proto, sp, dp);
  if (!inv) return undefined;
  const f = nfConntrackFind(net, proto, dd, s, inv[0], inv[1]);
  if (!f) return undefined;
  return { conn: f.conn, dir: f.dir };
}

export { IP_CT_NEW, nfCtDelete };
