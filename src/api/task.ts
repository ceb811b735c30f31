// How API objects run in virtual time. Each server and socket is a loop on a flow of its own (as a
// background job is in the shell), so the scheduler lets virtual time pass only when every loop
// waits. Two things differ from a script: the program's own code (callbacks, awaits) is not a
// flow, so a loop yields to it (a macrotask) before it waits, letting it act first; and when
// nothing can happen any more (the scheduler's Deadlock: a server with no clients), loops go
// dormant instead of failing, giving up their flows, until the program does something (listens,
// connects, writes, ends, sends) — as a Node process waits on its handles for the outside world.
import type { Host } from "../kernel/host.js";
import { Deadlock, netnsOpen, setns, type Task } from "../kernel/syscalls.js";

/** A task in the named network namespace of `host` (ENOENT as a KernelError when it has none). */
export function netnsTask(host: Host, name: string): Task {
  const init = host.initTask();
  return setns(init, netnsOpen(init, name));
}

const dormant = new WeakMap<Host, Set<() => void>>();

/** The program acted: every dormant loop of the host waits again. */
export function wakeLoops(host: Host): void {
  const set = dormant.get(host);
  if (set) {
    dormant.delete(host);
    for (const wake of set) wake();
  }
  // Loops parked on what the program just changed (a closed listener, queued data) look again.
  host.sched.notify();
}

/** One loop's task and flow. */
export class Loop {
  #task: Task;

  constructor(task: Task) {
    this.#task = { ...task, flow: task.host.sched.startFlow() };
  }

  get task(): Task {
    return this.#task;
  }

  /** Waits until `ready()` holds (or `deadline`, absolute virtual ns): false at the deadline. */
  async wait(ready: () => boolean, deadline?: number): Promise<boolean> {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    for (;;) {
      try {
        return await this.#task.host.sched.wait(ready, { flow: this.#task.flow, deadline, exclusive: true });
      } catch (e) {
        if (!(e instanceof Deadlock)) throw e;
        await this.#sleep();
      }
    }
  }

  /** Runs a blocking system call; a Deadlock puts the loop to sleep and tries it again. */
  async call<T>(syscall: (task: Task) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await syscall(this.#task);
      } catch (e) {
        if (!(e instanceof Deadlock)) throw e;
        await this.#sleep();
      }
    }
  }

  /** The loop is over: its flow no longer holds back virtual time. */
  end(): void {
    const flow = this.#task.flow;
    this.#task = { ...this.#task, flow: undefined };
    // After a macrotask: the program's reaction to the loop's last events runs before the clock
    // may move on without this flow.
    if (flow) setTimeout(() => this.#task.host.sched.endFlow(flow), 0);
  }

  async #sleep(): Promise<void> {
    const host = this.#task.host;
    if (this.#task.flow) host.sched.endFlow(this.#task.flow);
    this.#task = { ...this.#task, flow: undefined };
    await new Promise<void>((resolve) => {
      const set = dormant.get(host) ?? new Set();
      set.add(resolve);
      dormant.set(host, set);
    });
    this.#task = { ...this.#task, flow: host.sched.startFlow() };
  }
}
