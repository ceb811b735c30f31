// /proc/net/netstat (netstat_seq_show in net/ipv4/proc.c) and /proc/net/snmp6 (snmp6_seq_show):
// the TcpExt, IpExt and MPTcpExt header/value line pairs in Linux 6.18's order and count; counters
// this stack does not keep print 0. snmp6 counts the IPv6 a host sends and receives by itself
// (MLD reports, DAD and router solicitations; ipv6/ip6_mib.ts).
import type { NetDevice } from "../core/dev.js";
import type { Ipv4Mib } from "../ipv4/netns_ipv4.js";
import { type Ip6Mib, icmp6MsgLines, ip6MibValue, ip6NetMib } from "../ipv6/ip6_mib.js";
import type { Net } from "../net_namespace.js";

/** snmp4_net_list: the LINUX_MIB_* names in print order (135 on Linux 6.18). */
const TCPEXT: readonly string[] = (
  "SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned OfoPruned " +
  "OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab " +
  "BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs DelayedACKLocked " +
  "DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery " +
  "TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder TCPTSReorder TCPFullUndo " +
  "TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures " +
  "TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes " +
  "TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed " +
  "TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv " +
  "TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger " +
  "TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard TCPDSACKIgnoredOld " +
  "TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure " +
  "TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop " +
  "TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow TCPReqQFullDoCookies " +
  "TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue TCPOFODrop TCPOFOMerge " +
  "TCPChallengeACK TCPSYNChallenge TCPFastOpenActive TCPFastOpenActiveFail TCPFastOpenPassive " +
  "TCPFastOpenPassiveFail TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole " +
  "TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv " +
  "TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent TCPHystartTrainDetect " +
  "TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd TCPACKSkippedSynRecv " +
  "TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 TCPACKSkippedTimeWait " +
  "TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail TCPMTUPSuccess TCPDelivered " +
  "TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop TCPRcvQDrop TCPWqueueTooBig " +
  "TCPFastOpenPassiveAltKey TcpTimeoutRehash TcpDuplicateDataRehash TCPDSACKRecvSegs " +
  "TCPDSACKIgnoredDubious TCPMigrateReqSuccess TCPMigrateReqFailure TCPPLBRehash TCPAORequired " +
  "TCPAOBad TCPAOKeyNotFound TCPAOGood TCPAODroppedIcmps"
).split(" ");

/** snmp4_ipextstats_list */
const IPEXT: readonly string[] = [
  "InNoRoutes",
  "InTruncatedPkts",
  "InMcastPkts",
  "OutMcastPkts",
  "InBcastPkts",
  "OutBcastPkts",
  "InOctets",
  "OutOctets",
  "InMcastOctets",
  "OutMcastOctets",
  "InBcastOctets",
  "OutBcastOctets",
  "InCsumErrors",
  "InNoECTPkts",
  "InECT1Pkts",
  "InECT0Pkts",
  "InCEPkts",
  "ReasmOverlaps",
];

/** mptcp_snmp_list: MPTCP is built in, and no MPTCP socket ever opens here. */
const MPTCPEXT: readonly string[] = (
  "MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX MPCapableFallbackACK " +
  "MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled MPCapableEndpAttempt " +
  "MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx MPJoinSynBackupRx " +
  "MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure MPJoinAckRx MPJoinAckHMacFailure " +
  "MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr MPJoinSynTxBindErr MPJoinSynTxConnectErr " +
  "DSSNotMatching DSSCorruptionFallback DSSCorruptionReset InfiniteMapTx InfiniteMapRx " +
  "DSSNoMatchTCP DataCsumErr OFOQueueTail OFOQueue OFOMerge NoDSSInWindow DuplicateData AddAddr " +
  "AddAddrTx AddAddrTxDrop EchoAdd EchoAddTx EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx " +
  "MPJoinPortSynAckRx MPJoinPortAckRx MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop " +
  "RmAddrTx RmAddrTxDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx MPFastcloseTx " +
  "MPFastcloseRx MPRstTx MPRstRx SubflowStale SubflowRecover SndWndShared RcvWndShared " +
  "RcvWndConflictUpdate RcvWndConflict MPCurrEstab Blackhole MPCapableDataFallback " +
  "MD5SigFallback DssFallback SimultConnectFallback FallbackFailed WinProbe"
).split(" ");

/** snmp6_ipstats_list, snmp6_icmp6_list, snmp6_udp6_list and snmp6_udplite6_list, in print order. */
const SNMP6: readonly string[] = (
  "Ip6InReceives Ip6InHdrErrors Ip6InTooBigErrors Ip6InNoRoutes Ip6InAddrErrors " +
  "Ip6InUnknownProtos Ip6InTruncatedPkts Ip6InDiscards Ip6InDelivers Ip6OutForwDatagrams " +
  "Ip6OutRequests Ip6OutDiscards Ip6OutNoRoutes Ip6ReasmTimeout Ip6ReasmReqds Ip6ReasmOKs " +
  "Ip6ReasmFails Ip6FragOKs Ip6FragFails Ip6FragCreates Ip6InMcastPkts Ip6OutMcastPkts " +
  "Ip6InOctets Ip6OutOctets Ip6InMcastOctets Ip6OutMcastOctets Ip6InBcastOctets " +
  "Ip6OutBcastOctets Ip6InNoECTPkts Ip6InECT1Pkts Ip6InECT0Pkts Ip6InCEPkts Ip6OutTransmits " +
  "Icmp6InMsgs Icmp6InErrors Icmp6OutMsgs Icmp6OutErrors Icmp6InCsumErrors Icmp6OutRateLimitHost " +
  "Icmp6InDestUnreachs Icmp6InPktTooBigs Icmp6InTimeExcds Icmp6InParmProblems Icmp6InEchos " +
  "Icmp6InEchoReplies Icmp6InGroupMembQueries Icmp6InGroupMembResponses " +
  "Icmp6InGroupMembReductions Icmp6InRouterSolicits Icmp6InRouterAdvertisements " +
  "Icmp6InNeighborSolicits Icmp6InNeighborAdvertisements Icmp6InRedirects Icmp6InMLDv2Reports " +
  "Icmp6OutDestUnreachs Icmp6OutPktTooBigs Icmp6OutTimeExcds Icmp6OutParmProblems Icmp6OutEchos " +
  "Icmp6OutEchoReplies Icmp6OutGroupMembQueries Icmp6OutGroupMembResponses " +
  "Icmp6OutGroupMembReductions Icmp6OutRouterSolicits Icmp6OutRouterAdvertisements " +
  "Icmp6OutNeighborSolicits Icmp6OutNeighborAdvertisements Icmp6OutRedirects " +
  "Icmp6OutMLDv2Reports Udp6InDatagrams Udp6NoPorts Udp6InErrors Udp6OutDatagrams " +
  "Udp6RcvbufErrors Udp6SndbufErrors Udp6InCsumErrors Udp6IgnoredMulti Udp6MemErrors " +
  "UdpLite6InDatagrams UdpLite6NoPorts UdpLite6InErrors UdpLite6OutDatagrams " +
  "UdpLite6RcvbufErrors UdpLite6SndbufErrors UdpLite6InCsumErrors UdpLite6MemErrors"
).split(" ");

function mibValue(mib: Ipv4Mib, name: string): number {
  const v = (mib as unknown as Record<string, unknown>)[name];
  return typeof v === "number" ? v : 0;
}

/** netstat_seq_show */
export function netstatSeqShow(net: Net): string {
  const ipv4 = net.ipv4;
  const tcpExt = TCPEXT.map((name) =>
    name === "ListenOverflows"
      ? ipv4.tcp.mib.ListenOverflows
      : // tcp_listendrop: every overflow is also a listen drop.
        (ipv4.linuxMib.get(name) ?? 0) + (name === "ListenDrops" ? ipv4.tcp.mib.ListenOverflows : 0),
  );
  const ipExt = IPEXT.map((name) => mibValue(ipv4.mib, name));
  return (
    `TcpExt: ${TCPEXT.join(" ")}\nTcpExt: ${tcpExt.join(" ")}\n` +
    `IpExt: ${IPEXT.join(" ")}\nIpExt: ${ipExt.join(" ")}\n` +
    `MPTcpExt: ${MPTCPEXT.join(" ")}\nMPTcpExt: ${MPTCPEXT.map(() => "0").join(" ")}\n`
  );
}

/**
 * snmp6_seq_show: "%-32s\t%lu" per counter; the ICMPv6 message types counted follow the named
 * ICMPv6 counters (snmp6_seq_show_icmpv6msg), before the UDP ones.
 */
export function snmp6SeqShow(net: Net): string {
  return snmp6Show(ip6NetMib(net), SNMP6);
}

/** /proc/net/dev_snmp6/DEV (snmp6_dev_seq_show): the device's index, IPv6 and ICMPv6 counters. */
export function snmp6DevSeqShow(dev: NetDevice): string {
  const stats = dev.net.host.inet6.get(dev)?.stats;
  // The device's ICMPv6 counters are the ICMP6_MIB ones but OutRateLimitHost, which only the
  // namespace keeps; it has no UDP ones.
  const names = SNMP6.filter((name) => !name.startsWith("Udp") && name !== "Icmp6OutRateLimitHost");
  return `${"ifIndex".padEnd(32)}\t${dev.ifindex}\n${snmp6Show(stats, names)}`;
}

function snmp6Show(mib: Ip6Mib | undefined, names: readonly string[]): string {
  let out = "";
  for (const name of names) {
    if (name === "Udp6InDatagrams") out += icmp6MsgLines(mib);
    out += `${name.padEnd(32)}\t${ip6MibValue(mib, name)}\n`;
  }
  if (!names.includes("Udp6InDatagrams")) out += icmp6MsgLines(mib);
  return out;
}
