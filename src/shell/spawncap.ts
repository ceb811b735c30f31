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
  readonly #outs = new Map<string, { text: string; bytes: boolean }>();

  /** A fresh capture path. */
  open(): string {
    const id = String(this.#next++);
    this.#outs.set(id, { text: "", bytes: false });
    return `${SPAWN_CAPTURE_PREFIX}${id}`;
  }

  /** Keeps a write to `path` if it is an open capture; false for any other path. */
  write(path: string, content: string | Uint8Array, options: WriteOptions): boolean {
    if (!path.startsWith(SPAWN_CAPTURE_PREFIX)) return false;
    const out = this.#outs.get(path.slice(SPAWN_CAPTURE_PREFIX.length));
    if (!out) return false;
    const encoding = typeof options === "string" ? options : options?.encoding;
    const binary = typeof content !== "string" || encoding === "binary" || encoding === "latin1";
    const chunk = typeof content === "string" ? content : latin1FromUint8(content);
    if (binary && !out.bytes) {
      // From the first byte buffer on, the whole capture is bytes: the text before it UTF-8.
      out.text = latin1FromUint8(new TextEncoder().encode(out.text));
      out.bytes = true;
    }
    out.text += binary || !out.bytes ? chunk : latin1FromUint8(new TextEncoder().encode(chunk));
    return true;
  }

  /** What the command wrote, and whether it is a byte buffer (latin1); the capture closes. */
  take(path: string): { readonly stdout: string; readonly bytes: boolean } {
    const id = path.slice(SPAWN_CAPTURE_PREFIX.length);
    const out = this.#outs.get(id) ?? { text: "", bytes: false };
    this.#outs.delete(id);
    return { stdout: out.text, bytes: out.bytes };
  }
}
