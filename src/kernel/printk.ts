// The kernel log (kernel/printk): one ring buffer per machine, read by dmesg through syslog(2).

/** One record: when (virtual ns since boot), its level (KERN_EMERG 0 … KERN_DEBUG 7) and text. */
export interface KmsgRecord {
  readonly ts: number;
  readonly level: number;
  readonly text: string;
}

/**
 * log_buf_len (1 << CONFIG_LOG_BUF_SHIFT, 17 on the reference system: SYSLOG_ACTION_SIZE_BUFFER
 * says 131072): the bytes of the printk ring's data ring.
 */
const LOG_BUF_LEN = 1 << 17;
/** PRB_AVGBITS: the descriptor ring has one record per 32 bytes of data ring. */
const DESC_COUNT = LOG_BUF_LEN >> 5;
/** PRINTKRB_RECORD_MAX: vprintk_store reserves at most this much text. */
const RECORD_MAX = 1024;

/**
 * The printk ring buffer (kernel/printk/printk_ringbuffer.c): a descriptor ring of DESC_COUNT
 * records and a data ring of LOG_BUF_LEN bytes, both fixed. A record takes a data block of its
 * reserved text plus the block's 8-byte id, rounded up to 8; a block that would run past the end of
 * the data ring starts again at its beginning and also holds the bytes it skipped. Writing a record
 * invalidates the oldest ones until its block (and its descriptor) fit. Records are numbered (seq)
 * from 0 for the machine's life; syslog's CLEAR only moves where READ_ALL starts.
 */
export interface Kmsg {
  /** The descriptors, by seq % DESC_COUNT. */
  readonly descs: (KmsgRecord | undefined)[];
  /** Each descriptor's block: its begin lpos (logical position in the data ring). */
  readonly blkBegin: Float64Array;
  /** The oldest valid record and the next one to be written. */
  firstSeq: number;
  nextSeq: number;
  /** The data ring's head: where the next block begins. */
  dataHead: number;
  /** clear_seq: where SYSLOG_ACTION_READ_ALL (and dmesg through /dev/kmsg's SEEK_DATA) starts. */
  clearSeq: number;
  /** net_ratelimit_state (5 s, burst 10), shared by every net_ratelimit() caller; made on first use. */
  netRatelimit?: { begin: number; printed: number; missed: number };
}

export function newKmsg(): Kmsg {
  return {
    descs: new Array<KmsgRecord | undefined>(DESC_COUNT).fill(undefined),
    blkBegin: new Float64Array(DESC_COUNT),
    firstSeq: 0,
    nextSeq: 0,
    dataHead: 0,
    clearSeq: 0,
  };
}

/**
 * vprintk_store's reserve size: the formatted text with its KERN_<LEVEL> prefix (2 bytes) and its
 * newline, and the NUL vsnprintf needs; printk_sprint strips prefix and newline from what is kept,
 * but the block stays as reserved. (Counted this way, the 2,703 records of the reference system's
 * full log take 131,032 of its 131,072 bytes.)
 */
function reserveSize(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return Math.min(bytes + 4, RECORD_MAX);
}

/** printk at `level`, stamped with the machine's virtual time (prb_reserve + prb_final_commit). */
export function printk(kmsg: Kmsg, ts: number, level: number, text: string): void {
  // to_blk_size: the block's id, then the text, aligned to the id's size.
  const size = (reserveSize(text) + 8 + 7) & ~7;
  const begin = kmsg.dataHead;
  let next = begin + size;
  // get_next_lpos: a block that would wrap is placed at the start of the next wrap (one that
  // exactly fills the ring's end does not wrap).
  if (Math.floor(begin / LOG_BUF_LEN) !== Math.floor((next - 1) / LOG_BUF_LEN))
    next = Math.floor(next / LOG_BUF_LEN) * LOG_BUF_LEN + size;
  // data_push_tail / desc_push_tail: the oldest records go until the block and a descriptor fit.
  while (
    kmsg.firstSeq < kmsg.nextSeq &&
    (next - (kmsg.blkBegin[kmsg.firstSeq % DESC_COUNT] as number) > LOG_BUF_LEN ||
      kmsg.nextSeq - kmsg.firstSeq >= DESC_COUNT)
  ) {
    kmsg.descs[kmsg.firstSeq % DESC_COUNT] = undefined;
    kmsg.firstSeq++;
  }
  const slot = kmsg.nextSeq % DESC_COUNT;
  kmsg.descs[slot] = { ts, level, text };
  kmsg.blkBegin[slot] = begin;
  kmsg.nextSeq++;
  kmsg.dataHead = next;
}

/** The records from `seq` on (or the oldest still held), oldest first. */
export function kmsgRecords(kmsg: Kmsg, seq: number): KmsgRecord[] {
  const out: KmsgRecord[] = [];
  for (let s = Math.max(seq, kmsg.firstSeq); s < kmsg.nextSeq; s++)
    out.push(kmsg.descs[s % DESC_COUNT] as KmsgRecord);
  return out;
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
