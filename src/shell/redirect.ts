// A write the kernel refuses through a redirection (`echo abc > /proc/sys/net/ipv4/ip_forward`).
// In bash the open(2) succeeds and the writer's write(2) fails: the builtin reports
// `NAME: line N: echo: write error: Invalid argument` (sh_wrerror) and returns 1, and the script
// goes on. just-bash writes a redirected command's output after the command returns and lets a
// filesystem error escape the whole run, with no hook in between. So an AST transform brackets
// every command whose output may land in /proc with a hidden command:
//   { __netnest_redir begin $? "$_"; CMD > TARGET; __netnest_redir end $? LINE NAME "$_"; }
// `begin` arms the task's ProcSysFs (a refused write is then recorded instead of thrown); `end`
// reports a recorded error the way bash does and returns 1, or passes the command's status on.
// Both pass `$?` and `$_` through, so what the command and the next one see is unchanged.
import {
  type Command,
  type CommandNode,
  defineCommand,
  type ExecResult,
  parse,
  type ScriptNode,
  type StatementNode,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";
import { bashPrefix } from "./notfound.js";
import { literalWord } from "./words.js";

export const REDIR_COMMAND = "__netnest_redir";

interface Frame {
  /** What bash puts before a shell diagnostic about this command (`f.sh: line 3: `). */
  readonly prefix: string;
  errno: string | undefined;
}

/**
 * The bracketed commands running now, innermost last. While one runs, the fs records a refused
 * write in it instead of throwing, and words a failed open as bash does.
 */
export class WriteErrorSink {
  readonly #frames: Frame[] = [];

  get armed(): boolean {
    return this.#frames.length > 0;
  }

  begin(prefix: string): void {
    this.#frames.push({ prefix, errno: undefined });
  }

  /** Keep the first error of the bracketed command: that is the write that failed. */
  record(errno: string): void {
    const top = this.#frames.at(-1);
    if (top) top.errno ??= errno;
  }

  /** The refused write's errno, if the bracketed command had one. */
  end(): string | undefined {
    const errno = this.#frames.pop()?.errno;
    for (const hook of this.#endHooks) hook();
    return errno;
  }

  readonly #endHooks: (() => void)[] = [];

  /** Runs when a bracketed command ends: its redirections' descriptors close (devtcp.ts). */
  onEnd(hook: () => void): void {
    this.#endHooks.push(hook);
  }

  /** Like openFailed, for a message of its own built from the command's prefix (devtcp.ts). */
  openFailedWith(text: (prefix: string) => string): string {
    const top = this.#frames.pop();
    return text(top?.prefix ?? "bash: ");
  }

  /**
   * open(2) of the redirection target failed: the command never runs, and bash says
   * `f.sh: line 3: /proc/sys/net/nosuch: No such file or directory`. The error the fs throws
   * with this message ends the bracketing group, whose `end` therefore never runs.
   */
  openFailed(path: string, errno: string): string {
    const top = this.#frames.pop();
    return `${top?.prefix ?? "bash: "}${path}: ${STRERROR[errno] ?? errno}`;
  }
}

/** strerror(3) for the errnos a sysctl write returns. */
const STRERROR: Readonly<Record<string, string>> = {
  EINVAL: "Invalid argument",
  ERANGE: "Numerical result out of range",
  EPERM: "Operation not permitted",
  EACCES: "Permission denied",
  ENOENT: "No such file or directory",
  EBUSY: "Device or resource busy",
  ENOMEM: "Cannot allocate memory",
  EOPNOTSUPP: "Operation not supported",
  ENODEV: "No such device",
};

/** bash's builtins: their write errors carry the shell's prefix; other programs print their own. */
const BUILTINS = new Set(
  (
    ". : [ alias bg bind break builtin caller cd command compgen complete compopt continue declare " +
    "dirs disown echo enable eval exec exit export false fc fg getopts hash help history jobs kill " +
    "let local logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt " +
    "source suspend test times trap true type typeset ulimit umask unalias unset wait"
  ).split(" "),
);

export function redirCommand(sink: WriteErrorSink): Command {
  return defineCommand(REDIR_COMMAND, async (args, ctx): Promise<ExecResult> => {
    const [phase, status = "0", line = "0", name = ""] = args;
    const exitCode = Number.parseInt(status, 10) || 0;
    if (phase === "begin") {
      sink.begin(bashPrefix(ctx.env.get("0"), Number(line)));
      return { stdout: "", stderr: "", exitCode };
    }
    const errno = sink.end();
    if (errno === undefined) return { stdout: "", stderr: "", exitCode };
    const what = `write error: ${STRERROR[errno] ?? errno}`;
    const prefix = BUILTINS.has(name) ? bashPrefix(ctx.env.get("0"), Number(line)) : "";
    return { stdout: "", stderr: `${prefix}${name}: ${what}\n`, exitCode: 1 };
  });
}

const OUTPUT_OPS = new Set([">", ">>", ">|", "&>", "&>>"]);

/** Could this redirection write to /proc or /sys? Only a literal absolute path elsewhere surely cannot. */
function mayWriteProc(command: CommandNode): boolean {
  const redirections = "redirections" in command ? command.redirections : [];
  return redirections.some((r) => {
    // bash's /dev/tcp and /dev/udp, either way: opening them can fail (devtcp.ts). On a
    // numbered descriptor devfd.ts opens them and words the failure itself.
    if (r.target.type === "Word" && /^\/dev\/(tcp|udp)\//.test(literalWord(r.target) ?? ""))
      return !r.fdVariable && (r.fd === null || r.fd < 3);
    if (!OUTPUT_OPS.has(r.operator) || r.target.type !== "Word" || r.fdVariable) return false;
    const path = literalWord(r.target);
    return path === undefined || !path.startsWith("/") || path.startsWith("/proc") || path.startsWith("/sys");
  });
}

interface Writer {
  readonly name: string;
  readonly line: number;
}

type Functions = ReadonlyMap<string, unknown>;

function lineOf(node: unknown): number {
  return (node as { line?: number }).line ?? 0;
}

/**
 * The command whose write would fail, as bash names it: a builtin or program called directly, or
 * for a function or compound command the last simple command inside (usually its echo/printf).
 */
function writerOf(command: unknown, functions: Functions, seen: ReadonlySet<string> = new Set()): Writer {
  let writer: Writer | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: string; name?: WordNode | null };
    if (n.type === "FunctionDef") return;
    if (n.type === "SimpleCommand" && n.name) {
      const name = literalWord(n.name);
      if (name === undefined) return;
      const body = functions.get(name);
      writer =
        body !== undefined && !seen.has(name)
          ? writerOf(body, functions, new Set([...seen, name]))
          : { name, line: lineOf(node) };
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(command);
  return writer ?? { name: "echo", line: lineOf(command) };
}

function functionsOf(ast: ScriptNode): Map<string, unknown> {
  const functions = new Map<string, unknown>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: string; name?: unknown; body?: unknown };
    if (n.type === "FunctionDef" && typeof n.name === "string") functions.set(n.name, n.body);
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
  return functions;
}

/** fd-2 redirections of the command, so `end` reports where the command's stderr goes. */
function stderrRedirections(command: CommandNode): string {
  const redirections = "redirections" in command ? command.redirections : [];
  let out = "";
  for (const r of redirections) {
    if (r.fd !== 2 || r.target.type !== "Word") continue;
    const path = literalWord(r.target);
    if (path === undefined) continue;
    if (r.operator === ">" || r.operator === ">>" || r.operator === ">|") out += ` 2>>${shellWord(path)}`;
    else if (r.operator === ">&" && /^\d+$|^-$/.test(path)) out += ` 2>&${path}`;
  }
  return out;
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function statementsOf(script: string): StatementNode[] {
  return (parse(script) as ScriptNode).statements;
}

function bracket(command: CommandNode, functions: Functions): CommandNode {
  const line = lineOf(command);
  const writer = writerOf(command, functions);
  const [begin] = statementsOf(`${REDIR_COMMAND} begin $? ${line} "$_"`);
  const [end] = statementsOf(
    `${REDIR_COMMAND} end $? ${writer.line} ${shellWord(writer.name)} "$_"${stderrRedirections(command)}`,
  );
  if (!begin || !end) return command;
  const inner: StatementNode = {
    type: "Statement",
    pipelines: [{ type: "Pipeline", commands: [command], negated: false, timed: false, timePosix: false }],
    operators: [],
    background: false,
  } as StatementNode;
  return { type: "Group", body: [begin, inner, end], redirections: [], line } as CommandNode;
}

function rewrite(node: unknown, functions: Functions): void {
  if (Array.isArray(node)) {
    for (const n of node) rewrite(n, functions);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const n = node as { type?: string; commands?: CommandNode[] };
  if (n.type === "Pipeline" && Array.isArray(n.commands)) {
    for (const c of n.commands) rewrite(c, functions);
    n.commands = n.commands.map((c) => (mayWriteProc(c) ? bracket(c, functions) : c));
    return;
  }
  for (const value of Object.values(node)) rewrite(value, functions);
}

/** The transform described at the top of this file. */
export class ProcWritePlugin implements TransformPlugin {
  readonly name = "netnest-proc-write";

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    rewrite(ast, functionsOf(ast));
    return { ast };
  }
}
