// netnest as a library: an emulated host, the shell to run scripts on it, and Node-shaped `net`
// and `dgram` for TypeScript programs inside its namespaces.
export { Host } from "../kernel/host.js";
export { KernelError, type Task } from "../kernel/syscalls.js";
export { type RunScriptOptions, runScript, type ScriptResult } from "../shell/index.js";
export * as dgram from "./dgram.js";
export * as net from "./net.js";
export { netnsTask } from "./task.js";
