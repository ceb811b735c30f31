// The loopback device (drivers/net/loopback.c): created with every namespace, never moved, and
// everything sent on it is received on it.

import { ETH_HLEN } from "../../wire/ethernet.js";
import {
  allocNetdev,
  type NetDevice,
  type NetDeviceOps,
  registerNetdevice,
  unregisterNetdevice,
} from "../core/dev.js";
import { devStatsAdd, netifRx } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net, PernetOps } from "../net_namespace.js";
import { ARPHRD_LOOPBACK, IFF_LOOPBACK } from "../uapi.js";

/** Time a packet spends in the loopback backlog, in virtual nanoseconds. */
export const LOOPBACK_DELAY_NS = 4_000;

const loopbackOps: NetDeviceOps = {
  kind: "loopback",
  netnsLocal: true,
  startXmit(skb: SkBuff, dev: NetDevice) {
    // loopback_xmit counts skb->len after eth_type_trans has pulled the Ethernet header, once,
    // in counters that serve as both its transmit and receive statistics.
    const len = skb.tail - skb.head - ETH_HLEN;
    devStatsAdd(dev, "tx", len);
    devStatsAdd(dev, "rx", len);
    netifRx(skb.data.subarray(skb.head, skb.tail), dev, LOOPBACK_DELAY_NS, skb);
  },
};

/** loopback_net_init: `lo` is the namespace's first device, ifindex 1. */
export const loopbackNetOps: PernetOps = {
  name: "loopback",
  init(net: Net) {
    // Both all-zero addresses in one 12-byte buffer: a typed array costs ~200 B of heap.
    const hw = new Uint8Array(12);
    const dev = allocNetdev(net, {
      name: "lo",
      ops: loopbackOps,
      type: ARPHRD_LOOPBACK,
      flags: IFF_LOOPBACK,
      mtu: 65536,
      minMtu: 0,
      // loopback_setup leaves max_mtu 0: no upper limit (dev_validate_mtu).
      maxMtu: 0,
      address: hw.subarray(0, 6),
      broadcast: hw.subarray(6),
      txqlen: 1000,
    });
    registerNetdevice(dev);
    net.loopbackDev = dev;
  },
  exit(net: Net) {
    if (net.loopbackDev) unregisterNetdevice(net.loopbackDev);
    net.loopbackDev = undefined;
  },
};
