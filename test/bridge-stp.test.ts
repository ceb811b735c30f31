// Kernel STP's BPDU reception, with frames put on a bridge port by hand (the parity scenarios
// bridge-stp-* cover bridges talking to each other). The expectations were taken from the live
// kernel, fed the same frames with an AF_PACKET socket on the port's veth peer: malformed or
// unwanted BPDUs change nothing; a superior one makes the port the root port and the bridge run
// on the root's times until max_age passes without another; bpdu_guard disables the port.
import { describe, expect, it } from "vitest";
import { Host, runScript } from "../src/api/index.js";
import { netifRx } from "../src/kernel/core/netif.js";
import {
  type BpduRepr,
  bpduLength,
  emitStpLlcBpdu,
  jiffiesToStpTicks,
  LLC_HLEN,
  parseBpdu,
  stpTicksToJiffies,
} from "../src/wire/stp.js";

const HZ = 250;

function mac(s: string): Uint8Array {
  return Uint8Array.from(s.split(":").map((x) => Number.parseInt(x, 16)));
}

const SUPERIOR: BpduRepr = {
  kind: "config",
  topologyChange: false,
  topologyChangeAck: false,
  root: { prio: 0, addr: mac("02:00:00:00:00:01") },
  rootPathCost: 0,
  bridgeId: { prio: 0, addr: mac("02:00:00:00:00:01") },
  portId: 0x8001,
  messageAge: 0,
  maxAge: 6 * HZ,
  helloTime: 1 * HZ,
  forwardDelay: 4 * HZ,
};

describe("BPDU wire format", () => {
  it("writes a configuration BPDU as br_send_config_bpdu does, and reads it back", () => {
    const out = new Uint8Array(LLC_HLEN + bpduLength(SUPERIOR));
    emitStpLlcBpdu(out, 0, { ...SUPERIOR, topologyChange: true, rootPathCost: 0x01020304, messageAge: 1 });
    expect(Array.from(out, (b) => b.toString(16).padStart(2, "0")).join(" ")).toBe(
      "42 42 03 00 00 00 00 01 00 00 02 00 00 00 00 01 01 02 03 04 00 00 02 00 00 00 00 01 80 01 " +
        // message age 1 jiffy is 1/256 s rounded down: 0; max age 6 s, hello 1 s, forward delay 4 s
        "00 01 06 00 01 00 04 00",
    );
    const back = parseBpdu(out, LLC_HLEN, out.length);
    expect(back).toMatchObject({
      kind: "config",
      topologyChange: true,
      rootPathCost: 0x01020304,
      portId: 0x8001,
    });
    expect(back).toMatchObject({ maxAge: 6 * HZ, helloTime: HZ, forwardDelay: 4 * HZ, messageAge: 1 });
  });

  it("converts times as br_set_ticks (down) and br_get_ticks (up) do", () => {
    expect(jiffiesToStpTicks(1)).toBe(1);
    expect(jiffiesToStpTicks(1000)).toBe(1024);
    expect(stpTicksToJiffies(1024)).toBe(1000);
    expect(stpTicksToJiffies(1)).toBe(1);
    expect(stpTicksToJiffies(0)).toBe(0);
  });

  it("takes a TCN, and refuses what is short, not version 0, or of another type", () => {
    expect(parseBpdu(Uint8Array.of(0, 0, 0, 0x80), 0, 4)).toEqual({ kind: "tcn" });
    expect(parseBpdu(Uint8Array.of(0, 0, 0), 0, 3)).toBe("truncated");
    expect(parseBpdu(Uint8Array.of(0, 0, 2, 2), 0, 4)).toBe("not-stp");
    expect(parseBpdu(Uint8Array.of(0, 0, 0, 0x02), 0, 4)).toBe("unknown-type");
    expect(parseBpdu(new Uint8Array(34), 0, 34)).toBe("truncated");
  });
});

interface Frame {
  readonly bpdu?: BpduRepr;
  readonly dst?: string;
  /** The 802.3 length field, when it is not the PDU's. */
  readonly length?: number;
  readonly truncate?: number;
  readonly version?: number;
}

function frame(f: Frame): Uint8Array {
  const bpdu = f.bpdu ?? SUPERIOR;
  let pdu = new Uint8Array(LLC_HLEN + bpduLength(bpdu));
  emitStpLlcBpdu(pdu, 0, bpdu);
  if (f.version !== undefined) pdu[LLC_HLEN + 2] = f.version;
  if (f.truncate !== undefined) pdu = pdu.slice(0, LLC_HLEN + f.truncate);
  const out = new Uint8Array(14 + pdu.length);
  out.set(mac(f.dst ?? "01:80:c2:00:00:00"), 0);
  out.set(mac("02:00:00:00:00:99"), 6);
  const len = f.length ?? pdu.length;
  out[12] = len >> 8;
  out[13] = len & 0xff;
  out.set(pdu, 14);
  return out;
}

const SETUP = `
ip netns add a; ip netns add h
ip -n a link add br0 address 02:00:00:00:00:0a type bridge stp_state 1 forward_delay 200 hello_time 100 max_age 600
ip link add p0 netns a address 02:00:00:00:0a:01 type veth peer name h0 netns h address 02:00:00:00:00:99
ip -n a link set p0 master br0; ip -n a link set p0 up; ip -n h link set h0 up
sleep 1.5
ip -n a link set br0 up
sleep 0.5
`;

const SHOW = `ip -n a -d link show br0 | grep -o 'forward_delay [0-9]* hello_time [0-9]* max_age [0-9]*\\|bridge_id.*root_path_cost [0-9]*'
ip -n a -d link show p0 | grep -o 'state [a-z]* \\|designated_cost.*designated_root [^ ]*'`;

async function bridgeWithPort(): Promise<{ host: Host; inject: (f: Frame) => Promise<string> }> {
  const host = new Host();
  expect((await runScript(SETUP, { host })).exitCode).toBe(0);
  const p0 = host.netnsNames.get("a")?.devByName.get("p0");
  if (!p0) throw new Error("no p0");
  const inject = async (f: Frame) => {
    netifRx(frame(f), p0, 0);
    return (await runScript(`sleep 0.1\n${SHOW}`, { host })).stdout;
  };
  return { host, inject };
}

const OWN_ROOT =
  "forward_delay 200 hello_time 100 max_age 600\n" +
  "bridge_id 8000.2:0:0:0:0:a designated_root 8000.2:0:0:0:0:a root_port 0 root_path_cost 0\n";
const OWN_PORT = "designated_cost 0 designated_bridge 8000.2:0:0:0:0:a designated_root 8000.2:0:0:0:0:a\n";

describe("br_stp_rcv", () => {
  it("drops malformed and unwanted BPDUs without a trace in the tree", async () => {
    const { inject } = await bridgeWithPort();
    const unchanged = `${OWN_ROOT}state listening \n${OWN_PORT}`;
    // The 802.3 length promises more than the frame holds (llc_fixup_skb).
    expect(await inject({ length: 60 })).toBe(unchanged);
    // RSTP's version 2 is not taken by the kernel's STP.
    expect(await inject({ version: 2 })).toBe(unchanged);
    // A configuration BPDU cut to 30 bytes.
    expect(await inject({ truncate: 30 })).toBe(unchanged);
    // Older than it may be.
    expect(await inject({ bpdu: { ...SUPERIOR, messageAge: 7 * HZ } })).toBe(unchanged);
    // Not to the bridge's group address.
    expect(await inject({ dst: "01:80:c2:00:00:0e" })).toBe(unchanged);
  });

  it("makes the port root port on a superior BPDU, on the root's times, until max_age passes", async () => {
    const { host, inject } = await bridgeWithPort();
    expect(await inject({})).toBe(
      "forward_delay 400 hello_time 100 max_age 600\n" +
        "bridge_id 8000.2:0:0:0:0:a designated_root 8000.2:0:0:0:0:a root_port 1 root_path_cost 2\n" +
        "state listening \n" +
        "designated_cost 0 designated_bridge 0000.2:0:0:0:0:1 designated_root 0000.2:0:0:0:0:1\n",
    );
    const later = await runScript(`sleep 3\n${SHOW}`, { host });
    expect(later.stdout).toContain("root_port 1 root_path_cost 2");
    // max_age (6 s, and up to 64 jiffies of timer wheel) after the BPDU the port forgets it and
    // the bridge is its own root again, on its own times, with a topology change.
    const aged = await runScript(
      `sleep 4\n${SHOW}\nip -n a -d link show br0 | grep -o 'topology_change [0-9]'`,
      {
        host,
      },
    );
    expect(aged.stdout).toBe(`${OWN_ROOT}state forwarding \n${OWN_PORT}topology_change 1\n`);
  });

  it("keeps a root_block port from becoming root port: it listens again, the bridge stays root", async () => {
    const { host } = await bridgeWithPort();
    await runScript("ip netns exec a bridge link set dev p0 root_block on; sleep 5", { host });
    const p0 = host.netnsNames.get("a")?.devByName.get("p0");
    if (!p0) throw new Error("no p0");
    const before = await runScript(SHOW, { host });
    expect(before.stdout).toBe(`${OWN_ROOT}state forwarding \n${OWN_PORT}`);
    netifRx(frame({}), p0, 0);
    const after = await runScript(`sleep 0.1\n${SHOW}`, { host });
    expect(after.stdout).toBe(`${OWN_ROOT}state listening \n${OWN_PORT}`);
  });

  it("disables a port with bpdu_guard on the first BPDU", async () => {
    const { host, inject } = await bridgeWithPort();
    await runScript("ip netns exec a bridge link set dev p0 guard on", { host });
    expect(await inject({})).toBe(`${OWN_ROOT}state disabled \n${OWN_PORT}`);
  });
});
