// A command that is not there. bash (execute_cmd.c) says `f.sh: line 11: X: command not found`
// with the script's name and the command's line (`bash: line 1: X: …` under `bash -c`, whose $0
// is bash), and dash says `f.sh: 11: X: not found`; either way the status is 127. just-bash always
// says `bash: X: command not found`, with no hook to change it. So an AST transform brackets each
// simple command whose name is a literal nothing in the shell knows (not a builtin, a registered
// command or a function of the script), or whose command is the first field of words expanded at
// run time (words.ts: `$X`, `"$@"`), and that has no stderr redirection of its own:
//   { CMD 2>CAPTURE && __netnest_cnf 0 LINE DIALECT "$_" || __netnest_cnf $? LINE DIALECT "$_"; }
// CAPTURE is a path the filesystem wrapper keeps in memory (StderrCapture); `__netnest_cnf`
// re-emits what CMD wrote there, with just-bash's not-found line reworded, and returns CMD's status.
// The command itself still runs as just-bash resolves it (a function defined by `source`, a script
// in PATH), and its stdout is never touched. The `&&`/`||` list keeps `set -e` exiting on the
// last command (the one returning CMD's status), after the message is out; `"$_"` passes the
// last argument through.
import {
  type Command,
  decodeBytesToUtf8,
  defineCommand,
  type ExecResult,
  getCommandNames,
  parse,
  type ScriptNode,
  type StatementNode,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";
import { isSplitName, literalWord } from "./words.js";

export const NOT_FOUND_COMMAND = "__netnest_cnf";

/** Where a bracketed command's stderr goes: a file only the filesystem wrapper knows. */
export const STDERR_CAPTURE_PATH = "/dev/.netnest-stderr";

/** Statement the `sh` command puts before a script so the transform words diagnostics as dash. */
export const DASH_MARK = "__netnest_dash";

export type Dialect = "bash" | "dash";

/** What bracketed commands wrote to STDERR_CAPTURE_PATH, until `__netnest_cnf` takes it. */
export class StderrCapture {
  #text = "";

  write(text: string): void {
    this.#text += text;
  }

  take(): string {
    const text = this.#text;
    this.#text = "";
    return text;
  }
}

/**
 * The words bash or dash use for `name` not found, after just-bash's `bash: NAME: WHY` at the end
 * of `stderr` (an xtrace line may come before it), or undefined when the command failed otherwise.
 */
function reworded(stderr: string, prefix: string, dialect: Dialect): string | undefined {
  const start = stderr.lastIndexOf("\n", stderr.length - 2) + 1;
  const m = /^bash: (.*): (command not found|No such file or directory)\n$/.exec(stderr.slice(start));
  if (!m) return undefined;
  const [, name = "", why = ""] = m;
  return `${stderr.slice(0, start)}${prefix}${name}: ${dialect === "dash" ? "not found" : why}\n`;
}

/** dash's diagnostic prefix: `$0: LINE: ` always, `sh: 1: ` under `sh -c`. */
function dashPrefix(zero: string | undefined, line: number): string {
  return `${zero || "sh"}: ${line}: `;
}

/** bash's (error_prolog): `$0: line N: ` in any non-interactive shell, `bash -c` included. */
export function bashPrefix(zero: string | undefined, line: number): string {
  return `${zero || "bash"}: line ${line}: `;
}

export function notFoundCommand(capture: StderrCapture): Command {
  return defineCommand(NOT_FOUND_COMMAND, async (args, ctx): Promise<ExecResult> => {
    const [status = "0", line = "0", dialect = "bash"] = args;
    const exitCode = Number.parseInt(status, 10) || 0;
    const stderr = capture.take();
    if (exitCode !== 127) return { stdout: "", stderr, exitCode };
    const zero = ctx.env.get("0");
    const prefix = dialect === "dash" ? dashPrefix(zero, Number(line)) : bashPrefix(zero, Number(line));
    return { stdout: "", stderr: reworded(stderr, prefix, dialect as Dialect) ?? stderr, exitCode };
  });
}

/** bash's builtins and reserved words, and just-bash's: never "not found". */
const SHELL_WORDS = (
  ". : [ [[ alias bg bind break builtin caller cd command compgen complete compopt continue " +
  "declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history " +
  "jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set " +
  "shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait " +
  "__just_bash_tee_restore"
).split(" ");

function lineOf(node: unknown): number {
  return (node as { line?: number }).line ?? 0;
}

function functionNames(ast: ScriptNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: string; name?: unknown };
    if (n.type === "FunctionDef" && typeof n.name === "string") names.add(n.name);
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
  return names;
}

interface SimpleCommand {
  readonly type: "SimpleCommand";
  readonly name: WordNode | null;
  readonly redirections: readonly { readonly fd: number | null; readonly operator: string }[];
}

/** Does the command send its own stderr somewhere (`2>`, `2>&1`, `&>`)? Then bash's words go there. */
function redirectsStderr(command: SimpleCommand): boolean {
  return command.redirections.some((r) => r.fd === 2 || r.operator === "&>" || r.operator === "&>>");
}

function statementsOf(script: string): StatementNode[] {
  return (parse(script) as ScriptNode).statements;
}

function bracket(command: SimpleCommand, line: number, dialect: Dialect): unknown {
  const [list] = statementsOf(
    `__CMD__ 2>${STDERR_CAPTURE_PATH} && ${NOT_FOUND_COMMAND} 0 ${line} ${dialect} "$_" || ` +
      `${NOT_FOUND_COMMAND} $? ${line} ${dialect} "$_"`,
  );
  const first = list?.pipelines[0];
  const template = first?.commands[0] as SimpleCommand | undefined;
  if (!list || !first || !template) return command;
  const wrapped = { ...command, redirections: [...command.redirections, ...template.redirections] };
  first.commands = [wrapped as never];
  return { type: "Group", body: [list], redirections: [], line };
}

/** The transform described at the top of this file. */
export class NotFoundPlugin implements TransformPlugin {
  readonly name = "netnest-not-found";
  readonly #known: ReadonlySet<string>;
  #skipNext: boolean;

  /**
   * `known`: the commands registered beside just-bash's own. `exec`: the first script transformed
   * is an execve of argv (proc.spawn), where a missing program is the caller's error to word.
   */
  constructor(known: Iterable<string>, options: { readonly exec?: boolean } = {}) {
    this.#known = new Set([...SHELL_WORDS, ...getCommandNames(), ...known]);
    this.#skipNext = options.exec ?? false;
  }

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    const dialect = takeDashMark(ast) ? "dash" : "bash";
    if (this.#skipNext) {
      this.#skipNext = false;
      return { ast };
    }
    const functions = functionNames(ast);
    const unknown = (c: SimpleCommand): boolean => {
      if (!c.name) return false;
      // The command is the first field of a word only known at run time (words.ts): it may be
      // missing, and then its diagnostic wants the same words.
      if (isSplitName(c.name)) return true;
      const name = literalWord(c.name);
      return name !== undefined && name !== "" && !this.#known.has(name) && !functions.has(name);
    };
    // The script inside `$(…)` is parsed on its own, its lines counted from the `$(`'s line:
    // `offset` turns them back into the script's.
    const rewrite = (node: unknown, offset: number, enclosing: number): void => {
      if (Array.isArray(node)) {
        for (const n of node) rewrite(n, offset, enclosing);
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const n = node as { type?: string; commands?: unknown[]; line?: number };
      const line = typeof n.line === "number" ? offset + n.line : enclosing;
      if (n.type === "CommandSubstitution" || n.type === "ProcessSubstitution") offset = line - 1;
      if (n.type === "Pipeline" && Array.isArray(n.commands)) {
        for (const c of n.commands) rewrite(c, offset, line);
        n.commands = n.commands.map((c) => {
          const s = c as SimpleCommand;
          if (s.type !== "SimpleCommand" || !unknown(s) || redirectsStderr(s)) return c;
          return bracket(s, offset + lineOf(s), dialect);
        });
        return;
      }
      for (const value of Object.values(node)) rewrite(value, offset, line);
    };
    rewrite(ast, 0, 0);
    return { ast };
  }
}

/** Remove the `sh` command's mark from the script, saying whether it was there. */
function takeDashMark(ast: ScriptNode): boolean {
  const first = ast.statements[0];
  const command = first?.pipelines[0]?.commands[0] as SimpleCommand | undefined;
  if (!first || !command || command.type !== "SimpleCommand" || !command.name) return false;
  if (literalWord(command.name) !== DASH_MARK) return false;
  if (first.pipelines.length === 1) ast.statements.shift();
  else {
    first.pipelines.shift();
    first.operators.shift();
  }
  return true;
}

/**
 * `sh` as just-bash runs it (`-c CMD [NAME [ARGS]]`, `FILE [ARGS]`, or the script on stdin), with
 * the script marked so its diagnostics are dash's (Debian's /bin/sh), and the `#!` line kept as
 * the line 1 it is for dash.
 */
export function shCommand(): Command {
  return defineCommand("sh", async (args, ctx): Promise<ExecResult> => {
    let script: string;
    let zero = "sh";
    let params: string[];
    if (args[0] === "-c" && args.length >= 2) {
      script = args[1] ?? "";
      zero = args[2] ?? "sh";
      params = args.slice(3);
    } else if (args.length === 0) {
      script = decodeBytesToUtf8(ctx.stdin);
      params = [];
    } else {
      zero = args[0] ?? "";
      params = args.slice(1);
      try {
        script = await ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, zero));
      } catch {
        // dash: `sh: 0: cannot open FILE: No such file`, status 2.
        return { stdout: "", stderr: `sh: 0: cannot open ${zero}: No such file\n`, exitCode: 2 };
      }
    }
    if (script.trim() === "") return { stdout: "", stderr: "", exitCode: 0 };
    const env: Record<string, string> = {
      ...ctx.exportedEnv,
      "0": zero,
      "#": String(params.length),
      "@": params.join(" "),
      "*": params.join(" "),
    };
    params.forEach((p, i) => {
      env[String(i + 1)] = p;
    });
    const marked = `${DASH_MARK}; ${script}`;
    if (ctx.execWithInheritedStdin) {
      return ctx.execWithInheritedStdin(marked, { env, cwd: ctx.cwd, signal: ctx.signal });
    }
    if (!ctx.exec) return { stdout: "", stderr: "sh: internal error: exec not available\n", exitCode: 1 };
    return ctx.exec(marked, { env, cwd: ctx.cwd, stdin: decodeBytesToUtf8(ctx.stdin), signal: ctx.signal });
  });
}
