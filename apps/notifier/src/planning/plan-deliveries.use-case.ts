import { randomUUID } from 'node:crypto';
import { allowListedEnv } from '@sandcastle/config';
import { webhookEventOf, type RunStatus, type WebhookApproval } from '@sandcastle/contracts';
import type { Logger } from '@sandcastle/observability';
import { checkUrlSyntax } from '@sandcastle/outbound';
import { resolveEnvVars } from '@sandcastle/workflow';
import type { NotifierMetrics } from '../notifier.metrics';
import type { StoredWebhookPayload } from '../sending/webhook-body.util';
import { deliveryTargets } from './delivery-targets.util';
import type { DeliveriesRepository, NewDelivery } from './deliveries.repository';

/** An `approval` event with status `pending` (apps/orchestrator engine/machine/approvals.ts, requestApproval). */
export interface ApprovalRequested {
  runId: string;
  workflowName: string;
  approval: WebhookApproval;
}

/** The `result` event's data (apps/orchestrator engine/machine/stop.ts, finishRun). */
export interface RunResult {
  runId: string;
  workflowName: string;
  status: RunStatus;
  outputs: Record<string, unknown>;
  error: string | null;
  totalCostUsd: number;
  durationSeconds: number | null;
}

export interface PlanSettings {
  retryWindowMs: number;
  allowPrivate: boolean;
  /** WORKFLOW_ENV_ALLOWLIST: the only variables a workflow webhook's `${VAR}` resolves. */
  allowedVariables: readonly string[];
}

/**
 * A run ended: store one delivery per target (docs/webhooks.md), to be sent by the dispatcher.
 * Idempotent (one row per run and target), so a redelivered event plans nothing twice. A URL
 * the guard refuses (a workflow webhook is only checked here) is stored as a failed delivery
 * with the reason, so the tenant sees why nothing arrived.
 */
export class PlanDeliveriesUseCase {
  constructor(
    private readonly repository: DeliveriesRepository,
    private readonly settings: PlanSettings,
    private readonly metrics: NotifierMetrics,
    private readonly logger: Logger,
  ) {}

  async execute(result: RunResult): Promise<number> {
    const sources = await this.repository.runSources(result.runId);
    if (!sources) {
      this.logger.warn('result event for an unknown run; nothing to deliver', { runId: result.runId });
      return 0;
    }
    const env = allowListedEnv(this.settings.allowedVariables);
    const resolve = (url: string | null | undefined) =>
      url ? resolveEnvVars(url, env).trim() || null : null;
    const targets = deliveryTargets({
      status: result.status,
      runCallbackUrl: sources.callbackUrl,
      scheduleCallbackUrl: sources.scheduleCallbackUrl,
      onCompleteWebhook: resolve(sources.definition.onComplete?.webhook),
      onFailureWebhook: resolve(sources.definition.onFailure?.webhook),
      scheduleSlack: sources.scheduleSlack,
      workflowSlack: resolve(sources.definition.notify?.slack),
    });
    if (targets.length === 0) return 0;
    const event = webhookEventOf(result.status);
    const payload: StoredWebhookPayload = {
      event,
      run_id: result.runId,
      workflow: result.workflowName,
      status: result.status,
      outputs: result.outputs,
      total_cost_usd: result.totalCostUsd,
      duration_seconds: result.durationSeconds,
      error: result.error,
    };
    return this.store(result.runId, sources.tenantId, targets, payload);
  }

  /**
   * An approval step began waiting: announce it to the run's and the schedule's callback and to
   * Slack (not to `on_complete`/`on_failure` webhooks: those mean the run ended). Idempotent per
   * run, target and approval step.
   */
  async executeApproval(request: ApprovalRequested): Promise<number> {
    const sources = await this.repository.runSources(request.runId);
    if (!sources) return 0;
    const env = allowListedEnv(this.settings.allowedVariables);
    const resolve = (url: string | null | undefined) =>
      url ? resolveEnvVars(url, env).trim() || null : null;
    const targets = deliveryTargets({
      status: 'waiting',
      runCallbackUrl: sources.callbackUrl,
      scheduleCallbackUrl: sources.scheduleCallbackUrl,
      onCompleteWebhook: null,
      onFailureWebhook: null,
      scheduleSlack: sources.scheduleSlack,
      workflowSlack: resolve(sources.definition.notify?.slack),
    });
    if (targets.length === 0) return 0;
    const payload: StoredWebhookPayload = {
      event: 'approval.requested',
      run_id: request.runId,
      workflow: request.workflowName,
      status: 'waiting',
      outputs: {},
      total_cost_usd: 0,
      duration_seconds: null,
      error: null,
      approval: request.approval,
    };
    return this.store(request.runId, sources.tenantId, targets, payload);
  }

  /** Stores one delivery per target (a URL the guard refuses as failed, with the reason). */
  private async store(
    runId: string,
    tenantId: string,
    targets: ReturnType<typeof deliveryTargets>,
    payload: StoredWebhookPayload,
  ): Promise<number> {
    const event = payload.event;
    const giveUpAt = new Date(Date.now() + this.settings.retryWindowMs);
    const deliveries: NewDelivery[] = targets.map((target) => {
      const check = checkUrlSyntax(target.url, { allowPrivate: this.settings.allowPrivate });
      return {
        id: randomUUID(),
        tenantId,
        runId,
        target: target.target,
        format: target.format,
        url: target.url,
        event,
        payload,
        status: check.ok ? 'pending' : 'failed',
        giveUpAt,
        lastError: check.ok ? null : `UNSAFE_URL: ${check.reason}`,
      };
    });
    const inserted = await this.repository.insertPlanned(deliveries);
    for (const d of deliveries) {
      this.metrics.planned.inc({ format: d.format });
      // A tenant-supplied URL the guard refuses is an attempt to reach what it must not: visible.
      if (d.status === 'failed') {
        this.logger.warn('delivery refused by the outbound guard', {
          runId: d.runId,
          tenantId: d.tenantId,
          target: d.target,
          reason: d.lastError,
        });
      }
    }
    this.logger.info('deliveries planned', { runId, tenantId, event, count: inserted });
    return inserted;
  }
}
