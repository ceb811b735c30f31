// What a userland program sees of the world: its task (netns, credentials) and its stdio.
import type { Task } from "../kernel/syscalls.js";

export interface ProgramResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /**
   * "bytes" when `stdout` is a byte buffer, one char a byte (latin1), as what a program run by
   * spawn wrote with writeBytes comes back; text (UTF-8 on the way out) otherwise.
   */
  readonly stdoutKind?: "bytes";
}

export interface Proc {
  /** The calling task: current->nsproxy->net_ns and credentials. */
  readonly task: Task;
  readonly stdin: string;
  /** The same stdin as bytes, what read(0) returns: a program that moves data (nc) reads this. */
  readonly stdinBytes?: Uint8Array;
  readonly env: Readonly<Record<string, string>>;
  /**
   * write(2) to stdout (1) or stderr (2) now, before the program returns: what a long-running
   * program (a server, a ping) printed stays printed when a signal ends it.
   */
  write(fd: 1 | 2, text: string): void;
  /** write(2) of bytes to stdout: data (a socket's payload) passes unchanged, not as UTF-8 text. */
  writeBytes?(fd: 1, data: Uint8Array): void;
  /** fork + execvp of argv in the shell, running as `task` (how `ip netns exec` runs its command). */
  spawn(argv: readonly string[], task: Task): Promise<ProgramResult>;
  /** open + read of a file by path, relative to the working directory; rejects with a Node-style `code`. */
  readFile(path: string): Promise<string>;
  /** open + read of a whole file's bytes (a capture file); absent where there are no files. */
  readFileBytes?(path: string): Promise<Uint8Array>;
  /** open(O_WRONLY|O_CREAT|O_TRUNC) + write of a whole file, relative to the working directory. */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
}

/** A userland program: argv[0] is its name, as execve passes it. */
export type Program = (argv: readonly string[], proc: Proc) => ProgramResult | Promise<ProgramResult>;

/** A byte buffer in the shell's form, one char a byte (latin1), as ProgramResult's "bytes" stdout. */
export function latin1FromUint8(data: Uint8Array): string {
  let s = "";
  for (let i = 0; i < data.length; i += 0x8000)
    s += String.fromCharCode(...data.subarray(i, Math.min(data.length, i + 0x8000)));
  return s;
}

/** The bytes of a latin1 byte buffer (each char's low 8 bits). */
export function uint8FromLatin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
