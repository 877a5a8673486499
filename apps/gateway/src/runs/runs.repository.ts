import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { ModelTryView, RunKind, RunStatus, RuntimeKind } from '@sandcastle/contracts';
import {
  insertQueuedRun,
  insertQueuedRunOfLatest,
  itemIndexFromDb,
  returnedRows,
  RunEntity,
  RunStepEntity,
  type LatestWorkflowRef,
  type NewRun,
} from '@sandcastle/persistence';
import { outgoingTraceparent } from '@sandcastle/observability';
import { tenantParam, tenantWhere, type TenantScope } from '../tenancy/tenant-scope';
import { triesKey } from './run-view.util';

export { RUN_IDEMPOTENCY_CONSTRAINT, type NewRun } from '@sandcastle/persistence';

/** How a run made from another one (replay, fork, dead letter retry) hangs in its lineage. */
export interface RunLineage {
  kind: RunKind;
  parentRunId: string;
  rootRunId: string;
  /** The step a replay or fork starts again from (the column serves both kinds). */
  replayFromStep: string | null;
  forkChanges: Record<string, unknown> | null;
}

/** One run of a lineage tree: just what `GET /runs/{id}/lineage` shows. */
export type LineageRow = Pick<
  RunEntity,
  'id' | 'parentRunId' | 'status' | 'kind' | 'replayFromStep' | 'totalCostUsd' | 'createdAt'
>;

interface RawLineageRow {
  id: string;
  parent_run_id: string | null;
  status: RunStatus;
  kind: RunKind;
  replay_from_step: string | null;
  total_cost_usd: number | string;
  created_at: Date;
}

const SUMMARY_COLUMNS: (keyof RunEntity)[] = [
  'id',
  'workflowName',
  'status',
  'totalCostUsd',
  'maxCostUsd',
  'createdAt',
  'startedAt',
  'completedAt',
  'parentRunId',
  'scheduleId',
];

export interface RunFilters {
  status?: RunStatus;
  workflowName?: string;
  since?: Date;
  until?: Date;
  parentRunId?: string;
  scheduleId?: string;
}

/** Runs and their step rows; every query is scoped by tenant. */
@Injectable()
export class RunsRepository {
  private readonly runs: Repository<RunEntity>;
  private readonly steps: Repository<RunStepEntity>;

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.runs = db.getRepository(RunEntity);
    this.steps = db.getRepository(RunStepEntity);
  }

  /**
   * One INSERT: the run exists in `queued`, as an original run that is its own root (the shared
   * path of libs/persistence, which the scheduler uses too). A unique violation of
   * RUN_IDEMPOTENCY_CONSTRAINT means the key was used before.
   */
  async insertQueued(run: NewRun): Promise<RunEntity> {
    return insertQueuedRun(this.db.manager, {
      ...run,
      traceparent: run.traceparent ?? outgoingTraceparent() ?? null,
    });
  }

  /**
   * insertQueued for a saved workflow version, in one round trip: null (nothing stored) when the
   * version is no longer the latest the tenant sees under its name.
   */
  async insertQueuedOfLatest(
    run: Omit<NewRun, 'workflowName' | 'workflowVersion' | 'definition' | 'schedule'>,
    workflow: LatestWorkflowRef,
  ): Promise<RunEntity | null> {
    return insertQueuedRunOfLatest(
      this.db.manager,
      { ...run, traceparent: run.traceparent ?? outgoingTraceparent() ?? null },
      workflow,
    );
  }

  /**
   * One INSERT of a queued run made from another run. `manager` lets a caller insert inside its
   * own transaction (a dead letter retry marks the item and creates the run atomically).
   */
  async insertDerived(run: NewRun, lineage: RunLineage, manager?: EntityManager): Promise<RunEntity> {
    const repository = manager ? manager.getRepository(RunEntity) : this.runs;
    // A derived run is a new run: it gets the trace of the request that made it.
    const traceparent = run.traceparent ?? outgoingTraceparent() ?? null;
    const entity = repository.create({ ...run, ...lineage, traceparent, status: 'queued' });
    const result = await repository.insert(entity as QueryDeepPartialEntity<RunEntity>);
    return Object.assign(entity, result.generatedMaps[0]);
  }

  /** With ALL_TENANTS (the admin key) any tenant's run; callers go on with the run's own tenant. */
  async findById(scope: TenantScope, id: string): Promise<RunEntity | null> {
    return this.runs.findOne({ where: { ...tenantWhere(scope), id } });
  }

  /**
   * Records a user's cancel request on a live run (the orchestrator applies it under the run's
   * lock). Returns false when the run is already final (or another request came first).
   */
  async requestCancel(tenantId: string, id: string, reason: string): Promise<boolean> {
    const raw: unknown = await this.runs.query(
      `UPDATE runs SET cancel_requested_at = now(), cancel_reason = $3
        WHERE id = $1 AND tenant_id = $2 AND status IN ('queued', 'running', 'waiting') AND cancel_requested_at IS NULL
        RETURNING id`,
      [id, tenantId, reason],
    );
    // A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]: `.length` is always 2.
    return returnedRows(raw).length > 0;
  }

  async findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<RunEntity | null> {
    return this.runs.findOne({ where: { tenantId, idempotencyKey } });
  }

  /** A page of runs, newest first, and how many match in all. */
  async list(
    scope: TenantScope,
    filters: RunFilters,
    limit: number,
    offset: number,
  ): Promise<[RunEntity[], number]> {
    // Only the summary columns: definitions and inputs can be large and a list does not show them.
    const query = this.runs
      .createQueryBuilder('r')
      .select(SUMMARY_COLUMNS.map((column) => `r.${column}`))
      .where('(CAST(:tenantId AS varchar) IS NULL OR r.tenant_id = :tenantId)', {
        tenantId: tenantParam(scope),
      });
    if (filters.status) query.andWhere('r.status = :status', { status: filters.status });
    if (filters.workflowName)
      query.andWhere('r.workflow_name = :workflowName', { workflowName: filters.workflowName });
    if (filters.since) query.andWhere('r.created_at >= :since', { since: filters.since });
    if (filters.until) query.andWhere('r.created_at < :until', { until: filters.until });
    if (filters.parentRunId)
      query.andWhere('r.parent_run_id = :parentRunId', { parentRunId: filters.parentRunId });
    if (filters.scheduleId) query.andWhere('r.schedule_id = :scheduleId', { scheduleId: filters.scheduleId });
    return query
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
  }

  /**
   * Every run of the tenant's lineage tree rooted at `rootRunId` (the root included), oldest
   * first. Walked down `parent_run_id` (indexed) rather than filtered on `root_run_id`, which
   * has no index: the cost grows with the tree, not with the tenant's history.
   */
  async listLineage(tenantId: string, rootRunId: string): Promise<LineageRow[]> {
    const rows: RawLineageRow[] = await this.db.query(
      `WITH RECURSIVE tree AS (
         SELECT id, parent_run_id, status, kind, replay_from_step, total_cost_usd, created_at
           FROM runs WHERE id = $1 AND tenant_id = $2
         UNION
         SELECT r.id, r.parent_run_id, r.status, r.kind, r.replay_from_step, r.total_cost_usd, r.created_at
           FROM runs r JOIN tree t ON r.parent_run_id = t.id
          WHERE r.tenant_id = $2
       )
       SELECT * FROM tree ORDER BY created_at ASC, id ASC`,
      [rootRunId, tenantId],
    );
    return rows.map((row) => ({
      id: row.id,
      parentRunId: row.parent_run_id,
      status: row.status,
      kind: row.kind,
      replayFromStep: row.replay_from_step,
      totalCostUsd: Number(row.total_cost_usd),
      createdAt: row.created_at,
    }));
  }

  async listSteps(tenantId: string, runId: string): Promise<RunStepEntity[]> {
    return this.steps.find({ where: { tenantId, runId } });
  }

  /** Every model try of the run's attempts (model API runtimes), by step row, in attempt order. */
  async listModelTries(tenantId: string, runId: string): Promise<Map<string, ModelTryView[]>> {
    const rows = await this.db.query<
      { step_id: string; item_index: number; attempt: number; tries: unknown }[]
    >(
      `SELECT step_id, item_index, attempt, tries FROM step_attempts
        WHERE run_id = $1 AND tenant_id = $2 AND tries IS NOT NULL ORDER BY attempt`,
      [runId, tenantId],
    );
    const byRow = new Map<string, ModelTryView[]>();
    for (const row of rows) {
      if (!Array.isArray(row.tries)) continue;
      const key = triesKey(row.step_id, itemIndexFromDb(row.item_index));
      const list = byRow.get(key) ?? [];
      for (const t of row.tries as {
        model: string;
        runtime: RuntimeKind;
        outcome: 'completed' | 'failed';
        error: string | null;
        costUsd: number;
      }[]) {
        list.push({
          attempt: row.attempt,
          model: t.model,
          runtime: t.runtime,
          outcome: t.outcome,
          error: t.error,
          cost_usd: t.costUsd,
        });
      }
      byRow.set(key, list);
    }
    return byRow;
  }
}
