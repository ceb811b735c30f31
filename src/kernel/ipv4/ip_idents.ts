// __ip_select_ident (net/ipv4/route.c): the IP id of a packet that needs one comes from one of
// 2048 counters shared by the machine, picked by a keyed hash of (daddr, saddr, protocol) with a
// per-namespace key; a counter that was not used in this jiffy first jumps ahead by a random amount
// below the jiffies since its last use (ip_idents_reserve), so ids reveal little. Consecutive
// packets of one flow in one jiffy get consecutive ids; different flows get unrelated ones.

import type { Host } from "../host.js";
import { jhash3words } from "../lib/jhash.js";
import type { Net } from "../net_namespace.js";
import { jiffiesOf } from "./inet_peer.js";

const IP_IDENTS_SZ = 2048;

interface IpIdents {
  /** ip_idents: random at boot. */
  readonly ids: Uint32Array;
  /** ip_tstamps: the jiffy each counter was last used in. */
  readonly tstamps: Float64Array;
}

const idents = new WeakMap<Host, IpIdents>();
/** net->ipv4.ip_id_key: drawn at the namespace's first use. */
const idKeys = new WeakMap<Net, number>();

export function ipSelectIdent(net: Net, daddr: number, saddr: number, protocol: number, segs = 1): number {
  const host = net.host;
  let table = idents.get(host);
  if (!table) {
    const bytes = host.randomBytes(IP_IDENTS_SZ * 4);
    table = {
      ids: new Uint32Array(bytes.buffer, bytes.byteOffset, IP_IDENTS_SZ),
      tstamps: new Float64Array(IP_IDENTS_SZ),
    };
    idents.set(host, table);
  }
  let key = idKeys.get(net);
  if (key === undefined) {
    key = host.randomU32();
    idKeys.set(net, key);
  }
  // siphash_3u32(daddr, saddr, protocol, &ip_id_key); a keyed jhash stands in for siphash.
  const bucket = jhash3words(daddr, saddr, protocol, key) & (IP_IDENTS_SZ - 1);
  const now = jiffiesOf(host.clock.now);
  const old = table.tstamps[bucket] as number;
  let delta = 0;
  if (old !== now) {
    table.tstamps[bucket] = now;
    delta = host.randomU32() % (now - old);
  }
  const id = ((table.ids[bucket] as number) + delta) >>> 0;
  table.ids[bucket] = id + segs;
  return id & 0xffff;
}
