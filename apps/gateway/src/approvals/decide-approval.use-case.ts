import { Inject, Injectable } from '@nestjs/common';
import {
  findUnstorableText,
  jsonBytes,
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  type NatsNames,
  type RunApprovalCommand,
} from '@sandcastle/contracts';
import { JetStreamPublisher, NATS_NAMES } from '@sandcastle/messaging';
import { LOGGER, type Logger } from '@sandcastle/observability';
import type { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiException } from '../http/api.exception';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import { toApprovalView } from './approval-view.util';
import type { ApprovalView } from './approval.views';
import { ApprovalsRepository, type ApprovalRow } from './approvals.repository';
import type { DecideApprovalDto } from './dto/decide-approval.dto';

/** How the audit record names who decided; never a key's secret. */
export function deciderOf(caller: Caller): string {
  switch (caller.kind) {
    case 'tenant':
      return `api_key:${caller.keyId}`;
    case 'admin':
      return 'admin';
    case 'anonymous':
      return 'anonymous';
  }
}

function alreadyDecided(row: ApprovalRow): ApiException {
  const by = row.decided_by === null ? '' : ` by ${row.decided_by}`;
  return new ApiException(
    'APPROVAL_ALREADY_DECIDED',
    `the approval of step '${row.step_id}' was already decided: ${row.status}${by}`,
  );
}

/**
 * `POST /runs/{id}/approvals/{step}`: takes the decision exactly once (the conditional update in
 * ApprovalsRepository.decide; a concurrent second decision gets 409), then wakes the orchestrator
 * with `cmd.run.approval`. The decision is already durable when the command is sent: a lost
 * command is applied by the orchestrator's reconciler, so the run resumes either way.
 */
@Injectable()
export class DecideApprovalUseCase {
  private readonly logger: Logger;

  constructor(
    private readonly approvals: ApprovalsRepository,
    private readonly runs: RunsRepository,
    private readonly publisher: JetStreamPublisher,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'approvals' });
  }

  async execute(
    caller: Caller,
    tenantId: string,
    runId: string,
    stepId: string,
    body: DecideApprovalDto,
  ): Promise<ApprovalView> {
    const current = await this.approvals.find(tenantId, runId, stepId);
    if (!current) {
      if (!(await this.runs.findById(tenantId, runId))) throw runNotFound(runId);
      throw new ApiException('APPROVAL_NOT_FOUND', `run '${runId}' has no approval step '${stepId}' waiting`);
    }
    if (current.status !== 'pending') throw alreadyDecided(current);
    if (body.edited_output !== undefined) this.checkEdit(current, body);
    const decided = await this.approvals.decide(tenantId, runId, stepId, {
      decision: body.decision,
      by: deciderOf(caller),
      comment: body.comment ?? null,
      editedOutput: body.edited_output,
    });
    if (!decided) {
      const now = await this.approvals.find(tenantId, runId, stepId);
      throw alreadyDecided(now ?? current);
    }
    this.logger.info('approval decided', { runId, stepId, status: decided.status, by: decided.decided_by });
    await this.wakeOrchestrator(decided);
    return toApprovalView(decided);
  }

  private checkEdit(current: ApprovalRow, body: DecideApprovalDto): void {
    const problem = (message: string) =>
      new ApiException('VALIDATION_ERROR', message, [{ field: 'edited_output', message }]);
    if (!current.allow_edit)
      throw problem(`step '${current.step_id}' does not allow edits (allow_edit: false)`);
    if (body.decision !== 'approve') throw problem('edited_output only goes with decision approve');
    const max = this.config.MAX_STEP_OUTPUT_BYTES;
    const bytes = jsonBytes(body.edited_output);
    if (bytes > max)
      throw problem(`edited_output is ${bytes} bytes, above the limit of ${max} (MAX_STEP_OUTPUT_BYTES)`);
    if (findUnstorableText(body.edited_output) !== null) {
      throw problem('edited_output contains a NUL character or an unpaired UTF-16 surrogate');
    }
  }

  private async wakeOrchestrator(row: ApprovalRow): Promise<void> {
    const payload: RunApprovalCommand = {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: row.tenant_id,
      runId: row.run_id,
      stepId: row.step_id,
    };
    try {
      await this.publisher.publish({
        subject: this.names.subjects.runApproval,
        msgId: messageIds.runApproval(row.run_id, row.step_id),
        payload,
      });
    } catch (err) {
      this.logger.warn('publishing the approval command failed; the reconciler will apply the decision', {
        runId: row.run_id,
        err,
      });
    }
  }
}
