// The sysctls only init_net may write, where the live kernel's sandbox (a child namespace) cannot
// go: the global buffer sizes and congestion control lists, what a new namespace takes from
// init_net, and a machine-wide static key.
import { describe, expect, it } from "vitest";
import { Host } from "../src/kernel/host.js";
import { runScript } from "../src/shell/index.js";

async function run(lines: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runScript(lines.join("\n"), { host: new Host() });
  return { stdout: r.stdout, stderr: r.stderr };
}

describe("global entries and what a new namespace takes from init_net", () => {
  it("writes rmem/wmem and the allowed congestion control list in init_net, read-only elsewhere", async () => {
    const r = await run([
      "ip netns add a",
      "sysctl -w net.core.rmem_max=2303 net.core.rmem_max=1048576 net.core.wmem_default=4608",
      "sysctl -w 'net.ipv4.tcp_allowed_congestion_control=cubic reno' net.ipv4.tcp_allowed_congestion_control=vegas",
      "ip netns exec a sysctl net.core.rmem_max net.core.wmem_default net.ipv4.tcp_allowed_congestion_control",
      "ip netns exec a sysctl -w net.ipv4.tcp_congestion_control=cubic net.ipv4.tcp_congestion_control=bbr",
      "ip netns exec a sysctl -w net.core.rmem_max=5; echo rc=$?",
    ]);
    expect(r.stdout).toBe(
      [
        "net.core.rmem_max = 1048576",
        "net.core.wmem_default = 4608",
        "net.ipv4.tcp_allowed_congestion_control = cubic reno",
        "net.core.rmem_max = 1048576",
        "net.core.wmem_default = 4608",
        "net.ipv4.tcp_allowed_congestion_control = reno cubic",
        "net.ipv4.tcp_congestion_control = cubic",
        "rc=0",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe(
      [
        'sysctl: setting key "net.core.rmem_max": Invalid argument',
        'sysctl: setting key "net.ipv4.tcp_allowed_congestion_control": No such file or directory',
        'sysctl: setting key "net.ipv4.tcp_congestion_control": Operation not permitted',
        'sysctl: setting key "net.core.rmem_max": Invalid argument',
        "",
      ].join("\n"),
    );
  });

  it("starts a new namespace with init_net's congestion control and the compiled-in rest", async () => {
    const r = await run([
      "sysctl -qw net.ipv4.tcp_congestion_control=cubic net.core.somaxconn=100 net.ipv4.tcp_tw_reuse=0",
      "ip netns add a",
      "sysctl -qw net.ipv4.tcp_congestion_control=reno",
      "ip netns exec a sysctl net.ipv4.tcp_congestion_control net.core.somaxconn net.ipv4.tcp_tw_reuse",
    ]);
    expect(r.stdout).toBe(
      "net.ipv4.tcp_congestion_control = cubic\nnet.core.somaxconn = 4096\nnet.ipv4.tcp_tw_reuse = 2\n",
    );
  });

  it("copies init_net's tcp_rmem/tcp_wmem and IPv4 conf.all/conf.default into a new namespace", async () => {
    const r = await run([
      "sysctl -qw 'net.ipv4.tcp_rmem=4096 65536 1048576' net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2",
      "sysctl -qw net.ipv4.conf.default.accept_source_route=0 net.ipv4.conf.default.arp_ignore=1",
      "ip netns add a",
      "sysctl -qw net.ipv4.conf.all.rp_filter=0 'net.ipv4.tcp_rmem=4096 131072 33554432'",
      "ip netns exec a sysctl net.ipv4.tcp_rmem net.ipv4.tcp_wmem net.ipv4.ip_forward net.ipv4.conf.all.rp_filter",
      "ip netns exec a sysctl net.ipv4.conf.default.accept_source_route net.ipv4.conf.lo.accept_source_route",
      "ip netns exec a sysctl net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.forwarding net.ipv4.conf.lo.disable_policy",
    ]);
    expect(r.stdout).toBe(
      [
        "net.ipv4.tcp_rmem = 4096\t65536\t1048576",
        "net.ipv4.tcp_wmem = 4096\t16384\t4194304",
        "net.ipv4.ip_forward = 1",
        "net.ipv4.conf.all.rp_filter = 2",
        "net.ipv4.conf.default.accept_source_route = 0",
        "net.ipv4.conf.lo.accept_source_route = 0",
        "net.ipv4.conf.lo.arp_ignore = 1",
        "net.ipv4.conf.lo.forwarding = 1",
        "net.ipv4.conf.lo.disable_policy = 1",
        "",
      ].join("\n"),
    );
  });

  it("keeps nf_hooks_lwtunnel on for the whole machine once any namespace turns it on", async () => {
    const r = await run([
      "ip netns add a",
      "ip netns add b",
      "ip netns exec a sysctl -w net.netfilter.nf_hooks_lwtunnel=1",
      "sysctl net.netfilter.nf_hooks_lwtunnel",
      "ip netns exec b sysctl -w net.netfilter.nf_hooks_lwtunnel=0; echo rc=$?",
    ]);
    expect(r.stdout).toBe("net.netfilter.nf_hooks_lwtunnel = 1\nnet.netfilter.nf_hooks_lwtunnel = 1\nrc=1\n");
    expect(r.stderr).toBe('sysctl: setting key "net.netfilter.nf_hooks_lwtunnel": Device or resource busy\n');
  });
});
