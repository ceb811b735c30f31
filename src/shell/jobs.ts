// Background jobs: `cmd &`, `$!`, `wait`, `kill`, `jobs`. just-bash parses `&` but runs the
// statement to completion in the foreground, its `wait` does nothing and `$!` stays 0. bash forks:
// the job runs beside the script, each in its tasks' namespaces, and virtual time moves only when
// every flow is blocked (src/kernel/sched.ts), so a server started with `&` is listening when the
// client connects.
//
// An AST transform does the rewriting:
//   STATEMENT &        →  __netnest_bg ID         (the statement is kept, by ID, for the job)
//   wait/kill/jobs …   →  __netnest_wait LINE …   (bash's builtins, with their line for errors)
//   $!                 →  $__netnest_last_bg
// `__netnest_bg` starts a fresh interpreter for the job as a new flow with the script's variables
// (exported ones stay exported), its functions and its cwd, stdin from /dev/null as bash gives an
// asynchronous command without job control; it sets `$!` through the interpreter's own variable
// assignment, and returns at once.
//
// Output: bash's jobs write to the same terminal as the script, as they go. just-bash hands the
// caller everything a script printed at the end; so, in a script that starts jobs, each top-level
// statement (and each statement of a job) is wrapped as `{ S; } >>TTY1 2>>TTY2`, paths the
// filesystem wrapper appends to one Terminal in the order statements finish.
//
// Signals: `kill` marks the job's flow; its blocking call, if it is in one, throws TaskKilled
// (sched.ts), and the program returns what it wrote so far with status 128+signal (a program
// that handles the signal, as ping does SIGINT, carries on). Every statement of a job is preceded
// (and the job's script followed) by
//   __netnest_alive $? || ${__netnest_do:-__netnest_ret} $?
// `__netnest_alive S` returns S while the job lives, so `$?` is what the statement before left;
// once a signal ended the job it sets __netnest_do=exit and returns 128+signal, and the job exits
// with that status at its next statement, its output so far kept, however deep in loops and
// functions it was.
import {
  type Command,
  defineCommand,
  type ExecResult,
  parse,
  type ScriptNode,
  type StatementNode,
  serialize,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";
import type { Flow, Sched } from "../kernel/sched.js";
import { SIGNAL_NAMES, signalNumber } from "../kernel/syscalls.js";
import { bashPrefix, DASH_MARK } from "./notfound.js";
import { literalWord } from "./words.js";

/**
 * builtin_error's prefix: `$0: line N: ` in a script, plain `bash: ` under `bash -c` (whose $0 is
 * bash), unlike a command not found there.
 */
function builtinPrefix(zero: string | undefined, line: number): string {
  return zero === "bash" || !zero ? "bash: " : bashPrefix(zero, line);
}

export const BG_COMMAND = "__netnest_bg";
export const ALIVE_COMMAND = "__netnest_alive";
export const RET_COMMAND = "__netnest_ret";
export const DO_VAR = "__netnest_do";
const ALIVE_CHECK = `${ALIVE_COMMAND} $? || \${${DO_VAR}:-${RET_COMMAND}} $?`;
const WAIT_COMMAND = "__netnest_wait";
const KILL_COMMAND = "__netnest_kill";
const JOBS_COMMAND = "__netnest_jobs";
export const LAST_BG_VAR = "__netnest_last_bg";
export const TTY_STDOUT_PATH = "/dev/.netnest-tty1";
export const TTY_STDERR_PATH = "/dev/.netnest-tty2";

/**
 * The script's terminal: what the script and its jobs printed, in the order it came out. With a
 * sink, each write goes there at once (stdout and stderr interleaved as written) and nothing is
 * kept.
 */
export class Terminal {
  stdout = "";
  stderr = "";

  constructor(readonly sink?: (fd: 1 | 2, text: string) => void) {}

  /** A write to a TTY path; false for any other path. */
  write(path: string, text: string): boolean {
    const fd = path === TTY_STDOUT_PATH ? 1 : path === TTY_STDERR_PATH ? 2 : 0;
    if (fd === 0) return false;
    if (this.sink) {
      if (text !== "") this.sink(fd, text);
    } else if (fd === 1) this.stdout += text;
    else this.stderr += text;
    return true;
  }
}

/** A job as the shell that started it knows it. */
export interface Job {
  /** The job number (`%N`). */
  readonly number: number;
  readonly pid: number;
  /** How `jobs` shows the command. */
  readonly text: string;
  readonly flow: Flow;
  done: boolean;
  status: number;
}

/** The statements put in the background, waiting for their `__netnest_bg ID` to start them. */
export class BackgroundStash {
  #next = 1;
  readonly #statements = new Map<number, { readonly script: ScriptNode; readonly text: string }>();

  put(statement: StatementNode, functions: readonly StatementNode[]): number {
    const id = this.#next++;
    const body: StatementNode = { ...statement, background: false };
    this.#statements.set(id, {
      script: { type: "Script", statements: [...functions, body] },
      text: `${serialize({ type: "Script", statements: [body] }).trim()} &`,
    });
    return id;
  }

  get(id: number): { readonly script: ScriptNode; readonly text: string } | undefined {
    return this.#statements.get(id);
  }
}

/** Everything one run's jobs share: the stash, the terminal, pids. */
export interface JobControl {
  readonly stash: BackgroundStash;
  readonly terminal: Terminal;
  nextPid: number;
  /** Every job of the run, to end them when the script ends. */
  readonly all: Job[];
}

export function newJobControl(sink?: (fd: 1 | 2, text: string) => void): JobControl {
  return { stash: new BackgroundStash(), terminal: new Terminal(sink), nextPid: 4242, all: [] };
}

// --- the transform -----------------------------------------------------------------------------

function lit(value: string): WordNode {
  return { type: "Word", parts: [{ type: "Literal", value }] };
}

const BUILTINS: Readonly<Record<string, string>> = {
  wait: WAIT_COMMAND,
  kill: KILL_COMMAND,
  jobs: JOBS_COMMAND,
};

function hasBackground(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasBackground);
  if (typeof node !== "object" || node === null) return false;
  const n = node as { type?: string; background?: boolean };
  if (n.type === "Statement" && n.background) return true;
  return Object.values(node).some(hasBackground);
}

function functionDefs(ast: ScriptNode): StatementNode[] {
  const defs: StatementNode[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: string };
    if (n.type === "FunctionDef") {
      defs.push({
        type: "Statement",
        pipelines: [
          { type: "Pipeline", commands: [node as never], negated: false, timed: false, timePosix: false },
        ],
        operators: [],
        background: false,
      } as StatementNode);
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
  return defs;
}

/** `{ S; } >>TTY1 2>>TTY2` */
function toTerminal(statement: StatementNode): StatementNode {
  const [wrapped] = (parse(`{ :; } >>${TTY_STDOUT_PATH} 2>>${TTY_STDERR_PATH}`) as ScriptNode).statements;
  const group = wrapped?.pipelines[0]?.commands[0] as { body: StatementNode[] } | undefined;
  if (!wrapped || !group) return statement;
  group.body = [statement];
  return wrapped;
}

/**
 * Puts the ALIVE_CHECK before every statement of every list under `node`, but not inside `$(…)`
 * (whose `$(< FILE)` form must stay a lone redirection; the statement around it is checked) and
 * not before the `sh` command's dialect mark, which must stay first.
 */
function checkAlive(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) checkAlive(n);
    if (node.some((n) => (n as { type?: string })?.type === "Statement")) {
      for (let i = node.length - 1; i >= 0; i--) {
        if (i === 0 && isDashMark(node[0])) continue;
        const [check] = (parse(ALIVE_CHECK) as ScriptNode).statements;
        node.splice(i, 0, check);
      }
    }
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const type = (node as { type?: string }).type;
  if (type === "CommandSubstitution" || type === "ProcessSubstitution") return;
  for (const value of Object.values(node)) checkAlive(value);
}

function isDashMark(statement: unknown): boolean {
  const command = (statement as StatementNode | undefined)?.pipelines?.[0]?.commands[0] as
    | { type?: string; name?: WordNode | null }
    | undefined;
  return (
    command?.type === "SimpleCommand" && (command.name ? literalWord(command.name) : undefined) === DASH_MARK
  );
}

/** The rewriting described at the top of this file. */
export class JobsPlugin implements TransformPlugin {
  readonly name = "netnest-jobs";
  #terminalWrap: "script" | "stream" | "job" | "exec" | "none";
  readonly #checks: boolean;

  /**
   * `wrap`: "script" wraps the top-level statements of a script that starts jobs; "stream" wraps
   * them in every script (its output goes to the terminal statement by statement, stdout and
   * stderr in the order they came); "job" wraps a job's own statements (the first script this
   * interpreter runs) and checks before each that no signal ended it; "exec" (a program's child,
   * as `ip netns exec` or `timeout` run one) only checks; "none" leaves the script alone.
   */
  constructor(
    private readonly control: JobControl,
    wrap: "script" | "stream" | "job" | "exec" | "none",
  ) {
    this.#terminalWrap = wrap;
    this.#checks = wrap === "job" || wrap === "exec";
  }

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    const wrap = this.#terminalWrap;
    // Only the first script run in this interpreter is the script or the job itself.
    this.#terminalWrap = "none";
    const background = hasBackground(ast);
    const functions = background ? functionDefs(ast) : [];
    const rewrite = (node: unknown, line: number): void => {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const n = node[i] as { type?: string; background?: boolean; line?: number };
          if (n?.type === "Statement" && n.background) {
            rewrite(n, line);
            const id = this.control.stash.put(n as StatementNode, functions);
            const [bg] = (parse(`${BG_COMMAND} ${id}`) as ScriptNode).statements;
            node[i] = bg;
          } else rewrite(n, line);
        }
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const n = node as {
        type?: string;
        line?: number;
        name?: WordNode | null;
        args?: WordNode[];
        parameter?: string;
      };
      const here = typeof n.line === "number" ? n.line : line;
      if (n.type === "SimpleCommand") {
        const name = n.name ? literalWord(n.name) : undefined;
        const replacement = name !== undefined ? BUILTINS[name] : undefined;
        if (replacement && n.args) {
          n.name = lit(replacement);
          n.args = [lit(String(here)), ...n.args];
        }
      }
      if (n.type === "ParameterExpansion" && n.parameter === "!") n.parameter = LAST_BG_VAR;
      for (const value of Object.values(node)) rewrite(value, here);
    };
    rewrite(ast, 0);
    if ((wrap === "script" && background) || wrap === "stream")
      ast.statements = ast.statements.map(toTerminal);
    // Every script this interpreter runs (`bash -c`, `eval`, `source` included) checks.
    if (this.#checks) {
      checkAlive(ast);
      if (wrap === "job") ast.statements = ast.statements.map(toTerminal);
      ast.statements.push(...(parse(ALIVE_CHECK) as ScriptNode).statements);
    }
    return { ast };
  }
}

// --- the builtins ------------------------------------------------------------------------------

/** The jobs one shell (interpreter) started, as bash's job table. */
export class JobTable {
  readonly jobs: Job[] = [];

  add(job: Omit<Job, "number">): Job {
    const number = this.jobs.reduce((m, j) => Math.max(m, j.number), 0) + 1;
    const full = { ...job, number };
    this.jobs.push(full);
    return full;
  }

  remove(job: Job): void {
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
  }
}

/** Signals whose default action is not to terminate: kill sends them and nothing happens. */
const HARMLESS = new Set([0, 17, 18, 23, 28]);
const SIGTERM = 15;

export interface JobsEnv {
  readonly sched: Sched;
  readonly table: JobTable;
  readonly flow: Flow | undefined;
}

function fail(ctxZero: string | undefined, line: number, text: string, exitCode: number): ExecResult {
  return { stdout: "", stderr: `${builtinPrefix(ctxZero, line)}${text}\n`, exitCode };
}

/** `%N`, `%%`, `%+`, `%-` or a pid: the job, or an error text. */
function findJob(table: JobTable, spec: string): Job | string {
  if (spec.startsWith("%")) {
    const jobs = table.jobs;
    const rest = spec.slice(1);
    const job =
      rest === "" || rest === "%" || rest === "+"
        ? jobs[jobs.length - 1]
        : rest === "-"
          ? jobs[jobs.length - 2]
          : /^\d+$/.test(rest)
            ? jobs.find((j) => j.number === Number(rest))
            : jobs.find((j) => j.text.startsWith(rest));
    return job ?? `${spec}: no such job`;
  }
  const pid = Number(spec);
  return table.jobs.find((j) => j.pid === pid) ?? `pid ${spec} is not a child of this shell`;
}

export function waitCommand(env: () => JobsEnv): Command {
  return defineCommand(WAIT_COMMAND, async (args, ctx): Promise<ExecResult> => {
    const { sched, table, flow } = env();
    const line = Number(args[0]);
    let rest = args.slice(1);
    const zero = ctx.env.get("0");
    let next = false;
    while (rest[0]?.startsWith("-") && rest[0] !== "-") {
      const opt = rest[0];
      if (opt === "--") {
        rest = rest.slice(1);
        break;
      }
      if (opt === "-n") next = true;
      else if (opt !== "-f")
        return fail(zero, line, `wait: ${opt}: invalid option\nwait: usage: wait [-fn] [-p var] [id ...]`, 2);
      rest = rest.slice(1);
    }
    if (rest.length === 0) {
      const pending = [...table.jobs];
      if (next) {
        if (pending.length === 0) return { stdout: "", stderr: "", exitCode: 127 };
        await sched.wait(() => pending.some((j) => j.done), { flow });
        const job = pending.find((j) => j.done) as Job;
        table.remove(job);
        return { stdout: "", stderr: "", exitCode: job.status };
      }
      await sched.wait(() => pending.every((j) => j.done), { flow });
      for (const j of pending) table.remove(j);
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    let status = 0;
    let stderr = "";
    for (const spec of rest) {
      if (!spec.startsWith("%") && !/^\d+$/.test(spec)) {
        stderr += `${builtinPrefix(zero, line)}wait: \`${spec}': not a pid or valid job spec\n`;
        status = 2;
        continue;
      }
      const job = findJob(table, spec);
      if (typeof job === "string") {
        stderr += `${builtinPrefix(zero, line)}wait: ${job}\n`;
        status = 127;
        continue;
      }
      await sched.wait(() => job.done, { flow });
      table.remove(job);
      status = job.status;
    }
    return { stdout: "", stderr, exitCode: status };
  });
}

export function killCommand(env: () => JobsEnv, control: JobControl): Command {
  return defineCommand(KILL_COMMAND, async (args, ctx): Promise<ExecResult> => {
    const { sched, table, flow } = env();
    const line = Number(args[0]);
    let rest = args.slice(1);
    const zero = ctx.env.get("0");
    const usage =
      "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";
    let signal = SIGTERM;
    if (rest[0] === "-l" || rest[0] === "-L") {
      if (rest.length === 1) {
        let out = "";
        for (let i = 1; i < SIGNAL_NAMES.length; i++) {
          out += `${String(i).padStart(2)}) SIG${SIGNAL_NAMES[i]}`;
          out += i % 5 === 0 || i === SIGNAL_NAMES.length - 1 ? "\n" : "\t";
        }
        return { stdout: out, stderr: "", exitCode: 0 };
      }
      let out = "";
      for (const spec of rest.slice(1)) {
        const n = /^\d+$/.test(spec) ? Number(spec) & 127 : signalNumber(spec);
        if (n === undefined || n >= SIGNAL_NAMES.length || n === 0)
          return fail(zero, line, `kill: ${spec}: invalid signal specification`, 1);
        out += /^\d+$/.test(spec) ? `${SIGNAL_NAMES[n]}\n` : `${n}\n`;
      }
      return { stdout: out, stderr: "", exitCode: 0 };
    }
    if (rest[0] === "-s" || rest[0] === "-n") {
      const spec = rest[1];
      if (spec === undefined) return fail(zero, line, `kill: ${rest[0]}: option requires an argument`, 2);
      const n = signalNumber(spec);
      if (n === undefined) return fail(zero, line, `kill: ${spec}: invalid signal specification`, 1);
      signal = n;
      rest = rest.slice(2);
    } else if (rest[0]?.startsWith("-") && rest[0] !== "-" && rest[0] !== "--") {
      const n = signalNumber(rest[0].slice(1));
      if (n === undefined)
        return fail(zero, line, `kill: ${rest[0].slice(1)}: invalid signal specification`, 1);
      signal = n;
      rest = rest.slice(1);
    }
    if (rest[0] === "--") rest = rest.slice(1);
    // builtin_usage: no `NAME: line N:` before it.
    if (rest.length === 0) return { stdout: "", stderr: `${usage}\n`, exitCode: 2 };
    // Like a program starting, kill is a scheduling point: a job whose data arrived has had its
    // CPU to act on it before the signal comes (on Linux it ran meanwhile on another CPU).
    await sched.preempt(flow);
    let stderr = "";
    let status = 0;
    for (const spec of rest) {
      let job: Job | undefined;
      if (spec.startsWith("%")) {
        const found = findJob(table, spec);
        if (typeof found === "string") {
          stderr += `${builtinPrefix(zero, line)}kill: ${found}\n`;
          status = 1;
          continue;
        }
        job = found;
      } else if (/^-?\d+$/.test(spec)) {
        job = control.all.find((j) => j.pid === Number(spec));
        if (!job || (job.done && !table.jobs.includes(job))) {
          stderr += `${builtinPrefix(zero, line)}kill: (${spec}) - No such process\n`;
          status = 1;
          continue;
        }
      } else {
        stderr += `${builtinPrefix(zero, line)}kill: ${spec}: arguments must be process or job IDs\n`;
        status = 1;
        continue;
      }
      if (job.done || HARMLESS.has(signal)) continue;
      sched.kill(job.flow, signal);
    }
    return { stdout: "", stderr, exitCode: status };
  });
}

export function jobsCommand(env: () => JobsEnv): Command {
  return defineCommand(JOBS_COMMAND, async (args): Promise<ExecResult> => {
    const { table } = env();
    const rest = args.slice(1);
    const pidsOnly = rest.includes("-p");
    const long = rest.includes("-l");
    let out = "";
    const jobs = table.jobs;
    for (const job of [...jobs]) {
      if (job.done) {
        // bash reports a finished job once (`Done`/`Exit N`/`Terminated`) and forgets it.
        table.remove(job);
      }
    }
    const live = table.jobs;
    live.forEach((job, i) => {
      if (pidsOnly) {
        out += `${job.pid}\n`;
        return;
      }
      const mark = i === live.length - 1 ? "+" : i === live.length - 2 ? "-" : " ";
      const state = "Running".padEnd(24);
      out += long
        ? `[${job.number}]${mark} ${job.pid} ${state}${job.text}\n`
        : `[${job.number}]${mark}  ${state}${job.text}\n`;
    });
    return { stdout: out, stderr: "", exitCode: 0 };
  });
}
