// The `netnest` command: `netnest run` runs a bash script on a fresh emulated host; `netnest diff`
// compares a script's output with the real kernel's (src/cli/diff.ts); `netnest trace` runs one and
// lists the path of one packet (src/cli/trace.ts).
import { fstatSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type IFileSystem, InMemoryFs, MountableFs, OverlayFs } from "just-bash";
import { Host } from "../kernel/host.js";
import { Tracer } from "../kernel/trace.js";
import { runScript } from "../shell/index.js";
import { formatTrace, parseTraceArgs, TRACE_USAGE } from "./trace.js";

const USAGE = `usage: netnest run SCRIPT.sh [ARGS...]
       netnest run -c 'COMMANDS' [NAME [ARGS...]]
       netnest run - [ARGS...]          (script from standard input)
       netnest diff SCRIPT.sh
       netnest trace [--proto P] [--src A] [--dst A] [--port N] SCRIPT.sh [ARGS...]
       netnest --help

run      run a bash script on a fresh emulated host (a new network namespace, as after unshare -n)
diff     run a script on netnest and on the real kernel and print the differences
trace    run a script, then list one packet's path: devices, netfilter hooks and rules, routes
`;

/**
 * The disk as a script sees it: the working directory (and the script's own directory) read from
 * the real disk at their real paths, everything written kept in memory.
 */
export function realDirFs(dirs: readonly string[]): IFileSystem {
  const unique = [...new Set(dirs.map((d) => resolve(d)))].filter((d) => d !== "/");
  // A directory inside another mounted one is already visible through it.
  const roots = unique.filter((d) => !unique.some((o) => o !== d && d.startsWith(`${o}/`)));
  return new MountableFs({
    base: new InMemoryFs(),
    mounts: roots.map((root) => ({ mountPoint: root, filesystem: new OverlayFs({ root, mountPoint: "/" }) })),
  });
}

/** stdin for the script's commands: a redirected file is read; a terminal or pipe is left alone. */
function inheritedStdin(): string {
  try {
    return fstatSync(0).isFile() ? readFileSync(0, "utf8") : "";
  } catch {
    return "";
  }
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

interface Invocation {
  readonly script: string;
  readonly scriptName?: string;
  readonly args: readonly string[];
  readonly stdin: string;
  readonly dirs: readonly string[];
}

type Parsed =
  | { readonly kind: "run"; readonly inv: Invocation }
  | { readonly kind: "exit"; readonly code: number };

async function parseRun(args: readonly string[], cwd: string): Promise<Parsed> {
  const [first, ...rest] = args;
  if (first === undefined) {
    process.stderr.write(USAGE);
    return { kind: "exit", code: 2 };
  }
  if (first === "-c") {
    const [script, name, ...params] = rest;
    if (script === undefined) {
      process.stderr.write("bash: -c: option requires an argument\n");
      return { kind: "exit", code: 2 };
    }
    return {
      kind: "run",
      inv: {
        script,
        ...(name === undefined ? {} : { scriptName: name }),
        args: params,
        stdin: inheritedStdin(),
        dirs: [cwd],
      },
    };
  }
  if (first === "-") {
    return { kind: "run", inv: { script: await readAllStdin(), args: rest, stdin: "", dirs: [cwd] } };
  }
  if (first.startsWith("-") && first !== "--") {
    process.stderr.write(`netnest run: ${first}: invalid option\n${USAGE}`);
    return { kind: "exit", code: 2 };
  }
  const [path, ...params] = first === "--" ? rest : args;
  if (path === undefined) {
    process.stderr.write(USAGE);
    return { kind: "exit", code: 2 };
  }
  let script: string;
  try {
    script = await readFile(resolve(cwd, path), "utf8");
  } catch (e) {
    // bash's own words for a script it cannot open.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR") {
      process.stderr.write(`bash: ${path}: Is a directory\n`);
      return { kind: "exit", code: 126 };
    }
    const why = code === "EACCES" ? "Permission denied" : "No such file or directory";
    process.stderr.write(`bash: ${path}: ${why}\n`);
    return { kind: "exit", code: 127 };
  }
  return {
    kind: "run",
    inv: {
      script,
      scriptName: path,
      args: params,
      stdin: inheritedStdin(),
      dirs: [cwd, dirname(resolve(cwd, path))],
    },
  };
}

async function runMain(args: readonly string[], host?: Host): Promise<number> {
  const cwd = process.cwd();
  const parsed = await parseRun(args, cwd);
  if (parsed.kind === "exit") return parsed.code;
  const { inv } = parsed;
  const result = await runScript(inv.script, {
    ...(host === undefined ? {} : { host }),
    fs: realDirFs(inv.dirs),
    cwd,
    stdin: inv.stdin,
    args: inv.args,
    ...(inv.scriptName === undefined ? {} : { scriptName: inv.scriptName }),
    // As bash on a terminal: each statement's output as it ends, stdout and stderr interleaved.
    output: (fd, text) => (fd === 1 ? process.stdout : process.stderr).write(text),
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}

/** netnest trace: `netnest run` on a host whose tracer is on, then the listing. */
async function traceMain(args: readonly string[]): Promise<number> {
  const opts = parseTraceArgs(args);
  if (opts.kind === "error") {
    process.stderr.write(`netnest trace: ${opts.message}\n${TRACE_USAGE}`);
    return 2;
  }
  const host = new Host();
  const tracer = new Tracer(opts.filter);
  host.tracer = tracer;
  const code = await runMain(opts.rest, host);
  if (tracer.events.length === 0) process.stderr.write("netnest trace: no packet matched\n");
  else process.stdout.write(formatTrace(tracer.events));
  return code;
}

/** The whole command line after `netnest`; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await runMain(rest);
      case "trace":
        return await traceMain(rest);
      case "diff": {
        const { diffMain } = (await import("./diff.js")) as { diffMain(args: string[]): Promise<number> };
        return await diffMain([...rest]);
      }
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(
          command === undefined ? USAGE : `netnest: unknown command '${command}'\n${USAGE}`,
        );
        return 2;
    }
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    process.stderr.write(`netnest: internal error: ${message}\n`);
    return 1;
  }
}
