// bash's /dev/tcp and /dev/udp on numbered descriptors:
//   exec 3<>/dev/tcp/H/P;  echo hi >&3;  read -r -u 3 line;  cat <&3;  exec 3>&-
// In bash the descriptor is the socket: a write is a send(2), a read a recv(2), and the read
// builtin reads an unseekable descriptor one byte at a time, so a line read leaves the rest in the
// socket. just-bash's descriptors are content snapshots (`N<>FILE` reads FILE when it opens, `<&N`
// reads that copy), which cannot carry a conversation. So an AST transform gives each such
// descriptor a socket of its own, named by a path the filesystem wrapper serves (devtcp.ts), and
// routes the descriptor's reads there. Hidden commands go in statements of their own before and
// after the statement holding the command (not in a group around it: just-bash applies `set -e`
// inside a group even where the group's failure is tested, as in `{ …; } || …`):
//   exec 3<>/dev/tcp/H/P   →  __netnest_devpre S D L "$?" s /dev/tcp/H/P "$_"
//                             $__netnest_guard exec 3>>"$__netnest_tgt1"
//                             __netnest_fdgc S D "$?" "$_"
//   CMD <&N                →  __netnest_fdsel 1 all N "$?" "$_"
//                             CMD <"$__netnest_in1" <&"$__netnest_fd1"
//   read … -u N …          →  __netnest_fdsel 1 read-D-C-X-T N "$?" "$_"
//                             read … -u "$__netnest_fd1" … 99<"$__netnest_in1"   (mapfile -u too)
//   exec 3>&- (any exec on fds ≥ 3), ( … ) that opened one  →  …; __netnest_fdgc S D "$?" "$_"
//   CMD >&N                →  CMD >&N; __netnest_fdpipe "$?" "$_" || ${__netnest_pdo:-__netnest_ret} $? "$_"
//                             (a write that got EPIPE: SIGPIPE's default action, exit 141)
// `__netnest_devpre` connects and gives the redirection the socket's path; when it cannot, it
// prints bash's two lines and sets the guard to `__netnest_fail`, so the command does not run and
// its status is 1 (a script goes on, as bash does outside POSIX mode; `set -e` exits). A word that
// only may be a socket (`exec 4>"$p"`: `m` instead of `s`) gets its own expansion back when it is
// not one. The descriptor then holds `>>` on the socket's path, so `>&3` (and `4>&3`, `{fd}`)
// writes are sends with no further help. A compound command with such a redirection
// (`{ …; } 3<>/dev/tcp/H/P`), or `exec 3<"$p"` (whose operator differs for a file), is put in
// `if __netnest_devopen …; then …; else __netnest_ret 1; fi`, with the command as written kept
// beside (`case $__netnest_how in file) …`) for a path that is not a socket.
// `__netnest_fdsel` looks at the descriptor table: a socket's descriptor reads the socket's path
// (`/all`: to EOF, a command's standard input; `/read-…`: up to the read builtin's delimiter,
// count or timeout, byte by byte) with `<&0` as the no-op second redirection; any other
// descriptor keeps `<&N` and reads /dev/null first, unseen. A `read -t` is followed, in a group,
// by `__netnest_fdrc`, which makes a timed-out read of a socket status 142. `__netnest_fdgc`
// closes the sockets no descriptor refers to any more (the peer sees FIN), and the shell closes
// what is left when it ends. All pass `$?` and `$_` through. S numbers the scripts this
// interpreter transformed (its own is 1, each `bash -c` it runs the next: their sockets are
// theirs), D is how deep in subshells the command sits (a subshell closing its copy of fd 3
// leaves the parent's socket open), L its line, for the error prefix.
// What stays different: a command other than `read` reading the socket (`cat <&3`, `head -1 <&3`,
// `while read …; done <&3`) takes everything to EOF before it runs, where bash's would read as it
// goes (so `head -c 3 <&3` leaves nothing behind); on UDP such a command gets one datagram, where
// cat would wait for more (`bash -c` and jobs get the descriptors from bashCommand and index.ts,
// as just-bash starts their interpreters with none; `$(…)` has them); `exec 5<&3` on a
// socket fails (just-bash's input dup wants a readable descriptor; `exec 5>&3` works); sockets
// opened by a function called in a subshell close when the shell exits rather than with the
// subshell; a failed send other than EPIPE (which ends the shell with 141, as SIGPIPE does,
// after the statement) is not reported, nor SIGPIPE in a pipeline stage; `eval` and `source`
// scripts are not transformed (just-bash runs them without the plugins); several redirections
// on one command open their sockets before the others, not in order.
import {
  type Command,
  type CommandNode,
  defineCommand,
  type ExecResult,
  parse,
  type ScriptNode,
  type SimpleCommandNode,
  type StatementNode,
  type TransformContext,
  type TransformPlugin,
  type TransformResult,
  type WordNode,
} from "just-bash";
import { type DevInet, DevInetError, isDevInet, SOCK_DIR, sockIdOf } from "./devtcp.js";
import { RET_COMMAND } from "./jobs.js";
import { bashPrefix } from "./notfound.js";
import { isSplitName, literalWord } from "./words.js";

export const OPEN_COMMAND = "__netnest_devopen";
export const PREOPEN_COMMAND = "__netnest_devpre";
export const FAIL_COMMAND = "__netnest_fail";
export const SELECT_COMMAND = "__netnest_fdsel";
export const GC_COMMAND = "__netnest_fdgc";
export const TIMEOUT_COMMAND = "__netnest_fdrc";
export const PIPE_COMMAND = "__netnest_fdpipe";
/** `exit` once a write raised SIGPIPE, so `${__netnest_pdo:-__netnest_ret} $?` ends the shell. */
const PIPE_DO_VAR = "__netnest_pdo";
const SIGPIPE = 13;
const STATUS_VAR = "__netnest_st";
const ARG_VAR = "__netnest_arg";
const SOCK_VAR = "__netnest_sock";
/** `file` when the words that only may be sockets are not (then the command runs as written). */
const HOW_VAR = "__netnest_how";
/** A simple command's redirection target (a socket's path, or the word's own expansion). */
const TARGET_VAR = "__netnest_tgt";
/** Empty, or FAIL_COMMAND when a simple command's socket could not be opened. */
const GUARD_VAR = "__netnest_guard";
const IN_VAR = "__netnest_in";
const FD_VAR = "__netnest_fd";

type RedirectionNode = SimpleCommandNode["redirections"][number];

const SIGALRM = 14;
/** The descriptor `read -u N` reads a socket's bytes through (one a script is unlikely to use). */
const VIA_FD = 99;

const ok = (exitCode: number, stderr = ""): ExecResult => ({ stdout: "", stderr, exitCode });

/** The hidden commands the rewritten script calls, over one shell's sockets. */
export function devFdCommands(inet: DevInet): Command[] {
  const ids = (table: ReadonlyMap<number, string> | undefined): Set<number> => {
    const found = new Set<number>();
    for (const raw of table?.values() ?? []) {
      const id = sockIdOf(raw);
      if (id !== undefined) found.add(id);
    }
    return found;
  };
  return [
    // Before a simple command's statement: SHELL DEPTH LINE STATUS KINDS PATH... LASTARG. Each
    // target becomes a socket's path or, for a word that only may be one and is not, its own;
    // when a socket cannot be opened, bash's error, and the command becomes FAIL_COMMAND.
    defineCommand(PREOPEN_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const [shell = "0", depth = "0", line = "0", status = "0", kinds = ""] = args;
      const paths = args.slice(5, -1);
      const prefix = bashPrefix(ctx.env.get("0"), Number(line));
      const exitCode = Number.parseInt(status, 10) || 0;
      const targets: string[] = [];
      let error = "";
      for (const [i, path] of paths.entries()) {
        if (kinds[i] === "m" && !isDevInet(path)) targets.push(path);
        else if (!isDevInet(path)) {
          // `/dev/tcp//80` and the like are no socket to bash: an ordinary open that fails.
          error = `${prefix}${path}: No such file or directory\n`;
          break;
        } else {
          try {
            const id = await inet.openDescriptor(path, {
              prefix,
              shell: Number(shell),
              depth: Number(depth),
            });
            targets.push(`${SOCK_DIR}/${id}`);
          } catch (e) {
            if (!(e instanceof DevInetError)) throw e;
            error = `${e.message}\n`;
            break;
          }
        }
      }
      await ctx.assignShellVariable?.(GUARD_VAR, error ? FAIL_COMMAND : "");
      for (const i of paths.keys())
        await ctx.assignShellVariable?.(
          `${TARGET_VAR}${i + 1}`,
          error ? "/dev/null" : (targets[i] ?? "/dev/null"),
        );
      return ok(exitCode, error);
    }),
    // The command whose socket could not be opened: it does not run, status 1.
    defineCommand(FAIL_COMMAND, async (): Promise<ExecResult> => ok(1)),
    // In an `if`, for a compound command: SHELL DEPTH LINE STATUS KINDS PATH... LASTARG
    defineCommand(OPEN_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const [shell = "0", depth = "0", line = "0", status = "0", kinds = ""] = args;
      const paths = args.slice(5, -1);
      const prefix = bashPrefix(ctx.env.get("0"), Number(line));
      await ctx.assignShellVariable?.(STATUS_VAR, status);
      await ctx.assignShellVariable?.(ARG_VAR, args.at(-1) ?? "");
      // A word that only may be a socket and is not: the command runs as it was written (if one
      // is a socket and another not, the sockets too go the way of files, devtcp.ts's redirections).
      const files = [...kinds].some((k, i) => k === "m" && !isDevInet(paths[i] ?? ""));
      await ctx.assignShellVariable?.(HOW_VAR, files ? "file" : "sock");
      if (files) return ok(0);
      for (const [i, path] of paths.entries()) {
        // `/dev/tcp//80` and the like are no socket to bash: an ordinary open that fails.
        if (!isDevInet(path)) return ok(1, `${prefix}${path}: No such file or directory\n`);
        try {
          const id = await inet.openDescriptor(path, { prefix, shell: Number(shell), depth: Number(depth) });
          await ctx.assignShellVariable?.(`${SOCK_VAR}${i + 1}`, String(id));
        } catch (e) {
          if (!(e instanceof DevInetError)) throw e;
          return ok(1, `${e.message}\n`);
        }
      }
      return ok(0);
    }),
    // INDEX MODE FD VIA STATUS LASTARG: VIA is the descriptor the socket's path is opened on
    defineCommand(SELECT_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const [index = "1", mode = "all", fd = "", via = "0", status = "0"] = args;
      const raw = /^\d+$/.test(fd) ? ctx.fileDescriptors?.get(Number(fd)) : undefined;
      const id = raw !== undefined ? sockIdOf(raw) : undefined;
      await ctx.assignShellVariable?.(
        `${IN_VAR}${index}`,
        id !== undefined ? `${SOCK_DIR}/${id}/${mode}` : "/dev/null",
      );
      await ctx.assignShellVariable?.(`${FD_VAR}${index}`, id !== undefined ? via : fd);
      return ok(Number.parseInt(status, 10) || 0);
    }),
    // STATUS LASTARG after a statement writing to a descriptor: 128+SIGPIPE, with the shell to
    // exit, when a write got EPIPE
    defineCommand(PIPE_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const status = Number.parseInt(args[0] ?? "0", 10) || 0;
      if (!inet.takeSigpipe()) return ok(status);
      await ctx.assignShellVariable?.(PIPE_DO_VAR, "exit");
      return ok(128 + SIGPIPE);
    }),
    // STATUS LASTARG after `read -t`: 128+SIGALRM when its read of a socket timed out
    defineCommand(TIMEOUT_COMMAND, async (args): Promise<ExecResult> => {
      const status = Number.parseInt(args[0] ?? "0", 10) || 0;
      return ok(inet.takeTimedOut() ? 128 + SIGALRM : status);
    }),
    // SHELL DEPTH STATUS LASTARG, or `SHELL end STATUS` when a `bash -c` script ends
    defineCommand(GC_COMMAND, async (args, ctx): Promise<ExecResult> => {
      const [shell = "0", depth = "0", status = "0"] = args;
      if (depth === "end") inet.closeDescriptors(Number(shell));
      else await inet.collect(ids(ctx.fileDescriptors), { shell: Number(shell), depth: Number(depth) });
      return ok(Number.parseInt(status, 10) || 0);
    }),
  ];
}

/**
 * `exec N>>SOCK_DIR/ID …; ` for the descriptors of `table` that hold sockets: what a child shell
 * puts first to have the descriptors it inherits (fork keeps them; just-bash's new interpreters
 * start with none). On one line, so the script's line numbers stay.
 */
export function inheritedDescriptors(
  table: ReadonlyMap<number, string> | undefined,
  keep: (id: number) => boolean = () => true,
): string {
  const opens: string[] = [];
  for (const [fd, raw] of table ?? []) {
    const id = sockIdOf(raw);
    if (fd >= 3 && id !== undefined && keep(id)) opens.push(`${fd}>>${SOCK_DIR}/${id}`);
  }
  return opens.length > 0 ? `exec ${opens.join(" ")}; ` : "";
}

/**
 * `bash -c SCRIPT`: the shell's socket descriptors are the child's too (the same filesystem
 * wrapper serves them; its scripts are numbered after the parent's, so closing them there leaves
 * the parent's sockets open). Otherwise just-bash's own bash.
 */
export function bashCommand(): Command {
  return defineCommand("bash", async (args, ctx): Promise<ExecResult> => {
    const a = [...args];
    // The script follows the first option word holding `c` (`-c`, `-ec`, `-xc`).
    const at = a.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w));
    const before = at < 0 ? [] : a.slice(0, at);
    const script = a[at + 1];
    if (at >= 0 && script !== undefined && before.every((w) => /^[-+][a-zA-Z]+$/.test(w)))
      a[at + 1] = inheritedDescriptors(ctx.fileDescriptors) + script;
    if (!ctx.origCommand) return ok(1, "bash: internal error: no bash to run\n");
    return ctx.origCommand(a);
  });
}

// --- the transform -----------------------------------------------------------------------------

function lit(value: string): WordNode {
  return { type: "Word", parts: [{ type: "Literal", value }] };
}

/** `"$NAME"` */
function quotedVar(name: string): WordNode {
  return {
    type: "Word",
    parts: [
      { type: "DoubleQuoted", parts: [{ type: "ParameterExpansion", parameter: name, operation: null }] },
    ],
  } as WordNode;
}

/** The text a word surely starts with: its leading literal and quoted-literal parts. */
function staticPrefix(word: WordNode): string {
  let s = "";
  for (const part of word.parts) {
    if (part.type === "Literal" || part.type === "SingleQuoted") s += part.value;
    else if (part.type === "DoubleQuoted") {
      for (const inner of part.parts) {
        if (inner.type !== "Literal") return s;
        s += inner.value;
      }
    } else return s;
  }
  return s;
}

function statement(command: CommandNode): StatementNode {
  return {
    type: "Statement",
    pipelines: [{ type: "Pipeline", commands: [command], negated: false, timed: false, timePosix: false }],
    operators: [],
    background: false,
  } as StatementNode;
}

function statementsOf(script: string): StatementNode[] {
  return (parse(script) as ScriptNode).statements;
}

/** The first simple command of a parsed statement. */
function simpleOf(s: StatementNode | undefined): { args: WordNode[] } {
  const c = s?.pipelines[0]?.commands[0] as { type?: string; args?: WordNode[] } | undefined;
  if (c?.type !== "SimpleCommand" || !c.args) throw new Error("devfd: template did not parse");
  return c as { args: WordNode[] };
}

/** Replace the simple command named `name` under `node` by `by`. */
function substitute(node: unknown, name: string, by: CommandNode): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const n = node[i] as { type?: string; name?: WordNode | null };
      if (n?.type === "SimpleCommand" && n.name && literalWord(n.name) === name) {
        node[i] = by;
        return true;
      }
      if (substitute(n, name, by)) return true;
    }
    return false;
  }
  if (typeof node !== "object" || node === null) return false;
  return Object.values(node).some((v) => substitute(v, name, by));
}

const OPEN_OPS = new Set(["<", "<>", ">", ">>", ">|"]);

/**
 * Does this redirection open a descriptor on /dev/tcp or /dev/udp: surely (`s`: the path is
 * written out), maybe (`m`: a word like `"$p"` whose expansion decides), or not.
 */
function opensSocket(r: RedirectionNode): "s" | "m" | undefined {
  if (!OPEN_OPS.has(r.operator) || r.target.type !== "Word") return undefined;
  if (!r.fdVariable && (r.fd === null || r.fd < 3)) return undefined;
  const prefix = staticPrefix(r.target);
  if (/^\/dev\/(tcp|udp)\//.test(prefix)) return "s";
  if (literalWord(r.target) !== undefined) return undefined;
  return "/dev/tcp/".startsWith(prefix) || "/dev/udp/".startsWith(prefix) ? "m" : undefined;
}

/** `<&N` onto standard input, N not a standard stream, a close or a move. */
function readsDescriptor(r: RedirectionNode): boolean {
  if (r.operator !== "<&" || r.fdVariable || (r.fd !== null && r.fd !== 0) || r.target.type !== "Word")
    return false;
  const t = literalWord(r.target);
  return t === undefined || !(t === "-" || t.endsWith("-") || t === "0" || t === "1" || t === "2");
}

/** What `read`'s options say about where it stops, and where its -u descriptor is. */
interface ReadOptions {
  readonly mode: string;
  readonly timeout: boolean;
  /** The argument holding -u's descriptor: its index, and whether it is inside the option's word. */
  readonly u?: { readonly index: number; readonly inline: string | undefined };
}

/** bash's read options (read.def: "ersa:d:i:n:N:p:t:u:"), as far as they are literal. */
function readOptions(args: readonly WordNode[], builtin: "read" | "mapfile"): ReadOptions {
  // read.def's "ersa:d:i:n:N:p:t:u:"; mapfile.def's "d:n:O:s:tu:C:c:".
  const withValue = builtin === "read" ? "adinNptu" : "dnOsuCc";
  let delim = 10;
  let count = -1;
  let exact = false;
  let timeoutMs = -1;
  let u: ReadOptions["u"];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as WordNode;
    const t = literalWord(word);
    if (t === undefined || t === "--" || !t.startsWith("-") || t === "-") break;
    for (let j = 1; j < t.length; j++) {
      const c = t[j] as string;
      if (!withValue.includes(c)) continue;
      const rest = t.slice(j + 1);
      const value = rest !== "" ? rest : args[i + 1] ? literalWord(args[i + 1] as WordNode) : undefined;
      if (c === "u") u = rest !== "" ? { index: i, inline: rest } : { index: i + 1, inline: undefined };
      else if (builtin === "mapfile") {
        // mapfile reads to EOF; only where its descriptor is matters here.
      } else if (c === "d" && value !== undefined) delim = value === "" ? 0 : value.charCodeAt(0) & 0xff;
      else if ((c === "n" || c === "N") && value !== undefined && /^\d+$/.test(value)) {
        count = Number(value);
        exact = c === "N";
      } else if (c === "t" && value !== undefined && /^\d+(\.\d*)?$/.test(value))
        timeoutMs = Math.round(Number(value) * 1000);
      if (rest === "") i++;
      break;
    }
  }
  return {
    mode: builtin === "mapfile" ? "all" : `read-${delim}-${count}-${exact ? 1 : 0}-${timeoutMs}`,
    timeout: timeoutMs >= 0,
    ...(u ? { u } : {}),
  };
}

interface Rewrite {
  /** Which script of this interpreter: the shell's own is 1, each `bash -c` it runs the next. */
  readonly shell: number;
  /** How deep in subshells (pipelines, `( )`, `$( )`) the command runs. */
  readonly depth: number;
  readonly line: number;
}

/**
 * The line of the first simple command inside a compound command (which has none of its own),
 * not counting the hidden ones other transforms put in (jobs.ts), whose lines are their own.
 */
function firstLine(node: unknown): number | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const n = node as { type?: string; line?: unknown; pipelines?: { commands: unknown[] }[] };
  const first = (n.type === "Statement" ? n.pipelines?.[0]?.commands[0] : node) as {
    type?: string;
    name?: WordNode | null;
  };
  if (first?.type === "SimpleCommand" && first.name && literalWord(first.name)?.startsWith("__netnest_"))
    return undefined;
  if (typeof n.line === "number") return n.line;
  for (const value of Object.values(node)) {
    const found = firstLine(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

type Redirected = CommandNode & { redirections?: RedirectionNode[]; line?: number };

/** `>&N` onto standard output or error, N not a standard stream or a close: maybe a socket. */
function writesDescriptor(r: RedirectionNode): boolean {
  if (r.operator !== ">&" || r.fdVariable || r.target.type !== "Word") return false;
  const t = literalWord(r.target);
  return t === undefined || !(t === "-" || t.endsWith("-") || t === "1" || t === "2");
}

/** What a command's rewriting puts around the statement it is in. */
interface Around {
  /** Statements to run before the statement (the selectors). */
  readonly before: StatementNode[];
  /** Whether sockets may have lost their last descriptor once the statement ends. */
  collect: boolean;
  /** Whether the statement writes to a descriptor that may be a socket (SIGPIPE). */
  writes: boolean;
}

/**
 * The command, rewritten as the top of this file says (the selectors go before its statement and
 * the collection after it, not in a group around it: just-bash applies `set -e` inside a group
 * even where the group's own failure would be tested, as in `{ …; } || …`).
 */
function wrap(command: CommandNode, at: Rewrite, around: Around): { node: CommandNode; opens: boolean } {
  const c = command as Redirected;
  const redirections = c.redirections ?? [];
  const simple = c.type === "SimpleCommand" ? c : undefined;
  const name = simple?.name ? literalWord(simple.name) : undefined;
  const line = typeof c.line === "number" ? c.line : (firstLine(c) ?? at.line);
  let selected = 0;
  const select = (mode: string, fd: WordNode, via = 0): number => {
    const index = ++selected;
    const [s] = statementsOf(`${SELECT_COMMAND} ${index} ${mode} FD ${via} "$?" "$_"`);
    const sc = simpleOf(s);
    sc.args[2] = fd;
    if (s) around.before.push(s);
    return index;
  };
  const builtin =
    name === "read" ? "read" : name === "mapfile" || name === "readarray" ? "mapfile" : undefined;
  const mode = builtin && simple ? readOptions(simple.args, builtin) : undefined;
  const opened: WordNode[] = [];
  let kinds = "";
  const rewritten: RedirectionNode[] = [];
  /** The redirections when the maybe-socket words turn out to be files. */
  const asFiles: RedirectionNode[] = [];
  let inputFirst: RedirectionNode | undefined;
  // A simple command opens its sockets in a statement before its own, and runs as FAIL_COMMAND
  // when one fails; only a compound command, or a word that only may be a socket read with `<`
  // or `<>` (whose operator differs for a file), needs the `if` (see wrap's doc).
  const guarded =
    simple !== undefined &&
    !redirections.some((r) => opensSocket(r) === "m" && (r.operator === "<" || r.operator === "<>"));
  for (const r of redirections) {
    const kind = opensSocket(r);
    if (kind && guarded) {
      opened.push(r.target as WordNode);
      kinds += kind;
      const target = quotedVar(`${TARGET_VAR}${opened.length}`);
      rewritten.push(kind === "s" ? { ...r, operator: ">>", target } : { ...r, target });
    } else if (kind) {
      opened.push(r.target as WordNode);
      kinds += kind;
      asFiles.push(r);
      const target: WordNode = {
        type: "Word",
        parts: [
          { type: "Literal", value: `${SOCK_DIR}/` },
          { type: "ParameterExpansion", parameter: `${SOCK_VAR}${opened.length}`, operation: null },
        ],
      } as WordNode;
      rewritten.push({ ...r, operator: ">>", target });
    } else if (readsDescriptor(r)) {
      const index = select(mode?.mode ?? "all", r.target as WordNode);
      const pair: RedirectionNode[] = [
        { ...r, operator: "<", target: quotedVar(`${IN_VAR}${index}`) },
        { ...r, operator: "<&", target: quotedVar(`${FD_VAR}${index}`) },
      ];
      rewritten.push(...pair);
      asFiles.push(...pair);
    } else {
      rewritten.push(r);
      asFiles.push(r);
    }
  }
  if (simple && mode?.u) {
    const { index, inline } = mode.u;
    const fdWord = inline !== undefined ? lit(inline) : simple.args[index];
    if (fdWord) {
      // just-bash's mapfile reads its standard input whatever -u says: the socket comes there.
      const via = builtin === "mapfile" ? 0 : VIA_FD;
      const n = select(mode.mode, fdWord, via);
      const args = [...simple.args];
      if (inline !== undefined) {
        const option = literalWord(args[index] as WordNode) as string;
        args.splice(
          index,
          1,
          lit(option.slice(0, option.length - inline.length)),
          quotedVar(`${FD_VAR}${n}`),
        );
      } else args[index] = quotedVar(`${FD_VAR}${n}`);
      simple.args = args;
      // The socket's bytes come in on a descriptor of their own, so that the command's own
      // standard input (`read -u 3 x <f`, `-u 0`) stays what it was.
      inputFirst = {
        type: "Redirection",
        fd: via === 0 ? null : via,
        operator: "<",
        target: quotedVar(`${IN_VAR}${n}`),
      };
    }
  }
  if (
    opened.length > 0 ||
    (name === "exec" && redirections.some((r) => r.fdVariable || (r.fd !== null && r.fd >= 3)))
  )
    around.collect = true;
  if (opened.length === 0 && selected === 0) return { node: command, opens: false };
  // When a word only may be a socket, the command as it was (but for its reads) is kept too, for
  // when it is not: a copy of its own, as later transforms rewrite nodes in place.
  const fileCommand = kinds.includes("m")
    ? ({
        ...structuredClone(c),
        redirections: inputFirst ? [inputFirst, ...asFiles] : asFiles,
      } as CommandNode)
    : undefined;
  c.redirections = inputFirst ? [inputFirst, ...rewritten] : rewritten;
  // `read -t` on a socket that timed out: its status is 142 (the one group left, for that case).
  const timed = (cmd: CommandNode): CommandNode =>
    selected > 0 && mode?.timeout
      ? ({
          type: "Group",
          body: [statement(cmd), ...statementsOf(`${TIMEOUT_COMMAND} "$?" "$_"`)],
          redirections: [],
        } as CommandNode)
      : cmd;
  if (opened.length === 0) return { node: timed(command), opens: false };
  if (simple && guarded) {
    const [pre] = statementsOf(`${PREOPEN_COMMAND} ${at.shell} ${at.depth} ${line} "$?" ${kinds} "$_"`);
    simpleOf(pre).args.splice(5, 0, ...opened);
    if (pre) around.before.push(pre);
    // `$__netnest_guard CMD …`: an empty name runs the first field, as words.ts relies on.
    const guard: WordNode = {
      type: "Word",
      parts: [{ type: "ParameterExpansion", parameter: GUARD_VAR, operation: null }],
    } as WordNode;
    if (simple.name && !isSplitName(simple.name)) simple.args = [simple.name, ...simple.args];
    simple.name = guard;
    return { node: timed(command), opens: true };
  }
  const restore = `${RET_COMMAND} "$${STATUS_VAR}" "$${ARG_VAR}"`;
  const then = fileCommand
    ? `case $${HOW_VAR} in file) ${restore}; __netnest_file__;; *) ${restore}; __netnest_cmd__;; esac`
    : `${restore}; __netnest_cmd__`;
  const [ifs] = statementsOf(
    `if ${OPEN_COMMAND} ${at.shell} ${at.depth} ${line} "$?" ${kinds} "$_"; then ${then}; else ${RET_COMMAND} 1; fi`,
  );
  const ifNode = ifs?.pipelines[0]?.commands[0] as { clauses?: { condition: StatementNode[] }[] } | undefined;
  const open = simpleOf(ifNode?.clauses?.[0]?.condition[0]);
  open.args.splice(5, 0, ...opened);
  if (!ifNode || !substitute(ifNode, "__netnest_cmd__", timed(command)))
    return { node: command, opens: false };
  if (fileCommand && !substitute(ifNode, "__netnest_file__", timed(fileCommand)))
    return { node: command, opens: false };
  return { node: ifNode as CommandNode, opens: true };
}

function isStatementList(node: unknown): node is StatementNode[] {
  return (
    Array.isArray(node) &&
    node.length > 0 &&
    node.every((n) => (n as { type?: string })?.type === "Statement")
  );
}

/** The transform described at the top of this file. */
export class DevFdPlugin implements TransformPlugin {
  readonly name = "netnest-devfd";
  #shells = 0;

  transform(context: TransformContext): TransformResult {
    const ast = structuredClone(context.ast);
    // The first script is the shell's own; later ones are `bash -c` scripts it runs, whose
    // sockets close when they end.
    const shell = ++this.#shells;
    const inner = shell > 1;
    /** A list of statements: each gets its selectors before it and a collection after it. */
    const list = (statements: StatementNode[], at: Rewrite): boolean => {
      let opens = false;
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i] as StatementNode;
        const around: Around = { before: [], collect: false, writes: false };
        for (const p of s.pipelines) {
          // A write in a pipeline's stage is a subshell's: SIGPIPE would end that stage only.
          if (p.commands.length === 1) {
            const rs = (p.commands[0] as Redirected).redirections ?? [];
            if (rs.some(writesDescriptor)) around.writes = true;
          }
          const inPipe = { ...at, depth: at.depth + (p.commands.length > 1 ? 1 : 0) };
          p.commands = p.commands.map((c) => {
            const line = (c as { line?: number }).line ?? at.line;
            const inside = walk(c, { ...inPipe, line });
            const r = wrap(c, { ...inPipe, line }, around);
            opens ||= inside || r.opens;
            // A subshell that opened sockets has exited: those it left open close.
            if (inside && c.type === "Subshell") around.collect = true;
            return r.node;
          });
        }
        const after = [
          ...(around.writes
            ? statementsOf(`${PIPE_COMMAND} "$?" "$_" || \${${PIPE_DO_VAR}:-${RET_COMMAND}} $? "$_"`)
            : []),
          ...(around.collect ? statementsOf(`${GC_COMMAND} ${shell} ${at.depth} "$?" "$_"`) : []),
        ];
        statements.splice(i, 1, ...around.before, s, ...after);
        i += around.before.length + after.length;
      }
      return opens;
    };
    /** The lists under a command (bodies, conditions, `$( )`); whether any opens a socket. */
    const walk = (node: unknown, at: Rewrite): boolean => {
      if (isStatementList(node)) return list(node, at);
      if (Array.isArray(node)) return node.map((n) => walk(n, at)).some(Boolean);
      if (typeof node !== "object" || node === null) return false;
      const n = node as { type?: string; line?: number };
      const here: Rewrite = { ...at, line: typeof n.line === "number" ? n.line : at.line };
      const deeper =
        n.type === "Subshell" || n.type === "CommandSubstitution" || n.type === "ProcessSubstitution";
      return Object.values(node)
        .map((value) => walk(value, deeper ? { ...here, depth: here.depth + 1 } : here))
        .some(Boolean);
    };
    const opens = list(ast.statements, { shell, depth: 0, line: 0 });
    if (inner && opens) ast.statements.push(...statementsOf(`${GC_COMMAND} ${shell} end "$?"`));
    return { ast };
  }
}
