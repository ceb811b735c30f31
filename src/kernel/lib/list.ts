// Small lists that are replaced rather than grown in place (a device's addresses, a table's prefix
// lengths). V8 gives `push`, `splice`, spread and `filter` results 16 spare slots; `slice` and
// `concat` allocate exactly, which keeps idle namespaces small.

/** A copy of `list` with `item` at index `at`. */
export function listInsert<T>(list: readonly T[], at: number, item: T): T[] {
  return list.slice(0, at).concat([item], list.slice(at));
}

/** A copy of `list` without the items `drop` selects. */
export function listRemove<T>(list: readonly T[], drop: (item: T, index: number) => boolean): T[] {
  let out: T[] = [];
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (!drop(list[i] as T, i)) continue;
    out = out.concat(list.slice(start, i));
    start = i + 1;
  }
  return start === 0 ? list.slice() : out.concat(list.slice(start));
}
