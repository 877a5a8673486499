import { Inject, Injectable } from '@nestjs/common';
import {
  isTerminalRunStatus,
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type NatsNames,
  type RunCancelCommand,
  type RunStatus,
} from '@sandcastle/contracts';
import { JetStreamPublisher, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import type { RunEntity } from '@sandcastle/persistence';
import { ApiException } from '../http/api.exception';
import { runNotFound } from '../runs/get-run.use-case';
import { RunCompletionWaiter } from '../runs/run-completion.waiter';
import { RunsRepository } from '../runs/runs.repository';
import type { CancelRunView } from './run-control.views';

/** How long a cancel request waits for the orchestrator to confirm before answering 202. */
export const CANCEL_WAIT_MS = 3000;
/** The database is read at least this often while waiting (run events usually come first). */
export const CANCEL_POLL_MS = 100;
export const CANCEL_REASON = 'Cancelled by user';

export interface CancelRunResult {
  view: CancelRunView;
  /** False when the run was not final yet after CANCEL_WAIT_MS (answer 202). */
  confirmed: boolean;
}

function finishedOtherwise(run: RunEntity, raced: boolean): ApiException {
  const message = raced
    ? `run '${run.id}' finished as ${run.status} before the cancel took effect`
    : `run '${run.id}' is already ${run.status}; only a queued or running run can be cancelled`;
  return new ApiException('INVALID_STATUS', message);
}

/**
 * `POST /runs/{id}/cancel`. The orchestrator owns run state, so the gateway only asks: it records
 * the request on the run row (`cancel_requested_at` — the orchestrator applies it at the run's
 * next transition, even one caused by an earlier start command, and its reconciler sweeps for it,
 * so the request survives a lost message), then sends `run.cancel` to wake the orchestrator
 * (message id `cancel:<runId>`, so two gateways or a double click send it once within the
 * duplicate window) and waits briefly for the outcome. Cancelling a cancelled run is
 * answered like the first cancel; a run that finished otherwise — before, or while the command
 * was on its way — is a 409 saying how it ended.
 */
@Injectable()
export class CancelRunUseCase {
  private readonly logger: Logger;

  constructor(
    private readonly runs: RunsRepository,
    private readonly waiter: RunCompletionWaiter,
    private readonly publisher: JetStreamPublisher,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'cancel-run' });
  }

  async execute(tenantId: string, runId: string, signal?: AbortSignal): Promise<CancelRunResult> {
    const run = await this.runs.findById(tenantId, runId);
    if (!run) throw runNotFound(runId);
    if (isTerminalRunStatus(run.status)) return this.finished(run, false);

    await this.runs.requestCancel(tenantId, runId, CANCEL_REASON);
    await this.sendCancel(run);
    const after = await this.waiter.waitForEnd(tenantId, runId, CANCEL_WAIT_MS, signal, CANCEL_POLL_MS);
    if (!after) throw runNotFound(runId);
    if (isTerminalRunStatus(after.status)) return this.finished(after, true);
    return { view: { run_id: runId, status: after.status, cancel_requested: true }, confirmed: false };
  }

  private finished(run: RunEntity, raced: boolean): CancelRunResult {
    if (run.status !== 'cancelled') throw finishedOtherwise(run, raced);
    const status: RunStatus = 'cancelled';
    return { view: { run_id: run.id, status }, confirmed: true };
  }

  private async sendCancel(run: RunEntity): Promise<void> {
    const payload: RunCancelCommand = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: run.tenantId,
      runId: run.id,
      reason: CANCEL_REASON,
    };
    try {
      await this.publisher.publish({
        subject: this.names.subjects.runCancel,
        msgId: messageIds.runCancel(run.id),
        payload,
      });
    } catch (err) {
      // The request is recorded on the run: the orchestrator's reconciler applies it within a
      // second or so even without this wake-up.
      this.logger.warn('publishing the cancel command failed; the reconciler will apply the request', {
        runId: run.id,
        err,
      });
    }
  }
}
