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
}

export function newKmsg(capacity = 8192): Kmsg {
  return { records: [], capacity };
}

/** printk at `level`, stamped with the machine's virtual time. */
export function printk(kmsg: Kmsg, ts: number, level: number, text: string): void {
  kmsg.records.push({ ts, level, text });
  if (kmsg.records.length > kmsg.capacity) kmsg.records.shift();
}
