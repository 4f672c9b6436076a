// A small typed event emitter: `on` returns the function that unsubscribes. A handler that throws
// is reported on the console and does not stop the other handlers.
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly handlers = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<E extends keyof Events>(event: E, handler: Events[E]): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** True while anything listens to `event`. */
  has(event: keyof Events): boolean {
    return (this.handlers.get(event)?.size ?? 0) > 0;
  }

  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (err) {
        console.error(`huddle: a "${String(event)}" handler threw`, err);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
