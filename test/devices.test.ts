// dummy and 802.1Q/802.1ad vlan devices. The kernel this project is checked against is built
// without them (`ip link add d0 type dummy` answers "Unknown device type"), so these texts are
// derived from the sources instead: drivers/net/dummy.c, net/8021q/{vlan,vlan_dev,vlan_netlink,
// vlan_core}.c for the behaviour, iproute2 6.1's ip/ipaddress.c print_linkinfo and
// ip/iplink_vlan.c vlan_print_opt for the text.
import { describe, expect, it } from "vitest";
import { runScript } from "../src/shell/index.js";

async function run(script: string) {
  const r = await runScript(script);
  return { out: r.stdout, err: r.stderr, code: r.exitCode };
}

/** The tail of every -d line on a device with an IPv6-capable MTU (print_linkinfo's details). */
const QUEUES =
  "numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ";

describe("dummy", () => {
  it("is an Ethernet device with NOARP and no MTU limits, details `dummy`", async () => {
    const r = await run(
      "ip link add d0 address 02:00:00:00:00:aa type dummy; ip -d link show d0; ip link set d0 up; ip link show d0",
    );
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "2: d0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n" +
        `    dummy addrgenmode eui64 ${QUEUES}\n` +
        // Carrier is always on; no lower layer reports an operational state (UNKNOWN).
        "2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff\n",
    );
  });

  it("takes a name from dummy%d, swallows and counts what it sends, takes no type options", async () => {
    const r = await run(
      [
        "ip link add type dummy",
        "ip link add type dummy",
        "ip -br link show type dummy",
        "ip link set dummy0 up",
        "ip addr add 10.9.0.1/24 dev dummy0",
        "ping -c 1 -W 1 10.9.0.2 | grep packets",
        "ip -s link show dummy0 | sed -n 3,6p",
        // dummy_link_util has no parse_opt: iplink_modify sends the words after the kind unread.
        "ip link add d1 type dummy bogus; echo rc=$?",
        "ip link add d2 address 01:00:00:00:00:01 type dummy; echo rc=$?",
        "ip link del dummy1; ip -br link show type dummy",
      ].join("\n"),
    );
    expect(r.out.replace(/[0-9a-f]{2}(:[0-9a-f]{2}){5}/g, "MAC")).toBe(
      "dummy0           DOWN           MAC <BROADCAST,NOARP> \n" +
        "dummy1           DOWN           MAC <BROADCAST,NOARP> \n" +
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n" +
        "    RX:  bytes packets errors dropped  missed   mcast           \n" +
        "             0       0      0       0       0       0 \n" +
        "    TX:  bytes packets errors dropped carrier collsns           \n" +
        // NOARP: the echo request goes out at once, with a zero destination address; so did the
        // router solicitation of the link-local address, valid at once without DAD (70 bytes, as
        // an arp-off veth sends on Linux 6.18).
        "           168       2      0       0       0       0 \n" +
        "rc=0\n" +
        "rc=2\n" +
        "dummy0           UNKNOWN        MAC <BROADCAST,NOARP,UP,LOWER_UP> \n" +
        "d1               DOWN           MAC <BROADCAST,NOARP> \n",
    );
    expect(r.err).toBe("RTNETLINK answers: Cannot assign requested address\n");
  });
});

/** Two namespaces joined by a veth pair with fixed addresses and MTU 1200 (no IPv6). */
const PAIR = [
  "ip netns add b1",
  "ip link add veth0 address 02:00:00:00:00:01 mtu 1200 type veth peer name veth1 address 02:00:00:00:00:02 mtu 1200",
  "ip link set veth1 netns b1",
].join("\n");

describe("vlan", () => {
  it("shows NAME@LOWER, the lower device's MAC, and `vlan protocol … id … <FLAGS>`", async () => {
    const r = await run(
      [
        PAIR,
        "ip link add link veth0 name veth0.10 type vlan id 10",
        "ip link add link veth0 name veth0.20 type vlan id 20 protocol 802.1ad reorder_hdr off loose_binding on",
        "ip link add link veth0 name qinq type vlan id 30 gvrp on mvrp on bridge_binding on",
        "ip -d link show veth0.10",
        "ip -d link show veth0.20",
        "ip -d link show qinq | tail -1",
        "ip link show",
      ].join("\n"),
    );
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "4: veth0.10@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 65535 \n" +
        `    vlan protocol 802.1Q id 10 <REORDER_HDR> ${QUEUES}\n` +
        "5: veth0.20@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 65535 \n" +
        `    vlan protocol 802.1ad id 20 <LOOSE_BINDING> ${QUEUES}\n` +
        `    vlan protocol 802.1Q id 30 <REORDER_HDR,GVRP,MVRP,BRIDGE_BINDING> ${QUEUES}\n` +
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
        "3: veth0@if2: <BROADCAST,MULTICAST> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns b1\n" +
        "4: veth0.10@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        "5: veth0.20@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        "6: qinq@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n",
    );
  });

  it("answers with vlan_validate's and vlan_newlink's errors", async () => {
    const r = await run(
      [
        PAIR,
        "ip link add link veth0 name v1 type vlan; echo rc=$?",
        "ip link add link veth0 name v1 type vlan id 4095; echo rc=$?",
        "ip link add link veth0 name v1 type vlan id 65536; echo rc=$?",
        "ip link add name v1 type vlan id 5; echo rc=$?",
        "ip link add link lo name v1 type vlan id 5; echo rc=$?",
        "ip link add link nosuch name v1 type vlan id 5; echo rc=$?",
        "ip link add link veth0 name v1 type vlan id 5 protocol ip; echo rc=$?",
        "ip link add link veth0 name v1 type vlan id 5 reorder_hdr maybe; echo rc=$?",
        "ip link add link veth0 name v1 type vlan id 5 bogus; echo rc=$? >&2",
        "ip link add link veth0 name v1 type vlan id 5",
        "ip link add link veth0 name v2 type vlan id 5; echo rc=$?",
        "ip link add link veth0 name v2 mtu 1300 type vlan id 6; echo rc=$?",
        "ip link set v1 mtu 1300; echo rc=$?",
        "ip link set v1 up; echo rc=$?",
      ].join("\n"),
    );
    expect(r.out).toBe("rc=2\nrc=2\nrc=255\nrc=2\nrc=2\nrc=1\nrc=2\nrc=1\nrc=2\nrc=2\nrc=2\nrc=2\n");
    expect(r.err).toBe(
      "Error: 8021q: VLAN properties not specified.\n" +
        "Error: 8021q: Invalid VLAN id.\n" +
        'Error: argument "65536" is wrong: id is invalid\n' +
        "Error: 8021q: link not specified.\n" +
        "Error: 8021q: VLANs not supported on device.\n" +
        'Cannot find device "nosuch"\n' +
        "Error: 8021q: Invalid VLAN protocol.\n" +
        'Error: argument of "reorder_hdr" must be "on" or "off", not "maybe"\n' +
        'vlan: unknown command "bogus"?\n' +
        "Usage: ... vlan id VLANID\n" +
        "\t\t[ protocol VLANPROTO ]\n" +
        "\t\t[ reorder_hdr { on | off } ]\n" +
        "\t\t[ gvrp { on | off } ]\n" +
        "\t\t[ mvrp { on | off } ]\n" +
        "\t\t[ loose_binding { on | off } ]\n" +
        "\t\t[ bridge_binding { on | off } ]\n" +
        "\t\t[ ingress-qos-map QOS-MAP ]\n" +
        "\t\t[ egress-qos-map QOS-MAP ]\n" +
        "\n" +
        "VLANID := 0-4095\n" +
        "VLANPROTO: [ 802.1Q | 802.1ad ]\n" +
        "QOS-MAP := [ QOS-MAP ] QOS-MAPPING\n" +
        "QOS-MAPPING := FROM:TO\n" +
        "rc=1\n" +
        "Error: 8021q: VLAN device already exists.\n" +
        "RTNETLINK answers: Invalid argument\n" +
        // vlan_dev_change_mtu: above the real device's MTU is ERANGE.
        "RTNETLINK answers: Numerical result out of range\n" +
        // vlan_dev_open: the real device is down.
        "RTNETLINK answers: Network is down\n",
    );
  });

  it("tags on transmit, untags on receive: only the matching id gets through", async () => {
    const r = await run(
      [
        PAIR,
        "ip link add link veth0 name veth0.10 type vlan id 10",
        "ip -n b1 link add link veth1 name veth1.10 type vlan id 10",
        "ip -n b1 link add link veth1 name veth1.20 type vlan id 20",
        "ip addr add 10.1.0.1/24 dev veth0.10",
        "ip -n b1 addr add 10.1.0.2/24 dev veth1.10",
        "ip addr add 10.2.0.1/24 dev veth0",
        "ip -n b1 addr add 10.2.0.2/24 dev veth1.20",
        // The real devices coming up bring their vlans up with them (vlan_device_event NETDEV_UP).
        "ip link set veth0 up",
        "ip -n b1 link set veth1 up",
        "ip -br link show veth0.10",
        "ip -n b1 -br link show | cut -c1-32",
        "ping -c 2 -i 0.2 10.1.0.2 | grep packets",
        "ping -c 1 -W 1 10.2.0.2 | grep packets",
        "ip neigh show dev veth0.10",
        "ip -s link show veth0.10 | sed -n 3,6p",
      ].join("\n"),
    );
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "veth0.10@veth0   UP             02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> \n" +
        "lo               DOWN           \n" +
        "veth1@if3        UP             \n" +
        "veth1.10@veth1   UP             \n" +
        "veth1.20@veth1   UP             \n" +
        "2 packets transmitted, 2 received, 0% packet loss, time 200ms\n" +
        // Untagged out of veth0, the reply comes back tagged 20: no vlan 20 here, dropped.
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n" +
        "10.1.0.2 lladdr 02:00:00:00:00:02 REACHABLE \n" +
        "    RX:  bytes packets errors dropped  missed   mcast           \n" +
        // rx counts skb->len past the Ethernet header: an ARP reply and two echo replies.
        "           196       3      0       0       0       0 \n" +
        "    TX:  bytes packets errors dropped carrier collsns           \n" +
        // tx counts the untagged frame: an ARP request and two echo requests.
        "           238       3      0       0       0       0 \n",
    );
  });

  it("follows its real device: LOWERLAYERDOWN without carrier, down with it, gone with it", async () => {
    const r = await run(
      [
        PAIR,
        "ip netns add c1",
        "ip link add link veth0 name veth0.10 type vlan id 10",
        "ip -n b1 link set veth1 up",
        "ip link set veth0 up",
        "ip link show veth0.10",
        "ip -n b1 link set veth1 down",
        "ip link show veth0.10",
        "ip link set veth0 down",
        "ip link show veth0.10",
        "ip link set veth0 mtu 1000",
        "ip link show veth0.10",
        "ip link set veth0.10 netns c1",
        "ip -n c1 link show veth0.10",
        "ip link del veth0",
        "ip -n c1 link show",
      ].join("\n"),
    );
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "4: veth0.10@veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1200 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        "4: veth0.10@veth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1200 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        "4: veth0.10@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1200 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        // NETDEV_CHANGEMTU: a vlan above its real device's new MTU follows it down.
        "4: veth0.10@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1000 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n" +
        // The ifindex goes along when it is free in the new namespace.
        "4: veth0.10@if3: <BROADCAST,MULTICAST> mtu 1000 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n" +
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n",
    );
  });
});
