// IPv6 address autoconfiguration, as far as `ip addr` shows it (net/ipv6/addrconf.c): ::1 on lo,
// an EUI-64 link-local address on Ethernet devices once they are up with carrier, tentative until
// duplicate address detection completes. IPv6 packets themselves are not emulated yet.

import type { TimerEvent } from "../clock.js";
import { NSEC_PER_SEC } from "../clock.js";
import type { NetDevice, NetdevEvent } from "../core/dev.js";
import {
  ARPHRD_ETHER,
  IFA_F_PERMANENT,
  IFA_F_TENTATIVE,
  IFF_LOOPBACK,
  IFF_UP,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
} from "../uapi.js";

/** struct inet6_ifaddr */
export interface Inet6Ifaddr {
  readonly addr: Uint8Array;
  readonly prefixlen: number;
  readonly scope: number;
  flags: number;
  dadTimer: TimerEvent | undefined;
}

/** idev->cnf defaults: rtr_solicit_delay 1 s, dad_transmits 1, retrans_time 1 s. */
const RTR_SOLICIT_DELAY_NS = 1 * NSEC_PER_SEC;
const RETRANS_TIME_NS = 1 * NSEC_PER_SEC;

const LOOPBACK6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/** The per-device IPv6 address lists, kept beside the device (idev->addr_list). */
export type Inet6Table = WeakMap<NetDevice, Inet6Ifaddr[]>;

function addrList(table: Inet6Table, dev: NetDevice): Inet6Ifaddr[] {
  let list = table.get(dev);
  if (!list) {
    list = [];
    table.set(dev, list);
  }
  return list;
}

/** addrconf_ifid_eui48: fe80::/64 with the MAC's U/L bit flipped and ff:fe in the middle. */
export function linkLocalFromMac(mac: Uint8Array): Uint8Array {
  const addr = new Uint8Array(16);
  addr[0] = 0xfe;
  addr[1] = 0x80;
  addr[8] = (mac[0] as number) ^ 0x02;
  addr[9] = mac[1] as number;
  addr[10] = mac[2] as number;
  addr[11] = 0xff;
  addr[12] = 0xfe;
  addr[13] = mac[3] as number;
  addr[14] = mac[4] as number;
  addr[15] = mac[5] as number;
  return addr;
}

/** addrconf_dad_start -> addrconf_dad_work -> addrconf_dad_completed, in virtual time. */
function addrconfDadStart(dev: NetDevice, ifa: Inet6Ifaddr): void {
  const host = dev.net.host;
  const delay = (host.randomU32() % 1000) * (RTR_SOLICIT_DELAY_NS / 1000) + RETRANS_TIME_NS;
  ifa.dadTimer = host.clock.schedule(delay, () => {
    ifa.flags &= ~IFA_F_TENTATIVE;
    ifa.dadTimer = undefined;
  });
}

function addrconfLinkReady(dev: NetDevice): boolean {
  return (dev.flags & IFF_UP) !== 0 && dev.carrier;
}

/** addrconf_notify */
export function addrconfNotify(table: Inet6Table, event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case "NETDEV_UP":
    case "NETDEV_CHANGE": {
      const list = addrList(table, dev);
      if (dev.flags & IFF_LOOPBACK) {
        if (event === "NETDEV_UP" && list.length === 0) {
          // init_loopback: ::1, no DAD on a loopback device.
          list.push({
            addr: LOOPBACK6,
            prefixlen: 128,
            scope: RT_SCOPE_HOST,
            flags: IFA_F_PERMANENT,
            dadTimer: undefined,
          });
        }
        return;
      }
      if (dev.type !== ARPHRD_ETHER || !addrconfLinkReady(dev)) return;
      if (list.some((a) => a.scope === RT_SCOPE_LINK)) return;
      const ifa: Inet6Ifaddr = {
        addr: linkLocalFromMac(dev.address),
        prefixlen: 64,
        scope: RT_SCOPE_LINK,
        flags: IFA_F_PERMANENT | IFA_F_TENTATIVE,
        dadTimer: undefined,
      };
      list.push(ifa);
      addrconfDadStart(dev, ifa);
      return;
    }
    case "NETDEV_DOWN":
    case "NETDEV_UNREGISTER": {
      // addrconf_ifdown: keep_addr_on_down is 0, so every address goes.
      const list = table.get(dev);
      if (!list) return;
      for (const ifa of list) if (ifa.dadTimer) ifa.dadTimer.cancelled = true;
      table.delete(dev);
      return;
    }
    case "NETDEV_REGISTER":
    case "NETDEV_GOING_DOWN":
    case "NETDEV_CHANGEMTU":
    case "NETDEV_CHANGENAME":
    case "NETDEV_CHANGEADDR":
      return;
  }
}

export function inet6Addresses(table: Inet6Table, dev: NetDevice): readonly Inet6Ifaddr[] {
  return table.get(dev) ?? [];
}
