/**
 * A wake-up call that is not lost when it comes early: `fire()` while nobody waits makes the
 * next `wait()` return at once. `wait()` also returns after `ms` or when `signal` aborts.
 */
export class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  fire(): void {
    if (this.resolve) this.resolve();
    else this.pending = true;
  }

  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}
