// The dummy device (drivers/net/dummy.c): an Ethernet-like device that has carrier, answers no
// ARP and swallows whatever it is given to send, counting it.

import {
  allocNetdev,
  isValidEtherAddr,
  type NetDevice,
  type NetDeviceOps,
  registerNetdevice,
} from "../core/dev.js";
import { devStatsAdd } from "../core/netif.js";
import type { SkBuff } from "../core/skbuff.js";
import type { Net } from "../net_namespace.js";
import { KernelError } from "../syscalls.js";
import { ARPHRD_ETHER, IFF_BROADCAST, IFF_NOARP } from "../uapi.js";

const dummyOps: NetDeviceOps = {
  kind: "dummy",
  /** dummy_xmit: dev_lstats_add, then the packet is consumed. */
  startXmit(skb: SkBuff, dev: NetDevice) {
    devStatsAdd(dev, "tx", skb.tail - skb.head);
  },
};

export function isDummy(dev: NetDevice): boolean {
  return dev.ops === dummyOps;
}

/** dummy_setup + register: IFF_NOARP, no IFF_MULTICAST, no MTU limits (min_mtu = max_mtu = 0). */
export function dummyNewlink(req: {
  readonly net: Net;
  readonly name: string | undefined;
  readonly address?: Uint8Array;
}): NetDevice {
  // dummy_validate
  if (req.address && !isValidEtherAddr(req.address)) throw new KernelError("EADDRNOTAVAIL");
  let mac: Uint8Array | undefined = req.address?.slice();
  if (!mac) {
    mac = req.net.host.randomBytes(6);
    mac[0] = ((mac[0] as number) & 0xfe) | 0x02;
  }
  let name = req.name;
  for (let i = 0; name === undefined; i++) if (!req.net.devByName.has(`dummy${i}`)) name = `dummy${i}`;
  const dev = allocNetdev(req.net, {
    name,
    ops: dummyOps,
    type: ARPHRD_ETHER,
    flags: IFF_BROADCAST | IFF_NOARP,
    mtu: 1500,
    minMtu: 0,
    maxMtu: 0,
    address: mac,
    broadcast: new Uint8Array([255, 255, 255, 255, 255, 255]),
    txqlen: 1000,
  });
  registerNetdevice(dev);
  return dev;
}
