// nfnetlink's multicast groups (NFNLGRP_NFTRACE, NFNLGRP_CONNTRACK_*): the NETLINK_NETFILTER
// sockets of each namespace bound to one, what nfnetlink_send delivers to.
import type { Net } from "../net_namespace.js";

export class NfnlGroup<S extends { readonly net: Net }> {
  readonly #socks = new WeakMap<Net, Set<S>>();

  bind(sk: S): S {
    let set = this.#socks.get(sk.net);
    if (!set) {
      set = new Set();
      this.#socks.set(sk.net, set);
    }
    set.add(sk);
    return sk;
  }

  /** Returns whether the socket was still bound. */
  unbind(sk: S): boolean {
    const set = this.#socks.get(sk.net);
    if (!set?.delete(sk)) return false;
    if (set.size === 0) this.#socks.delete(sk.net);
    return true;
  }

  /** nfnetlink_has_listeners: the bound sockets, undefined when there are none. */
  socks(net: Net): ReadonlySet<S> | undefined {
    return this.#socks.get(net);
  }
}
