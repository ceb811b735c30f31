// Running a scenario on the real kernel: the oracle netnest is compared against.
//
// The script runs in a brand-new network namespace (`unshare -n`: only lo, DOWN, default
// sysctls, exactly like netnest's fresh host) and a private mount namespace with its own tmpfs on
// /run/netns, so `ip netns add` inside it never touches the host. Everything the script creates
// vanishes when it exits. It also gets its own PID namespace (`-p -f --mount-proc`): the script's
// bash is PID 1, so `ip link set DEV netns 1` names the sandbox's namespace rather than the
// host's, and anything the script leaves running is killed when it exits.
import { spawn, spawnSync } from "node:child_process";
import { basename, dirname, resolve } from "node:path";
import type { RunOutput } from "./normalize.js";

export type KernelRun = RunOutput | { readonly unavailable: string };

// sysfs shows the devices of the namespace that mounted it: /sys is remounted inside the sandbox.
const SANDBOX =
  'mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns && mount -t sysfs sysfs /sys && cd "$1" && exec bash "$2"';

const UNSHARE = ["-m", "-n", "-p", "-f", "--mount-proc"];

let availability: string | undefined | null = null;

/** Why the kernel side cannot run here, or undefined when it can. Checked once per process. */
export function kernelUnavailable(): string | undefined {
  if (availability !== null) return availability;
  availability = probe();
  return availability;
}

function probe(): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return "not root (unshare -n needs CAP_SYS_ADMIN)";
  const ip = spawnSync("ip", ["-V"], { encoding: "utf8" });
  if (ip.error !== undefined || ip.status !== 0) return "ip (iproute2) is not installed";
  const u = spawnSync("unshare", [...UNSHARE, "bash", "-c", SANDBOX, "sandbox", "/", "/dev/null"], {
    encoding: "utf8",
  });
  if (u.error !== undefined) return `unshare cannot run: ${u.error.message}`;
  if (u.status !== 0) return `unshare ${UNSHARE.join(" ")} failed: ${u.stderr.trim() || `exit ${u.status}`}`;
  return undefined;
}

/**
 * Run the bash script at `scriptPath` on the live kernel, with the script's directory as cwd and
 * its base name as $0 (as netnest runs it), no stdin, and LC_ALL=C.
 */
export async function runOnKernel(scriptPath: string, opts: { timeoutMs?: number } = {}): Promise<KernelRun> {
  const why = kernelUnavailable();
  if (why !== undefined) return { unavailable: why };
  const path = resolve(scriptPath);
  const args = [...UNSHARE, "bash", "-c", SANDBOX, "netnest-kernel", dirname(path), basename(path)];
  return new Promise((done) => {
    const child = spawn("unshare", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
      timeout: opts.timeoutMs ?? 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => done({ unavailable: `unshare cannot run: ${e.message}` }));
    child.on("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString("utf8");
      done({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: signal === null ? stderr : `${stderr}netnest: killed by ${signal}\n`,
        exitCode: code ?? 128,
      });
    });
  });
}
