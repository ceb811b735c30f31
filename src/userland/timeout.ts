// coreutils 9.1 timeout(1): run a command and send it a signal when a duration of (virtual) time
// has passed. Status 124 when the time ran out, 125 for timeout's own errors, 126/127 when the
// command cannot be run, else the command's.
import {
  KernelError,
  SIGKILL,
  SIGTERM,
  signalHandled,
  signalNumber,
  signalTimer,
} from "../kernel/syscalls.js";
import type { Proc, ProgramResult } from "./program.js";

const TRY = "Try 'timeout --help' for more information.\n";

type Quote = (s: string) => string;

/** gnulib quote(): curly quotes in a UTF-8 locale, '…' in the C locale netnest scripts start in. */
function quoter(env: Readonly<Record<string, string>>): Quote {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /utf-?8/i.test(locale) ? (s) => `\u2018${s}\u2019` : (s) => `'${s}'`;
}

class Usage extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

/** parse_duration: a non-negative number with an optional s/m/h/d suffix, in nanoseconds. */
function parseDuration(text: string, q: Quote): number {
  const m = /^([0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)([smhd]?)$/.exec(text);
  const value = m && m[1] !== "" && m[1] !== "." ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isFinite(value) || value < 0)
    throw new Usage(`timeout: invalid time interval ${q(text)}\n${TRY}`);
  const scale = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Math.round(value * scale * 1e9);
}

/** operand2sig */
function parseSignal(text: string, q: Quote): number {
  // coreutils names SIGIO "POLL" too.
  const n = /^(SIG)?POLL$/i.test(text) ? signalNumber("IO") : signalNumber(text);
  if (n !== undefined) return n;
  throw new Usage(`timeout: ${q(text)}: invalid signal\n${TRY}`);
}

export async function timeout(argv: readonly string[], proc: Proc): Promise<ProgramResult> {
  let signal = SIGTERM;
  let killAfter: number | undefined;
  let preserve = false;
  let i = 1;
  const q = quoter(proc.env);
  try {
    for (; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (arg === "--") {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg === "-") break;
      const long = (name: string) => arg === `--${name}` || (arg.length > 3 && `--${name}`.startsWith(arg));
      if (arg === "-s" || long("signal")) signal = parseSignal(argv[++i] ?? "", q);
      else if (arg.startsWith("--signal=")) signal = parseSignal(arg.slice(9), q);
      else if (arg.startsWith("-s")) signal = parseSignal(arg.slice(2), q);
      else if (arg === "-k" || long("kill-after")) killAfter = parseDuration(argv[++i] ?? "", q);
      else if (arg.startsWith("--kill-after=")) killAfter = parseDuration(arg.slice(13), q);
      else if (arg.startsWith("-k")) killAfter = parseDuration(arg.slice(2), q);
      else if (long("preserve-status")) preserve = true;
      else if (long("foreground") || arg === "-v" || long("verbose")) {
        // The command keeps the terminal / a note on stderr: nothing to emulate without a tty.
      } else if (arg.startsWith("--")) throw new Usage(`timeout: unrecognized option '${arg}'\n${TRY}`);
      else throw new Usage(`timeout: invalid option -- '${arg[1]}'\n${TRY}`);
    }
    const operands = argv.slice(i);
    // coreutils says only where to look when the duration or the command is missing.
    if (operands.length < 2) throw new Usage(TRY);
    const duration = parseDuration(operands[0] as string, q);
    const command = operands.slice(1);
    const task = proc.task;
    // The child runs in the caller's flow: the timer's signal ends whatever it is blocked in.
    const timer = duration > 0 ? signalTimer(task, duration, signal) : undefined;
    const killer =
      killAfter !== undefined && killAfter > 0 ? signalTimer(task, duration + killAfter, SIGKILL) : undefined;
    let r: ProgramResult;
    try {
      r = await proc.spawn(command, task);
    } finally {
      timer?.cancel();
      killer?.cancel();
    }
    if (r.exitCode === 127 && /command not found/.test(r.stderr)) {
      return {
        stdout: r.stdout,
        stderr: `timeout: failed to run command ${q(command[0] as string)}: No such file or directory\n`,
        exitCode: 127,
      };
    }
    if (!timer?.fired()) return r;
    // The signal was for the child: timeout itself goes on to report it.
    signalHandled(task);
    const sent = killer?.fired() ? SIGKILL : signal;
    return { ...r, exitCode: preserve ? 128 + sent : sent === SIGKILL ? 137 : 124 };
  } catch (e) {
    if (e instanceof Usage) return { stdout: "", stderr: e.text, exitCode: 125 };
    if (e instanceof KernelError) return { stdout: "", stderr: `timeout: ${e.message}\n`, exitCode: 125 };
    throw e;
  }
}
