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
  latin1FromBytes,
  serialize,
} from "just-bash";
import type { Host } from "../kernel/host.js";
import { Deadlock, TaskKilled } from "../kernel/sched.js";
import type { Task } from "../kernel/syscalls.js";
import * as syscalls from "../kernel/syscalls.js";
import { programs as registeredPrograms } from "../userland/index.js";
import {
  latin1FromUint8,
  type Proc,
  type Program,
  type ProgramResult,
  uint8FromLatin1,
} from "../userland/program.js";
import { awkCommand } from "./awk.js";
import { cutCommand } from "./cut.js";
import { dateCommand } from "./date.js";
import { bashCommand, DevFdPlugin, devFdCommands, inheritedDescriptors } from "./devfd.js";
import { DevInet } from "./devtcp.js";
import { basenameCommand, dirnameCommand } from "./dirname.js";
import { grepCommand } from "./grep.js";
import { headCommand } from "./head.js";
import {
  ALIVE_COMMAND,
  BG_COMMAND,
  DO_VAR,
  type Job,
  type JobControl,
  JobsPlugin,
  JobTable,
  jobsCommand,
  killCommand,
  LAST_BG_VAR,
  newJobControl,
  RET_COMMAND,
  TTY_STDERR_PATH,
  TTY_STDOUT_PATH,
  waitCommand,
} from "./jobs.js";
import { MergeCapture, MergePlugin, mergeCommand } from "./merge.js";
import { mktempCommand } from "./mktemp.js";
import { NotFoundPlugin, notFoundCommand, StderrCapture, shCommand } from "./notfound.js";
import { odCommand } from "./od.js";
import { pasteCommand } from "./paste.js";
import { printfCommand } from "./printf.js";
import { catCommand, ProcSysFs, type SysctlOps } from "./procfs.js";
import { shellJoin } from "./quote.js";
import { ProcWritePlugin, redirCommand, WriteErrorSink } from "./redirect.js";
import { seqCommand } from "./seq.js";
import { sortCommand } from "./sort.js";
import { SpawnCapture, StdoutBuffer } from "./spawncap.js";
import { trCommand } from "./tr.js";
import { uniqCommand } from "./uniq.js";
import { wcCommand } from "./wc.js";
import { CommandWordPlugin } from "./words.js";
import { xargsCommand } from "./xargs.js";

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
  /**
   * Where output goes as it is written, stdout (1) and stderr (2) interleaved in the order they
   * came, statement by statement (a terminal's view); the result then holds only what came after
   * the last statement. Without it, the result holds each stream whole.
   */
  readonly output?: (fd: 1 | 2, text: string) => void;
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
  readonly jobs: JobControl;
  /** Names the sockets on numbered descriptors across the run's shells (devtcp.ts). */
  readonly sockIds: { next: number };
  /** Spawned commands' stdout, byte for byte (spawncap.ts). */
  readonly spawnCapture: SpawnCapture;
}

interface ParentContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The caller's stdin, bytes as latin1 (one char a byte). */
  readonly stdin: string;
  readonly signal: AbortSignal | undefined;
}

function defaultKernel(): ShellKernel {
  return {
    sysctlRead: (task, path) => syscalls.sysctlRead(task, path),
    sysctlWrite: (task, path, value) => syscalls.sysctlWrite(task, path, value),
    sysctlList: (task) => syscalls.sysctlList(task),
    sysctlMode: (task, path) => syscalls.sysctlMode(task, path),
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

function programCommand(run: Run, name: string, program: Program, shellTask: Task): Command {
  return defineCommand(name, async (args, ctx): Promise<ExecResult> => {
    // execve: the program is a process of its own, with its command name (TASK_COMM_LEN) and its
    // descriptor table (0, 1 and 2 open), which ss -p reads through /proc.
    const task: Task = { ...shellTask, comm: name.slice(0, 15), files: new syscalls.FilesStruct() };
    const env = ctx.exportedEnv ?? {};
    let stdin: string | undefined;
    // Read lazily: touching ctx.stdin tells just-bash the command consumed it (matters inside
    // `while read` loops), and most programs never read stdin.
    const readStdin = (): string => {
      stdin ??= decodeBytesToUtf8(ctx.stdin);
      return stdin;
    };
    const rawStdin = (): string => latin1FromBytes(ctx.stdin);
    // stdout: text until a program writes bytes; from then on a byte buffer (text UTF-8 encoded).
    const out = new StdoutBuffer();
    let writtenErr = "";
    const proc: Proc = {
      task,
      get stdin() {
        return readStdin();
      },
      get stdinBytes() {
        return uint8FromLatin1(rawStdin());
      },
      env,
      write: (fd, text) => {
        if (fd === 1) out.text(text);
        else writtenErr += text;
      },
      writeBytes: (_fd, data) => out.bytes(latin1FromUint8(data)),
      spawn: (argv, child) =>
        spawn(run, argv, child, { cwd: ctx.cwd, env, stdin: rawStdin(), signal: ctx.signal }),
      readFile: (path) => ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, path)),
      readFileBytes: (path) => ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, path)),
      writeFile: async (path, content) => {
        // open(O_CREAT) makes the file, not the directories above it (ENOENT).
        const full = ctx.fs.resolvePath(ctx.cwd, path);
        const dir = full.slice(0, full.lastIndexOf("/")) || "/";
        if (!(await ctx.fs.exists(dir)))
          throw Object.assign(new Error(`ENOENT: no such file or directory, open '${full}'`), {
            code: "ENOENT",
          });
        return ctx.fs.writeFile(full, content);
      },
    };
    try {
      // execve is a scheduling point: jobs that can go on (their data arrived, their timer
      // fired, they were just started with &) run first.
      const sched = task.host?.sched;
      await sched?.execve(task.flow);
      // A job's own program runs as its process (exec): /proc/PID/ns/net is now that task's.
      const pid = jobPid(run, task);
      const before = pid !== undefined ? task.host.processes.get(pid) : undefined;
      if (pid !== undefined) task.host.processes.set(pid, task);
      let r: ProgramResult;
      try {
        r = await program([name, ...args], proc);
      } finally {
        if (pid !== undefined && before && task.host.processes.has(pid)) task.host.processes.set(pid, before);
      }
      // What it sent is delivered before the next command runs, as the softirq would have.
      await sched?.drainInFlight(task.flow, IN_FLIGHT_NS, IN_FLIGHT_MAX_NS);
      if (r.stdoutKind === "bytes") out.bytes(r.stdout);
      else out.text(r.stdout);
      return { ...out.result(), stderr: writtenErr + r.stderr, exitCode: r.exitCode };
    } catch (e) {
      // A signal ends the program where it blocked; what it wrote so far is out already.
      if (e instanceof TaskKilled) return { ...out.result(), stderr: writtenErr, exitCode: 128 + e.signal };
      if (e instanceof Deadlock)
        return { ...out.result(), stderr: `${writtenErr}netnest: ${name}: ${e.message}\n`, exitCode: 1 };
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
  options: {
    readonly env: Readonly<Record<string, string>>;
    readonly exec?: boolean;
    /** How this interpreter's output reaches the terminal when jobs run (see jobs.ts). */
    readonly terminal?: "script" | "stream" | "job";
  },
): { readonly bash: Bash; readonly inet: DevInet } {
  const commands = [...run.programs].map(([name, program]) => programCommand(run, name, program, task));
  const writeErrors = new WriteErrorSink();
  const inet = new DevInet(task, {
    sink: writeErrors,
    settle: () =>
      task.host?.sched
        ? task.host.sched.drainInFlight(task.flow, IN_FLIGHT_NS, IN_FLIGHT_MAX_NS)
        : Promise.resolve(),
    ids: run.sockIds,
  });
  const stderrCapture = new StderrCapture();
  const mergeCapture = new MergeCapture();
  const table = new JobTable();
  const jobsEnv = () => ({ sched: task.host.sched, table, flow: task.flow });
  commands.push(
    redirCommand(writeErrors),
    notFoundCommand(stderrCapture),
    mergeCommand(mergeCapture),
    shCommand(),
    catCommand(),
    uniqCommand(),
    headCommand(),
    dateCommand(task),
    pasteCommand(),
    dirnameCommand(),
    basenameCommand(),
    trCommand(),
    awkCommand(),
    seqCommand(),
    grepCommand(),
    wcCommand(),
    cutCommand(),
    odCommand(),
    xargsCommand(),
    sortCommand(),
    mktempCommand(),
    printfCommand(task),
    backgroundCommand(run, task, { table, inet }),
    ...aliveCommands(task),
    waitCommand(jobsEnv),
    killCommand(jobsEnv, run.jobs),
    jobsCommand(jobsEnv),
    ...devFdCommands(inet),
    bashCommand(),
  );
  const env = options.env;
  const bash = new Bash({
    fs: new ProcSysFs(run.fs, task, run.kernel, {
      writeErrors,
      stderrCapture,
      mergeCapture,
      terminal: run.jobs.terminal,
      spawnCapture: run.spawnCapture,
      inet,
    }),
    cwd,
    env: { ...env },
    customCommands: commands,
    processInfo: { uid: task.uid, gid: 0 },
    // sleep(1) is clock_nanosleep: virtual time jumps ahead, running whatever falls due.
    sleep: async (ms) => {
      try {
        await run.kernel.clockNanosleep(task, Math.round(ms * 1e6));
      } catch (e) {
        // The job's next statement ends it (jobs.ts).
        if (!(e instanceof TaskKilled)) throw e;
      }
    },
  });
  // First: a job keeps its statement as written, for its own interpreter to transform.
  bash.registerTransformPlugin(
    new JobsPlugin(run.jobs, options.terminal ?? (options.exec ? "exec" : "none")),
  );
  bash.registerTransformPlugin(new CommandWordPlugin());
  bash.registerTransformPlugin(new ProcWritePlugin());
  // After ProcWritePlugin, which then sees a descriptor's `3<>/dev/tcp/…` as written.
  bash.registerTransformPlugin(new DevFdPlugin());
  bash.registerTransformPlugin(
    new NotFoundPlugin(
      commands.map((c) => c.name),
      { exec: options.exec ?? false },
    ),
  );
  // Last: it pushes `2>&1` into what the others have bracketed, and NotFoundPlugin must not take
  // that `2>&1` for the command's own.
  bash.registerTransformPlugin(new MergePlugin());
  return { bash, inet };
}

/**
 * `__netnest_alive S`: S while the job lives; 128+signal, with `__netnest_do=exit`, once a
 * signal ended it. `__netnest_ret S`: S. (jobs.ts)
 */
function aliveCommands(task: Task): Command[] {
  return [
    defineCommand(ALIVE_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const killed = task.flow?.killed ?? 0;
      if (!killed) return { stdout: "", stderr: "", exitCode: Number(args[0]) || 0 };
      await ctx.assignShellVariable?.(DO_VAR, "exit");
      return { stdout: "", stderr: "", exitCode: 128 + killed };
    }),
    defineCommand(RET_COMMAND, async (args): Promise<ExecResult> => {
      return { stdout: "", stderr: "", exitCode: Number(args[0]) || 0 };
    }),
  ];
}

/**
 * `STATEMENT &` (jobs.ts): fork a job running the statement as a new flow of the same task, with
 * the shell's variables, functions and cwd and stdin from /dev/null; `$!` is its pid.
 */
function backgroundCommand(
  run: Run,
  task: Task,
  parent: { readonly table: JobTable; readonly inet: DevInet },
): Command {
  const table = parent.table;
  return defineCommand(BG_COMMAND, async (args, ctx): Promise<ExecResult> => {
    const stashed = run.jobs.stash.get(Number(args[0]));
    if (!stashed) return internalError(new Error(`no background statement ${args[0]}`));
    const sched = task.host.sched;
    const flow = sched.startFlow();
    const pid = run.jobs.nextPid++;
    const job: Job = table.add({ pid, text: stashed.text, flow, done: false, status: 0 });
    run.jobs.all.push(job);
    // The job is a process the script can name by its pid (ip netns pids|identify|attach).
    task.host.processes.set(pid, { ...task, flow });
    const exported = ctx.exportedEnv ?? {};
    const locals: Record<string, string> = {};
    for (const [k, v] of ctx.env) if (!(k in exported)) locals[k] = v;
    const { bash, inet } = shellFor(run, { ...task, flow }, ctx.cwd, {
      env: exported,
      terminal: "job",
    });
    // fork() copies the descriptor table: the sockets on numbered descriptors come along (just-bash
    // starts the job's interpreter with none, so they are opened again on the same sockets).
    const inherited = inheritedDescriptors(ctx.fileDescriptors, (id) => inet.inherit(parent.inet, id));
    // The parent goes on first, until it blocks, as after fork() on Linux.
    const started = sched
      .wait(() => true, { flow, yield: true })
      .then(() =>
        bash.exec(inherited + serialize(stashed.script), {
          cwd: ctx.cwd,
          env: locals,
          stdin: "",
          rawScript: true,
        }),
      );
    void started
      .then(
        (r) => {
          run.jobs.terminal.write(TTY_STDOUT_PATH, r.stdout);
          run.jobs.terminal.write(TTY_STDERR_PATH, r.stderr);
          job.status = r.exitCode;
        },
        (e: unknown) => {
          if (e instanceof TaskKilled) job.status = 128 + e.signal;
          else {
            run.jobs.terminal.write(TTY_STDERR_PATH, internalError(e).stderr);
            job.status = 1;
          }
        },
      )
      .finally(() => {
        // The job's process exits: its sockets close.
        inet.closeDescriptors();
        job.done = true;
        task.host.processes.delete(pid);
        sched.endFlow(flow);
      });
    await ctx.assignShellVariable?.(LAST_BG_VAR, String(pid));
    return { stdout: "", stderr: "", exitCode: 0 };
  });
}

/** The pid of the job whose flow `task` runs in, if it runs in one. */
function jobPid(run: Run, task: Task): number | undefined {
  const flow = task.flow;
  if (!flow) return undefined;
  for (const job of run.jobs.all) if (job.flow === flow && !job.done) return job.pid;
  return undefined;
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
  const { bash, inet } = shellFor(run, task, parent.cwd, { env: parent.env, exec: true });
  // In a job, the program execs what it runs (ip netns exec: setns, then execvp): the job's
  // process is in the new task's namespace while it runs, whatever runs there (a builtin too).
  const pid = jobPid(run, task);
  const before = pid !== undefined ? task.host.processes.get(pid) : undefined;
  if (pid !== undefined) task.host.processes.set(pid, task);
  const out = new StdoutBuffer();
  try {
    // Its stdout goes to a capture the filesystem keeps as written: exec's result has it as text.
    const capture = run.spawnCapture.open(out);
    let r: ExecResult;
    try {
      r = await bash.exec(`${shellJoin(argv)} >${capture}`, {
        cwd: parent.cwd,
        stdin: parent.stdin,
        stdinKind: "bytes",
        rawScript: true,
        ...(parent.signal ? { signal: parent.signal } : {}),
      });
    } finally {
      run.spawnCapture.close(capture);
    }
    // (Nothing else reaches exec's stdout: the redirection took it all.)
    out.text(r.stdout);
    return { ...out.result(), stderr: r.stderr, exitCode: r.exitCode };
  } catch (e) {
    return internalError(e);
  } finally {
    // The program exits: the sockets its shell still holds close.
    inet.closeDescriptors();
    if (pid !== undefined && before && task.host.processes.has(pid)) task.host.processes.set(pid, before);
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
    jobs: newJobControl(options.output),
    sockIds: { next: 1 },
    spawnCapture: new SpawnCapture(),
  };
  try {
    const resolved = await resolveTask(options);
    const sched = resolved.host?.sched;
    const flow = sched?.startFlow(true);
    const task = flow ? { ...resolved, flow } : resolved;
    const { bash, inet } = shellFor(run, task, cwd, {
      env: { ...DEFAULT_ENV, ...options.env },
      terminal: options.output ? "stream" : "script",
    });
    let r: ExecResult;
    try {
      r = await bash.exec(script, {
        cwd,
        env: { ...positional(options.scriptName ?? "bash", options.args ?? []) },
        stdin: options.stdin ?? "",
        rawScript: true,
      });
      // The script's shell exits: its sockets close (the peer sees FIN) before the jobs' grace.
      inet.closeDescriptors();
      if (sched && flow) await endJobs(run.jobs, sched, task);
    } finally {
      inet.closeDescriptors();
      if (sched && flow) sched.endFlow(flow);
    }
    const terminal = run.jobs.terminal;
    return { stdout: terminal.stdout + r.stdout, stderr: terminal.stderr + r.stderr, exitCode: r.exitCode };
  } catch (e) {
    return internalError(e);
  }
}

/** Deliveries (lo 4 us, veth 15 us a hop) this close together count as one burst in flight. */
const IN_FLIGHT_NS = 100_000;
/** At most this much virtual time passes delivering them (a flood must not stall the script). */
const IN_FLIGHT_MAX_NS = 1_000_000;

/** How long jobs still running when the script ends get to finish (virtual time). */
const JOBS_GRACE_NS = 10_000_000_000;
const SIGHUP = 1;

/**
 * The script has ended: jobs still running get a grace period of virtual time to finish (a
 * server printing what the last client sent), then are ended by SIGHUP, so a run always ends.
 * (On Linux they would run on, holding the terminal, possibly forever.)
 */
async function endJobs(control: JobControl, sched: Task["host"]["sched"], task: Task): Promise<void> {
  const allDone = () => control.all.every((j) => j.done);
  // A deadlock here only means the jobs left wait for nothing that can come: go on.
  const untilDone = (deadline?: number) =>
    sched.wait(allDone, { ...(deadline !== undefined ? { deadline } : {}), flow: task.flow }).catch((e) => {
      if (!(e instanceof Deadlock)) throw e;
    });
  if (allDone()) return;
  await untilDone(task.host.clock.now + JOBS_GRACE_NS);
  for (const job of control.all) if (!job.done) sched.kill(job.flow, SIGHUP);
  await untilDone();
}

async function ensureDir(fs: IFileSystem, path: string): Promise<void> {
  if (await fs.exists(path)) return;
  try {
    await fs.mkdir(path, { recursive: true });
  } catch {
    // A read-only filesystem without the directory: commands will report it when they use it.
  }
}
