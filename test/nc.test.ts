// nc (netcat-openbsd 1.219-1): option errors and usage without sockets, then client and server
// runs between two namespaces through the shell (background jobs), as the real program behaves
// (recorded on Linux 6.18 with Debian's nc).
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { runScript } from "../src/shell/index.js";
import { nc, strtonum } from "../src/userland/nc.js";
import type { Proc } from "../src/userland/program.js";

const USAGE =
  "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n" +
  "\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n" +
  "\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n" +
  "\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n" +
  "\t  [destination] [port]\n";

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const host = new Host({ seed: 1 });
  let stdout = "";
  let stderr = "";
  const proc: Proc = {
    task: host.initTask(),
    stdin: "",
    env: {},
    write: (fd, text) => {
      if (fd === 1) stdout += text;
      else stderr += text;
    },
    spawn: () => Promise.reject(new Error("no spawn")),
    readFile: () => Promise.reject(new Error("no files")),
    writeFile: () => Promise.reject(new Error("no files")),
  };
  const r = await nc(["nc", ...args], proc);
  return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, exitCode: r.exitCode };
}

describe("strtonum", () => {
  it("answers as libbsd does", () => {
    expect(strtonum("80", 1, 65535)).toEqual({ value: 80 });
    expect(strtonum("0", 1, 65535)).toEqual({ error: "too small" });
    expect(strtonum("99999", 1, 65535)).toEqual({ error: "too large" });
    expect(strtonum("x", 1, 65535)).toEqual({ error: "invalid" });
    expect(strtonum("", 1, 65535)).toEqual({ error: "invalid" });
  });
});

describe("nc option errors (recorded on the real nc)", () => {
  it.each([
    [[], USAGE],
    [["-w"], `nc: option requires an argument -- 'w'\n${USAGE}`],
    [["-y", "10.0.0.2", "80"], `nc: invalid option -- 'y'\n${USAGE}`],
    [["-l"], "nc: missing port number\n"],
    [["10.0.0.2"], "nc: missing port number\n"],
    [["-z", "-l", "80"], "nc: cannot use -z and -l\n"],
    [["-k", "10.0.0.2", "80"], "nc: must use -l with -k\n"],
    [["-w", "abc", "10.0.0.2", "80"], "nc: timeout invalid: abc\n"],
    [["-w", "-1", "10.0.0.2", "80"], "nc: timeout too small: -1\n"],
    [["-q", "abc", "10.0.0.2", "80"], "nc: quit timer invalid: abc\n"],
    [["10.0.0.2", "99999"], "nc: port number too large: 99999\n"],
    [["10.0.0.2", "0"], "nc: port number too small: 0\n"],
    [["10.0.0.2", "foo"], "nc: port number invalid: foo\n"],
    [["-zv", "10.0.0.2", "80-x"], "nc: port number invalid: x\n"],
    [
      ["nosuchhost", "80"],
      'nc: getaddrinfo for host "nosuchhost" port 80: Temporary failure in name resolution\n',
    ],
    [["-n", "localhost", "80"], 'nc: getaddrinfo for host "localhost" port 80: Name or service not known\n'],
    [
      ["-6", "10.0.0.2", "80"],
      'nc: getaddrinfo for host "10.0.0.2" port 80: Address family for hostname not supported\n',
    ],
    [["-l", "10.0.0.1", "80", "-p", "81"], USAGE],
    [["-l", "10.0.0.1", "80", "81"], USAGE],
    [["-U", "-p", "1", "foo"], USAGE],
    [["-M", "300", "10.0.0.2", "80"], "nc: ttl is too large\n"],
    [["-m", "256", "10.0.0.2", "80"], "nc: minttl is too large\n"],
    [["-T", "foo", "10.0.0.2", "80"], "nc: illegal tos value foo\n"],
    [["-X", "6", "10.0.0.2", "80"], "nc: unsupported proxy protocol\n"],
    [["-V", "1", "10.0.0.2", "80"], "nc: no alternate routing table support available\n"],
    [["-S", "10.0.0.2", "80"], "nc: Unable to read TCP MD5SIG password\n"],
    [["-u", "-x", "1.2.3.4", "10.0.0.2", "80"], "nc: no proxy support for UDP mode\n"],
    [["-I", "0", "10.0.0.2", "80"], "nc: TCP receive window too small: 0\n"],
    [["-W", "0", "10.0.0.2", "80"], "nc: receive limit too small: 0\n"],
    [["-i", "x", "10.0.0.2", "80"], "nc: interval invalid: x\n"],
  ])("nc %j", async (args, stderr) => {
    expect(await run(args)).toEqual({ stdout: "", stderr, exitCode: 1 });
  });

  it("-h prints the help to stderr and exits 0", async () => {
    const r = await run(["-h"]);
    expect(r.exitCode).toBe(0);
    expect(
      r.stderr.startsWith(`OpenBSD netcat (Debian patchlevel 1.219-1)\n${USAGE}\tCommand Summary:\n`),
    ).toBe(true);
    expect(r.stderr.endsWith("\tPort numbers can be individual or ranges: lo-hi [inclusive]\n")).toBe(true);
  });

  it("-Z fails silently: there is no DCCP", async () => {
    expect(await run(["-Z", "10.0.0.2", "80"])).toEqual({ stdout: "", stderr: "", exitCode: 1 });
  });
});

const SETUP = [
  "ip netns add a; ip netns add b",
  "ip link add va netns a type veth peer name vb netns b",
  "ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb",
  "ip -n a link set va up; ip -n b link set vb up; ip -n a link set lo up; ip -n b link set lo up",
];

async function script(lines: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const host = new Host({ seed: 3 });
  return runScript([...SETUP, ...lines].join("\n"), { host });
}

describe("nc between two namespaces", () => {
  it("a client with -N sends stdin; the server prints it and both exit 0", async () => {
    const r = await script([
      "ip netns exec b nc -l 8080 &",
      "S=$!; sleep 0.3",
      'echo hello | ip netns exec a nc -N 10.0.0.2 8080; echo "client $?"',
      'wait $S; echo "server $?"',
    ]);
    expect(r.stdout).toBe("hello\nclient 0\nserver 0\n");
  });

  it("-v on both sides, -n, -p: the messages the real nc prints", async () => {
    const r = await script([
      "echo fromsrv | ip netns exec b nc -lvn 8081 >/tmp/o 2>/tmp/e &",
      "S=$!; sleep 0.3",
      "echo fromcli | ip netns exec a nc -v -N -p 40000 10.0.0.2 8081",
      "wait $S; cat /tmp/o /tmp/e",
    ]);
    expect(r.stdout).toBe(
      "fromsrv\nfromcli\nListening on 0.0.0.0 8081\nConnection received on 10.0.0.1 40000\n",
    );
    expect(r.stderr).toBe("Connection to 10.0.0.2 8081 port [tcp/tproxy] succeeded!\n");
  });

  it("without -n the server's getnameinfo fails: no DNS server is reachable", async () => {
    const r = await script([
      "ip netns exec b nc -lv 8082 &",
      "sleep 0.3",
      "ip netns exec a nc -z 10.0.0.2 8082",
      "wait",
    ]);
    expect(r.stderr).toBe(
      "nc: getnameinfo: Temporary failure in name resolution\nnc: getnameinfo: Temporary failure in name resolution\n",
    );
  });

  it("-z scans a range; refused ports are reported with -v", async () => {
    const r = await script([
      "ip netns exec b nc -l 80 >/dev/null &",
      "sleep 0.3",
      'ip netns exec a nc -zv 10.0.0.2 79-81; echo "scan $?"',
      "wait",
    ]);
    expect(r.stdout).toBe("scan 0\n");
    expect(r.stderr).toBe(
      "nc: connect to 10.0.0.2 port 79 (tcp) failed: Connection refused\n" +
        "Connection to 10.0.0.2 80 port [tcp/http] succeeded!\n" +
        "nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused\n",
    );
  });

  it("connect errors: silent without -v, exit 1", async () => {
    const r = await script([
      'ip netns exec a nc 10.0.0.2 80; echo "quiet $?"',
      'ip netns exec a nc -v 10.9.0.2 80; echo "unreachable $?"',
      'ip netns exec a nc -v -w 1 10.0.0.3 80; echo "timeout $?"',
      'ip netns exec a nc -v -s 10.0.0.9 10.0.0.2 80; echo "bind $?"',
      'ip netns exec a nc -lv 10.9.9.9 8080; echo "listen $?"',
    ]);
    expect(r.stdout).toBe("quiet 1\nunreachable 1\ntimeout 1\nbind 1\nlisten 1\n");
    expect(r.stderr).toBe(
      "nc: connect to 10.9.0.2 port 80 (tcp) failed: Network is unreachable\n" +
        "nc: connect to 10.0.0.3 port 80 (tcp) timed out: Operation now in progress\n" +
        "nc: bind failed: Cannot assign requested address\n" +
        "nc: Cannot assign requested address\n",
    );
  });

  it("UDP: the server learns its peer from the first datagram; -W 1 ends it", async () => {
    const r = await script([
      "ip netns exec b nc -u -l -W 1 9000 &",
      "S=$!; sleep 0.3",
      'echo dgram | ip netns exec a nc -u -w 1 10.0.0.2 9000; echo "client $?"',
      'wait $S; echo "server $?"',
    ]);
    expect(r.stdout).toBe("dgram\nclient 0\nserver 0\n");
  });
});

describe("ss (iproute2 6.1) over nc's sockets", () => {
  it("columns as wide as their widest field, header included (stdout not a terminal)", async () => {
    const r = await script([
      "ip netns exec b nc -u -l 10.0.0.2 53 >/dev/null &",
      "U=$!",
      "ip netns exec b nc -l 10.0.0.2 8080 >/dev/null &",
      "sleep 0.3",
      "ip netns exec b ss -uan",
      "echo hi | ip netns exec a nc -N -p 40000 10.0.0.2 8080",
      "wait %2",
      "ip netns exec a ss -t",
      "ip netns exec a ss -tanH",
      "kill $U",
    ]);
    expect(r.stdout).toBe(
      "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n" +
        "UNCONN 0      0           10.0.0.2:53        0.0.0.0:*          \n" +
        "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n" +
        "TIME-WAIT 0      0      10.0.0.1:40000 10.0.0.2:8080\n",
    );
  });

  it("state names and usage errors", async () => {
    const r = await script(["ss -tn state foo; echo $?", "ss -V", "ss -y 2>/dev/null; echo $?"]);
    expect(r.stdout).toBe("255\nss utility, iproute2-6.1.0\n255\n");
    expect(r.stderr).toBe("ss: wrong state name: foo\n");
  });

  it("filter expressions: ports, prefixes, and/or/not, and the parser's errors", async () => {
    const r = await script([
      "ip netns exec b nc -l 10.0.0.2 8080 >/dev/null &",
      "sleep 0.3",
      "echo hi | ip netns exec a nc -N -p 40000 10.0.0.2 8080",
      "wait",
      "ip netns exec a ss -tanH dport = :http-alt",
      "ip netns exec a ss -tanH '( sport lt :40000 or dst 10.0.0.0/24 )'",
      "ip netns exec a ss -tanH not dst 10.0.0.2",
      "ip netns exec a ss -tan sport = :foo; echo $?",
      "ip netns exec a ss -tan dport = 2>/dev/null; echo $?",
    ]);
    expect(r.stdout).toBe(
      "TIME-WAIT 0      0      10.0.0.1:40000 10.0.0.2:8080\n" +
        "TIME-WAIT 0      0      10.0.0.1:40000 10.0.0.2:8080\n" +
        "1\n255\n",
    );
    expect(r.stderr).toBe('Error: "foo" does not look like a port.\nCannot parse dst/src address.\n');
  });
});
