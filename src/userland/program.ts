// What a userland program sees of the world: its task (netns, credentials) and its stdio.
import type { Task } from "../kernel/syscalls.js";

export interface ProgramResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface Proc {
  /** The calling task: current->nsproxy->net_ns and credentials. */
  readonly task: Task;
  readonly stdin: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * write(2) to stdout (1) or stderr (2) now, before the program returns: what a long-running
   * program (a server, a ping) printed stays printed when a signal ends it.
   */
  write(fd: 1 | 2, text: string): void;
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
