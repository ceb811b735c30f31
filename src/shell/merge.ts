// A compound command whose redirections send stdout and stderr to one place
// (`for …; done 2>&1`, `{ …; } 2>&1 | cat`, `( … ) >log 2>&1`, `if …; fi &>log`, `while …; done >&2`).
// bash applies those redirections before the body runs, so every command inside writes straight
// into the one file and the two streams interleave in the order the writes happen. just-bash runs
// the body with stdout and stderr collected apart and applies the compound's redirections to the
// two strings at the end: all of the body's stdout, then all of its stderr. A function call
// (`f 2>&1`), `eval`, `source` and `bash -c` are run the same way; this transform does not reach
// them, since what they run is not in the AST where they are called.
//
// So an AST transform pushes the merge down to where the writes happen: in a compound whose
// redirections leave fd 1 and fd 2 on the same open file, every command whose output reaches those
// fds (the last command of each pipeline: the others write their stdout into the pipe) gets `2>&1`
// put BEFORE its own redirections. Its stderr then joins its stdout as it is produced, and the
// compound's own redirections, left as they were, take the merged stream where bash sends both.
// Prepending keeps the command's own redirections meaning what they mean in bash, where they act
// on an fd 2 that is already a copy of fd 1: `echo x >&2` still lands in the merged stream,
// `cmd 2>/dev/null` still silences, `cmd 2>&1 >/dev/null` still keeps only stderr.
// A nested compound gets the `2>&1` in front of its own redirections and is judged again, so
// `{ { a; b >&2; } 2>/dev/null; } 2>&1` keeps b silent. A function definition's redirections
// apply at every call, so they are judged for its body the same way.
// The non-last commands of a pipeline write their stderr into the merged file too, but in
// just-bash it comes out with the whole pipeline's stderr; so they send it to a per-pipeline
// capture instead (`2>/dev/.netnest-merge-N`, put before their own redirections for the same
// reason), and `__netnest_merge N`, run just before the pipeline's last command, writes it into
// the merged stream: the early stages' diagnostics come before the last stage's output, as they
// do in bash where the producer fails before the consumer prints.
// `{ …; } |& cmd` is `{ …; } 2>&1 | cmd` and is treated as such.
// Redirections change no status, so `$?`, PIPESTATUS and `set -e` are as before. `exec` is left
// alone (its redirections are the shell's own), and so are `$(…)` bodies (their stdout is a value).
import {
  type Command,
  type CommandNode,
  defineCommand,
  type ExecResult,
  type PipelineNode,
  type ScriptNode,
  type SimpleCommandNode,
  type StatementNode,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";
import { literalWord } from "./words.js";

type RedirectionNode = SimpleCommandNode["redirections"][number];

export const MERGE_COMMAND = "__netnest_merge";

/** Where the non-last stages of pipeline N in a merged compound send their stderr. */
export const MERGE_CAPTURE_PREFIX = "/dev/.netnest-merge-";

/** What the early pipeline stages wrote to their capture, until `__netnest_merge N` takes it. */
export class MergeCapture {
  readonly #texts = new Map<string, string>();

  /** Keep a write to `path` if it is a capture; false for any other path. */
  write(path: string, text: string): boolean {
    if (!path.startsWith(MERGE_CAPTURE_PREFIX)) return false;
    const id = path.slice(MERGE_CAPTURE_PREFIX.length);
    this.#texts.set(id, (this.#texts.get(id) ?? "") + text);
    return true;
  }

  take(id: string): string {
    const text = this.#texts.get(id) ?? "";
    this.#texts.delete(id);
    return text;
  }
}

export function mergeCommand(capture: MergeCapture): Command {
  return defineCommand(MERGE_COMMAND, async (args): Promise<ExecResult> => {
    const [id = "", status = "0"] = args;
    // `$?` passes through, so the last stage sees the status it would have seen.
    return { stdout: "", stderr: capture.take(id), exitCode: Number.parseInt(status, 10) || 0 };
  });
}

function word(value: string): WordNode {
  return { type: "Word", parts: [{ type: "Literal", value }] } as WordNode;
}

function dup(fd: number, target: string): RedirectionNode {
  return { type: "Redirection", fd, operator: ">&", target: word(target) } as RedirectionNode;
}

function toFile(path: string): RedirectionNode {
  return { type: "Redirection", fd: 2, operator: ">", target: word(path) } as RedirectionNode;
}

function literal(target: RedirectionNode["target"]): string | undefined {
  return target.type === "Word" ? literalWord(target) : undefined;
}

/**
 * After these redirections, do fd 1 and fd 2 share one open file? Each redirection is followed as
 * bash's do_redirections would; a file opened twice (`>f 2>f`) is two files, a target not known
 * until run time is a file of its own, and a closed fd is never shared.
 */
export function mergesStdoutAndStderr(redirections: readonly RedirectionNode[]): boolean {
  let opened = 0;
  const fresh = (): string => `file${opened++}`;
  const fds = new Map<number, string>([
    [1, "stdout"],
    [2, "stderr"],
  ]);
  for (const r of redirections) {
    if (r.fdVariable) continue;
    const op = r.operator;
    const target = literal(r.target);
    if (
      op === "&>" ||
      op === "&>>" ||
      (op === ">&" && r.fd === null && target !== undefined && !/^\d+$|^-$/.test(target))
    ) {
      const file = fresh();
      fds.set(1, file);
      fds.set(2, file);
      continue;
    }
    const fd = r.fd ?? (op.startsWith("<") ? 0 : 1);
    if (fd !== 1 && fd !== 2) continue;
    if ((op === ">&" || op === "<&") && target === "-") {
      fds.set(fd, `closed${opened++}`);
    } else if ((op === ">&" || op === "<&") && target !== undefined && /^\d+$/.test(target)) {
      // dup2 of a closed fd fails (EBADF) and bash runs nothing.
      const source = fds.get(Number(target)) ?? `fd${target}`;
      fds.set(fd, source.startsWith("closed") ? fresh() : source);
    } else if ((op === ">" || op === ">>" || op === ">|") && target === "/dev/stdout") {
      fds.set(fd, fds.get(1) ?? fresh());
    } else if ((op === ">" || op === ">>" || op === ">|") && target === "/dev/stderr") {
      fds.set(fd, fds.get(2) ?? fresh());
    } else {
      fds.set(fd, fresh());
    }
  }
  const out = fds.get(1);
  return out !== undefined && !out.startsWith("closed") && out === fds.get(2);
}

const COMPOUNDS = new Set([
  "Group",
  "Subshell",
  "For",
  "CStyleFor",
  "While",
  "Until",
  "If",
  "Case",
  "ArithmeticCommand",
  "ConditionalCommand",
]);

function isExec(command: CommandNode): boolean {
  return command.type === "SimpleCommand" && command.name !== null && literal(command.name) === "exec";
}

/** `redirection` before the command's own; undefined when the command takes none. */
function prepended(command: CommandNode, redirection: RedirectionNode): CommandNode | undefined {
  if (command.type === "SimpleCommand") {
    // An assignment alone writes nothing of its own; `exec`'s redirections would outlive it.
    if (command.name === null || isExec(command)) return undefined;
    return { ...command, redirections: [redirection, ...command.redirections] };
  }
  if (COMPOUNDS.has(command.type)) {
    const c = command as CommandNode & { redirections: RedirectionNode[] };
    return { ...c, redirections: [redirection, ...c.redirections] } as CommandNode;
  }
  return undefined;
}

function isStatementList(value: unknown): value is StatementNode[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((s) => typeof s === "object" && s !== null && (s as { type?: string }).type === "Statement")
  );
}

class Merger {
  /** Numbers the capture files; one counter per shell, so a nested script never reuses one. */
  readonly #pipelines: { next: number };

  constructor(pipelines: { next: number }) {
    this.#pipelines = pipelines;
  }

  script(ast: ScriptNode): void {
    this.statements(ast.statements, false);
  }

  statements(list: StatementNode[], merged: boolean): void {
    for (const statement of list) {
      for (const pipeline of statement.pipelines) {
        this.#pipeStderr(pipeline);
        if (merged) this.#mergePipeline(pipeline);
        for (const command of pipeline.commands) this.#command(command);
      }
    }
  }

  /** `a |& b` is `a 2>&1 | b`: a compound before `|&` is a merged compound. */
  #pipeStderr(pipeline: PipelineNode): void {
    pipeline.pipeStderr?.forEach((piped, i) => {
      const command = pipeline.commands[i];
      if (!piped || !command || !COMPOUNDS.has(command.type)) return;
      pipeline.commands[i] = prepended(command, dup(2, "1")) ?? command;
    });
  }

  #mergePipeline(pipeline: PipelineNode): void {
    const commands = pipeline.commands;
    const lastIndex = commands.length - 1;
    const last = commands[lastIndex];
    if (!last) return;
    let capture: string | undefined;
    commands.forEach((command, i) => {
      // `a |& b`: a's stderr goes into the pipe, not to the merged file.
      if (i === lastIndex || pipeline.pipeStderr?.[i]) return;
      capture ??= String(this.#pipelines.next++);
      const redirected = prepended(command, toFile(`${MERGE_CAPTURE_PREFIX}${capture}`));
      if (redirected) commands[i] = redirected;
    });
    let merged = prepended(last, dup(2, "1")) ?? last;
    if (capture !== undefined) merged = this.#afterCapture(capture, merged);
    commands[lastIndex] = merged;
  }

  /** `{ __netnest_merge N $?; LAST; } 2>&1`: the early stages' stderr, then the last stage. */
  #afterCapture(id: string, last: CommandNode): CommandNode {
    const line = (last as { line?: number }).line;
    const release = {
      type: "SimpleCommand",
      assignments: [],
      name: word(MERGE_COMMAND),
      args: [
        word(id),
        { type: "Word", parts: [{ type: "ParameterExpansion", parameter: "?", operation: null }] },
      ],
      redirections: [dup(2, "1")],
      ...(line === undefined ? {} : { line }),
    } as unknown as CommandNode;
    const statement = (command: CommandNode): StatementNode =>
      ({
        type: "Statement",
        pipelines: [
          { type: "Pipeline", commands: [command], negated: false, timed: false, timePosix: false },
        ],
        operators: [],
        background: false,
      }) as StatementNode;
    return {
      type: "Group",
      body: [statement(release), statement(last)],
      redirections: [],
      ...(line === undefined ? {} : { line }),
    } as CommandNode;
  }

  #command(command: CommandNode): void {
    if (command.type === "FunctionDef") {
      if (mergesStdoutAndStderr(command.redirections)) {
        command.body = (prepended(command.body, dup(2, "1")) ?? command.body) as typeof command.body;
      }
      this.#command(command.body);
      return;
    }
    const merged =
      COMPOUNDS.has(command.type) &&
      mergesStdoutAndStderr((command as { redirections: RedirectionNode[] }).redirections);
    this.#walk(command, merged);
  }

  /** Statement lists below `node` run with `merged`; a `$(…)` body starts afresh. */
  #walk(node: unknown, merged: boolean): void {
    if (isStatementList(node)) {
      this.statements(node, merged);
      return;
    }
    if (Array.isArray(node)) {
      for (const n of node) this.#walk(n, merged);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const type = (node as { type?: string }).type;
    if (type === "Script") {
      this.script(node as ScriptNode);
      return;
    }
    for (const value of Object.values(node)) this.#walk(value, merged);
  }
}

/** The transform described at the top of this file. */
export class MergePlugin implements TransformPlugin {
  readonly name = "netnest-merge";
  readonly #pipelines = { next: 0 };

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    new Merger(this.#pipelines).script(ast);
    return { ast };
  }
}
