// The spanning tree protocol of one bridge, 802.1D as the kernel runs it (net/bridge/br_stp.c,
// br_stp_if.c, br_stp_timer.c): the bridge id and the root it knows, root and designated port
// selection from the configuration BPDUs each port records, port states (blocking, listening,
// learning, forwarding, forward_delay apart), topology change detection, notification (TCN) and
// acknowledgement, and the hello, message age, forward delay, hold, TCN and topology change
// timers. BPDUs are read and written in br_stp_bpdu.ts.
import {
  callNetdevNotifiers,
  netifCarrierOff,
  netifCarrierOn,
  netifOperUp,
  netifRunning,
} from "../../core/dev.js";
import { printk } from "../../printk.js";
import { KernelError } from "../../syscalls.js";
import { IFF_UP } from "../../uapi.js";
import { brFdbChangeMacAddress, brFdbDeleteByPort, brFdbGcArm, brFdbGcCancel } from "./br_fdb.js";
import { brMulticastDisablePort } from "./br_multicast.js";
import { brIfinfoNotify } from "./br_netlink.js";
import {
  type Bridge,
  type BridgeId,
  type BridgePort,
  type BrTimer,
  clockTToJiffies,
  JIFFY_NS,
} from "./br_private.js";
import { brSendConfigBpdu, brSendTcnBpdu, type ConfigBpdu } from "./br_stp_bpdu.js";

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
/** MESSAGE_AGE_INCR: (HZ / 256) + 1, at least one STP tick. */
const MESSAGE_AGE_INCR = Math.floor(HZ / 256) + 1;

/** br_info / br_notice: pr_info and pr_notice with the bridge's name first. */
function brLog(br: Bridge, level: number, text: string): void {
  const host = br.dev.net.host;
  printk(host.kmsg, host.clock.now, level, `${br.dev.name}: ${text}`);
}
const KERN_NOTICE = 5;
const KERN_INFO = 6;

/** br_set_state: the port's new STP state, logged (switchdev has nothing to offload here). */
export function brSetState(p: BridgePort, state: BridgePort["state"]): void {
  if ((p.state === "disabled") !== (state === "disabled")) p.br.activePorts += state === "disabled" ? -1 : 1;
  p.state = state;
  brLog(p.br, KERN_INFO, `port ${p.portNo}(${p.dev.name}) entered ${state} state`);
}

/** port_cost: from the link speed ethtool reports; a veth says 10000Mb/s. */
export function portCost(p: BridgePort): number {
  return p.dev.ops.kind === "veth" ? 2 : 100;
}

/** br_make_port_id */
export function brMakePortId(priority: number, portNo: number): number {
  return ((priority << BR_PORT_BITS) | (portNo & ((1 << BR_PORT_BITS) - 1))) & 0xffff;
}

/** br->bridge_id, as a value. */
export function brBridgeId(br: Bridge): BridgeId {
  return { prio: br.bridgePrio, addr: br.bridgeIdAddr.slice() };
}

function idCopy(id: BridgeId): BridgeId {
  return { prio: id.prio, addr: id.addr.slice() };
}

/** memcmp of two struct bridge_id: the priority, then the address. */
function idCompare(a: BridgeId, b: BridgeId): number {
  if (a.prio !== b.prio) return a.prio - b.prio;
  return macCompare(a.addr, b.addr);
}

/** memcmp(&p->designated_bridge, &br->bridge_id, 8) and the like, without a copy. */
function idCompareBridge(a: BridgeId, br: Bridge): number {
  if (a.prio !== br.bridgePrio) return a.prio - br.bridgePrio;
  return macCompare(a.addr, br.bridgeIdAddr);
}

function macCompare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 6; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function timerPending(t: { cancelled: boolean } | undefined): boolean {
  return t !== undefined && !t.cancelled;
}

function delTimer(t: { cancelled: boolean } | undefined): undefined {
  if (t) t.cancelled = true;
  return undefined;
}

export function brJiffies(br: Bridge): number {
  return Math.floor(br.dev.net.host.clock.now / JIFFY_NS);
}

/** mod_timer(timer, jiffies + delay) on the host's timer wheel; the caller drops the old one. */
function modTimer(br: Bridge, delayJiffies: number, run: () => void): BrTimer {
  const delay = Math.max(0, delayJiffies);
  const expires = brJiffies(br) + delay;
  return Object.assign(br.dev.net.host.clock.scheduleTimer(delay * JIFFY_NS, run), { expires });
}

/** round_jiffies(jiffies + delay) - jiffies: to a whole second, down within its first quarter, never into the past. */
function roundJiffiesDelay(br: Bridge, delay: number): number {
  const now = brJiffies(br);
  const j = now + delay;
  const rem = j % HZ;
  const rounded = rem < HZ / 4 ? j - rem : j - rem + HZ;
  return rounded <= now ? delay : rounded - now;
}

/**
 * br_timer_value: what is left of a pending timer until its expires jiffy, in USER_HZ ticks
 * (jiffies_delta_to_clock_t: nothing once it is due). A bare event (the FDB's delayed work) counts
 * to when it runs.
 */
export function brTimerValue(
  br: Bridge,
  t: { readonly at: number; readonly cancelled: boolean; readonly expires?: number } | undefined,
): number {
  if (!t || t.cancelled) return 0;
  const left =
    t.expires !== undefined
      ? t.expires - brJiffies(br)
      : Math.ceil((t.at - br.dev.net.host.clock.now) / JIFFY_NS);
  return Math.floor((Math.max(0, left) * 100) / HZ);
}

/** br_is_root_bridge */
export function brIsRootBridge(br: Bridge): boolean {
  return idCompareBridge(br.designatedRoot, br) === 0;
}

/** br_is_designated_port */
export function brIsDesignatedPort(p: BridgePort): boolean {
  return idCompareBridge(p.designatedBridge, p.br) === 0 && p.designatedPort === p.portId;
}

/** br_get_port */
function brGetPort(br: Bridge, portNo: number): BridgePort | undefined {
  for (const p of br.ports) if (p.portNo === portNo) return p;
  return undefined;
}

/** br_should_become_root_port: the best root, then path cost, designated bridge, port, our port id. */
function brShouldBecomeRootPort(p: BridgePort, rootPort: number): boolean {
  const br = p.br;
  if (p.state === "disabled" || brIsDesignatedPort(p)) return false;
  if (idCompareBridge(p.designatedRoot, br) >= 0) return false;
  if (!rootPort) return true;
  const rp = brGetPort(br, rootPort) as BridgePort;
  let t = idCompare(p.designatedRoot, rp.designatedRoot);
  if (t !== 0) return t < 0;
  const cost = p.designatedCost + p.pathCost;
  const rpCost = rp.designatedCost + rp.pathCost;
  if (cost !== rpCost) return cost < rpCost;
  t = idCompare(p.designatedBridge, rp.designatedBridge);
  if (t !== 0) return t < 0;
  if (p.designatedPort !== rp.designatedPort) return p.designatedPort < rp.designatedPort;
  return p.portId < rp.portId;
}

/** br_root_port_block: root_block keeps the port from being the root port; it listens again. */
function brRootPortBlock(br: Bridge, p: BridgePort): void {
  // br_notice's format has no newline here; the record is the same.
  brLog(br, KERN_NOTICE, `port ${p.portNo}(${p.dev.name}) tried to become root port (blocked)`);
  brSetState(p, "listening");
  brIfinfoNotify("RTM_NEWLINK", p);
  if (br.forwardDelay > 0) {
    delTimer(p.forwardDelayTimer);
    p.forwardDelayTimer = modTimer(br, br.forwardDelay, () => brForwardDelayTimerExpired(p));
  }
}

/** br_root_selection */
function brRootSelection(br: Bridge): void {
  let rootPort = 0;
  // Only a port that is not disabled can become the root port.
  for (const p of br.activePorts > 0 ? br.ports : []) {
    if (!brShouldBecomeRootPort(p, rootPort)) continue;
    if (p.rootBlock) brRootPortBlock(br, p);
    else rootPort = p.portNo;
  }
  br.rootPort = rootPort;
  const rp = rootPort ? brGetPort(br, rootPort) : undefined;
  if (!rp) {
    br.designatedRoot = brBridgeId(br);
    br.rootPathCost = 0;
  } else {
    br.designatedRoot = idCopy(rp.designatedRoot);
    br.rootPathCost = rp.designatedCost + rp.pathCost;
  }
}

/** br_become_root_bridge: our own times again, a topology change, hellos from now on. */
function brBecomeRootBridge(br: Bridge): void {
  br.maxAge = br.bridgeMaxAge;
  br.helloTime = br.bridgeHelloTime;
  br.forwardDelay = br.bridgeForwardDelay;
  brTopologyChangeDetection(br);
  br.tcnTimer = delTimer(br.tcnTimer);
  if (br.dev.flags & IFF_UP) {
    brConfigBpduGeneration(br);
    brArmHelloTimer(br, br.helloTime);
  }
}

/** br_transmit_config: one BPDU per hold time; one asked for sooner waits as config_pending. */
function brTransmitConfig(p: BridgePort): void {
  if (timerPending(p.holdTimer)) {
    p.configPending = true;
    return;
  }
  const br = p.br;
  let messageAge = 0;
  if (!brIsRootBridge(br)) {
    const root = brGetPort(br, br.rootPort) as BridgePort;
    messageAge = brJiffies(br) - root.designatedAge + MESSAGE_AGE_INCR;
  }
  if (messageAge >= br.maxAge) return;
  const bpdu: ConfigBpdu = {
    kind: "config",
    topologyChange: br.topologyChange,
    topologyChangeAck: p.topologyChangeAck,
    root: br.designatedRoot,
    rootPathCost: br.rootPathCost,
    bridgeId: { prio: br.bridgePrio, addr: br.bridgeIdAddr },
    portId: p.portId,
    messageAge,
    maxAge: br.maxAge,
    helloTime: br.helloTime,
    forwardDelay: br.forwardDelay,
  };
  brSendConfigBpdu(p, bpdu);
  p.topologyChangeAck = false;
  p.configPending = false;
  if (br.stpEnabled === 1) {
    delTimer(p.holdTimer);
    p.holdTimer = modTimer(br, roundJiffiesDelay(br, BR_HOLD_TIME), () => brHoldTimerExpired(p));
  }
}

/** br_record_config_information: what the designated bridge on this segment says, aged from now. */
function brRecordConfigInformation(p: BridgePort, bpdu: ConfigBpdu): void {
  const br = p.br;
  p.designatedRoot = idCopy(bpdu.root);
  p.designatedCost = bpdu.rootPathCost;
  p.designatedBridge = idCopy(bpdu.bridgeId);
  p.designatedPort = bpdu.portId;
  p.designatedAge = brJiffies(br) - bpdu.messageAge;
  delTimer(p.messageAgeTimer);
  p.messageAgeTimer = modTimer(br, bpdu.maxAge - bpdu.messageAge, () => brMessageAgeTimerExpired(p));
}

/** br_record_config_timeout_values: a non-root bridge runs on the root's times and TC flag. */
function brRecordConfigTimeoutValues(br: Bridge, bpdu: ConfigBpdu): void {
  br.maxAge = bpdu.maxAge;
  br.helloTime = bpdu.helloTime;
  br.forwardDelay = bpdu.forwardDelay;
  brSetTopologyChange(br, bpdu.topologyChange);
}

/** br_transmit_tcn: on the root port. */
function brTransmitTcn(br: Bridge): void {
  const p = brGetPort(br, br.rootPort);
  if (p) brSendTcnBpdu(p);
  else brLog(br, KERN_NOTICE, `root port ${br.rootPort} not found for topology notice`);
}

/** br_should_become_designated_port */
function brShouldBecomeDesignatedPort(p: BridgePort): boolean {
  const br = p.br;
  if (brIsDesignatedPort(p)) return true;
  if (idCompare(p.designatedRoot, br.designatedRoot) !== 0) return true;
  if (br.rootPathCost !== p.designatedCost) return br.rootPathCost < p.designatedCost;
  const t = -idCompareBridge(p.designatedBridge, br);
  if (t !== 0) return t < 0;
  return p.portId < p.designatedPort;
}

/** br_designated_port_selection */
function brDesignatedPortSelection(br: Bridge): void {
  if (br.activePorts === 0) return;
  for (const p of br.ports) {
    if (p.state !== "disabled" && brShouldBecomeDesignatedPort(p)) brBecomeDesignatedPort(p);
  }
}

/** br_supersedes_port_info: is the BPDU better than what the port holds (or a refresh of it)? */
function brSupersedesPortInfo(p: BridgePort, bpdu: ConfigBpdu): boolean {
  let t = idCompare(bpdu.root, p.designatedRoot);
  if (t !== 0) return t < 0;
  if (bpdu.rootPathCost !== p.designatedCost) return bpdu.rootPathCost < p.designatedCost;
  t = idCompare(bpdu.bridgeId, p.designatedBridge);
  if (t !== 0) return t < 0;
  if (idCompareBridge(bpdu.bridgeId, p.br) !== 0) return true;
  return bpdu.portId <= p.designatedPort;
}

/** br_topology_change_acknowledged */
function brTopologyChangeAcknowledged(br: Bridge): void {
  br.topologyChangeDetected = false;
  br.tcnTimer = delTimer(br.tcnTimer);
}

/**
 * br_topology_change_detection: the root sets the topology change flag for forward delay plus max
 * age; any other bridge tells the root through its root port, every hello time until acknowledged.
 */
export function brTopologyChangeDetection(br: Bridge): void {
  if (br.stpEnabled !== 1 || !(br.dev.flags & IFF_UP)) return;
  const isRoot = brIsRootBridge(br);
  brLog(br, KERN_INFO, `topology change detected, ${isRoot ? "propagating" : "sending tcn bpdu"}`);
  if (isRoot) {
    brSetTopologyChange(br, true);
    delTimer(br.topologyChangeTimer);
    br.topologyChangeTimer = modTimer(br, br.bridgeForwardDelay + br.bridgeMaxAge, () =>
      brTopologyChangeTimerExpired(br),
    );
  } else if (!br.topologyChangeDetected) {
    brTransmitTcn(br);
    delTimer(br.tcnTimer);
    br.tcnTimer = modTimer(br, br.bridgeHelloTime, () => brTcnTimerExpired(br));
  }
  br.topologyChangeDetected = true;
}

/** br_config_bpdu_generation: a BPDU out of every designated port. */
function brConfigBpduGeneration(br: Bridge): void {
  for (const p of br.ports) {
    if (p.state !== "disabled" && brIsDesignatedPort(p)) brTransmitConfig(p);
  }
}

/** br_configuration_update */
function brConfigurationUpdate(br: Bridge): void {
  brRootSelection(br);
  brDesignatedPortSelection(br);
}

/** br_become_designated_port: the port speaks for the root on its segment. */
export function brBecomeDesignatedPort(p: BridgePort): void {
  const br = p.br;
  p.designatedRoot = idCopy(br.designatedRoot);
  p.designatedCost = br.rootPathCost;
  p.designatedBridge = brBridgeId(br);
  p.designatedPort = p.portId;
}

/** br_make_blocking: a port that learned or forwarded is a topology change. */
function brMakeBlocking(p: BridgePort): void {
  if (p.state === "disabled" || p.state === "blocking") return;
  if (p.state === "forwarding" || p.state === "learning") brTopologyChangeDetection(p.br);
  brSetState(p, "blocking");
  brIfinfoNotify("RTM_NEWLINK", p);
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
}

/** br_make_forwarding: from blocking, listening first (forwarding at once without STP). */
function brMakeForwarding(p: BridgePort): void {
  const br = p.br;
  if (p.state !== "blocking") return;
  if (br.stpEnabled === 0 || br.forwardDelay === 0) {
    brSetState(p, "forwarding");
    brTopologyChangeDetection(br);
    p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  } else {
    brSetState(p, "listening");
  }
  brIfinfoNotify("RTM_NEWLINK", p);
  if (br.forwardDelay !== 0) {
    delTimer(p.forwardDelayTimer);
    p.forwardDelayTimer = modTimer(br, br.forwardDelay, () => brForwardDelayTimerExpired(p));
  }
}

/**
 * br_port_state_selection: the root port and designated ports head for forwarding, the rest
 * block; the bridge has carrier while at least one port forwards.
 */
export function brPortStateSelection(br: Bridge): void {
  let liveports = 0;
  for (const p of br.activePorts > 0 ? br.ports : []) {
    if (p.state === "disabled") continue;
    if (p.portNo === br.rootPort) {
      p.configPending = false;
      p.topologyChangeAck = false;
      brMakeForwarding(p);
    } else if (brIsDesignatedPort(p)) {
      p.messageAgeTimer = delTimer(p.messageAgeTimer);
      brMakeForwarding(p);
    } else {
      p.configPending = false;
      p.topologyChangeAck = false;
      brMakeBlocking(p);
    }
    if (p.state === "forwarding") liveports++;
  }
  if (liveports === 0) netifCarrierOff(br.dev);
  else netifCarrierOn(br.dev);
}

/** br_topology_change_acknowledge: the TCA goes back in a configuration BPDU. */
function brTopologyChangeAcknowledge(p: BridgePort): void {
  p.topologyChangeAck = true;
  brTransmitConfig(p);
}

/** br_received_config_bpdu */
export function brReceivedConfigBpdu(p: BridgePort, bpdu: ConfigBpdu): void {
  const br = p.br;
  const wasRoot = brIsRootBridge(br);
  if (brSupersedesPortInfo(p, bpdu)) {
    brRecordConfigInformation(p, bpdu);
    brConfigurationUpdate(br);
    brPortStateSelection(br);
    if (!brIsRootBridge(br) && wasRoot) {
      br.helloTimer = delTimer(br.helloTimer);
      if (br.topologyChangeDetected) {
        br.topologyChangeTimer = delTimer(br.topologyChangeTimer);
        brTransmitTcn(br);
        delTimer(br.tcnTimer);
        br.tcnTimer = modTimer(br, br.bridgeHelloTime, () => brTcnTimerExpired(br));
      }
    }
    if (p.portNo === br.rootPort) {
      brRecordConfigTimeoutValues(br, bpdu);
      brConfigBpduGeneration(br);
      if (bpdu.topologyChangeAck) brTopologyChangeAcknowledged(br);
    }
  } else if (brIsDesignatedPort(p)) {
    // br_reply: an inferior BPDU on our segment hears ours back.
    brTransmitConfig(p);
  }
}

/** br_received_tcn_bpdu: on a designated port, detected here too, and acknowledged. */
export function brReceivedTcnBpdu(p: BridgePort): void {
  if (brIsDesignatedPort(p)) {
    brLog(p.br, KERN_INFO, `port ${p.portNo}(${p.dev.name}) received tcn bpdu`);
    brTopologyChangeDetection(p.br);
    brTopologyChangeAcknowledge(p);
  }
}

/** __br_set_topology_change: while it lasts, learned entries age in twice the forward delay. */
function brSetTopologyChange(br: Bridge, val: boolean): void {
  if (br.stpEnabled === 1 && br.topologyChange !== val) {
    br.ageingTime = val ? 2 * br.forwardDelay * JIFFY_NS : br.bridgeAgeingTime;
  }
  br.topologyChange = val;
}

// ---- br_stp_timer.c

/** br_is_designated_for_some_port */
function brIsDesignatedForSomePort(br: Bridge): boolean {
  for (const p of br.ports) {
    if (p.state !== "disabled" && idCompareBridge(p.designatedBridge, br) === 0) return true;
  }
  return false;
}

/**
 * br_hello_timer_expired: rearmed to whole seconds while kernel STP runs. The kernel re-arms it
 * after the BPDUs' hold timers, and timers due in the same tick run newest first (each bucket is
 * an hlist filled at its head), so the next hello comes before those hold timers expire and its
 * BPDUs wait for them (config_pending). The clock runs same-time events oldest first: the hello
 * timer is armed first here to keep that order.
 */
function brArmHelloTimer(br: Bridge, delay: number): void {
  delTimer(br.helloTimer);
  br.helloTimer = modTimer(br, delay, () => {
    br.helloTimer = undefined;
    if (!(br.dev.flags & IFF_UP)) return;
    if (br.stpEnabled === 1) brArmHelloTimer(br, roundJiffiesDelay(br, br.helloTime));
    brConfigBpduGeneration(br);
  });
}

/** br_message_age_timer_expired: the neighbour went quiet; the port speaks for the segment itself. */
function brMessageAgeTimerExpired(p: BridgePort): void {
  p.messageAgeTimer = undefined;
  if (p.state === "disabled") return;
  const br = p.br;
  const id = p.designatedBridge;
  const prio = id.prio.toString(16).padStart(4, "0");
  const mac = Array.from(id.addr, (b) => b.toString(16).padStart(2, "0")).join(":");
  brLog(br, KERN_INFO, `port ${p.portNo}(${p.dev.name}) neighbor ${prio}.${mac} lost`);
  const wasRoot = brIsRootBridge(br);
  brBecomeDesignatedPort(p);
  brConfigurationUpdate(br);
  brPortStateSelection(br);
  if (brIsRootBridge(br) && !wasRoot) brBecomeRootBridge(br);
}

/** br_forward_delay_timer_expired */
function brForwardDelayTimerExpired(p: BridgePort): void {
  p.forwardDelayTimer = undefined;
  const br = p.br;
  if (p.state === "listening") {
    brSetState(p, "learning");
    p.forwardDelayTimer = modTimer(br, br.forwardDelay, () => brForwardDelayTimerExpired(p));
  } else if (p.state === "learning") {
    brSetState(p, "forwarding");
    if (brIsDesignatedForSomePort(br)) brTopologyChangeDetection(br);
    netifCarrierOn(br.dev);
  }
  // Whatever the state, even a port forwarding without STP (the timer runs there too).
  brIfinfoNotify("RTM_NEWLINK", p);
}

/** br_tcn_timer_expired: the TCN again until the root acknowledges it. */
function brTcnTimerExpired(br: Bridge): void {
  br.tcnTimer = undefined;
  if (!brIsRootBridge(br) && br.dev.flags & IFF_UP) {
    brTransmitTcn(br);
    br.tcnTimer = modTimer(br, br.bridgeHelloTime, () => brTcnTimerExpired(br));
  }
}

/** br_topology_change_timer_expired */
function brTopologyChangeTimerExpired(br: Bridge): void {
  br.topologyChangeTimer = undefined;
  br.topologyChangeDetected = false;
  brSetTopologyChange(br, false);
}

/** br_hold_timer_expired: a BPDU held back goes now. */
function brHoldTimerExpired(p: BridgePort): void {
  p.holdTimer = undefined;
  if (p.configPending) brTransmitConfig(p);
}

// ---- br_stp_if.c

/** br_init_port */
export function brInitPort(p: BridgePort): void {
  p.portId = brMakePortId(p.priority, p.portNo);
  brBecomeDesignatedPort(p);
  brSetState(p, "blocking");
  p.topologyChangeAck = false;
  p.configPending = false;
}

/** br_stp_enable_port: br_init_port (blocking), then state selection. */
export function brStpEnablePort(p: BridgePort): void {
  brInitPort(p);
  brPortStateSelection(p.br);
  brIfinfoNotify("RTM_NEWLINK", p);
}

/** br_stp_disable_port: the port's learned entries are flushed and the tree is worked out again. */
export function brStpDisablePort(p: BridgePort): void {
  const br = p.br;
  const wasRoot = brIsRootBridge(br);
  brBecomeDesignatedPort(p);
  brSetState(p, "disabled");
  p.topologyChangeAck = false;
  p.configPending = false;
  brIfinfoNotify("RTM_NEWLINK", p);
  p.messageAgeTimer = delTimer(p.messageAgeTimer);
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  p.holdTimer = delTimer(p.holdTimer);
  // A port with a backup keeps its entries: their frames go to the backup meanwhile.
  if (!p.backupPort) brFdbDeleteByPort(br, p, false);
  brMulticastDisablePort(p, false);
  brConfigurationUpdate(br);
  brPortStateSelection(br);
  if (brIsRootBridge(br) && !wasRoot) brBecomeRootBridge(br);
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
  br.tcnTimer = delTimer(br.tcnTimer);
}

/** br_stop_timers / del_nbp: a port's own timers stop when it leaves. */
export function brStpPortTimersStop(p: BridgePort): void {
  p.messageAgeTimer = delTimer(p.messageAgeTimer);
  p.forwardDelayTimer = delTimer(p.forwardDelayTimer);
  p.holdTimer = delTimer(p.holdTimer);
}

/** br_stp_delete_bridge timers, for a bridge that goes away. */
export function brStpBridgeTimersStop(br: Bridge): void {
  br.helloTimer = delTimer(br.helloTimer);
  br.tcnTimer = delTimer(br.tcnTimer);
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
  const wasRoot = brIsRootBridge(br);
  for (const p of br.ports) {
    if (p.state !== "disabled" && brIsDesignatedPort(p)) p.designatedBridge.prio = newprio;
  }
  br.bridgePrio = newprio;
  brConfigurationUpdate(br);
  brPortStateSelection(br);
  if (brIsRootBridge(br) && !wasRoot) brBecomeRootBridge(br);
}

/** br_stp_set_port_priority */
export function brStpSetPortPriority(p: BridgePort, newprio: number): void {
  if (newprio > BR_MAX_PORT_PRIORITY) throw new KernelError("ERANGE");
  const newPortId = brMakePortId(newprio, p.portNo);
  if (brIsDesignatedPort(p)) p.designatedPort = newPortId;
  p.portId = newPortId;
  p.priority = newprio;
  if (idCompareBridge(p.designatedBridge, p.br) === 0 && p.portId < p.designatedPort) {
    brBecomeDesignatedPort(p);
    brPortStateSelection(p.br);
  }
}

/** br_stp_set_path_cost */
export function brStpSetPathCost(p: BridgePort, cost: number): void {
  if (cost < BR_MIN_PATH_COST || cost > BR_MAX_PATH_COST) throw new KernelError("ERANGE");
  p.adminCost = true;
  p.pathCost = cost;
  brConfigurationUpdate(p.br);
  brPortStateSelection(p.br);
}

/**
 * br_stp_change_bridge_id: the FDB moves to the new address, the device takes it, ports that
 * named the old id as designated bridge or root name the new one, and the tree is worked out
 * again, which is where a bridge without forwarding ports loses its carrier.
 */
export function brStpChangeBridgeId(br: Bridge, addr: Uint8Array): void {
  const wasRoot = brIsRootBridge(br);
  const old = br.bridgeIdAddr;
  brFdbChangeMacAddress(br, addr);
  br.bridgeIdAddr = addr.slice();
  br.dev.address = addr.slice();
  for (const p of br.ports) {
    if (macCompare(p.designatedBridge.addr, old) === 0) p.designatedBridge.addr = addr.slice();
    if (macCompare(p.designatedRoot.addr, old) === 0) p.designatedRoot.addr = addr.slice();
  }
  brConfigurationUpdate(br);
  brPortStateSelection(br);
  if (brIsRootBridge(br) && !wasRoot) brBecomeRootBridge(br);
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
