// dmesg (util-linux 2.38): the kernel log, each line after a `[seconds.micros] ` stamp from boot
// (virtual time here); -t leaves the stamps out, -c/-C clear the log.
import { KernelError, syslogClear, syslogReadAll } from "../kernel/syscalls.js";
import type { Proc, ProgramResult } from "./program.js";

export function dmesg(argv: readonly string[], proc: Proc): ProgramResult {
  let stamps = true;
  let clearAfter = false;
  let clearOnly = false;
  for (const a of argv.slice(1)) {
    if (a === "-t" || a === "--notime") stamps = false;
    else if (a === "-c" || a === "--read-clear") clearAfter = true;
    else if (a === "-C" || a === "--clear") clearOnly = true;
    else
      return {
        stdout: "",
        stderr: `dmesg: ${a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1)}'`}\nTry 'dmesg --help' for more information.\n`,
        exitCode: 1,
      };
  }
  try {
    let stdout = "";
    if (!clearOnly) {
      for (const r of syslogReadAll(proc.task)) {
        if (stamps) {
          const us = Math.floor(r.ts / 1000);
          stdout += `[${String(Math.floor(us / 1_000_000)).padStart(5)}.${String(us % 1_000_000).padStart(6, "0")}] `;
        }
        stdout += `${r.text}\n`;
      }
    }
    if (clearAfter || clearOnly) syslogClear(proc.task);
    return { stdout, stderr: "", exitCode: 0 };
  } catch (e) {
    if (e instanceof KernelError)
      return { stdout: "", stderr: "dmesg: klogctl failed: Operation not permitted\n", exitCode: 1 };
    throw e;
  }
}
