// The spanning tree protocol of one bridge (net/bridge/br_stp.c, br_stp_if.c, br_stp_timer.c,
// br_stp_bpdu.c): port states, the bridge id, the forward delay, hello and topology change timers,
// and the configuration BPDUs a designated port sends. No BPDU is ever received (a port's LLC
// frames end in br_stp_rcv's drop), so each bridge stays its own root and every enabled port
// becomes designated: with stp_state 1 a port goes listening → learning → forwarding, each step
// forward_delay apart, as on a lone bridge.
import {
  callNetdevNotifiers,
  netifCarrierOff,
  netifCarrierOn,
  netifOperUp,
  netifRunning,
} from "../../core/dev.js";
import { devQueueXmit } from "../../core/netif.js";
import { allocSkb } from "../../core/skbuff.js";
import { KernelError } from "../../syscalls.js";
import { IFF_UP } from "../../uapi.js";
import { brFdbChangeMacAddress, brFdbDeleteByPort, brFdbGcArm, brFdbGcCancel } from "./br_fdb.js";
import { type Bridge, type BridgeId, type BridgePort, clockTToJiffies, JIFFY_NS } from "./br_private.js";

const HZ = 250;
/** BR_PORT_BITS: the port number's share of a port id. */
const BR_PORT_BITS = 10;
export const BR_MAX_PORT_PRIORITY = (1 << (16 - BR_PORT_BITS)) - 1;
const BR_MIN_HELLO_TIME = 1 * HZ;
const BR_MAX_HELLO_TIME = 10 * HZ;
const BR_MIN_FORWARD_DELAY = 2 * HZ;
const BR_MAX_FORWARD_DELAY = 30 * HZ;
const BR_MIN_MAX_AGE = 6 * HZ;
const BR_MAX_MAX_AGE = 40 * HZ;
const BR_MIN_PATH_COST = 1;
const BR_MAX_PATH_COST = 65535;
const BR_HOLD_TIME = 1 * HZ;
const ETH_P_802_2 = 0x0004;

/** port_cost: from the link speed ethtool reports; a veth says 10000Mb/s. */
export function portCost(p: BridgePort): number {
  return p.dev.ops.kind === "veth" ? 2 : 100;
}

/** br_make_port_id */
export function brMakePortId(priority: number, portNo: number): number {
  return ((priority << BR_PORT_BITS) | (portNo & ((1 << BR_PORT_BITS) - 1))) & 0xffff;
}

export function brBridgeId(br: Bridge): BridgeId {
  return { prio: br.bridgePrio, addr: br.bridgeIdAddr };
}

function idCompare(a: BridgeId, b: BridgeId): number {
  if (a.prio !== b.prio) return a.prio - b.prio;
  return macCompare(a.addr, b.addr);
}

function timerPending(t: { cancelled: boolean } | undefined): boolean {
  return t !== undefined && !t.cancelled;
}

function delTimer(t: { cancelled: boolean } | undefined): undefined {
  if (t) t.cancelled = true;
  return undefined;
}

function nowJiffies(br: Bridge): number {
  return Math.floor(br.dev.net.host.clock.now / JIFFY_NS);
}

/** mod_timer(timer, jiffies + delay) on the host's timer wheel. */
function modTimer(br: Bridge, delayJiffies: number, run: () => void) {
  return br.dev.net.host.clock.scheduleTimer(delayJiffies * JIFFY_NS, run);
}

/** round_jiffies: to a whole second, down when within the first quarter, never into the past. */
function roundJiffiesDelay(br: Bridge, delay: number): number {
  const now = nowJiffies(br);
  const j = now + delay;
  const rem = j % HZ;
  const rounded = rem < HZ / 4 ? j - rem : j - rem + HZ;
  return rounded <= now ? delay : rounded - now;
}

/** br_timer_value: what is left of a pending timer, in USER_HZ ticks. */
export function brTimerValue(br: Bridge, t: { at: number; cancelled: boolean } | undefined): number {
  if (!timerPending(t)) return 0;
  const left = Math.max(0, Math.ceil(((t as { at: number }).at - br.dev.net.host.clock.now) / JIFFY_NS));
  return Math.floor((left * 100) / HZ);
}

/** br_is_root_bridge: designated_root == bridge_id, always, as no port records a better root. */
export function brIsRootBridge(_br: Bridge): boolean {
  return true;
}

/** br_is_designated_port */
export function brIsDesignatedPort(p: BridgePort): boolean {
  return idCompare(p.designatedBridge, brBridgeId(p.br)) === 0 && p.designatedPort === p.portId;
}

/** br_become_designated_port */
export function brBecomeDesignatedPort(p: BridgePort): void {
  const id = brBridgeId(p.br);
  p.designatedRoot = { prio: id.prio, addr: id.addr.slice() };
  p.designatedCost = 0;
  p.designatedBridge = { prio: id.prio, addr: id.addr.slice() };
  p.designatedPort = p.portId;
}

/** br_init_port */
function brInitPort(p: BridgePort): void {
  p.portId = brMakePortId(p.priority, p.portNo);
  brBecomeDesignatedPort(p);
  p.state = "blocking";
  p.topologyChangeAck = false;
  p.configPending = false;
}

/** __br_set_topology_change: while it lasts, learned entries age in twice the forward delay. */
function brSetTopologyChange(br: Bridge, val: boolean): void {
  if (br.stpEnabled === 1 && br.topologyChange !== val) {
    br.ageingTime = val ? 2 * br.forwardDelay * JIFFY_NS : br.bridgeAgeingTime;
  }
  br.topologyChange = val;
}

/** br_topology_change_detection, as the root bridge. */
function brTopologyChangeDetection(br: Bridge): void {
  if (br.stpEnabled !== 1 || !(br.dev.flags & IFF_UP)) return;
  brSetTopologyChange(br, true);
  delTimer(br.topologyChangeTimer);
  br.topologyChangeTimer = modTimer(br, br.bridgeForwardDelay + br.bridgeMaxAge, () => {
    // br_topology_change_timer_expired
    br.topologyChangeTimer = undefined;
    br.topologyChangeDetected = false;
    brSetTopologyChange(br, false);
  });
  br.topologyChangeDetected = true;
}

/** br_set_ticks: STP times go on the wire in 1/256 s. */
function putTicks(buf: Uint8Array, off: number, jiffies: number): void {
  const ticks = Math.floor((256 * jiffies) / HZ);
  buf[off] = (ticks >> 8) & 0xff;
  buf[off + 1] = ticks & 0xff;
}

function putBridgeId(buf: Uint8Array, off: number, id: BridgeId): void {
  buf[off] = (id.prio >> 8) & 0xff;
  buf[off + 1] = id.prio & 0xff;
  buf.set(id.addr, off + 2);
}

/**
 * br_send_config_bpdu → br_send_bpdu: a 35-byte configuration BPDU behind an LLC UI header
 * (SAP 0x42) in an 802.3 frame to the bridge group address, queued on the port's device.
 */
function brSendConfigBpdu(p: BridgePort): void {
  const br = p.br;
  if (br.stpEnabled !== 1) return;
  const len = 3 + 35;
  const skb = allocSkb(14 + len, br.dev.net.host.packetSlab);
  const f = skb.data.subarray(skb.head, skb.tail);
  f.set(br.groupAddr, 0);
  f.set(p.dev.address, 6);
  f[12] = len >> 8;
  f[13] = len & 0xff;
  f[14] = 0x42;
  f[15] = 0x42;
  f[16] = 0x03;
  const b = 17;
  // protocol id 0, version 0, BPDU_TYPE_CONFIG 0
  f[b + 4] = (br.topologyChange ? 0x01 : 0) | (p.topologyChangeAck ? 0x80 : 0);
  putBridgeId(f, b + 5, brBridgeId(br));
  // root path cost 0 (bytes 13..16)
  putBridgeId(f, b + 17, brBridgeId(br));
  f[b + 25] = (p.portId >> 8) & 0xff;
  f[b + 26] = p.portId & 0xff;
  putTicks(f, b + 27, 0);
  putTicks(f, b + 29, br.maxAge);
  putTicks(f, b + 31, br.helloTime);
  putTicks(f, b + 33, br.forwardDelay);
  skb.macHeader = skb.head;
  skb.networkHeader = skb.head + 14;
  skb.protocol = ETH_P_802_2;
  skb.dev = p.dev;
  devQueueXmit(skb, p.dev);
}

/** br_transmit_config: one BPDU per hold time; one asked for sooner waits as config_pending. */
function brTransmitConfig(p: BridgePort): void {
  if (timerPending(p.holdTimer)) {
    p.configPending = true;
    return;
  }
  brSendConfigBpdu(p);
  p.topologyChangeAck = false;
  p.configPending = false;
  const br = p.br;
  if (br.stpEnabled === 1) {
    p.holdTimer = modTimer(br, roundJiffiesDelay(br, BR_HOLD_TIME), () => {
      // br_hold_timer_expired
      p.holdTimer = undefined;
      if (p.configPending) brTransmitConfig(p);
    });
  }
}

/** br_config_bpdu_generation */
function brConfigBpduGeneration(br: Bridge): void {
  for (const p of br.ports) {
    if (p.state !== "disabled" && brIsDesignatedPort(p)) brTransmitConfig(p);
  }
}

/** br_hello_timer_expired: rearmed to whole seconds while kernel STP runs. */
function brArmHelloTimer(br: Bridge, delay: number): void {
  delTimer(br.helloTimer);
  br.helloTimer = modTimer(br, delay, () => {
    br.helloTimer = undefined;
    if (!(br.dev.flags & IFF_UP)) return;
    brConfigBpduGeneration(br);
    if (br.stpEnabled === 1) brArmHelloTimer(br, roundJiffiesDelay(br, br.helloTime));
  });
}

/** br_forward_delay_timer_expired */
function brForwardDelayTimerExpired(p: BridgePort): void {
  p.forwardDelayTimer = undefined;
  const br = p.br;
  if (p.state === "listening") {
    p.state = "learning";
    p.forwardDelayTimer = modTimer(br, br.forwardDelay, () => brForwardDelayTimerExpired(p));
  } else if (p.state === "learning") {
    p.state = "forwarding";
    // br_is_designated_for_some_port
    if (br.ports.some((q) => q.state !== "disabled" && brIsDesignatedPort(q))) brTopologyChangeDetection(br);
    netifCarrierOn(br.dev);
  }
}

/** br_make_forwarding */
function brMakeForwarding(p: BridgePort): void {
  const br = p.br;
  if (p.state !== "blocking") return;
  if (br.stpEnabled === 0 || br.forwardDelay === 0) {
    p.state = "forwarding";
    brTopologyChangeDetection(br);
    p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  } else {
    p.state = "listening";
  }
  if (br.forwardDelay !== 0) {
    delTimer(p.forwardDelayTimer);
    p.forwardDelayTimer = modTimer(br, br.forwardDelay, () => brForwardDelayTimerExpired(p));
  }
}

/** br_make_blocking */
function brMakeBlocking(p: BridgePort): void {
  if (p.state === "disabled" || p.state === "blocking") return;
  if (p.state === "forwarding" || p.state === "learning") brTopologyChangeDetection(p.br);
  p.state = "blocking";
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
}

/** br_port_state_selection: the bridge has carrier while at least one port forwards. */
export function brPortStateSelection(br: Bridge): void {
  let liveports = 0;
  for (const p of br.ports) {
    if (p.state === "disabled") continue;
    if (brIsDesignatedPort(p)) brMakeForwarding(p);
    else {
      p.configPending = false;
      p.topologyChangeAck = false;
      brMakeBlocking(p);
    }
    if (p.state === "forwarding") liveports++;
  }
  if (liveports === 0) netifCarrierOff(br.dev);
  else netifCarrierOn(br.dev);
}

/** br_stp_enable_port: br_init_port (blocking), then state selection. */
export function brStpEnablePort(p: BridgePort): void {
  brInitPort(p);
  brPortStateSelection(p.br);
}

/** br_stp_disable_port: the port's learned entries are flushed. */
export function brStpDisablePort(p: BridgePort): void {
  brBecomeDesignatedPort(p);
  p.state = "disabled";
  p.topologyChangeAck = false;
  p.configPending = false;
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  p.holdTimer = delTimer(p.holdTimer);
  // A port with a backup keeps its entries: their frames go to the backup meanwhile.
  if (!p.backupPort) brFdbDeleteByPort(p.br, p, false);
  brPortStateSelection(p.br);
}

/** br_stp_enable_bridge (from br_dev_open): the FDB collector starts 100 ms later. */
export function brStpEnableBridge(br: Bridge): void {
  if (br.stpEnabled === 1) brArmHelloTimer(br, br.helloTime);
  brFdbGcArm(br, 100_000_000);
  brConfigBpduGeneration(br);
  for (const p of br.ports) {
    if (netifRunning(p.dev) && netifOperUp(p.dev)) brStpEnablePort(p);
  }
}

/** br_stp_disable_bridge (from br_dev_stop) */
export function brStpDisableBridge(br: Bridge): void {
  for (const p of br.ports) {
    if (p.state !== "disabled") brStpDisablePort(p);
  }
  brSetTopologyChange(br, false);
  br.topologyChangeDetected = false;
  brFdbGcCancel(br);
  br.helloTimer = delTimer(br.helloTimer);
  br.topologyChangeTimer = delTimer(br.topologyChangeTimer);
}

/** br_stop_timers / del_nbp: a port's own timers stop when it leaves. */
export function brStpPortTimersStop(p: BridgePort): void {
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  p.holdTimer = delTimer(p.holdTimer);
}

/** br_stp_delete_bridge timers, for a bridge that goes away. */
export function brStpBridgeTimersStop(br: Bridge): void {
  br.helloTimer = delTimer(br.helloTimer);
  br.topologyChangeTimer = delTimer(br.topologyChangeTimer);
}

/** __br_set_forward_delay */
function setForwardDelay(br: Bridge, t: number): void {
  br.bridgeForwardDelay = t;
  if (brIsRootBridge(br)) br.forwardDelay = t;
}

/**
 * br_stp_set_enabled. Outside init_net the kernel never asks /sbin/bridge-stp, so any non-zero
 * value is kernel STP; the forward delay is pulled into 2..30 s when it starts.
 */
export function brStpSetEnabled(br: Bridge, val: number): void {
  if (val) {
    if (br.stpEnabled !== 0) return;
    // br_stp_start
    if (br.bridgeForwardDelay < BR_MIN_FORWARD_DELAY) setForwardDelay(br, BR_MIN_FORWARD_DELAY);
    else if (br.bridgeForwardDelay > BR_MAX_FORWARD_DELAY) setForwardDelay(br, BR_MAX_FORWARD_DELAY);
    br.stpEnabled = 1;
    if (br.dev.flags & IFF_UP) brArmHelloTimer(br, br.helloTime);
    brPortStateSelection(br);
  } else if (br.stpEnabled !== 0) {
    // br_stp_stop: kernel STP leaves the ports where they are; their timers run out.
    br.stpEnabled = 0;
  }
}

/** br_set_forward_delay: with STP running it must stay within 2..30 s. */
export function brSetForwardDelay(br: Bridge, clockT: number): void {
  const t = clockTToJiffies(clockT);
  if (br.stpEnabled !== 0 && (t < BR_MIN_FORWARD_DELAY || t > BR_MAX_FORWARD_DELAY))
    throw new KernelError("ERANGE");
  setForwardDelay(br, t);
}

/** br_set_hello_time */
export function brSetHelloTime(br: Bridge, clockT: number): void {
  const t = clockTToJiffies(clockT);
  if (t < BR_MIN_HELLO_TIME || t > BR_MAX_HELLO_TIME) throw new KernelError("ERANGE");
  br.bridgeHelloTime = t;
  if (brIsRootBridge(br)) br.helloTime = t;
}

/** br_set_max_age */
export function brSetMaxAge(br: Bridge, clockT: number): void {
  const t = clockTToJiffies(clockT);
  if (t < BR_MIN_MAX_AGE || t > BR_MAX_MAX_AGE) throw new KernelError("ERANGE");
  br.bridgeMaxAge = t;
  if (brIsRootBridge(br)) br.maxAge = t;
}

/** br_set_ageing_time: the collector runs at once with the new time (even on a bridge that is down). */
export function brSetAgeingTime(br: Bridge, clockT: number): void {
  const t = clockTToJiffies(clockT) * JIFFY_NS;
  br.bridgeAgeingTime = t;
  br.ageingTime = t;
  brFdbGcArm(br, 0);
}

/** br_stp_set_bridge_priority */
export function brStpSetBridgePriority(br: Bridge, newprio: number): void {
  for (const p of br.ports) {
    if (p.state !== "disabled" && brIsDesignatedPort(p)) p.designatedBridge.prio = newprio;
  }
  br.bridgePrio = newprio;
  // br_configuration_update: the bridge stays root; designated ports follow its id.
  brDesignatedPortSelection(br);
  brPortStateSelection(br);
}

/** br_designated_port_selection with the bridge as root. */
function brDesignatedPortSelection(br: Bridge): void {
  for (const p of br.ports) {
    if (p.state === "disabled") continue;
    // br_should_become_designated_port
    const id = brBridgeId(br);
    if (
      brIsDesignatedPort(p) ||
      idCompare(p.designatedRoot, id) !== 0 ||
      p.designatedCost > 0 ||
      idCompare(id, p.designatedBridge) < 0 ||
      (idCompare(id, p.designatedBridge) === 0 && p.portId < p.designatedPort)
    )
      brBecomeDesignatedPort(p);
  }
}

/** br_stp_set_port_priority */
export function brStpSetPortPriority(p: BridgePort, newprio: number): void {
  if (newprio > BR_MAX_PORT_PRIORITY) throw new KernelError("ERANGE");
  const newPortId = brMakePortId(newprio, p.portNo);
  if (brIsDesignatedPort(p)) p.designatedPort = newPortId;
  p.portId = newPortId;
  p.priority = newprio;
  if (idCompare(brBridgeId(p.br), p.designatedBridge) === 0 && p.portId < p.designatedPort) {
    brBecomeDesignatedPort(p);
    brPortStateSelection(p.br);
  }
}

/** br_stp_set_path_cost */
export function brStpSetPathCost(p: BridgePort, cost: number): void {
  if (cost < BR_MIN_PATH_COST || cost > BR_MAX_PATH_COST) throw new KernelError("ERANGE");
  p.adminCost = true;
  p.pathCost = cost;
  brDesignatedPortSelection(p.br);
  brPortStateSelection(p.br);
}

/**
 * br_stp_change_bridge_id: the FDB moves to the new address, the device takes it, ports that
 * named the old id as designated bridge or root name the new one, and port states are selected
 * again, which is where a bridge without forwarding ports loses its carrier.
 */
export function brStpChangeBridgeId(br: Bridge, addr: Uint8Array): void {
  const old = br.bridgeIdAddr;
  brFdbChangeMacAddress(br, addr);
  br.bridgeIdAddr = addr.slice();
  br.dev.address = addr.slice();
  for (const p of br.ports) {
    if (macCompare(p.designatedBridge.addr, old) === 0) p.designatedBridge.addr = addr.slice();
    if (macCompare(p.designatedRoot.addr, old) === 0) p.designatedRoot.addr = addr.slice();
  }
  brDesignatedPortSelection(br);
  brPortStateSelection(br);
}

function macCompare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 6; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * br_stp_recalculate_bridge_id: unless the user set the address, the bridge takes the lowest
 * address among its ports, all zeroes when it has none. Returns true when it changed.
 */
export function brStpRecalculateBridgeId(br: Bridge): boolean {
  if (br.addrSet) return false;
  let addr: Uint8Array | undefined;
  for (const p of br.ports) {
    if (!addr || macCompare(p.dev.address, addr) < 0) addr = p.dev.address;
  }
  const chosen = addr ?? new Uint8Array(6);
  if (macCompare(br.bridgeIdAddr, chosen) === 0) return false;
  brStpChangeBridgeId(br, chosen);
  return true;
}

/** br_stp_recalculate_bridge_id + the NETDEV_CHANGEADDR it causes on the bridge. */
export function brRecalculateAndNotify(br: Bridge): void {
  if (brStpRecalculateBridgeId(br)) callNetdevNotifiers("NETDEV_CHANGEADDR", br.dev);
}
