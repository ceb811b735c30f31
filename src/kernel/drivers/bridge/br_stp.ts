// Port states and the bridge id (net/bridge/br_stp.c, br_stp_if.c) with STP off, as a bridge is
// created: a port that comes up goes straight to forwarding, and the bridge has carrier while at
// least one port forwards.
import {
  callNetdevNotifiers,
  netifCarrierOff,
  netifCarrierOn,
  netifOperUp,
  netifRunning,
} from "../../core/dev.js";
import { brFdbChangeMacAddress, brFdbDeleteByPort, brFdbGcArm, brFdbGcCancel } from "./br_fdb.js";
import type { Bridge, BridgePort } from "./br_private.js";

/** port_cost: from the link speed ethtool reports; a veth says 10000Mb/s. */
export function portCost(p: BridgePort): number {
  return p.dev.ops.kind === "veth" ? 2 : 100;
}

/** br_port_state_selection, with no STP: every enabled port is designated and forwards. */
export function brPortStateSelection(br: Bridge): void {
  let liveports = 0;
  for (const p of br.ports) {
    if (p.state === "disabled") continue;
    // br_make_forwarding: BR_NO_STP moves a blocking port to forwarding at once.
    if (p.state === "blocking") p.state = "forwarding";
    if (p.state === "forwarding") liveports++;
  }
  if (liveports === 0) netifCarrierOff(br.dev);
  else netifCarrierOn(br.dev);
}

/** br_stp_enable_port: br_init_port (blocking), then state selection. */
export function brStpEnablePort(p: BridgePort): void {
  p.state = "blocking";
  brPortStateSelection(p.br);
}

/** br_stp_disable_port: the port's learned entries are flushed. */
export function brStpDisablePort(p: BridgePort): void {
  p.state = "disabled";
  brFdbDeleteByPort(p.br, p, false);
  brPortStateSelection(p.br);
}

/** br_stp_enable_bridge (from br_dev_open): the FDB collector starts 100 ms later. */
export function brStpEnableBridge(br: Bridge): void {
  brFdbGcArm(br, 100_000_000);
  for (const p of br.ports) {
    if (netifRunning(p.dev) && netifOperUp(p.dev)) brStpEnablePort(p);
  }
}

/** br_stp_disable_bridge (from br_dev_stop) */
export function brStpDisableBridge(br: Bridge): void {
  for (const p of br.ports) {
    if (p.state !== "disabled") brStpDisablePort(p);
  }
  brFdbGcCancel(br);
}

/**
 * br_stp_change_bridge_id: the FDB moves to the new address, the device takes it, and port states
 * are selected again, which is where a bridge without forwarding ports loses its carrier.
 */
export function brStpChangeBridgeId(br: Bridge, addr: Uint8Array): void {
  brFdbChangeMacAddress(br, addr);
  br.bridgeIdAddr = addr.slice();
  br.dev.address = addr.slice();
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
