// The nodes of the kernel's pseudo filesystems as a reader sees them (fs/kernfs, fs/proc): a file
// with a show (and perhaps a store) routine, a directory, or a symbolic link.
import { type Errno, KernelError } from "../syscalls.js";

export type KfsKind = "file" | "dir" | "link";

export interface KfsEntry {
  readonly name: string;
  readonly kind: KfsKind;
}

export type KfsNode =
  | {
      readonly kind: "file";
      /** The show routine: the file's whole text, or an errno (read(2) fails). */
      readonly show: () => string;
      /** The store routine; absent for a read-only file (open for writing fails with EACCES). */
      readonly store?: (value: string) => void;
    }
  | { readonly kind: "dir"; readonly entries: () => readonly KfsEntry[] }
  | { readonly kind: "link"; readonly target: string };

export function fail(errno: Errno): never {
  throw new KernelError(errno);
}

/**
 * kstrtoul(buf, 0, &v) as the sysfs store routines parse: an optional "+", a base from the prefix
 * (0x hex, 0 octal, else decimal), at most one trailing newline.
 */
export function kstrtoul(text: string): number {
  let s = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (s.startsWith("+")) s = s.slice(1);
  let re = /^[0-9]+$/;
  let base = 10;
  if (/^0[xX]/.test(s)) {
    s = s.slice(2);
    re = /^[0-9a-fA-F]+$/;
    base = 16;
  } else if (s.length > 1 && s.startsWith("0")) {
    s = s.slice(1);
    re = /^[0-7]+$/;
    base = 8;
  }
  if (!re.test(s)) fail("EINVAL");
  const v = Number.parseInt(s, base);
  // Beyond 2^53 a value is not kept exactly; no attribute here takes one that large.
  if (!Number.isSafeInteger(v)) fail("ERANGE");
  return v;
}
