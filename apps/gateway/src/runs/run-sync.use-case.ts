import { Injectable } from '@nestjs/common';
import { isTerminalRunStatus, type RunView } from '@sandcastle/contracts';
import { CreateRunUseCase, type CreateRunCommand } from './create-run.use-case';
import { GetRunUseCase, runNotFound } from './get-run.use-case';
import { RunCompletionWaiter } from './run-completion.waiter';

export interface RunSyncResult {
  run: RunView;
  /** False when the wait ended first (timeout, client gone, shutdown): `run` is the run so far. */
  finished: boolean;
}

/** `POST /workflows/run/sync`: start a run like `/workflows/run`, then wait for its end. */
@Injectable()
export class RunSyncUseCase {
  constructor(
    private readonly createRun: CreateRunUseCase,
    private readonly waiter: RunCompletionWaiter,
    private readonly getRun: GetRunUseCase,
  ) {}

  async execute(command: CreateRunCommand, timeoutMs: number, signal?: AbortSignal): Promise<RunSyncResult> {
    const { run: created } = await this.createRun.execute(command);
    const run = await this.waiter.waitForEnd(command.tenantId, created.id, timeoutMs, signal);
    // Only a concurrent delete could make it vanish; there is no such route yet.
    if (!run) throw runNotFound(created.id);
    return { run: await this.getRun.viewOf(run), finished: isTerminalRunStatus(run.status) };
  }
}
