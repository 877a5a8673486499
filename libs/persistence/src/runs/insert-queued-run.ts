import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../prepared-query';
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
 *
 * Plain SQL, not the repository: it is on the path of every run request, where TypeORM's query
 * building and entity mapping cost more than the statement. The returned entity is the row as
 * stored (the columns left out take their defaults, written here as they are in the schema; a
 * test reads the row back and compares).
 */
export async function insertQueuedRun(manager: EntityManager, run: NewRun): Promise<RunEntity> {
  const { schedule } = run;
  const traceparent = run.traceparent ?? null;
  const rows = await preparedQuery<{ created_at: Date; updated_at: Date }>(
    manager,
    'sc_insert_queued_run',
    INSERT_QUEUED_RUN,
    [
      run.id,
      run.tenantId,
      run.workflowName,
      run.workflowVersion,
      JSON.stringify(run.definition),
      JSON.stringify(run.inputData),
      run.maxCostUsd,
      run.callbackUrl,
      run.idempotencyKey,
      run.requestHash,
      schedule?.scheduleId ?? null,
      schedule?.scheduledFor ?? null,
      schedule?.catchUp ?? false,
      schedule?.missedFires ?? null,
      traceparent,
    ],
  );
  return queuedRunEntity(run, rows[0]!);
}

/** The saved workflow version a run by name executes (WorkflowEntity's columns it needs). */
export interface LatestWorkflowRef {
  id: string;
  name: string;
  version: number;
  definition: Record<string, unknown>;
}

/**
 * One INSERT of a run of a saved workflow, on the condition that `workflow` is still the latest
 * version the tenant sees under its name (the same choice as findLatestWorkflow, made in the same
 * statement). Null when it is not (a newer version was saved meanwhile, by any replica): the
 * caller looks the workflow up again. The definition is copied from the workflow row by the
 * database. This lets a gateway keep workflow versions it has read (they never change) and
 * create a run in one round trip without ever starting a version that is no longer the latest.
 */
export async function insertQueuedRunOfLatest(
  manager: EntityManager,
  run: Omit<NewRun, 'workflowName' | 'workflowVersion' | 'definition' | 'schedule'>,
  workflow: LatestWorkflowRef,
): Promise<RunEntity | null> {
  const traceparent = run.traceparent ?? null;
  const rows = await preparedQuery<{ created_at: Date; updated_at: Date }>(
    manager,
    'sc_insert_queued_run_of_latest',
    INSERT_QUEUED_RUN_OF_LATEST,
    [
      workflow.name,
      run.tenantId,
      SHARED_WORKFLOWS_TENANT,
      workflow.id,
      run.id,
      JSON.stringify(run.inputData),
      run.maxCostUsd,
      run.callbackUrl,
      run.idempotencyKey,
      run.requestHash,
      traceparent,
    ],
  );
  const stored = rows[0];
  if (!stored) return null;
  return queuedRunEntity(
    {
      ...run,
      workflowName: workflow.name,
      workflowVersion: workflow.version,
      definition: workflow.definition,
    },
    stored,
  );
}

/** The entity of a run just inserted in `queued`: the columns left out take their schema defaults. */
function queuedRunEntity(run: NewRun, stored: { created_at: Date; updated_at: Date }): RunEntity {
  const { schedule } = run;
  const traceparent = run.traceparent ?? null;
  return Object.assign(new RunEntity(), {
    id: run.id,
    tenantId: run.tenantId,
    workflowName: run.workflowName,
    workflowVersion: run.workflowVersion,
    definition: run.definition,
    status: 'queued',
    kind: 'original',
    inputData: run.inputData,
    outputs: {},
    error: null,
    storagePath: null,
    cancelRequestedAt: null,
    cancelReason: null,
    checkpointSeq: 0,
    totalCostUsd: 0,
    totalInputTokens: 0,
    totalOutputTokens: 0,
    maxCostUsd: run.maxCostUsd,
    budgetWarned: false,
    callbackUrl: run.callbackUrl,
    idempotencyKey: run.idempotencyKey,
    requestHash: run.requestHash,
    parentRunId: null,
    rootRunId: run.id,
    replayFromStep: null,
    forkChanges: null,
    scheduleId: schedule?.scheduleId ?? null,
    scheduledFor: schedule?.scheduledFor ?? null,
    catchUp: schedule?.catchUp ?? false,
    missedFires: schedule?.missedFires ?? null,
    traceparent,
    createdAt: stored.created_at,
    startedAt: null,
    completedAt: null,
    updatedAt: stored.updated_at,
  } satisfies RunEntity);
}

const INSERT_QUEUED_RUN = `INSERT INTO runs (id, tenant_id, workflow_name, workflow_version, definition, status, kind,
            input_data, max_cost_usd, callback_url, idempotency_key, request_hash, root_run_id,
            schedule_id, scheduled_for, catch_up, missed_fires, traceparent)
     VALUES ($1, $2, $3, $4, $5::jsonb, 'queued', 'original', $6::jsonb, $7, $8, $9, $10, $1,
            $11, $12, $13, $14, $15)
     RETURNING created_at, updated_at`;

/**
 * The latest version a tenant sees under `name`: its own, else the shared one (WORKFLOWS_DIR).
 * What a run by name executes, from a request or a schedule. Plain SQL for the same reason as
 * insertQueuedRun.
 */
export async function findLatestWorkflow(
  manager: EntityManager,
  tenantId: string,
  name: string,
): Promise<WorkflowEntity | null> {
  const rows = await preparedQuery<{
    id: string;
    tenant_id: string;
    name: string;
    version: number;
    title: string;
    description: string;
    content: string;
    content_hash: string;
    definition: Record<string, unknown>;
    source: WorkflowEntity['source'];
    created_at: Date;
  }>(manager, 'sc_latest_workflow', LATEST_WORKFLOW, [name, tenantId, SHARED_WORKFLOWS_TENANT]);
  const row = rows[0];
  if (!row) return null;
  return Object.assign(new WorkflowEntity(), {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    version: row.version,
    title: row.title,
    description: row.description,
    content: row.content,
    contentHash: row.content_hash,
    definition: row.definition,
    source: row.source,
    createdAt: row.created_at,
  } satisfies WorkflowEntity);
}

/** $1 name, $2 tenant, $3 the shared tenant: the latest version the tenant sees, its own first. */
const LATEST_VISIBLE = `FROM workflows WHERE name = $1 AND tenant_id IN ($2, $3)
      ORDER BY (tenant_id = $2) DESC, version DESC LIMIT 1`;

const LATEST_WORKFLOW = `SELECT id, tenant_id, name, version, title, description, content, content_hash, definition, source, created_at
       ${LATEST_VISIBLE}`;

const INSERT_QUEUED_RUN_OF_LATEST = `INSERT INTO runs (id, tenant_id, workflow_name, workflow_version, definition, status, kind,
            input_data, max_cost_usd, callback_url, idempotency_key, request_hash, root_run_id,
            catch_up, traceparent)
     SELECT $5, $2, w.name, w.version, w.definition, 'queued', 'original', $6::jsonb, $7, $8, $9, $10, $5,
            false, $11
       FROM workflows w
      WHERE w.id = $4 AND w.id = (SELECT id ${LATEST_VISIBLE})
     RETURNING created_at, updated_at`;
