import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { RunEntity } from '../entities/run.entity';
import { WorkflowEntity } from '../entities/workflow.entity';

/**
 * The tenant of the workflows loaded from WORKFLOWS_DIR: the deployment's own workflows, which
 * every tenant may read and run. Not a valid tenant id (those start with a letter or digit), so
 * no key can write to it; a tenant saving the same name gets its own workflow, which shadows it.
 */
export const SHARED_WORKFLOWS_TENANT = '_shared';

/** The partial unique index giving a tenant at most one run per idempotency key. */
export const RUN_IDEMPOTENCY_CONSTRAINT = 'uq_runs_tenant_idempotency';

/** The partial unique index giving a schedule at most one run per due time. */
export const RUN_SCHEDULE_FIRE_CONSTRAINT = 'uq_runs_schedule_fire';

export interface NewRun {
  id: string;
  tenantId: string;
  workflowName: string;
  workflowVersion: number | null;
  definition: Record<string, unknown>;
  inputData: Record<string, unknown>;
  maxCostUsd: number | null;
  callbackUrl: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** W3C trace context of the request or schedule firing that creates the run. */
  traceparent?: string | null;
  /** Set for a run a schedule started: the key of exactly-once firing. */
  schedule?: { scheduleId: string; scheduledFor: Date; catchUp: boolean; missedFires: number };
}

/**
 * One INSERT: a new original run in `queued`, its own root. The one way a run is created from a
 * request or a schedule (gateway and scheduler share it), so both make the same row; the caller
 * then sends the start command (and the orchestrator's reconciler starts it if that send is lost).
 * A unique violation names RUN_IDEMPOTENCY_CONSTRAINT or RUN_SCHEDULE_FIRE_CONSTRAINT.
 */
export async function insertQueuedRun(manager: EntityManager, run: NewRun): Promise<RunEntity> {
  const repository = manager.getRepository(RunEntity);
  const { schedule, ...columns } = run;
  const entity = repository.create({
    ...columns,
    status: 'queued',
    kind: 'original',
    rootRunId: run.id,
    parentRunId: null,
    scheduleId: schedule?.scheduleId ?? null,
    scheduledFor: schedule?.scheduledFor ?? null,
    catchUp: schedule?.catchUp ?? false,
    missedFires: schedule?.missedFires ?? null,
    traceparent: run.traceparent ?? null,
  });
  // The cast only bridges TypeORM's typing of jsonb columns typed as records.
  const result = await repository.insert(entity as QueryDeepPartialEntity<RunEntity>);
  return Object.assign(entity, result.generatedMaps[0]);
}

/**
 * The latest version a tenant sees under `name`: its own, else the shared one (WORKFLOWS_DIR).
 * What a run by name executes, from a request or a schedule.
 */
export async function findLatestWorkflow(
  manager: EntityManager,
  tenantId: string,
  name: string,
): Promise<WorkflowEntity | null> {
  return manager
    .getRepository(WorkflowEntity)
    .createQueryBuilder('w')
    .where('w.name = :name AND w.tenant_id IN (:tenantId, :shared)', {
      name,
      tenantId,
      shared: SHARED_WORKFLOWS_TENANT,
    })
    .orderBy('(w.tenant_id = :tenantId)', 'DESC')
    .addOrderBy('w.version', 'DESC')
    .limit(1)
    .getOne();
}
