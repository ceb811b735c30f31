// What a spawned program (ip netns exec's command, nsenter's, unshare's) writes to stdout, taken
// byte for byte. A `Bash.exec` result gives stdout back as text only (bytes are UTF-8 decoded, or
// left as latin1 where they are not UTF-8), which loses what a binary stream was; so spawn runs
// the command with its stdout redirected to a capture path, and the filesystem keeps the write as
// just-bash made it: text, or a byte buffer ("binary" latin1).

import { latin1FromUint8 } from "../userland/program.js";

/** Where spawned command N's stdout goes (see spawn in index.ts). */
export const SPAWN_CAPTURE_PREFIX = "/dev/.netnest-spawn-";

type WriteOptions = string | { readonly encoding?: string | null } | null | undefined;

export class SpawnCapture {
  #next = 1;
  readonly #outs = new Map<string, StdoutBuffer>();

  /** A fresh capture path, whose writes go into `out`. */
  open(out: StdoutBuffer): string {
    const id = String(this.#next++);
    this.#outs.set(id, out);
    return `${SPAWN_CAPTURE_PREFIX}${id}`;
  }

  /** Keeps a write to `path` if it is an open capture; false for any other path. */
  write(path: string, content: string | Uint8Array, options: WriteOptions): boolean {
    if (!path.startsWith(SPAWN_CAPTURE_PREFIX)) return false;
    const out = this.#outs.get(path.slice(SPAWN_CAPTURE_PREFIX.length));
    if (!out) return false;
    const encoding = typeof options === "string" ? options : options?.encoding;
    if (typeof content !== "string") out.bytes(latin1FromUint8(content));
    else if (encoding === "binary" || encoding === "latin1") out.bytes(content);
    else out.text(content);
    return true;
  }

  /** The capture closes: later writes to its path are no capture's. */
  close(path: string): void {
    this.#outs.delete(path.slice(SPAWN_CAPTURE_PREFIX.length));
  }
}

/**
 * A program's stdout as just-bash takes it: text (UTF-8 encoded on the way to a pipe or file), or,
 * once the program wrote bytes, a byte buffer with the text before and after it UTF-8 encoded.
 */
export class StdoutBuffer {
  #s = "";
  #bytes = false;

  text(t: string): void {
    this.#s += this.#bytes ? latin1FromUint8(new TextEncoder().encode(t)) : t;
  }

  bytes(latin1: string): void {
    if (!this.#bytes) {
      this.#s = latin1FromUint8(new TextEncoder().encode(this.#s));
      this.#bytes = true;
    }
    this.#s += latin1;
  }

  result(): { stdout: string; stdoutKind?: "bytes" } {
    return this.#bytes ? { stdout: this.#s, stdoutKind: "bytes" } : { stdout: this.#s };
  }
}
