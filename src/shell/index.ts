// The just-bash glue: runs a bash script against an emulated host, with every userland program
// registered as a command and every command running as a task.
//
// How a command knows its task: one just-bash `Bash` instance per task context. A `Bash` is built
// for a task with (a) the userland programs registered as commands whose closures hold that task,
// (b) a filesystem wrapper (ProcSysFs) bound to that task over the run's one shared filesystem, and
// (c) a sleep hook that advances the task's host clock. Everything the interpreter runs inside that
// instance — pipelines, $(...), `bash -c`, `sh script.sh`, `source`, builtins reading /proc/sys —
// goes through its commands, fs and sleep, so it runs as that task with no lookup at all.
// `proc.spawn(argv, task)` is fork+setns+execve: it builds a fresh `Bash` for `task` (a new process
// image: only exported variables and the cwd carry over, shell functions do not, as with a real
// exec) and runs the quoted argv there. We chose this over a task id in a private environment
// variable because the filesystem callbacks just-bash makes (redirections, `cat`, `<`) receive no
// environment, so an env variable could not reach /proc/sys, and it could leak into `env`/`set`.
import {
  Bash,
  type Command,
  decodeBytesToUtf8,
  defineCommand,
  type ExecResult,
  type IFileSystem,
  InMemoryFs,
} from "just-bash";
import type { Host } from "../kernel/host.js";
import type { Task } from "../kernel/syscalls.js";
import * as syscalls from "../kernel/syscalls.js";
import { programs as registeredPrograms } from "../userland/index.js";
import type { Proc, Program, ProgramResult } from "../userland/program.js";
import { MergeCapture, MergePlugin, mergeCommand } from "./merge.js";
import { NotFoundPlugin, notFoundCommand, StderrCapture, shCommand } from "./notfound.js";
import { catCommand, ProcSysFs, type SysctlOps } from "./procfs.js";
import { shellJoin } from "./quote.js";
import { ProcWritePlugin, redirCommand, WriteErrorSink } from "./redirect.js";
import { CommandWordPlugin } from "./words.js";

export { ProcSysFs, type ProcSysFsOptions, type SysctlOps } from "./procfs.js";
export { shellJoin, shellQuote } from "./quote.js";

/** The system calls the shell itself makes (the rest belong to the programs). */
export interface ShellKernel extends SysctlOps {
  clockNanosleep(task: Task, ns: number): Promise<void>;
}

export interface RunScriptOptions {
  /** The machine to run on; a fresh `new Host()` when neither host nor task is given. */
  readonly host?: Host;
  /** The task the script runs as; default `host.initTask()`. */
  readonly task?: Task;
  /** Where /proc/sys and sleep go; default the kernel's system calls. For tests. */
  readonly kernel?: ShellKernel;
  /** The commands beyond bash's own; default the userland registry. */
  readonly programs?: ReadonlyMap<string, Program>;
  /** The filesystem scripts see (e.g. the real working directory, read-only, under an overlay). */
  readonly fs?: IFileSystem;
  readonly cwd?: string;
  readonly stdin?: string;
  /** $1, $2, ... */
  readonly args?: readonly string[];
  /** $0, and the name bash prefixes its diagnostics with; absent means `bash -c`. */
  readonly scriptName?: string;
  /** Extra exported variables. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ScriptResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** What `bash` starts with as root on Debian 12 (`env -i bash -l` as root, minus the login noise). */
const DEFAULT_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: "/root",
};

/** State shared by every task context of one run. */
interface Run {
  readonly fs: IFileSystem;
  readonly kernel: ShellKernel;
  readonly programs: ReadonlyMap<string, Program>;
}

interface ParentContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
  readonly signal: AbortSignal | undefined;
}

function defaultKernel(): ShellKernel {
  return {
    sysctlRead: (task, path) => syscalls.sysctlRead(task, path),
    sysctlWrite: (task, path, value) => syscalls.sysctlWrite(task, path, value),
    sysctlList: (task) => syscalls.sysctlList(task),
    procOwns: (path) => syscalls.procOwns(path),
    procStat: (task, path) => syscalls.procStat(task, path),
    procList: (task, path) => syscalls.procList(task, path),
    procRead: (task, path) => syscalls.procRead(task, path),
    procOpenWrite: (task, path) => syscalls.procOpenWrite(task, path),
    clockNanosleep: (task, ns) => syscalls.clockNanosleep(task, ns),
  };
}

async function resolveTask(options: RunScriptOptions): Promise<Task> {
  if (options.task) return options.task;
  if (options.host) return options.host.initTask();
  // Loaded on demand so the shell can be exercised with a stub task and kernel alone.
  const { Host } = await import("../kernel/host.js");
  return new Host({}).initTask();
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message.split("\n")[0] ?? "";
  return String(e);
}

/** A program that threw instead of returning: one line, status 1, never a stack trace. */
function internalError(e: unknown): ProgramResult {
  return { stdout: "", stderr: `netnest: internal error: ${messageOf(e)}\n`, exitCode: 1 };
}

function programCommand(run: Run, name: string, program: Program, task: Task): Command {
  return defineCommand(name, async (args, ctx): Promise<ExecResult> => {
    const env = ctx.exportedEnv ?? {};
    let stdin: string | undefined;
    // Read lazily: touching ctx.stdin tells just-bash the command consumed it (matters inside
    // `while read` loops), and most programs never read stdin.
    const readStdin = (): string => {
      stdin ??= decodeBytesToUtf8(ctx.stdin);
      return stdin;
    };
    const proc: Proc = {
      task,
      get stdin() {
        return readStdin();
      },
      env,
      spawn: (argv, child) =>
        spawn(run, argv, child, { cwd: ctx.cwd, env, stdin: readStdin(), signal: ctx.signal }),
      readFile: (path) => ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, path)),
    };
    try {
      const r = await program([name, ...args], proc);
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    } catch (e) {
      return internalError(e);
    }
  });
}

/** A process context for `task`: a Bash whose commands, /proc/sys and clock are that task's. */
// Variables given to the Bash constructor are exported; those given to exec() are not.
function shellFor(
  run: Run,
  task: Task,
  cwd: string,
  options: { readonly env: Readonly<Record<string, string>>; readonly exec?: boolean },
): Bash {
  const commands = [...run.programs].map(([name, program]) => programCommand(run, name, program, task));
  const writeErrors = new WriteErrorSink();
  const stderrCapture = new StderrCapture();
  const mergeCapture = new MergeCapture();
  commands.push(
    redirCommand(writeErrors),
    notFoundCommand(stderrCapture),
    mergeCommand(mergeCapture),
    shCommand(),
    catCommand(),
  );
  const env = options.env;
  const bash = new Bash({
    fs: new ProcSysFs(run.fs, task, run.kernel, { writeErrors, stderrCapture, mergeCapture }),
    cwd,
    env: { ...env },
    customCommands: commands,
    processInfo: { uid: task.uid, gid: 0 },
    // sleep(1) is clock_nanosleep: virtual time jumps ahead, running whatever falls due.
    sleep: async (ms) => {
      await run.kernel.clockNanosleep(task, Math.round(ms * 1e6));
    },
  });
  // First: the others then see the command as just-bash will run it (its name in the arguments).
  bash.registerTransformPlugin(new CommandWordPlugin());
  bash.registerTransformPlugin(new ProcWritePlugin());
  bash.registerTransformPlugin(
    new NotFoundPlugin(
      commands.map((c) => c.name),
      { exec: options.exec ?? false },
    ),
  );
  // Last: it pushes `2>&1` into what the others have bracketed, and NotFoundPlugin must not take
  // that `2>&1` for the command's own.
  bash.registerTransformPlugin(new MergePlugin());
  return bash;
}

/** fork + setns + execvp: run argv as `task`, inheriting exported variables, cwd and stdin. */
async function spawn(
  run: Run,
  argv: readonly string[],
  task: Task,
  parent: ParentContext,
): Promise<ProgramResult> {
  if (argv.length === 0) return { stdout: "", stderr: "", exitCode: 0 };
  // A missing program is execvp's ENOENT, which the caller words (`exec of "X" failed`): the
  // command line itself is left to just-bash's `bash: X: command not found`.
  const bash = shellFor(run, task, parent.cwd, { env: parent.env, exec: true });
  try {
    const r = await bash.exec(shellJoin(argv), {
      cwd: parent.cwd,
      stdin: parent.stdin,
      rawScript: true,
      ...(parent.signal ? { signal: parent.signal } : {}),
    });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  } catch (e) {
    return internalError(e);
  }
}

/** Positional parameters the way just-bash's own `bash FILE ARGS` sets them. */
function positional(name: string, args: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {
    "0": name,
    "#": String(args.length),
    "@": args.join(" "),
    "*": args.join(" "),
  };
  args.forEach((arg, i) => {
    env[String(i + 1)] = arg;
  });
  return env;
}

/** Run `script` as `bash -c script` (or `bash NAME` when scriptName is given) on a host. */
export async function runScript(script: string, options: RunScriptOptions = {}): Promise<ScriptResult> {
  const fs = options.fs ?? new InMemoryFs();
  const cwd = options.cwd ?? "/root";
  await ensureDir(fs, "/tmp");
  await ensureDir(fs, cwd);
  const run: Run = {
    fs,
    kernel: options.kernel ?? defaultKernel(),
    programs: options.programs ?? registeredPrograms,
  };
  try {
    const task = await resolveTask(options);
    const bash = shellFor(run, task, cwd, { env: { ...DEFAULT_ENV, ...options.env } });
    const r = await bash.exec(script, {
      cwd,
      env: { ...positional(options.scriptName ?? "bash", options.args ?? []) },
      stdin: options.stdin ?? "",
      rawScript: true,
    });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  } catch (e) {
    return internalError(e);
  }
}

async function ensureDir(fs: IFileSystem, path: string): Promise<void> {
  if (await fs.exists(path)) return;
  try {
    await fs.mkdir(path, { recursive: true });
  } catch {
    // A read-only filesystem without the directory: commands will report it when they use it.
  }
}
