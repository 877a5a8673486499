/** Why an attempt's abort signal fired; the reason decides what the orchestrator is told. */
export class AttemptTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`step timed out after ${seconds}s`);
    this.name = 'AttemptTimeout';
  }
}

export class AttemptCancelled extends Error {
  constructor(reason: string) {
    super(`aborted: ${reason}`);
    this.name = 'AttemptCancelled';
  }
}

/** The process is shutting down: the attempt is handed back to another executor, not failed. */
export class ExecutorShutdown extends Error {
  constructor() {
    super('executor shutting down');
    this.name = 'ExecutorShutdown';
  }
}
