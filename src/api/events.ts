// A minimal EventEmitter (on/once/off/emit), so the API runs in browsers as well as in Node.
type Listener = (...args: never[]) => void;

export class Emitter {
  readonly #listeners = new Map<string, Listener[]>();

  on(event: string, listener: (...args: never[]) => void): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return this;
  }

  once(event: string, listener: (...args: never[]) => void): this {
    const wrapped = (...args: never[]) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  off(event: string, listener: (...args: never[]) => void): this {
    const list = this.#listeners.get(event);
    if (list)
      this.#listeners.set(
        event,
        list.filter((l) => l !== listener),
      );
    return this;
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls the listeners in order; true when there were any. */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const l of [...list]) (l as (...a: unknown[]) => void)(...args);
    return true;
  }
}
