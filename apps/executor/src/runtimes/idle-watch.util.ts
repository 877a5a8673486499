/**
 * Fires `onIdle` once no `touch()` happened for `ms`. Touching only stores a timestamp (it can be
 * called for every chunk of a 50 MB file event); the single timer re-arms for the remainder.
 */
export class IdleWatch {
  private last = performance.now();
  private timer: NodeJS.Timeout;

  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.timer = setTimeout(() => this.check(), ms);
  }

  touch(): void {
    this.last = performance.now();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private check(): void {
    const quietFor = performance.now() - this.last;
    if (quietFor >= this.ms) this.onIdle();
    else this.timer = setTimeout(() => this.check(), this.ms - quietFor);
  }
}
