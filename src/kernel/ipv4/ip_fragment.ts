// IPv4 fragmentation and reassembly (net/ipv4/ip_fragment.c, ip_output.c ip_do_fragment,
// net/ipv4/inet_fragment.c).

/** A namespace's fqdir: the reassembly queues and the ipfrag_* sysctls. */
export interface IpFragState {
  highThresh: number;
  lowThresh: number;
  /** ipfrag_time, in jiffies (proc_dointvec_jiffies: seconds at the interface). */
  timeout: number;
  maxDist: number;
  /** Bytes held by all queues (fqdir->mem). */
  mem: number;
  readonly queues: Map<string, IpFragQueue>;
}

export interface IpFragQueue {
  readonly key: string;
  /** The fragments received, by offset; each the IP payload of one fragment. */
  readonly frags: { readonly offset: number; readonly data: Uint8Array }[];
  /** The first fragment's whole packet (offset 0), kept for its header and for the ICMP error. */
  first: Uint8Array | undefined;
  /** The length known once the last fragment (MF clear) arrived. */
  len: number;
  last: boolean;
  meat: number;
  truesize: number;
  timer: { cancelled: boolean } | undefined;
  iif: number;
}

export function newIpFragState(): IpFragState {
  return {
    highThresh: 4 * 1024 * 1024,
    lowThresh: 3 * 1024 * 1024,
    timeout: 30 * 250,
    maxDist: 64,
    mem: 0,
    queues: new Map(),
  };
}
