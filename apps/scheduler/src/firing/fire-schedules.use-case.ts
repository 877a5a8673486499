import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { resolveBudget } from '@sandcastle/contracts';
import {
  findLatestWorkflow,
  insertQueuedRun,
  isPgUniqueViolation,
  RUN_SCHEDULE_FIRE_CONSTRAINT,
} from '@sandcastle/persistence';
import { nextOccurrence } from '@sandcastle/workflow';
import {
  formatTraceparent,
  newTraceContext,
  startSpan,
  withLogContext,
  type Logger,
} from '@sandcastle/observability';
import { decideFire } from './fire-decision.util';
import type { FiredRun, ScheduledRunStarter } from './scheduled-run-starter';
import type { LockedSchedule, ScheduleFiringRepository } from './schedule-firing.repository';
import type { SchedulerMetrics } from './scheduler.metrics';

export interface FireSettings {
  batchSize: number;
  catchUpAfterMs: number;
  defaultMaxCostUsd: number;
}

/**
 * One tick of the scheduler: fires every due schedule, each in its own short transaction that
 * holds the schedule's row lock, inserts the run (the same insert the gateway uses) and moves
 * the schedule to its next due time. Exactly once per due time across replicas and restarts:
 * the lock plus the re-checked `next_run_at <= now` stop a second replica, and the unique key
 * (schedule_id, scheduled_for) on runs stops anything that slips past (the insert fails, the
 * transaction rolls back, nothing is published). The start command is sent after commit.
 */
export class FireSchedulesUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly repository: ScheduleFiringRepository,
    private readonly starter: ScheduledRunStarter,
    private readonly settings: FireSettings,
    private readonly metrics: SchedulerMetrics,
    private readonly logger: Logger,
  ) {}

  /** Returns the runs fired in this tick. */
  async execute(now: () => Date = () => new Date()): Promise<FiredRun[]> {
    const fired: FiredRun[] = [];
    const failed: string[] = [];
    for (let i = 0; i < this.settings.batchSize; i += 1) {
      let outcome: { found: boolean; run: FiredRun | null };
      try {
        outcome = await this.db.transaction((manager) => this.fireOne(manager, now(), failed));
      } catch (err) {
        const schedule = (err as { schedule?: LockedSchedule }).schedule;
        const id = schedule?.id;
        if (schedule && isPgUniqueViolation(err, RUN_SCHEDULE_FIRE_CONSTRAINT)) {
          // That due time already has its run: it was fired, only the schedule row lags behind.
          await this.skipFiredDueTime(schedule, now());
          continue;
        }
        this.metrics.tickErrors.inc();
        this.logger.error('firing a schedule failed; it is retried at the next tick', {
          scheduleId: id,
          err,
        });
        if (!id) break;
        failed.push(id);
        continue;
      }
      if (!outcome.found) break;
      if (outcome.run) {
        await this.starter.start(outcome.run);
        fired.push(outcome.run);
      }
    }
    return fired;
  }

  private async fireOne(
    manager: EntityManager,
    now: Date,
    skipIds: readonly string[],
  ): Promise<{ found: boolean; run: FiredRun | null }> {
    const schedule = await this.repository.lockNextDue(manager, now, skipIds);
    if (!schedule) return { found: false, run: null };
    try {
      return { found: true, run: await this.decideAndWrite(manager, schedule, now) };
    } catch (err) {
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { schedule });
    }
  }

  private async skipFiredDueTime(schedule: LockedSchedule, now: Date): Promise<void> {
    this.logger.warn('due time already fired; moving the schedule on', {
      scheduleId: schedule.id,
      dueAt: schedule.nextRunAt.toISOString(),
    });
    const next = nextOccurrence(schedule.cronExpression, schedule.timezone, now);
    await this.repository.advanceIfStill(this.db.manager, schedule.id, schedule.nextRunAt, next);
  }

  private async decideAndWrite(
    manager: EntityManager,
    schedule: LockedSchedule,
    now: Date,
  ): Promise<FiredRun | null> {
    const workflow = await findLatestWorkflow(manager, schedule.tenantId, schedule.workflowName);
    const previousRunActive =
      schedule.overlap === 'skip' && schedule.lastRunId !== null
        ? await this.repository.isRunActive(manager, schedule.tenantId, schedule.lastRunId)
        : false;
    const decision = decideFire({
      schedule,
      now,
      workflowExists: workflow !== null,
      workflowName: schedule.workflowName,
      previousRunActive,
      catchUpAfterMs: this.settings.catchUpAfterMs,
    });
    if (decision.kind === 'disable' || workflow === null) {
      const reason = decision.kind === 'disable' ? decision.reason : 'workflow not found';
      await this.repository.disable(manager, schedule.id, reason);
      this.metrics.disabled.inc();
      this.logger.warn('schedule disabled', { scheduleId: schedule.id, tenantId: schedule.tenantId, reason });
      return null;
    }
    if (decision.kind === 'skip') {
      await this.repository.advance(manager, schedule.id, decision.nextRunAt);
      this.metrics.skipped.inc({ reason: 'overlap' });
      this.logger.info('due time skipped: the previous run is still active', {
        scheduleId: schedule.id,
        dueAt: decision.fireAt.toISOString(),
        previousRunId: schedule.lastRunId,
      });
      return null;
    }
    const runId = randomUUID();
    // A schedule firing starts the run's trace (there is no request to continue).
    const span = startSpan('schedule fire', 1, newTraceContext(), {
      root: true,
      attributes: { 'sandcastle.schedule_id': schedule.id },
    });
    const trace = span.context;
    const traceparent = formatTraceparent(trace);
    await insertQueuedRun(manager, {
      id: runId,
      traceparent,
      tenantId: schedule.tenantId,
      workflowName: workflow.name,
      workflowVersion: workflow.version,
      definition: workflow.definition,
      inputData: schedule.inputData,
      maxCostUsd: resolveBudget({
        requestedUsd: schedule.maxCostUsd,
        tenantKeyUsd: schedule.keyMaxCostUsd,
        defaultUsd: this.settings.defaultMaxCostUsd,
      }),
      callbackUrl: null,
      idempotencyKey: null,
      requestHash: null,
      schedule: {
        scheduleId: schedule.id,
        scheduledFor: decision.fireAt,
        catchUp: decision.catchUp,
        missedFires: decision.missed,
      },
    });
    await this.repository.recordFire(manager, schedule.id, runId, now, decision.nextRunAt);
    this.metrics.fired.inc({ catch_up: String(decision.catchUp) });
    this.metrics.fireDelay.observe(Math.max(0, now.getTime() - decision.fireAt.getTime()) / 1000);
    withLogContext({ trace, runId, stepId: null }, () =>
      this.logger.info('schedule fired', {
        scheduleId: schedule.id,
        tenantId: schedule.tenantId,
        runId,
        dueAt: decision.fireAt.toISOString(),
        catchUp: decision.catchUp,
        missed: decision.missed,
      }),
    );
    span.end();
    return {
      scheduleId: schedule.id,
      tenantId: schedule.tenantId,
      runId,
      fireAt: decision.fireAt,
      traceparent,
    };
  }
}
