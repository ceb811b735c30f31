// /proc/net/sockstat and sockstat6 (net/ipv4/proc.c sockstat_seq_show, net/ipv6/proc.c): how many
// sockets of each protocol the reader's namespace holds. As on Linux some numbers are the whole
// machine's: TCP's orphan, alloc and mem and UDP's mem (here: every emulated namespace's).
import { tcpSockCounts, tcpTwCount } from "../ipv4/tcp.js";
import type { Net } from "../net_namespace.js";

const PAGE_SIZE = 4096;

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE);
}

/** sockstat_seq_show */
export function sockstatSeqShow(net: Net): string {
  const ipv4 = net.ipv4;
  const tcp = tcpSockCounts(net);
  let orphans = 0;
  let alloc = 0;
  let tcpMem = 0;
  let udpMem = 0;
  for (const other of net.host.namespaces) {
    const c = other === net ? tcp : tcpSockCounts(other);
    orphans += c.orphans;
    alloc += c.inuse;
    tcpMem += c.queued;
    for (const list of other.ipv4.udpHash.values()) for (const sk of list) udpMem += sk.rmemAlloc;
  }
  let udp = 0;
  for (const list of ipv4.udpHash.values()) udp += list.length;
  const raw = ipv4.rawSockets.size;
  const packet = net.packetTaps
    ? net.packetTaps.all.length + [...net.packetTaps.byType.values()].reduce((n, l) => n + l.length, 0)
    : 0;
  const frags = ipv4.frags;
  // sock_inuse_get: the sockets user space opened in this namespace (netlink ones not counted here).
  const used = tcp.inuse + udp + raw + packet;
  return (
    `sockets: used ${used}\n` +
    `TCP: inuse ${tcp.inuse} orphan ${orphans} tw ${tcpTwCount(net)} alloc ${alloc} mem ${pages(tcpMem)}\n` +
    `UDP: inuse ${udp} mem ${pages(udpMem)}\n` +
    "UDPLITE: inuse 0\n" +
    `RAW: inuse ${raw}\n` +
    `FRAG: inuse ${frags.queues.size} memory ${frags.mem}\n`
  );
}

/** sockstat6_seq_show: netnest has no IPv6 sockets or reassembly yet. */
export function sockstat6SeqShow(_net: Net): string {
  return "TCP6: inuse 0\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";
}
