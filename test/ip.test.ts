// The ip program against a fake kernel whose state is what the real kernel reported in
// test/scenarios-style runs (/work/ref/s1.sh on Linux 6.18 + iproute2 6.1.0); the expected texts
// are the real `ip` output byte for byte.
import { describe, expect, it, vi } from "vitest";

// biome-ignore lint/suspicious/noExplicitAny: a loosely typed test double of the syscall surface
type Any = any;

interface FakeNs {
  name: string;
  links: Any[];
  addrs: Any[];
  routes: Any[];
  nsids: Map<string, number>;
}

const state = vi.hoisted(() => ({
  namespaces: new Map<string, FakeNs>(),
  names: [] as string[],
  lastReq: undefined as Any,
}));

vi.mock("../src/kernel/syscalls.js", async (importOriginal) => {
  const orig = await importOriginal<typeof import("../src/kernel/syscalls.js")>();
  const ns = (task: Any): FakeNs => task.net as FakeNs;
  return {
    ...orig,
    rtnlGetLink: (task: Any, ifindex?: number) => {
      const links = ns(task).links;
      if (ifindex === undefined) return links;
      const l = links.find((x) => x.ifindex === ifindex);
      if (!l) throw new orig.KernelError("ENODEV");
      return [l];
    },
    devNameToIndex: (task: Any, name: string) => ns(task).links.find((x) => x.ifname === name)?.ifindex ?? 0,
    rtnlGetAddrs: (task: Any) => ns(task).addrs,
    rtnlGetRoutes: (task: Any, filter: Any = {}) => {
      const routes = ns(task).routes;
      if (!filter.table) return routes;
      if (!routes.some((r) => r.table === filter.table))
        throw new orig.KernelError("ENOENT", "ipv4: FIB table does not exist");
      return routes.filter((r) => r.table === filter.table);
    },
    rtnlGetRoute: (_task: Any, req: Any) => {
      const d = req.dst.join(".");
      if (d === "10.0.0.2")
        return {
          family: 2,
          dstLen: 32,
          srcLen: 0,
          tos: 0,
          table: 254,
          protocol: 0,
          scope: 0,
          type: 1,
          flags: 0x200,
          dst: req.dst,
          oif: 2,
          prefsrc: Uint8Array.of(10, 0, 0, 1),
          uid: 0,
          cache: { expires: 0, error: 0 },
        };
      if (d === "10.0.0.1")
        return {
          family: 2,
          dstLen: 32,
          srcLen: 0,
          tos: 0,
          table: 254,
          protocol: 0,
          scope: 0,
          type: 2,
          flags: 0x80000200,
          dst: req.dst,
          oif: 1,
          prefsrc: Uint8Array.of(10, 0, 0, 1),
          uid: 0,
          cache: { expires: 0, error: 0 },
        };
      throw new orig.KernelError("ENETUNREACH");
    },
    rtnlAddr: (_task: Any, req: Any) => {
      if (req.local.join(".") === "10.0.0.1")
        throw new orig.KernelError("EEXIST", "ipv4: Address already assigned");
      state.lastReq = req;
    },
    rtnlNewLink: (_task: Any, req: Any) => {
      if (req.ifname === "veth0") throw new orig.KernelError("EEXIST");
      state.lastReq = req;
    },
    rtnlDelLink: () => {},
    rtnlRoute: (_task: Any, req: Any) => {
      state.lastReq = req;
    },
    netnsList: () => state.names,
    netnsOpen: (_task: Any, name: string) => {
      const n = state.namespaces.get(name);
      if (!n) throw new orig.KernelError("ENOENT");
      return { kind: "nsfd", ns: n };
    },
    rtnlGetNsid: (task: Any, fd: Any) => ns(task).nsids.get((fd.ns as FakeNs).name) ?? -1,
    setns: (task: Any, fd: Any) => ({ ...task, net: fd.ns }),
    taskExit: () => {},
    netnsAdd: (_task: Any, name: string) => {
      if (state.namespaces.has(name)) throw new orig.KernelError("EEXIST");
    },
    netnsDel: (_task: Any, name: string) => {
      if (!state.namespaces.has(name)) throw new orig.KernelError("ENOENT");
    },
  };
});

const { ip } = await import("../src/userland/ip/ip.js");

const zeros = new Uint8Array(6);
const bcast = Uint8Array.of(255, 255, 255, 255, 255, 255);
const stats = {
  rxPackets: 0,
  txPackets: 0,
  rxBytes: 0,
  txBytes: 0,
  rxErrors: 0,
  txErrors: 0,
  rxDropped: 0,
  txDropped: 0,
  multicast: 0,
  collisions: 0,
};
const lo = {
  ifindex: 1,
  ifname: "lo",
  type: 772,
  flags: 0x8,
  mtu: 65536,
  minMtu: 0,
  maxMtu: 0,
  qdisc: "noop",
  operstate: 2,
  linkmode: 0,
  group: 0,
  txqlen: 1000,
  address: zeros,
  broadcast: zeros,
  stats,
};
const veth0 = {
  ifindex: 2,
  ifname: "veth0",
  type: 1,
  flags: 0x1 | 0x2 | 0x40 | 0x1000 | 0x10000,
  mtu: 1500,
  minMtu: 68,
  maxMtu: 65535,
  qdisc: "noqueue",
  operstate: 6,
  linkmode: 0,
  group: 0,
  txqlen: 1000,
  address: Uint8Array.of(0x86, 0xbc, 0x7d, 0x47, 0x08, 0x54),
  broadcast: bcast,
  link: 2,
  linkNetnsid: 0,
  infoKind: "veth",
  stats,
};
const v4 = (s: string) => Uint8Array.from(s.split(".").map(Number));
const ns1: FakeNs = {
  name: "ns1",
  links: [lo, veth0],
  addrs: [
    {
      family: 2,
      prefixlen: 24,
      ifindex: 2,
      scope: 0,
      flags: 0x80,
      local: v4("10.0.0.1"),
      address: v4("10.0.0.1"),
      label: "veth0",
      validLft: 0xffffffff,
      preferredLft: 0xffffffff,
    },
    {
      family: 10,
      prefixlen: 64,
      ifindex: 2,
      scope: 253,
      flags: 0xc0,
      local: Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x84, 0xbc, 0x7d, 0xff, 0xfe, 0x47, 0x08, 0x54),
      address: Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x84, 0xbc, 0x7d, 0xff, 0xfe, 0x47, 0x08, 0x54),
      validLft: 0xffffffff,
      preferredLft: 0xffffffff,
    },
  ],
  routes: [
    {
      family: 2,
      dstLen: 24,
      srcLen: 0,
      tos: 0,
      table: 254,
      protocol: 2,
      scope: 253,
      type: 1,
      flags: 0,
      dst: v4("10.0.0.0"),
      oif: 2,
      prefsrc: v4("10.0.0.1"),
    },
    {
      family: 2,
      dstLen: 32,
      srcLen: 0,
      tos: 0,
      table: 255,
      protocol: 2,
      scope: 254,
      type: 2,
      flags: 0,
      dst: v4("10.0.0.1"),
      oif: 2,
      prefsrc: v4("10.0.0.1"),
    },
    {
      family: 2,
      dstLen: 32,
      srcLen: 0,
      tos: 0,
      table: 255,
      protocol: 2,
      scope: 253,
      type: 3,
      flags: 0,
      dst: v4("10.0.0.255"),
      oif: 2,
      prefsrc: v4("10.0.0.1"),
    },
  ],
  nsids: new Map([["ns2", 0]]),
};
const ns2: FakeNs = { name: "ns2", links: [lo], addrs: [], routes: [], nsids: new Map() };
const init: FakeNs = {
  name: "",
  links: [lo],
  addrs: [],
  routes: [],
  nsids: new Map([
    ["ns2", 0],
    ["ns1", 1],
  ]),
};
state.namespaces.set("ns1", ns1);
state.namespaces.set("ns2", ns2);
state.names = ["ns2", "ns1"];

const proc = {
  task: { host: undefined, net: init, uid: 0 } as Any,
  stdin: "",
  env: {},
  write: () => {},
  spawn: async (argv: readonly string[], task: Any) =>
    argv[0] === "nosuchcmd"
      ? { stdout: "", stderr: "bash: nosuchcmd: command not found\n", exitCode: 127 }
      : { stdout: `${argv.join(" ")} in ${task.net.name}\n`, stderr: "", exitCode: 3 },
  readFile: async (path: string) => {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
  },
  writeFile: async () => {},
};

async function run(cmd: string) {
  return ip(cmd.split(" "), proc);
}

async function out(cmd: string): Promise<string> {
  const r = await run(cmd);
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

describe("ip show commands print what iproute2 6.1 prints", () => {
  it("link show with a peer in another namespace", async () => {
    expect(await out("ip -n ns1 link show")).toBe(
      "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
        "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n" +
        "    link/ether 86:bc:7d:47:08:54 brd ff:ff:ff:ff:ff:ff link-netns ns2\n",
    );
  });

  it("addr show", async () => {
    expect(await out("ip -n ns1 addr show")).toBe(
      "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000\n" +
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
        "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n" +
        "    link/ether 86:bc:7d:47:08:54 brd ff:ff:ff:ff:ff:ff link-netns ns2\n" +
        "    inet 10.0.0.1/24 scope global veth0\n" +
        "       valid_lft forever preferred_lft forever\n" +
        "    inet6 fe80::84bc:7dff:fe47:854/64 scope link tentative \n" +
        "       valid_lft forever preferred_lft forever\n",
    );
  });

  it("routes, main and local", async () => {
    expect(await out("ip -n ns1 route")).toBe(
      "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 route show table local")).toBe(
      "local 10.0.0.1 dev veth0 proto kernel scope host src 10.0.0.1 \n" +
        "broadcast 10.0.0.255 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 r show table all")).toBe(
      "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n" +
        "local 10.0.0.1 dev veth0 table local proto kernel scope host src 10.0.0.1 \n" +
        "broadcast 10.0.0.255 dev veth0 table local proto kernel scope link src 10.0.0.1 \n",
    );
  });

  it("json", async () => {
    expect(await out("ip -n ns1 -j link show")).toBe(
      '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"link_index":2,"ifname":"veth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"86:bc:7d:47:08:54","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0}]\n',
    );
    expect(await out("ip -n ns1 -j addr show")).toBe(
      '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[]},{"ifindex":2,"link_index":2,"ifname":"veth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"86:bc:7d:47:08:54","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"10.0.0.1","prefixlen":24,"scope":"global","label":"veth0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::84bc:7dff:fe47:854","prefixlen":64,"scope":"link","tentative":true,"valid_life_time":4294967295,"preferred_life_time":4294967295}]}]\n',
    );
    expect(await out("ip -n ns1 -j route")).toBe(
      '[{"dst":"10.0.0.0/24","dev":"veth0","protocol":"kernel","scope":"link","prefsrc":"10.0.0.1","flags":[]}]\n',
    );
    expect(await out("ip -n ns1 -j route get 10.0.0.2")).toBe(
      '[{"dst":"10.0.0.2","dev":"veth0","prefsrc":"10.0.0.1","flags":[],"uid":0,"cache":[]}]\n',
    );
  });

  it("brief and oneline", async () => {
    expect(await out("ip -n ns1 -br link")).toBe(
      "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n" +
        "veth0@if2        UP             86:bc:7d:47:08:54 <BROADCAST,MULTICAST,UP,LOWER_UP> \n",
    );
    expect(await out("ip -n ns1 -br addr")).toBe(
      "lo               DOWN           \nveth0@if2        UP             10.0.0.1/24 fe80::84bc:7dff:fe47:854/64 \n",
    );
    expect(await out("ip -n ns1 -o addr")).toBe(
      "2: veth0    inet 10.0.0.1/24 scope global veth0\\       valid_lft forever preferred_lft forever\n" +
        "2: veth0    inet6 fe80::84bc:7dff:fe47:854/64 scope link tentative \\       valid_lft forever preferred_lft forever\n",
    );
    expect(await out("ip -n ns1 -o link")).toBe(
      "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
        "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 86:bc:7d:47:08:54 brd ff:ff:ff:ff:ff:ff link-netns ns2\n",
    );
    expect(await out("ip -n ns1 -4 addr")).toBe(
      "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netns ns2\n" +
        "    inet 10.0.0.1/24 scope global veth0\n" +
        "       valid_lft forever preferred_lft forever\n",
    );
  });

  it("route get", async () => {
    expect(await out("ip -n ns1 route get 10.0.0.2")).toBe(
      "10.0.0.2 dev veth0 src 10.0.0.1 uid 0 \n    cache \n",
    );
    expect(await out("ip -n ns1 route get 10.0.0.1")).toBe(
      "local 10.0.0.1 dev lo src 10.0.0.1 uid 0 \n    cache <local> \n",
    );
    const r = await run("ip -n ns1 route get 8.8.8.8");
    expect([r.stderr, r.exitCode]).toEqual(["RTNETLINK answers: Network is unreachable\n", 2]);
  });

  it("netns list", async () => {
    expect(await out("ip netns list")).toBe("ns2 (id: 0)\nns1 (id: 1)\n");
    expect(await out("ip netns")).toBe("ns2 (id: 0)\nns1 (id: 1)\n");
    expect(await out("ip -j netns")).toBe('[{"name":"ns2","id":0},{"name":"ns1","id":1}]\n');
  });
});

describe("errors and exit statuses", () => {
  const cases: [string, string, number][] = [
    ["ip foo", 'Object "foo" is unknown, try "ip help".\n', 1],
    ["ip link foo", 'Command "foo" is unknown, try "ip link help".\n', 255],
    ["ip addr foo", 'Command "foo" is unknown, try "ip address help".\n', 255],
    ["ip route foo", 'Command "foo" is unknown, try "ip route help".\n', 255],
    ["ip netns foo", 'Command "foo" is unknown, try "ip netns help".\n', 255],
    ["ip -foo link", 'Option "-foo" is unknown, try "ip -help".\n', 255],
    ["ip link show nosuch", 'Device "nosuch" does not exist.\n', 1],
    ["ip addr show dev nosuch", 'Device "nosuch" does not exist.\n', 1],
    ["ip link add a type veth peer name b", '"type" is invalid lladdr.\n', 1],
    ["ip link add veth0 type veth peer name veth1", "RTNETLINK answers: File exists\n", 2],
    ["ip link add veth7", 'Not enough information: "type" argument is required\n', 1],
    ["ip link del nosuch", 'Cannot find device "nosuch"\n', 1],
    ["ip link set", 'Not enough information: "dev" argument is required.\n', 255],
    ["ip l s", 'Not enough information: "dev" argument is required.\n', 255],
    ["ip link set lo mtu abc", 'Error: argument "abc" is wrong: Invalid "mtu" value\n\n', 255],
    ["ip link set lo mtu", 'Command line is not complete. Try option "help"\n', 255],
    ["ip link set lo netns nosuch", 'Error: argument "nosuch" is wrong: Invalid "netns" value\n\n', 255],
    ["ip link set lo foo", 'Error: either "dev" is duplicate, or "foo" is a garbage.\n', 255],
    ["ip link set lo name a/b", 'Error: argument "a/b" is wrong: "name" not a valid ifname\n', 255],
    ["ip addr add 10.0.0.1/33 dev lo", 'Error: any valid prefix is expected rather than "10.0.0.1/33".\n', 1],
    ["ip addr add 10.0.0.1/24 dev nosuch", 'Cannot find device "nosuch"\n', 1],
    ["ip addr add 10.0.0.1/24", 'Not enough information: "dev" argument is required.\n', 1],
    ["ip addr add 10.0.0.1/24 dev lo", "Error: ipv4: Address already assigned.\n", 2],
    ["ip addr flush", "Flush requires arguments.\n", 1],
    [
      "ip route add 10.11.0.0/33 dev lo",
      'Error: any valid prefix is expected rather than "10.11.0.0/33".\n',
      1,
    ],
    ["ip route add 10.8.0.0/16 dev nosuch", 'Cannot find device "nosuch"\n', 1],
    [
      "ip route add 10.13.0.0/16 dev lo metric abc",
      'Error: argument "abc" is wrong: "metric" value is invalid\n\n',
      255,
    ],
    ["ip route get", "need at least a destination address\n", 1],
    ["ip route get abc", 'Error: any valid prefix is expected rather than "abc".\n', 1],
    ["ip route show table local", "Error: ipv4: FIB table does not exist.\nDump terminated\n", 2],
    ["ip netns add ns1", 'Cannot create namespace file "/run/netns/ns1": File exists\n', 1],
    ["ip netns add a/b", 'Invalid netns name "a/b"\n', 255],
    ["ip netns add", "No netns name specified\n", 1],
    [
      "ip netns del nosuch",
      'Cannot remove namespace file "/run/netns/nosuch": No such file or directory\n',
      1,
    ],
    ["ip -n nosuch link", 'Cannot open network namespace "nosuch": No such file or directory\n', 255],
    ["ip netns exec nosuch true", 'Cannot open network namespace "nosuch": No such file or directory\n', 255],
    ["ip netns exec ns1", "No command specified\n", 1],
    ["ip netns exec", "No netns name specified\n", 1],
    ["ip netns exec ns1 nosuchcmd", 'exec of "nosuchcmd" failed: No such file or directory\n', 1],
  ];
  for (const [cmd, stderr, code] of cases) {
    it(cmd, async () => {
      const r = await run(cmd);
      expect(r.stderr).toBe(stderr);
      expect(r.exitCode).toBe(code);
    });
  }

  it("ip netns exec runs the command in the namespace and returns its status", async () => {
    const r = await run("ip netns exec ns1 ping -c 1 x");
    expect(r).toEqual({ stdout: "ping -c 1 x in ns1\n", stderr: "", exitCode: 3 });
  });

  it("wildcard deletion warns and sends no IFA_ADDRESS", async () => {
    const r = await run("ip addr del 10.0.0.5 dev lo");
    expect(r.stderr).toBe(
      "Warning: Executing wildcard deletion to stay compatible with old scripts.\n" +
        "         Explicitly specify the prefix length (10.0.0.5/32) to avoid this warning.\n" +
        "         This special behaviour is likely to disappear in further releases,\n" +
        "         fix your scripts!\n",
    );
    expect(r.exitCode).toBe(0);
  });
});

describe("requests", () => {
  it("brd + computes the broadcast", async () => {
    await out("ip addr add 10.0.1.1/24 brd + dev lo label lo:x");
    expect(state.lastReq).toMatchObject({ prefixlen: 24, ifindex: 1, scope: 0, label: "lo:x" });
    expect(Array.from(state.lastReq.broadcast)).toEqual([10, 0, 1, 255]);
  });
  it("route add defaults", async () => {
    await out("ip route add default via 10.0.0.254");
    expect(state.lastReq).toMatchObject({ dstLen: 0, table: 254, protocol: 3, scope: 0, type: 1 });
    await out("ip route add 10.9.0.0/16 dev lo metric 100 proto static");
    expect(state.lastReq).toMatchObject({ dstLen: 16, protocol: 4, scope: 253, priority: 100, oif: 1 });
  });
  it("veth with a peer in a namespace", async () => {
    await out("ip link add v0 type veth peer name v1 netns ns2");
    expect(state.lastReq.linkinfo.kind).toBe("veth");
    expect(state.lastReq.linkinfo.peer.ifname).toBe("v1");
    expect(state.lastReq.linkinfo.peer.netnsFd.ns.name).toBe("ns2");
    expect(state.lastReq.nlFlags).toEqual({ create: true, excl: true });
  });
  it("link set several things at once", async () => {
    await out("ip link set lo up mtu 1400 name lo2");
    expect(state.lastReq).toMatchObject({ ifindex: 1, flags: 1, change: 1, mtu: 1400, ifname: "lo2" });
  });
});

describe("a veth pair inside one namespace", () => {
  const pair: FakeNs = {
    name: "pair",
    links: [
      { ...lo, flags: 0x8 | 0x1 | 0x40 | 0x10000, qdisc: "noqueue", operstate: 0 },
      {
        ...veth0,
        ifindex: 2,
        ifname: "veth1",
        flags: 0x2 | 0x1000,
        qdisc: "noop",
        operstate: 2,
        link: 3,
        linkNetnsid: undefined,
        address: Uint8Array.of(0x6e, 0x4b, 0xe1, 0x2c, 0xca, 0xcb),
      },
      {
        ...veth0,
        ifindex: 3,
        ifname: "veth0",
        flags: 0x1 | 0x2 | 0x1000,
        qdisc: "noqueue",
        operstate: 3,
        link: 2,
        linkNetnsid: undefined,
        address: Uint8Array.of(0x92, 0x25, 0x8b, 0x76, 0xde, 0xd1),
      },
    ],
    addrs: [],
    routes: [],
    nsids: new Map(),
  };
  state.namespaces.set("pair", pair);

  it("prints NAME@PEER and M-DOWN while the peer is down", async () => {
    expect(await out("ip -n pair link show veth0")).toBe(
      "3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n" +
        "    link/ether 92:25:8b:76:de:d1 brd ff:ff:ff:ff:ff:ff\n",
    );
    expect(await out("ip -n pair -j link show veth0")).toBe(
      '[{"ifindex":3,"link":"veth1","ifname":"veth0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1500,"qdisc":"noqueue","operstate":"LOWERLAYERDOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"92:25:8b:76:de:d1","broadcast":"ff:ff:ff:ff:ff:ff"}]\n',
    );
    expect(await out("ip -n pair -br link show veth0")).toBe(
      "veth0@veth1      LOWERLAYERDOWN 92:25:8b:76:de:d1 <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> \n",
    );
    expect(await out("ip -n pair -j -br link")).toBe(
      '[{"ifname":"lo","operstate":"UNKNOWN","address":"00:00:00:00:00:00","flags":["LOOPBACK","UP","LOWER_UP"]},{"link":"veth0","ifname":"veth1","operstate":"DOWN","address":"6e:4b:e1:2c:ca:cb","flags":["BROADCAST","MULTICAST"]},{"link":"veth1","ifname":"veth0","operstate":"LOWERLAYERDOWN","address":"92:25:8b:76:de:d1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"]}]\n',
    );
  });
});

describe("utils", async () => {
  const u = await import("../src/userland/ip/utils.js");
  it("formats IPv6 as inet_ntop does", () => {
    const f = (s: string) => u.formatInet6(u.inetPton6(s) ?? new Uint8Array(16));
    expect(f("::1")).toBe("::1");
    expect(f("::")).toBe("::");
    expect(f("fe80:0:0:0:84bc:7dff:fe47:0854")).toBe("fe80::84bc:7dff:fe47:854");
    expect(f("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(f("2001:0:0:1:0:0:0:1")).toBe("2001:0:0:1::1");
    expect(f("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(f("ff00::")).toBe("ff00::");
    expect(f("::ffff:10.0.0.1")).toBe("::ffff:10.0.0.1");
    expect(f("::10.0.0.1")).toBe("::10.0.0.1");
    expect(u.inetPton6("1::2::3")).toBeUndefined();
    expect(u.inetPton6("12345::")).toBeUndefined();
  });
  it("parses prefixes as get_prefix does", () => {
    const ctx = u.newContext(proc as Any);
    const p = u.getPrefix(ctx, "10.1/16", 0);
    expect([Array.from(u.prefixBytes(p)), p.bitlen, p.prefixlenSpecified]).toEqual([[10, 1, 0, 0], 16, true]);
    expect(u.getPrefix(ctx, "default", 0).bitlen).toBe(0);
    expect(u.getPrefix(ctx, "10.0.0.0/255.255.255.0", 0).bitlen).toBe(24);
    expect(u.getPrefix(ctx, "10.0.0.1", 0).bitlen).toBe(32);
    expect(u.getPrefix(ctx, "fe80::1/64", 0).family).toBe(10);
    expect(() => u.getPrefix(ctx, "300.1.1.1/24", 0)).toThrow();
    expect(u.getUnsigned("0x10")).toBe(16);
    expect(u.getUnsigned("010")).toBe(8);
    expect(u.getUnsigned("-1")).toBeUndefined();
    expect(u.getInteger("-1")).toBe(-1);
  });
});

describe("route selectors", () => {
  it("exact prefix, root, match, dev and type", async () => {
    expect(await out("ip -n ns1 route show 10.0.0.0/24")).toBe(
      "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 route show 10.0.0.0/16")).toBe("");
    expect(await out("ip -n ns1 route show root 10.0.0.0/16")).toBe(
      "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 route show match 10.0.0.7")).toBe(
      "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 route show dev veth0")).toBe(
      "10.0.0.0/24 proto kernel scope link src 10.0.0.1 \n",
    );
    expect(await out("ip -n ns1 route show table local type broadcast")).toBe(
      "broadcast 10.0.0.255 dev veth0 proto kernel scope link src 10.0.0.1 \n",
    );
  });
});

describe("pretty JSON and netns set", () => {
  it("-p -j lays JSON out as json_writer.c does", async () => {
    expect(await out("ip -p -j netns")).toBe(
      '[ {\n        "name": "ns2",\n        "id": 0\n    },{\n        "name": "ns1",\n        "id": 1\n    } ]\n',
    );
    expect(await out("ip -p -j -n ns2 link")).toBe(
      "[ {\n" +
        '        "ifindex": 1,\n        "ifname": "lo",\n        "flags": [ "LOOPBACK" ],\n        "mtu": 65536,\n' +
        '        "qdisc": "noop",\n        "operstate": "DOWN",\n        "linkmode": "DEFAULT",\n' +
        '        "group": "default",\n        "txqlen": 1000,\n        "link_type": "loopback",\n' +
        '        "address": "00:00:00:00:00:00",\n        "broadcast": "00:00:00:00:00:00"\n    } ]\n',
    );
  });
  it("netns set argument errors", async () => {
    const cases: [string, string, number][] = [
      ["ip netns set ns1", "No nsid specified\n", 1],
      ["ip netns set ns1 -3", 'Error: argument "-3" is wrong: "netnsid" value should be >= 0\n', 255],
      ["ip netns set ns1 x", 'Error: argument "x" is wrong: Invalid "netnsid" value\n', 255],
      ["ip netns set c 1", 'Cannot open network namespace "c": No such file or directory\n', 1],
    ];
    for (const [cmd, stderr, code] of cases) {
      const r = await run(cmd);
      expect([r.stderr, r.exitCode]).toEqual([stderr, code]);
    }
  });
});
