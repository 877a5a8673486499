import { boundedOutput } from '@sandcastle/contracts';
import {
  renderTemplate,
  TemplateTooLargeError,
  type ApprovalDefinition,
  type StepDefinition,
} from '@sandcastle/workflow';
import { approvalData, type DecidedApproval } from '../approval-step.util';
import type { StepRow } from '../run-state';
import type { MachineContext } from './context';
import { emit, emitStep } from './events';
import { limitBreached } from './failure-policy';
import { rowDone } from './fan-out';
import { advance } from './readiness';
import { failRun } from './stop';

/**
 * Approval steps (`type: approval`): a ready one waits for a person (no dispatch, no executor
 * slot). The request goes to `approvals` with the transition; the decision, taken exactly once
 * there (by a person or by the timeout), comes back through `decideApproval`.
 */

/**
 * An approval step became ready: it waits with its message rendered and its data resolved now,
 * from the pinned definition and the outputs so far.
 */
export function requestApproval(
  m: MachineContext,
  row: StepRow,
  step: StepDefinition,
  approval: ApprovalDefinition,
): void {
  let message: string;
  try {
    message = renderTemplate(step.prompt, m.template(), { maxBytes: m.limits.maxPromptBytes });
  } catch (err) {
    if (!(err instanceof TemplateTooLargeError)) throw err;
    row.startedAt = m.now;
    limitBreached(
      m,
      row,
      'PROMPT_TOO_LARGE',
      `the rendered approval message is at least ${err.atLeast} bytes, above the limit of ${err.limit} (MAX_PROMPT_BYTES)`,
    );
    return;
  }
  const data = approvalData(step, approval, m.template());
  const expiresAt =
    approval.timeoutSeconds === null ? null : new Date(m.now.getTime() + approval.timeoutSeconds * 1000);
  m.setStatus(row, 'waiting');
  row.attempt = 1;
  row.prompt = message;
  row.startedAt = m.now;
  row.deadlineAt = expiresAt;
  m.touch(row);
  emitStep(m, row);
  m.effects.approvalRequested({
    stepId: row.stepId,
    message,
    data,
    allowEdit: approval.allowEdit,
    onTimeout: approval.onTimeout,
    expiresAt,
  });
  emit(m, 'approval', {
    run_id: m.run.id,
    workflow_name: m.run.workflowName,
    step_id: row.stepId,
    status: 'pending',
    message,
    ...boundedOutput(data, m.limits.maxEventOutputBytes),
    allow_edit: approval.allowEdit,
    expires_at: expiresAt?.toISOString() ?? null,
    on_timeout: approval.onTimeout,
  });
}

/**
 * Applies an approval decided in `approvals`. Stale when the step no longer waits (the run
 * ended, or the decision was applied before): the decision row is the single source of truth and
 * was taken exactly once, so applying it twice changes nothing.
 */
export function decideApproval(m: MachineContext, decision: DecidedApproval): 'applied' | 'stale' {
  const row = m.row(decision.stepId);
  if (!row || m.runIsOver || row.status !== 'waiting') return 'stale';
  row.deadlineAt = null;
  row.completedAt = m.now;
  row.durationSeconds = row.startedAt ? (m.now.getTime() - row.startedAt.getTime()) / 1000 : null;
  const by = decision.decidedBy;
  emit(m, 'approval', {
    run_id: m.run.id,
    step_id: decision.stepId,
    status: decision.status,
    decided_by: by,
    decided_at: decision.decidedAt.toISOString(),
    comment: decision.comment,
  });
  if (decision.status === 'rejected') {
    row.error = `rejected by ${by}${decision.comment ? `: ${decision.comment}` : ''}`;
    row.errorKind = 'APPROVAL_REJECTED';
    m.setStatus(row, 'failed');
    m.touch(row);
    emitStep(m, row);
    failRun(m, `Step '${decision.stepId}' was ${row.error}`);
    return 'applied';
  }
  m.setStatus(row, decision.status === 'approved' ? 'completed' : 'skipped');
  row.output = decision.status === 'approved' ? decision.output : null;
  m.touch(row);
  emitStep(m, row);
  rowDone(m, row);
  advance(m);
  return 'applied';
}
