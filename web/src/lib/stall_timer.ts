// Calls `onStall` once `ms` pass without a touch(). A transfer touches it on every chunk, so it
// keeps one setTimeout and re-arms it for the remainder when it fires early, instead of clearing
// and setting a timer per chunk. Monotonic clock: a wall clock set forward is not a stall.
export class StallTimer {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {}

  /** Starts (or restarts) the wait. */
  start(): void {
    this.last = performance.now();
    if (this.timer === null) this.arm(this.ms);
  }

  /** Progress: the wait starts over. */
  touch(): void {
    this.last = performance.now();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => {
      const idle = performance.now() - this.last;
      if (idle < this.ms) return this.arm(this.ms - idle);
      this.timer = null;
      this.onStall();
    }, delayMs);
  }
}
