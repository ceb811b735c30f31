// Long-lived per-destination state (net/ipv4/inetpeer.c): here only what ICMP rate limiting keeps,
// the token bucket of inet_peer_xrlim_allow.
import { JIFFY_NS } from "../clock.js";

/** XRLIM_BURST_FACTOR: a peer may save up six timeouts' worth of tokens. */
const XRLIM_BURST_FACTOR = 6;
const HZ = 250;

/** struct inet_peer: rate_tokens and rate_last in jiffies. */
export interface InetPeer {
  rateTokens: number;
  rateLast: number;
  /** n_redirects: redirects sent to this peer since it was last quiet (ip_rt_send_redirect). */
  nRedirects?: number;
}

/** struct inet_peer_base: peers by address (the l3mdev index is always 0 without VRF). */
export type InetPeerBase = Map<number, InetPeer>;

export function jiffiesOf(nowNs: number): number {
  return Math.floor(nowNs / JIFFY_NS);
}

/** inet_getpeer_v4: finds or creates the peer; a new one looks idle for a minute (rate_last). */
export function inetGetpeerV4(base: InetPeerBase, daddr: number, nowNs: number): InetPeer {
  let peer = base.get(daddr);
  if (!peer) {
    peer = { rateTokens: 0, rateLast: jiffiesOf(nowNs) - 60 * HZ };
    base.set(daddr, peer);
  }
  return peer;
}

/** inet_peer_xrlim_allow: one token per jiffy, `timeout` jiffies per message, burst of six. */
export function inetPeerXrlimAllow(peer: InetPeer, timeout: number, nowNs: number): boolean {
  let token = peer.rateTokens;
  const now = jiffiesOf(nowNs);
  const delta = now - peer.rateLast;
  if (delta) {
    peer.rateLast = now;
    token += delta;
    if (token > XRLIM_BURST_FACTOR * timeout) token = XRLIM_BURST_FACTOR * timeout;
  }
  let rc = false;
  if (token >= timeout) {
    token -= timeout;
    rc = true;
  }
  peer.rateTokens = token;
  return rc;
}
