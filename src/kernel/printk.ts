// The kernel log (kernel/printk): one ring buffer per machine, read by dmesg through syslog(2).

/** One record: when (virtual ns since boot), its level (KERN_EMERG 0 … KERN_DEBUG 7) and text. */
export interface KmsgRecord {
  readonly ts: number;
  readonly level: number;
  readonly text: string;
}

/** The ring: the oldest records go when it is full (log_buf_len, in records here). */
export interface Kmsg {
  readonly records: KmsgRecord[];
  readonly capacity: number;
  /** net_ratelimit_state (5 s, burst 10), shared by every net_ratelimit() caller; made on first use. */
  netRatelimit?: { begin: number; printed: number; missed: number };
}

export function newKmsg(capacity = 8192): Kmsg {
  return { records: [], capacity };
}

/** printk at `level`, stamped with the machine's virtual time. */
export function printk(kmsg: Kmsg, ts: number, level: number, text: string): void {
  kmsg.records.push({ ts, level, text });
  if (kmsg.records.length > kmsg.capacity) kmsg.records.shift();
}

/** RATELIMIT_INTERVAL and the burst of net_ratelimit_state: ten messages per five seconds. */
const NET_RATELIMIT_NS = 5_000_000_000;
const NET_RATELIMIT_BURST = 10;

/**
 * net_ratelimit (___ratelimit): true while this window's burst lasts; a new window first reports
 * what the last one suppressed.
 */
export function netRatelimit(kmsg: Kmsg, now: number): boolean {
  let rs = kmsg.netRatelimit;
  if (!rs) {
    rs = { begin: now, printed: 0, missed: 0 };
    kmsg.netRatelimit = rs;
  }
  if (now >= rs.begin + NET_RATELIMIT_NS) {
    if (rs.missed) printk(kmsg, now, 4, `net_ratelimit: ${rs.missed} callbacks suppressed`);
    rs.begin = now;
    rs.printed = 0;
    rs.missed = 0;
  }
  if (rs.printed < NET_RATELIMIT_BURST) {
    rs.printed++;
    return true;
  }
  rs.missed++;
  return false;
}
