// /proc/net/snmp (snmp_seq_show in net/ipv4/proc.c): the namespace's IP, ICMP, TCP, UDP and
// UDP-Lite MIBs as header/value line pairs. Counters this stack does not keep print 0.
import type { Ipv4Mib } from "../ipv4/netns_ipv4.js";
import { tcpCurrEstab } from "../ipv4/tcp.js";
import type { Net } from "../net_namespace.js";

/** snmp4_ipstats_list after Forwarding and DefaultTTL, in print order. */
const IPSTATS: readonly string[] = [
  "InReceives",
  "InHdrErrors",
  "InAddrErrors",
  "ForwDatagrams",
  "InUnknownProtos",
  "InDiscards",
  "InDelivers",
  "OutRequests",
  "OutDiscards",
  "OutNoRoutes",
  "ReasmTimeout",
  "ReasmReqds",
  "ReasmOKs",
  "ReasmFails",
  "FragOKs",
  "FragFails",
  "FragCreates",
  "OutTransmits",
];

/** icmpmibmap: the ICMP types with their own column, by name. */
const ICMPMIBMAP: readonly (readonly [string, number])[] = [
  ["DestUnreachs", 3],
  ["TimeExcds", 11],
  ["ParmProbs", 12],
  ["SrcQuenchs", 4],
  ["Redirects", 5],
  ["Echos", 8],
  ["EchoReps", 0],
  ["Timestamps", 13],
  ["TimestampReps", 14],
  ["AddrMasks", 17],
  ["AddrMaskReps", 18],
];

const TCP_FIELDS =
  "RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors";
const UDP_FIELDS =
  "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors";

function mibValue(mib: Ipv4Mib, name: string): number {
  const v = (mib as unknown as Record<string, unknown>)[name];
  return typeof v === "number" ? v : 0;
}

function icmpMsg(mib: Ipv4Mib, index: number): number {
  return mib.IcmpMsg.get(index) ?? 0;
}

/** icmp_put */
function icmpPut(mib: Ipv4Mib): string {
  const names = ICMPMIBMAP.map(([n]) => n);
  const types = ICMPMIBMAP.map(([, t]) => t);
  const head =
    `Icmp: InMsgs InErrors InCsumErrors${names.map((n) => ` In${n}`).join("")}` +
    ` OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost${names.map((n) => ` Out${n}`).join("")}`;
  const values =
    `Icmp: ${mib.IcmpInMsgs} ${mib.IcmpInErrors} ${mib.IcmpInCsumErrors}` +
    types.map((t) => ` ${icmpMsg(mib, t)}`).join("") +
    ` ${mib.IcmpOutMsgs} ${mib.IcmpOutErrors} ${mib.IcmpOutRateLimitGlobal} ${mib.IcmpOutRateLimitHost}` +
    types.map((t) => ` ${icmpMsg(mib, 0x100 | t)}`).join("");
  return `${head}\n${values}\n`;
}

/** icmpmsg_put: the non-zero per-type counters, sixteen to a line pair (PERLINE). */
function icmpmsgPut(mib: Ipv4Mib): string {
  const seen = [...mib.IcmpMsg.keys()].filter((t) => icmpMsg(mib, t)).sort((a, b) => a - b);
  let out = "";
  for (let i = 0; i < seen.length; i += 16) {
    const line = seen.slice(i, i + 16);
    out += `IcmpMsg:${line.map((t) => ` ${t & 0x100 ? "Out" : "In"}Type${t & 0xff}`).join("")}\n`;
    out += `IcmpMsg:${line.map((t) => ` ${icmpMsg(mib, t)}`).join("")}\n`;
  }
  return out;
}

/** snmp_seq_show */
export function snmpSeqShow(net: Net): string {
  const mib = net.ipv4.mib;
  // IPV4_DEVCONF_ALL(net, FORWARDING) ? 1 : 2, as RFC 1213 numbers ipForwarding.
  const forwarding = net.ipv4.devconfAll.forwarding ? 1 : 2;
  let out = `Ip: Forwarding DefaultTTL ${IPSTATS.join(" ")}\n`;
  out += `Ip: ${forwarding} ${net.ipv4.sysctlIpDefaultTtl}${IPSTATS.map((n) => ` ${mibValue(mib, n)}`).join("")}\n`;
  out += icmpPut(mib);
  out += icmpmsgPut(mib);
  // RTO_ALGORITHM_VANJ, TCP_RTO_MIN and TCP_RTO_MAX in ms, MaxConn -1, then the counters.
  const t = net.ipv4.tcp.mib;
  const tcpValues = [
    1,
    200,
    120000,
    -1,
    t.ActiveOpens,
    t.PassiveOpens,
    t.AttemptFails,
    t.EstabResets,
    tcpCurrEstab(net),
    t.InSegs,
    t.OutSegs,
    t.RetransSegs,
    t.InErrs,
    t.OutRsts,
    t.InCsumErrors,
  ];
  out += `Tcp: ${TCP_FIELDS}\nTcp: ${tcpValues.join(" ")}\n`;
  const u = net.ipv4.udpMib;
  const udpValues = UDP_FIELDS.split(" ").map((n) => (u as unknown as Record<string, number>)[n] ?? 0);
  const zeros = UDP_FIELDS.split(" ")
    .map(() => "0")
    .join(" ");
  out += `Udp: ${UDP_FIELDS}\nUdp: ${udpValues.join(" ")}\n`;
  out += `UdpLite: ${UDP_FIELDS}\nUdpLite: ${zeros}\n`;
  return out;
}
