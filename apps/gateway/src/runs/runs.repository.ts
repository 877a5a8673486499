import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { RunStatus } from '@sandcastle/contracts';
import { RunEntity, RunStepEntity } from '@sandcastle/persistence';

/** The partial unique index giving a tenant at most one run per idempotency key. */
export const RUN_IDEMPOTENCY_CONSTRAINT = 'uq_runs_tenant_idempotency';

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
];

export interface RunFilters {
  status?: RunStatus;
  workflowName?: string;
  since?: Date;
  until?: Date;
  parentRunId?: string;
}

/** Runs and their step rows; every query is scoped by tenant. */
@Injectable()
export class RunsRepository {
  private readonly runs: Repository<RunEntity>;
  private readonly steps: Repository<RunStepEntity>;

  constructor(@Inject(DataSource) db: DataSource) {
    this.runs = db.getRepository(RunEntity);
    this.steps = db.getRepository(RunStepEntity);
  }

  /**
   * One INSERT: the run exists in `queued`, as an original run that is its own root. A unique
   * violation of RUN_IDEMPOTENCY_CONSTRAINT means the key was used before.
   */
  async insertQueued(run: NewRun): Promise<RunEntity> {
    const entity = this.runs.create({
      ...run,
      status: 'queued',
      kind: 'original',
      rootRunId: run.id,
      parentRunId: null,
    });
    // The cast only bridges TypeORM's typing of jsonb columns typed as records.
    const result = await this.runs.insert(entity as QueryDeepPartialEntity<RunEntity>);
    return Object.assign(entity, result.generatedMaps[0]);
  }

  async findById(tenantId: string, id: string): Promise<RunEntity | null> {
    return this.runs.findOne({ where: { tenantId, id } });
  }

  async findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<RunEntity | null> {
    return this.runs.findOne({ where: { tenantId, idempotencyKey } });
  }

  /** A page of runs, newest first, and how many match in all. */
  async list(
    tenantId: string,
    filters: RunFilters,
    limit: number,
    offset: number,
  ): Promise<[RunEntity[], number]> {
    // Only the summary columns: definitions and inputs can be large and a list does not show them.
    const query = this.runs
      .createQueryBuilder('r')
      .select(SUMMARY_COLUMNS.map((column) => `r.${column}`))
      .where('r.tenant_id = :tenantId', { tenantId });
    if (filters.status) query.andWhere('r.status = :status', { status: filters.status });
    if (filters.workflowName)
      query.andWhere('r.workflow_name = :workflowName', { workflowName: filters.workflowName });
    if (filters.since) query.andWhere('r.created_at >= :since', { since: filters.since });
    if (filters.until) query.andWhere('r.created_at < :until', { until: filters.until });
    if (filters.parentRunId)
      query.andWhere('r.parent_run_id = :parentRunId', { parentRunId: filters.parentRunId });
    return query
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
  }

  async listSteps(tenantId: string, runId: string): Promise<RunStepEntity[]> {
    return this.steps.find({ where: { tenantId, runId } });
  }
}
