import type { ApprovalStatus } from '@sandcastle/contracts';
import {
  resolvePath,
  type ApprovalDefinition,
  type ApprovalTimeoutAction,
  type StepDefinition,
  type TemplateContext,
} from '@sandcastle/workflow';

/** An approval step that began waiting: what the engine stores in `approvals`. */
export interface ApprovalRequest {
  stepId: string;
  message: string;
  data: unknown;
  allowEdit: boolean;
  onTimeout: ApprovalTimeoutAction;
  expiresAt: Date | null;
}

/** A decision read back from `approvals`, ready for the machine. */
export interface DecidedApproval {
  stepId: string;
  status: Exclude<ApprovalStatus, 'pending' | 'cancelled'>;
  decidedBy: string;
  decidedAt: Date;
  comment: string | null;
  /** The step's output when approved: the edited output if the approver sent one, else the data shown. */
  output: unknown;
}

/**
 * What the approver is shown: the value at `show`, or — without one — the outputs of the step's
 * dependencies by step id (`{}` for a step without dependencies). A path that resolves to nothing
 * shows null rather than failing the run.
 */
export function approvalData(
  step: StepDefinition,
  approval: ApprovalDefinition,
  ctx: TemplateContext,
): unknown {
  if (approval.show !== null) {
    const resolved = resolvePath(approval.show, ctx);
    return resolved.found ? resolved.value : null;
  }
  return Object.fromEntries(step.dependsOn.map((id) => [id, ctx.steps[id]?.output ?? null]));
}
