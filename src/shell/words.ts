// A command whose name word expands to several fields (`$X` with X="echo hi", `"$@"`,
// `"${cmd[@]}"`, `$SUDO ip link`). bash (execute_cmd.c, execute_simple_command) expands the whole
// command line into fields and runs the first field with the rest as its arguments. just-bash
// expands the name word on its own, joined into one string, so `"$@"` with $@ = (echo ok) looks
// for a command called `echo ok`; only when that string is empty does it take the first argument
// field as the command (and when there is none, runs nothing, with the assignments kept and the
// redirections done, as bash does). The arguments are split as bash splits them.
//
// So an AST transform moves a name word that may expand to other than one field into the first
// argument position, and gives the command a name that always expands to nothing:
//   A=1 $X a b >f   →   A=1 ${?:0:0} $X a b >f
// just-bash then runs the first field of `$X a b` with the rest as arguments, exactly the fields
// bash would have used. No helper function or variable is involved, so there is no extra call
// frame (FUNCNAME, caller, `local`, `return`, `shift`, `set --`, `break` act where they were
// written), `$?`, `$_`, set -e, prefix assignments and redirections are those of the command
// itself, and nothing new shows in `set` or `declare -f`.
// A name that is one field whatever it holds (`"$cmd"`, `'x'`, `\ls`, `~/bin/x`) is left as is:
// just-bash already runs it as bash does, an empty `"$cmd"` included (`: command not found`).
// What remains different: a first field that is empty while more follow (`"${a[@]}"` with
// a=("" x)) runs nothing instead of bash's `: command not found`; and a command substitution in
// the name that leaves no command gives just-bash's status (the last status) where bash uses the
// substitution's or 0 (unchanged by this transform).
import {
  parse,
  type ScriptNode,
  type SimpleCommandNode,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";

/** The text of a word made only of literal parts (no quotes, expansions or globs), else undefined. */
export function literalWord(word: WordNode): string | undefined {
  let s = "";
  for (const part of word.parts) {
    if (part.type !== "Literal") return undefined;
    s += part.value;
  }
  return s;
}

type WordPart = WordNode["parts"][number];

/** `${?:0:0}`: always set, always empty, never touched by `set -u`. */
function emptyName(): WordNode {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's syntax, not a template
  const [statement] = (parse("${?:0:0}") as ScriptNode).statements;
  const command = statement?.pipelines[0]?.commands[0] as SimpleCommandNode | undefined;
  if (!command?.name) throw new Error("words: cannot build the empty name word");
  return command.name;
}

const EMPTY_NAME = emptyName();

/** Is this the name word the transform puts in (so the command's name is its first argument)? */
export function isSplitName(word: WordNode): boolean {
  const [part] = word.parts;
  return (
    word.parts.length === 1 &&
    part?.type === "ParameterExpansion" &&
    part.parameter === "?" &&
    part.operation?.type === "Substring"
  );
}

/** `$@`, `${a[@]}`, `${@:2}`, `${!prefix@}`, `${!a[@]}`: several fields even inside quotes. */
function quotedSplits(part: WordPart): boolean {
  if (part.type !== "ParameterExpansion") return false;
  if (part.parameter === "@" || part.parameter.endsWith("[@]")) return true;
  const op = part.operation;
  return (op?.type === "VarNamePrefix" || op?.type === "ArrayKeys") && op.star === false;
}

/** May this word expand to zero fields or to more than one? */
export function mayResplit(word: WordNode): boolean {
  return word.parts.some((part) => {
    switch (part.type) {
      case "ParameterExpansion":
      case "CommandSubstitution":
      case "ArithmeticExpansion":
      case "BraceExpansion":
      case "Glob":
        return true;
      case "DoubleQuoted":
        return part.parts.some(quotedSplits);
      default:
        return false;
    }
  });
}

function rewrite(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) rewrite(n);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const value of Object.values(node)) rewrite(value);
  const c = node as SimpleCommandNode;
  if (c.type !== "SimpleCommand" || !c.name || isSplitName(c.name) || !mayResplit(c.name)) return;
  c.args = [c.name, ...c.args];
  c.name = structuredClone(EMPTY_NAME);
}

/** The transform described at the top of this file. */
export class CommandWordPlugin implements TransformPlugin {
  readonly name = "netnest-command-words";

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    rewrite(ast);
    return { ast };
  }
}
