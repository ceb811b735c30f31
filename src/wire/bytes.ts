// Big-endian field access on byte buffers, shared by the wire formats.

export function getU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

export function putU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 255;
  bytes[at + 1] = value & 255;
}

export function putU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 255;
  bytes[at + 2] = (value >>> 8) & 255;
  bytes[at + 3] = value & 255;
}
