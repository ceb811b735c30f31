// The C library's time formatting as the tools call it: gettimeofday, localtime, asctime/ctime and
// the strftime conversions they use. The wall clock is the host's CLOCK_REALTIME, which moves with
// the virtual clock (syscalls.clockGettimeRealtime). netnest has no time-zone database, so local
// time is UTC, as on a machine with TZ unset and /etc/localtime absent.
import { clockGettimeRealtime, type Task } from "../kernel/syscalls.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** struct timeval: whole seconds and microseconds. */
export interface Timeval {
  readonly sec: number;
  readonly usec: number;
}

export function gettimeofday(task: Task): Timeval {
  const us = clockGettimeRealtime(task);
  return { sec: Math.floor(us / 1e6), usec: us % 1e6 };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** asctime(localtime(&sec)) without its newline: `Sun Nov 29 06:35:56 2026`, the day padded to 2. */
export function asctime(sec: number): string {
  const d = new Date(sec * 1000);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`
  );
}

/** ctime(3) of now, without its newline. */
export function ctimeNow(task: Task): string {
  return asctime(gettimeofday(task).sec);
}

/** strftime "%Y-%m-%dT%H:%M:%S" of localtime(&sec). */
export function isoDateTime(sec: number): string {
  const d = new Date(sec * 1000);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

/** strftime "%Y/%m/%d %H:%M:%S" of localtime(&sec) (socat's message date). */
export function slashDateTime(sec: number): string {
  const d = new Date(sec * 1000);
  return (
    `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}
