// getopt_long's lookup of a `--name` as coreutils' tools use it: the exact name, else the one
// option that begins with it; with none, 'unrecognized option', with several, 'is ambiguous'.

/** The option `arg` (as typed, `--name[=value]`) names, or the error text getopt prints. */
export function lookupLong(
  prog: string,
  arg: string,
  names: readonly string[],
): { readonly name: string; readonly value: string | undefined } | { readonly error: string } {
  const eq = arg.indexOf("=");
  const typed = arg.slice(2, eq < 0 ? undefined : eq);
  const value = eq < 0 ? undefined : arg.slice(eq + 1);
  if (names.includes(typed)) return { name: typed, value };
  const hits = names.filter((n) => n.startsWith(typed));
  if (hits.length === 1) return { name: hits[0] as string, value };
  const shown = eq < 0 ? arg : arg.slice(0, eq);
  if (hits.length === 0) return { error: `${prog}: unrecognized option '${shown}'\n` };
  return {
    error: `${prog}: option '${shown}' is ambiguous; possibilities:${hits.map((n) => ` '--${n}'`).join("")}\n`,
  };
}
