// tcpdump's filter language and printers on literal frames (the texts are what tcpdump 4.99.3 and
// libpcap 1.10.3 printed for these frames on Linux 6.18), and a capture through the shell: the
// zero-cost tap (no ETH_P_ALL socket, no copies) and promiscuity coming back to 0.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { runScript } from "../src/shell/index.js";
import { compileFilter, FilterError, type FilterPacket } from "../src/userland/tcpdump_filter.js";
import {
  DLT_EN10MB,
  DLT_LINUX_SLL2,
  hexAndAscii,
  newPrintState,
  type PrintOptions,
  printPacket,
} from "../src/userland/tcpdump_print.js";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// An ARP request 10.0.0.1 -> who-has 10.0.0.2, as captured on a veth.
const ARP_REQ = hex(
  "ffffffffffff 4a6964b38190 0806 0001 0800 0604 0001 4a6964b38190 0a000001 000000000000 0a000002",
);
// A SYN-ACK 10.0.1.1.5000 > 10.0.0.1.4000 with mss, sackOK, TS and wscale (from -x on the live kernel).
const SYN_ACK = hex(
  "6e7b0b11d427 e25404d53c08 0800" +
    "4500 003c 0000 4000 4006 25bb 0a00 0101 0a00 0001 1388 0fa0 8118 38b1 33b1 0fe6" +
    "a012 ff84 1530 0000 0204 03c0 0402 080a b41d 62c6 eb19 5b64 0103 030a",
);

function pkt(d: Uint8Array): FilterPacket {
  return {
    data: d,
    proto: (d[12] as number) * 256 + (d[13] as number),
    nh: 14,
    ethDst: 0,
    ethSrc: 6,
    wireLen: d.length,
    linkLen: 14,
  };
}

const OPTS: PrintOptions = {
  nflag: 1,
  eflag: false,
  qflag: false,
  vflag: 0,
  tflag: 1,
  xflag: 0,
  Xflag: 0,
  Aflag: false,
  Sflag: false,
  ifname: (i) => (i === 2 ? "v0" : undefined),
};

describe("tcpdump filter", () => {
  it("gives and/or the same precedence, left to right", () => {
    expect(compileFilter("arp or host 10.0.1.1 and udp")(pkt(ARP_REQ))).toBe(false);
    expect(compileFilter("arp or (host 10.0.1.1 and udp)")(pkt(ARP_REQ))).toBe(true);
    expect(compileFilter("host 10.0.0.2")(pkt(ARP_REQ))).toBe(true);
    expect(compileFilter("ip host 10.0.0.2")(pkt(ARP_REQ))).toBe(false);
    expect(compileFilter("ether src 4a:69:64:b3:81:90 and ether broadcast")(pkt(ARP_REQ))).toBe(true);
  });
  it("reads relations over packet bytes", () => {
    expect(compileFilter("tcp[tcpflags] & (tcp-syn|tcp-ack) == 18")(pkt(SYN_ACK))).toBe(true);
    expect(compileFilter("tcp[13] & 1 != 0")(pkt(SYN_ACK))).toBe(false);
    expect(compileFilter("ip[2:2] = 60 and src port 5000 and dst net 10.0.0.0/24")(pkt(SYN_ACK))).toBe(true);
    expect(compileFilter("portrange 4000-4001 and not udp")(pkt(SYN_ACK))).toBe(true);
    // A load past the end rejects the packet.
    expect(compileFilter("tcp[100] = 0")(pkt(SYN_ACK))).toBe(false);
  });
  it("rejects what libpcap rejects, with its text", () => {
    expect(() => compileFilter("port 5000 and")).toThrow(new FilterError("syntax error"));
    expect(() => compileFilter("port foo")).toThrow(new FilterError("unknown port 'foo'"));
    expect(() => compileFilter("host 1.2.3.400")).toThrow(
      new FilterError("invalid IPv4 address '1.2.3.400'"),
    );
    expect(() => compileFilter("tcp port")).toThrow(new FilterError("syntax error"));
  });
});

describe("tcpdump printers", () => {
  it("prints ARP, with -e and -v", () => {
    expect(printPacket(OPTS, newPrintState(), DLT_EN10MB, ARP_REQ, 42)).toBe(
      "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n",
    );
    expect(printPacket({ ...OPTS, eflag: true, vflag: 1 }, newPrintState(), DLT_EN10MB, ARP_REQ, 42)).toBe(
      "4a:69:64:b3:81:90 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: " +
        "Ethernet (len 6), IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n",
    );
  });
  it("prints a SYN-ACK with its options, and -v's checksum of a CHECKSUM_PARTIAL segment", () => {
    expect(printPacket(OPTS, newPrintState(), DLT_EN10MB, SYN_ACK, SYN_ACK.length)).toBe(
      "IP 10.0.1.1.5000 > 10.0.0.1.4000: Flags [S.], seq 2165848241, ack 867241958, win 65412, " +
        "options [mss 960,sackOK,TS val 3021824710 ecr 3944307556,nop,wscale 10], length 0\n",
    );
    expect(printPacket({ ...OPTS, vflag: 1 }, newPrintState(), DLT_EN10MB, SYN_ACK, SYN_ACK.length)).toBe(
      "IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)\n" +
        "    10.0.1.1.5000 > 10.0.0.1.4000: Flags [S.], cksum 0x1530 (incorrect -> 0xb76f), seq 2165848241, " +
        "ack 867241958, win 65412, options [mss 960,sackOK,TS val 3021824710 ecr 3944307556,nop,wscale 10], length 0\n",
    );
  });
  it("decodes HTTP on ports 80 and 8080: the first line of a request or response, -v every line", () => {
    const payload = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n");
    const frame = new Uint8Array(14 + 20 + 20 + payload.length);
    frame.set(hex("e25404d53c08 6e7b0b11d427 0800"));
    frame.set(hex("4500 0000 0001 4000 4006 0000 0a00 0001 0a00 0002"), 14);
    frame[16] = 0;
    frame[17] = 40 + payload.length;
    frame.set(hex("9c40 0050 0000 0001 0000 0001 5018 0040 0000 0000"), 34);
    frame.set(payload, 54);
    const st = newPrintState();
    expect(printPacket(OPTS, st, DLT_EN10MB, frame, frame.length)).toBe(
      `IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:${payload.length + 1}, ack 1, win 64, length ${payload.length}: HTTP: GET / HTTP/1.1\n`,
    );
    const v = printPacket({ ...OPTS, vflag: 1 }, newPrintState(), DLT_EN10MB, frame, frame.length);
    expect(v.slice(v.indexOf("HTTP"))).toBe(
      `HTTP, length: ${payload.length}\n\tGET / HTTP/1.1\n\tHost: 10.0.0.2\n\t\n`,
    );
  });
  it("prints an IGMPv3 report with its router alert, and -v's group records", () => {
    // As Linux 6.18 sends it for `ip addr add 239.1.1.1/32 dev v0 autojoin` (tcpdump -xx).
    const report = hex(
      "0100 5e00 0016 1a43 2c5f ca56 0800 46c0 0028 0000 4000 0102 f9f8 0a00 0001 e000" +
        "0016 9404 0000 2200 e9fb 0000 0001 0400 0000 ef01 0101",
    );
    expect(printPacket(OPTS, newPrintState(), DLT_EN10MB, report, report.length)).toBe(
      "IP 10.0.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s)\n",
    );
    expect(printPacket({ ...OPTS, vflag: 1 }, newPrintState(), DLT_EN10MB, report, report.length)).toBe(
      "IP (tos 0xc0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), length 40, options (RA))\n" +
        "    10.0.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s) [gaddr 239.1.1.1 to_ex, 0 source(s)]\n",
    );
  });
  it("prints -X's dump of the network layer", () => {
    expect(hexAndAscii(ARP_REQ.subarray(14))).toBe(
      "\n\t0x0000:  0001 0800 0604 0001 4a69 64b3 8190 0a00  ........Jid.....\n" +
        "\t0x0010:  0001 0000 0000 0000 0a00 0002            ............",
    );
  });
  it("prints a cooked v2 frame with its interface and direction", () => {
    const sll = new Uint8Array(20 + 28);
    sll.set([0x08, 0x06, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 0x4a, 0x69, 0x64, 0xb3, 0x81, 0x90]);
    sll.set(ARP_REQ.subarray(14), 20);
    expect(printPacket({ ...OPTS, eflag: true }, newPrintState(), DLT_LINUX_SLL2, sll, 48)).toBe(
      "v0    Out ifindex 2 4a:69:64:b3:81:90 ethertype ARP (0x0806), length 48: " +
        "Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n",
    );
  });
});

// IPv6 link-up traffic as Linux 6.18 sends it (tcpdump -xx): an MLDv2 report behind a hop-by-hop
// router alert, and DAD's neighbour solicitation with its nonce option.
const MLD2 = hex(
  "3333 0000 0016 8a58 132f 5b14 86dd 6000 0000 0024 0001 0000 0000 0000 0000 0000 0000 0000 0000" +
    "ff02 0000 0000 0000 0000 0000 0000 0016 3a00 0502 0000 0100 8f00 1447 0000 0001 0400 0000" +
    "ff02 0000 0000 0000 0000 0001 ff2f 5b14",
);
const NS_DAD = hex(
  "3333 ff2f 5b14 8a58 132f 5b14 86dd 6000 0000 0020 3aff 0000 0000 0000 0000 0000 0000 0000 0000" +
    "ff02 0000 0000 0000 0000 0001 ff2f 5b14 8700 8423 0000 0000 fe80 0000 0000 0000 8858 13ff fe2f 5b14" +
    "0e01 5d89 608b db06",
);

describe("tcpdump IPv6 printers", () => {
  it("prints MLDv2 and neighbour discovery, plain and with -v", () => {
    const st = newPrintState();
    expect(printPacket(OPTS, st, DLT_EN10MB, MLD2, MLD2.length)).toBe(
      "IP6 :: > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28\n",
    );
    expect(printPacket(OPTS, st, DLT_EN10MB, NS_DAD, NS_DAD.length)).toBe(
      "IP6 :: > ff02::1:ff2f:5b14: ICMP6, neighbor solicitation, who has fe80::8858:13ff:fe2f:5b14, length 32\n",
    );
    const v = { ...OPTS, vflag: 1 };
    expect(printPacket(v, st, DLT_EN10MB, MLD2, MLD2.length)).toBe(
      "IP6 (hlim 1, next-header Options (0) payload length: 36) :: > ff02::16: HBH (rtalert: 0x0000) (padn) " +
        "[icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s) [gaddr ff02::1:ff2f:5b14 to_ex, 0 source(s)]\n",
    );
    expect(printPacket(v, st, DLT_EN10MB, NS_DAD, NS_DAD.length)).toBe(
      "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32) :: > ff02::1:ff2f:5b14: [icmp6 sum ok] " +
        "ICMP6, neighbor solicitation, length 32, who has fe80::8858:13ff:fe2f:5b14\n" +
        "\t  unknown option (14), length 8 (1): \n\t  0x0000:  5d89 608b db06\n",
    );
  });
});

describe("tcpdump capture", () => {
  it("costs nothing without a tap, and gives promiscuity back", async () => {
    const host = new Host({ seed: 1 });
    const script = `
ip link add va type veth peer vb
ip addr add 10.0.0.1/24 dev va; ip link set va up; ip link set vb up
tcpdump -n -t -i va -c 1 arp > /tmp/o 2> /tmp/e &
sleep 1
ip -d link show va | grep -o 'promiscuity [0-9]*'
ping -c 1 -W 1 10.0.0.2 > /dev/null
wait; cat /tmp/o /tmp/e
ip -d link show va | grep -o 'promiscuity [0-9]*'
dmesg | grep promisc | sed 's/^.*\\] //'
`;
    const r = await runScript(script, { host });
    expect(r.stdout).toBe(
      "promiscuity 1\n" +
        "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n" +
        "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n" +
        "listening on va, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n" +
        "1 packet captured\n1 packet received by filter\n0 packets dropped by kernel\n" +
        "promiscuity 0\n" +
        "va: entered promiscuous mode\nva: left promiscuous mode\n",
    );
    // The taps list exists only once a socket asked for it, and is empty again after close.
    expect(host.initNet.packetTaps?.all.length ?? 0).toBe(0);
  });

  // dev_queue_xmit_nit runs in xmit_one, as the qdisc hands the frame to the driver: a frame netem
  // holds is seen when it leaves, one netem drops is never seen. (The live kernel here has no
  // netem, so this is checked here rather than by a scenario.)
  it("sees what leaves through a qdisc when it leaves, and not what the qdisc drops", async () => {
    const host = new Host({ seed: 1 });
    const script = `
ip netns add a; ip netns add b
ip -n a link add va type veth peer vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
ip -n a neigh add 10.0.0.2 lladdr $(ip -n b -br link show vb | awk '{print $3}') dev va
ip -n b neigh add 10.0.0.1 lladdr $(ip -n a -br link show va | awk '{print $3}') dev vb
tc -n a qdisc add dev va root netem delay 200ms
ip netns exec a tcpdump -n -ttttt -i va icmp > /tmp/o 2> /dev/null & P=$!
sleep 1
ip netns exec a ping -c 1 10.0.0.2 | grep -o 'time=[0-9]* ms'
tc -n a qdisc change dev va root netem loss 100%
ip netns exec a ping -c 1 -W 1 10.0.0.2 > /dev/null
sleep 1
kill $P; wait $P; cat /tmp/o
`;
    const r = await runScript(script, { host });
    // The echo id is ping's own business.
    expect(r.stdout.replace(/, id \d+,/g, ", id N,")).toBe(
      "time=200 ms\n" +
        " 00:00:00.000000 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id N, seq 1, length 64\n" +
        " 00:00:00.000030 IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id N, seq 1, length 64\n\n",
    );
  });
});
